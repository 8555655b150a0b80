import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { API_ERRORS } from '../../contract/api-errors.ts';
import { STORAGE_MESSAGES, storageProblem } from '../db/storage-health.ts';
import type { StorageHealth } from '../db/storage-health.ts';

/** An answer other than success, with the API's own text. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new HttpError(400, message);
export const notFound = () => new HttpError(404, API_ERRORS.resourceNotFound.message);

// Fastify's own errors for what a client sent, mapped onto the API's texts.
const CLIENT_ERRORS: Record<string, [number, string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, API_ERRORS.unsupportedMediaType.message],
  FST_ERR_CTP_INVALID_TYPE: [415, API_ERRORS.unsupportedMediaType.message],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, API_ERRORS.bodyTooLarge.message],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, API_ERRORS.malformedJson.message],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, API_ERRORS.malformedJson.message],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'Content-Length does not match the body'],
  FST_ERR_BAD_URL: [400, 'The URL is not well formed'],
  FST_ERR_ASYNC_CONSTRAINT: [400, 'The request is not well formed'],
};

/**
 * The one error handler: the API's texts for what a client got wrong, and for anything
 * else a 500 that says nothing of the server's insides (the stack goes to the log only).
 */
export function errorHandler(
  error: FastifyError | HttpError,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  if (error instanceof HttpError) {
    return reply.code(error.statusCode).headers(error.headers).send({ message: error.message });
  }
  const mapped = error.code ? CLIENT_ERRORS[error.code] : undefined;
  if (mapped) return reply.code(mapped[0]).send({ message: mapped[1] });
  const problem = storageProblem(error);
  if (problem) {
    // The write was rolled back whole; say so, not "Internal server error".
    (request.server as { storage?: StorageHealth }).storage?.failed(problem);
    request.log.warn({ err: error }, 'storage refused a write');
    return reply.code(503).send({ message: STORAGE_MESSAGES[problem] });
  }
  if (error instanceof SyntaxError) {
    return reply.code(400).send({ message: API_ERRORS.malformedJson.message });
  }
  const status = (error as FastifyError).statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    // A client error Fastify raised that we have no text for: keep its status, not its words.
    return reply.code(status).send({ message: 'The request is not well formed' });
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply.code(500).send({ message: API_ERRORS.internal.message });
}
