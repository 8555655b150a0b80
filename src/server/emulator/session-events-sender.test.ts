import Fastify, { type FastifyInstance } from 'fastify';
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SessionEventBatchSchema, type SessionEventBatch } from '../../contract/live.ts';
import { control, createCall, inboundBody } from '../test/api-helpers.ts';
import { startTestServer, tempDataDir, type TestServer } from '../test/test-server.ts';
import { SessionEventsSender, sessionEventsOf } from './session-events-sender.ts';

// The emulator's sending side, from the real emulator's call store to a real HTTP
// receiver that records what it is sent (and fails on demand, as a platform's endpoint may).

interface Sink {
  app: FastifyInstance;
  url: string;
  batches: SessionEventBatch[];
  authorizations: Array<string | undefined>;
  /** The event ids of each batch that was answered with a failure. */
  refused: string[][];
  /** Answers this status to the next n requests, then 200. */
  failNext(n: number, status?: number): void;
}

async function startSink(port = 0): Promise<Sink> {
  const batches: SessionEventBatch[] = [];
  const authorizations: Array<string | undefined> = [];
  const refused: string[][] = [];
  let failures = 0;
  let failStatus = 500;
  const app = Fastify({ bodyLimit: 1024 * 1024 });
  app.post('/hook', async (request, reply) => {
    authorizations.push(request.headers.authorization);
    if (failures > 0) {
      failures -= 1;
      refused.push(SessionEventBatchSchema.parse(request.body).events.map((e) => e.event_id));
      return reply.code(failStatus).send({ message: 'not now' });
    }
    batches.push(SessionEventBatchSchema.parse(request.body));
    return { ok: true };
  });
  await app.listen({ port, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    app,
    url: `http://127.0.0.1:${address.port}/hook`,
    batches,
    authorizations,
    refused,
    failNext(n, status = 500) {
      failures = n;
      failStatus = status;
    },
  };
}

let server: TestServer;
let sink: Sink;
let sender: SessionEventsSender;
let outboxDir: string;
let stopListening: () => void;

function attach(url: string) {
  sender = new SessionEventsSender({
    url,
    user: 'emulator',
    password: 'hook-secret',
    dataDir: outboxDir,
    retryInitialMs: 20,
    retryMaxMs: 100,
  });
  const services = server.app.desk.emulator!;
  const current = sender;
  stopListening = services.calls.onCommit((changes) =>
    current.enqueue(sessionEventsOf(changes, services.deskTenant.id)),
  );
}

const delivered = () => sink.batches.flatMap((b) => b.events);

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

beforeEach(async () => {
  await control(server).reset();
  outboxDir = tempDataDir();
  sink = await startSink();
  attach(sink.url);
});

afterEach(async () => {
  stopListening();
  await sender.close();
  await sink.app.close();
  rmSync(outboxDir, { recursive: true, force: true });
});

describe('the emulator sends session events', () => {
  it('POSTs a batch for each change of a call status, shaped as TENANT-MODE.md says', async () => {
    const call = await createCall(server, inboundBody());
    await control(server).event(call.id as number, { type: 'assign' });
    const connected = await control(server).event(call.id as number, { type: 'connect' });
    await expect.poll(() => delivered().length).toBe(3);
    const events = delivered();
    expect(events.map((e) => e.call?.status)).toEqual(['queued', 'assigned', 'connected']);
    for (const e of events) {
      expect(e).toEqual({
        event_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        event_type: 'call.status_changed',
        occurred_at: e.call!.updated_at,
        call: { id: call.id, status: e.call!.status, updated_at: expect.any(String) },
      });
    }
    expect(events[2]!.call!.updated_at).toBe(connected.updated_at);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(3);
    for (const b of sink.batches) expect(b.count).toBe(b.events.length);
    expect(sink.authorizations[0]).toBe(
      `Basic ${Buffer.from('emulator:hook-secret').toString('base64')}`,
    );
  });

  it('sends nothing for a change that keeps the status (a flag change)', async () => {
    const call = await createCall(server, inboundBody());
    await expect.poll(() => delivered().length).toBe(1);
    await server.request('PATCH', `/apps/api/v1/calls/${call.id}/customer_flag`, {
      body: { bad_actor: true },
    });
    await control(server).event(call.id as number, { type: 'assign' });
    await expect.poll(() => delivered().length).toBe(2);
    expect(delivered().map((e) => e.call?.status)).toEqual(['queued', 'assigned']);
  });

  it('retries a failed batch with the same event ids, and keeps the order', async () => {
    sink.failNext(3, 503);
    const call = await createCall(server, inboundBody());
    await control(server).event(call.id as number, { type: 'assign' });
    await control(server).event(call.id as number, { type: 'ring' });
    await expect
      .poll(() => delivered().map((e) => e.call?.status))
      .toEqual(['queued', 'assigned', 'connecting']);
    expect(sender.stats()).toMatchObject({ failures: 3, pending: 0 });
    // Each retry was the same first batch, event ids and all.
    const first = sink.batches[0]!.events.map((e) => e.event_id);
    expect(sink.refused).toHaveLength(3);
    for (const ids of sink.refused) expect(first.slice(0, ids.length)).toEqual(ids);
  });

  it('keeps what it could not send across a restart, and sends it in order once the receiver is up', async () => {
    // Nobody listens where the events go.
    const downUrl = sink.url;
    const port = Number(new URL(downUrl).port);
    await sink.app.close();
    const call = await createCall(server, inboundBody());
    await control(server).event(call.id as number, { type: 'assign' });
    await expect.poll(() => sender.stats().failures).toBeGreaterThan(0);
    expect(sender.stats().pending).toBe(2);

    // The emulator stops and starts again; the receiver comes up on the same address.
    stopListening();
    await sender.close();
    sink = await startSink(port);
    attach(downUrl);
    await control(server).event(call.id as number, { type: 'connect' });
    await expect
      .poll(() => delivered().map((e) => e.call?.status))
      .toEqual(['queued', 'assigned', 'connected']);
  });

  it('keeps the order per call when many calls change at once', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) ids.push((await createCall(server, inboundBody())).id as number);
    await Promise.all(ids.map((id) => control(server).event(id, { type: 'assign' })));
    await Promise.all(ids.map((id) => control(server).event(id, { type: 'connect' })));
    await expect.poll(() => delivered().length).toBe(30);
    for (const id of ids) {
      expect(
        delivered()
          .filter((e) => e.call?.id === id)
          .map((e) => e.call?.status),
      ).toEqual(['queued', 'assigned', 'connected']);
    }
  });
});
