import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CallSchema } from '../../contract/calls.ts';
import { newCall } from '../domain/call-object.ts';
import {
  inboundBody,
  mixedCallBody as body,
  outboundBody,
  scheduledBody,
  type Json,
} from '../test/api-helpers.ts';
import { rawRequest, spawnServer, tempDataDir, type ServerProcess } from '../test/test-server.ts';

// The promise behind every 201, 200 and 204: what was acknowledged (calls, flag changes,
// cancels, changes to the tenant's directory) is still there after the process is killed
// without warning (SIGKILL, no shutdown hook), ids go on where they were, and nothing is
// ever half-written: the server runs as its own process and is started again on the same
// data directory.

type Flags = { verified_customer: boolean; bad_actor: boolean; repeat_customer: boolean };

const KEYS = Object.keys(newCall(1, 'Voice Inbound (API)', new Date().toISOString()));
const WORKERS = 12;
const ROUNDS = 2;

/** What the clients were told, and what was in flight when the server died. */
interface Ledger {
  /** Calls created with a 201: id → the body of the 201. */
  created: Map<number, unknown>;
  /** Per patched call: the flags of the last 200, and of a PATCH still in flight. */
  flags: Map<number, { acked: Flags; inFlight: Flags | null }>;
}

/**
 * Workers create calls and flip the flags of calls of their own (one PATCH at a time per
 * call, so the last 200 is the last write) until the server stops answering.
 */
async function burst(server: ServerProcess, ledger: Ledger, owned: number[][], killAfter: number) {
  let acknowledged = 0;
  let killed = false;
  let sequence = ledger.created.size * 7 + 1;
  /** A request, or null when the server died before answering it. */
  const send = async (method: string, path: string, payload: unknown) => {
    try {
      return await rawRequest(server.baseUrl, method, path, { body: payload });
    } catch (error) {
      if (killed) return null;
      throw error;
    }
  };
  const worker = async (w: number) => {
    const mine = owned[w]!;
    for (let step = 0; ; step++) {
      if (step % 2 === 0 || mine.length === 0) {
        const response = await send('POST', '/apps/api/v1/calls', body(sequence++));
        if (!response) return;
        expect(response.status).toBe(201);
        ledger.created.set((response.body as { id: number }).id, response.body);
      } else {
        const id = mine[step % mine.length]!;
        const entry = ledger.flags.get(id)!;
        const next: Flags = {
          verified_customer: (step & 4) !== 0,
          bad_actor: (step & 8) !== 0,
          repeat_customer: (step & 16) !== 0,
        };
        entry.inFlight = next;
        const response = await send('PATCH', `/apps/api/v1/calls/${id}/customer_flag`, next);
        if (!response) return;
        expect(response.status).toBe(200);
        expect(response.body).toEqual(next);
        entry.acked = next;
        entry.inFlight = null;
      }
      acknowledged++;
      if (acknowledged >= killAfter && !killed) {
        killed = true;
        // Requests of every worker are in flight at this moment.
        server.child.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
  await server.exited;
}

async function allCalls(baseUrl: string): Promise<unknown[]> {
  const calls: unknown[] = [];
  for (let page = 1; ; page++) {
    const response = await rawRequest(baseUrl, 'GET', `/apps/api/v1/calls?per=100&page=${page}`);
    expect(response.status).toBe(200);
    const items = JSON.parse(response.text) as unknown[];
    calls.push(...items);
    if (calls.length >= Number(response.headers.get('total')) || items.length === 0) break;
  }
  return calls;
}

describe('durability: SIGKILL in the middle of a burst of writes', () => {
  const dataDir = tempDataDir();
  let server: ServerProcess | undefined;

  afterAll(async () => {
    if (server && server.child.exitCode === null) await server.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged create and flag change, and no row is half-written', async () => {
    const ledger: Ledger = { created: new Map(), flags: new Map() };
    server = await spawnServer({ DATA_DIR: dataDir });
    // Calls whose flags the workers will change, a few per worker.
    const owned: number[][] = Array.from({ length: WORKERS }, () => []);
    for (let i = 0; i < WORKERS * 3; i++) {
      const response = await rawRequest(server.baseUrl, 'POST', '/apps/api/v1/calls', {
        body: body(i),
      });
      const id = (response.body as { id: number }).id;
      owned[i % WORKERS]!.push(id);
      const off = { verified_customer: false, bad_actor: false, repeat_customer: false };
      ledger.flags.set(id, { acked: off, inFlight: null });
    }

    for (let round = 0; round < ROUNDS; round++) {
      await burst(server, ledger, owned, 300 + round * 100);
      server = await spawnServer({ DATA_DIR: dataDir });

      // Every 201 is there, exactly as it was answered.
      for (const [id, answered] of ledger.created) {
        const response = await rawRequest(server.baseUrl, 'GET', `/apps/api/v1/calls/${id}`);
        expect(response.status, `call ${id}`).toBe(200);
        expect(response.body).toEqual(answered);
      }
      // Every 200 on the flags is there (or the PATCH that was in flight, if it landed).
      for (const [id, { acked, inFlight }] of ledger.flags) {
        const response = await rawRequest(
          server.baseUrl,
          'GET',
          `/apps/api/v1/calls/${id}/customer_flag`,
        );
        const possible = inFlight ? [acked, inFlight] : [acked];
        expect(possible, `flags of call ${id}`).toContainEqual(response.body);
        const call = await rawRequest(server.baseUrl, 'GET', `/apps/api/v1/calls/${id}`);
        expect((call.body as { verified: boolean }).verified).toBe(
          (response.body as Flags).verified_customer,
        );
        // The in-flight PATCH either landed or not; either way the ledger moves on from here.
        ledger.flags.set(id, { acked: response.body as Flags, inFlight: null });
      }
      // Every stored call is whole: it parses, has every key, and reads back on its own.
      const calls = await allCalls(server.baseUrl);
      const known = ledger.created.size + ledger.flags.size;
      expect(calls.length).toBeGreaterThanOrEqual(known);
      expect(calls.length).toBeLessThanOrEqual(known + WORKERS);
      for (const call of calls) {
        expect(Object.keys(call as object)).toEqual(expect.arrayContaining(KEYS));
        expect(CallSchema.safeParse(call).success).toBe(true);
        const id = (call as { id: number }).id;
        if (!ledger.created.has(id) && !ledger.flags.has(id)) {
          // A create that was committed but whose 201 never arrived: whole all the same.
          ledger.created.set(id, call);
        }
      }
    }
    expect(ledger.created.size).toBeGreaterThan(200);

    // The database file itself is sound once the last server has shut down.
    await server.kill('SIGTERM');
    const db = new Database(join(dataDir, 'switchboard.sqlite'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  }, 60_000);
});

describe('durability: SIGKILL after every kind of write', () => {
  const dataDir = tempDataDir();
  let server: ServerProcess | undefined;

  afterAll(async () => {
    if (server && server.child.exitCode === null) await server.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  const call = (method: string, path: string, payload?: unknown) =>
    rawRequest(server!.baseUrl, method, path, payload === undefined ? {} : { body: payload });

  it('keeps cancels and directory changes as acknowledged; ids stay distinct and go on', async () => {
    server = await spawnServer({ DATA_DIR: dataDir });
    // Concurrent creates of all three kinds: each has its own id and participant ids.
    const bodies = Array.from({ length: 30 }, (_, i) =>
      i % 3 === 0 ? outboundBody() : i % 3 === 1 ? inboundBody() : scheduledBody(),
    );
    const created = await Promise.all(bodies.map((b) => call('POST', '/apps/api/v1/calls', b)));
    expect(created.map((r) => r.status)).toEqual(bodies.map(() => 201));
    const calls = created.map((r) => r.body as Json);
    const ids = calls.map((c) => c.id as number);
    expect(new Set(ids).size).toBe(ids.length);
    const participantIds = calls.flatMap((c) => (c.participants as Json[]).map((p) => p.id));
    expect(new Set(participantIds).size).toBe(participantIds.length);

    const cancelled = calls[2]!.id as number;
    expect((await call('PATCH', `/apps/api/v1/calls/scheduled/${cancelled}/cancel`)).status).toBe(
      200,
    );
    const agent = await call('PATCH', '/emulator/agents/allen%40somedomain.com', {
      status: 'available',
    });
    expect(agent.status).toBe(200);
    const before = new Map<number, unknown>();
    for (const id of ids) before.set(id, (await call('GET', `/apps/api/v1/calls/${id}`)).body);

    // Killed by signal: no exit code.
    expect(await server.kill('SIGKILL')).toBe(null);
    server = await spawnServer({ DATA_DIR: dataDir });

    for (const id of ids) {
      const after = await call('GET', `/apps/api/v1/calls/${id}`);
      expect(after.status).toBe(200);
      expect(after.body).toEqual(before.get(id));
    }
    expect(((await call('GET', `/apps/api/v1/calls/${cancelled}`)).body as Json).status).toBe(
      'cancelled',
    );
    const agents = (await call('GET', '/manager/api/v1/agents')).body as Json[];
    expect(agents.find((a) => a.email === 'allen@somedomain.com')?.status).toMatchObject({
      name: 'Available',
    });
    const list = await call('GET', '/apps/api/v1/calls?per=100');
    expect(list.headers.get('Total')).toBe(String(ids.length));
    // The ids after the restart are new ones.
    const next = await call('POST', '/apps/api/v1/calls', inboundBody());
    expect(next.status).toBe(201);
    expect(next.body as Json).toMatchObject({ id: Math.max(...ids) + 1 });
    const nextParticipants = ((next.body as Json).participants as Json[]).map((p) => p.id);
    for (const id of nextParticipants) expect(participantIds).not.toContain(id);
  });
});
