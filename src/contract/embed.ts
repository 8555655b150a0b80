import { z } from './zod.ts';

// The embedding contract: which pages may frame the desk and exchange messages with it,
// and the versioned postMessage protocol they speak. One allowlist, with the real
// service's domain-access rules, drives both the server's CSP frame-ancestors header and
// the desk's origin checks, so the two can never disagree.

export const EMBED_PROTOCOL = 'switchboard/v1';
export const EMBED_CONTRACT_VERSION = '1.1.0';

// ---------------------------------------------------------------------------------------
// Origin rules: one entry per origin, a leading `*.` for subdomains, an optional scheme
// and an optional port (`*` for any). No scheme means https (and http too for localhost).
// ---------------------------------------------------------------------------------------

export interface OriginRule {
  /** The entry as written. */
  source: string;
  schemes: Array<'http' | 'https'>;
  /** Lower-case host without the wildcard. */
  host: string;
  /** True for `*.host`: any subdomain of host, not host itself. */
  subdomains: boolean;
  /** A port number, '*' for any, or null for the scheme's default port. */
  port: number | '*' | null;
}

const RULE =
  /^(?:(https?):\/\/)?(\*\.)?([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)(?::(\d{1,5}|\*))?\/?$/i;

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1']);

/** Parses one allowlist entry; undefined when it is not a valid rule. */
export function parseOriginRule(entry: string): OriginRule | undefined {
  const m = RULE.exec(entry.trim());
  if (!m) return undefined;
  const [, scheme, wildcard, rawHost, rawPort] = m;
  const host = rawHost!.toLowerCase();
  let port: OriginRule['port'] = null;
  if (rawPort === '*') port = '*';
  else if (rawPort !== undefined) {
    port = Number(rawPort);
    if (port < 1 || port > 65535) return undefined;
  }
  const schemes: OriginRule['schemes'] = scheme
    ? [scheme.toLowerCase() as 'http' | 'https']
    : LOCAL_HOSTS.has(host)
      ? ['http', 'https']
      : ['https'];
  return { source: entry.trim(), schemes, host, subdomains: Boolean(wildcard), port };
}

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443 };

/** True when `origin` (scheme://host[:port], as in MessageEvent.origin) matches the rule. */
export function originMatchesRule(rule: OriginRule, origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (scheme !== 'http' && scheme !== 'https') return false;
  if (!rule.schemes.includes(scheme)) return false;
  if (url.origin !== origin.replace(/\/$/, '')) return false; // a path or credentials: not an origin
  const host = url.hostname.toLowerCase();
  if (rule.subdomains ? !host.endsWith(`.${rule.host}`) : host !== rule.host) return false;
  const port = url.port === '' ? DEFAULT_PORTS[scheme]! : Number(url.port);
  if (rule.port === '*') return true;
  return port === (rule.port ?? DEFAULT_PORTS[scheme]);
}

export interface EmbedAllowList {
  rules: OriginRule[];
  /** Entries that are not valid rules (the server refuses to start with any). */
  invalid: string[];
}

export function parseAllowList(entries: readonly string[]): EmbedAllowList {
  const rules: OriginRule[] = [];
  const invalid: string[] = [];
  for (const entry of entries) {
    const rule = parseOriginRule(entry);
    if (rule) rules.push(rule);
    else invalid.push(entry);
  }
  return { rules, invalid };
}

/** True when the origin is the desk's own or matches a rule. */
export function isOriginAllowed(
  list: readonly OriginRule[],
  origin: string,
  ownOrigin?: string,
): boolean {
  if (ownOrigin !== undefined && origin === ownOrigin) return true;
  return list.some((rule) => originMatchesRule(rule, origin));
}

/** The CSP frame-ancestors sources for the rules (the desk's own origin is 'self'). */
export function frameAncestorSources(list: readonly OriginRule[]): string {
  const sources = ["'self'"];
  for (const rule of list) {
    for (const scheme of rule.schemes) {
      const host = rule.subdomains ? `*.${rule.host}` : rule.host;
      const port = rule.port === null ? '' : `:${rule.port}`;
      sources.push(`${scheme}://${host}${port}`);
    }
  }
  return sources.join(' ');
}

// ---------------------------------------------------------------------------------------
// Messages. Every message is {protocol, type, payload}. Anything else is ignored.
// ---------------------------------------------------------------------------------------

const envelope = <T extends string, P extends z.ZodType>(type: T, payload: P) =>
  z.object({ protocol: z.literal(EMBED_PROTOCOL), type: z.literal(type), payload });

/** Host → desk. */
export const HostMessageSchema = z.discriminatedUnion('type', [
  envelope(
    'dial',
    z.object({
      end_user_number: z.string().max(40).optional(),
      ticket_id: z.union([z.string().max(200), z.int()]).optional(),
      agent_email: z.string().max(320).optional(),
      /** Create the call at once instead of only filling the form. */
      create: z.boolean().optional(),
    }),
  ),
  envelope('open_call', z.object({ id: z.int().nonnegative() })),
  envelope('set_agent', z.object({ agent_email: z.string().min(1).max(320) })),
]);
export type HostMessage = z.output<typeof HostMessageSchema>;

/** Desk → host. */
export const DeskMessageSchema = z.discriminatedUnion('type', [
  envelope('ready', z.object({ version: z.string(), protocol: z.literal(EMBED_PROTOCOL) })),
  envelope(
    'call.created',
    z.object({
      id: z.int(),
      call_type: z.string(),
      status: z.string(),
      end_user_number: z.string().nullable(),
    }),
  ),
  envelope(
    'call.status',
    z.object({ id: z.int(), status: z.string(), previous_status: z.string().nullable() }),
  ),
  envelope(
    'customer_flag.changed',
    z.object({
      id: z.int(),
      verified_customer: z.boolean(),
      bad_actor: z.boolean(),
      repeat_customer: z.boolean(),
    }),
  ),
  envelope('error', z.object({ message: z.string(), request_type: z.string().optional() })),
  // 1.1: the host hears when an agent signs in at the desk and when the session ends.
  envelope('session.started', z.object({ agent_email: z.string(), agent_name: z.string() })),
  envelope('session.ended', z.object({ reason: z.enum(['signed_out', 'expired']).or(z.string()) })),
]);
export type DeskMessage = z.output<typeof DeskMessageSchema>;
