import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signIn, deskHeaders } from '../src/server/test/sign-in.ts';
import { openPostgres, type Postgres } from '../src/server/db/postgres.ts';
import { DESK_POSTGRES_MIGRATIONS } from '../src/server/desk/store/postgres/desk-schema.ts';
import { startPostgresCluster, type PostgresCluster } from '../src/server/test/postgres-cluster.ts';
import { startTenantFleet } from '../src/server/test/tenant-pair.ts';
import { UpstreamBudget } from '../src/server/upstream/budget.ts';
import { postgresWindow } from '../src/server/upstream/postgres-window.ts';
import type { Upstream } from '../src/server/upstream/upstream.ts';

// `npm run bench:multi`: what several desk servers sharing one PostgreSQL cost. Figures and
// ratios, not pass/fail (docs/performance.md says how to read them). PostgreSQL runs as a
// production server would here: fsync and synchronous commits on.
//
// Environment: BENCH_SECTIONS (comma list of budget,desk; default all),
// BENCH_BUDGET_REQUESTS (per series, default 3000), BENCH_DESK_REQUESTS (default 1000).

const env = process.env;
const SECTIONS = (env.BENCH_SECTIONS ?? 'budget,desk').split(',');
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

async function main() {
  log('Starting PostgreSQL (durable: fsync and synchronous commit on)...');
  const cluster = await startPostgresCluster({ durable: true });
  const results: Record<string, unknown> = {};
  try {
    if (SECTIONS.includes('budget')) await budgetSection(cluster, results);
    if (SECTIONS.includes('desk')) await deskSection(cluster, results);
  } finally {
    await cluster.stop();
  }
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}

await main();
