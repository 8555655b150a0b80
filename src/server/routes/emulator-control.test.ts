import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  NUM,
  control,
  createCall,
  expectError,
  getCall,
  inboundBody,
  outboundBody,
  postCall,
  type Json,
} from '../test/api-helpers.ts';
import { useTestServer } from '../test/test-server.ts';

// The emulator's control API (/emulator): reset, agents, menus, settings, clock, and
// (lightly, over HTTP) call events; the lifecycle has its own unit tests.

const server = useTestServer();
let ctl: ReturnType<typeof control>;

beforeAll(async () => {
  ctl = control(server);
});
beforeEach(() => ctl.reset());

const patch = (path: string, body: unknown) =>
  server.request('PATCH', `/emulator${path}`, { body });
const agents = async () => (await server.request('GET', '/manager/api/v1/agents')).body as Json[];
const menus = async () => (await server.request('GET', '/manager/api/v1/menus')).body as Json[];
const settings = async () =>
  (await server.request('GET', '/manager/api/v1/settings/call')).body as Json;

describe('POST /emulator/reset', () => {
  it('→ 204; the tenant is the fixture again, with no calls, on real time', async () => {
    const fixtureAgents = await agents();
    const fixtureMenus = await menus();
    const fixtureSettings = await settings();

    await createCall(server, inboundBody());
    await ctl.agent('admin@somedomain.com', { status: 'unavailable' });
    await ctl.menu(9, { state: 'after_hours', deleted: true });
    await ctl.settings({ languages: ['en'], default_outbound_number: NUM.agentFirst });
    await ctl.clock({ now: '2040-01-01T00:00:00.000Z' });

    const answer = await server.request('POST', '/emulator/reset');
    expect(answer.status).toBe(204);
    expect(answer.text).toBe('');

    expect(await agents()).toEqual(fixtureAgents);
    expect(await menus()).toEqual(fixtureMenus);
    expect(await settings()).toEqual(fixtureSettings);
    const list = await server.request('GET', '/apps/api/v1/calls');
    expect(list.body).toEqual([]);
    expect(list.headers.get('Total')).toBe('0');
    const call = await createCall(server, inboundBody());
    expect(Math.abs(Date.parse(call.created_at as string) - Date.now())).toBeLessThan(60_000);
  });

  it('ids are never reused after a reset', async () => {
    const before = await createCall(server, inboundBody());
    await ctl.reset();
    const after = await createCall(server, inboundBody());
    expect(after.id as number).toBeGreaterThan(before.id as number);
    expect((await getCall(server, before.id as number)).status).toBe(404);
  });
});

describe('PATCH /emulator/agents/:email', () => {
  it('changes status, can_make_calls and outbound_numbers → 200 the agent', async () => {
    const answer = await patch('/agents/allen%40somedomain.com', {
      status: 'available',
      can_make_calls: false,
      outbound_numbers: [NUM.agentFirst],
    });
    expect(answer.status).toBe(200);
    // The agent as the Manager API shows it: "available" is its Available status object.
    expect(answer.body).toMatchObject({
      id: 3,
      email: 'allen@somedomain.com',
      name: 'Allen Park',
      first_name: 'Allen',
      last_name: 'Park',
      agent_number: '1003',
      avatar_url: null,
      online: true,
      status: { name: 'Available' },
      can_make_calls: false,
      outbound_numbers: [NUM.agentFirst],
      disabled: false,
    });
    expect(Date.parse((answer.body as Json).status_updated_at as string)).not.toBeNaN();
    expect((await agents()).find((a) => a.id === 3)).toEqual(answer.body);
    const off = await patch('/agents/allen%40somedomain.com', { status: 'unavailable' });
    expect(off.body).toMatchObject({ online: false, status: { name: 'Offline' } });
  });

  it('the change is what the Call API sees next', async () => {
    expect((await postCall(server, outboundBody())).status).toBe(201);
    await ctl.agent('admin@somedomain.com', { status: 'unavailable' });
    expectError(
      await postCall(server, outboundBody()),
      400,
      'Agent is not available to take this call',
    );
  });

  it('names and avatar are free text and any URL, carried into the calls the agent takes', async () => {
    const name = '<img src=x onerror=alert(1)>';
    const changed = (
      await patch('/agents/admin%40somedomain.com', {
        first_name: name,
        last_name: null,
        avatar_url: 'javascript:alert(1)',
      })
    ).body as Json;
    expect(changed).toMatchObject({
      first_name: name,
      last_name: null,
      avatar_url: 'javascript:alert(1)',
    });
    const call = await createCall(server, outboundBody());
    expect(call.agent_info).toMatchObject({
      name,
      first_name: name,
      avatar_url: 'javascript:alert(1)',
    });
  });

  it('an unknown agent → 404; no known key → 400; a bad value → 400 naming it', async () => {
    expectError(
      await patch('/agents/nobody%40somedomain.com', { status: 'available' }),
      404,
      'Resource not found',
    );
    expectError(
      await patch('/agents/admin%40somedomain.com', {}),
      400,
      'status, can_make_calls, outbound_numbers, first_name, last_name, avatar_url or disabled required',
    );
    expectError(
      await patch('/agents/admin%40somedomain.com', { status: 'busy' }),
      400,
      'status is not well formed',
    );
    expectError(
      await patch('/agents/admin%40somedomain.com', { can_make_calls: 'yes' }),
      400,
      'can_make_calls is not well formed',
    );
    expectError(
      await patch('/agents/admin%40somedomain.com', { outbound_numbers: ['123'] }),
      400,
      'outbound_numbers is not well formed',
    );
  });
});

describe('PATCH /emulator/menus/:id', () => {
  it('changes state, deleted, menu_type and recording_option → 200 the menu', async () => {
    const answer = await patch('/menus/12', {
      state: 'after_hours',
      deleted: true,
      menu_type: 'ivr_menu',
      recording_option: 'ask',
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      id: 12,
      name: 'Web Support',
      parent_id: null,
      position: 2,
      menu_type: 'ivr_menu',
      state: 'after_hours',
      deleted: true,
      hidden: false,
    });
  });

  it('an unknown menu → 404; a bad value → 400 naming it', async () => {
    expectError(await patch('/menus/999', { state: 'open' }), 404, 'Resource not found');
    expectError(await patch('/menus/9', { state: 'closed' }), 400, 'state is not well formed');
    expectError(
      await patch('/menus/9', { recording_option: 'sometimes' }),
      400,
      'recording_option is not well formed',
    );
    expectError(
      await patch('/menus/9', {}),
      400,
      'state, deleted, menu_type or recording_option required',
    );
  });
});

describe('PATCH /emulator/settings', () => {
  it('changes languages, outbound_numbers and the default → 200 the settings', async () => {
    const answer = await patch('/settings', {
      languages: ['en', 'fr'],
      outbound_numbers: [NUM.tenantDefault, '+1 202-555-0143'],
      default_outbound_number: '+1 202-555-0143',
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      languages: ['en', 'fr'],
      outbound_numbers: [NUM.tenantDefault, '+1 202-555-0143'],
      default_outbound_number: '+1 202-555-0143',
    });
    expect(await settings()).toEqual(answer.body);
  });

  it('a code that is not ISO 639-1, or a number that is not well formed → 400 naming it', async () => {
    expectError(
      await patch('/settings', { languages: ['xy'] }),
      400,
      'languages is not well formed',
    );
    expectError(
      await patch('/settings', { outbound_numbers: ['555'] }),
      400,
      'outbound_numbers is not well formed',
    );
    expectError(
      await patch('/settings', { default_outbound_number: 'none' }),
      400,
      'default_outbound_number is not well formed',
    );
    expect((await settings()).languages).toEqual(['en', 'es', 'ko']);
  });
});

describe('POST /emulator/clock', () => {
  it('now sets the clock; advance_ms moves it; calls are stamped with it', async () => {
    expect(await ctl.clock({ now: '2031-05-05T05:05:05.000Z' })).toEqual({
      now: expect.stringMatching(/^2031-05-05T05:05:0[5-9]\.\d{3}Z$/),
    });
    const moved = await ctl.clock({ advance_ms: 3_600_000 });
    expect(moved.now as string).toMatch(/^2031-05-05T06:05:0/);
    const call = await createCall(server, inboundBody());
    expect(call.created_at as string).toMatch(/^2031-05-05T06:05:/);
  });

  it('a time that is not ISO 8601, a negative advance or neither → 400', async () => {
    expectError(await postClock({ now: 'soon' }), 400, 'now is not well formed');
    expectError(await postClock({ advance_ms: -1 }), 400, 'now or advance_ms required');
    expectError(await postClock({}), 400, 'now or advance_ms required');
  });
});

describe('POST /emulator/clock near the end of year 9999', () => {
  it('a clock that would leave the four-digit years is refused, so every timestamp stays ISO 8601', async () => {
    await ctl.clock({ now: '9999-12-30T00:00:00Z' });
    expectError(
      await postClock({ advance_ms: 2 * 86_400_000 }),
      400,
      'advance_ms is not well formed',
    );
    expectError(await postClock({ now: '9999-12-31T23:59:59Z' }), 400, 'now is not well formed');
    const call = await createCall(server, inboundBody());
    expect(call.created_at as string).toMatch(/^9999-12-30T/);
  });
});

function postClock(body: unknown) {
  return server.request('POST', '/emulator/clock', { body });
}

describe('POST /emulator/calls/:id/events (lightly; the lifecycle has its own unit tests)', () => {
  it('queued → assign → connect → finish, each answered with the call after it', async () => {
    await ctl.clock({ now: '2031-01-01T00:00:00.000Z' });
    const call = await createCall(server, inboundBody());
    const id = call.id as number;

    await ctl.clock({ advance_ms: 30_000 });
    const assigned = await ctl.event(id, { type: 'assign', agent_email: 'admin@somedomain.com' });
    expect(assigned).toMatchObject({
      status: 'assigned',
      agent_info: { id: 1, name: 'Admin UJET' },
      wait_duration: 30,
    });
    expect(assigned.assigned_at as string).toMatch(/^2031-01-01T00:00:30\./);

    await ctl.clock({ advance_ms: 5_000 });
    const connected = await ctl.event(id, { type: 'connect' });
    expect(connected.status).toBe('connected');
    expect((connected.participants as Json[]).map((p) => p.status)).toEqual([
      'connected',
      'connected',
    ]);

    await ctl.clock({ advance_ms: 125_000 });
    const finished = await ctl.event(id, {
      type: 'finish',
      disconnected_by: 'disconnected_by_end_user',
      recording_url: 'https://recordings.example.com/1.mp3',
    });
    expect(finished).toMatchObject({
      status: 'finished',
      call_duration: 125,
      disconnected_by: 'disconnected_by_end_user',
      recording_url: 'https://recordings.example.com/1.mp3',
    });
    expect(finished.ends_at as string).toMatch(/^2031-01-01T00:02:40\./);
    expect((await getCall(server, id)).body).toEqual(finished);
  });

  it('an event the status does not allow → 409; an unknown type → 400; an unknown call → 404', async () => {
    const call = await createCall(server, inboundBody());
    const id = call.id as number;
    const send = (body: unknown, callId = id) =>
      server.request('POST', `/emulator/calls/${callId}/events`, { body });
    expectError(await send({ type: 'finish' }), 409, 'Cannot finish a call that is queued');
    expectError(await send({ type: 'dance' }), 400, 'Unknown event type');
    expectError(await send({}), 400, 'Unknown event type');
    expectError(await send({ type: 'assign' }, 999999), 404, 'Resource not found');
    expect(((await getCall(server, id)).body as Json).status).toBe('queued');
  });
});
