import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundBody, outboundBody, scheduledBody, type Json } from '../test/api-helpers.ts';
import { rawRequest, spawnServer, tempDataDir, type ServerProcess } from '../test/test-server.ts';

// What the API acknowledged survives the process being killed: the server runs as its own
// process, is stopped with SIGKILL (no shutdown hook runs) and started again on the same
// data directory. (A kill in the middle of a burst of writes: faults/durability-sigkill.)

let dataDir: string;
let running: ServerProcess | undefined;

beforeAll(() => {
  dataDir = tempDataDir();
});
afterAll(async () => {
  if (running && running.child.exitCode === null) await running.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const start = async () => {
  running = await spawnServer({ DATA_DIR: dataDir });
  return running;
};
const call = (server: ServerProcess, method: string, path: string, body?: unknown) =>
  rawRequest(server.baseUrl, method, path, body === undefined ? {} : { body });

describe('SIGKILL and restart on the same DATA_DIR', () => {
  it('keeps every acknowledged call, flag change, cancel and tenant change; ids stay distinct', async () => {
    let server = await start();
    expect((await call(server, 'POST', '/emulator/reset')).status).toBe(204);

    // Concurrent creates: each acknowledged call has its own id and participant ids.
    const bodies = Array.from({ length: 30 }, (_, i) =>
      i % 3 === 0 ? outboundBody() : i % 3 === 1 ? inboundBody() : scheduledBody(),
    );
    const created = await Promise.all(
      bodies.map((b) => call(server, 'POST', '/apps/api/v1/calls', b)),
    );
    expect(created.map((r) => r.status)).toEqual(bodies.map(() => 201));
    const calls = created.map((r) => r.body as Json);
    const ids = calls.map((c) => c.id as number);
    expect(new Set(ids).size).toBe(ids.length);
    const participantIds = calls.flatMap((c) => (c.participants as Json[]).map((p) => p.id));
    expect(new Set(participantIds).size).toBe(participantIds.length);

    const flagged = calls[1]!.id as number;
    const flag = await call(server, 'PATCH', `/apps/api/v1/calls/${flagged}/customer_flag`, {
      bad_actor: true,
      verified_customer: true,
    });
    expect(flag.status).toBe(200);
    const cancelled = calls[2]!.id as number;
    expect(
      (await call(server, 'PATCH', `/apps/api/v1/calls/scheduled/${cancelled}/cancel`)).status,
    ).toBe(200);
    const agent = await call(server, 'PATCH', '/emulator/agents/allen%40somedomain.com', {
      status: 'available',
    });
    expect(agent.status).toBe(200);

    // Every acknowledged state, as read before the kill.
    const before = new Map<number, Json>();
    for (const id of ids) {
      before.set(id, (await call(server, 'GET', `/apps/api/v1/calls/${id}`)).body as Json);
    }

    expect(await server.kill('SIGKILL')).toBe(null);
    server = await start();

    for (const id of ids) {
      const after = await call(server, 'GET', `/apps/api/v1/calls/${id}`);
      expect(after.status).toBe(200);
      expect(after.body).toEqual(before.get(id));
    }
    expect((await call(server, 'GET', `/apps/api/v1/calls/${flagged}/customer_flag`)).body).toEqual(
      {
        verified_customer: true,
        bad_actor: true,
        repeat_customer: false,
      },
    );
    expect(
      ((await call(server, 'GET', `/apps/api/v1/calls/${cancelled}`)).body as Json).status,
    ).toBe('cancelled');
    const agents = (await call(server, 'GET', '/manager/api/v1/agents')).body as Json[];
    expect(agents.find((a) => a.email === 'allen@somedomain.com')?.status).toMatchObject({
      name: 'Available',
    });
    const list = await call(server, 'GET', '/apps/api/v1/calls?per=100');
    expect(list.headers.get('Total')).toBe(String(ids.length));

    // New ids after the restart are new.
    const next = await call(server, 'POST', '/apps/api/v1/calls', inboundBody());
    expect(next.status).toBe(201);
    expect(next.body as Json).toMatchObject({ id: Math.max(...ids) + 1 });
  });
});
