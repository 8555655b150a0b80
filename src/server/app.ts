import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { API_ERRORS } from '../contract/api-errors.ts';
import { API_PREFIX, EMULATOR_PREFIX, MANAGER_PREFIX } from '../contract/client.ts';
import type { ServerConfig } from './config.ts';
import { authenticate } from './http/auth.ts';
import { HttpError, errorHandler } from './http/errors.ts';
import { jsonBodies } from './http/body.ts';
import { RequestLog } from './http/request-log.ts';
import { securityHeaders, withSecurityHeaders } from './http/security-headers.ts';
import { httpLayerChecks } from './http/http-layer.ts';
import { httpServerOptions, limitConnections } from './http/server-options.ts';
import type { Tenant } from './store/tenant-store.ts';
import { callRoutes } from './routes/calls.ts';
import { customerFlagRoutes } from './routes/customer-flags.ts';
import { DESK_PREFIX, deskRoutes } from './routes/desk.ts';
import { directoryRoutes } from './routes/directory.ts';
import { docsRoutes } from './routes/docs.ts';
import { emulatorRoutes } from './routes/emulator.ts';
import { webRoutes } from './routes/web.ts';
import { startBackgroundWork } from './emulator/background.ts';
import { createServices, type Services } from './services.ts';
import { healthRoutes } from './db/storage-health.ts';

declare module 'fastify' {
  interface FastifyRequest {
    tenant: Tenant | null;
  }
}

export const BODY_LIMIT = 64 * 1024;

export interface AppOptions {
  config: ServerConfig;
  logger?: FastifyServerOptions['logger'];
}

/**
 * Builds the server (the Call API emulator, its control API, the desk's API path and the
 * built desk) without listening. Tests build it on a temporary data directory.
 */
export async function buildApp({ config, logger = false }: AppOptions): Promise<FastifyInstance> {
  const services = createServices(config);
  const fronting = Boolean(config.UPSTREAM_URL);
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
  app.decorate('services', services);
  // Before any route: a route may replace these headers with its `helmet` option.
  await app.register(securityHeaders, { config });
  httpLayerChecks(app);
  app.decorateRequest('tenant', null);
  jsonBodies(app);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((_request, reply) =>
    reply.code(404).send({ message: API_ERRORS.resourceNotFound.message }),
  );
  app.addHook('onClose', async () => services.close());

  healthRoutes(app, services.storage);

  // The Call API, the directory and the control API: Basic auth per tenant, then the
  // tenant's rate limit, before the body is even read.
  const authenticated =
    (register: (scope: FastifyInstance) => Promise<void>) => async (scope: FastifyInstance) => {
      scope.addHook('onRequest', async (request) => {
        const tenant = authenticate(request, services.tenants, services.logins);
        const wait = services.limiter.take(tenant.subdomain);
        if (wait > 0) {
          throw new HttpError(429, API_ERRORS.tooManyRequests.message, {
            'Retry-After': String(wait),
          });
        }
        request.tenant = tenant;
      });
      scope.setNotFoundHandler((_request, reply) =>
        reply.code(404).send({ message: API_ERRORS.resourceNotFound.message }),
      );
      await register(scope);
    };

  await app.register(docsRoutes);
  if (!fronting) {
    await app.register(
      authenticated(async (scope) => {
        await scope.register(callRoutes, { services });
        await scope.register(customerFlagRoutes, { services });
      }),
      { prefix: API_PREFIX },
    );
    await app.register(
      authenticated(async (scope) => {
        await scope.register(directoryRoutes, { services });
      }),
      { prefix: MANAGER_PREFIX },
    );
    await app.register(
      authenticated(async (scope) => {
        await scope.register(emulatorRoutes, { services });
      }),
      { prefix: EMULATOR_PREFIX },
    );
  }
  await app.register(deskRoutes, { prefix: DESK_PREFIX, services, root: app });
  await app.register(webRoutes);

  if (!fronting) {
    const stop = startBackgroundWork(services);
    app.addHook('onClose', async () => stop());
  }
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}
