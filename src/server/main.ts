import { resolve } from 'node:path';
import { buildApp } from './app.ts';
import { parseConfig } from './config.ts';
import { DataDirError } from './db/database.ts';
import { loggerOptions } from './http/request-log.ts';
import fixture from './fixtures/fixture-tenant.json' with { type: 'json' };

// Reads the configuration, listens, and shuts down gracefully on SIGTERM / SIGINT.

async function main() {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  let app;
  try {
    app = await buildApp({ config, logger: loggerOptions(config) });
  } catch (error) {
    // What an operator can fix (the data directory) is said in a sentence, not a stack.
    if (!(error instanceof DataDirError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  try {
    await app.listen({ port: config.PORT, host: config.HOST });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL') throw error;
    console.error(
      `Cannot listen on ${config.HOST}:${config.PORT} (${code}): ${
        code === 'EADDRINUSE'
          ? 'another process listens there; set PORT to another port'
          : code === 'EACCES'
            ? 'this user may not use that port; set PORT above 1023'
            : 'no such address here; set HOST'
      }.`,
    );
    await app.close();
    process.exit(1);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}`;
  const mode = config.UPSTREAM_URL ? `fronting ${config.UPSTREAM_URL}` : 'local Call API emulator';
  console.log(
    [
      '',
      `Switchboard is running (${mode}).`,
      `  Desk:        ${url}/calls`,
      `  API:         ${url}/apps/api/v1  (reference: ${url}/docs)`,
      ...(config.UPSTREAM_URL
        ? []
        : [
            `  Credentials: ${fixture.subdomain} / ${fixture.api_token}  (HTTP Basic: subdomain / API token)`,
          ]),
      `  Data:        ${resolve(config.DATA_DIR)}`,
      '',
    ].join('\n'),
  );

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

void main();
