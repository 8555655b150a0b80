import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DESK_ERRORS, type SignInError } from '../../contract/desk.ts';
import { HttpError } from '../http/errors.ts';
import type { Upstream } from '../upstream/upstream.ts';
import type { IdentityProvider } from './identity.ts';
import { pkce } from './identity.ts';
import {
  LOGIN_COOKIE,
  clearSessionCookie,
  hashSecret,
  randomSecret,
  setSessionCookie,
  type Sessions,
} from './sessions.ts';
import type { DeskStore } from './store/desk-store.ts';
import { findAgent, isActiveAgent, readAgents, sessionAgent } from './tenant-directory.ts';

// Sign-in and sign-out (`/desk/auth`). In a tab: the desk sends the browser to the identity
// provider and back to /callback, which starts the session and goes on to the page asked
// for. Inside a CRM frame (identity providers refuse to be framed) the desk opens the same
// flow in a popup on the agent's click; its last page hands a one-time code to the frame
// that opened it (postMessage, to the desk's own origin only), and the frame takes the
// session over with it (/handoff): a cookie of its own, or a token it keeps in memory where
// the browser blocks the frame's cookies.

const LOGIN_TTL_MS = 10 * 60_000;
const HANDOFF_TTL_MS = 60_000;

export interface AuthRoutesOptions {
  identity: IdentityProvider;
  upstream: Upstream;
  store: DeskStore;
  sessions: Sessions;
}

/** A path of the desk to go back to; anything else (another site, `//host`) is the call list. */
function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000) return '/calls';
  if (!/^\/(?![/\\])[^\s]*$/.test(value) || value.startsWith('/desk/')) return '/calls';
  return value;
}

const DONE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Signing in · Switchboard</title>
<script src="/desk/auth/done.js" defer></script>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#1a1a1a}</style>
</head><body><main><h1>Signing in…</h1>
<p>You can close this window if it stays open. <a href="/calls">Open the desk</a></p>
</main></body></html>`;

// The popup's last step: the code goes to the window that opened it, if that window is the
// desk (the target origin is the desk's own: never "*"), and the popup closes.
const DONE_SCRIPT = `(() => {
  const params = new URLSearchParams(location.hash.slice(1));
  history.replaceState(null, '', location.pathname);
  const message = { type: 'switchboard:sign-in', code: params.get('code'), error: params.get('error') };
  if (window.opener && window.opener !== window) {
    window.opener.postMessage(message, location.origin);
    window.close();
  } else if (message.code) {
    location.replace('/calls');
  } else {
    location.replace('/sign-in?error=' + encodeURIComponent(message.error || 'expired'));
  }
})();
`;

export async function authRoutes(app: FastifyInstance, options: AuthRoutesOptions) {
  const { identity, upstream, store, sessions } = options;

  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: 4096 },
    (_r, body, done) => {
      try {
        done(null, body === '' ? {} : JSON.parse(body as string));
      } catch {
        done(new HttpError(400, 'Malformed JSON body'), undefined);
      }
    },
  );

  const refuse = (reply: FastifyReply, popup: boolean, reason: SignInError, returnTo = '/calls') =>
    reply.redirect(
      popup
        ? `/desk/auth/done#error=${reason}`
        : `/sign-in?error=${reason}&return_to=${encodeURIComponent(returnTo)}`,
      303,
    );

  app.get<{ Querystring: { return_to?: string; popup?: string } }>(
    '/login',
    async (request, reply) => {
      const popup = request.query.popup === '1';
      const returnTo = safeReturnTo(request.query.return_to);
      const state = pkce.state();
      const nonce = pkce.nonce();
      const codeVerifier = pkce.verifier();
      const redirectUri = `${request.ownOrigin}/desk/auth/callback`;
      let target: URL;
      try {
        target = await identity.authorizationUrl({
          redirectUri,
          state,
          nonce,
          codeChallenge: await pkce.challenge(codeVerifier),
        });
      } catch (error) {
        request.log.error(
          { err: error, issuer: identity.issuer },
          'the identity provider cannot be reached',
        );
        return refuse(reply, popup, 'idp_unreachable', returnTo);
      }
      await store.putLogin({
        state,
        nonce,
        codeVerifier,
        redirectUri,
        returnTo,
        popup,
        expiresAt: Date.now() + LOGIN_TTL_MS,
      });
      // Ties the callback to this browser: a callback with another browser's state is refused.
      reply.setCookie(LOGIN_COOKIE, state, {
        path: '/',
        secure: true,
        httpOnly: true,
        sameSite: 'lax',
        maxAge: LOGIN_TTL_MS / 1000,
      });
      return reply.header('Cache-Control', 'no-store').redirect(target.href, 303);
    },
  );

  app.get<{ Querystring: Record<string, string | undefined> }>(
    '/callback',
    async (request, reply) => {
      const state = request.query.state;
      const expected = request.cookies[LOGIN_COOKIE];
      reply.clearCookie(LOGIN_COOKIE, { path: '/', secure: true, httpOnly: true, sameSite: 'lax' });
      const login =
        typeof state === 'string' ? await store.takeLogin(state, Date.now()) : undefined;
      if (!login || state !== expected) return refuse(reply, Boolean(login?.popup), 'expired');
      const popup = login.popup;
      if (request.query.error) {
        return refuse(
          reply,
          popup,
          request.query.error === 'access_denied' ? 'cancelled' : 'idp_error',
          login.returnTo,
        );
      }
      let claims;
      try {
        // The answer as the identity provider sent it, to the redirect URI the sign-in began
        // with: another server than the one that began it may be taking it (a load balancer).
        const callbackUrl = new URL(login.redirectUri);
        callbackUrl.search = new URL(request.url, 'http://callback.invalid').search;
        claims = await identity.complete(callbackUrl, {
          state: login.state,
          nonce: login.nonce,
          codeVerifier: login.codeVerifier,
          redirectUri: login.redirectUri,
        });
      } catch (error) {
        request.log.warn({ err: error }, 'sign-in: the identity provider answer was refused');
        return refuse(reply, popup, 'idp_error', login.returnTo);
      }
      if (!claims.emailVerified || claims.email === '')
        return refuse(reply, popup, 'not_verified', login.returnTo);
      let agents;
      try {
        agents = await readAgents(upstream, 'agent');
      } catch (error) {
        request.log.error({ err: error }, 'sign-in: the tenant agents could not be read');
        return refuse(reply, popup, 'tenant_unreachable', login.returnTo);
      }
      const agent = findAgent(agents, claims.email);
      if (!agent) return refuse(reply, popup, 'no_agent', login.returnTo);
      if (!isActiveAgent(agent)) return refuse(reply, popup, 'agent_disabled', login.returnTo);
      const { secret, record } = await sessions.start(sessionAgent(agent));
      setSessionCookie(reply, secret, record.absoluteExpiresAt);
      request.log.info({ agent: record.agent.email }, 'signed in');
      if (!popup) return reply.redirect(login.returnTo, 303);
      const code = randomSecret();
      await store.putHandoff({
        codeHash: hashSecret(code),
        loginId: record.loginId,
        agent: record.agent,
        absoluteExpiresAt: record.absoluteExpiresAt,
        expiresAt: Date.now() + HANDOFF_TTL_MS,
      });
      return reply.redirect(`/desk/auth/done#code=${code}`, 303);
    },
  );

  app.get('/done', async (_request, reply) =>
    reply.header('Cache-Control', 'no-store').type('text/html; charset=utf-8').send(DONE_PAGE),
  );
  app.get('/done.js', async (_request, reply) =>
    reply
      .header('Cache-Control', 'no-cache')
      .type('text/javascript; charset=utf-8')
      .send(DONE_SCRIPT),
  );

  app.post<{ Body: { code?: unknown } }>('/handoff', async (request, reply) => {
    const code = request.body?.code;
    if (typeof code !== 'string' || !/^[A-Za-z0-9_-]{20,200}$/.test(code)) {
      throw new HttpError(400, DESK_ERRORS.handoffInvalid);
    }
    const handoff = await store.takeHandoff(hashSecret(code), Date.now());
    if (!handoff || handoff.absoluteExpiresAt <= Date.now()) {
      throw new HttpError(400, DESK_ERRORS.handoffInvalid);
    }
    const { secret, record } = await sessions.start(handoff.agent, {
      loginId: handoff.loginId,
      absoluteExpiresAt: handoff.absoluteExpiresAt,
    });
    setSessionCookie(reply, secret, record.absoluteExpiresAt);
    return { token: secret, expires_at: new Date(record.absoluteExpiresAt).toISOString() };
  });

  app.post('/logout', async (request: FastifyRequest, reply) => {
    const resolved = await sessions.resolve(request);
    if (resolved) {
      await sessions.end(resolved.record);
      request.log.info({ agent: resolved.record.agent.email }, 'signed out');
    }
    clearSessionCookie(reply);
    return reply.code(204).send();
  });
}
