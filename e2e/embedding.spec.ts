import type { ConsoleMessage, FrameLocator, Page } from '@playwright/test';
import { choose, hostUrl, received, sendToDesk, type, waitForMessage } from './support/desk.ts';
import { expect, test } from './support/fixtures.ts';
import { DESK_ORIGIN, HOST_ORIGIN, REFUSED_HOST_ORIGIN } from './support/ports.ts';

// The desk inside a CRM page (e2e/support/crm-host.html, docs/embedding.md's host snippet),
// served from a second origin: framed, driven by postMessage, reporting back; and refused
// when that origin is not on EMBED_ALLOWED_ORIGINS.

const desk = (page: Page): FrameLocator => page.frameLocator('#switchboard');

/** Resolves with the first console message (of the page or any of its frames) that matches. */
function consoleMessage(page: Page, pattern: RegExp): Promise<ConsoleMessage> {
  return page.waitForEvent('console', { predicate: (m) => pattern.test(m.text()) });
}

test('an allowed CRM frames the desk, dials, and hears of the call and its status', async ({
  page,
  emulator,
}) => {
  await page.goto(hostUrl('/calls/new/outbound'));
  const ready = await waitForMessage(page, 'ready');
  expect(ready).toEqual({
    protocol: 'switchboard/v1',
    type: 'ready',
    payload: { version: '1.1.0', protocol: 'switchboard/v1' },
  });

  // dial: the outbound form, filled in, for the agent to check and place.
  await sendToDesk(page, 'dial', {
    end_user_number: '+1 859-657-9625',
    agent_email: 'admin@somedomain.com',
  });
  await expect(desk(page).getByRole('textbox', { name: 'End user number' })).toHaveValue(
    /^\+1 859.657.9625$/,
  );
  await expect(desk(page).getByRole('combobox', { name: 'Agent email', exact: true })).toHaveValue(
    'admin@somedomain.com',
  );
  expect(await emulator.listCalls()).toEqual([]);

  // dial with create: placed at once (the form is open already: it starts again from the dial).
  await sendToDesk(page, 'dial', {
    end_user_number: '+1 205 123 4567',
    agent_email: 'admin@somedomain.com',
    create: true,
  });
  const created = await waitForMessage(page, 'call.created');
  const id = created.payload.id as number;
  expect(created.payload).toEqual({
    id,
    call_type: 'Voice Outbound (API)',
    status: 'assigned',
    end_user_number: '+12051234567',
  });
  await expect(desk(page).getByRole('heading', { level: 1, name: `Call ${id}` })).toBeVisible();
  await waitForMessage(page, 'call.status', { id, status: 'assigned', previous_status: null });

  // The call moves on (elsewhere, through the API): the host hears of each change.
  await emulator.sendEvent(id, { type: 'connect' });
  await waitForMessage(page, 'call.status', {
    id,
    status: 'connected',
    previous_status: 'assigned',
  });
  await emulator.sendEvent(id, { type: 'finish' });
  await waitForMessage(page, 'call.status', {
    id,
    status: 'finished',
    previous_status: 'connected',
  });

  // Only that one call was placed, and the host heard of it once.
  expect(await emulator.listCalls()).toHaveLength(1);
  expect((await received(page)).filter((m) => m.type === 'call.created')).toHaveLength(1);
});

test('open_call, set_agent and flags: the host drives the desk and hears what the agent changed', async ({
  page,
  emulator,
}) => {
  const { id } = await emulator.inboundCall();
  await page.goto(hostUrl('/calls'));
  await waitForMessage(page, 'ready');

  // The desk acts as the agent signed in: the host hears who, and cannot choose someone else.
  const started = await waitForMessage(page, 'session.started');
  expect(started.payload).toEqual({
    agent_email: 'admin@somedomain.com',
    agent_name: 'Admin UJET',
  });
  await sendToDesk(page, 'set_agent', { agent_email: 'agent@somedomain.com' });
  const refused = await waitForMessage(page, 'error', { request_type: 'set_agent' });
  expect(refused.payload.message).toBe(
    'The desk acts only as admin@somedomain.com, the agent signed in',
  );
  await expect(desk(page).getByText('admin@somedomain.com', { exact: true })).toBeVisible();

  await sendToDesk(page, 'open_call', { id });
  await expect(desk(page).getByRole('heading', { level: 1, name: `Call ${id}` })).toBeVisible();
  await waitForMessage(page, 'call.status', { id, status: 'queued', previous_status: null });

  await desk(page).getByRole('switch', { name: 'Bad actor' }).click();
  const flags = await waitForMessage(page, 'customer_flag.changed', { id });
  expect(flags.payload).toEqual({
    id,
    verified_customer: false,
    bad_actor: true,
    repeat_customer: false,
  });

  // What the desk cannot carry out, it answers with error, and stays where it is.
  await sendToDesk(page, 'open_call', { id: 99_999 });
  const missing = await waitForMessage(page, 'error', { request_type: 'open_call' });
  expect(missing.payload.message).toBe('Call 99999 was not found');
  await expect(desk(page).getByRole('heading', { level: 1, name: `Call ${id}` })).toBeVisible();
});

test('a dial the desk cannot place is answered with error, and shown to the agent', async ({
  page,
  emulator,
}) => {
  await emulator.updateAgent('admin@somedomain.com', { status: 'unavailable' });
  await page.goto(hostUrl('/calls/new/outbound'));
  await waitForMessage(page, 'ready');
  await sendToDesk(page, 'dial', {
    end_user_number: '+1 859-657-9625',
    agent_email: 'admin@somedomain.com',
    create: true,
  });
  const error = await waitForMessage(page, 'error', { request_type: 'dial' });
  expect(error.payload.message).toBe('Agent is not available to take this call');
  // The agent reads it in the desk's words; the API's own text is under them, as sent.
  await expect(desk(page).getByRole('alert')).toHaveText(
    'This agent is not available right now. Set them available, or choose another agent. The server said: Agent is not available to take this call',
  );

  // Refused before it leaves the desk (the form's own check, in the same words): the same.
  await sendToDesk(page, 'dial', { agent_email: 'agent@somedomain.com', create: true });
  await waitForMessage(page, 'error', { message: 'ticket_id or end_user_number required' });
  await expect(
    desk(page).getByRole('textbox', { name: 'End user number' }),
  ).toHaveAccessibleDescription(
    'Enter the customer’s number, or a ticket ID to call its contact. The server said: ticket_id or end_user_number required',
  );
  expect(await emulator.listCalls()).toEqual([]);
});

test('ready is said again after the desk reloads in its frame', async ({ page }) => {
  await page.goto(hostUrl('/calls/new/outbound'));
  await waitForMessage(page, 'ready');
  await page.evaluate(() => {
    const frame = document.getElementById('switchboard') as HTMLIFrameElement;
    frame.src = `${frame.src}`; // navigates the frame again
  });
  await expect
    .poll(async () => (await received(page)).filter((m) => m.type === 'ready').length)
    .toBe(2);
});

test('a page on an origin not on the list cannot frame the desk, and nothing it posts is heard', async ({
  page,
  emulator,
}) => {
  const refused = consoleMessage(page, /frame-ancestors/);
  await page.goto(hostUrl('/calls/new/outbound', { origin: REFUSED_HOST_ORIGIN }));
  // Chromium refuses the frame (CSP frame-ancestors) and shows its error page in its place.
  expect((await refused).text()).toContain(`frame-ancestors 'self' ${HOST_ORIGIN}`);
  await expect
    .poll(() => page.frames().map((f) => f.url()))
    .toContain('chrome-error://chromewebdata/');
  expect(page.frames().some((f) => f.url().startsWith(DESK_ORIGIN))).toBe(false);

  await sendToDesk(page, 'dial', {
    end_user_number: '+1 859-657-9625',
    agent_email: 'admin@somedomain.com',
    create: true,
  });
  expect(await received(page)).toEqual([]);
  expect(await emulator.listCalls()).toEqual([]);
});

test('messages from another origin in the CRM page are ignored, and said so in the console', async ({
  page,
  emulator,
}) => {
  await page.goto(hostUrl('/calls/new/outbound'));
  await waitForMessage(page, 'ready');
  const ignored = consoleMessage(page, /\[switchboard\] ignored a message/);
  // A frame from an origin that is not on the list, beside the desk, tries to drive it.
  const message = {
    protocol: 'switchboard/v1',
    type: 'dial',
    payload: {
      end_user_number: '+1 859-657-9625',
      agent_email: 'admin@somedomain.com',
      create: true,
    },
  };
  await page.evaluate(
    ([origin, target, data]) => {
      const sibling = document.createElement('iframe');
      sibling.title = 'Another origin';
      sibling.src = `${origin}/sibling.html?${new URLSearchParams({ target, message: data })}`;
      document.body.append(sibling);
    },
    [REFUSED_HOST_ORIGIN, DESK_ORIGIN, JSON.stringify(message)] as const,
  );
  expect((await ignored).text()).toContain(
    `from ${REFUSED_HOST_ORIGIN}: origin ${REFUSED_HOST_ORIGIN} is not on EMBED_ALLOWED_ORIGINS`,
  );
  await expect(page.frameLocator('iframe[title="Another origin"]').getByText('Sent')).toBeVisible();
  await expect(desk(page).getByRole('textbox', { name: 'End user number' })).toHaveValue('');
  expect(await emulator.listCalls()).toEqual([]);
  expect((await received(page)).map((m) => m.type)).toEqual(['ready', 'session.started']);
});

test('/embed/check in the frame: the origin allowed, storage and cookies, the messages that arrived', async ({
  page,
}) => {
  await page.goto(hostUrl('/embed/check'));
  await waitForMessage(page, 'ready');
  const check = desk(page);
  await expect(check.getByRole('heading', { level: 1, name: 'Embedding check' })).toBeVisible();
  await expect(check.getByText('This origin is allowed')).toBeVisible();
  await expect(
    check.getByRole('alert').filter({ hasText: 'This origin is allowed' }),
  ).toContainText(HOST_ORIGIN);
  // What the page says is what this frame can do (this Chromium blocks third-party storage:
  // the desk above has worked without it all along).
  const storage = check.getByRole('region', { name: 'Storage and cookies' });
  const truth = await check.locator('body').evaluate(() => {
    try {
      localStorage.setItem('probe', '1');
      localStorage.removeItem('probe');
      return 'Works';
    } catch {
      return 'Blocked';
    }
  });
  await expect(storage.getByRole('definition').first()).toContainText(truth);
  await expect(storage).not.toContainText('Checking…');
  await expect(storage.getByRole('definition')).toHaveCount(4);
  await expect(check.getByText('No messages have arrived.')).toBeVisible();

  const ignored = consoleMessage(
    page,
    /\[switchboard\] ignored a message from .*unknown type "hang_up"/,
  );
  await page.evaluate(() =>
    (window as unknown as { sendRawToDesk: (d: unknown) => void }).sendRawToDesk({
      protocol: 'switchboard/v1',
      type: 'hang_up',
      payload: {},
    }),
  );
  await ignored;
  await sendToDesk(page, 'set_agent', { agent_email: 'admin@somedomain.com' });
  await expect(check.getByText('2 messages have arrived.')).toBeVisible();
  const log = check.getByRole('list', { name: 'Messages, newest first' }).getByRole('listitem');
  await expect(log.filter({ hasText: `set_agent from ${HOST_ORIGIN}` })).toContainText('Accepted');
  await expect(log.filter({ hasText: `hang_up from ${HOST_ORIGIN}` })).toContainText(
    'Why: unknown type "hang_up"',
  );
  await expect(log.filter({ hasText: `ready to ${HOST_ORIGIN}` })).toContainText('Sent');
});

test('/embed/check in a tab of its own says it is not in a frame', async ({ page }) => {
  await page.goto('/embed/check');
  await expect(page.getByRole('alert').filter({ hasText: 'Not in a frame' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'This frame' })).toContainText(
    'Nobody: the desk posts messages only when framed',
  );
});

test.describe('compact when framed: usable at 360×640', () => {
  /** Fails with the elements that stick out of the frame sideways. */
  async function expectNoSidewaysOverflow(frame: FrameLocator) {
    const overflow = await frame.locator('body').evaluate(() => {
      const width = document.documentElement.clientWidth;
      const out = [...document.querySelectorAll('body *')]
        .filter((e) => {
          const r = e.getBoundingClientRect();
          // Only what sticks out to the right can be scrolled to (the skip link hides far left).
          return r.width > 0 && r.height > 0 && r.right > width + 0.5;
        })
        .filter((e) => !e.closest('[aria-hidden="true"], .MuiPopover-root'))
        .map((e) => `${e.tagName.toLowerCase()} "${(e.textContent ?? '').slice(0, 40)}"`);
      return { width, scrollWidth: document.documentElement.scrollWidth, out: out.slice(0, 10) };
    });
    expect(overflow.width).toBe(360);
    expect(overflow.scrollWidth).toBeLessThanOrEqual(overflow.width);
    expect(overflow.out).toEqual([]);
  }

  test('the form, the detail and the flags, without scrolling sideways', async ({
    page,
    emulator,
  }) => {
    await page.setViewportSize({ width: 480, height: 760 });
    await page.goto(hostUrl('/calls/new/inbound', { width: 360, height: 640 }));
    await waitForMessage(page, 'ready');
    const frame = desk(page);
    await expect(frame.getByRole('form', { name: 'New inbound call' })).toBeVisible();
    await expectNoSidewaysOverflow(frame);

    for (const tab of ['Outbound', 'Scheduled', 'Inbound']) {
      await frame.getByRole('tab', { name: tab }).click();
      await expect(frame.getByRole('tab', { name: tab, selected: true })).toBeVisible();
      await expectNoSidewaysOverflow(frame);
    }
    await choose(frame, 'Menu', /^Main Line/);
    await frame.getByRole('textbox', { name: 'End user number' }).fill('+1 205 123 4567');
    await type(frame, 'Language', 'en');
    await frame.getByRole('button', { name: 'Create call' }).click();
    await expect(frame.getByRole('heading', { level: 1, name: /^Call \d+$/ })).toBeVisible();
    await expectNoSidewaysOverflow(frame);

    const flags = frame.getByRole('region', { name: 'Customer flags' });
    await flags.getByRole('switch', { name: 'Repeat customer' }).click();
    await waitForMessage(page, 'customer_flag.changed', { repeat_customer: true });
    await expectNoSidewaysOverflow(frame);
    await frame
      .getByRole('group', { name: 'Simulate events' })
      .getByRole('button', { name: 'Assign' })
      .click();
    await expect(frame.getByRole('list', { name: 'Timeline' })).toContainText('Assigned');
    await expectNoSidewaysOverflow(frame);
    expect(await emulator.listCalls()).toHaveLength(1);
  });

  test('the call list and the check page, without scrolling sideways', async ({
    page,
    emulator,
  }) => {
    await emulator.inboundCall();
    await page.goto(hostUrl('/calls', { width: 360, height: 640 }));
    await waitForMessage(page, 'ready');
    await expect(desk(page).getByRole('link', { name: /^Open call \d+$/ })).toHaveCount(1);
    await expectNoSidewaysOverflow(desk(page));
    await page.goto(hostUrl('/embed/check', { width: 360, height: 640 }));
    await expect(desk(page).getByText('This origin is allowed')).toBeVisible();
    await expectNoSidewaysOverflow(desk(page));
  });
});
