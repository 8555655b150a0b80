import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { createRequire } from 'node:module';
import { API_PREFIX } from '../../contract/client.ts';
import { cspDirectives } from '../http/security-headers.ts';
import { openApiDocument } from '../openapi.ts';

// The OpenAPI document and an interactive reference page (Swagger UI, served from the
// package: nothing is fetched from the internet).

const swaggerDir = (
  createRequire(import.meta.url)('swagger-ui-dist') as { getAbsoluteFSPath(): string }
).getAbsoluteFSPath();

const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Call API reference — Switchboard</title>
    <link rel="stylesheet" href="/docs/assets/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/assets/swagger-ui-bundle.js"></script>
    <script src="/docs/init.js"></script>
  </body>
</html>`;

const init = `window.ui = SwaggerUIBundle({ url: '${API_PREFIX}/openapi.json', dom_id: '#swagger-ui', deepLinking: true });`;

// Swagger UI runs with the desk's policy, framed by nothing but this server, and its
// icons are data: URLs.
const DOCS_CSP = {
  useDefaults: false,
  directives: { ...cspDirectives("'self'"), imgSrc: ["'self'", 'data:'] },
};

export async function docsRoutes(app: FastifyInstance) {
  app.get(`${API_PREFIX}/openapi.json`, async () => openApiDocument());
  app.get('/docs', { helmet: { contentSecurityPolicy: DOCS_CSP } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(page),
  );
  app.get('/docs/init.js', async (_request, reply) => reply.type('text/javascript').send(init));
  await app.register(fastifyStatic, {
    root: swaggerDir,
    prefix: '/docs/assets/',
    decorateReply: false,
    index: false,
    allowedPath: (path) => /^\/swagger-ui(-bundle\.js|\.css)$/.test(path),
  });
}
