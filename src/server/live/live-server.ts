import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { LiveFlags } from '../../contract/live.ts';
import type { ServerConfig } from '../config.ts';
import type { DeskLiveOptions } from '../desk/api-routes.ts';
import type { Sessions } from '../desk/sessions.ts';
import { startEmulatorChangeFeed } from '../emulator/change-feed.ts';
import { SessionEventsSender, sessionEventsOf } from '../emulator/session-events-sender.ts';
import type { Services } from '../services.ts';
import { upstreamJson, type Upstream } from '../upstream/upstream.ts';
import { FeedHub, type FeedHubStats } from './feed-hub.ts';
import { sessionEventsRoute } from './session-events-route.ts';
import { SqliteLiveStore } from './sqlite-live-store.ts';
import { TenantFeed, type TenantFeedStats } from './tenant-feed.ts';
import { tenantCallOf, upstreamTenantSource } from './upstream-source.ts';

// The server's one live feed, put together for its mode. Emulator mode: the call store's
// commits feed it (and, when configured, the emulator sends the platform's session events
// to whoever fronts it). Tenant mode: the webhook and one poller, both reading the tenant
// through the shared budget. Either way the desks' streams are a route of the desk API.

export interface LiveServerOptions {
  config: ServerConfig;
  /** The emulator's services in emulator mode; undefined when fronting a tenant. */
  emulator: Services | undefined;
  /** The tenant, inside the shared budget. */
  upstream: Upstream;
  sessions: Sessions;
  log: FastifyBaseLogger;
}

export interface LiveServer {
  hub: FeedHub;
  /** For the desk API: the stream's route, and what its writes tell the feed. */
  desk: DeskLiveOptions;
  stats(): { hub: FeedHubStats; tenant?: TenantFeedStats };
}

/** How often the sessions of open streams are looked at (and kept alive). */
const SESSION_SWEEP_MS = 60_000;

export async function startLiveServer(
  app: FastifyInstance,
  { config, emulator, upstream, sessions, log }: LiveServerOptions,
): Promise<LiveServer> {
  const store = SqliteLiveStore.open(config.DATA_DIR);
  const hub = new FeedHub({
    store,
    // The tenant's clock: the emulator's own (which the control API moves), else this server's.
    now: emulator ? () => emulator.tenants.now(emulator.deskTenant) : () => new Date(),
    onError: (error) => log.error({ err: error }, 'live feed: an event could not be published'),
    onFirstConnection: () => tenantFeed?.wake(),
  });
  const publish = (events: Parameters<FeedHub['publish']>[0]) => void hub.publish(events);
  const stops: Array<() => unknown> = [];
  const desk: DeskLiveOptions = { hub };
  let tenantFeed: TenantFeed | undefined;

  if (emulator) {
    stops.push(
      startEmulatorChangeFeed({
        calls: emulator.calls,
        tenants: emulator.tenants,
        tenant: () => emulator.deskTenant,
        publish,
      }),
    );
    if (config.EMULATOR_SESSION_EVENTS_URL) {
      const sender = new SessionEventsSender({
        url: config.EMULATOR_SESSION_EVENTS_URL,
        user: config.EMULATOR_SESSION_EVENTS_USER,
        password: config.EMULATOR_SESSION_EVENTS_PASSWORD,
        dataDir: config.DATA_DIR,
        log,
      });
      const stop = emulator.calls.onCommit((changes) =>
        sender.enqueue(sessionEventsOf(changes, emulator.deskTenant.id)),
      );
      stops.push(stop, () => sender.close());
    }
  } else {
    const webhook = Boolean(config.SESSION_EVENTS_USER && config.SESSION_EVENTS_PASSWORD);
    const feed = new TenantFeed({
      source: upstreamTenantSource(upstream),
      store,
      publish,
      // With the webhook the poller is the safety net; without it, the source.
      pollIntervalMs: webhook ? 5_000 : 1_000,
      log,
      active: () => hub.size > 0,
    });
    tenantFeed = feed;
    void feed.start();
    stops.push(() => feed.close());
    if (webhook) {
      await app.register(sessionEventsRoute, {
        user: config.SESSION_EVENTS_USER!,
        password: config.SESSION_EVENTS_PASSWORD!,
        store,
        onEvents: (events) => feed.noteEvents(events),
      });
    }
    // What the tenant answered a desk's change with is news for every other desk.
    desk.onCall = (body) => {
      const call = tenantCallOf(upstreamJson({ status: 200, headers: {}, body }));
      if (call) feed.offer(call);
    };
    desk.onFlags = (id, body) => {
      const flags = upstreamJson({ status: 200, headers: {}, body }) as Record<string, unknown>;
      if (!flags || typeof flags !== 'object') return;
      const data: LiveFlags = {
        id,
        flags: {
          verified_customer: flags.verified_customer === true,
          bad_actor: flags.bad_actor === true,
          repeat_customer: flags.repeat_customer === true,
        },
      };
      publish([{ type: 'flags', data: JSON.stringify(data), callId: id }]);
    };
  }

  // A session that ends (sign-out, expiry, agent removed) ends its desks' streams; an open
  // stream keeps its session alive, as the desk's polling did before there was one.
  const onEnded = (ids: string[]) => hub.end(ids);
  sessions.events.on('ended', onEnded);
  const sweep = setInterval(() => {
    void (async () => {
      for (const id of hub.tags()) {
        if (!(await sessions.keepAlive(id))) hub.end([id]);
      }
    })().catch((error: unknown) => log.warn({ err: error }, 'live feed: session sweep failed'));
  }, SESSION_SWEEP_MS);
  sweep.unref();

  // Streams end first, or closing the server would wait for every desk to hang up.
  app.addHook('preClose', async () => {
    clearInterval(sweep);
    sessions.events.off('ended', onEnded);
    await hub.close();
  });
  app.addHook('onClose', async () => {
    for (const stop of stops.reverse()) await stop();
    store.close();
  });

  return {
    hub,
    desk,
    stats: () => ({ hub: hub.stats(), ...(tenantFeed ? { tenant: tenantFeed.stats() } : {}) }),
  };
}
