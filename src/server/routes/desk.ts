import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { API_PREFIX, EMULATOR_PREFIX, MANAGER_PREFIX } from '../../contract/client.ts';
import type { DeskSession } from '../../contract/emulator.ts';
import { HttpError, notFound } from '../http/errors.ts';
import type { Services } from '../services.ts';
import { EMBED_PROTOCOL, embedAllowList } from '../http/embed-origins.ts';

// The desk's own API path. The browser never holds the API token: the desk calls
// /desk/api/..., and this server forwards to the Call API with the tenant credentials only
// it holds: in-process to the emulator, or over HTTPS to the real tenant it fronts.

export const DESK_PREFIX = '/desk/api';
export const DESK_HEADER = 'x-switchboard-desk';

/** Response headers the desk needs from the API; everything else stays behind. */
const FORWARDED_HEADERS = ['content-type', 'link', 'total', 'per-page', 'retry-after'];

interface Upstream {
  mode: 'emulator' | 'tenant';
  tenant: string;
  basic: string;
  send(
    method: string,
    path: string,
    body: string | undefined,
  ): Promise<{
    status: number;
    headers: Record<string, string>;
    body: string;
  }>;
}

function upstreamFor(app: FastifyInstance, services: Services): Upstream {
  const { config } = services;
  if (config.UPSTREAM_URL && config.UPSTREAM_SUBDOMAIN && config.UPSTREAM_TOKEN) {
    const origin = config.UPSTREAM_URL.replace(/\/+$/, '');
    const basic = `Basic ${Buffer.from(`${config.UPSTREAM_SUBDOMAIN}:${config.UPSTREAM_TOKEN}`).toString('base64')}`;
    return {
      mode: 'tenant',
      tenant: config.UPSTREAM_SUBDOMAIN,
      basic,
      async send(method, path, body) {
        const response = await fetch(`${origin}${path}`, {
          method,
          headers: {
            Authorization: basic,
            Accept: 'application/json',
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          body,
          signal: AbortSignal.timeout(15_000),
        });
        const headers: Record<string, string> = {};
        response.headers.forEach((value, key) => (headers[key] = value));
        return { status: response.status, headers, body: await response.text() };
      },
    };
  }
  const tenant = services.deskTenant;
  const basic = `Basic ${Buffer.from(`${tenant.subdomain}:${tenant.token}`).toString('base64')}`;
  return {
    mode: 'emulator',
    tenant: tenant.subdomain,
    basic,
    async send(method, path, body) {
      const response = await app.inject({
        method: method as 'GET',
        url: path,
        headers: {
          authorization: basic,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        payload: body,
      });
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(response.headers)) {
        if (value !== undefined)
          headers[key] = Array.isArray(value) ? value.join(', ') : String(value);
      }
      return { status: response.statusCode, headers, body: response.body };
    },
  };
}

/** Only the desk's own pages can call this path: a cross-site form cannot set the header. */
function requireDeskHeader(request: FastifyRequest): void {
  if (request.headers[DESK_HEADER] !== '1') {
    throw new HttpError(403, 'The desk API is only for the Switchboard desk');
  }
}

export async function deskRoutes(
  app: FastifyInstance,
  { services, root }: { services: Services; root: FastifyInstance },
) {
  const upstream = upstreamFor(root, services);
  const getUpstream = () => upstream;

  app.addHook('onRequest', async (request) => requireDeskHeader(request));

  app.get('/session', async (): Promise<DeskSession> => {
    const { mode, tenant } = getUpstream();
    return {
      mode,
      tenant,
      embed_protocol: EMBED_PROTOCOL,
      embed_allowed_origins: embedAllowList(services.config).entries,
      autoplay: mode === 'emulator' && services.config.EMULATOR_AUTOPLAY,
    };
  });

  const forward = async (request: FastifyRequest, reply: FastifyReply) => {
    const url = request.url.slice(DESK_PREFIX.length);
    const target = getUpstream();
    const allowed =
      url.startsWith(`${API_PREFIX}/`) ||
      url.startsWith(`${MANAGER_PREFIX}/`) ||
      (target.mode === 'emulator' && url.startsWith(`${EMULATOR_PREFIX}/`));
    if (!allowed || url.startsWith(`${API_PREFIX}/openapi`)) throw notFound();
    const body =
      request.body === undefined || request.method === 'GET'
        ? undefined
        : JSON.stringify(request.body);
    let answer;
    try {
      answer = await target.send(request.method, url, body);
    } catch (error) {
      request.log.warn({ err: error }, 'upstream unreachable');
      throw new HttpError(502, 'The Call API could not be reached');
    }
    reply.code(answer.status);
    for (const name of FORWARDED_HEADERS) {
      const value = answer.headers[name];
      if (value === undefined) continue;
      // Page links point at the desk's own path, so the desk can follow them as they are.
      reply.header(
        name,
        name === 'link' ? value.replace(/<(?:https?:\/\/[^/>]+)?\//g, `<${DESK_PREFIX}/`) : value,
      );
    }
    return reply.send(answer.status === 204 ? undefined : answer.body);
  };

  app.route({ method: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'], url: '/*', handler: forward });
}
