-- The desk server's own state (docs/decisions/0009): sessions, sign-ins in progress, hand-overs
-- to CRM frames, the audit log of writes made through the desk, and creates of unknown outcome.

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  login_id TEXT NOT NULL,
  agent_email TEXT NOT NULL,
  agent TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  idle_expires_at INTEGER NOT NULL,
  absolute_expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_login ON sessions (login_id);
CREATE INDEX sessions_agent ON sessions (agent_email);

CREATE TABLE login_requests (
  state TEXT PRIMARY KEY,
  body TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);

CREATE TABLE handoffs (
  code_hash TEXT PRIMARY KEY,
  body TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  agent_email TEXT NOT NULL,
  agent_name TEXT NOT NULL,
  action TEXT NOT NULL,
  call_id INTEGER,
  before TEXT,
  after TEXT
);
CREATE INDEX audit_call ON audit_log (call_id, id);

CREATE TABLE pending_creates (
  id TEXT PRIMARY KEY,
  agent_email TEXT NOT NULL,
  body TEXT NOT NULL,
  check_until INTEGER NOT NULL
);
CREATE INDEX pending_agent ON pending_creates (agent_email);
