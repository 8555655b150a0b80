import { createParser, type EventSourceMessage } from 'eventsource-parser';

// A Server-Sent Events client for tests: one real HTTP request, its stream parsed with a
// kept parser, every event kept in order so a test can wait for the one it expects.

interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
  /** The data parsed as JSON (undefined when it is not JSON). */
  json: unknown;
}

export interface SseStream {
  status: number;
  headers: Headers;
  events: SseEvent[];
  comments: string[];
  /** The id of the newest event that had one (what a reconnect sends as Last-Event-ID). */
  lastEventId: string | undefined;
  /** Resolves with the first event (from the start) that matches, waiting for it to come. */
  next(match?: (event: SseEvent) => boolean): Promise<SseEvent>;
  /** Resolves once `count` events matching have arrived; returns them all. */
  take(count: number, match?: (event: SseEvent) => boolean): Promise<SseEvent[]>;
  /** Resolves once a comment line (a heartbeat) has arrived. */
  nextComment(): Promise<string>;
  /** Resolves when the server ends the stream or the connection drops. */
  ended: Promise<void>;
  close(): void;
}

export async function openSse(
  url: string,
  options: { headers?: Record<string, string>; lastEventId?: string } = {},
): Promise<SseStream> {
  const controller = new AbortController();
  const headers: Record<string, string> = { accept: 'text/event-stream', ...options.headers };
  if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
  const response = await fetch(url, { headers, signal: controller.signal });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of [...waiters]) waiter();
  };
  let finished = false;
  const stream: SseStream = {
    status: response.status,
    headers: response.headers,
    events,
    comments,
    lastEventId: undefined,
    next: (match = () => true) => stream.take(1, match).then((found) => found[0]!),
    take(count, match = () => true) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.filter(match);
          if (found.length >= count) {
            waiters.delete(check);
            resolve(found.slice(0, count));
          } else if (finished) {
            waiters.delete(check);
            reject(new Error(`stream ended after ${found.length} of ${count} events`));
          }
        };
        waiters.add(check);
        check();
      });
    },
    nextComment() {
      const seen = comments.length;
      return new Promise((resolve, reject) => {
        const check = () => {
          if (comments.length > seen) {
            waiters.delete(check);
            resolve(comments[seen]!);
          } else if (finished) {
            waiters.delete(check);
            reject(new Error('stream ended before a comment'));
          }
        };
        waiters.add(check);
        check();
      });
    },
    ended: Promise.resolve(),
    close: () => controller.abort(),
  };
  const parser = createParser({
    onEvent(message: EventSourceMessage) {
      let json: unknown;
      try {
        json = JSON.parse(message.data);
      } catch {
        json = undefined;
      }
      if (message.id !== undefined) stream.lastEventId = message.id;
      events.push({ id: message.id, event: message.event ?? 'message', data: message.data, json });
      wake();
    },
    onComment(comment) {
      comments.push(comment);
      wake();
    },
  });
  stream.ended = (async () => {
    try {
      if (!response.body) return;
      const decoder = new TextDecoder();
      for await (const chunk of response.body) {
        parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
      }
    } catch {
      // aborted or dropped: the test asks `ended` for that
    } finally {
      finished = true;
      wake();
    }
  })();
  return stream;
}
