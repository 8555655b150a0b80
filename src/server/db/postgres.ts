import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { DESK_ERRORS } from '../../contract/desk.ts';
import { HttpError } from '../http/errors.ts';

// The desk server's state in PostgreSQL (DATABASE_URL), when several servers run behind a
// load balancer: one pool per server, the schema brought up to date at start-up by whichever
// server gets there first, the others waiting on the same advisory lock.

/** The first key of every advisory lock Switchboard takes ("SWBD"); the second says which. */
export const LOCK_CLASS = 0x53574244;
export const LOCKS = {
  migrations: 1,
  /** The server that does the background reads for all: the tenant poller, the agent check. */
  background: 2,
  /** The server that reads the tenant for the live feed: held only while it has desks. */
  liveFeed: 3,
  /** Taken by each append to the live feed's history, so that ids commit in order. */
  liveAppend: 4,
} as const;

// int8 (counts, ids, times in ms) as JS numbers: all ours fit in 2^53.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

// What says the database cannot be reached (rather than that a statement was wrong): the
// sockets' errors, the pool's own, and SQLSTATE classes 08 (connection), 57P0x (shutting
// down, starting up) and 53300 (no connection slot left).
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  '53300',
  '57P01',
  '57P02',
  '57P03',
]);
const UNREACHABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|connection error|Cannot use a pool after calling end/i;

function isUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || code.startsWith('08'))) {
    return true;
  }
  if (error instanceof AggregateError) return error.errors.some(isUnreachable);
  return UNREACHABLE_MESSAGES.test(error.message);
}

/**
 * The desk's answer while its database is away: 503, to try again shortly (nothing the
 * client sent was wrong, and nothing was kept).
 */
export function unavailable(error: unknown): unknown {
  return isUnreachable(error)
    ? new HttpError(503, DESK_ERRORS.stateUnavailable, { 'Retry-After': '5' })
    : error;
}

export interface PostgresOptions {
  url: string;
  /** Connections this server may hold (requests queue for one beyond that). */
  max?: number;
  /** Where the schema's migrations are, `NNN-name.sql`, applied in order once each. */
  migrationsDir: string;
  onError?: (error: Error) => void;
}

export interface Postgres {
  pool: pg.Pool;
  /** Connection settings for a client of its own (LISTEN, a session's advisory lock). */
  clientConfig: pg.ClientConfig;
  close(): Promise<void>;
}

export async function openPostgres({
  url,
  max = 10,
  migrationsDir,
  onError = () => {},
}: PostgresOptions): Promise<Postgres> {
  const clientConfig: pg.ClientConfig = {
    connectionString: url,
    types,
    // A database that does not answer fails the request, it does not hold it for ever.
    connectionTimeoutMillis: 5000,
    statement_timeout: 10_000,
    application_name: 'switchboard-desk',
  };
  const pool = new pg.Pool({ ...clientConfig, max, idleTimeoutMillis: 30_000 });
  // An idle connection that breaks (the database restarted) is dropped and reopened on
  // demand; without a listener it would take the process down.
  pool.on('error', onError);
  try {
    await migrate(pool, migrationsDir);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return { pool, clientConfig, close: () => pool.end() };
}

async function migrate(pool: pg.Pool, migrationsDir: string): Promise<void> {
  const files = readdirSync(migrationsDir)
    .filter((f) => /^\d+-.*\.sql$/.test(f))
    .sort();
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Servers starting together: one migrates, the others wait and then find it done.
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, LOCKS.migrations]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS switchboard_migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await client.query<{ version: number }>(
      'SELECT version FROM switchboard_migrations',
    );
    const applied = new Set(rows.map((r) => r.version));
    for (const file of files) {
      const version = Number.parseInt(file, 10);
      if (applied.has(version)) continue;
      await client.query(readFileSync(`${migrationsDir}/${file}`, 'utf8'));
      await client.query('INSERT INTO switchboard_migrations (version, name) VALUES ($1, $2)', [
        version,
        file,
      ]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
