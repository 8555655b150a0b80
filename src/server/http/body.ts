import type { FastifyInstance, FastifyRequest } from 'fastify';
import { API_ERRORS, apiErrorText } from '../../contract/api-errors.ts';
import { HttpError, badRequest } from './errors.ts';

/** What an empty body sent as application/json parses to. */
export const EMPTY_JSON_BODY: unique symbol = Symbol('empty JSON body');

/**
 * The request's JSON body as an object. A request with no JSON at all is a 415; JSON that
 * is not an object (an array, a string, null) is a 400.
 */
export function jsonObjectBody(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (body === undefined) throw new HttpError(415, API_ERRORS.unsupportedMediaType.message);
  if (body === EMPTY_JSON_BODY) throw badRequest(API_ERRORS.malformedJson.message);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest(API_ERRORS.bodyNotObject.message);
  }
  return body as Record<string, unknown>;
}

/**
 * Text no field of the API can hold: a lone surrogate (half of a UTF-16 pair, which no
 * UTF-8 can carry and storage would mangle) or NUL (which ends strings in C and is
 * invisible everywhere else). Both can only arrive as JSON escapes (`"\ud800"`, `"\u0000"`).
 */
function isWellFormedText(text: string): boolean {
  // String.prototype.isWellFormed is ES2024: in Node 20, not in the project's `lib`.
  return (text as string & { isWellFormed(): boolean }).isWellFormed() && !text.includes('\0');
}

/** Whether every string in `value` (keys included) is well formed; walks without recursion. */
function allWellFormed(value: unknown): boolean {
  // A body may nest thousands of levels deep (the parser allows it): a stack, not recursion.
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (!isWellFormedText(next)) return false;
    } else if (Array.isArray(next)) {
      for (const item of next) pending.push(item);
    } else if (next !== null && typeof next === 'object') {
      for (const [key, item] of Object.entries(next)) {
        if (!isWellFormedText(key)) return false;
        pending.push(item);
      }
    }
  }
  return true;
}

/**
 * The first string in a parsed body that is not well formed: reported by the top-level
 * key it is under (the field, as the API names fields), null when it is a key or the body
 * is no object; undefined when all is well.
 */
function illFormedField(body: unknown): string | null | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return allWellFormed(body) ? undefined : null;
  }
  for (const [key, value] of Object.entries(body)) {
    if (!isWellFormedText(key)) return null;
    if (!allWellFormed(value)) return key;
  }
  return undefined;
}

function illFormedError(field: string | null): HttpError {
  return badRequest(
    field === null ? API_ERRORS.bodyNotWellFormed.message : apiErrorText.paramNotWellFormed(field),
  );
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Why these JSON bytes are refused, if they are: not UTF-8, or (when they parse) holding
 * text no field can hold. For a path that passes a body on as it came (the desk's to the
 * tenant): JSON that does not parse is left for the API to answer.
 */
export function refusedJsonBytes(bytes: Buffer): HttpError | undefined {
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return badRequest(API_ERRORS.bodyNotUtf8.message);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const field = illFormedField(value);
  return field === undefined ? undefined : illFormedError(field);
}

/**
 * The one JSON body parser of the server's own routes (the emulator's API and control
 * API; the desk's API path checks with refusedJsonBytes and passes bytes on). Only JSON is
 * understood; anything else is a 415. Bytes that are not UTF-8 are refused, not turned into
 * U+FFFD; text no field can hold is refused naming its field. An empty JSON body is kept as
 * a marker: routes that take no body ignore it (clients copied from the seed send the
 * header on every request), routes that need one answer `Malformed JSON body`.
 */
export function jsonBodies(app: FastifyInstance): void {
  app.removeContentTypeParser('text/plain');
  const parseJson = app.getDefaultJsonParser('remove', 'remove');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, bytes, done) => {
    let text: string;
    try {
      text = UTF8.decode(bytes as Buffer);
    } catch {
      return done(badRequest(API_ERRORS.bodyNotUtf8.message), undefined);
    }
    if (text === '') return done(null, EMPTY_JSON_BODY);
    parseJson(request, text, (error, value) => {
      if (error) return done(error, undefined);
      const field = illFormedField(value);
      if (field === undefined) return done(null, value);
      done(illFormedError(field), undefined);
    });
  });
}
