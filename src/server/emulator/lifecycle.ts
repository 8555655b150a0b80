import type { Call } from '../../contract/calls.ts';
import type { CallInternal } from '../domain/call-object.ts';
import type { TenantDirectory } from '../domain/tenant.ts';

// The call lifecycle as a state machine over the statuses of CALL-API.md, driven by the
// control API's events. Pure: it takes the call, the event and the moment, and returns
// the call after it (or why the event is refused). The store persists what it returns.

export interface LifecycleContext {
  /** The emulator's clock, as UTC ISO with milliseconds. */
  now: string;
  directory: TenantDirectory;
  nextParticipantId(): number;
  nextTransferId(): number;
}

export type EventOutcome =
  | {
      ok: true;
      call: Call;
      internal: CallInternal;
      /** `recover`: the child call to create; the store gives it its id. */
      child?: (id: number) => Call;
    }
  | { ok: false; status: 400 | 409; message: string };

export function applyEvent(
  _call: Call,
  _internal: CallInternal,
  _event: unknown,
  _ctx: LifecycleContext,
): EventOutcome {
  return { ok: false, status: 400, message: 'Unknown event type' };
}
