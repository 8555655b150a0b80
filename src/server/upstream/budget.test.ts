import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UpstreamBudget } from './budget.ts';
import {
  UpstreamError,
  type Upstream,
  type UpstreamRequest,
  type UpstreamResponse,
} from './upstream.ts';

// The shared budget in front of the tenant, on the test's own clock (fake timers): what
// leaves when, in which order, and what the budget does with a tenant that says 429.

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

function tenantRecorder(answer: (request: UpstreamRequest, n: number) => number = () => 200) {
  const sent: Array<{ at: number; path: string; priority: string; abortable: boolean }> = [];
  const upstream: Upstream = {
    description: 'test tenant',
    async request(request): Promise<UpstreamResponse> {
      sent.push({
        at: Date.now(),
        path: request.path,
        priority: request.priority,
        abortable: request.signal !== undefined,
      });
      const status = answer(request, sent.length);
      return {
        status,
        headers: status === 429 ? { 'retry-after': '2' } : {},
        body: Buffer.from('{}'),
      };
    },
  };
  return { upstream, sent, clock: { now: () => Date.now() } };
}

const get = (path: string, priority: 'agent' | 'background' = 'agent'): UpstreamRequest => ({
  method: 'GET',
  path,
  priority,
});

/** Moves the clock on, running the budget's timers and what they start. */
const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);
const settle = () => advance(0);

describe('the upstream budget', () => {
  it('sends at most perSecond in any window of one second, the rest when the window moves', async () => {
    const t = tenantRecorder();
    const budget = new UpstreamBudget(t.upstream, { perSecond: 4, now: t.clock.now });
    const answers = Array.from({ length: 10 }, (_, i) => budget.request(get(`/r/${i}`)));
    await settle();
    expect(t.sent.map((s) => s.path)).toEqual(['/r/0', '/r/1', '/r/2', '/r/3']);
    expect(budget.stats().queued.agent).toBe(6);
    await advance(999);
    expect(t.sent).toHaveLength(4);
    await advance(1);
    expect(t.sent).toHaveLength(8);
    await advance(1000);
    expect((await Promise.all(answers)).map((a) => a.status)).toEqual(answers.map(() => 200));
    for (const [i, s] of t.sent.entries()) {
      const window = t.sent.filter((o) => o.at > s.at - 1000 && o.at <= s.at);
      expect(window.length, `send ${i}`).toBeLessThanOrEqual(4);
    }
  });

  it('agents go first, and background reads leave room in every window for them', async () => {
    const t = tenantRecorder();
    const budget = new UpstreamBudget(t.upstream, { perSecond: 8, now: t.clock.now });
    // Closed before they are all sent: what is still waiting is refused, as at shutdown.
    const background = Array.from({ length: 10 }, (_, i) =>
      budget.request(get(`/bg/${i}`, 'background')).catch((e: unknown) => e),
    );
    await settle();
    // 8 a second, 2 of them kept for agents.
    expect(t.sent.map((s) => s.priority)).toEqual(Array(6).fill('background'));
    const agents = ['/agent/1', '/agent/2', '/agent/3'].map((p) =>
      budget.request(get(p)).catch((e: unknown) => e),
    );
    await settle();
    expect(t.sent.slice(6).map((s) => s.path)).toEqual(['/agent/1', '/agent/2']);
    budget.close();
    expect(await agents[2]).toMatchObject({ kind: 'aborted', sent: false });
    expect(await background[9]).toMatchObject({ kind: 'aborted', sent: false });
  });

  it('a full queue answers busy, with the seconds until there is room', async () => {
    const t = tenantRecorder();
    const budget = new UpstreamBudget(t.upstream, {
      perSecond: 2,
      now: t.clock.now,
      maxQueued: { agent: 3 },
    });
    const waiting = Array.from({ length: 5 }, () => budget.request(get('/x')).catch((e) => e));
    const refused = await budget.request(get('/x')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UpstreamError);
    expect(refused).toMatchObject({ kind: 'busy', sent: false, retryAfter: 2 });
    budget.close();
    await Promise.all(waiting);
  });

  it('a 429 from the tenant all the same: the budget pauses for Retry-After and sends again', async () => {
    const t = tenantRecorder((_request, n) => (n === 1 ? 429 : 200));
    const budget = new UpstreamBudget(t.upstream, { perSecond: 8, now: t.clock.now });
    const answer = budget.request(get('/calls'));
    const later = budget.request(get('/menus'));
    await settle();
    expect(t.sent.map((s) => s.path)).toEqual(['/calls', '/menus']);
    await advance(1999);
    expect(t.sent).toHaveLength(2);
    await advance(1);
    expect((await answer).status).toBe(200);
    expect((await later).status).toBe(200);
    expect(t.sent.map((s) => s.path)).toEqual(['/calls', '/menus', '/calls']);
    expect(t.sent[2]!.at).toBe(2000);
  });

  it('a desk that went away leaves the queue, and a write that has left is never abandoned', async () => {
    const t = tenantRecorder();
    const budget = new UpstreamBudget(t.upstream, { perSecond: 1, now: t.clock.now });
    const first = new AbortController();
    const created = budget.request({
      method: 'POST',
      path: '/calls',
      body: Buffer.from('{}'),
      priority: 'agent',
      signal: first.signal,
    });
    const gone = new AbortController();
    const abandoned = budget.request({ ...get('/second'), signal: gone.signal }).catch((e) => e);
    gone.abort();
    expect(await abandoned).toMatchObject({ kind: 'aborted', sent: false });
    expect(budget.stats().queued.agent).toBe(0);
    // The create left with nothing that could abort it once sent.
    expect((await created).status).toBe(200);
    expect(t.sent).toEqual([expect.objectContaining({ path: '/calls', abortable: false })]);
    const read = new AbortController();
    await advance(1000);
    await budget.request({ ...get('/third'), signal: read.signal });
    expect(t.sent[1]).toMatchObject({ path: '/third', abortable: true });
    budget.close();
  });

  it('0 turns it off', async () => {
    const t = tenantRecorder();
    const budget = new UpstreamBudget(t.upstream, { perSecond: 0, now: t.clock.now });
    await Promise.all(Array.from({ length: 50 }, () => budget.request(get('/x'))));
    expect(t.sent).toHaveLength(50);
  });
});
