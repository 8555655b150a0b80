import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadJob, LoadResult } from './load.ts';
import {
  API,
  BENCH_AUTH,
  BODIES,
  SCENARIOS,
  mulberry32,
  type Scenario,
  type ScenarioName,
} from './scenarios.ts';
import { freePort } from '../src/server/test/free-port.ts';

// `npm run bench`: the Call API under load, beside what a user would otherwise stand up as
// a local Call API (Prism mocking our OpenAPI document, WireMock with canned stubs).
// Figures, not pass/fail: see docs/performance.md for how to read them.
//
// Environment: BENCH_DURATION (s per run, default 6), BENCH_WARMUP (s, default 2),
// BENCH_CONNECTIONS (default 20), BENCH_SEED_CALLS (default 10000),
// BENCH_TARGETS (comma list of switchboard,prism,wiremock,floor; default all),
// BENCH_SCENARIOS (comma list of substrings of scenario names; default all),
// BENCH_REPEAT (runs of each; the table shows the median run, the JSON has them all).

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

const env = process.env;
const DURATION = Number(env.BENCH_DURATION ?? 6);
const WARMUP = Number(env.BENCH_WARMUP ?? 2);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 20);
const SEED_CALLS = Number(env.BENCH_SEED_CALLS ?? 10_000);
const TARGETS = (env.BENCH_TARGETS ?? 'switchboard,prism,wiremock,floor').split(',');
const ONLY = env.BENCH_SCENARIOS?.split(',').map((s) => s.trim().toLowerCase());
const JAVA = env.JAVA ?? '/usr/bin/java';
const REPEAT = Math.max(1, Number(env.BENCH_REPEAT ?? 1));

type Target = 'switchboard' | 'prism' | 'wiremock' | 'floor';

const children: ChildProcess[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));

function log(line: string) {
  process.stderr.write(`${line}\n`);
}

function start(name: string, command: string, args: string[], extraEnv: Record<string, string>) {
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // Keep only the tail: Prism logs every request.
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  children.push(child);
  return { child, output: () => output, name };
}

async function waitFor(
  proc: ReturnType<typeof start>,
  url: string,
  timeoutMs: number,
  headers: Record<string, string> = {},
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null) {
      throw new Error(`${proc.name} exited (${proc.child.exitCode}):\n${proc.output()}`);
    }
    try {
      const response = await fetch(url, { headers });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${proc.name} did not start:\n${proc.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stopAll() {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const force = setTimeout(() => child.kill('SIGKILL'), 5000);
          child.once('exit', () => {
            clearTimeout(force);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  rmSync(scratch, { recursive: true, force: true });
}

async function api(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; text: string; headers: Headers }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: BENCH_AUTH, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

/** 10,000 calls of all three types, created through the API itself (real rows). */
async function seed(baseUrl: string, count: number) {
  const random = mulberry32(42);
  const makers = Object.values(BODIES);
  let next = 0;
  const ids: number[] = [];
  const samples: Record<string, string> = {};
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const make = makers[i % makers.length]!;
      const response = await api(baseUrl, 'POST', `${API}/calls`, make(random));
      if (response.status !== 201) {
        throw new Error(`seeding: ${response.status} ${response.text}`);
      }
      const call = JSON.parse(response.text) as { id: number; call_type: string };
      ids.push(call.id);
      samples[call.call_type] ??= response.text;
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  ids.sort((a, b) => a - b);
  return { first: ids[0]!, last: ids.at(-1)!, samples };
}

/** CPU time (user + system, ms) a process has used so far; undefined where /proc is not. */
function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, fields 14 and 15 of stat(5), in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

type Measured = LoadResult & { serverCpuUsPerRequest?: number };

/**
 * One run of the load generator in its own process. The server's CPU time per request is
 * counted over the measured part: unlike req/s, it hardly moves when other work shares the
 * machine, so it is the figure to compare before and after a change.
 */
async function runLoad(job: LoadJob, serverPid?: number): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(root, 'bench/load.ts'), JSON.stringify(job)],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    let cpuAtStart: number | undefined;
    child.stdout.on('data', (d) => {
      out += d;
      if (cpuAtStart === undefined && out.includes('"phase":"measure"')) {
        cpuAtStart = cpuMs(serverPid);
      }
    });
    child.on('exit', (code) => {
      const cpuAtEnd = cpuMs(serverPid);
      if (code !== 0) return reject(new Error(`load generator exited with ${code}`));
      const result = JSON.parse(out.trim().split('\n').at(-1)!) as Measured;
      if (cpuAtStart !== undefined && cpuAtEnd !== undefined && result.requests > 0) {
        result.serverCpuUsPerRequest = ((cpuAtEnd - cpuAtStart) * 1000) / result.requests;
      }
      resolve(result);
    });
  });
}

interface Row {
  scenario: ScenarioName;
  target: Target;
  pass: 'peak' | 'half';
  rate?: number;
  result: Measured;
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [
    line(headers),
    `|${widths.map((w, i) => (i < 2 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

function report(rows: Row[]): string {
  const peak = (scenario: ScenarioName, target: Target) =>
    rows.find((r) => r.scenario === scenario && r.target === target && r.pass === 'peak');
  const ratio = (ours: Row | undefined, theirs: Row | undefined) =>
    ours && theirs && theirs.result.requestsPerSecond > 0
      ? `${fmt(ours.result.requestsPerSecond / theirs.result.requestsPerSecond, 2)}×`
      : '–';
  const peakRows = rows
    .filter((r) => r.pass === 'peak')
    .map((r) => [
      r.scenario,
      r.target,
      fmt(r.result.requestsPerSecond),
      fmt(r.result.latency.p50, 2),
      fmt(r.result.latency.p99, 2),
      fmt(r.result.unexpected),
      r.result.serverCpuUsPerRequest === undefined ? '–' : fmt(r.result.serverCpuUsPerRequest),
      fmt(r.result.loadCpuUsPerRequest),
      r.target === 'switchboard' ? ratio(r, peak(r.scenario, 'prism')) : '',
      r.target === 'switchboard' ? ratio(r, peak(r.scenario, 'wiremock')) : '',
      r.target === 'switchboard' ? ratio(r, peak(r.scenario, 'floor')) : '',
    ]);
  const halfRows = rows
    .filter((r) => r.pass === 'half')
    .map((r) => [
      r.scenario,
      r.target,
      fmt(r.rate ?? 0),
      fmt(r.result.requestsPerSecond),
      fmt(r.result.latency.p50, 2),
      fmt(r.result.latency.p99, 2),
      r.result.latency.p99 <= 5 ? 'yes' : 'no',
    ]);
  return [
    `Peak: ${CONNECTIONS} connections, ${DURATION} s per run after ${WARMUP} s of warm-up` +
      (REPEAT > 1 ? `; median of ${REPEAT} runs.` : '.'),
    '',
    table(
      [
        'scenario',
        'target',
        'req/s',
        'p50 ms',
        'p99 ms',
        'unexpected',
        'CPU µs/req',
        'load µs/req',
        'vs Prism',
        'vs WireMock',
        'vs floor',
      ],
      peakRows,
    ),
    '',
    'Half of our peak rate, requests evenly spaced (open loop), at most the same connections;',
    'the floor at the same rate is the control for what the machine itself adds:',
    '',
    table(['scenario', 'target', 'rate', 'req/s', 'p50 ms', 'p99 ms', 'p99 ≤ 5 ms'], halfRows),
  ].join('\n');
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim();
  } catch {
    return 'unknown';
  }
}

async function main() {
  const scenarios = SCENARIOS.filter(
    (s) => !ONLY || ONLY.some((o) => s.name.toLowerCase().includes(o)),
  );
  // GETs first, so that the lists and reads see exactly the seeded calls.
  scenarios.sort((a, b) => (a.method === b.method ? 0 : a.method === 'GET' ? -1 : 1));
  const loadBefore = loadavg();

  // --- our server, as its own process
  const dataDir = join(scratch, 'data');
  const port = await freePort();
  // The server as it ships (npm start runs the same bundle; `npm run bench` builds it).
  const switchboard = start(
    'switchboard',
    process.execPath,
    ['--enable-source-maps', join(root, 'dist', 'server', 'main.js')],
    {
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      RATE_LIMIT_PER_SECOND: '0',
      LOG_LEVEL: 'warn',
      EMULATOR_AUTOPLAY: '0',
    },
  );
  const ourUrl = `http://127.0.0.1:${port}`;
  await waitFor(switchboard, `${ourUrl}/healthz`, 30_000);
  log(`switchboard on ${ourUrl}; seeding ${fmt(SEED_CALLS)} calls through the API…`);
  const seeded = Date.now();
  const { first, last, samples } = await seed(ourUrl, SEED_CALLS);
  log(`  seeded ids ${first}–${last} in ${fmt((Date.now() - seeded) / 1000, 1)} s`);
  const ids = { first, count: last - first + 1 };

  const urls: Partial<Record<Target, string>> = { switchboard: ourUrl };
  const pids: Partial<Record<Target, number>> = { switchboard: switchboard.child.pid };
  const notes: string[] = [];

  // --- Prism, mocking the OpenAPI document our server publishes
  if (TARGETS.includes('prism')) {
    const doc = await fetch(`${ourUrl}${API}/openapi.json`).then((r) => r.text());
    const docPath = join(scratch, 'openapi.json');
    writeFileSync(docPath, doc);
    const pkg = require.resolve('@stoplight/prism-cli/package.json');
    const bin = (require(pkg) as { bin: Record<string, string> }).bin.prism!;
    const prismPort = await freePort();
    const prism = start(
      'prism',
      process.execPath,
      [join(dirname(pkg), bin), 'mock', '-h', '127.0.0.1', '-p', String(prismPort), docPath],
      {},
    );
    urls.prism = `http://127.0.0.1:${prismPort}`;
    pids.prism = prism.child.pid;
    await waitFor(prism, `${urls.prism}${API}/calls/1`, 60_000, { authorization: BENCH_AUTH });
    log(`prism on ${urls.prism}`);
  }

  // --- WireMock, the jar shipped in the wiremock npm package, with canned answers
  if (TARGETS.includes('wiremock')) {
    const buildDir = join(dirname(require.resolve('wiremock/package.json')), 'build');
    const jar = readdirSync(buildDir).find((f) => /^wiremock-standalone-.*\.jar$/.test(f));
    if (!existsSync(JAVA)) {
      notes.push(`WireMock skipped: no Java at ${JAVA}`);
    } else if (!jar) {
      notes.push(`WireMock skipped: no jar in ${buildDir}`);
    } else {
      const wmPort = await freePort();
      const wiremock = start(
        'wiremock',
        JAVA,
        [
          '-jar',
          join(buildDir, jar),
          '--port',
          String(wmPort),
          '--bind-address',
          '127.0.0.1',
          '--disable-banner',
          // Without this its request journal grows with every request of the run.
          '--no-request-journal',
        ],
        {},
      );
      urls.wiremock = `http://127.0.0.1:${wmPort}`;
      pids.wiremock = wiremock.child.pid;
      await waitFor(wiremock, `${urls.wiremock}/__admin/health`, 60_000);
      // The same bodies our server answers with, so both send as many bytes.
      const one = await api(ourUrl, 'GET', `${API}/calls/${first}`);
      const page = await api(ourUrl, 'GET', `${API}/calls?page=1`);
      const created = samples['Voice Inbound (API)'] ?? one.text;
      const stub = (request: object, status: number, body: string, headers = {}) =>
        fetch(`${urls.wiremock}/__admin/mappings`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            request,
            response: {
              status,
              body,
              headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
            },
          }),
        });
      await stub({ method: 'POST', urlPath: `${API}/calls` }, 201, created);
      await stub({ method: 'GET', urlPathPattern: `${API}/calls/[0-9]+` }, 200, one.text);
      await stub({ method: 'GET', urlPath: `${API}/calls` }, 200, page.text, {
        Total: page.headers.get('total'),
        'Per-Page': page.headers.get('per-page'),
        Link: page.headers.get('link'),
      });
      log(`wiremock on ${urls.wiremock}`);
    }
  }

  // --- the floor: bare Fastify answering the same bytes (see bench/floor-server.ts)
  if (TARGETS.includes('floor')) {
    const one = await api(ourUrl, 'GET', `${API}/calls/${first}`);
    const page = await api(ourUrl, 'GET', `${API}/calls?page=1`);
    const cannedPath = join(scratch, 'canned.json');
    writeFileSync(
      cannedPath,
      JSON.stringify({
        call: one.text,
        page: page.text,
        created: samples['Voice Inbound (API)'] ?? one.text,
      }),
    );
    const floorPort = await freePort();
    const floor = start(
      'floor',
      process.execPath,
      ['--import', 'tsx', join(root, 'bench/floor-server.ts')],
      { NODE_ENV: 'production', PORT: String(floorPort), CANNED: cannedPath },
    );
    urls.floor = `http://127.0.0.1:${floorPort}`;
    pids.floor = floor.child.pid;
    await waitFor(floor, `${urls.floor}${API}/calls/1`, 30_000);
    log(`floor (bare Fastify) on ${urls.floor}`);
  }

  // --- the runs
  const rows: Row[] = [];
  const job = (scenario: Scenario, url: string, paceRate?: number): LoadJob => ({
    url,
    scenario: scenario.name,
    connections: CONNECTIONS,
    durationSeconds: DURATION,
    warmupSeconds: WARMUP,
    ...(paceRate ? { paceRate } : {}),
    seed: 7,
    ids,
    expect: scenario.expect,
  });
  const median = (runs: Row[], by: (r: Row) => number) =>
    [...runs].sort((a, b) => by(a) - by(b))[Math.floor((runs.length - 1) / 2)]!;
  // One unrecorded round of every scenario on every target first. Without it the first
  // scenario measured paid for what came before it (the seeding, the JITs still compiling):
  // inbound, always first, came out 20–25 % dearer for us than when measured after the
  // others, and 2.8× outbound's figure for WireMock, which answers both with canned bytes.
  log('warming every target with every scenario (not recorded)…');
  for (const scenario of scenarios) {
    for (const target of ['switchboard', 'prism', 'wiremock', 'floor'] as const) {
      const url = urls[target];
      if (!url || !TARGETS.includes(target)) continue;
      const warm = { ...job(scenario, url), durationSeconds: 1 };
      if (target === 'wiremock') warm.warmupSeconds = Math.max(WARMUP, 5);
      await runLoad(warm);
    }
  }
  const allRuns: Row[] = [];
  for (const scenario of scenarios) {
    const peaks: Row[] = [];
    // Repetitions go round the targets, so a burst of other work on the machine falls on
    // one run of each rather than on every run of one target.
    for (let repeat = 0; repeat < REPEAT; repeat++) {
      for (const target of ['switchboard', 'prism', 'wiremock', 'floor'] as const) {
        const url = urls[target];
        if (!url || !TARGETS.includes(target)) continue;
        const run = job(scenario, url);
        // The JVM compiles its hot paths later than V8 does: give WireMock longer to warm up.
        if (target === 'wiremock') run.warmupSeconds = Math.max(WARMUP, 5);
        const result = await runLoad(run, pids[target]);
        peaks.push({ scenario: scenario.name, target, pass: 'peak', result });
        log(
          `  ${scenario.name.padEnd(22)} ${target.padEnd(11)} ${fmt(result.requestsPerSecond).padStart(7)} req/s  p50 ${fmt(result.latency.p50, 2)} ms  p99 ${fmt(result.latency.p99, 2)} ms  unexpected ${result.unexpected}  CPU ${fmt(result.serverCpuUsPerRequest ?? NaN)} µs/req`,
        );
      }
    }
    allRuns.push(...peaks);
    for (const target of ['switchboard', 'prism', 'wiremock', 'floor'] as const) {
      const runs = peaks.filter((r) => r.target === target);
      if (runs.length > 0) rows.push(median(runs, (r) => r.result.requestsPerSecond));
    }
    const ours = rows.find((r) => r.scenario === scenario.name && r.target === 'switchboard');
    if (ours) {
      const rate = Math.max(1, Math.floor(ours.result.requestsPerSecond / 2));
      const halves: Row[] = [];
      // The floor at the same rate is the control: what it shows above 5 ms is the machine
      // (the load generator, other work), not our server.
      const paced = (['switchboard', 'floor'] as const).filter(
        (t) => urls[t] && TARGETS.includes(t),
      );
      for (let repeat = 0; repeat < REPEAT; repeat++) {
        for (const target of paced) {
          const result = await runLoad(job(scenario, urls[target]!, rate), pids[target]);
          halves.push({ scenario: scenario.name, target, pass: 'half', rate, result });
          log(
            `  ${scenario.name.padEnd(22)} ${target.padEnd(11)} at ${fmt(rate)} req/s: p50 ${fmt(result.latency.p50, 2)} ms  p99 ${fmt(result.latency.p99, 2)} ms`,
          );
        }
      }
      allRuns.push(...halves);
      for (const target of paced) {
        rows.push(
          median(
            halves.filter((r) => r.target === target),
            (r) => r.result.latency.p99,
          ),
        );
      }
    }
  }

  const text = report(rows);
  process.stdout.write(`\n${text}\n${notes.map((n) => `\n${n}`).join('')}\n`);
  const cpu = cpus();
  const results = {
    at: new Date().toISOString(),
    commit: gitCommit(),
    node: process.version,
    machine: { cpus: cpu.length, model: cpu[0]?.model, loadBefore, loadAfter: loadavg() },
    settings: { DURATION, WARMUP, CONNECTIONS, SEED_CALLS, REPEAT, seededIds: { first, last } },
    notes,
    rows,
    allRuns,
  };
  const outDir = join(root, 'bench/results');
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `api-${results.at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  log(
    `\nload average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (${cpu.length} cores)`,
  );
  log(`results: ${file}`);
}

process.on('SIGINT', () => {
  void stopAll().then(() => process.exit(130));
});

try {
  await main();
} finally {
  await stopAll();
}
