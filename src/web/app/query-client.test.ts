import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallApiError, createCallApiClient, parseRetryAfter } from '../../contract/client.ts';
import {
  FIXTURE_CREDENTIALS,
  startTestServer,
  type TestServer,
} from '../../server/test/test-server.ts';
import { callQueries } from '../calls/api/call-queries.ts';
import { createDeskQueryClient, retryDelay } from './query-client.ts';

// One layer of retries: the desk's query client asks again, the API client (the one the
// desk uses, as the desk builds it: no retries of its own) does not. A server that refuses
// every request for the rate (a bucket smaller than one request, so every answer is 429
// with Retry-After: 1) is asked three times per read, not nine.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_PER_SECOND: 0.5 });
});
afterAll(() => server.close());

function countedClient(baseUrl: string) {
  const sent: string[] = [];
  const client = createCallApiClient({
    baseUrl,
    credentials: FIXTURE_CREDENTIALS,
    fetch: async (input, init) => {
      sent.push(`${init?.method ?? 'GET'} ${String(input)}`);
      return fetch(input, init);
    },
  });
  return { client, sent, queryClient: createDeskQueryClient() };
}

describe('retries at the desk', () => {
  it('a read refused for the rate is asked three times in all, then fails with the wait', async () => {
    const { client, sent, queryClient } = countedClient(server.baseUrl);
    const error = await queryClient
      .fetchQuery(callQueries.list(client, {}))
      .catch((e: unknown) => e as CallApiError);
    expect(error).toBeInstanceOf(CallApiError);
    expect((error as CallApiError).status).toBe(429);
    expect((error as CallApiError).retryAfter).toBe(1);
    expect(sent).toHaveLength(3);
  });

  it('a write refused for the rate is asked again too, three times in all', async () => {
    const { client, sent, queryClient } = countedClient(server.baseUrl);
    const mutation = queryClient.getMutationCache().build(queryClient, {
      mutationFn: () =>
        client.createCall({
          call_type: 'Voice Inbound (API)',
          menu_id: 9,
          end_user_number: '+1 859-657-9625',
        }),
    });
    await expect(mutation.execute(undefined)).rejects.toMatchObject({ status: 429 });
    expect(sent.filter((s) => s.startsWith('POST'))).toHaveLength(3);
  });

  it('a write refused for what it is, is not asked again', async () => {
    const fine = await startTestServer();
    try {
      const { client, sent, queryClient } = countedClient(fine.baseUrl);
      const mutation = queryClient.getMutationCache().build(queryClient, {
        mutationFn: () =>
          client.createCall({
            call_type: 'Voice Inbound (API)',
            menu_id: 9,
            end_user_number: 'not a number',
          }),
      });
      await expect(mutation.execute(undefined)).rejects.toMatchObject({ status: 400 });
      expect(sent).toHaveLength(1);
    } finally {
      await fine.close();
    }
  });
});

describe('Retry-After', () => {
  it('is seconds or an HTTP date; missing or unreadable is no answer, not 0', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Mon, 31 Dec 2029 00:00:00 GMT', now)).toBe(0);
    for (const header of [null, '', 'soon', '-5', '1.5', '3 seconds']) {
      expect(parseRetryAfter(header, now), String(header)).toBeUndefined();
    }
  });

  it('sets the wait before a retry; without it the wait backs off from a second', () => {
    expect(retryDelay(0, new CallApiError(429, 'Too many requests', null, 3))).toBe(3000);
    expect(retryDelay(0, new CallApiError(429, 'Too many requests', null, 60))).toBe(10_000);
    expect(retryDelay(0, new CallApiError(503, 'Storage is full', null))).toBe(1000);
    expect(retryDelay(2, new CallApiError(0, 'offline', null))).toBe(4000);
  });
});
