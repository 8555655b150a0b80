import type { BrowserContext, Page } from '@playwright/test';
import { hostUrl, received, sendToDesk, type, waitForMessage } from './support/desk.ts';
import { emulatorAt, expect, test, type Emulator } from './support/fixtures.ts';
import { FRONT_ORIGIN, REFUSED_HOST_ORIGIN, TENANT_ORIGIN } from './support/ports.ts';

// Tenant mode in the browser, as a contact center runs it: the desk at FRONT_ORIGIN fronts
// "the tenant" (an emulator at TENANT_ORIGIN, with its real 10 requests a second) and signs
// agents in through the tenant's identity provider, in a tab and inside a CRM frame on
// another site (localhost). Nobody is signed in when a test starts.

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

/** The identity provider's page: one button per account, its name holding the e-mail. */
async function chooseAccount(page: Page, email: string) {
  await expect(page.getByRole('heading', { name: 'Choose an account' })).toBeVisible();
  await page.getByRole('button', { name: new RegExp(email.replace(/[.@]/g, '\\$&')) }).click();
}

async function signInInTab(context: BrowserContext, email: string, path = '/calls') {
  const page = await context.newPage();
  await page.goto(`${FRONT_ORIGIN}${path}`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`^${TENANT_ORIGIN}/dev-idp/interaction/`));
  await chooseAccount(page, email);
  await expect(page).toHaveURL(`${FRONT_ORIGIN}${path}`);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  return page;
}

test('signing in in a tab, through the tenant’s identity provider, back to the page asked for', async ({
  context,
}) => {
  const inbound = await tenant.inboundCall();
  const page = await signInInTab(context, 'agent@somedomain.com', `/calls/${inbound.id}`);
  await expect(page.getByRole('heading', { level: 1, name: `Call ${inbound.id}` })).toBeVisible();
  await expect(page.getByRole('banner')).toContainText('Avery Agent');
  await expect(page.getByRole('banner')).toContainText('agent@somedomain.com');
  // No emulator behind this desk: no Simulate panel, no "Emulator" badge.
  await expect(page.getByRole('group', { name: 'Simulate events' })).toHaveCount(0);
  await expect(page.getByText('Emulator', { exact: true })).toHaveCount(0);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
});

test('an account that is no agent of the tenant is refused, and told why', async ({ context }) => {
  const page = await context.newPage();
  await page.goto(`${FRONT_ORIGIN}/calls`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await chooseAccount(page, 'guest@example.com');
  await expect(page).toHaveURL(/\/sign-in\?error=no_agent/);
  await expect(page.getByRole('alert')).toContainText('not an agent of this contact center');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
});

test('two agents signed in at once: each sees themselves, and places calls only as themselves', async ({
  browser,
}) => {
  const first = await browser.newContext();
  const second = await browser.newContext();
  try {
    const avery = await signInInTab(first, 'agent@somedomain.com', '/calls/new/outbound');
    const admin = await signInInTab(second, 'admin@somedomain.com', '/calls/new/outbound');
    await expect(avery.getByRole('banner')).toContainText('agent@somedomain.com');
    await expect(admin.getByRole('banner')).toContainText('admin@somedomain.com');

    // The Agent email is the agent's own, and read only.
    const field = avery.getByRole('textbox', { name: 'Agent email' });
    await expect(field).toHaveValue('agent@somedomain.com');
    await expect(field).toHaveAttribute('readonly', '');
    await avery.getByRole('textbox', { name: 'End user number' }).fill('+1 859-657-9625');
    await type(avery, 'Outbound number', '+1 760-867-5309');
    await avery.getByRole('button', { name: 'Create call' }).click();
    await expect(avery.getByRole('heading', { level: 1, name: /^Call \d+$/ })).toBeVisible();
    const calls = await tenant.listCalls();
    expect(calls).toHaveLength(1);
    expect(((await tenant.getCall(calls[0]!.id)).agent_info as { id: number }).id).toBe(2);

    // A request naming someone else, made with Avery's own session, is refused by the server.
    const forged = await avery.evaluate(async () => {
      const response = await fetch('/desk/api/apps/api/v1/calls', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Switchboard-Desk': '1' },
        body: JSON.stringify({
          call_type: 'Voice Outbound (API)',
          agent_email: 'admin@somedomain.com',
          end_user_number: '+1 859-657-9625',
        }),
      });
      return { status: response.status, body: await response.json() };
    });
    expect(forged).toEqual({
      status: 403,
      body: { message: 'You can place calls only as yourself' },
    });
    expect(await tenant.listCalls()).toHaveLength(1);
  } finally {
    await first.close();
    await second.close();
  }
});

test('inside a CRM frame on another site: sign-in in a popup, the session handed to the frame', async ({
  page,
}) => {
  await page.goto(hostUrl('/calls', { desk: FRONT_ORIGIN }));
  await waitForMessage(page, 'ready');
  const desk = page.frameLocator('#switchboard');
  const popupOpened = page.waitForEvent('popup');
  await desk.getByRole('button', { name: 'Sign in' }).click();
  const popup = await popupOpened;
  await chooseAccount(popup, 'agent@somedomain.com');
  // What the agent sees: the frame signed in, and the popup gone by itself.
  await expect(desk.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect.poll(() => popup.isClosed()).toBe(true);
  const started = await waitForMessage(page, 'session.started');
  expect(started.payload).toEqual({
    agent_email: 'agent@somedomain.com',
    agent_name: 'Avery Agent',
  });

  // The host may not choose another agent, nor dial as one.
  await sendToDesk(page, 'set_agent', { agent_email: 'admin@somedomain.com' });
  const refused = await waitForMessage(page, 'error', { request_type: 'set_agent' });
  expect(refused.payload.message).toBe(
    'The desk acts only as agent@somedomain.com, the agent signed in',
  );
  await sendToDesk(page, 'dial', { agent_email: 'admin@somedomain.com', create: true });
  await waitForMessage(page, 'error', { request_type: 'dial' });
  expect(await tenant.listCalls()).toEqual([]);

  // The frame keeps a cookie of its own, in the CRM's partition: a reload stays signed in.
  await page.goto(hostUrl('/embed/check', { desk: FRONT_ORIGIN }));
  await expect(
    desk.getByText(/agent@somedomain\.com, in this frame's own \(partitioned\) cookie/),
  ).toBeVisible();

  // The popup signed the agent in at the desk's own site too: a tab of the desk is theirs.
  const tab = await page.context().newPage();
  await tab.goto(`${FRONT_ORIGIN}/calls`);
  await expect(tab.getByRole('banner')).toContainText('agent@somedomain.com');

  // Sign out in the frame ends that sign-in everywhere: the host hears it, the tab asks again.
  await page.goto(hostUrl('/calls', { desk: FRONT_ORIGIN }));
  await desk.getByRole('button', { name: 'Sign out' }).click();
  await expect(desk.getByRole('button', { name: 'Sign in' })).toBeVisible();
  const ended = await waitForMessage(page, 'session.ended');
  expect(ended.payload).toEqual({ reason: 'signed_out' });
  await tab.reload();
  await expect(tab.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await tab.close();
});

test('where the browser blocks the frame’s cookie, the session is a token held in memory', async ({
  page,
}) => {
  // The browser refuses every cookie the desk's server sets in this frame.
  await page.route(`${FRONT_ORIGIN}/desk/auth/handoff`, async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['set-cookie'];
    await route.fulfill({ response, headers });
  });
  await page.goto(hostUrl('/embed/check', { desk: FRONT_ORIGIN }));
  const desk = page.frameLocator('#switchboard');
  await expect(desk.getByText('Not signed in')).toBeVisible();
  await tenant.inboundCall();
  await page.goto(hostUrl('/calls', { desk: FRONT_ORIGIN }));
  // The desk works from its token: the tenant's calls are read with it.
  const listRead = page.waitForResponse(
    (r) =>
      r.url().startsWith(`${FRONT_ORIGIN}/desk/api/apps/api/v1/calls`) &&
      r.status() === 200 &&
      (r.request().headers().authorization ?? '').startsWith('Bearer '),
  );
  const popupOpened = page.waitForEvent('popup');
  await desk.getByRole('button', { name: 'Sign in' }).click();
  const popup = await popupOpened;
  await chooseAccount(popup, 'admin@somedomain.com');
  await expect(desk.getByRole('button', { name: 'Sign out' })).toBeVisible();
  const list = await listRead;
  expect(((await list.json()) as unknown[]).length).toBe(1);
  await waitForMessage(page, 'session.started', { agent_email: 'admin@somedomain.com' });
});

test('the host page on a site that is not allowed cannot frame the desk, signed in or not', async ({
  page,
}) => {
  const refused = page.waitForEvent('console', {
    predicate: (m) => /frame-ancestors|Refused to frame/i.test(m.text()),
  });
  await page.goto(hostUrl('/calls', { desk: FRONT_ORIGIN, origin: REFUSED_HOST_ORIGIN }));
  await refused;
  expect(await received(page)).toEqual([]);
});

test.describe('a create the tenant does not answer in time', () => {
  test.afterEach(async () => {
    await tenant.setFaults({ create_delay_ms: 0, create_lost: false });
  });

  test('placed but answered late: the desk finds the call and goes on to it, once', async ({
    context,
  }) => {
    const page = await signInInTab(context, 'admin@somedomain.com', '/calls/new/outbound');
    await page.getByRole('textbox', { name: 'End user number' }).fill('+1 859-657-9625');
    await tenant.setFaults({ create_delay_ms: 4000 });
    await page.getByRole('button', { name: 'Create call' }).click();
    await expect(page.getByRole('heading', { level: 1, name: /^Call \d+$/ })).toBeVisible();
    expect(await tenant.listCalls()).toHaveLength(1);
  });

  test('lost: the agent is told the call may have been placed, may not retry until checked, then may', async ({
    context,
  }) => {
    const page = await signInInTab(context, 'admin@somedomain.com', '/calls/new/outbound');
    await page.getByRole('textbox', { name: 'End user number' }).fill('+1 859-657-9625');
    await tenant.setFaults({ create_delay_ms: 2500, create_lost: true });
    const create = page.getByRole('button', { name: 'Create call' });
    await create.click();
    // In the agent's words, with the server's own text kept for support.
    const checking = page.getByRole('alert');
    await expect(checking).toContainText('may have been placed');
    await expect(create).toBeDisabled();
    await tenant.setFaults({ create_lost: false });
    await expect(page.getByRole('alert')).toContainText(
      'The desk has checked: that call was not placed. You can try again.',
    );
    expect(await tenant.listCalls()).toEqual([]);
    await expect(create).toBeEnabled();
    await create.click();
    await expect(page.getByRole('heading', { level: 1, name: /^Call \d+$/ })).toBeVisible();
    expect(await tenant.listCalls()).toHaveLength(1);
  });
});

test('History on the call page says which agent changed a flag', async ({ context }) => {
  const { id } = await tenant.inboundCall();
  const page = await signInInTab(context, 'agent@somedomain.com', `/calls/${id}`);
  await page.getByRole('switch', { name: 'Repeat customer' }).click();
  await expect(page.getByRole('list', { name: 'Changes by agents' })).toContainText(
    'Avery Agent marked the customer: Repeat customer',
  );
  expect((await tenant.getFlags(id)).repeat_customer).toBe(true);
});
