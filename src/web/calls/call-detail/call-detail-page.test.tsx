// @vitest-environment jsdom
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  renderDesk,
  screen,
  startDeskServer,
  waitFor,
  within,
  type DeskTestServer,
} from '../../test/render-desk.tsx';

// The call detail against the real server: a call walked through its life with Simulate,
// customer flags saved (and rolled back when the server refuses), cancelling a scheduled call.

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

async function inboundCall(): Promise<number> {
  const result = await server.client.createCall({
    call_type: 'Voice Inbound (API)',
    menu_id: 7,
    end_user_number: '+1 205 123 4567',
  });
  if (result.status !== 201) throw new Error('expected 201');
  return result.call.id;
}

function timelineSteps(): string[] {
  const list = screen.getByRole('list', { name: 'Timeline' });
  return within(list)
    .getAllByRole('listitem')
    .filter((li) => li.getAttribute('data-kind') !== 'now')
    .map((li) => li.querySelector('p, span')?.textContent ?? '');
}

describe('call detail', () => {
  it('shows the call, and a timeline that follows it through its life', async () => {
    const id = await inboundCall();
    const { user } = await renderDesk(server, `/calls/${id}`, {
      agent: 'admin@somedomain.com',
    });
    expect(await screen.findByRole('heading', { name: `Call ${id}` })).toBeTruthy();
    expect(screen.getByText('Inbound call')).toBeTruthy();
    expect(screen.getByText('Queued', { selector: '.MuiChip-label' })).toBeTruthy();
    expect(
      within(await screen.findByRole('navigation', { name: 'Menu path' })).getByText('Main Line'),
    ).toBeTruthy();
    // The header says what the call is doing, and since when (a timer, in the agent's format).
    const state = screen.getByRole('group', { name: 'State' });
    expect(within(state).getByText('Queued')).toBeTruthy();
    expect(within(state).getByRole('timer').textContent).toMatch(/^\d+:\d{2}$/);
    expect(document.title).toBe(`Call ${id} · Queued · Switchboard`);
    const simulate = await screen.findByRole('group', { name: 'Simulate events' });

    const step = async (button: string, expected: string) => {
      await user.click(within(simulate).getByRole('button', { name: button }));
      await waitFor(() => expect(timelineSteps()).toContain(expected));
    };
    await waitFor(() => expect(timelineSteps()).toEqual(['Created', 'Queued']));
    await step('Assign', 'Assigned');
    await step('Connect', 'Connected');
    await step('Hold', 'On hold');
    // On hold is what the header says, not Connected, and the tab's title with it.
    await waitFor(() => expect(within(state).getByText('On hold')).toBeTruthy());
    expect(document.title).toBe(`Call ${id} · On hold · Switchboard`);
    await step('Resume', 'Resumed');
    await step('Transfer', 'Transfer started');
    await step('Accept transfer', 'Transferred');
    await step('Finish', 'Finished');
    expect(timelineSteps()).toEqual([
      'Created',
      'Queued',
      'Assigned',
      'Connected',
      'On hold',
      'Resumed',
      'Transfer started',
      'Transferred',
      'Finished',
    ]);
    // Terminal: the status chip says so, the live line is gone, nothing more to simulate.
    await waitFor(() =>
      expect(screen.getByText('Finished', { selector: '.MuiChip-label' })).toBeTruthy(),
    );
    expect(screen.queryByText(/so far$/)).toBeNull();
    expect(screen.getByText('This call takes no more events.')).toBeTruthy();
    // Participants and transfers are listed.
    expect(
      within(screen.getByRole('list', { name: 'Transfers' })).getAllByRole('listitem'),
    ).toHaveLength(1);
    expect(
      within(screen.getByRole('list', { name: 'Participants' })).getAllByRole('listitem').length,
    ).toBeGreaterThanOrEqual(2);
  });

  it('shows a failed call with its readable fail reason', async () => {
    const id = await inboundCall();
    await server.client.emulator.sendEvent(id, { type: 'fail', fail_reason: 'eu_abandoned' });
    await renderDesk(server, `/calls/${id}`);
    expect(await screen.findByRole('heading', { name: `Call ${id}` })).toBeTruthy();
    await waitFor(() => expect(timelineSteps()).toContain('Failed: Customer abandoned the call'));
    expect(screen.getAllByText('Customer abandoned the call').length).toBeGreaterThan(0);
  });

  it('saves a customer flag with PATCH', async () => {
    const id = await inboundCall();
    const { user } = await renderDesk(server, `/calls/${id}`);
    const verified = (await screen.findByRole('switch', {
      name: 'Verified customer',
    })) as HTMLInputElement;
    expect(verified.checked).toBe(false);
    await user.click(verified);
    expect(verified.checked).toBe(true);
    await waitFor(async () =>
      expect((await server.client.getCustomerFlags(id)).verified_customer).toBe(true),
    );
    expect(
      (screen.getByRole('switch', { name: 'Verified customer' }) as HTMLInputElement).checked,
    ).toBe(true);
  });

  it('shows in History who changed the flags, from the server’s audit log', async () => {
    const id = await inboundCall();
    const { user } = await renderDesk(server, `/calls/${id}`, { agent: 'agent@somedomain.com' });
    expect(
      await screen.findByText(
        'No agent has changed the flags of this call, or cancelled it, from the desk.',
      ),
    ).toBeTruthy();
    await user.click(await screen.findByRole('switch', { name: 'Bad actor' }));
    const history = await screen.findByRole('list', { name: 'Changes by agents' });
    await waitFor(() =>
      expect(history.textContent).toContain('Avery Agent marked the customer: Bad actor'),
    );
    await user.click(screen.getByRole('switch', { name: 'Bad actor' }));
    await waitFor(() =>
      expect(
        within(screen.getByRole('list', { name: 'Changes by agents' })).getAllByRole('listitem')
          .length,
      ).toBe(2),
    );
    expect(screen.getByRole('list', { name: 'Changes by agents' }).textContent).toContain(
      'Avery Agent took off: Bad actor',
    );
  });

  it('rolls a flag back, with a message, when the server refuses the change', async () => {
    const id = await inboundCall();
    // Terminal, so the page stops polling and keeps showing the call after it is gone.
    await server.client.emulator.sendEvent(id, { type: 'fail' });
    const { user } = await renderDesk(server, `/calls/${id}`);
    const badActor = (await screen.findByRole('switch', { name: 'Bad actor' })) as HTMLInputElement;
    // The call disappears from the server: the PATCH answers 404.
    await server.client.emulator.reset();
    await user.click(badActor);
    expect(badActor.checked).toBe(true);
    expect(
      (await screen.findByText(/The change was not saved: Resource not found/)).textContent,
    ).toContain('404');
    await waitFor(() =>
      expect((screen.getByRole('switch', { name: 'Bad actor' }) as HTMLInputElement).checked).toBe(
        false,
      ),
    );
  });

  it('cancels a scheduled call', async () => {
    const result = await server.client.createCall({
      call_type: 'Voice Scheduled (API)',
      menu_id: 9,
      end_user_number: '+1 205 123 4567',
      scheduled_at: new Date(Date.now() + 86_400_000).toISOString(),
    });
    if (result.status !== 201) throw new Error('expected 201');
    const { user } = await renderDesk(server, `/calls/${result.call.id}`);
    await user.click(await screen.findByRole('button', { name: 'Cancel scheduled call' }));
    await user.click(await screen.findByRole('button', { name: 'Yes, cancel it' }));
    await waitFor(() =>
      expect(screen.getByText('Cancelled', { selector: '.MuiChip-label' })).toBeTruthy(),
    );
    expect(screen.queryByRole('button', { name: 'Cancel scheduled call' })).toBeNull();
    expect((await server.client.getCall(result.call.id)).status).toBe('cancelled');
  });

  it('says when a call does not exist, and offers the list', async () => {
    await renderDesk(server, '/calls/424242');
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Call 424242 was not found' }),
    ).toBeTruthy();
    // In words, with the server's text under them; the way on is the list, not Try again.
    expect(
      screen.getByText('It is not there (any more). Go back to the list of calls.'),
    ).toBeTruthy();
    expect(screen.getByText('Resource not found (HTTP 404)')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Go to the list of calls' }).getAttribute('href')).toBe(
      '/calls',
    );
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
  });

  it('speaks Spanish', async () => {
    const id = await inboundCall();
    await renderDesk(server, `/calls/${id}`, { locale: 'es' });
    expect(await screen.findByRole('heading', { level: 1, name: `Llamada ${id}` })).toBeTruthy();
    expect(within(screen.getByRole('group', { name: 'Estado' })).getByText('En cola')).toBeTruthy();
    expect(screen.getByText('Llamada entrante')).toBeTruthy();
    expect(await screen.findByRole('switch', { name: 'Cliente verificado' })).toBeTruthy();
  });
});
