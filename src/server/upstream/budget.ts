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

export interface BudgetOptions {
  /** Requests per second; 0 turns the budget off. */
  perSecond: number;
  windowMs?: number;
  /** How many requests may wait, per priority (default: 10 s of budget for agents, 5 s for background). */
  maxQueued?: Partial<Record<UpstreamPriority, number>>;
  now?: () => number;
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
      waiting.busyRetries++;
      this.queues[waiting.request.priority].unshift(waiting);
      clearTimeout(this.timer);
      this.timer = undefined;
      this.pump();
    }, waiting.reject);
  }
}
