import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test/test-server.ts';
import { deskHeaders, signIn } from '../test/sign-in.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe('sign-in through the development identity provider', () => {
  it('signs an agent in and the desk knows who it is', async () => {
    const { secret, landedAt } = await signIn(server.baseUrl, 'agent@somedomain.com');
    expect(landedAt).toBe(`${server.baseUrl}/calls`);
    const response = await fetch(`${server.baseUrl}/desk/api/session`, {
      headers: deskHeaders(secret),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      agent: { email: 'agent@somedomain.com', name: 'Avery Agent' },
    });
  });
});
