import type { LiveClock, LiveFlags, LiveResync } from '../../contract/live.ts';
import type { FeedEventInput } from '../live/live-store.ts';
import type { CallChange, CallStore } from '../store/call-store.ts';
import type { Tenant, TenantStore } from '../store/tenant-store.ts';

// Emulator mode: the live feed is the call store's own commits. Everything that changes a
// call goes through the store (creates, events, flag changes, cancels, scheduled calls
// falling due, autoplay), so listening there misses nothing, and listening after the
// commit never tells a desk of a change that was rolled back.

export interface EmulatorChangeFeedOptions {
  calls: CallStore;
  tenants: TenantStore;
  /** The tenant the desk acts for: other tenants' changes are none of its business. */
  tenant: () => Tenant;
  publish: (events: FeedEventInput[]) => unknown;
}

/** The feed events of one commit: a call changed several times in it is sent once, as it ended. */
function feedEventsOf(changes: CallChange[], tenantId: number): FeedEventInput[] {
  const last = new Map<string, FeedEventInput>();
  for (const change of changes) {
    if (change.tenantId !== tenantId) continue;
    const key = `${change.kind === 'flags' ? 'flags' : 'call'}:${change.callId}`;
    // Deleted first, so the event takes the place of the call's last change in the order.
    last.delete(key);
    if (change.kind === 'flags') {
      const data: LiveFlags = { id: change.callId, flags: change.flags };
      last.set(key, { type: 'flags', data: JSON.stringify(data), callId: change.callId });
    } else {
      last.set(key, {
        type: 'call',
        data: change.json,
        callId: change.callId,
        agentEmail: change.agentEmail,
      });
    }
  }
  return [...last.values()];
}

/** Starts feeding; returns the function that stops. */
export function startEmulatorChangeFeed(options: EmulatorChangeFeedOptions): () => void {
  const { calls, tenants, publish } = options;
  const stopCalls = calls.onCommit((changes) => {
    const events = feedEventsOf(changes, options.tenant().id);
    if (events.length > 0) publish(events);
  });
  const stopTenants = tenants.onChange(({ kind, tenant }) => {
    if (tenant.id !== options.tenant().id) return;
    const clock: LiveClock = { now: tenants.now(tenant).toISOString() };
    if (kind === 'reset') {
      // A reset also sets the clock back to real time.
      const data: LiveResync = { reason: 'reset' };
      publish([
        { type: 'resync', data: JSON.stringify(data) },
        { type: 'clock', data: JSON.stringify(clock) },
      ]);
    } else if (kind === 'clock') {
      publish([{ type: 'clock', data: JSON.stringify(clock) }]);
    } else {
      publish([{ type: 'directory', data: '{}' }]);
    }
  });
  return () => {
    stopCalls();
    stopTenants();
  };
}
