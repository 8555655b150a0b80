import type { QueryClient } from '@tanstack/react-query';
import type { CallApiClient } from '../../contract/client.ts';
import {
  EMBED_CONTRACT_VERSION,
  EMBED_PROTOCOL,
  isOriginAllowed,
  parseAllowList,
  type DeskMessage,
  type HostMessage,
  type OriginRule,
} from '../../contract/embed.ts';
import { sessionQueries } from '../desk/session-queries.ts';
import type { FrameContext } from './frame-context.ts';
import { parseHostMessage, preview, typeOf } from './host-messages.ts';

// The connection between the desk and the page that frames it: the handshake (read the
// allowlist, say `ready` to the parent's exact origin), the queues (host messages that
// arrive before the allowlist is read, desk messages while the parent's origin is not
// known yet) and the gate every incoming message passes. A message counts only when it
// comes from the window that frames the desk, from an origin on the server's
// EMBED_ALLOWED_ORIGINS and in the switchboard/v1 shape; anything else is ignored and
// logged to the console for the integrator. The desk posts only to its parent, naming the
// parent's exact origin once that origin is known to be on the list: never to "*".

/** Desk → host messages kept while the parent's origin is not yet known. */
const MAX_PENDING = 50;
/** Entries the diagnostics page can show. */
const MAX_LOG = 100;
const LOG_PREFIX = '[switchboard]';

type BridgeStatus =
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

/** What the bridge needs from the page it runs in; the real window in the desk. */
export interface BridgeWindow {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

export interface BridgeConnectionOptions {
  win: BridgeWindow;
  parent: Pick<Window, 'postMessage'> | null;
  frame: FrameContext;
  queryClient: QueryClient;
  client: CallApiClient;
  /** A host message that passed every check: the host's commands carry it out. */
  onHostMessage: (message: HostMessage) => void;
  console: Pick<Console, 'warn' | 'error'>;
}

export interface BridgeConnection {
  getState(): BridgeState;
  /** Takes a message event (the window's listener; events buffered before the bridge loaded). */
  receive(event: MessageEvent): void;
  /** Sends a message to the host, or keeps it until the host is known; drops it otherwise. */
  post(message: DeskMessage): void;
  /** Tells the host that one of its requests could not be carried out. */
  postError(message: string, requestType?: HostMessage['type']): void;
  subscribe(listener: () => void): () => void;
  stop(): void;
}

export function createBridgeConnection(options: BridgeConnectionOptions): BridgeConnection {
  const { win, parent, frame, queryClient, client, onHostMessage, console: log } = options;

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
    onHostMessage(message);
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

  // ------------------------------------------------------------------ the handshake

  win.addEventListener('message', onMessage);
  if (frame.framed) {
    void queryClient
      .fetchQuery(sessionQueries.embed(client))
      .then(
        (settings) => {
          if (stopped) return;
          rules = parseAllowList(settings.embed_allowed_origins).rules;
          setState({ allowedOrigins: settings.embed_allowed_origins });
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
    post,
    postError,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    stop() {
      stopped = true;
      win.removeEventListener('message', onMessage);
      listeners.clear();
    },
  };
}
