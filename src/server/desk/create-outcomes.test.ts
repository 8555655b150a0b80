import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Json } from '../test/api-helpers.ts';
import { deskRequest, signIn } from '../test/sign-in.ts';
import { requestAsIntegration, startTenantPair, type TenantPair } from '../test/tenant-pair.ts';

// A create whose answer never came (the tenant too slow, the request lost on the way) may
// or may not have placed the call. Against the emulator with its faults set, behind a front
// that gives up on the tenant after 600 ms: the call is looked for, never sent twice.

let pair: TenantPair;
let admin: string;
let agent: string;

const desk = (secret: string, method: string, path: string, body?: unknown) =>
  deskRequest(pair.front.baseUrl, secret, method, path, body);

const tenantRequest = (method: string, path: string, body?: unknown) =>
  requestAsIntegration(pair.tenant, method, path, body);

beforeAll(async () => {
  pair = await startTenantPair({ front: { UPSTREAM_TIMEOUT_MS: 600 } });
  admin = (await signIn(pair.front.baseUrl, 'admin@somedomain.com')).secret;
  agent = (await signIn(pair.front.baseUrl, 'agent@somedomain.com')).secret;
});
afterAll(() => pair?.close());
beforeEach(async () => {
  expect((await tenantRequest('POST', '/emulator/reset')).status).toBe(204);
});

describe('a create whose answer never came is looked for, never sent twice', () => {
  afterEach(async () => {
    await tenantRequest('PUT', '/emulator/faults', { create_delay_ms: 0, create_lost: false });
  });
  const outbound = {
    call_type: 'Voice Outbound (API)',
    agent_email: 'admin@somedomain.com',
    end_user_number: '+1 859-657-9625',
  };

  it('placed, but answered too late: the desk finds the call and answers with it', async () => {
    await tenantRequest('PUT', '/emulator/faults', { create_delay_ms: 2000 });
    const answer = await desk(admin, 'POST', '/apps/api/v1/calls', outbound);
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ status: 'assigned', agent_info: { id: 1 } });
    const calls = (await tenantRequest('GET', '/apps/api/v1/calls')).body as Json[];
    expect(calls).toHaveLength(1);
    expect(calls[0]!.id).toBe((answer.body as Json).id);
  });

  it('lost: outcome unknown, no second call while the desk checks, then a retry is allowed', async () => {
    await tenantRequest('PUT', '/emulator/faults', { create_delay_ms: 1500, create_lost: true });
    const first = await desk(admin, 'POST', '/apps/api/v1/calls', outbound);
    expect(first.status).toBe(504);
    const { outcome } = first.body as { outcome: { id: string; state: string } };
    expect(first.body).toMatchObject({
      message:
        'The tenant did not answer in time: the call may have been placed. The desk is checking.',
      outcome: { state: 'checking', call_id: null },
    });
    await tenantRequest('PUT', '/emulator/faults', { create_lost: false });
    // While the desk checks, the agent may not place another call.
    const retry = await desk(admin, 'POST', '/apps/api/v1/calls', outbound);
    expect(retry).toMatchObject({ status: 409, body: { outcome: { id: outcome.id } } });
    // Another agent's outcome is not theirs to read.
    expect((await desk(agent, 'GET', `/outcomes/${outcome.id}`)).status).toBe(404);
    let state = 'checking';
    while (state === 'checking') {
      state = ((await desk(admin, 'GET', `/outcomes/${outcome.id}`)).body as { state: string })
        .state;
    }
    expect(state).toBe('not_placed');
    expect((await tenantRequest('GET', '/apps/api/v1/calls')).body).toEqual([]);
    const placed = await desk(admin, 'POST', '/apps/api/v1/calls', outbound);
    expect(placed.status).toBe(201);
    expect((await tenantRequest('GET', '/apps/api/v1/calls')).body).toHaveLength(1);
  });
});
