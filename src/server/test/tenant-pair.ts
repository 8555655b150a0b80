import fixture from '../fixtures/fixture-tenant.json' with { type: 'json' };
import type { ServerConfig } from '../config.ts';
import { freePort } from './free-port.ts';
import { startTestServer, type TestServer } from './test-server.ts';

// Tenant mode as an integrator runs it: one server is the emulator ("the tenant", with its
// development identity provider), a second fronts it over HTTP with the tenant's token and
// signs agents in through the first one's /dev-idp, registered there with DEV_IDP_CLIENTS.
// Several fronting servers sharing one PostgreSQL database (DATABASE_URL) are one client of
// the identity provider, one redirect URI each.

const FRONT_CLIENT = { id: 'front-desk', secret: 'front-desk-secret' };

export interface TenantPair {
  tenant: TestServer;
  front: TestServer;
  close(): Promise<void>;
}

export interface TenantFleet {
  tenant: TestServer;
  fronts: TestServer[];
  close(): Promise<void>;
}

export async function startTenantFleet(
  options: {
    fronts?: number;
    /** The fronts' ports (chosen by the OS unless given). */
    ports?: number[];
    tenant?: Partial<ServerConfig>;
    front?: Partial<ServerConfig>;
  } = {},
): Promise<TenantFleet> {
  // The fronts' addresses go into the tenant's client list before any starts.
  const count = options.fronts ?? 1;
  const ports =
    options.ports ??
    (count === 1 && options.front?.PORT !== undefined
      ? [options.front.PORT]
      : await Promise.all(Array.from({ length: count }, () => freePort())));
  const tenant = await startTestServer({
    RATE_LIMIT_PER_SECOND: 10,
    DEV_IDP_CLIENTS: ports
      .map(
        (port) =>
          `${FRONT_CLIENT.id}:${FRONT_CLIENT.secret}:http://127.0.0.1:${port}/desk/auth/callback`,
      )
      .join(','),
    ...options.tenant,
  });
  const fronts: TestServer[] = [];
  try {
    for (const port of ports) {
      fronts.push(
        await startTestServer({
          UPSTREAM_URL: tenant.baseUrl,
          UPSTREAM_SUBDOMAIN: fixture.subdomain,
          UPSTREAM_TOKEN: fixture.api_token,
          UPSTREAM_ALLOW_HTTP: true,
          UPSTREAM_BUDGET_PER_SECOND: 8,
          OIDC_ISSUER: `${tenant.baseUrl}/dev-idp`,
          OIDC_CLIENT_ID: FRONT_CLIENT.id,
          OIDC_CLIENT_SECRET: FRONT_CLIENT.secret,
          ...options.front,
          PORT: port,
        }),
      );
    }
  } catch (error) {
    for (const front of fronts) await front.close();
    await tenant.close();
    throw error;
  }
  return {
    tenant,
    fronts,
    async close() {
      for (const front of fronts) await front.close();
      await tenant.close();
    },
  };
}

export async function startTenantPair(
  options: { tenant?: Partial<ServerConfig>; front?: Partial<ServerConfig> } = {},
): Promise<TenantPair> {
  const { tenant, fronts, close } = await startTenantFleet({ ...options, fronts: 1 });
  return { tenant, front: fronts[0]!, close };
}

/**
 * A test's own request to the tenant: another integration sharing its 10 requests a second,
 * so it waits out a 429 as the real service asks (Retry-After) and goes on.
 */
export async function requestAsIntegration(
  tenant: TestServer,
  method: string,
  path: string,
  body?: unknown,
) {
  for (;;) {
    const answer = await tenant.request(method, path, body === undefined ? {} : { body });
    if (answer.status !== 429) return answer;
    await new Promise((r) => setTimeout(r, Number(answer.headers.get('retry-after') ?? 1) * 1000));
  }
}
