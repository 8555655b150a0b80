import { describe, expect, it } from 'vitest';
import { CallApiError, createCallApiClient } from '../../contract/client.ts';
import { FIXTURE_CREDENTIALS, useTestServer } from '../test/test-server.ts';

// The typed client the desk uses waits out a 429 for as long as Retry-After says, then asks
// again; a client told not to retry sees the 429 with the wait it was given.

const server = useTestServer({ RATE_LIMIT_PER_SECOND: 2 });

describe('the typed client and the rate limit', () => {
  it('without retries, the third request in a burst is refused with Retry-After', async () => {
    const client = createCallApiClient({
      baseUrl: server.baseUrl,
      credentials: FIXTURE_CREDENTIALS,
      rateLimitRetries: 0,
    });
    const answers = await Promise.allSettled([1, 2, 3].map(() => client.listMenus()));
    const refused = answers.filter((a) => a.status === 'rejected');
    expect(refused).toHaveLength(1);
    const error = (refused[0] as PromiseRejectedResult).reason as CallApiError;
    expect(error).toBeInstanceOf(CallApiError);
    expect(error.status).toBe(429);
    expect(error.message).toBe('Too many requests');
    expect(error.retryAfter).toBe(1);
  });

  it('with retries, every request of the burst gets through after waiting', async () => {
    await new Promise((r) => setTimeout(r, 1100)); // a full bucket again
    // Every answer the client got, in order, to see the refusals it waited out.
    const seen: number[] = [];
    const client = createCallApiClient({
      baseUrl: server.baseUrl,
      credentials: FIXTURE_CREDENTIALS,
      rateLimitRetries: 2,
      fetch: async (...args) => {
        const response = await fetch(...args);
        seen.push(response.status);
        return response;
      },
    });
    const menus = await Promise.all([1, 2, 3, 4].map(() => client.listMenus()));
    expect(menus.every((m) => m.some((menu) => menu.id === 9))).toBe(true);
    expect(seen.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
    expect(seen.filter((s) => s === 200)).toHaveLength(4);
  });
});
