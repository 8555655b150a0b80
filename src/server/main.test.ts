import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundBody } from './test/api-helpers.ts';
import { rawRequest, spawnServer, tempDataDir, type ServerProcess } from './test/test-server.ts';

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
