import type { FastifyRequest } from 'fastify';
import { API_ERRORS } from '../../contract/api-errors.ts';
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
