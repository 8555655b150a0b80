import { z } from './zod.ts';

// The live feed: what the desk's server pushes to every desk over Server-Sent Events, and
// the session events a CCAI Platform tenant (or the emulator) POSTs to the desk's server.
// Plain constants first, so the desk can read the stream without loading zod.

/** The stream's path under the desk API. */
export const LIVE_EVENTS_PATH = '/events';

/**
 * On every answer of the desk API to a GET: the feed's newest event id when the answer was
 * sent. A desk that opens its stream with it as Last-Event-ID hears of every change made
 * after it read its data, and needs to read nothing again.
 */
export const FEED_POSITION_HEADER = 'x-switchboard-feed';

/**
 * The SSE event names. Every event has an `id:` the desk sends back as Last-Event-ID.
 * - `hello`: first on every connection: the server's clock and the newest id.
 * - `call`: a call as the desk API answers `GET /calls/:id` (the whole call object).
 * - `flags`: `{ id, flags }`, a call's customer flags as the desk API answers them.
 * - `directory`: the tenant's directory changed (agents, menus, settings): read it again.
 * - `clock`: `{ now }`, the tenant's clock moved (the emulator's control API).
 * - `resync`: the feed cannot say what was missed (a gap older than its history, a reset
 *   of the tenant): read what is on screen again, once.
 */
export type LiveEventType = 'hello' | 'call' | 'flags' | 'directory' | 'clock' | 'resync';

export interface LiveHello {
  /** The tenant's clock when the connection opened (UTC ISO with milliseconds). */
  now: string;
  /** The newest event id the server has (0 before the first). */
  last_id: number;
  /** Whether the events since the client's Last-Event-ID follow (false: a resync follows). */
  resumed: boolean;
}

export interface LiveFlags {
  id: number;
  flags: { verified_customer: boolean; bad_actor: boolean; repeat_customer: boolean };
}

export interface LiveClock {
  now: string;
}

export interface LiveResync {
  reason: 'history' | 'reset' | 'gap';
}

// ---------------------------------------------------------------------------------------
// Session events (TENANT-MODE.md, "External session events")
// ---------------------------------------------------------------------------------------

export const SESSION_EVENTS_PATH = '/webhooks/session-events';
export const CALL_STATUS_CHANGED = 'call.status_changed';

/** The most events one batch may carry, and the body size that allows. */
const MAX_SESSION_EVENTS_PER_BATCH = 1000;
export const SESSION_EVENTS_BODY_LIMIT = 1024 * 1024;

/**
 * One event. Readers are tolerant: unknown keys and unknown event types are kept out of
 * the way, not refused. What a receiver cannot do without is the `event_id` it
 * deduplicates on; a call event names its call.
 */
const SessionEventSchema = z.looseObject({
  event_id: z.string().min(1).max(200),
  event_type: z.string().min(1).max(200),
  occurred_at: z.string().max(100).optional(),
  call: z
    .looseObject({
      id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
      status: z.string().max(100).optional(),
      updated_at: z.string().max(100).optional(),
    })
    .optional(),
});
export type SessionEvent = z.output<typeof SessionEventSchema>;

export const SessionEventBatchSchema = z
  .looseObject({
    count: z.number().int().min(0),
    events: z.array(SessionEventSchema).max(MAX_SESSION_EVENTS_PER_BATCH),
  })
  // A count that disagrees with the events is a truncated or mangled delivery: refusing it
  // makes the sender try again, where accepting it would lose the missing events silently.
  .refine((batch) => batch.count === batch.events.length, {
    message: 'count does not match the events',
    path: ['count'],
  });
export type SessionEventBatch = z.output<typeof SessionEventBatchSchema>;

/** The answer of the receiver (2xx): how many events were new and how many repeated. */
export interface SessionEventsReceipt {
  accepted: number;
  duplicates: number;
}
