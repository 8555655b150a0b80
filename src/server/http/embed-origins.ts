import type { ServerConfig } from '../config.ts';

// Which pages may frame the desk and exchange messages with it: one allowlist drives both
// the CSP frame-ancestors header and the desk's postMessage origin checks.

export const EMBED_PROTOCOL = 'switchboard/v1';

/** Local use: the desk's own origin and any port on localhost. */
const LOCAL_DEFAULT = ['http://localhost:*', 'http://127.0.0.1:*'];

export interface EmbedAllowList {
  /** The entries as configured (or the local default). */
  entries: string[];
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
  return { entries, frameAncestors: ["'self'", ...entries].join(' ') };
}
