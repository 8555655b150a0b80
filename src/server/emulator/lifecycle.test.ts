import { beforeEach, describe, expect, it } from 'vitest';
import type { Call } from '../../contract/calls.ts';
import { EVENT_TYPES, type CallEventRequest } from '../../contract/emulator.ts';
import {
  emptyInternal,
  menuPath,
  menuSnapshot,
  newCall,
  newParticipant,
  recordEvent,
  type CallInternal,
} from '../domain/call-object.ts';
import type { TenantDirectory, TenantFixture, TenantMenu } from '../domain/tenant.ts';
import fixture from '../fixtures/fixture-tenant.json' with { type: 'json' };
import {
  autoplayDelaySeconds,
  nextAutoplayEvent,
  nextAutoplayStep,
  queueScheduledCall,
  runAutoplay,
} from './autoplay.ts';
import {
  allowedEvents,
  applyEvent,
  type EventOutcome,
  type LifecycleContext,
} from './lifecycle.ts';

// ---------------------------------------------------------------------------------------
// Fixtures: the fixture tenant, a clock counted in seconds from T0, and a harness that
// sends events the way the control route does and keeps the call it gets back.
// ---------------------------------------------------------------------------------------

const T0 = Date.parse('2026-03-02T10:00:00.000Z');
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();

function fixtureDirectory(): TenantDirectory {
  const f = structuredClone(fixture) as unknown as TenantFixture;
  return {
    agents: f.agents,
    menus: f.menus,
    tickets: f.tickets,
    settings: {
      languages: f.languages,
      outbound_numbers: f.outbound_numbers,
      default_outbound_number: f.default_outbound_number,
    },
  };
}

function menu(directory: TenantDirectory, id: number): TenantMenu {
  const found = directory.menus.find((m) => m.id === id);
  if (!found) throw new Error(`fixture has no menu ${id}`);
  return found;
}

const END_USER_PARTICIPANT = 900;

/** An inbound call to "Lock Star / Lost Keys" (menu 10) from end user 75, queued at T0. */
function inboundCall(directory: TenantDirectory): Call {
  const call = newCall(501, 'Voice Inbound (API)', at(0));
  const lostKeys = menu(directory, 10);
  call.queued_at = at(0);
  call.selected_menu = menuSnapshot(lostKeys);
  call.menu_path = menuPath(lostKeys, directory);
  call.end_user = { id: 75, identifier: null, out_contact_id: '389391400633' };
  call.end_user_number = '+821068612345';
  call.participants = [
    newParticipant(END_USER_PARTICIPANT, call.id, 'end_user', { endUserId: 75 }),
  ];
  call.offer_type = 'cascade';
  call.offer_events = [{ casting_time: at(0), group: 'Group 1' }];
  recordEvent(call, 'created', at(0), 'Inbound via Lost Keys');
  return call;
}

/** An outbound call by admin@ (agent 1), assigned at T0 as POST /calls creates it. */
function outboundCall(): Call {
  const call = newCall(601, 'Voice Outbound (API)', at(0));
  call.status = 'assigned';
  call.assigned_at = at(0);
  call.agent_info = {
    id: 1,
    name: 'Admin UJET',
    last_name: 'UJET',
    first_name: 'Admin',
    agent_number: null,
    avatar_url: 'https://somedomain.com/avatar.jpg',
  };
  call.agent_email = 'admin@somedomain.com';
  call.participants = [
    newParticipant(610, call.id, 'agent', { userId: 1 }),
    newParticipant(611, call.id, 'end_user', {}),
  ];
  recordEvent(call, 'created', at(0), 'Outbound');
  return call;
}

class Harness {
  call: Call;
  internal: CallInternal = emptyInternal();
  directory: TenantDirectory;
  participantIds = 1000;
  transferIds = 70;

  constructor(build: (directory: TenantDirectory) => Call, directory = fixtureDirectory()) {
    this.directory = directory;
    this.call = build(directory);
  }

  ctx(seconds: number): LifecycleContext {
    return {
      now: at(seconds),
      directory: this.directory,
      nextParticipantId: () => ++this.participantIds,
      nextTransferId: () => ++this.transferIds,
    };
  }

  apply(event: unknown, seconds: number): EventOutcome {
    return applyEvent(this.call, this.internal, event, this.ctx(seconds));
  }

  /** Sends an event that must be accepted, and keeps the call after it. */
  send(event: unknown, seconds: number): Extract<EventOutcome, { ok: true }> {
    const outcome = this.apply(event, seconds);
    if (!outcome.ok)
      throw new Error(`${JSON.stringify(event)} refused: ${outcome.status} ${outcome.message}`);
    this.call = outcome.call;
    this.internal = outcome.internal;
    return outcome;
  }

  participant(id: number) {
    const p = this.call.participants.find((q) => q.id === id);
    if (!p) throw new Error(`no participant ${id}`);
    return p;
  }

  agentParticipants() {
    return this.call.participants.filter((p) => p.type === 'agent');
  }
}

/** An inbound call taken to `connected` at T0+20 s by admin@ (participant 1001). */
function connectedInbound(): Harness {
  const h = new Harness(inboundCall);
  h.send({ type: 'assign' }, 12);
  h.send({ type: 'ring' }, 15);
  h.send({ type: 'connect' }, 20);
  return h;
}

const refusal = (status: 400 | 409, message: string) => ({ ok: false, status, message });

// ---------------------------------------------------------------------------------------

describe('an inbound call from queue to finish', () => {
  let h: Harness;
  beforeEach(() => {
    h = new Harness(inboundCall);
  });

  it('assign: queued → assigned with the first available agent, waiting 12 s', () => {
    h.send({ type: 'assign' }, 12);
    expect(h.call.status).toBe('assigned');
    expect(h.call.assigned_at).toBe(at(12));
    expect(h.call.updated_at).toBe(at(12));
    expect(h.call.wait_duration).toBe(12);
    expect(h.call.agent_info).toEqual({
      id: 1,
      name: 'Admin UJET',
      last_name: 'UJET',
      first_name: 'Admin',
      agent_number: null,
      avatar_url: 'https://somedomain.com/avatar.jpg',
    });
    expect(h.call.agent_email).toBe('admin@somedomain.com');
    expect(h.agentParticipants()).toEqual([
      {
        id: 1001,
        type: 'agent',
        status: 'waiting',
        call_id: 501,
        user_id: 1,
        end_user_id: null,
        call_duration: null,
        hold_duration: null,
        connected_at: null,
        ended_at: null,
        fail_reason: 'nothing',
      },
    ]);
    expect(h.call.events.at(-1)).toEqual({
      type: 'assign',
      at: at(12),
      status: 'assigned',
      detail: 'Admin UJET',
    });
  });

  it('assign: a named agent (any letter case), even one who is unavailable', () => {
    h.send({ type: 'assign', agent_email: ' Allen@SomeDomain.com ' }, 5);
    expect(h.call.agent_info?.id).toBe(3);
    expect(h.call.agent_email).toBe('allen@somedomain.com');
    expect(h.call.events.at(-1)?.detail).toBe('Allen Park');
  });

  it('assign: skips agents who are not available when choosing by itself', () => {
    const first = h.directory.agents[0];
    if (first) first.status = 'unavailable';
    h.send({ type: 'assign' }, 5);
    expect(h.call.agent_info?.name).toBe('Avery Agent');
  });

  it('assign: refuses an agent the tenant does not have, and a malformed email', () => {
    expect(h.apply({ type: 'assign', agent_email: 'nobody@somedomain.com' }, 5)).toEqual(
      refusal(400, 'agent_email is not a valid agent'),
    );
    expect(h.apply({ type: 'assign', agent_email: 42 }, 5)).toEqual(
      refusal(400, 'agent_email is not well formed'),
    );
    expect(h.apply({ type: 'assign', agent_email: '' }, 5)).toEqual(
      refusal(400, 'agent_email is not well formed'),
    );
  });

  it('assign: refuses when the tenant has no agent at all', () => {
    h.directory.agents = [];
    expect(h.apply({ type: 'assign' }, 5)).toEqual(
      refusal(400, 'agent_email is required: the tenant has no agents'),
    );
  });

  it('ring, connect, hold 15 s, resume, finish: durations from the timestamps', () => {
    h.send({ type: 'assign' }, 12);
    h.send({ type: 'ring' }, 15);
    expect(h.call.status).toBe('connecting');
    h.send({ type: 'connect' }, 20);
    expect(h.call.status).toBe('connected');
    expect(h.call.connected_at).toBe(at(20));
    expect(h.call.participants.map((p) => [p.id, p.status, p.connected_at])).toEqual([
      [END_USER_PARTICIPANT, 'connected', at(20)],
      [1001, 'connected', at(20)],
    ]);

    h.send({ type: 'hold' }, 30);
    expect(h.call.status).toBe('connected');
    expect(h.internal.hold_started_at).toBe(at(30));
    h.send({ type: 'resume' }, 45);
    expect(h.call.hold_duration).toBe(15);
    expect(h.participant(END_USER_PARTICIPANT).hold_duration).toBe(15);
    expect(h.participant(1001).hold_duration).toBeNull();
    expect(h.internal).toEqual(emptyInternal());
    expect(h.call.events.at(-1)?.detail).toBe('on hold 15 s');

    h.send({ type: 'finish' }, 80);
    expect(h.call.status).toBe('finished');
    expect(h.call.ends_at).toBe(at(80));
    expect(h.call.updated_at).toBe(at(80));
    expect(h.call.call_duration).toBe(60);
    expect(h.call.hold_duration).toBe(15);
    expect(h.call.wait_duration).toBe(12);
    expect(h.call.disconnected_by).toBe('disconnected_by_unknown');
    expect(h.participant(END_USER_PARTICIPANT)).toMatchObject({
      status: 'finished',
      ended_at: at(80),
      call_duration: 60,
      hold_duration: 15,
    });
    expect(h.participant(1001)).toMatchObject({
      status: 'finished',
      ended_at: at(80),
      call_duration: 60,
      hold_duration: 0,
    });
    expect(h.call.events.map((e) => [e.type, e.status, e.at])).toEqual([
      ['created', 'queued', at(0)],
      ['assign', 'assigned', at(12)],
      ['ring', 'connecting', at(15)],
      ['connect', 'connected', at(20)],
      ['hold', 'connected', at(30)],
      ['resume', 'connected', at(45)],
      ['finish', 'finished', at(80)],
    ]);
  });

  it('adds every hold to the total', () => {
    h.send({ type: 'assign' }, 1);
    h.send({ type: 'connect' }, 2);
    h.send({ type: 'hold' }, 10);
    h.send({ type: 'resume' }, 17);
    h.send({ type: 'hold' }, 20);
    h.send({ type: 'resume' }, 29.5);
    expect(h.call.hold_duration).toBe(7 + 9);
    expect(h.participant(END_USER_PARTICIPANT).hold_duration).toBe(16);
  });

  it('finish on hold closes the hold first; disconnected_by is kept', () => {
    h.send({ type: 'assign' }, 1);
    h.send({ type: 'connect' }, 10);
    h.send({ type: 'hold' }, 30);
    h.send({ type: 'finish', disconnected_by: 'disconnected_by_agent' }, 50);
    expect(h.call.hold_duration).toBe(20);
    expect(h.participant(END_USER_PARTICIPANT).hold_duration).toBe(20);
    expect(h.call.call_duration).toBe(40);
    expect(h.call.disconnected_by).toBe('disconnected_by_agent');
    expect(h.internal.hold_started_at).toBeNull();
    expect(h.apply({ type: 'finish', disconnected_by: 'the_cat' }, 51)).toEqual(
      refusal(400, 'disconnected_by is not well formed'),
    );
  });

  it('never changes the call or internal state it was given', () => {
    h.send({ type: 'assign' }, 12);
    h.send({ type: 'connect' }, 20);
    h.send({ type: 'hold' }, 30);
    const call = h.call;
    const internal = h.internal;
    const before = structuredClone({ call, internal });
    const outcome = applyEvent(call, internal, { type: 'finish' }, h.ctx(80));
    expect(outcome.ok).toBe(true);
    expect({ call, internal }).toEqual(before);
    if (outcome.ok) expect(outcome.call).not.toBe(call);
  });
});

describe('an outbound call', () => {
  it('connects straight from assigned, with both participants', () => {
    const h = new Harness(outboundCall);
    h.send({ type: 'connect' }, 9);
    expect(h.call.status).toBe('connected');
    expect(h.call.connected_at).toBe(at(9));
    expect(h.call.wait_duration).toBe(0);
    expect(h.call.participants.map((p) => p.status)).toEqual(['connected', 'connected']);
  });

  it('switches provider while connecting, then connects', () => {
    const h = new Harness(outboundCall);
    h.send({ type: 'ring' }, 2);
    h.send({ type: 'switch' }, 6);
    expect(h.call.status).toBe('switching');
    expect(h.call.connected_at).toBeNull();
    h.send({ type: 'connect' }, 11);
    expect(h.call.status).toBe('connected');
    expect(h.call.connected_at).toBe(at(11));
    h.send({ type: 'finish', disconnected_by: 'disconnected_by_end_user' }, 41);
    expect(h.call.call_duration).toBe(30);
  });
});

describe('transfers', () => {
  it('to an agent: transferring, then accepted: the new agent joins, the old one leaves', () => {
    const h = connectedInbound();
    h.send({ type: 'transfer', to_agent_email: 'agent@somedomain.com' }, 30);
    expect(h.call.status).toBe('connected');
    expect(h.call.transfers).toEqual([
      {
        id: 71,
        status: 'transferring',
        fail_reason: 'nothing',
        created_at: at(30),
        from_menu: { items_count: 2, name: 'Lost Keys', materialized_path: '9/10' },
        to_menu: null,
        from_agent: expect.objectContaining({ id: 1, name: 'Admin UJET' }),
        to_agent: {
          id: 2,
          name: 'Avery Agent',
          last_name: 'Agent',
          first_name: 'Avery',
          agent_number: '1002',
          avatar_url: null,
        },
        ended_at: null,
      },
    ]);
    expect(h.call.events.at(-1)).toMatchObject({ type: 'transfer', detail: 'to Avery Agent' });

    h.send({ type: 'transfer_accept' }, 40);
    expect(h.call.transfers[0]).toMatchObject({
      status: 'transferred',
      ended_at: at(40),
      fail_reason: 'nothing',
    });
    expect(h.call.agent_info?.id).toBe(2);
    expect(h.call.agent_email).toBe('agent@somedomain.com');
    expect(h.participant(1001)).toMatchObject({
      status: 'finished',
      ended_at: at(40),
      call_duration: 20,
    });
    expect(h.participant(1002)).toMatchObject({
      type: 'agent',
      user_id: 2,
      status: 'connected',
      connected_at: at(40),
      ended_at: null,
    });
    expect(h.participant(END_USER_PARTICIPANT).status).toBe('connected');

    h.send({ type: 'finish' }, 70);
    expect(h.participant(1002)).toMatchObject({ status: 'finished', call_duration: 30 });
    expect(h.participant(1001).ended_at).toBe(at(40));
    expect(h.participant(END_USER_PARTICIPANT).call_duration).toBe(50);
    expect(h.call.call_duration).toBe(50);
  });

  it('to a menu: accepted, the call takes the new menu and another agent answers', () => {
    const h = connectedInbound();
    h.send({ type: 'transfer', to_menu_id: '7' }, 30);
    expect(h.call.transfers[0]).toMatchObject({
      to_menu: { items_count: 1, name: 'Main Line', materialized_path: '7' },
      to_agent: null,
      from_agent: expect.objectContaining({ id: 1 }),
      from_menu: { items_count: 2, name: 'Lost Keys', materialized_path: '9/10' },
    });
    h.send({ type: 'transfer_accept' }, 36);
    expect(h.call.transfers[0]?.status).toBe('transferred');
    expect(h.call.selected_menu).toMatchObject({ id: 7, name: 'Main Line', menu_type: 'ivr_menu' });
    expect(h.call.menu_path).toEqual({ items_count: 1, name: 'Main Line', materialized_path: '7' });
    expect(h.call.agent_info?.id).toBe(2);
    expect(h.participant(1001).status).toBe('finished');
    expect(h.participant(1002)).toMatchObject({ user_id: 2, status: 'connected' });
    expect(h.call.events.at(-1)?.detail).toBe('Main Line, answered by Avery Agent');
  });

  it('failed: the transfer fails (transfer_expired unless told), the call stays connected', () => {
    const h = connectedInbound();
    h.send({ type: 'transfer', to_agent_email: 'agent@somedomain.com' }, 30);
    h.send({ type: 'transfer_fail' }, 50);
    expect(h.call.transfers[0]).toMatchObject({
      status: 'failed',
      fail_reason: 'transfer_expired',
      ended_at: at(50),
    });
    expect(h.call.status).toBe('connected');
    expect(h.call.agent_info?.id).toBe(1);
    expect(h.agentParticipants().map((p) => [p.id, p.status])).toEqual([[1001, 'connected']]);

    h.send({ type: 'transfer', to_agent_email: 'allen@somedomain.com' }, 55);
    h.send({ type: 'transfer_fail', fail_reason: 'ag_ignored' }, 58);
    expect(h.call.transfers.map((t) => [t.id, t.status, t.fail_reason])).toEqual([
      [71, 'failed', 'transfer_expired'],
      [72, 'failed', 'ag_ignored'],
    ]);
  });

  it('one at a time, and accept or fail only while one is in progress', () => {
    const h = connectedInbound();
    expect(h.apply({ type: 'transfer_accept' }, 25)).toEqual(
      refusal(409, 'Cannot transfer_accept a call that is not being transferred'),
    );
    expect(h.apply({ type: 'transfer_fail' }, 25)).toEqual(
      refusal(409, 'Cannot transfer_fail a call that is not being transferred'),
    );
    h.send({ type: 'transfer', to_menu_id: 7 }, 30);
    expect(h.apply({ type: 'transfer', to_agent_email: 'agent@somedomain.com' }, 31)).toEqual(
      refusal(409, 'Cannot transfer a call that is being transferred'),
    );
  });

  it('refuses targets it cannot name, without using up an id', () => {
    const h = connectedInbound();
    expect(h.apply({ type: 'transfer' }, 30)).toEqual(
      refusal(400, 'to_agent_email or to_menu_id required'),
    );
    expect(h.apply({ type: 'transfer', to_agent_email: 'who@somedomain.com' }, 30)).toEqual(
      refusal(400, 'to_agent_email is not a valid agent'),
    );
    expect(h.apply({ type: 'transfer', to_agent_email: 'admin@somedomain.com' }, 30)).toEqual(
      refusal(400, 'to_agent_email is the agent already on the call'),
    );
    expect(h.apply({ type: 'transfer', to_menu_id: 9999 }, 30)).toEqual(
      refusal(400, 'to_menu_id 9999 is not found'),
    );
    expect(h.apply({ type: 'transfer', to_menu_id: '60' }, 30)).toEqual(
      refusal(400, 'to_menu_id 60 is not found'),
    );
    expect(h.apply({ type: 'transfer', to_menu_id: 'menu_7' }, 30)).toEqual(
      refusal(400, 'to_menu_id is not well formed'),
    );
    expect(
      h.apply({ type: 'transfer', to_agent_email: 'agent@somedomain.com', to_menu_id: 7 }, 30),
    ).toEqual(refusal(400, 'to_agent_email and to_menu_id cannot both be given'));
    expect(h.apply({ type: 'transfer_fail', fail_reason: 5 }, 30)).toEqual(
      refusal(400, 'fail_reason is not well formed'),
    );
    expect(h.transferIds).toBe(70);
    h.send({ type: 'transfer', to_menu_id: 7 }, 30);
    expect(h.call.transfers[0]?.id).toBe(71);
  });

  it('a transfer still open when the call ends fails with it', () => {
    const h = connectedInbound();
    h.send({ type: 'transfer', to_agent_email: 'agent@somedomain.com' }, 30);
    h.send({ type: 'finish', disconnected_by: 'disconnected_by_end_user' }, 40);
    expect(h.call.transfers[0]).toMatchObject({
      status: 'failed',
      fail_reason: 'eu_canceled',
      ended_at: at(40),
    });
  });
});

describe('refused events', () => {
  it('answers 400 Unknown event type for anything that is not a known event', () => {
    const h = new Harness(inboundCall);
    for (const body of [
      { type: 'dance' },
      { type: 'ASSIGN' },
      {},
      { type: 3 },
      null,
      [],
      'assign',
      7,
    ]) {
      expect(h.apply(body, 1)).toEqual(refusal(400, 'Unknown event type'));
    }
  });

  it('answers 409 with the exact text for an event the status does not allow', () => {
    const h = new Harness(inboundCall);
    expect(h.apply({ type: 'ring' }, 1)).toEqual(refusal(409, 'Cannot ring a call that is queued'));
    expect(h.apply({ type: 'finish' }, 1)).toEqual(
      refusal(409, 'Cannot finish a call that is queued'),
    );
    expect(h.apply({ type: 'hold' }, 1)).toEqual(refusal(409, 'Cannot hold a call that is queued'));
    expect(h.apply({ type: 'recover' }, 1)).toEqual(
      refusal(409, 'Cannot recover a call that is queued'),
    );
    h.send({ type: 'assign' }, 2);
    expect(h.apply({ type: 'assign' }, 3)).toEqual(
      refusal(409, 'Cannot assign a call that is assigned'),
    );
    expect(h.apply({ type: 'switch' }, 3)).toEqual(
      refusal(409, 'Cannot switch a call that is assigned'),
    );
    h.send({ type: 'connect' }, 4);
    h.send({ type: 'finish' }, 5);
    for (const type of EVENT_TYPES) {
      expect(h.apply({ type }, 6)).toEqual(refusal(409, `Cannot ${type} a call that is finished`));
    }
  });

  it('a cancelled call accepts nothing', () => {
    const h = new Harness((d) => ({ ...inboundCall(d), status: 'cancelled' }));
    expect(h.apply({ type: 'fail' }, 1)).toEqual(
      refusal(409, 'Cannot fail a call that is cancelled'),
    );
    expect(allowedEvents(h.call, h.internal)).toEqual([]);
  });

  it('hold and resume follow the hold, not just the status', () => {
    const h = connectedInbound();
    expect(h.apply({ type: 'resume' }, 25)).toEqual(
      refusal(409, 'Cannot resume a call that is not on hold'),
    );
    h.send({ type: 'hold' }, 30);
    expect(h.apply({ type: 'hold' }, 31)).toEqual(
      refusal(409, 'Cannot hold a call that is on hold'),
    );
  });

  it('a malformed parameter answers 400 before the status is considered; a tenant lookup after', () => {
    const h = connectedInbound();
    expect(h.apply({ type: 'assign', agent_email: 5 }, 30)).toEqual(
      refusal(400, 'agent_email is not well formed'),
    );
    expect(h.apply({ type: 'assign', agent_email: 'nobody@somedomain.com' }, 30)).toEqual(
      refusal(409, 'Cannot assign a call that is connected'),
    );
  });
});

describe('fail', () => {
  it('a queued call: failed with the default reason, its wait counted', () => {
    const h = new Harness(inboundCall);
    h.send({ type: 'fail' }, 30);
    expect(h.call.status).toBe('failed');
    expect(h.call.fail_reason).toBe('unknown');
    expect(h.call.fail_details).toBeNull();
    expect(h.call.ends_at).toBe(at(30));
    expect(h.call.wait_duration).toBe(30);
    expect(h.call.call_duration).toBe(0);
    expect(h.participant(END_USER_PARTICIPANT)).toMatchObject({
      status: 'failed',
      fail_reason: 'unknown',
      ended_at: at(30),
    });
    expect(h.call.events.at(-1)).toMatchObject({
      type: 'fail',
      status: 'failed',
      detail: 'unknown',
    });
  });

  it('a connected call on hold, mid-transfer: everything closes with the reason', () => {
    const h = connectedInbound();
    h.send({ type: 'hold' }, 30);
    h.send({ type: 'transfer', to_agent_email: 'agent@somedomain.com' }, 35);
    h.send({ type: 'fail', fail_reason: 'voip_conn_timeout', fail_details: 'carrier dropped' }, 50);
    expect(h.call).toMatchObject({
      status: 'failed',
      fail_reason: 'voip_conn_timeout',
      fail_details: 'carrier dropped',
      call_duration: 30,
      hold_duration: 20,
      wait_duration: 12,
    });
    expect(h.call.transfers[0]).toMatchObject({
      status: 'failed',
      fail_reason: 'voip_conn_timeout',
    });
    expect(h.call.participants.map((p) => [p.status, p.fail_reason, p.call_duration])).toEqual([
      ['failed', 'voip_conn_timeout', 30],
      ['failed', 'voip_conn_timeout', 30],
    ]);
    expect(h.call.events.at(-1)?.detail).toBe('voip_conn_timeout: carrier dropped');
  });

  it('keeps a fail reason it does not know (clients must show unknown values)', () => {
    const h = new Harness(outboundCall);
    h.send({ type: 'fail', fail_reason: 'eu_on_the_moon' }, 3);
    expect(h.call.fail_reason).toBe('eu_on_the_moon');
    expect(h.apply({ type: 'fail', fail_reason: '' }, 4)).toEqual(
      refusal(400, 'fail_reason is not well formed'),
    );
  });
});

describe('the deflection path', () => {
  it('queued → deflected → voicemail → voicemail_received → voicemail_read', () => {
    const h = new Harness(inboundCall);
    h.send({ type: 'deflect' }, 10);
    expect(h.call.status).toBe('deflected');
    expect(h.call.deflection).toBe('voicemail');
    expect(h.call.deflection_details).toEqual([{ deflection: 'voicemail', created_at: at(10) }]);
    expect(h.call.wait_duration).toBe(10);
    h.send({ type: 'voicemail' }, 14);
    expect(h.call.status).toBe('voicemail');
    expect(h.call.voicemail_reason).toBe('voicemail');
    h.send({ type: 'voicemail_received' }, 44);
    expect(h.call.status).toBe('voicemail_received');
    expect(h.call.ends_at).toBe(at(44));
    expect(h.participant(END_USER_PARTICIPANT)).toMatchObject({
      status: 'finished',
      ended_at: at(44),
    });
    h.send({ type: 'voicemail_read' }, 600);
    expect(h.call.status).toBe('voicemail_read');
    expect(h.call.updated_at).toBe(at(600));
    expect(h.call.ends_at).toBe(at(44));
    expect(h.apply({ type: 'fail' }, 601)).toEqual(
      refusal(409, 'Cannot fail a call that is voicemail_read'),
    );
    expect(h.call.events.map((e) => e.status)).toEqual([
      'queued',
      'deflected',
      'voicemail',
      'voicemail_received',
      'voicemail_read',
    ]);
  });

  it('an after-hours deflection is the voicemail reason', () => {
    const h = new Harness(inboundCall);
    h.send({ type: 'deflect', deflection: 'after_hours' }, 3);
    expect(h.call.deflection).toBe('after_hours');
    h.send({ type: 'voicemail' }, 5);
    expect(h.call.voicemail_reason).toBe('after_hours');
  });

  it('refuses a deflection that deflects nothing', () => {
    const h = new Harness(inboundCall);
    expect(h.apply({ type: 'deflect', deflection: 'no_deflection' }, 3)).toEqual(
      refusal(400, 'deflection cannot be no_deflection'),
    );
    expect(h.apply({ type: 'deflect', deflection: ['voicemail'] }, 3)).toEqual(
      refusal(400, 'deflection is not well formed'),
    );
  });
});

describe('recover', () => {
  it('gives a failed call one recovered child; the parent only records it', () => {
    const h = connectedInbound();
    h.send({ type: 'fail', fail_reason: 'voip_conn_timeout' }, 40);
    const parentBefore = structuredClone(h.call);
    const outcome = h.send({ type: 'recover' }, 100);

    expect(h.call).toEqual({
      ...parentBefore,
      updated_at: at(100),
      events: [
        ...parentBefore.events,
        {
          type: 'recover',
          at: at(100),
          status: 'failed',
          detail: 'call back placed as a child call',
        },
      ],
    });

    expect(outcome.child).toBeTypeOf('function');
    const child = outcome.child?.(777);
    expect(child).toMatchObject({
      id: 777,
      parent_id: 501,
      call_type: 'Voice Inbound (API)',
      status: 'recovered',
      created_at: at(100),
      ends_at: at(100),
      updated_at: at(100),
      end_user: { id: 75, identifier: null, out_contact_id: '389391400633' },
      end_user_number: '+821068612345',
      selected_menu: expect.objectContaining({ id: 10 }),
      menu_path: { items_count: 2, name: 'Lost Keys', materialized_path: '9/10' },
      agent_info: expect.objectContaining({ id: 1 }),
      agent_email: 'admin@somedomain.com',
      fail_reason: 'nothing',
      transfers: [],
    });
    expect(child?.participants.map((p) => [p.id, p.type, p.status, p.call_id])).toEqual([
      [1002, 'agent', 'finished', 777],
      [1003, 'end_user', 'finished', 777],
    ]);
    expect(child?.events).toEqual([
      { type: 'recover', at: at(100), status: 'recovered', detail: 'call back of call 501' },
    ]);
    // The child shares nothing with the parent the store also saves.
    if (child) expect(child.end_user).not.toBe(h.call.end_user);

    expect(h.apply({ type: 'recover' }, 120)).toEqual(
      refusal(409, 'Cannot recover a call that is already recovered'),
    );
  });
});

describe('allowedEvents', () => {
  it('offers exactly what applyEvent would accept', () => {
    const h = new Harness(inboundCall);
    expect(allowedEvents(h.call, h.internal)).toEqual(['assign', 'deflect', 'fail']);
    h.send({ type: 'assign' }, 1);
    expect(allowedEvents(h.call, h.internal)).toEqual(['ring', 'connect', 'fail']);
    h.send({ type: 'connect' }, 2);
    expect(allowedEvents(h.call, h.internal)).toEqual(['hold', 'transfer', 'finish', 'fail']);
    h.send({ type: 'hold' }, 3);
    expect(allowedEvents(h.call, h.internal)).toEqual(['resume', 'transfer', 'finish', 'fail']);
    h.send({ type: 'transfer', to_menu_id: 7 }, 4);
    expect(allowedEvents(h.call, h.internal)).toEqual([
      'resume',
      'transfer_accept',
      'transfer_fail',
      'finish',
      'fail',
    ]);
    h.send({ type: 'fail' }, 5);
    expect(allowedEvents(h.call, h.internal)).toEqual(['recover']);
    h.send({ type: 'recover' }, 6);
    expect(allowedEvents(h.call, h.internal)).toEqual([]);
  });

  it('agrees with applyEvent on every event, in every state a call passes through', () => {
    const states: Harness[] = [];
    const h = new Harness(inboundCall);
    const steps: [CallEventRequest, number][] = [
      [{ type: 'assign' }, 1],
      [{ type: 'ring' }, 2],
      [{ type: 'switch' }, 3],
      [{ type: 'connect' }, 4],
      [{ type: 'hold' }, 5],
      [{ type: 'transfer', to_menu_id: 7 }, 6],
      [{ type: 'finish' }, 7],
    ];
    states.push(Object.assign(new Harness(inboundCall), { call: h.call, internal: h.internal }));
    for (const [event, seconds] of steps) {
      h.send(event, seconds);
      states.push(Object.assign(new Harness(inboundCall), { call: h.call, internal: h.internal }));
    }
    for (const state of states) {
      const offered = allowedEvents(state.call, state.internal);
      for (const type of EVENT_TYPES) {
        const outcome = state.apply({ type }, 10);
        // A parameter check may still answer 400; only a 409 means "not now".
        const acceptedNow = outcome.ok || outcome.status !== 409;
        expect([state.call.status, type, acceptedNow]).toEqual([
          state.call.status,
          type,
          offered.includes(type),
        ]);
      }
    }
  });
});

describe('autoplay', () => {
  it('spreads each stage by call id, within its pace, the same every time', () => {
    // Pinned, so a change of pace or hash is a visible decision, not an accident.
    const stages = ['queued', 'assigned', 'connecting', 'connected'] as const;
    expect(stages.map((s) => autoplayDelaySeconds(501, s))).toEqual([4, 3, 3, 35]);
    expect(stages.map((s) => autoplayDelaySeconds(601, s))).toEqual([8, 3, 6, 31]);
    const queued = Array.from({ length: 40 }, (_, i) => autoplayDelaySeconds(i + 1, 'queued'));
    expect(Math.min(...queued)).toBeGreaterThanOrEqual(4);
    expect(Math.max(...queued)).toBeLessThanOrEqual(8);
    expect(new Set(queued).size).toBeGreaterThan(2);
    const talk = Array.from({ length: 40 }, (_, i) => autoplayDelaySeconds(i + 1, 'connected'));
    expect(Math.min(...talk)).toBeGreaterThanOrEqual(25);
    expect(Math.max(...talk)).toBeLessThanOrEqual(45);
  });

  it('moves a queued call on only once its stage has lasted long enough', () => {
    const h = new Harness(inboundCall);
    const wait = autoplayDelaySeconds(501, 'queued');
    expect(nextAutoplayStep(h.call, h.internal)).toEqual({
      event: { type: 'assign' },
      dueAt: at(wait),
    });
    expect(nextAutoplayEvent(h.call, h.internal, at(wait - 0.001))).toBeNull();
    expect(nextAutoplayEvent(h.call, h.internal, at(wait))).toEqual({ type: 'assign' });
  });

  it('plays a whole inbound call after a clock jump, each step at its own time', () => {
    const h = new Harness(inboundCall);
    const d = {
      queued: autoplayDelaySeconds(501, 'queued'),
      assigned: autoplayDelaySeconds(501, 'assigned'),
      connecting: autoplayDelaySeconds(501, 'connecting'),
      connected: autoplayDelaySeconds(501, 'connected'),
    };
    const assignedAt = d.queued;
    const ringAt = assignedAt + d.assigned;
    const connectAt = ringAt + d.connecting;
    const finishAt = connectAt + d.connected;

    const run = runAutoplay(h.call, h.internal, at(600), h.ctx(600));
    expect(run.applied).toEqual([
      { event: { type: 'assign' }, dueAt: at(assignedAt) },
      { event: { type: 'ring' }, dueAt: at(ringAt) },
      { event: { type: 'connect' }, dueAt: at(connectAt) },
      {
        event: { type: 'finish', disconnected_by: 'disconnected_by_end_user' },
        dueAt: at(finishAt),
      },
    ]);
    expect(run.call).toMatchObject({
      status: 'finished',
      assigned_at: at(assignedAt),
      connected_at: at(connectAt),
      ends_at: at(finishAt),
      updated_at: at(600),
      wait_duration: d.queued,
      call_duration: d.connected,
      disconnected_by: 'disconnected_by_end_user',
    });
    expect(nextAutoplayStep(run.call, run.internal)).toBeNull();
    // The call it was given is untouched.
    expect(h.call.status).toBe('queued');
  });

  it('stops where now is: half way through, the call is connected', () => {
    const h = new Harness(outboundCall);
    const ringAt = autoplayDelaySeconds(601, 'assigned');
    const connectAt = ringAt + autoplayDelaySeconds(601, 'connecting');
    const run = runAutoplay(h.call, h.internal, at(connectAt + 1), h.ctx(0));
    expect(run.applied.map((s) => s.event.type)).toEqual(['ring', 'connect']);
    expect(run.call.status).toBe('connected');
    expect(run.call.events.map((e) => [e.type, e.at])).toEqual([
      ['created', at(0)],
      ['ring', at(ringAt)],
      ['connect', at(connectAt)],
    ]);
    expect(run.call.updated_at).toBe(at(connectAt + 1));
  });

  it('talks on from the last thing that happened, waits on a hold, answers a transfer', () => {
    const h = connectedInbound();
    const talk = autoplayDelaySeconds(501, 'connected');
    expect(nextAutoplayStep(h.call, h.internal)?.dueAt).toBe(at(20 + talk));
    h.send({ type: 'hold' }, 22);
    expect(nextAutoplayStep(h.call, h.internal)).toBeNull();
    expect(nextAutoplayEvent(h.call, h.internal, at(10_000))).toBeNull();
    h.send({ type: 'resume' }, 30);
    expect(nextAutoplayStep(h.call, h.internal)?.dueAt).toBe(at(30 + talk));
    h.send({ type: 'transfer', to_agent_email: 'agent@somedomain.com' }, 31);
    expect(nextAutoplayStep(h.call, h.internal)).toEqual({
      event: { type: 'transfer_accept' },
      dueAt: at(31 + autoplayDelaySeconds(501, 'transferring')),
    });
  });

  it('plays a voicemail deflection through; leaves other deflections and ended calls alone', () => {
    const h = new Harness(inboundCall);
    h.send({ type: 'deflect' }, 2);
    const run = runAutoplay(h.call, h.internal, at(600), h.ctx(600));
    expect(run.applied.map((s) => s.event.type)).toEqual(['voicemail', 'voicemail_received']);
    expect(run.call.status).toBe('voicemail_received');

    const other = new Harness(inboundCall);
    other.send({ type: 'deflect', deflection: 'scheduled_call' }, 2);
    expect(nextAutoplayStep(other.call, other.internal)).toBeNull();
  });

  it('does nothing for a tenant with no agents (the assign is refused)', () => {
    const h = new Harness(inboundCall);
    h.directory.agents = [];
    const run = runAutoplay(h.call, h.internal, at(600), h.ctx(600));
    expect(run.applied).toEqual([]);
    expect(run.call).toBe(h.call);
    expect(run.call.updated_at).toBe(at(0));
  });

  it('never touches a scheduled call: queueing it is the store’s job', () => {
    const scheduled: Call = {
      ...inboundCall(fixtureDirectory()),
      status: 'scheduled',
      queued_at: null,
      scheduled_at: at(60),
    };
    expect(nextAutoplayStep(scheduled, emptyInternal())).toBeNull();
  });
});

describe('queueScheduledCall', () => {
  const scheduledCall = (): Call => {
    const call = inboundCall(fixtureDirectory());
    call.call_type = 'Voice Scheduled (API)';
    call.status = 'scheduled';
    call.queued_at = null;
    call.offer_type = null;
    call.offer_events = [];
    call.scheduled_at = at(60);
    return call;
  };

  it('queues it at its scheduled time, and marks it changed now', () => {
    const call = scheduledCall();
    const queued = queueScheduledCall(call, at(90));
    expect(queued).toMatchObject({
      status: 'queued',
      queued_at: at(60),
      offer_type: 'cascade',
      offer_events: [{ casting_time: at(60), group: 'Group 1' }],
      updated_at: at(90),
    });
    expect(queued.events.at(-1)).toEqual({
      type: 'queued',
      at: at(60),
      status: 'queued',
      detail: 'Lost Keys',
    });
    expect(call.status).toBe('scheduled');
    // Autoplay then counts the wait from when it joined the queue.
    expect(nextAutoplayStep(queued, emptyInternal())?.dueAt).toBe(
      at(60 + autoplayDelaySeconds(501, 'queued')),
    );
  });

  it('queues it now when asked before its time, and leaves any other call alone', () => {
    expect(queueScheduledCall(scheduledCall(), at(30)).queued_at).toBe(at(30));
    const queued = inboundCall(fixtureDirectory());
    expect(queueScheduledCall(queued, at(30))).toBe(queued);
  });
});
