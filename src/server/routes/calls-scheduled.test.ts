import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  NUM,
  control,
  createCall,
  expectCreated,
  expectError,
  getCall,
  inboundBody,
  outboundBody,
  postCall,
  scheduledBody,
  without,
  type Json,
} from '../test/api-helpers.ts';
import { useTestServer } from '../test/test-server.ts';

// POST /calls with `Voice Scheduled (API)`. The seed's examples schedule for
// 2019-09-15T00:19:14.421Z and were created on 2019-09-10 (their created_at), so the
// emulator's clock is put there first: that is the state in which they hold.

const server = useTestServer();
let ctl: ReturnType<typeof control>;

const SEED_NOW = '2019-09-10T00:19:14.000Z';
const SEED_AT = '2019-09-15T00:19:14.421Z';

beforeAll(async () => {
  ctl = control(server);
});
beforeEach(async () => {
  await ctl.reset();
  await ctl.clock({ now: SEED_NOW });
});

const send = (body: unknown) => postCall(server, body);
const seedBody = (extra: Json = {}) => scheduledBody({ scheduled_at: SEED_AT, ...extra });

describe('seed examples (scheduled)', () => {
  it('"Create a scheduled call with menu ID" (the seed answers call_type Inbound, status queued) → 201 Voice Scheduled (API), status scheduled', async () => {
    const call = expectCreated(await send(seedBody({ end_user_number: NUM.korean })));
    expect(call).toMatchObject({
      parent_id: null,
      lang: 'en',
      call_type: 'Voice Scheduled (API)',
      status: 'scheduled',
      queued_at: null,
      assigned_at: null,
      connected_at: null,
      ends_at: null,
      scheduled_at: SEED_AT,
      wait_duration: 0,
      call_duration: 0,
      hold_duration: 0,
      out_ticket_id: null,
      verified: false,
      recording_permission: 'granted',
      selected_menu: { id: 9, name: 'Lock Star', menu_type: 'mobile_menu', deleted: false },
      menu_path: { items_count: 1, name: 'Lock Star', materialized_path: '9' },
      agent_info: null,
      end_user: { id: 75, identifier: null, out_contact_id: '389391400633' },
      transfers: [],
      deflection_details: [],
      answer_type: 'manual',
      outbound_number: NUM.tenantDefault,
    });
    // Created on the emulator's clock, which the test put at the seed's created_at.
    expect(call.created_at as string).toMatch(/^2019-09-10T00:19:1/);
    const participants = call.participants as Json[];
    expect(participants.map((p) => [p.type, p.status, p.end_user_id])).toEqual([
      ['end_user', 'waiting', 75],
    ]);
  });

  it('"Create a scheduled call with call ID" (call 514 in the seed: here the id of an earlier call) → its menu, parent_id = call_id', async () => {
    const earlier = await createCall(server, inboundBody({ end_user_number: NUM.korean }));
    const call = expectCreated(
      await send(
        without(seedBody({ call_id: earlier.id, end_user_number: NUM.korean }), 'menu_id'),
      ),
    );
    expect(call).toMatchObject({
      parent_id: earlier.id,
      call_type: 'Voice Scheduled (API)',
      status: 'scheduled',
      scheduled_at: SEED_AT,
      selected_menu: { id: 9 },
      end_user: { id: 75 },
    });
  });

  it('"end_user_number is not well formed"', async () => {
    expectError(
      await send(seedBody({ end_user_number: '+1 999-657-12' })),
      400,
      'end_user_number is not well formed',
    );
  });

  it('"Menu is in \'manual redirection\' state" holds when menu 9 is set so', async () => {
    await ctl.menu(9, { state: 'manual_redirection' });
    expectError(
      await send(seedBody()),
      400,
      "Menu is in 'manual redirection' state, can't accept calls",
    );
  });

  it('"Menu is in \'after hours\' state" holds when menu 9 is set so', async () => {
    await ctl.menu(9, { state: 'after_hours' });
    expectError(
      await send(seedBody()),
      400,
      "Menu is in 'after hours' state, can't accept incoming calls",
    );
  });

  it('"Invalid call type"', async () => {
    expectError(await send(seedBody({ call_type: 'InvalidCallType' })), 400, 'Invalid call type');
  });

  it('"menu_id is required"', async () => {
    expectError(await send(without(seedBody(), 'menu_id')), 400, 'menu_id is required');
  });

  it('"Only mobile and web menu IDs are permitted" (menu 50, chat; and menu 7, IVR)', async () => {
    for (const menuId of [50, 7]) {
      expectError(
        await send(seedBody({ menu_id: menuId })),
        400,
        'Only mobile and web menu IDs are permitted',
      );
    }
  });

  it('"Language is not available" (fr)', async () => {
    expectError(await send(seedBody({ lang: 'fr' })), 400, "Language 'fr' is not available");
  });

  it('"Language is not found" (xy)', async () => {
    expectError(await send(seedBody({ lang: 'xy' })), 400, "Language 'xy' is not found");
  });

  it('"menu ID is not found" (9999)', async () => {
    expectError(await send(seedBody({ menu_id: 9999 })), 400, 'menu_id 9999 is not found');
  });

  it('"menu ID is not well formed" ("menu_999")', async () => {
    expectError(await send(seedBody({ menu_id: 'menu_999' })), 400, 'menu_id is not well formed');
  });

  it('"end-user number is required"', async () => {
    expectError(
      await send(without(seedBody(), 'end_user_number')),
      400,
      'end_user_number is required',
    );
  });

  it('"scheduled_at is required"', async () => {
    expectError(await send(without(seedBody(), 'scheduled_at')), 400, 'scheduled_at is required');
    expectError(await send(seedBody({ scheduled_at: '' })), 400, 'scheduled_at is required');
  });

  it("the seed's requests on today's clock: 2019-09-15 is in the past", async () => {
    await ctl.reset();
    expectError(await send(seedBody()), 400, 'scheduled_at must be in the future');
  });
});

describe('CALL-API.md scheduled rules', () => {
  it('"ScheduledCall" is accepted and the call carries the canonical call_type', async () => {
    const call = await createCall(server, seedBody({ call_type: 'ScheduledCall' }));
    expect(call.call_type).toBe('Voice Scheduled (API)');
  });

  it('a web menu (12) takes scheduled calls; an IVR menu (7) does until its type changes', async () => {
    const web = await createCall(server, seedBody({ menu_id: 12 }));
    expect((web.selected_menu as Json).menu_type).toBe('web_menu');
    await ctl.menu(7, { menu_type: 'mobile_menu' });
    const seven = await createCall(server, seedBody({ menu_id: 7 }));
    expect((seven.selected_menu as Json).id).toBe(7);
  });

  it('a deleted menu is not found', async () => {
    await ctl.menu(12, { deleted: true });
    expectError(await send(seedBody({ menu_id: 12 })), 400, 'menu_id 12 is not found');
  });

  describe('call_id', () => {
    it('unknown → "call_id 9999 is not found" (as sent)', async () => {
      expectError(
        await send(without(seedBody({ call_id: 9999 }), 'menu_id')),
        400,
        'call_id 9999 is not found',
      );
      expectError(
        await send(without(seedBody({ call_id: '9999' }), 'menu_id')),
        400,
        'call_id 9999 is not found',
      );
    });

    it('of the wrong JSON type is not well formed', async () => {
      for (const callId of ['abc', true, 1.5, -3]) {
        expectError(
          await send(without(seedBody({ call_id: callId }), 'menu_id')),
          400,
          'call_id is not well formed',
        );
      }
    });

    it('with menu_id too: the menu given is used and the call is the parent', async () => {
      const earlier = await createCall(server, inboundBody());
      const call = await createCall(server, seedBody({ call_id: earlier.id, menu_id: 12 }));
      expect(call.parent_id).toBe(earlier.id);
      expect((call.selected_menu as Json).id).toBe(12);
    });

    it('of a call with no menu (outbound) and no menu_id → menu_id is required', async () => {
      const earlier = await createCall(server, outboundBody());
      expectError(
        await send(without(seedBody({ call_id: earlier.id }), 'menu_id')),
        400,
        'menu_id is required',
      );
    });

    it('of an inbound call on an IVR menu → the scheduled menu rule applies to that menu', async () => {
      const earlier = await createCall(server, inboundBody({ menu_id: 7 }));
      expectError(
        await send(without(seedBody({ call_id: earlier.id }), 'menu_id')),
        400,
        'Only mobile and web menu IDs are permitted',
      );
    });
  });

  describe('scheduled_at', () => {
    it('not ISO 8601 (or of the wrong JSON type) is not well formed', async () => {
      for (const at of [
        'tomorrow',
        '2019-09-16',
        '2019-13-01T00:00:00Z',
        '2019-09-31T00:00:00Z',
        '2019-09-16 10:00:00',
        1568592000000,
        ['2019-09-16T00:00:00Z'],
      ]) {
        expectError(
          await send(seedBody({ scheduled_at: at })),
          400,
          'scheduled_at is not well formed',
        );
      }
    });

    it('not in the future → must be in the future (the clock is 2019-09-10T00:19:14Z)', async () => {
      for (const at of [
        '2019-09-10T00:19:13.000Z',
        '2019-09-09T00:00:00Z',
        '2000-01-01T00:00:00Z',
      ]) {
        expectError(
          await send(seedBody({ scheduled_at: at })),
          400,
          'scheduled_at must be in the future',
        );
      }
    });

    it('is normalised to UTC ISO with milliseconds', async () => {
      const cases: Array<[string, string]> = [
        ['2019-09-15T10:00:00+02:00', '2019-09-15T08:00:00.000Z'],
        ['2019-09-15T08:00Z', '2019-09-15T08:00:00.000Z'],
        ['2019-09-14T22:30:15.5-05:00', '2019-09-15T03:30:15.500Z'],
      ];
      for (const [sent, stored] of cases) {
        const call = await createCall(server, seedBody({ scheduled_at: sent }));
        expect(call.scheduled_at, sent).toBe(stored);
      }
    });

    it('is checked after end_user_number and before lang and the menu', async () => {
      expectError(
        await send(without(seedBody(), 'end_user_number', 'scheduled_at')),
        400,
        'end_user_number is required',
      );
      expectError(
        await send(seedBody({ end_user_number: '123', scheduled_at: 'x' })),
        400,
        'end_user_number is not well formed',
      );
      expectError(
        await send(seedBody({ scheduled_at: 'x', lang: 'xy' })),
        400,
        'scheduled_at is not well formed',
      );
      expectError(
        await send(seedBody({ scheduled_at: '2000-01-01T00:00:00Z', menu_id: 9999 })),
        400,
        'scheduled_at must be in the future',
      );
    });

    it('menu_id is checked before scheduled_at', async () => {
      expectError(
        await send(without(seedBody({ scheduled_at: 'x' }), 'menu_id')),
        400,
        'menu_id is required',
      );
    });
  });

  it("the recording permission follows the menu's option (web menu 12 never records)", async () => {
    const call = await createCall(server, seedBody({ menu_id: 12 }));
    expect(call.recording_permission).toBe('not_asked');
  });

  it('becomes queued when the emulator clock passes scheduled_at, and goes on like an inbound call', async () => {
    const call = await createCall(server, seedBody());
    const id = call.id as number;

    await ctl.clock({ now: '2019-09-15T00:19:14.000Z' });
    const before = (await getCall(server, id)).body as Json;
    expect(before.status).toBe('scheduled');
    expect(before.queued_at).toBeNull();

    const moved = await ctl.clock({ advance_ms: 1000 });
    expect(moved.now as string).toMatch(/^2019-09-15T00:19:15\./);
    const after = (await getCall(server, id)).body as Json;
    expect(after).toMatchObject({
      status: 'queued',
      call_type: 'Voice Scheduled (API)',
      scheduled_at: SEED_AT,
      queued_at: SEED_AT,
      offer_type: 'cascade',
      offer_events: [{ casting_time: SEED_AT, group: 'Group 1' }],
    });
    // Changed when the clock moved, so a poller of updated_at[from] sees it.
    expect(Date.parse(after.updated_at as string)).toBeGreaterThanOrEqual(
      Date.parse('2019-09-15T00:19:15.000Z'),
    );

    // An inbound call's life from there: the control API can assign it.
    const assigned = await ctl.event(id, { type: 'assign', agent_email: 'admin@somedomain.com' });
    expect(assigned.status).toBe('assigned');
  });

  it('a scheduled call is listed as queued once due, even when nothing else read it', async () => {
    await createCall(server, seedBody());
    await ctl.clock({ now: '2019-09-16T00:00:00.000Z' });
    const list = await server.request('GET', '/apps/api/v1/calls?status=queued');
    expect((list.body as Json[]).map((c) => c.call_type)).toEqual(['Voice Scheduled (API)']);
  });
});
