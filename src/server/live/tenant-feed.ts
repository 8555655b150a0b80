import type { LiveFlags, LiveResync, SessionEvent } from '../../contract/live.ts';
import type { FeedEventInput, LiveStore } from './live-store.ts';

// Tenant mode: the live feed of a real tenant, whatever the number of desks, from two
// sources. The platform's session events (the webhook) say which call changed: that call
// is read again, once however many events came for it meanwhile. And one poller per
// server reads the calls changed since its last look (the Manager API's updated_at
// filter, oldest first), as the safety net for lost events and the only source where no
// webhook is configured. Both read through the server's one budget at background
// priority; a call is published only when it is newer than what the desks were sent.

export interface TenantCall {
  id: number;
  /** The call as the desk API answers it, as JSON text. */
  json: string;
  status: string;
  updatedAt: string;
  agentEmail: string | null;
}

export interface TenantSource {
  /** The call as the desk shows it, or null when the tenant has no such call. */
  readCall(id: number): Promise<TenantCall | null>;
  /** One page of the calls with updated_at ≥ `from`, oldest first. */
  readChangedSince(from: string, page: number, per: number): Promise<TenantCall[]>;
  /** The newest updated_at of any call, or null when there are none. */
  readNewest(): Promise<string | null>;
  /** A call's customer flags (read when a call changed in a way its status does not show). */
  readFlags?(id: number): Promise<LiveFlags['flags'] | null>;
}

export interface TenantFeedOptions {
  source: TenantSource;
  store: Pick<LiveStore, 'getCursor' | 'setCursor'>;
  publish: (events: FeedEventInput[]) => unknown;
  /** How often the poller looks (the safety net with a webhook, the source without). */
  pollIntervalMs: number;
  /** Each look starts this much before the last change seen (a tenant's writes land late). */
  overlapMs?: number;
  /** Calls per page (the Manager API's most is 100). */
  per?: number;
  /** Pages one look reads at most; more than that is a gap, and the desks resync. */
  maxPagesPerLook?: number;
  /** Calls waiting to be read from which one list read replaces a read of each. */
  listThreshold?: number;
  log?: { warn(details: object, message: string): void };
  /**
   * Whether any desk is connected. While none is, nothing is read from the tenant (no
   * request reaches it that no desk needs): the poller skips its looks and the webhook's
   * events are not read again; the first look once a desk connects (wake()) catches up
   * from the cursor.
   */
  active?: () => boolean;
  /**
   * The cursor is shared with other servers, any of which may have polled since (issue 13:
   * one polls at a time): each look starts from the stored cursor, not from this server's.
   */
  sharedCursor?: boolean;
}

export interface TenantFeedStats {
  /** Reads of one call / pages of the changed list since start. */
  callReads: number;
  listReads: number;
  /** Calls published since start. */
  published: number;
  /** Calls named by the webhook and not read yet (with one being read: at least 1). */
  waiting: number;
}

const CURSOR = 'tenant-poller';
/** How many calls the feed remembers what it last sent of. */
const SEEN_LIMIT = 50_000;

const ms = (iso: string): number => {
  const value = Date.parse(iso);
  return Number.isNaN(value) ? 0 : value;
};

export class TenantFeed {
  private readonly seen = new Map<number, { at: number; status: string }>();
  /** Calls the webhook said changed, with the newest moment it said. */
  private readonly pending = new Map<number, number>();
  private cursor: number | null = null;
  private closed = false;
  private draining = false;
  private busy = false;
  private timer: NodeJS.Timeout | null = null;
  private looking: Promise<void> = Promise.resolve();
  private readonly counters = { callReads: 0, listReads: 0, published: 0 };
  private readonly overlapMs: number;
  private readonly per: number;
  private readonly maxPages: number;
  private readonly listThreshold: number;

  constructor(private readonly options: TenantFeedOptions) {
    this.overlapMs = options.overlapMs ?? 5000;
    this.per = options.per ?? 100;
    this.maxPages = options.maxPagesPerLook ?? 5;
    this.listThreshold = options.listThreshold ?? 2;
  }

  stats(): TenantFeedStats {
    return { ...this.counters, waiting: this.pending.size + (this.draining ? 1 : 0) };
  }

  /** Starts the poller; resolves once its first look is done (no caller needs to wait). */
  start(): Promise<void> {
    this.looking = (async () => {
      const saved = await this.options.store.getCursor(CURSOR);
      this.cursor = saved === null ? null : ms(saved);
      await this.look();
    })().finally(() => this.schedule(this.options.pollIntervalMs));
    return this.looking;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.looking;
  }

  private isActive(): boolean {
    return this.options.active?.() ?? true;
  }

  /** A desk connected where none was: look now rather than at the next tick. */
  wake(): void {
    // A look under way catches up by itself.
    if (this.closed || this.busy) return;
    this.schedule(0);
  }

  /** The webhook's events: each call named is read again (events older than what was sent are not). */
  noteEvents(events: SessionEvent[]): void {
    if (!this.isActive()) return;
    for (const event of events) {
      const call = event.call;
      if (!call) continue;
      const at = call.updated_at === undefined ? Number.POSITIVE_INFINITY : ms(call.updated_at);
      const known = this.seen.get(call.id);
      // Out of order or repeated: the desks already have this change or a later one.
      if (known && Number.isFinite(at) && known.at >= at) continue;
      this.pending.set(call.id, Math.max(this.pending.get(call.id) ?? 0, at));
    }
    void this.drain();
  }

  /**
   * A call another server sent the desks (its poller, its webhook, a desk's write through
   * it): no news when this server reads it next.
   */
  heard(call: TenantCall): void {
    const known = this.seen.get(call.id);
    if (!known || known.at < ms(call.updatedAt)) this.remember(call);
  }

  /** Also a call the server itself read or wrote (a desk's flag change answered by the tenant). */
  offer(call: TenantCall): void {
    void this.publishCall(call);
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.looking = this.look().finally(() => this.schedule(this.options.pollIntervalMs));
    }, delayMs);
    this.timer.unref();
  }

  /** One look of the poller: everything changed since the cursor (less the overlap). */
  private async look(): Promise<void> {
    if (this.closed || !this.isActive()) return;
    this.busy = true;
    try {
      if (this.options.sharedCursor) {
        const saved = await this.options.store.getCursor(CURSOR);
        this.cursor = saved === null ? null : ms(saved);
      }
      if (this.cursor === null) {
        // The first look ever: from the newest change on, nothing before it is news.
        const newest = await this.options.source.readNewest();
        this.counters.listReads += 1;
        // A tenant with no calls yet: every call that comes is news.
        if (newest === null) return this.saveCursor(this.overlapMs);
        await this.saveCursor(ms(newest));
        // What the overlap of the next look will bring again is no news; what changed
        // since the newest moment just read is.
        await this.readSince(ms(newest) - this.overlapMs, { quietUntil: ms(newest) });
        return;
      }
      const { newest, complete } = await this.readSince(this.cursor - this.overlapMs);
      if (!complete) {
        // More changed than a look reads (the server was down a long while): the desks
        // read what they show again, and the poller goes on from now.
        const data: LiveResync = { reason: 'gap' };
        this.options.publish([{ type: 'resync', data: JSON.stringify(data) }]);
        const latest = await this.options.source.readNewest();
        this.counters.listReads += 1;
        if (latest !== null) await this.saveCursor(ms(latest));
        return;
      }
      if (newest > this.cursor) await this.saveCursor(newest);
    } catch (error) {
      this.options.log?.warn({ err: error }, 'live feed: the tenant poller could not read');
    } finally {
      this.busy = false;
    }
  }

  private async saveCursor(at: number): Promise<void> {
    this.cursor = at;
    await this.options.store.setCursor(CURSOR, new Date(at).toISOString());
  }

  /**
   * Reads the calls changed since `from`, page by page on updated_at (each page starts at
   * the last one's newest moment, so a call that moves while pages are read is not skipped).
   */
  private async readSince(
    from: number,
    { quietUntil = Number.NEGATIVE_INFINITY }: { quietUntil?: number } = {},
  ): Promise<{ newest: number; complete: boolean }> {
    let at = from;
    let page = 1;
    let newest = from;
    for (let pages = 0; pages < this.maxPages; pages++) {
      const calls = await this.options.source.readChangedSince(
        new Date(at).toISOString(),
        page,
        this.per,
      );
      this.counters.listReads += 1;
      for (const call of calls) {
        if (ms(call.updatedAt) <= quietUntil) this.remember(call);
        else await this.publishCall(call);
        newest = Math.max(newest, ms(call.updatedAt));
      }
      if (calls.length < this.per) return { newest, complete: true };
      const last = ms(calls.at(-1)!.updatedAt);
      // A whole page changed at one moment: the next page of that moment, not the same one.
      if (last === at) page += 1;
      else {
        at = last;
        page = 1;
      }
    }
    return { newest, complete: false };
  }

  /** Reads again the calls the webhook named, one at a time, or by the list when many. */
  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.pending.size > 0 && !this.closed) {
        try {
          if (this.pending.size >= this.listThreshold) {
            const waiting = new Set(this.pending.keys());
            const moments = [...this.pending.values()].filter(Number.isFinite);
            // From the oldest moment the events named: they say when, so no overlap is needed.
            if (moments.length > 0) await this.readSince(Math.min(...moments));
            // What the list did not bring (a call the list had not caught up with) is
            // read by itself; calls named meanwhile wait for the next round.
            await this.readEach([...this.pending.keys()].filter((id) => waiting.has(id)));
          } else {
            await this.readEach([...this.pending.keys()]);
          }
        } catch (error) {
          this.options.log?.warn({ err: error }, 'live feed: a call could not be read again');
          // The tenant is away or the budget is full: try again in a moment.
          await new Promise((resolve) => setTimeout(resolve, 1000).unref());
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private async readEach(ids: number[]): Promise<void> {
    for (const id of ids) {
      if (this.closed) return;
      const wanted = this.pending.get(id);
      if (wanted === undefined) continue;
      this.pending.delete(id);
      let call: TenantCall | null;
      try {
        call = await this.options.source.readCall(id);
      } catch (error) {
        this.pending.set(id, Math.max(this.pending.get(id) ?? 0, wanted));
        throw error;
      }
      this.counters.callReads += 1;
      if (call) await this.publishCall(call);
    }
  }

  private remember(call: TenantCall): void {
    this.seen.delete(call.id);
    this.seen.set(call.id, { at: ms(call.updatedAt), status: call.status });
    if (this.seen.size > SEEN_LIMIT) this.seen.delete(this.seen.keys().next().value!);
  }

  /** Sends a call to the desks if it is newer than what they were sent of it. */
  private async publishCall(call: TenantCall): Promise<void> {
    const at = ms(call.updatedAt);
    const known = this.seen.get(call.id);
    const pendingAt = this.pending.get(call.id);
    if (pendingAt !== undefined && pendingAt <= at) this.pending.delete(call.id);
    if (known && known.at >= at) return;
    this.remember(call);
    this.counters.published += 1;
    const events: FeedEventInput[] = [
      { type: 'call', data: call.json, callId: call.id, agentEmail: call.agentEmail },
    ];
    // Changed without a change of status: perhaps its flags, which the call does not carry.
    if (known && known.status === call.status && this.options.source.readFlags) {
      const flags = await this.options.source.readFlags(call.id).catch((error: unknown) => {
        this.options.log?.warn({ err: error }, 'live feed: flags could not be read');
        return null;
      });
      this.counters.callReads += 1;
      if (flags) {
        const data: LiveFlags = { id: call.id, flags };
        events.push({ type: 'flags', data: JSON.stringify(data), callId: call.id });
      }
    }
    this.options.publish(events);
  }
}
