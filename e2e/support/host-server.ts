// The CRM host fixture for the browser tests: a tiny static server for e2e/support/*.html,
// listening on two ports of the loopback interface (IPv4 and, where there is one, IPv6, as
// the browser may resolve "localhost" to either): HOST_PORT is on the desk's
// EMBED_ALLOWED_ORIGINS, REFUSED_HOST_PORT is not.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HOST_PORT, REFUSED_HOST_PORT } from './ports.ts';

const here = dirname(fileURLToPath(import.meta.url));
const PAGES: Readonly<Record<string, string>> = {
  '/crm-host.html': 'crm-host.html',
  '/sibling.html': 'sibling.html',
};

const servers: Server[] = [];

function listen(port: number, host: string): Promise<void> {
  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === '/healthz') {
      response.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      return;
    }
    const file = PAGES[path];
    if (!file) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    response
      .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
      .end(await readFile(join(here, file)));
  });
  servers.push(server);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

for (const port of [HOST_PORT, REFUSED_HOST_PORT]) {
  await listen(port, '127.0.0.1');
  await listen(port, '::1').catch(() => {}); // no IPv6 loopback here: IPv4 it is
}
console.log(
  `CRM host pages on http://localhost:${HOST_PORT} and http://localhost:${REFUSED_HOST_PORT}`,
);

const stop = () => {
  for (const server of servers) server.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
