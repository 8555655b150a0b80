import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabaseAt, dropDatabaseAt } from '../../src/server/test/postgres-cluster.ts';
import {
  MULTI_CLIENT,
  MULTI_ORIGIN,
  MULTI_PORTS,
  MULTI_TENANT_ORIGIN,
  POSTGRES_ADMIN_URL,
  SESSION_EVENTS,
} from './ports.ts';

// Several desk servers as a contact center runs them: an emulator as "the tenant", two desk
// servers fronting it that share one PostgreSQL database, and HAProxy in front of both
// (round robin, no sticky sessions, health checks), all real processes that a test may
// kill -9 and start again. HAProxy names the server of each answer (X-Switchboard-Server)
// and takes orders on its admin socket, so a test can say which server a request reached
// or send everything to one for a while. The tenant's session events (its webhook) reach
// the desk servers through the balancer too, but always desk server a: a desk served by b
// then hears of them only through a.

export type DeskName = 'a' | 'b';
const DESK_NAMES: readonly DeskName[] = ['a', 'b'];

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
  output: () => string;
}

/** The header HAProxy adds to every answer: which desk server gave it. */
export const SERVED_BY = 'x-switchboard-server';

function start(command: string, args: string[], env: NodeJS.ProcessEnv): Running {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-8000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, exited, output: () => output };
}

async function waitUntilHealthy(url: string, running: Running, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (running.child.exitCode !== null || running.child.signalCode !== null) {
      throw new Error(`${what} exited: ${running.output()}`);
    }
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${what} did not start: ${running.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const serverEnv = (dataDir: string, env: Record<string, string>): NodeJS.ProcessEnv => ({
  ...process.env,
  HOST: '127.0.0.1',
  DATA_DIR: dataDir,
  LOG_LEVEL: 'warn',
  EMULATOR_AUTOPLAY: '0',
  ...env,
});

function haproxyConfig(dir: string): string {
  return `global
  stats socket ${join(dir, 'admin.sock')} mode 600 level admin
  maxconn 4000

defaults
  mode http
  timeout connect 2s
  timeout client 2m
  timeout server 2m
  timeout http-keep-alive 10s
  # A server that does not take the connection (killed, restarting): the request goes to
  # another. Only a connection that failed is retried, so a request is never sent twice.
  retries 3
  option redispatch 1
  retry-on conn-failure
  # Each request opens its own connection to a server: none is sent on one a killed server
  # left behind.
  http-reuse never

frontend desk
  bind 127.0.0.1:${MULTI_PORTS.balancer}
  use_backend webhooks if { path_beg /webhooks/ }
  default_backend desks

backend webhooks
  server a 127.0.0.1:${MULTI_PORTS.deskA}

backend desks
  balance roundrobin
  option httpchk GET /healthz
  default-server inter 500ms fastinter 250ms downinter 500ms fall 2 rise 1
  http-response set-header X-Switchboard-Server %s
  server a 127.0.0.1:${MULTI_PORTS.deskA} check
  server b 127.0.0.1:${MULTI_PORTS.deskB} check
`;
}

/**
 * Between the desk servers and the tenant: passes every request on as it came and keeps
 * the status of every answer the tenant gave them.
 */
async function startCountingProxy(target: string, port: number) {
  const upstream = new URL(target);
  const statuses: number[] = [];
  const server: Server = createServer((req, res) => {
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        statuses.push(answer.statusCode ?? 0);
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
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const address = server.address();
  return {
    statuses,
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Fleet {
  /** The status of every answer the tenant gave the desk servers, in order. */
  tenantAnswers: number[];
  /** Kills the desk server at once (SIGKILL: no goodbye to anybody). */
  kill(name: DeskName): Promise<void>;
  /** Starts it again on the same port and database. */
  restart(name: DeskName): Promise<void>;
  /** Sends every new request to this desk server (the other is in maintenance), or to both again. */
  only(name: DeskName | null): Promise<void>;
  /** Whether the balancer sees the server up (its health checks). */
  balancerState(name: DeskName): Promise<string>;
  databaseUrl: string;
  close(): Promise<void>;
}

export async function startFleet(extraEnv: Record<string, string> = {}): Promise<Fleet> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-fleet-'));
  const databaseUrl = await createDatabaseAt(POSTGRES_ADMIN_URL);
  const processes = new Map<string, Running>();
  const counter = await startCountingProxy(MULTI_TENANT_ORIGIN, MULTI_PORTS.counter);
  // Should the test process end without closing the fleet, nothing stays behind it.
  const onExit = () => {
    for (const running of processes.values()) running.child.kill('SIGKILL');
  };
  process.once('exit', onExit);

  const node = (name: string, env: Record<string, string>) => {
    const running = start(
      process.execPath,
      ['--import', 'tsx', 'src/server/main.ts'],
      serverEnv(join(dir, name), env),
    );
    processes.set(name, running);
    return running;
  };

  const deskEnv = (port: number): Record<string, string> => ({
    PORT: String(port),
    PUBLIC_URL: MULTI_ORIGIN,
    DATABASE_URL: databaseUrl,
    UPSTREAM_URL: counter.url,
    UPSTREAM_SUBDOMAIN: 'somedomain',
    UPSTREAM_TOKEN: 'local-dev-token',
    UPSTREAM_ALLOW_HTTP: '1',
    UPSTREAM_BUDGET_PER_SECOND: '8',
    UPSTREAM_TIMEOUT_MS: '1500',
    OIDC_ISSUER: `${MULTI_TENANT_ORIGIN}/dev-idp`,
    OIDC_CLIENT_ID: MULTI_CLIENT.id,
    OIDC_CLIENT_SECRET: MULTI_CLIENT.secret,
    SESSION_EVENTS_USER: SESSION_EVENTS.user,
    SESSION_EVENTS_PASSWORD: SESSION_EVENTS.password,
    ...extraEnv,
  });
  const deskPort = (name: DeskName) => (name === 'a' ? MULTI_PORTS.deskA : MULTI_PORTS.deskB);
  const startDesk = async (name: DeskName) => {
    const running = node(`desk-${name}`, deskEnv(deskPort(name)));
    await waitUntilHealthy(`http://127.0.0.1:${deskPort(name)}/healthz`, running, `desk ${name}`);
  };

  const admin = (command: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(join(dir, 'admin.sock'));
      let answer = '';
      socket.on('data', (d) => (answer += d));
      socket.on('end', () => resolve(answer));
      socket.on('error', reject);
      socket.end(`${command}\n`);
    });

  const close = async () => {
    for (const running of processes.values()) {
      running.child.kill('SIGTERM');
      await running.exited;
    }
    processes.clear();
    process.off('exit', onExit);
    await counter.close();
    await dropDatabaseAt(POSTGRES_ADMIN_URL, databaseUrl).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const tenant = node('tenant', {
      PORT: String(MULTI_PORTS.tenant),
      RATE_LIMIT_PER_SECOND: '10',
      DEV_IDP_CLIENTS: `${MULTI_CLIENT.id}:${MULTI_CLIENT.secret}:${MULTI_ORIGIN}/desk/auth/callback`,
      EMULATOR_SESSION_EVENTS_URL: `${MULTI_ORIGIN}/webhooks/session-events`,
      EMULATOR_SESSION_EVENTS_USER: SESSION_EVENTS.user,
      EMULATOR_SESSION_EVENTS_PASSWORD: SESSION_EVENTS.password,
      ...extraEnv,
    });
    await waitUntilHealthy(`${MULTI_TENANT_ORIGIN}/healthz`, tenant, 'the tenant');
    // One after the other: the second finds the schema the first made.
    for (const name of DESK_NAMES) await startDesk(name);
    writeFileSync(join(dir, 'haproxy.cfg'), haproxyConfig(dir));
    const balancer = start('haproxy', ['-db', '-f', join(dir, 'haproxy.cfg')], process.env);
    processes.set('balancer', balancer);
    await waitUntilHealthy(`${MULTI_ORIGIN}/healthz`, balancer, 'HAProxy');
  } catch (error) {
    await close();
    throw error;
  }

  const balancerState = async (name: DeskName) => {
    const csv = await admin('show stat');
    const row = csv.split('\n').find((line) => line.startsWith(`desks,${name},`));
    return row?.split(',')[17] ?? 'unknown';
  };

  return {
    tenantAnswers: counter.statuses,
    databaseUrl,
    async kill(name) {
      const running = processes.get(`desk-${name}`);
      if (!running) return;
      running.child.kill('SIGKILL');
      await running.exited;
      processes.delete(`desk-${name}`);
    },
    async restart(name) {
      await startDesk(name);
    },
    async only(name) {
      for (const other of DESK_NAMES) {
        const state = name === null || other === name ? 'ready' : 'maint';
        await admin(`set server desks/${other} state ${state}`);
      }
    },
    balancerState,
    close,
  };
}
