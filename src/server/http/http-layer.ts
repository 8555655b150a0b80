import type { FastifyInstance } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { withSecurityHeaders } from './security-headers.ts';

// Answers of the HTTP layer itself, in the API's `{"message": "..."}` shape like every other
// answer: requests Node's parser refuses before there is a request at all (a malformed
// request line, bad bytes in a header, Content-Length with chunked, headers too large, a
// client too slow), an HTTP/1.1 request without Host, and requests that arrive while the
// server is shutting down.

interface ParserError extends Error {
  code?: string;
}

const PARSER_ERRORS: Record<string, [number, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'The request took too long to arrive'],
  HPE_HEADER_OVERFLOW: [431, 'The request headers are too large'],
  HPE_INVALID_METHOD: [400, 'The request line is not well formed'],
  HPE_INVALID_URL: [400, 'The request line is not well formed'],
  HPE_INVALID_VERSION: [400, 'The request line is not well formed'],
  HPE_INVALID_CONSTANT: [400, 'The request line is not well formed'],
  HPE_INVALID_HEADER_TOKEN: [400, 'A request header is not well formed'],
  HPE_INVALID_TRANSFER_ENCODING: [
    400,
    'Content-Length and Transfer-Encoding cannot be sent together',
  ],
  HPE_UNEXPECTED_CONTENT_LENGTH: [400, 'Content-Length is sent more than once'],
  HPE_INVALID_CONTENT_LENGTH: [400, 'Content-Length is not well formed'],
  HPE_INVALID_CHUNK_SIZE: [400, 'The chunked body is not well formed'],
};

const NOT_WELL_FORMED = 'The request is not well formed';
const HOST_REQUIRED = 'The Host header is required';
const SHUTTING_DOWN = 'The server is shutting down: try again in a moment';

/** A complete HTTP/1.1 answer with a JSON `{"message"}` body, for a raw socket. */
function rawAnswer(status: number, message: string, headers: Record<string, string>): string {
  const body = JSON.stringify({ message });
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    'Cache-Control: no-store',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** Fastify's `clientErrorHandler`: what Node's parser refused, answered in the API's shape. */
export function clientErrorHandler(this: FastifyInstance, error: ParserError, socket: Socket) {
  // A reset connection has nobody to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] = PARSER_ERRORS[error.code ?? ''] ?? [400, NOT_WELL_FORMED];
  this.log.debug({ err: error, status }, 'the HTTP parser refused a request');
  // An answer may already be under way on this connection (a body that broke after its
  // request was routed): then there is nothing to add, only to close.
  const answering = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !answering?.headersSent) {
    socket.write(rawAnswer(status, message, this.securityHeaderSet ?? {}));
  }
  socket.destroySoon();
}

/**
 * Host is checked here rather than by Node (whose own 400 has no body), and requests that
 * arrive while the server shuts down (pipelined, or on a busy keep-alive connection) are
 * refused here rather than by Fastify (whose 503 has its own shape). Add before any other
 * hook: the first onRequest hook runs as Node hands the request over, so a request that
 * arrived before the shutdown began is always served.
 */
export function httpLayerChecks(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (request, reply) => {
    if (closing) {
      return withSecurityHeaders(request, reply)
        .code(503)
        .header('Connection', 'close')
        .header('Retry-After', '5')
        .send({ message: SHUTTING_DOWN });
    }
    const raw = request.raw;
    if (raw.httpVersionMajor === 1 && raw.httpVersionMinor >= 1 && !raw.headers.host) {
      return withSecurityHeaders(request, reply)
        .code(400)
        .header('Connection', 'close')
        .send({ message: HOST_REQUIRED });
    }
  });
}
