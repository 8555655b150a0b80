import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  NUM,
  control,
  createCall,
  expectCreated,
  expectError,
  getCall,
  postCall,
  without,
  type Json,
} from '../test/api-helpers.ts';
import { useTestServer } from '../test/test-server.ts';

// POST /calls with `Voice Outbound (API)`: every seed example under "Outbound call", with
// the fixture state that makes it hold, and every step of CALL-API.md's ordered checks.

const server = useTestServer();
let ctl: ReturnType<typeof control>;

beforeAll(async () => {
  ctl = control(server);
});
beforeEach(() => ctl.reset());

const send = (body: unknown) => postCall(server, body);

/** The seed's request bodies, as written there. */
const seed = {
  allenPlain: {
    call_type: 'Voice Outbound (API)',
    agent_email: 'allen@somedomain.com',
    end_user_number: NUM.seedOther,
    lang: 'en',
  },
  allenBadNumber: {
    call_type: 'Voice Outbound (API)',
    agent_email: 'allen@somedomain.com',
    outbound_number: NUM.agentSecond,
    end_user_number: '123123',
    lang: 'en',
  },
  allenTicketOne: {
    call_type: 'Voice Outbound (API)',
    agent_email: 'allen@somedomain.com',
    outbound_number: NUM.agentSecond,
    ticket_id: 1,
    lang: 'en',
  },
  adminPlain: {
    call_type: 'Voice Outbound (API)',
    agent_email: 'admin@somedomain.com',
    end_user_number: NUM.seedOther,
    lang: 'en',
  },
  adminCreate: {
    call_type: 'Voice Outbound (API)',
    agent_email: 'admin@somedomain.com',
    end_user_number: NUM.seedEndUser,
    outbound_number: NUM.tenantDefault,
    lang: 'en',
  },
  ticketCreate: (agent: string) => ({
    call_type: 'Voice Outbound (API)',
    agent_email: agent,
    ticket_id: '71450',
    outbound_number: NUM.tenantDefault,
    lang: 'en',
  }),
  agentBadNumber: {
    call_type: 'Voice Outbound (API)',
    agent_email: 'agent@somedomain.com',
    outbound_number: NUM.agentFirst,
    end_user_number: '123123',
    lang: 'en',
  },
} satisfies Record<string, Json | ((a: string) => Json)>;

const ADMIN_INFO = {
  id: 1,
  agent_number: null,
  name: 'Admin UJET',
  last_name: 'UJET',
  first_name: 'Admin',
  avatar_url: 'https://somedomain.com/avatar.jpg',
};

function expectWaitingParticipants(call: Json, agentId: number, endUserId: number | null) {
  const participants = call.participants as Json[];
  expect(participants.map((p) => [p.type, p.status, p.user_id, p.end_user_id])).toEqual([
    ['agent', 'waiting', agentId, null],
    ['end_user', 'waiting', null, endUserId],
  ]);
  for (const p of participants) {
    expect(p).toMatchObject({
      call_id: call.id,
      call_duration: null,
      hold_duration: null,
      connected_at: null,
      ended_at: null,
      fail_reason: 'nothing',
    });
  }
  expect(participants[0]!.id).not.toBe(participants[1]!.id);
}

describe('seed examples (outbound)', () => {
  it('"Create an outbound call with end-user number" → 201 with the seed call object', async () => {
    const call = expectCreated(await send(seed.adminCreate));
    expect(call).toMatchObject({
      parent_id: null,
      lang: 'en',
      call_type: 'Voice Outbound (API)',
      status: 'assigned',
      queued_at: null,
      connected_at: null,
      ends_at: null,
      scheduled_at: null,
      wait_duration: 0,
      call_duration: 0,
      hold_duration: 0,
      rating: null,
      has_feedback: false,
      voip_provider: 'voip_provider_twilio',
      out_ticket_id: null,
      out_ticket_url: null,
      verified: false,
      recording_url: null,
      recording_permission: 'not_asked',
      voicemail_reason: 'not_voicemail',
      deflection: 'no_deflection',
      disconnected_by: 'disconnected_by_unknown',
      fail_reason: 'nothing',
      fail_details: null,
      support_number: null,
      selected_menu: null,
      menu_path: null,
      agent_info: ADMIN_INFO,
      end_user: null,
      photos: [],
      videos: [],
      transfers: [],
      deflection_details: [],
      offer_type: null,
      offer_events: [],
      answer_type: 'manual',
      outbound_number: NUM.tenantDefault,
    });
    expect(typeof call.id).toBe('number');
    expect(Date.parse(call.assigned_at as string)).toBeGreaterThanOrEqual(
      Date.parse(call.created_at as string),
    );
    expectWaitingParticipants(call, 1, null);
    // The call as created is the call as read.
    const read = await getCall(server, call.id as number);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(call);
  });

  it('"Create an outbound call with ticket ID" (admin@) → 201 with out_ticket_id and the ticket\'s end user', async () => {
    const call = expectCreated(await send(seed.ticketCreate('admin@somedomain.com')));
    expect(call).toMatchObject({
      status: 'assigned',
      out_ticket_id: '71450',
      out_ticket_url: null,
      end_user: { id: 67, identifier: null, out_contact_id: '381630957514' },
      agent_info: ADMIN_INFO,
      outbound_number: NUM.tenantDefault,
      answer_type: 'manual',
      offer_type: null,
      offer_events: [],
    });
    expectWaitingParticipants(call, 1, 67);
  });

  it('"Create an outbound call with ticket ID" (agent@; the seed shows admin\'s agent_info) → agent_info is the agent who was asked for', async () => {
    // agent@ has two numbers, but outbound_number names a tenant number: no 202.
    const call = expectCreated(await send(seed.ticketCreate('agent@somedomain.com')));
    expect(call.agent_info).toEqual({
      id: 2,
      agent_number: '1002',
      name: 'Avery Agent',
      last_name: 'Agent',
      first_name: 'Avery',
      avatar_url: null,
    });
    expect(call.out_ticket_id).toBe('71450');
    expect(call.outbound_number).toBe(NUM.tenantDefault);
    expectWaitingParticipants(call, 2, 67);
  });

  it('"Agent is not available to take this call" (agent@) holds when agent@ is unavailable', async () => {
    const body = {
      call_type: 'Voice Outbound (API)',
      agent_email: 'agent@somedomain.com',
      end_user_number: NUM.seedOther,
      lang: 'en',
    };
    await ctl.agent('agent@somedomain.com', { status: 'unavailable' });
    expectError(await send(body), 400, 'Agent is not available to take this call');
  });

  it('"Agent is not available to take this call" (allen@) holds with the fixture as it is', async () => {
    expectError(await send(seed.allenPlain), 400, 'Agent is not available to take this call');
  });

  it('"Agent does not have access to make calls" (allen@; also the seed\'s second "Accepted : Agent must make an outbound call with ticket ID", answered so): step 4 answers before step 5', async () => {
    await ctl.agent('allen@somedomain.com', { can_make_calls: false });
    expectError(await send(seed.allenPlain), 400, 'Agent does not have access to make calls');
  });

  it('"Agent does not have access to make calls" holds for trainee@ in the fixture', async () => {
    expectError(
      await send({ ...seed.allenPlain, agent_email: 'trainee@somedomain.com' }),
      400,
      'Agent does not have access to make calls',
    );
  });

  it('"ticket ID or end-user number required" (the seed\'s body sends a number) → holds once neither is sent', async () => {
    expectError(
      await send(without(seed.allenPlain, 'end_user_number')),
      400,
      'ticket_id or end_user_number required',
    );
    // The body exactly as the seed wrote it reaches step 5 instead.
    expectError(await send(seed.allenPlain), 400, 'Agent is not available to take this call');
  });

  it('"Not a valid agent email" (the seed sends admin@, a real agent) → holds for an address that is no agent', async () => {
    expectError(
      await send({ ...seed.adminPlain, agent_email: 'nobody@somedomain.com' }),
      400,
      'Not a valid agent email',
    );
    expectError(
      await send({ ...seed.adminPlain, agent_email: 'not an email' }),
      400,
      'Not a valid agent email',
    );
    // The seed's own body creates a call: admin@ is the agent of the seed's 201 examples.
    expect((await send(seed.adminPlain)).status).toBe(201);
  });

  it('"Agent email required" → 400', async () => {
    expectError(await send(without(seed.adminPlain, 'agent_email')), 400, 'Agent email required');
    expectError(await send({ ...seed.adminPlain, agent_email: '' }), 400, 'Agent email required');
    expectError(
      await send({ ...seed.adminPlain, agent_email: '   ' }),
      400,
      'Agent email required',
    );
    expectError(await send({ ...seed.adminPlain, agent_email: null }), 400, 'Agent email required');
  });

  it('"end_user_number is not well-formed" (allen@) holds once allen is available; with the fixture, step 5 answers first', async () => {
    expectError(await send(seed.allenBadNumber), 400, 'Agent is not available to take this call');
    await ctl.agent('allen@somedomain.com', { status: 'available' });
    expectError(await send(seed.allenBadNumber), 400, 'end_user_number is not well-formed');
  });

  it('"Contact not found" (ticket_id 1, an integer) holds once allen is available', async () => {
    expectError(await send(seed.allenTicketOne), 400, 'Agent is not available to take this call');
    await ctl.agent('allen@somedomain.com', { status: 'available' });
    expectError(await send(seed.allenTicketOne), 400, 'Contact not found');
  });

  it('"Need to choose an outbound number" (seed body with "123123", answered 200 there) → step 7 answers', async () => {
    expectError(await send(seed.agentBadNumber), 400, 'end_user_number is not well-formed');
  });

  it('"Accepted : Need to choose an outbound number" (allen@) → 202 once allen is available with two numbers', async () => {
    await ctl.agent('allen@somedomain.com', {
      status: 'available',
      outbound_numbers: [NUM.agentFirst, NUM.agentSecond],
    });
    const answer = await send(seed.allenPlain);
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({
      message: 'Need to choose an outbound number',
      outbound_numbers: [NUM.agentFirst, NUM.agentSecond],
    });
  });

  it('"Prompt the call adapter by multiple outbound numbers" (admin@, no outbound_number) → 202 when admin has two numbers, then re-sent with one → 201', async () => {
    const body = without(seed.adminCreate, 'outbound_number');
    await ctl.agent('admin@somedomain.com', {
      outbound_numbers: [NUM.agentSecond, NUM.agentFirst],
    });
    const answer = await send(body);
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({
      message: 'Need to choose an outbound number',
      outbound_numbers: [NUM.agentSecond, NUM.agentFirst],
    });
    const call = await createCall(server, { ...body, outbound_number: NUM.agentFirst });
    expect(call.outbound_number).toBe(NUM.agentFirst);
    expect(call.status).toBe('assigned');
  });

  it('"Prompt the call adapter by multiple outbound numbers" with the fixture (admin@ has no numbers) → 201 on the tenant default', async () => {
    const call = await createCall(server, without(seed.adminCreate, 'outbound_number'));
    expect(call.outbound_number).toBe(NUM.tenantDefault);
  });

  it('"Accepted : Agent must make an outbound call with ticket ID" (the seed sends no ticket) → 202 for ticket 80021, then re-sent with one of its numbers → 201', async () => {
    await ctl.agent('allen@somedomain.com', { status: 'available' });
    const body = { ...seed.allenPlain, ticket_id: '80021' };
    const answer = await send(body);
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({
      message: 'Agent must make an outbound call with ticket ID',
      ticket_id: '80021',
      phone_numbers: [NUM.ticket80021a, NUM.ticket80021b],
    });
    const call = await createCall(server, { ...body, end_user_number: NUM.ticket80021b });
    expect(call).toMatchObject({
      out_ticket_id: '80021',
      end_user: { id: 81, identifier: 'cust-81', out_contact_id: '390000000081' },
      end_user_number: '+12055550199',
      outbound_number: NUM.tenantDefault,
    });
    expectWaitingParticipants(call, 3, 81);
    // Without a ticket, allen's plain body is still a step-5-free 201 now.
    expect((await send(seed.allenPlain)).status).toBe(201);
  });

  it('"Invalid call type" (the seed sends a valid type) → holds for a type that is none of the three', async () => {
    for (const callType of ['InvalidCallType', 'voice outbound (api)', 'Outbound', '', 7, null]) {
      expectError(
        await send({ ...seed.allenBadNumber, call_type: callType }),
        400,
        'Invalid call type',
      );
    }
    expectError(await send(without(seed.allenBadNumber, 'call_type')), 400, 'Invalid call type');
  });

  it('"Invalid call type" (call_type "ScheduledCall") → a deprecated alias of the scheduled type, so its first check answers', async () => {
    expectError(
      await send({ ...seed.allenBadNumber, call_type: 'ScheduledCall' }),
      400,
      'menu_id is required',
    );
  });
});

describe('CALL-API.md outbound rules', () => {
  it('"OutboundCall" is accepted and the call carries the canonical call_type', async () => {
    const call = await createCall(server, { ...seed.adminCreate, call_type: 'OutboundCall' });
    expect(call.call_type).toBe('Voice Outbound (API)');
  });

  describe('order of checks: the first failure answers', () => {
    const cases: Array<[string, Json, string]> = [
      ['1 before 2', { call_type: 'Voice Outbound (API)' }, 'Agent email required'],
      [
        '2 before 3',
        { call_type: 'Voice Outbound (API)', agent_email: 'nobody@somedomain.com' },
        'ticket_id or end_user_number required',
      ],
      [
        '3 before 7',
        { ...seed.adminPlain, agent_email: 'nobody@somedomain.com', end_user_number: '123123' },
        'Not a valid agent email',
      ],
      [
        '4 before 5',
        { ...seed.adminPlain, agent_email: 'trainee@somedomain.com', end_user_number: '123' },
        'Agent does not have access to make calls',
      ],
      [
        '5 before 6',
        { ...seed.allenTicketOne, lang: 'xy' },
        'Agent is not available to take this call',
      ],
      ['6 before 8', { ...seed.adminPlain, ticket_id: '1', lang: 'xy' }, 'Contact not found'],
      [
        '7 before 8',
        { ...seed.adminPlain, end_user_number: '+1 999-657-12', lang: 'xy' },
        'end_user_number is not well-formed',
      ],
      [
        '8 before 9',
        { ...seed.adminPlain, lang: 'fr', outbound_number: 'not a number' },
        "Language 'fr' is not available",
      ],
      [
        '9 before 10 (not well-formed)',
        { ...seed.adminPlain, agent_email: 'agent@somedomain.com', outbound_number: '+1 555' },
        'outbound_number is not well-formed',
      ],
      [
        '9 before 10 (not available)',
        {
          ...seed.adminPlain,
          agent_email: 'agent@somedomain.com',
          outbound_number: '+1 202-555-0143',
        },
        'outbound_number is not available',
      ],
    ];
    for (const [name, body, message] of cases) {
      it(`${name}: ${message}`, async () => {
        expectError(await send(body), 400, message);
      });
    }

    it('10 before 11: a ticket with several numbers and an agent with several numbers asks for the outbound number first', async () => {
      const body = {
        ...seed.adminPlain,
        agent_email: 'agent@somedomain.com',
        ticket_id: '80021',
      };
      const first = await send(body);
      expect(first.status).toBe(202);
      expect((first.body as Json).message).toBe('Need to choose an outbound number');
      const second = await send({ ...body, outbound_number: NUM.agentSecond });
      expect(second.status).toBe(202);
      expect((second.body as Json).message).toBe('Agent must make an outbound call with ticket ID');
      const call = await createCall(server, {
        ...body,
        outbound_number: NUM.agentSecond,
        end_user_number: '+1 (205) 555-0101',
      });
      expect(call).toMatchObject({
        outbound_number: NUM.agentSecond,
        end_user_number: '+12055550101',
        out_ticket_id: '80021',
      });
    });
  });

  describe('ticket_id', () => {
    it("takes precedence over end_user_number: the ticket's number is dialled", async () => {
      const call = await createCall(server, {
        ...seed.adminPlain,
        ticket_id: '71450',
        end_user_number: NUM.seedOther,
      });
      expect(call).toMatchObject({
        out_ticket_id: '71450',
        end_user: { id: 67 },
        end_user_number: '+18596579625',
      });
    });

    it('takes precedence over a malformed end_user_number (step 7 does not run)', async () => {
      const call = await createCall(server, {
        ...seed.adminPlain,
        ticket_id: '71450',
        end_user_number: '123123',
      });
      expect(call.out_ticket_id).toBe('71450');
    });

    it('is accepted as an integer', async () => {
      const call = await createCall(server, { ...seed.adminPlain, ticket_id: 71450 });
      expect(call.out_ticket_id).toBe('71450');
    });

    it('sent as an integer, the 202 still names it as a string', async () => {
      const answer = await send({ ...seed.adminPlain, ticket_id: 80021 });
      expect(answer.status).toBe(202);
      expect(answer.body).toEqual({
        message: 'Agent must make an outbound call with ticket ID',
        ticket_id: '80021',
        phone_numbers: [NUM.ticket80021a, NUM.ticket80021b],
      });
    });

    it('naming a contact without a phone number → Contact not found', async () => {
      expectError(await send({ ...seed.adminPlain, ticket_id: '90000' }), 400, 'Contact not found');
    });

    it('of the wrong JSON type is not well formed', async () => {
      for (const ticketId of [true, { id: 71450 }, ['71450'], 1.5]) {
        expectError(
          await send({ ...seed.adminPlain, ticket_id: ticketId }),
          400,
          'ticket_id is not well formed',
        );
      }
    });

    it('a ticket with several numbers and end_user_number one of them → 201 without a 202', async () => {
      const call = await createCall(server, {
        ...seed.adminPlain,
        ticket_id: '80021',
        end_user_number: NUM.ticket80021a,
      });
      expect(call.end_user_number).toBe('+12055550101');
    });
  });

  describe('end_user_number', () => {
    it("accepts the seed's well-formed numbers and stores E.164", async () => {
      const a = await createCall(server, { ...seed.adminPlain, end_user_number: NUM.seedOther });
      expect(a.end_user_number).toBe('+12051234567');
      const b = await createCall(server, { ...seed.adminPlain, end_user_number: NUM.korean });
      expect(b.end_user_number).toBe('+821068612345');
    });

    it('of the wrong JSON type, or without its country code, is not well-formed', async () => {
      for (const number of [12051234567, '2051234567', '123123', '+1 999-657-12', ['+1']]) {
        expectError(
          await send({ ...seed.adminPlain, end_user_number: number }),
          400,
          'end_user_number is not well-formed',
        );
      }
    });
  });

  describe('lang', () => {
    it('defaults to en', async () => {
      const call = await createCall(server, without(seed.adminCreate, 'lang'));
      expect(call.lang).toBe('en');
    });

    it('an enabled language is carried on the call', async () => {
      const call = await createCall(server, { ...seed.adminCreate, lang: 'ko' });
      expect(call.lang).toBe('ko');
    });

    it("'xy' is not found, 'fr' is not available until the tenant enables it", async () => {
      expectError(
        await send({ ...seed.adminCreate, lang: 'xy' }),
        400,
        "Language 'xy' is not found",
      );
      expectError(
        await send({ ...seed.adminCreate, lang: 'fr' }),
        400,
        "Language 'fr' is not available",
      );
      await ctl.settings({ languages: ['en', 'fr'] });
      const call = await createCall(server, { ...seed.adminCreate, lang: 'fr' });
      expect(call.lang).toBe('fr');
      // Disabling a language the fixture had enabled makes it unavailable.
      expectError(
        await send({ ...seed.adminCreate, lang: 'ko' }),
        400,
        "Language 'ko' is not available",
      );
    });

    it('of the wrong JSON type is not well formed', async () => {
      expectError(await send({ ...seed.adminCreate, lang: 1 }), 400, 'lang is not well formed');
    });
  });

  describe('outbound_number on the created call', () => {
    it("the one given (a tenant number that is not the agent's own is allowed)", async () => {
      const call = await createCall(server, {
        ...seed.adminCreate,
        outbound_number: NUM.agentFirst,
      });
      expect(call.outbound_number).toBe(NUM.agentFirst);
    });

    it("else the agent's single assigned number", async () => {
      await ctl.agent('admin@somedomain.com', { outbound_numbers: [NUM.agentSecond] });
      const call = await createCall(server, without(seed.adminCreate, 'outbound_number'));
      expect(call.outbound_number).toBe(NUM.agentSecond);
    });

    it('else the tenant default, as the settings say at the time', async () => {
      await ctl.settings({ default_outbound_number: NUM.agentFirst });
      const call = await createCall(server, without(seed.adminCreate, 'outbound_number'));
      expect(call.outbound_number).toBe(NUM.agentFirst);
    });

    it('a number the tenant gave up is no longer available, and one it took on is', async () => {
      // The first create reads the tenant's numbers as they are; each change must be seen.
      const before = await createCall(server, {
        ...seed.adminCreate,
        outbound_number: NUM.agentFirst,
      });
      expect(before.outbound_number).toBe(NUM.agentFirst);
      await ctl.settings({ outbound_numbers: [NUM.tenantDefault] });
      expectError(
        await send({ ...seed.adminCreate, outbound_number: NUM.agentFirst }),
        400,
        'outbound_number is not available',
      );
      await ctl.settings({ outbound_numbers: [NUM.tenantDefault, NUM.agentFirst] });
      const after = await createCall(server, {
        ...seed.adminCreate,
        outbound_number: NUM.agentFirst,
      });
      expect(after.outbound_number).toBe(NUM.agentFirst);
    });
  });
});
