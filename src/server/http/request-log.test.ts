import { beforeAll, describe, expect, it } from 'vitest';
import { configDefaults } from '../config.ts';
import { inboundBody } from '../test/api-helpers.ts';
import { deskHeaders, signIn } from '../test/sign-in.ts';
import { FIXTURE_AUTH, startTestServer, useTestServer } from '../test/test-server.ts';
import { loggableUrl, loggerOptions } from './request-log.ts';

// What an operator reads: the server's own log lines, captured from a real server's logger
// as it answers real HTTP requests.

interface Line {
  level: number;
  msg: string;
  method?: string;
  url?: string;
  statusCode?: number;
  ms?: number;
}

function capture() {
  const raw: string[] = [];
  return {
    stream: { write: (line: string) => void raw.push(line) },
    text: () => raw.join(''),
    lines: () => raw.map((l) => JSON.parse(l) as Line),
    requests: () => raw.map((l) => JSON.parse(l) as Line).filter((l) => l.msg === 'request'),
    clear: () => void raw.splice(0),
  };
}

const INFO = 30;
const DEBUG = 20;
const PHONE = '+1 859-657-9625';

describe('loggableUrl', () => {
  it('masks phone numbers in the list query, encoded or not, to their last two digits', () => {
    for (const url of [
      `/apps/api/v1/calls?end_user_number=${encodeURIComponent(PHONE)}&per=10`,
      '/apps/api/v1/calls?end_user_number=%2B18596579625&per=10',
      '/apps/api/v1/calls?end_user_number=+1%20859%20657%209625&per=10',
      '/desk/api/apps/api/v1/calls?outbound_number=8596579625&per=10',
    ]) {
      const logged = new URL(loggableUrl(url), 'http://x').searchParams;
      const number = logged.get('end_user_number') ?? logged.get('outbound_number')!;
      expect(number.replace(/\D/g, ''), number).toBe('25');
      expect(logged.get('per')).toBe('10');
    }
  });

  it('keeps what is no phone number (ids, dates), and drops secrets whole', () => {
    expect(loggableUrl('/apps/api/v1/calls/123?created_at[from]=2026-01-01T00:00:00Z')).toBe(
      '/apps/api/v1/calls/123?created_at%5Bfrom%5D=2026-01-01T00%3A00%3A00Z',
    );
    expect(loggableUrl('/desk/auth/callback?code=abc123secret&state=xyz789')).toBe(
      '/desk/auth/callback?code=%5Bredacted%5D&state=%5Bredacted%5D',
    );
  });
});

describe('loggerOptions', () => {
  it('pretty only in development, JSON lines otherwise', () => {
    const config = configDefaults();
    expect(loggerOptions(config, { NODE_ENV: 'development' })).toMatchObject({
      transport: { target: 'pino-pretty' },
    });
    for (const NODE_ENV of ['production', undefined, 'test']) {
      expect(loggerOptions(config, { NODE_ENV })).not.toHaveProperty('transport');
    }
  });
});

describe('the log of a running server, at info', () => {
  const log = capture();
  const server = useTestServer({ LOG_LEVEL: 'info' }, { logStream: log.stream });
  let secret: string;
  let DESK: Record<string, string>;
  beforeAll(async () => {
    secret = (await signIn(server.baseUrl, 'admin@somedomain.com')).secret;
    DESK = deskHeaders(secret);
  });

  it('an open desk polling and a health check write nothing', async () => {
    log.clear();
    for (let i = 0; i < 10; i++) {
      const [list, health] = await Promise.all([
        server.request('GET', '/desk/api/apps/api/v1/calls?per=25', { headers: DESK }),
        server.request('GET', '/healthz'),
      ]);
      expect([list.status, health.status]).toEqual([200, 200]);
    }
    expect(log.lines().filter((l) => l.level >= INFO)).toEqual([]);
  });

  it('what an agent does at the desk is one line, not two (the in-process forward is not)', async () => {
    log.clear();
    const created = await server.request('POST', '/desk/api/apps/api/v1/calls', {
      headers: DESK,
      body: inboundBody(),
    });
    expect(created.status).toBe(201);
    const lines = log.lines().filter((l) => l.level >= INFO);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: 'request',
      method: 'POST',
      url: '/desk/api/apps/api/v1/calls',
      statusCode: 201,
    });
    expect(typeof lines[0]!.ms).toBe('number');
  });

  it('a request to the API is one line, with the phone number masked and no credentials', async () => {
    log.clear();
    const listed = await server.request(
      'GET',
      `/apps/api/v1/calls?end_user_number=${encodeURIComponent(PHONE)}`,
    );
    expect(listed.status).toBe(200);
    const refused = await server.request('GET', '/apps/api/v1/calls', {
      headers: {
        authorization: `Basic ${Buffer.from('somedomain:a-wrong-token').toString('base64')}`,
      },
    });
    expect(refused.status).toBe(401);
    expect(log.requests().map((l) => [l.method, l.url, l.statusCode])).toEqual([
      ['GET', '/apps/api/v1/calls?end_user_number=%2B*+***-***-**25', 200],
      ['GET', '/apps/api/v1/calls', 401],
    ]);
    const text = log.text();
    for (const hidden of [
      '859',
      '8596579625',
      'local-dev-token',
      'a-wrong-token',
      FIXTURE_AUTH.slice(6),
      'authorization',
      secret,
    ]) {
      expect(text).not.toContain(hidden);
    }
  });
});

describe('the log of a running server, at debug', () => {
  it('has the desk polls and the in-process forwards, still masked', async () => {
    const log = capture();
    const server = await startTestServer({ LOG_LEVEL: 'debug' }, { logStream: log.stream });
    try {
      const session = (await signIn(server.baseUrl, 'admin@somedomain.com')).secret;
      const DESK = deskHeaders(session);
      log.clear();
      await server.request(
        'GET',
        `/desk/api/apps/api/v1/calls?end_user_number=${encodeURIComponent(PHONE)}`,
        { headers: DESK },
      );
      const polls = log.requests().filter((l) => l.level === DEBUG);
      expect(polls.map((l) => l.url)).toEqual([
        // The desk reads the list from the Manager API, in-process.
        '/manager/api/v1/calls?end_user_number=%2B*+***-***-**25',
        '/desk/api/apps/api/v1/calls?end_user_number=%2B*+***-***-**25',
      ]);
      expect(log.text()).not.toContain('859');
    } finally {
      await server.close();
    }
  });
});
