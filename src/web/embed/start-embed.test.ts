// @vitest-environment jsdom
import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallApiClient } from '../../contract/client.ts';
import { EMBED_PROTOCOL } from '../../contract/embed.ts';
import type { DeskController } from '../desk/desk-controller.ts';
import { createDeskEvents } from '../desk/desk-events.tsx';
import { startEmbedding, type EmbedHandle } from './start-embed.ts';

// The entry point's side: the bridge loads on its own, and a host that talks before it is
// there loses nothing.

const CRM = 'http://localhost:4188';

function fakeWindow(framed: boolean) {
  const target = new EventTarget();
  const parent = { postMessage: vi.fn() };
  const win = Object.assign(target, {
    parent: null as unknown,
    location: { origin: 'http://127.0.0.1:4187', ancestorOrigins: framed ? [CRM] : [] },
    document: { referrer: '' },
  });
  win.parent = framed ? parent : win;
  return { win, parent };
}

function fakeDesk() {
  const controller = {
    dial: vi.fn(async () => {}),
    openCall: vi.fn(async () => {}),
  };
  const client = {
    embedSettings: async () => ({
      embed_protocol: EMBED_PROTOCOL,
      embed_allowed_origins: [CRM],
    }),
  } as unknown as CallApiClient;
  return {
    controller: controller as unknown as DeskController & typeof controller,
    queryClient: new QueryClient(),
    client,
    events: createDeskEvents(),
  };
}

let handle: EmbedHandle | undefined;
afterEach(() => {
  handle?.stop();
  handle = undefined;
  vi.restoreAllMocks();
});

function deliver(win: EventTarget, data: unknown, origin: string, source: unknown) {
  const event = new MessageEvent('message', { data, origin });
  Object.defineProperty(event, 'source', { value: source });
  win.dispatchEvent(event);
}

describe('startEmbedding', () => {
  it('in a frame: loads the bridge, and hands it what arrived before', async () => {
    const { win, parent } = fakeWindow(true);
    const desk = fakeDesk();
    handle = startEmbedding(desk, win as unknown as Window);
    expect(handle.getState().status).toBe('loading');
    deliver(
      win,
      {
        protocol: EMBED_PROTOCOL,
        type: 'dial',
        payload: { end_user_number: '+1 205 123 4567' },
      },
      CRM,
      parent,
    );
    await vi.waitFor(() =>
      expect(desk.controller.dial).toHaveBeenCalledWith({ end_user_number: '+1 205 123 4567' }),
    );
    expect(handle.getState().status).toBe('connected');
    expect(parent.postMessage).toHaveBeenCalledWith(
      {
        protocol: EMBED_PROTOCOL,
        type: 'ready',
        payload: { version: expect.any(String), protocol: EMBED_PROTOCOL },
      },
      CRM,
    );
    // Handed over once, not twice.
    expect(desk.controller.dial).toHaveBeenCalledTimes(1);
  });

  it('tells subscribers when the bridge changes', async () => {
    const { win } = fakeWindow(true);
    handle = startEmbedding(fakeDesk(), win as unknown as Window);
    const listener = vi.fn();
    handle.subscribe(listener);
    await vi.waitFor(() => expect(handle!.getState().status).toBe('connected'));
    expect(listener).toHaveBeenCalled();
  });

  it('not framed: no bridge, and a message from another window is ignored with a word in the console', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { win } = fakeWindow(false);
    const desk = fakeDesk();
    handle = startEmbedding(desk, win as unknown as Window);
    expect(handle.getState().status).toBe('not-framed');
    deliver(
      win,
      { protocol: EMBED_PROTOCOL, type: 'dial', payload: { create: true } },
      'https://evil.example.net',
      {},
    );
    deliver(win, 'from myself', 'http://127.0.0.1:4187', win);
    await new Promise((r) => setTimeout(r, 20));
    expect(desk.controller.dial).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/https:\/\/evil\.example\.net.*not in a frame/);
  });
});
