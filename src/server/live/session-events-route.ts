import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  SESSION_EVENTS_BODY_LIMIT,
  SESSION_EVENTS_PATH,
  SessionEventBatchSchema,
  type SessionEvent,
  type SessionEventsReceipt,
} from '../../contract/live.ts';
import { EMPTY_JSON_BODY } from '../http/body.ts';
import { HttpError, badRequest } from '../http/errors.ts';
import type { LoginThrottle } from '../http/login-throttle.ts';
import { API_ERRORS } from '../../contract/api-errors.ts';
import type { LiveStore } from './live-store.ts';

// POST /webhooks/session-events: the tenant's platform tells this server that calls
// changed. The Basic credentials are checked before the body is read, in constant time;
// a batch is checked whole before anything of it is kept; each event is acted on once,
// however often it is delivered; and the answer comes at once: what the events cause (a
// re-read of the call) happens after it, so a slow tenant never makes the platform retry.

export interface SessionEventsRouteOptions {
  user: string;
  password: string;
  store: Pick<LiveStore, 'claimEventIds'>;
  /** The events not seen before, in the order they came; called after the answer. */
  onEvents: (events: SessionEvent[]) => void;
  /**
   * Wrong credentials are failed logins, limited as the API's are (per client address, and
   * for the webhook as a whole except from an address it has accepted lately).
   */
  throttle?: LoginThrottle;
}

/** The throttle's "tenant" for the webhook's failures. */
const WEBHOOK = 'session-events webhook';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Equal in time that does not depend on where the two differ, or on their lengths. */
function sameSecret(given: string, expected: Buffer): boolean {
  return timingSafeEqual(digest(given), expected);
}

function credentialsOf(request: FastifyRequest): { user: string; password: string } | null {
  const header = request.headers.authorization;
  if (!header || !/^basic /i.test(header)) return null;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export async function sessionEventsRoute(
  app: FastifyInstance,
  { user, password, store, onEvents, throttle }: SessionEventsRouteOptions,
) {
  const expectedUser = digest(user);
  const expectedPassword = digest(password);

  app.post(
    SESSION_EVENTS_PATH,
    {
      bodyLimit: SESSION_EVENTS_BODY_LIMIT,
      onRequest: async (request) => {
        const wait = throttle?.wait(request.ip, WEBHOOK) ?? 0;
        if (wait > 0) {
          throw new HttpError(429, API_ERRORS.tooManyFailedLogins.message, {
            'Retry-After': String(wait),
          });
        }
        const given = credentialsOf(request) ?? { user: '', password: '' };
        // Both compared, always: which one was wrong must not show in the time taken.
        const userOk = sameSecret(given.user, expectedUser);
        const passwordOk = sameSecret(given.password, expectedPassword);
        if (!(userOk && passwordOk)) {
          throttle?.failed(request.ip, WEBHOOK);
          throw new HttpError(401, 'The session events credentials are not valid', {
            'WWW-Authenticate': 'Basic realm="session-events", charset="UTF-8"',
          });
        }
        throttle?.succeeded(request.ip, WEBHOOK);
      },
    },
    async (request, reply): Promise<SessionEventsReceipt> => {
      const body = request.body;
      if (body === undefined) throw new HttpError(415, 'Session events are sent as JSON');
      if (body === EMPTY_JSON_BODY) throw badRequest('The session events batch is empty');
      const parsed = SessionEventBatchSchema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue?.path.length ? issue.path.join('.') : 'body';
        throw badRequest(`The session events batch is not well formed: ${where}`);
      }
      const events = parsed.data.events;
      const fresh = new Set(await store.claimEventIds(events.map((e) => e.event_id)));
      // An id repeated inside one batch is acted on once too.
      const toApply = events.filter((e) => fresh.delete(e.event_id));
      if (toApply.length > 0) setImmediate(() => onEvents(toApply));
      reply.code(200);
      return { accepted: toApply.length, duplicates: events.length - toApply.length };
    },
  );
}
