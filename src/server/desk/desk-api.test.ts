import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { control, type Json } from '../test/api-helpers.ts';
import { rawHttp } from '../test/raw-http.ts';
import { browserLike, deskHeaders, signIn } from '../test/sign-in.ts';
import { startTestServer, type TestServer } from '../test/test-server.ts';
import { hashSecret } from './sessions.ts';

// The desk's API in emulator mode, tried as an attacker would: every way in that the
// unauthenticated proxy of round 1 left open, each closed; and the sessions behind it.

let server: TestServer;
let ctl: ReturnType<typeof control>;
let admin: string;
let agent: string;

const OUTBOUND = {
  call_type: 'Voice Outbound (API)',
  end_user_number: '+1 859-657-9625',
};

async function desk(
  secret: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${server.baseUrl}/desk/api${path}`, {
    method,
    headers: {
      ...deskHeaders(secret),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Json) : null,
  };
}

async function allenStatus(): Promise<string> {
  const answer = await server.request('GET', '/manager/api/v1/agents');
  const allen = (answer.body as Json[]).find((a) => a.email === 'allen@somedomain.com')!;
  return (allen.status as Json).name as string;
}

beforeAll(async () => {
  server = await startTestServer();
  ctl = control(server);
  admin = (await signIn(server.baseUrl, 'admin@somedomain.com')).secret;
  agent = (await signIn(server.baseUrl, 'agent@somedomain.com')).secret;
});
afterAll(() => server?.close());
beforeEach(() => ctl.reset());

describe('every /desk/api request needs a session', () => {
  it('no session, a wrong one or a malformed one: 401 in the API shape, and no data', async () => {
    for (const authorization of [
      undefined,
      'Bearer nonsense-nonsense-nonsense',
      'Bearer ../../x',
    ]) {
      const response = await fetch(`${server.baseUrl}/desk/api/apps/api/v1/calls`, {
        headers: { 'x-switchboard-desk': '1', ...(authorization ? { authorization } : {}) },
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: 'Sign in to use the desk' });
    }
  });

  it('which pages may frame the desk is known before sign-in', async () => {
    const response = await fetch(`${server.baseUrl}/desk/api/embed`, {
      headers: { 'x-switchboard-desk': '1' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ embed_protocol: 'switchboard/v1' });
  });

  it('the session says who the agent is and what the desk may do', async () => {
    const answer = await desk(agent, 'GET', '/session');
    expect(answer.body).toMatchObject({
      agent: { email: 'agent@somedomain.com', name: 'Avery Agent', roles: ['agent'] },
      tenant: 'somedomain',
      capabilities: { simulate: true, sign_out: true, act_for_others: false },
      transport: 'token',
    });
  });

  it('without the desk header, a desk request is refused even with a session', async () => {
    const response = await fetch(`${server.baseUrl}/desk/api/session`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(response.status).toBe(403);
  });
});

describe('only the routes the desk uses, checked after decoding', () => {
  it.each([
    '/desk/api/apps/api/v1/../../../emulator/agents/allen@somedomain.com',
    '/desk/api/apps/api/v1/%2e%2e/%2e%2e/%2e%2e/emulator/agents/allen%40somedomain.com',
    '/desk/api/apps/api/v1/%2E%2E%2F%2E%2E%2F%2E%2E%2Femulator/agents/allen%40somedomain.com',
    '/desk/api/apps/api/v1/..%2f..%2f..%2femulator/agents/allen%40somedomain.com',
    '/desk/api/apps/api/v1\\..\\..\\..\\emulator/agents/allen%40somedomain.com',
    '/desk/api//emulator/agents/allen%40somedomain.com',
    '/desk/api/./emulator/agents/allen%40somedomain.com',
  ])('traversal %s is refused and changes nothing', async (path) => {
    const answer = await rawHttp(server.baseUrl, 'PATCH', path, {
      headers: {
        'x-switchboard-desk': '1',
        authorization: `Bearer ${admin}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ status: 'available' }),
    });
    // Refused before routing: nothing that a later step could normalise into another path.
    expect({ status: answer.status, body: JSON.parse(answer.body) }).toEqual({
      status: 400,
      body: { message: 'The path is not well formed' },
    });
    expect(await allenStatus()).toBe('Offline');
  });

  it('no Manager API writes, no control API but Simulate, no bulk cancel', async () => {
    const refused: Array<[string, string]> = [
      ['DELETE', '/manager/api/v1/agents/1'],
      ['PUT', '/manager/api/v1/agents/1'],
      ['PATCH', '/manager/api/v1/settings/call'],
      ['POST', '/manager/api/v1/menus'],
      ['POST', '/emulator/reset'],
      ['PATCH', '/emulator/agents/allen'],
      ['POST', '/emulator/clock'],
      ['PATCH', '/apps/api/v1/calls/scheduled/cancel'],
      ['GET', '/apps/api/v1/openapi'],
      ['GET', '/manager/api/v1/teams'],
    ];
    for (const [method, path] of refused) {
      const answer = await desk(
        admin,
        method,
        path,
        method === 'GET' ? undefined : { status: 'available' },
      );
      expect(answer, `${method} ${path}`).toMatchObject({
        status: 404,
        body: { message: 'Resource not found' },
      });
    }
    expect(await allenStatus()).toBe('Offline');
    expect((await server.request('GET', '/manager/api/v1/agents')).body).toHaveLength(4);
  });

  it('a 5,000-deep body is passed on as bytes: the API refuses it, the server does not fall over', async () => {
    const { id } = (
      await desk(admin, 'POST', '/apps/api/v1/calls', {
        call_type: 'Voice Inbound (API)',
        menu_id: 7,
        end_user_number: '+1 205 123 4567',
      })
    ).body as { id: number };
    const deep = `{"bad_actor":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const answer = await desk(admin, 'PATCH', `/apps/api/v1/calls/${id}/customer_flag`, deep);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ message: 'bad_actor must be a boolean' });
  });
});

describe('only its own host names, and writes only from its own pages', () => {
  it('a rebinding host name is refused (421) everywhere: the desk API, the emulator, the pages', async () => {
    for (const [method, path] of [
      ['GET', '/desk/api/apps/api/v1/calls'],
      ['POST', '/desk/api/emulator/reset'],
      ['POST', '/emulator/reset'],
      ['GET', '/calls'],
      ['GET', '/desk/auth/login'],
    ] as const) {
      const answer = await rawHttp(server.baseUrl, method, path, {
        headers: {
          host: 'evil.example',
          'x-switchboard-desk': '1',
          authorization: path.startsWith('/emulator')
            ? `Basic ${Buffer.from('somedomain:local-dev-token').toString('base64')}`
            : `Bearer ${admin}`,
        },
      });
      expect(answer.status, `${method} ${path}`).toBe(421);
      expect(JSON.parse(answer.body).message).toMatch(/does not answer for evil\.example/);
    }
    // The loopback names on its own port are its own; another port is not.
    const port = new URL(server.baseUrl).port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      expect((await rawHttp(server.baseUrl, 'GET', '/healthz', { headers: { host } })).status).toBe(
        200,
      );
      expect((await rawHttp(server.baseUrl, 'GET', '/calls', { headers: { host } })).status).toBe(
        200,
      );
    }
    expect(
      (await rawHttp(server.baseUrl, 'GET', '/calls', { headers: { host: 'localhost:1' } })).status,
    ).toBe(421);
  });

  it('a write from another site is refused even with the header and a session', async () => {
    const crossSite: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of crossSite) {
      const answer = await desk(
        admin,
        'POST',
        '/apps/api/v1/calls',
        { ...OUTBOUND, agent_email: 'admin@somedomain.com' },
        headers,
      );
      expect(answer).toMatchObject({
        status: 403,
        body: { message: 'Requests from other sites are refused' },
      });
      const out = await fetch(`${server.baseUrl}/desk/auth/logout`, {
        method: 'POST',
        headers: { ...deskHeaders(admin), ...headers },
      });
      expect(out.status).toBe(403);
    }
    expect((await server.request('GET', '/apps/api/v1/calls')).body).toEqual([]);
    expect((await desk(admin, 'GET', '/session')).status).toBe(200);
    const same = await desk(
      admin,
      'POST',
      '/apps/api/v1/calls',
      { ...OUTBOUND, agent_email: 'admin@somedomain.com' },
      {
        origin: server.baseUrl,
        'sec-fetch-site': 'same-origin',
      },
    );
    expect(same.status).toBe(201);
  });
});

describe('the desk acts only as the agent signed in', () => {
  it('an outbound call is placed as the signed-in agent; naming another is refused', async () => {
    const refused = await desk(agent, 'POST', '/apps/api/v1/calls', {
      ...OUTBOUND,
      agent_email: 'admin@somedomain.com',
    });
    expect(refused).toMatchObject({
      status: 403,
      body: { message: 'You can place calls only as yourself' },
    });
    expect((await server.request('GET', '/apps/api/v1/calls')).body).toEqual([]);
    const own = await desk(agent, 'POST', '/apps/api/v1/calls', {
      ...OUTBOUND,
      agent_email: 'Agent@SomeDomain.com',
      outbound_number: '+1 760-867-5309',
    });
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({ agent_info: { id: 2, name: 'Avery Agent' } });
  });

  it('two agents signed in at once each see themselves', async () => {
    expect((await desk(admin, 'GET', '/session')).body).toMatchObject({
      agent: { email: 'admin@somedomain.com' },
    });
    expect((await desk(agent, 'GET', '/session')).body).toMatchObject({
      agent: { email: 'agent@somedomain.com' },
    });
  });
});

describe('the history of writes made through the desk', () => {
  it('flag changes and cancels, by agent, with before and after', async () => {
    const inbound = (
      await desk(admin, 'POST', '/apps/api/v1/calls', {
        call_type: 'Voice Inbound (API)',
        menu_id: 7,
        end_user_number: '+1 205 123 4567',
      })
    ).body as { id: number };
    await desk(agent, 'PATCH', `/apps/api/v1/calls/${inbound.id}/customer_flag`, {
      bad_actor: true,
    });
    await desk(admin, 'PATCH', `/apps/api/v1/calls/${inbound.id}/customer_flag`, {
      verified_customer: true,
    });
    const history = await desk(agent, 'GET', `/calls/${inbound.id}/history`);
    expect(history.status).toBe(200);
    const entries = (history.body as { entries: Json[] }).entries;
    expect(entries.map((e) => [e.action, e.agent_email])).toEqual([
      ['customer_flag.update', 'agent@somedomain.com'],
      ['customer_flag.update', 'admin@somedomain.com'],
    ]);
    expect(entries[0]).toMatchObject({
      agent_name: 'Avery Agent',
      before: { bad_actor: false, verified_customer: false, repeat_customer: false },
      after: { bad_actor: true, verified_customer: false, repeat_customer: false },
    });

    const at = new Date(Date.now() + 3_600_000).toISOString();
    const scheduled = (
      await desk(admin, 'POST', '/apps/api/v1/calls', {
        call_type: 'Voice Scheduled (API)',
        menu_id: 9,
        end_user_number: '+1 205 123 4567',
        scheduled_at: at,
      })
    ).body as { id: number };
    expect(
      (await desk(agent, 'PATCH', `/apps/api/v1/calls/scheduled/${scheduled.id}/cancel`)).status,
    ).toBe(200);
    expect(
      (await desk(agent, 'PATCH', `/apps/api/v1/calls/scheduled/${scheduled.id}/cancel`)).status,
    ).toBe(204);
    const cancels = (await desk(admin, 'GET', `/calls/${scheduled.id}/history`)).body as {
      entries: Json[];
    };
    expect(cancels.entries).toEqual([
      expect.objectContaining({
        action: 'call.cancel',
        agent_email: 'agent@somedomain.com',
        before: { status: 'scheduled' },
        after: { status: 'cancelled' },
      }),
    ]);
  });
});

describe('sessions end', () => {
  it('Sign out ends it, everywhere it was handed over', async () => {
    const { secret } = await signIn(server.baseUrl, 'trainee@somedomain.com');
    expect((await desk(secret, 'GET', '/session')).status).toBe(200);
    const out = await fetch(`${server.baseUrl}/desk/auth/logout`, {
      method: 'POST',
      headers: deskHeaders(secret),
    });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/__Host-switchboard-session=;/);
    expect((await desk(secret, 'GET', '/session')).status).toBe(401);
  });

  it('after its idle time, and after its absolute lifetime', async () => {
    const idle = (await signIn(server.baseUrl, 'trainee@somedomain.com')).secret;
    const record = (await server.app.desk.store.getSession(hashSecret(idle)))!;
    await server.app.desk.store.touchSession(record.id, record.lastSeenAt, Date.now() - 1);
    expect((await desk(idle, 'GET', '/session')).status).toBe(401);

    const old = (await signIn(server.baseUrl, 'trainee@somedomain.com')).secret;
    const long = (await server.app.desk.store.getSession(hashSecret(old)))!;
    await server.app.desk.store.deleteLogin(long.loginId);
    await server.app.desk.store.createSession({ ...long, absoluteExpiresAt: Date.now() - 1 });
    expect((await desk(old, 'GET', '/session')).status).toBe(401);
  });

  it('when the agent is disabled in the tenant', async () => {
    const { secret } = await signIn(server.baseUrl, 'trainee@somedomain.com');
    await ctl.agent('trainee@somedomain.com', { disabled: true });
    expect(await server.app.desk.checkAgents()).toEqual(['trainee@somedomain.com']);
    expect((await desk(secret, 'GET', '/session')).status).toBe(401);
    // And signing in again is refused, with the reason.
    const again = await signIn(server.baseUrl, 'trainee@somedomain.com');
    expect(again.secret).toBe('');
    expect(again.landedAt).toContain('/sign-in?error=agent_disabled');
  });
});

describe('sign-in refusals say why', () => {
  it('an account that is no agent of the tenant', async () => {
    const { secret, landedAt } = await signIn(server.baseUrl, 'guest@example.com');
    expect(secret).toBe('');
    expect(landedAt).toBe(`${server.baseUrl}/sign-in?error=no_agent&return_to=%2Fcalls`);
  });

  it("a callback with another browser's state, or none", async () => {
    const browser = browserLike();
    const { url } = await browser.navigate(
      `${server.baseUrl}/desk/auth/callback?code=x&state=forged`,
    );
    expect(url).toContain('/sign-in?error=expired');
  });

  it('the page to go back to is a path of the desk, never another site', async () => {
    for (const returnTo of ['https://evil.example/', '//evil.example/x', '/\\evil.example']) {
      const { landedAt } = await signIn(server.baseUrl, 'admin@somedomain.com', { returnTo });
      expect(landedAt).toBe(`${server.baseUrl}/calls`);
    }
    const { landedAt } = await signIn(server.baseUrl, 'admin@somedomain.com', {
      returnTo: '/calls/7?x=1',
    });
    expect(landedAt).toBe(`${server.baseUrl}/calls/7?x=1`);
  });
});

describe('the hand-over to a CRM frame', () => {
  it('a popup sign-in ends with a one-time code the frame exchanges for its own session', async () => {
    const browser = browserLike();
    const login = await browser.navigate(`${server.baseUrl}/desk/auth/login?popup=1`);
    const html = await login.response.text();
    const action = /action="([^"]+\/login)"/.exec(html)![1]!;
    const done = await browser.navigate(new URL(action, login.url).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'account=agent%40somedomain.com',
    });
    expect(done.url).toMatch(/\/desk\/auth\/done#code=[A-Za-z0-9_-]+$/);
    const code = done.url.split('#code=')[1]!;
    const handoff = async () =>
      fetch(`${server.baseUrl}/desk/auth/handoff`, {
        method: 'POST',
        headers: {
          'x-switchboard-desk': '1',
          'content-type': 'application/json',
          origin: server.baseUrl,
        },
        body: JSON.stringify({ code }),
      });
    const first = await handoff();
    expect(first.status).toBe(200);
    expect(first.headers.get('set-cookie')).toMatch(
      /^__Host-switchboard-session=[^;]+; .*Secure.*HttpOnly|Partitioned/,
    );
    const { token } = (await first.json()) as { token: string };
    expect((await desk(token, 'GET', '/session')).body).toMatchObject({
      agent: { email: 'agent@somedomain.com' },
    });
    // Once only.
    expect((await handoff()).status).toBe(400);
  });

  it('the session cookie is HttpOnly, Secure, __Host-, SameSite=None and Partitioned', async () => {
    const browser = browserLike();
    await signIn(server.baseUrl, 'admin@somedomain.com', { browser });
    const session = browser.jar.received.find((l) => l.startsWith('__Host-switchboard-session='))!;
    const attributes = session.split(';').map((a) => a.trim().toLowerCase());
    expect(attributes).toEqual(
      expect.arrayContaining(['path=/', 'httponly', 'secure', 'samesite=none', 'partitioned']),
    );
    expect(attributes.some((a) => a.startsWith('domain='))).toBe(false);
    const login = browser.jar.received.find((l) => l.startsWith('__Host-switchboard-login='))!;
    expect(login.toLowerCase()).toMatch(
      /httponly.*secure.*samesite=lax|secure.*httponly.*samesite=lax|samesite=lax/,
    );
  });
});
