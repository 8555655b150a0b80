import {
  UpstreamError,
  type Upstream,
  type UpstreamPriority,
  type UpstreamRequest,
  type UpstreamResponse,
} from './upstream.ts';

// One budget for everything this server sends the tenant: the tenant allows 10 requests a
// second for every agent, integration and script together, so the desk keeps below that
// (UPSTREAM_BUDGET_PER_SECOND, default 8) whatever the number of desks open.
//
// A sliding window, not a token bucket: at most `perSecond` requests leave in any window
// of one second, which keeps under the tenant's limit whether it counts in fixed seconds or
// with a bucket of its own. Requests over the budget wait in a queue (agents' first, and a
// share of the window kept free for them) instead of being sent to collect a 429; only a
// full queue answers "busy", with the seconds until there is room. When the tenant says
// 429 all the same (other integrations share its limit), nothing was carried out: the
// budget stops sending for the Retry-After it was given, and sends that request again.

/** How many 429s in a row one request may meet before the desk is told the tenant is busy. */
const MAX_BUSY_RETRIES = 3;
/** How long to wait before asking a shared window again that could not be reached. */
const SHARED_RETRY_MS = 500;

/**
 * The window kept where every server sees it (the database), when several servers send
 * the same tenant: they then stay below its limit together, not each on its own.
 */
export interface SharedWindow {
  /**
   * Takes a slot when fewer than `limit` requests (of all the servers) left in the window:
   * answers 0. Otherwise takes nothing and answers the milliseconds until one may be free.
   */
  take(limit: number): Promise<number>;
  /** The tenant answered 429: no server sends anything for `ms`. */
  pause(ms: number): Promise<void>;
}

export interface BudgetOptions {
  /** Requests per second; 0 turns the budget off. */
  perSecond: number;
  windowMs?: number;
  /** How many requests may wait, per priority (default: 10 s of budget for agents, 5 s for background). */
  maxQueued?: Partial<Record<UpstreamPriority, number>>;
  now?: () => number;
  /** Share the window with the other servers (PostgreSQL); this server's own by default. */
  shared?: SharedWindow;
  /** A shared window that could not be reached (the requests wait and it is asked again). */
  onSharedError?: (error: unknown) => void;
}

interface Waiting {
  request: UpstreamRequest;
  busyRetries: number;
  resolve: (response: UpstreamResponse) => void;
  reject: (error: unknown) => void;
  cleanup: () => void;
}

export interface BudgetStats {
  perSecond: number;
  sentInWindow: number;
  queued: Record<UpstreamPriority, number>;
  sent: Record<UpstreamPriority, number>;
}

export class UpstreamBudget implements Upstream {
  readonly description: string;
  private readonly perSecond: number;
  private readonly windowMs: number;
  private readonly maxQueued: Record<UpstreamPriority, number>;
  /** Slots of the window background reads may not take, so an agent never waits behind them. */
  private readonly agentReserve: number;
  private readonly now: () => number;
  private readonly sentAt: number[] = [];
  private readonly queues: Record<UpstreamPriority, Waiting[]> = { agent: [], background: [] };
  private readonly counts: Record<UpstreamPriority, number> = { agent: 0, background: 0 };
  private timer: NodeJS.Timeout | undefined;
  /** Until when the tenant asked (429 Retry-After) that nothing more be sent. */
  private pausedUntil = 0;
  private readonly shared: SharedWindow | undefined;
  private readonly onSharedError: (error: unknown) => void;
  /** A shared window's loop is running (one question to the database at a time). */
  private sharedPumping = false;
  private closed = false;

  constructor(
    private readonly inner: Upstream,
    options: BudgetOptions,
  ) {
    this.description = inner.description;
    this.perSecond = options.perSecond;
    this.windowMs = options.windowMs ?? 1000;
    this.now = options.now ?? (() => performance.now());
    this.maxQueued = {
      agent: options.maxQueued?.agent ?? Math.max(20, this.perSecond * 10),
      background: options.maxQueued?.background ?? Math.max(10, this.perSecond * 5),
    };
    this.agentReserve = this.perSecond >= 4 ? Math.ceil(this.perSecond / 4) : 0;
    this.shared = options.shared;
    this.onSharedError = options.onSharedError ?? (() => {});
  }

  request(request: UpstreamRequest): Promise<UpstreamResponse> {
    if (this.perSecond <= 0) {
      this.counts[request.priority]++;
      return this.inner.request(request);
    }
    if (request.signal?.aborted) {
      return Promise.reject(new UpstreamError('aborted', 'The request was abandoned', false));
    }
    const queue = this.queues[request.priority];
    if (queue.length >= this.maxQueued[request.priority]) {
      const retryAfter = Math.max(1, Math.ceil((queue.length + 1) / this.perSecond));
      return Promise.reject(
        new UpstreamError(
          'busy',
          'The desk is sending the tenant all it allows: try again shortly',
          false,
          retryAfter,
        ),
      );
    }
    return new Promise<UpstreamResponse>((resolve, reject) => {
      const onAbort = () => {
        const index = queue.indexOf(waiting);
        if (index >= 0) queue.splice(index, 1);
        reject(new UpstreamError('aborted', 'The request was abandoned', false));
      };
      const waiting: Waiting = {
        request,
        busyRetries: 0,
        resolve,
        reject,
        cleanup: () => request.signal?.removeEventListener('abort', onAbort),
      };
      request.signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(waiting);
      this.pump();
    });
  }

  stats(): BudgetStats {
    this.prune(this.now());
    return {
      perSecond: this.perSecond,
      sentInWindow: this.sentAt.length,
      queued: { agent: this.queues.agent.length, background: this.queues.background.length },
      sent: { ...this.counts },
    };
  }

  /** Rejects everything still waiting (the server is closing). */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const queue of Object.values(this.queues)) {
      for (const waiting of queue.splice(0)) {
        waiting.cleanup();
        waiting.reject(new UpstreamError('aborted', 'The server is shutting down', false));
      }
    }
  }

  private prune(now: number): void {
    while (this.sentAt.length > 0 && this.sentAt[0]! <= now - this.windowMs) this.sentAt.shift();
  }

  private pump(): void {
    if (this.shared) {
      void this.pumpShared(this.shared);
      return;
    }
    for (;;) {
      const now = this.now();
      if (now < this.pausedUntil) break;
      this.prune(now);
      const used = this.sentAt.length;
      let next: Waiting | undefined;
      if (this.queues.agent.length > 0 && used < this.perSecond) {
        next = this.queues.agent.shift();
      } else if (
        this.queues.agent.length === 0 &&
        this.queues.background.length > 0 &&
        used < this.perSecond - this.agentReserve
      ) {
        next = this.queues.background.shift();
      }
      if (!next) break;
      this.sentAt.push(now);
      this.counts[next.request.priority]++;
      next.cleanup();
      this.send(next);
    }
    const waiting = this.queues.agent.length + this.queues.background.length;
    if (waiting > 0 && this.timer === undefined) {
      const now = this.now();
      const windowFrees = this.sentAt.length > 0 ? this.sentAt[0]! + this.windowMs : now;
      const delay = Math.max(1, Math.max(windowFrees, this.pausedUntil) - now);
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, delay);
    }
  }

  /**
   * The same order as `pump` (agents first, a share of the window kept for them), each slot
   * taken from the shared window: one atomic update in the database per request sent.
   */
  private async pumpShared(shared: SharedWindow): Promise<void> {
    // Requests that come in while the database is asked are seen by the running loop.
    if (this.sharedPumping) return;
    this.sharedPumping = true;
    try {
      while (!this.closed) {
        const now = this.now();
        if (now < this.pausedUntil) return this.wakeIn(this.pausedUntil - now);
        const priority: UpstreamPriority | undefined =
          this.queues.agent.length > 0
            ? 'agent'
            : this.queues.background.length > 0
              ? 'background'
              : undefined;
        if (!priority) return;
        const limit = priority === 'agent' ? this.perSecond : this.perSecond - this.agentReserve;
        let wait: number;
        try {
          wait = await shared.take(limit);
        } catch (error) {
          this.onSharedError(error);
          return this.wakeIn(SHARED_RETRY_MS);
        }
        if (wait > 0) {
          // An agent who came in meanwhile may use the share background reads may not.
          if (priority === 'background' && this.queues.agent.length > 0) continue;
          return this.wakeIn(wait);
        }
        // The slot is taken: the first in line has it (an agent who came in meanwhile).
        const next = this.queues.agent.shift() ?? this.queues.background.shift();
        if (!next) return;
        this.prune(this.now());
        this.sentAt.push(this.now());
        this.counts[next.request.priority]++;
        next.cleanup();
        this.send(next);
      }
    } finally {
      this.sharedPumping = false;
    }
  }

  private wakeIn(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.max(1, ms),
    );
  }

  private send(waiting: Waiting): void {
    // A write that has left is never abandoned: only a read ends with the desk that asked.
    const request =
      waiting.request.method === 'GET'
        ? waiting.request
        : { ...waiting.request, signal: undefined };
    this.inner.request(request).then((response) => {
      if (response.status !== 429 || waiting.busyRetries >= MAX_BUSY_RETRIES) {
        waiting.resolve(response);
        return;
      }
      const seconds = Number(response.headers['retry-after']);
      const wait = Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 30) * 1000 : 1000;
      this.pausedUntil = Math.max(this.pausedUntil, this.now() + wait);
      this.shared?.pause(wait).catch(this.onSharedError);
      waiting.busyRetries++;
      this.queues[waiting.request.priority].unshift(waiting);
      clearTimeout(this.timer);
      this.timer = undefined;
      this.pump();
    }, waiting.reject);
  }
}
