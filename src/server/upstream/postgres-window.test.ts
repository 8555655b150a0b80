import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type Postgres } from '../db/postgres.ts';
import { DESK_POSTGRES_MIGRATIONS } from '../desk/store/postgres/desk-schema.ts';
import { testDatabase, type TestDatabase } from '../test/test-database.ts';
import { UpstreamBudget, type SharedWindow } from './budget.ts';
import { postgresWindow } from './postgres-window.ts';
import type { Upstream, UpstreamPriority, UpstreamResponse } from './upstream.ts';

// The budget shared by several servers through PostgreSQL, on real time and a real
// database: each "server" is a budget with a pool of its own, all sending one tenant.

let database: TestDatabase;
const pools: Postgres[] = [];
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(async () => {
  for (const pool of pools) await pool.close();
  await database?.drop();
});

async function server(): Promise<Postgres> {
  const db = await openPostgres({ url: database.url, migrationsDir: DESK_POSTGRES_MIGRATIONS });
  pools.push(db);
  return db;
}

interface Sent {
  at: number;
  server: string;
  path: string;
  priority: UpstreamPriority;
}

/** One tenant that every server sends to: records when each request reached it. */
function tenant(answer: (n: number) => number = () => 200) {
  const sent: Sent[] = [];
  const upstreamFor = (server: string): Upstream => ({
    description: 'the tenant',
    async request(request): Promise<UpstreamResponse> {
      sent.push({ at: performance.now(), server, path: request.path, priority: request.priority });
      const status = answer(sent.length);
      return {
        status,
        headers: status === 429 ? { 'retry-after': '1' } : {},
        body: Buffer.from('{}'),
      };
    },
  });
  /** The most requests that reached the tenant in any window of `ms`. */
  const busiest = (ms: number) =>
    Math.max(0, ...sent.map((s) => sent.filter((o) => o.at > s.at - ms && o.at <= s.at).length));
  return { sent, upstreamFor, busiest };
}

const get = (path: string, priority: UpstreamPriority = 'agent') => ({
  method: 'GET' as const,
  path,
  priority,
});

// The window is the database's second; a request reaches the tenant a moment after its
// slot was taken, so the tenant's own count is checked over a window a little shorter.
const JITTER_MS = 50;

describe('a budget shared through PostgreSQL', () => {
  it('two servers together send at most perSecond in any second', async () => {
    const name = 'tenant-a';
    const t = tenant();
    const budgets = await Promise.all(
      ['one', 'two'].map(
        async (id) =>
          new UpstreamBudget(t.upstreamFor(id), {
            perSecond: 4,
            shared: postgresWindow(await server(), name),
          }),
      ),
    );
    const answers = await Promise.all(
      budgets.flatMap((budget, b) =>
        Array.from({ length: 6 }, (_, i) => budget.request(get(`/${b}/${i}`))),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    expect(t.sent).toHaveLength(12);
    expect(t.busiest(1000 - JITTER_MS)).toBeLessThanOrEqual(4);
    // Both servers had their turn.
    expect(new Set(t.sent.map((s) => s.server))).toEqual(new Set(['one', 'two']));
    for (const budget of budgets) budget.close();
  });

  it('background reads on one server leave room for agents on the other', async () => {
    const name = 'tenant-b';
    const t = tenant();
    const shared = async () => postgresWindow(await server(), name);
    const poller = new UpstreamBudget(t.upstreamFor('poller'), {
      perSecond: 8,
      shared: await shared(),
    });
    const desk = new UpstreamBudget(t.upstreamFor('desk'), {
      perSecond: 8,
      shared: await shared(),
    });
    const background = Promise.all(
      Array.from({ length: 8 }, (_, i) => poller.request(get(`/bg/${i}`, 'background'))),
    );
    // The poller has taken all background may take of this second (8, 2 kept for agents).
    await expect.poll(() => t.sent.length).toBe(6);
    // The agents on the other server have the two slots kept for them at once; a third
    // waits for the window to move, like everything else.
    await Promise.all([1, 2, 3].map((i) => desk.request(get(`/agent/${i}`))));
    await background;
    expect(t.sent.slice(0, 8).map((s) => s.path)).toEqual([
      ...Array.from({ length: 6 }, (_, i) => `/bg/${i}`),
      '/agent/1',
      '/agent/2',
    ]);
    const third = t.sent.find((s) => s.path === '/agent/3')!;
    expect(third.at - t.sent[0]!.at).toBeGreaterThanOrEqual(1000 - JITTER_MS);
    expect(t.sent).toHaveLength(11);
    poller.close();
    desk.close();
  });

  it('a 429 met by one server pauses the others too', async () => {
    const name = 'tenant-c';
    const t = tenant((n) => (n === 1 ? 429 : 200));
    const one = new UpstreamBudget(t.upstreamFor('one'), {
      perSecond: 8,
      shared: postgresWindow(await server(), name),
    });
    const two = new UpstreamBudget(t.upstreamFor('two'), {
      perSecond: 8,
      shared: postgresWindow(await server(), name),
    });
    const first = one.request(get('/first'));
    await expect.poll(() => t.sent.length).toBe(1);
    // The pause reaches the database a moment after the 429 came back.
    const paused = postgresWindow(await server(), name);
    await expect.poll(() => paused.take(1000).then((wait) => wait > 0)).toBe(true);
    const second = await two.request(get('/second'));
    expect(second.status).toBe(200);
    expect((await first).status).toBe(200);
    const [refused, ...after] = t.sent;
    // Retry-After was 1 s: neither server sent anything in that second.
    for (const s of after) expect(s.at - refused!.at).toBeGreaterThanOrEqual(1000 - JITTER_MS);
    expect(after.map((s) => s.path).sort()).toEqual(['/first', '/second']);
    one.close();
    two.close();
  });

  it('tenants of their own do not share a window', async () => {
    const db = await server();
    const a = postgresWindow(db, 'tenant-d');
    const b = postgresWindow(db, 'tenant-e');
    expect(await a.take(1)).toBe(0);
    expect(await a.take(1)).toBeGreaterThan(0);
    expect(await b.take(1)).toBe(0);
  });

  it('a window that cannot be reached: the requests wait, and go when it answers again', async () => {
    const t = tenant();
    const errors: unknown[] = [];
    let failures = 2;
    const flaky: SharedWindow = {
      take: async () => {
        if (failures-- > 0) throw new Error('connection refused');
        return 0;
      },
      pause: async () => {},
    };
    const budget = new UpstreamBudget(t.upstreamFor('one'), {
      perSecond: 8,
      shared: flaky,
      onSharedError: (error) => errors.push(error),
    });
    expect((await budget.request(get('/x'))).status).toBe(200);
    expect(errors).toHaveLength(2);
    budget.close();
  });
});
