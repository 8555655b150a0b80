import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inboundBody } from '../test/api-helpers.ts';
import { freePort } from '../test/free-port.ts';
import { deskHeaders, signIn } from '../test/sign-in.ts';
import { openSse, type SseStream } from '../test/sse-client.ts';
import { startTenantFleet, type TenantFleet } from '../test/tenant-pair.ts';
import { testDatabase, type TestDatabase } from '../test/test-database.ts';
import type { TestServer } from '../test/test-server.ts';

// The live feed of two desk servers fronting one tenant (the emulator) and sharing one
// PostgreSQL database, each reached at its own address as a load balancer reaches them.
// The emulator's session events go to the first server's webhook only.

const WEBHOOK = { user: 'platform', password: 'webhook-secret-for-tests' };
const BASIC = `Basic ${Buffer.from(`${WEBHOOK.user}:${WEBHOOK.password}`).toString('base64')}`;

let database: TestDatabase;
let fleet: TenantFleet;
let one: TestServer;
let two: TestServer;
let secret: string;
/** Requests the desk servers sent the tenant (not the test's own), by method and path. */
let seen: string[] = [];

const streams: SseStream[] = [];
async function stream(server: TestServer, lastEventId?: string) {
  const opened = await openSse(`${server.baseUrl}/desk/api/events`, {
    headers: deskHeaders(secret),
    ...(lastEventId ? { lastEventId } : {}),
  });
  streams.push(opened);
  await opened.next((e) => e.event === 'hello');
  return opened;
}

const tenant = (method: string, path: string, body?: unknown) =>
  fleet.tenant.request(method, path, {
    ...(body === undefined ? {} : { body }),
    headers: { 'user-agent': 'switchboard-test' },
  });

async function newCall(): Promise<number> {
  const created = await tenant('POST', '/apps/api/v1/calls', inboundBody());
  expect(created.status).toBe(201);
  return (created.body as { id: number }).id;
}

const isCall = (id: number, status?: string) => (e: { event: string; json: unknown }) =>
  e.event === 'call' &&
  (e.json as { id: number }).id === id &&
  (status === undefined || (e.json as { status: string }).status === status);

const readers = () => [one, two].filter((s) => s.app.desk.live.readsTenant());

beforeAll(async () => {
  database = await testDatabase();
  const ports = [await freePort(), await freePort()];
  fleet = await startTenantFleet({
    fronts: 2,
    ports,
    tenant: {
      RATE_LIMIT_PER_SECOND: 0,
      EMULATOR_SESSION_EVENTS_URL: `http://127.0.0.1:${ports[0]}/webhooks/session-events`,
      EMULATOR_SESSION_EVENTS_USER: WEBHOOK.user,
      EMULATOR_SESSION_EVENTS_PASSWORD: WEBHOOK.password,
    },
    front: {
      DATABASE_URL: database.url,
      SESSION_EVENTS_USER: WEBHOOK.user,
      SESSION_EVENTS_PASSWORD: WEBHOOK.password,
    },
  });
  [one, two] = fleet.fronts as [TestServer, TestServer];
  fleet.tenant.app.server.on('request', (req) => {
    if (req.headers['user-agent'] !== 'switchboard-test') seen.push(`${req.method} ${req.url}`);
  });
  secret = (await signIn(one.baseUrl, 'admin@somedomain.com')).secret;
});
afterAll(async () => {
  await fleet?.close();
  await database?.drop();
});
beforeEach(() => {
  seen = [];
});
afterEach(async () => {
  for (const s of streams.splice(0)) s.close();
  // No desk anywhere: neither server reads the tenant, nor holds the lock.
  await expect.poll(readers, { timeout: 10_000 }).toEqual([]);
});

describe('the live feed of two servers', () => {
  it('an event pushed by the webhook to one server reaches a desk on the other, read by one server only; none read while no desk is connected', async () => {
    // Nobody connected: the webhook's event is kept, nothing is read.
    const received = new Promise<void>((resolve) =>
      one.app.server.on('request', (req, res) => {
        if (req.url === '/webhooks/session-events') res.once('finish', () => resolve());
      }),
    );
    const quiet = await newCall();
    await received;
    expect(readers()).toEqual([]);
    expect(seen.filter((r) => r.includes('/calls'))).toEqual([]);

    const desk = await stream(two);
    await expect.poll(readers).toEqual([two]);
    const id = await newCall();
    await tenant('POST', `/emulator/calls/${id}/events`, { type: 'assign' });
    const event = await desk.next(isCall(id, 'assigned'));
    const shown = await fetch(`${two.baseUrl}/desk/api/apps/api/v1/calls/${id}`, {
      headers: deskHeaders(secret),
    });
    expect(event.json).toEqual(await shown.json());
    // The server with the desk read the call the other received the events of.
    expect(two.app.desk.live.stats().tenant!.callReads).toBeGreaterThan(0);
    expect(one.app.desk.live.stats().tenant!.callReads).toBe(0);
    expect(desk.events.filter(isCall(quiet))).toEqual([]);
  });

  it('a webhook event delivered to both servers at once is applied once', async () => {
    const desk = await stream(one);
    const id = await newCall();
    await desk.next(isCall(id));
    await tenant('POST', `/emulator/calls/${id}/events`, { type: 'assign' });
    await desk.next(isCall(id, 'assigned'));
    // The assign's own session event is delivered and what it named is read (or found read
    // by the poller first): from here on, a read of the call is the duplicated event's.
    await expect.poll(() => fleet.tenant.app.desk.live.stats().sender!.pending).toBe(0);
    await expect.poll(() => one.app.desk.live.stats().tenant!.waiting).toBe(0);
    seen = [];
    const call = {
      id,
      status: 'assigned',
      // Newer than what the desks were sent: a change they have not seen.
      updated_at: new Date(Date.now() + 60_000).toISOString(),
    };
    const batch = {
      count: 1,
      events: [{ event_id: randomUUID(), event_type: 'call.updated', call }],
    };
    const answers = await Promise.all(
      [one, two].map((server) =>
        fetch(`${server.baseUrl}/webhooks/session-events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: BASIC },
          body: JSON.stringify(batch),
        }).then((r) => r.json() as Promise<{ accepted: number; duplicates: number }>),
      ),
    );
    expect(answers.map((a) => a.accepted).sort()).toEqual([0, 1]);
    expect(answers.map((a) => a.duplicates).sort()).toEqual([0, 1]);
    const read = `GET /apps/api/v1/calls/${id}`;
    await expect.poll(() => seen.filter((r) => r === read).length).toBeGreaterThan(0);
    await expect.poll(() => one.app.desk.live.stats().tenant!.waiting).toBe(0);
    // One read for the event delivered twice.
    expect(seen.filter((r) => r === read)).toHaveLength(1);
  });

  it('a desk changing a flag through one server: the desks on both hear it, once each', async () => {
    const id = await newCall();
    // The server that takes the write reads the tenant: the other publishes nothing of its
    // own, so only what the first told it reaches its desk.
    const onTwo = await stream(two);
    await expect.poll(readers).toEqual([two]);
    const onOne = await stream(one);
    // Both have desks; one reads the tenant.
    expect(readers()).toEqual([two]);
    const patch = await fetch(`${two.baseUrl}/desk/api/apps/api/v1/calls/${id}/customer_flag`, {
      method: 'PATCH',
      headers: { ...deskHeaders(secret), 'content-type': 'application/json' },
      body: JSON.stringify({ bad_actor: true }),
    });
    expect(patch.status).toBe(200);
    const flagged = (e: { event: string; json: unknown }) =>
      e.event === 'flags' && (e.json as { id: number }).id === id;
    for (const desk of [onOne, onTwo]) {
      const flags = await desk.next(flagged);
      expect(flags.json).toEqual({
        id,
        flags: { verified_customer: false, bad_actor: true, repeat_customer: false },
      });
    }
    // The same event, by the same id, on both; each desk sent it once, in id order.
    const ids = (desk: SseStream) => desk.events.filter((e) => e.id).map((e) => e.id!);
    expect(onOne.events.find(flagged)!.id).toBe(onTwo.events.find(flagged)!.id);
    for (const desk of [onOne, onTwo]) {
      const numbers = ids(desk).map((e) => Number(e.split('-')[1]));
      expect(numbers).toEqual([...new Set(numbers)].sort((a, b) => a - b));
    }
  });

  it('a desk resumes from its Last-Event-ID on the other server, missing nothing', async () => {
    const id = await newCall();
    const first = await stream(one);
    await tenant('POST', `/emulator/calls/${id}/events`, { type: 'assign' });
    const assigned = await first.next(isCall(id, 'assigned'));
    first.close();
    // A change while the desk is away, heard by the server it was on.
    const watcher = await stream(one);
    await tenant('POST', `/emulator/calls/${id}/events`, { type: 'connect' });
    await watcher.next(isCall(id, 'connected'));
    const again = await stream(two, assigned.id);
    expect(again.events[0]!.json).toMatchObject({ resumed: true });
    const missed = await again.next(isCall(id, 'connected'));
    expect(missed.id).toBe(watcher.events.find(isCall(id, 'connected'))!.id);
  });

  it('the server reading the tenant goes away: the other takes over and misses nothing', async () => {
    const onOne = await stream(one);
    await expect.poll(readers).toEqual([one]);
    const onTwo = await stream(two);
    const id = await newCall();
    await onTwo.next(isCall(id));
    // The reader loses its desk (as a server that dies does), and the call changes while
    // it lets go: the other, which has a desk, reads from where the first stopped.
    onOne.close();
    await tenant('POST', `/emulator/calls/${id}/events`, { type: 'assign' });
    await expect.poll(readers, { timeout: 10_000 }).toEqual([two]);
    await onTwo.next(isCall(id, 'assigned'));
  });
});
