import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { embedAllowList } from '../http/embed-origins.ts';
import type { Services } from '../services.ts';

// The built desk (dist/web): static assets, and index.html for every page of the SPA so
// that deep links survive a reload. Every response carries the same security headers; the
// CSP's frame-ancestors comes from EMBED_ALLOWED_ORIGINS, the list the desk also checks
// postMessage origins against (read from /desk/api/session), so the page that may frame
// the desk and the page it talks to are always the same. There is deliberately no
// X-Frame-Options: it cannot name origins, and a browser that honours it would refuse
// every CRM that frame-ancestors allows.

export const WEB_ROOT = join(process.cwd(), 'dist', 'web');

/** The desk's pages: the SPA's routes (react-router), each answered with index.html. */
export const DESK_PAGES = ['/', '/calls', '/calls/*', '/embed/*', '/sign-in'] as const;

export function securityHeaders(frameAncestors: string): Record<string, string> {
  return {
    'Content-Security-Policy': [
      "default-src 'self'",
      "script-src 'self'",
      // Emotion (MUI) injects style elements at run time.
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' https: data:",
      "media-src 'self' https:",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      `frame-ancestors ${frameAncestors}`,
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
  };
}

export async function webRoutes(
  app: FastifyInstance,
  { services, root = WEB_ROOT }: { services: Pick<Services, 'config'>; root?: string },
) {
  const headers = securityHeaders(embedAllowList(services.config).frameAncestors);
  const indexPath = join(root, 'index.html');
  const built = existsSync(indexPath);
  const index = built
    ? readFileSync(indexPath, 'utf8')
    : '<!doctype html><html lang="en"><title>Switchboard</title><p>The desk is not built: run <code>npm run build</code>.</p></html>';

  const sendIndex = (reply: FastifyReply) =>
    reply
      .headers(headers)
      .header('Cache-Control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(index);

  if (built) {
    const assets = join(root, 'assets') + sep;
    await app.register(fastifyStatic, {
      root,
      prefix: '/',
      wildcard: false,
      index: false,
      // Cache-Control is set here, not by `send` (whose header would override ours).
      cacheControl: false,
      setHeaders: (res, path) => {
        for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
        // Vite names assets by content hash: they never change under the same name.
        res.setHeader(
          'Cache-Control',
          path.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }

  for (const route of DESK_PAGES) {
    app.get(route, async (_request, reply) => sendIndex(reply));
  }

  // Any other address a browser asks for as a page (/nope) gets the desk, with a 404: the
  // desk shows its own "Page not found" with the way back to the calls. An API client, a
  // path under an API prefix, or a file that is not there gets the API's JSON 404 as before.
  app.get('/*', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const wantsPage = /\btext\/html\b/.test(request.headers.accept ?? '');
    if (!wantsPage || !isPagePath(path)) return reply.callNotFound();
    return sendIndex(reply.code(404));
  });
}

/** Paths the API, the emulator or the reference own, and files: never the desk's pages. */
const NOT_PAGES = /^\/(apps|manager|emulator|desk\/api|docs|healthz)(\/|$)/;

export function isPagePath(path: string): boolean {
  return !NOT_PAGES.test(path) && !/\.[a-z0-9]{1,8}$/i.test(path);
}
