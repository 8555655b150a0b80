import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.ts';

// A PostgreSQL cluster of the test's own: Debian's server binaries (`apt-get install -y
// postgresql`), a data directory in a temporary directory, one loopback port, trust auth
// (nothing but this machine reaches it), removed when stopped. PostgreSQL refuses to run as
// root, so as root the cluster runs as a system user of its own, created the first time.

const TEST_SYSTEM_USER = 'switchboard-test';
const ROLE = 'switchboard';

export interface PostgresCluster {
  port: number;
  /** The maintenance database's URL (the one to create test databases from). */
  adminUrl: string;
  /** A fresh, empty database; answers its URL. */
  createDatabase(name?: string): Promise<string>;
  dropDatabase(url: string): Promise<void>;
  /** Stops the server (a fast shutdown) and removes its files. */
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** A fixed port (the browser tests'); a free one by default. */
  port?: number;
  /**
   * Keep fsync and synchronous commits on, as a production server has them (benchmarks).
   * Tests turn them off: their clusters are thrown away, and the disk is shared.
   */
  durable?: boolean;
}

/** Where Debian (or the PATH) keeps `initdb` and `postgres`. */
function postgresBinDir(): string {
  const fromEnv = process.env.POSTGRES_BIN_DIR;
  if (fromEnv) return fromEnv;
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => existsSync(join(debian, v, 'bin', 'postgres')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(debian, versions[0], 'bin');
  }
  try {
    const found = execFileSync('sh', ['-c', 'command -v postgres'], { encoding: 'utf8' }).trim();
    if (found) return dirname(realpathSync(found));
  } catch {
    // not on the PATH either
  }
  throw new Error(
    'PostgreSQL is not installed: the tests start a cluster of their own with its server ' +
      'binaries (apt-get install -y postgresql, or POSTGRES_BIN_DIR=/path/to/bin)',
  );
}

interface RunAs {
  uid: number;
  gid: number;
}

function userIds(): RunAs | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', TEST_SYSTEM_USER], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', TEST_SYSTEM_USER], { encoding: 'utf8' }));
    return { uid, gid };
  } catch {
    return undefined;
  }
}

/** As root, the unprivileged user PostgreSQL runs as (created if missing); else nobody. */
function runAs(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const existing = userIds();
  if (existing) return existing;
  try {
    execFileSync(
      'useradd',
      [
        '--system',
        '--no-create-home',
        '--home-dir',
        '/nonexistent',
        '--shell',
        '/usr/sbin/nologin',
        TEST_SYSTEM_USER,
      ],
      { stdio: 'pipe' },
    );
  } catch (error) {
    // Another test run may have created it at the same moment.
    if (!userIds()) throw error;
  }
  return userIds()!;
}

function run(
  command: string,
  args: string[],
  as: RunAs | undefined,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], ...as });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${command} failed (${code}): ${output}`)),
    );
  });
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function startPostgresCluster(options: ClusterOptions = {}): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  const as = runAs();
  const base = mkdtempSync(join(tmpdir(), 'switchboard-pg-'));
  if (as) chownSync(base, as.uid, as.gid);
  const dataDir = join(base, 'data');
  // The server's own environment: nothing of the caller's PG* variables.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    HOME: base,
  };
  try {
    await run(
      join(bin, 'initdb'),
      [
        '--pgdata',
        dataDir,
        '--username',
        ROLE,
        '--auth',
        'trust',
        '--encoding',
        'UTF8',
        '--locale',
        'C.UTF-8',
        '--no-sync',
        '--no-instructions',
      ],
      as,
      env,
    );
  } catch (error) {
    rmSync(base, { recursive: true, force: true });
    throw error;
  }

  const port = options.port ?? (await freePort());
  const settings = [
    'listen_addresses=127.0.0.1',
    `port=${port}`,
    `unix_socket_directories=${base}`,
    'max_connections=200',
    'shared_buffers=32MB',
    'log_min_messages=warning',
    ...(options.durable ? [] : ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off']),
  ];
  const server = spawn(
    join(bin, 'postgres'),
    ['-D', dataDir, ...settings.flatMap((s) => ['-c', s])],
    { env, stdio: ['ignore', 'ignore', 'pipe'], ...as },
  );
  let log = '';
  server.stderr.on('data', (d) => {
    log = (log + d).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const adminUrl = `postgres://${ROLE}@127.0.0.1:${port}/postgres`;

  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      // SIGINT is PostgreSQL's fast shutdown: it ends the sessions still open and exits.
      server.kill('SIGINT');
      const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(base, { recursive: true, force: true });
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null) {
      rmSync(base, { recursive: true, force: true });
      throw new Error(`PostgreSQL did not start: ${log}`);
    }
    const client = new pg.Client({ connectionString: adminUrl });
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      break;
    } catch (error) {
      await client.end().catch(() => {});
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`PostgreSQL did not accept connections:\n${log}`, { cause: error });
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  return {
    port,
    adminUrl,
    createDatabase: (name) => createDatabaseAt(adminUrl, name),
    dropDatabase: (url) => dropDatabaseAt(adminUrl, url),
    stop,
  };
}

/** A fresh database on a running cluster, given its maintenance URL (from another process). */
export async function createDatabaseAt(adminUrl: string, name?: string): Promise<string> {
  const dbName = name ?? `t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${quoteIdent(dbName)}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  return url.href;
}

export async function dropDatabaseAt(adminUrl: string, url: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const name = new URL(url).pathname.slice(1);
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
