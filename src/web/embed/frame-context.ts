// Where the desk is running: in a tab of its own, or in a frame of someone else's page
// (a CRM). The parent's origin is what every message to the host is addressed to, so it
// comes from the browser, never from the host's own word: `location.ancestorOrigins`
// (Chromium, Safari) where there is one, else the origin of `document.referrer` (the page
// that framed the desk, as long as the host did not strip it with a Referrer-Policy).

export interface FrameContext {
  /** True when the desk is inside a frame. */
  framed: boolean;
  /** The desk's own origin (e.g. https://switchboard.example.com). */
  ownOrigin: string;
  /** The framing page's origin as the browser reports it; null when unknown. */
  parentOrigin: string | null;
  /** Where parentOrigin came from. */
  parentOriginFrom: 'ancestorOrigins' | 'referrer' | null;
}

/** The origin of a URL, or null when it has none (about:blank, data:, a sandboxed page). */
export function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

function isFramed(win: Window): boolean {
  try {
    return win.parent !== win;
  } catch {
    // Reading a cross-origin ancestor threw: there is one.
    return true;
  }
}

export function readFrameContext(win: Window = window): FrameContext {
  const ownOrigin = win.location.origin;
  if (!isFramed(win)) {
    return { framed: false, ownOrigin, parentOrigin: null, parentOriginFrom: null };
  }
  const ancestors = win.location.ancestorOrigins;
  if (ancestors && ancestors.length > 0) {
    const parent = ancestors[0] ?? null;
    return {
      framed: true,
      ownOrigin,
      parentOrigin: parent === null || parent === 'null' ? null : parent,
      parentOriginFrom: parent === null || parent === 'null' ? null : 'ancestorOrigins',
    };
  }
  const fromReferrer = win.document.referrer ? originOf(win.document.referrer) : null;
  return {
    framed: true,
    ownOrigin,
    parentOrigin: fromReferrer,
    parentOriginFrom: fromReferrer === null ? null : 'referrer',
  };
}
