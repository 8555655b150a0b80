import { EventSource, type ErrorEvent } from 'eventsource';
import type { LiveClock, LiveFlags, LiveHello, LiveResync } from '../../contract/live.ts';
import { setDeskClockOffset } from './clock.ts';
import { setLiveFeedState, type LiveState } from './live-status.ts';

// The desk's one connection to its server's live feed (Server-Sent Events). It keeps the
// connection up (the EventSource reconnects and resumes from the last event id; a stream
// that went silent past two heartbeats is given up and opened again), says how it stands
// (live, or reconnecting while the desk polls instead), and sets the desk's clock from
// the server's. What an event means for the desk's data is its listeners' business.

export interface LiveHandlers {
  /** A call as the desk API answers it (not yet checked against the schema). */
  call?(call: unknown): void;
  flags?(flags: LiveFlags): void;
  directory?(): void;
  /** What the desk shows may have missed changes: read it again, once. */
  resync?(reason: LiveResync['reason']): void;
  /**
   * The stream is up (again). `resumed`: the events missed since the last one follow; else
   * nothing says what was missed (the first connection, or a gap: a resync follows then).
   */
  connected?(hello: LiveHello, first: boolean): void;
  state?(state: LiveState): void;
}

export interface LiveFeedOptions {
  /** The stream's URL, e.g. /desk/api/events. */
  url: string;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  /** How long the stream may be silent (no event, no heartbeat) before it is opened again. */
  silenceMs?: number;
  /** How long to wait before asking again after the server refused the stream. */
  refusedRetryMs?: number;
  /** Where to start: the feed position of the data the desk already shows. */
  lastEventId?: string | null;
}

export interface LiveFeed {
  getState(): LiveState;
  subscribe(listener: () => void): () => void;
  /** Adds handlers; returns the function that removes them. */
  listen(handlers: LiveHandlers): () => void;
  /** Opens the stream again now (a sign-in: the server's refusal may no longer hold). */
  reconnect(): void;
  stop(): void;
}

function parse<T>(data: string): T | undefined {
  try {
    return JSON.parse(data) as T;
  } catch {
    return undefined;
  }
}

export function startLiveFeed(options: LiveFeedOptions): LiveFeed {
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const silenceMs = options.silenceMs ?? 40_000;
  const refusedRetryMs = options.refusedRetryMs ?? 30_000;
  const handlers = new Set<LiveHandlers>();
  const listeners = new Set<() => void>();
  let state: LiveState = 'connecting';
  let everLive = false;
  let lastEventId: string | null = options.lastEventId ?? null;
  let lastActivity = Date.now();
  let source: EventSource | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  const each = (call: (h: LiveHandlers) => void) => {
    for (const h of [...handlers]) {
      try {
        call(h);
      } catch (error) {
        console.error('[switchboard] a live feed handler failed', error);
      }
    }
  };

  const setState = (next: LiveState) => {
    if (next === state) return;
    state = next;
    setLiveFeedState(next);
    for (const listener of [...listeners]) listener();
    each((h) => h.state?.(next));
  };

  // Every chunk the stream brings, heartbeats included, shows the connection is alive.
  const watchedFetch: typeof fetch = async (input, init) => {
    const headers = { ...(init?.headers as Record<string, string>), ...options.headers };
    // A new EventSource (after a refusal or a silent stream) starts without the id the last
    // one had: it is carried over here so the server can replay what was missed.
    if (lastEventId !== null && !('Last-Event-ID' in headers))
      headers['Last-Event-ID'] = lastEventId;
    const response = await doFetch(input, { ...init, headers });
    lastActivity = Date.now();
    if (!response.body) return response;
    const watched = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          lastActivity = Date.now();
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(watched, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };

  const track = (event: MessageEvent) => {
    if (event.lastEventId) lastEventId = event.lastEventId;
  };

  function open() {
    if (stopped) return;
    lastActivity = Date.now();
    const es = new EventSource(options.url, { fetch: watchedFetch });
    source = es;
    es.addEventListener('hello', (event) => {
      const hello = parse<LiveHello>(event.data);
      if (!hello) return;
      const first = !everLive;
      everLive = true;
      const now = Date.parse(hello.now);
      if (Number.isFinite(now)) setDeskClockOffset(now - Date.now());
      setState('live');
      each((h) => h.connected?.(hello, first));
    });
    es.addEventListener('call', (event) => {
      track(event);
      const call = parse<unknown>(event.data);
      if (call !== undefined) each((h) => h.call?.(call));
    });
    es.addEventListener('flags', (event) => {
      track(event);
      const flags = parse<LiveFlags>(event.data);
      if (flags) each((h) => h.flags?.(flags));
    });
    es.addEventListener('directory', (event) => {
      track(event);
      each((h) => h.directory?.());
    });
    es.addEventListener('clock', (event) => {
      track(event);
      const clock = parse<LiveClock>(event.data);
      const now = clock ? Date.parse(clock.now) : Number.NaN;
      if (Number.isFinite(now)) setDeskClockOffset(now - Date.now());
    });
    es.addEventListener('resync', (event) => {
      track(event);
      const resync = parse<LiveResync>(event.data);
      each((h) => h.resync?.(resync?.reason ?? 'gap'));
    });
    es.addEventListener('error', (event) => {
      if (source !== es) return;
      const code = (event as ErrorEvent).code;
      if (es.readyState === es.CLOSED) {
        // Refused (a status other than 200): not retried by the EventSource itself.
        source = null;
        setState(
          code === 401 || code === 403 ? 'unavailable' : everLive ? 'reconnecting' : 'connecting',
        );
        retry(code === 401 || code === 403 || code === 503 ? refusedRetryMs : 2_000);
      } else {
        // Dropped: the EventSource is reconnecting by itself, from the last event id.
        setState(everLive ? 'reconnecting' : 'connecting');
      }
    });
  }

  function retry(delayMs: number) {
    if (stopped || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      open();
    }, delayMs);
  }

  // A connection can die without a word (a laptop asleep, a proxy that forgot it): the
  // server's heartbeats stop, and the stream is opened again.
  const watchdog = setInterval(
    () => {
      if (!source || Date.now() - lastActivity < silenceMs) return;
      source.close();
      source = null;
      setState(everLive ? 'reconnecting' : 'connecting');
      open();
    },
    Math.min(silenceMs, 5_000),
  );

  open();

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    listen(added) {
      handlers.add(added);
      return () => {
        handlers.delete(added);
      };
    },
    reconnect() {
      if (stopped) return;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      source?.close();
      source = null;
      open();
    },
    stop() {
      stopped = true;
      clearInterval(watchdog);
      if (retryTimer) clearTimeout(retryTimer);
      source?.close();
      source = null;
      setState('connecting');
    },
  };
}
