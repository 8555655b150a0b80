import { createServer, request, type Server } from 'node:http';

// The counting proxy between the fronting server and the emulator that plays its tenant:
// it passes every request on unchanged and counts them per second, so the benchmark can
// say what the tenant sees, whatever the desks do.

export interface CountingProxy {
  url: string;
  /** Requests started in each whole second since `reset` (oldest first). */
  perSecond(): number[];
  /** Requests by method and path (query left out), since `reset`. */
  byRoute(): Record<string, number>;
  reset(): void;
  close(): Promise<void>;
}

export async function startCountingProxy(target: string, port = 0): Promise<CountingProxy> {
  const upstream = new URL(target);
  let started = Date.now();
  let seconds: number[] = [];
  let routes: Record<string, number> = {};
  const server: Server = createServer((req, res) => {
    const second = Math.floor((Date.now() - started) / 1000);
    while (seconds.length <= second) seconds.push(0);
    seconds[second]! += 1;
    const route = `${req.method} ${(req.url ?? '').split('?')[0]!.replace(/\/\d+(?=\/|$)/g, '/:id')}`;
    routes[route] = (routes[route] ?? 0) + 1;
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actual}`,
    perSecond: () => {
      // The second under way is not whole yet.
      const whole = Math.floor((Date.now() - started) / 1000);
      return seconds.slice(0, whole).concat(Array(Math.max(0, whole - seconds.length)).fill(0));
    },
    byRoute: () => ({ ...routes }),
    reset() {
      started = Date.now();
      seconds = [];
      routes = {};
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
