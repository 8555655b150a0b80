// Signing in as a browser does, for tests over HTTP: the desk's /desk/auth/login, the
// identity provider's redirects and its account page (the button with the agent's e-mail),
// back to the desk's callback, with cookies kept per host the way a browser keeps them.

class CookieJar {
  private readonly byHost = new Map<string, Map<string, string>>();
  /** Every Set-Cookie line received, as sent. */
  readonly received: string[] = [];

  header(url: string): string | undefined {
    const cookies = this.byHost.get(new URL(url).hostname);
    if (!cookies || cookies.size === 0) return undefined;
    return [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  take(url: string, response: Response): void {
    const host = new URL(url).hostname;
    const cookies = this.byHost.get(host) ?? new Map<string, string>();
    for (const line of response.headers.getSetCookie()) {
      this.received.push(line);
      const [pair, ...attributes] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(a));
      if (expired || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
    this.byHost.set(host, cookies);
  }

  get(url: string, name: string): string | undefined {
    return this.byHost.get(new URL(url).hostname)?.get(name);
  }
}

export interface BrowserLike {
  jar: CookieJar;
  /** One request with the jar's cookies, no redirect followed. */
  fetch(url: string, init?: RequestInit): Promise<Response>;
  /** Follows redirects like a browser's navigation; answers the last response and its URL. */
  /** `rewrite` may send a redirect elsewhere (another server behind the same name). */
  navigate(
    url: string,
    init?: RequestInit,
    rewrite?: (location: string) => string,
  ): Promise<{ response: Response; url: string }>;
}

export function browserLike(jar = new CookieJar()): BrowserLike {
  const one = async (url: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    const cookie = jar.header(url);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    jar.take(url, response);
    return response;
  };
  return {
    jar,
    fetch: one,
    async navigate(url, init, rewrite = (location) => location) {
      let current = url;
      let response = await one(current, init);
      for (let hops = 0; response.status >= 300 && response.status < 400; hops++) {
        if (hops > 20) throw new Error(`too many redirects from ${url}`);
        const location = response.headers.get('location')!;
        await response.body?.cancel();
        current = rewrite(new URL(location, current).href);
        response = await one(current);
      }
      return { response, url: current };
    },
  };
}

export interface SignedIn {
  /** The session secret (the cookie's value, also usable as a bearer token). */
  secret: string;
  browser: BrowserLike;
  /** Where the desk sent the browser at the end (the page asked for, or /sign-in?error=…). */
  landedAt: string;
}

const SESSION_COOKIE = '__Host-switchboard-session';

/**
 * Goes through the whole sign-in at `deskUrl` as the account with this e-mail. Resolves
 * with the session when the desk gave one; `secret` is '' when the desk refused (see
 * `landedAt` for why).
 */
export async function signIn(
  deskUrl: string,
  email: string,
  {
    browser = browserLike(),
    returnTo = '/calls',
    rewrite,
  }: {
    browser?: BrowserLike;
    returnTo?: string;
    /** Where each redirect goes instead (e.g. the callback to another server). */
    rewrite?: (location: string) => string;
  } = {},
): Promise<SignedIn> {
  const start = `${deskUrl}/desk/auth/login?return_to=${encodeURIComponent(returnTo)}`;
  const { response: accountsPage, url: pageUrl } = await browser.navigate(start);
  const html = await accountsPage.text();
  const action = /<form method="post" action="([^"]+\/login)">/.exec(html)?.[1];
  if (!action)
    throw new Error(`no account page at ${pageUrl}: ${accountsPage.status} ${html.slice(0, 300)}`);
  if (!html.includes(`value="${email}"`)) throw new Error(`no button for ${email} at ${pageUrl}`);
  const { url: landedAt } = await browser.navigate(
    new URL(action, pageUrl).href,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ account: email }).toString(),
    },
    rewrite,
  );
  return { secret: browser.jar.get(deskUrl, SESSION_COOKIE) ?? '', browser, landedAt };
}

/** Headers of a desk request with this session (as a token, the way a CRM frame may send it). */
export function deskHeaders(secret: string): Record<string, string> {
  return { 'x-switchboard-desk': '1', authorization: `Bearer ${secret}` };
}

/** A desk API request as a signed-in desk sends it: the body as JSON text, the answer parsed. */
export async function deskRequest(
  baseUrl: string,
  secret: string,
  method: string,
  path: string,
  body?: unknown,
) {
  const response = await fetch(`${baseUrl}/desk/api${path}`, {
    method,
    headers: {
      ...deskHeaders(secret),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
}
