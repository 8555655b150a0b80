import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundBody } from './test/api-helpers.ts';
import {
  rawRequest,
  spawnServer,
  startServerProcess,
  tempDataDir,
  type ServerProcess,
} from './test/test-server.ts';

// What `npm start` runs: the server bundled by scripts/build.mjs, started by plain Node with
// no TypeScript loader. It must find what it reads beside its sources (the fixture tenant,
// the SQL migrations, Swagger UI's files).

const outdir = join(process.cwd(), 'dist', `server-test-${process.pid}`);
const dataDir = tempDataDir();
let server: ServerProcess;

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['scripts/build.mjs', '--server-to', outdir]);
  server = await spawnServer({ DATA_DIR: dataDir }, { entry: join(outdir, 'main.js') });
}, 60_000);

afterAll(async () => {
  await server?.kill('SIGTERM');
  rmSync(outdir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the built server', () => {
  it('runs without a TypeScript loader', () => {
    expect(server.child.spawnargs).toEqual([
      process.execPath,
      '--enable-source-maps',
      join(outdir, 'main.js'),
    ]);
  });

  it('seeds the fixture tenant (its JSON is in the bundle) and migrates the database', async () => {
    const menus = await rawRequest(server.baseUrl, 'GET', '/manager/api/v1/menus');
    expect(menus.status).toBe(200);
    expect((menus.body as Array<{ id: number }>).map((m) => m.id)).toContain(9);
    const created = await rawRequest(server.baseUrl, 'POST', '/apps/api/v1/calls', {
      body: inboundBody(),
    });
    expect(created.status, created.text).toBe(201);
  });

  it('serves the API reference with its Swagger UI assets', async () => {
    for (const path of [
      '/docs',
      '/docs/assets/swagger-ui-bundle.js',
      '/apps/api/v1/openapi.json',
    ]) {
      expect((await rawRequest(server.baseUrl, 'GET', path)).status, path).toBe(200);
    }
  });
});

describe('a DATA_DIR the server cannot use', () => {
  /** Starts the server on `dataDir` and answers how it ended and what it said. */
  async function refusedStart(dataDir: string) {
    const started = startServerProcess({ DATA_DIR: dataDir });
    const code = await started.exited;
    return { code, output: started.output() };
  }

  function expectPlainMessage(output: string, dataDir: string, why: RegExp) {
    expect(output).toContain(`DATA_DIR ${dataDir}: `);
    expect(output).toMatch(why);
    expect(output).toContain('Set DATA_DIR to a directory this user may create and write to.');
    // A sentence, not a stack trace.
    expect(output).not.toMatch(/^\s+at /m);
    expect(output).not.toMatch(/Error:|node:internal|\.ts:\d+/);
  }

  it('missing and impossible to create: says which directory and why, exits 1', async () => {
    const parent = tempDataDir();
    const file = join(parent, 'a-file');
    writeFileSync(file, 'not a directory');
    const dataDir = join(file, 'data');
    const { code, output } = await refusedStart(dataDir);
    expect(code).toBe(1);
    expectPlainMessage(
      output,
      dataDir,
      /cannot be created: a part of the path is a file, not a directory \(ENOTDIR\)/,
    );
    rmSync(parent, { recursive: true, force: true });
  });

  it('read-only: says which directory and why, exits 1', async () => {
    const dataDir = tempDataDir();
    // Root writes through permission bits: a read-only mount is what stops it.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', dataDir]);
    else chmodSync(dataDir, 0o555);
    try {
      const { code, output } = await refusedStart(dataDir);
      expect(code).toBe(1);
      expectPlainMessage(
        output,
        dataDir,
        asRoot
          ? /cannot be written to: it is on a read-only filesystem \(EROFS\)/
          : /cannot be written to: permission denied \(EACCES\)/,
      );
    } finally {
      if (asRoot) execFileSync('umount', [dataDir]);
      else chmodSync(dataDir, 0o755);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
