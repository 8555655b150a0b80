import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LiveEventType } from '../../contract/live.ts';
import type { FeedEvent, FeedEventInput, FeedSince, LiveStore } from './live-store.ts';

// The live feed's state in its own SQLite file beside the emulator's (live.sqlite): its
// writes then never move the emulator connection's total_changes(), which the call
// store's list caches key on, and the file can be dropped without touching any call.

export interface SqliteLiveStoreOptions {
  /** How many feed events are kept for Last-Event-ID resume. */
  historyLimit?: number;
  /** How many webhook event ids are remembered for deduplication. */
  dedupeLimit?: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS feed_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS feed_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  type TEXT NOT NULL,
  call_id INTEGER,
  agent_email TEXT,
  data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS webhook_event_ids (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS feed_cursors (name TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

interface EventRow {
  id: number;
  type: string;
  call_id: number | null;
  agent_email: string | null;
  data: string;
}

/** Prunes run once per this many writes, not on every one. */
const PRUNE_EVERY = 256;

export class SqliteLiveStore implements LiveStore {
  readonly epoch: string;
  private readonly db: Database.Database;
  private readonly s;
  private readonly historyLimit: number;
  private readonly dedupeLimit: number;
  private writesSincePrune = 0;

  static open(dataDir: string, options: SqliteLiveStoreOptions = {}): SqliteLiveStore {
    mkdirSync(dataDir, { recursive: true });
    return new SqliteLiveStore(join(dataDir, 'live.sqlite'), options);
  }

  constructor(file: string, options: SqliteLiveStoreOptions = {}) {
    this.historyLimit = options.historyLimit ?? 5000;
    this.dedupeLimit = options.dedupeLimit ?? 100_000;
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    const meta = this.db.prepare<[string], { value: string }>(
      'SELECT value FROM feed_meta WHERE key = ?',
    );
    let epoch = meta.get('epoch')?.value;
    if (!epoch) {
      // A short random name: it travels in every event id.
      epoch = randomUUID().slice(0, 8);
      this.db.prepare('INSERT INTO feed_meta (key, value) VALUES (?, ?)').run('epoch', epoch);
    }
    this.epoch = epoch;
    this.s = {
      insert: this.db.prepare<[string, number | null, string | null, string]>(
        'INSERT INTO feed_events (type, call_id, agent_email, data) VALUES (?, ?, ?, ?)',
      ),
      since: this.db.prepare<[number, number], EventRow>(
        'SELECT id, type, call_id, agent_email, data FROM feed_events WHERE id > ? ORDER BY id LIMIT ?',
      ),
      bounds: this.db.prepare<[], { oldest: number | null }>(
        'SELECT MIN(id) AS oldest FROM feed_events',
      ),
      // The newest id ever given, even once its event is pruned.
      latest: this.db.prepare<[], { seq: number | null }>(
        "SELECT seq FROM sqlite_sequence WHERE name = 'feed_events'",
      ),
      pruneEvents: this.db.prepare<[number]>('DELETE FROM feed_events WHERE id <= ?'),
      claim: this.db.prepare<[string]>(
        'INSERT OR IGNORE INTO webhook_event_ids (event_id) VALUES (?)',
      ),
      latestClaim: this.db.prepare<[], { seq: number | null }>(
        "SELECT seq FROM sqlite_sequence WHERE name = 'webhook_event_ids'",
      ),
      pruneClaims: this.db.prepare<[number]>('DELETE FROM webhook_event_ids WHERE seq <= ?'),
      getCursor: this.db.prepare<[string], { value: string }>(
        'SELECT value FROM feed_cursors WHERE name = ?',
      ),
      setCursor: this.db.prepare<[string, string]>(
        `INSERT INTO feed_cursors (name, value) VALUES (?, ?)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
      ),
    };
  }

  private readonly appendAll = (events: FeedEventInput[]): FeedEvent[] =>
    this.db.transaction(() =>
      events.map((event) => {
        const info = this.s.insert.run(
          event.type,
          event.callId ?? null,
          event.agentEmail ?? null,
          event.data,
        );
        return { ...event, id: Number(info.lastInsertRowid) };
      }),
    )();

  async append(events: FeedEventInput[]): Promise<FeedEvent[]> {
    if (events.length === 0) return [];
    const stored = this.appendAll(events);
    this.maybePrune(events.length);
    return stored;
  }

  async since(afterId: number, limit: number): Promise<FeedSince> {
    const latest = this.latestSync();
    if (!Number.isSafeInteger(afterId) || afterId < 0 || afterId > latest) {
      return { events: [], complete: false };
    }
    if (afterId === latest) return { events: [], complete: true };
    const oldest = this.s.bounds.get()?.oldest ?? null;
    // Ids are never reused, so nothing is missing when the next id is still kept.
    if (oldest === null || afterId + 1 < oldest) return { events: [], complete: false };
    const rows = this.s.since.all(afterId, limit + 1);
    if (rows.length > limit) return { events: [], complete: false };
    return { events: rows.map(toEvent), complete: true };
  }

  async latestId(): Promise<number> {
    return this.latestSync();
  }

  private latestSync(): number {
    return this.s.latest.get()?.seq ?? 0;
  }

  private readonly claimAll = (ids: string[]): string[] =>
    this.db.transaction(() => ids.filter((id) => this.s.claim.run(id).changes === 1))();

  async claimEventIds(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const fresh = this.claimAll(ids);
    this.maybePrune(fresh.length);
    return fresh;
  }

  async getCursor(name: string): Promise<string | null> {
    return this.s.getCursor.get(name)?.value ?? null;
  }

  async setCursor(name: string, value: string): Promise<void> {
    this.s.setCursor.run(name, value);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private maybePrune(writes: number): void {
    this.writesSincePrune += writes;
    if (this.writesSincePrune < PRUNE_EVERY) return;
    this.writesSincePrune = 0;
    this.prune();
  }

  /** Drops the events and event ids beyond the bounds (also run by tests directly). */
  prune(): void {
    const latestEvent = this.latestSync();
    if (latestEvent > this.historyLimit) this.s.pruneEvents.run(latestEvent - this.historyLimit);
    const latestClaim = this.s.latestClaim.get()?.seq ?? 0;
    if (latestClaim > this.dedupeLimit) this.s.pruneClaims.run(latestClaim - this.dedupeLimit);
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
