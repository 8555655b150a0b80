import autocannon from 'autocannon';
import { Agent, request as httpRequest } from 'node:http';
import {
  BENCH_AUTH,
  mulberry32,
  nextRequest,
  type RequestShape,
  type ScenarioName,
} from './scenarios.ts';

// The load generator: one run against one target, in its own process so that it never
// shares the measured server's event loop. Started by bench/api.ts with a JSON job as its
// argument; prints the result as one JSON line on stdout.
//
// Peak runs use autocannon (closed loop: each connection sends its next request as soon as
// the last one is answered). Runs at a fixed rate use the paced generator below instead:
// autocannon's overallRate lets every connection send as fast as it can until its quota for
// the current second is used up, then pauses until the next second, so "half the rate" is
// full load for half of each second, and its latencies are those of full load.

export interface LoadJob {
  url: string;
  scenario: ScenarioName;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** Requests per second, evenly spaced (open loop); none = as fast as it answers. */
  paceRate?: number;
  seed: number;
  ids: { first: number; count: number };
  expect: number;
}

export interface LoadResult {
  requests: number;
  durationSeconds: number;
  requestsPerSecond: number;
  /** Latencies in ms measured per response (sub-millisecond resolution). */
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
  /**
   * CPU time (user + system) this load generator spent per request over the measured run:
   * the share of the machine's cores that the load itself takes from the server.
   */
  loadCpuUsPerRequest: number;
  /** autocannon's own histogram (whole milliseconds), for peak runs. */
  autocannonLatency?: { p50: number; p99: number; max: number };
  statusCodes: Record<string, number>;
  /** Responses with another status than expected, plus socket errors and timeouts. */
  unexpected: number;
  errors: number;
  timeouts: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function run(job: LoadJob, seconds: number, record: boolean) {
  const random = mulberry32(job.seed);
  const latencies: number[] = [];
  const instance = autocannon({
    url: job.url,
    connections: job.connections,
    duration: seconds,
    headers: { authorization: BENCH_AUTH, 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (request) => {
          const next: RequestShape = nextRequest(job.scenario, random, job.ids);
          return { ...request, ...next };
        },
      },
    ],
  });
  if (record) {
    (instance as unknown as NodeJS.EventEmitter).on(
      'response',
      (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
        latencies.push(responseTime);
      },
    );
  }
  const result = await instance;
  return { result, latencies };
}

/**
 * An open-loop generator: requests leave at evenly spaced moments whatever the server's
 * pace, over at most `connections` keep-alive sockets. A request's latency runs from the
 * moment it was due to its last byte, so time spent waiting for a free socket (the server
 * falling behind) counts, as it would for a client.
 */
async function paced(job: LoadJob, seconds: number, record: boolean) {
  const random = mulberry32(job.seed);
  const agent = new Agent({ keepAlive: true, maxSockets: job.connections });
  const url = new URL(job.url);
  const rate = job.paceRate!;
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  let inFlight = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  let sent = 0;
  let finished: () => void = () => {};
  const done = new Promise<void>((resolve) => (finished = resolve));
  let stopped = false;
  const fire = (due: number) => {
    const next = nextRequest(job.scenario, random, job.ids);
    inFlight++;
    const req = httpRequest(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: next.method,
        path: next.path,
        headers: {
          authorization: BENCH_AUTH,
          ...(next.body === undefined
            ? {}
            : {
                'content-type': 'application/json',
                'content-length': Buffer.byteLength(next.body),
              }),
        },
      },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => {
          if (record) latencies.push(performance.now() - due);
          statusCodes[res.statusCode!] = (statusCodes[res.statusCode!] ?? 0) + 1;
          if (--inFlight === 0 && stopped) finished();
        });
      },
    );
    req.on('error', () => {
      errors++;
      if (--inFlight === 0 && stopped) finished();
    });
    req.end(next.body);
  };
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      // Every request whose moment has come leaves now.
      while (sent < rate * seconds && start + (sent * 1000) / rate <= now) {
        fire(start + (sent * 1000) / rate);
        sent++;
      }
      if (now >= end || sent >= rate * seconds) return resolve();
      setTimeout(tick, Math.max(0, start + (sent * 1000) / rate - performance.now()));
    };
    tick();
  });
  stopped = true;
  if (inFlight > 0) await done;
  const duration = (performance.now() - start) / 1000;
  agent.destroy();
  return { latencies, statusCodes, errors, duration };
}

async function main() {
  const job = JSON.parse(process.argv[2] ?? '') as LoadJob;
  const go = job.paceRate ? paced : run;
  if (job.warmupSeconds > 0) await go({ ...job, seed: job.seed + 1 }, job.warmupSeconds, false);
  // Tells bench/api.ts to start counting the server's CPU time.
  process.stdout.write(`${JSON.stringify({ phase: 'measure' })}\n`);
  const cpuAtStart = process.cpuUsage();
  let latencies: number[];
  let statusCodes: Record<string, number>;
  let duration: number;
  let errors: number;
  let timeouts = 0;
  let autocannonLatency: LoadResult['autocannonLatency'];
  if (job.paceRate) {
    ({ latencies, statusCodes, errors, duration } = await paced(job, job.durationSeconds, true));
  } else {
    const outcome = await run(job, job.durationSeconds, true);
    const result = outcome.result;
    latencies = outcome.latencies;
    statusCodes = Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]),
    );
    duration = result.duration;
    errors = result.errors;
    timeouts = result.timeouts;
    autocannonLatency = {
      p50: result.latency.p50,
      p99: result.latency.p99,
      max: result.latency.max,
    };
  }
  const cpu = process.cpuUsage(cpuAtStart);
  const sorted = Float64Array.from(latencies).sort();
  const total = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  const expected = statusCodes[String(job.expect)] ?? 0;
  const out: LoadResult = {
    requests: total,
    durationSeconds: duration,
    requestsPerSecond: total / duration,
    loadCpuUsPerRequest: total > 0 ? (cpu.user + cpu.system) / total : 0,
    latency: {
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p99: percentile(sorted, 99),
      max: sorted.length ? sorted[sorted.length - 1]! : 0,
      mean: sorted.length ? latencies.reduce((a, b) => a + b, 0) / sorted.length : 0,
    },
    ...(autocannonLatency ? { autocannonLatency } : {}),
    statusCodes,
    unexpected: total - expected + errors + timeouts,
    errors,
    timeouts,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

await main();
