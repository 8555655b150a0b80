import Fastify, { type FastifyInstance } from 'fastify';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configDefaults, parseConfig } from '../config.ts';
import { embedAllowList } from '../http/embed-origins.ts';
import { securityHeaders } from '../http/security-headers.ts';
import { useTestServer } from '../test/test-server.ts';
import { webRoutes } from './web.ts';

// The desk's pages and the headers that decide who may frame them: the CSP frame-ancestors
// from EMBED_ALLOWED_ORIGINS on every page and asset, never an X-Frame-Options that would
// contradict it, and the same list handed to the desk for its postMessage checks.

const PAGES = ['/', '/calls', '/calls/new/outbound', '/calls/42', '/embed/check'];
const BUNDLE = `export const words = ${JSON.stringify('switchboard '.repeat(500))};\n`;

function frameAncestors(csp: string | null): string {
  const directive = (csp ?? '')
    .split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith('frame-ancestors '));
  if (!directive) throw new Error(`no frame-ancestors in ${csp}`);
  return directive.slice('frame-ancestors '.length);
}

describe('the desk pages (a built desk)', () => {
  let root: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'switchboard-web-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(
      join(root, 'index.html'),
      '<!doctype html><title>Switchboard</title><div id="root"></div>',
    );
    writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    // What the build writes beside an asset (vite-plugin-compression2).
    writeFileSync(join(root, 'assets', 'page-def456.js'), BUNDLE);
    writeFileSync(join(root, 'assets', 'page-def456.js.br'), brotliCompressSync(BUNDLE));
    writeFileSync(join(root, 'assets', 'page-def456.js.gz'), gzipSync(BUNDLE));
    app = Fastify();
    const config = configDefaults({
      EMBED_ALLOWED_ORIGINS: 'https://acme.my.salesforce.com, *.zendesk.com,http://localhost:*',
    });
    await app.register(securityHeaders, { config });
    await app.register(webRoutes, { root });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it.each(PAGES)('%s is the desk, framable only by the allowed origins', async (url) => {
    const response = await app.inject({ url });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('<div id="root">');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(frameAncestors(response.headers['content-security-policy'] as string)).toBe(
      "'self' https://acme.my.salesforce.com https://*.zendesk.com http://localhost:*",
    );
    expect(response.headers['x-frame-options']).toBeUndefined();
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('an unknown page asked for by a browser is the desk (its own 404 page), with 404', async () => {
    const accept = 'text/html,application/xhtml+xml,*/*;q=0.8';
    const page = await app.inject({ url: '/nope', headers: { accept } });
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain('frame-ancestors');
    expect(page.body).toContain('<div id="root">');
    // Not asked for as a page, under an API prefix, or a file: the API's JSON 404.
    for (const [url, headers] of [
      ['/nope', {}],
      ['/apps/api/v1/nope', { accept }],
      ['/desk/api/nope', { accept }],
      ['/emulator/nope', { accept }],
      ['/assets/nope.js', { accept }],
    ] as const) {
      const response = await app.inject({ url, headers });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type'], url).toMatch(/^application\/json/);
    }
  });

  it('assets carry the same policy, and hashed assets are cached for good', async () => {
    const asset = await app.inject({ url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(frameAncestors(asset.headers['content-security-policy'] as string)).toContain(
      'https://*.zendesk.com',
    );
    expect(asset.headers['x-frame-options']).toBeUndefined();
    const icon = await app.inject({ url: '/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('assets go compressed as the browser accepts, brotli first, and say they vary by it', async () => {
    const cases: Array<[string | undefined, string | undefined, (b: Buffer) => Buffer]> = [
      ['gzip, deflate, br, zstd', 'br', brotliDecompressSync],
      ['gzip, deflate', 'gzip', gunzipSync],
      ['identity', undefined, (b) => b],
      [undefined, undefined, (b) => b],
    ];
    for (const [accept, encoding, decode] of cases) {
      const response = await app.inject({
        url: '/assets/page-def456.js',
        headers: accept === undefined ? {} : { 'accept-encoding': accept },
      });
      expect(response.statusCode, accept).toBe(200);
      expect(response.headers['content-encoding'], accept).toBe(encoding);
      expect(response.headers['content-type']).toMatch(
        /^(text|application)\/javascript; charset=utf-8$/,
      );
      expect(response.headers.vary).toBe('Accept-Encoding');
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      const bytes = response.rawPayload;
      if (encoding) expect(bytes.length).toBeLessThan(BUNDLE.length / 10);
      expect(decode(bytes).toString()).toBe(BUNDLE);
    }
    // An asset built without compressed copies is sent as it is.
    const plain = await app.inject({
      url: '/assets/index-abc123.js',
      headers: { 'accept-encoding': 'br, gzip' },
    });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe('console.log(1)');
  });

  it('the policy lets the desk load only its own scripts and talk only to its own server', async () => {
    const csp = (await app.inject({ url: '/calls' })).headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("object-src 'none'");
    // Never a source that lets any page frame the desk.
    for (const source of frameAncestors(csp).split(' '))
      expect(['*', 'http:', 'https:']).not.toContain(source);
  });
});

describe('the desk pages (not built)', () => {
  it('say how to build, with the same headers', async () => {
    const app = Fastify();
    await app.register(securityHeaders, { config: configDefaults() });
    await app.register(webRoutes, { root: join(tmpdir(), 'switchboard-no-such-build') });
    const response = await app.inject({ url: '/calls' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('npm run build');
    expect(frameAncestors(response.headers['content-security-policy'] as string)).toBe(
      "'self' http://localhost:* http://127.0.0.1:*",
    );
    await app.close();
  });
});

describe('one list for framing and for messages (the real server)', () => {
  const server = useTestServer({
    EMBED_ALLOWED_ORIGINS: 'crm.example.com,*.kustomerapp.com:8443,http://localhost:4188',
  });

  it('the CSP on the desk and the session the desk reads name the same origins', async () => {
    const page = await fetch(`${server.baseUrl}/embed/check`);
    expect(page.status).toBe(200);
    expect(frameAncestors(page.headers.get('content-security-policy'))).toBe(
      "'self' https://crm.example.com https://*.kustomerapp.com:8443 http://localhost:4188",
    );
    // Known before anyone signs in: the framed desk talks to its host from the start.
    const session = await fetch(`${server.baseUrl}/desk/api/embed`, {
      headers: { 'x-switchboard-desk': '1' },
    });
    expect(await session.json()).toMatchObject({
      embed_protocol: 'switchboard/v1',
      embed_allowed_origins: ['crm.example.com', '*.kustomerapp.com:8443', 'http://localhost:4188'],
    });
  });

  it('the Call API itself is not a page: no frame policy needed there, and unknown paths are 404', async () => {
    const response = await fetch(`${server.baseUrl}/nothing-here`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Resource not found' });
  });
});

describe('EMBED_ALLOWED_ORIGINS', () => {
  it('defaults to the desk itself and localhost on any port', () => {
    const list = embedAllowList(configDefaults());
    expect(list.entries).toEqual(['http://localhost:*', 'http://127.0.0.1:*']);
    expect(list.frameAncestors).toBe("'self' http://localhost:* http://127.0.0.1:*");
  });

  it('takes one origin per entry, trimmed, empty entries skipped', () => {
    const list = embedAllowList(
      configDefaults({ EMBED_ALLOWED_ORIGINS: ' https://a.example.com ,, *.b.example.com:* ,' }),
    );
    expect(list.entries).toEqual(['https://a.example.com', '*.b.example.com:*']);
    expect(list.frameAncestors).toBe("'self' https://a.example.com https://*.b.example.com:*");
  });

  it('stops the server at start-up with a message naming a malformed entry', () => {
    expect(() =>
      parseConfig({
        EMBED_ALLOWED_ORIGINS: 'https://ok.example.com,https://crm.example.com/path,*',
      }),
    ).toThrow(/EMBED_ALLOWED_ORIGINS: not an origin rule: https:\/\/crm\.example\.com\/path, \*/);
    expect(() => embedAllowList({ EMBED_ALLOWED_ORIGINS: 'ftp://files.example.com' })).toThrow(
      /ftp:\/\/files\.example\.com/,
    );
  });
});
