import pg from 'pg';
import { LOCK_CLASS, type Postgres } from './postgres.ts';

// One server at a time does a job for all of them (the tenant poller): whichever holds a
// PostgreSQL advisory lock. A session-level lock lives as long as the connection that took
// it, so when the holder dies (kill -9, a crash, a lost network) the database drops its
// connection and the lock with it, and another server, asking every `retryMs`, takes over.

export interface LeadershipOptions {
  /** The second key of the lock (LOCKS in postgres.ts). */
  lock: number;
  /** How often a server that does not hold the lock asks for it, and the holder checks it still does. */
  retryMs?: number;
  /** Called when this server takes the lock (true) or loses it (false). */
  onChange: (leader: boolean) => void;
  log?: { warn(details: object, message: string): void };
}

export interface Leadership {
  readonly leader: boolean;
  /** Lets the lock go (the server is closing): another server takes over at once. */
  close(): Promise<void>;
}

export function holdLeadership(db: Postgres, options: LeadershipOptions): Leadership {
  const retryMs = options.retryMs ?? 1000;
  let client: pg.Client | undefined;
  let leader = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let turn: Promise<void> = Promise.resolve();

  const setLeader = (value: boolean) => {
    if (leader === value) return;
    leader = value;
    options.onChange(value);
  };

  const drop = (error?: unknown) => {
    if (error) options.log?.warn({ err: error }, 'leadership: the database connection was lost');
    const old = client;
    client = undefined;
    setLeader(false);
    old?.end().catch(() => {});
  };

  const once = async () => {
    if (closed) return;
    try {
      if (!client) {
        const fresh = new pg.Client({ ...db.clientConfig, keepAlive: true });
        // A connection that breaks between two turns: the next turn finds out.
        fresh.on('error', (error) => {
          if (client === fresh) drop(error);
        });
        await fresh.connect();
        if (closed) {
          await fresh.end();
          return;
        }
        client = fresh;
      }
      if (leader) {
        // Still connected, so still holding it.
        await client.query('SELECT 1');
      } else {
        const { rows } = await client.query<{ ok: boolean }>(
          'SELECT pg_try_advisory_lock($1, $2) AS ok',
          [LOCK_CLASS, options.lock],
        );
        if (rows[0]?.ok && !closed) setLeader(true);
      }
    } catch (error) {
      drop(error);
    }
  };

  const schedule = () => {
    if (closed) return;
    timer = setTimeout(() => {
      turn = once().finally(schedule);
    }, retryMs);
    timer.unref();
  };
  turn = once().finally(schedule);

  return {
    get leader() {
      return leader;
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      await turn;
      const last = client;
      client = undefined;
      if (leader && last) {
        await last
          .query('SELECT pg_advisory_unlock($1, $2)', [LOCK_CLASS, options.lock])
          .catch(() => {});
      }
      setLeader(false);
      await last?.end().catch(() => {});
    },
  };
}
