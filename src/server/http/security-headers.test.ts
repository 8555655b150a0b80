import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { configDefaults } from '../config.ts';
import { useTestServer } from '../test/test-server.ts';
import { cspDirectives, securityHeaders } from './security-headers.ts';

// The headers every answer of the real server carries, whatever answered it (a route, the
// static files, a 404, an error), and no caching of what the API says.

const server = useTestServer({ EMBED_ALLOWED_ORIGINS: 'https://crm.example.com' });

/** The CSP as directive → sources. */
function csp(headers: Headers): Record<string, string[]> {
  const value = headers.get('content-security-policy');
  if (!value) throw new Error('no Content-Security-Policy');
  return Object.fromEntries(
    value.split(';').map((d) => {
      const [name, ...sources] = d.trim().split(/\s+/);
      return [name!, sources];
    }),
  );
}

const DESK = { 'x-switchboard-desk': '1' };
const ANSWERS: Array<[string, string, Record<string, string>?]> = [
  ['GET', '/calls'],
  ['GET', '/calls/new/outbound'],
  ['GET', '/healthz'],
  ['GET', '/docs'],
  ['GET', '/docs/init.js'],
  ['GET', '/docs/assets/swagger-ui-bundle.js'],
  ['GET', '/docs/assets/swagger-ui.css'],
  ['GET', '/apps/api/v1/openapi.json'],
  ['GET', '/apps/api/v1/calls'],
  ['GET', '/apps/api/v1/calls/999999'],
  ['POST', '/apps/api/v1/calls'],
  ['GET', '/manager/api/v1/menus'],
  ['POST', '/emulator/reset'],
  ['GET', '/desk/api/session', DESK],
  ['GET', '/desk/api/apps/api/v1/calls', DESK],
  ['GET', '/desk/api/session'],
  ['GET', '/no/such/page'],
  ['GET', '/apps/api/v1/calls/%E0%A4%A'],
];

describe('on every answer', () => {
  it.each(ANSWERS)(
    '%s %s: CSP with frame-ancestors, nosniff, no X-Frame-Options, openers kept',
    async (method, path, headers) => {
      const answer = await server.request(method, path, { headers });
      expect(csp(answer.headers)['frame-ancestors']!.length).toBeGreaterThan(0);
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('x-frame-options')).toBeNull();
      // The sign-in popup posts back to the desk that opened it.
      expect(answer.headers.get('cross-origin-opener-policy')).toBe('unsafe-none');
      expect(answer.headers.get('cross-origin-embedder-policy')).toBeNull();
      expect(answer.headers.get('strict-transport-security')).toBeNull();
      expect(answer.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    },
  );
});

describe('the policies', () => {
  it('the desk may be framed by the allowed CRMs, and runs only its own scripts', async () => {
    const policy = csp((await server.request('GET', '/calls')).headers);
    expect(policy['frame-ancestors']).toEqual(["'self'", 'https://crm.example.com']);
    expect(policy['script-src']).toEqual(["'self'"]);
    expect(policy['connect-src']).toEqual(["'self'"]);
    expect(policy['object-src']).toEqual(["'none'"]);
  });

  it('/docs runs Swagger UI from this server and is framed by nothing else', async () => {
    const policy = csp((await server.request('GET', '/docs')).headers);
    expect(policy['frame-ancestors']).toEqual(["'self'"]);
    expect(policy['script-src']).toEqual(["'self'"]);
    expect(policy['img-src']).toEqual(["'self'", 'data:']);
  });
});

describe('Cache-Control', () => {
  it.each(ANSWERS.filter(([, path]) => /^\/(apps|manager|emulator|desk)\//.test(path)))(
    '%s %s: no-store',
    async (method, path, headers) => {
      const answer = await server.request(method, path, { headers });
      expect(answer.headers.get('cache-control')).toBe('no-store');
    },
  );

  it('the desk pages are revalidated, not stored nowhere', async () => {
    expect((await server.request('GET', '/calls')).headers.get('cache-control')).toBe('no-cache');
  });
});

describe('a route with its own headers (the helmet route option)', () => {
  it('replaces the global policy, or turns the set off', async () => {
    const app = Fastify();
    await app.register(securityHeaders, { config: configDefaults() });
    app.get('/global', async () => 'global');
    app.get(
      '/own',
      {
        helmet: {
          contentSecurityPolicy: {
            useDefaults: false,
            directives: {
              ...cspDirectives("'none'"),
              formAction: ["'self'", 'https://idp.example'],
            },
          },
        },
      },
      async () => 'own',
    );
    app.get('/none', { helmet: false }, async () => 'none');
    const get = (url: string) => app.inject({ url });
    expect((await get('/global')).headers['content-security-policy']).toContain(
      "form-action 'self';",
    );
    const own = await get('/own');
    expect(own.headers['content-security-policy']).toContain(
      "form-action 'self' https://idp.example",
    );
    expect(own.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(own.headers['x-content-type-options']).toBe('nosniff');
    const none = await get('/none');
    expect(none.headers['content-security-policy']).toBeUndefined();
    expect(none.headers['x-content-type-options']).toBeUndefined();
    await app.close();
  });
});
