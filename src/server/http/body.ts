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
export function isWellFormedText(text: string): boolean {
  // String.prototype.isWellFormed is ES2024: in Node 20, not in the project's `lib`.
  return (text as string & { isWellFormed(): boolean }).isWellFormed() && !text.includes('\0');
}

/**
 * The first string in a parsed body that is not well formed: reported by the top-level
 * key it is under (the field, as the API names fields), or as the body when it is a key.
 */
export function illFormedField(body: unknown): string | null | undefined {
  const walk = (value: unknown): boolean => {
    if (typeof value === 'string') return isWellFormedText(value);
    if (Array.isArray(value)) return value.every(walk);
    if (value !== null && typeof value === 'object') {
      return Object.entries(value).every(([k, v]) => isWellFormedText(k) && walk(v));
    }
    return true;
  };
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return walk(body) ? undefined : null;
  }
  for (const [key, value] of Object.entries(body)) {
    if (!isWellFormedText(key)) return null;
    if (!walk(value)) return key;
  }
  return undefined;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The one JSON body parser, for every route of the server (the emulator's API and the
 * desk's API path alike). Only JSON is understood; anything else is a 415. Bytes that are
 * not UTF-8 are refused, not turned into U+FFFD; text no field can hold is refused naming
 * its field. An empty JSON body is kept as a marker: routes that take no body ignore it
 * (clients copied from the seed send the header on every request), routes that need one
 * answer `Malformed JSON body`.
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
      done(
        badRequest(
          field === null
            ? API_ERRORS.bodyNotWellFormed.message
            : apiErrorText.paramNotWellFormed(field),
        ),
        undefined,
      );
    });
  });
}
