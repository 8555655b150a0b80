import { isTerminalStatus } from '../../../contract/call-constants.ts';
import type { Call } from '../../../contract/calls.ts';

// What the call is doing now, and since when: the header's state and its running timer.
// The emulator records each step (events); a real tenant's call has only timestamps.

export interface CallState {
  /** The status, or `on_hold` while a connected call is on hold. */
  key: string;
  /** When this state began; null when the call does not tell. */
  since: string | null;
  live: boolean;
}

function lastHoldStart(call: Call): string | null {
  for (let i = call.events.length - 1; i >= 0; i--) {
    const event = call.events[i]!;
    if (event.type === 'resume') return null;
    if (event.type === 'hold') return event.at;
  }
  return null;
}

const SINCE_FIELD: Readonly<Record<string, keyof Call>> = {
  selecting: 'created_at',
  queued: 'queued_at',
  assigned: 'assigned_at',
  connecting: 'assigned_at',
  connected: 'connected_at',
  scheduled: 'created_at',
};

/**
 * When the call entered its status: the first of the trailing events that left it in that
 * status (a flag change or a transfer does not restart the clock), else the timestamp
 * that status sets.
 */
function statusSince(call: Call): string | null {
  let since: string | null = null;
  for (let i = call.events.length - 1; i >= 0; i--) {
    const event = call.events[i]!;
    if (event.status !== call.status) break;
    since = event.at;
  }
  if (call.status === 'connected' && call.connected_at) return call.connected_at;
  if (since) return since;
  const field = SINCE_FIELD[call.status];
  const value = field ? call[field] : null;
  if (typeof value === 'string') return value;
  if (isTerminalStatus(call.status)) return call.ends_at ?? call.updated_at ?? null;
  return call.updated_at ?? call.created_at;
}

export function callState(call: Call): CallState {
  const live = !isTerminalStatus(call.status);
  const hold = call.status === 'connected' ? lastHoldStart(call) : null;
  if (hold) return { key: 'on_hold', since: hold, live };
  return { key: call.status, since: statusSince(call), live };
}

function ms(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

export interface CallTimes {
  /** Seconds before an agent was on the line. */
  wait: number | undefined;
  /** Seconds the agent and the customer talked (holds excluded). */
  talk: number | undefined;
  /** Seconds on hold. */
  hold: number | undefined;
}

/**
 * Wait, talk and hold as of `now`: the call's own figures once it has them, else counted
 * from its timestamps and holds while it is live (the service fills the durations at the end).
 */
export function callTimes(call: Call, now: number): CallTimes {
  const live = !isTerminalStatus(call.status);
  const connected = ms(call.connected_at);
  const start = ms(call.queued_at) ?? ms(call.created_at);
  const end = live ? now : (ms(call.ends_at) ?? ms(call.updated_at) ?? now);

  let wait = call.wait_duration ?? undefined;
  if (wait === undefined && start !== undefined && call.status !== 'scheduled') {
    wait = Math.max(0, Math.floor(((connected ?? end) - start) / 1000));
  }

  let hold = call.hold_duration ?? undefined;
  const holdStart = call.status === 'connected' ? lastHoldStart(call) : null;
  if (live && holdStart)
    hold = (hold ?? 0) + Math.max(0, Math.floor((now - ms(holdStart)!) / 1000));

  let talk = call.call_duration ?? undefined;
  if ((talk === undefined || (live && talk === 0)) && connected !== undefined) {
    talk = Math.max(0, Math.floor((end - connected) / 1000) - (hold ?? 0));
  }
  return { wait, talk, hold };
}
