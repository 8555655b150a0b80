import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESK_POSTGRES_MIGRATIONS } from '../desk/store/postgres/desk-schema.ts';
import { testDatabase, type TestDatabase } from '../test/test-database.ts';
import { LOCK_CLASS, openPostgres, type Postgres } from './postgres.ts';
import { holdLeadership } from './postgres-leadership.ts';
import { listen } from './postgres-notifications.ts';

// How servers sharing one database agree: one of them holds a job (an advisory lock) and
// another takes it when it goes; what one says (NOTIFY) the others hear, also after their
// connection broke. A connection dying is played by the database ending it
// (pg_terminate_backend), as it does when the process on the other end is killed.

let database: TestDatabase;
const opened: Postgres[] = [];
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(async () => {
  for (const db of opened) await db.close();
  await database?.drop();
});

async function server(): Promise<Postgres> {
  const db = await openPostgres({ url: database.url, migrationsDir: DESK_POSTGRES_MIGRATIONS });
  opened.push(db);
  return db;
}

const TEST_LOCK = 99; // not one of LOCKS: the servers of other tests never take it

async function lockHolderPid(db: Postgres): Promise<number | undefined> {
  const { rows } = await db.pool.query<{ pid: number }>(
    `SELECT pid FROM pg_locks
     WHERE locktype = 'advisory' AND classid = $1 AND objid = $2 AND granted
       AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [LOCK_CLASS, TEST_LOCK],
  );
  return rows[0]?.pid;
}

describe('leadership: one server at a time', () => {
  it('one of two holds the lock; when its connection dies, the other takes over', async () => {
    const [a, b] = [await server(), await server()];
    const changes: string[] = [];
    const one = holdLeadership(a, {
      lock: TEST_LOCK,
      retryMs: 100,
      onChange: (leader) => changes.push(`one ${leader}`),
    });
    await expect.poll(() => one.leader).toBe(true);
    const two = holdLeadership(b, {
      lock: TEST_LOCK,
      retryMs: 100,
      onChange: (leader) => changes.push(`two ${leader}`),
    });
    // The second has asked (its connection's last statement) and was refused.
    const holder = await lockHolderPid(a);
    await expect
      .poll(async () => {
        const { rows } = await a.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND pid <> $1
             AND query LIKE 'SELECT pg_try_advisory_lock%'`,
          [holder],
        );
        return rows[0]!.n;
      })
      .toBe(1);
    expect([one.leader, two.leader]).toEqual([true, false]);

    // The holder's connection ends (as when its process is killed): it knows it lost the
    // lock, and again exactly one holds it (either: the first is alive and asks again).
    await a.pool.query('SELECT pg_terminate_backend($1)', [holder]);
    await expect.poll(() => changes.includes('one false')).toBe(true);
    await expect.poll(() => [one.leader, two.leader].filter(Boolean).length).toBe(1);
    await expect.poll(async () => (await lockHolderPid(a)) !== undefined).toBe(true);

    // The holder goes away: the other takes over.
    const [gone, stays] = one.leader ? [one, two] : [two, one];
    await gone.close();
    await expect.poll(() => stays.leader).toBe(true);
    await stays.close();
    expect(await lockHolderPid(a)).toBeUndefined();
  });
});

describe('notifications between servers', () => {
  it('what one server says, every server hears; a listener that lost its connection listens again', async () => {
    const [a, b] = [await server(), await server()];
    const heardA: string[] = [];
    const heardB: string[] = [];
    let listeningB = 0;
    const na = listen(a, {
      channels: ['test_feed'],
      onNotify: (_channel, payload) => heardA.push(payload),
    });
    const nb = listen(b, {
      channels: ['test_feed'],
      onNotify: (_channel, payload) => heardB.push(payload),
      onListening: () => listeningB++,
    });
    await Promise.all([na.ready, nb.ready]);
    await na.notify('test_feed', '1');
    await expect.poll(() => heardB).toEqual(['1']);
    await expect.poll(() => heardA).toEqual(['1']);

    // B's listening connection ends: it comes back by itself and is told it missed things.
    const { rows } = await a.pool.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity
       WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`,
    );
    expect(rows.length).toBe(2);
    for (const row of rows) await a.pool.query('SELECT pg_terminate_backend($1)', [row.pid]);
    await expect.poll(() => listeningB).toBe(2);
    await na.notify('test_feed', '2');
    await expect.poll(() => heardB).toEqual(['1', '2']);
    await na.close();
    await nb.close();
  });
});
