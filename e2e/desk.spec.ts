import type { Browser, Page } from '@playwright/test';
import { DESK_ORIGIN } from './support/ports.ts';
import { type Emulator, expect, signInAs, test } from './support/fixtures.ts';

// The desk as an agent sees it, in both languages and both schemes, at a desk's width and
// at a CRM softphone panel's (360×640): the call's header in the first screen with its
// timer moving, the agent's words with the server's text kept under them, the focus where
// the keyboard expects it after each navigation and dialog, a tab title per page, and a new
// queued call announced.

const SIZES = [
  { name: '1440×900', width: 1440, height: 900 },
  { name: '360×640', width: 360, height: 640 },
] as const;
const LANGUAGES = [
  {
    locale: 'en-US',
    call: (id: number) => `Call ${id}`,
    connected: 'Connected',
    simulate: 'Simulate events',
    customer: 'Customer',
    state: 'State',
  },
  {
    locale: 'es-ES',
    call: (id: number) => `Llamada ${id}`,
    connected: 'Conectada',
    simulate: 'Simular eventos',
    customer: 'Cliente',
    state: 'Estado',
  },
] as const;
const SCHEMES = ['light', 'dark'] as const;

/** Errors the desk logged: a message that reached the browser unparsed shows up here. */
function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) {
      errors.push(message.text());
    }
  });
  return errors;
}

async function connectedCall(emulator: Emulator): Promise<number> {
  const { id } = await emulator.inboundCall('+1 859 657 9625');
  await emulator.sendEvent(id, { type: 'assign', agent_email: 'admin@somedomain.com' });
  await emulator.sendEvent(id, { type: 'connect' });
  return id;
}

async function openDesk(
  browser: Browser,
  options: { locale: string; scheme: 'light' | 'dark'; width: number; height: number },
) {
  const context = await browser.newContext({
    baseURL: DESK_ORIGIN,
    locale: options.locale,
    colorScheme: options.scheme,
    viewport: { width: options.width, height: options.height },
  });
  await signInAs(context, 'admin@somedomain.com');
  return { context, page: await context.newPage() };
}

/** True when the page is in its light scheme (its background says so). */
async function isLight(page: Page): Promise<boolean> {
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const [r, g, b] = background.match(/\d+/g)!.map(Number);
  return r! + g! + b! > 382;
}

/** The rectangle of a locator, which must be inside the first screen of the page. */
async function expectInFirstScreen(page: Page, what: ReturnType<Page['getByRole']>) {
  const box = await what.boundingBox();
  const viewport = page.viewportSize()!;
  expect(box, 'on the page').not.toBeNull();
  expect(box!.y, 'from the top').toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height, 'inside the first screen').toBeLessThanOrEqual(viewport.height);
  expect(box!.x + box!.width, 'not off to the side').toBeLessThanOrEqual(viewport.width + 1);
}

for (const language of LANGUAGES) {
  for (const scheme of SCHEMES) {
    for (const size of SIZES) {
      test(`the call's header at ${size.name}, ${language.locale}, ${scheme}: in the first screen, its timer moving`, async ({
        browser,
        emulator,
      }) => {
        const id = await connectedCall(emulator);
        const { context, page } = await openDesk(browser, {
          locale: language.locale,
          scheme,
          ...size,
        });
        const errors = consoleErrors(page);
        await page.goto(`/calls/${id}`);
        const heading = page.getByRole('heading', { level: 1, name: language.call(id) });
        await expect(heading).toBeVisible();
        const state = page.getByRole('group', { name: language.state });
        await expect(state.getByText(language.connected, { exact: true })).toBeVisible();
        const timer = state.getByRole('timer');
        await expect(timer).toHaveText(/^\d+:\d{2}$/);
        const simulate = page.getByRole('group', { name: language.simulate });
        await expect(simulate).toBeVisible();
        // Everything an agent reads at a glance fits the first screen, the actions included.
        for (const part of [
          heading,
          state,
          page.getByText('+1 859 657 9625', { exact: true }).first(),
          simulate,
        ]) {
          await expectInFirstScreen(page, part);
        }
        await expect(page.locator('html')).toHaveAttribute('lang', language.locale.slice(0, 2));
        // The scheme the system asks for: the page's background says which one it is.
        expect(await isLight(page)).toBe(scheme === 'light');
        // The timer runs while the call sits in its state: wait for it to move on.
        const first = await timer.textContent();
        await expect(timer).not.toHaveText(first!, { timeout: 5_000 });
        expect(errors).toEqual([]);
        await context.close();
      });
    }
  }
}

test('on hold: the header says so and times the hold, the title says it too', async ({
  page,
  emulator,
}) => {
  const id = await connectedCall(emulator);
  await page.goto(`/calls/${id}`);
  const state = page.getByRole('group', { name: 'State' });
  await expect(state.getByText('Connected', { exact: true })).toBeVisible();
  await page
    .getByRole('group', { name: 'Simulate events' })
    .getByRole('button', { name: 'Hold', exact: true })
    .click();
  await expect(state.getByText('On hold', { exact: true })).toBeVisible();
  // The hold's own timer, from zero; it keeps running.
  await expect(state.getByRole('timer')).toHaveText(/^0:0\d$/);
  await expect(page).toHaveTitle(`Call ${id} · On hold · Switchboard`);
  // A flag change does not restart the clock of the state.
  const before = await state.getByRole('timer').textContent();
  await page.getByRole('switch', { name: 'Verified customer' }).click();
  await expect(page.getByRole('list', { name: 'Customer flags set' })).toContainText(
    'Verified customer',
  );
  await expect(state.getByRole('timer')).not.toHaveText('0:00');
  const after = await state.getByRole('timer').textContent();
  expect(after! >= before!).toBe(true);
});

test('bad actor shows as a badge in the warning colour, at once', async ({ page, emulator }) => {
  const { id } = await emulator.inboundCall();
  await page.goto(`/calls/${id}`);
  await page.getByRole('switch', { name: 'Bad actor' }).click();
  const badge = page.getByRole('list', { name: 'Customer flags set' }).getByText('Bad actor');
  await expect(badge).toBeVisible();
  const colour = await badge.evaluate(
    (el) => getComputedStyle(el.closest('.MuiChip-root')!).backgroundColor,
  );
  // The theme's warning colour (#a84b00 in the light scheme).
  expect(colour).toBe('rgb(168, 75, 0)');
});

for (const language of LANGUAGES) {
  test(`an API error in the agent's words, the server's text under them (${language.locale})`, async ({
    browser,
  }) => {
    const { context, page } = await openDesk(browser, {
      locale: language.locale,
      scheme: 'light',
      width: 1440,
      height: 900,
    });
    await page.goto('/calls/new/outbound');
    const english = language.locale === 'en-US';
    await page
      .getByRole('combobox', { name: english ? 'Agent email' : 'Correo del agente', exact: true })
      .fill('admin@somedomain.com');
    await page.getByRole('button', { name: english ? 'Create call' : 'Crear la llamada' }).click();
    const number = page.getByLabel(english ? 'End user number' : 'Número del cliente');
    await expect(number).toHaveAccessibleDescription(
      english
        ? 'Enter the customer’s number, or a ticket ID to call its contact. The server said: ticket_id or end_user_number required'
        : 'Escriba el número del cliente, o un ID de ticket para llamar a su contacto. El servidor dijo: ticket_id or end_user_number required',
    );
    // The server's exact words are there, on their own, for whoever supports the agent.
    await expect(
      page.getByText('ticket_id or end_user_number required', { exact: true }),
    ).toBeVisible();
    await context.close();
  });
}

test('the focus goes to each page’s heading, and back to the trigger after a dialog', async ({
  page,
  emulator,
}) => {
  const { id } = await emulator.inboundCall();
  await page.goto('/calls');
  await page.getByRole('link', { name: `Open call ${id}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Call ${id}` })).toBeFocused();

  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'New call' })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'New call' })).toBeFocused();
  // A tab of the form is the same page: the focus stays on the tab.
  await page.getByRole('tab', { name: 'Inbound' }).click();
  await expect(page.getByRole('tab', { name: 'Inbound' })).toBeFocused();
  await page.getByRole('tab', { name: 'Outbound' }).click();

  await page
    .getByRole('combobox', { name: 'Agent email', exact: true })
    .fill('admin@somedomain.com');
  await page.getByLabel('End user number').fill('+1 859 657 9625');
  await page.getByRole('button', { name: 'Create call' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Call \d+$/ })).toBeFocused();

  const scheduled = await emulator.createCall({
    call_type: 'Voice Scheduled (API)',
    menu_id: 9,
    end_user_number: '+1 205 123 4567',
    scheduled_at: new Date(Date.now() + 86_400_000).toISOString(),
  });
  await page.goto(`/calls/${scheduled.id}`);
  const cancel = page.getByRole('button', { name: 'Cancel scheduled call' });
  await cancel.click();
  const dialog = page.getByRole('dialog', { name: `Cancel call ${scheduled.id}?` });
  await dialog.getByRole('button', { name: 'Keep it' }).click();
  await expect(dialog).toBeHidden();
  await expect(cancel).toBeFocused();
  await cancel.click();
  await dialog.getByRole('button', { name: 'Yes, cancel it' }).click();
  await expect(dialog).toBeHidden();
  // The button went with the scheduled state: the heading has the focus, not <body>.
  await expect(page.getByRole('heading', { level: 1, name: `Call ${scheduled.id}` })).toBeFocused();
  await expect(page.getByRole('group', { name: 'State' })).toContainText('Cancelled');
  // The customer was not called: nobody says they cancelled.
  await expect(page.getByRole('list', { name: 'Participants' })).toContainText(
    'Not called: the call was cancelled',
  );
  await expect(page.getByText('Customer cancelled')).toHaveCount(0);
});

test('each page has its own title', async ({ page, emulator }) => {
  const { id } = await emulator.inboundCall();
  await page.goto('/calls');
  await expect(page).toHaveTitle('Calls · Switchboard');
  await page.goto('/calls/new/outbound');
  await expect(page).toHaveTitle('New call · Switchboard');
  await page.goto(`/calls/${id}`);
  await expect(page).toHaveTitle(`Call ${id} · Queued · Switchboard`);
  await page.goto('/embed/check');
  await expect(page).toHaveTitle('Embedding check · Switchboard');
});

test('a new queued call: a count in the tab title, and a desktop notification', async ({
  browser,
  emulator,
}) => {
  const context = await browser.newContext({ baseURL: DESK_ORIGIN });
  await signInAs(context, 'admin@somedomain.com');
  await context.grantPermissions(['notifications'], { origin: DESK_ORIGIN });
  // The browser's own Notification, watched: what the desk shows is recorded for the test.
  await context.addInitScript(() => {
    const Real = window.Notification;
    const shown: Array<{ title: string; body: string }> = [];
    (window as unknown as { shownNotifications: typeof shown }).shownNotifications = shown;
    class Watched extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        shown.push({ title, body: options?.body ?? '' });
      }
    }
    Object.defineProperty(Watched, 'permission', { get: () => Real.permission });
    window.Notification = Watched as typeof Notification;
  });
  const page = await context.newPage();
  const { id: open } = await emulator.inboundCall();
  await page.goto(`/calls/${open}`);
  await expect(page).toHaveTitle(`Call ${open} · Queued · Switchboard`);
  // Calls that were there when the desk opened are not news.
  const arriving = await emulator.inboundCall('+1 205 555 0142');
  await expect(page).toHaveTitle(`(1) Call ${open} · Queued · Switchboard`);
  await expect(page.getByRole('navigation', { name: 'Main' })).toContainText('1');
  await expect
    .poll(() =>
      page.evaluate(
        () => (window as unknown as { shownNotifications: unknown[] }).shownNotifications,
      ),
    )
    .toEqual([{ title: `Call ${arriving.id} is waiting`, body: 'From +1 205 555 0142' }]);
  // Looking at the list is seeing it.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Calls/ }).click();
  await expect(page.getByRole('link', { name: `Open call ${arriving.id}` })).toBeVisible();
  await expect(page).toHaveTitle('Calls · Switchboard');
  await context.close();
});

test('the list: statuses grouped, my calls, relative times, the call one click away', async ({
  page,
  emulator,
}) => {
  const mine = await connectedCall(emulator);
  const waiting = (await emulator.inboundCall()).id;
  await page.goto('/calls');
  const table = page.getByRole('table', { name: 'Calls' });
  await expect(table.getByRole('link', { name: /^Open call / })).toHaveCount(2);
  await expect(table).toContainText(/now|seconds? ago|sec\. ago/);
  await page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Waiting: any' });
  await expect(table.getByRole('link', { name: /^Open call / })).toHaveCount(1);
  await expect(table.getByRole('link', { name: `Open call ${waiting}` })).toBeVisible();
  await page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'All statuses' });
  await page.getByRole('button', { name: 'My calls' }).click();
  await expect(table.getByRole('link', { name: /^Open call / })).toHaveCount(1);
  await table.getByRole('link', { name: `Open call ${mine}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Call ${mine}` })).toBeVisible();
});

test('the language and the scheme are switched in the app bar, and remembered', async ({
  page,
}) => {
  await page.goto('/calls');
  await expect(page.getByRole('heading', { level: 1, name: 'Calls' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Desk language' }).selectOption('es');
  await expect(page.getByRole('heading', { level: 1, name: 'Llamadas' })).toBeVisible();
  expect(await isLight(page)).toBe(true);
  await page.getByRole('combobox', { name: 'Tema' }).selectOption('dark');
  await expect.poll(() => isLight(page)).toBe(false);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Llamadas' })).toBeVisible();
  expect(await isLight(page)).toBe(false);
  await expect(page.getByRole('combobox', { name: 'Idioma del escritorio' })).toHaveValue('es');
});

test('an unknown address is the desk’s own page, with the way to the calls', async ({ page }) => {
  const response = await page.goto('/nope');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to calls' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Calls' })).toBeVisible();
});

test('the API reference takes the desk’s scheme and links back to it', async ({ page }) => {
  await page.goto('/calls');
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
  await page.goto('/docs');
  await expect(page.locator('html')).toHaveAttribute('data-scheme', 'dark');
  await page.getByRole('link', { name: '← Switchboard' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Calls' })).toBeVisible();
});
