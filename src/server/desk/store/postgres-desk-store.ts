import { unavailable, type Postgres } from '../../db/postgres.ts';
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

// The desk's state in PostgreSQL (DATABASE_URL), shared by every desk server behind the
// load balancer: a session started through one server is one on all, sign-out and expiry
// hold everywhere, and the audit log is one log whichever server took the write.

interface SessionRow {
  id: string;
  login_id: string;
  agent: SessionRecord['agent'];
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
  before: unknown;
  after: unknown;
}

const toSession = (row: SessionRow): SessionRecord => ({
  id: row.id,
  loginId: row.login_id,
  agent: row.agent,
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
  before: row.before,
  after: row.after,
});

/**
 * A document as a `json` parameter. Always stringified here: node-postgres would send a JS
 * array as a PostgreSQL array literal.
 */
const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

export function postgresDeskStore(db: Postgres): DeskStore {
  const { pool } = db;
  const query = async <R extends object>(text: string, values: unknown[] = []) => {
    try {
      return (await pool.query<R>(text, values)).rows;
    } catch (error) {
      throw unavailable(error);
    }
  };

  return {
    async createSession(session) {
      await query(
        `INSERT INTO sessions (id, login_id, agent_email, agent, created_at, last_seen_at,
           idle_expires_at, absolute_expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          session.id,
          session.loginId,
          session.agent.email.toLowerCase(),
          json(session.agent),
          session.createdAt,
          session.lastSeenAt,
          session.idleExpiresAt,
          session.absoluteExpiresAt,
        ],
      );
    },
    async getSession(id) {
      const [row] = await query<SessionRow>('SELECT * FROM sessions WHERE id = $1', [id]);
      return row ? toSession(row) : undefined;
    },
    async touchSession(id, lastSeenAt, idleExpiresAt) {
      await query('UPDATE sessions SET last_seen_at = $1, idle_expires_at = $2 WHERE id = $3', [
        lastSeenAt,
        idleExpiresAt,
        id,
      ]);
    },
    async deleteLogin(loginId) {
      const rows = await query<{ id: string }>(
        'DELETE FROM sessions WHERE login_id = $1 RETURNING id',
        [loginId],
      );
      return rows.map((r) => r.id);
    },
    async deleteAgentSessions(emails) {
      if (emails.length === 0) return [];
      const rows = await query<{ id: string }>(
        'DELETE FROM sessions WHERE agent_email = ANY($1::text[]) RETURNING id',
        [[...emails]],
      );
      return rows.map((r) => r.id);
    },
    async activeAgents(now) {
      const rows = await query<{ agent_email: string }>(
        `SELECT DISTINCT agent_email FROM sessions
         WHERE idle_expires_at > $1 AND absolute_expires_at > $1`,
        [now],
      );
      return rows.map((r) => r.agent_email);
    },
    async purgeExpired(now) {
      // One statement: every server's purges are the same few deletes, whichever runs them.
      await query(
        `WITH s AS (DELETE FROM sessions WHERE idle_expires_at <= $1 OR absolute_expires_at <= $1),
              l AS (DELETE FROM login_requests WHERE expires_at <= $1),
              h AS (DELETE FROM handoffs WHERE expires_at <= $1)
         DELETE FROM pending_creates WHERE check_until <= $1`,
        [now],
      );
    },
    async putLogin(login: LoginRequest) {
      await query('INSERT INTO login_requests (state, body, expires_at) VALUES ($1, $2, $3)', [
        login.state,
        json(login),
        login.expiresAt,
      ]);
    },
    async takeLogin(state, now) {
      const [row] = await query<{ body: LoginRequest; expires_at: number }>(
        'DELETE FROM login_requests WHERE state = $1 RETURNING body, expires_at',
        [state],
      );
      if (!row || row.expires_at <= now) return undefined;
      return row.body;
    },
    async putHandoff(handoff: Handoff) {
      await query('INSERT INTO handoffs (code_hash, body, expires_at) VALUES ($1, $2, $3)', [
        handoff.codeHash,
        json(handoff),
        handoff.expiresAt,
      ]);
    },
    async takeHandoff(codeHash, now) {
      const [row] = await query<{ body: Handoff; expires_at: number }>(
        'DELETE FROM handoffs WHERE code_hash = $1 RETURNING body, expires_at',
        [codeHash],
      );
      if (!row || row.expires_at <= now) return undefined;
      return row.body;
    },
    async appendAudit(entry: NewAuditEntry) {
      const [row] = await query<AuditRow>(
        `INSERT INTO audit_log (at, agent_email, agent_name, action, call_id, before, after)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [
          entry.at,
          entry.agentEmail,
          entry.agentName,
          entry.action,
          entry.callId,
          json(entry.before),
          json(entry.after),
        ],
      );
      return toAudit(row!);
    },
    async auditForCall(callId, actions) {
      const rows = await query<AuditRow>(
        'SELECT * FROM audit_log WHERE call_id = $1 AND action = ANY($2::text[]) ORDER BY id',
        [callId, [...actions]],
      );
      return rows.map(toAudit);
    },
    async putPendingCreate(pending: PendingCreate) {
      await query(
        `INSERT INTO pending_creates (id, agent_email, body, check_until) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET body = excluded.body, check_until = excluded.check_until`,
        [pending.id, pending.agentEmail.toLowerCase(), json(pending), pending.checkUntil],
      );
    },
    async getPendingCreate(id) {
      const [row] = await query<{ body: PendingCreate }>(
        'SELECT body FROM pending_creates WHERE id = $1',
        [id],
      );
      return row?.body;
    },
    async pendingCreatesOf(agentEmail) {
      const rows = await query<{ body: PendingCreate }>(
        'SELECT body FROM pending_creates WHERE agent_email = $1',
        [agentEmail.toLowerCase()],
      );
      return rows.map((r) => r.body).filter((p) => p.state === 'checking');
    },
    async updatePendingCreate(id, change) {
      // In the database, so two servers resolving the same create never undo each other's.
      await query(
        `UPDATE pending_creates
         SET body = (body::jsonb || jsonb_build_object('state', $2::text, 'callId', $3::int8))::json
         WHERE id = $1`,
        [id, change.state, change.callId],
      );
    },
    async close() {
      // The pool is the server's, closed with it (other stores share it).
    },
  };
}
