import type { FastifyInstance } from 'fastify';
import { API_ERRORS } from '../../contract/api-errors.ts';
import { API_PREFIX, EMULATOR_PREFIX, MANAGER_PREFIX } from '../../contract/client.ts';
import { authenticate } from '../http/auth.ts';
import { HttpError } from '../http/errors.ts';
import { callRoutes } from '../routes/calls.ts';
import { customerFlagRoutes } from '../routes/customer-flags.ts';
import { directoryRoutes } from '../routes/directory.ts';
import { emulatorRoutes } from '../routes/emulator.ts';
import type { Services } from '../services.ts';
import type { Tenant } from '../store/tenant-store.ts';
import { startBackgroundWork } from './background.ts';
import { applyCreateFaults } from './faults.ts';

// The emulator of the Call API as one plugin, registered only in emulator mode (never when
// the server fronts a real tenant): the Call API, the Manager API's directory and calls,
// and the control API that moves calls through their lives.

declare module 'fastify' {
  interface FastifyRequest {
    tenant: Tenant | null;
  }
}

export interface EmulatorPluginOptions {
  services: Services;
}

export async function emulatorPlugin(app: FastifyInstance, { services }: EmulatorPluginOptions) {
  app.decorateRequest('tenant', null);
  app.addHook('onClose', async () => services.close());

  // Basic auth per tenant, then the tenant's rate limit, before the body is even read.
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

  await app.register(
    authenticated(async (scope) => {
      applyCreateFaults(scope, services.faults);
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

  const stop = startBackgroundWork(services);
  app.addHook('onClose', async () => stop());
}
