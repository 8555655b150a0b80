import {
  UpstreamError,
  type Upstream,
  type UpstreamRequest,
  type UpstreamResponse,
} from './upstream.ts';

// Tenant mode: a real CCAI Platform tenant over HTTPS, with the one API token of the tenant
// (HTTP Basic: subdomain and token), which never leaves this server. Redirects are refused
// (a redirect could carry the token to another host), every request has a deadline, and
// nothing is retried here: a POST that got no answer may have been carried out.

export interface TenantUpstreamOptions {
  url: string;
  subdomain: string;
  token: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

export function tenantUpstream(options: TenantUpstreamOptions): Upstream {
  const origin = options.url.replace(/\/+$/, '');
  const authorization = `Basic ${Buffer.from(`${options.subdomain}:${options.token}`).toString('base64')}`;
  const doFetch = options.fetch ?? fetch;
  return {
    description: origin,
    async request({ method, path, body, signal }: UpstreamRequest): Promise<UpstreamResponse> {
      const deadline = AbortSignal.timeout(options.timeoutMs);
      const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
      let response: Response;
      try {
        response = await doFetch(`${origin}${path}`, {
          method,
          headers: {
            authorization,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: new Uint8Array(body) }),
          redirect: 'manual',
          signal: combined,
        });
      } catch (error) {
        throw failure(error, deadline, signal);
      }
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel();
        throw new UpstreamError(
          'redirect',
          `The tenant answered with a redirect (${response.status}${
            response.headers.get('location') ? ` to ${response.headers.get('location')}` : ''
          }); the desk's server does not follow redirects: check UPSTREAM_URL`,
          true,
        );
      }
      let bytes: Buffer;
      try {
        bytes = Buffer.from(await response.arrayBuffer());
      } catch (error) {
        throw failure(error, deadline, signal);
      }
      const headers: Record<string, string> = {};
      response.headers.forEach((value, key) => (headers[key.toLowerCase()] = value));
      return { status: response.status, headers, body: bytes };
    },
  };
}

function failure(error: unknown, deadline: AbortSignal, signal?: AbortSignal): UpstreamError {
  if (signal?.aborted) return new UpstreamError('aborted', 'The request was abandoned', true);
  if (deadline.aborted) {
    return new UpstreamError('timeout', 'The tenant did not answer in time', true);
  }
  const cause = (error as { cause?: { code?: string } }).cause?.code;
  // Refused or unresolved before anything was sent: the request cannot have been carried out.
  const notSent = cause === 'ECONNREFUSED' || cause === 'ENOTFOUND' || cause === 'EAI_AGAIN';
  return new UpstreamError(
    'unreachable',
    `The tenant could not be reached${cause ? ` (${cause})` : ''}`,
    !notSent,
  );
}
