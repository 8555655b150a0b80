import pg from 'pg';
import type { Postgres } from './postgres.ts';

// LISTEN/NOTIFY between the servers sharing one database: each server keeps one connection
// of its own that listens, and tells the others through any pooled connection. A
// notification is a nudge ("something new past id N"), never the data itself: a listener
// that was away (its connection broke) is told it reconnected, and reads what it missed.

export interface NotificationsOptions {
  channels: readonly string[];
  onNotify: (channel: string, payload: string) => void;
  /** The listening connection is (back) up: whatever was said meanwhile was not heard. */
  onListening?: () => void;
  log?: { warn(details: object, message: string): void };
}

export interface Notifications {
  /** Resolves once listening for the first time (or the server closed first). */
  ready: Promise<void>;
  notify(channel: string, payload: string): Promise<void>;
  close(): Promise<void>;
}

const MAX_BACKOFF_MS = 5000;

export function listen(db: Postgres, options: NotificationsOptions): Notifications {
  let client: pg.Client | undefined;
  let closed = false;
  let backoff = 100;
  let timer: NodeJS.Timeout | undefined;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const connect = async () => {
    if (closed) return;
    const fresh = new pg.Client({ ...db.clientConfig, keepAlive: true });
    const lost = (error?: unknown) => {
      if (client !== fresh) return;
      client = undefined;
      if (error)
        options.log?.warn({ err: error }, 'notifications: the database connection was lost');
      fresh.end().catch(() => {});
      retry();
    };
    fresh.on('error', lost);
    fresh.on('end', () => lost());
    fresh.on('notification', (message) => {
      options.onNotify(message.channel, message.payload ?? '');
    });
    try {
      await fresh.connect();
      for (const channel of options.channels) {
        await fresh.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      }
    } catch (error) {
      options.log?.warn({ err: error }, 'notifications: could not listen; trying again');
      await fresh.end().catch(() => {});
      retry();
      return;
    }
    if (closed) {
      await fresh.end().catch(() => {});
      return;
    }
    client = fresh;
    backoff = 100;
    markReady();
    options.onListening?.();
  };

  const retry = () => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => void connect(), backoff);
    timer.unref();
    backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
  };

  void connect();

  return {
    ready: Promise.race([
      ready,
      new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref()),
    ]),
    async notify(channel, payload) {
      await db.pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      markReady();
      const last = client;
      client = undefined;
      await last?.end().catch(() => {});
    },
  };
}
