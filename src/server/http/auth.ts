import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { API_ERRORS } from '../../contract/api-errors.ts';
import type { Tenant, TenantStore } from '../store/tenant-store.ts';
import { HttpError } from './errors.ts';
import type { LoginThrottle } from './login-throttle.ts';

const unauthorized = () =>
  new HttpError(401, API_ERRORS.unauthorized.message, {
    'WWW-Authenticate': 'Basic realm="Call API", charset="UTF-8"',
  });

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function parseBasic(header: string): { subdomain: string; token: string } | undefined {
  if (!/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { subdomain: decoded.slice(0, colon), token: decoded.slice(colon + 1) };
}

/**
 * HTTP Basic auth as the real service does it: the subdomain is the user name and an API
 * token the password. No or wrong credentials → 401; a subdomain that is no tenant → 404;
 * too many failed logins from this address or to this tenant → 429 (login-throttle.ts).
 * A request with no credentials at all is a client asking what to send, not a failure.
 */
export function authenticate(
  request: FastifyRequest,
  tenants: TenantStore,
  throttle: LoginThrottle,
): Tenant {
  const header = request.headers.authorization;
  if (!header) throw unauthorized();
  const credentials = parseBasic(header);
  const tenant = credentials && tenants.get(credentials.subdomain);
  const wait = throttle.wait(request.ip, tenant ? tenant.subdomain : undefined);
  if (wait > 0) {
    throw new HttpError(429, API_ERRORS.tooManyFailedLogins.message, {
      'Retry-After': String(wait),
    });
  }
  if (!credentials || !tenant) {
    throttle.failed(request.ip, undefined);
    if (!credentials) throw unauthorized();
    throw new HttpError(404, API_ERRORS.tenantNotFound.message);
  }
  if (!sameSecret(credentials.token, tenant.token)) {
    throttle.failed(request.ip, tenant.subdomain);
    throw unauthorized();
  }
  throttle.succeeded(request.ip, tenant.subdomain);
  return tenant;
}
