import { join } from 'node:path';
import { openDatabase, type Db } from '../../db/database.ts';
import type {
  AuditAction,
  AuditEntry,
  DeskStore,
  Handoff,
  LoginRequest,
  NewAuditEntry,
  PendingCreate,
  SessionRecord,
} from './desk-store.ts';

// The desk's state in its own SQLite file beside the emulator's (`DATA_DIR/desk.sqlite`):
// one server on one machine. Several servers share a PostgreSQL database instead.

interface SessionRow {
  id: string;
  login_id: string;
  agent: string;
  created_at: number;
  last_seen_at: number;
  idle_expires_at: number;
  absolute_expires_at: number;
}

interface AuditRow {
  id: number;
  at: string;
  agent_email: string;
  agent_name: string;
  action: AuditAction;
  call_id: number | null;
  before: string | null;
  after: string | null;
}

const toSession = (row: SessionRow): SessionRecord => ({
  id: row.id,
  loginId: row.login_id,
  agent: JSON.parse(row.agent) as SessionRecord['agent'],
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  idleExpiresAt: row.idle_expires_at,
  absoluteExpiresAt: row.absolute_expires_at,
});

const toAudit = (row: AuditRow): AuditEntry => ({
  id: row.id,
  at: row.at,
  agentEmail: row.agent_email,
  agentName: row.agent_name,
  action: row.action,
  callId: row.call_id,
  before: row.before === null ? null : JSON.parse(row.before),
  after: row.after === null ? null : JSON.parse(row.after),
});

export function openSqliteDeskStore(dataDir: string): DeskStore {
  const db: Db = openDatabase(dataDir, {
    file: 'desk.sqlite',
    migrationsDir: join(import.meta.dirname, 'migrations'),
  });
  const s = {
    insertSession: db.prepare(
      `INSERT INTO sessions (id, login_id, agent_email, agent, created_at, last_seen_at,
         idle_expires_at, absolute_expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    getSession: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ?'),
    touchSession: db.prepare(
      'UPDATE sessions SET last_seen_at = ?, idle_expires_at = ? WHERE id = ?',
    ),
    loginSessions: db.prepare<[string], { id: string }>(
      'SELECT id FROM sessions WHERE login_id = ?',
    ),
    deleteLogin: db.prepare('DELETE FROM sessions WHERE login_id = ?'),
    agentSessions: db.prepare<[string], { id: string }>(
      'SELECT id FROM sessions WHERE agent_email = ?',
    ),
    deleteAgent: db.prepare('DELETE FROM sessions WHERE agent_email = ?'),
    activeAgents: db.prepare<[number, number], { agent_email: string }>(
      `SELECT DISTINCT agent_email FROM sessions
       WHERE idle_expires_at > ? AND absolute_expires_at > ?`,
    ),
    purgeSessions: db.prepare(
      'DELETE FROM sessions WHERE idle_expires_at <= ? OR absolute_expires_at <= ?',
    ),
    purgeLogins: db.prepare('DELETE FROM login_requests WHERE expires_at <= ?'),
    purgeHandoffs: db.prepare('DELETE FROM handoffs WHERE expires_at <= ?'),
    purgePending: db.prepare('DELETE FROM pending_creates WHERE check_until <= ?'),
    putLogin: db.prepare('INSERT INTO login_requests (state, body, expires_at) VALUES (?, ?, ?)'),
    takeLogin: db.prepare<[string], { body: string; expires_at: number }>(
      'DELETE FROM login_requests WHERE state = ? RETURNING body, expires_at',
    ),
    putHandoff: db.prepare('INSERT INTO handoffs (code_hash, body, expires_at) VALUES (?, ?, ?)'),
    takeHandoff: db.prepare<[string], { body: string; expires_at: number }>(
      'DELETE FROM handoffs WHERE code_hash = ? RETURNING body, expires_at',
    ),
    appendAudit: db.prepare<unknown[], AuditRow>(
      `INSERT INTO audit_log (at, agent_email, agent_name, action, call_id, before, after)
       VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    ),
    auditForCall: db.prepare<[number], AuditRow>(
      'SELECT * FROM audit_log WHERE call_id = ? ORDER BY id',
    ),
    putPending: db.prepare(
      `INSERT INTO pending_creates (id, agent_email, body, check_until) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET body = excluded.body, check_until = excluded.check_until`,
    ),
    getPending: db.prepare<[string], { body: string }>(
      'SELECT body FROM pending_creates WHERE id = ?',
    ),
    pendingOf: db.prepare<[string], { body: string }>(
      'SELECT body FROM pending_creates WHERE agent_email = ?',
    ),
  };

  const sessionIds = (rows: { id: string }[]) => rows.map((r) => r.id);

  return {
    async createSession(session) {
      s.insertSession.run(
        session.id,
        session.loginId,
        session.agent.email.toLowerCase(),
        JSON.stringify(session.agent),
        session.createdAt,
        session.lastSeenAt,
        session.idleExpiresAt,
        session.absoluteExpiresAt,
      );
    },
    async getSession(id) {
      const row = s.getSession.get(id);
      return row ? toSession(row) : undefined;
    },
    async touchSession(id, lastSeenAt, idleExpiresAt) {
      s.touchSession.run(lastSeenAt, idleExpiresAt, id);
    },
    async deleteLogin(loginId) {
      return db.transaction(() => {
        const ids = sessionIds(s.loginSessions.all(loginId));
        s.deleteLogin.run(loginId);
        return ids;
      })();
    },
    async deleteAgentSessions(emails) {
      return db.transaction(() => {
        const ids: string[] = [];
        for (const email of emails) {
          ids.push(...sessionIds(s.agentSessions.all(email)));
          s.deleteAgent.run(email);
        }
        return ids;
      })();
    },
    async activeAgents(now) {
      return s.activeAgents.all(now, now).map((r) => r.agent_email);
    },
    async purgeExpired(now) {
      db.transaction(() => {
        s.purgeSessions.run(now, now);
        s.purgeLogins.run(now);
        s.purgeHandoffs.run(now);
        s.purgePending.run(now);
      })();
    },
    async putLogin(login: LoginRequest) {
      s.putLogin.run(login.state, JSON.stringify(login), login.expiresAt);
    },
    async takeLogin(state, now) {
      const row = s.takeLogin.get(state);
      if (!row || row.expires_at <= now) return undefined;
      return JSON.parse(row.body) as LoginRequest;
    },
    async putHandoff(handoff: Handoff) {
      s.putHandoff.run(handoff.codeHash, JSON.stringify(handoff), handoff.expiresAt);
    },
    async takeHandoff(codeHash, now) {
      const row = s.takeHandoff.get(codeHash);
      if (!row || row.expires_at <= now) return undefined;
      return JSON.parse(row.body) as Handoff;
    },
    async appendAudit(entry: NewAuditEntry) {
      const row = s.appendAudit.get(
        entry.at,
        entry.agentEmail,
        entry.agentName,
        entry.action,
        entry.callId,
        entry.before === undefined ? null : JSON.stringify(entry.before),
        entry.after === undefined ? null : JSON.stringify(entry.after),
      )!;
      return toAudit(row);
    },
    async auditForCall(callId, actions) {
      return s.auditForCall
        .all(callId)
        .map(toAudit)
        .filter((e) => actions.includes(e.action));
    },
    async putPendingCreate(pending: PendingCreate) {
      s.putPending.run(
        pending.id,
        pending.agentEmail.toLowerCase(),
        JSON.stringify(pending),
        pending.checkUntil,
      );
    },
    async getPendingCreate(id) {
      const row = s.getPending.get(id);
      return row ? (JSON.parse(row.body) as PendingCreate) : undefined;
    },
    async pendingCreatesOf(agentEmail) {
      return s.pendingOf
        .all(agentEmail.toLowerCase())
        .map((r) => JSON.parse(r.body) as PendingCreate)
        .filter((p) => p.state === 'checking');
    },
    async updatePendingCreate(id, change) {
      const row = s.getPending.get(id);
      if (!row) return;
      const pending = { ...(JSON.parse(row.body) as PendingCreate), ...change };
      s.putPending.run(pending.id, pending.agentEmail, JSON.stringify(pending), pending.checkUntil);
    },
    async close() {
      db.close();
    },
  };
}
