import { request as httpRequest } from 'node:http';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fieldForApiError } from '../../contract/api-errors.ts';
import { control, expectError, inboundBody, outboundBody, type Json } from '../test/api-helpers.ts';
import { deskHeaders, signIn } from '../test/sign-in.ts';
import { FIXTURE_AUTH, useTestServer } from '../test/test-server.ts';

// Text is checked where every body is read, for the emulator's API and the desk's API path
// alike: bytes that are not UTF-8, and strings no field can hold (a lone surrogate, NUL),
// are refused and nothing is stored.

const server = useTestServer();
let desk: Record<string, string>;
beforeAll(async () => {
  desk = deskHeaders((await signIn(server.baseUrl, 'admin@somedomain.com')).secret);
});
beforeEach(() => control(server).reset());

/** The headers of a request on `path`: the emulator's credentials, or a desk session. */
const headersFor = (path: string) => (path.startsWith('/desk/') ? desk : {});

/** POSTs raw bytes as application/json (fetch would re-encode a string). */
function postBytes(path: string, bytes: Buffer, headers: Record<string, string> = {}) {
  const url = new URL(path, server.baseUrl);
  return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: 'POST',
        headers: {
          authorization: FIXTURE_AUTH,
          'content-type': 'application/json',
          'content-length': String(bytes.length),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(bytes);
  });
}

const stored = async () => (await server.request('GET', '/apps/api/v1/calls')).body as Json[];

/** An inbound call body whose `lang` value is these bytes, written into the JSON as they are. */
function withRawBytes(bytes: number[]): Buffer {
  const [before, after] = JSON.stringify({ ...inboundBody(), lang: 'XX' }).split('XX');
  return Buffer.concat([Buffer.from(before!), Buffer.from(bytes), Buffer.from(after!)]);
}

describe('bytes that are not UTF-8', () => {
  const cases: Array<[string, number[]]> = [
    ['a byte that starts no character', [0x65, 0xff]],
    ['a sequence cut short', [0x65, 0xc3]],
    ['an overlong encoding of "/"', [0xc0, 0xaf]],
    ['a surrogate encoded as UTF-8 (CESU-8)', [0xed, 0xa0, 0x80]],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
  ];
  for (const path of ['/apps/api/v1/calls', '/desk/api/apps/api/v1/calls']) {
    it.each(cases)(`${path}: %s → 400, not stored as U+FFFD`, async (_, bytes) => {
      const answer = await postBytes(path, withRawBytes(bytes), headersFor(path));
      expect(answer).toEqual({ status: 400, body: { message: 'Request body is not valid UTF-8' } });
      expect(await stored()).toEqual([]);
    });
  }
});

describe('strings no field can hold', () => {
  const cases: Array<[string, string, unknown]> = [
    ['a lone high surrogate', 'end_user_number', '+1 859-657-9625\ud800'],
    ['a lone low surrogate', 'lang', '\udc00en'],
    ['NUL', 'ticket_id', '71450\u0000'],
    ['NUL in a nested value', 'recording_permission', { deeper: ['ok', 'x\u0000'] }],
  ];
  it.each(cases)('%s in %s → 400 naming the field; nothing stored', async (_, field, value) => {
    for (const path of ['/apps/api/v1/calls', '/desk/api/apps/api/v1/calls']) {
      const answer = await server.request('POST', path, {
        body: { ...inboundBody(), [field]: value },
        headers: headersFor(path),
      });
      expectError(answer, 400, `${field} is not well formed`);
    }
    expect(await stored()).toEqual([]);
    expect(fieldForApiError(`${field} is not well formed`)).toBe(field);
  });

  it('in a key → 400 for the body as a whole', async () => {
    const answer = await server.request('POST', '/apps/api/v1/calls', {
      body: { ...outboundBody(), 'x\ud800': 1 },
    });
    expectError(answer, 400, 'Request body is not well formed');
  });

  it('the control API is read the same way', async () => {
    const answer = await server.request('PATCH', '/emulator/agents/admin%40somedomain.com', {
      body: { first_name: 'Ad\u0000min' },
    });
    expectError(answer, 400, 'first_name is not well formed');
    const agents = (await server.request('GET', '/manager/api/v1/agents')).body as Json[];
    expect(agents.find((a) => a.email === 'admin@somedomain.com')?.first_name).not.toContain(
      '\u0000',
    );
  });
});

describe('text that is well formed', () => {
  it('any character, astral ones and U+FFFD itself included, is kept exactly', async () => {
    const name = 'Zoë 😀 \ufffd 中文 \u200d';
    const answer = await server.request('PATCH', '/emulator/agents/admin%40somedomain.com', {
      body: { first_name: name },
    });
    expect(answer.status, answer.text).toBe(200);
    expect((answer.body as Json).first_name).toBe(name);
    // A byte order mark before the JSON is no character of it.
    const withBom = await postBytes(
      '/apps/api/v1/calls',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(inboundBody()))]),
    );
    expect(withBom.status).toBe(201);
  });
});
