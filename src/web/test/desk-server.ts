import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallApiClient } from '../../contract/client.ts';
import { createDeskApiClient } from '../desk/api-client.tsx';

// The real server for the desk's component tests: `src/server/main.ts` in its own process,
// on a random loopback port and a temporary data directory, reached over real HTTP exactly
// as the browser reaches it (through /desk/api). Its own process, because the browser-like
// test environment transforms modules for the web, which the server's code is not meant for.

export interface DeskTestServer {
  /** e.g. http://127.0.0.1:43121 */
  baseUrl: string;
  /** The desk's own client (X-Switchboard-Desk, no credentials), for arranging state. */
  client: CallApiClient;
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
  return {
    baseUrl,
    client: createDeskApiClient(`${baseUrl}/desk/api`),
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
