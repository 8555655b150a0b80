import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { hostUrl, waitForMessage } from './support/desk.ts';
import { type Emulator, expect, test } from './support/fixtures.ts';

// axe-core on every page of the desk, in a tab of its own and framed in the CRM host page
// (axe goes into the frame): no serious or critical violation anywhere. Dialogs the agent
// meets on the way are scanned open.

/**
 * Waits until nothing on the page or in its frames is still moving: a scan mid-fade reads
 * colours that are neither the start nor the end (axe once read #e8d6d6 on #c84545 in a
 * dialog fading in). Endless animations (a spinner) do not count: they never settle.
 */
async function settled(page: Page) {
  for (const frame of page.frames()) {
    await frame.waitForFunction(() =>
      document
        .getAnimations()
        .every(
          (a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity,
        ),
    );
  }
}

async function expectAccessible(page: Page, what: string) {
  await settled(page);
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')}: ${n.html.slice(0, 120)}\n    ${n.failureSummary?.replace(/\n/g, ' ')}`).join('\n')}`,
    );
  expect(serious, `${what}: ${serious.join('\n')}`).toEqual([]);
}

interface DeskPage {
  name: string;
  /** Arranges the tenant and returns the path. */
  path: (emulator: Emulator) => Promise<string>;
  /** What shows once the page is ready to be scanned. */
  ready: (scope: Page | ReturnType<Page['frameLocator']>) => Locator;
}

const PAGES: DeskPage[] = [
  {
    name: 'the call list',
    path: async (e) => {
      await e.inboundCall();
      return '/calls';
    },
    ready: (s) => s.getByRole('link', { name: /^Open call \d+$/ }),
  },
  {
    name: 'the call list, empty',
    path: async () => '/calls',
    ready: (s) => s.getByText('No calls yet.'),
  },
  {
    name: 'a new outbound call',
    path: async () => '/calls/new/outbound',
    ready: (s) => s.getByRole('form', { name: 'New outbound call' }),
  },
  {
    name: 'a new inbound call',
    path: async () => '/calls/new/inbound',
    ready: (s) => s.getByRole('form', { name: 'New inbound call' }),
  },
  {
    name: 'a new scheduled call',
    path: async () => '/calls/new/scheduled',
    ready: (s) => s.getByRole('form', { name: 'New scheduled call' }),
  },
  {
    name: 'a live call, with Simulate',
    path: async (e) => `/calls/${(await e.inboundCall()).id}`,
    ready: (s) => s.getByRole('group', { name: 'Simulate events' }),
  },
  {
    name: 'a finished call, transferred',
    path: async (e) => {
      const { id } = await e.inboundCall();
      for (const event of [
        { type: 'assign', agent_email: 'admin@somedomain.com' },
        { type: 'connect' },
        { type: 'transfer', to_agent_email: 'agent@somedomain.com' },
        { type: 'transfer_accept' },
        { type: 'finish' },
      ]) {
        await e.sendEvent(id, event);
      }
      return `/calls/${id}`;
    },
    ready: (s) => s.getByText('This call takes no more events.'),
  },
  {
    name: 'a scheduled call',
    path: async (e) => {
      const call = await e.createCall({
        call_type: 'Voice Scheduled (API)',
        menu_id: 9,
        end_user_number: '+1 205 123 4567',
        scheduled_at: new Date(Date.now() + 86_400_000).toISOString(),
      });
      return `/calls/${call.id}`;
    },
    ready: (s) => s.getByRole('button', { name: 'Cancel scheduled call' }),
  },
  {
    name: 'a call that does not exist',
    path: async () => '/calls/99999',
    ready: (s) => s.getByText('Call 99999 was not found'),
  },
  {
    name: 'a page that does not exist',
    path: async () => '/calls/new/nowhere',
    ready: (s) => s.getByRole('heading', { name: 'Page not found' }),
  },
  {
    name: 'the embedding check',
    path: async () => '/embed/check',
    ready: (s) => s.getByRole('heading', { name: 'Messages' }),
  },
];

for (const deskPage of PAGES) {
  test(`${deskPage.name}, in a tab`, async ({ page, emulator }) => {
    await page.goto(await deskPage.path(emulator));
    await expect(deskPage.ready(page).first()).toBeVisible();
    await expectAccessible(page, deskPage.name);
  });

  test(`${deskPage.name}, framed in a CRM page`, async ({ page, emulator }) => {
    await page.goto(hostUrl(await deskPage.path(emulator)));
    await waitForMessage(page, 'ready');
    await expect(deskPage.ready(page.frameLocator('#switchboard')).first()).toBeVisible();
    await expectAccessible(page, `${deskPage.name} (framed)`);
  });
}

test('the dialogs: choose a number (202), cancel a scheduled call', async ({ page, emulator }) => {
  await page.goto('/calls/new/outbound');
  await page
    .getByRole('combobox', { name: 'Agent email', exact: true })
    .fill('agent@somedomain.com');
  await page.getByLabel('End user number').fill('+1 859-657-9625');
  await page.getByRole('button', { name: 'Create call' }).click();
  await expect(page.getByRole('dialog', { name: 'Choose an outbound number' })).toBeVisible();
  await expectAccessible(page, 'the choose-a-number dialog');

  const call = await emulator.createCall({
    call_type: 'Voice Scheduled (API)',
    menu_id: 9,
    end_user_number: '+1 205 123 4567',
    scheduled_at: new Date(Date.now() + 86_400_000).toISOString(),
  });
  await page.goto(`/calls/${call.id}`);
  await page.getByRole('button', { name: 'Cancel scheduled call' }).click();
  await expect(page.getByRole('dialog', { name: `Cancel call ${call.id}?` })).toBeVisible();
  await expectAccessible(page, 'the cancel dialog');
});

test.describe('motion', () => {
  // Open the cancel dialog and read how long its fade and its focused button's colour
  // change take, as the browser computes them.
  async function dialogMotion(page: Page, emulator: Emulator) {
    const call = await emulator.createCall({
      call_type: 'Voice Scheduled (API)',
      menu_id: 9,
      end_user_number: '+1 205 123 4567',
      scheduled_at: new Date(Date.now() + 86_400_000).toISOString(),
    });
    await page.goto(`/calls/${call.id}`);
    await page.getByRole('button', { name: 'Cancel scheduled call' }).click();
    const dialog = page.getByRole('dialog', { name: `Cancel call ${call.id}?` });
    await expect(dialog).toBeVisible();
    const durations = (locator: Locator) =>
      locator.evaluate((element) => {
        const durations: string[] = [];
        for (let node: Element | null = element; node; node = node.parentElement) {
          durations.push(getComputedStyle(node).transitionDuration);
        }
        return durations.flatMap((d) => d.split(', ')).filter((d) => d !== '0s');
      });
    return {
      fade: await durations(dialog),
      button: await durations(dialog.getByRole('button').first()),
    };
  }

  test('with reduced motion the desk has no transition: dialogs appear settled', async ({
    page,
    emulator,
  }) => {
    expect(await dialogMotion(page, emulator)).toEqual({ fade: [], button: [] });
  });

  test.describe('without', () => {
    test.use({ reducedMotion: 'no-preference' });
    test('the dialog fades in and its buttons change colour smoothly', async ({
      page,
      emulator,
    }) => {
      const motion = await dialogMotion(page, emulator);
      expect(motion.fade.length).toBeGreaterThan(0);
      expect(motion.button.length).toBeGreaterThan(0);
    });
  });
});

test('a form with errors under its fields', async ({ page }) => {
  await page.goto('/calls/new/inbound');
  await page.getByRole('button', { name: 'Create call' }).click();
  await expect(page.getByRole('combobox', { name: 'Menu' })).toHaveAccessibleDescription(
    'Choose the menu the call comes in through. The server said: menu_id is required',
  );
  await expectAccessible(page, 'the inbound form with errors');
});

test('the dark scheme and Spanish: the call, the list and a form with errors', async ({
  page,
  emulator,
}) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  const { id } = await emulator.inboundCall();
  await emulator.sendEvent(id, { type: 'assign', agent_email: 'admin@somedomain.com' });
  await emulator.sendEvent(id, { type: 'connect' });
  await page.goto(`/calls/${id}`);
  await expect(page.getByRole('group', { name: 'Simulate events' })).toBeVisible();
  await page.getByRole('switch', { name: 'Bad actor' }).click();
  await expect(page.getByRole('list', { name: 'Customer flags set' })).toBeVisible();
  await expectAccessible(page, 'a live call, dark');
  await page.goto('/calls');
  await expect(page.getByRole('link', { name: `Open call ${id}` })).toBeVisible();
  await expectAccessible(page, 'the list, dark');
  await page.getByRole('combobox', { name: 'Desk language' }).selectOption('es');
  await page.goto('/calls/new/inbound');
  await page.getByRole('button', { name: 'Crear la llamada' }).click();
  await expect(page.getByText('menu_id is required', { exact: true })).toBeVisible();
  await expectAccessible(page, 'the inbound form with errors, dark, in Spanish');
});
