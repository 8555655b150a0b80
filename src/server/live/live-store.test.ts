import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../contract/live.ts';
import { openPostgres, type Postgres } from '../db/postgres.ts';
import { DESK_POSTGRES_MIGRATIONS } from '../desk/store/postgres/desk-schema.ts';
import { testDatabase } from '../test/test-database.ts';
import type { FeedEventInput, LiveStore } from './live-store.ts';
import { PostgresLiveStore } from './postgres-live-store.ts';
import { SqliteLiveStore } from './sqlite-live-store.ts';

// One suite, two implementations: the SQLite file one server keeps, and the PostgreSQL
// database several servers share. Each is opened twice on the same data, as two servers
// (or a restarted one) would: what one handle wrote, the other reads.

interface Limits {
  historyLimit?: number;
  dedupeLimit?: number;
}
type Prunable = LiveStore & { prune(): unknown };
interface Opened {
  one: Prunable;
  two: Prunable;
  close(): Promise<void>;
}

const backends: Record<string, (limits?: Limits) => Promise<Opened>> = {
  async sqlite(limits = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-live-store-'));
    const one = SqliteLiveStore.open(dir, limits);
    const two = SqliteLiveStore.open(dir, limits);
    return {
      one,
      two,
      async close() {
        one.close();
        two.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  async postgres(limits = {}) {
    const database = await testDatabase();
    // Two pools, as two servers.
    const pools = await Promise.all(
      [1, 2].map(() =>
        openPostgres({ url: database.url, migrationsDir: DESK_POSTGRES_MIGRATIONS }),
      ),
    );
    return {
      one: await PostgresLiveStore.open(pools[0]!, limits),
      two: await PostgresLiveStore.open(pools[1]!, limits),
      async close() {
        for (const pool of pools) await pool.close();
        await database.drop();
      },
    };
  },
};

const call = (id: number): FeedEventInput => ({
  type: 'call',
  data: JSON.stringify({ id, status: 'queued' }),
  callId: id,
  agentEmail: id % 2 ? 'agent@somedomain.com' : null,
});

describe.each(Object.entries(backends))('the live store on %s', (_name, open) => {
  let opened: Opened | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });
  const stores = async (limits?: Limits) => (opened = await open(limits));

  it('is one history with one epoch, whichever handle appended', async () => {
    const { one, two } = await stores();
    expect(one.epoch).toMatch(/^[0-9a-z]{8}$/);
    expect(two.epoch).toBe(one.epoch);
    expect(await one.latestId()).toBe(0);
    const first = await one.append([call(1), call(2)]);
    const second = await two.append([call(3)]);
    expect(first.map((e) => e.id)).toEqual([1, 2]);
    expect(second.map((e) => e.id)).toEqual([3]);
    expect(first[0]).toEqual({ ...call(1), id: 1 });
    expect(await two.latestId()).toBe(3);
    expect(await one.latestId()).toBe(3);
    const since = await two.since(1, 10);
    expect(since).toEqual({ complete: true, events: [...first.slice(1), ...second] });
    // A call-less event keeps no call.
    const [resync] = await two.append([{ type: 'resync', data: '{"reason":"gap"}' }]);
    expect((await one.since(3, 10)).events).toEqual([{ ...resync, agentEmail: null }]);
    expect(await two.append([])).toEqual([]);
  });

  it('says when it cannot tell what came after an id', async () => {
    const { one, two } = await stores({ historyLimit: 3 });
    await one.append([1, 2, 3, 4, 5, 6].map(call));
    expect(await two.since(6, 10)).toEqual({ events: [], complete: true });
    // Newer than any event: another history's, or a store that was reset.
    expect((await two.since(7, 10)).complete).toBe(false);
    expect((await two.since(-1, 10)).complete).toBe(false);
    // More followed than a client should be replayed.
    expect(await two.since(2, 3)).toEqual({ events: [], complete: false });
    expect((await two.since(3, 3)).events.map((e) => e.id)).toEqual([4, 5, 6]);
    // Older than the history kept.
    await two.prune();
    expect((await one.since(2, 10)).complete).toBe(false);
    expect((await one.since(3, 10)).events.map((e) => e.id)).toEqual([4, 5, 6]);
    // Ids are never reused, the newest one survives its pruning.
    expect((await one.append([call(7)]))[0]!.id).toBe(7);
  });

  it('claims a webhook event id once, whichever handle is given it, however often', async () => {
    const { one, two } = await stores();
    expect(await one.claimEventIds(['a', 'b', 'a'])).toEqual(['a', 'b']);
    expect(await two.claimEventIds(['b', 'c', 'a', 'd'])).toEqual(['c', 'd']);
    expect(await one.claimEventIds([])).toEqual([]);
    // The same new ids at once through both: each goes to exactly one.
    const ids = Array.from({ length: 50 }, (_, i) => `race-${i}`);
    const [fromOne, fromTwo] = await Promise.all([one.claimEventIds(ids), two.claimEventIds(ids)]);
    expect([...fromOne, ...fromTwo].sort()).toEqual([...ids].sort());
  });

  it('forgets the oldest event ids past its bound', async () => {
    const { one, two } = await stores({ dedupeLimit: 2 });
    await one.claimEventIds(['a', 'b', 'c']);
    await two.prune();
    expect(await two.claimEventIds(['a', 'b', 'c'])).toEqual(['a']);
  });

  it('keeps named cursors for every handle', async () => {
    const { one, two } = await stores();
    expect(await two.getCursor('tenant-poller')).toBeNull();
    await one.setCursor('tenant-poller', '2024-05-01T10:00:00.000Z');
    expect(await two.getCursor('tenant-poller')).toBe('2024-05-01T10:00:00.000Z');
    await two.setCursor('tenant-poller', '2024-05-01T11:00:00.000Z');
    expect(await one.getCursor('tenant-poller')).toBe('2024-05-01T11:00:00.000Z');
    expect(await one.getCursor('another')).toBeNull();
  });
});

describe('the live store on PostgreSQL, as several servers use it', () => {
  let pools: Postgres[] = [];
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    for (const pool of pools) await pool.close();
    await drop?.();
    pools = [];
  });
  const open = async () => {
    const database = await testDatabase();
    drop = database.drop;
    pools = await Promise.all(
      [1, 2].map(() =>
        openPostgres({ url: database.url, migrationsDir: DESK_POSTGRES_MIGRATIONS }),
      ),
    );
    return Promise.all(pools.map((pool) => PostgresLiveStore.open(pool)));
  };

  it('commits ids in order: a reader going on from the last id it read misses none', async () => {
    const [one, two] = (await open()) as [PostgresLiveStore, PostgresLiveStore];
    const seen: number[] = [];
    let writing = true;
    const reader = (async () => {
      let last = 0;
      while (writing || last < (await two.latestId())) {
        const { events, complete } = await two.since(last, 1000);
        expect(complete).toBe(true);
        for (const event of events) seen.push(event.id);
        last = events.at(-1)?.id ?? last;
      }
    })();
    const appended = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 2 ? one : two).append([call(i), call(i + 100)])),
    );
    writing = false;
    await reader;
    const ids = appended.flat().map((e) => e.id);
    expect(seen).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(seen).size).toBe(120);
  });

  it('hands webhook events to whichever server takes them, each once, oldest first', async () => {
    const [one, two] = (await open()) as [PostgresLiveStore, PostgresLiveStore];
    const event = (id: number): SessionEvent => ({
      event_id: `e-${id}`,
      event_type: 'call.updated',
      occurred_at: '2024-05-01T10:00:00.000Z',
      call: { id, status: 'connected', updated_at: '2024-05-01T10:00:00.000Z' },
    });
    await one.handOver([event(1), event(2)]);
    await one.handOver([event(3)]);
    const taken = await Promise.all([two.takeHandedOver(2), one.takeHandedOver(2)]);
    const ids = taken.flat().map((e) => e.event_id);
    expect([...ids].sort()).toEqual(['e-1', 'e-2', 'e-3']);
    for (const batch of taken) {
      const order = batch.map((e) => e.call!.id);
      expect(order).toEqual([...order].sort());
    }
    expect(taken[0]![0]).toEqual(event(taken[0]![0]!.call!.id));
    expect(await two.takeHandedOver()).toEqual([]);
  });
});
