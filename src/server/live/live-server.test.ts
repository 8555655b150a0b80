import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { control, createCall, inboundBody } from '../test/api-helpers.ts';
import { deskHeaders, signIn } from '../test/sign-in.ts';
import { openSse, type SseStream } from '../test/sse-client.ts';
import { freePort } from '../test/free-port.ts';
import { startTenantPair, type TenantPair } from '../test/tenant-pair.ts';
import { startTestServer, tempDataDir, type TestServer } from '../test/test-server.ts';

// The live feed wired into the real server, over real HTTP: the desk's stream behind its
// session, fed by the emulator's commits, and in tenant mode by the emulator's session
// events through the webhook of a second server fronting it, within its budget.

const streams: SseStream[] = [];
async function stream(baseUrl: string, secret: string, lastEventId?: string) {
  const opened = await openSse(`${baseUrl}/desk/api/events`, {
    headers: deskHeaders(secret),
    ...(lastEventId ? { lastEventId } : {}),
  });
  streams.push(opened);
  return opened;
}
afterEach(() => {
  for (const s of streams.splice(0)) s.close();
});

async function deskGet(baseUrl: string, secret: string, path: string) {
  const response = await fetch(`${baseUrl}/desk/api${path}`, { headers: deskHeaders(secret) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const callEvents = (s: SseStream, id: unknown) =>
  s.events.filter((e) => e.event === 'call' && (e.json as { id: number }).id === id);

describe('emulator mode', () => {
  let server: TestServer;
  let secret: string;

  beforeAll(async () => {
    server = await startTestServer();
    secret = (await signIn(server.baseUrl, 'admin@somedomain.com')).secret;
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    await control(server).reset();
  });

  it('needs the desk header and a session, like every /desk/api route', async () => {
    const url = `${server.baseUrl}/desk/api/events`;
    const noHeader = await fetch(url, { headers: { authorization: `Bearer ${secret}` } });
    expect(noHeader.status).toBe(403);
    const noSession = await fetch(url, { headers: { 'x-switchboard-desk': '1' } });
    expect(noSession.status).toBe(401);
    expect(await noSession.json()).toEqual({ message: expect.stringMatching(/sign in/i) });
    const wrong = await fetch(url, { headers: deskHeaders('x'.repeat(43)) });
    expect(wrong.status).toBe(401);
  });

  it("sends each change as the desk API shows the call, with the emulator's clock", async () => {
    await control(server).clock({ now: '2031-05-01T12:00:00.000Z' });
    const live = await stream(server.baseUrl, secret);
    const hello = await live.next((e) => e.event === 'hello');
    expect((hello.json as { now: string }).now).toMatch(/^2031-05-01T12:0/);

    const call = await createCall(server, inboundBody());
    await control(server).event(call.id as number, { type: 'assign' });
    const [created, assigned] = await live.take(2, (e) => e.event === 'call');
    expect(created!.json).toMatchObject({ id: call.id, status: 'queued' });
    const shown = await deskGet(server.baseUrl, secret, `/apps/api/v1/calls/${call.id}`);
    expect(assigned!.json).toEqual(shown.body);
  });

  it('says on each answer where the feed stood: a stream opened from there misses nothing after', async () => {
    const call = await createCall(server, inboundBody());
    const read = await fetch(`${server.baseUrl}/desk/api/apps/api/v1/calls/${call.id}`, {
      headers: deskHeaders(secret),
    });
    const position = read.headers.get('x-switchboard-feed');
    expect(position).toMatch(/^[0-9a-f]{8}-\d+$/);
    // Changed after the desk read it, before its stream is open.
    await control(server).event(call.id as number, { type: 'assign' });
    const live = await stream(server.baseUrl, secret, position!);
    const hello = await live.next((e) => e.event === 'hello');
    expect(hello.json).toMatchObject({ resumed: true });
    const missed = await live.next((e) => e.event === 'call');
    expect(missed.json).toMatchObject({ id: call.id, status: 'assigned' });
    expect(live.events.filter((e) => e.event === 'call')).toHaveLength(1);
  });

  it("ends a desk's stream when its session ends (sign out)", async () => {
    const other = (await signIn(server.baseUrl, 'agent@somedomain.com')).secret;
    const mine = await stream(server.baseUrl, other);
    const theirs = await stream(server.baseUrl, secret);
    await mine.next((e) => e.event === 'hello');
    await theirs.next((e) => e.event === 'hello');
    const out = await fetch(`${server.baseUrl}/desk/auth/logout`, {
      method: 'POST',
      headers: deskHeaders(other),
    });
    expect(out.status).toBeLessThan(400);
    await mine.ended;
    // Another agent's stream goes on.
    const call = await createCall(server, inboundBody());
    await theirs.next((e) => e.event === 'call' && (e.json as { id: number }).id === call.id);
    const again = await fetch(`${server.baseUrl}/desk/api/events`, { headers: deskHeaders(other) });
    expect(again.status).toBe(401);
  });

  it('resumes from Last-Event-ID across a restart of the server', async () => {
    const dataDir = tempDataDir();
    const first = await startTestServer({ DATA_DIR: dataDir });
    const session = (await signIn(first.baseUrl, 'admin@somedomain.com')).secret;
    const live = await stream(first.baseUrl, session);
    await live.next((e) => e.event === 'hello');
    const call = await createCall(first, inboundBody());
    const seen = await live.next((e) => e.event === 'call');
    // The server stops: its streams end with it.
    await first.app.close();
    await live.ended;

    const second = await startTestServer({ DATA_DIR: dataDir });
    try {
      // A change before the desk is back: the desk hears of it by replay.
      await control(second).event(call.id as number, { type: 'assign' });
      const resumed = await stream(second.baseUrl, session, seen.id);
      const hello = await resumed.next((e) => e.event === 'hello');
      expect(hello.json).toMatchObject({ resumed: true });
      const missed = await resumed.next((e) => e.event === 'call');
      expect(missed.json).toMatchObject({ id: call.id, status: 'assigned' });
      expect(missed.id).not.toBe(seen.id);
    } finally {
      await second.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('tenant mode: emulator → webhook → fronting server → stream', () => {
  const WEBHOOK = { user: 'platform', password: 'webhook-secret-for-tests' };
  let pair: TenantPair;
  let secret: string;
  /** The fronting server's requests to its tenant, by method and path. */
  let seen: string[] = [];

  beforeAll(async () => {
    const frontPort = await freePort();
    pair = await startTenantPair({
      tenant: {
        RATE_LIMIT_PER_SECOND: 0,
        EMULATOR_SESSION_EVENTS_URL: `http://127.0.0.1:${frontPort}/webhooks/session-events`,
        EMULATOR_SESSION_EVENTS_USER: WEBHOOK.user,
        EMULATOR_SESSION_EVENTS_PASSWORD: WEBHOOK.password,
      },
      front: {
        PORT: frontPort,
        SESSION_EVENTS_USER: WEBHOOK.user,
        SESSION_EVENTS_PASSWORD: WEBHOOK.password,
      },
    });
    pair.tenant.app.server.on('request', (req) => {
      if (req.headers['user-agent'] !== 'switchboard-test') seen.push(`${req.method} ${req.url}`);
    });
    secret = (await signIn(pair.front.baseUrl, 'admin@somedomain.com')).secret;
  });
  afterAll(() => pair?.close());
  beforeEach(() => {
    seen = [];
  });

  const tenant = (method: string, path: string, body?: unknown) =>
    pair.tenant.request(method, path, {
      ...(body === undefined ? {} : { body }),
      headers: { 'user-agent': 'switchboard-test' },
    });

  it('a change on the tenant reaches every desk once, read once whatever the number of desks', async () => {
    const desks = await Promise.all(
      Array.from({ length: 20 }, () => stream(pair.front.baseUrl, secret)),
    );
    await Promise.all(desks.map((d) => d.next((e) => e.event === 'hello')));
    const created = await tenant('POST', '/apps/api/v1/calls', inboundBody());
    expect(created.status).toBe(201);
    const id = (created.body as { id: number }).id;
    await tenant('POST', `/emulator/calls/${id}/events`, { type: 'assign' });
    await tenant('POST', `/emulator/calls/${id}/events`, { type: 'connect' });
    for (const desk of desks) {
      await desk.next(
        (e) => e.event === 'call' && (e.json as { status: string }).status === 'connected',
      );
    }
    const shown = await deskGet(pair.front.baseUrl, secret, `/apps/api/v1/calls/${id}`);
    expect(callEvents(desks[0]!, id).at(-1)!.json).toEqual(shown.body);
    // Three changes: at most one read of the call each (a burst collapses into fewer),
    // never one per desk.
    const reads = seen.filter((r) => r === `GET /apps/api/v1/calls/${id}`);
    expect(reads.length).toBeGreaterThanOrEqual(1);
    expect(reads.length).toBeLessThanOrEqual(4); // three events, and the desk's own GET above
  });

  it('the webhook refuses wrong credentials (401) and a malformed batch (400), applying nothing', async () => {
    const url = `${pair.front.baseUrl}/webhooks/session-events`;
    const event = {
      event_id: randomUUID(),
      event_type: 'call.status_changed',
      call: { id: 999_999, status: 'queued', updated_at: new Date().toISOString() },
    };
    const wrong = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${WEBHOOK.user}:nope`).toString('base64')}`,
      },
      body: JSON.stringify({ count: 1, events: [event] }),
    });
    expect(wrong.status).toBe(401);
    const basic = `Basic ${Buffer.from(`${WEBHOOK.user}:${WEBHOOK.password}`).toString('base64')}`;
    const malformed = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic },
      body: '{"count": 1, "events": [',
    });
    expect(malformed.status).toBe(400);
    expect(seen.filter((r) => r.includes('999999'))).toEqual([]);
    const good = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic },
      body: JSON.stringify({ count: 1, events: [event] }),
    });
    expect(await good.json()).toEqual({ accepted: 1, duplicates: 0 });
    // No desk was connected, so no desk needed the call (the tenant feed's own test shows
    // that nothing is read then); with a desk connected, the next event is read again.
    const post = () =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: basic },
        body: JSON.stringify({ count: 1, events: [{ ...event, event_id: randomUUID() }] }),
      });
    const desk = await stream(pair.front.baseUrl, secret);
    await desk.next((e) => e.event === 'hello');
    expect((await post()).status).toBe(200);
    await expect.poll(() => seen).toContain('GET /apps/api/v1/calls/999999');
  });

  it("a desk's flag change reaches the other desks from the tenant's answer", async () => {
    const created = await tenant('POST', '/apps/api/v1/calls', inboundBody());
    const id = (created.body as { id: number }).id;
    const other = await stream(pair.front.baseUrl, secret);
    await other.next((e) => e.event === 'hello');
    const patch = await fetch(
      `${pair.front.baseUrl}/desk/api/apps/api/v1/calls/${id}/customer_flag`,
      {
        method: 'PATCH',
        headers: { ...deskHeaders(secret), 'content-type': 'application/json' },
        body: JSON.stringify({ bad_actor: true }),
      },
    );
    expect(patch.status).toBe(200);
    const flags = await other.next((e) => e.event === 'flags');
    expect(flags.json).toEqual({
      id,
      flags: { verified_customer: false, bad_actor: true, repeat_customer: false },
    });
  });
});

describe('tenant mode without a webhook: the poller', () => {
  let pair: TenantPair;
  let secret: string;
  beforeAll(async () => {
    pair = await startTenantPair({ tenant: { RATE_LIMIT_PER_SECOND: 0 } });
    secret = (await signIn(pair.front.baseUrl, 'admin@somedomain.com')).secret;
  });
  afterAll(() => pair?.close());

  it('finds a change on the tenant within a look or two', async () => {
    const live = await stream(pair.front.baseUrl, secret);
    await live.next((e) => e.event === 'hello');
    const created = await pair.tenant.request('POST', '/apps/api/v1/calls', {
      body: inboundBody(),
    });
    const id = (created.body as { id: number }).id;
    await pair.tenant.request('POST', `/emulator/calls/${id}/events`, { body: { type: 'assign' } });
    const event = await live.next(
      (e) => e.event === 'call' && (e.json as { status: string; id: number }).status === 'assigned',
    );
    expect(event.json).toMatchObject({ id, status: 'assigned' });
  });
});
