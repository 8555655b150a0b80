// Where the browser tests find everything. The desk is served from 127.0.0.1 and the CRM
// host page from localhost: two different sites, as a real CRM and the desk are, so the
// framed desk is a third-party frame (partitioned storage, cross-origin messages).

export const DESK_PORT = Number(process.env.E2E_PORT ?? 4187);
/** The CRM host page's origin that EMBED_ALLOWED_ORIGINS lists. */
export const HOST_PORT = Number(process.env.E2E_HOST_PORT ?? 4188);
/** The same page from an origin that is not on the list. */
export const REFUSED_HOST_PORT = Number(process.env.E2E_REFUSED_HOST_PORT ?? 4189);

export const DESK_ORIGIN = `http://127.0.0.1:${DESK_PORT}`;
export const HOST_ORIGIN = `http://localhost:${HOST_PORT}`;
export const REFUSED_HOST_ORIGIN = `http://localhost:${REFUSED_HOST_PORT}`;

/**
 * Tenant mode, as an integrator runs it: an emulator as "the tenant" (with its development
 * identity provider) and a second server fronting it, signing agents in through the first.
 */
export const TENANT_PORT = Number(process.env.E2E_TENANT_PORT ?? 4195);
export const FRONT_PORT = Number(process.env.E2E_FRONT_PORT ?? 4196);
export const TENANT_ORIGIN = `http://127.0.0.1:${TENANT_PORT}`;
export const FRONT_ORIGIN = `http://127.0.0.1:${FRONT_PORT}`;
// (Not 4190: fetch and browsers refuse some ports, 4190 among them.)

/** The fronting server's client at the tenant's identity provider. */
export const FRONT_CLIENT = { id: 'e2e-front', secret: 'e2e-front-secret' };

/**
 * Several desk servers behind a load balancer (issue 13), started by their spec: one
 * emulator as the tenant, two desk servers sharing one PostgreSQL database, HAProxy in
 * front (round robin, no sticky sessions). The database server is the suite's own
 * (a webServer of playwright.config.ts).
 */
export const MULTI_PORTS = {
  balancer: Number(process.env.E2E_MULTI_LB_PORT ?? 4170),
  tenant: Number(process.env.E2E_MULTI_TENANT_PORT ?? 4171),
  deskA: Number(process.env.E2E_MULTI_DESK_A_PORT ?? 4172),
  deskB: Number(process.env.E2E_MULTI_DESK_B_PORT ?? 4173),
  /**
   * A counting proxy between the desk servers and the tenant, inside the test process: only
   * the desk servers it starts need to know its port, so the OS chooses one unless told.
   */
  counter: Number(process.env.E2E_MULTI_COUNTER_PORT ?? 0),
  postgres: Number(process.env.E2E_PG_PORT ?? 4176),
};
export const MULTI_ORIGIN = `http://127.0.0.1:${MULTI_PORTS.balancer}`;
export const MULTI_TENANT_ORIGIN = `http://127.0.0.1:${MULTI_PORTS.tenant}`;
/** The desk servers' client at the tenant's identity provider: one client, one redirect URI. */
export const MULTI_CLIENT = { id: 'e2e-multi', secret: 'e2e-multi-secret' };
/** The maintenance database of the suite's PostgreSQL (trust auth on loopback). */
export const POSTGRES_ADMIN_URL = `postgres://switchboard@127.0.0.1:${MULTI_PORTS.postgres}/postgres`;

/** The Basic credentials of the tenant's session events at the fronting server's webhook. */
export const SESSION_EVENTS = { user: 'e2e-platform', password: 'e2e-session-events-secret' };

/**
 * Servers the live feed's tests start and stop themselves (a restart, a network cut): the
 * desk behind the cut, the cut itself, and a desk to restart.
 */
export const LIVE_PORTS = {
  restart: Number(process.env.E2E_LIVE_RESTART_PORT ?? 4191),
  cut: Number(process.env.E2E_LIVE_CUT_PORT ?? 4192),
  behindCut: Number(process.env.E2E_LIVE_BEHIND_CUT_PORT ?? 4193),
};
