import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCall, postCall, scheduledBody, type Json } from '../test/api-helpers.ts';
import {
  startTestServer,
  tempDataDir,
  type RawResponse,
  type TestServer,
} from '../test/test-server.ts';

// A full disk, for real: a write SQLite cannot store is answered 503 with a message that
// says storage is full (never a generic 500), changes nothing, and /healthz says so.
// Storage fills two ways here: the database reaching its DATA_MAX_MB cap (SQLite's
// max_page_count, the same SQLITE_FULL a full disk raises), and, where the test may mount
// one (root), a tiny tmpfs that runs out of space under the database.

const FULL = { message: 'Storage is full: the change was not saved' };
const START = Date.parse('2030-01-01T00:00:00.000Z');
const HOUR = 3_600_000;

/** Creates scheduled calls (due an hour from START) until storage refuses one. */
async function fill(server: TestServer): Promise<{ created: number[]; refused: RawResponse }> {
  const created: number[] = [];
  for (let i = 0; i < 20_000; i++) {
    const answer = await postCall(
      server,
      scheduledBody({
        scheduled_at: new Date(START + HOUR + i * 1000).toISOString(),
        end_user_number: `+1 415-555-${String(i % 10_000).padStart(4, '0')}`,
      }),
    );
    if (answer.status !== 201) return { created, refused: answer };
    created.push((answer.body as Json).id as number);
  }
  throw new Error('storage never filled up');
}

describe('the database at its size cap (DATA_MAX_MB)', () => {
  const dataDir = tempDataDir();
  let server: TestServer;
  let created: number[];
  let startedAt: number;

  beforeAll(async () => {
    server = await startTestServer({ DATA_DIR: dataDir, DATA_MAX_MB: 0.25 });
    startedAt = Date.now();
    expect(
      (
        await server.request('POST', '/emulator/clock', {
          body: { now: new Date(START).toISOString() },
        })
      ).status,
    ).toBe(200);
    const filled = await fill(server);
    created = filled.created;
    expect({ status: filled.refused.status, body: filled.refused.body }).toEqual({
      status: 503,
      body: FULL,
    });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stored every call it acknowledged, and not the one it refused', async () => {
    expect(created.length).toBeGreaterThan(10);
    const list = await server.request('GET', '/apps/api/v1/calls?per=1');
    expect(list.status).toBe(200);
    expect(Number(list.headers.get('total'))).toBe(created.length);
    expect((await getCall(server, created.at(-1)!)).status).toBe(200);
  });

  it('/healthz says storage is full', async () => {
    const health = await server.request('GET', '/healthz');
    expect({ status: health.status, body: health.body }).toEqual({
      status: 503,
      body: { status: 'storage full', ...FULL },
    });
  });

  it('a clock move whose due calls cannot be stored is refused, and the clock stays', async () => {
    const moved = await server.request('POST', '/emulator/clock', {
      body: { advance_ms: 2 * HOUR },
    });
    expect({ status: moved.status, body: moved.body }).toEqual({ status: 503, body: FULL });
    // advance_ms 0 stores nothing new: it says where the clock is.
    const clock = await server.request('POST', '/emulator/clock', { body: { advance_ms: 0 } });
    expect(clock.status).toBe(200);
    const now = Date.parse((clock.body as { now: string }).now);
    expect(now).toBeGreaterThanOrEqual(START);
    expect(now).toBeLessThanOrEqual(START + (Date.now() - startedAt) + 1000);
    expect(((await getCall(server, created[0]!)).body as Json).status).toBe('scheduled');
  });

  it('with room again (the cap lifted), everything goes on from where it was', async () => {
    await server.close();
    server = await startTestServer({ DATA_DIR: dataDir });
    expect((await server.request('GET', '/healthz')).status).toBe(200);
    const moved = await server.request('POST', '/emulator/clock', {
      body: { advance_ms: 2 * HOUR },
    });
    expect(moved.status).toBe(200);
    expect(((await getCall(server, created[0]!)).body as Json).status).toBe('queued');
    expect((await postCall(server, scheduledBody())).status).toBe(201);
  });
});

/** A tmpfs of `size` at a new directory, or undefined where mounting is not allowed. */
function mountTmpfs(size: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

const tmpfs = mountTmpfs('1536k');

describe.skipIf(!tmpfs)('a filesystem that runs out of space (tmpfs, needs root)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ DATA_DIR: join(tmpfs!, 'data') });
  });
  afterAll(async () => {
    await server?.close();
    execFileSync('umount', [tmpfs!]);
    rmSync(tmpfs!, { recursive: true, force: true });
  });

  it('refuses the write that does not fit with 503, keeps what it acknowledged, says so on /healthz', async () => {
    const { created, refused } = await fill(server);
    expect({ status: refused.status, body: refused.body }).toEqual({ status: 503, body: FULL });
    expect(created.length).toBeGreaterThan(10);
    const list = await server.request('GET', '/apps/api/v1/calls?per=1');
    expect(Number(list.headers.get('total'))).toBe(created.length);
    const health = await server.request('GET', '/healthz');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject(FULL);
  });
});
