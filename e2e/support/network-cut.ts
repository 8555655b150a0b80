import { createServer, connect, type Server, type Socket } from 'node:net';

// A stretch of network between the browser and a server that a test can cut: every byte
// is passed on as it is (TCP, so the browser's Host and Origin reach the server unchanged),
// and `cut()` drops every connection and refuses new ones until `restore()`, as a Wi-Fi
// that goes away does. Chromium's offline emulation cannot do this: it leaves a stream that
// is already open running.

export interface NetworkCut {
  port: number;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startNetworkCut(listenPort: number, targetPort: number): Promise<NetworkCut> {
  const sockets = new Set<Socket>();
  let down = false;
  const server: Server = createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = connect({ host: '127.0.0.1', port: targetPort });
    sockets.add(client);
    sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, '127.0.0.1', () => resolve());
  });
  return {
    port: listenPort,
    cut() {
      down = true;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
    restore() {
      down = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
