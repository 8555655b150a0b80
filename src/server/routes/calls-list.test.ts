import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseLinkHeader } from '../../contract/client.ts';
import {
  NUM,
  control,
  createCall,
  expectCallShape,
  expectError,
  inboundBody,
  outboundBody,
  scheduledBody,
  type Json,
} from '../test/api-helpers.ts';
import { useTestServer } from '../test/test-server.ts';

// GET /calls and GET /calls/:id: paging (page, per, Link, Total, Per-Page), filters,
// sorting and malformed parameters, as CALL-API.md "Reading and cancelling calls" says.

const server = useTestServer();
let ctl: ReturnType<typeof control>;

beforeAll(async () => {
  ctl = control(server);
});

const list = (query = '') => server.request('GET', `/apps/api/v1/calls${query}`);
const ids = (body: unknown) => (body as Json[]).map((c) => c.id as number);

describe('GET /calls/:id', () => {
  beforeEach(() => ctl.reset());

  it('answers the call; an unknown or non-numeric id is 404 Resource not found', async () => {
    const call = await createCall(server, inboundBody());
    const read = await server.request('GET', `/apps/api/v1/calls/${call.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(call);
    for (const id of ['999999', 'abc', '-1', '1.5', '99999999999999999999']) {
      expectError(
        await server.request('GET', `/apps/api/v1/calls/${id}`),
        404,
        'Resource not found',
      );
    }
  });
});

describe('paging over 101 calls', () => {
  let all: number[];

  beforeAll(async () => {
    await ctl.reset();
    const created: number[] = [];
    for (let batch = 0; batch < 101; batch += 25) {
      const bodies = Array.from({ length: Math.min(25, 101 - batch) }, () => inboundBody());
      const calls = await Promise.all(bodies.map((b) => createCall(server, b)));
      created.push(...calls.map((c) => c.id as number));
    }
    // Newest first: created_at DESC, then id DESC among calls of the same millisecond.
    all = [...created].sort((a, b) => b - a);
  });

  it('per defaults to 25: first page, Total, Per-Page and Link first/next/last', async () => {
    const answer = await list();
    expect(answer.status).toBe(200);
    expect(ids(answer.body)).toEqual(all.slice(0, 25));
    expect(answer.headers.get('Total')).toBe('101');
    expect(answer.headers.get('Per-Page')).toBe('25');
    expect(answer.headers.get('Link')).toBe(
      [
        '</apps/api/v1/calls?page=1&per=25>; rel="first"',
        '</apps/api/v1/calls?page=2&per=25>; rel="next"',
        '</apps/api/v1/calls?page=5&per=25>; rel="last"',
      ].join(', '),
    );
    for (const call of answer.body as Json[]) expectCallShape(call);
  });

  it('the second page links prev to the first', async () => {
    const answer = await list('?page=2');
    expect(ids(answer.body)).toEqual(all.slice(25, 50));
    expect(parseLinkHeader(answer.headers.get('Link')).prev).toBe(
      '/apps/api/v1/calls?page=1&per=25',
    );
  });

  it('a middle page links prev and next', async () => {
    const answer = await list('?page=3&per=25');
    expect(ids(answer.body)).toEqual(all.slice(50, 75));
    const links = parseLinkHeader(answer.headers.get('Link'));
    expect(links).toEqual({
      first: '/apps/api/v1/calls?page=1&per=25',
      prev: '/apps/api/v1/calls?page=2&per=25',
      next: '/apps/api/v1/calls?page=4&per=25',
      last: '/apps/api/v1/calls?page=5&per=25',
    });
  });

  it('the last page has the remainder and no next', async () => {
    const answer = await list('?page=5');
    expect(ids(answer.body)).toEqual(all.slice(100));
    const links = parseLinkHeader(answer.headers.get('Link'));
    expect(links.next).toBeUndefined();
    expect(links.prev).toBe('/apps/api/v1/calls?page=4&per=25');
  });

  it('following next from the first page visits every call once', async () => {
    const seen: number[] = [];
    let path: string | undefined = '/apps/api/v1/calls?per=40';
    while (path) {
      const answer = await server.request('GET', path);
      seen.push(...ids(answer.body));
      path = parseLinkHeader(answer.headers.get('Link')).next;
    }
    expect(seen).toEqual(all);
  });

  it('per above 100 is cut to 100', async () => {
    const answer = await list('?per=1000');
    expect(answer.headers.get('Per-Page')).toBe('100');
    expect(ids(answer.body)).toEqual(all.slice(0, 100));
    expect(parseLinkHeader(answer.headers.get('Link')).last).toBe(
      '/apps/api/v1/calls?page=2&per=100',
    );
  });

  it('per=100 exactly and per=1', async () => {
    expect(ids((await list('?per=100')).body)).toHaveLength(100);
    const one = await list('?per=1&page=101');
    expect(ids(one.body)).toEqual([all[100]]);
    expect(one.headers.get('Per-Page')).toBe('1');
  });

  it('a page past the end is an empty array whose prev is the last page', async () => {
    const answer = await list('?page=9');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual([]);
    expect(answer.headers.get('Total')).toBe('101');
    const links = parseLinkHeader(answer.headers.get('Link'));
    expect(links.prev).toBe('/apps/api/v1/calls?page=5&per=25');
    expect(links.next).toBeUndefined();
  });

  it('sort_column=id with sort_direction=ASC is oldest first', async () => {
    const answer = await list('?sort_column=id&sort_direction=ASC&per=100');
    expect(ids(answer.body)).toEqual([...all].reverse().slice(0, 100));
    expect(answer.headers.get('Link')).toContain('sort_column=id');
    expect(answer.headers.get('Link')).toContain('sort_direction=ASC');
  });
});

describe('filters and sorting', () => {
  // Calls made on three days of the emulator's clock.
  let outbound: Json;
  let inbound: Json;
  let scheduled: Json;

  beforeAll(async () => {
    await ctl.reset();
    await ctl.clock({ now: '2030-01-01T00:00:00.000Z' });
    outbound = await createCall(server, outboundBody({ agent_email: 'Admin@SomeDomain.com' }));
    await ctl.clock({ now: '2030-01-02T00:00:00.000Z' });
    inbound = await createCall(server, inboundBody({ end_user_number: NUM.korean }));
    await ctl.clock({ now: '2030-01-03T00:00:00.000Z' });
    scheduled = await createCall(
      server,
      scheduledBody({ scheduled_at: '2031-01-01T00:00:00Z', end_user_number: NUM.seedOther }),
    );
    // The oldest call changes last.
    await ctl.clock({ now: '2030-01-04T00:00:00.000Z' });
    const patch = await server.request('PATCH', `/apps/api/v1/calls/${outbound.id}/customer_flag`, {
      body: { verified_customer: true },
    });
    expect(patch.status).toBe(200);
  });

  const listed = async (query: string) => {
    const answer = await list(query);
    expect(answer.status, answer.text).toBe(200);
    return ids(answer.body);
  };

  it('default order is newest first (created_at DESC)', async () => {
    expect(await listed('')).toEqual([scheduled.id, inbound.id, outbound.id]);
  });

  it('status', async () => {
    expect(await listed('?status=assigned')).toEqual([outbound.id]);
    expect(await listed('?status=queued')).toEqual([inbound.id]);
    expect(await listed('?status=scheduled')).toEqual([scheduled.id]);
    expect(await listed('?status=finished')).toEqual([]);
  });

  it('call_type, canonical or a deprecated alias', async () => {
    expect(await listed(`?call_type=${encodeURIComponent('Voice Inbound (API)')}`)).toEqual([
      inbound.id,
    ]);
    expect(await listed('?call_type=IncomingCall')).toEqual([inbound.id]);
    expect(await listed('?call_type=ScheduledCall')).toEqual([scheduled.id]);
    const answer = await list('?call_type=OutboundCall');
    expect(ids(answer.body)).toEqual([outbound.id]);
    // The link carries the canonical name.
    expect(answer.headers.get('Link')).toContain('call_type=Voice+Outbound+%28API%29');
  });

  it('agent_email, whatever its case', async () => {
    expect(await listed('?agent_email=admin%40somedomain.com')).toEqual([outbound.id]);
    expect(await listed('?agent_email=ADMIN%40SOMEDOMAIN.COM')).toEqual([outbound.id]);
    expect(await listed('?agent_email=agent%40somedomain.com')).toEqual([]);
  });

  it('end_user_number, written any way that names the same line', async () => {
    expect(await listed(`?end_user_number=${encodeURIComponent(NUM.korean)}`)).toEqual([
      inbound.id,
    ]);
    expect(await listed(`?end_user_number=${encodeURIComponent('+821068612345')}`)).toEqual([
      inbound.id,
    ]);
    expect(await listed(`?end_user_number=${encodeURIComponent('+1 (205) 123-4567')}`)).toEqual([
      scheduled.id,
    ]);
    expect(await listed(`?end_user_number=${encodeURIComponent(NUM.seedEndUser)}`)).toEqual([
      outbound.id,
    ]);
  });

  it('created_at[from] and created_at[to]', async () => {
    const from = encodeURIComponent('created_at[from]');
    const to = encodeURIComponent('created_at[to]');
    expect(await listed(`?${from}=2030-01-02T00:00:00.000Z`)).toEqual([scheduled.id, inbound.id]);
    expect(await listed(`?${to}=2030-01-02T12:00:00Z`)).toEqual([inbound.id, outbound.id]);
    expect(await listed(`?${from}=2030-01-01T12:00:00Z&${to}=2030-01-02T12:00:00Z`)).toEqual([
      inbound.id,
    ]);
    // Brackets need not be escaped; an offset is read as the instant it names.
    expect(await listed('?created_at[from]=2030-01-02T01:00:00%2B02:00')).toEqual([
      scheduled.id,
      inbound.id,
    ]);
  });

  it('updated_at[from]: what changed since a moment', async () => {
    expect(await listed('?updated_at[from]=2030-01-03T12:00:00Z')).toEqual([outbound.id]);
    expect(await listed('?updated_at[from]=2030-01-02T12:00:00Z')).toEqual([
      scheduled.id,
      outbound.id,
    ]);
  });

  it('sort_column=updated_at puts the call changed last first', async () => {
    expect(await listed('?sort_column=updated_at')).toEqual([
      outbound.id,
      scheduled.id,
      inbound.id,
    ]);
    expect(await listed('?sort_column=updated_at&sort_direction=ASC')).toEqual([
      inbound.id,
      scheduled.id,
      outbound.id,
    ]);
    expect(await listed('?sort_column=created_at&sort_direction=ASC')).toEqual([
      outbound.id,
      inbound.id,
      scheduled.id,
    ]);
  });

  it('filters combine, and Total counts the matches', async () => {
    const answer = await list('?status=queued&call_type=IncomingCall&per=1');
    expect(ids(answer.body)).toEqual([inbound.id]);
    expect(answer.headers.get('Total')).toBe('1');
    expect(answer.headers.get('Link')).toBe(
      [
        '</apps/api/v1/calls?status=queued&call_type=Voice+Inbound+%28API%29&page=1&per=1>; rel="first"',
        '</apps/api/v1/calls?status=queued&call_type=Voice+Inbound+%28API%29&page=1&per=1>; rel="last"',
      ].join(', '),
    );
  });

  it('an empty agent_email or end_user_number is no filter', async () => {
    expect(await listed('?agent_email=')).toEqual([scheduled.id, inbound.id, outbound.id]);
    expect(await listed('?end_user_number=%20')).toEqual([scheduled.id, inbound.id, outbound.id]);
  });

  it('unknown parameters are ignored', async () => {
    expect(await listed('?_=12345&foo=bar')).toEqual([scheduled.id, inbound.id, outbound.id]);
  });
});

describe('the same list read again after a change', () => {
  // Counts and pages are kept while nothing changes; every kind of change must show.
  beforeEach(() => ctl.reset());

  it('a create, an event, a flag change and a scheduled call falling due', async () => {
    const first = await createCall(server, inboundBody());
    const scheduled = await createCall(
      server,
      scheduledBody({ scheduled_at: new Date(Date.now() + 3_600_000).toISOString() }),
    );
    const read = async (query = '') => {
      const answer = await list(query);
      expect(answer.status).toBe(200);
      return { calls: answer.body as Json[], total: answer.headers.get('Total') };
    };
    expect((await read()).total).toBe('2');
    expect((await read('?status=queued')).calls.map((c) => c.id)).toEqual([first.id]);

    const second = await createCall(server, outboundBody());
    const afterCreate = await read();
    expect(afterCreate.total).toBe('3');
    expect(afterCreate.calls[0]!.id).toBe(second.id);

    await ctl.event(first.id as number, { type: 'assign', agent_email: 'admin@somedomain.com' });
    expect((await read('?status=queued')).calls).toEqual([]);
    expect((await read()).calls.find((c) => c.id === first.id)!.status).toBe('assigned');

    const flagged = await server.request('PATCH', `/apps/api/v1/calls/${second.id}/customer_flag`, {
      body: { bad_actor: true },
    });
    expect(flagged.status).toBe(200);
    const afterFlag = (await read()).calls.find((c) => c.id === second.id)!;
    expect(afterFlag.updated_at).not.toBe(second.updated_at);

    expect((await read('?status=scheduled')).total).toBe('1');
    await ctl.clock({ advance_ms: 2 * 3_600_000 });
    expect((await read('?status=scheduled')).total).toBe('0');
    expect((await read('?status=queued')).calls.map((c) => c.id)).toEqual([scheduled.id]);
  });
});

describe('malformed parameters → 400 naming them', () => {
  const cases: Array<[string, string]> = [
    ['page=0', 'page'],
    ['page=-1', 'page'],
    ['page=abc', 'page'],
    ['page=1.5', 'page'],
    ['page=', 'page'],
    ['page=1&page=2', 'page'],
    ['per=0', 'per'],
    ['per=ten', 'per'],
    ['status=ringing', 'status'],
    ['call_type=PhoneCall', 'call_type'],
    ['sort_column=name', 'sort_column'],
    ['sort_direction=sideways', 'sort_direction'],
    ['created_at[from]=yesterday', 'created_at[from]'],
    ['created_at[to]=2030-02-30T00:00:00Z', 'created_at[to]'],
    ['updated_at[from]=2030-01-01', 'updated_at[from]'],
    ['end_user_number=call-me', 'end_user_number'],
  ];
  for (const [query, name] of cases) {
    it(`${query} → "${name} is not well formed"`, async () => {
      expectError(await list(`?${query}`), 400, `${name} is not well formed`);
    });
  }
});
