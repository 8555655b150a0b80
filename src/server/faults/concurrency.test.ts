import { describe, expect, it } from 'vitest';
import { mixedCallBody as body } from '../test/api-helpers.ts';
import { useTestServer } from '../test/test-server.ts';

// Many clients at once: every create gets its own id and is readable, and concurrent
// read-modify-writes of one call lose nothing.

const server = useTestServer();

describe('concurrency', () => {
  it('500 creates at once get 500 distinct ids, all readable as answered', async () => {
    const responses = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        server.request('POST', '/apps/api/v1/calls', { body: body(i) }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(500).fill(201));
    const calls = responses.map((r) => r.body as { id: number; end_user_number: string });
    expect(new Set(calls.map((c) => c.id)).size).toBe(500);
    // Each answer belongs to its own request (no answer crossed over to another client).
    calls.forEach((call, i) => {
      expect(call.end_user_number).toBe(`+1415555${String(i).padStart(4, '0')}`);
    });

    const reads = await Promise.all(
      calls.map((c) => server.request('GET', `/apps/api/v1/calls/${c.id}`)),
    );
    reads.forEach((read, i) => {
      expect(read.status).toBe(200);
      expect(read.body).toEqual(calls[i]);
    });
    const list = await server.request('GET', '/apps/api/v1/calls?per=1');
    expect(list.headers.get('total')).toBe('500');
  });

  it('concurrent flag changes to one call are all kept (no lost update)', async () => {
    const created = await server.request('POST', '/apps/api/v1/calls', { body: body(0) });
    const id = (created.body as { id: number }).id;
    const keys = ['verified_customer', 'bad_actor', 'repeat_customer'] as const;
    const responses = await Promise.all(
      Array.from({ length: 150 }, (_, i) =>
        server.request('PATCH', `/apps/api/v1/calls/${id}/customer_flag`, {
          body: { [keys[i % 3]!]: true },
        }),
      ),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);
    const flags = await server.request('GET', `/apps/api/v1/calls/${id}/customer_flag`);
    expect(flags.body).toEqual({ verified_customer: true, bad_actor: true, repeat_customer: true });
    const call = await server.request('GET', `/apps/api/v1/calls/${id}`);
    const events = (call.body as { events: Array<{ type: string }> }).events;
    expect(events.filter((e) => e.type === 'customer_flag')).toHaveLength(150);
    expect((call.body as { verified: boolean }).verified).toBe(true);
  });

  it('a scheduled call cancelled by many clients at once is cancelled exactly once', async () => {
    const created = await server.request('POST', '/apps/api/v1/calls', { body: body(2) });
    const id = (created.body as { id: number }).id;
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        server.request('PATCH', `/apps/api/v1/calls/scheduled/${id}/cancel`),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 204)).toHaveLength(49);
    const call = await server.request('GET', `/apps/api/v1/calls/${id}`);
    const events = (call.body as { events: Array<{ type: string }> }).events;
    expect(events.filter((e) => e.type === 'cancelled')).toHaveLength(1);
  });
});
