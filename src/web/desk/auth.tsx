import { createContext, useContext, type ReactNode } from 'react';
import type { SignInError } from '../../contract/desk.ts';
import { DESK_HEADER } from './api-client.tsx';

// How the desk signs in and out. In a tab of its own it goes to the server's sign-in
// (OpenID Connect at the company's identity provider) and comes back. Inside a CRM frame
// (identity providers refuse to be framed) it opens that sign-in in a popup on the agent's
// click; the popup's last page hands a one-time code to this frame only (postMessage to the
// desk's own origin), and the frame takes the session over with it. Where the browser
// blocks the frame's cookie, the session is a token this module keeps in memory (gone with
// a reload: the agent signs in again).

export type SignInOutcome =
  { ok: true } | { ok: false; reason: SignInError | 'popup_blocked' | 'closed' | 'failed' };

export interface DeskAuth {
  /** The token a framed desk holds when its cookies are blocked; null when its cookie carries the session. */
  token(): string | null;
  setToken(token: string | null): void;
  /** `fetch` with the session's token, when the desk holds one. */
  fetch: typeof fetch;
  /** Where sign-in starts, and comes back to `returnTo` (a path of the desk). */
  signInHref(returnTo: string): string;
  signInWithPopup(): Promise<SignInOutcome>;
  signOut(): Promise<void>;
}

export interface DeskAuthOptions {
  /** The desk's API, e.g. '/desk/api'; sign-in lives beside it ('/desk/auth'). */
  apiBaseUrl: string;
  fetch?: typeof fetch;
  /** A token to start with (tests). */
  token?: string;
  window?: Window;
}

const POPUP_FEATURES = 'popup,width=520,height=700';

export function createDeskAuth(options: DeskAuthOptions): DeskAuth {
  const base = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const authBase = options.apiBaseUrl.replace(/\/api\/?$/, '/auth');
  let token: string | null = options.token ?? null;

  const withToken: typeof fetch = (input, init) => {
    if (token === null) return base(input, init);
    const headers = new Headers(init?.headers);
    headers.set('Authorization', `Bearer ${token}`);
    return base(input, { ...init, headers });
  };

  async function takeOver(code: string): Promise<SignInOutcome> {
    const answer = await base(`${authBase}/handoff`, {
      method: 'POST',
      headers: { ...DESK_HEADER, 'Content-Type': 'application/json' },
      body: JSON.stringify({ code }),
    });
    if (!answer.ok) return { ok: false, reason: 'expired' };
    const { token: handed } = (await answer.json()) as { token: string };
    // Does this frame's cookie carry the session? A browser that blocks it answers 401.
    const probe = await base(`${options.apiBaseUrl}/session`, { headers: { ...DESK_HEADER } });
    token = probe.ok ? null : handed;
    return { ok: true };
  }

  return {
    token: () => token,
    setToken(next) {
      token = next;
    },
    fetch: withToken,
    signInHref: (returnTo) => `${authBase}/login?return_to=${encodeURIComponent(returnTo)}`,
    signInWithPopup() {
      const win = options.window ?? window;
      const popup = win.open(`${authBase}/login?popup=1`, 'switchboard-sign-in', POPUP_FEATURES);
      if (!popup) return Promise.resolve({ ok: false, reason: 'popup_blocked' });
      return new Promise<SignInOutcome>((resolve) => {
        let done = false;
        const finish = (outcome: SignInOutcome) => {
          if (done) return;
          done = true;
          win.removeEventListener('message', onMessage);
          clearInterval(watch);
          resolve(outcome);
        };
        const onMessage = (event: MessageEvent) => {
          if (event.origin !== win.location.origin || event.source !== popup) return;
          const data = event.data as { type?: unknown; code?: unknown; error?: unknown } | null;
          if (!data || data.type !== 'switchboard:sign-in') return;
          if (typeof data.code === 'string' && data.code !== '') {
            void takeOver(data.code).then(finish, () => finish({ ok: false, reason: 'failed' }));
          } else {
            finish({
              ok: false,
              reason: (typeof data.error === 'string' ? data.error : 'expired') as SignInError,
            });
          }
        };
        win.addEventListener('message', onMessage);
        // The agent may close the popup instead: the desk stops waiting (after a last moment
        // for a message the popup posted just before it closed).
        const watch = setInterval(() => {
          if (popup.closed) setTimeout(() => finish({ ok: false, reason: 'closed' }), 500);
        }, 500);
      });
    },
    async signOut() {
      await withToken(`${authBase}/logout`, { method: 'POST', headers: { ...DESK_HEADER } });
      token = null;
    },
  };
}

const DeskAuthContext = createContext<DeskAuth | null>(null);

export function DeskAuthProvider({ auth, children }: { auth: DeskAuth; children: ReactNode }) {
  return <DeskAuthContext value={auth}>{children}</DeskAuthContext>;
}

export function useDeskAuth(): DeskAuth {
  const auth = useContext(DeskAuthContext);
  if (!auth) throw new Error('useDeskAuth needs a DeskAuthProvider above it');
  return auth;
}
