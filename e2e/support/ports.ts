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
