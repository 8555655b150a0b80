import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { ClientMetadata } from 'oidc-provider';
import { API_ERRORS } from '../contract/api-errors.ts';
import { isEmulatorMode, parseDevIdpClient, splitList, type ServerConfig } from './config.ts';
import { watchAgents } from './desk/agent-watch.ts';
import { oidcIdentity, type IdentityProvider } from './desk/identity.ts';
import { deskPlugin } from './desk/plugin.ts';
import { Sessions, randomSecret } from './desk/sessions.ts';
import type { DeskStore } from './desk/store/desk-store.ts';
import { openSqliteDeskStore } from './desk/store/sqlite-desk-store.ts';
import { DESK_POSTGRES_MIGRATIONS } from './desk/store/postgres/desk-schema.ts';
import { postgresDeskStore } from './desk/store/postgres-desk-store.ts';
import { LOCKS, openPostgres, type Postgres } from './db/postgres.ts';
import { holdLeadership, type Leadership } from './db/postgres-leadership.ts';
import { DEV_IDP_PREFIX, GUEST_ACCOUNT, devIdpPlugin } from './emulator/dev-idp.ts';
import { emulatorPlugin } from './emulator/plugin.ts';
import { jsonBodies } from './http/body.ts';
import { EMBED_PROTOCOL, embedAllowList } from './http/embed-origins.ts';
import { errorHandler } from './http/errors.ts';
import { misdirected, originResolver } from './http/host-guard.ts';
import { startLiveServer, type LiveServer } from './live/live-server.ts';
import { httpLayerChecks } from './http/http-layer.ts';
import { RequestLog } from './http/request-log.ts';
import { securityHeaders, withSecurityHeaders } from './http/security-headers.ts';
import { httpServerOptions, limitConnections } from './http/server-options.ts';
import { healthRoutes, StorageHealth } from './db/storage-health.ts';
import { docsRoutes } from './routes/docs.ts';
import { webRoutes } from './routes/web.ts';
import { createServices, type Services } from './services.ts';
import { UpstreamBudget } from './upstream/budget.ts';
import { emulatorUpstream } from './upstream/emulator-upstream.ts';
import { tenantUpstream } from './upstream/tenant-upstream.ts';
import type { Upstream } from './upstream/upstream.ts';
import { postgresWindow } from './upstream/postgres-window.ts';
import { agentDisplayName } from './domain/tenant.ts';

export const BODY_LIMIT = 64 * 1024;

/** The desk's own client at the development identity provider (emulator mode). */
const DESK_CLIENT_ID = 'switchboard-desk';

export interface AppOptions {
  config: ServerConfig;
  logger?: FastifyServerOptions['logger'];
}

/** What the server keeps for the desk, reachable for tests and the live feed. */
interface DeskServerState {
  store: DeskStore;
  sessions: Sessions;
  budget: UpstreamBudget;
  /** Reads the tenant's agents now and ends the sessions of those removed or disabled. */
  checkAgents(): Promise<string[]>;
  /** The emulator's services; undefined when fronting a real tenant. */
  emulator: Services | undefined;
  /** The live feed: the desks' streams and what feeds them. */
  live: LiveServer;
}

declare module 'fastify' {
  interface FastifyInstance {
    desk: DeskServerState;
  }
}

/**
 * The development IdP's clients from DEV_IDP_CLIENTS: entries naming the same client are one
 * client with several redirect URIs (several desk servers, each on its own address).
 */
function devIdpClients(value: string): ClientMetadata[] {
  const byId = new Map<string, ClientMetadata & { redirect_uris: string[] }>();
  for (const entry of splitList(value)) {
    const client = parseDevIdpClient(entry)!;
    const known = byId.get(client.client_id);
    if (known) {
      known.redirect_uris.push(client.redirect_uri);
      continue;
    }
    byId.set(client.client_id, {
      client_id: client.client_id,
      client_secret: client.client_secret,
      redirect_uris: [client.redirect_uri],
      token_endpoint_auth_method: 'client_secret_basic',
    });
  }
  return [...byId.values()];
}

/**
 * Builds the server without listening: in emulator mode the emulator of the Call API (with
 * its control API and development identity provider) and the desk in front of it; in tenant
 * mode the desk in front of a real tenant. Tests build it on a temporary data directory.
 */
export async function buildApp({ config, logger = false }: AppOptions): Promise<FastifyInstance> {
  const emulatorMode = isEmulatorMode(config);
  const services = emulatorMode ? createServices(config) : undefined;
  const app = Fastify({
    ...httpServerOptions(config),
    logger,
    // One line per request instead of Fastify's two, at a level by what it was.
    logController: new RequestLog(),
    bodyLimit: BODY_LIMIT,
    // `__proto__` and `constructor` keys are dropped when JSON is parsed, never merged.
    onProtoPoisoning: 'remove',
    onConstructorPoisoning: 'remove',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // A URL that does not decode or is too long is refused before routing: in the API's
    // own error shape too.
    frameworkErrors: (error, request, reply) =>
      errorHandler(error, request, withSecurityHeaders(request, reply)),
  });
  limitConnections(app, config);
  httpLayerChecks(app);
  // Before any route: a route may replace these headers with its `helmet` option.
  await app.register(securityHeaders, { config });
  jsonBodies(app);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((_request, reply) =>
    reply.code(404).send({ message: API_ERRORS.resourceNotFound.message }),
  );

  // The names this server answers for (PUBLIC_URL, or loopback on its own port).
  // Asked on every request: the address is a system call, so it is kept once listening.
  let listeningOn: number | undefined;
  const port = () => {
    if (listeningOn !== undefined) return listeningOn;
    const address = app.server.address();
    listeningOn = typeof address === 'object' && address ? address.port : undefined;
    return listeningOn;
  };
  const ownOrigin = originResolver(config.PUBLIC_URL, port);
  const canonicalOrigin = () =>
    config.PUBLIC_URL
      ? new URL(config.PUBLIC_URL).origin
      : `http://127.0.0.1:${port() ?? config.PORT}`;
  app.decorateRequest('ownOrigin', '');
  app.addHook('onRequest', async (request) => {
    if (request.url === '/healthz') return;
    const origin = ownOrigin(request.headers.host);
    if (!origin) throw misdirected(request, canonicalOrigin());
    request.ownOrigin = origin;
  });

  // The emulator's own storage, or (fronting a tenant) the data directory of the desk's.
  healthRoutes(app, services?.storage ?? new StorageHealth(config.DATA_DIR));
  await app.register(docsRoutes);

  let upstream: Upstream;
  let identity: IdentityProvider;
  let tenantName: string;
  if (services) {
    await app.register(emulatorPlugin, { services });
    const tenant = services.deskTenant;
    tenantName = tenant.subdomain;
    upstream = emulatorUpstream(app, tenant, () => new URL(canonicalOrigin()).host);
    // The desk signs in at the emulator's own identity provider unless told otherwise; its
    // client secret lives as long as the process, which is also the only one that uses it.
    const deskSecret = randomSecret();
    const deskRedirects = () =>
      config.PUBLIC_URL
        ? [`${new URL(config.PUBLIC_URL).origin}/desk/auth/callback`]
        : ['localhost', '127.0.0.1', '[::1]'].map(
            (host) => `http://${host}:${port() ?? config.PORT}/desk/auth/callback`,
          );
    const clients = (): ClientMetadata[] => [
      {
        client_id: DESK_CLIENT_ID,
        client_secret: deskSecret,
        redirect_uris: deskRedirects(),
        token_endpoint_auth_method: 'client_secret_basic',
      },
      ...devIdpClients(config.DEV_IDP_CLIENTS),
    ];
    await app.register(devIdpPlugin, {
      prefix: DEV_IDP_PREFIX,
      issuer: () => `${canonicalOrigin()}${DEV_IDP_PREFIX}`,
      clients,
      accounts: () => [
        ...tenant.directory.agents.map((a) => ({ email: a.email, name: agentDisplayName(a) })),
        GUEST_ACCOUNT,
      ],
    });
    identity = config.OIDC_ISSUER
      ? oidcIdentity({
          issuer: config.OIDC_ISSUER,
          clientId: config.OIDC_CLIENT_ID!,
          clientSecret: config.OIDC_CLIENT_SECRET!,
        })
      : oidcIdentity({
          issuer: () => `${canonicalOrigin()}${DEV_IDP_PREFIX}`,
          clientId: DESK_CLIENT_ID,
          clientSecret: deskSecret,
        });
  } else {
    tenantName = config.UPSTREAM_SUBDOMAIN!;
    upstream = tenantUpstream({
      url: config.UPSTREAM_URL!,
      subdomain: config.UPSTREAM_SUBDOMAIN!,
      token: config.UPSTREAM_TOKEN!,
      timeoutMs: config.UPSTREAM_TIMEOUT_MS,
    });
    identity = oidcIdentity({
      issuer: config.OIDC_ISSUER!,
      clientId: config.OIDC_CLIENT_ID!,
      clientSecret: config.OIDC_CLIENT_SECRET!,
    });
  }

  // Several servers behind a load balancer share their state in PostgreSQL; one keeps it in
  // its own SQLite file.
  const postgres: Postgres | undefined = config.DATABASE_URL
    ? await openPostgres({
        url: config.DATABASE_URL,
        migrationsDir: DESK_POSTGRES_MIGRATIONS,
        onError: (error) => app.log.warn({ err: error }, 'a database connection failed'),
      })
    : undefined;
  const budget = new UpstreamBudget(upstream, {
    perSecond: config.UPSTREAM_BUDGET_PER_SECOND,
    // The servers that front one tenant share one window (named by the tenant), so that
    // together they stay below its limit.
    ...(postgres && {
      shared: postgresWindow(
        postgres,
        services ? `emulator ${tenantName}` : `${upstream.description} ${tenantName}`,
      ),
      onSharedError: (error: unknown) =>
        app.log.warn({ err: error }, 'the shared budget could not be reached; asking again'),
    }),
  });
  const store = postgres ? postgresDeskStore(postgres) : openSqliteDeskStore(config.DATA_DIR);
  const sessions = new Sessions(store, {
    idleMs: config.SESSION_IDLE_MINUTES * 60_000,
    absoluteMs: config.SESSION_MAX_HOURS * 3_600_000,
  });
  // Several servers share the background reads: whichever holds the lock does them for all.
  const background: Leadership | undefined = postgres
    ? holdLeadership(postgres, {
        lock: LOCKS.background,
        onChange: (leader) =>
          app.log.info(
            { leader },
            leader
              ? 'this server does the background reads'
              : 'another server does the background reads',
          ),
        log: app.log,
      })
    : undefined;
  const agentWatch = watchAgents({
    store,
    sessions,
    upstream: budget,
    everyMs: config.AGENT_CHECK_SECONDS * 1000,
    log: app.log,
    active: () => background?.leader ?? true,
  });
  app.addHook('onClose', async () => {
    agentWatch.stop();
    await background?.close();
    budget.close();
    await store.close();
  });
  const live = await startLiveServer(app, {
    config,
    emulator: services,
    upstream: budget,
    sessions,
    log: app.log,
    ...(postgres && { postgres }),
  });
  // After the live feed's own, which still use it while they stop.
  app.addHook('onClose', async () => {
    await postgres?.close();
  });
  app.decorate('desk', {
    store,
    sessions,
    budget,
    checkAgents: agentWatch.check,
    emulator: services,
    live,
  } satisfies DeskServerState);

  await app.register(deskPlugin, {
    prefix: '/desk',
    upstream: budget,
    store,
    sessions,
    identity,
    capabilities: { simulate: emulatorMode, autoplay: emulatorMode && config.EMULATOR_AUTOPLAY },
    tenantName,
    actForOthersRoles: splitList(config.DESK_ACT_FOR_OTHERS_ROLES),
    upstreamTimeoutMs: config.UPSTREAM_TIMEOUT_MS,
    embed: { protocol: EMBED_PROTOCOL, allowedOrigins: embedAllowList(config).entries },
    live: live.desk,
  });
  await app.register(webRoutes);
  return app;
}
