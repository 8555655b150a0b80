import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/server/app.ts';
import { createCall } from '../src/server/calls/create-call.ts';
import { configDefaults } from '../src/server/config.ts';
import type { Services } from '../src/server/services.ts';
import { BENCH_AUTH, BODIES, mulberry32, type ScenarioName } from './scenarios.ts';

// `npm run bench:create`: what one POST /calls costs, by call type and by stage, in CPU
// time of this one process (process.cpuUsage: the figure a busy machine moves least).
// The server is built in-process on a fresh data directory and given the benchmark's own
// bodies (bench/scenarios.ts); creates go 8 at a time, as the group commit sees them under
// load. Stages, each measured alone over the same bodies:
//   validate  the contract's checks and the plan (createCall), no database
//   persist   what the group commit runs per create: the end user's contact (inbound and
//             scheduled), building the call, the INSERT, its share of the commit
//   request   the whole create through Fastify (inject: routing, hooks, auth, the JSON
//             parser, the route, serialising): what is left is the HTTP layer's
// BENCH_CREATE_N (creates per stage and type, default 4000), BENCH_CREATE_ROUNDS (default
// 5; the table shows the median round).

const N = Number(process.env.BENCH_CREATE_N ?? 4000);
const ROUNDS = Number(process.env.BENCH_CREATE_ROUNDS ?? 5);
const TYPES: ScenarioName[] = [
  'POST /calls inbound',
  'POST /calls outbound',
  'POST /calls scheduled',
];
const BATCH = 8;

function cpuUs(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-create-'));
const app = await buildApp({
  config: configDefaults({
    DATA_DIR: dataDir,
    RATE_LIMIT_PER_SECOND: 0,
    LOGIN_FAILURES_PER_ADDRESS: 0,
    LOGIN_FAILURES_PER_TENANT: 0,
    UPSTREAM_BUDGET_PER_SECOND: 0,
  }),
});
await app.ready();
const services = app.desk.emulator as Services;
const tenant = services.deskTenant;
const headers = {
  authorization: BENCH_AUTH,
  'content-type': 'application/json',
  host: 'localhost',
};

function bodiesOf(type: ScenarioName, round: number): Record<string, unknown>[] {
  const random = mulberry32(1000 * round + TYPES.indexOf(type));
  return Array.from({ length: N }, () => BODIES[type as keyof typeof BODIES](random));
}

/** µs of CPU per create for each stage, over one round of N bodies. */
async function measure(type: ScenarioName, round: number) {
  const bodies = bodiesOf(type, round);
  const plans = bodies.map((body) => {
    const outcome = createCall(body, {
      directory: tenant.directory,
      now: services.tenants.now(tenant),
      findCall: (id) => services.calls.get(tenant.id, id)?.call,
    });
    if (outcome.kind !== 'create') throw new Error(`${type}: ${JSON.stringify(outcome)}`);
    return outcome.plan;
  });

  let start = cpuUs();
  for (const body of bodies) {
    createCall(body, {
      directory: tenant.directory,
      now: services.tenants.now(tenant),
      findCall: (id) => services.calls.get(tenant.id, id)?.call,
    });
  }
  const validate = (cpuUs() - start) / N;

  start = cpuUs();
  for (let i = 0; i < N; i += BATCH) {
    await Promise.all(
      plans.slice(i, i + BATCH).map((plan) =>
        services.calls.groupCommit(() => {
          const endUser =
            plan.endUser === null
              ? null
              : 'byPhone' in plan.endUser
                ? services.tenants.contactForPhone(tenant, plan.endUser.byPhone)
                : plan.endUser;
          return services.calls.insert(tenant.id, (callId) =>
            plan.build({
              callId,
              endUser,
              nextParticipantId: () => services.calls.nextId('participant'),
            }),
          );
        }),
      ),
    );
  }
  const persist = (cpuUs() - start) / N;

  const payloads = bodies.map((b) => JSON.stringify(b));
  start = cpuUs();
  for (let i = 0; i < N; i += BATCH) {
    const answers = await Promise.all(
      payloads
        .slice(i, i + BATCH)
        .map((payload) =>
          app.inject({ method: 'POST', url: '/apps/api/v1/calls', headers, payload }),
        ),
    );
    for (const a of answers) if (a.statusCode !== 201) throw new Error(`${type}: ${a.body}`);
  }
  const request = (cpuUs() - start) / N;
  return { validate, persist, request };
}

process.stderr.write(
  `${cpus().length} CPUs, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}; ${N} creates per stage and type, ${ROUNDS} rounds\n`,
);
const results = new Map<
  ScenarioName,
  Array<{ validate: number; persist: number; request: number }>
>();
// A warm-up round first (the JIT), not counted; then the types in turn, round after round.
for (const type of TYPES) await measure(type, 0);
for (let round = 1; round <= ROUNDS; round++) {
  for (const type of TYPES) {
    const list = results.get(type) ?? [];
    list.push(await measure(type, round));
    results.set(type, list);
  }
}
await app.close();
rmSync(dataDir, { recursive: true, force: true });

const outbound = median(results.get('POST /calls outbound')!.map((r) => r.request));
console.log(
  '\n| type | validate µs | persist µs | whole request µs | HTTP layer µs | vs outbound |',
);
console.log('|---|---:|---:|---:|---:|---:|');
for (const type of TYPES) {
  const rows = results.get(type)!;
  const v = median(rows.map((r) => r.validate));
  const p = median(rows.map((r) => r.persist));
  const r = median(rows.map((r) => r.request));
  console.log(
    `| ${type.replace('POST /calls ', '')} | ${v.toFixed(1)} | ${p.toFixed(1)} | ${r.toFixed(1)} | ${(r - v - p).toFixed(1)} | ${(r / outbound).toFixed(2)}× |`,
  );
}
process.stderr.write(
  `load average after ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}\n`,
);
