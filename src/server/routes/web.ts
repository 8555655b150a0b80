import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { embedAllowList } from '../http/embed-origins.ts';
import type { Services } from '../services.ts';

// The built desk (dist/web): static assets, and index.html for every page of the SPA so
// that deep links survive a reload.

export const WEB_ROOT = join(process.cwd(), 'dist', 'web');

function securityHeaders(services: Services) {
  const { frameAncestors } = embedAllowList(services.config);
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

export async function webRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const headers = securityHeaders(services);
  const indexPath = join(WEB_ROOT, 'index.html');
  const built = existsSync(indexPath);
  const index = built
    ? readFileSync(indexPath, 'utf8')
    : '<!doctype html><title>Switchboard</title><p>The desk is not built: run <code>npm run build</code>.</p>';

  const sendIndex = (reply: FastifyReply) =>
    reply
      .headers(headers)
      .header('Cache-Control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(index);

  if (built) {
    await app.register(fastifyStatic, {
      root: WEB_ROOT,
      prefix: '/',
      wildcard: false,
      index: false,
      setHeaders: (res, path) => {
        for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
        if (path.includes(`${join('web', 'assets')}`)) {
          res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
        }
      },
    });
  }

  app.get('/', async (_request, reply) => sendIndex(reply));
  for (const route of ['/calls', '/calls/*', '/embed/*']) {
    app.get(route, async (_request, reply) => sendIndex(reply));
  }
}
