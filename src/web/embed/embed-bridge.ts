import type { QueryCacheNotifyEvent, QueryClient } from '@tanstack/react-query';
import type { Call } from '../../contract/calls.ts';
import type { CallApiClient } from '../../contract/client.ts';
import {
  EMBED_CONTRACT_VERSION,
  EMBED_PROTOCOL,
  HostMessageSchema,
  isOriginAllowed,
  parseAllowList,
  type DeskMessage,
  type HostMessage,
  type OriginRule,
} from '../../contract/embed.ts';
import type { DeskController } from '../app/create-desk.tsx';
import { callQueries } from '../calls/api/call-queries.ts';
import { directoryQueries, sessionQueries } from '../calls/api/directory-queries.ts';
import { isCallApiError } from '../lib/api-error.ts';
import type { DeskEvent, DeskEvents } from '../app/desk-events.tsx';
import type { FrameContext } from './frame-context.ts';

// The desk's half of the embedding contract (docs/embedding.md, src/contract/embed.ts).
// A message counts only when it comes from the window that frames the desk, from an origin
// on the server's EMBED_ALLOWED_ORIGINS (read from /desk/api/session) and in the
// switchboard/v1 shape; anything else is ignored and logged to the console for the
// integrator. The desk posts only to its parent, naming the parent's exact origin once that
// origin is known to be on the list: never to "*".

const HOST_TYPES: ReadonlySet<string> = new Set(['dial', 'open_call', 'set_agent']);
/** Desk → host messages kept while the parent's origin is not yet known. */
const MAX_PENDING = 50;
/** Entries the diagnostics page can show. */
const MAX_LOG = 100;
const LOG_PREFIX = '[switchboard]';

export type BridgeStatus =
  /** The desk is in a tab of its own: no messages either way. */
  | 'not-framed'
  /** Reading the allowlist from the server. */
  | 'loading'
  /** Framed by an allowed origin: ready was sent to it. */
  | 'connected'
  /** Framed, the parent's origin is not known yet (no referrer): waiting for its first message. */
  | 'waiting'
  /** Framed by an origin that is not on the list: the desk does not talk to it. */
  | 'refused'
  /** The allowlist could not be read: the desk does not talk to anyone. */
  | 'failed';

export interface BridgeLogEntry {
  seq: number;
  /** Date.now() when it happened. */
  at: number;
  direction: 'in' | 'out';
  /** Where it came from (in) or was sent to (out). */
  origin: string;
  /** The message's type, where it has one. */
  type: string | null;
  outcome: 'accepted' | 'ignored' | 'sent';
  /** Why an incoming message was ignored. */
  reason?: string;
  /** The message as JSON, cut short. */
  preview: string;
}

export interface BridgeState {
  status: BridgeStatus;
  frame: FrameContext;
  /** The allowlist's entries as configured on the server; null until read. */
  allowedOrigins: string[] | null;
  /** The origin messages are posted to, once known and allowed. */
  targetOrigin: string | null;
  /** Newest last. */
  log: BridgeLogEntry[];
}

export interface EmbedBridge {
  getState(): BridgeState;
  /** Takes a message event (the desk's window listener; events buffered before the bridge loaded). */
  receive(event: MessageEvent): void;
  subscribe(listener: () => void): () => void;
  /** Removes every listener the bridge added. */
  stop(): void;
}

/** What the bridge needs from the page it runs in; the real window in the desk. */
export interface BridgeWindow {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

export interface EmbedBridgeOptions {
  /** Where host messages arrive. */
  win: BridgeWindow;
  /** The framing window (window.parent); null when not framed. */
  parent: Pick<Window, 'postMessage'> | null;
  frame: FrameContext;
  controller: DeskController;
  events: Pick<DeskEvents, 'subscribe'>;
  queryClient: QueryClient;
  client: CallApiClient;
  console?: Pick<Console, 'warn' | 'error'>;
}

function preview(data: unknown): string {
  let text: string;
  try {
    text = typeof data === 'string' ? JSON.stringify(data) : (JSON.stringify(data) ?? String(data));
  } catch {
    text = Object.prototype.toString.call(data);
  }
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

function typeOf(data: unknown): string | null {
  if (typeof data !== 'object' || data === null) return null;
  const type = (data as { type?: unknown }).type;
  return typeof type === 'string' ? type.slice(0, 60) : null;
}

/** Why data is not a host message, or null with the parsed message. */
export function parseHostMessage(
  data: unknown,
): { message: HostMessage; reason: null } | { message: null; reason: string } {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { message: null, reason: `not a ${EMBED_PROTOCOL} message (not an object)` };
  }
  const { protocol, type } = data as { protocol?: unknown; type?: unknown };
  if (protocol !== EMBED_PROTOCOL) {
    return {
      message: null,
      reason: `not a ${EMBED_PROTOCOL} message (protocol: ${preview(protocol ?? null)})`,
    };
  }
  if (typeof type !== 'string' || !HOST_TYPES.has(type)) {
    return {
      message: null,
      reason: `unknown type ${preview(type ?? null)} (the desk takes dial, open_call and set_agent)`,
    };
  }
  const parsed = HostMessageSchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || 'message'}: ${issue.message}`)
      .join('; ');
    return { message: null, reason: `malformed ${type}: ${issues}` };
  }
  return { message: parsed.data, reason: null };
}

function isDetailKey(key: readonly unknown[]): key is readonly [string, string, number] {
  const [all, details] = callQueries.details();
  return key.length === 3 && key[0] === all && key[1] === details && typeof key[2] === 'number';
}

export function createEmbedBridge(options: EmbedBridgeOptions): EmbedBridge {
  const { win, parent, frame, controller, events, queryClient, client } = options;
  const log = options.console ?? console;

  let state: BridgeState = {
    status: frame.framed ? 'loading' : 'not-framed',
    frame,
    allowedOrigins: null,
    targetOrigin: null,
    log: [],
  };
  const listeners = new Set<() => void>();
  const setState = (patch: Partial<BridgeState>) => {
    state = { ...state, ...patch };
    for (const listener of [...listeners]) listener();
  };
  let seq = 0;
  const record = (entry: Omit<BridgeLogEntry, 'seq' | 'at'>) => {
    const next = [...state.log, { ...entry, seq: ++seq, at: Date.now() }];
    setState({ log: next.length > MAX_LOG ? next.slice(-MAX_LOG) : next });
  };

  let rules: OriginRule[] | null = null;
  let stopped = false;
  /** Host messages that arrived before the allowlist was read. */
  const early: MessageEvent[] = [];
  /** Desk messages waiting for the parent's origin. */
  const pending: DeskMessage[] = [];
  /** A dial asked the desk to create the call: its failure is the host's business. */
  let dialCreating = false;

  // ------------------------------------------------------------------ desk → host

  function deliver(message: DeskMessage, target: string) {
    try {
      parent!.postMessage(message, target);
      record({
        direction: 'out',
        origin: target,
        type: message.type,
        outcome: 'sent',
        preview: preview(message),
      });
    } catch (error) {
      log.warn(`${LOG_PREFIX} could not post ${message.type} to ${target}`, error);
    }
  }

  function post(message: DeskMessage) {
    if (stopped || !frame.framed || !parent) return;
    if (state.targetOrigin === null) {
      // The parent is not known (yet): keep the newest few for when it is.
      if (state.status === 'loading' || state.status === 'waiting') {
        pending.push(message);
        if (pending.length > MAX_PENDING) pending.shift();
      }
      return;
    }
    deliver(message, state.targetOrigin);
  }

  function connect(origin: string) {
    if (state.targetOrigin === origin) return;
    setState({ status: 'connected', targetOrigin: origin });
    deliver(
      {
        protocol: EMBED_PROTOCOL,
        type: 'ready',
        payload: { version: EMBED_CONTRACT_VERSION, protocol: EMBED_PROTOCOL },
      },
      origin,
    );
    for (const message of pending.splice(0)) deliver(message, origin);
  }

  const postError = (message: string, requestType?: HostMessage['type']) =>
    post({
      protocol: EMBED_PROTOCOL,
      type: 'error',
      payload: requestType ? { message, request_type: requestType } : { message },
    });

  // ------------------------------------------------------------------ host → desk

  function ignore(event: MessageEvent, reason: string) {
    log.warn(
      `${LOG_PREFIX} ignored a message from ${event.origin || 'an unknown origin'}: ${reason}`,
      event.data,
    );
    record({
      direction: 'in',
      origin: event.origin,
      type: typeOf(event.data),
      outcome: 'ignored',
      reason,
      preview: preview(event.data),
    });
  }

  function handle(event: MessageEvent) {
    if (!frame.framed) {
      ignore(
        event,
        'the desk is not in a frame: it takes messages only from the page that frames it',
      );
      return;
    }
    if (rules === null) {
      ignore(event, 'the list of allowed origins could not be read from the server');
      return;
    }
    if (!isOriginAllowed(rules, event.origin, frame.ownOrigin)) {
      ignore(event, `origin ${event.origin} is not on EMBED_ALLOWED_ORIGINS`);
      return;
    }
    if (event.source !== parent) {
      ignore(event, 'it does not come from the window that frames the desk');
      return;
    }
    const { message, reason } = parseHostMessage(event.data);
    if (!message) {
      ignore(event, reason);
      return;
    }
    record({
      direction: 'in',
      origin: event.origin,
      type: message.type,
      outcome: 'accepted',
      preview: preview(event.data),
    });
    // The parent spoke from an allowed origin: that is who the desk answers (this is how
    // the origin is learnt where the browser gives neither ancestorOrigins nor a referrer).
    connect(event.origin);
    void carryOut(message);
  }

  async function carryOut(message: HostMessage) {
    try {
      switch (message.type) {
        case 'dial': {
          const { end_user_number, ticket_id, agent_email, create } = message.payload;
          dialCreating = create === true;
          await controller.dial({
            ...(end_user_number !== undefined && { end_user_number }),
            ...(ticket_id !== undefined && { ticket_id: String(ticket_id) }),
            ...(agent_email !== undefined && { agent_email }),
            ...(create !== undefined && { createNow: create }),
          });
          return;
        }
        case 'open_call': {
          const { id } = message.payload;
          try {
            await queryClient.fetchQuery(callQueries.detail(client, id));
          } catch (error) {
            if (isCallApiError(error) && error.status === 404) {
              postError(`Call ${id} was not found`, 'open_call');
              return;
            }
            // Anything else (offline, a 5xx): the call's page says so and offers a retry.
          }
          await controller.openCall(id);
          return;
        }
        case 'set_agent': {
          const email = message.payload.agent_email.trim();
          let agents: { email: string }[] | undefined;
          try {
            agents = await queryClient.fetchQuery(directoryQueries.agents(client));
          } catch {
            agents = undefined; // the directory is out of reach: trust the host
          }
          if (agents && !agents.some((a) => a.email.toLowerCase() === email.toLowerCase())) {
            postError(`${email} is not an agent of this tenant`, 'set_agent');
            return;
          }
          controller.setAgent(
            agents?.find((a) => a.email.toLowerCase() === email.toLowerCase())?.email ?? email,
          );
          return;
        }
      }
    } catch (error) {
      postError(
        error instanceof Error ? error.message : 'The desk could not do this',
        message.type,
      );
    }
  }

  function onMessage(event: MessageEvent) {
    if (stopped) return;
    // The desk's own window talking to itself (browser extensions, dev tools): not for us.
    if (event.source === (win as unknown)) return;
    if (frame.framed && rules === null && state.status === 'loading') {
      early.push(event);
      return;
    }
    handle(event);
  }

  // ------------------------------------------------------------------ what the desk does

  function onDeskEvent(event: DeskEvent) {
    switch (event.type) {
      case 'call.created': {
        dialCreating = false;
        const { call } = event;
        post({
          protocol: EMBED_PROTOCOL,
          type: 'call.created',
          payload: {
            id: call.id,
            call_type: call.call_type,
            status: call.status,
            end_user_number: call.end_user_number ?? null,
          },
        });
        return;
      }
      case 'call.create_failed':
        if (dialCreating) postError(event.message, 'dial');
        dialCreating = false;
        return;
      case 'customer_flag.changed':
        post({
          protocol: EMBED_PROTOCOL,
          type: 'customer_flag.changed',
          payload: {
            id: event.id,
            verified_customer: event.flags.verified_customer,
            bad_actor: event.flags.bad_actor,
            repeat_customer: event.flags.repeat_customer,
          },
        });
        return;
      case 'call.changed':
        return; // its status, if it changed, arrives through the open call's data
    }
  }

  /** The last status the host heard of, per call. */
  const statuses = new Map<number, string>();
  function onQueryCache(event: QueryCacheNotifyEvent) {
    const { query } = event;
    if (!isDetailKey(query.queryKey)) return;
    // Only a call that is open (its page shows it) is followed.
    if (query.getObserversCount() === 0) return;
    const call = query.state.data as Call | undefined;
    if (!call || typeof call.status !== 'string') return;
    const previous = statuses.get(call.id) ?? null;
    if (previous === call.status) return;
    statuses.set(call.id, call.status);
    post({
      protocol: EMBED_PROTOCOL,
      type: 'call.status',
      payload: { id: call.id, status: call.status, previous_status: previous },
    });
  }

  // ------------------------------------------------------------------ start

  win.addEventListener('message', onMessage);
  const unsubscribers: Array<() => void> = [];
  if (frame.framed) {
    unsubscribers.push(events.subscribe(onDeskEvent));
    unsubscribers.push(queryClient.getQueryCache().subscribe(onQueryCache));
    void queryClient
      .fetchQuery(sessionQueries.session(client))
      .then(
        (session) => {
          if (stopped) return;
          rules = parseAllowList(session.embed_allowed_origins).rules;
          setState({ allowedOrigins: session.embed_allowed_origins });
          const hint = frame.parentOrigin;
          if (hint !== null && isOriginAllowed(rules, hint, frame.ownOrigin)) {
            connect(hint);
          } else if (hint !== null) {
            pending.length = 0;
            setState({ status: 'refused' });
            log.warn(
              `${LOG_PREFIX} the page that frames the desk (${hint}) is not on EMBED_ALLOWED_ORIGINS: the desk will not talk to it.`,
            );
          } else {
            setState({ status: 'waiting' });
          }
        },
        (error: unknown) => {
          if (stopped) return;
          pending.length = 0;
          setState({ status: 'failed' });
          log.error(
            `${LOG_PREFIX} the list of allowed origins could not be read: the desk will not talk to its host`,
            error,
          );
        },
      )
      .finally(() => {
        for (const event of early.splice(0)) handle(event);
      });
  }

  return {
    getState: () => state,
    receive: onMessage,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    stop() {
      stopped = true;
      win.removeEventListener('message', onMessage);
      for (const unsubscribe of unsubscribers) unsubscribe();
      listeners.clear();
    },
  };
}
