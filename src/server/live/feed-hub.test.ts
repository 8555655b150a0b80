import Fastify, { type FastifyInstance } from 'fastify';
import { connect, type Socket } from 'node:net';
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { errorHandler } from '../http/errors.ts';
import { openSse, type SseStream } from '../test/sse-client.ts';
import { tempDataDir } from '../test/test-server.ts';
import { eventsRoute } from './events-route.ts';
import { FeedHub, type FeedHubOptions } from './feed-hub.ts';
import type { FeedEvent } from './live-store.ts';
import { SqliteLiveStore } from './sqlite-live-store.ts';

// The hub and its route on a real Fastify server over real HTTP, with the SQLite store on
// a temporary directory: what a desk's EventSource sees.

interface Feed {
  app: FastifyInstance;
  sockets: Socket[];
  hub: FeedHub;
  store: SqliteLiveStore;
  url: string;
  dataDir: string;
  close(): Promise<void>;
}

const open: Feed[] = [];
const streams: SseStream[] = [];

async function startFeed(
  options: Partial<FeedHubOptions> & {
    dataDir?: string;
    historyLimit?: number;
    visible?: (event: FeedEvent) => boolean;
  } = {},
): Promise<Feed> {
  const dataDir = options.dataDir ?? tempDataDir();
  const store = SqliteLiveStore.open(dataDir, { historyLimit: options.historyLimit });
  const hub = new FeedHub({ now: () => new Date(), heartbeatMs: 0, ...options, store });
  const app = Fastify();
  app.setErrorHandler(errorHandler);
  await app.register(eventsRoute, { hub, visibleTo: () => options.visible });
  app.addHook('preClose', async () => hub.close());
  app.addHook('onClose', async () => store.close());
  const sockets: Socket[] = [];
  app.server.on('connection', (socket: Socket) => sockets.push(socket));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const feed: Feed = {
    app,
    sockets,
    hub,
    store,
    dataDir,
    url: `http://127.0.0.1:${address.port}/events`,
    close: async () => {
      open.splice(open.indexOf(feed), 1);
      await app.close();
    },
  };
  open.push(feed);
  return feed;
}

async function sse(url: string, options?: Parameters<typeof openSse>[1]) {
  const stream = await openSse(url, options);
  streams.push(stream);
  return stream;
}

const call = (id: number, status = 'queued') => ({
  type: 'call' as const,
  data: JSON.stringify({ id, status }),
  callId: id,
});

afterEach(async () => {
  for (const stream of streams.splice(0)) stream.close();
  for (const feed of [...open]) {
    await feed.close();
    rmSync(feed.dataDir, { recursive: true, force: true });
  }
});

describe('the live stream', () => {
  it('starts with a hello and then sends each published event with an id', async () => {
    const feed = await startFeed();
    const stream = await sse(feed.url);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const hello = await stream.next((e) => e.event === 'hello');
    expect(hello.json).toMatchObject({ last_id: 0, resumed: false });
    expect(Date.parse((hello.json as { now: string }).now)).not.toBeNaN();
    await expect.poll(() => feed.hub.size).toBe(1);

    await feed.hub.publish([call(7, 'queued'), call(7, 'assigned')]);
    const [first, second] = await stream.take(2, (e) => e.event === 'call');
    expect(first!.json).toEqual({ id: 7, status: 'queued' });
    expect(second!.json).toEqual({ id: 7, status: 'assigned' });
    expect(first!.id).toBe(`${feed.store.epoch}-1`);
    expect(second!.id).toBe(`${feed.store.epoch}-2`);
  });

  it('writes multi-line data as one event, and keeps the order of concurrent publishes', async () => {
    const feed = await startFeed();
    const stream = await sse(feed.url);
    await stream.next((e) => e.event === 'hello');
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        feed.hub.publish([{ type: 'call', data: `{"id": ${i},\n "status": "queued"}` }]),
      ),
    );
    const calls = await stream.take(20, (e) => e.event === 'call');
    expect(calls.map((e) => (e.json as { id: number }).id)).toEqual(
      Array.from({ length: 20 }, (_, i) => i),
    );
    const ids = calls.map((e) => Number(e.id!.split('-')[1]));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('resumes from Last-Event-ID with exactly what was missed', async () => {
    const feed = await startFeed();
    const first = await sse(feed.url);
    await first.next((e) => e.event === 'hello');
    await feed.hub.publish([call(1)]);
    const seen = await first.next((e) => e.event === 'call');
    first.close();
    await expect.poll(() => feed.hub.size).toBe(0);

    await feed.hub.publish([call(2), call(3)]);
    const again = await sse(feed.url, { lastEventId: seen.id });
    const hello = await again.next((e) => e.event === 'hello');
    expect(hello.json).toMatchObject({ resumed: true, last_id: 3 });
    const replayed = await again.take(2, (e) => e.event === 'call');
    expect(replayed.map((e) => (e.json as { id: number }).id)).toEqual([2, 3]);
    await feed.hub.publish([call(4)]);
    const live = await again.take(3, (e) => e.event === 'call');
    expect((live[2]!.json as { id: number }).id).toBe(4);
    expect(again.events.some((e) => e.event === 'resync')).toBe(false);
  });

  it('resumes across a restart of the server on the same data', async () => {
    const dataDir = tempDataDir();
    const feed = await startFeed({ dataDir });
    await feed.hub.publish([call(1), call(2), call(3)]);
    const epoch = feed.store.epoch;
    await feed.app.close();
    open.splice(open.indexOf(feed), 1);

    const restarted = await startFeed({ dataDir });
    expect(restarted.store.epoch).toBe(epoch);
    const stream = await sse(restarted.url, { lastEventId: `${epoch}-1` });
    const replayed = await stream.take(2, (e) => e.event === 'call');
    expect(replayed.map((e) => e.id)).toEqual([`${epoch}-2`, `${epoch}-3`]);
  });

  it('says resync when the id is older than the history, from another feed, or not an id', async () => {
    const feed = await startFeed({ historyLimit: 3 });
    for (let i = 1; i <= 10; i++) await feed.hub.publish([call(i)]);
    feed.store.prune();
    for (const lastEventId of [
      `${feed.store.epoch}-2`,
      'other-5',
      'garbage',
      `${feed.store.epoch}-99`,
    ]) {
      const stream = await sse(feed.url, { lastEventId });
      const hello = await stream.next((e) => e.event === 'hello');
      expect(hello.json).toMatchObject({ resumed: false, last_id: await feed.store.latestId() });
      const resync = await stream.next((e) => e.event === 'resync');
      expect(resync.json).toEqual({ reason: 'history' });
      expect(stream.events.filter((e) => e.event === 'call')).toEqual([]);
      // Live events go on after the resync, from the newest id on.
      await feed.hub.publish([call(100)]);
      const live = await stream.next((e) => e.event === 'call');
      expect((live.json as { id: number }).id).toBe(100);
      stream.close();
    }
    // The kept history still resumes.
    const stream = await sse(feed.url, { lastEventId: `${feed.store.epoch}-8` });
    const hello = await stream.next((e) => e.event === 'hello');
    expect(hello.json).toMatchObject({ resumed: true });
  });

  it('replays no more than its limit: a longer gap is a resync', async () => {
    const feed = await startFeed({ replayLimit: 5 });
    await feed.hub.publish(Array.from({ length: 6 }, (_, i) => call(i + 1)));
    const stream = await sse(feed.url, { lastEventId: `${feed.store.epoch}-0` });
    await stream.next((e) => e.event === 'resync');
    const short = await sse(feed.url, { lastEventId: `${feed.store.epoch}-1` });
    const replayed = await short.take(5, (e) => e.event === 'call');
    expect(replayed).toHaveLength(5);
  });

  it('sends a desk only what it may see', async () => {
    const feed = await startFeed({ visible: (e) => e.callId !== 2 });
    const stream = await sse(feed.url);
    await stream.next((e) => e.event === 'hello');
    await feed.hub.publish([call(1), call(2), call(3)]);
    const got = await stream.take(2, (e) => e.event === 'call');
    expect(got.map((e) => (e.json as { id: number }).id)).toEqual([1, 3]);
  });

  it('sends heartbeats on one timer', async () => {
    const feed = await startFeed({ heartbeatMs: 50 });
    const stream = await sse(feed.url);
    expect(await stream.nextComment()).toBe('heartbeat');
  });

  it('refuses a client that refuses event streams, and a desk past the connection limit', async () => {
    const feed = await startFeed({ maxConnections: 1 });
    const json = await fetch(feed.url, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(406);
    const one = await sse(feed.url);
    await one.next((e) => e.event === 'hello');
    const full = await fetch(feed.url, { headers: { accept: 'text/event-stream' } });
    expect(full.status).toBe(503);
    expect(full.headers.get('retry-after')).toBe('30');
    expect(await full.json()).toEqual({ message: 'The live feed has no room for another desk' });
  });

  it('ends every stream when the server closes', async () => {
    const feed = await startFeed();
    const stream = await sse(feed.url);
    await stream.next((e) => e.event === 'hello');
    await feed.close();
    await stream.ended;
    expect(feed.hub.size).toBe(0);
  });

  it('drops a client that does not read, and never holds more than its bound for it', async () => {
    const maxBufferedBytes = 64 * 1024;
    const feed = await startFeed({ maxBufferedBytes });
    const healthy = await sse(feed.url);
    await healthy.next((e) => e.event === 'hello');

    // A client that sends its request and then never reads a byte.
    const port = new URL(feed.url).port;
    const stalled = connect({ host: '127.0.0.1', port: Number(port) });
    stalled.write(`GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`);
    stalled.pause();
    await expect.poll(() => feed.hub.size).toBe(2);

    const big = 'x'.repeat(60 * 1024);
    let peak = 0;
    let events = 0;
    // Far more than the kernel's socket buffers take: the bytes must pile up in the server.
    while (feed.hub.stats().dropped === 0 && events < 2000) {
      await feed.hub.publish([{ type: 'call', data: JSON.stringify({ id: events, big }) }]);
      events += 1;
      for (const socket of feed.sockets) {
        peak = Math.max(peak, socket.writableLength);
      }
      // The healthy client keeps up, as a desk's browser does.
      await healthy.take(events, (e) => e.event === 'call');
    }
    expect(feed.hub.stats().dropped).toBe(1);
    expect(feed.hub.size).toBe(1);
    expect(peak).toBeLessThanOrEqual(maxBufferedBytes);
    stalled.destroy();

    await feed.hub.publish([call(1)]);
    const last = await healthy.take(events + 1, (e) => e.event === 'call');
    expect(last.at(-1)!.json).toEqual({ id: 1, status: 'queued' });
  });
});
