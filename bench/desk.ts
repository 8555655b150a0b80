import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from '@playwright/test';
import { signIn } from '../src/server/test/sign-in.ts';
import { freePort } from '../src/server/test/free-port.ts';
import { fixtureApi, spawnLocalServer } from './fixture-api.ts';

// `npm run bench:desk`: the desk in Chromium, on the production build (`npm run bench:desk`
// builds what is stale) served by the built server on a fresh database. Figures, not
// pass/fail: docs/performance.md ("Desk") says how to read them.
//
// Environment: BENCH_DESK_LOADS (fresh page loads for first load / interactive form, default
// 20), BENCH_DESK_CREATES (Create call runs, default 50), BENCH_DESK_SEED (calls seeded for
// the list, default 10000), BENCH_DESK_LIST_LOADS (list loads and pagings, default 10),
// BENCH_DESK_REMOTE_LOADS (first loads on the throttled link, per page and encoding,
// default 5).

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist', 'web');
const serverEntry = join(root, 'dist', 'server', 'main.js');
const env = process.env;
const LOADS = Number(env.BENCH_DESK_LOADS ?? 20);
const CREATES = Number(env.BENCH_DESK_CREATES ?? 50);
const SEED = Number(env.BENCH_DESK_SEED ?? 10_000);
const LIST_LOADS = Number(env.BENCH_DESK_LIST_LOADS ?? 10);
const REMOTE_LOADS = Number(env.BENCH_DESK_REMOTE_LOADS ?? 5);
/**
 * An agent on a remote site: 10 Mbit/s each way, 40 ms round trip, a CPU four times slower
 * than this one (Chrome DevTools' throttling, through CDP).
 */
const REMOTE = {
  network: {
    offline: false,
    latency: 40,
    downloadThroughput: (10 * 1_000_000) / 8,
    uploadThroughput: (10 * 1_000_000) / 8,
  },
  cpuSlowdown: 4,
};
const AGENT = 'admin@somedomain.com';
const END_USER = '+1 859-657-9625';

function log(line: string) {
  process.stderr.write(`${line}\n`);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  // Nearest rank: p95 of 50 runs is the 48th value.
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Stats {
  runs: number;
  p50: number;
  p95: number;
  min: number;
  max: number;
}
function stats(values: number[]): Stats {
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    runs: values.length,
    p50: round(percentile(values, 50)),
    p95: round(percentile(values, 95)),
    min: round(Math.min(...values)),
    max: round(Math.max(...values)),
  };
}

// --- the server ---------------------------------------------------------------------------

async function startServer(): Promise<{ origin: string; child: ChildProcess; dataDir: string }> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-desk-'));
  // The server as it ships (npm start runs the same bundle).
  const { origin, child } = await spawnLocalServer(
    'the server',
    ['--enable-source-maps', serverEntry],
    { PORT: String(port), DATA_DIR: dataDir },
  );
  return { origin, child, dataDir };
}

/** Real calls through the Call API, many requests in flight at once. */
async function seedCalls(origin: string, count: number): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const local = String(1_000_000 + (i % 9_000_000)).padStart(7, '0');
      await fixtureApi(origin, 'POST', '/apps/api/v1/calls', {
        call_type: 'Voice Inbound (API)',
        menu_id: 7,
        end_user_number: `+1 205 ${local.slice(0, 3)} ${local.slice(3)}`,
      });
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  return performance.now() - started;
}

// --- in-page probes -----------------------------------------------------------------------

/**
 * Installed before any of the desk's code runs: records (performance.now(), so from the
 * navigation's start) the first frame in which the new-call form is usable (Create call
 * enabled, Agent email there) and the first frame with rows in the calls table.
 */
function installProbes() {
  const marks: Record<string, number> = {};
  (window as unknown as { __bench: Record<string, number> }).__bench = marks;
  const check = () => {
    if (marks.form === undefined) {
      const button = [...document.querySelectorAll('button')].find(
        (b) => b.textContent?.trim() === 'Create call',
      );
      const label = [...document.querySelectorAll('label')].find((l) =>
        l.textContent?.startsWith('Agent email'),
      );
      const input = label?.htmlFor ? document.getElementById(label.htmlFor) : null;
      // (Agent email is the signed-in agent's, read-only unless they may act for others.)
      if (button && !button.disabled && input instanceof HTMLInputElement && !input.disabled) {
        marks.form = performance.now();
      }
    }
    if (marks.rows === undefined && document.querySelector('a[aria-label^="Open call "]')) {
      marks.rows = performance.now();
    }
    if (marks.form === undefined || marks.rows === undefined) requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}

/** JS and CSS the page had asked for by `until` (ms from navigation start), by file. */
async function scriptsBefore(page: Page, until: number): Promise<string[]> {
  const entries = await page.evaluate(
    () =>
      performance
        .getEntriesByType('resource')
        .map((e) => ({ name: e.name, startTime: e.startTime })) as {
        name: string;
        startTime: number;
      }[],
  );
  const files = entries
    .filter((e) => e.startTime <= until)
    .map((e) => new URL(e.name).pathname)
    .filter((p) => /\.(js|css)$/.test(p));
  // The entry script is in the HTML, not always a resource entry of its own: add it.
  const html = await page.content();
  for (const match of html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)) {
    files.push(match[1]!);
  }
  return [...new Set(files)].sort();
}

interface Wire {
  /** Bytes the page received over the network (headers and compressed bodies), by kind. */
  js: number;
  css: number;
  html: number;
  other: number;
  total: number;
  /** The same bodies as the page used them (after decompression). */
  decoded: number;
  /** Content-Encoding of the JS responses (br, gzip, none), by count. */
  encodings: Record<string, number>;
}

/** Content-Encoding of every response the page got, by URL (from the DevTools protocol). */
type Encodings = Map<string, string>;

/** What the page had received over the network by `until` (ms from navigation start). */
async function onTheWire(page: Page, until: number, encodings: Encodings): Promise<Wire> {
  const entries = await page.evaluate(() =>
    [
      ...performance.getEntriesByType('navigation'),
      ...performance.getEntriesByType('resource'),
    ].map((e) => {
      const r = e as PerformanceResourceTiming;
      return {
        name: r.name,
        responseEnd: r.responseEnd,
        transferSize: r.transferSize,
        decodedBodySize: r.decodedBodySize,
      };
    }),
  );
  const wire: Wire = { js: 0, css: 0, html: 0, other: 0, total: 0, decoded: 0, encodings: {} };
  for (const e of entries) {
    if (e.responseEnd > until) continue;
    const path = new URL(e.name).pathname;
    const kind = path.endsWith('.js')
      ? 'js'
      : path.endsWith('.css')
        ? 'css'
        : path.startsWith('/assets/') || path.startsWith('/desk/api') || path.includes('.')
          ? 'other'
          : 'html';
    wire[kind] += e.transferSize;
    wire.total += e.transferSize;
    wire.decoded += e.decodedBodySize;
    if (kind === 'js') {
      const encoding = encodings.get(e.name) || 'none';
      wire.encodings[encoding] = (wire.encodings[encoding] ?? 0) + 1;
    }
  }
  return wire;
}

interface Weight {
  files: { path: string; raw: number; gzip: number }[];
  js: { raw: number; gzip: number };
  css: { raw: number; gzip: number };
}
/** Sizes from the built files themselves, gzipped here with zlib at level 9. */
function weigh(paths: string[]): Weight {
  const files = paths.map((path) => {
    const body = readFileSync(join(dist, path));
    return { path, raw: body.length, gzip: gzipSync(body, { level: 9 }).length };
  });
  const sum = (ext: string) =>
    files
      .filter((f) => f.path.endsWith(ext))
      .reduce((t, f) => ({ raw: t.raw + f.raw, gzip: t.gzip + f.gzip }), { raw: 0, gzip: 0 });
  return { files, js: sum('.js'), css: sum('.css') };
}

/** The desk's session cookie of the agent the bench acts as (signed in once, over HTTP). */
let sessionSecret: string | undefined;

interface PageOptions {
  /** Throttle the page as on a remote site's link and machine (REMOTE). */
  remote?: boolean;
  /** Ask for no compression (Accept-Encoding: identity), as the desk was served before. */
  identity?: boolean;
}

async function freshPage(
  browser: Browser,
  origin: string,
  { remote = false, identity = false }: PageOptions = {},
): Promise<{ page: Page; encodings: Encodings }> {
  const context = await browser.newContext({
    baseURL: origin,
    viewport: { width: 1280, height: 900 },
  });
  if (sessionSecret) {
    await context.addCookies([
      {
        name: '__Host-switchboard-session',
        value: sessionSecret,
        domain: new URL(origin).hostname,
        path: '/',
        secure: true,
        httpOnly: true,
        sameSite: 'Lax',
      },
    ]);
  }
  // tsx (esbuild keepNames) wraps named functions in `__name(...)`: give the page a no-op one,
  // or the functions passed to addInitScript / evaluate throw there.
  await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  await context.addInitScript(installProbes);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const encodings: Encodings = new Map();
  cdp.on('Network.responseReceived', ({ response }) => {
    const headers = Object.fromEntries(
      Object.entries(response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]),
    );
    encodings.set(response.url, headers['content-encoding'] ?? '');
  });
  await cdp.send('Network.enable');
  if (identity) {
    await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'identity' } });
  }
  if (remote) {
    await cdp.send('Network.emulateNetworkConditions', REMOTE.network);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: REMOTE.cpuSlowdown });
  }
  return { page, encodings };
}

// --- the measurements ---------------------------------------------------------------------

async function firstLoad(browser: Browser, origin: string) {
  const formTimes: number[] = [];
  let formWeight: Weight | undefined;
  let formWire: Wire | undefined;
  for (let i = 0; i < LOADS; i++) {
    // A new context each time: an empty HTTP cache, as a first visit.
    const { page, encodings } = await freshPage(browser, origin);
    await page.goto('/calls/new/outbound');
    await page.waitForFunction(
      () => (window as unknown as { __bench: { form?: number } }).__bench.form,
    );
    const form = await page.evaluate(
      () => (window as unknown as { __bench: { form: number } }).__bench.form,
    );
    // "Accepts input", checked for real once: Playwright types and reads it back.
    if (i === 0) {
      // (End user number: Agent email is the signed-in agent's, read-only for most agents.)
      const input = page.getByLabel('End user number');
      await input.fill('+1 205 555 0100');
      if ((await input.inputValue()).replace(/\D/g, '') !== '12055550100') {
        throw new Error('the End user number input did not take input');
      }
      formWeight = weigh(await scriptsBefore(page, form));
      formWire = await onTheWire(page, form, encodings);
    }
    formTimes.push(form);
    await page.context().close();
  }
  return { formTimes, formWeight: formWeight!, formWire: formWire! };
}

/**
 * First loads as an agent on a remote site has them (REMOTE): the new-call form until it
 * accepts input, and the call list until its first rows, each with the assets compressed
 * (what the server sends) and, for comparison, uncompressed (Accept-Encoding: identity).
 */
async function remoteLoads(browser: Browser, origin: string) {
  const result: Record<string, { ms: Stats; wire: Wire }> = {};
  for (const [name, path, mark] of [
    ['newCallForm', '/calls/new/outbound', 'form'],
    ['callList', '/calls', 'rows'],
  ] as const) {
    for (const identity of [false, true]) {
      const times: number[] = [];
      let wire: Wire | undefined;
      for (let i = 0; i < REMOTE_LOADS; i++) {
        const { page, encodings } = await freshPage(browser, origin, { remote: true, identity });
        await page.goto(path, { timeout: 60_000 });
        await page.waitForFunction(
          (m) => (window as unknown as { __bench: Record<string, number> }).__bench[m],
          mark,
          { timeout: 60_000 },
        );
        const at = await page.evaluate(
          (m) => (window as unknown as { __bench: Record<string, number> }).__bench[m]!,
          mark,
        );
        times.push(at);
        wire ??= await onTheWire(page, at, encodings);
        await page.context().close();
      }
      result[`${name}${identity ? 'Uncompressed' : ''}`] = { ms: stats(times), wire: wire! };
    }
  }
  return result;
}

async function createCalls(browser: Browser, origin: string) {
  const toDom: number[] = [];
  const toFrame: number[] = [];
  const toResponse: number[] = [];
  let detailFetchedAhead = 0;
  const { page } = await freshPage(browser, origin);
  const url = `/calls/new/outbound?${new URLSearchParams({ agent_email: AGENT, end_user_number: END_USER })}`;
  for (let i = 0; i < CREATES; i++) {
    // The agent stays free for the next call: finish the one before (not timed).
    await fixtureApi(origin, 'POST', '/emulator/reset');
    // A page load each run (warm HTTP cache, fresh JS): the detail page's chunk is not in
    // memory unless the desk fetched it ahead.
    await page.goto(url);
    await page.waitForFunction(
      () => (window as unknown as { __bench: { form?: number } }).__bench.form,
    );
    await page.getByRole('button', { name: 'Create call' }).waitFor();
    // An agent takes more than a moment to check a form: let the page settle first (what it
    // fetches ahead while idle counts, as it would for a person). Not 'networkidle', which
    // never comes while the live feed's stream is open: the feed up, then an idle moment.
    await page.getByRole('status').filter({ hasText: 'Up to date' }).waitFor();
    await page.evaluate(
      () => new Promise((resolve) => requestIdleCallback(resolve, { timeout: 2000 })),
    );
    const ahead = await page.evaluate(() =>
      performance.getEntriesByType('resource').some((e) => e.name.includes('/call-detail-page-')),
    );
    if (ahead) detailFetchedAhead++;
    // Timed in the page: from just before the click to the "Call {id}" heading in the DOM,
    // and to the next frame after it (when it is painted). No Playwright round trips inside.
    const [dom, frame, post] = await page.evaluate(
      () =>
        new Promise<[number, number, number]>((resolve, reject) => {
          const button = [...document.querySelectorAll('button')].find(
            (b) => b.textContent?.trim() === 'Create call',
          )!;
          const found = () =>
            [...document.querySelectorAll('h1')].some((h) =>
              /^Call \d+$/.test(h.textContent ?? ''),
            );
          const timeout = setTimeout(
            () => reject(new Error('no call heading within 10 s')),
            10_000,
          );
          const start = performance.now();
          const observer = new MutationObserver(() => {
            if (!found()) return;
            const dom = performance.now() - start;
            observer.disconnect();
            clearTimeout(timeout);
            // How much of it was the POST itself (sent to answered), from resource timing.
            const post = performance
              .getEntriesByType('resource')
              .find(
                (e) =>
                  e.startTime >= start &&
                  (e as PerformanceResourceTiming).initiatorType === 'fetch' &&
                  /\/calls$/.test(new URL(e.name).pathname),
              ) as PerformanceResourceTiming | undefined;
            const api = post ? post.responseEnd - start : Number.NaN;
            requestAnimationFrame(() =>
              setTimeout(() => resolve([dom, performance.now() - start, api])),
            );
          });
          observer.observe(document.body, { childList: true, subtree: true, characterData: true });
          button.click();
        }),
    );
    toDom.push(dom);
    toFrame.push(frame);
    toResponse.push(post);
  }
  await page.context().close();
  return { toDom, toFrame, toResponse, detailFetchedAhead };
}

async function callList(browser: Browser, origin: string) {
  const firstRows: number[] = [];
  const nextPage: number[] = [];
  let weight: Weight | undefined;
  let wire: Wire | undefined;
  for (let i = 0; i < LIST_LOADS; i++) {
    const { page, encodings } = await freshPage(browser, origin);
    await page.goto('/calls');
    await page.waitForFunction(
      () => (window as unknown as { __bench: { rows?: number } }).__bench.rows,
    );
    const rows = await page.evaluate(
      () => (window as unknown as { __bench: { rows: number } }).__bench.rows,
    );
    firstRows.push(rows);
    if (i === 0) {
      weight = weigh(await scriptsBefore(page, rows));
      wire = await onTheWire(page, rows, encodings);
    }
    const next = page.getByRole('button', { name: 'Go to next page' });
    await next.waitFor();
    const ms = await page.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const firstId = () =>
            document.querySelector('a[aria-label^="Open call "]')?.getAttribute('aria-label');
          const before = firstId();
          const button = document.querySelector<HTMLButtonElement>(
            'button[aria-label="Go to next page"]',
          )!;
          const timeout = setTimeout(
            () => reject(new Error('page 2 did not come within 10 s')),
            10_000,
          );
          const start = performance.now();
          const observer = new MutationObserver(() => {
            const now = firstId();
            if (!now || now === before) return;
            observer.disconnect();
            clearTimeout(timeout);
            resolve(performance.now() - start);
          });
          observer.observe(document.body, { childList: true, subtree: true, attributes: true });
          button.click();
        }),
    );
    nextPage.push(ms);
    await page.context().close();
  }
  return { firstRows, nextPage, weight: weight!, wire: wire! };
}

// --- main ---------------------------------------------------------------------------------

async function main() {
  if (!existsSync(join(dist, 'index.html')) || !existsSync(serverEntry)) {
    throw new Error('dist/ is missing: run `npm run build` first');
  }
  const { origin, child, dataDir } = await startServer();
  let browser: Browser | undefined;
  try {
    // The desk acts only for an agent signed in: the bench's pages carry the agent's session.
    sessionSecret = (await signIn(origin, AGENT)).secret ?? undefined;
    if (!sessionSecret) throw new Error(`${AGENT} could not sign in`);
    browser = await chromium.launch({
      executablePath: env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    log(`desk bench: ${origin}, chromium ${browser.version()}`);

    log(`first load and interactive form: ${LOADS} fresh loads`);
    const load = await firstLoad(browser, origin);
    log(`Create call → detail: ${CREATES} runs`);
    const create = await createCalls(browser, origin);

    await fixtureApi(origin, 'POST', '/emulator/reset');
    log(`seeding ${SEED} calls through the Call API`);
    const seedMs = await seedCalls(origin, SEED);
    const listed = (await fixtureApi(origin, 'GET', '/apps/api/v1/calls?per=1')) as unknown[];
    log(`  seeded in ${(seedMs / 1000).toFixed(1)} s (${listed.length ? 'listed' : 'EMPTY'})`);
    log(`call list: ${LIST_LOADS} loads and pagings`);
    const list = await callList(browser, origin);
    log(
      `remote first loads (10 Mbit/s, 40 ms RTT, CPU ÷4): ${REMOTE_LOADS} per page, compressed and not`,
    );
    const remote = await remoteLoads(browser, origin);

    const kb = (n: number) => Math.round(n / 102.4) / 10;
    const results = {
      date: new Date().toISOString(),
      environment: {
        chromium: browser.version(),
        node: process.version,
        cpus: cpus().length,
        loadavg: loadavg(),
        gzip: 'zlib level 9 over the built files the page requested before the mark',
      },
      firstLoad: {
        newCallForm: load.formWeight,
        callList: list.weight,
      },
      onTheWire: { newCallForm: load.formWire, callList: list.wire },
      remote: { conditions: REMOTE, ...remote },
      interactiveFormMs: stats(load.formTimes),
      createToDetailMs: {
        dom: stats(create.toDom),
        painted: stats(create.toFrame),
        postAnswered: stats(create.toResponse),
        detailChunkFetchedBeforeClick: `${create.detailFetchedAhead}/${CREATES}`,
      },
      callList: {
        seeded: SEED,
        seedSeconds: Math.round(seedMs / 100) / 10,
        firstRowsMs: stats(list.firstRows),
        nextPageMs: stats(list.nextPage),
      },
      raw: { ...load, ...create, firstRows: list.firstRows, nextPage: list.nextPage },
    };

    const rows: [string, string][] = [
      [
        'First-load JS, /calls/new/outbound (gzip)',
        `${kb(load.formWeight.js.gzip)} KB (${kb(load.formWeight.js.raw)} KB raw, ${load.formWeight.files.length} files)`,
      ],
      ['First-load CSS, /calls/new/outbound (gzip)', `${kb(load.formWeight.css.gzip)} KB`],
      [
        'First-load JS, /calls (gzip)',
        `${kb(list.weight.js.gzip)} KB (${kb(list.weight.js.raw)} KB raw, ${list.weight.files.length} files)`,
      ],
      ['First-load CSS, /calls (gzip)', `${kb(list.weight.css.gzip)} KB`],
      ...(
        [
          ['/calls/new/outbound', load.formWire],
          ['/calls', list.wire],
        ] as const
      ).map(([path, wire]): [string, string] => [
        `On the wire until ready, ${path}`,
        `${kb(wire.total)} KB (JS ${kb(wire.js)} KB as ${Object.entries(wire.encodings)
          .map(([e, n]) => `${n}× ${e}`)
          .join(', ')}; ${kb(wire.decoded)} KB decoded)`,
      ]),
      ...(
        [
          ['/calls/new/outbound', 'newCallForm'],
          ['/calls', 'callList'],
        ] as const
      ).map(([path, key]): [string, string] => [
        `On the wire until ready, ${path}, uncompressed`,
        `${kb(remote[`${key}Uncompressed`]!.wire.total)} KB`,
      ]),
    ];
    const timed: [string, Stats][] = [
      ['Interactive new-call form (ms from navigation)', results.interactiveFormMs],
      ['Create call → "Call {id}" in DOM (ms)', results.createToDetailMs.dom],
      ['Create call → "Call {id}" painted (ms)', results.createToDetailMs.painted],
      ['  of which: click → POST /calls answered (ms)', results.createToDetailMs.postAnswered],
      [`Call list, ${SEED} calls: first rows (ms from navigation)`, results.callList.firstRowsMs],
      [`Call list, ${SEED} calls: next page → rows (ms)`, results.callList.nextPageMs],
      ['Remote: interactive new-call form (ms)', remote.newCallForm!.ms],
      ['Remote: interactive new-call form, uncompressed (ms)', remote.newCallFormUncompressed!.ms],
      [`Remote: call list, ${SEED} calls: first rows (ms)`, remote.callList!.ms],
      [`Remote: call list, first rows, uncompressed (ms)`, remote.callListUncompressed!.ms],
    ];
    const width = 62;
    console.log(`\n${'Measure'.padEnd(width)} Figure`);
    for (const [name, value] of rows) console.log(`${name.padEnd(width)} ${value}`);
    console.log(
      `\n${'Timing'.padEnd(width)} ${'runs'.padStart(5)} ${'p50'.padStart(8)} ${'p95'.padStart(8)}`,
    );
    for (const [name, s] of timed) {
      console.log(
        `${name.padEnd(width)} ${String(s.runs).padStart(5)} ${s.p50.toFixed(1).padStart(8)} ${s.p95.toFixed(1).padStart(8)}`,
      );
    }

    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    const file = join(root, 'bench', 'results', `desk-${results.date.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    log(`\nwrote ${file}`);
  } finally {
    await browser?.close();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
