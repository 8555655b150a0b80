import type { LiveEventType, SessionEvent } from '../../contract/live.ts';
import { LOCK_CLASS, LOCKS, type Postgres } from '../db/postgres.ts';
import type { FeedEvent, FeedEventInput, FeedSince, LiveStore } from './live-store.ts';

// The live feed's state in the PostgreSQL database the desk servers share (DATABASE_URL):
// the same LiveStore as SQLite's, plus what only several servers need: a notification with
// every append (each server then sends its desks what is new, whoever appended it), and
// the webhook's events handed over to the one server that reads the tenant.

/** Told with the newest id after every append: "the history grew". */
export const LIVE_CHANNEL = 'switchboard_live';
/** Told when webhook events wait for the server that reads the tenant. */
export const HANDED_OVER_CHANNEL = 'switchboard_live_handed_over';

export interface PostgresLiveStoreOptions {
  /** How many feed events are kept for Last-Event-ID resume. */
  historyLimit?: number;
  /** How many webhook event ids are remembered for deduplication. */
  dedupeLimit?: number;
}

interface EventRow {
  id: number;
  type: string;
  call_id: number | null;
  agent_email: string | null;
  data: string;
}

/** Prunes run once per this many writes (per server), not on every one. */
const PRUNE_EVERY = 256;
/** Handed-over events older than this are dropped unread: the poller's look covers them. */
const HANDED_OVER_MAX_AGE = '10 minutes';

export class PostgresLiveStore implements LiveStore {
  private writesSincePrune = 0;
  private readonly historyLimit: number;
  private readonly dedupeLimit: number;

  static async open(db: Postgres, options: PostgresLiveStoreOptions = {}) {
    const { rows } = await db.pool.query<{ value: string }>(
      "SELECT value FROM live_meta WHERE key = 'epoch'",
    );
    return new PostgresLiveStore(db, rows[0]!.value, options);
  }

  private constructor(
    private readonly db: Postgres,
    readonly epoch: string,
    options: PostgresLiveStoreOptions,
  ) {
    this.historyLimit = options.historyLimit ?? 5000;
    this.dedupeLimit = options.dedupeLimit ?? 100_000;
  }

  async append(events: FeedEventInput[]): Promise<FeedEvent[]> {
    if (events.length === 0) return [];
    const client = await this.db.pool.connect();
    let ids: number[];
    try {
      await client.query('BEGIN');
      // Appends one at a time across the servers: ids are then committed in the order they
      // are given, so a server that has sent its desks up to id N never finds a smaller id
      // committed later (it would be skipped). Events come at a desk's pace, not a disk's.
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, LOCKS.liveAppend]);
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO live_events (type, call_id, agent_email, data)
         SELECT type, call_id, agent_email, data
           FROM unnest($1::text[], $2::int8[], $3::text[], $4::text[])
                WITH ORDINALITY AS e(type, call_id, agent_email, data, n)
          ORDER BY n
         RETURNING id`,
        [
          events.map((e) => e.type),
          events.map((e) => e.callId ?? null),
          events.map((e) => e.agentEmail ?? null),
          events.map((e) => e.data),
        ],
      );
      ids = rows.map((r) => r.id).sort((a, b) => a - b);
      // Delivered at commit, to every server listening (this one too).
      await client.query('SELECT pg_notify($1, $2)', [LIVE_CHANNEL, String(ids.at(-1))]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
    await this.maybePrune(events.length);
    return events.map((event, i) => ({ ...event, id: ids[i]! }));
  }

  async since(afterId: number, limit: number): Promise<FeedSince> {
    if (!Number.isSafeInteger(afterId) || afterId < 0) return { events: [], complete: false };
    const { rows } = await this.db.pool.query<EventRow & { latest: number; oldest: number }>(
      `WITH bounds AS (
         SELECT COALESCE(MAX(id), 0) AS latest, MIN(id) AS oldest FROM live_events
       )
       SELECT b.latest, b.oldest, e.id, e.type, e.call_id, e.agent_email, e.data
         FROM bounds b
         LEFT JOIN LATERAL (
           SELECT * FROM live_events WHERE id > $1 ORDER BY id LIMIT $2
         ) e ON true`,
      [afterId, limit + 1],
    );
    const { latest, oldest } = rows[0]!;
    if (afterId > latest) return { events: [], complete: false };
    if (afterId === latest) return { events: [], complete: true };
    // Ids are never reused, so nothing is missing when the next id is still kept.
    if (oldest === null || afterId + 1 < oldest) return { events: [], complete: false };
    const events = rows.filter((r) => r.id !== null);
    if (events.length > limit) return { events: [], complete: false };
    return { events: events.map(toEvent), complete: true };
  }

  async latestId(): Promise<number> {
    const { rows } = await this.db.pool.query<{ latest: number }>(
      'SELECT COALESCE(MAX(id), 0) AS latest FROM live_events',
    );
    return rows[0]!.latest;
  }

  async claimEventIds(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const unique = [...new Set(ids)];
    // The unique key decides: of two servers given the same event at once, one inserts it.
    const { rows } = await this.db.pool.query<{ event_id: string }>(
      `INSERT INTO live_webhook_event_ids (event_id)
       SELECT id FROM unnest($1::text[]) WITH ORDINALITY AS i(id, n) ORDER BY n
       ON CONFLICT (event_id) DO NOTHING
       RETURNING event_id`,
      [unique],
    );
    const fresh = new Set(rows.map((r) => r.event_id));
    await this.maybePrune(fresh.size);
    return unique.filter((id) => fresh.has(id));
  }

  async getCursor(name: string): Promise<string | null> {
    const { rows } = await this.db.pool.query<{ value: string }>(
      'SELECT value FROM live_cursors WHERE name = $1',
      [name],
    );
    return rows[0]?.value ?? null;
  }

  async setCursor(name: string, value: string): Promise<void> {
    await this.db.pool.query(
      `INSERT INTO live_cursors (name, value) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
      [name, value],
    );
  }

  /** Webhook events for the server that reads the tenant, whichever server received them. */
  async handOver(events: SessionEvent[]): Promise<void> {
    if (events.length === 0) return;
    const client = await this.db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        'INSERT INTO live_handed_over (event) SELECT event FROM unnest($1::jsonb[]) WITH ORDINALITY AS e(event, n) ORDER BY n',
        [events.map((e) => JSON.stringify(e))],
      );
      // A nudge, never the events themselves: a notification holds under 8,000 bytes.
      await client.query('SELECT pg_notify($1, $2)', [HANDED_OVER_CHANNEL, '']);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Takes the handed-over events, oldest first, at most `limit`: each is taken by one server
   * once (a server that dies after taking them loses them; the poller's next look covers it).
   */
  async takeHandedOver(limit = 500): Promise<SessionEvent[]> {
    const { rows } = await this.db.pool.query<{ event: SessionEvent }>(
      `WITH taken AS (
         DELETE FROM live_handed_over
          WHERE id IN (SELECT id FROM live_handed_over ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING id, event, received_at
       )
       SELECT event FROM taken WHERE received_at > now() - $2::interval ORDER BY id`,
      [limit, HANDED_OVER_MAX_AGE],
    );
    return rows.map((r) => r.event);
  }

  /**
   * Drops what was handed over so far: a server that starts reading the tenant looks from
   * the shared cursor, which covers every change those events were about.
   */
  async discardHandedOver(): Promise<void> {
    await this.db.pool.query('DELETE FROM live_handed_over');
  }

  /** The pool is the server's, closed with it. */
  close(): void {}

  private async maybePrune(writes: number): Promise<void> {
    this.writesSincePrune += writes;
    if (this.writesSincePrune < PRUNE_EVERY) return;
    this.writesSincePrune = 0;
    await this.prune();
  }

  /** Drops the events and event ids beyond the bounds (also run by tests directly). */
  async prune(): Promise<void> {
    await this.db.pool.query(
      'DELETE FROM live_events WHERE id <= (SELECT MAX(id) FROM live_events) - $1',
      [this.historyLimit],
    );
    await this.db.pool.query(
      'DELETE FROM live_webhook_event_ids WHERE seq <= (SELECT MAX(seq) FROM live_webhook_event_ids) - $1',
      [this.dedupeLimit],
    );
    await this.db.pool.query(
      'DELETE FROM live_handed_over WHERE received_at < now() - $1::interval',
      [HANDED_OVER_MAX_AGE],
    );
  }
}

function toEvent(row: EventRow): FeedEvent {
  return {
    id: row.id,
    type: row.type as LiveEventType,
    data: row.data,
    ...(row.call_id === null ? {} : { callId: row.call_id }),
    agentEmail: row.agent_email,
  };
}
