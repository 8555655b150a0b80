import {
  LogController,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import type { ServerConfig } from '../config.ts';
import { DESK_API_PREFIX as DESK_PREFIX } from '../../contract/desk.ts';

// What the server writes about the requests it answers: one line per request, after the
// answer, in a shape an operator can search (`method`, `url`, `statusCode`, `ms`). Reads
// an open desk repeats every few seconds (its polls), health checks, and the requests the
// server sends itself in-process are at `debug`: at `info` a desk open all day writes a
// line when an agent does something, not every two seconds. Phone numbers and secrets
// never reach the log: URLs are masked here, and pino removes credentials from anything
// logged under the usual names.

/** Query parameters whose value is a secret: never logged, not even in part. */
const SECRET_PARAMS =
  /^(token|access_token|id_token|id_token_hint|refresh_token|code|code_verifier|code_challenge|state|nonce|session|password|secret|client_secret|api_key|apikey)$/i;

/** Query parameters that carry a phone number (`end_user_number`, `outbound_number`). */
const PHONE_PARAMS = /number|phone/i;

/** A number in international form anywhere else: a plus, then seven digits or more. */
const INTERNATIONAL = /\+\d[\d\s().-]{5,}\d/g;

/** All but the last two digits starred: `+1 859-657-9625` → `+* ***-***-**25`. */
function maskDigits(text: string): string {
  const digits = text.replace(/\D/g, '').length;
  let seen = 0;
  return text.replace(/\d/g, (d) => (++seen > digits - 2 ? d : '*'));
}

const maskInternational = (text: string) => text.replace(INTERNATIONAL, maskDigits);

/**
 * The URL as it may be logged: secret query values replaced, phone numbers (in the path or
 * the query, encoded or not) masked.
 */
export function loggableUrl(url: string): string {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const maskedPath = maskInternational(safeDecode(path));
  if (q < 0) return maskedPath;
  const params = new URLSearchParams(url.slice(q + 1));
  const masked = new URLSearchParams();
  for (const [key, value] of params) {
    masked.append(
      key,
      SECRET_PARAMS.test(key)
        ? '[redacted]'
        : PHONE_PARAMS.test(key)
          ? maskDigits(value)
          : maskInternational(value),
    );
  }
  const query = masked.toString();
  return query ? `${maskedPath}?${query}` : maskedPath;
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** In-process requests (`app.inject`, how the desk's path reaches the emulator). */
function isInProcess(request: FastifyRequest): boolean {
  return '_lightMyRequest' in request.raw;
}

/** The level a request's line is written at. */
function requestLogLevel(request: FastifyRequest, reply: FastifyReply): 'debug' | 'info' | 'error' {
  const status = reply.statusCode;
  if (status >= 500) return 'error';
  if (isInProcess(request)) return 'debug';
  const read = request.method === 'GET' || request.method === 'HEAD';
  if (read && status < 400) {
    const path = request.url.split('?', 1)[0]!;
    if (path === '/healthz' || path.startsWith(`${DESK_PREFIX}/`)) return 'debug';
  }
  return 'info';
}

/**
 * Fastify's log lines about requests: one after each answer instead of its two ("incoming
 * request", "request completed") and its "route not found", at a level by what it was.
 */
export class RequestLog extends LogController {
  override incomingRequest(): void {}

  override routeNotFound(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const level = requestLogLevel(request, reply);
    request.log[level](
      {
        method: request.method,
        url: loggableUrl(request.url),
        statusCode: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        remoteAddress: request.ip,
        ...(error ? { err: error } : {}),
      },
      'request',
    );
  }
}

/** The logger's options: JSON lines, pretty only in development (`npm run dev`). */
export function loggerOptions(
  config: Pick<ServerConfig, 'LOG_LEVEL'>,
  env: Record<string, string | undefined> = process.env,
): Exclude<FastifyServerOptions['logger'], boolean | undefined> {
  return {
    level: config.LOG_LEVEL,
    // Credentials under the names they usually go by, wherever something logs them.
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        'headers.authorization',
        'headers.cookie',
        '*.token',
        '*.password',
        '*.api_token',
      ],
      censor: '[redacted]',
    },
    ...(env.NODE_ENV === 'development'
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l' } } }
      : {}),
  };
}
