import type { LiveEventType } from '../../contract/live.ts';

// What the live feed keeps between requests and across restarts, behind one small
// interface: the SQLite implementation is the default, and a shared database (issue 13)
// implements the same methods. Every method may be asynchronous for that reason; the
// callers never hold a transaction open across them.

export interface FeedEventInput {
  type: LiveEventType;
  /** The event's data as JSON text (serialised once, written to every client as it is). */
  data: string;
  /** The call it is about, if any: lets a subscriber decide what it may see. */
  callId?: number;
  /** The agent of that call, lower-cased, if any. */
  agentEmail?: string | null;
}

export interface FeedEvent extends FeedEventInput {
  id: number;
}

export interface FeedSince {
  /** The events after the id asked for, oldest first. */
  events: FeedEvent[];
  /**
   * False when the feed cannot say what happened after that id: it is older than the
   * history kept, newer than any event (another server's, or a store that was reset), or
   * more events followed than a client should replay. The client reads everything again.
   */
  complete: boolean;
}

export interface LiveStore {
  /**
   * Names this store's history: made once when the store is created, so an id from another
   * history (a server whose data was wiped, another server) is never taken for one of ours.
   */
  readonly epoch: string;
  /** Appends events in order and returns them with their ids (increasing, never reused). */
  append(events: FeedEventInput[]): Promise<FeedEvent[]>;
  /** The events after `afterId`, at most `limit`; `complete` false when more followed. */
  since(afterId: number, limit: number): Promise<FeedSince>;
  /** The newest event id (0 when there is none). */
  latestId(): Promise<number>;
  /**
   * Webhook deduplication: records the event ids not seen before and returns those (the
   * ones to act on), in the order given. Bounded: the oldest ids are forgotten first.
   */
  claimEventIds(ids: string[]): Promise<string[]>;
  /** A named cursor (the tenant poller's), or null before the first. */
  getCursor(name: string): Promise<string | null>;
  setCursor(name: string, value: string): Promise<void>;
  close(): void;
}
