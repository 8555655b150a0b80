import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { startCountingProxy } from './counting-proxy.ts';
import { freePort } from '../src/server/test/free-port.ts';
import { openHeadlessDesks, type HeadlessDesks } from './live-clients.ts';
import { deskSecret, deskSession } from './live-session.ts';
import { fixtureApi, spawnLocalServer } from './fixture-api.ts';

// `npm run bench:live`: the live feed (issue 10). Figures, not pass/fail; docs/performance.md
// ("Live") says how to read them.
//
// 1. Event → client: the emulator's event (its call's updated_at) to its arrival at each of
//    1, 100, 1,000 and 5,000 headless desks (one SSE connection each, their own sockets).
// 2. Server memory per connected desk (RSS before and after connecting them) and CPU at
//    1,000 desks, idle and while calls change at 5/s.
// 3. The tenant's load: an emulator as the tenant, a counting proxy, and a second server
//    fronting it through the proxy (its webhook fed by the emulator's session events);
//    requests per second the proxy sees while calls change at 5/s, with 1 desk and 1,000.
// 4. Event → pixels: one real Chromium desk on a call's page; from the event's updated_at
//    to the frame after the page shows the new status.
//
// Environment: BENCH_LIVE_COUNTS (default 1,100,1000,5000), BENCH_LIVE_EVENTS (events per
// count, default 50), BENCH_LIVE_RATE (changes per second, default 5), BENCH_LIVE_TENANT_S
// (seconds of the tenant-load run, default 20), BENCH_LIVE_PIXELS (Chromium runs, default 30),
// BENCH_LIVE_PARTS (which of clients,cpu,pixels,tenant to run; default all).

const root = fileURLToPath(new URL('..', import.meta.url));
const env = process.env;
const COUNTS = (env.BENCH_LIVE_COUNTS ?? '1,100,1000,5000').split(',').map(Number);
const EVENTS = Number(env.BENCH_LIVE_EVENTS ?? 50);
const RATE = Number(env.BENCH_LIVE_RATE ?? 5);
const TENANT_SECONDS = Number(env.BENCH_LIVE_TENANT_S ?? 20);
const PIXEL_RUNS = Number(env.BENCH_LIVE_PIXELS ?? 30);
const PARTS = new Set((env.BENCH_LIVE_PARTS ?? 'clients,cpu,pixels,tenant').split(','));
const BUDGET = 8;
const WEBHOOK_USER = 'bench-platform';
const WEBHOOK_PASSWORD = 'bench-webhook-secret';

const children: ChildProcess[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'switchboard-bench-live-'));

function log(line: string) {
  process.stderr.write(`${line}\n`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(values: number[], p: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Server {
  origin: string;
  child: ChildProcess;
}

async function startServer(name: string, extra: Record<string, string>): Promise<Server> {
  const port = Number(extra.PORT ?? (await freePort()));
  const dataDir = join(scratch, name);
  mkdirSync(dataDir, { recursive: true });
  const { origin, child } = await spawnLocalServer(
    name,
    ['--import', 'tsx', 'src/server/main.ts'],
    { ...extra, PORT: String(port), DATA_DIR: dataDir },
  );
  children.push(child);
  return { origin, child };
}

/** The server process's resident memory (kB) and CPU time so far (ms), from /proc. */
function processFigures(pid: number): { rssKb: number; cpuMs: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
  return { rssKb, cpuMs: (ticks * 1000) / 100 };
}

/** CPU of the process over `ms`, as % of one core. */
async function cpuOver(pid: number, ms: number, during: () => Promise<unknown> = () => sleep(ms)) {
  const before = processFigures(pid).cpuMs;
  const started = performance.now();
  await during();
  const elapsed = performance.now() - started;
  return Math.round(((processFigures(pid).cpuMs - before) / elapsed) * 1000) / 10;
}

/**
 * Calls move on at `rate` changes per second: each change is one control API event on one
 * of `calls` calls (assign, connect, finish, and a new call in its place).
 */
async function changeCalls(origin: string, count: number, rate: number): Promise<void> {
  const live: Array<{ id: number; step: number }> = [];
  const steps = ['assign', 'connect', 'finish'] as const;
  const newCall = async () => {
    const call = await fixtureApi(origin, 'POST', '/apps/api/v1/calls', {
      call_type: 'Voice Inbound (API)',
      menu_id: 7,
      end_user_number: '+1 205 123 4567',
    });
    live.push({ id: call!.id as number, step: 0 });
  };
  while (live.length < 5) await newCall();
  const interval = 1000 / rate;
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const call = live[i % live.length]!;
    if (call.step < steps.length) {
      await fixtureApi(origin, 'POST', `/emulator/calls/${call.id}/events`, {
        type: steps[call.step++],
      });
    } else {
      live.splice(i % live.length, 1);
      await newCall();
    }
  }
}

interface ClientFigures {
  desks: number;
  events: number;
  received: number;
  p50: number;
  p99: number;
  max: number;
  rssPerDeskKb: number | null;
}

async function eventToClient(server: Server, cookie: Record<string, string>) {
  const figures: ClientFigures[] = [];
  const pid = server.child.pid!;
  for (const count of COUNTS) {
    const base = processFigures(pid).rssKb;
    const desks = await openHeadlessDesks({
      url: `${server.origin}/desk/api/events`,
      count,
      headers: cookie,
      concurrency: 200,
    });
    await sleep(1000);
    // Below a thousand desks the garbage collector's own swings are larger than the desks.
    const rssPerDeskKb =
      count >= 1000 ? Math.round(((processFigures(pid).rssKb - base) / count) * 10) / 10 : null;
    await desks.takeLatencies();
    await changeCalls(server.origin, EVENTS, RATE);
    await sleep(1500);
    const latencies = await desks.takeLatencies();
    figures.push({
      desks: count,
      events: EVENTS,
      received: latencies.length,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies.reduce((a, b) => Math.max(a, b), 0),
      rssPerDeskKb,
    });
    log(`  ${count} desks: p50 ${figures.at(-1)!.p50} ms, p99 ${figures.at(-1)!.p99} ms`);
    await desks.close();
    await sleep(1000);
  }
  return figures;
}

async function cpuAtThousand(server: Server, cookie: Record<string, string>) {
  const desks = await openHeadlessDesks({
    url: `${server.origin}/desk/api/events`,
    count: 1000,
    headers: cookie,
    concurrency: 200,
  });
  await sleep(1000);
  const pid = server.child.pid!;
  const idle = await cpuOver(pid, 10_000);
  const busy = await cpuOver(pid, 10_000, () => changeCalls(server.origin, 10 * RATE, RATE));
  await desks.close();
  return { idlePercentOfCore: idle, busyPercentOfCore: busy };
}

async function tenantLoad() {
  const emulatorPort = await freePort();
  const frontPort = await freePort();
  const proxy = await startCountingProxy(`http://127.0.0.1:${emulatorPort}`);
  const front = `http://127.0.0.1:${frontPort}`;
  const frontClientId = 'bench-front';
  const frontSecret = 'bench-front-secret';
  const emulator = await startServer('tenant', {
    PORT: String(emulatorPort),
    EMULATOR_SESSION_EVENTS_URL: `${front}/webhooks/session-events`,
    EMULATOR_SESSION_EVENTS_USER: WEBHOOK_USER,
    EMULATOR_SESSION_EVENTS_PASSWORD: WEBHOOK_PASSWORD,
    DEV_IDP_CLIENTS: `${frontClientId}:${frontSecret}:${front}/desk/auth/callback`,
  });
  const fronting = await startServer('front', {
    PORT: String(frontPort),
    UPSTREAM_URL: proxy.url,
    UPSTREAM_ALLOW_HTTP: '1',
    UPSTREAM_SUBDOMAIN: 'somedomain',
    UPSTREAM_TOKEN: 'local-dev-token',
    UPSTREAM_BUDGET_PER_SECOND: String(BUDGET),
    OIDC_ISSUER: `${emulator.origin}/dev-idp`,
    OIDC_CLIENT_ID: frontClientId,
    OIDC_CLIENT_SECRET: frontSecret,
    SESSION_EVENTS_USER: WEBHOOK_USER,
    SESSION_EVENTS_PASSWORD: WEBHOOK_PASSWORD,
  });
  const cookie = await deskSession(fronting.origin);
  const runs: Array<{
    desks: number;
    perSecond: number[];
    mean: number;
    max: number;
    p50: number;
    p99: number;
    byRoute: Record<string, number>;
  }> = [];
  for (const count of [1, 1000]) {
    const desks: HeadlessDesks = await openHeadlessDesks({
      url: `${fronting.origin}/desk/api/events`,
      count,
      headers: cookie,
      concurrency: 200,
    });
    await sleep(3000);
    await desks.takeLatencies();
    proxy.reset();
    await changeCalls(emulator.origin, TENANT_SECONDS * RATE, RATE);
    await sleep(2000);
    const perSecond = proxy.perSecond();
    const latencies = await desks.takeLatencies();
    runs.push({
      desks: count,
      perSecond,
      mean: Math.round((perSecond.reduce((a, b) => a + b, 0) / perSecond.length) * 100) / 100,
      max: perSecond.reduce((a, b) => Math.max(a, b), 0),
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      byRoute: proxy.byRoute(),
    });
    log(`  ${count} desks: upstream mean ${runs.at(-1)!.mean}/s, max ${runs.at(-1)!.max}/s`);
    await desks.close();
    await sleep(1000);
  }
  await proxy.close();
  emulator.child.kill('SIGTERM');
  fronting.child.kill('SIGTERM');
  return runs;
}

async function eventToPixels(server: Server) {
  const browser = await chromium.launch({
    executablePath: env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext();
  await context.addCookies([
    {
      name: '__Host-switchboard-session',
      value: await deskSecret(server.origin),
      domain: new URL(server.origin).hostname,
      path: '/',
      secure: true,
      httpOnly: true,
      sameSite: 'None',
    },
  ]);
  const page = await context.newPage();
  const samples: number[] = [];
  for (let run = 0; run < PIXEL_RUNS; run++) {
    const call = await fixtureApi(server.origin, 'POST', '/apps/api/v1/calls', {
      call_type: 'Voice Inbound (API)',
      menu_id: 7,
      end_user_number: '+1 205 123 4567',
    });
    await page.goto(`${server.origin}/calls/${call!.id}`);
    await page.getByText('Queued', { exact: true }).first().waitFor();
    // The page is settled and the stream is up: watch for the new status in the page.
    await page.getByRole('status').filter({ hasText: 'Up to date' }).waitFor();
    // A string, not a function: tsx would name the function's helpers, which the page lacks.
    const seen = page.evaluate<number>(`new Promise((resolve) => {
      const check = () => {
        if (!document.querySelector('main')?.innerText.includes('Assigned')) return false;
        requestAnimationFrame(() => resolve(Date.now()));
        return true;
      };
      if (check()) return;
      const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    })`);
    const answer = await fixtureApi(server.origin, 'POST', `/emulator/calls/${call!.id}/events`, {
      type: 'assign',
    });
    samples.push((await seen) - Date.parse(answer!.updated_at as string));
  }
  await browser.close();
  return { runs: samples.length, p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

async function main() {
  log(
    `bench:live on ${cpus().length} cores, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const server = await startServer('emulator', {});
  const cookie = await deskSession(server.origin);
  log('event → client');
  const clients = PARTS.has('clients') ? await eventToClient(server, cookie) : [];
  log('CPU at 1,000 desks');
  const cpu = PARTS.has('cpu')
    ? await cpuAtThousand(server, cookie)
    : { idlePercentOfCore: Number.NaN, busyPercentOfCore: Number.NaN };
  log('event → pixels');
  const pixels = PARTS.has('pixels')
    ? await eventToPixels(server)
    : { runs: 0, p50: Number.NaN, p95: Number.NaN };
  server.child.kill('SIGTERM');
  log('tenant load through the counting proxy');
  const tenant = PARTS.has('tenant') ? await tenantLoad() : [];

  const result = { at: new Date().toISOString(), load: loadavg(), clients, cpu, pixels, tenant };
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  const file = join(root, 'bench', 'results', `live-${result.at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2));

  console.log('\nEvent → client (headless desks, emulator mode)');
  console.log(
    '| desks | events per desk | arrivals | p50 ms | p99 ms | max ms | server RSS per desk |',
  );
  console.log(
    '| ----: | --------------: | -------: | -----: | -----: | -----: | ------------------: |',
  );
  for (const f of clients) {
    console.log(
      `| ${f.desks} | ${Math.round(f.received / f.desks)} | ${f.received} | ${f.p50} | ${f.p99} | ${f.max} | ${f.rssPerDeskKb === null ? '—' : `${f.rssPerDeskKb} KB`} |`,
    );
  }
  console.log(
    `\nCPU at 1,000 desks: idle ${cpu.idlePercentOfCore} %, busy (${RATE}/s) ${cpu.busyPercentOfCore} % of one core`,
  );
  console.log(
    `Event → pixels (Chromium, ${pixels.runs} runs): p50 ${pixels.p50} ms, p95 ${pixels.p95} ms`,
  );
  console.log(`\nTenant load at ${RATE} changes/s (budget ${BUDGET}/s)`);
  console.log(
    '| desks | upstream mean /s | upstream max /s | ratio to budget | event → desk p50 | p99 |',
  );
  console.log(
    '| ----: | ---------------: | --------------: | --------------: | ---------------: | --: |',
  );
  for (const t of tenant) {
    console.log(
      `| ${t.desks} | ${t.mean} | ${t.max} | ${(t.max / BUDGET).toFixed(2)} | ${t.p50} ms | ${t.p99} ms |`,
    );
  }
  if (tenant.length === 2) {
    console.log(
      `\nUpstream ratio, 1,000 desks / 1 desk: ${(tenant[1]!.mean / tenant[0]!.mean).toFixed(2)}`,
    );
  }
  console.log(`\n(${file})`);
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    rmSync(scratch, { recursive: true, force: true });
  });
