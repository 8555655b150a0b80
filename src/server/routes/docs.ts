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
    <meta name="color-scheme" content="light dark" />
    <link rel="stylesheet" href="/docs/assets/swagger-ui.css" />
    <link rel="stylesheet" href="/docs/theme.css" />
  </head>
  <body>
    <header class="desk-bar">
      <a href="/calls">← Switchboard</a>
      <span>Call API reference</span>
    </header>
    <div id="swagger-ui"></div>
    <script src="/docs/assets/swagger-ui-bundle.js"></script>
    <script src="/docs/init.js"></script>
  </body>
</html>`;

// The desk's light or dark scheme, as the agent chose it there (MUI keeps the choice in
// localStorage under mui-mode), else the system's.
const init = `(function () {
  var mode = null;
  try { mode = localStorage.getItem('mui-mode'); } catch (e) {}
  var dark = mode === 'dark' || (mode !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.setAttribute('data-scheme', dark ? 'dark' : 'light');
})();
window.ui = SwaggerUIBundle({ url: '${API_PREFIX}/openapi.json', dom_id: '#swagger-ui', deepLinking: true });`;

/** The desk's colours around Swagger UI, and its dark scheme (Swagger UI has none). */
const theme = `
body { margin: 0; background: #f5f7fa; font-family: system-ui, sans-serif; }
.desk-bar { display: flex; gap: 16px; align-items: center; padding: 10px 20px; background: #fff;
  border-bottom: 1px solid #dde3ea; font-size: 16px; }
.desk-bar a { color: #1f5fbf; font-weight: 600; text-decoration: none; }
.desk-bar a:hover { text-decoration: underline; }
.desk-bar a:focus-visible { outline: 3px solid #0b3d91; outline-offset: 2px; border-radius: 2px; }
html[data-scheme='dark'] body { background: #101418; }
html[data-scheme='dark'] .desk-bar { background: #161b21; border-color: #2a323c; color: #e6e9ed; }
html[data-scheme='dark'] .desk-bar a { color: #8ab4f8; }
html[data-scheme='dark'] .desk-bar a:focus-visible { outline-color: #ffd54f; }
html[data-scheme='dark'] .swagger-ui { filter: invert(0.88) hue-rotate(180deg); }
`;

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
  app.get('/docs/theme.css', async (_request, reply) => reply.type('text/css').send(theme));
  await app.register(fastifyStatic, {
    root: swaggerDir,
    prefix: '/docs/assets/',
    decorateReply: false,
    index: false,
    allowedPath: (path) => /^\/swagger-ui(-bundle\.js|\.css)$/.test(path),
  });
}
