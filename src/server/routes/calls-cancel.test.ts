import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  control,
  createCall,
  expectCallShape,
  expectError,
  getCall,
  inboundBody,
  outboundBody,
  scheduledBody,
  type Json,
} from '../test/api-helpers.ts';
import { useTestServer } from '../test/test-server.ts';

// PATCH /calls/scheduled/:id/cancel and PATCH /calls/scheduled/cancel.

const server = useTestServer();
let ctl: ReturnType<typeof control>;

beforeAll(async () => {
  ctl = control(server);
});
beforeEach(async () => {
  await ctl.reset();
  await ctl.clock({ now: '2030-06-01T12:00:00.000Z' });
});

const cancel = (id: number | string) =>
  server.request('PATCH', `/apps/api/v1/calls/scheduled/${id}/cancel`);
const cancelMany = (body: unknown) =>
  server.request('PATCH', '/apps/api/v1/calls/scheduled/cancel', { body });
const schedule = (at = '2030-06-02T12:00:00.000Z') =>
  createCall(server, scheduledBody({ scheduled_at: at }));

describe('PATCH /calls/scheduled/:id/cancel', () => {
  it('a scheduled call → 200 the call, cancelled; read back the same', async () => {
    const call = await schedule();
    await ctl.clock({ now: '2030-06-01T13:00:00.000Z' });
    const answer = await cancel(call.id as number);
    expect(answer.status).toBe(200);
    const cancelled = answer.body as Json;
    expectCallShape(cancelled);
    expect(cancelled).toMatchObject({
      id: call.id,
      status: 'cancelled',
      call_type: 'Voice Scheduled (API)',
      scheduled_at: '2030-06-02T12:00:00.000Z',
    });
    expect(cancelled.updated_at as string).toMatch(/^2030-06-01T13:00:/);
    expect((await getCall(server, call.id as number)).body).toEqual(cancelled);
    // Cancelled at the contact center's side: no participant says the customer cancelled.
    const participants = cancelled.participants as Json[];
    expect(participants.length).toBeGreaterThan(0);
    for (const p of participants.filter((p) => p.status === 'failed')) {
      expect(p.fail_reason).toBe('ag_canceled');
    }
    expect(participants.some((p) => p.fail_reason === 'eu_canceled')).toBe(false);
  });

  it('again → 204 with no body', async () => {
    const call = await schedule();
    expect((await cancel(call.id as number)).status).toBe(200);
    const again = await cancel(call.id as number);
    expect(again.status).toBe(204);
    expect(again.text).toBe('');
    expect(((await getCall(server, call.id as number)).body as Json).status).toBe('cancelled');
  });

  it('a call that is not scheduled → 400 Only scheduled calls can be cancelled', async () => {
    const inbound = await createCall(server, inboundBody());
    const outbound = await createCall(server, outboundBody());
    for (const call of [inbound, outbound]) {
      expectError(await cancel(call.id as number), 400, 'Only scheduled calls can be cancelled');
    }
    expect(((await getCall(server, inbound.id as number)).body as Json).status).toBe('queued');
  });

  it('a scheduled call whose time has come is queued, so it can no longer be cancelled', async () => {
    const call = await schedule('2030-06-01T12:00:05.000Z');
    await ctl.clock({ advance_ms: 10_000 });
    expectError(await cancel(call.id as number), 400, 'Only scheduled calls can be cancelled');
  });

  it('an unknown call → 404', async () => {
    expectError(await cancel(999999), 404, 'Resource not found');
    expectError(await cancel('abc'), 404, 'Resource not found');
  });

  it('cancelled calls are listed by status and are never promoted by the clock', async () => {
    const call = await schedule('2030-06-01T12:00:05.000Z');
    await cancel(call.id as number);
    await ctl.clock({ advance_ms: 60_000 });
    const answer = await server.request('GET', '/apps/api/v1/calls?status=cancelled');
    expect((answer.body as Json[]).map((c) => c.id)).toEqual([call.id]);
    expect(((await getCall(server, call.id as number)).body as Json).status).toBe('cancelled');
  });
});

describe('PATCH /calls/scheduled/cancel (bulk)', () => {
  it('cancels the scheduled calls named and answers them; others are left alone', async () => {
    const a = await schedule();
    const b = await schedule();
    const c = await schedule();
    const inbound = await createCall(server, inboundBody());
    const answer = await cancelMany({
      call_ids: [a.id, String(b.id), inbound.id, 999999, a.id],
    });
    expect(answer.status).toBe(200);
    const cancelled = answer.body as Json[];
    expect(cancelled.map((x) => [x.id, x.status])).toEqual([
      [a.id, 'cancelled'],
      [b.id, 'cancelled'],
    ]);
    expect(((await getCall(server, c.id as number)).body as Json).status).toBe('scheduled');
    expect(((await getCall(server, inbound.id as number)).body as Json).status).toBe('queued');
    // Already cancelled: nothing to do, an empty list.
    const again = await cancelMany({ call_ids: [a.id] });
    expect(again.status).toBe(200);
    expect(again.body).toEqual([]);
  });

  it('call_ids missing → 400 call_ids is required', async () => {
    expectError(await cancelMany({}), 400, 'call_ids is required');
  });

  it('call_ids not a list of ids → 400 call_ids is not well formed', async () => {
    for (const callIds of ['1,2', [], ['x'], [1.5], { id: 1 }]) {
      expectError(await cancelMany({ call_ids: callIds }), 400, 'call_ids is not well formed');
    }
  });
});
