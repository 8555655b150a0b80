import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { createCallApiClient, type CallApiClient } from '../../contract/client.ts';
import { buildApp } from '../app.ts';
import { configDefaults, type ServerConfig } from '../config.ts';
import { loggerOptions } from '../http/request-log.ts';
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

export interface TestServerOptions {
  /** Where the server's log lines go (JSON, one per line); no logging without it. */
  logStream?: { write(line: string): void };
}

export async function startTestServer(
  overrides: Partial<ServerConfig> = {},
  { logStream }: TestServerOptions = {},
): Promise<TestServer> {
  const ownDir = overrides.DATA_DIR === undefined;
  const dataDir = overrides.DATA_DIR ?? tempDataDir();
  // Limits off unless a test is about them: files send many requests, and wrong
  // credentials on purpose, from one address.
  const config = configDefaults({
    RATE_LIMIT_PER_SECOND: 0,
    LOGIN_FAILURES_PER_ADDRESS: 0,
    LOGIN_FAILURES_PER_TENANT: 0,
    UPSTREAM_BUDGET_PER_SECOND: 0,
    ...overrides,
    DATA_DIR: dataDir,
  });
  const app = await buildApp({
    config,
    logger: logStream ? { ...loggerOptions(config, {}), stream: logStream } : false,
  });
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
      // Retried: a file closed a moment late must not fail the clean-up (ENOTEMPTY).
      if (ownDir) rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}

/**
 * The server of a test file: started before its tests (beforeAll) on a temporary database
 * and a port the OS assigns, closed after them. Use it inside tests and hooks only.
 */
export function useTestServer(
  overrides: Partial<ServerConfig> = {},
  options: TestServerOptions = {},
): TestServer {
  let current: TestServer | undefined;
  beforeAll(async () => {
    current = await startTestServer(overrides, options);
  });
  afterAll(async () => {
    await current?.close();
    current = undefined;
  });
  const started = (): TestServer => {
    if (!current)
      throw new Error('the test server is started in beforeAll: use it in a test or hook');
    return current;
  };
  return {
    get app() {
      return started().app;
    },
    get baseUrl() {
      return started().baseUrl;
    },
    get dataDir() {
      return started().dataDir;
    },
    get client() {
      return started().client;
    },
    request: (...args) => started().request(...args),
    close: () => started().close(),
  };
}

export interface ServerProcess {
  baseUrl: string;
  child: ChildProcess;
  /** Everything the process wrote so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface SpawnOptions {
  /** What to run: the sources through tsx (default), or a built bundle. */
  entry?: string;
  /** How long to wait for it to listen. */
  timeoutMs?: number;
}

/** The server process as it is started, before it listens (or after it failed to). */
export interface StartedProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** Starts `main` with this environment; does not wait for anything. */
export function startServerProcess(
  env: Record<string, string>,
  { entry }: Pick<SpawnOptions, 'entry'> = {},
): StartedProcess {
  const args = entry ? ['--enable-source-maps', entry] : ['--import', 'tsx', 'src/server/main.ts'];
  const child = spawn(process.execPath, args, {
    cwd: process.cwd(),
    env: {
      ...process.env,
      RATE_LIMIT_PER_SECOND: '0',
      LOGIN_FAILURES_PER_ADDRESS: '0',
      LOGIN_FAILURES_PER_TENANT: '0',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      ...env,
      // The OS picks a free port; the server says which in its start-up banner.
      PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/**
 * The server as its own process (`tsx src/server/main.ts`, or a built bundle), for tests
 * that stop it hard and start it again on the same data directory. It listens on a port
 * the OS assigns, read from the banner it prints once it listens.
 */
export async function spawnServer(
  env: Record<string, string>,
  { entry, timeoutMs = 30_000 }: SpawnOptions = {},
): Promise<ServerProcess> {
  const started = startServerProcess(env, { entry });
  const { child, exited, output } = started;
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start: ${output()}`));
    }, timeoutMs);
    const look = () => {
      const match = /API:\s+(http:\/\/[^/\s]+)\//.exec(output());
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', look);
      resolve(match[1]!);
    };
    child.stdout!.on('data', look);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`server exited: ${output()}`));
    });
  });
  return {
    baseUrl,
    child,
    output,
    exited,
    kill(signal = 'SIGTERM') {
      child.kill(signal);
      return exited;
    },
  };
}
