import { DESK_ERRORS } from '../../contract/desk.ts';
import { HttpError } from '../http/errors.ts';
import type { UpstreamError } from '../upstream/upstream.ts';
import type { UpstreamResponse } from '../upstream/upstream.ts';

// What the desk says when the tenant did not give an answer it can pass on: the desk is
// told in the API's `{"message"}` shape, and the operator reads the reason in the log.

export class DeskUpstreamError extends HttpError {
  constructor(
    statusCode: number,
    message: string,
    headers: Record<string, string> = {},
    /** For the log: what the operator should know. */
    readonly operatorHint?: string,
  ) {
    super(statusCode, message, headers);
  }
}

/** The tenant's answer, unless it is one the desk must not pass on as it is. */
export function checkAnswer(response: UpstreamResponse): UpstreamResponse {
  if (response.status === 401 || response.status === 403) {
    throw new DeskUpstreamError(
      502,
      DESK_ERRORS.tenantRefusedToken,
      {},
      `the tenant answered ${response.status}: UPSTREAM_SUBDOMAIN / UPSTREAM_TOKEN are wrong or revoked`,
    );
  }
  if (response.status === 429) {
    const retryAfter = response.headers['retry-after'];
    throw new DeskUpstreamError(
      429,
      DESK_ERRORS.tenantBusy,
      { 'Retry-After': retryAfter && /^\d+$/.test(retryAfter) ? retryAfter : '1' },
      'the tenant answered 429: something else is using its rate limit too',
    );
  }
  if (response.status >= 500) {
    throw new DeskUpstreamError(502, `The tenant answered ${response.status}`, {}, 'tenant error');
  }
  return response;
}

/** An UpstreamError as the desk's answer. */
export function fromUpstreamError(error: UpstreamError): DeskUpstreamError {
  switch (error.kind) {
    case 'busy':
      return new DeskUpstreamError(429, DESK_ERRORS.tenantBusy, {
        'Retry-After': String(error.retryAfter ?? 1),
      });
    case 'timeout':
      return new DeskUpstreamError(504, DESK_ERRORS.tenantTimeout, {}, error.message);
    case 'redirect':
      return new DeskUpstreamError(502, DESK_ERRORS.tenantUnreachable, {}, error.message);
    default:
      return new DeskUpstreamError(502, DESK_ERRORS.tenantUnreachable, {}, error.message);
  }
}
