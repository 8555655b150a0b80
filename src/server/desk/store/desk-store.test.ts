import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../db/postgres.ts';
import { testDatabase } from '../../test/test-database.ts';
import type {
  DeskStore,
  Handoff,
  LoginRequest,
  NewAuditEntry,
  PendingCreate,
  SessionRecord,
} from './desk-store.ts';
import { DESK_POSTGRES_MIGRATIONS } from './postgres/desk-schema.ts';
import { postgresDeskStore } from './postgres-desk-store.ts';
import { openSqliteDeskStore } from './sqlite-desk-store.ts';

// One suite, two implementations: the SQLite file one server keeps, and the PostgreSQL
// database several servers share. Each is opened twice on the same data, as two servers
// (or a restarted one) would: what one handle wrote, the other reads.

interface Backend {
  /** Two stores on the same data. */
  open(): Promise<{ one: DeskStore; two: DeskStore; close(): Promise<void> }>;
}

const backends: Record<string, Backend> = {
  sqlite: {
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'switchboard-store-'));
      const one = openSqliteDeskStore(dir);
      const two = openSqliteDeskStore(dir);
      return {
        one,
        two,
        async close() {
          await one.close();
          await two.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  postgres: {
    async open() {
      const database = await testDatabase();
      // Two pools, as two servers: both migrate at once, one waits for the other.
      const [a, b] = await Promise.all(
        [1, 2].map(() =>
          openPostgres({ url: database.url, migrationsDir: DESK_POSTGRES_MIGRATIONS }),
        ),
      );
      return {
        one: postgresDeskStore(a!),
        two: postgresDeskStore(b!),
        async close() {
          await a!.close();
          await b!.close();
          await database.drop();
        },
      };
    },
  },
};

const MINUTE = 60_000;
let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}-${Math.random().toString(36).slice(2)}`;

function session(overrides: Partial<SessionRecord> = {}): SessionRecord {
  const now = 1_700_000_000_000;
  return {
    id: unique('session'),
    loginId: unique('login'),
    agent: {
      id: 2,
      email: 'Agent@SomeDomain.com',
      name: 'Avery Agent',
      roles: ['agent'],
      avatar_url: null,
    },
    createdAt: now,
    lastSeenAt: now,
    idleExpiresAt: now + 120 * MINUTE,
    absoluteExpiresAt: now + 720 * MINUTE,
    ...overrides,
  };
}

const audit = (overrides: Partial<NewAuditEntry> = {}): NewAuditEntry => ({
  at: '2024-05-01T10:00:00.123Z',
  agentEmail: 'agent@somedomain.com',
  agentName: 'Avery Agent',
  action: 'customer_flag.update',
  callId: 42,
  before: { vip: false, 'late payer': true },
  after: { vip: true, 'late payer': true },
  ...overrides,
});

describe.each(Object.entries(backends))('the desk store on %s', (_name, backend) => {
  let one: DeskStore;
  let two: DeskStore;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ one, two, close } = await backend.open());
  });
  afterAll(() => close?.());

  describe('sessions', () => {
    it('a session started through one is found through the other, as it was stored', async () => {
      const record = session();
      await one.createSession(record);
      expect(await two.getSession(record.id)).toEqual(record);
      expect(await two.getSession('no-such-session')).toBeUndefined();
    });

    it('a touch pushes the idle expiry back for everyone', async () => {
      const record = session();
      await one.createSession(record);
      await two.touchSession(record.id, record.lastSeenAt + MINUTE, record.idleExpiresAt + MINUTE);
      expect(await one.getSession(record.id)).toMatchObject({
        lastSeenAt: record.lastSeenAt + MINUTE,
        idleExpiresAt: record.idleExpiresAt + MINUTE,
        absoluteExpiresAt: record.absoluteExpiresAt,
      });
    });

    it('ending a sign-in ends every session of it, and answers which', async () => {
      const tab = session();
      const frame = session({ loginId: tab.loginId });
      const other = session();
      for (const r of [tab, frame, other]) await one.createSession(r);
      expect((await two.deleteLogin(tab.loginId)).sort()).toEqual([tab.id, frame.id].sort());
      expect(await one.getSession(tab.id)).toBeUndefined();
      expect(await one.getSession(frame.id)).toBeUndefined();
      expect(await one.getSession(other.id)).toEqual(other);
      expect(await two.deleteLogin(tab.loginId)).toEqual([]);
    });

    it('ending an agent’s sessions: by lower-case e-mail, whatever case the agent had', async () => {
      const email = `${unique('gone')}@SomeDomain.com`;
      const agent = { ...session().agent, email };
      const a = session({ agent });
      const b = session({ agent });
      const kept = session();
      for (const r of [a, b, kept]) await one.createSession(r);
      const ended = await two.deleteAgentSessions([email.toLowerCase(), 'nobody@example.com']);
      expect(ended.sort()).toEqual([a.id, b.id].sort());
      expect(await one.getSession(a.id)).toBeUndefined();
      expect(await one.getSession(kept.id)).toEqual(kept);
      expect(await one.deleteAgentSessions([])).toEqual([]);
    });

    it('active agents: once each, lower-case, only while a session has not expired', async () => {
      const email = `${unique('active')}@Example.com`;
      const now = 1_800_000_000_000;
      const agent = { ...session().agent, email };
      await one.createSession(
        session({ agent, idleExpiresAt: now + MINUTE, absoluteExpiresAt: now + 2 * MINUTE }),
      );
      await one.createSession(
        session({ agent, idleExpiresAt: now + MINUTE, absoluteExpiresAt: now + 2 * MINUTE }),
      );
      const idle = `${unique('idle')}@example.com`;
      await one.createSession(
        session({
          agent: { ...agent, email: idle },
          idleExpiresAt: now,
          absoluteExpiresAt: now + MINUTE,
        }),
      );
      const active = await two.activeAgents(now);
      expect(active.filter((e) => e === email.toLowerCase())).toHaveLength(1);
      expect(active).not.toContain(idle);
      expect(await two.activeAgents(now + MINUTE)).not.toContain(email.toLowerCase());
    });

    it('purging forgets what expired, and only that', async () => {
      const now = 1_900_000_000_000;
      const idle = session({ idleExpiresAt: now, absoluteExpiresAt: now + MINUTE });
      const absolute = session({ idleExpiresAt: now + MINUTE, absoluteExpiresAt: now - 1 });
      const live = session({ idleExpiresAt: now + 1, absoluteExpiresAt: now + MINUTE });
      for (const r of [idle, absolute, live]) await one.createSession(r);
      const login = loginRequest({ expiresAt: now });
      const liveLogin = loginRequest({ expiresAt: now + MINUTE });
      await one.putLogin(login);
      await one.putLogin(liveLogin);
      const pendingGone = pending({ checkUntil: now });
      const pendingLive = pending({ checkUntil: now + MINUTE });
      await one.putPendingCreate(pendingGone);
      await one.putPendingCreate(pendingLive);
      await two.purgeExpired(now);
      expect(await one.getSession(idle.id)).toBeUndefined();
      expect(await one.getSession(absolute.id)).toBeUndefined();
      expect(await one.getSession(live.id)).toEqual(live);
      expect(await one.takeLogin(login.state, 0)).toBeUndefined();
      expect(await one.takeLogin(liveLogin.state, 0)).toEqual(liveLogin);
      expect(await one.getPendingCreate(pendingGone.id)).toBeUndefined();
      expect(await one.getPendingCreate(pendingLive.id)).toEqual(pendingLive);
    });
  });

  function loginRequest(overrides: Partial<LoginRequest> = {}): LoginRequest {
    return {
      state: unique('state'),
      nonce: unique('nonce'),
      codeVerifier: unique('verifier'),
      redirectUri: 'https://desk.example.com/desk/auth/callback',
      returnTo: '/calls/42?tab=history',
      popup: false,
      expiresAt: 2_000_000_000_000,
      ...overrides,
    };
  }

  describe('sign-ins in progress and hand-overs: each used once', () => {
    it('a sign-in begun through one server finishes through the other, once', async () => {
      const login = loginRequest({ popup: true });
      await one.putLogin(login);
      expect(await two.takeLogin(login.state, login.expiresAt - 1)).toEqual(login);
      expect(await one.takeLogin(login.state, login.expiresAt - 1)).toBeUndefined();
    });

    it('two servers taking the same sign-in at once: exactly one gets it', async () => {
      const login = loginRequest();
      await one.putLogin(login);
      const taken = await Promise.all([
        one.takeLogin(login.state, 0),
        two.takeLogin(login.state, 0),
        one.takeLogin(login.state, 0),
        two.takeLogin(login.state, 0),
      ]);
      expect(taken.filter(Boolean)).toEqual([login]);
    });

    it('an expired sign-in is not answered, and is gone all the same', async () => {
      const login = loginRequest();
      await one.putLogin(login);
      expect(await two.takeLogin(login.state, login.expiresAt)).toBeUndefined();
      expect(await one.takeLogin(login.state, 0)).toBeUndefined();
    });

    it('a hand-over to a frame: taken once, not after it expired', async () => {
      const handoff: Handoff = {
        codeHash: unique('code'),
        loginId: unique('login'),
        agent: session().agent,
        absoluteExpiresAt: 2_000_000_000_000,
        expiresAt: 1_700_000_060_000,
      };
      await one.putHandoff(handoff);
      expect(await two.takeHandoff(handoff.codeHash, handoff.expiresAt - 1)).toEqual(handoff);
      expect(await one.takeHandoff(handoff.codeHash, 0)).toBeUndefined();
      const late = { ...handoff, codeHash: unique('code') };
      await one.putHandoff(late);
      expect(await two.takeHandoff(late.codeHash, late.expiresAt)).toBeUndefined();
    });
  });

  describe('the audit log: one log, whichever server took the write', () => {
    it('entries come back as written, in the order they were taken, filtered by action', async () => {
      const callId = 1000 + counter++;
      const first = await one.appendAudit(audit({ callId }));
      const second = await two.appendAudit(
        audit({ callId, action: 'call.cancel', before: { status: 'scheduled' }, after: null }),
      );
      await one.appendAudit(audit({ callId, action: 'call.event', before: null, after: [1, 2] }));
      await two.appendAudit(audit({ callId: callId + 1 }));
      expect(second.id).toBeGreaterThan(first.id);
      expect(first).toEqual({ ...audit({ callId }), id: first.id });

      const history = await one.auditForCall(callId, ['customer_flag.update', 'call.cancel']);
      expect(history.map((e) => e.action)).toEqual(['customer_flag.update', 'call.cancel']);
      expect(history[1]).toEqual({
        ...audit({ callId, action: 'call.cancel', before: { status: 'scheduled' }, after: null }),
        id: second.id,
      });
      expect((await two.auditForCall(callId, ['call.event']))[0]!.after).toEqual([1, 2]);
      expect(await two.auditForCall(callId, [])).toEqual([]);
    });

    it('documents keep their keys’ order, any text and nesting, and undefined as null', async () => {
      const callId = 2000 + counter++;
      const before = { zeta: true, alpha: false, 'naïve "quoted" \\ key': true, '': false };
      const after = {
        nested: [{ deep: [[['x']]] }],
        emoji: '☎️ 📞',
        nul: 'a\u0000b',
        lone: 'x\ud800y',
      };
      await one.appendAudit(audit({ callId, before, after }));
      await one.appendAudit(audit({ callId, before: undefined, after: undefined }));
      const [entry, empty] = await two.auditForCall(callId, ['customer_flag.update']);
      expect(entry!.before).toEqual(before);
      expect(Object.keys(entry!.before as object)).toEqual(Object.keys(before));
      expect(entry!.after).toEqual(after);
      expect(empty).toMatchObject({ before: null, after: null });
    });

    it('entries without a call are kept, and belong to no call’s history', async () => {
      const entry = await one.appendAudit(audit({ callId: null, action: 'call.create' }));
      expect(entry.callId).toBeNull();
    });
  });

  function pending(overrides: Partial<PendingCreate> = {}): PendingCreate {
    return {
      id: unique('pending'),
      agentEmail: 'agent@somedomain.com',
      endUserNumber: '+18596579625',
      ticketId: null,
      startedAt: '2024-05-01T10:00:00.000Z',
      state: 'checking',
      callId: null,
      checkUntil: 2_000_000_000_000,
      ...overrides,
    };
  }

  describe('creates of unknown outcome', () => {
    it('recorded through one server, resolved through the other, seen by both', async () => {
      const agentEmail = `${unique('caller')}@somedomain.com`;
      const created = pending({ agentEmail });
      const other = pending({ agentEmail, ticketId: 'T-1', endUserNumber: null });
      await one.putPendingCreate(created);
      await one.putPendingCreate(other);
      expect(await two.getPendingCreate(created.id)).toEqual(created);
      expect(
        (await two.pendingCreatesOf(agentEmail.toUpperCase())).map((p) => p.id).sort(),
      ).toEqual([created.id, other.id].sort());
      await two.updatePendingCreate(created.id, { state: 'placed', callId: 77 });
      expect(await one.getPendingCreate(created.id)).toEqual({
        ...created,
        state: 'placed',
        callId: 77,
      });
      // Only those still being checked hold the agent back.
      expect((await one.pendingCreatesOf(agentEmail)).map((p) => p.id)).toEqual([other.id]);
      await one.updatePendingCreate(other.id, { state: 'not_placed', callId: null });
      expect(await two.pendingCreatesOf(agentEmail)).toEqual([]);
      await one.updatePendingCreate('no-such-create', { state: 'placed', callId: 1 });
      expect(await one.getPendingCreate('no-such-create')).toBeUndefined();
    });

    it('recording the same create again replaces it', async () => {
      const created = pending();
      await one.putPendingCreate(created);
      await two.putPendingCreate({ ...created, checkUntil: created.checkUntil + 1 });
      expect(await one.getPendingCreate(created.id)).toEqual({
        ...created,
        checkUntil: created.checkUntil + 1,
      });
    });
  });
});
