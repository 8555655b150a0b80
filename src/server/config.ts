import { z } from '../contract/zod.ts';
import { parseAllowList } from '../contract/embed.ts';

// The server's configuration, read from the environment once at start-up. The names are
// fixed by CALL-API.md so that scripts outside the project can start it.

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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type ServerConfig = z.output<typeof ConfigSchema>;

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
    throw new Error(
      'Invalid configuration:\n  HTTP_HEADERS_TIMEOUT_MS must not be longer than HTTP_REQUEST_TIMEOUT_MS',
    );
  }
  const upstream = [config.UPSTREAM_URL, config.UPSTREAM_SUBDOMAIN, config.UPSTREAM_TOKEN];
  if (upstream.some(Boolean) && !upstream.every(Boolean)) {
    throw new Error(
      'Invalid configuration:\n  UPSTREAM_URL, UPSTREAM_SUBDOMAIN and UPSTREAM_TOKEN go together',
    );
  }
  const { invalid } = parseAllowList(
    config.EMBED_ALLOWED_ORIGINS.split(',')
      .map((e) => e.trim())
      .filter(Boolean),
  );
  if (invalid.length > 0) {
    throw new Error(
      `Invalid configuration:\n  EMBED_ALLOWED_ORIGINS: not an origin rule: ${invalid.join(', ')}` +
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
  for (const entry of config.EMULATOR_EXTRA_TENANTS.split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    // The token is everything after the first colon (a token may hold colons).
    const colon = entry.indexOf(':');
    const subdomain = entry.slice(0, colon).trim();
    const token = entry.slice(colon + 1).trim();
    if (colon <= 0 || !subdomain || !token) {
      throw new Error(
        `Invalid configuration:\n  EMULATOR_EXTRA_TENANTS: "${entry.split(':')[0]}" is not subdomain:token`,
      );
    }
    if (entries.some((e) => e.subdomain === subdomain)) {
      throw new Error(
        `Invalid configuration:\n  EMULATOR_EXTRA_TENANTS: "${subdomain}" is named twice`,
      );
    }
    entries.push({ subdomain, token });
  }
  return entries;
}

export function configDefaults(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return { ...parseConfig({}), ...overrides };
}
