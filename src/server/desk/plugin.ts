import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import { DESK_ERRORS } from '../../contract/desk.ts';
import { HttpError } from '../http/errors.ts';
import { checkSameOrigin, isPlainPath } from '../http/host-guard.ts';
import type { Upstream } from '../upstream/upstream.ts';
import { deskApiRoutes, type DeskApiOptions } from './api-routes.ts';
import { authRoutes } from './auth-routes.ts';
import type { IdentityProvider } from './identity.ts';
import type { Sessions } from './sessions.ts';
import type { DeskStore } from './store/desk-store.ts';

// The desk's own server side, in either mode: sign-in (`/desk/auth`) and the desk's API
// (`/desk/api`). It knows the tenant only through the Upstream seam.

export interface DeskPluginOptions extends Omit<DeskApiOptions, 'upstream' | 'store' | 'sessions'> {
  upstream: Upstream;
  store: DeskStore;
  sessions: Sessions;
  identity: IdentityProvider;
}

export async function deskPlugin(app: FastifyInstance, options: DeskPluginOptions) {
  await app.register(fastifyCookie);

  app.addHook('onRequest', async (request) => {
    const api = request.url.startsWith('/desk/api/') || request.url === '/desk/api';
    // Nothing under /desk has a dot, an escape or an empty segment in its path: such a path
    // is refused before routing, so no later step can make another path of it.
    if (!isPlainPath(request.url) && !/^\/desk\/auth\/done\.js(\?|$)/.test(request.url)) {
      throw new HttpError(400, DESK_ERRORS.pathNotWellFormed);
    }
    if ((api || request.method !== 'GET') && request.headers['x-switchboard-desk'] !== '1') {
      throw new HttpError(403, DESK_ERRORS.deskHeaderRequired);
    }
    checkSameOrigin(request);
  });

  await app.register(authRoutes, {
    prefix: '/auth',
    identity: options.identity,
    upstream: options.upstream,
    store: options.store,
    sessions: options.sessions,
  });
  await app.register(deskApiRoutes, { ...options, prefix: '/api' });
}
