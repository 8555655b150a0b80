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
  /**
   * Whether this server wants the lock now (the live feed's: while it has a desk). One that
   * does not lets it go at its next turn, and asks for it again only once it does.
   */
  wanted?: () => boolean;
  log?: { warn(details: object, message: string): void };
}

export interface Leadership {
  readonly leader: boolean;
  /** Takes a turn now rather than at the next tick (this server just came to want the lock). */
  nudge(): void;
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
    const wanted = options.wanted?.() ?? true;
    // Neither holding nor wanting it: nothing to ask the database.
    if (!leader && !wanted) return;
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
      if (leader && !wanted) {
        await client.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_CLASS, options.lock]);
        setLeader(false);
      } else if (leader) {
        // Still connected, so still holding it.
        await client.query('SELECT 1');
      } else if (wanted) {
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

  let nudged = false;
  const schedule = (delayMs = retryMs) => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      nudged = false;
      turn = once().finally(() => schedule());
    }, delayMs);
    timer.unref();
  };
  turn = once().finally(() => schedule());

  return {
    get leader() {
      return leader;
    },
    nudge() {
      if (closed || nudged) return;
      nudged = true;
      // After the turn under way, if any.
      void turn.then(() => schedule(0));
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
