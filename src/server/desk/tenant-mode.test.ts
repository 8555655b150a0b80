import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../config.ts';
import type { Json } from '../test/api-helpers.ts';
import { deskHeaders, signIn } from '../test/sign-in.ts';
import { freePort } from '../test/free-port.ts';
import { requestAsIntegration, startTenantPair, type TenantPair } from '../test/tenant-pair.ts';
import { tenantUpstream } from '../upstream/tenant-upstream.ts';
import { UpstreamError } from '../upstream/upstream.ts';

// Tenant mode against the emulator as the tenant, over real HTTP, as an integrator runs it:
// sign-in through the tenant's identity provider, the Manager API's real shapes adapted on
// the server, one budget below the tenant's limit, and creates that never come back twice.

let pair: TenantPair;
let statuses: number[] = [];
let admin: string;
let agent: string;

async function desk(secret: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${pair.front.baseUrl}/desk/api${path}`, {
    method,
    headers: {
      ...deskHeaders(secret),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as unknown) : null,
  };
}

const tenantRequest = (method: string, path: string, body?: unknown) =>
  requestAsIntegration(pair.tenant, method, path, body);

beforeAll(async () => {
  pair = await startTenantPair();
  // Every answer the tenant gives, counted where it is given.
  pair.tenant.app.server.on('request', (_req, res) =>
    res.once('finish', () => statuses.push(res.statusCode)),
  );
  admin = (await signIn(pair.front.baseUrl, 'admin@somedomain.com')).secret;
  agent = (await signIn(pair.front.baseUrl, 'agent@somedomain.com')).secret;
});
afterAll(() => pair?.close());
beforeEach(async () => {
  expect((await tenantRequest('POST', '/emulator/reset')).status).toBe(204);
  statuses = [];
});

describe('sign-in against the tenant identity provider', () => {
  it("the second server signs agents in through the first one's /dev-idp, as with Okta", async () => {
    expect(admin).not.toBe('');
    const session = await desk(agent, 'GET', '/session');
    expect(session.body).toMatchObject({
      agent: { email: 'agent@somedomain.com', name: 'Avery Agent' },
      tenant: 'somedomain',
      // No emulator behind this desk: no Simulate.
      capabilities: { simulate: false },
    });
  });

  it('refuses an account that is no agent of the tenant, with the reason', async () => {
    const { secret, landedAt } = await signIn(pair.front.baseUrl, 'guest@example.com');
    expect(secret).toBe('');
    expect(landedAt).toContain('/sign-in?error=no_agent');
  });
});

describe("the Manager API's shapes, adapted on the server", () => {
  it("agents come to the desk in its own model (status a word, the emulator's facts kept)", async () => {
    const agents = (await desk(admin, 'GET', '/manager/api/v1/agents')).body as Json[];
    expect(agents).toHaveLength(4);
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
      outbound_numbers: ['+1 760-867-5309', '+1 760-410-8538'],
    });
    expect(agents[2]).toMatchObject({ email: 'allen@somedomain.com', status: 'unavailable' });
  });

  it('the call list is read from the Manager API, its page links pointed at the desk', async () => {
    for (let i = 0; i < 3; i++) {
      await tenantRequest('POST', '/apps/api/v1/calls', {
        call_type: 'Voice Inbound (API)',
        menu_id: 7,
        end_user_number: '+1 205 123 4567',
      });
    }
    const page = await desk(admin, 'GET', '/apps/api/v1/calls?per=2&status=queued&bogus=1');
    expect(page.status).toBe(200);
    expect((page.body as Json[]).length).toBe(2);
    expect(page.headers.get('total')).toBe('3');
    expect(page.headers.get('link')).toContain(
      '</desk/api/apps/api/v1/calls?status=queued&page=2&per=2>; rel="next"',
    );
  });

  it("the emulator's control API is not there: no Simulate through a tenant's desk", async () => {
    const call = await tenantRequest('POST', '/apps/api/v1/calls', {
      call_type: 'Voice Inbound (API)',
      menu_id: 7,
      end_user_number: '+1 205 123 4567',
    });
    const id = (call.body as Json).id as number;
    const answer = await desk(admin, 'POST', `/emulator/calls/${id}/events`, { type: 'assign' });
    expect(answer).toMatchObject({ status: 404, body: { message: 'Resource not found' } });
    expect(((await tenantRequest('GET', `/apps/api/v1/calls/${id}`)).body as Json).status).toBe(
      'queued',
    );
  });
});

describe('one budget below the tenant limit', () => {
  it('30 desk requests at once all succeed, and the tenant never answers 429', async () => {
    // Nobody else (this test's own setup among them) has used the tenant's second.
    const limiter = pair.tenant.app.desk.emulator!.limiter;
    await vi.waitFor(() => expect(limiter.available('somedomain')).toBe(10), { timeout: 5000 });
    statuses = [];
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        desk(i % 2 ? admin : agent, 'GET', i % 3 ? '/apps/api/v1/calls' : '/manager/api/v1/menus'),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    expect(statuses.length).toBeGreaterThanOrEqual(30);
    expect(statuses.filter((s) => s === 429)).toEqual([]);
  });
});

describe('talking to the tenant', () => {
  let redirecting: Server;
  let redirectingUrl: string;
  beforeAll(async () => {
    redirecting = createServer((_req, res) => {
      res.writeHead(302, { location: 'https://evil.example/steal' }).end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    const address = redirecting.address();
    redirectingUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => redirecting.close(() => resolve())));

  it('never follows a redirect (the token would go with it)', async () => {
    const upstream = tenantUpstream({
      url: redirectingUrl,
      subdomain: 'somedomain',
      token: 'secret',
      timeoutMs: 2000,
    });
    await expect(
      upstream.request({ method: 'GET', path: '/apps/api/v1/calls', priority: 'agent' }),
    ).rejects.toMatchObject({
      kind: 'redirect',
      message: expect.stringContaining('does not follow redirects: check UPSTREAM_URL'),
    });
  });

  it('a wrong token is the operator’s to fix: the desk says so, and refuses sign-in with a reason', async () => {
    const broken = await startTenantPair({ front: { UPSTREAM_TOKEN: 'revoked-token' } });
    try {
      const { secret, landedAt } = await signIn(broken.front.baseUrl, 'admin@somedomain.com');
      expect(secret).toBe('');
      expect(landedAt).toContain('/sign-in?error=tenant_unreachable');
      const direct = tenantUpstream({
        url: broken.tenant.baseUrl,
        subdomain: 'somedomain',
        token: 'revoked-token',
        timeoutMs: 2000,
      });
      const answer = await direct.request({
        method: 'GET',
        path: '/manager/api/v1/agents',
        priority: 'agent',
      });
      expect(answer.status).toBe(401);
    } finally {
      await broken.close();
    }
  });

  it('an unreachable tenant: nothing was sent, so nothing is unknown', async () => {
    const upstream = tenantUpstream({
      url: `http://127.0.0.1:${await freePort()}`,
      subdomain: 'somedomain',
      token: 'secret',
      timeoutMs: 2000,
    });
    const error = (await upstream
      .request({
        method: 'POST',
        path: '/apps/api/v1/calls',
        body: Buffer.from('{}'),
        priority: 'agent',
      })
      .catch((e: unknown) => e)) as UpstreamError;
    expect(error).toBeInstanceOf(UpstreamError);
    expect({ kind: error.kind, sent: error.sent }).toEqual({ kind: 'unreachable', sent: false });
  });
});

describe('configuration for a tenant', () => {
  const tenant = {
    UPSTREAM_URL: 'https://acme.us1.ccaiplatform.com',
    UPSTREAM_SUBDOMAIN: 'acme',
    UPSTREAM_TOKEN: 'token',
    OIDC_ISSUER: 'https://acme.okta.com',
    OIDC_CLIENT_ID: 'desk',
    OIDC_CLIENT_SECRET: 'secret',
  };
  it('https only, unless UPSTREAM_ALLOW_HTTP=1', () => {
    expect(() => parseConfig({ ...tenant, UPSTREAM_URL: 'http://acme.example.com' })).toThrow(
      /UPSTREAM_URL must be https/,
    );
    expect(
      parseConfig({ ...tenant, UPSTREAM_URL: 'http://127.0.0.1:9', UPSTREAM_ALLOW_HTTP: '1' })
        .UPSTREAM_URL,
    ).toBe('http://127.0.0.1:9');
  });
  it('agents sign in through an identity provider: its settings are required', () => {
    expect(() => parseConfig({ ...tenant, OIDC_ISSUER: undefined })).toThrow(/OIDC_ISSUER/);
    expect(() => parseConfig({ ...tenant, OIDC_ISSUER: 'http://idp.example.com' })).toThrow(
      /OIDC_ISSUER must be https/,
    );
  });
  it('PUBLIC_URL is an https origin (or this machine)', () => {
    expect(() => parseConfig({ PUBLIC_URL: 'http://desk.example.com' })).toThrow(/must be https/);
    expect(() => parseConfig({ PUBLIC_URL: 'https://desk.example.com/desk' })).toThrow(
      /origin only/,
    );
    expect(parseConfig({ PUBLIC_URL: 'https://desk.example.com' }).PUBLIC_URL).toBe(
      'https://desk.example.com',
    );
  });
});
