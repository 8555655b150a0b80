import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  CALL_STATUS_CHANGED,
  type SessionEvent,
  type SessionEventBatch,
} from '../../contract/live.ts';
import type { CallChange } from '../store/call-store.ts';

// The sending side of the platform's "external session events", so that tenant mode's
// push path runs end to end against the emulator: each change of a call's status becomes
// an event in an outbox (SQLite, so a restart loses nothing), and one delivery lane POSTs
// the outbox in batches, oldest first. A batch that fails is sent again, the same events
// with the same ids, after a growing pause, and nothing after it goes first: at least
// once, and in order (per call, and overall).

export interface SessionEventsSenderOptions {
  url: string;
  user?: string;
  password?: string;
  dataDir: string;
  /** Events per POST at most. */
  batchSize?: number;
  /** The first pause after a failure, and the longest. */
  retryInitialMs?: number;
  retryMaxMs?: number;
  /** How long one POST may take before it counts as failed. */
  timeoutMs?: number;
  log?: { warn(details: object, message: string): void };
}

export interface SessionEventsSenderStats {
  /** Events delivered (answered 2xx) since start. */
  delivered: number;
  /** POSTs that failed since start. */
  failures: number;
  /** Events waiting in the outbox. */
  pending: number;
}

/** The events a commit makes: one per call whose status it changed (a new call included). */
export function sessionEventsOf(changes: CallChange[], tenantId: number): SessionEvent[] {
  const events: SessionEvent[] = [];
  for (const change of changes) {
    if (change.kind === 'flags' || change.tenantId !== tenantId) continue;
    if (change.status === change.previousStatus) continue;
    events.push({
      event_id: randomUUID(),
      event_type: CALL_STATUS_CHANGED,
      occurred_at: change.updatedAt,
      call: { id: change.callId, status: change.status, updated_at: change.updatedAt },
    });
  }
  return events;
}

export class SessionEventsSender {
  private readonly db: Database.Database;
  private readonly s;
  private readonly authorization: string | undefined;
  private readonly counters = { delivered: 0, failures: 0 };
  private closed = false;
  private wake: (() => void) | null = null;
  private inFlight: AbortController | null = null;
  private readonly running: Promise<void>;

  constructor(private readonly options: SessionEventsSenderOptions) {
    mkdirSync(options.dataDir, { recursive: true });
    this.db = new Database(join(options.dataDir, 'session-events-outbox.sqlite'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, event TEXT NOT NULL)',
    );
    this.s = {
      insert: this.db.prepare<[string]>('INSERT INTO outbox (event) VALUES (?)'),
      head: this.db.prepare<[number], { seq: number; event: string }>(
        'SELECT seq, event FROM outbox ORDER BY seq LIMIT ?',
      ),
      done: this.db.prepare<[number]>('DELETE FROM outbox WHERE seq <= ?'),
      count: this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM outbox'),
    };
    if (options.user !== undefined || options.password !== undefined) {
      const pair = `${options.user ?? ''}:${options.password ?? ''}`;
      this.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
    }
    // Whatever a previous run left in the outbox goes first.
    this.running = this.deliverForever();
  }

  private readonly insertAll = (events: SessionEvent[]) =>
    this.db.transaction(() => {
      for (const event of events) this.s.insert.run(JSON.stringify(event));
    })();

  /** Puts events in the outbox, in order, and wakes the delivery lane. */
  enqueue(events: SessionEvent[]): void {
    if (this.closed || events.length === 0) return;
    this.insertAll(events);
    this.wake?.();
  }

  stats(): SessionEventsSenderStats {
    return { ...this.counters, pending: this.closed ? 0 : this.s.count.get()!.n };
  }

  /** Stops delivering (a POST under way is abandoned and sent again next time). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.inFlight?.abort();
    this.wake?.();
    await this.running;
    this.db.close();
  }

  private async deliverForever(): Promise<void> {
    const batchSize = this.options.batchSize ?? 100;
    const initial = this.options.retryInitialMs ?? 250;
    const max = this.options.retryMaxMs ?? 30_000;
    let failuresInARow = 0;
    while (!this.closed) {
      const rows = this.s.head.all(batchSize);
      if (rows.length === 0) {
        await this.sleep(null);
        continue;
      }
      const batch: SessionEventBatch = {
        count: rows.length,
        events: rows.map((r) => JSON.parse(r.event) as SessionEvent),
      };
      const error = await this.post(batch);
      if (this.closed) break;
      if (error === null) {
        this.s.done.run(rows.at(-1)!.seq);
        this.counters.delivered += rows.length;
        failuresInARow = 0;
        continue;
      }
      this.counters.failures += 1;
      failuresInARow += 1;
      // Exponential, with jitter so that many emulators do not retry in step.
      const pause = Math.min(max, initial * 2 ** Math.min(failuresInARow - 1, 20));
      const wait = Math.round(pause * (0.5 + Math.random() / 2));
      if (failuresInARow === 1 || failuresInARow % 10 === 0) {
        this.options.log?.warn(
          { url: this.options.url, error, failures: failuresInARow, retryInMs: wait },
          'session events not delivered; retrying',
        );
      }
      await this.sleep(wait);
    }
  }

  /** Null when the receiver took the batch (2xx), else why not. */
  private async post(batch: SessionEventBatch): Promise<string | null> {
    const controller = new AbortController();
    this.inFlight = controller;
    const timeout = setTimeout(() => controller.abort(), this.options.timeoutMs ?? 10_000);
    try {
      const response = await fetch(this.options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.authorization ? { authorization: this.authorization } : {}),
        },
        body: JSON.stringify(batch),
        redirect: 'error',
        signal: controller.signal,
      });
      await response.arrayBuffer().catch(() => undefined);
      return response.ok ? null : `HTTP ${response.status}`;
    } catch (error) {
      return (error as Error).message;
    } finally {
      clearTimeout(timeout);
      this.inFlight = null;
    }
  }

  /** Waits `ms` (or, for null, until an enqueue), or until close. */
  private sleep(ms: number | null): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | null = null;
      const done = () => {
        if (timer) clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      if (ms !== null) timer = setTimeout(done, ms);
      // A pause after a failure is not cut short by new events: only by close.
      this.wake = ms === null ? done : () => this.closed && done();
    });
  }
}
