import { fork, type ChildProcess } from 'node:child_process';
import { request, Agent, type IncomingMessage } from 'node:http';
import { fileURLToPath } from 'node:url';

// Headless desks for `npm run bench:live`: each holds one real SSE connection to the
// server (its own socket, as a browser tab has), and notes when each call event arrives.
// Kept as light as the load generator can be, since it shares the machine with the server:
// a chunk is searched for the `updated_at` of each call it carries, nothing more is parsed.
// The desks live in processes of their own (two by default, one per core), so that the
// benchmark's own event loop (which drives the changes) never delays an arrival.

export interface HeadlessDesks {
  /** Connections the server has answered with an event stream and not closed. */
  connected(): Promise<number>;
  /** Latencies (ms) from each event's updated_at to its arrival, at every desk, since the last take. */
  takeLatencies(): Promise<number[]>;
  close(): Promise<void>;
}

export interface HeadlessDesksOptions {
  url: string;
  count: number;
  headers?: Record<string, string>;
  /** Opened this many at a time (the server's accept queue is finite). */
  concurrency?: number;
  /** Processes the desks are spread over. */
  processes?: number;
}

const MARK = '"updated_at":"';

/** Desks in this process. */
async function openLocalDesks(options: HeadlessDesksOptions): Promise<HeadlessDesks> {
  const url = new URL(options.url);
  // One socket per desk, never pooled: every desk is its own connection to the server.
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const responses: IncomingMessage[] = [];
  let latencies: number[] = [];
  let open = 0;

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
              if (Number.isFinite(updated)) latencies.push(now - updated);
              from = end;
            }
            // A mark cut in two by the chunk's end is read with the next one.
            carry = text.slice(Math.max(from, text.length - 64));
          });
          res.on('close', () => {
            open -= 1;
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
    connected: async () => open,
    async takeLatencies() {
      const taken = latencies;
      latencies = [];
      return taken;
    },
    async close() {
      for (const res of responses) res.destroy();
      agent.destroy();
    },
  };
}

type Command =
  | { kind: 'open'; options: HeadlessDesksOptions }
  | { kind: 'connected' }
  | { kind: 'take' }
  | { kind: 'close' };
type Answer = { ok: true; value: unknown } | { ok: false; message: string };

/** Desks spread over child processes (each with its own event loop and share of the desks). */
export async function openHeadlessDesks(options: HeadlessDesksOptions): Promise<HeadlessDesks> {
  const processes = Math.max(1, Math.min(options.processes ?? 2, options.count));
  const script = fileURLToPath(import.meta.url);
  const children: ChildProcess[] = [];
  const ask = <T>(child: ChildProcess, command: Command) =>
    new Promise<T>((resolve, reject) => {
      child.once('message', (answer: Answer) =>
        answer.ok ? resolve(answer.value as T) : reject(new Error(answer.message)),
      );
      child.send(command);
    });
  const askAll = <T>(command: Command) => Promise.all(children.map((c) => ask<T>(c, command)));
  for (let i = 0; i < processes; i++) {
    const share = Math.floor(options.count / processes) + (i < options.count % processes ? 1 : 0);
    const child = fork(script, ['desks'], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(child);
    await ask(child, { kind: 'open', options: { ...options, count: share } });
  }
  return {
    connected: async () => (await askAll<number>({ kind: 'connected' })).reduce((a, b) => a + b, 0),
    takeLatencies: async () => (await askAll<number[]>({ kind: 'take' })).flat(),
    async close() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              child.once('exit', () => resolve());
              child.send({ kind: 'close' } satisfies Command);
            }),
        ),
      );
    },
  };
}

if (process.argv[2] === 'desks' && process.send) {
  let desks: HeadlessDesks | null = null;
  const reply = (answer: Answer) => process.send!(answer);
  process.on('message', (command: Command) => {
    void (async () => {
      try {
        switch (command.kind) {
          case 'open':
            desks = await openLocalDesks(command.options);
            return reply({ ok: true, value: null });
          case 'connected':
            return reply({ ok: true, value: (await desks?.connected()) ?? 0 });
          case 'take':
            return reply({ ok: true, value: (await desks?.takeLatencies()) ?? [] });
          case 'close':
            await desks?.close();
            process.exit(0);
        }
      } catch (error) {
        reply({ ok: false, message: (error as Error).message });
      }
    })();
  });
}
