import * as oidc from 'openid-client';
import { isLoopbackUrl } from '../config.ts';

// Sign-in with OpenID Connect (authorization code with PKCE, confidential client) through
// openid-client, a certified relying-party library: discovery, the authorization URL, the
// code exchange with every check of the response and the ID token, and the UserInfo call.
// The same flow runs against the company's identity provider (Okta, Entra ID, ...) and, in
// emulator mode, against the emulator's development identity provider at /dev-idp.

interface IdentityClaims {
  email: string;
  emailVerified: boolean;
  name: string | null;
}

export interface IdentityProvider {
  readonly issuer: string;
  authorizationUrl(params: {
    redirectUri: string;
    state: string;
    nonce: string;
    codeChallenge: string;
  }): Promise<URL>;
  /** Exchanges the callback's code; throws when any check of the answer fails. */
  complete(
    callbackUrl: URL,
    checks: { state: string; nonce: string; codeVerifier: string; redirectUri: string },
  ): Promise<IdentityClaims>;
}

export interface OidcClientSettings {
  /** A function where the issuer is this server, whose port is known once it listens. */
  issuer: string | (() => string);
  clientId: string;
  clientSecret: string;
  timeoutMs?: number;
}

export function oidcIdentity(settings: OidcClientSettings): IdentityProvider {
  const issuer = () => (typeof settings.issuer === 'string' ? settings.issuer : settings.issuer());
  let configuration: Promise<oidc.Configuration> | undefined;
  // Discovery happens on the first sign-in, not at start-up (in emulator mode the issuer is
  // this very server, listening only once start-up is over), and again after a failure.
  const config = () =>
    (configuration ??= oidc
      .discovery(
        new URL(issuer()),
        settings.clientId,
        { client_secret: settings.clientSecret },
        oidc.ClientSecretBasic(settings.clientSecret),
        {
          // http only for an identity provider on this machine (the config refuses others).
          ...(isLoopbackUrl(issuer()) ? { execute: [oidc.allowInsecureRequests] } : {}),
          timeout: Math.ceil((settings.timeoutMs ?? 10_000) / 1000),
        },
      )
      .catch((error: unknown) => {
        configuration = undefined;
        throw error;
      }));

  return {
    get issuer() {
      return issuer();
    },
    async authorizationUrl({ redirectUri, state, nonce, codeChallenge }) {
      return oidc.buildAuthorizationUrl(await config(), {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        response_type: 'code',
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
        state,
        nonce,
      });
    },
    async complete(callbackUrl, { state, nonce, codeVerifier, redirectUri }) {
      const cfg = await config();
      const tokens = await oidc.authorizationCodeGrant(
        cfg,
        callbackUrl,
        {
          expectedState: state,
          expectedNonce: nonce,
          pkceCodeVerifier: codeVerifier,
          idTokenExpected: true,
        },
        { redirect_uri: redirectUri },
      );
      const claims = tokens.claims()!;
      let email = typeof claims.email === 'string' ? claims.email : undefined;
      let verified = claims.email_verified;
      let name = typeof claims.name === 'string' ? claims.name : null;
      // Many providers put e-mail in the ID token; the others answer it at UserInfo.
      if (email === undefined) {
        const info = await oidc.fetchUserInfo(cfg, tokens.access_token, claims.sub);
        email = typeof info.email === 'string' ? info.email : undefined;
        verified = info.email_verified;
        name ??= typeof info.name === 'string' ? info.name : null;
      }
      return {
        email: email ?? '',
        emailVerified: verified === true || verified === 'true',
        name,
      };
    },
  };
}

export const pkce = {
  verifier: () => oidc.randomPKCECodeVerifier(),
  challenge: (verifier: string) => oidc.calculatePKCECodeChallenge(verifier),
  state: () => oidc.randomState(),
  nonce: () => oidc.randomNonce(),
};
