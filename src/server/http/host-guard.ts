import type { FastifyRequest } from 'fastify';
import { DESK_ERRORS } from '../../contract/desk.ts';
import { HttpError } from './errors.ts';

// Which names this server answers for. With PUBLIC_URL, that origin's host only; without
// it (a local install), the loopback names on its own port only: a page on a rebinding
// host name (evil.example resolving to 127.0.0.1) is refused like any other foreign host.

declare module 'fastify' {
  interface FastifyRequest {
    /** The origin the browser reached this server at (PUBLIC_URL, or the loopback name it used). */
    ownOrigin: string;
  }
}

const LOOPBACK = /^(localhost|127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?$/;

export function originResolver(
  publicUrl: string | undefined,
  /** The port listened on; undefined when not listening (inject only). */
  port: () => number | undefined,
): (host: string | undefined) => string | undefined {
  const pub = publicUrl ? new URL(publicUrl) : undefined;
  return (host) => {
    if (!host) return undefined;
    const name = host.toLowerCase();
    if (pub) {
      let asked: URL;
      try {
        asked = new URL(`${pub.protocol}//${name}`);
      } catch {
        return undefined;
      }
      return asked.host === pub.host && asked.pathname === '/' ? pub.origin : undefined;
    }
    const match = LOOPBACK.exec(name);
    if (!match) return undefined;
    const own = port();
    if (own !== undefined && Number(match[2] ?? 80) !== own) return undefined;
    return `http://${name}`;
  };
}

export function misdirected(request: FastifyRequest, expected: string): HttpError {
  const host = request.headers.host ?? '(no Host)';
  return new HttpError(421, `This server does not answer for ${host}: use ${expected}`);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A write to the desk's server must come from the desk's own pages: an `Origin` of another
 * site, or a browser saying the request is cross-site, is refused (on top of the desk's
 * header, which a cross-site form cannot send).
 */
export function checkSameOrigin(request: FastifyRequest): void {
  if (SAFE_METHODS.has(request.method)) return;
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== request.ownOrigin) {
    throw new HttpError(403, DESK_ERRORS.crossSite);
  }
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') {
    throw new HttpError(403, DESK_ERRORS.crossSite);
  }
}

/** True when a raw path is in the plain form of the desk's routes: words, digits, `-`, `_`. */
export function isPlainPath(rawUrl: string): boolean {
  const query = rawUrl.indexOf('?');
  const path = query < 0 ? rawUrl : rawUrl.slice(0, query);
  // No dot segments, no percent-encoding at all (encoded dots and slashes among it), no
  // backslashes, no empty segments: nothing a later step could normalise into another path.
  return /^(\/[A-Za-z0-9_-]+)+\/?$/.test(path);
}
