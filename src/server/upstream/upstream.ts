// The one seam between the desk's server and the tenant it acts for. The desk API, the
// sign-in and the live feed depend on this interface only, never on whether the tenant is
// the emulator in this process or a real CCAI Platform tenant over HTTPS.

/** Agent actions go ahead of the server's own background reads inside the shared budget. */
export type UpstreamPriority = 'agent' | 'background';

export interface UpstreamRequest {
  method: 'GET' | 'POST' | 'PATCH';
  /** Path and query on the tenant, e.g. `/apps/api/v1/calls/42`; built by the server, never copied from a client. */
  path: string;
  /** The body's bytes, forwarded as the client sent them (never re-serialised). */
  body?: Buffer;
  priority: UpstreamPriority;
  /** Ends the wait (queue or request) when the client that asked has gone away. */
  signal?: AbortSignal;
}

export interface UpstreamResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: Buffer;
}

export interface Upstream {
  /** Where the desk's calls go, for the log and the operator's messages. */
  readonly description: string;
  request(request: UpstreamRequest): Promise<UpstreamResponse>;
}

/**
 * Why a request got no answer from the tenant. `sent` tells whether its bytes may have
 * reached the tenant: a create that was sent and got no answer has an unknown outcome.
 */
export class UpstreamError extends Error {
  constructor(
    readonly kind: 'unreachable' | 'timeout' | 'redirect' | 'busy' | 'aborted',
    message: string,
    readonly sent: boolean,
    /** For `busy`: seconds until the budget has room again. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

/** The answer's JSON, or undefined when it is not JSON. */
export function upstreamJson(response: UpstreamResponse): unknown {
  try {
    return JSON.parse(response.body.toString('utf8'));
  } catch {
    return undefined;
  }
}
