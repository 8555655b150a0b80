// @vitest-environment jsdom
import { fireEvent } from '@testing-library/react';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  helperTextOf,
  renderDesk,
  screen,
  startDeskServer,
  waitFor,
  waitForHelperText,
  within,
  type DeskTestServer,
  type RenderedDesk,
} from '../../test/render-desk.tsx';
import { toLocalInput } from './call-form-values.ts';

// The three new-call forms against the real server: each happy path, the seed's errors
// under the field they belong to, the 202 dialogs, and drafts that survive.

let server: DeskTestServer;
beforeAll(async () => {
  server = await startDeskServer();
});
afterAll(async () => {
  await server?.close();
});
beforeEach(async () => {
  await server.client.emulator.reset();
});

const ADMIN = 'admin@somedomain.com';

async function createAndExpectDetail(desk: {
  router: { state: { location: { pathname: string } } };
}) {
  await waitFor(() => expect(desk.router.state.location.pathname).toMatch(/^\/calls\/\d+$/), {
    timeout: 10_000,
  });
  const id = Number(desk.router.state.location.pathname.split('/').pop());
  expect(
    await screen.findByRole('heading', { name: `Call ${id}` }, { timeout: 10_000 }),
  ).toBeTruthy();
  expect(await screen.findByText(`Call ${id} created`)).toBeTruthy();
  return id;
}

async function pickMenu(user: RenderedDesk['user'], name: RegExp) {
  await user.click(await screen.findByRole('combobox', { name: /^Menu/ }));
  const option = await screen.findByRole('option', { name });
  await user.click(option);
}

describe('Outbound', () => {
  it('creates a call from the acting agent and a typed number, formatted as typed', async () => {
    const { user, desk } = await renderDesk(server, '/calls/new/outbound', { agent: ADMIN });
    const number = (await screen.findByLabelText('End user number')) as HTMLInputElement;
    expect((screen.getByLabelText('Agent email') as HTMLInputElement).value).toBe(ADMIN);
    await user.type(number, '+12051234567');
    // The formatter comes with the form's checks, just after the form: it may be on its way.
    await waitFor(() => expect(number.value).toBe('+1 205 123 4567'));
    await user.click(screen.getByRole('button', { name: 'Create call' }));
    const id = await createAndExpectDetail(desk);
    const call = await server.client.getCall(id);
    expect(call.status).toBe('assigned');
    expect(call.agent_email).toBe(ADMIN);
  });

  it('shows the inputs an outbound call takes, on /calls/new too', async () => {
    await renderDesk(server, '/calls/new?end_user_number=%2B12055550101&ticket_id=71450', {
      agent: ADMIN,
    });
    expect(await screen.findByRole('tab', { name: 'Outbound', selected: true })).toBeTruthy();
    expect(screen.getByRole('tab', { name: 'Inbound' })).toBeTruthy();
    expect(screen.getByRole('tab', { name: 'Scheduled' })).toBeTruthy();
    for (const label of [
      'Agent email',
      'End user number',
      'Ticket ID',
      'Outbound number',
      'Language',
    ]) {
      expect(screen.getByLabelText(label)).toBeTruthy();
    }
    expect(screen.queryByRole('combobox', { name: /^Menu/ })).toBeNull();
    expect((screen.getByLabelText('End user number') as HTMLInputElement).value).toBe(
      '+12055550101',
    );
    expect((screen.getByLabelText('Ticket ID') as HTMLInputElement).value).toBe('71450');
  });

  it('checks on the client with the contract schemas, in the API words', async () => {
    // The admin may place calls for others (DESK_ACT_FOR_OTHERS_ROLES): the field is theirs to clear.
    const { user } = await renderDesk(server, '/calls/new/outbound');
    await waitFor(() =>
      expect((screen.getByLabelText('Agent email') as HTMLInputElement).value).toBe(ADMIN),
    );
    await user.clear(screen.getByLabelText('Agent email'));
    await user.click(await screen.findByRole('button', { name: 'Create call' }));
    await waitForHelperText('Agent email', 'Agent email required');
    await user.type(screen.getByLabelText('Agent email'), ADMIN);
    await user.click(screen.getByRole('button', { name: 'Create call' }));
    await waitForHelperText('End user number', 'ticket_id or end_user_number required');
    await user.type(screen.getByLabelText('End user number'), '123123');
    await user.click(screen.getByRole('button', { name: 'Create call' }));
    await waitForHelperText('End user number', 'end_user_number is not well-formed');
  });

  it.each([
    ['Agent email', 'nobody@somedomain.com', {}, 'Not a valid agent email'],
    ['Ticket ID', '1', { ticket: true }, 'Contact not found'],
    ['Language', 'xy', {}, "Language 'xy' is not found"],
    ['Language', 'fr', {}, "Language 'fr' is not available"],
    ['Outbound number', '+1 205 555 0000', {}, 'outbound_number is not available'],
  ] as const)('puts the server answer under %s (%s)', async (label, value, options, message) => {
    const { user } = await renderDesk(server, '/calls/new/outbound', { agent: ADMIN });
    const field = await screen.findByLabelText(label);
    if (label === 'Agent email') await user.clear(field);
    await user.type(field, value);
    if (!('ticket' in options))
      await user.type(screen.getByLabelText('End user number'), '+12051234567');
    await user.click(screen.getByRole('button', { name: 'Create call' }));
    await waitForHelperText(label, message);
    // What the agent typed is still there.
    expect((screen.getByLabelText(label) as HTMLInputElement).value).toBe(value);
  });

  it.each([
    ['allen@somedomain.com', 'Agent is not available to take this call'],
    ['trainee@somedomain.com', 'Agent does not have access to make calls'],
  ])('shows an error that belongs to no field above the form (%s)', async (agent, message) => {
    const { user } = await renderDesk(server, '/calls/new/outbound', { agent: agent });
    await user.type(await screen.findByLabelText('End user number'), '+12051234567');
    await user.click(screen.getByRole('button', { name: 'Create call' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(message);
  });

  it('202: lets the agent choose an outbound number and sends again with it', async () => {
    const { user, desk } = await renderDesk(server, '/calls/new/outbound', {
      agent: 'agent@somedomain.com',
    });
    await user.type(await screen.findByLabelText('End user number'), '+12051234567');
    await user.click(screen.getByRole('button', { name: 'Create call' }));
    const dialog = await screen.findByRole('dialog', { name: 'Choose an outbound number' });
    expect(within(dialog).getByText('Need to choose an outbound number')).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: /\+1 760 410 8538/ }));
    const id = await createAndExpectDetail(desk);
    expect((await server.client.getCall(id)).outbound_number).toBe('+1 760-410-8538');
  });

  it("202: lets the agent choose one of the ticket's numbers", async () => {
    const { user, desk } = await renderDesk(server, '/calls/new/outbound?ticket_id=80021', {
      agent: ADMIN,
    });
    await screen.findByLabelText('Ticket ID');
    await user.click(screen.getByRole('button', { name: 'Create call' }));
    const dialog = await screen.findByRole('dialog', { name: 'Choose the customer’s number' });
    await user.click(within(dialog).getByRole('button', { name: /\+1 205 555 0199/ }));
    const id = await createAndExpectDetail(desk);
    const call = await server.client.getCall(id);
    expect(call.out_ticket_id).toBe('80021');
    expect(call.end_user_number).toBe('+12055550199');
  });

  it('keeps a draft across a reload, and through a network error', async () => {
    const first = await renderDesk(server, '/calls/new/outbound', { agent: ADMIN });
    const typed = (await screen.findByLabelText('End user number')) as HTMLInputElement;
    await first.user.type(typed, '+12051234567');
    await first.user.type(screen.getByLabelText('Ticket ID'), 'abc');
    await waitFor(() => expect(typed.value).toBe('+1 205 123 4567'));
    first.unmount();
    // A desk whose server is gone: the submit fails, nothing typed is lost.
    const offline = await renderDesk(
      { ...server, baseUrl: 'http://127.0.0.1:9' },
      '/calls/new/outbound',
      { agent: ADMIN, waitForSession: false },
    );
    const number = (await screen.findByLabelText('End user number')) as HTMLInputElement;
    expect(number.value).toBe('+1 205 123 4567');
    expect((screen.getByLabelText('Ticket ID') as HTMLInputElement).value).toBe('abc');
    await offline.user.click(screen.getByRole('button', { name: 'Create call' }));
    expect((await screen.findByRole('alert')).textContent).toContain('could not be reached');
    expect(number.value).toBe('+1 205 123 4567');
  });

  it('says when a draft comes back, and Clear starts again from the acting agent', async () => {
    const first = await renderDesk(server, '/calls/new/outbound', { agent: ADMIN });
    // A fresh form says nothing.
    expect(screen.queryByText(/earlier try is back/)).toBeNull();
    await first.user.type(await screen.findByLabelText('End user number'), '+12051234567');
    await first.user.type(screen.getByLabelText('Ticket ID'), '71450');
    first.unmount();
    const again = await renderDesk(server, '/calls/new/outbound', { agent: ADMIN });
    expect(screen.getByText(/What you typed in an earlier try is back/)).toBeTruthy();
    await again.user.click(screen.getByRole('button', { name: 'Clear' }));
    expect(screen.queryByText(/earlier try is back/)).toBeNull();
    expect((screen.getByLabelText('End user number') as HTMLInputElement).value).toBe('');
    expect((screen.getByLabelText('Ticket ID') as HTMLInputElement).value).toBe('');
    expect((screen.getByLabelText('Agent email') as HTMLInputElement).value).toBe(ADMIN);
    again.unmount();
    // Cleared is cleared: the next visit starts fresh, and says nothing.
    await renderDesk(server, '/calls/new/outbound', { agent: ADMIN });
    expect(((await screen.findByLabelText('End user number')) as HTMLInputElement).value).toBe('');
    expect(screen.queryByText(/earlier try is back/)).toBeNull();
  });

  it('sends one request however often Create call is pressed', async () => {
    const { user, desk } = await renderDesk(server, '/calls/new/outbound', { agent: ADMIN });
    await user.type(await screen.findByLabelText('End user number'), '+12051234567');
    const button = screen.getByRole('button', { name: 'Create call' });
    fireEvent.submit(button.closest('form')!);
    fireEvent.submit(button.closest('form')!);
    fireEvent.submit(button.closest('form')!);
    await createAndExpectDetail(desk);
    expect((await server.client.listCalls()).total).toBe(1);
  });
});

describe('Inbound', () => {
  it('creates a queued call on an open IVR or mobile menu', async () => {
    const { user, desk } = await renderDesk(server, '/calls/new/inbound');
    expect(await screen.findByRole('tab', { name: 'Inbound', selected: true })).toBeTruthy();
    await user.click(await screen.findByRole('combobox', { name: /^Menu/ }));
    // Only IVR and mobile menus; closed ones are listed, disabled, with the reason.
    const listbox = await screen.findByRole('listbox');
    expect(within(listbox).queryByRole('option', { name: /Web Support/ })).toBeNull();
    expect(within(listbox).queryByRole('option', { name: /Chat Support/ })).toBeNull();
    const billing = within(listbox).getByRole('option', { name: /Billing/ });
    expect(billing.getAttribute('aria-disabled')).toBe('true');
    expect(billing.textContent).toContain('After hours');
    await user.click(within(listbox).getByRole('option', { name: /Lock Star › Lost Keys/ }));
    await user.type(screen.getByLabelText('End user number'), '+82-10-6861-2345');
    await user.click(screen.getByRole('button', { name: 'Create call' }));
    const id = await createAndExpectDetail(desk);
    const call = await server.client.getCall(id);
    expect(call.status).toBe('queued');
    expect(call.selected_menu?.id).toBe(10);
  });

  it('checks the menu and the number on the client', async () => {
    const { user } = await renderDesk(server, '/calls/new/inbound');
    await user.click(await screen.findByRole('button', { name: 'Create call' }));
    await waitFor(() => expect(screen.getByText('menu_id is required')).toBeTruthy());
    await user.type(screen.getByLabelText('End user number'), '+1 999-657-12');
    await user.click(screen.getByRole('button', { name: 'Create call' }));
    await waitForHelperText('End user number', 'end_user_number is not well formed');
  });

  it.each([
    [
      { state: 'after_hours' as const },
      "Menu is in 'after hours' state, can't accept incoming calls",
    ],
    [
      { state: 'manual_redirection' as const },
      "Menu is in 'manual redirection' state, can't accept calls",
    ],
    [{ menu_type: 'web_menu' as const }, 'Only IVR and mobile menu IDs are permitted'],
    [{ deleted: true }, 'menu_id 7 is not found'],
  ])(
    'puts the server answer under Menu when the menu changed meanwhile (%o)',
    async (patch, message) => {
      const { user } = await renderDesk(server, '/calls/new/inbound');
      await pickMenu(user, /Main Line/);
      await server.client.emulator.updateMenu(7, patch);
      await user.type(screen.getByLabelText('End user number'), '+12051234567');
      await user.click(screen.getByRole('button', { name: 'Create call' }));
      await waitFor(() => expect(screen.getByText(message)).toBeTruthy());
      const menu = screen.getByRole('combobox', { name: /^Menu/ });
      const described = document.getElementById(menu.getAttribute('aria-describedby') ?? '');
      // The agent's words first, the server's exact text on the line under them.
      expect(described?.textContent?.endsWith(`The server said: ${message}`)).toBe(true);
      expect(described?.textContent?.startsWith(message)).toBe(false);
      expect(described?.querySelector('[data-raw-api-text] [lang="en"]')?.textContent).toBe(
        message,
      );
    },
  );
});

describe('Scheduled', () => {
  it('creates a scheduled call and says what time it is for the customer', async () => {
    const { user, desk } = await renderDesk(server, '/calls/new/scheduled');
    await pickMenu(user, /^Lock Star(?!\s*›)/);
    await user.type(screen.getByLabelText('End user number'), '+82-10-6861-2345');
    const at = new Date(Date.now() + 2 * 24 * 3600_000);
    fireEvent.change(screen.getByLabelText('Scheduled at'), {
      target: { value: toLocalInput(at) },
    });
    await waitFor(() =>
      expect(helperTextOf('Scheduled at')).toMatch(/For the customer \(.*Korea.*\)/),
    );
    await user.click(screen.getByRole('button', { name: 'Create call' }));
    const id = await createAndExpectDetail(desk);
    const call = await server.client.getCall(id);
    expect(call.status).toBe('scheduled');
    expect(
      Math.abs(Date.parse(call.scheduled_at!) - Math.floor(at.getTime() / 60_000) * 60_000),
    ).toBeLessThan(1000);
    expect(screen.getByRole('button', { name: 'Cancel scheduled call' })).toBeTruthy();
  });

  it('refuses the past, and shows the inputs a scheduled call takes', async () => {
    const { user } = await renderDesk(server, '/calls/new/scheduled');
    for (const label of [
      'End user number',
      'Ticket ID',
      'Outbound number',
      'Language',
      'Scheduled at',
      'Parent call ID',
    ]) {
      expect(await screen.findByLabelText(label)).toBeTruthy();
    }
    expect(screen.getByRole('combobox', { name: /^Recording permission/ })).toBeTruthy();
    await pickMenu(user, /^Lock Star(?!\s*›)/);
    await user.type(screen.getByLabelText('End user number'), '+12051234567');
    fireEvent.change(screen.getByLabelText('Scheduled at'), {
      target: { value: toLocalInput(new Date(Date.now() - 3600_000)) },
    });
    await user.click(screen.getByRole('button', { name: 'Create call' }));
    await waitForHelperText('Scheduled at', 'scheduled_at must be in the future');
  });

  it('puts "call_id 9999 is not found" under Parent call ID', async () => {
    const { user } = await renderDesk(server, '/calls/new/scheduled');
    await user.type(await screen.findByLabelText('Parent call ID'), '9999');
    await user.type(screen.getByLabelText('End user number'), '+12051234567');
    fireEvent.change(screen.getByLabelText('Scheduled at'), {
      target: { value: toLocalInput(new Date(Date.now() + 3600_000)) },
    });
    await user.click(screen.getByRole('button', { name: 'Create call' }));
    await waitForHelperText('Parent call ID', 'call_id 9999 is not found');
  });

  it('puts "Only mobile and web menu IDs are permitted" under Menu', async () => {
    const { user } = await renderDesk(server, '/calls/new/scheduled');
    await pickMenu(user, /Web Support/);
    await server.client.emulator.updateMenu(12, { menu_type: 'ivr_menu' });
    await user.type(screen.getByLabelText('End user number'), '+12051234567');
    fireEvent.change(screen.getByLabelText('Scheduled at'), {
      target: { value: toLocalInput(new Date(Date.now() + 3600_000)) },
    });
    await user.click(screen.getByRole('button', { name: 'Create call' }));
    await waitFor(() =>
      expect(screen.getByText('Only mobile and web menu IDs are permitted')).toBeTruthy(),
    );
  });
});
