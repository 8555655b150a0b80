import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  NUM,
  control,
  createCall,
  expectCreated,
  expectError,
  getCall,
  inboundBody,
  postCall,
  without,
  type Json,
} from '../test/api-helpers.ts';
import { useTestServer } from '../test/test-server.ts';

// POST /calls with `Voice Inbound (API)`: every seed example under "Incoming Call", with
// the fixture state that makes it hold, and every step of CALL-API.md's ordered checks.

const server = useTestServer();
let ctl: ReturnType<typeof control>;

beforeAll(async () => {
  ctl = control(server);
});
beforeEach(() => ctl.reset());

const send = (body: unknown) => postCall(server, body);

const LOCK_STAR = {
  id: 9,
  name: 'Lock Star',
  parent_id: null,
  position: 1,
  deleted: false,
  menu_type: 'mobile_menu',
  output_msg: 'You selected Lock Star.',
  hidden: false,
};

const END_USER_75 = { id: 75, identifier: null, out_contact_id: '389391400633' };

function expectQueuedInbound(call: Json) {
  expect(call).toMatchObject({
    parent_id: null,
    call_type: 'Voice Inbound (API)',
    status: 'queued',
    assigned_at: null,
    connected_at: null,
    ends_at: null,
    scheduled_at: null,
    wait_duration: 0,
    call_duration: 0,
    hold_duration: 0,
    rating: null,
    has_feedback: false,
    out_ticket_url: null,
    verified: false,
    recording_url: null,
    voicemail_reason: 'not_voicemail',
    deflection: 'no_deflection',
    disconnected_by: 'disconnected_by_unknown',
    fail_reason: 'nothing',
    fail_details: null,
    support_number: null,
    agent_info: null,
    photos: [],
    videos: [],
    transfers: [],
    deflection_details: [],
    offer_type: 'cascade',
    answer_type: 'manual',
  });
  expect(call.queued_at).toEqual(expect.any(String));
  expect(call.offer_events).toEqual([{ casting_time: call.queued_at, group: 'Group 1' }]);
  const participants = call.participants as Json[];
  expect(participants).toHaveLength(1);
  expect(participants[0]).toMatchObject({
    type: 'end_user',
    status: 'waiting',
    call_id: call.id,
    user_id: null,
    end_user_id: (call.end_user as Json).id,
    call_duration: null,
    hold_duration: null,
    connected_at: null,
    ended_at: null,
    fail_reason: 'nothing',
  });
}

describe('seed examples (inbound)', () => {
  it('"Create an incoming call with end-user number" → 201: end user 75 found by the number, menu 9, the tenant default', async () => {
    const call = expectCreated(await send(inboundBody({ end_user_number: NUM.korean })));
    expectQueuedInbound(call);
    expect(call).toMatchObject({
      lang: 'en',
      out_ticket_id: null,
      selected_menu: LOCK_STAR,
      menu_path: { items_count: 1, name: 'Lock Star', materialized_path: '9' },
      end_user: END_USER_75,
      outbound_number: NUM.tenantDefault,
      // Menu 9 asks the caller (recording_option "ask"), so the caller's answer counts.
      recording_permission: 'granted',
    });
    const read = await getCall(server, call.id as number);
    expect(read.body).toEqual(call);
  });

  it('"Create an incoming call with end-user number" shows recording_permission "not_asked": so it is where menu 9 does not ask', async () => {
    await ctl.menu(9, { recording_option: 'never' });
    const call = await createCall(server, inboundBody({ end_user_number: NUM.korean }));
    expect(call.recording_permission).toBe('not_asked');
  });

  it('"Create an incoming call with ticket ID" → 201 with out_ticket_id 76517 and its contact (75), not the number\'s', async () => {
    const call = expectCreated(
      await send(inboundBody({ ticket_id: '76517', end_user_number: NUM.seedEndUser })),
    );
    expectQueuedInbound(call);
    expect(call).toMatchObject({
      out_ticket_id: '76517',
      end_user: END_USER_75,
      selected_menu: LOCK_STAR,
      outbound_number: NUM.tenantDefault,
    });
  });

  it('"end_user_number is not well formed" ("+1 999-657-12", no hyphen in the text)', async () => {
    expectError(
      await send(inboundBody({ end_user_number: '+1 999-657-12' })),
      400,
      'end_user_number is not well formed',
    );
  });

  it('"Menu is in \'manual redirection\' state" holds when menu 9 is set so (and for menu 21 in the fixture)', async () => {
    await ctl.menu(9, { state: 'manual_redirection' });
    expectError(
      await send(inboundBody()),
      400,
      "Menu is in 'manual redirection' state, can't accept calls",
    );
    expectError(
      await send(inboundBody({ menu_id: 21 })),
      400,
      "Menu is in 'manual redirection' state, can't accept calls",
    );
  });

  it('"Menu is in \'after hours\' state" holds when menu 9 is set so (and for menu 20 in the fixture)', async () => {
    await ctl.menu(9, { state: 'after_hours' });
    expectError(
      await send(inboundBody()),
      400,
      "Menu is in 'after hours' state, can't accept incoming calls",
    );
    expectError(
      await send(inboundBody({ menu_id: 20 })),
      400,
      "Menu is in 'after hours' state, can't accept incoming calls",
    );
    await ctl.menu(9, { state: 'open' });
    expect((await send(inboundBody())).status).toBe(201);
  });

  it('"Invalid call type"', async () => {
    expectError(
      await send(inboundBody({ call_type: 'InvalidCallType' })),
      400,
      'Invalid call type',
    );
  });

  it('"menu_id is required"', async () => {
    expectError(await send(without(inboundBody(), 'menu_id')), 400, 'menu_id is required');
    expectError(await send(inboundBody({ menu_id: null })), 400, 'menu_id is required');
  });

  it('"Only IVR and mobile menu IDs are permitted" (menu 50, chat)', async () => {
    expectError(
      await send(inboundBody({ menu_id: 50 })),
      400,
      'Only IVR and mobile menu IDs are permitted',
    );
  });

  it('"Language is not available" (fr) holds until the tenant enables fr', async () => {
    expectError(await send(inboundBody({ lang: 'fr' })), 400, "Language 'fr' is not available");
    await ctl.settings({ languages: ['en', 'es', 'ko', 'fr'] });
    const call = await createCall(server, inboundBody({ lang: 'fr' }));
    expect(call.lang).toBe('fr');
  });

  it('"Language is not found" (xy)', async () => {
    expectError(await send(inboundBody({ lang: 'xy' })), 400, "Language 'xy' is not found");
  });

  it('"menu_id is not found" (9999, the id as sent)', async () => {
    expectError(await send(inboundBody({ menu_id: 9999 })), 400, 'menu_id 9999 is not found');
    expectError(await send(inboundBody({ menu_id: '9999' })), 400, 'menu_id 9999 is not found');
  });

  it('"menu_id is not well formed" ("menu_999")', async () => {
    expectError(
      await send(inboundBody({ menu_id: 'menu_999' })),
      400,
      'menu_id is not well formed',
    );
  });

  it('"end_user_number is required"', async () => {
    expectError(
      await send(without(inboundBody(), 'end_user_number')),
      400,
      'end_user_number is required',
    );
    expectError(
      await send(inboundBody({ end_user_number: '' })),
      400,
      'end_user_number is required',
    );
  });
});

describe('CALL-API.md inbound rules', () => {
  it('"IncomingCall" is accepted and the call carries the canonical call_type', async () => {
    const call = await createCall(server, inboundBody({ call_type: 'IncomingCall' }));
    expect(call.call_type).toBe('Voice Inbound (API)');
  });

  describe('order of checks: the first failure answers', () => {
    const cases: Array<[string, Json, string]> = [
      [
        '1 before 2',
        inboundBody({ menu_id: 'x', end_user_number: '123' }),
        'menu_id is not well formed',
      ],
      [
        '2 before 3',
        inboundBody({ end_user_number: '123', lang: 'xy' }),
        'end_user_number is not well formed',
      ],
      [
        '3 before 4',
        inboundBody({ lang: 'xy', recording_permission: 'yes' }),
        "Language 'xy' is not found",
      ],
      [
        '4 before 5',
        inboundBody({ recording_permission: 'yes', menu_id: 9999 }),
        'recording_permission is not valid',
      ],
      [
        '6 before 7',
        // Menu 12 (web) is set to after_hours in the test below; see there.
        inboundBody({ menu_id: 50 }),
        'Only IVR and mobile menu IDs are permitted',
      ],
    ];
    for (const [name, body, message] of cases) {
      it(`${name}: ${message}`, async () => {
        expectError(await send(body), 400, message);
      });
    }

    it('5 before 6: a deleted chat menu is not found rather than the wrong type', async () => {
      await ctl.menu(50, { deleted: true });
      expectError(await send(inboundBody({ menu_id: 50 })), 400, 'menu_id 50 is not found');
    });

    it('6 before 7: a web menu after hours answers with its type', async () => {
      await ctl.menu(12, { state: 'after_hours' });
      expectError(
        await send(inboundBody({ menu_id: 12 })),
        400,
        'Only IVR and mobile menu IDs are permitted',
      );
    });

    it('7 before 8 and 9: a bad ticket or outbound number never hides the menu state', async () => {
      expectError(
        await send(inboundBody({ menu_id: 20, ticket_id: 'nope', outbound_number: 'x' })),
        400,
        "Menu is in 'after hours' state, can't accept incoming calls",
      );
    });
  });

  describe('menu_id', () => {
    it('is accepted as a string of digits', async () => {
      const call = await createCall(server, inboundBody({ menu_id: '9' }));
      expect((call.selected_menu as Json).id).toBe(9);
    });

    it('of the wrong JSON type, or not a whole non-negative number, is not well formed', async () => {
      for (const menuId of [9.5, -9, true, [9], { id: 9 }, '9a', '', ' 9']) {
        expectError(
          await send(inboundBody({ menu_id: menuId })),
          400,
          'menu_id is not well formed',
        );
      }
    });

    it('an IVR menu (7) and a mobile menu (9) take inbound calls; a web menu (12) does not', async () => {
      const ivr = await createCall(server, inboundBody({ menu_id: 7 }));
      expect((ivr.selected_menu as Json).menu_type).toBe('ivr_menu');
      const mobile = await createCall(server, inboundBody({ menu_id: 9 }));
      expect((mobile.selected_menu as Json).menu_type).toBe('mobile_menu');
      expectError(
        await send(inboundBody({ menu_id: 12 })),
        400,
        'Only IVR and mobile menu IDs are permitted',
      );
      await ctl.menu(12, { menu_type: 'ivr_menu' });
      const web = await createCall(server, inboundBody({ menu_id: 12 }));
      expect((web.selected_menu as Json).menu_type).toBe('ivr_menu');
    });

    it('a deleted menu is not found, as sent', async () => {
      expectError(await send(inboundBody({ menu_id: 60 })), 400, 'menu_id 60 is not found');
      await ctl.menu(9, { deleted: true });
      expectError(await send(inboundBody({ menu_id: '9' })), 400, 'menu_id 9 is not found');
    });

    it('a sub-menu carries its whole path', async () => {
      const call = await createCall(server, inboundBody({ menu_id: 10 }));
      expect(call.menu_path).toEqual({
        items_count: 2,
        name: 'Lost Keys',
        materialized_path: '9/10',
      });
      expect(call.selected_menu).toMatchObject({ id: 10, name: 'Lost Keys', parent_id: 9 });
    });
  });

  describe('end_user_number', () => {
    it('of the wrong JSON type is not well formed', async () => {
      for (const number of [8596579625, '8596579625', ['+1 859-657-9625']]) {
        expectError(
          await send(inboundBody({ end_user_number: number })),
          400,
          'end_user_number is not well formed',
        );
      }
    });

    it('a number no contact has gets a new contact, the same one each time', async () => {
      const first = await createCall(server, inboundBody({ end_user_number: '+44 20 7946 0958' }));
      const end = first.end_user as Json;
      expect(end.id).not.toBe(75);
      expect([67, 75, 81, 90]).not.toContain(end.id);
      expect(end).toMatchObject({ identifier: null, out_contact_id: null });
      expect((first.participants as Json[])[0]!.end_user_id).toBe(end.id);
      const second = await createCall(server, inboundBody({ end_user_number: '+442079460958' }));
      expect((second.end_user as Json).id).toBe(end.id);
    });

    it("a number that is a ticket contact's finds that contact", async () => {
      const call = await createCall(server, inboundBody({ end_user_number: NUM.seedEndUser }));
      expect(call.end_user).toEqual({ id: 67, identifier: null, out_contact_id: '381630957514' });
      expect(call.out_ticket_id).toBeNull();
    });
  });

  describe('ticket_id', () => {
    it('a ticket that does not resolve is kept as out_ticket_id only; the end user comes from the number', async () => {
      const call = await createCall(
        server,
        inboundBody({ ticket_id: 'T-404', end_user_number: NUM.korean }),
      );
      expect(call.out_ticket_id).toBe('T-404');
      expect(call.end_user).toEqual(END_USER_75);
    });

    it('does not stand in for end_user_number, which inbound calls require', async () => {
      expectError(
        await send(without(inboundBody({ ticket_id: '76517' }), 'end_user_number')),
        400,
        'end_user_number is required',
      );
    });

    it('is accepted as an integer', async () => {
      const call = await createCall(server, inboundBody({ ticket_id: 71450 }));
      expect(call.out_ticket_id).toBe('71450');
      expect((call.end_user as Json).id).toBe(67);
    });
  });

  describe('outbound_number', () => {
    it("one of the tenant's is used", async () => {
      const call = await createCall(server, inboundBody({ outbound_number: NUM.agentSecond }));
      expect(call.outbound_number).toBe(NUM.agentSecond);
    });

    it("one that is not the tenant's, or not a number at all, falls back to the default without an error", async () => {
      for (const number of ['+1 202-555-0143', 'not a number', 42]) {
        const call = await createCall(server, inboundBody({ outbound_number: number }));
        expect(call.outbound_number).toBe(NUM.tenantDefault);
      }
      await ctl.settings({ default_outbound_number: NUM.agentFirst });
      const call = await createCall(server, inboundBody({ outbound_number: '+1 202-555-0143' }));
      expect(call.outbound_number).toBe(NUM.agentFirst);
    });
  });

  describe('recording_permission', () => {
    it('anything but the three values is not valid', async () => {
      for (const value of ['granted', 'recording_permission_GRANTED', true, 1, '']) {
        expectError(
          await send(inboundBody({ recording_permission: value })),
          400,
          'recording_permission is not valid',
        );
      }
    });

    it('on a menu that asks (9): granted, denied, not_asked; omitted is not_asked', async () => {
      const cases: Array<[string | undefined, string]> = [
        ['recording_permission_granted', 'granted'],
        ['recording_permission_denied', 'denied'],
        ['recording_permission_not_asked', 'not_asked'],
        [undefined, 'not_asked'],
      ];
      for (const [sent, expected] of cases) {
        const body =
          sent === undefined
            ? without(inboundBody(), 'recording_permission')
            : inboundBody({ recording_permission: sent });
        const call = await createCall(server, body);
        expect(call.recording_permission, String(sent)).toBe(expected);
      }
    });

    it('on a menu that always records (7) or never does, the answer is not asked', async () => {
      const always = await createCall(
        server,
        inboundBody({ menu_id: 7, recording_permission: 'recording_permission_denied' }),
      );
      expect(always.recording_permission).toBe('not_asked');
      await ctl.menu(9, { recording_option: 'always' });
      const nine = await createCall(server, inboundBody());
      expect(nine.recording_permission).toBe('not_asked');
    });
  });

  it('lang defaults to en and an enabled language is carried', async () => {
    expect((await createCall(server, without(inboundBody(), 'lang'))).lang).toBe('en');
    expect((await createCall(server, inboundBody({ lang: 'es' }))).lang).toBe('es');
  });

  it('lang of the wrong JSON type is not well formed', async () => {
    expectError(await send(inboundBody({ lang: ['en'] })), 400, 'lang is not well formed');
  });
});
