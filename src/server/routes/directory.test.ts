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
  it('every fixture agent with exactly the documented keys', async () => {
    const agents = (await get('/agents')) as Json[];
    expect(agents.map((a) => a.email)).toEqual(fixture.agents.map((a) => a.email));
    expect(agents[1]).toEqual({
      id: 2,
      email: 'agent@somedomain.com',
      name: 'Avery Agent',
      first_name: 'Avery',
      last_name: 'Agent',
      agent_number: '1002',
      avatar_url: null,
      status: 'available',
      can_make_calls: true,
      outbound_numbers: [NUM.agentFirst, NUM.agentSecond],
    });
    expect(agents[0]).toMatchObject({ name: 'Admin UJET', outbound_numbers: [] });
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
