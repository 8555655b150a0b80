-- The desk server's own state (docs/decisions/0009) in PostgreSQL, shared by every desk
-- server behind the load balancer: the same tables as the SQLite file's (migrations/), with
-- times in milliseconds (int8) and documents as `json` (kept as written, key order too).

CREATE TABLE sessions (
  id text PRIMARY KEY,
  login_id text NOT NULL,
  agent_email text NOT NULL,
  agent json NOT NULL,
  created_at int8 NOT NULL,
  last_seen_at int8 NOT NULL,
  idle_expires_at int8 NOT NULL,
  absolute_expires_at int8 NOT NULL
);
CREATE INDEX sessions_login ON sessions (login_id);
CREATE INDEX sessions_agent ON sessions (agent_email);

CREATE TABLE login_requests (
  state text PRIMARY KEY,
  body json NOT NULL,
  expires_at int8 NOT NULL
);

CREATE TABLE handoffs (
  code_hash text PRIMARY KEY,
  body json NOT NULL,
  expires_at int8 NOT NULL
);

CREATE TABLE audit_log (
  id int8 GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at text NOT NULL,
  agent_email text NOT NULL,
  agent_name text NOT NULL,
  action text NOT NULL,
  call_id int8,
  before json,
  after json
);
CREATE INDEX audit_call ON audit_log (call_id, id);

CREATE TABLE pending_creates (
  id text PRIMARY KEY,
  agent_email text NOT NULL,
  body json NOT NULL,
  check_until int8 NOT NULL
);
CREATE INDEX pending_agent ON pending_creates (agent_email);
