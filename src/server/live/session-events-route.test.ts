import Fastify, { type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../contract/live.ts';
import { errorHandler } from '../http/errors.ts';
import { LoginThrottle } from '../http/login-throttle.ts';
import { tempDataDir } from '../test/test-server.ts';
import { sessionEventsRoute } from './session-events-route.ts';
import { SqliteLiveStore } from './sqlite-live-store.ts';

// The webhook receiver on a real server over real HTTP, with its deduplication in SQLite.

const USER = 'platform';
const PASSWORD = 's3cret-webhook-password';
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

interface Receiver {
  app: FastifyInstance;
  url: string;
  store: SqliteLiveStore;
  applied: SessionEvent[];
  dataDir: string;
}

const started: Receiver[] = [];

async function startReceiver(
  dataDir = tempDataDir(),
  dedupeLimit?: number,
  throttle?: LoginThrottle,
): Promise<Receiver> {
  const store = SqliteLiveStore.open(dataDir, { dedupeLimit });
  const applied: SessionEvent[] = [];
  const app = Fastify();
  app.setErrorHandler(errorHandler);
  await app.register(sessionEventsRoute, {
    user: USER,
    password: PASSWORD,
    store,
    onEvents: (events) => applied.push(...events),
    throttle,
  });
  app.addHook('onClose', async () => store.close());
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const receiver = {
    app,
    store,
    applied,
    dataDir,
    url: `http://127.0.0.1:${address.port}/webhooks/session-events`,
  };
  started.push(receiver);
  return receiver;
}

afterEach(async () => {
  for (const receiver of started.splice(0)) {
    await receiver.app.close();
    rmSync(receiver.dataDir, { recursive: true, force: true });
  }
});

const event = (callId: number, status = 'queued', id: string = randomUUID()): SessionEvent => ({
  event_id: id,
  event_type: 'call.status_changed',
  occurred_at: new Date().toISOString(),
  call: { id: callId, status, updated_at: new Date().toISOString() },
});

const batch = (events: SessionEvent[]) => ({ count: events.length, events });

async function post(
  url: string,
  body: unknown,
  {
    authorization = basic(USER, PASSWORD),
    raw,
  }: { authorization?: string | null; raw?: string } = {},
) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(authorization === null ? {} : { authorization }),
    },
    body: raw ?? JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/** Waits until the receiver has applied `count` events (it applies them after answering). */
async function appliedCount(receiver: Receiver, count: number) {
  await expect.poll(() => receiver.applied.length).toBe(count);
}

describe('POST /webhooks/session-events', () => {
  it('takes a batch with the right credentials and acts on each event once', async () => {
    const receiver = await startReceiver();
    const events = [event(1), event(2, 'assigned')];
    const answer = await post(receiver.url, batch(events));
    expect(answer).toMatchObject({ status: 200, body: { accepted: 2, duplicates: 0 } });
    await appliedCount(receiver, 2);
    expect(receiver.applied).toEqual(events);
  });

  it('refuses wrong credentials with a 401 and keeps nothing of the batch', async () => {
    const receiver = await startReceiver();
    const events = [event(1)];
    for (const authorization of [
      basic(USER, 'wrong'),
      basic('someone', PASSWORD),
      basic(USER, `${PASSWORD}x`),
      basic('', ''),
      'Bearer abc',
      'Basic !!!',
      null,
    ]) {
      const answer = await post(receiver.url, batch(events), { authorization });
      expect(answer.status, String(authorization)).toBe(401);
      expect(answer.body).toEqual({ message: 'The session events credentials are not valid' });
      expect(answer.headers.get('www-authenticate')).toMatch(/^Basic /);
    }
    // Nothing was applied, nor remembered: the same events with the right credentials are new.
    const accepted = await post(receiver.url, batch(events));
    expect(accepted.body).toEqual({ accepted: 1, duplicates: 0 });
    await appliedCount(receiver, 1);
  });

  it('answers 429 with Retry-After once an address has failed too often, and applies nothing', async () => {
    const receiver = await startReceiver(
      undefined,
      undefined,
      new LoginThrottle({ perAddress: 3, perTenant: 100 }),
    );
    for (let i = 0; i < 3; i++) {
      const wrong = await post(receiver.url, batch([event(1)]), {
        authorization: basic(USER, `guess-${i}`),
      });
      expect(wrong.status).toBe(401);
    }
    for (const authorization of [basic(USER, 'guess-4'), basic(USER, PASSWORD)]) {
      const held = await post(receiver.url, batch([event(2)]), { authorization });
      expect(held.status).toBe(429);
      expect(held.body).toEqual({ message: 'Too many failed logins: try again later' });
      expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(receiver.applied).toEqual([]);
  });

  it('refuses a malformed body with a 400 and keeps nothing of it', async () => {
    const receiver = await startReceiver();
    const good = event(5);
    const broken = (change: Record<string, unknown>) => ({ ...good, ...change }) as unknown;
    const cases: Array<{ body?: unknown; raw?: string; message: RegExp }> = [
      { raw: '{"count": 1, "events": [', message: /./ },
      { raw: '', message: /./ },
      { body: [good], message: /not well formed: body/ },
      { body: { count: 1 }, message: /not well formed: events/ },
      { body: { count: 2, events: [good] }, message: /not well formed: count/ },
      {
        body: { count: 2, events: [good, broken({ event_id: '' })] },
        message: /events\.1\.event_id/,
      },
      {
        body: { count: 2, events: [good, broken({ call: { id: 'seven' } })] },
        message: /events\.1\.call\.id/,
      },
      { body: { count: 2, events: [good, { event_type: 'x' }] }, message: /events\.1\.event_id/ },
    ];
    for (const { body, raw, message } of cases) {
      const answer = await post(receiver.url, body, { raw });
      expect(answer.status, raw ?? JSON.stringify(body)).toBe(400);
      expect(answer.body.message).toMatch(message);
    }
    const after = await post(receiver.url, batch([good]));
    expect(after.body).toEqual({ accepted: 1, duplicates: 0 });
    await appliedCount(receiver, 1);
  });

  it('answers duplicates 2xx and acts on them no more, within a batch and across batches', async () => {
    const receiver = await startReceiver();
    const one = event(1);
    const two = event(2);
    expect((await post(receiver.url, batch([one, one, two]))).body).toEqual({
      accepted: 2,
      duplicates: 1,
    });
    const again = await post(receiver.url, batch([two, one]));
    expect(again).toMatchObject({ status: 200, body: { accepted: 0, duplicates: 2 } });
    await appliedCount(receiver, 2);
  });

  it('remembers what it has seen across a restart, within a bound', async () => {
    const dataDir = tempDataDir();
    const first = await startReceiver(dataDir, 50);
    const events = Array.from({ length: 40 }, (_, i) => event(i + 1));
    await post(first.url, batch(events));
    await first.app.close();
    started.splice(started.indexOf(first), 1);

    const second = await startReceiver(dataDir, 50);
    expect((await post(second.url, batch(events))).body).toEqual({ accepted: 0, duplicates: 40 });
    // Past the bound the oldest ids are forgotten, and the table stops growing.
    for (let i = 0; i < 10; i++) {
      await post(second.url, batch(Array.from({ length: 40 }, (_, j) => event(100 + j))));
    }
    second.store.prune();
    const kept = await second.store.claimEventIds([events[0]!.event_id]);
    expect(kept).toEqual([events[0]!.event_id]);
  });

  it('takes a burst of 1,000 events, in one batch and in many at once, each once', async () => {
    const receiver = await startReceiver();
    const one = Array.from({ length: 1000 }, (_, i) => event(i + 1));
    expect((await post(receiver.url, batch(one))).body).toEqual({ accepted: 1000, duplicates: 0 });
    const many = Array.from({ length: 1000 }, (_, i) => event(i + 1));
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        post(receiver.url, batch([...many.slice(i * 100, i * 100 + 100), ...one.slice(0, 5)])),
      ),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.reduce((n, a) => n + a.body.accepted, 0)).toBe(1000);
    expect(answers.reduce((n, a) => n + a.body.duplicates, 0)).toBe(50);
    await appliedCount(receiver, 2000);
    expect(new Set(receiver.applied.map((e) => e.event_id)).size).toBe(2000);
  });

  it('refuses a batch of more than 1,000 events', async () => {
    const receiver = await startReceiver();
    const answer = await post(
      receiver.url,
      batch(Array.from({ length: 1001 }, (_, i) => event(i + 1))),
    );
    expect(answer.status).toBe(400);
    expect(receiver.applied).toEqual([]);
  });

  it('ignores event types and keys it does not know, and acts on them once still', async () => {
    const receiver = await startReceiver();
    const unknown = { event_id: randomUUID(), event_type: 'agent.logged_in', agent: { id: 3 } };
    const answer = await post(receiver.url, batch([unknown as SessionEvent]));
    expect(answer.body).toEqual({ accepted: 1, duplicates: 0 });
    await appliedCount(receiver, 1);
  });
});
