import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// The Call API and the emulator's control API of a local server, as the fixture tenant
// (for the benchmarks and the screenshots, which drive a real server over HTTP).

const AUTH = `Basic ${Buffer.from('somedomain:local-dev-token').toString('base64')}`;

/** One request; a non-2xx answer throws with its status and text. */
export async function fixtureApi<T = Record<string, unknown>>(
  origin: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${origin}${path}`, {
    method,
    headers: {
      Authorization: AUTH,
      ...(body !== undefined && { 'Content-Type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/**
 * Starts the server in a process of its own (`args` after node: the bundle or the sources
 * through tsx) on `env.PORT`, on the loopback, with the limits and autoplay off unless
 * `env` says otherwise, and resolves once /healthz answers.
 */
export async function spawnLocalServer(
  name: string,
  args: string[],
  env: Record<string, string | undefined> & { PORT: string; DATA_DIR: string },
): Promise<{ origin: string; child: ChildProcess }> {
  const child = spawn(process.execPath, args, {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: {
      ...process.env,
      RATE_LIMIT_PER_SECOND: '0',
      // Calls stay where the script puts them: no autoplayed progress.
      EMULATOR_AUTOPLAY: '0',
      LOG_LEVEL: 'warn',
      ...env,
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const origin = `http://127.0.0.1:${env.PORT}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode})`);
    try {
      if ((await fetch(`${origin}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${name} did not start within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { origin, child };
}
