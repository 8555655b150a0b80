import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { FIXTURE_AUTH, useTestServer, type TestServer } from '../test/test-server.ts';
import { LoginThrottle } from './login-throttle.ts';

// Guessing tokens costs time: failed logins are limited by client address and by tenant.
// The server sees each test client by its own loopback address (127.0.0.x).

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const WRONG = basic('somedomain', 'a-guess');
const OTHER_WRONG = basic('other', 'a-guess');
const OTHER_RIGHT = basic('other', 'other-token');

interface Answer {
  status: number;
  retryAfter: string | undefined;
  body: unknown;
}

/** GET /apps/api/v1/calls from the loopback address `from`. */
function get(server: TestServer, from: string, authorization?: string): Promise<Answer> {
  const url = new URL('/apps/api/v1/calls?per=1', server.baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { localAddress: from, headers: authorization ? { authorization } : {}, agent: false },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            retryAfter: res.headers['retry-after'],
            body: JSON.parse(text),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const statuses = async (answers: Promise<Answer>[]) =>
  (await Promise.all(answers)).map((a) => a.status);

const server = useTestServer({
  LOGIN_FAILURES_PER_ADDRESS: 5,
  LOGIN_FAILURES_PER_TENANT: 8,
  EMULATOR_EXTRA_TENANTS: 'other:other-token',
});

describe('failed logins on the Call API', () => {
  it('an address that failed too often is answered 429 with Retry-After, even with the right token', async () => {
    const from = '127.0.0.2';
    const first = [];
    for (let i = 0; i < 5; i++) first.push((await get(server, from, OTHER_WRONG)).status);
    expect(first).toEqual([401, 401, 401, 401, 401]);
    for (const authorization of [OTHER_WRONG, OTHER_RIGHT, 'Basic garbage']) {
      const refused = await get(server, from, authorization);
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual({ message: 'Too many failed logins: try again later' });
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number.isInteger(Number(refused.retryAfter))).toBe(true);
    }
    // Another address is not held back by this one.
    expect((await get(server, '127.0.0.3', OTHER_RIGHT)).status).toBe(200);
  });

  it('a tenant guessed at from many addresses is closed to new addresses; its known clients go on', async () => {
    // A client that logged in before the attack.
    expect((await get(server, '127.0.0.10', FIXTURE_AUTH)).status).toBe(200);
    // Eight failures from eight addresses: none of them is over its own limit.
    expect(
      await statuses(Array.from({ length: 8 }, (_, i) => get(server, `127.0.0.${20 + i}`, WRONG))),
    ).toEqual(Array(8).fill(401));
    // A new address is refused whatever it sends, right or wrong...
    for (const authorization of [WRONG, FIXTURE_AUTH]) {
      const refused = await get(server, '127.0.0.40', authorization);
      expect(refused.status).toBe(429);
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    }
    // ...the client that had logged in is not, another tenant is not.
    expect((await get(server, '127.0.0.10', FIXTURE_AUTH)).status).toBe(200);
    expect((await get(server, '127.0.0.41', OTHER_RIGHT)).status).toBe(200);
  });

  it('a request without credentials asks what to send: it is no failed login', async () => {
    expect(await statuses(Array.from({ length: 12 }, () => get(server, '127.0.0.50')))).toEqual(
      Array(12).fill(401),
    );
    expect((await get(server, '127.0.0.50', OTHER_RIGHT)).status).toBe(200);
  });
});

describe('LoginThrottle', () => {
  it('gives the budget back over a minute, and says how long to wait', () => {
    let now = 0;
    const throttle = new LoginThrottle({ perAddress: 6, perTenant: 0 }, () => now);
    for (let i = 0; i < 6; i++) {
      expect(throttle.wait('a', 't')).toBe(0);
      throttle.failed('a', 't');
    }
    // One failure comes back every 10 s.
    expect(throttle.wait('a', 't')).toBe(10);
    now = 4_000;
    expect(throttle.wait('a', 't')).toBe(6);
    now = 10_000;
    expect(throttle.wait('a', 't')).toBe(0);
    throttle.failed('a', 't');
    expect(throttle.wait('a', 't')).toBe(10);
    now = 70_000;
    expect(throttle.wait('a', 't')).toBe(0);
  });

  it('forgets a known client after an hour', () => {
    let now = 0;
    const throttle = new LoginThrottle({ perAddress: 0, perTenant: 1 }, () => now);
    throttle.succeeded('good', 't');
    throttle.failed('bad', 't');
    expect(throttle.wait('good', 't')).toBe(0);
    expect(throttle.wait('new', 't')).toBe(60);
    now = 59 * 60_000;
    throttle.failed('bad', 't');
    expect(throttle.wait('good', 't')).toBe(0);
    now = 61 * 60_000;
    throttle.failed('bad', 't');
    expect(throttle.wait('good', 't')).toBeGreaterThan(0);
  });
});
