-- Tenants with their directory (agents, menus, tickets, settings) as one JSON document:
-- it is small, read on every create and changed only through the control API.
CREATE TABLE tenants (
  id INTEGER PRIMARY KEY,
  subdomain TEXT NOT NULL UNIQUE,
  token TEXT NOT NULL,
  directory TEXT NOT NULL,
  clock_offset_ms INTEGER NOT NULL DEFAULT 0
);

-- CRM contacts (end users), including those the emulator creates for new numbers.
CREATE TABLE contacts (
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  id INTEGER NOT NULL,
  identifier TEXT,
  out_contact_id TEXT,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE contact_phones (
  tenant_id INTEGER NOT NULL,
  e164 TEXT NOT NULL,
  contact_id INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, e164)
);

-- Calls: the call object as JSON (served as stored), plus the columns lists filter and
-- sort on. Ids are unique across tenants and never reused.
CREATE TABLE calls (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  status TEXT NOT NULL,
  call_type TEXT NOT NULL,
  agent_email TEXT,
  end_user_e164 TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  scheduled_at TEXT,
  verified_customer INTEGER NOT NULL DEFAULT 0,
  bad_actor INTEGER NOT NULL DEFAULT 0,
  repeat_customer INTEGER NOT NULL DEFAULT 0,
  body TEXT NOT NULL,
  internal TEXT NOT NULL
);

CREATE INDEX calls_by_created ON calls (tenant_id, created_at, id);
CREATE INDEX calls_by_updated ON calls (tenant_id, updated_at, id);
CREATE INDEX calls_by_status ON calls (tenant_id, status, scheduled_at);

-- Ids for participants and transfers, unique across the emulator.
CREATE TABLE sequences (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
INSERT INTO sequences (name, value) VALUES ('participant', 0), ('transfer', 0);
