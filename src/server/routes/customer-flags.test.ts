import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  control,
  createCall,
  expectError,
  getCall,
  inboundBody,
  type Json,
} from '../test/api-helpers.ts';
import { useTestServer } from '../test/test-server.ts';

// GET and PATCH /calls/:id/customer_flag ("reserved data attributes during a call").

const server = useTestServer();
let ctl: ReturnType<typeof control>;
let callId: number;

beforeAll(async () => {
  ctl = control(server);
});
beforeEach(async () => {
  await ctl.reset();
  callId = (await createCall(server, inboundBody())).id as number;
});

const flagsOf = (id: number | string) =>
  server.request('GET', `/apps/api/v1/calls/${id}/customer_flag`);
const patch = (body: unknown, id: number | string = callId) =>
  server.request('PATCH', `/apps/api/v1/calls/${id}/customer_flag`, { body });

const NONE = { verified_customer: false, bad_actor: false, repeat_customer: false };

describe('GET /calls/:id/customer_flag', () => {
  it('a new call has all three flags false', async () => {
    const answer = await flagsOf(callId);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(NONE);
  });

  it('an unknown call → 404', async () => {
    expectError(await flagsOf(999999), 404, 'Resource not found');
    expectError(await flagsOf('x'), 404, 'Resource not found');
  });
});

describe('PATCH /calls/:id/customer_flag', () => {
  it('each key on its own → 200 the flags after the change, kept for the next read', async () => {
    const steps: Array<[Json, Json]> = [
      [{ verified_customer: true }, { ...NONE, verified_customer: true }],
      [{ bad_actor: true }, { ...NONE, verified_customer: true, bad_actor: true }],
      [
        { repeat_customer: true },
        { verified_customer: true, bad_actor: true, repeat_customer: true },
      ],
      [{ bad_actor: false }, { verified_customer: true, bad_actor: false, repeat_customer: true }],
    ];
    for (const [body, after] of steps) {
      const answer = await patch(body);
      expect(answer.status, JSON.stringify(body)).toBe(200);
      expect(answer.body).toEqual(after);
      expect((await flagsOf(callId)).body).toEqual(after);
    }
  });

  it('"repeat_customers", the seed\'s spelling, sets repeat_customer', async () => {
    const answer = await patch({ repeat_customers: true });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ ...NONE, repeat_customer: true });
  });

  it("the seed's PATCH body with all three keys", async () => {
    const answer = await patch({
      verified_customer: true,
      bad_actor: true,
      repeat_customers: true,
    });
    expect(answer.body).toEqual({
      verified_customer: true,
      bad_actor: true,
      repeat_customer: true,
    });
  });

  it('no known key → 400 naming the three', async () => {
    for (const body of [{}, { verified: true }, { repeat: true }]) {
      expectError(
        await patch(body),
        400,
        'verified_customer, bad_actor or repeat_customer required',
      );
    }
  });

  it('a non-boolean → 400 naming the key', async () => {
    expectError(await patch({ bad_actor: 'yes' }), 400, 'bad_actor must be a boolean');
    expectError(await patch({ verified_customer: 1 }), 400, 'verified_customer must be a boolean');
    expectError(await patch({ repeat_customer: null }), 400, 'repeat_customer must be a boolean');
    expectError(
      await patch({ verified_customer: true, bad_actor: 'true' }),
      400,
      'bad_actor must be a boolean',
    );
    // Nothing was changed by the refused requests.
    expect((await flagsOf(callId)).body).toEqual(NONE);
  });

  it('an unknown call → 404', async () => {
    expectError(await patch({ bad_actor: true }, 999999), 404, 'Resource not found');
  });

  it("the call object's verified mirrors verified_customer, and updated_at moves", async () => {
    const before = (await getCall(server, callId)).body as Json;
    expect(before.verified).toBe(false);
    await ctl.clock({ advance_ms: 60_000 });
    await patch({ verified_customer: true });
    const after = (await getCall(server, callId)).body as Json;
    expect(after.verified).toBe(true);
    expect(Date.parse(after.updated_at as string)).toBeGreaterThan(
      Date.parse(before.updated_at as string),
    );
    await patch({ bad_actor: true });
    expect(((await getCall(server, callId)).body as Json).verified).toBe(true);
    await patch({ verified_customer: false });
    expect(((await getCall(server, callId)).body as Json).verified).toBe(false);
  });
});
