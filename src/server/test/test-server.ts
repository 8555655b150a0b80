import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createCallApiClient, type CallApiClient } from '../../contract/client.ts';
import { buildApp } from '../app.ts';
import { configDefaults, type ServerConfig } from '../config.ts';
import fixture from '../fixtures/fixture-tenant.json' with { type: 'json' };

// The real server for tests: built on a temporary SQLite file, listening on a random
// loopback port, talked to over real HTTP.

export const FIXTURE_AUTH = `Basic ${Buffer.from(`${fixture.subdomain}:${fixture.api_token}`).toString('base64')}`;
export const FIXTURE_CREDENTIALS = { subdomain: fixture.subdomain, token: fixture.api_token };

export interface RawResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the body is JSON, else the text ('' when empty). */
  body: unknown;
  text: string;
}

export interface TestServer {
  app: FastifyInstance;
  baseUrl: string;
  dataDir: string;
  /** A typed client with the fixture tenant's credentials (no 429 retries). */
  client: CallApiClient;
  /** A raw request: the fixture's credentials unless `headers.authorization` says otherwise. */
  request(
    method: string,
    path: string,
    options?: { body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<RawResponse>;
  close(): Promise<void>;
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'switchboard-test-'));
}

export async function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { authorization: FIXTURE_AUTH, ...options.headers };
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  if (headers.authorization === '') delete headers.authorization;
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('json') && text !== '') {
    parsed = JSON.parse(text);
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

export async function startTestServer(overrides: Partial<ServerConfig> = {}): Promise<TestServer> {
  const ownDir = overrides.DATA_DIR === undefined;
  const dataDir = overrides.DATA_DIR ?? tempDataDir();
  const config = configDefaults({
    RATE_LIMIT_PER_SECOND: 0,
    UPSTREAM_BUDGET_PER_SECOND: 0,
    ...overrides,
    DATA_DIR: dataDir,
  });
  const app = await buildApp({ config });
  // Port 0 (the OS chooses) unless the test reserved one (freePort) for a peer to know first.
  await app.listen({ port: overrides.PORT ?? 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    app,
    baseUrl,
    dataDir,
    client: createCallApiClient({ baseUrl, credentials: FIXTURE_CREDENTIALS, rateLimitRetries: 0 }),
    request: (method, path, options) => rawRequest(baseUrl, method, path, options),
    async close() {
      await app.close();
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ServerProcess {
  baseUrl: string;
  child: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * The server as its own process (`tsx src/server/main.ts`), for tests that stop it hard
 * and start it again on the same data directory.
 */
export async function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      RATE_LIMIT_PER_SECOND: '0',
      LOG_LEVEL: 'warn',
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
    child,
    exited,
    kill(signal = 'SIGTERM') {
      child.kill(signal);
      return exited;
    },
  };
}
