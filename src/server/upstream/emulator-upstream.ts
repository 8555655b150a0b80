import type { FastifyInstance } from 'fastify';
import type { Upstream, UpstreamRequest, UpstreamResponse } from './upstream.ts';

// Emulator mode: the tenant is the emulator in this same process. Requests go through
// Fastify's inject, so they take exactly the route, the checks and the rate limit that an
// HTTP client of the emulator gets, with the tenant's Basic credentials, which only this
// server holds.

export function emulatorUpstream(
  app: FastifyInstance,
  tenant: { subdomain: string; token: string },
  /** The Host the emulator's own routes see (the server's public host). */
  host: () => string,
): Upstream {
  const authorization = `Basic ${Buffer.from(`${tenant.subdomain}:${tenant.token}`).toString('base64')}`;
  return {
    description: `the emulator's tenant "${tenant.subdomain}"`,
    async request({ method, path, body }: UpstreamRequest): Promise<UpstreamResponse> {
      const response = await app.inject({
        method,
        url: path,
        headers: {
          host: host(),
          authorization,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { payload: body }),
      });
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(response.headers)) {
        if (value !== undefined) {
          headers[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
        }
      }
      return { status: response.statusCode, headers, body: response.rawPayload };
    },
  };
}
