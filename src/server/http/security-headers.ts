import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import helmetMiddleware, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_PREFIX, EMULATOR_PREFIX, MANAGER_PREFIX } from '../../contract/client.ts';
import type { ServerConfig } from '../config.ts';
import { DESK_API_PREFIX, DESK_AUTH_PREFIX } from '../../contract/desk.ts';
import { embedAllowList } from './embed-origins.ts';

// The security headers of every response (helmet), and no caching of API answers.
//
// - The desk is framed by CRMs: its CSP's frame-ancestors is EMBED_ALLOWED_ORIGINS (the
//   list the desk also checks postMessage origins against), and there is no
//   X-Frame-Options, which cannot name origins and would refuse every CRM.
// - Sign-in inside a CRM frame opens a popup (/desk/auth/*, then the identity provider)
//   that posts back to its opener: Cross-Origin-Opener-Policy stays `unsafe-none`, and
//   there is no Cross-Origin-Embedder-Policy.
// - No HSTS: this server speaks plain HTTP; the TLS terminator in front of it decides.
//
// A route replaces the global set with the `helmet` route option, merged over it key by
// key (a `contentSecurityPolicy` there replaces the whole policy), or turns it off:
//
//   app.get('/dev-idp/login', { helmet: { contentSecurityPolicy: { useDefaults: false,
//     directives: { ...cspDirectives("'none'"), formAction: ["'self'", issuerOrigin] } } } }, h)
//   app.get('/raw', { helmet: false }, h)

/** The desk's policy: its own scripts only, MUI's inline styles, talk to its own server. */
export function cspDirectives(frameAncestors: string): Record<string, string[]> {
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    // Emotion (MUI) and Swagger UI inject style elements at run time.
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'https:', 'data:'],
    mediaSrc: ["'self'", 'https:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: frameAncestors.split(' '),
  };
}

type EmbedConfig = Pick<ServerConfig, 'EMBED_ALLOWED_ORIGINS'>;

function securityHeaderOptions(config: EmbedConfig): FastifyHelmetOptions {
  return {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: cspDirectives(embedAllowList(config).frameAncestors),
    },
    crossOriginOpenerPolicy: { policy: 'unsafe-none' },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    strictTransportSecurity: false,
    xFrameOptions: false,
  };
}

/** Answers of the Call API, the directory, the control API, the desk's API and sign-in. */
const API_PATH = new RegExp(
  `^(${[API_PREFIX, MANAGER_PREFIX, EMULATOR_PREFIX, DESK_API_PREFIX, DESK_AUTH_PREFIX].map((p) => p.replace(/\//g, '\\/')).join('|')})(\\/|\\?|$)`,
);

/**
 * The headers helmet sets with these options, as a plain list: for answers written before
 * any hook runs (a URL that does not decode, a request the HTTP parser refused).
 */
function securityHeaderSet(config: EmbedConfig): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string) => void (headers[name] = value),
    removeHeader: (name: string) => void delete headers[name],
  } as unknown as ServerResponse;
  // The same options: @fastify/helmet's types see helmet's CommonJS typings, ours its ESM ones.
  const { global: _global, ...options } = securityHeaderOptions(config) as HelmetOptions & {
    global?: boolean;
  };
  helmetMiddleware(options)({} as IncomingMessage, response, () => {});
  return headers;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** What securityHeaderSet() answers for this server's configuration. */
    securityHeaderSet: Record<string, string>;
  }
}

/** The headers of an answer given before routing (Fastify's `frameworkErrors`). */
export function withSecurityHeaders(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  reply.headers(reply.server.securityHeaderSet);
  if (API_PATH.test(request.url)) reply.header('Cache-Control', 'no-store');
  return reply;
}

export const securityHeaders = fp(
  async (app: FastifyInstance, { config }: { config: EmbedConfig }) => {
    // Helmet builds its middleware again for every request it handles (it parsed the CSP
    // directives anew each time: a tenth of a create's CPU). The set is the same for every
    // route that does not say otherwise, so it is computed once and written here; helmet
    // itself handles only the routes with a `helmet` option of their own.
    await app.register(helmet, { ...securityHeaderOptions(config), global: false });
    const headers = Object.entries(securityHeaderSet(config));
    app.decorate('securityHeaderSet', Object.fromEntries(headers));
    app.addHook('onRequest', async (request, reply) => {
      // On the raw response, as helmet does: they reach answers written past Fastify
      // (hijacked ones) too, and a route's own header of the same name still wins.
      // @fastify/helmet keeps a route's own option in its config (typed for the route only).
      const own = (request.routeOptions.config as { helmet?: unknown } | undefined)?.helmet;
      if (own === undefined) {
        for (const [name, value] of headers) reply.raw.setHeader(name, value);
      }
      // Call data is personal (numbers, names): no cache, shared or private, keeps a copy.
      // Set first, so that errors carry it too; a route may still say otherwise.
      if (API_PATH.test(request.url)) reply.header('Cache-Control', 'no-store');
    });
  },
  { name: 'security-headers', fastify: '5.x' },
);
