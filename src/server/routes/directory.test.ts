import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NUM, control, expectError, type Json } from '../test/api-helpers.ts';
import { useTestServer } from '../test/test-server.ts';
import fixture from '../fixtures/fixture-tenant.json' with { type: 'json' };

// The read-only directory under /manager/api/v1: what the desk's pickers need.

const server = useTestServer();
let ctl: ReturnType<typeof control>;

beforeAll(async () => {
  ctl = control(server);
});
beforeEach(() => ctl.reset());

const get = async (path: string) => {
  const answer = await server.request('GET', `/manager/api/v1${path}`);
  expect(answer.status, answer.text).toBe(200);
  return answer.body;
};

describe('GET /manager/api/v1/menus', () => {
  it('every fixture menu, deleted ones flagged, with exactly the documented keys', async () => {
    const menus = (await get('/menus')) as Json[];
    expect(menus).toEqual(
      fixture.menus.map((m) => ({
        id: m.id,
        name: m.name,
        parent_id: m.parent_id,
        position: m.position,
        menu_type: m.menu_type,
        state: m.state,
        deleted: m.deleted,
        hidden: m.hidden,
      })),
    );
    expect(menus.find((m) => m.id === 60)).toMatchObject({ deleted: true, hidden: true });
  });

  it('shows what the control API changed', async () => {
    await ctl.menu(9, { state: 'after_hours' });
    const menus = (await get('/menus')) as Json[];
    expect(menus.find((m) => m.id === 9)?.state).toBe('after_hours');
  });
});

describe('GET /manager/api/v1/agents', () => {
  it("every fixture agent in the Manager API's shape: status an object, roles, the emulator's facts as extra keys", async () => {
    const agents = (await get('/agents')) as Json[];
    expect(agents.map((a) => a.email)).toEqual(fixture.agents.map((a) => a.email));
    expect(agents[1]).toEqual({
      id: 2,
      email: 'agent@somedomain.com',
      first_name: 'Avery',
      middle_name: null,
      last_name: 'Agent',
      name: 'Avery Agent',
      agent_number: '1002',
      avatar_url: null,
      online: true,
      status: { id: 1, name: 'Available', color: '#2ecc71', wfm_id: null },
      status_updated_at: null,
      roles: ['agent'],
      teams: [],
      channels: ['voice'],
      created_at: null,
      last_login_time: null,
      can_make_calls: true,
      outbound_numbers: [NUM.agentFirst, NUM.agentSecond],
      disabled: false,
    });
    expect(agents[0]).toMatchObject({ name: 'Admin UJET', roles: ['agent', 'manager', 'admin'] });
    expect(agents[2]).toMatchObject({ online: false, status: { name: 'Offline' } });
  });

  it('pages with page and per (at most 100), with Link, Total and Per-Page', async () => {
    const first = await server.request('GET', '/manager/api/v1/agents?per=3');
    expect((first.body as Json[]).map((a) => a.id)).toEqual([1, 2, 3]);
    expect(first.headers.get('total')).toBe('4');
    expect(first.headers.get('per-page')).toBe('3');
    expect(first.headers.get('link')).toContain(
      '</manager/api/v1/agents?page=2&per=3>; rel="next"',
    );
    const second = await server.request('GET', '/manager/api/v1/agents?per=3&page=2');
    expect((second.body as Json[]).map((a) => a.id)).toEqual([4]);
    const big = await server.request('GET', '/manager/api/v1/agents?per=500');
    expect(big.headers.get('per-page')).toBe('100');
    expectError(
      await server.request('GET', '/manager/api/v1/agents?page=0'),
      400,
      'page is not well formed',
    );
  });

  it('filters by status_updated_at[from], sorted by status_updated_at', async () => {
    const since = new Date().toISOString();
    await ctl.agent('allen@somedomain.com', { status: 'available' });
    await ctl.agent('trainee@somedomain.com', { status: 'unavailable' });
    const changed = (await get(
      `/agents?status_updated_at[from]=${encodeURIComponent(since)}&sort_column=status_updated_at`,
    )) as Json[];
    expect(changed.map((a) => a.email)).toEqual(['allen@somedomain.com', 'trainee@somedomain.com']);
  });

  it('a disabled agent is marked, and is no agent for the Call API', async () => {
    await ctl.agent('admin@somedomain.com', { disabled: true });
    const agents = (await get('/agents')) as Json[];
    expect(agents[0]).toMatchObject({
      email: 'admin@somedomain.com',
      disabled: true,
      online: false,
    });
    const answer = await server.request('POST', '/apps/api/v1/calls', {
      body: {
        call_type: 'Voice Outbound (API)',
        agent_email: 'admin@somedomain.com',
        end_user_number: '+1 859-657-9625',
      },
    });
    expectError(answer, 400, 'Not a valid agent email');
  });
});

describe('GET /manager/api/v1/calls', () => {
  it('answers what /apps/api/v1/calls answers, with its own page links', async () => {
    await server.request('POST', '/apps/api/v1/calls', {
      body: { call_type: 'Voice Inbound (API)', menu_id: 7, end_user_number: '+1 205 123 4567' },
    });
    const apps = await server.request('GET', '/apps/api/v1/calls');
    const manager = await server.request('GET', '/manager/api/v1/calls');
    expect(manager.status).toBe(200);
    expect(manager.body).toEqual(apps.body);
    expect(manager.headers.get('total')).toBe('1');
    expect(manager.headers.get('link')).toContain(
      '</manager/api/v1/calls?page=1&per=25>; rel="first"',
    );
  });
});

describe('GET /manager/api/v1/settings/call', () => {
  it('languages, outbound_numbers and the default', async () => {
    expect(await get('/settings/call')).toEqual({
      languages: ['en', 'es', 'ko'],
      outbound_numbers: [NUM.tenantDefault, NUM.agentFirst, NUM.agentSecond],
      default_outbound_number: NUM.tenantDefault,
    });
  });
});

describe('the directory is read-only and needs credentials', () => {
  it('no credentials → 401; a write → 404', async () => {
    expectError(
      await server.request('GET', '/manager/api/v1/agents', { headers: { authorization: '' } }),
      401,
      'Unauthorized',
    );
    expectError(
      await server.request('PATCH', '/manager/api/v1/settings/call', { body: { languages: [] } }),
      404,
      'Resource not found',
    );
  });
});
