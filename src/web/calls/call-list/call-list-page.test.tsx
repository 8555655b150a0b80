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

async function inbound(number: string): Promise<number> {
  const result = await server.client.createCall({
    call_type: 'Voice Inbound (API)',
    menu_id: 7,
    end_user_number: number,
  });
  if (result.status !== 201) throw new Error('expected 201');
  return result.call.id;
}

function rowIds(): string[] {
  const table = screen.getByRole('table', { name: 'Calls' });
  return within(table)
    .queryAllByRole('link', { name: /^Open call / })
    .map((a) => a.textContent ?? '');
}

describe('call list', () => {
  it('lists calls newest first, filters them in the URL, and a row opens the call', async () => {
    const first = await inbound('+1 205 123 4567');
    const second = await inbound('+82-10-6861-2345');
    await server.client.emulator.sendEvent(first, { type: 'fail' });
    const { user, desk } = await renderDesk(server, '/calls');
    await waitFor(() => expect(rowIds()).toEqual([String(second), String(first)]));

    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'Failed');
    await waitFor(() => expect(rowIds()).toEqual([String(first)]));
    expect(desk.router.state.location.search).toBe('?status=failed');
    // A group of statuses: the waiting ones (the queued call), merged from one answer each.
    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'Waiting: any');
    await waitFor(() => expect(rowIds()).toEqual([String(second)]));
    expect(desk.router.state.location.search).toBe('?status=group%3Awaiting');
    await desk.router.navigate(-1);

    // The back button undoes the filter.
    await desk.router.navigate(-1);
    await waitFor(() => expect(rowIds()).toEqual([String(second), String(first)]));

    await user.type(screen.getByLabelText('Search by call ID or number'), '6861');
    await waitFor(() => expect(rowIds()).toEqual([String(second)]));
    // A call's id finds that call, first, beside the numbers with those digits.
    await user.clear(screen.getByLabelText('Search by call ID or number'));
    await user.type(screen.getByLabelText('Search by call ID or number'), String(first));
    await waitFor(() => expect(rowIds()[0]).toBe(String(first)));
    expect(screen.getByText('Call ID')).toBeTruthy();
    await user.clear(screen.getByLabelText('Search by call ID or number'));
    await user.type(screen.getByLabelText('Search by call ID or number'), '6861');
    await waitFor(() => expect(rowIds()).toEqual([String(second)]));

    await user.click(screen.getByRole('link', { name: `Open call ${second}` }));
    // The call page's code may still be on its way (it is fetched once the rows are shown).
    expect(
      await screen.findByRole('heading', { name: `Call ${second}` }, { timeout: 10_000 }),
    ).toBeTruthy();
  });

  it('pages on the server and refreshes itself while open', async () => {
    for (let i = 0; i < 3; i++) await inbound('+1 205 123 4567');
    await renderDesk(server, '/calls?per=2');
    await waitFor(() => expect(rowIds()).toHaveLength(2));
    expect(screen.getByText(/1–2 of 3/)).toBeTruthy();
    const added = await inbound('+1 205 123 4567');
    await waitFor(() => expect(rowIds()[0]).toBe(String(added)), { timeout: 12_000 });
  });

  it('shows my calls, and sorts by call', async () => {
    const mine = await inbound('+1 205 123 4567');
    await inbound('+1 205 123 4568');
    await server.client.emulator.sendEvent(mine, {
      type: 'assign',
      agent_email: 'admin@somedomain.com',
    });
    const { user } = await renderDesk(server, '/calls', { agent: 'admin@somedomain.com' });
    await waitFor(() => expect(rowIds()).toHaveLength(2));
    await user.click(screen.getByRole('button', { name: 'My calls' }));
    await waitFor(() => expect(rowIds()).toEqual([String(mine)]));
    await user.click(screen.getByRole('button', { name: 'All calls' }));
    await waitFor(() => expect(rowIds()).toHaveLength(2));
    await user.click(screen.getByRole('button', { name: 'Call' }));
    await waitFor(() => expect(rowIds()).toEqual([String(mine), String(mine + 1)]));
    await user.click(screen.getByRole('button', { name: 'Call' }));
    await waitFor(() => expect(rowIds()).toEqual([String(mine + 1), String(mine)]));
  });

  it('says when there are no calls', async () => {
    await renderDesk(server, '/calls');
    expect(await screen.findByText('No calls yet.')).toBeTruthy();
  });
});
