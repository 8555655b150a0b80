import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FeedEventInput } from '../live/live-store.ts';
import {
  control,
  createCall,
  inboundBody,
  outboundBody,
  postCall,
  scheduledBody,
} from '../test/api-helpers.ts';
import { startTestServer, type TestServer } from '../test/test-server.ts';
import { startEmulatorChangeFeed } from './change-feed.ts';

// The emulator's change feed on the real server: every way a call changes over HTTP
// reaches the feed once it is committed, and nothing that was refused or rolled back does.

let server: TestServer;
let events: Array<FeedEventInput & { inTransaction: boolean }> = [];
let stop: () => void;

const calls = () => events.filter((e) => e.type === 'call').map((e) => JSON.parse(e.data));

beforeAll(async () => {
  server = await startTestServer();
  const services = server.app.desk.emulator!;
  stop = startEmulatorChangeFeed({
    calls: services.calls,
    tenants: services.tenants,
    tenant: () => services.deskTenant,
    publish: (batch) => {
      for (const event of batch)
        events.push({ ...event, inTransaction: services.db.inTransaction });
    },
  });
});

afterAll(async () => {
  stop();
  await server.close();
});

beforeEach(async () => {
  await control(server).reset();
  events = [];
});

describe('the emulator change feed', () => {
  it('hears of a create with the JSON the 201 answered, after the commit', async () => {
    const created = await postCall(server, inboundBody());
    expect(created.status).toBe(201);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'call', inTransaction: false });
    expect(JSON.parse(events[0]!.data)).toEqual(created.body);
    expect(events[0]!.callId).toBe((created.body as { id: number }).id);
  });

  it('hears of each lifecycle event, once per commit, with the call as answered', async () => {
    const call = await createCall(server, inboundBody());
    events = [];
    const assigned = await control(server).event(call.id as number, {
      type: 'assign',
      agent_email: 'admin@somedomain.com',
    });
    await control(server).event(call.id as number, { type: 'connect' });
    expect(calls().map((c) => c.status)).toEqual(['assigned', 'connected']);
    expect(calls()[0]).toEqual(assigned);
    expect(events[0]!.agentEmail).toBe('admin@somedomain.com');
    expect(events.every((e) => !e.inTransaction)).toBe(true);
  });

  it('hears nothing of an event the call refuses (409) or a create that is refused (400)', async () => {
    const call = await createCall(server, inboundBody());
    events = [];
    const refused = await server.request('POST', `/emulator/calls/${call.id}/events`, {
      body: { type: 'finish' },
    });
    expect(refused.status).toBe(409);
    const bad = await postCall(server, inboundBody({ menu_id: 999_999 }));
    expect(bad.status).toBe(400);
    expect(events).toEqual([]);
  });

  it('in a group commit, hears of the writes that committed and not of one rolled back', async () => {
    const call = await createCall(server, inboundBody());
    events = [];
    const { calls: store, deskTenant } = server.app.desk.emulator!;
    const stored = store.get(deskTenant.id, call.id as number)!;
    const write = (status: string, fail: boolean) => () => {
      store.save(deskTenant.id, {
        ...stored,
        call: { ...stored.call, status: status as 'queued' },
      });
      if (fail) throw new Error('rolled back');
    };
    // The three share one transaction, each in its own savepoint: the one that throws is
    // rolled back alone, and the feed hears of the two others once the group commits.
    const outcomes = await Promise.allSettled([
      store.groupCommit(write('assigned', false)),
      store.groupCommit(write('failed', true)),
      store.groupCommit(write('connecting', false)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // One commit, one call: the feed sends the call as the commit left it.
    expect(calls().map((c) => c.status)).toEqual(['connecting']);
    expect(events.every((e) => !e.inTransaction)).toBe(true);

    events = [];
    expect(() => store.transaction(write('finished', true))).toThrow('rolled back');
    expect(events).toEqual([]);
  });

  it('creates sent together, committed together, are each heard of', async () => {
    const answers = await Promise.all(
      [inboundBody(), outboundBody(), inboundBody()].map((body) => postCall(server, body)),
    );
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(calls().map((c) => c.id)).toEqual(answers.map((a) => (a.body as { id: number }).id));
  });

  it('hears of a flag change as flags and as the call whose updated_at moved', async () => {
    const call = await createCall(server, inboundBody());
    events = [];
    const answer = await server.request('PATCH', `/apps/api/v1/calls/${call.id}/customer_flag`, {
      body: { bad_actor: true },
    });
    expect(answer.status).toBe(200);
    expect(events.map((e) => e.type)).toEqual(['flags', 'call']);
    expect(JSON.parse(events[0]!.data)).toEqual({ id: call.id, flags: answer.body });
  });

  it('hears of a cancel, and of a scheduled call falling due when the clock moves', async () => {
    const one = await createCall(server, scheduledBody());
    const two = await createCall(
      server,
      scheduledBody({ scheduled_at: '2098-01-01T00:00:00.000Z' }),
    );
    events = [];
    await server.request('PATCH', `/apps/api/v1/calls/scheduled/${one.id}/cancel`);
    expect(calls()).toMatchObject([{ id: one.id, status: 'cancelled' }]);
    events = [];
    await control(server).clock({ now: '2098-06-01T00:00:00.000Z' });
    expect(events.map((e) => e.type).sort()).toEqual(['call', 'clock']);
    expect(calls()).toMatchObject([{ id: two.id, status: 'queued' }]);
    expect(JSON.parse(events.find((e) => e.type === 'clock')!.data).now).toMatch(/^2098-06-01T/);
  });

  it('says resync (and the clock) on a reset, and directory on a change of an agent', async () => {
    await control(server).reset();
    expect(events.map((e) => e.type)).toEqual(['resync', 'clock']);
    expect(JSON.parse(events[0]!.data)).toEqual({ reason: 'reset' });
    events = [];
    await control(server).agent('admin@somedomain.com', { status: 'unavailable' });
    expect(events.map((e) => e.type)).toEqual(['directory']);
  });

  it('hears of a recover as the parent and its new child', async () => {
    const call = await createCall(server, inboundBody());
    await control(server).event(call.id as number, { type: 'fail' });
    events = [];
    await control(server).event(call.id as number, { type: 'recover' });
    const heard = calls();
    expect(heard).toHaveLength(2);
    expect(heard.map((c) => c.status).sort()).toEqual(['failed', 'recovered']);
  });
});

describe('autoplay', () => {
  let autoplay: TestServer;
  let heard: string[];

  beforeAll(async () => {
    autoplay = await startTestServer({ EMULATOR_AUTOPLAY: true });
    heard = [];
    const services = autoplay.app.desk.emulator!;
    startEmulatorChangeFeed({
      calls: services.calls,
      tenants: services.tenants,
      tenant: () => services.deskTenant,
      publish: (batch) => heard.push(...batch.map((e) => e.type)),
    });
  });
  afterAll(() => autoplay.close());

  it('hears of the steps autoplay takes by itself', async () => {
    const call = await createCall(autoplay, inboundBody());
    heard = [];
    // A minute on: autoplay replays the queue, the ring and the answer.
    await control(autoplay).clock({ advance_ms: 60_000 });
    const after = await autoplay.request('GET', `/apps/api/v1/calls/${call.id}`);
    expect((after.body as { status: string }).status).not.toBe('queued');
    expect(heard).toContain('call');
  });
});
