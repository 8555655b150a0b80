import type { Page, Response } from '@playwright/test';
import { emulatorAt, expect, test, type Emulator } from './support/fixtures.ts';
import { SERVED_BY, startFleet, type DeskName, type Fleet } from './support/fleet.ts';
import { MULTI_ORIGIN, MULTI_TENANT_ORIGIN } from './support/ports.ts';

// Two desk servers fronting one tenant, sharing one PostgreSQL database, behind HAProxy
// (round robin, no sticky sessions), as a contact center runs the desk so that one server
// can fail without a floor of agents losing their calls. The balancer names the server of
// each answer; a test may send everything to one server for a while, or kill one.

test.use({ agent: '' });

let fleet: Fleet;
let tenant: Emulator;
let disposeTenant: () => Promise<void>;
test.beforeAll(async ({ playwright }) => {
  // Three servers and a balancer to start, on two shared cores.
  test.setTimeout(120_000);
  fleet = await startFleet();
  ({ emulator: tenant, dispose: disposeTenant } = await emulatorAt(
    playwright,
    MULTI_TENANT_ORIGIN,
  ));
});
test.afterAll(async () => {
  await disposeTenant?.();
  await fleet?.close();
});
test.beforeEach(async () => {
  await fleet.only(null);
  await tenant.reset();
});

const upToDate = (page: Page) => page.getByRole('status').filter({ hasText: 'Up to date' });
const reconnecting = (page: Page) => page.getByRole('status').filter({ hasText: 'Reconnecting' });
/** The call's status as its page shows it (the chip beside its heading). */
const statusOnPage = (page: Page, status: string) =>
  page.getByRole('main').getByText(status, { exact: true }).first();

/**
 * The desk's reads of this call from now on: none while it is live. (The desk's watch for
 * queued calls polls the queue whatever the feed does, so lists are not counted.)
 */
function watchCallReads(page: Page, id: number) {
  const reads: string[] = [];
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (request.method() === 'GET' && pathname === `/desk/api/apps/api/v1/calls/${id}`) {
      reads.push(pathname);
    }
  });
  return reads;
}

/** The desk's own API answers this page receives, with the server that gave each. */
function deskAnswers(page: Page) {
  const answers: Array<{ url: string; status: number; server: string }> = [];
  page.on('response', (response: Response) => {
    if (!response.url().startsWith(`${MULTI_ORIGIN}/desk/api/`)) return;
    answers.push({
      url: response.url(),
      status: response.status(),
      server: response.headers()[SERVED_BY] ?? '',
    });
  });
  return answers;
}

async function signIn(page: Page, email: string, path = '/calls') {
  await page.goto(`${MULTI_ORIGIN}${path}`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`^${MULTI_TENANT_ORIGIN}/dev-idp/interaction/`));
  await expect(page.getByRole('heading', { name: 'Choose an account' })).toBeVisible();
  await page.getByRole('button', { name: new RegExp(email.replace(/[.@]/g, '\\$&')) }).click();
  await expect(page).toHaveURL(`${MULTI_ORIGIN}${path}`);
  await expect(page.getByRole('banner')).toContainText(email);
}

/** Waits for the next answer of the desk API matching `path`, and says which server gave it. */
async function servedBy(page: Page, method: string, path: RegExp, act: () => Promise<unknown>) {
  const answer = page.waitForResponse(
    (r) =>
      r.request().method() === method &&
      r.url().startsWith(`${MULTI_ORIGIN}/desk/api/`) &&
      path.test(new URL(r.url()).pathname),
  );
  await act();
  const response = await answer;
  return { status: response.status(), server: response.headers()[SERVED_BY] as DeskName };
}

test('signed in once, the agent is served by both servers', async ({ page }) => {
  await signIn(page, 'agent@somedomain.com');
  const answers = deskAnswers(page);
  for (const name of ['a', 'b'] as const) {
    await fleet.only(name);
    const session = await servedBy(page, 'GET', /^\/desk\/api\/session$/, () => page.reload());
    expect(session).toEqual({ status: 200, server: name });
    await expect(page.getByRole('banner')).toContainText('agent@somedomain.com');
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  }
  expect(answers.filter((a) => a.status === 401)).toEqual([]);

  // Sign out through one: the other knows it too.
  await fleet.only('a');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await fleet.only('b');
  const after = await servedBy(page, 'GET', /^\/desk\/api\/session$/, () => page.reload());
  expect(after).toEqual({ status: 401, server: 'b' });
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
});

test('a flag changed through one server shows in History through the other', async ({
  page,
  browser,
}) => {
  const { id } = await tenant.inboundCall();
  await signIn(page, 'agent@somedomain.com', `/calls/${id}`);

  await fleet.only('a');
  const verified = page.getByRole('switch', { name: 'Verified customer' });
  await expect(verified).not.toBeChecked();
  const patch = await servedBy(page, 'PATCH', /\/customer_flag$/, () => verified.click());
  expect(patch).toEqual({ status: 200, server: 'a' });
  await expect(verified).toBeChecked();

  // Another agent, at another desk, served by the other server.
  await fleet.only('b');
  const other = await browser.newContext();
  try {
    const admin = await other.newPage();
    await signIn(admin, 'admin@somedomain.com');
    const history = await servedBy(admin, 'GET', /\/history$/, () =>
      admin.goto(`${MULTI_ORIGIN}/calls/${id}`),
    );
    expect(history).toEqual({ status: 200, server: 'b' });
    await expect(admin.getByRole('list', { name: 'Changes by agents' })).toContainText(
      'Avery Agent marked the customer: Verified customer',
    );
    await expect(admin.getByRole('switch', { name: 'Verified customer' })).toBeChecked();
  } finally {
    await other.close();
  }
});

test('kill -9 one server mid-call: the desk goes on through the balancer, its session intact', async ({
  page,
}) => {
  const { id } = await tenant.inboundCall();
  await tenant.sendEvent(id, { type: 'assign', agent_email: 'agent@somedomain.com' });
  await tenant.sendEvent(id, { type: 'connect' });
  await signIn(page, 'agent@somedomain.com', `/calls/${id}`);
  const timeline = page.getByRole('list', { name: 'Timeline' });
  const entry = (name: string) =>
    timeline.getByRole('listitem').filter({ has: page.getByText(name, { exact: true }) });
  await expect(entry('Connected')).toBeVisible();

  try {
    await fleet.kill('a');
    const answers = deskAnswers(page);

    // The agent works on: a flag set, and the call's end seen, all through the survivor.
    const badActor = page.getByRole('switch', { name: 'Bad actor' });
    const patch = await servedBy(page, 'PATCH', /\/customer_flag$/, () => badActor.click());
    expect(patch).toEqual({ status: 200, server: 'b' });
    await expect(badActor).toBeChecked();
    await tenant.sendEvent(id, { type: 'finish', disconnected_by: 'disconnected_by_end_user' });
    await expect(entry('Finished')).toBeVisible();

    // A reload finds the agent still signed in, the call as it is.
    await page.reload();
    await expect(page.getByRole('banner')).toContainText('agent@somedomain.com');
    await expect(page.getByRole('switch', { name: 'Bad actor' })).toBeChecked();
    await expect(entry('Finished')).toBeVisible();
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.filter((a) => a.server !== 'b')).toEqual([]);
    expect(answers.filter((a) => a.status >= 400)).toEqual([]);
  } finally {
    await fleet.restart('a');
    await expect.poll(() => fleet.balancerState('a')).toBe('UP');
  }
});

test('30 reads at once across both servers: all answered, and the tenant never says 429', async ({
  page,
}) => {
  await signIn(page, 'admin@somedomain.com');
  const before = fleet.tenantAnswers.length;
  const answers = await page.evaluate(async () => {
    const paths = Array.from({ length: 30 }, (_, i) =>
      i % 3 ? '/desk/api/apps/api/v1/calls' : '/desk/api/manager/api/v1/menus',
    );
    return Promise.all(
      paths.map(async (path) => {
        const response = await fetch(path, { headers: { 'X-Switchboard-Desk': '1' } });
        return { status: response.status, server: response.headers.get('x-switchboard-server') };
      }),
    );
  });
  expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
  expect(new Set(answers.map((a) => a.server))).toEqual(new Set(['a', 'b']));
  const tenantSaw = fleet.tenantAnswers.slice(before);
  expect(tenantSaw.length).toBeGreaterThanOrEqual(30);
  expect(tenantSaw.filter((s) => s === 429)).toEqual([]);
});

test("an event the tenant's webhook pushed to one server reaches a desk served by the other, without a poll", async ({
  page,
}) => {
  const { id } = await tenant.inboundCall();
  // Everything of this desk goes to b; the tenant's session events go to a (the fleet's
  // balancer sends its webhook there).
  await fleet.only('b');
  const answers = deskAnswers(page);
  await signIn(page, 'admin@somedomain.com', `/calls/${id}`);
  await expect(statusOnPage(page, 'Queued')).toBeVisible();
  await expect(upToDate(page)).toBeVisible();
  const reads = watchCallReads(page, id);

  await tenant.sendEvent(id, { type: 'assign', agent_email: 'agent@somedomain.com' });
  await expect(statusOnPage(page, 'Assigned')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Details' })).toContainText('Avery');
  await tenant.sendEvent(id, { type: 'connect' });
  await expect(statusOnPage(page, 'Connected')).toBeVisible();
  expect(reads).toEqual([]);
  expect(answers.filter((a) => a.server !== 'b')).toEqual([]);
});

test('kill -9 the server a desk is live on, mid-call: it reconnects through the balancer, its session intact, nothing missed', async ({
  page,
}) => {
  const { id } = await tenant.inboundCall();
  await tenant.sendEvent(id, { type: 'assign', agent_email: 'agent@somedomain.com' });
  // The desk's stream is on a, which also reads the tenant for the feed (its only desk).
  await fleet.only('a');
  await signIn(page, 'agent@somedomain.com', `/calls/${id}`);
  const timeline = page.getByRole('list', { name: 'Timeline' });
  const entry = (name: string) =>
    timeline.getByRole('listitem').filter({ has: page.getByText(name, { exact: true }) });
  await expect(entry('Assigned')).toBeVisible();
  await expect(upToDate(page)).toBeVisible();
  await fleet.only(null);

  try {
    await fleet.kill('a');
    // Changed while the desk's stream is down, and while no server reads the tenant (b
    // has no desk yet; the webhook's server is dead).
    await tenant.sendEvent(id, { type: 'connect' });
    await expect(reconnecting(page)).toBeVisible();

    // Back through the balancer, on b: live again, still signed in, the change shown.
    await expect(upToDate(page)).toBeVisible();
    await expect(reconnecting(page)).toBeHidden();
    await expect(entry('Connected')).toBeVisible();
    await expect(page.getByRole('banner')).toContainText('agent@somedomain.com');
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();

    // b reads the tenant for the feed now: the call's end comes without a poll.
    const reads = watchCallReads(page, id);
    await tenant.sendEvent(id, { type: 'finish', disconnected_by: 'disconnected_by_end_user' });
    await expect(entry('Finished')).toBeVisible();
    expect(reads).toEqual([]);
  } finally {
    await fleet.restart('a');
    await expect.poll(() => fleet.balancerState('a')).toBe('UP');
  }
});
