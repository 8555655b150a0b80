import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCallApiClient, type CallApiClient } from '../../contract/client.ts';
import { signIn } from '../../server/test/sign-in.ts';
import fixture from '../../server/fixtures/fixture-tenant.json' with { type: 'json' };

// The real server for the desk's component tests: `src/server/main.ts` in its own process,
// on a random loopback port and a temporary data directory, reached over real HTTP exactly
// as the browser reaches it (through /desk/api). Its own process, because the browser-like
// test environment transforms modules for the web, which the server's code is not meant for.

export interface DeskTestServer {
  /** e.g. http://127.0.0.1:43121 */
  baseUrl: string;
  /**
   * The emulator's own API with the fixture tenant's credentials, for arranging state and
   * checking what the desk did (the desk itself goes through /desk/api, signed in).
   */
  client: CallApiClient;
  /** A session of each fixture agent, signed in through the emulator's identity provider. */
  sessions: Record<string, string>;
  close(): Promise<void>;
}

export async function startDeskServer(env: Record<string, string> = {}): Promise<DeskTestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-web-test-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      NODE_ENV: 'test',
      RATE_LIMIT_PER_SECOND: '0',
      EMULATOR_AUTOPLAY: '0',
      UPSTREAM_BUDGET_PER_SECOND: '0',
      DESK_ACT_FOR_OTHERS_ROLES: 'admin',
      LOG_LEVEL: 'warn',
      ...env,
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the server did not start:\n${output}`)),
      30_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Desk:\s+(http:\/\/[^/\s]+)\//.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}):\n${output}`));
    });
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const sessions: Record<string, string> = {};
  for (const agent of fixture.agents) {
    sessions[agent.email] = (await signIn(baseUrl, agent.email)).secret;
  }
  return {
    baseUrl,
    sessions,
    client: createCallApiClient({
      baseUrl,
      credentials: { subdomain: fixture.subdomain, token: fixture.api_token },
      rateLimitRetries: 0,
    }),
    async close() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
