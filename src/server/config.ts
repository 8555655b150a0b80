import { z } from '../contract/zod.ts';
import { parseAllowList } from '../contract/embed.ts';

// The server's configuration, read from the environment once at start-up. The names are
// fixed by CALL-API.md and TENANT-MODE.md so that scripts outside the project can start it.

const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  /** At most this many megabytes of database (0: as much as the disk holds). */
  DATA_MAX_MB: z.coerce.number().min(0).default(0),
  RATE_LIMIT_PER_SECOND: z.coerce.number().min(0).default(10),
  /** Failed logins a minute from one client address, and to one tenant, before a 429; 0 off. */
  LOGIN_FAILURES_PER_ADDRESS: z.coerce.number().int().min(0).default(10),
  LOGIN_FAILURES_PER_TENANT: z.coerce.number().int().min(0).default(100),
  EMULATOR_AUTOPLAY: flag.default(false),
  EMBED_ALLOWED_ORIGINS: z.string().default(''),
  /** Extra emulator tenants, `subdomain:token,...`, each seeded from the fixture. */
  EMULATOR_EXTRA_TENANTS: z.string().default(''),
  /** Which emulator tenant the desk acts for (default: the fixture's). */
  DESK_TENANT: z.string().optional(),
  /** The origin the desk is served at; requests for any other host are refused (421). */
  PUBLIC_URL: z.url().optional(),
  /** Fronting a real tenant: its API origin (https://{subdomain}.{domain}), subdomain and token. */
  UPSTREAM_URL: z.url().optional(),
  UPSTREAM_SUBDOMAIN: z.string().optional(),
  UPSTREAM_TOKEN: z.string().optional(),
  /** Slow clients: time to send the headers, the whole request; idle keep-alive and idle answers. */
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).default(72_000),
  // An open answer (the live feed's heartbeat comes every ~15 s) must not be cut under 60 s.
  HTTP_IDLE_TIMEOUT_MS: z.coerce.number().int().min(60_000).default(120_000),
  HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).default(20_000),
  /** Tests and local emulators only: let UPSTREAM_URL be http. */
  UPSTREAM_ALLOW_HTTP: flag.default(false),
  /** Requests a second this server sends the tenant, all desks together; 0 turns the budget off. */
  UPSTREAM_BUDGET_PER_SECOND: z.coerce.number().min(0).max(1000).default(8),
  /** How long a request to the tenant may take before the desk gives up on its answer. */
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** The company's identity provider (OpenID Connect); in emulator mode the emulator's own by default. */
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  /** More clients of the development identity provider: `client_id:client_secret:redirect_uri,...`. */
  DEV_IDP_CLIENTS: z.string().default(''),
  /** Roles (from the Manager API) that may place an outbound call for another agent; none by default. */
  DESK_ACT_FOR_OTHERS_ROLES: z.string().default(''),
  /** A session ends after this long without a request from its desk… */
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(120),
  /** …and this long after sign-in in any case. */
  SESSION_MAX_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(30 * 24)
    .default(12),
  /**
   * The desk server's own state (sessions, audit log, shared budget, live feed) in
   * PostgreSQL, shared by several servers behind a load balancer; SQLite in DATA_DIR without it.
   */
  DATABASE_URL: z.string().optional(),
  /** How often the desk's server re-reads the tenant's agents to end the sessions of removed ones. */
  AGENT_CHECK_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** The emulator POSTs session events here (TENANT-MODE.md), with these Basic credentials. */
  EMULATOR_SESSION_EVENTS_URL: z.url().optional(),
  EMULATOR_SESSION_EVENTS_USER: z.string().optional(),
  EMULATOR_SESSION_EVENTS_PASSWORD: z.string().optional(),
  /** The Basic credentials POST /webhooks/session-events must carry; no receiver without them. */
  SESSION_EVENTS_USER: z.string().optional(),
  SESSION_EVENTS_PASSWORD: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type ServerConfig = z.output<typeof ConfigSchema>;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopbackUrl(url: string): boolean {
  return LOOPBACK_HOSTS.has(new URL(url).hostname);
}

function invalid(line: string): Error {
  return new Error(`Invalid configuration:\n  ${line}`);
}

export function parseConfig(env: Record<string, string | undefined>): ServerConfig {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const result = ConfigSchema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const config = result.data;
  if (config.HTTP_HEADERS_TIMEOUT_MS > config.HTTP_REQUEST_TIMEOUT_MS) {
    throw invalid('HTTP_HEADERS_TIMEOUT_MS must not be longer than HTTP_REQUEST_TIMEOUT_MS');
  }
  const upstream = [config.UPSTREAM_URL, config.UPSTREAM_SUBDOMAIN, config.UPSTREAM_TOKEN];
  if (upstream.some(Boolean) && !upstream.every(Boolean)) {
    throw invalid('UPSTREAM_URL, UPSTREAM_SUBDOMAIN and UPSTREAM_TOKEN go together');
  }
  if (config.UPSTREAM_URL) {
    const url = new URL(config.UPSTREAM_URL);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && config.UPSTREAM_ALLOW_HTTP)) {
      throw invalid(
        'UPSTREAM_URL must be https (the tenant token travels with every request); ' +
          'UPSTREAM_ALLOW_HTTP=1 allows http for tests and local emulators',
      );
    }
    if (url.pathname !== '/' || url.search || url.username) {
      throw invalid(
        'UPSTREAM_URL is the tenant origin only, e.g. https://acme.us1.ccaiplatform.com',
      );
    }
  }
  const oidc = [config.OIDC_ISSUER, config.OIDC_CLIENT_ID, config.OIDC_CLIENT_SECRET];
  if (oidc.some(Boolean) && !oidc.every(Boolean)) {
    throw invalid('OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET go together');
  }
  if (config.UPSTREAM_URL && !config.OIDC_ISSUER) {
    throw invalid(
      'fronting a tenant, agents sign in through the company identity provider: ' +
        'set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET',
    );
  }
  if (Boolean(config.SESSION_EVENTS_USER) !== Boolean(config.SESSION_EVENTS_PASSWORD)) {
    throw invalid('SESSION_EVENTS_USER and SESSION_EVENTS_PASSWORD go together');
  }
  if (config.OIDC_ISSUER) {
    const issuer = new URL(config.OIDC_ISSUER);
    if (issuer.protocol !== 'https:' && !isLoopbackUrl(config.OIDC_ISSUER)) {
      throw invalid('OIDC_ISSUER must be https (http only on this machine: localhost, 127.0.0.1)');
    }
  }
  if (config.PUBLIC_URL) {
    const url = new URL(config.PUBLIC_URL);
    if (url.pathname !== '/' || url.search || url.username) {
      throw invalid('PUBLIC_URL is an origin only, e.g. https://desk.example.com');
    }
    if (url.protocol !== 'https:' && !isLoopbackUrl(config.PUBLIC_URL)) {
      // Browsers keep the session cookie (Secure, __Host-) only for https and loopback pages.
      throw invalid('PUBLIC_URL must be https (http only on this machine: localhost, 127.0.0.1)');
    }
  }
  if (config.DATABASE_URL) {
    let url: URL | undefined;
    try {
      url = new URL(config.DATABASE_URL);
    } catch {
      url = undefined;
    }
    if (!url || !['postgres:', 'postgresql:'].includes(url.protocol) || !url.hostname) {
      throw invalid('DATABASE_URL must be a PostgreSQL URL: postgres://user:password@host:5432/db');
    }
  }
  const devIdpSecrets = new Map<string, string>();
  for (const entry of splitList(config.DEV_IDP_CLIENTS)) {
    const client = parseDevIdpClient(entry);
    if (!client) {
      throw invalid(
        `DEV_IDP_CLIENTS: "${entry}" is not client_id:client_secret:redirect_uri (redirect_uri a URL)`,
      );
    }
    // The same client may be listed once per redirect URI (several desk servers).
    const secret = devIdpSecrets.get(client.client_id);
    if (secret !== undefined && secret !== client.client_secret) {
      throw invalid(`DEV_IDP_CLIENTS: client ${client.client_id} is listed with two secrets`);
    }
    devIdpSecrets.set(client.client_id, client.client_secret);
  }
  const { invalid: badOrigins } = parseAllowList(splitList(config.EMBED_ALLOWED_ORIGINS));
  if (badOrigins.length > 0) {
    throw invalid(
      `EMBED_ALLOWED_ORIGINS: not an origin rule: ${badOrigins.join(', ')}` +
        ' (write https://crm.example.com, *.example.com or http://localhost:*)',
    );
  }
  extraTenants(config);
  return config;
}

export interface TenantEntry {
  subdomain: string;
  token: string;
}

/** EMULATOR_EXTRA_TENANTS as entries; throws a readable error for a malformed one. */
export function extraTenants(config: Pick<ServerConfig, 'EMULATOR_EXTRA_TENANTS'>): TenantEntry[] {
  const entries: TenantEntry[] = [];
  for (const entry of splitList(config.EMULATOR_EXTRA_TENANTS)) {
    // The token is everything after the first colon (a token may hold colons).
    const colon = entry.indexOf(':');
    const subdomain = entry.slice(0, colon).trim();
    const token = entry.slice(colon + 1).trim();
    if (colon <= 0 || !subdomain || !token) {
      throw invalid(`EMULATOR_EXTRA_TENANTS: "${entry.split(':')[0]}" is not subdomain:token`);
    }
    if (entries.some((e) => e.subdomain === subdomain)) {
      throw invalid(`EMULATOR_EXTRA_TENANTS: "${subdomain}" is named twice`);
    }
    entries.push({ subdomain, token });
  }
  return entries;
}

export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export interface DevIdpClient {
  client_id: string;
  client_secret: string;
  redirect_uri: string;
}

/** `client_id:client_secret:redirect_uri` (the redirect URI keeps its own colons). */
export function parseDevIdpClient(entry: string): DevIdpClient | undefined {
  const match = /^([^:\s]+):([^:\s]+):(https?:\/\/\S+)$/.exec(entry);
  if (!match) return undefined;
  try {
    new URL(match[3]!);
  } catch {
    return undefined;
  }
  return { client_id: match[1]!, client_secret: match[2]!, redirect_uri: match[3]! };
}

export function configDefaults(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return { ...parseConfig({}), ...overrides };
}

/** Emulator mode: the server is its own tenant. Tenant mode: it fronts UPSTREAM_URL. */
export function isEmulatorMode(config: ServerConfig): boolean {
  return !config.UPSTREAM_URL;
}
