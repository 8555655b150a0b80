import type { Call } from '../../contract/calls.ts';
import type { CallEventRequest } from '../../contract/emulator.ts';
import { recordEvent, type CallInternal } from '../domain/call-object.ts';
import { applyEvent, isOnHold, transferInProgress, type LifecycleContext } from './lifecycle.ts';

// What the emulator does by itself when autoplay is on: the other side of each call
// (the queue, the phone network, the end user, the colleague a call is transferred to)
// moves it on at a human pace, so a demo's timeline fills in without anyone clicking.
//
// Deterministic: the moment each step is due follows from the call's own timestamps and
// its id, never from randomness or the wall clock, so a test (or a clock jump) replays the
// same timeline every time.

/** The stages autoplay moves on, and the pace of each: a base and a spread, in seconds. */
const AUTOPLAY_PACE = {
  queued: { base: 4, spread: 4 },
  assigned: { base: 2, spread: 2 },
  connecting: { base: 3, spread: 3 },
  switching: { base: 3, spread: 2 },
  transferring: { base: 6, spread: 4 },
  connected: { base: 25, spread: 20 },
  deflected: { base: 3, spread: 2 },
  voicemail: { base: 20, spread: 10 },
} as const satisfies Record<string, { base: number; spread: number }>;

export type AutoplayStage = keyof typeof AUTOPLAY_PACE;

export interface AutoplayStep {
  event: CallEventRequest;
  /** When the step is due (UTC ISO with milliseconds). */
  dueAt: string;
}

const STAGE_SALT: Record<AutoplayStage, number> = {
  queued: 1,
  assigned: 2,
  connecting: 3,
  switching: 4,
  transferring: 5,
  connected: 6,
  deflected: 7,
  voicemail: 8,
};

/**
 * How long a call stays in a stage before autoplay moves it on: the stage's base plus a
 * share of its spread drawn from the call id, so calls made together do not move in
 * lockstep and a demo looks like a real queue.
 */
export function autoplayDelaySeconds(callId: number, stage: AutoplayStage): number {
  const { base, spread } = AUTOPLAY_PACE[stage];
  // Knuth's multiplicative hash, read from its high bits (the low bits of a product only
  // echo the low bits of the id): cheap, stable across runs, well spread over small ids.
  const hash = Math.imul((callId ^ (STAGE_SALT[stage] << 16)) >>> 0, 0x9e3779b1) >>> 0;
  return base + Math.floor((hash / 2 ** 32) * (spread + 1));
}

/** The next thing autoplay will do to the call and when, or null if it waits on a person. */
export function nextAutoplayStep(call: Call, internal: CallInternal): AutoplayStep | null {
  const after = (stage: AutoplayStage, since: string, event: CallEventRequest): AutoplayStep => ({
    event,
    dueAt: new Date(Date.parse(since) + autoplayDelaySeconds(call.id, stage) * 1000).toISOString(),
  });
  switch (call.status) {
    case 'queued':
      return after('queued', stageStart(call, call.queued_at), { type: 'assign' });
    case 'assigned':
      return after('assigned', stageStart(call, call.assigned_at), { type: 'ring' });
    case 'connecting':
      return after('connecting', stageStart(call, null), { type: 'connect' });
    case 'switching':
      return after('switching', stageStart(call, null), { type: 'connect' });
    case 'connected': {
      // The agent who put the call on hold takes it off hold; autoplay does not hang up on
      // a caller listening to hold music.
      if (isOnHold(internal)) return null;
      const pending = transferInProgress(call);
      if (pending) {
        return after('transferring', stageStart(call, pending.created_at), {
          type: 'transfer_accept',
        });
      }
      // The conversation runs on from the last thing that happened in it (connect, resume,
      // a transfer answered), then the end user says goodbye.
      return after('connected', stageStart(call, call.connected_at), {
        type: 'finish',
        disconnected_by: 'disconnected_by_end_user',
      });
    }
    case 'deflected':
      // Only a deflection to voicemail leads to a message; other deflections wait on a person.
      return call.deflection === 'voicemail'
        ? after('deflected', stageStart(call, null), { type: 'voicemail' })
        : null;
    case 'voicemail':
      return after('voicemail', stageStart(call, null), { type: 'voicemail_received' });
    default:
      return null;
  }
}

/** The event autoplay applies to the call at `nowIso`, or null if nothing is due yet. */
export function nextAutoplayEvent(
  call: Call,
  internal: CallInternal,
  nowIso: string,
): CallEventRequest | null {
  const step = nextAutoplayStep(call, internal);
  return step && Date.parse(step.dueAt) <= Date.parse(nowIso) ? step.event : null;
}

export interface AutoplayRun {
  call: Call;
  internal: CallInternal;
  /** The steps applied, in order (empty when nothing was due). */
  applied: AutoplayStep[];
}

/** A bound on the steps of one run; a call's whole life is fewer than this. */
const MAX_STEPS_PER_RUN = 16;

/**
 * Applies every autoplay step due by `nowIso`, each at its own due time, so that a clock
 * jumped forward by a minute leaves the same timeline (assigned at +5 s, connected at
 * +12 s, ...) as a minute of real time would, rather than every step stamped at once.
 * A refused step (a tenant with no agents) ends the run where the call got to.
 * `updated_at` is `nowIso` when anything was applied.
 */
export function runAutoplay(
  call: Call,
  internal: CallInternal,
  nowIso: string,
  ctx: Omit<LifecycleContext, 'now'>,
): AutoplayRun {
  const now = Date.parse(nowIso);
  const run: AutoplayRun = { call, internal, applied: [] };
  for (let i = 0; i < MAX_STEPS_PER_RUN; i++) {
    const step = nextAutoplayStep(run.call, run.internal);
    if (!step || Date.parse(step.dueAt) > now) break;
    const outcome = applyEvent(run.call, run.internal, step.event, {
      now: step.dueAt,
      directory: ctx.directory,
      nextParticipantId: () => ctx.nextParticipantId(),
      nextTransferId: () => ctx.nextTransferId(),
    });
    if (!outcome.ok) break;
    run.call = outcome.call;
    run.internal = outcome.internal;
    run.applied.push(step);
  }
  // Each step keeps its own time in the timestamps and events; updated_at says when the
  // change was made, so a client polling updated_at[from] does not miss a late replay.
  if (run.applied.length > 0) run.call.updated_at = nowIso;
  return run;
}

/**
 * A `scheduled` call whose time has come, queued like an inbound call. It joins the queue
 * at `scheduled_at` (or `nowIso`, if that is earlier or unknown), so a clock jumped past
 * the time leaves a true timeline; `updated_at` is `nowIso`, so pollers of
 * `updated_at[from]` see the change. Any other call is returned unchanged.
 */
export function queueScheduledCall(call: Call, nowIso: string): Call {
  if (call.status !== 'scheduled') return call;
  const next = structuredClone(call);
  const due = next.scheduled_at;
  const at = due !== null && Date.parse(due) <= Date.parse(nowIso) ? due : nowIso;
  next.status = 'queued';
  next.queued_at = at;
  next.offer_type = 'cascade';
  next.offer_events = [{ casting_time: at, group: 'Group 1' }];
  recordEvent(next, 'queued', at, next.menu_path?.name ?? 'scheduled time reached');
  next.updated_at = nowIso;
  return next;
}

/**
 * When the call entered its current stage: the later of the stage's own timestamp and
 * the last event recorded on it (a resume, a transfer answered). updated_at stands in only
 * for a call with neither, since other writes (customer flags) touch it without moving
 * the call on.
 */
function stageStart(call: Call, stageTimestamp: string | null): string {
  const marks = [stageTimestamp, call.events.at(-1)?.at ?? null].filter(
    (v): v is string => v !== null,
  );
  if (marks.length === 0) return call.updated_at ?? call.created_at;
  return marks.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
}
