import type { FastifyInstance } from 'fastify';
import type { ServerOptions } from 'node:http';
import type { ServerConfig } from '../config.ts';
import { clientErrorHandler } from './http-layer.ts';

// How long the server waits for a slow client, and how many it keeps at once. A client
// that drips its request line and headers (or its body) is closed once it is late, however
// steadily it drips, so a few thousand of them cannot hold every connection. The limits
// apply to receiving a request only: an answer that stays open (the desk's live feed, a
// heartbeat every ~15 s) is cut only if nothing moves on it for HTTP_IDLE_TIMEOUT_MS.

export type HttpLimits = Pick<
  ServerConfig,
  | 'HTTP_HEADERS_TIMEOUT_MS'
  | 'HTTP_REQUEST_TIMEOUT_MS'
  | 'HTTP_KEEP_ALIVE_TIMEOUT_MS'
  | 'HTTP_IDLE_TIMEOUT_MS'
  | 'HTTP_MAX_CONNECTIONS'
>;

/**
 * Fastify's options for these limits and for the HTTP layer's own answers (http-layer.ts),
 * spread into the options of `Fastify()`.
 */
export function httpServerOptions(config: HttpLimits): {
  connectionTimeout: number;
  keepAliveTimeout: number;
  requestTimeout: number;
  http: ServerOptions;
  clientErrorHandler: typeof clientErrorHandler;
  return503OnClosing: false;
} {
  const receiving = Math.min(config.HTTP_HEADERS_TIMEOUT_MS, config.HTTP_REQUEST_TIMEOUT_MS);
  return {
    connectionTimeout: config.HTTP_IDLE_TIMEOUT_MS,
    keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
    http: {
      headersTimeout: config.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
      // Node looks for late requests this often (30 s by default): a fifth of the
      // shortest limit closes a late client within 20 % of its time.
      connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.floor(receiving / 5))),
      // httpLayerChecks() answers a missing Host in the API's shape.
      requireHostHeader: false,
    },
    clientErrorHandler,
    // httpLayerChecks() answers requests that arrive while closing, in the API's shape.
    return503OnClosing: false,
  };
}

/** Past the limit a new connection is closed at once (Node's `server.maxConnections`). */
export function limitConnections(app: FastifyInstance, config: HttpLimits): void {
  app.server.maxConnections = config.HTTP_MAX_CONNECTIONS;
}
