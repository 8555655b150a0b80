import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FIXTURE_AUTH,
  startTestServer,
  useTestServer,
  type TestServer,
} from '../test/test-server.ts';

// Clients that are slow on purpose: they drip their headers or their body a byte at a time
// to hold connections. The server closes each once it is late, however steadily it drips,
// and serves everyone else meanwhile. Raw TCP sockets, as such a client would use.

interface Dripper {
  socket: Socket;
  /** What the server sent before it closed the connection. */
  closed: Promise<string>;
  isOpen(): boolean;
}

function drip(server: TestServer, text: string, everyMs = 100): Dripper {
  const { port } = new URL(server.baseUrl);
  const socket = connect(Number(port), '127.0.0.1');
  let received = '';
  let open = true;
  let i = 0;
  const timer = setInterval(() => {
    if (i < text.length) socket.write(text[i++]!);
  }, everyMs);
  socket.on('data', (d) => (received += d));
  socket.on('error', () => {});
  const closed = new Promise<string>((resolve) =>
    socket.on('close', () => {
      open = false;
      clearInterval(timer);
      resolve(received);
    }),
  );
  return { socket, closed, isOpen: () => open };
}

const HEADERS = `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ${'a'.repeat(200)}\r\n\r\n`;

const server = useTestServer({
  HTTP_HEADERS_TIMEOUT_MS: 1_000,
  HTTP_REQUEST_TIMEOUT_MS: 2_000,
});

describe('slow clients', () => {
  it('clients dripping their headers are closed with a 408, and others are served meanwhile', async () => {
    const drippers = Array.from({ length: 200 }, () => drip(server, HEADERS));
    const served: number[] = [];
    // Ordinary requests, one after another, for as long as any dripper is connected.
    while (drippers.some((d) => d.isOpen())) {
      const answer = await server.request('GET', '/apps/api/v1/calls?per=1');
      served.push(answer.status);
    }
    const answers = await Promise.all(drippers.map((d) => d.closed));
    for (const answer of answers) expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(served.length).toBeGreaterThanOrEqual(5);
    expect(new Set(served)).toEqual(new Set([200]));
  });

  it('a client dripping its body is closed once the whole request is late', async () => {
    const body = JSON.stringify({ call_type: 'Voice Inbound (API)', menu_id: 9 }).padEnd(100);
    const request =
      `POST /apps/api/v1/calls HTTP/1.1\r\nHost: ${new URL(server.baseUrl).host}\r\n` +
      'Content-Type: application/json\r\n' +
      `Authorization: ${FIXTURE_AUTH}\r\n` +
      `Content-Length: ${body.length}\r\n\r\n`;
    const dripper = drip(server, body, 100);
    dripper.socket.write(request);
    expect(await dripper.closed).toMatch(/^HTTP\/1\.1 408 /);
    const calls = await server.request('GET', '/apps/api/v1/calls');
    expect(calls.body).toEqual([]);
  });
});

describe('the connection limit', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({
      HTTP_MAX_CONNECTIONS: 10,
      HTTP_HEADERS_TIMEOUT_MS: 1_000,
      HTTP_REQUEST_TIMEOUT_MS: 1_000,
    });
  });
  afterAll(() => limited.close());

  const connections = () =>
    new Promise<number>((resolve, reject) =>
      limited.app.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
    );

  it('past it a new connection is closed at once; the slow ones are timed out and room comes back', async () => {
    const idle = Array.from({ length: 10 }, () => drip(limited, ''));
    await expect.poll(connections).toBe(10);
    const refused = drip(limited, HEADERS, 1);
    expect(await refused.closed).toBe('');
    // The idle connections send nothing: they are closed when their headers are late.
    await Promise.all(idle.map((d) => d.closed));
    const answer = await limited.request('GET', '/healthz');
    expect(answer.status).toBe(200);
  });
});
