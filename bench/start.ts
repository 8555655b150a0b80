import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// `npm run bench:start`: how long `npm start` takes until the server answers /healthz,
// - as on a fresh clone (dist/ removed: the desk and the server are built first),
// - on a restart (nothing is stale: both builds are skipped),
// - and, for comparison, the sources run through tsx (TypeScript compiled at run time, what
//   `npm start` did before the server was built).
// Each is run BENCH_START_RUNS times (default 5) on a fresh data directory; figures, not
// pass/fail. docs/performance.md ("Start-up") has the figures and how to read them.

const root = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.env.BENCH_START_RUNS ?? 5);

function log(line: string) {
  process.stderr.write(`${line}\n`);
}

/** Milliseconds from spawning `args` until /healthz answers 200; the process is stopped after. */
async function timeToHealthy(args: string[]): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-start-'));
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    let output = '';
    const origin = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        output += d;
        const match = /API:\s+(http:\/\/[^/\s]+)\//.exec(output);
        if (match) resolve(match[1]!);
      });
      child.on('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
    });
    for (;;) {
      const response = await fetch(`${origin}/healthz`).catch(() => undefined);
      if (response?.ok) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    return performance.now() - started;
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return `median ${Math.round(median)} ms (min ${Math.round(sorted[0]!)}, max ${Math.round(sorted.at(-1)!)}, ${values.length} runs)`;
}

const scenarios: Array<{ name: string; before?: () => void; args: string[] }> = [
  {
    name: 'first start (dist/ removed: builds the desk and the server)',
    before: () => rmSync(join(root, 'dist'), { recursive: true, force: true }),
    args: ['scripts/start.mjs'],
  },
  { name: 'restart (nothing stale)', args: ['scripts/start.mjs'] },
  {
    name: 'for comparison: tsx src/server/main.ts',
    args: ['--import', 'tsx', 'src/server/main.ts'],
  },
];

log(
  `${cpus().length} CPUs, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const results: Record<string, string> = {};
for (const scenario of scenarios) {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    scenario.before?.();
    times.push(await timeToHealthy(scenario.args));
  }
  results[scenario.name] = summary(times);
  log(`${scenario.name}: ${results[scenario.name]}`);
}
log(
  `load average after ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(JSON.stringify(results, null, 2));
