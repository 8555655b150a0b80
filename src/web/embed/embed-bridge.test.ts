// @vitest-environment jsdom
import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Call } from '../../contract/calls.ts';
import type { CallApiClient } from '../../contract/client.ts';
import { DeskMessageSchema, EMBED_PROTOCOL, type DeskMessage } from '../../contract/embed.ts';
import type { DeskController } from '../desk/desk-controller.ts';
import { callQueries } from '../calls/api/call-queries.ts';
import type { BridgeWindow } from './bridge-connection.ts';
import { createEmbedBridge, type EmbedBridge } from './embed-bridge.ts';
import { parseHostMessage } from './host-messages.ts';
import { createDeskEvents, type DeskEvents } from '../desk/desk-events.tsx';
import type { FrameContext } from './frame-context.ts';

// The desk's half of the postMessage contract, against a real QueryClient and a stand-in
// for the parent window: who may talk to the desk, whom it answers, and what it says.

const DESK = 'https://desk.example.com';
const CRM = 'https://crm.example.com';

function apiError(status: number, message: string) {
  return Object.assign(new Error(message), { name: 'CallApiError', status });
}

function fakeCall(id: number, status: string): Call {
  return {
    id,
    status,
    call_type: 'Voice Outbound (API)',
    end_user_number: '+1 859-657-9625',
  } as unknown as Call;
}

interface Harness {
  bridge: EmbedBridge;
  win: EventTarget;
  parent: { postMessage: ReturnType<typeof vi.fn> };
  controller: {
    dial: ReturnType<typeof vi.fn>;
    openCall: ReturnType<typeof vi.fn>;
  };
  events: DeskEvents;
  queryClient: QueryClient;
  warn: ReturnType<typeof vi.fn>;
  posted(): DeskMessage[];
  targets(): string[];
  /** A message event as the browser would deliver it. */
  send(data: unknown, options?: { origin?: string; source?: unknown }): void;
  /** Resolves once the bridge has read the allowlist and settled. */
  settled(): Promise<void>;
}

let current: Harness | undefined;
afterEach(() => {
  current?.bridge.stop();
  current?.queryClient.clear();
  current = undefined;
});

function setUp(
  options: {
    frame?: Partial<FrameContext>;
    allowed?: string[];
    sessionFails?: boolean;
    calls?: Record<number, Call>;
    /** Who is signed in at the desk (the admin unless said). */
    signedIn?: string;
  } = {},
): Harness {
  const win = new EventTarget();
  const parent = { postMessage: vi.fn() };
  const controller = {
    dial: vi.fn(async () => {}),
    openCall: vi.fn(async () => {}),
  };
  const events = createDeskEvents();
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const warn = vi.fn();
  let resolveSession!: () => void;
  const sessionRead = new Promise<void>((resolve) => (resolveSession = resolve));
  const client = {
    async embedSettings() {
      try {
        if (options.sessionFails) throw apiError(502, 'The Call API could not be reached');
        return {
          embed_protocol: EMBED_PROTOCOL,
          embed_allowed_origins: options.allowed ?? [CRM],
        };
      } finally {
        setTimeout(resolveSession, 0);
      }
    },
    async session() {
      const email = options.signedIn ?? 'admin@somedomain.com';
      return {
        agent: { id: 1, email, name: email, roles: ['agent'], avatar_url: null },
        tenant: 'somedomain',
        capabilities: { simulate: true, sign_out: true, act_for_others: false, autoplay: false },
      };
    },
    async getCall(id: number) {
      const call = options.calls?.[id];
      if (!call) throw apiError(404, 'Resource not found');
      return call;
    },
  } as unknown as CallApiClient;
  const frame: FrameContext = {
    framed: true,
    ownOrigin: DESK,
    parentOrigin: CRM,
    parentOriginFrom: 'ancestorOrigins',
    ...options.frame,
  };
  const bridge = createEmbedBridge({
    win: win as unknown as BridgeWindow,
    parent: frame.framed ? (parent as unknown as Window) : null,
    frame,
    controller: controller as unknown as DeskController,
    events,
    queryClient,
    client,
    console: { warn, error: vi.fn() },
  });
  const harness: Harness = {
    bridge,
    win,
    parent,
    controller,
    events,
    queryClient,
    warn,
    posted: () => parent.postMessage.mock.calls.map(([message]) => message as DeskMessage),
    targets: () => parent.postMessage.mock.calls.map(([, target]) => target as string),
    send(data, { origin = CRM, source = parent } = {}) {
      const event = new MessageEvent('message', { data, origin });
      Object.defineProperty(event, 'source', { value: source });
      win.dispatchEvent(event);
    },
    settled: () => sessionRead.then(() => new Promise((r) => setTimeout(r, 0))),
  };
  current = harness;
  return harness;
}

const message = (type: string, payload: unknown) => ({ protocol: EMBED_PROTOCOL, type, payload });
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('the embedding bridge', () => {
  it('says ready to the parent, addressed to its exact origin, once the allowlist is read', async () => {
    const h = setUp();
    expect(h.posted()).toEqual([]);
    await h.settled();
    expect(h.posted()).toEqual([
      message('ready', { version: expect.any(String), protocol: EMBED_PROTOCOL }),
    ]);
    expect(h.targets()).toEqual([CRM]);
    expect(h.bridge.getState()).toMatchObject({
      status: 'connected',
      targetOrigin: CRM,
      allowedOrigins: [CRM],
    });
  });

  it('matches the parent against the rules, wildcards included', async () => {
    const h = setUp({
      allowed: ['*.example.com'],
      frame: { parentOrigin: 'https://eu.crm.example.com' },
    });
    await h.settled();
    expect(h.targets()).toEqual(['https://eu.crm.example.com']);
  });

  it('does not talk to a parent whose origin is not on the list, and says why in the console', async () => {
    const h = setUp({ frame: { parentOrigin: 'https://evil.example.net' } });
    await h.settled();
    h.events.emit({ type: 'call.created', call: fakeCall(1, 'assigned') });
    h.send(message('dial', { end_user_number: '+1 205 123 4567' }), {
      origin: 'https://evil.example.net',
    });
    await flush();
    expect(h.parent.postMessage).not.toHaveBeenCalled();
    expect(h.controller.dial).not.toHaveBeenCalled();
    expect(h.bridge.getState().status).toBe('refused');
    expect(h.warn.mock.calls.map(([text]) => text).join('\n')).toMatch(
      /https:\/\/evil\.example\.net.*not on EMBED_ALLOWED_ORIGINS/,
    );
  });

  it('posts nothing and takes nothing when the desk is not framed', async () => {
    const h = setUp({ frame: { framed: false, parentOrigin: null, parentOriginFrom: null } });
    h.events.emit({ type: 'call.created', call: fakeCall(1, 'assigned') });
    h.send(message('dial', { end_user_number: '+1 205 123 4567', create: true }));
    await flush();
    expect(h.parent.postMessage).not.toHaveBeenCalled();
    expect(h.controller.dial).not.toHaveBeenCalled();
    expect(h.bridge.getState().status).toBe('not-framed');
    expect(h.warn).toHaveBeenCalledWith(
      expect.stringContaining('not in a frame'),
      expect.anything(),
    );
  });

  it('carries out dial from the parent: the form prefilled, and created at once when asked', async () => {
    const h = setUp();
    await h.settled();
    h.send(
      message('dial', {
        end_user_number: '+1 859-657-9625',
        ticket_id: 71450,
        agent_email: 'admin@somedomain.com',
        create: true,
      }),
    );
    await flush();
    expect(h.controller.dial).toHaveBeenCalledWith({
      end_user_number: '+1 859-657-9625',
      ticket_id: '71450',
      agent_email: 'admin@somedomain.com',
      createNow: true,
    });
    h.send(message('dial', { end_user_number: '+1 205 123 4567' }));
    await flush();
    expect(h.controller.dial).toHaveBeenLastCalledWith({ end_user_number: '+1 205 123 4567' });
    const accepted = h.bridge.getState().log.filter((e) => e.outcome === 'accepted');
    expect(accepted.map((e) => e.type)).toEqual(['dial', 'dial']);
  });

  it('ignores, and logs, messages from another window, another origin, or in the wrong shape', async () => {
    const h = setUp();
    await h.settled();
    const sibling = {};
    const cases: Array<[unknown, { origin?: string; source?: unknown }, RegExp]> = [
      [
        message('dial', { end_user_number: '+1 205 123 4567' }),
        { source: sibling },
        /window that frames/,
      ],
      [
        message('dial', { end_user_number: '+1 205 123 4567' }),
        { origin: 'https://crm.example.com.evil.io' },
        /not on EMBED_ALLOWED_ORIGINS/,
      ],
      [
        message('dial', { end_user_number: '+1 205 123 4567' }),
        { origin: 'null' },
        /not on EMBED_ALLOWED_ORIGINS/,
      ],
      ['dial +12051234567', {}, /not a switchboard\/v1 message/],
      [
        { protocol: 'switchboard/v2', type: 'dial', payload: {} },
        {},
        /protocol: "switchboard\/v2"/,
      ],
      [message('hang_up', {}), {}, /unknown type "hang_up"/],
      [
        message('dial', { end_user_number: 12051234567 }),
        {},
        /malformed dial: payload\.end_user_number/,
      ],
      [message('open_call', { id: 'abc' }), {}, /malformed open_call/],
      [message('set_agent', {}), {}, /malformed set_agent/],
      [{ type: 'dial', payload: {} }, {}, /not a switchboard\/v1 message/],
    ];
    for (const [data, options] of cases) h.send(data, options);
    await flush();
    expect(h.controller.dial).not.toHaveBeenCalled();
    expect(h.controller.openCall).not.toHaveBeenCalled();
    // Only the ready: nothing is answered to what was ignored.
    expect(h.posted().map((m) => m.type)).toEqual(['ready']);
    const reasons = h.bridge
      .getState()
      .log.filter((e) => e.outcome === 'ignored')
      .map((e) => e.reason ?? '');
    expect(reasons).toHaveLength(cases.length);
    cases.forEach(([, , pattern], i) => expect(reasons[i]).toMatch(pattern));
    expect(h.warn).toHaveBeenCalledTimes(cases.length);
  });

  it('ignores messages the desk sends to itself (extensions, dev tools), silently', async () => {
    const h = setUp();
    await h.settled();
    h.send(message('dial', {}), { source: h.win });
    await flush();
    expect(h.controller.dial).not.toHaveBeenCalled();
    expect(h.warn).not.toHaveBeenCalled();
  });

  it('keeps host messages that arrive before the allowlist is read, and carries them out after', async () => {
    const h = setUp();
    h.send(message('dial', { end_user_number: '+1 205 123 4567' }));
    expect(h.controller.dial).not.toHaveBeenCalled();
    await h.settled();
    await flush();
    expect(h.controller.dial).toHaveBeenCalledWith({ end_user_number: '+1 205 123 4567' });
  });

  it('opens a call that exists, and answers error for one that does not', async () => {
    const h = setUp({ calls: { 5: fakeCall(5, 'queued') } });
    await h.settled();
    h.send(message('open_call', { id: 5 }));
    h.send(message('open_call', { id: 404 }));
    await vi.waitFor(() => expect(h.posted().map((m) => m.type)).toContain('error'));
    expect(h.controller.openCall).toHaveBeenCalledTimes(1);
    expect(h.controller.openCall).toHaveBeenCalledWith(5);
    expect(h.posted().at(-1)).toEqual(
      message('error', { message: 'Call 404 was not found', request_type: 'open_call' }),
    );
  });

  it('set_agent may only name the agent signed in; a dial may not place a call as anyone else', async () => {
    const h = setUp({ signedIn: 'agent@somedomain.com' });
    await h.settled();
    h.send(message('set_agent', { agent_email: 'Agent@Somedomain.com' }));
    await flush();
    expect(h.posted().map((m) => m.type)).toEqual(['ready']);
    h.send(message('set_agent', { agent_email: 'admin@somedomain.com' }));
    await vi.waitFor(() => expect(h.posted().map((m) => m.type)).toContain('error'));
    expect(h.posted().at(-1)).toEqual(
      message('error', {
        message: 'The desk acts only as agent@somedomain.com, the agent signed in',
        request_type: 'set_agent',
      }),
    );
    h.send(message('dial', { agent_email: 'admin@somedomain.com', create: true }));
    await vi.waitFor(() => expect(h.posted().filter((m) => m.type === 'error')).toHaveLength(2));
    expect(h.controller.dial).not.toHaveBeenCalled();
    expect(h.posted().at(-1)).toEqual(
      message('error', {
        message: 'The desk places calls only as agent@somedomain.com, the agent signed in',
        request_type: 'dial',
      }),
    );
  });

  it('tells the host of calls created and flags changed at the desk', async () => {
    const h = setUp();
    await h.settled();
    h.events.emit({ type: 'call.created', call: fakeCall(7, 'assigned') });
    h.events.emit({
      type: 'customer_flag.changed',
      id: 7,
      flags: { verified_customer: true, bad_actor: false, repeat_customer: true },
    });
    h.events.emit({ type: 'call.changed', id: 7 });
    expect(h.posted().slice(1)).toEqual([
      message('call.created', {
        id: 7,
        call_type: 'Voice Outbound (API)',
        status: 'assigned',
        end_user_number: '+1 859-657-9625',
      }),
      message('customer_flag.changed', {
        id: 7,
        verified_customer: true,
        bad_actor: false,
        repeat_customer: true,
      }),
    ]);
  });

  it('answers error when a dial it was asked to place fails, and only then', async () => {
    const h = setUp();
    await h.settled();
    h.events.emit({ type: 'call.create_failed', message: 'Agent email required' });
    h.send(message('dial', { end_user_number: '+1 205 123 4567', create: true }));
    await flush();
    h.events.emit({
      type: 'call.create_failed',
      message: 'Agent is not available to take this call',
    });
    h.events.emit({ type: 'call.create_failed', message: 'Agent email required' });
    expect(h.posted().slice(1)).toEqual([
      message('error', {
        message: 'Agent is not available to take this call',
        request_type: 'dial',
      }),
    ]);
  });

  it('follows the open call: its status when opened, then each change', async () => {
    const h = setUp();
    await h.settled();
    const key = callQueries.details();
    const detailKey = [...key, 9] as const;
    // A call in the cache that no page shows is not followed.
    h.queryClient.setQueryData([...key, 8], fakeCall(8, 'queued'));
    h.queryClient.setQueryData(detailKey, fakeCall(9, 'queued'));
    const observer = new QueryObserver(h.queryClient, { queryKey: detailKey, enabled: false });
    const unsubscribe = observer.subscribe(() => {});
    h.queryClient.setQueryData(detailKey, fakeCall(9, 'queued'));
    h.queryClient.setQueryData(detailKey, fakeCall(9, 'assigned'));
    h.queryClient.setQueryData(detailKey, fakeCall(9, 'assigned'));
    h.queryClient.setQueryData(detailKey, fakeCall(9, 'connected'));
    unsubscribe();
    h.queryClient.setQueryData(detailKey, fakeCall(9, 'finished'));
    expect(h.posted().slice(1)).toEqual([
      message('call.status', { id: 9, status: 'queued', previous_status: null }),
      message('call.status', { id: 9, status: 'assigned', previous_status: 'queued' }),
      message('call.status', { id: 9, status: 'connected', previous_status: 'assigned' }),
    ]);
  });

  it('without ancestorOrigins or a referrer, learns the parent from its first valid message', async () => {
    const h = setUp({ frame: { parentOrigin: null, parentOriginFrom: null } });
    await h.settled();
    expect(h.bridge.getState().status).toBe('waiting');
    h.events.emit({ type: 'call.created', call: fakeCall(3, 'assigned') });
    expect(h.parent.postMessage).not.toHaveBeenCalled();
    h.send(message('set_agent', { agent_email: 'admin@somedomain.com' }), {
      origin: 'https://evil.example.net',
    });
    await flush();
    expect(h.parent.postMessage).not.toHaveBeenCalled();
    h.send(message('set_agent', { agent_email: 'admin@somedomain.com' }));
    await flush();
    expect(h.posted().map((m) => m.type)).toEqual(['ready', 'call.created']);
    expect(new Set(h.targets())).toEqual(new Set([CRM]));
  });

  it('talks to nobody when the allowlist cannot be read', async () => {
    const h = setUp({ sessionFails: true });
    h.send(message('dial', { end_user_number: '+1 205 123 4567' }));
    await h.settled();
    await flush();
    expect(h.bridge.getState().status).toBe('failed');
    expect(h.parent.postMessage).not.toHaveBeenCalled();
    expect(h.controller.dial).not.toHaveBeenCalled();
  });

  it('never posts to "*", and every message it posts is a valid desk message', async () => {
    const h = setUp({ calls: {} });
    await h.settled();
    h.events.emit({ type: 'call.created', call: fakeCall(1, 'assigned') });
    h.send(message('open_call', { id: 1 }));
    await vi.waitFor(() => expect(h.posted().length).toBeGreaterThanOrEqual(3));
    for (const target of h.targets()) expect(target).toBe(CRM);
    for (const posted of h.posted())
      expect(DeskMessageSchema.safeParse(posted).success, JSON.stringify(posted)).toBe(true);
  });

  it('stops listening when stopped', async () => {
    const h = setUp();
    await h.settled();
    h.bridge.stop();
    h.send(message('dial', {}));
    h.events.emit({ type: 'call.created', call: fakeCall(1, 'assigned') });
    await flush();
    expect(h.controller.dial).not.toHaveBeenCalled();
    expect(h.posted().map((m) => m.type)).toEqual(['ready']);
  });
});

describe('parseHostMessage', () => {
  it('takes the three host messages and nothing else', () => {
    expect(parseHostMessage(message('open_call', { id: 3 })).message).toEqual(
      message('open_call', { id: 3 }),
    );
    expect(parseHostMessage(message('dial', {})).message).toEqual(message('dial', {}));
    expect(parseHostMessage(null).reason).toMatch(/not an object/);
    expect(parseHostMessage([]).reason).toMatch(/not an object/);
    expect(parseHostMessage(message('ready', {})).reason).toMatch(/unknown type "ready"/);
  });
});
