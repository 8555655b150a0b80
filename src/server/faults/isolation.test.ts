import { beforeAll, describe, expect, it } from 'vitest';
import { expectError, scheduledBody } from '../test/api-helpers.ts';
import { FIXTURE_AUTH, useTestServer } from '../test/test-server.ts';

// Auth and tenant isolation: nothing without credentials, and a second tenant can neither
// see nor change the first one's calls, directory or clock.

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const OTHER = basic('othertenant', 'other-token');

const server = useTestServer({ EMULATOR_EXTRA_TENANTS: 'othertenant:other-token' });
let inbound: { id: number };
let scheduled: { id: number };

beforeAll(async () => {
  const create = async (body: object) => {
    const response = await server.request('POST', '/apps/api/v1/calls', { body });
    expect(response.status).toBe(201);
    return response.body as { id: number };
  };
  inbound = await create({
    call_type: 'Voice Inbound (API)',
    menu_id: 9,
    end_user_number: '+1 205-123-4567',
  });
  scheduled = await create({
    call_type: 'Voice Scheduled (API)',
    menu_id: 9,
    end_user_number: '+1 205-123-4567',
    scheduled_at: new Date(Date.now() + 3_600_000).toISOString(),
  });
});

/** Every route that needs credentials, with a body it would otherwise accept. */
const ROUTES = (id: number): Array<[string, string, object?]> => [
  ['GET', '/apps/api/v1/calls'],
  ['GET', `/apps/api/v1/calls/${id}`],
  [
    'POST',
    '/apps/api/v1/calls',
    { call_type: 'Voice Inbound (API)', menu_id: 9, end_user_number: '+1 205-123-4567' },
  ],
  ['GET', `/apps/api/v1/calls/${id}/customer_flag`],
  ['PATCH', `/apps/api/v1/calls/${id}/customer_flag`, { bad_actor: true }],
  ['PATCH', `/apps/api/v1/calls/scheduled/${id}/cancel`],
  ['PATCH', '/apps/api/v1/calls/scheduled/cancel', { call_ids: [id] }],
  ['GET', '/manager/api/v1/menus'],
  ['GET', '/manager/api/v1/agents'],
  ['GET', '/manager/api/v1/settings/call'],
  ['POST', `/emulator/calls/${id}/events`, { type: 'assign', agent_email: 'admin@somedomain.com' }],
  ['PATCH', '/emulator/agents/admin@somedomain.com', { status: 'unavailable' }],
  ['PATCH', '/emulator/menus/9', { state: 'after_hours' }],
  ['PATCH', '/emulator/settings', { languages: ['en'] }],
  ['POST', '/emulator/clock', { advance_ms: 86_400_000 }],
  ['POST', '/emulator/reset'],
];

describe('authentication', () => {
  const cases: Array<[string, string]> = [
    ['no Authorization header', ''],
    ['a Bearer token', 'Bearer local-dev-token'],
    ['Basic with garbage', 'Basic %%%not-base64%%%'],
    ['Basic with no colon', `Basic ${Buffer.from('somedomain').toString('base64')}`],
    ['the wrong token', basic('somedomain', 'wrong-token')],
    ['an empty token', basic('somedomain', '')],
    ["another tenant's token", basic('somedomain', 'other-token')],
    ["the first tenant's token for the second", basic('othertenant', 'local-dev-token')],
    ['the token with a trailing space', basic('somedomain', 'local-dev-token ')],
  ];
  it.each(cases)('answers 401 to %s, on every route, and changes nothing', async (_, header) => {
    const before = await server.request('GET', '/apps/api/v1/calls?per=100');
    for (const [method, path, body] of ROUTES(scheduled.id)) {
      const response = await server.request(method, path, {
        ...(body ? { body } : {}),
        headers: { authorization: header },
      });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(response.body).toEqual({ message: expect.any(String) });
      expect(response.headers.get('www-authenticate')).toMatch(/^Basic /);
    }
    const after = await server.request('GET', '/apps/api/v1/calls?per=100');
    expect(after.text).toBe(before.text);
  });

  it('answers 404 "check your subdomain" for a subdomain that is no tenant', async () => {
    const response = await server.request('GET', '/apps/api/v1/calls', {
      headers: { authorization: basic('nosuchtenant', 'local-dev-token') },
    });
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ message: 'Resource not found - Please check your subdomain' });
  });
});

describe('isolation between tenants', () => {
  it("lets the second tenant neither see nor change the first tenant's calls", async () => {
    const before = await Promise.all(
      [inbound.id, scheduled.id].map((id) => server.request('GET', `/apps/api/v1/calls/${id}`)),
    );
    const as = (method: string, path: string, body?: object) =>
      server.request(method, path, {
        ...(body ? { body } : {}),
        headers: { authorization: OTHER },
      });

    // Every way in answers as if the call did not exist.
    for (const id of [inbound.id, scheduled.id]) {
      expectError(await as('GET', `/apps/api/v1/calls/${id}`), 404, 'Resource not found');
      expectError(
        await as('GET', `/apps/api/v1/calls/${id}/customer_flag`),
        404,
        'Resource not found',
      );
      const patch = await as('PATCH', `/apps/api/v1/calls/${id}/customer_flag`, {
        verified_customer: true,
        bad_actor: true,
      });
      expectError(patch, 404, 'Resource not found');
      expectError(
        await as('PATCH', `/apps/api/v1/calls/scheduled/${id}/cancel`),
        404,
        'Resource not found',
      );
      for (const event of [
        { type: 'assign', agent_email: 'admin@somedomain.com' },
        { type: 'fail', fail_reason: 'eu_canceled' },
        { type: 'deflect' },
      ]) {
        expectError(
          await as('POST', `/emulator/calls/${id}/events`, event),
          404,
          'Resource not found',
        );
      }
    }
    // The bulk cancel answers with the calls it cancelled: of this tenant's, none.
    const bulk = await as('PATCH', '/apps/api/v1/calls/scheduled/cancel', {
      call_ids: [inbound.id, scheduled.id],
    });
    expect({ status: bulk.status, body: bulk.body }).toEqual({ status: 200, body: [] });

    const list = await as('GET', '/apps/api/v1/calls?per=100');
    expect(list.status).toBe(200);
    expect(list.body).toEqual([]);
    expect(list.headers.get('total')).toBe('0');
    const byNumber = await as('GET', '/apps/api/v1/calls?end_user_number=%2B12051234567');
    expect(byNumber.body).toEqual([]);

    // The second tenant's own emulator changes stay its own.
    expect(
      (await as('PATCH', '/emulator/agents/admin@somedomain.com', { status: 'unavailable' }))
        .status,
    ).toBe(200);
    expect((await as('PATCH', '/emulator/menus/9', { state: 'after_hours' })).status).toBe(200);
    expect((await as('POST', '/emulator/clock', { advance_ms: 7 * 86_400_000 })).status).toBe(200);
    expect((await as('POST', '/emulator/clock', { now: '2099-06-01T00:00:00Z' })).status).toBe(200);
    // With the second tenant's clock in 2099, the first tenant's calls are still made now.
    const during = await server.request('POST', '/apps/api/v1/calls', {
      body: { call_type: 'Voice Inbound (API)', menu_id: 10, end_user_number: '+1 205-123-4567' },
    });
    expect(during.status).toBe(201);
    expect(Date.parse((during.body as { created_at: string }).created_at)).toBeLessThan(
      Date.now() + 60_000,
    );
    expect((await as('POST', '/emulator/reset')).status).toBe(204);
    expect(
      (await as('PATCH', '/emulator/agents/admin@somedomain.com', { status: 'unavailable' }))
        .status,
    ).toBe(200);

    const after = await Promise.all(
      [inbound.id, scheduled.id].map((id) => server.request('GET', `/apps/api/v1/calls/${id}`)),
    );
    expect(after.map((r) => r.body)).toEqual(before.map((r) => r.body));
    expect((after[1]!.body as { status: string }).status).toBe('scheduled');
    const flags = await server.request('GET', `/apps/api/v1/calls/${inbound.id}/customer_flag`);
    expect(flags.body).toEqual({
      verified_customer: false,
      bad_actor: false,
      repeat_customer: false,
    });

    // The first tenant's directory is untouched: its agent can still call out, its menu is open.
    const outbound = await server.request('POST', '/apps/api/v1/calls', {
      body: {
        call_type: 'Voice Outbound (API)',
        agent_email: 'admin@somedomain.com',
        end_user_number: '+1 205-123-4567',
      },
      headers: { authorization: FIXTURE_AUTH },
    });
    expect(outbound.status).toBe(201);
    const again = await server.request('POST', '/apps/api/v1/calls', {
      body: { call_type: 'Voice Inbound (API)', menu_id: 9, end_user_number: '+1 205-123-4567' },
    });
    expect(again.status).toBe(201);
  });

  it("keeps each tenant's calls to itself when both create", async () => {
    const mine = await server.request('POST', '/apps/api/v1/calls', {
      body: { call_type: 'Voice Inbound (API)', menu_id: 7, end_user_number: '+1 205-555-0001' },
      headers: { authorization: OTHER },
    });
    expect(mine.status).toBe(201);
    const id = (mine.body as { id: number }).id;
    // Ids are unique across tenants, and the first tenant cannot read the second's call.
    expect([inbound.id, scheduled.id]).not.toContain(id);
    expect((await server.request('GET', `/apps/api/v1/calls/${id}`)).status).toBe(404);
    const theirs = await server.request('GET', '/apps/api/v1/calls?per=100', {
      headers: { authorization: OTHER },
    });
    expect((theirs.body as Array<{ id: number }>).map((c) => c.id)).toEqual([id]);
  });
});

describe("the first tenant's calls, named by the second", () => {
  it("cannot be a scheduled call's call_id", async () => {
    const answer = await server.request('POST', '/apps/api/v1/calls', {
      body: { ...scheduledBody({ call_id: inbound.id }), menu_id: undefined },
      headers: { authorization: OTHER },
    });
    expectError(answer, 400, `call_id ${inbound.id} is not found`);
  });
});
