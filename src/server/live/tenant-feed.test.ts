import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../contract/live.ts';
import { control, createCall, inboundBody, scheduledBody } from '../test/api-helpers.ts';
import { startTestServer, tempDataDir, type TestServer } from '../test/test-server.ts';
import type { FeedEventInput } from './live-store.ts';
import { SqliteLiveStore } from './sqlite-live-store.ts';
import { TenantFeed, type TenantCall, type TenantSource } from './tenant-feed.ts';

// The tenant feed against a real emulator standing in for the tenant, read over real HTTP
// with its Basic credentials, every request counted.

let tenant: TestServer;
let requests: string[];
let dataDir: string;
let store: SqliteLiveStore;
let published: FeedEventInput[];
let feed: TenantFeed | null;

function toTenantCall(call: Record<string, unknown>): TenantCall {
  return {
    id: call.id as number,
    json: JSON.stringify(call),
    status: call.status as string,
    updatedAt: call.updated_at as string,
    agentEmail: (call.agent_email as string | null) ?? null,
  };
}

const source: TenantSource = {
  async readCall(id) {
    requests.push(`call ${id}`);
    const answer = await tenant.request('GET', `/apps/api/v1/calls/${id}`);
    if (answer.status === 404) return null;
    if (answer.status !== 200) throw new Error(`HTTP ${answer.status}`);
    return toTenantCall(answer.body as Record<string, unknown>);
  },
  async readChangedSince(from, page, per) {
    requests.push(`list ${page}`);
    const query = new URLSearchParams({
      'updated_at[from]': from,
      sort_column: 'updated_at',
      sort_direction: 'asc',
      per: String(per),
      page: String(page),
    });
    const answer = await tenant.request('GET', `/apps/api/v1/calls?${query}`);
    if (answer.status !== 200) throw new Error(`HTTP ${answer.status}`);
    return (answer.body as Array<Record<string, unknown>>).map(toTenantCall);
  },
  async readNewest() {
    requests.push('newest');
    const answer = await tenant.request(
      'GET',
      '/apps/api/v1/calls?sort_column=updated_at&sort_direction=desc&per=1',
    );
    const [newest] = answer.body as Array<{ updated_at: string }>;
    return newest?.updated_at ?? null;
  },
  async readFlags(id) {
    requests.push(`flags ${id}`);
    const answer = await tenant.request('GET', `/apps/api/v1/calls/${id}/customer_flag`);
    return answer.status === 200 ? (answer.body as never) : null;
  },
};

async function startFeed(
  pollIntervalMs: number,
  extra: { per?: number; maxPagesPerLook?: number; active?: () => boolean } = {},
) {
  feed = new TenantFeed({
    source,
    store,
    publish: (events) => published.push(...events),
    pollIntervalMs,
    ...extra,
  });
  await feed.start();
  return feed;
}

const publishedCalls = () =>
  published
    .filter((e) => e.type === 'call')
    .map((e) => JSON.parse(e.data) as { id: number; status: string });

const statusEvent = (id: number, status: string, updatedAt: string): SessionEvent => ({
  event_id: randomUUID(),
  event_type: 'call.status_changed',
  call: { id, status, updated_at: updatedAt },
});

beforeAll(async () => {
  tenant = await startTestServer();
});
afterAll(() => tenant.close());

beforeEach(async () => {
  await control(tenant).reset();
  requests = [];
  published = [];
  dataDir = tempDataDir();
  store = SqliteLiveStore.open(dataDir);
  feed = null;
});

afterEach(async () => {
  await feed?.close();
  store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the tenant poller', () => {
  it('starts from the newest change, then publishes each change it finds, once', async () => {
    const before = await createCall(tenant, inboundBody());
    await startFeed(30);
    const call = await createCall(tenant, inboundBody());
    await control(tenant).event(call.id as number, { type: 'assign' });
    await expect
      .poll(() => publishedCalls().some((c) => c.id === call.id && c.status === 'assigned'))
      .toBe(true);
    // The call before the first look is no news; each version of the new one is sent once.
    expect(publishedCalls().some((c) => c.id === before.id)).toBe(false);
    const versions = publishedCalls()
      .filter((c) => c.id === call.id)
      .map((c) => c.status);
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('reads nothing while no desk is connected, and catches up when one connects', async () => {
    let connected = false;
    let asked = 0;
    const first = await createCall(tenant, inboundBody());
    await startFeed(10, {
      active: () => {
        asked += 1;
        return connected;
      },
    });
    // Several looks and a webhook's event come and go while no desk is there.
    await expect.poll(() => asked, { interval: 10 }).toBeGreaterThanOrEqual(5);
    feed!.noteEvents([statusEvent(first.id as number, 'queued', new Date().toISOString())]);
    await expect.poll(() => asked, { interval: 10 }).toBeGreaterThanOrEqual(10);
    expect(requests).toEqual([]);

    connected = true;
    feed!.wake();
    await expect.poll(() => requests.length).toBeGreaterThan(0);
    const call = await createCall(tenant, inboundBody());
    await expect.poll(() => publishedCalls().some((c) => c.id === call.id)).toBe(true);
  });

  it('goes on after a restart from where it stopped, with what changed meanwhile', async () => {
    await createCall(tenant, inboundBody());
    const first = await startFeed(30);
    await first.close();
    const whileDown = await createCall(tenant, inboundBody());
    requests = [];
    await startFeed(30);
    await expect.poll(() => publishedCalls().map((c) => c.id)).toContain(whileDown.id);
    expect(requests).not.toContain('newest');
  });

  it('pages through calls that changed at one moment, and through more than a page', async () => {
    await createCall(tenant, inboundBody());
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) ids.push((await createCall(tenant, scheduledBody())).id as number);
    await startFeed(3_600_000, { per: 3 });
    requests = [];
    // The clock passes their time: all seven become queued in one write, at one moment.
    await control(tenant).clock({ now: '2099-06-01T00:00:00.000Z' });
    await feed!.close();
    await startFeed(3_600_000, { per: 3 });
    const queued = () =>
      publishedCalls().filter((c) => ids.includes(c.id) && c.status === 'queued');
    await expect.poll(() => queued().length).toBe(7);
    expect(
      queued()
        .map((c) => c.id)
        .sort(),
    ).toEqual([...ids].sort());
  });

  it('says resync when more changed than one look reads', async () => {
    await createCall(tenant, inboundBody());
    await startFeed(3_600_000, { per: 2, maxPagesPerLook: 2 });
    await feed!.close();
    for (let i = 0; i < 6; i++) await createCall(tenant, inboundBody());
    await startFeed(3_600_000, { per: 2, maxPagesPerLook: 2 });
    await expect.poll(() => published.map((e) => e.type)).toContain('resync');
    expect(JSON.parse(published.find((e) => e.type === 'resync')!.data)).toEqual({ reason: 'gap' });
  });

  it('reads the flags of a call that changed without a change of status', async () => {
    await startFeed(30);
    const call = await createCall(tenant, inboundBody());
    await expect.poll(() => publishedCalls().length).toBe(1);
    await tenant.request('PATCH', `/apps/api/v1/calls/${call.id}/customer_flag`, {
      body: { repeat_customer: true },
    });
    await expect.poll(() => published.map((e) => e.type)).toContain('flags');
    expect(JSON.parse(published.find((e) => e.type === 'flags')!.data)).toEqual({
      id: call.id,
      flags: { verified_customer: false, bad_actor: false, repeat_customer: true },
    });
  });
});

describe('the webhook path', () => {
  it('reads a call the webhook names, once for a burst of events about it', async () => {
    await startFeed(3_600_000);
    const call = await createCall(tenant, inboundBody());
    const answered = await control(tenant).event(call.id as number, { type: 'assign' });
    requests = [];
    feed!.noteEvents(
      Array.from({ length: 50 }, () =>
        statusEvent(call.id as number, 'assigned', answered.updated_at as string),
      ),
    );
    await expect
      .poll(() => publishedCalls())
      .toEqual([expect.objectContaining({ id: call.id, status: 'assigned' })]);
    expect(requests).toEqual([`call ${call.id}`]);
  });

  it('does not read again for an event older than what the desks have (out of order)', async () => {
    await startFeed(3_600_000);
    const call = await createCall(tenant, inboundBody());
    const assigned = await control(tenant).event(call.id as number, { type: 'assign' });
    const connected = await control(tenant).event(call.id as number, { type: 'connect' });
    feed!.noteEvents([statusEvent(call.id as number, 'connected', connected.updated_at as string)]);
    await expect.poll(() => publishedCalls().map((c) => c.status)).toEqual(['connected']);
    requests = [];
    // The earlier event arrives late.
    feed!.noteEvents([statusEvent(call.id as number, 'assigned', assigned.updated_at as string)]);
    feed!.noteEvents([statusEvent(call.id as number, 'connected', connected.updated_at as string)]);
    // A later event still reads: the desks get the newest state.
    const finished = await control(tenant).event(call.id as number, { type: 'finish' });
    feed!.noteEvents([statusEvent(call.id as number, 'finished', finished.updated_at as string)]);
    await expect
      .poll(() => publishedCalls().map((c) => c.status))
      .toEqual(['connected', 'finished']);
    expect(requests).toEqual([`call ${call.id}`]);
  });

  it('reads a burst of 1,000 events about 200 calls with a few list reads, not 200 reads', async () => {
    await startFeed(3_600_000);
    const calls = [];
    for (let i = 0; i < 200; i++) calls.push(await createCall(tenant, inboundBody()));
    requests = [];
    const events: SessionEvent[] = [];
    for (let round = 0; round < 5; round++) {
      for (const call of calls)
        events.push(statusEvent(call.id as number, 'queued', call.updated_at as string));
    }
    feed!.noteEvents(events);
    await expect.poll(() => new Set(publishedCalls().map((c) => c.id)).size).toBe(200);
    expect(publishedCalls()).toHaveLength(200);
    expect(requests.filter((r) => r.startsWith('list')).length).toBeLessThanOrEqual(3);
    expect(requests.filter((r) => r.startsWith('call')).length).toBe(0);
  });

  it('reads a call it cannot find no further (a call of no tenant of ours)', async () => {
    await startFeed(3_600_000);
    requests = [];
    feed!.noteEvents([statusEvent(987_654, 'queued', new Date().toISOString())]);
    await expect.poll(() => requests).toEqual(['call 987654']);
    expect(published).toEqual([]);
  });
});
