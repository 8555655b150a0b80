import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { freePort } from '../src/server/test/free-port.ts';
import { signIn } from '../src/server/test/sign-in.ts';
import { fixtureApi, spawnLocalServer } from '../bench/fixture-api.ts';

// `npm run screenshots`: the main screens of the desk, taken from the real desk (the
// production build and the real server on a fresh database, calls made through the Call
// API and walked on with the emulator's events) in Chromium, into docs/screenshots/.

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'docs', 'screenshots');

async function startServer() {
  if (!existsSync(join(root, 'dist', 'web', 'index.html'))) {
    throw new Error('The desk is not built: run `npm run build` first (npm run screenshots does).');
  }
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-screenshots-'));
  const { origin, child } = await spawnLocalServer(
    'the server',
    ['--import', 'tsx', 'src/server/main.ts'],
    { PORT: String(port), DATA_DIR: dataDir },
  );
  return {
    origin,
    stop() {
      child.kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A small day at the desk: calls waiting, talking, on hold, ended, scheduled. */
async function seed(origin: string): Promise<{ live: number }> {
  const inbound = (number: string) =>
    fixtureApi<{ id: number }>(origin, 'POST', '/apps/api/v1/calls', {
      call_type: 'Voice Inbound (API)',
      menu_id: 7,
      end_user_number: number,
    });
  const event = (id: number, body: Record<string, unknown>) =>
    fixtureApi(origin, 'POST', `/emulator/calls/${id}/events`, body);
  const finished = await inbound('+1 339 219 5276');
  for (const e of [
    { type: 'assign', agent_email: 'agent@somedomain.com' },
    { type: 'connect' },
    { type: 'finish' },
  ])
    await event(finished.id, e);
  const failed = await inbound('+44 20 7946 0958');
  await event(failed.id, { type: 'fail', fail_reason: 'eu_abandoned' });
  await fixtureApi(origin, 'POST', '/apps/api/v1/calls', {
    call_type: 'Voice Scheduled (API)',
    menu_id: 9,
    end_user_number: '+82 10 6861 2345',
    scheduled_at: new Date(Date.now() + 26 * 3600_000).toISOString(),
  });
  await inbound('+1 205 555 0142');
  const live = await inbound('+1 859 657 9625');
  for (const e of [
    { type: 'assign', agent_email: 'admin@somedomain.com' },
    { type: 'connect' },
    { type: 'hold' },
    { type: 'resume' },
  ])
    await event(live.id, e);
  await fixtureApi(origin, 'PATCH', `/apps/api/v1/calls/${live.id}/customer_flag`, {
    verified_customer: true,
    bad_actor: true,
  });
  return { live: live.id };
}

let sessionSecret = '';

async function shot(
  browser: Browser,
  origin: string,
  name: string,
  options: {
    path: string;
    width: number;
    height: number;
    scheme?: 'light' | 'dark';
    locale?: string;
    ready: (page: Page) => Promise<void>;
    fullPage?: boolean;
  },
) {
  const context = await browser.newContext({
    baseURL: origin,
    viewport: { width: options.width, height: options.height },
    colorScheme: options.scheme ?? 'light',
    locale: options.locale ?? 'en-US',
    reducedMotion: 'reduce',
  });
  // Signed in as the admin (over HTTP, through the emulator's identity provider).
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
  const page = await context.newPage();
  await page.goto(options.path);
  await options.ready(page);
  // libphonenumber and the page's second render arrive just after the first paint. Not
  // 'networkidle', which never comes while the live feed's stream is open.
  await page.waitForLoadState('load');
  await page.waitForFunction(
    async () => (await document.fonts.ready) && [...document.images].every((img) => img.complete),
  );
  const file = join(out, `${name}.png`);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? false });
  process.stderr.write(`wrote ${file}\n`);
  await context.close();
}

async function main() {
  mkdirSync(out, { recursive: true });
  const server = await startServer();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
  try {
    const { live } = await seed(server.origin);
    sessionSecret = (await signIn(server.origin, 'admin@somedomain.com')).secret ?? '';
    if (!sessionSecret) throw new Error('admin@somedomain.com could not sign in');
    const callReady = async (page: Page) => {
      await page.getByRole('list', { name: /Timeline|Cronología/ }).waitFor();
      await page.getByRole('group', { name: /Simulate events|Simular eventos/ }).waitFor();
    };
    await shot(browser, server.origin, 'call-1440-light', {
      path: `/calls/${live}`,
      width: 1440,
      height: 900,
      ready: callReady,
    });
    await shot(browser, server.origin, 'call-1440-dark', {
      path: `/calls/${live}`,
      width: 1440,
      height: 900,
      scheme: 'dark',
      ready: callReady,
    });
    await shot(browser, server.origin, 'call-360-light', {
      path: `/calls/${live}`,
      width: 360,
      height: 640,
      ready: callReady,
    });
    await shot(browser, server.origin, 'call-360-es-dark', {
      path: `/calls/${live}`,
      width: 360,
      height: 640,
      scheme: 'dark',
      locale: 'es-ES',
      ready: callReady,
    });
    await shot(browser, server.origin, 'list-1440-light', {
      path: '/calls',
      width: 1440,
      height: 900,
      ready: (page) => page.getByRole('link', { name: `Open call ${live}` }).waitFor(),
    });
    await shot(browser, server.origin, 'new-call-errors-1440-light', {
      path: '/calls/new/outbound',
      width: 1440,
      height: 900,
      ready: async (page) => {
        await page.getByRole('button', { name: 'Create call' }).click();
        await page.getByText('ticket_id or end_user_number required').waitFor();
      },
    });
  } finally {
    await browser.close();
    server.stop();
  }
}

await main();
