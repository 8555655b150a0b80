import fc from 'fast-check';
import { connect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { CallSchema } from '../../contract/calls.ts';
import { EVENT_TYPES } from '../../contract/emulator.ts';
import { BODY_LIMIT } from '../app.ts';
import { FIXTURE_AUTH, useTestServer } from '../test/test-server.ts';

// Generated abuse, per endpoint: wrong types, huge and deep JSON, unicode, __proto__ keys,
// numbers out of range, missing and duplicated fields, odd headers and query strings. The
// server must never answer 5xx, must stay up, and a refused request must store nothing.
// Property-based (fast-check): each case is checked as it is sent, and a failing case is
// shrunk to the smallest input that still fails (fewest mutations, simplest values),
// reported with the seed and path that replay it. FUZZ_SCALE multiplies the cases.

const SEED = Number(process.env.FUZZ_SEED ?? 20_240_601);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const runs = (count: number) => Math.max(1, Math.round(count * SCALE));

/**
 * Runs a property against the server. A failure prints the seed and path that replay it:
 * FUZZ_SEED=<seed> FUZZ_PATH=<path> npx vitest run src/server/faults/fuzz.test.ts -t '<test>'
 */
function check<Ts extends [unknown, ...unknown[]]>(
  numRuns: number,
  property: fc.IAsyncProperty<Ts>,
): Promise<void> {
  return fc.assert(property, {
    seed: SEED,
    numRuns: runs(numRuns),
    ...(process.env.FUZZ_PATH ? { path: process.env.FUZZ_PATH } : {}),
  });
}

/** Percent-encodes any string; a lone surrogate becomes bytes that are not UTF-8 at all. */
function uri(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return `${encodeURIComponent(text.replace(/[\ud800-\udfff]/g, ''))}%ED%A0%80`;
  }
}

// --- what a case is made of ----------------------------------------------------------------

/** Strings that break naive code: unicode of every kind, control characters, sizes. */
const NASTY = [
  '',
  ' ',
  '\t\n\r',
  'null',
  'true',
  '0',
  '-1',
  '1e309',
  '9'.repeat(40),
  '+1 205-123-4567',
  '+82-10-6861-2345',
  '123123',
  'admin@somedomain.com',
  'ADMIN@SOMEDOMAIN.COM ',
  '2030-01-01T00:00:00Z',
  '2026-02-31T25:61:00Z',
  '+275760-09-13T00:00:00.000Z',
  'Voice Inbound (API)',
  'OutboundCall',
  '__proto__',
  'constructor',
  "'; DROP TABLE calls; --",
  '%s%n%x',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '\u0000',
  '\u202eRTL\u202c',
  'e\u0301\u0301\u0301',
  '\ud800',
  '\udfff\ud800',
  '\uffff\ufffe',
  '한국어 日本語 العربية',
];

const anyUtf16 = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

const text: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 50 }).map((n) => '😀'.repeat(n)) },
  { weight: 1, arbitrary: fc.constantFrom(100, 1000, 10_000).map((n) => 'x'.repeat(n)) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  // Any UTF-16 unit, lone surrogates included.
  { weight: 1, arbitrary: fc.string({ unit: anyUtf16, maxLength: 20 }) },
);

const number: fc.Arbitrary<number> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      0,
      -0,
      1,
      -1,
      9,
      7,
      1.5,
      -2.5,
      0.1,
      2 ** 31,
      2 ** 53,
      2 ** 53 + 2,
      -(2 ** 63),
      1e21,
      1e308,
      -1e308,
      Number.MIN_VALUE,
      Number.MAX_SAFE_INTEGER,
    ),
  },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
);

/** Any JSON value, a few levels deep. */
const value: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 2 },
    text,
    number,
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom<unknown>([], {}),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(
      text.map((t) => t.slice(0, 20)),
      tie('value'),
      { maxKeys: 3 },
    ),
  ),
})).value;

/** Nested arrays or objects, deep enough to overflow a recursive walker. */
const deepJson = fc
  .record({ depth: fc.constantFrom(100, 1000, 5000, 20_000), arrays: fc.boolean() })
  .map(({ depth, arrays }) =>
    arrays
      ? `${'['.repeat(depth)}${']'.repeat(depth)}`
      : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
  );

type Mutation =
  | { kind: 'drop'; key: string }
  | { kind: 'set'; key: string; value: unknown }
  | { kind: 'add'; key: string; value: unknown }
  | { kind: 'duplicate'; key: string; value: unknown }
  | { kind: 'raw'; member: string }
  | { kind: 'wrap'; key: string; inArray: boolean }
  | { kind: 'nest'; key: string; depth: number; arrays: boolean }
  | { kind: 'retext'; key: string };

function mutation(keys: readonly string[]): fc.Arbitrary<Mutation> {
  const key = fc.constantFrom(...keys);
  return fc.oneof(
    fc.record({ kind: fc.constant('drop' as const), key }),
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('set' as const), key, value }) },
    fc.record({ kind: fc.constant('add' as const), key: text.map((t) => t.slice(0, 30)), value }),
    // Duplicated in the text: the last one wins in JSON.parse.
    fc.record({ kind: fc.constant('duplicate' as const), key, value }),
    fc.record({
      kind: fc.constant('raw' as const),
      member: fc.constantFrom(
        '"__proto__":{"isAdmin":true,"status":"finished"}',
        '"constructor":{"prototype":{"polluted":true}}',
        '"__proto__":null',
        '"prototype":[]',
      ),
    }),
    fc.record({ kind: fc.constant('wrap' as const), key, inArray: fc.boolean() }),
    // Nested a few hundred levels: deep, but the whole body stays under the limit.
    fc.record({
      kind: fc.constant('nest' as const),
      key,
      depth: fc.integer({ min: 0, max: 500 }),
      arrays: fc.boolean(),
    }),
    fc.record({ kind: fc.constant('retext' as const), key }),
  );
}

type Ending =
  | { kind: 'whole' }
  | { kind: 'cut'; at: number }
  | { kind: 'instead'; text: string }
  | { kind: 'too large' };

const ending: fc.Arbitrary<Ending> = fc.oneof(
  { weight: 190, arbitrary: fc.constant({ kind: 'whole' as const }) },
  {
    weight: 6,
    arbitrary: fc
      .double({ min: 0, max: 1, noNaN: true })
      .map((at) => ({ kind: 'cut' as const, at })),
  },
  {
    weight: 4,
    arbitrary: fc
      .oneof(fc.constantFrom('[]', '"text"', '42', 'null', 'true', '{}', '{', ''), deepJson)
      .map((t) => ({ kind: 'instead' as const, text: t })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'too large' as const }) },
);

/**
 * A JSON text built from a good object: keys dropped, retyped, added, duplicated,
 * prototype keys, and now and then text that is not JSON at all.
 */
function mutatedJson(
  goods: ReadonlyArray<Record<string, unknown>>,
  keys: readonly string[],
): fc.Arbitrary<string> {
  return fc
    .record({
      good: fc.constantFrom(...goods),
      mutations: fc.array(mutation(keys), { minLength: 1, maxLength: 3 }),
      ending,
    })
    .map(({ good, mutations, ending }) => {
      const body: Record<string, unknown> = { ...good };
      const extra: string[] = [];
      for (const m of mutations) {
        switch (m.kind) {
          case 'drop':
            delete body[m.key];
            break;
          case 'set':
          case 'add':
            body[m.key] = m.value;
            break;
          case 'duplicate':
            extra.push(`${JSON.stringify(m.key)}:${JSON.stringify(m.value)}`);
            break;
          case 'raw':
            extra.push(m.member);
            break;
          case 'wrap':
            body[m.key] = m.inArray ? [body[m.key]] : { value: body[m.key] };
            break;
          case 'nest': {
            let nested: unknown = body[m.key] ?? null;
            for (let d = m.depth; d > 0; d--) nested = m.arrays ? [nested] : { a: nested };
            body[m.key] = nested;
            break;
          }
          case 'retext': {
            // The value as a string: padded if it was one, its JSON or its spelling if not.
            const v = body[m.key];
            body[m.key] =
              typeof v === 'string'
                ? ` ${v} `
                : typeof v === 'object' && v !== null
                  ? JSON.stringify(v)
                  : String(v);
          }
        }
      }
      let json = JSON.stringify(body);
      if (extra.length > 0)
        json = `${json.slice(0, -1)}${json.length > 2 ? ',' : ''}${extra.join(',')}}`;
      switch (ending.kind) {
        case 'cut':
          return json.slice(0, Math.floor(ending.at * json.length));
        case 'instead':
          return ending.text;
        case 'too large':
          return `{"pad":"${'x'.repeat(BODY_LIMIT)}"}`;
        default:
          return json;
      }
    });
}

const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 9, arbitrary: fc.constant('application/json') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      undefined,
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'application/json; charset=latin1',
      'text/plain',
      'text/json',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/vnd.api+json',
      'application/jsonx',
      '',
      'application/json, text/plain',
    ),
  },
);

const authorization: fc.Arbitrary<string> = fc.oneof(
  { weight: 19, arbitrary: fc.constant(FIXTURE_AUTH) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      'Basic',
      'Basic ',
      `${FIXTURE_AUTH} extra`,
      FIXTURE_AUTH.toLowerCase(),
      `Basic ${Buffer.from('somedomain:local-dev-token:more').toString('base64')}`,
      `Basic ${Buffer.from('😀:😀').toString('base64')}`,
      `Basic ${'A'.repeat(5000)}`,
      'Digest username="somedomain"',
    ),
  },
);

/** An id for a path: mostly one that exists, sometimes anything. */
function pathId(ids: readonly number[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...ids).map(String) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.constantFrom(
          '0',
          '-1',
          '1.5',
          '1e3',
          '0x10',
          '99999999999999999999',
          '9007199254740993',
          'abc',
          '%20',
          '%00',
          '%F0%9F%98%80',
          '1;2',
        ),
        text.map((t) => uri(t.slice(0, 50)) || 'x'),
        fc.constantFrom(...ids).map((id) => `${id}%2F1`),
      ),
    },
  );
}

// --- talking to the server -----------------------------------------------------------------

const server = useTestServer();

interface Outcome {
  status: number;
  body: unknown;
  text: string;
}

async function send(
  method: string,
  path: string,
  options: { text?: string; contentType?: string | undefined; authorization?: string } = {},
): Promise<Outcome> {
  const headers: Record<string, string> = {};
  const authorization = options.authorization ?? FIXTURE_AUTH;
  if (authorization !== '') headers.authorization = authorization;
  if (options.contentType !== undefined) headers['content-type'] = options.contentType;
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers,
    body: options.text,
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (a HEAD, a 204): kept as text
  }
  return { status: response.status, body, text };
}

/** Statuses seen, per test, printed with FUZZ_DEBUG=1 to check the generator's reach. */
const seen = new Map<string, number>();

/** What every answer must satisfy: no 5xx, and an error says what with a message. */
function expectSane(outcome: Outcome, what: string) {
  const key = `${expect.getState().currentTestName?.split(' > ').at(-1)?.slice(0, 20)} ${outcome.status}`;
  seen.set(key, (seen.get(key) ?? 0) + 1);
  expect(outcome.status, `${what} → ${outcome.text.slice(0, 200)}`).toBeLessThan(500);
  // A HEAD has no body to carry the message.
  if (outcome.status >= 400 && outcome.text !== '') {
    expect(typeof (outcome.body as { message?: unknown }).message, what).toBe('string');
  }
}

async function fetchTotal(): Promise<number> {
  const response = await fetch(`${server.baseUrl}/apps/api/v1/calls?per=1`, {
    headers: { authorization: FIXTURE_AUTH },
  });
  await response.arrayBuffer();
  return Number(response.headers.get('total'));
}

async function createCall(body: object): Promise<{ id: number; status: string }> {
  const response = await server.request('POST', '/apps/api/v1/calls', { body });
  expect(response.status).toBe(201);
  return response.body as { id: number; status: string };
}

const inbound = () => ({
  call_type: 'Voice Inbound (API)',
  menu_id: 9,
  end_user_number: '+1 205-123-4567',
});
const scheduledBody = () => ({
  call_type: 'Voice Scheduled (API)',
  menu_id: 9,
  end_user_number: '+1 205-123-4567',
  scheduled_at: new Date(Date.now() + 86_400_000).toISOString(),
});

afterAll(() => {
  if (process.env.FUZZ_DEBUG)
    console.log(
      [...seen]
        .sort()
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n'),
    );
});

describe(`fuzzing (seed ${SEED})`, { timeout: 120_000 }, () => {
  it('POST /calls: generated bodies and headers never 5xx, and only a 201 stores a call', async () => {
    const goods = [
      inbound(),
      {
        call_type: 'Voice Outbound (API)',
        agent_email: 'admin@somedomain.com',
        end_user_number: '+1 205-123-4567',
        lang: 'en',
        outbound_number: '+1 760-867-5309',
      },
      { ...scheduledBody(), lang: 'es', recording_permission: 'recording_permission_granted' },
      {
        call_type: 'Voice Scheduled (API)',
        call_id: 1,
        end_user_number: '+1 205-123-4567',
        scheduled_at: '2031-01-01T00:00:00Z',
      },
      {
        call_type: 'Voice Outbound (API)',
        agent_email: 'admin@somedomain.com',
        ticket_id: '71450',
      },
    ];
    const keys = [
      'call_type',
      'menu_id',
      'call_id',
      'end_user_number',
      'agent_email',
      'ticket_id',
      'lang',
      'outbound_number',
      'recording_permission',
      'scheduled_at',
    ];
    await createCall(inbound());
    await check(
      1500,
      fc.asyncProperty(
        mutatedJson(goods, keys),
        contentType,
        authorization,
        async (body, type, auth) => {
          const before = await fetchTotal();
          const outcome = await send('POST', '/apps/api/v1/calls', {
            text: body,
            contentType: type,
            authorization: auth,
          });
          expectSane(outcome, body.slice(0, 300));
          if (outcome.status === 201) {
            expect(CallSchema.safeParse(outcome.body).success, body).toBe(true);
            expect(Object.hasOwn(outcome.body as object, 'isAdmin')).toBe(false);
          }
          expect(await fetchTotal(), 'calls stored').toBe(
            before + (outcome.status === 201 ? 1 : 0),
          );
        },
      ),
    );
    // Prototype keys never reach an object's prototype.
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('PATCH customer_flag: a refused change leaves the call as it was', async () => {
    const target = await createCall(inbound());
    const other = await createCall(inbound());
    const otherBefore = await server.request('GET', `/apps/api/v1/calls/${other.id}`);
    const keys = ['verified_customer', 'bad_actor', 'repeat_customer', 'repeat_customers'];
    const goods = keys.flatMap((k) => [{ [k]: true }, { [k]: false }]);
    const read = async () => {
      const answer = await server.request('GET', `/apps/api/v1/calls/${target.id}`);
      return answer.body as { verified: boolean; events: Array<{ type: string }> };
    };
    await check(
      1200,
      fc.asyncProperty(
        mutatedJson(goods, keys),
        pathId([target.id, target.id, 999_999]),
        contentType,
        authorization,
        async (body, id, type, auth) => {
          const before = await read();
          const outcome = await send('PATCH', `/apps/api/v1/calls/${id}/customer_flag`, {
            text: body,
            contentType: type,
            authorization: auth,
          });
          expectSane(outcome, `${id} ${body.slice(0, 300)}`);
          const after = await read();
          if (outcome.status !== 200) {
            expect(after, 'refused, yet the call changed').toEqual(before);
            return;
          }
          expect(id).toBe(String(target.id));
          const flags = outcome.body as { verified_customer: boolean };
          expect(after.events.filter((e) => e.type === 'customer_flag')).toHaveLength(
            before.events.filter((e) => e.type === 'customer_flag').length + 1,
          );
          expect(after.verified).toBe(flags.verified_customer);
          const stored = await server.request(
            'GET',
            `/apps/api/v1/calls/${target.id}/customer_flag`,
          );
          expect(stored.body).toEqual(flags);
        },
      ),
    );
    const otherAfter = await server.request('GET', `/apps/api/v1/calls/${other.id}`);
    expect(otherAfter.text).toBe(otherBefore.text);
  });

  it('GET /calls: generated query strings answer 200 or 400, never 5xx', async () => {
    const names = [
      'page',
      'per',
      'status',
      'call_type',
      'agent_email',
      'end_user_number',
      'created_at[from]',
      'created_at[to]',
      'updated_at[from]',
      'updated_at[to]',
      'sort_column',
      'sort_direction',
      'created_at',
      'created_at[from][x]',
      '__proto__',
      'constructor',
      'page[]',
      '',
    ];
    const raw = [
      '%',
      '%E0%A4%A',
      '%00',
      '%FF',
      '%2B1%20205',
      'a%26b%3Dc',
      '1%2C2',
      '+',
      '-1',
      '0',
      '1.0',
      '1e3',
      '101',
      '99999999999999999999',
      'ASC',
      'desc',
      'id',
      'queued',
      'cancelled',
      'IncomingCall',
    ];
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString();
    const valid: Record<string, string[]> = {
      page: ['1', '2', '40'],
      per: ['1', '25', '100', '1000'],
      status: ['queued', 'scheduled', 'assigned', 'cancelled', 'finished'],
      call_type: ['Voice Inbound (API)', 'IncomingCall', 'Voice Scheduled (API)'],
      agent_email: ['admin@somedomain.com', 'ADMIN@somedomain.com', ''],
      end_user_number: ['+1 205-123-4567', '205', '4567', '+12051234567'],
      'created_at[from]': [day(-1), day(0), '2020-01-01T00:00:00Z'],
      'created_at[to]': [day(1), day(-1)],
      'updated_at[from]': [day(-1), day(0)],
      'updated_at[to]': [day(1)],
      sort_column: ['id', 'created_at', 'updated_at'],
      sort_direction: ['ASC', 'desc', 'DESC'],
    };
    const part = fc
      .record({
        name: fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom(...names) },
          { weight: 1, arbitrary: text.map((t) => t.slice(0, 20)) },
        ),
        value: fc.oneof(
          { weight: 7, arbitrary: fc.nat() },
          { weight: 2, arbitrary: fc.constantFrom(...raw).map((r) => ({ raw: r })) },
          { weight: 1, arbitrary: text.map((t) => ({ text: t.slice(0, 200) })) },
        ),
        encodeName: fc.oneof(
          { weight: 7, arbitrary: fc.constant(false) },
          { weight: 3, arbitrary: fc.constant(true) },
        ),
        bare: fc.oneof(
          { weight: 32, arbitrary: fc.constant(false) },
          { weight: 1, arbitrary: fc.constant(true) },
        ),
      })
      .map(({ name, value: v, encodeName, bare }) => {
        const good = Object.hasOwn(valid, name) ? valid[name]! : ['1'];
        const encoded =
          typeof v === 'number' ? uri(good[v % good.length]!) : 'raw' in v ? v.raw : uri(v.text);
        const encodedName = encodeName ? uri(name) : name.replace(/[&=#]/g, '');
        return bare ? encodedName : `${encodedName}=${encoded}`;
      });
    const query = fc
      .record({
        parts: fc.array(part, { minLength: 1, maxLength: 4 }),
        semicolons: fc.oneof(
          { weight: 9, arbitrary: fc.constant(false) },
          { weight: 1, arbitrary: fc.constant(true) },
        ),
      })
      .map(({ parts, semicolons }) => parts.join(semicolons ? ';' : '&'));
    const method = fc.oneof(
      { weight: 19, arbitrary: fc.constant('GET') },
      { weight: 1, arbitrary: fc.constant('HEAD') },
    );
    const total = await fetchTotal();
    await check(
      1500,
      fc.asyncProperty(query, method, authorization, async (q, m, auth) => {
        const outcome = await send(m, `/apps/api/v1/calls?${q}`, { authorization: auth });
        expectSane(outcome, `?${q}`);
        if (outcome.status === 200 && outcome.text !== '') {
          expect(Array.isArray(outcome.body), q).toBe(true);
        }
      }),
    );
    expect(await fetchTotal()).toBe(total);
  });

  it('cancel, one and several: only a 200 cancels, and each call at most once', async () => {
    const scheduled = await Promise.all(
      Array.from({ length: 40 }, () => createCall(scheduledBody())),
    );
    const queued = await createCall(inbound());
    const ids = [...scheduled.map((c) => c.id), queued.id];
    const cancelled = new Set<number>();
    const one = fc.record({
      kind: fc.constant('one' as const),
      id: pathId(ids),
      body: fc.option(mutatedJson([{}], ['call_ids']), { freq: 4 }),
      type: contentType,
      auth: authorization,
    });
    const several = fc.record({
      kind: fc.constant('several' as const),
      body: fc.oneof(
        {
          weight: 3,
          arbitrary: fc
            .array(fc.constantFrom(...ids), { minLength: 1, maxLength: 3 })
            .map((callIds) => JSON.stringify({ call_ids: callIds })),
        },
        {
          weight: 7,
          arbitrary: fc
            .array(fc.constantFrom(...ids), { minLength: 1, maxLength: 3 })
            .chain((callIds) => mutatedJson([{ call_ids: callIds }], ['call_ids'])),
        },
      ),
      type: contentType,
      auth: authorization,
    });
    await check(
      1200,
      fc.asyncProperty(fc.oneof(one, several), async (c) => {
        const outcome =
          c.kind === 'one'
            ? await send('PATCH', `/apps/api/v1/calls/scheduled/${c.id}/cancel`, {
                ...(c.body === null ? {} : { text: c.body, contentType: c.type }),
                authorization: c.auth,
              })
            : await send('PATCH', '/apps/api/v1/calls/scheduled/cancel', {
                text: c.body,
                contentType: c.type,
                authorization: c.auth,
              });
        expectSane(outcome, JSON.stringify(c).slice(0, 300));
        if (outcome.status !== 200) return;
        const answered = c.kind === 'one' ? [outcome.body] : (outcome.body as unknown[]);
        for (const call of answered as Array<{ id: number; status: string }>) {
          expect(cancelled.has(call.id), `cancelled twice: ${call.id}`).toBe(false);
          expect(call.status).toBe('cancelled');
          cancelled.add(call.id);
        }
      }),
    );
    for (const id of ids) {
      const call = await server.request('GET', `/apps/api/v1/calls/${id}`);
      const status = (call.body as { status: string }).status;
      expect(status, `call ${id}`).toBe(
        cancelled.has(id) ? 'cancelled' : id === queued.id ? 'queued' : 'scheduled',
      );
    }
  });

  it('emulator events: a refused event leaves the call as it was', async () => {
    const calls = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        createCall(
          i % 3 === 2
            ? scheduledBody()
            : i % 3 === 1
              ? {
                  call_type: 'Voice Outbound (API)',
                  agent_email: 'admin@somedomain.com',
                  end_user_number: '+1 205-123-4567',
                }
              : inbound(),
        ),
      ),
    );
    const ids = calls.map((c) => c.id);
    const extras = [
      'agent_email',
      'to_agent_email',
      'to_menu_id',
      'fail_reason',
      'fail_details',
      'disconnected_by',
      'deflection',
    ];
    const event = fc
      .record({
        type: fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom(...EVENT_TYPES) },
          { weight: 1, arbitrary: text },
        ),
        agent: fc.boolean(),
        menu: fc.option(fc.constantFrom<unknown>(7, 9, '10', 12, 60, 999), { freq: 4 }),
        reason: fc.option(fc.oneof(fc.constantFrom('eu_canceled', 'nothing'), text), { freq: 4 }),
      })
      .map(({ type, agent, menu, reason }) => ({
        type,
        ...(agent ? { agent_email: 'admin@somedomain.com' } : {}),
        ...(menu === null ? {} : { to_menu_id: menu }),
        ...(reason === null ? {} : { fail_reason: reason }),
      }));
    const body = fc.oneof(
      { weight: 2, arbitrary: event.map((e) => JSON.stringify(e)) },
      { weight: 3, arbitrary: event.chain((e) => mutatedJson([e], ['type', ...extras])) },
    );
    await check(
      1200,
      fc.asyncProperty(
        pathId(ids),
        body,
        contentType,
        authorization,
        async (id, text, type, auth) => {
          const known = ids.includes(Number(id)) && /^\d+$/.test(id);
          const before = known
            ? (await server.request('GET', `/apps/api/v1/calls/${id}`)).text
            : '';
          const total = await fetchTotal();
          const outcome = await send('POST', `/emulator/calls/${id}/events`, {
            text,
            contentType: type,
            authorization: auth,
          });
          expectSane(outcome, `${id} ${text.slice(0, 300)}`);
          let children = 0;
          if (outcome.status === 200) {
            expect(CallSchema.safeParse(outcome.body).success).toBe(true);
            if ((JSON.parse(text) as { type?: unknown }).type === 'recover') children = 1;
          } else if (known) {
            const after = await server.request('GET', `/apps/api/v1/calls/${id}`);
            expect(after.text, `call ${id} got no 200 yet changed`).toBe(before);
          }
          expect(await fetchTotal()).toBe(total + children);
        },
      ),
    );
  });

  it('emulator directory, settings and clock: never 5xx, and a refused change changes nothing', async () => {
    const snapshot = async () =>
      (
        await Promise.all(
          ['/manager/api/v1/agents', '/manager/api/v1/menus', '/manager/api/v1/settings/call'].map(
            (path) => server.request('GET', path),
          ),
        )
      )
        .map((r) => r.text)
        .join('\n');
    const agentsPath = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.constantFrom(
          'admin@somedomain.com',
          'agent@somedomain.com',
          'ALLEN@somedomain.com',
        ),
      },
      { weight: 1, arbitrary: text.map((t) => uri(t.slice(0, 40)) || 'x') },
    );
    const agentKeys = ['status', 'can_make_calls', 'outbound_numbers'];
    const menuKeys = ['state', 'deleted', 'menu_type', 'recording_option'];
    const settingKeys = ['languages', 'outbound_numbers', 'default_outbound_number'];
    const goodsOf = (keys: string[], values: unknown[]) =>
      keys.flatMap((k) => values.map((v) => ({ [k]: v })));
    const patch = fc.oneof(
      fc.record({
        path: agentsPath.map((a) => `/emulator/agents/${a}`),
        body: mutatedJson(
          goodsOf(agentKeys, ['available', 'unavailable', true, false, ['+1 760-867-5309']]),
          agentKeys,
        ),
      }),
      fc.record({
        path: pathId([7, 9, 10, 12, 20, 50, 60]).map((id) => `/emulator/menus/${id}`),
        body: mutatedJson(
          goodsOf(menuKeys, [
            'open',
            'after_hours',
            'manual_redirection',
            true,
            false,
            'ivr_menu',
            'web_menu',
            'ask',
          ]),
          menuKeys,
        ),
      }),
      fc.record({
        path: fc.constant('/emulator/settings'),
        body: mutatedJson(
          goodsOf(settingKeys, [['en', 'es'], ['xx'], ['+1 339-219-5276'], '+1 339-219-5276', []]),
          settingKeys,
        ),
      }),
    );
    await check(
      1000,
      fc.asyncProperty(patch, contentType, authorization, async ({ path, body }, type, auth) => {
        const before = await snapshot();
        const outcome = await send('PATCH', path, {
          text: body,
          contentType: type,
          authorization: auth,
        });
        expectSane(outcome, `${path} ${body.slice(0, 300)}`);
        if (outcome.status >= 400) {
          expect(await snapshot(), `${path} ${body.slice(0, 300)} was refused yet changed`).toBe(
            before,
          );
        }
      }),
    );
    const clock = fc.oneof(
      fc.constantFrom(1000, 0, -1000, 86_400_000).map((advance) => ({ advance_ms: advance })),
      fc.constantFrom('2030-01-01T00:00:00Z', new Date().toISOString()).map((now) => ({ now })),
    );
    await check(
      400,
      fc.asyncProperty(
        clock.chain((good) => mutatedJson([good], ['now', 'advance_ms'])),
        contentType,
        authorization,
        async (body, type, auth) => {
          const outcome = await send('POST', '/emulator/clock', {
            text: body,
            contentType: type,
            authorization: auth,
          });
          expectSane(outcome, `clock ${body.slice(0, 300)}`);
          if (outcome.status === 200) {
            expect(Number.isNaN(Date.parse((outcome.body as { now: string }).now))).toBe(false);
          }
        },
      ),
    );
    // Even after the clock went anywhere, the API still reads and writes.
    expect((await send('GET', '/apps/api/v1/calls?per=5')).status).toBe(200);
    const reset = await send('POST', '/emulator/reset');
    expect(reset.status).toBe(204);
    expect((await server.request('POST', '/apps/api/v1/calls', { body: inbound() })).status).toBe(
      201,
    );
  });

  it('unknown routes and methods answer 404 (or 405), never 5xx', async () => {
    const methods = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'];
    const paths = [
      '/apps/api/v1/calls',
      '/apps/api/v1/calls/1',
      '/apps/api/v1/calls/1/customer_flag',
      '/apps/api/v1/calls/scheduled/1/cancel',
      '/apps/api/v1/nothing',
      '/apps/api/v2/calls',
      '/emulator/calls/1/events',
      '/emulator/nothing',
      '/manager/api/v1/menus/1',
      '/apps/api/v1/calls/1/customer_flag/extra',
      '/apps/api/v1/calls//1',
      '/apps/api/v1/./calls',
      '/apps/api/v1/calls/%2e%2e/%2e%2e/etc/passwd',
    ];
    await check(
      800,
      fc.asyncProperty(
        fc.constantFrom(...methods),
        fc.constantFrom(...paths),
        mutatedJson([{}], ['x']),
        contentType,
        authorization,
        async (method, path, body, type, auth) => {
          const withBody = !['GET', 'HEAD'].includes(method);
          const outcome = await send(method, path, {
            ...(withBody ? { text: body, contentType: type } : {}),
            authorization: auth,
          });
          expectSane(outcome, `${method} ${path}`);
        },
      ),
    );
  });

  it('malformed HTTP on the wire never gets a 5xx, and the server stays up', async () => {
    const port = Number(new URL(server.baseUrl).port);
    const body = JSON.stringify(inbound());
    /** The head as bytes as written (latin1), the body as UTF-8. */
    const http = (head: string, text = '') =>
      Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(text, 'utf8')]);
    const post = (headers: string, text = body) =>
      http(
        `POST /apps/api/v1/calls HTTP/1.1\r\nHost: x\r\nAuthorization: ${FIXTURE_AUTH}\r\n${headers}\r\n`,
        text,
      );
    const requests: Array<(mutated: string) => Buffer> = [
      () =>
        post(
          `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nContent-Length: ${body.length + 1}\r\n`,
        ),
      () =>
        post(
          'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n',
        ),
      () =>
        post(
          'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n',
          `zz\r\n${body}\r\n0\r\n\r\n`,
        ),
      () =>
        post(
          `Content-Type: application/json\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n`,
        ),
      () =>
        post(
          `Authorization: Basic eDp5\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n`,
        ),
      () =>
        http(
          `GET /apps/api/v1/calls HTTP/1.1\r\nHost: x\r\nAuthorization: ${FIXTURE_AUTH}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
        ),
      () => http('GET /apps/api/v1/calls HTTP/1.1\r\nHost: x\r\nBad Header Name: 1\r\n\r\n'),
      () =>
        http(
          'GET /apps/api/v1/calls HTTP/1.1\r\nHost: x\r\nAuthorization: Basic \u00ff\u00fe\r\n\r\n',
        ),
      () => http('GET /apps/api/v1/calls\u0000 HTTP/1.1\r\nHost: x\r\n\r\n'),
      () =>
        http(
          `GET http://evil.example/apps/api/v1/calls HTTP/1.1\r\nHost: x\r\nAuthorization: ${FIXTURE_AUTH}\r\n\r\n`,
        ),
      () => http('GET /apps/api/v1/calls HTTP/9.9\r\nHost: x\r\n\r\n'),
      () => http('GARBAGE\r\n\r\n'),
      () => http('\r\n\r\n\r\n'),
      () => http(`GET / HTTP/1.1\r\nHost: x\r\nX: ${'\u0001'.repeat(3)}\r\n\r\n`),
      () => post('Content-Type: application/json\r\nContent-Length: -1\r\n', ''),
      () => post('Content-Type: application/json\r\nContent-Length: 99999999999999999999\r\n', ''),
      () =>
        post(
          `Content-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: ${body.length}\r\n`,
        ),
      () =>
        post(
          `Content-Type: application/json; charset=utf-16\r\nContent-Length: ${body.length}\r\n`,
        ),
      (mutated) =>
        post(
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(mutated)}\r\n`,
          mutated,
        ),
    ];
    const total = await fetchTotal();
    let created = 0;
    await check(
      300,
      fc.asyncProperty(
        fc.integer({ min: 0, max: requests.length - 1 }),
        mutatedJson([inbound()], ['menu_id', 'end_user_number']),
        async (index, mutated) => {
          const raw = requests[index]!(mutated);
          const answer = await new Promise<string>((resolve) => {
            const socket = connect(port, '127.0.0.1');
            let data = '';
            socket.setTimeout(1000, () => socket.destroy());
            socket.on('data', (d) => (data += d.toString('latin1')));
            socket.on('error', () => resolve(data));
            socket.on('close', () => resolve(data));
            // Half-close after the request: the server answers what it could read, then closes.
            socket.end(raw);
          });
          const status = /^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1];
          // No answer at all (the server closed an incomplete request) is acceptable; a 5xx is not.
          if (status !== undefined) {
            expect(Number(status), `raw case #${index}: ${answer.slice(0, 200)}`).toBeLessThan(500);
            if (status === '201') created++;
          }
        },
      ),
    );
    const health = await fetch(`${server.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await fetchTotal()).toBe(total + created);
  });
});
