import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openHeadlessDesks, type HeadlessDesks } from './live-clients.ts';
import { signIn, deskHeaders } from '../src/server/test/sign-in.ts';
import { openPostgres, type Postgres } from '../src/server/db/postgres.ts';
import { DESK_POSTGRES_MIGRATIONS } from '../src/server/desk/store/postgres/desk-schema.ts';
import { startPostgresCluster, type PostgresCluster } from '../src/server/test/postgres-cluster.ts';
import { LOCK_CLASS, LOCKS } from '../src/server/db/postgres.ts';
import { freePort } from '../src/server/test/free-port.ts';
import { startTenantFleet } from '../src/server/test/tenant-pair.ts';
import { startTestServer } from '../src/server/test/test-server.ts';
import { UpstreamBudget } from '../src/server/upstream/budget.ts';
import { postgresWindow } from '../src/server/upstream/postgres-window.ts';
import type { Upstream } from '../src/server/upstream/upstream.ts';

// `npm run bench:multi`: what several desk servers sharing one PostgreSQL cost. Figures and
// ratios, not pass/fail (docs/performance.md says how to read them). PostgreSQL runs as a
// production server would here: fsync and synchronous commits on.
//
// Environment: BENCH_SECTIONS (comma list of budget,desk,live,failover; default all),
// BENCH_BUDGET_REQUESTS (per series, default 3000), BENCH_DESK_REQUESTS (default 1000),
// BENCH_LIVE_DESKS (desks held, comma list, default 200,1000), BENCH_LIVE_CHANGES (changes
// timed at each, default 40), BENCH_FAILOVERS (kill -9 of the polling server, default 3).
// The live and failover sections run the built server (npm run build).

const env = process.env;
const SECTIONS = (env.BENCH_SECTIONS ?? 'budget,desk,live,failover').split(',');
const LIVE_DESKS = (env.BENCH_LIVE_DESKS ?? '200,1000').split(',').map(Number);
const LIVE_CHANGES = Number(env.BENCH_LIVE_CHANGES ?? 40);
const FAILOVERS = Number(env.BENCH_FAILOVERS ?? 3);
const BUDGET_REQUESTS = Number(env.BENCH_BUDGET_REQUESTS ?? 3000);
const DESK_REQUESTS = Number(env.BENCH_DESK_REQUESTS ?? 1000);

const log = (line: string) => process.stderr.write(`${line}\n`);

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return { n: sorted.length, mean, p50: at(50), p90: at(90), p99: at(99) };
}

const ms = (value: number) => `${value.toFixed(3)} ms`;
const row = (name: string, s: ReturnType<typeof summary>) =>
  log(
    `  ${name.padEnd(58)} p50 ${ms(s.p50).padStart(10)}  p90 ${ms(s.p90).padStart(10)}  p99 ${ms(s.p99).padStart(10)}  (n=${s.n})`,
  );

async function timeEach(count: number, one: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await one();
    samples.push(performance.now() - start);
  }
  return samples;
}

/** A tenant that answers at once: what is timed is the budget alone. */
const instant: Upstream = {
  description: 'instant',
  request: async () => ({ status: 200, headers: {}, body: Buffer.alloc(0) }),
};

async function budgetSection(cluster: PostgresCluster, results: Record<string, unknown>) {
  log('\nThe budget: what one upstream request pays to take its slot');
  const url = await cluster.createDatabase('bench_budget');
  const servers: Postgres[] = [];
  for (let i = 0; i < 2; i++) {
    servers.push(await openPostgres({ url, migrationsDir: DESK_POSTGRES_MIGRATIONS }));
  }
  // A window of 1 ms holding at most 8: every take is granted and the row holds what a real
  // window does (a few timestamps), so what is timed is the statement, not a wait.
  const windowMs = 1;
  const get = { method: 'GET' as const, path: '/x', priority: 'agent' as const };

  const local = new UpstreamBudget(instant, { perSecond: 1_000_000 });
  await timeEach(2000, () => local.request(get));
  const localSamples = await timeEach(BUDGET_REQUESTS, () => local.request(get));
  row('in memory (one server), through the budget', summary(localSamples));

  const window = postgresWindow(servers[0]!, 'bench', windowMs);
  await timeEach(500, () => window.take(8));
  const takeSamples = await timeEach(BUDGET_REQUESTS, () => window.take(8));
  row('shared: one take (one statement, one row lock)', summary(takeSamples));

  // What UNLOGGED saves: the same table and function, written to the WAL (and fsynced at
  // every commit, as synchronous_commit asks).
  const logged = readFileSync(join(DESK_POSTGRES_MIGRATIONS, '002-budget.sql'), 'utf8')
    .replaceAll('upstream_budget', 'bench_logged_budget')
    .replace('CREATE UNLOGGED TABLE', 'CREATE TABLE');
  await servers[0]!.pool.query(logged);
  const takeLogged = () =>
    servers[0]!.pool.query('SELECT bench_logged_budget_take($1, $2, $3)', ['bench', 8, windowMs]);
  await timeEach(200, takeLogged);
  const loggedSamples = await timeEach(BUDGET_REQUESTS, takeLogged);
  row('shared: one take, were the table logged (WAL, fsync)', summary(loggedSamples));

  const shared = new UpstreamBudget(instant, {
    perSecond: 8,
    windowMs,
    shared: postgresWindow(servers[0]!, 'bench-budget', windowMs),
  });
  await timeEach(200, () => shared.request(get));
  const sharedSamples = await timeEach(BUDGET_REQUESTS, () => shared.request(get));
  row('shared, through the budget, one server', summary(sharedSamples));

  // Two servers taking slots of the same window at once: they queue on its row.
  const both = await Promise.all(
    servers.map((db) => {
      const budget = new UpstreamBudget(instant, {
        perSecond: 8,
        windowMs,
        shared: postgresWindow(db, 'bench-both', windowMs),
      });
      return timeEach(BUDGET_REQUESTS, () => budget.request(get));
    }),
  );
  const bothSamples = both.flat();
  row('shared, through the budget, two servers at once', summary(bothSamples));

  results.budget = {
    local: summary(localSamples),
    take: summary(takeSamples),
    takeLogged: summary(loggedSamples),
    shared: summary(sharedSamples),
    sharedTwoServers: summary(bothSamples),
  };
  for (const db of servers) await db.close();
  await cluster.dropDatabase(url);
}

async function deskSection(cluster: PostgresCluster, results: Record<string, unknown>) {
  log('\nA desk request through the fronting server (read one call), the tenant unthrottled');
  const out: Record<string, unknown> = {};
  for (const variant of ['sqlite', 'postgres'] as const) {
    const url = variant === 'postgres' ? await cluster.createDatabase(`bench_desk`) : undefined;
    const fleet = await startTenantFleet({
      tenant: { RATE_LIMIT_PER_SECOND: 0 },
      front: { UPSTREAM_BUDGET_PER_SECOND: 1000, ...(url ? { DATABASE_URL: url } : {}) },
    });
    try {
      const front = fleet.fronts[0]!;
      const { secret } = await signIn(front.baseUrl, 'agent@somedomain.com');
      const call = await fleet.tenant.request('POST', '/apps/api/v1/calls', {
        body: { call_type: 'Voice Inbound (API)', menu_id: 7, end_user_number: '+1 205 123 4567' },
      });
      const id = (call.body as { id: number }).id;
      const read = async () => {
        const response = await fetch(`${front.baseUrl}/desk/api/apps/api/v1/calls/${id}`, {
          headers: deskHeaders(secret),
        });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`desk answered ${response.status}`);
      };
      await timeEach(200, read);
      const samples = await timeEach(DESK_REQUESTS, read);
      const s = summary(samples);
      row(
        variant === 'sqlite'
          ? 'SQLite store, budget in memory (one server)'
          : 'PostgreSQL store, shared budget (each of several servers)',
        s,
      );
      out[variant] = s;
    } finally {
      await fleet.close();
      if (url) await cluster.dropDatabase(url);
    }
  }
  const sqlite = out.sqlite as ReturnType<typeof summary>;
  const postgres = out.postgres as ReturnType<typeof summary>;
  log(
    `  PostgreSQL / SQLite, p50: ${(postgres.p50 / sqlite.p50).toFixed(2)}x (+${ms(postgres.p50 - sqlite.p50)})`,
  );
  results.desk = out;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const inbound = {
  call_type: 'Voice Inbound (API)',
  menu_id: 7,
  end_user_number: '+1 205 123 4567',
};
const WEBHOOK = { user: 'platform', password: 'bench-webhook-secret' };

/**
 * Desks held and event → desk latency: one server on SQLite against two sharing PostgreSQL,
 * the desks split between them, the tenant's webhook at the first server only (so that
 * half the desks hear of each change through the other server).
 */
async function liveSection(cluster: PostgresCluster, results: Record<string, unknown>) {
  log("\nThe live feed: event (the call's updated_at) → desk, desks split over the servers");
  const out: Record<string, unknown> = {};
  for (const servers of [1, 2]) {
    const url = servers === 2 ? await cluster.createDatabase('bench_live') : undefined;
    const ports = await Promise.all(Array.from({ length: servers }, () => freePort()));
    const fleet = await startTenantFleet({
      fronts: servers,
      ports,
      tenant: {
        RATE_LIMIT_PER_SECOND: 0,
        EMULATOR_SESSION_EVENTS_URL: `http://127.0.0.1:${ports[0]}/webhooks/session-events`,
        EMULATOR_SESSION_EVENTS_USER: WEBHOOK.user,
        EMULATOR_SESSION_EVENTS_PASSWORD: WEBHOOK.password,
      },
      front: {
        UPSTREAM_BUDGET_PER_SECOND: 1000,
        SESSION_EVENTS_USER: WEBHOOK.user,
        SESSION_EVENTS_PASSWORD: WEBHOOK.password,
        ...(url ? { DATABASE_URL: url } : {}),
      },
    });
    try {
      const { secret } = await signIn(fleet.fronts[0]!.baseUrl, 'admin@somedomain.com');
      for (const count of LIVE_DESKS) {
        const sets: HeadlessDesks[] = [];
        for (const [i, front] of fleet.fronts.entries()) {
          const share = Math.floor(count / servers) + (i < count % servers ? 1 : 0);
          sets.push(
            await openHeadlessDesks({
              url: `${front.baseUrl}/desk/api/events`,
              count: share,
              headers: deskHeaders(secret),
              processes: 1,
            }),
          );
        }
        try {
          const held = (await Promise.all(sets.map((d) => d.connected()))).reduce((a, b) => a + b);
          // Settle: the first reads of the feed's reader, then nothing in flight.
          await sleep(1500);
          await Promise.all(sets.map((d) => d.takeLatencies()));
          for (let i = 0; i < LIVE_CHANGES; i++) {
            await fleet.tenant.request('POST', '/apps/api/v1/calls', { body: inbound });
            await sleep(100);
          }
          const expected = held * LIVE_CHANGES;
          const deadline = Date.now() + 30_000;
          const latencies: number[] = [];
          while (latencies.length < expected && Date.now() < deadline) {
            await sleep(250);
            for (const d of sets) latencies.push(...(await d.takeLatencies()));
          }
          const s = summary(latencies);
          row(
            `${servers === 1 ? 'one server (SQLite)' : 'two servers (PostgreSQL)'}, ${held} desks`,
            s,
          );
          out[`${servers}x${count}`] = { held, expected, received: latencies.length, ...s };
        } finally {
          for (const d of sets) await d.close();
        }
      }
    } finally {
      await fleet.close();
      if (url) await cluster.dropDatabase(url);
    }
  }
  results.live = out;
}

/**
 * Fail-over: two built servers as processes (no webhook: the poller is the feed's source,
 * looking every second), a desk on each; the one that reads the tenant is killed (SIGKILL)
 * while calls keep changing. Timed from the kill: the lock taken by the other, and the first
 * change made after the kill arriving at the other's desk.
 */
async function failoverSection(cluster: PostgresCluster, results: Record<string, unknown>) {
  log('\nFail-over: kill -9 the server that reads the tenant for the live feed');
  const url = await cluster.createDatabase('bench_failover');
  const ports = [await freePort(), await freePort()];
  const client = { id: 'bench-front', secret: 'bench-front-secret' };
  const tenant = await startTestServer({
    RATE_LIMIT_PER_SECOND: 0,
    DEV_IDP_CLIENTS: ports
      .map((port) => `${client.id}:${client.secret}:http://127.0.0.1:${port}/desk/auth/callback`)
      .join(','),
  });
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const dirs: string[] = [];
  const startDesk = async (port: number): Promise<ChildProcess> => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-failover-'));
    dirs.push(dir);
    const child = spawn(process.execPath, ['dist/server/main.js'], {
      stdio: 'ignore',
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dir,
        LOG_LEVEL: 'warn',
        DATABASE_URL: url,
        UPSTREAM_URL: tenant.baseUrl,
        UPSTREAM_SUBDOMAIN: 'somedomain',
        UPSTREAM_TOKEN: 'local-dev-token',
        UPSTREAM_ALLOW_HTTP: '1',
        UPSTREAM_BUDGET_PER_SECOND: '1000',
        OIDC_ISSUER: `${tenant.baseUrl}/dev-idp`,
        OIDC_CLIENT_ID: client.id,
        OIDC_CLIENT_SECRET: client.secret,
      },
    });
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the desk server on ${port} exited`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return child;
      await sleep(100);
    }
  };
  const readerPid = async () => {
    const { rows } = await admin.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted
         AND classid = $1 AND objid = $2`,
      [LOCK_CLASS >>> 0, LOCKS.liveFeed],
    );
    return rows[0]?.pid ?? null;
  };
  const children = await Promise.all(ports.map(startDesk));
  const runs: Array<{ lockMs: number; eventMs: number }> = [];
  try {
    const { secret } = await signIn(`http://127.0.0.1:${ports[0]}`, 'admin@somedomain.com');
    for (let run = 0; run < FAILOVERS; run++) {
      // Which is the reader: the server whose desk connected first (the other waits).
      const [first, second] = run % 2 ? [1, 0] : [0, 1];
      const desks: HeadlessDesks[] = [];
      desks.push(
        await openHeadlessDesks({
          url: `http://127.0.0.1:${ports[first!]}/desk/api/events`,
          count: 1,
          headers: deskHeaders(secret),
          processes: 1,
        }),
      );
      while ((await readerPid()) === null) await sleep(50);
      const oldReader = await readerPid();
      const survivor = await openHeadlessDesks({
        url: `http://127.0.0.1:${ports[second!]}/desk/api/events`,
        count: 1,
        headers: deskHeaders(secret),
        processes: 1,
      });
      desks.push(survivor);
      await sleep(1500);
      if ((await readerPid()) !== oldReader) throw new Error('the reader changed before the kill');
      await survivor.takeLatencies();
      const killedAt = Date.now();
      children[first!]!.kill('SIGKILL');
      let lockMs = Number.NaN;
      let eventMs = Number.NaN;
      // Calls keep changing, every 100 ms; the first event to reach the survivor's desk
      // about a change made after the kill ends the run.
      while (Number.isNaN(eventMs) && Date.now() - killedAt < 30_000) {
        await tenant.request('POST', '/apps/api/v1/calls', { body: inbound });
        const pid = await readerPid();
        if (Number.isNaN(lockMs) && pid !== null && pid !== oldReader)
          lockMs = Date.now() - killedAt;
        const arrived = await survivor.takeLatencies();
        for (const latency of arrived) {
          // latency = arrival − updated_at: the change was made after the kill if its
          // updated_at is, and it arrived at (now − latency + latency) ≈ now.
          const updatedAt = Date.now() - latency;
          if (updatedAt >= killedAt) eventMs = Date.now() - killedAt;
        }
        await sleep(100);
      }
      runs.push({ lockMs, eventMs });
      log(
        `  run ${run + 1}: the lock taken over after ${lockMs} ms, the first change after the kill at the other's desk after ${eventMs} ms`,
      );
      for (const d of desks) await d.close();
      children[first!] = await startDesk(ports[first!]!);
    }
  } finally {
    for (const child of children) child.kill('SIGKILL');
    await admin.end();
    await tenant.close();
    await cluster.dropDatabase(url);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
  results.failover = runs;
}

async function main() {
  log('Starting PostgreSQL (durable: fsync and synchronous commit on)...');
  const cluster = await startPostgresCluster({ durable: true });
  const results: Record<string, unknown> = {};
  try {
    if (SECTIONS.includes('budget')) await budgetSection(cluster, results);
    if (SECTIONS.includes('desk')) await deskSection(cluster, results);
    if (SECTIONS.includes('live')) await liveSection(cluster, results);
    if (SECTIONS.includes('failover')) await failoverSection(cluster, results);
  } finally {
    await cluster.stop();
  }
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}

await main();
