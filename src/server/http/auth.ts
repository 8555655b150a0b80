import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { API_ERRORS } from '../../contract/api-errors.ts';
import type { Tenant, TenantStore } from '../store/tenant-store.ts';
import { HttpError } from './errors.ts';

const unauthorized = () =>
  new HttpError(401, API_ERRORS.unauthorized.message, {
    'WWW-Authenticate': 'Basic realm="Call API", charset="UTF-8"',
  });

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * HTTP Basic auth as the real service does it: the subdomain is the user name and an API
 * token the password. No or wrong credentials → 401; a subdomain that is no tenant → 404.
 */
export function authenticate(request: FastifyRequest, tenants: TenantStore): Tenant {
  const header = request.headers.authorization;
  if (!header || !/^basic /i.test(header)) throw unauthorized();
  let decoded: string;
  try {
    decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  } catch {
    throw unauthorized();
  }
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw unauthorized();
  const subdomain = decoded.slice(0, colon);
  const token = decoded.slice(colon + 1);
  const tenant = tenants.get(subdomain);
  if (!tenant) throw new HttpError(404, API_ERRORS.tenantNotFound.message);
  if (!sameSecret(token, tenant.token)) throw unauthorized();
  return tenant;
}
