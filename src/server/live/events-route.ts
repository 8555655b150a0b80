import fastifySse from '@fastify/sse';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LIVE_EVENTS_PATH } from '../../contract/live.ts';
import { HttpError } from '../http/errors.ts';
import type { FeedHub } from './feed-hub.ts';
import type { FeedEvent } from './live-store.ts';

// The desk's live stream as a route. @fastify/sse does the protocol (Accept negotiation,
// the event-stream headers, Last-Event-ID, the close of the connection); the hub writes
// the events, one shared frame for every desk, and the heartbeats on one timer for all.

export interface EventsRouteOptions {
  hub: FeedHub;
  /** What this request's desk may see (its agent's calls, say); everything when absent. */
  visibleTo?: (request: FastifyRequest) => ((event: FeedEvent) => boolean) | undefined;
  /** What the connection belongs to (the request's session), to end it with that. */
  tagOf?: (request: FastifyRequest) => string | undefined;
}

export async function eventsRoute(
  app: FastifyInstance,
  { hub, visibleTo, tagOf }: EventsRouteOptions,
) {
  // The hub's own heartbeat replaces the plugin's timer per connection.
  await app.register(fastifySse, { heartbeatInterval: 0 });

  app.get(LIVE_EVENTS_PATH, { sse: { kind: 'only', heartbeat: false } }, async (request, reply) => {
    if (!hub.hasRoom()) {
      // The desk falls back to polling and tries the stream again later.
      throw new HttpError(503, 'The live feed has no room for another desk', {
        'Retry-After': '30',
      });
    }
    reply.sse.keepAlive();
    reply.sse.sendHeaders();
    // A stream is open for as long as the desk is: no idle timeout may cut it.
    request.raw.socket.setTimeout(0);
    await hub.connect(reply.raw, {
      lastEventId: reply.sse.lastEventId,
      visible: visibleTo?.(request),
      tag: tagOf?.(request),
    });
  });
}
