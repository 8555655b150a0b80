import Fastify, { type FastifyInstance } from 'fastify';
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { errorHandler } from '../../server/http/errors.ts';
import { eventsRoute } from '../../server/live/events-route.ts';
import { FeedHub } from '../../server/live/feed-hub.ts';
import { SqliteLiveStore } from '../../server/live/sqlite-live-store.ts';
import { tempDataDir } from '../../server/test/test-server.ts';
import { deskNow, setDeskClockOffset } from './clock.ts';
import { startLiveFeed, type LiveFeed } from './live-feed.ts';
import { liveFeedState } from './live-status.ts';

// The desk's connection to a real feed server over real HTTP: it comes up, takes the
// server's clock, gets through a restart of the server without losing an event, and
// stands back when the server refuses it.

interface FeedServer {
  app: FastifyInstance;
  hub: FeedHub;
  url: string;
  port: number;
  dataDir: string;
  headers: Array<Record<string, unknown>>;
}

const servers: FeedServer[] = [];
const feeds: LiveFeed[] = [];

async function startServer(
  options: { dataDir?: string; port?: number; now?: () => Date; maxConnections?: number } = {},
): Promise<FeedServer> {
  const dataDir = options.dataDir ?? tempDataDir();
  const store = SqliteLiveStore.open(dataDir);
  const hub = new FeedHub({
    store,
    now: options.now ?? (() => new Date()),
    heartbeatMs: 0,
    retryMs: 50,
    maxConnections: options.maxConnections,
  });
  const app = Fastify();
  app.setErrorHandler(errorHandler);
  const headers: Array<Record<string, unknown>> = [];
  app.addHook('onRequest', async (request) => {
    headers.push({ ...request.headers });
  });
  await app.register(eventsRoute, { hub });
  app.addHook('preClose', async () => hub.close());
  app.addHook('onClose', async () => store.close());
  await app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const server = {
    app,
    hub,
    dataDir,
    headers,
    port: address.port,
    url: `http://127.0.0.1:${address.port}/events`,
  };
  servers.push(server);
  return server;
}

function follow(url: string, options: Partial<Parameters<typeof startLiveFeed>[0]> = {}) {
  const feed = startLiveFeed({ url, headers: { 'X-Switchboard-Desk': '1' }, ...options });
  feeds.push(feed);
  const calls: unknown[] = [];
  const states: string[] = [];
  const connections: Array<{ resumed: boolean; first: boolean }> = [];
  const resyncs: string[] = [];
  feed.listen({
    call: (call) => calls.push(call),
    state: (state) => states.push(state),
    connected: (hello, first) => connections.push({ resumed: hello.resumed, first }),
    resync: (reason) => resyncs.push(reason),
  });
  return { feed, calls, states, connections, resyncs };
}

afterEach(async () => {
  for (const feed of feeds.splice(0)) feed.stop();
  for (const server of servers.splice(0)) {
    await server.app.close();
    rmSync(server.dataDir, { recursive: true, force: true });
  }
  setDeskClockOffset(0);
});

const call = (id: number) => ({ type: 'call' as const, data: JSON.stringify({ id }) });

describe('the live feed', () => {
  it('comes up, says so, sends the desk header, and hands each call on', async () => {
    const server = await startServer();
    const { feed, calls, connections } = follow(server.url);
    await expect.poll(() => feed.getState()).toBe('live');
    expect(liveFeedState()).toBe('live');
    expect(connections).toEqual([{ resumed: false, first: true }]);
    expect(server.headers[0]).toMatchObject({ 'x-switchboard-desk': '1' });
    await server.hub.publish([call(1), call(2)]);
    await expect.poll(() => calls).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it("sets the desk's clock to the server's", async () => {
    const serverNow = Date.now() + 3_600_000;
    const server = await startServer({ now: () => new Date(serverNow) });
    const { feed } = follow(server.url);
    await expect.poll(() => feed.getState()).toBe('live');
    expect(Math.abs(deskNow() - serverNow)).toBeLessThan(2_000);
  });

  it('says it is reconnecting when the server goes, and resumes without a loss when it is back', async () => {
    const dataDir = tempDataDir();
    const first = await startServer({ dataDir });
    const { feed, calls, states, connections } = follow(first.url);
    await expect.poll(() => feed.getState()).toBe('live');
    await first.hub.publish([call(1)]);
    await expect.poll(() => calls).toHaveLength(1);

    // The server stops; what happens meanwhile is in its store when it is back.
    await first.app.close();
    servers.splice(servers.indexOf(first), 1);
    await expect.poll(() => feed.getState()).toBe('reconnecting');
    const second = await startServer({ dataDir, port: first.port });
    await second.hub.publish([call(2), call(3)]);

    await expect.poll(() => calls).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(feed.getState()).toBe('live');
    expect(connections.at(-1)).toEqual({ resumed: true, first: false });
    expect(states).toContain('reconnecting');
    expect(second.headers.at(-1)!['last-event-id']).toMatch(/-1$/);
  });

  it('stands back when the server has no room, and gets in at a later try', async () => {
    const server = await startServer({ maxConnections: 1 });
    const other = follow(server.url);
    await expect.poll(() => other.feed.getState()).toBe('live');
    await server.hub.publish([call(1)]);
    await expect.poll(() => other.calls).toHaveLength(1);

    const refused = follow(server.url, { refusedRetryMs: 50 });
    await expect.poll(() => server.headers.length).toBeGreaterThanOrEqual(2);
    expect(refused.feed.getState()).toBe('connecting');
    // Room again: the refused desk gets in at its next try.
    other.feed.stop();
    await expect.poll(() => refused.feed.getState()).toBe('live');
  });

  it('opens the stream again when it has been silent too long', async () => {
    const server = await startServer();
    const { feed, connections, calls } = follow(server.url, { silenceMs: 300 });
    await expect.poll(() => feed.getState()).toBe('live');
    await server.hub.publish([call(1)]);
    await expect.poll(() => calls).toHaveLength(1);
    // No heartbeats on this server: after the silence the desk opens a new stream.
    await expect.poll(() => connections.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
    expect(connections[1]).toEqual({ resumed: true, first: false });
  });
});
