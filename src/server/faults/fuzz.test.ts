import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallSchema } from '../../contract/calls.ts';
import { EVENT_TYPES } from '../../contract/emulator.ts';
import { BODY_LIMIT } from '../app.ts';
import { FIXTURE_AUTH, startTestServer, type TestServer } from '../test/test-server.ts';
import { mulberry32 } from '../test/random.ts';

// Generated abuse, per endpoint: wrong types, huge and deep JSON, unicode, __proto__ keys,
// numbers out of range, missing and duplicated fields, odd headers and query strings. The
// server must never answer 5xx, must stay up, and a refused request must store nothing.
// The generator is seeded: a failure names its seed and case, and replays the same way.

const SEED = Number(process.env.FUZZ_SEED ?? 20_240_601);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const n = (count: number) => Math.max(1, Math.round(count * SCALE));

/** Percent-encodes any string; a lone surrogate becomes bytes that are not UTF-8 at all. */
function uri(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return `${encodeURIComponent(text.replace(/[\ud800-\udfff]/g, ''))}%ED%A0%80`;
  }
}

class Gen {
  private readonly random: () => number;
  constructor(seed: number) {
    this.random = mulberry32(seed);
  }
  chance(p: number): boolean {
    return this.random() < p;
  }
  int(max: number): number {
    return Math.floor(this.random() * max);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Strings that break naive code: unicode of every kind, control characters, sizes. */
  string(): string {
    return this.pick<() => string>([
      () => '',
      () => ' ',
      () => '\t\n\r',
      () => 'null',
      () => 'true',
      () => '0',
      () => '-1',
      () => '1e309',
      () => '9'.repeat(40),
      () => '+1 205-123-4567',
      () => '+82-10-6861-2345',
      () => '123123',
      () => 'admin@somedomain.com',
      () => 'ADMIN@SOMEDOMAIN.COM ',
      () => '2030-01-01T00:00:00Z',
      () => '2026-02-31T25:61:00Z',
      () => '+275760-09-13T00:00:00.000Z',
      () => 'Voice Inbound (API)',
      () => 'OutboundCall',
      () => '__proto__',
      () => 'constructor',
      () => "'; DROP TABLE calls; --",
      () => '%s%n%x',
      () => '../../etc/passwd',
      () => '<script>alert(1)</script>',
      () => '\u0000',
      () => '\u202eRTL\u202c',
      () => 'e\u0301\u0301\u0301',
      () => '😀'.repeat(this.int(50) + 1),
      () => '\ud800',
      () => '\udfff\ud800',
      () => '\uffff\ufffe',
      () => '한국어 日本語 العربية',
      () => 'x'.repeat(this.pick([100, 1000, 10_000])),
      () => String.fromCharCode(...Array.from({ length: 20 }, () => this.int(0x3000))),
    ])();
  }

  number(): number {
    return this.pick([
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
    ]);
  }

  /** Any JSON value, nested at most `depth` levels. */
  value(depth = 2): unknown {
    const kinds = depth > 0 ? 7 : 5;
    switch (this.int(kinds)) {
      case 0:
        return this.string();
      case 1:
        return this.number();
      case 2:
        return this.chance(0.5);
      case 3:
        return null;
      case 4:
        return this.chance(0.5) ? [] : {};
      case 5:
        return Array.from({ length: this.int(4) }, () => this.value(depth - 1));
      default:
        return Object.fromEntries(
          Array.from({ length: this.int(4) }, () => [
            this.string().slice(0, 20),
            this.value(depth - 1),
          ]),
        );
    }
  }

  /** Nested arrays or objects, deep enough to overflow a recursive walker. */
  deep(): string {
    const depth = this.pick([100, 1000, 5000, 20_000]);
    return this.chance(0.5)
      ? `${'['.repeat(depth)}${']'.repeat(depth)}`
      : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  }

  /**
   * A JSON text built from a good object: keys dropped, retyped, added, duplicated (the
   * last one wins in JSON.parse), prototype keys, and now and then text that is not JSON.
   */
  mutate(good: Record<string, unknown>, knownKeys: readonly string[]): string {
    const body: Record<string, unknown> = { ...good };
    const extra: string[] = [];
    const mutations = 1 + this.int(3);
    for (let i = 0; i < mutations; i++) {
      const key = this.pick([...knownKeys, ...Object.keys(good)]);
      switch (this.int(9)) {
        case 0:
          delete body[key];
          break;
        case 1:
        case 2:
          body[key] = this.value();
          break;
        case 3:
          body[this.string().slice(0, 30)] = this.value();
          break;
        case 4:
          extra.push(`${JSON.stringify(key)}:${JSON.stringify(this.value(1))}`);
          break;
        case 5:
          extra.push(
            this.pick([
              '"__proto__":{"isAdmin":true,"status":"finished"}',
              '"constructor":{"prototype":{"polluted":true}}',
              '"__proto__":null',
              '"prototype":[]',
            ]),
          );
          break;
        case 6:
          body[key] = this.chance(0.5) ? [body[key]] : { value: body[key] };
          break;
        case 7: {
          // Nested a few hundred levels: deep, but the whole body stays under the limit.
          let nested: unknown = this.value(0);
          for (let d = this.int(500); d > 0; d--)
            nested = this.chance(0.5) ? [nested] : { a: nested };
          body[key] = nested;
          break;
        }
        default:
          body[key] =
            typeof body[key] === 'string' ? ` ${body[key] as string} ` : String(body[key]);
      }
    }
    let text = JSON.stringify(body);
    if (extra.length > 0)
      text = `${text.slice(0, -1)}${text.length > 2 ? ',' : ''}${extra.join(',')}}`;
    if (this.chance(0.03)) text = text.slice(0, this.int(text.length));
    if (this.chance(0.02)) text = this.pick(['[]', '"text"', '42', 'null', 'true', '{}', '{', '']);
    if (this.chance(0.01)) text = this.deep();
    if (this.chance(0.005)) text = `{"pad":"${'x'.repeat(BODY_LIMIT)}"}`;
    return text;
  }

  contentType(): string | undefined {
    if (this.chance(0.9)) return 'application/json';
    return this.pick([
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
    ]);
  }

  authorization(): string {
    if (this.chance(0.95)) return FIXTURE_AUTH;
    return this.pick([
      '',
      'Basic',
      'Basic ',
      `${FIXTURE_AUTH} extra`,
      FIXTURE_AUTH.toLowerCase(),
      `Basic ${Buffer.from('somedomain:local-dev-token:more').toString('base64')}`,
      `Basic ${Buffer.from('😀:😀').toString('base64')}`,
      `Basic ${'A'.repeat(5000)}`,
      'Digest username="somedomain"',
    ]);
  }

  /** An id for a path: mostly one that exists, sometimes anything. */
  pathId(ids: readonly number[]): string {
    if (this.chance(0.8)) return String(this.pick(ids));
    return this.pick([
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
      uri(this.string().slice(0, 50)) || 'x',
      '1;2',
      `${this.pick(ids)}%2F1`,
    ]);
  }
}

interface Outcome {
  status: number;
  body: unknown;
  text: string;
}

let server: TestServer;

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

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
  if (process.env.FUZZ_DEBUG)
    console.log(
      [...seen]
        .sort()
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n'),
    );
});

describe(`fuzzing (seed ${SEED})`, { timeout: 60_000 }, () => {
  it('POST /calls: generated bodies and headers never 5xx, and only a 201 stores a call', async () => {
    const gen = new Gen(SEED);
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
    const before = await fetchTotal();
    let created = 0;
    for (let i = 0; i < n(2500); i++) {
      const text = gen.mutate(gen.pick(goods), keys);
      const outcome = await send('POST', '/apps/api/v1/calls', {
        text,
        contentType: gen.contentType(),
        authorization: gen.authorization(),
      });
      expectSane(outcome, `case ${i}: ${text.slice(0, 300)}`);
      if (outcome.status === 201) {
        created++;
        expect(CallSchema.safeParse(outcome.body).success, text).toBe(true);
        expect(Object.hasOwn(outcome.body as object, 'isAdmin')).toBe(false);
      }
    }
    expect(await fetchTotal()).toBe(before + created);
    // Prototype keys never reach an object's prototype.
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('PATCH customer_flag: a refused change leaves the call as it was', async () => {
    const gen = new Gen(SEED + 1);
    const target = await createCall(inbound());
    const other = await createCall(inbound());
    const keys = ['verified_customer', 'bad_actor', 'repeat_customer', 'repeat_customers'];
    let changes = 0;
    let last = { verified_customer: false, bad_actor: false, repeat_customer: false };
    const otherBefore = await server.request('GET', `/apps/api/v1/calls/${other.id}`);
    for (let i = 0; i < n(2000); i++) {
      const good = { [gen.pick(keys)]: gen.chance(0.5) };
      const text = gen.mutate(good, keys);
      const id = gen.pathId([target.id, target.id, 999_999]);
      const outcome = await send('PATCH', `/apps/api/v1/calls/${id}/customer_flag`, {
        text,
        contentType: gen.contentType(),
        authorization: gen.authorization(),
      });
      expectSane(outcome, `case ${i}: ${id} ${text.slice(0, 300)}`);
      if (outcome.status === 200) {
        expect(id).toBe(String(target.id));
        changes++;
        last = outcome.body as typeof last;
      }
    }
    const call = await server.request('GET', `/apps/api/v1/calls/${target.id}`);
    const events = (call.body as { events: Array<{ type: string }> }).events;
    expect(events.filter((e) => e.type === 'customer_flag')).toHaveLength(changes);
    const flags = await server.request('GET', `/apps/api/v1/calls/${target.id}/customer_flag`);
    expect(flags.body).toEqual(last);
    expect((call.body as { verified: boolean }).verified).toBe(last.verified_customer);
    const otherAfter = await server.request('GET', `/apps/api/v1/calls/${other.id}`);
    expect(otherAfter.text).toBe(otherBefore.text);
  });

  it('GET /calls: generated query strings answer 200 or 400, never 5xx', async () => {
    const gen = new Gen(SEED + 2);
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
    const total = await fetchTotal();
    for (let i = 0; i < n(2000); i++) {
      const parts = Array.from({ length: 1 + gen.int(4) }, () => {
        const name = gen.chance(0.85) ? gen.pick(names) : gen.string().slice(0, 20);
        const good = Object.hasOwn(valid, name) ? valid[name]! : ['1'];
        const value = gen.chance(0.7)
          ? uri(gen.pick(good))
          : gen.chance(0.5)
            ? gen.pick(raw)
            : uri(gen.string().slice(0, 200));
        const encodedName = gen.chance(0.3) ? uri(name) : name.replace(/[&=#]/g, '');
        return gen.chance(0.03) ? encodedName : `${encodedName}=${value}`;
      });
      const query = parts.join(gen.chance(0.9) ? '&' : ';');
      const outcome = await send(gen.chance(0.95) ? 'GET' : 'HEAD', `/apps/api/v1/calls?${query}`, {
        authorization: gen.authorization(),
      });
      expectSane(outcome, `case ${i}: ?${query}`);
      if (outcome.status === 200 && outcome.text !== '') {
        expect(Array.isArray(outcome.body), query).toBe(true);
      }
    }
    expect(await fetchTotal()).toBe(total);
  });

  it('cancel, one and several: only a 200 cancels, and each call at most once', async () => {
    const gen = new Gen(SEED + 3);
    const scheduled = await Promise.all(
      Array.from({ length: 40 }, () => createCall(scheduledBody())),
    );
    const queued = await createCall(inbound());
    const ids = [...scheduled.map((c) => c.id), queued.id];
    const cancelled = new Set<number>();
    for (let i = 0; i < n(1500); i++) {
      if (gen.chance(0.5)) {
        const id = gen.pathId(ids);
        const text = gen.chance(0.8) ? undefined : gen.mutate({}, ['call_ids']);
        const outcome = await send('PATCH', `/apps/api/v1/calls/scheduled/${id}/cancel`, {
          ...(text === undefined ? {} : { text, contentType: gen.contentType() }),
          authorization: gen.authorization(),
        });
        expectSane(outcome, `case ${i}: ${id}`);
        if (outcome.status === 200) {
          const call = outcome.body as { id: number; status: string };
          expect(cancelled.has(call.id), `cancelled twice: ${call.id}`).toBe(false);
          expect(call.status).toBe('cancelled');
          cancelled.add(call.id);
        }
      } else {
        const good = { call_ids: Array.from({ length: 1 + gen.int(3) }, () => gen.pick(ids)) };
        const text = gen.chance(0.3) ? JSON.stringify(good) : gen.mutate(good, ['call_ids']);
        const outcome = await send('PATCH', '/apps/api/v1/calls/scheduled/cancel', {
          text,
          contentType: gen.contentType(),
          authorization: gen.authorization(),
        });
        expectSane(outcome, `case ${i}: ${text.slice(0, 300)}`);
        if (outcome.status === 200) {
          for (const call of outcome.body as Array<{ id: number }>) {
            expect(cancelled.has(call.id), `cancelled twice: ${call.id}`).toBe(false);
            cancelled.add(call.id);
          }
        }
      }
    }
    for (const id of ids) {
      const call = await server.request('GET', `/apps/api/v1/calls/${id}`);
      const status = (call.body as { status: string }).status;
      expect(status, `call ${id}`).toBe(
        cancelled.has(id) ? 'cancelled' : id === queued.id ? 'queued' : 'scheduled',
      );
    }
  });

  it('emulator events: a refused event leaves the call as it was', async () => {
    const gen = new Gen(SEED + 4);
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
    const before = new Map<number, string>();
    for (const id of ids)
      before.set(id, (await server.request('GET', `/apps/api/v1/calls/${id}`)).text);
    const touched = new Set<number>();
    const total = await fetchTotal();
    let children = 0;
    const extras = [
      'agent_email',
      'to_agent_email',
      'to_menu_id',
      'fail_reason',
      'fail_details',
      'disconnected_by',
      'deflection',
    ];
    for (let i = 0; i < n(2000); i++) {
      const id = gen.pathId(ids);
      const good: Record<string, unknown> = {
        type: gen.chance(0.85) ? gen.pick(EVENT_TYPES) : gen.string(),
      };
      if (gen.chance(0.5)) good.agent_email = 'admin@somedomain.com';
      if (gen.chance(0.2)) good.to_menu_id = gen.pick([7, 9, '10', 12, 60, 999]);
      if (gen.chance(0.2)) good.fail_reason = gen.pick(['eu_canceled', 'nothing', gen.string()]);
      const text = gen.chance(0.4) ? JSON.stringify(good) : gen.mutate(good, ['type', ...extras]);
      const outcome = await send('POST', `/emulator/calls/${id}/events`, {
        text,
        contentType: gen.contentType(),
        authorization: gen.authorization(),
      });
      expectSane(outcome, `case ${i}: ${id} ${text.slice(0, 300)}`);
      if (outcome.status === 200) {
        touched.add(Number(id));
        expect(CallSchema.safeParse(outcome.body).success).toBe(true);
        const type = (JSON.parse(text) as { type?: unknown }).type;
        if (type === 'recover') children++;
      }
    }
    for (const id of ids) {
      if (touched.has(id)) continue;
      const after = await server.request('GET', `/apps/api/v1/calls/${id}`);
      expect(after.text, `call ${id} got no 200 yet changed`).toBe(before.get(id));
    }
    expect(await fetchTotal()).toBe(total + children);
  });

  it('emulator directory, settings and clock: never 5xx, and a refused change changes nothing', async () => {
    const gen = new Gen(SEED + 5);
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
    let state = await snapshot();
    const targets: Array<{
      path: () => string;
      good: () => Record<string, unknown>;
      keys: string[];
    }> = [
      {
        path: () =>
          `/emulator/agents/${gen.chance(0.8) ? gen.pick(['admin@somedomain.com', 'agent@somedomain.com', 'ALLEN@somedomain.com']) : uri(gen.string().slice(0, 40)) || 'x'}`,
        good: () => ({
          [gen.pick(['status', 'can_make_calls', 'outbound_numbers'])]: gen.pick([
            'available',
            'unavailable',
            true,
            false,
            ['+1 760-867-5309'],
          ]),
        }),
        keys: ['status', 'can_make_calls', 'outbound_numbers'],
      },
      {
        path: () => `/emulator/menus/${gen.pathId([7, 9, 10, 12, 20, 50, 60])}`,
        good: () => ({
          [gen.pick(['state', 'deleted', 'menu_type', 'recording_option'])]: gen.pick([
            'open',
            'after_hours',
            'manual_redirection',
            true,
            false,
            'ivr_menu',
            'web_menu',
            'ask',
          ]),
        }),
        keys: ['state', 'deleted', 'menu_type', 'recording_option'],
      },
      {
        path: () => '/emulator/settings',
        good: () => ({
          [gen.pick(['languages', 'outbound_numbers', 'default_outbound_number'])]: gen.pick([
            ['en', 'es'],
            ['xx'],
            ['+1 339-219-5276'],
            '+1 339-219-5276',
            [],
          ]),
        }),
        keys: ['languages', 'outbound_numbers', 'default_outbound_number'],
      },
    ];
    for (let i = 0; i < n(1500); i++) {
      const target = gen.pick(targets);
      const path = target.path();
      const text = gen.mutate(target.good(), target.keys);
      const outcome = await send('PATCH', path, {
        text,
        contentType: gen.contentType(),
        authorization: gen.authorization(),
      });
      expectSane(outcome, `case ${i}: ${path} ${text.slice(0, 300)}`);
      const now = await snapshot();
      if (outcome.status >= 400) {
        expect(now, `case ${i}: ${path} ${text.slice(0, 300)} was refused yet changed`).toBe(state);
      }
      state = now;
    }
    for (let i = 0; i < n(500); i++) {
      const good = gen.chance(0.5)
        ? { advance_ms: gen.pick([1000, 0, -1000, 86_400_000]) }
        : { now: gen.pick(['2030-01-01T00:00:00Z', new Date().toISOString()]) };
      const text = gen.mutate(good, ['now', 'advance_ms']);
      const outcome = await send('POST', '/emulator/clock', {
        text,
        contentType: gen.contentType(),
        authorization: gen.authorization(),
      });
      expectSane(outcome, `clock case ${i}: ${text.slice(0, 300)}`);
      if (outcome.status === 200) {
        expect(Number.isNaN(Date.parse((outcome.body as { now: string }).now))).toBe(false);
      }
    }
    // Even after the clock went anywhere, the API still reads and writes.
    expect((await send('GET', '/apps/api/v1/calls?per=5')).status).toBe(200);
    const reset = await send('POST', '/emulator/reset');
    expect(reset.status).toBe(204);
    expect((await server.request('POST', '/apps/api/v1/calls', { body: inbound() })).status).toBe(
      201,
    );
  });

  it('unknown routes and methods answer 404 (or 405), never 5xx', async () => {
    const gen = new Gen(SEED + 6);
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
    for (let i = 0; i < n(1000); i++) {
      const method = gen.pick(methods);
      const path = gen.pick(paths);
      const text = ['GET', 'HEAD'].includes(method) ? undefined : gen.mutate({}, ['x']);
      const outcome = await send(method, path, {
        ...(text === undefined ? {} : { text, contentType: gen.contentType() }),
        authorization: gen.authorization(),
      });
      expectSane(outcome, `case ${i}: ${method} ${path}`);
    }
  });

  it('malformed HTTP on the wire never gets a 5xx, and the server stays up', async () => {
    const gen = new Gen(SEED + 7);
    const port = Number(new URL(server.baseUrl).port);
    const body = JSON.stringify(inbound());
    /** The head as bytes as written (latin1), the body as UTF-8. */
    const http = (head: string, text = '') =>
      Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(text, 'utf8')]);
    const requests = [
      () =>
        http(
          `POST /apps/api/v1/calls HTTP/1.1\r\nHost: x\r\nAuthorization: ${FIXTURE_AUTH}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nContent-Length: ${body.length + 1}\r\n\r\n${body}`,
        ),
      () =>
        http(
          `POST /apps/api/v1/calls HTTP/1.1\r\nHost: x\r\nAuthorization: ${FIXTURE_AUTH}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n${body}`,
        ),
      () =>
        http(
          `POST /apps/api/v1/calls HTTP/1.1\r\nHost: x\r\nAuthorization: ${FIXTURE_AUTH}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n${body}\r\n0\r\n\r\n`,
        ),
      () =>
        http(
          `POST /apps/api/v1/calls HTTP/1.1\r\nHost: x\r\nAuthorization: ${FIXTURE_AUTH}\r\nContent-Type: application/json\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
        ),
      () =>
        http(
          `POST /apps/api/v1/calls HTTP/1.1\r\nHost: x\r\nAuthorization: ${FIXTURE_AUTH}\r\nAuthorization: Basic eDp5\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
        ),
      () =>
        http(
          `GET /apps/api/v1/calls HTTP/1.1\r\nHost: x\r\nAuthorization: ${FIXTURE_AUTH}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
        ),
      () => http(`GET /apps/api/v1/calls HTTP/1.1\r\nHost: x\r\nBad Header Name: 1\r\n\r\n`),
      () =>
        http(
          `GET /apps/api/v1/calls HTTP/1.1\r\nHost: x\r\nAuthorization: Basic \u00ff\u00fe\r\n\r\n`,
        ),
      () => http(`GET /apps/api/v1/calls\u0000 HTTP/1.1\r\nHost: x\r\n\r\n`),
      () =>
        http(
          `GET http://evil.example/apps/api/v1/calls HTTP/1.1\r\nHost: x\r\nAuthorization: ${FIXTURE_AUTH}\r\n\r\n`,
        ),
      () => http(`GET /apps/api/v1/calls HTTP/9.9\r\nHost: x\r\n\r\n`),
      () => http(`GARBAGE\r\n\r\n`),
      () => http(`\r\n\r\n\r\n`),
      () => http(`GET / HTTP/1.1\r\nHost: x\r\nX: ${'\u0001'.repeat(3)}\r\n\r\n`),
      () =>
        http(
          `POST /apps/api/v1/calls HTTP/1.1\r\nHost: x\r\nAuthorization: ${FIXTURE_AUTH}\r\nContent-Type: application/json\r\nContent-Length: -1\r\n\r\n`,
        ),
      () =>
        http(
          `POST /apps/api/v1/calls HTTP/1.1\r\nHost: x\r\nAuthorization: ${FIXTURE_AUTH}\r\nContent-Type: application/json\r\nContent-Length: 99999999999999999999\r\n\r\n`,
        ),
      () =>
        http(
          `POST /apps/api/v1/calls HTTP/1.1\r\nHost: x\r\nAuthorization: ${FIXTURE_AUTH}\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
        ),
      () =>
        http(
          `POST /apps/api/v1/calls HTTP/1.1\r\nHost: x\r\nAuthorization: ${FIXTURE_AUTH}\r\nContent-Type: application/json; charset=utf-16\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
        ),
      () => {
        const text = gen.mutate(inbound(), ['menu_id', 'end_user_number']);
        return http(
          `POST /apps/api/v1/calls HTTP/1.1\r\nHost: x\r\nAuthorization: ${FIXTURE_AUTH}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n`,
          text,
        );
      },
    ];
    const total = await fetchTotal();
    let created = 0;
    for (let i = 0; i < n(400); i++) {
      const index = gen.int(requests.length);
      const raw = requests[index]!();
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
        expect(Number(status), `raw case ${i} (#${index}): ${answer.slice(0, 200)}`).toBeLessThan(
          500,
        );
        if (status === '201') created++;
      }
    }
    const health = await fetch(`${server.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await fetchTotal()).toBe(total + created);
  });
});
