import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Json } from '../test/api-helpers.ts';
import { deskHeaders, deskRequest, signIn } from '../test/sign-in.ts';
import { requestAsIntegration, startTenantFleet, type TenantFleet } from '../test/tenant-pair.ts';
import { testDatabase, type TestDatabase } from '../test/test-database.ts';
import type { TestServer } from '../test/test-server.ts';

// Two desk servers fronting one tenant (the emulator, with its real 10 requests a second),
// sharing one PostgreSQL database, each reached at its own address as a load balancer
// would reach them: what one server did, the other knows.

let database: TestDatabase;
let fleet: TenantFleet;
let one: TestServer;
let two: TestServer;
let statuses: number[] = [];

const desk = (server: TestServer, secret: string, method: string, path: string, body?: unknown) =>
  deskRequest(server.baseUrl, secret, method, path, body);

const tenantRequest = (method: string, path: string, body?: unknown) =>
  requestAsIntegration(fleet.tenant, method, path, body);

beforeAll(async () => {
  database = await testDatabase();
  fleet = await startTenantFleet({
    fronts: 2,
    front: { DATABASE_URL: database.url, UPSTREAM_BUDGET_PER_SECOND: 8 },
  });
  [one, two] = fleet.fronts as [TestServer, TestServer];
  fleet.tenant.app.server.on('request', (_req, res) =>
    res.once('finish', () => statuses.push(res.statusCode)),
  );
});
afterAll(async () => {
  await fleet?.close();
  await database?.drop();
});
beforeEach(async () => {
  expect((await tenantRequest('POST', '/emulator/reset')).status).toBe(204);
  statuses = [];
});

/** Signs in starting at `first`, the identity provider's answer coming back to `second`. */
async function signInAcross(first: TestServer, second: TestServer, email: string) {
  const callback = `${first.baseUrl}/desk/auth/callback`;
  const signed = await signIn(first.baseUrl, email, {
    rewrite: (location) =>
      location.startsWith(callback)
        ? second.baseUrl + location.slice(first.baseUrl.length)
        : location,
  });
  expect(signed.landedAt).toBe(`${second.baseUrl}/calls`);
  expect(signed.secret).not.toBe('');
  return signed.secret;
}

describe('sessions shared by the servers', () => {
  it('a sign-in begun at one server finishes at the other, and both serve the agent', async () => {
    const secret = await signInAcross(one, two, 'agent@somedomain.com');
    for (const server of [one, two]) {
      const session = await desk(server, secret, 'GET', '/session');
      expect(session.status).toBe(200);
      expect(session.body).toMatchObject({ agent: { email: 'agent@somedomain.com' } });
    }
  });

  it('signing out through one server ends the session on every server', async () => {
    const secret = await signInAcross(two, one, 'admin@somedomain.com');
    expect((await desk(one, secret, 'GET', '/session')).status).toBe(200);
    const out = await fetch(`${two.baseUrl}/desk/auth/logout`, {
      method: 'POST',
      headers: { ...deskHeaders(secret), origin: two.baseUrl, 'sec-fetch-site': 'same-origin' },
    });
    expect(out.status).toBe(204);
    expect((await desk(one, secret, 'GET', '/session')).status).toBe(401);
    expect((await desk(two, secret, 'GET', '/session')).status).toBe(401);
  });

  it('an agent disabled upstream, found by one server: signed out of all', async () => {
    const secret = await signInAcross(one, two, 'trainee@somedomain.com');
    expect(
      (await tenantRequest('PATCH', '/emulator/agents/trainee@somedomain.com', { disabled: true }))
        .status,
    ).toBe(200);
    expect(await one.app.desk.checkAgents()).toEqual(['trainee@somedomain.com']);
    expect((await desk(two, secret, 'GET', '/session')).status).toBe(401);
  });
});

describe('one audit log, whichever server took the write', () => {
  it('a flag changed through one server shows in History through the other', async () => {
    const agent = await signInAcross(one, two, 'agent@somedomain.com');
    const admin = await signInAcross(two, one, 'admin@somedomain.com');
    const inbound = (
      await tenantRequest('POST', '/apps/api/v1/calls', {
        call_type: 'Voice Inbound (API)',
        menu_id: 7,
        end_user_number: '+1 205 123 4567',
      })
    ).body as { id: number };
    const path = `/apps/api/v1/calls/${inbound.id}/customer_flag`;
    expect((await desk(one, agent, 'PATCH', path, { bad_actor: true })).status).toBe(200);
    expect((await desk(two, admin, 'PATCH', path, { verified_customer: true })).status).toBe(200);
    for (const server of [one, two]) {
      const history = await desk(server, agent, 'GET', `/calls/${inbound.id}/history`);
      const entries = (history.body as { entries: Json[] }).entries;
      expect(entries.map((e) => [e.action, e.agent_email, e.after])).toEqual([
        [
          'customer_flag.update',
          'agent@somedomain.com',
          expect.objectContaining({ bad_actor: true }),
        ],
        [
          'customer_flag.update',
          'admin@somedomain.com',
          expect.objectContaining({ verified_customer: true }),
        ],
      ]);
    }
  });
});

describe('one budget for the servers together', () => {
  it('30 reads at once across both servers all succeed, and the tenant never answers 429', async () => {
    const agent = await signInAcross(one, two, 'agent@somedomain.com');
    const admin = await signInAcross(two, one, 'admin@somedomain.com');
    // Nobody (the sign-ins among them) has used the tenant's second any more.
    const limiter = fleet.tenant.app.desk.emulator!.limiter;
    await vi.waitFor(() => expect(limiter.available('somedomain')).toBe(10), { timeout: 5000 });
    statuses = [];
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        desk(
          i % 2 ? one : two,
          i % 4 < 2 ? admin : agent,
          'GET',
          i % 3 ? '/apps/api/v1/calls' : '/manager/api/v1/menus',
        ),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    expect(statuses.length).toBeGreaterThanOrEqual(30);
    expect(statuses.filter((s) => s === 429)).toEqual([]);
    // Both servers sent their share.
    for (const server of [one, two]) {
      const sent = server.app.desk.budget.stats().sent;
      expect(sent.agent).toBeGreaterThan(0);
    }
  });
});

describe('background reads: one server does them for all', () => {
  it('only the server holding the lock checks the agents; the other reads nothing of its own', async () => {
    const db = await testDatabase();
    const quick = await startTenantFleet({
      fronts: 2,
      front: { DATABASE_URL: db.url, AGENT_CHECK_SECONDS: 1 },
    });
    try {
      const [first, second] = quick.fronts as [TestServer, TestServer];
      // Someone signed in, so that there is something to check.
      await signIn(first.baseUrl, 'agent@somedomain.com');
      const background = (server: TestServer) => server.app.desk.budget.stats().sent.background;
      const leader = () => (background(first) > 0 ? first : second);
      await expect
        .poll(() => background(first) + background(second), { timeout: 10_000 })
        .toBeGreaterThanOrEqual(3);
      const follower = leader() === first ? second : first;
      expect(background(follower)).toBe(0);
    } finally {
      await quick.close();
      await db.drop();
    }
  });
});
