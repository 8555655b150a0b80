import type { Frame, Page } from '@playwright/test';
import { hostUrl, received, sendToDesk, waitForMessage } from './support/desk.ts';
import { expect, test } from './support/fixtures.ts';
import { DESK_ORIGIN, HOST_ORIGIN, REFUSED_HOST_ORIGIN } from './support/ports.ts';

// What the desk shows of data it does not control stays inert, and what it says to a CRM
// goes to that CRM only.

const HOSTILE_NAME = '<img src=x onerror="window.__xss=1">';
const HOSTILE_AVATAR = 'javascript:window.__xss=2';
const HOSTILE_RECORDING = 'javascript:window.__xss=3';

/** Every dialog the page opens (alert, confirm, prompt), dismissed and kept. */
function collectDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return dialogs;
}

async function expectInert(page: Page): Promise<void> {
  await expect(page.locator('[onerror], [onload], [onclick]')).toHaveCount(0);
  await expect(page.locator('img[onerror]')).toHaveCount(0);
  // No link or image the page holds leads to script, however its URL is spelt.
  const schemes = await page.evaluate(() => [
    ...[...document.querySelectorAll('a[href]')].map((a) => (a as HTMLAnchorElement).protocol),
    ...[...document.querySelectorAll('img[src]')].map(
      (img) => new URL((img as HTMLImageElement).src, location.href).protocol,
    ),
  ]);
  expect(schemes.filter((s) => s !== 'http:' && s !== 'https:')).toEqual([]);
  // Settled: the live feed is up (the page's data is in), and every image has loaded or
  // failed (an onerror would have run). Not 'networkidle': the feed's stream stays open.
  await expect(page.getByRole('status').filter({ hasText: 'Up to date' })).toBeVisible();
  await page.waitForFunction(() => [...document.images].every((img) => img.complete));
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBe(
    undefined,
  );
}

test('a call whose data carries HTML and javascript: URLs is shown as text, and nothing runs', async ({
  page,
  emulator,
}) => {
  const dialogs = collectDialogs(page);
  await emulator.updateAgent('admin@somedomain.com', {
    first_name: HOSTILE_NAME,
    avatar_url: HOSTILE_AVATAR,
  });
  const { id } = await emulator.createCall({
    call_type: 'Voice Outbound (API)',
    agent_email: 'admin@somedomain.com',
    end_user_number: '+1 859-657-9625',
  });
  await emulator.sendEvent(id, { type: 'connect' });
  const finished = await emulator.sendEvent(id, {
    type: 'finish',
    recording_url: HOSTILE_RECORDING,
  });
  expect(finished.status).toBe('finished');
  // The API hands the hostile values back as they were given: the desk is what must cope.
  const stored = await emulator.getCall(id);
  expect(stored.recording_url).toBe(HOSTILE_RECORDING);
  expect(stored.agent_info).toMatchObject({ avatar_url: HOSTILE_AVATAR });

  await page.goto(`/calls/${id}`);
  await expect(page.getByRole('heading', { level: 1, name: `Call ${id}` })).toBeVisible();
  // The agent's name, character for character, as the text of the Details section.
  const name = page.getByText(`${HOSTILE_NAME} UJET (admin@somedomain.com)`, { exact: true });
  await expect(name).toBeVisible();
  // The recording's URL is shown, not offered as a link.
  const recording = page.getByText(HOSTILE_RECORDING, { exact: true });
  await expect(recording).toBeVisible();
  await expect(page.getByRole('link', { name: 'Listen to the recording' })).toHaveCount(0);
  await expectInert(page);

  await name.click();
  await recording.click();
  await expectInert(page);

  await page.goto('/calls');
  const row = page
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: `Open call ${id}` }) });
  const listed = row.getByText(`${HOSTILE_NAME} UJET`, { exact: true });
  await expect(listed).toBeVisible();
  await listed.click();
  await expectInert(page);
  expect(dialogs).toEqual([]);
});

// ---------------------------------------------------------------------------------------
// postMessage, recorded in every frame before the page's own code runs. The desk posts to
// its parent (window.parent, a window of another origin): that call cannot be seen by
// wrapping a function in either frame, so the desk frame's `parent` is replaced by a
// recorder that forwards to the real one (and a message from the real parent reports the
// recorder as its source, so the desk still recognises its host).
// ---------------------------------------------------------------------------------------

interface Posted {
  via: 'parent' | 'window' | 'port' | 'broadcast';
  targetOrigin: string | null;
  type: string | null;
  /** Whether anything (a MessagePort) was transferred with it. */
  transfer: boolean;
}

function recordPostMessages() {
  const posted: Posted[] = [];
  Object.defineProperty(window, '__posted', { value: posted });
  const typeOf = (data: unknown) =>
    data && typeof data === 'object' && 'type' in data ? String(data.type) : null;
  // postMessage(message, targetOrigin, transfer) or (message, { targetOrigin, transfer });
  // without one, the target is "/" (the poster's own origin).
  const transferOf = (options: unknown, transfer: unknown) =>
    (Array.isArray(transfer) && transfer.length > 0) ||
    Boolean(
      options &&
      typeof options === 'object' &&
      'transfer' in options &&
      Array.isArray(options.transfer) &&
      options.transfer.length > 0,
    );
  const targetOf = (options: unknown) =>
    typeof options === 'string'
      ? options
      : options && typeof options === 'object' && 'targetOrigin' in options
        ? String(options.targetOrigin)
        : '/';

  const ownPost = window.postMessage.bind(window) as (...args: unknown[]) => void;
  window.postMessage = ((message: unknown, ...rest: unknown[]) => {
    posted.push({
      via: 'window',
      targetOrigin: targetOf(rest[0]),
      type: typeOf(message),
      transfer: transferOf(rest[0], rest[1]),
    });
    ownPost(message, ...rest);
  }) as typeof window.postMessage;

  const portPost = MessagePort.prototype.postMessage as (...args: unknown[]) => void;
  MessagePort.prototype.postMessage = function (this: MessagePort, ...args: unknown[]) {
    posted.push({ via: 'port', targetOrigin: null, type: typeOf(args[0]), transfer: false });
    portPost.apply(this, args);
  } as typeof MessagePort.prototype.postMessage;

  const broadcastPost = BroadcastChannel.prototype.postMessage as (message: unknown) => void;
  BroadcastChannel.prototype.postMessage = function (this: BroadcastChannel, message: unknown) {
    posted.push({ via: 'broadcast', targetOrigin: null, type: typeOf(message), transfer: false });
    broadcastPost.call(this, message);
  };

  if (window.parent !== window) {
    const real = window.parent;
    const realPost = (...args: unknown[]) =>
      (real.postMessage as (...a: unknown[]) => void)(...args);
    const parent = {
      postMessage(message: unknown, ...rest: unknown[]) {
        posted.push({
          via: 'parent',
          targetOrigin: targetOf(rest[0]),
          type: typeOf(message),
          transfer: transferOf(rest[0], rest[1]),
        });
        realPost(message, ...rest);
      },
    };
    Object.defineProperty(window, 'parent', { configurable: true, get: () => parent });
    const source = Object.getOwnPropertyDescriptor(MessageEvent.prototype, 'source')!;
    Object.defineProperty(MessageEvent.prototype, 'source', {
      configurable: true,
      get(this: MessageEvent) {
        const from = source.get!.call(this) as unknown;
        return from === real ? parent : from;
      },
    });
  }
}

function deskFrame(page: Page): Frame {
  const frame = page
    .frames()
    .find((f) => f !== page.mainFrame() && f.url().startsWith(DESK_ORIGIN));
  if (!frame) throw new Error('the desk frame is not there');
  return frame;
}

function posted(frame: Frame): Promise<Posted[]> {
  return frame.evaluate(() => (window as unknown as { __posted: Posted[] }).__posted);
}

test('framed by the CRM, the desk posts only to the CRM, by its exact origin', async ({
  page,
  emulator,
}) => {
  await page.addInitScript(recordPostMessages);
  const { id: inbound } = await emulator.inboundCall();
  await page.goto(hostUrl('/calls/new/outbound'));
  await waitForMessage(page, 'ready');
  const desk = page.frameLocator('#switchboard');

  await sendToDesk(page, 'dial', {
    end_user_number: '+1 859-657-9625',
    agent_email: 'admin@somedomain.com',
  });
  await expect(desk.getByRole('textbox', { name: 'End user number' })).toHaveValue(
    /^\+1 859.657.9625$/,
  );
  await sendToDesk(page, 'dial', {
    end_user_number: '+1 205 123 4567',
    agent_email: 'admin@somedomain.com',
    create: true,
  });
  const created = await waitForMessage(page, 'call.created');
  const id = created.payload.id as number;
  await expect(desk.getByRole('heading', { level: 1, name: `Call ${id}` })).toBeVisible();
  await waitForMessage(page, 'call.status', { id, status: 'assigned' });

  await sendToDesk(page, 'open_call', { id: inbound });
  await expect(desk.getByRole('heading', { level: 1, name: `Call ${inbound}` })).toBeVisible();
  await waitForMessage(page, 'call.status', { id: inbound, status: 'queued' });
  await sendToDesk(page, 'open_call', { id: 99_999 });
  await waitForMessage(page, 'error', { request_type: 'open_call' });

  // A frame of an origin off the list, beside the desk, asks it for a call: no answer goes
  // to that origin (nor anywhere else).
  const before = (await posted(deskFrame(page))).length;
  await page.evaluate(
    ([origin, target, data]) => {
      const sibling = document.createElement('iframe');
      sibling.title = 'Another origin';
      sibling.src = `${origin}/sibling.html?${new URLSearchParams({ target, message: data })}`;
      document.body.append(sibling);
    },
    [
      REFUSED_HOST_ORIGIN,
      DESK_ORIGIN,
      JSON.stringify({ protocol: 'switchboard/v1', type: 'open_call', payload: { id } }),
    ] as const,
  );
  await expect(page.frameLocator('iframe[title="Another origin"]').getByText('Sent')).toBeVisible();
  await expect(desk.getByRole('heading', { level: 1, name: `Call ${inbound}` })).toBeVisible();

  const frame = deskFrame(page);
  const all = await posted(frame);
  expect(all.slice(before).filter((p) => p.via === 'parent' || p.via === 'window')).toEqual([]);
  const toHost = all.filter((p) => p.via === 'parent' || p.via === 'window');
  // The recorder saw the traffic (not a test that passes on silence)...
  expect(toHost.map((p) => p.type)).toEqual(
    expect.arrayContaining(['ready', 'call.created', 'call.status', 'error']),
  );
  // ...every message went to the host's own origin, never "*" or another origin...
  expect(toHost.filter((p) => p.targetOrigin !== HOST_ORIGIN)).toEqual([]);
  // ...and each one posted is each one the host heard.
  expect(toHost.length).toBe((await received(page)).length);
  // No MessagePort is handed to the host (the desk's own ports, React's scheduler among
  // them, stay in the frame), and its BroadcastChannel cannot leave the desk's origin.
  expect(toHost.filter((p) => p.transfer)).toEqual([]);
});

/** Every CSP violation the page and its frames report, kept in the page as they happen. */
async function recordViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.effectiveDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`),
    );
  });
  const refused: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
  });
  return async () => {
    const reported = await Promise.all(
      page
        .frames()
        .map((f) =>
          f.evaluate(() => (window as unknown as { __violations?: string[] }).__violations ?? []),
        ),
    );
    return [...reported.flat(), ...refused];
  };
}

test('no page reports a CSP violation: zod does not probe for eval, Swagger UI fits its policy', async ({
  page,
  emulator,
}) => {
  const violations = await recordViolations(page);
  const { id } = await emulator.inboundCall();

  await page.goto('/calls/new/outbound');
  await page.getByRole('combobox', { name: 'Agent email', exact: true }).fill('nobody');
  await page.getByRole('button', { name: 'Create call' }).click();
  // The form's checks ran (zod parsed the form), and their message is shown.
  await expect(page.getByRole('combobox', { name: 'Agent email', exact: true })).toHaveAttribute(
    'aria-invalid',
    'true',
  );
  await page.goto('/calls');
  await expect(page.getByRole('link', { name: `Open call ${id}` })).toBeVisible();
  await page.goto(`/calls/${id}`);
  await expect(page.getByRole('heading', { level: 1, name: `Call ${id}` })).toBeVisible();
  await page.goto(hostUrl(`/calls/${id}`));
  await waitForMessage(page, 'ready');
  await expect(
    page.frameLocator('#switchboard').getByRole('heading', { level: 1, name: `Call ${id}` }),
  ).toBeVisible();
  expect(await violations()).toEqual([]);

  await page.goto('/docs');
  const operation = page.getByRole('button', { name: /^POST \/apps\/api\/v1\/calls Create/ });
  await expect(operation).toBeVisible();
  await operation.click();
  await expect(page.getByRole('button', { name: 'Try it out' }).first()).toBeVisible();
  expect(await violations()).toEqual([]);
});
