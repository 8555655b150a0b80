// @vitest-environment jsdom
import { fireEvent } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  helperTextOf,
  renderDesk,
  screen,
  startDeskServer,
  waitFor,
  waitForHelperText,
  type DeskTestServer,
} from '../../test/render-desk.tsx';

// The form's checks (the request schemas, libphonenumber) come in a chunk of their own,
// after the form has painted. Here that chunk is held back until the test lets it through:
// what the agent does before it arrives is checked all the same, once it is there.

const checksChunk = vi.hoisted(() => {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { release, released };
});
vi.mock('./call-form-checks.ts', async (importOriginal) => {
  await checksChunk.released;
  return importOriginal();
});

let server: DeskTestServer;
beforeAll(async () => {
  server = await startDeskServer();
  await server.client.emulator.reset();
});
afterAll(async () => {
  await server?.close();
});

describe('Create call before the form checks have loaded', () => {
  it('waits for them, puts the errors under their fields, and sends nothing unchecked', async () => {
    // What reaches the server: a request the form would have refused must never be sent.
    const fetches = vi.spyOn(globalThis, 'fetch');
    const creates = () =>
      fetches.mock.calls.filter(
        ([input, init]) => init?.method === 'POST' && /\/calls$/.test(String(input)),
      ).length;
    const { user, desk } = await renderDesk(server, '/calls/new/outbound', {
      agent: 'admin@somedomain.com',
    });
    const number = (await screen.findByLabelText('End user number')) as HTMLInputElement;
    const button = screen.getByRole('button', { name: 'Create call' }) as HTMLButtonElement;
    // The form takes input at once; the number is formatted once the formatter is there.
    await user.type(number, '+1205');
    // Pressed again and again while the checks are still on their way.
    fireEvent.submit(button.closest('form')!);
    fireEvent.submit(button.closest('form')!);
    fireEvent.submit(button.closest('form')!);
    await waitFor(() => expect(button.disabled).toBe(true));
    expect(helperTextOf('End user number')).toBe('With the country code, e.g. +1 205 123 4567');
    expect(creates()).toBe(0);

    checksChunk.release();
    await waitForHelperText('End user number', 'end_user_number is not well-formed');
    await waitFor(() => expect(button.disabled).toBe(false));
    expect(number.value).toBe('+1 205');
    expect(desk.router.state.location.pathname).toBe('/calls/new/outbound');
    expect(creates()).toBe(0);

    // Now checked at once: a well-formed number places exactly one call.
    await user.type(number, '1234567');
    await user.click(button);
    await waitFor(() => expect(desk.router.state.location.pathname).toMatch(/^\/calls\/\d+$/), {
      timeout: 10_000,
    });
    expect(await screen.findByRole('heading', { name: /^Call \d+$/ })).toBeTruthy();
    expect(creates()).toBe(1);
    expect((await server.client.listCalls()).total).toBe(1);
    fetches.mockRestore();
  });
});
