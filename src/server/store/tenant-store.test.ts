import { rmSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config.ts';
import { inboundBody } from '../test/api-helpers.ts';
import {
  FIXTURE_AUTH,
  rawRequest,
  spawnServer,
  tempDataDir,
  type ServerProcess,
} from '../test/test-server.ts';

// EMULATOR_EXTRA_TENANTS is read at every start: what it says then is what holds, on a
// data directory that already has the tenants of an earlier start.

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

const dataDir = tempDataDir();
let running: ServerProcess | undefined;

async function start(extraTenants: string): Promise<ServerProcess> {
  running = await spawnServer({ DATA_DIR: dataDir, EMULATOR_EXTRA_TENANTS: extraTenants });
  return running;
}
afterEach(async () => {
  if (running && running.child.exitCode === null) await running.kill('SIGTERM');
  running = undefined;
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const calls = (server: ServerProcess, authorization: string) =>
  rawRequest(server.baseUrl, 'GET', '/apps/api/v1/calls', { headers: { authorization } });

describe('EMULATOR_EXTRA_TENANTS across restarts', () => {
  let acmeCall: number;

  it('first start: both extra tenants log in with their tokens', async () => {
    const server = await start('acme:first-token,beta:beta-token');
    const created = await rawRequest(server.baseUrl, 'POST', '/apps/api/v1/calls', {
      headers: { authorization: basic('acme', 'first-token') },
      body: inboundBody(),
    });
    expect(created.status).toBe(201);
    acmeCall = (created.body as { id: number }).id;
    expect((await calls(server, basic('beta', 'beta-token'))).status).toBe(200);
  });

  it('a changed token is the only one that works; a removed tenant is no tenant', async () => {
    const server = await start('acme:second-token');
    const old = await calls(server, basic('acme', 'first-token'));
    expect({ status: old.status, body: old.body }).toEqual({
      status: 401,
      body: { message: 'Unauthorized' },
    });
    const now = await calls(server, basic('acme', 'second-token'));
    expect(now.status).toBe(200);
    // The tenant kept its calls.
    expect((now.body as Array<{ id: number }>).map((c) => c.id)).toEqual([acmeCall]);
    const removed = await calls(server, basic('beta', 'beta-token'));
    expect({ status: removed.status, body: removed.body }).toEqual({
      status: 404,
      body: { message: 'Resource not found - Please check your subdomain' },
    });
    expect((await calls(server, FIXTURE_AUTH)).status).toBe(200);
  });

  it('a tenant named again comes back with its data', async () => {
    const server = await start('acme:second-token,beta:beta-token');
    expect((await calls(server, basic('beta', 'beta-token'))).status).toBe(200);
    expect((await calls(server, basic('acme', 'first-token'))).status).toBe(401);
  });
});

describe('EMULATOR_EXTRA_TENANTS at start-up', () => {
  it('refuses malformed entries with a message naming them, never their token', () => {
    for (const [value, message] of [
      ['acme', /"acme" is not subdomain:token/],
      ['acme:', /"acme" is not subdomain:token/],
      [':token-only', /"" is not subdomain:token/],
      ['acme:one,acme:two', /"acme" is named twice/],
    ] as const) {
      expect(() => parseConfig({ EMULATOR_EXTRA_TENANTS: value }), value).toThrow(message);
      expect(() => parseConfig({ EMULATOR_EXTRA_TENANTS: value })).not.toThrow(/token-only|two/);
    }
  });

  it('takes a token with colons in it', () => {
    expect(() => parseConfig({ EMULATOR_EXTRA_TENANTS: 'acme:a:b:c' })).not.toThrow();
  });
});
