import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';

// The built desk (dist/web): static assets, and index.html for every page of the SPA so
// that deep links survive a reload. The security headers (the CSP whose frame-ancestors is
// EMBED_ALLOWED_ORIGINS, no X-Frame-Options) are set for every response by
// http/security-headers.ts.

const WEB_ROOT = join(process.cwd(), 'dist', 'web');

/** The desk's pages: the SPA's routes (react-router), each answered with index.html. */
const DESK_PAGES = ['/', '/calls', '/calls/*', '/embed/*', '/sign-in'] as const;

export async function webRoutes(app: FastifyInstance, { root = WEB_ROOT }: { root?: string } = {}) {
  const indexPath = join(root, 'index.html');
  const built = existsSync(indexPath);
  const index = built
    ? readFileSync(indexPath, 'utf8')
    : '<!doctype html><html lang="en"><title>Switchboard</title><p>The desk is not built: run <code>npm run build</code>.</p></html>';

  const sendIndex = (reply: FastifyReply) =>
    reply.header('Cache-Control', 'no-cache').type('text/html; charset=utf-8').send(index);

  if (built) {
    const assets = join(root, 'assets') + sep;
    await app.register(fastifyStatic, {
      root,
      prefix: '/',
      wildcard: false,
      index: false,
      // The build wrote every asset also as .br and .gz: the one the browser accepts is sent
      // (brotli first), the plain file to a browser that accepts neither.
      preCompressed: true,
      // Cache-Control is set here, not by `send` (whose header would override ours).
      cacheControl: false,
      setHeaders: (res, path) => {
        // Which file is sent depends on Accept-Encoding: a cache must keep them apart.
        res.setHeader('Vary', 'Accept-Encoding');
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

function isPagePath(path: string): boolean {
  return !NOT_PAGES.test(path) && !/\.[a-z0-9]{1,8}$/i.test(path);
}
