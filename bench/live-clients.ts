import { request, Agent, type IncomingMessage } from 'node:http';

// Headless desks for `npm run bench:live`: each holds one real SSE connection to the
// server (its own socket, as a browser tab has), and notes when each call event arrives.
// Kept as light as the load generator can be, since it shares the machine with the server:
// a chunk is searched for the `updated_at` of each call it carries, nothing more is parsed.

export interface HeadlessDesks {
  /** Connections the server has answered with an event stream. */
  connected(): number;
  /** Latencies (ms) from each event's updated_at to its arrival, at every desk, since the last take. */
  takeLatencies(): number[];
  /** Events received in all, since start. */
  received(): number;
  close(): void;
}

export interface HeadlessDesksOptions {
  url: string;
  count: number;
  headers?: Record<string, string>;
  /** Opened this many at a time (the server's accept queue is finite). */
  concurrency?: number;
}

const MARK = '"updated_at":"';

export async function openHeadlessDesks(options: HeadlessDesksOptions): Promise<HeadlessDesks> {
  const url = new URL(options.url);
  // One socket per desk, never pooled: every desk is its own connection to the server.
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const responses: IncomingMessage[] = [];
  let latencies: number[] = [];
  let received = 0;
  let open = 0;
  let closing = false;

  const connectOne = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: `${url.pathname}${url.search}`,
          agent,
          headers: { accept: 'text/event-stream', ...options.headers },
        },
        (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            reject(new Error(`stream answered ${res.statusCode}`));
            return;
          }
          responses.push(res);
          open += 1;
          res.setEncoding('utf8');
          let carry = '';
          res.on('data', (chunk: string) => {
            const now = Date.now();
            const text = carry + chunk;
            let from = 0;
            for (;;) {
              const at = text.indexOf(MARK, from);
              if (at < 0) break;
              const end = text.indexOf('"', at + MARK.length);
              if (end < 0) break;
              const updated = Date.parse(text.slice(at + MARK.length, end));
              if (Number.isFinite(updated)) {
                latencies.push(now - updated);
                received += 1;
              }
              from = end;
            }
            // A mark cut in two by the chunk's end is read with the next one.
            carry = text.slice(Math.max(from, text.length - 64));
          });
          res.on('close', () => {
            open -= 1;
            if (!closing) console.error('[bench] a headless desk was disconnected');
          });
          resolve();
        },
      );
      req.on('error', reject);
      req.end();
    });

  const concurrency = options.concurrency ?? 100;
  for (let i = 0; i < options.count; i += concurrency) {
    const batch = Math.min(concurrency, options.count - i);
    await Promise.all(Array.from({ length: batch }, connectOne));
  }

  return {
    connected: () => open,
    takeLatencies() {
      const taken = latencies;
      latencies = [];
      return taken;
    },
    received: () => received,
    close() {
      closing = true;
      for (const res of responses) res.destroy();
      agent.destroy();
    },
  };
}
