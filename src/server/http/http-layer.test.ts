import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { inboundBody } from '../test/api-helpers.ts';
import {
  FIXTURE_AUTH,
  startTestServer,
  useTestServer,
  type TestServer,
} from '../test/test-server.ts';

// What the HTTP layer answers before there is a request to route, over raw TCP (no client
// library would send these bytes): always the API's {"message"} shape, then the
// connection is closed.

interface Parsed {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Every answer in `text` (several when requests were pipelined). */
function parseAnswers(text: string): Parsed[] {
  const answers: Parsed[] = [];
  let rest = text;
  while (rest.startsWith('HTTP/1.1 ')) {
    const end = rest.indexOf('\r\n\r\n');
    const [statusLine, ...lines] = rest.slice(0, end).split('\r\n');
    const headers = Object.fromEntries(
      lines.map((l) => [
        l.slice(0, l.indexOf(':')).toLowerCase(),
        l.slice(l.indexOf(':') + 1).trim(),
      ]),
    );
    const length = Number(headers['content-length'] ?? 0);
    const body = Buffer.from(rest.slice(end + 4))
      .subarray(0, length)
      .toString();
    answers.push({
      status: Number(statusLine!.split(' ')[1]),
      headers,
      body: headers['content-type']?.includes('json') ? JSON.parse(body) : body,
    });
    rest = Buffer.from(rest.slice(end + 4))
      .subarray(length)
      .toString();
  }
  return answers;
}

/** Sends `chunks` on one connection (a function is called once the previous ones are out) and reads until the server closes it. */
function exchange(
  server: TestServer,
  ...chunks: Array<string | (() => Promise<void>)>
): Promise<string> {
  const { port } = new URL(server.baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', async () => {
      for (const chunk of chunks) {
        if (typeof chunk === 'string') socket.write(chunk);
        else await chunk();
      }
    });
    let received = '';
    socket.on('data', (d) => (received += d));
    socket.on('error', (error) =>
      (error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error),
    );
    socket.on('close', () => resolve(received));
  });
}

const server = useTestServer();

const GET = (path: string, headers = 'Host: 127.0.0.1\r\n') =>
  `GET ${path} HTTP/1.1\r\n${headers}\r\n`;

describe('requests the HTTP parser refuses', () => {
  const cases: Array<[string, string, number, string]> = [
    [
      'a request line that is no request line',
      'GARBAGE\r\n\r\n',
      400,
      'The request line is not well formed',
    ],
    [
      'a method with bad bytes',
      'G@T / HTTP/1.1\r\nHost: x\r\n\r\n',
      400,
      'The request line is not well formed',
    ],
    [
      'an HTTP version that does not exist',
      'GET / HTTP/9.9\r\nHost: x\r\n\r\n',
      400,
      'The request line is not well formed',
    ],
    [
      'a control byte in a header name',
      GET('/healthz', 'Host: x\r\nX-A\x01: b\r\n'),
      400,
      'A request header is not well formed',
    ],
    [
      'a NUL in a header value',
      GET('/healthz', 'Host: x\r\nX-A: b\x00c\r\n'),
      400,
      'A request header is not well formed',
    ],
    [
      'Content-Length with chunked',
      `POST /apps/api/v1/calls HTTP/1.1\r\nHost: x\r\nAuthorization: ${FIXTURE_AUTH}\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
      400,
      'Content-Length and Transfer-Encoding cannot be sent together',
    ],
    [
      'two Content-Lengths',
      'POST /apps/api/v1/calls HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
      400,
      'Content-Length is sent more than once',
    ],
    [
      'a Content-Length that is no number',
      'POST /apps/api/v1/calls HTTP/1.1\r\nHost: x\r\nContent-Length: 12abc\r\n\r\n',
      400,
      'Content-Length is not well formed',
    ],
    [
      'headers over 16 KB',
      GET('/healthz', `Host: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n`),
      431,
      'The request headers are too large',
    ],
    [
      'an HTTP/1.1 request without Host',
      'GET /healthz HTTP/1.1\r\n\r\n',
      400,
      'The Host header is required',
    ],
  ];

  it.each(cases)(
    '%s → its status and {"message"}, the usual headers, the connection closed',
    async (_, bytes, status, message) => {
      const answers = parseAnswers(await exchange(server, bytes));
      expect(answers).toHaveLength(1);
      const [answer] = answers;
      expect({ status: answer!.status, body: answer!.body }).toEqual({ status, body: { message } });
      expect(answer!.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(answer!.headers.connection).toBe('close');
      expect(answer!.headers['x-content-type-options']).toBe('nosniff');
      expect(answer!.headers['content-security-policy']).toContain('frame-ancestors');
    },
  );

  it('an HTTP/1.0 request may come without Host, and the server goes on serving', async () => {
    const [answer] = parseAnswers(await exchange(server, 'GET /healthz HTTP/1.0\r\n\r\n'));
    expect(answer!.status).toBe(200);
    expect((await server.request('GET', '/apps/api/v1/calls')).status).toBe(200);
  });
});

describe('while the server shuts down', () => {
  it('a request already in progress is answered; one after it gets 503 {"message"}', async () => {
    const closing = await startTestServer();
    // The server answers only for its own name (421 for any other).
    const host = new URL(closing.baseUrl).host;
    const body = JSON.stringify(inboundBody());
    const head =
      `POST /apps/api/v1/calls HTTP/1.1\r\nHost: ${host}\r\nAuthorization: ${FIXTURE_AUTH}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
    let closed: Promise<void> | undefined;
    // The server has the first request (its headers) when Node emits 'request'.
    const received = new Promise((r) => closing.app.server.once('request', r));
    const text = await exchange(
      closing,
      head + body.slice(0, 10),
      // The body is half sent and the request on its way through the server: now the
      // server starts to shut down.
      async () => {
        await received;
        await new Promise((r) => setImmediate(r));
        closed = closing.close();
        await new Promise((r) => setImmediate(r));
      },
      body.slice(10) +
        GET('/apps/api/v1/calls', `Host: ${host}\r\nAuthorization: ${FIXTURE_AUTH}\r\n`),
    );
    await closed;
    const answers = parseAnswers(text);
    expect(answers.map((a) => a.status)).toEqual([201, 503]);
    expect(answers[1]!.body).toEqual({
      message: 'The server is shutting down: try again in a moment',
    });
    expect(answers[1]!.headers['retry-after']).toBe('5');
  });
});
