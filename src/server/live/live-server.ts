import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { LiveFlags, SessionEvent } from '../../contract/live.ts';
import type { ServerConfig } from '../config.ts';
import type { DeskLiveOptions } from '../desk/api-routes.ts';
import type { Sessions } from '../desk/sessions.ts';
import { startEmulatorChangeFeed } from '../emulator/change-feed.ts';
import {
  SessionEventsSender,
  sessionEventsOf,
  type SessionEventsSenderStats,
} from '../emulator/session-events-sender.ts';
import { LOCKS, type Postgres } from '../db/postgres.ts';
import { holdLeadership, type Leadership } from '../db/postgres-leadership.ts';
import { listen } from '../db/postgres-notifications.ts';
import { LoginThrottle } from '../http/login-throttle.ts';
import type { Services } from '../services.ts';
import { upstreamJson, type Upstream } from '../upstream/upstream.ts';
import { FeedHub, type FeedHubStats } from './feed-hub.ts';
import { sessionEventsRoute } from './session-events-route.ts';
import type { LiveStore } from './live-store.ts';
import { HANDED_OVER_CHANNEL, LIVE_CHANNEL, PostgresLiveStore } from './postgres-live-store.ts';
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
  /**
   * Tenant mode with DATABASE_URL: the feed's state is shared with the other servers, each
   * sends its desks every server's events, and one of them reads the tenant for all.
   */
  postgres?: Postgres;
}

export interface LiveServer {
  hub: FeedHub;
  /** For the desk API: the stream's route, and what its writes tell the feed. */
  desk: DeskLiveOptions;
  stats(): { hub: FeedHubStats; tenant?: TenantFeedStats; sender?: SessionEventsSenderStats };
  /**
   * Whether this server reads the tenant for the live feed now: always one fronting a
   * tenant alone; of several sharing a database, the one holding the lock (none while no
   * desk is connected anywhere).
   */
  readsTenant(): boolean;
}

/** How often the sessions of open streams are looked at (and kept alive). */
const SESSION_SWEEP_MS = 60_000;

export async function startLiveServer(
  app: FastifyInstance,
  { config, emulator, upstream, sessions, log, postgres }: LiveServerOptions,
): Promise<LiveServer> {
  // The emulator is one process on SQLite: only the servers fronting a tenant share a feed.
  const shared = postgres && !emulator ? await PostgresLiveStore.open(postgres) : undefined;
  const store: LiveStore = shared ?? SqliteLiveStore.open(config.DATA_DIR);
  let leadership: Leadership | undefined;
  const hub = new FeedHub({
    store,
    // The tenant's clock: the emulator's own (which the control API moves), else this server's.
    now: emulator ? () => emulator.tenants.now(emulator.deskTenant) : () => new Date(),
    onError: (error) => log.error({ err: error }, 'live feed: an event could not be published'),
    onFirstConnection: () => {
      leadership?.nudge();
      tenantFeed?.wake();
    },
    shared: Boolean(shared),
    // What another server sent is no news for this one's poller should it poll next.
    onPulled: (events) => {
      for (const event of events) {
        if (event.type !== 'call') continue;
        const call = tenantCallOf(JSON.parse(event.data), event.data);
        if (call) tenantFeed?.heard(call);
      }
    },
  });
  const publish = (events: Parameters<FeedHub['publish']>[0]) => void hub.publish(events);
  const stops: Array<() => unknown> = [];
  const desk: DeskLiveOptions = { hub };
  let tenantFeed: TenantFeed | undefined;
  let eventsSender: SessionEventsSender | undefined;

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
      const sender = (eventsSender = new SessionEventsSender({
        url: config.EMULATOR_SESSION_EVENTS_URL,
        user: config.EMULATOR_SESSION_EVENTS_USER,
        password: config.EMULATOR_SESSION_EVENTS_PASSWORD,
        dataDir: config.DATA_DIR,
        log,
      }));
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
      // Several servers: the one holding the lock reads the tenant, and only while it has a
      // desk (it holds the lock no longer than that), so no desk anywhere reads nothing.
      active: () => hub.size > 0 && (leadership?.leader ?? true),
      sharedCursor: Boolean(shared),
    });
    tenantFeed = feed;
    let onEvents = (events: SessionEvent[]) => feed.noteEvents(events);
    if (shared && postgres) {
      const reader = sharedReader({ postgres, store: shared, hub, feed, log });
      leadership = reader.leadership;
      onEvents = reader.onEvents;
      stops.push(() => reader.close());
    }
    void feed.start();
    stops.push(() => feed.close());
    if (webhook) {
      await app.register(sessionEventsRoute, {
        user: config.SESSION_EVENTS_USER!,
        password: config.SESSION_EVENTS_PASSWORD!,
        store,
        onEvents,
        throttle: new LoginThrottle({
          perAddress: config.LOGIN_FAILURES_PER_ADDRESS,
          perTenant: config.LOGIN_FAILURES_PER_TENANT,
        }),
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
    stats: () => ({
      hub: hub.stats(),
      ...(tenantFeed ? { tenant: tenantFeed.stats() } : {}),
      ...(eventsSender ? { sender: eventsSender.stats() } : {}),
    }),
    readsTenant: () => Boolean(tenantFeed) && (leadership?.leader ?? true),
  };
}

/**
 * The servers sharing one database (issue 13): each listens for the others' events and
 * sends them to its desks; the one holding the live feed's lock, wanted only while a desk is
 * connected to it, reads the tenant for all, and the webhook's events any server received
 * are handed to it.
 */
function sharedReader({
  postgres,
  store,
  hub,
  feed,
  log,
}: {
  postgres: Postgres;
  store: PostgresLiveStore;
  hub: FeedHub;
  feed: TenantFeed;
  log: FastifyBaseLogger;
}) {
  let taking = false;
  let again = false;
  // The handed-over events, taken while this server reads the tenant.
  const take = async () => {
    if (taking) {
      again = true;
      return;
    }
    taking = true;
    try {
      do {
        again = false;
        while (leadership.leader) {
          const events = await store.takeHandedOver();
          if (events.length === 0) break;
          feed.noteEvents(events);
        }
      } while (again && leadership.leader);
    } catch (error) {
      log.warn({ err: error }, 'live feed: the handed-over webhook events could not be read');
    } finally {
      taking = false;
    }
  };
  const leadership = holdLeadership(postgres, {
    lock: LOCKS.liveFeed,
    wanted: () => hub.size > 0,
    onChange: (leader) => {
      log.info(
        { leader },
        leader
          ? 'this server reads the tenant for the live feed'
          : 'this server reads it no longer',
      );
      if (!leader) return;
      // Go on from where the last reader stopped: that look covers whatever was handed over
      // until now (a change before it, seen by it), so the desks are not sent it twice, nor
      // events from while no desk was connected anywhere (nobody read them then).
      void store
        .discardHandedOver()
        .catch((error: unknown) =>
          log.warn(
            { err: error },
            'live feed: the handed-over webhook events could not be dropped',
          ),
        )
        .then(() => {
          feed.wake();
          void take();
        });
    },
    log,
  });
  const notifications = listen(postgres, {
    channels: [LIVE_CHANNEL, HANDED_OVER_CHANNEL],
    onNotify: (channel) => {
      if (channel === LIVE_CHANNEL) void hub.pull();
      else void take();
    },
    // Whatever was said while this server was not listening: it reads it now.
    onListening: () => {
      void hub.pull();
      void take();
    },
    log,
  });
  return {
    leadership,
    onEvents(events: SessionEvent[]) {
      if (leadership.leader) {
        feed.noteEvents(events);
        return;
      }
      store
        .handOver(events)
        .catch((error: unknown) =>
          log.warn({ err: error }, 'live feed: webhook events could not be handed over'),
        );
    },
    async close() {
      await notifications.close();
      await leadership.close();
    },
  };
}
