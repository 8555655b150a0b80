import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  control,
  createCall,
  expectError,
  getCall,
  inboundBody,
  scheduledBody,
  type Json,
} from '../test/api-helpers.ts';
import { startTestServer, type TestServer } from '../test/test-server.ts';

// A second tenant (EMULATOR_EXTRA_TENANTS) sees none of the first's calls and cannot
// change them: every way in answers as if the call did not exist.

let server: TestServer;
const OTHER = {
  authorization: `Basic ${Buffer.from('other:other-token').toString('base64')}`,
};
let scheduledId: number;
let inboundId: number;

beforeAll(async () => {
  server = await startTestServer({ EMULATOR_EXTRA_TENANTS: 'other:other-token' });
  await control(server).reset();
  scheduledId = (await createCall(server, scheduledBody())).id as number;
  inboundId = (await createCall(server, inboundBody())).id as number;
});
afterAll(() => server.close());

const asOther = (method: string, path: string, body?: unknown) =>
  server.request(method, path, body === undefined ? { headers: OTHER } : { body, headers: OTHER });

describe('a second tenant', () => {
  it('has its own credentials: the fixture token does not open it', async () => {
    const wrong = `Basic ${Buffer.from('other:local-dev-token').toString('base64')}`;
    expectError(
      await server.request('GET', '/apps/api/v1/calls', { headers: { authorization: wrong } }),
      401,
      'Unauthorized',
    );
  });

  it("lists none of the first tenant's calls", async () => {
    const answer = await asOther('GET', '/apps/api/v1/calls');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual([]);
    expect(answer.headers.get('Total')).toBe('0');
  });

  it('cannot read, flag, cancel or move them: 404 each time', async () => {
    const refused: Array<[string, string, unknown?]> = [
      ['GET', `/apps/api/v1/calls/${inboundId}`],
      ['GET', `/apps/api/v1/calls/${inboundId}/customer_flag`],
      ['PATCH', `/apps/api/v1/calls/${inboundId}/customer_flag`, { bad_actor: true }],
      ['PATCH', `/apps/api/v1/calls/scheduled/${scheduledId}/cancel`],
      ['POST', `/emulator/calls/${inboundId}/events`, { type: 'fail' }],
    ];
    for (const [method, path, body] of refused) {
      expectError(await asOther(method, path, body), 404, 'Resource not found');
    }
    const bulk = await asOther('PATCH', '/apps/api/v1/calls/scheduled/cancel', {
      call_ids: [scheduledId],
    });
    expect(bulk.status).toBe(200);
    expect(bulk.body).toEqual([]);

    // The first tenant's calls are as they were.
    expect(((await getCall(server, scheduledId)).body as Json).status).toBe('scheduled');
    const inbound = (await getCall(server, inboundId)).body as Json;
    expect(inbound.status).toBe('queued');
    const flags = await server.request('GET', `/apps/api/v1/calls/${inboundId}/customer_flag`);
    expect(flags.body).toEqual({
      verified_customer: false,
      bad_actor: false,
      repeat_customer: false,
    });
  });

  it("cannot name them as a scheduled call's call_id", async () => {
    const answer = await asOther('POST', '/apps/api/v1/calls', {
      ...scheduledBody({ call_id: inboundId }),
      menu_id: undefined,
    });
    expectError(answer, 400, `call_id ${inboundId} is not found`);
  });

  it('its own state, reset and clock leave the first tenant alone', async () => {
    const own = await asOther('POST', '/apps/api/v1/calls', inboundBody());
    expect(own.status).toBe(201);
    expect((await asOther('PATCH', '/emulator/menus/9', { state: 'after_hours' })).status).toBe(
      200,
    );
    expect((await asOther('POST', '/emulator/clock', { now: '2099-06-01T00:00:00Z' })).status).toBe(
      200,
    );
    expect((await asOther('POST', '/emulator/reset')).status).toBe(204);

    // The first tenant: menu 9 still open, its scheduled call not promoted, both calls there.
    const again = await createCall(server, inboundBody());
    expect(Date.parse(again.created_at as string)).toBeLessThan(Date.parse('2099-01-01T00:00:00Z'));
    const mine = await server.request('GET', '/apps/api/v1/calls');
    expect((mine.body as Json[]).map((c) => c.id)).toEqual([again.id, inboundId, scheduledId]);
    expect(((await getCall(server, scheduledId)).body as Json).status).toBe('scheduled');
    // And the first tenant never sees the second's call.
    expect((await getCall(server, (own.body as Json).id as number)).status).toBe(404);
  });
});
