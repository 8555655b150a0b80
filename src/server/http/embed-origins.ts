import {
  EMBED_PROTOCOL,
  frameAncestorSources,
  parseAllowList,
  type OriginRule,
} from '../../contract/embed.ts';
import type { ServerConfig } from '../config.ts';

export { EMBED_PROTOCOL };

// Which pages may frame the desk and exchange messages with it: EMBED_ALLOWED_ORIGINS
// drives both the CSP frame-ancestors header here and the desk's postMessage checks (it
// reads the same list from /desk/api/session).

/** Local use: the desk's own origin ('self', always) and any port on localhost. */
const LOCAL_DEFAULT = ['http://localhost:*', 'http://127.0.0.1:*'];

export interface EmbedAllowList {
  /** The entries as configured (or the local default). */
  entries: string[];
  rules: OriginRule[];
  /** The CSP frame-ancestors value. */
  frameAncestors: string;
}

export function embedAllowList(
  config: Pick<ServerConfig, 'EMBED_ALLOWED_ORIGINS'>,
): EmbedAllowList {
  const configured = config.EMBED_ALLOWED_ORIGINS.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const entries = configured.length > 0 ? configured : LOCAL_DEFAULT;
  const { rules, invalid } = parseAllowList(entries);
  if (invalid.length > 0) {
    throw new Error(`EMBED_ALLOWED_ORIGINS: not an origin rule: ${invalid.join(', ')}`);
  }
  return { entries, rules, frameAncestors: frameAncestorSources(rules) };
}
