-- The live feed's state shared by every desk server (docs/decisions/0040, 0050): one history
-- of events with one epoch, so that an id one server gave a desk means the same event on
-- every other; the webhook's event ids, so that an event delivered twice (to two servers) is
-- acted on once; the tenant poller's cursor, so that whichever server polls next goes on
-- from where the last one stopped; and the webhook's events handed to that server.

CREATE TABLE live_meta (
  key text PRIMARY KEY,
  value text NOT NULL
);
-- A short random name: it travels in every event id.
INSERT INTO live_meta (key, value) VALUES ('epoch', substr(md5(random()::text), 1, 8));

CREATE TABLE live_events (
  id bigserial PRIMARY KEY,
  type text NOT NULL,
  call_id int8,
  agent_email text,
  data text NOT NULL
);

CREATE TABLE live_webhook_event_ids (
  seq bigserial PRIMARY KEY,
  event_id text NOT NULL UNIQUE
);

CREATE TABLE live_cursors (
  name text PRIMARY KEY,
  value text NOT NULL
);

-- Webhook events received by any server, waiting for the one that reads the tenant.
CREATE TABLE live_handed_over (
  id bigserial PRIMARY KEY,
  event jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
