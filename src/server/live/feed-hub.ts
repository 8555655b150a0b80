import type { ServerResponse } from 'node:http';
import type { LiveEventType, LiveHello, LiveResync } from '../../contract/live.ts';
import type { FeedEvent, FeedEventInput, LiveStore } from './live-store.ts';

// The server's one live feed: every change is stored once (for Last-Event-ID resume),
// framed once, and written as the same bytes to every connected desk. A desk that does not
// read what it is sent is dropped once its unsent bytes pass a bound, so a slow or stalled
// client never makes the server's memory grow; it reconnects and resumes from its last id.

export interface FeedHubOptions {
  store: LiveStore;
  /** The tenant's clock, for the hello each connection starts with. */
  now: () => Date;
  /** Unsent bytes a connection may hold before it is dropped. */
  maxBufferedBytes?: number;
  /** Events a reconnecting client is replayed at most; past that it reads everything again. */
  replayLimit?: number;
  /** Connections the server holds at most; past that a desk is refused (and polls). */
  maxConnections?: number;
  /** A comment line is written this often, so proxies keep idle streams open. */
  heartbeatMs?: number;
  /** What the EventSource waits before reconnecting (the stream's `retry:`). */
  retryMs?: number;
  onError?: (error: unknown) => void;
  /** Told when a connection opens where none was (the tenant's poller then looks at once). */
  onFirstConnection?: () => void;
  /**
   * The store is shared with other servers (issue 13): what this server appends is not sent
   * at once but read back with what the others appended, by `pull()` (called after each
   * append and whenever another server says the history grew), so that every server sends
   * its desks every event once, in id order, whoever appended it.
   */
  shared?: boolean;
  /** Told of the events a pull read, before they are sent (they may be another server's). */
  onPulled?: (events: FeedEvent[]) => void;
}

export interface FeedConnectionOptions {
  /** The Last-Event-ID the client sent, if any. */
  lastEventId?: string | null;
  /** Whether this desk may see an event; every event when absent. */
  visible?: (event: FeedEvent) => boolean;
  /** What the connection belongs to (its session), so it can be ended with it. */
  tag?: string;
}

export interface FeedHubStats {
  connections: number;
  /** Connections dropped since start because they did not drain. */
  dropped: number;
  /** Events published since start. */
  published: number;
  /** Bytes written to connections since start. */
  bytesWritten: number;
}

interface Connection {
  res: ServerResponse;
  tag: string | undefined;
  visible: ((event: FeedEvent) => boolean) | undefined;
  /** Events that arrived while the connection was catching up. */
  queue: Array<{ event: FeedEvent; frame: Buffer }> | null;
  /** The newest id the client has (or needs no longer). */
  lastId: number;
}

const HEARTBEAT = Buffer.from(': heartbeat\n\n');

/** Resolves true once the response has written what it holds, false if it closed first. */
function drained(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

/** The bytes of one SSE event: an id, a name, and data (one `data:` line per line). */
function frameOf(id: string | null, type: LiveEventType, data: string): Buffer {
  let text = id === null ? '' : `id: ${id}\n`;
  text += `event: ${type}\n`;
  for (const line of data.split(/\r\n|\r|\n/)) text += `data: ${line}\n`;
  return Buffer.from(`${text}\n`);
}

export class FeedHub {
  private readonly store: LiveStore;
  private readonly connections = new Set<Connection>();
  private readonly maxBufferedBytes: number;
  private readonly replayLimit: number;
  private readonly maxConnections: number;
  private readonly retryMs: number;
  private readonly heartbeat: NodeJS.Timeout | null;
  private publishing: Promise<unknown>;
  /** The newest id stored, once known (for the position an answer of the desk API carries). */
  private latest: number | null = null;
  private closed = false;
  /** A pull is waiting to run (pulls asked for meanwhile are the same pull). */
  private pullQueued = false;
  private readonly counters = { dropped: 0, published: 0, bytesWritten: 0 };

  constructor(private readonly options: FeedHubOptions) {
    this.store = options.store;
    this.maxBufferedBytes = options.maxBufferedBytes ?? 128 * 1024;
    this.replayLimit = options.replayLimit ?? 300;
    this.maxConnections = options.maxConnections ?? 10_000;
    this.retryMs = options.retryMs ?? 2000;
    const heartbeatMs = options.heartbeatMs ?? 15_000;
    // One timer for every connection, not one each: 5,000 desks cost one wake-up.
    this.heartbeat =
      heartbeatMs > 0 ? setInterval(() => this.writeAll(HEARTBEAT, null), heartbeatMs) : null;
    this.heartbeat?.unref();
    this.publishing = this.store.latestId().then(
      (id) => (this.latest = Math.max(this.latest ?? 0, id)),
      (error: unknown) => options.onError?.(error),
    );
  }

  /**
   * Where the feed stands now, as an event id: data read now is as new as this, so a desk
   * that opens its stream with it as Last-Event-ID misses nothing that came after.
   */
  position(): string | null {
    return this.latest === null ? null : this.idOf(this.latest);
  }

  /** The id a client sends back as Last-Event-ID: this feed's epoch and the event's number. */
  idOf(id: number): string {
    return `${this.store.epoch}-${id}`;
  }

  /** The event number of an id from this feed, or null (another feed's, or not an id). */
  parseId(raw: string | null | undefined): number | null {
    if (!raw) return null;
    const dash = raw.lastIndexOf('-');
    if (dash <= 0 || raw.slice(0, dash) !== this.store.epoch) return null;
    const digits = raw.slice(dash + 1);
    if (!/^\d{1,15}$/.test(digits)) return null;
    return Number(digits);
  }

  get size(): number {
    return this.connections.size;
  }

  /** Whether one more desk may connect. */
  hasRoom(): boolean {
    return !this.closed && this.connections.size < this.maxConnections;
  }

  stats(): FeedHubStats {
    return { connections: this.connections.size, ...this.counters };
  }

  /**
   * Stores the events and sends them to every connection, in the order publish was called
   * (each call waits for the one before, so ids and sends never interleave).
   */
  publish(events: FeedEventInput[]): Promise<FeedEvent[]> {
    const run = this.publishing.then(async () => {
      if (this.closed || events.length === 0) return [];
      const stored = await this.store.append(events);
      this.counters.published += stored.length;
      if (this.options.shared) {
        await this.pullNow();
        return stored;
      }
      const newest = stored.at(-1)?.id;
      if (newest !== undefined) this.latest = Math.max(this.latest ?? 0, newest);
      for (const event of stored) this.broadcast(event);
      return stored;
    });
    this.publishing = run.catch((error: unknown) => this.options.onError?.(error));
    return run;
  }

  /**
   * A shared store's history grew (another server appended, or this server's notification
   * connection came back): sends the desks what came after the last event sent.
   */
  pull(): Promise<void> {
    if (this.pullQueued) return this.publishing.then(() => {});
    this.pullQueued = true;
    const run = this.publishing.then(() => this.pullNow());
    this.publishing = run.catch((error: unknown) => this.options.onError?.(error));
    return this.publishing.then(() => {});
  }

  private async pullNow(): Promise<void> {
    this.pullQueued = false;
    if (this.closed) return;
    const from = this.latest ?? (await this.store.latestId());
    const since = await this.store.since(from, this.replayLimit);
    if (!since.complete) {
      // Further behind than a desk is replayed (the database was away a long while): the
      // desks read what they show again, and this server goes on from the newest event.
      const latest = await this.store.latestId();
      if (latest <= from) return;
      this.latest = latest;
      const data: LiveResync = { reason: 'history' };
      this.writeAll(frameOf(null, 'resync', JSON.stringify(data)), null);
      return;
    }
    if (since.events.length === 0) return;
    this.options.onPulled?.(since.events);
    for (const event of since.events) {
      this.latest = event.id;
      this.broadcast(event);
    }
  }

  /**
   * Takes over an SSE response whose headers are sent: writes the hello, replays what the
   * client missed (or tells it to read everything again), then streams live events.
   */
  async connect(res: ServerResponse, options: FeedConnectionOptions = {}): Promise<void> {
    const connection: Connection = {
      res,
      tag: options.tag,
      visible: options.visible,
      queue: [],
      lastId: 0,
    };
    // Registered before the history is read, so nothing published meanwhile is lost:
    // it waits in the queue and is sent after the replay, without what the replay had.
    this.connections.add(connection);
    res.once('close', () => this.connections.delete(connection));
    if (this.connections.size === 1) this.options.onFirstConnection?.();

    const asked = options.lastEventId ?? null;
    const afterId = this.parseId(asked);
    let resumed = false;
    let replay: FeedEvent[] = [];
    let resync: LiveResync['reason'] | null = null;
    const latest = await this.store.latestId();
    if (afterId !== null) {
      const since = await this.store.since(afterId, this.replayLimit);
      resumed = since.complete;
      if (since.complete) replay = since.events;
      else resync = 'history';
    } else if (asked !== null) {
      // An id this feed never gave: the client's view belongs to another history.
      resync = 'history';
    }
    connection.lastId = replay.at(-1)?.id ?? Math.max(latest, afterId ?? 0);
    if (resync !== null) connection.lastId = Math.max(connection.lastId, latest);

    const hello: LiveHello = { now: this.options.now().toISOString(), last_id: latest, resumed };
    this.write(connection, Buffer.from(`retry: ${this.retryMs}\n\n`));
    this.write(connection, frameOf(null, 'hello', JSON.stringify(hello)));
    for (const event of replay) {
      // A replay is many events at once: it waits for the client to read, where live
      // events (the same bytes for everyone) never wait for one client.
      if (res.writableLength > this.maxBufferedBytes / 2 && !(await drained(res))) return;
      this.send(connection, event, this.frameFor(event));
    }
    if (resync !== null) {
      this.write(connection, frameOf(null, 'resync', JSON.stringify({ reason: resync })));
    }
    const queued = connection.queue ?? [];
    connection.queue = null;
    for (const { event, frame } of queued) {
      if (event.id > connection.lastId) this.send(connection, event, frame);
    }
  }

  /** The tags of the open connections (each once). */
  tags(): Set<string> {
    const tags = new Set<string>();
    for (const connection of this.connections) if (connection.tag) tags.add(connection.tag);
    return tags;
  }

  /** Ends the connections with these tags (their sessions ended): they find out on reconnecting. */
  end(tags: Iterable<string>): number {
    const ending = new Set(tags);
    let ended = 0;
    for (const connection of this.connections) {
      if (connection.tag === undefined || !ending.has(connection.tag)) continue;
      this.connections.delete(connection);
      connection.res.end();
      ended += 1;
    }
    return ended;
  }

  /** Ends every stream (the server is shutting down): desks reconnect to the next one. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.publishing;
    for (const connection of this.connections) connection.res.end();
    this.connections.clear();
  }

  private frameFor(event: FeedEvent): Buffer {
    return frameOf(this.idOf(event.id), event.type, event.data);
  }

  private broadcast(event: FeedEvent): void {
    if (this.connections.size === 0) return;
    this.writeAll(this.frameFor(event), event);
  }

  private writeAll(frame: Buffer, event: FeedEvent | null): void {
    for (const connection of this.connections) {
      if (event === null) {
        // A heartbeat also finds the clients that stopped reading while nothing happened.
        if (connection.queue === null) this.write(connection, frame);
      } else if (connection.queue !== null) {
        // Catching up more slowly than events come: it reconnects and resumes instead.
        if (connection.queue.length >= this.replayLimit) this.drop(connection);
        else connection.queue.push({ event, frame });
      } else {
        this.send(connection, event, frame);
      }
    }
  }

  private send(connection: Connection, event: FeedEvent, frame: Buffer): void {
    connection.lastId = event.id;
    if (connection.visible && !connection.visible(event)) return;
    this.write(connection, frame);
  }

  private drop(connection: Connection): void {
    this.counters.dropped += 1;
    this.connections.delete(connection);
    connection.res.destroy();
  }

  private write(connection: Connection, bytes: Buffer): void {
    const { res } = connection;
    if (res.destroyed || res.writableEnded) {
      this.connections.delete(connection);
      return;
    }
    if (res.writableLength + bytes.length > this.maxBufferedBytes) {
      // It has not read what it was sent: drop it rather than hold more for it.
      this.drop(connection);
      return;
    }
    res.write(bytes);
    this.counters.bytesWritten += bytes.length;
  }
}
