import { deskHeaders, signIn } from '../src/server/test/sign-in.ts';

// A signed-in desk for the benchmark: one sign-in through the server's identity provider
// (as the tests do it), its session shared by every headless desk (as tabs of one agent's
// browser share it).

export async function deskSecret(origin: string, email = 'admin@somedomain.com'): Promise<string> {
  const { secret } = await signIn(origin, email);
  if (!secret) throw new Error(`${email} could not sign in at ${origin}`);
  return secret;
}

/** The headers of a desk request with that session. */
export async function deskSession(origin: string): Promise<Record<string, string>> {
  return deskHeaders(await deskSecret(origin));
}
