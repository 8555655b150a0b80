import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import Provider, {
  interactionPolicy,
  type ClientMetadata,
  type KoaContextWithOIDC,
} from 'oidc-provider';
import { escapeHtml } from '../http/html.ts';

// The development identity provider: a real OpenID Connect provider (oidc-provider, a
// certified implementation), mounted at /dev-idp in emulator mode only. Its accounts are the
// emulator tenant's agents, and its sign-in page is one button per account, no password: it
// exists so that the desk signs in exactly as it does against the company's Okta or Entra ID,
// in development and in tests. A second server uses it through DEV_IDP_CLIENTS.

export const DEV_IDP_PREFIX = '/dev-idp';

export interface DevIdpAccount {
  email: string;
  name: string;
  /** Why this account is listed, shown under its button. */
  note?: string;
}

export interface DevIdpOptions {
  /** The issuer, `{origin}/dev-idp`; read on first use (the port is known once listening). */
  issuer: () => string;
  clients: () => ClientMetadata[];
  accounts: () => DevIdpAccount[];
}

/** An account that is no agent of the tenant, so the desk's refusal can be seen and tested. */
export const GUEST_ACCOUNT: DevIdpAccount = {
  email: 'guest@example.com',
  name: 'Guest (not an agent)',
  note: 'Signs in at the identity provider, but is no agent of the tenant: the desk refuses it.',
};

function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: 'dev-idp', use: 'sig', alg: 'RS256' };
}

function createProvider(options: DevIdpOptions): Provider {
  const findAccount = (email: string) =>
    options.accounts().find((a) => a.email.toLowerCase() === email.toLowerCase());
  const policy = interactionPolicy.base();
  // Every sign-in asks who you are, so that one browser can sign in as one agent and then
  // as another (there are no passwords to tell a returning user by).
  policy
    .get('login')!
    .checks.add(
      new interactionPolicy.Check('dev_idp_always_asks', 'Choose an account', (ctx) =>
        ctx.oidc.result?.login
          ? interactionPolicy.Check.NO_NEED_TO_PROMPT
          : interactionPolicy.Check.REQUEST_PROMPT,
      ),
    );
  const provider = new Provider(options.issuer(), {
    clients: options.clients(),
    jwks: { keys: [signingKey() as never] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: ['openid', 'email', 'profile'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: false } },
    // Short lives: a sign-in takes minutes, and the desk keeps its own session after it.
    ttl: {
      Interaction: 10 * 60,
      Session: 8 * 3600,
      Grant: 8 * 3600,
      AccessToken: 10 * 60,
      IdToken: 10 * 60,
      AuthorizationCode: 60,
    },
    pkce: { required: () => true },
    interactions: {
      policy,
      url: (_ctx, interaction) => `${DEV_IDP_PREFIX}/interaction/${interaction.uid}`,
    },
    async findAccount(_ctx, id) {
      const account = findAccount(id);
      if (!account) return undefined;
      return {
        accountId: account.email,
        claims: async () => ({
          sub: account.email,
          email: account.email,
          email_verified: true,
          name: account.name,
        }),
      };
    },
    // The clients are the desks of this project: no consent screen.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const existing = session.grantIdFor(client.clientId);
      if (existing) {
        const grant = await ctx.oidc.provider.Grant.find(existing);
        if (grant) return grant;
      }
      const grant = new ctx.oidc.provider.Grant({
        clientId: client.clientId,
        accountId: session.accountId,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      session.grantIdFor(client.clientId, grant.jti);
      return grant;
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page(
        'Sign-in failed',
        `<p>${escapeHtml(String(out.error_description ?? out.error))}</p>`,
      );
    },
  });
  return provider;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Switchboard development sign-in</title>
<style>
body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;background:#fafafa}
h1{font-size:1.4rem}p.lead{color:#444}
form{display:grid;gap:.5rem}
button{font:inherit;text-align:left;padding:.7rem 1rem;border:1px solid #999;border-radius:8px;background:#fff;cursor:pointer}
button:hover{background:#eef3ff}button:focus-visible{outline:3px solid #1a56db;outline-offset:2px}
button small{display:block;color:#444}
.cancel{background:none;border:none;color:#1a56db;text-decoration:underline;padding:.4rem 0}
</style></head><body><main>
<h1>${escapeHtml(title)}</h1>
${body}
</main></body></html>`;
}

function accountsPage(uid: string, clientId: string, accounts: DevIdpAccount[]): string {
  const buttons = accounts
    .map(
      (a) =>
        `<button type="submit" name="account" value="${escapeHtml(a.email)}">${escapeHtml(a.name)} — ${escapeHtml(a.email)}${
          a.note ? `<small>${escapeHtml(a.note)}</small>` : ''
        }</button>`,
    )
    .join('\n');
  return page(
    'Choose an account',
    `<p class="lead">Development identity provider of the Switchboard emulator: pick the agent to sign in
to <strong>${escapeHtml(clientId)}</strong> as. There are no passwords; this exists only in emulator mode.</p>
<form method="post" action="${DEV_IDP_PREFIX}/interaction/${escapeHtml(uid)}/login">
${buttons}
</form>
<form method="post" action="${DEV_IDP_PREFIX}/interaction/${escapeHtml(uid)}/abort">
<button class="cancel" type="submit">Cancel</button>
</form>`,
  );
}

/** Where a form of this provider may lead: itself and the clients' redirect URIs. */
function formTargets(clients: ClientMetadata[]): string {
  const origins = new Set<string>(["'self'"]);
  for (const client of clients) {
    for (const uri of client.redirect_uris ?? []) origins.add(new URL(uri).origin);
  }
  return [...origins].join(' ');
}

export async function devIdpPlugin(app: FastifyInstance, options: DevIdpOptions) {
  let provider: Provider | undefined;
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const ready = () => {
    if (!provider) {
      provider = createProvider(options);
      handler = provider.callback();
    }
    return { provider, handler: handler! };
  };

  const pageHeaders = () => ({
    'Content-Security-Policy': [
      "default-src 'none'",
      "style-src 'unsafe-inline'",
      `form-action ${formTargets(options.clients())}`,
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  });

  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 4096 },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );

  app.get<{ Params: { uid: string } }>('/interaction/:uid', async (request, reply) => {
    const { provider } = ready();
    const details = await provider.interactionDetails(request.raw, reply.raw);
    if (details.uid !== request.params.uid) {
      return reply
        .code(400)
        .headers(pageHeaders())
        .type('text/html')
        .send(page('Sign-in expired', '<p>Start again from the desk.</p>'));
    }
    return reply
      .headers(pageHeaders())
      .type('text/html; charset=utf-8')
      .send(accountsPage(details.uid, String(details.params.client_id), options.accounts()));
  });

  app.post<{ Params: { uid: string }; Body: { account?: string } }>(
    '/interaction/:uid/login',
    async (request, reply) => {
      const { provider } = ready();
      const email = typeof request.body?.account === 'string' ? request.body.account : '';
      const account = options.accounts().find((a) => a.email.toLowerCase() === email.toLowerCase());
      if (!account) {
        return reply
          .code(400)
          .headers(pageHeaders())
          .type('text/html')
          .send(page('No such account', '<p>Start again from the desk.</p>'));
      }
      reply.hijack();
      await provider.interactionFinished(
        request.raw,
        reply.raw,
        { login: { accountId: account.email } },
        { mergeWithLastSubmission: false },
      );
    },
  );

  app.post<{ Params: { uid: string } }>('/interaction/:uid/abort', async (request, reply) => {
    const { provider } = ready();
    reply.hijack();
    await provider.interactionFinished(
      request.raw,
      reply.raw,
      { error: 'access_denied', error_description: 'The sign-in was cancelled' },
      { mergeWithLastSubmission: false },
    );
  });

  // Everything else is the provider's own (discovery, keys, authorization, token, userinfo),
  // with the mount path taken off as Koa expects. Its bodies are the provider's to read: in
  // this scope no parser touches them.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    scope.route({
      method: ['GET', 'POST', 'HEAD', 'OPTIONS'],
      url: '/*',
      handler: async (request, reply) => {
        const { handler } = ready();
        reply.hijack();
        const raw = request.raw as IncomingMessage & { originalUrl?: string };
        raw.originalUrl = raw.url;
        raw.url = raw.url!.slice(DEV_IDP_PREFIX.length) || '/';
        handler(raw, reply.raw);
      },
    });
  });
}
