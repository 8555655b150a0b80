import type { Page } from '@playwright/test';
import { choose, type } from './support/desk.ts';
import { type Emulator, expect, localInputFromNow, test } from './support/fixtures.ts';

// Every error of the seed that an agent can run into, shown where it belongs: under the
// input it is about, in the agent's words with the API's own text under them, or above
// the form when it is about the request as a whole. The tenant is put into each state through the emulator's control API.
// (recording_permission is not valid and scheduled_at is not well formed cannot be typed:
// their inputs only offer valid values.)

interface Case {
  name: string;
  tab: 'outbound' | 'inbound' | 'scheduled';
  /** Tenant state before the page opens. */
  before?: (emulator: Emulator) => Promise<unknown>;
  /** Fills the form. */
  fill: (page: Page) => Promise<void>;
  /** Tenant state changed after the form was filled (what the pickers offered is gone). */
  after?: (emulator: Emulator) => Promise<unknown>;
  /** The input the error is under; null: above the form. */
  field: { role: 'textbox' | 'combobox'; name: string } | null;
  message: string;
}

const agent = (email: string) => (page: Page) => type(page, 'Agent email', email);
const number = (text: string) => (page: Page) => page.getByLabel('End user number').fill(text);
const both =
  (...steps: Array<(page: Page) => Promise<void>>) =>
  async (page: Page) => {
    for (const step of steps) await step(page);
  };
const textbox = (name: string) => ({ role: 'textbox' as const, name });
const combobox = (name: string) => ({ role: 'combobox' as const, name });
const ADMIN = 'admin@somedomain.com';
const menu = (name: RegExp) => (page: Page) => choose(page, 'Menu', name);
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const CASES: Case[] = [
  // Outbound, in the order the API checks.
  {
    name: 'Agent email required',
    tab: 'outbound',
    // The signed-in agent's e-mail fills the field; one who may act for others can clear it.
    fill: both(agent(''), number('+1 859-657-9625')),
    field: combobox('Agent email'),
    message: 'Agent email required',
  },
  {
    name: 'ticket_id or end_user_number required',
    tab: 'outbound',
    fill: agent(ADMIN),
    field: textbox('End user number'),
    message: 'ticket_id or end_user_number required',
  },
  {
    name: 'Not a valid agent email',
    tab: 'outbound',
    fill: both(agent('nobody@somedomain.com'), number('+1 859-657-9625')),
    field: combobox('Agent email'),
    message: 'Not a valid agent email',
  },
  {
    name: 'Agent does not have access to make calls',
    tab: 'outbound',
    before: (e) => e.updateAgent(ADMIN, { can_make_calls: false }),
    fill: both(agent(ADMIN), number('+1 859-657-9625')),
    field: null,
    message: 'Agent does not have access to make calls',
  },
  {
    name: 'Agent is not available to take this call',
    tab: 'outbound',
    before: (e) => e.updateAgent(ADMIN, { status: 'unavailable' }),
    fill: both(agent(ADMIN), number('+1 859-657-9625')),
    field: null,
    message: 'Agent is not available to take this call',
  },
  {
    name: 'Contact not found',
    tab: 'outbound',
    fill: both(agent(ADMIN), (p) => p.getByLabel('Ticket ID').fill('90000')),
    field: textbox('Ticket ID'),
    message: 'Contact not found',
  },
  {
    name: 'end_user_number is not well-formed',
    tab: 'outbound',
    fill: both(agent(ADMIN), number('123123')),
    field: textbox('End user number'),
    message: 'end_user_number is not well-formed',
  },
  {
    name: "Language 'xy' is not found",
    tab: 'outbound',
    fill: both(agent(ADMIN), number('+1 859-657-9625'), (p) => type(p, 'Language', 'xy')),
    field: combobox('Language'),
    message: "Language 'xy' is not found",
  },
  {
    name: "Language 'es' is not available",
    tab: 'outbound',
    before: (e) => e.updateSettings({ languages: ['en', 'ko'] }),
    fill: both(agent(ADMIN), number('+1 859-657-9625'), (p) => type(p, 'Language', 'es')),
    field: combobox('Language'),
    message: "Language 'es' is not available",
  },
  {
    name: 'outbound_number is not well-formed',
    tab: 'outbound',
    fill: both(agent(ADMIN), number('+1 859-657-9625'), (p) => type(p, 'Outbound number', '12')),
    field: combobox('Outbound number'),
    message: 'outbound_number is not well-formed',
  },
  {
    name: 'outbound_number is not available',
    tab: 'outbound',
    fill: both(agent(ADMIN), number('+1 859-657-9625'), (p) =>
      type(p, 'Outbound number', '+1 760-867-5309'),
    ),
    after: (e) => e.updateSettings({ outbound_numbers: ['+1 339-219-5276'] }),
    field: combobox('Outbound number'),
    message: 'outbound_number is not available',
  },
  // Inbound.
  {
    name: 'menu_id is required',
    tab: 'inbound',
    fill: number('+1 205 123 4567'),
    field: combobox('Menu'),
    message: 'menu_id is required',
  },
  {
    name: 'end_user_number is required',
    tab: 'inbound',
    fill: menu(/^Main Line/),
    field: textbox('End user number'),
    message: 'end_user_number is required',
  },
  {
    name: 'end_user_number is not well formed',
    tab: 'inbound',
    fill: both(menu(/^Main Line/), number('+1 999-657-12')),
    field: textbox('End user number'),
    message: 'end_user_number is not well formed',
  },
  {
    name: 'menu_id 7 is not found',
    tab: 'inbound',
    fill: both(menu(/^Main Line/), number('+1 205 123 4567')),
    after: (e) => e.updateMenu(7, { deleted: true }),
    field: combobox('Menu'),
    message: 'menu_id 7 is not found',
  },
  {
    name: 'Only IVR and mobile menu IDs are permitted',
    tab: 'inbound',
    fill: both(menu(/^Main Line/), number('+1 205 123 4567')),
    after: (e) => e.updateMenu(7, { menu_type: 'web_menu' }),
    field: combobox('Menu'),
    message: 'Only IVR and mobile menu IDs are permitted',
  },
  {
    name: "Menu is in 'manual redirection' state",
    tab: 'inbound',
    fill: both(menu(/^Main Line/), number('+1 205 123 4567')),
    after: (e) => e.updateMenu(7, { state: 'manual_redirection' }),
    field: combobox('Menu'),
    message: "Menu is in 'manual redirection' state, can't accept calls",
  },
  {
    name: "Menu is in 'after hours' state",
    tab: 'inbound',
    fill: both(menu(/^Main Line/), number('+1 205 123 4567')),
    after: (e) => e.updateMenu(7, { state: 'after_hours' }),
    field: combobox('Menu'),
    message: "Menu is in 'after hours' state, can't accept incoming calls",
  },
  // Scheduled.
  {
    name: 'scheduled_at is required',
    tab: 'scheduled',
    fill: both(menu(/^Lock Star(?! ›)/), number('+1 205 123 4567')),
    field: textbox('Scheduled at'),
    message: 'scheduled_at is required',
  },
  {
    name: 'scheduled_at must be in the future',
    tab: 'scheduled',
    fill: both(menu(/^Lock Star(?! ›)/), number('+1 205 123 4567'), async (p) =>
      p.getByLabel('Scheduled at').fill(await localInputFromNow(p, -60)),
    ),
    field: textbox('Scheduled at'),
    message: 'scheduled_at must be in the future',
  },
  {
    name: 'call_id 9999 is not found',
    tab: 'scheduled',
    fill: both(
      (p) => p.getByLabel('Parent call ID').fill('9999'),
      number('+1 205 123 4567'),
      async (p) => p.getByLabel('Scheduled at').fill(await localInputFromNow(p, 60)),
    ),
    field: textbox('Parent call ID'),
    message: 'call_id 9999 is not found',
  },
  {
    name: 'call_id is not well formed',
    tab: 'scheduled',
    fill: both(
      (p) => p.getByLabel('Parent call ID').fill('abc'),
      number('+1 205 123 4567'),
      async (p) => p.getByLabel('Scheduled at').fill(await localInputFromNow(p, 60)),
    ),
    field: textbox('Parent call ID'),
    message: 'call_id is not well formed',
  },
  {
    name: 'Only mobile and web menu IDs are permitted',
    tab: 'scheduled',
    fill: both(menu(/^Web Support/), number('+1 205 123 4567'), async (p) =>
      p.getByLabel('Scheduled at').fill(await localInputFromNow(p, 60)),
    ),
    after: (e) => e.updateMenu(12, { menu_type: 'ivr_menu' }),
    field: combobox('Menu'),
    message: 'Only mobile and web menu IDs are permitted',
  },
];

for (const c of CASES) {
  test(`${c.tab}: ${c.name}`, async ({ page, emulator }) => {
    await c.before?.(emulator);
    await page.goto(`/calls/new/${c.tab}`);
    await expect(page.getByRole('form', { name: `New ${c.tab} call` })).toBeVisible();
    // The desk knows who is signed in (their e-mail fills Agent email) before the agent types.
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
    await c.fill(page);
    await c.after?.(emulator);
    await page.getByRole('button', { name: 'Create call' }).click();
    // The agent's words (what happened, what to do) come first; the server's exact text
    // stays on the line under them, for support.
    const worded = new RegExp(`^(?!${escape(c.message)}).+ The server said: ${escape(c.message)}$`);
    if (c.field) {
      const input = page.getByRole(c.field.role, { name: c.field.name, exact: true });
      await expect(input).toHaveAccessibleDescription(worded);
      await expect(input).toHaveAttribute('aria-invalid', 'true');
    } else {
      await expect(page.getByRole('alert')).toHaveText(worded);
    }
    await expect(page.getByText(c.message, { exact: true })).toBeVisible();
    // Refused: no call was placed, and the desk stayed on the form.
    await expect(page).toHaveURL(new RegExp(`/calls/new/${c.tab}`));
    expect(await emulator.listCalls()).toEqual([]);
  });
}
