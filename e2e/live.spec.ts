import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page, Request } from '@playwright/test';
import { signIn } from '../src/server/test/sign-in.ts';
import { hostUrl, waitForMessage } from './support/desk.ts';
import { emulatorAt, expect, test, type Emulator } from './support/fixtures.ts';
import { startNetworkCut } from './support/network-cut.ts';
import { FRONT_ORIGIN, LIVE_PORTS, TENANT_ORIGIN } from './support/ports.ts';

// The live feed in the browser (issue 10): changes reach an open desk as they happen,
// without a poll; a desk whose stream is cut says it is reconnecting and then catches up
// with nothing missed; and in tenant mode the push path runs end to end: the emulator's
// session events → the fronting server's webhook → its stream → the desk.

const SESSION_COOKIE = '__Host-switchboard-session';

/** The desk's reads of calls (a call, a list page) the page makes, from now on. */
function watchCallReads(page: Page) {
  const reads: string[] = [];
  const onRequest = (request: Request) => {
    const { pathname } = new URL(request.url());
    if (
      request.method() === 'GET' &&
      /^\/desk\/api\/apps\/api\/v1\/calls(\/\d+)?$/.test(pathname)
    ) {
      reads.push(pathname);
    }
  };
  page.on('request', onRequest);
  return {
    reads,
    stop: () => page.off('request', onRequest),
  };
}

const upToDate = (page: Page) => page.getByRole('status').filter({ hasText: 'Up to date' });
const reconnecting = (page: Page) => page.getByRole('status').filter({ hasText: 'Reconnecting' });

/** The call's status as its page shows it (the chip beside its heading). */
const statusOnPage = (page: Page, status: string) =>
  page.getByRole('main').getByText(status, { exact: true }).first();

test('a change made through the emulator shows on an open call page, without a poll', async ({
  page,
  emulator,
}) => {
  const { id } = await emulator.inboundCall();
  await page.goto(`/calls/${id}`);
  await expect(page.getByRole('heading', { level: 1, name: `Call ${id}` })).toBeVisible();
  await expect(upToDate(page)).toBeVisible();
  const watch = watchCallReads(page);

  await emulator.sendEvent(id, { type: 'assign', agent_email: 'agent@somedomain.com' });
  await expect(statusOnPage(page, 'Assigned')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Details' })).toContainText('Avery');
  await emulator.sendEvent(id, { type: 'connect' });
  await expect(statusOnPage(page, 'Connected')).toBeVisible();
  // The timeline is the call's own: it follows without a read either.
  await expect(
    page.getByRole('list', { name: 'Timeline' }).getByText('Connected', { exact: true }),
  ).toBeVisible();
  expect(watch.reads).toEqual([]);
});

test('the list takes a new call and a change of status, without a poll', async ({
  page,
  emulator,
}) => {
  const first = await emulator.inboundCall('+1 205 555 0101');
  await page.goto('/calls');
  const row = (id: number) =>
    page.getByRole('row').filter({ has: page.getByRole('link', { name: `Open call ${id}` }) });
  await expect(row(first.id)).toBeVisible();
  await expect(upToDate(page)).toBeVisible();
  const watch = watchCallReads(page);

  const second = await emulator.inboundCall('+1 205 555 0199');
  await expect(row(second.id)).toBeVisible();
  // Newest first: the new call is the first row.
  await expect(page.getByRole('link', { name: /^Open call \d+$/ }).first()).toHaveAccessibleName(
    `Open call ${second.id}`,
  );
  await emulator.sendEvent(first.id, { type: 'assign' });
  await expect(row(first.id).getByText('Assigned', { exact: true })).toBeVisible();
  expect(watch.reads).toEqual([]);
});

test('the host page hears of a call’s new status as it happens', async ({ page, emulator }) => {
  const { id } = await emulator.inboundCall();
  await page.goto(hostUrl(`/calls/${id}`));
  const desk = page.frameLocator('iframe');
  await expect(desk.getByRole('heading', { level: 1, name: `Call ${id}` })).toBeVisible();
  await expect(desk.getByRole('status').filter({ hasText: 'Up to date' })).toBeVisible();
  await emulator.sendEvent(id, { type: 'assign' });
  await waitForMessage(page, 'call.status', { id, status: 'assigned', previous_status: 'queued' });
});

// ---------------------------------------------------------------------------------------
// Streams that break: a server restart, and a network that goes away
// ---------------------------------------------------------------------------------------

/** A desk server of this test's own (emulator mode), on a port and data directory it keeps. */
async function startOwnServer(port: number, dataDir: string, env: Record<string, string> = {}) {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      RATE_LIMIT_PER_SECOND: '0',
      UPSTREAM_BUDGET_PER_SECOND: '0',
      EMULATOR_AUTOPLAY: '0',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await expect
    .poll(
      async () => {
        if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode})`);
        return fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.ok,
          () => false,
        );
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  return {
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function signInAt(context: BrowserContext, origin: string, email: string) {
  const { secret } = await signIn(origin, email);
  if (!secret) throw new Error(`${email} could not sign in at ${origin}`);
  await context.addCookies([
    {
      name: SESSION_COOKIE,
      value: secret,
      domain: new URL(origin).hostname,
      path: '/',
      secure: true,
      httpOnly: true,
      sameSite: 'None',
    },
  ]);
}

test.describe('a stream that breaks', () => {
  test.use({ agent: '' });
  let dataDir: string;
  test.beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-live-'));
  });
  test.afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  test('a server restart: the desk says it is reconnecting, then catches up with nothing missed', async ({
    context,
    playwright,
  }) => {
    const port = LIVE_PORTS.restart;
    const origin = `http://127.0.0.1:${port}`;
    let server = await startOwnServer(port, dataDir);
    const { emulator, dispose } = await emulatorAt(playwright, origin);
    try {
      await signInAt(context, origin, 'admin@somedomain.com');
      const { id } = await emulator.inboundCall();
      const page = await context.newPage();
      await page.goto(`${origin}/calls/${id}`);
      await expect(statusOnPage(page, 'Queued')).toBeVisible();
      await expect(upToDate(page)).toBeVisible();

      await server.stop();
      await expect(reconnecting(page)).toBeVisible();
      server = await startOwnServer(port, dataDir);
      // Changes the desk cannot have seen yet: made as soon as the server is back.
      await emulator.sendEvent(id, { type: 'assign', agent_email: 'agent@somedomain.com' });
      await emulator.sendEvent(id, { type: 'connect' });

      await expect(upToDate(page)).toBeVisible();
      await expect(reconnecting(page)).toBeHidden();
      await expect(statusOnPage(page, 'Connected')).toBeVisible();
      const timeline = page.getByRole('list', { name: 'Timeline' });
      await expect(timeline.getByText('Assigned', { exact: true })).toBeVisible();
      await expect(timeline.getByText('Connected', { exact: true })).toBeVisible();

      // Live again: the next change comes without a poll.
      const watch = watchCallReads(page);
      await emulator.sendEvent(id, { type: 'finish' });
      await expect(statusOnPage(page, 'Finished')).toBeVisible();
      expect(watch.reads).toEqual([]);
    } finally {
      await dispose();
      await server.stop();
    }
  });

  test('a network drop: the desk says it is reconnecting, then catches up with nothing missed', async ({
    context,
  }) => {
    // The browser reaches the desk through a stretch of network the test can cut.
    const cutPort = LIVE_PORTS.cut;
    const serverPort = LIVE_PORTS.behindCut;
    const origin = `http://127.0.0.1:${cutPort}`;
    const server = await startOwnServer(serverPort, dataDir, { PUBLIC_URL: origin });
    const network = await startNetworkCut(cutPort, serverPort);
    // The test's own requests go round the cut, naming the desk's public host.
    const control = (method: string, path: string, body?: unknown) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port: serverPort,
            method,
            path,
            headers: {
              host: `127.0.0.1:${cutPort}`,
              authorization: `Basic ${Buffer.from('somedomain:local-dev-token').toString('base64')}`,
              ...(payload ? { 'content-type': 'application/json' } : {}),
            },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk) => (text += chunk));
            res.on('end', () => {
              if ((res.statusCode ?? 500) >= 300)
                reject(new Error(`${path}: ${res.statusCode} ${text}`));
              else resolve(text ? (JSON.parse(text) as Record<string, unknown>) : {});
            });
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    try {
      await signInAt(context, origin, 'admin@somedomain.com');
      const call = await control('POST', '/apps/api/v1/calls', {
        call_type: 'Voice Inbound (API)',
        menu_id: 7,
        end_user_number: '+1 205 123 4567',
      });
      const id = call.id as number;
      const page = await context.newPage();
      await page.goto(`${origin}/calls/${id}`);
      await expect(statusOnPage(page, 'Queued')).toBeVisible();
      await expect(upToDate(page)).toBeVisible();

      network.cut();
      await expect(reconnecting(page)).toBeVisible();
      // While the desk cannot hear, the call moves on.
      await control('POST', `/emulator/calls/${id}/events`, { type: 'assign' });
      await control('POST', `/emulator/calls/${id}/events`, { type: 'connect' });
      // The page still shows what it last knew, and says it may be behind.
      await expect(statusOnPage(page, 'Queued')).toBeVisible();
      network.restore();

      await expect(upToDate(page)).toBeVisible();
      await expect(statusOnPage(page, 'Connected')).toBeVisible();
      const timeline = page.getByRole('list', { name: 'Timeline' });
      await expect(timeline.getByText('Assigned', { exact: true })).toBeVisible();
      await expect(reconnecting(page)).toBeHidden();
    } finally {
      await network.close();
      await server.stop();
    }
  });
});

// ---------------------------------------------------------------------------------------
// Tenant mode: emulator → webhook → fronting server → stream → desk
// ---------------------------------------------------------------------------------------

test.describe('tenant mode', () => {
  test.use({ agent: '' });
  let tenant: Emulator;
  let disposeTenant: () => Promise<void>;
  test.beforeAll(async ({ playwright }) => {
    ({ emulator: tenant, dispose: disposeTenant } = await emulatorAt(playwright, TENANT_ORIGIN));
  });
  test.afterAll(async () => disposeTenant());
  test.beforeEach(async () => {
    await tenant.reset();
  });

  test('a change on the tenant reaches the desk that fronts it, pushed, without a poll', async ({
    context,
  }) => {
    await signInAt(context, FRONT_ORIGIN, 'agent@somedomain.com');
    const { id } = await tenant.inboundCall();
    const page = await context.newPage();
    await page.goto(`${FRONT_ORIGIN}/calls/${id}`);
    await expect(statusOnPage(page, 'Queued')).toBeVisible();
    await expect(upToDate(page)).toBeVisible();
    const watch = watchCallReads(page);

    await tenant.sendEvent(id, { type: 'assign', agent_email: 'agent@somedomain.com' });
    await expect(statusOnPage(page, 'Assigned')).toBeVisible();
    await tenant.sendEvent(id, { type: 'connect' });
    await expect(statusOnPage(page, 'Connected')).toBeVisible();
    expect(watch.reads).toEqual([]);
  });
});
