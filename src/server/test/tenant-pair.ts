import fixture from '../fixtures/fixture-tenant.json' with { type: 'json' };
import type { ServerConfig } from '../config.ts';
import { freePort } from './free-port.ts';
import { startTestServer, type TestServer } from './test-server.ts';

// Tenant mode as an integrator runs it: one server is the emulator ("the tenant", with its
// development identity provider), a second fronts it over HTTP with the tenant's token and
// signs agents in through the first one's /dev-idp, registered there with DEV_IDP_CLIENTS.

const FRONT_CLIENT = { id: 'front-desk', secret: 'front-desk-secret' };

export interface TenantPair {
  tenant: TestServer;
  front: TestServer;
  close(): Promise<void>;
}

export async function startTenantPair(
  options: { tenant?: Partial<ServerConfig>; front?: Partial<ServerConfig> } = {},
): Promise<TenantPair> {
  // The front's address goes into the tenant's client list before either starts.
  const frontPort = options.front?.PORT ?? (await freePort());
  const tenant = await startTestServer({
    RATE_LIMIT_PER_SECOND: 10,
    DEV_IDP_CLIENTS: `${FRONT_CLIENT.id}:${FRONT_CLIENT.secret}:http://127.0.0.1:${frontPort}/desk/auth/callback`,
    ...options.tenant,
  });
  const front = await startTestServer({
    UPSTREAM_URL: tenant.baseUrl,
    UPSTREAM_SUBDOMAIN: fixture.subdomain,
    UPSTREAM_TOKEN: fixture.api_token,
    UPSTREAM_ALLOW_HTTP: true,
    UPSTREAM_BUDGET_PER_SECOND: 8,
    OIDC_ISSUER: `${tenant.baseUrl}/dev-idp`,
    OIDC_CLIENT_ID: FRONT_CLIENT.id,
    OIDC_CLIENT_SECRET: FRONT_CLIENT.secret,
    PORT: frontPort,
    ...options.front,
  });
  return {
    tenant,
    front,
    async close() {
      await front.close();
      await tenant.close();
    },
  };
}
