-- The budget every desk server sends the tenant within (docs/decisions/0012, 0051): one row
-- per tenant holding when the requests of the last window left, by the database's clock, so
-- that the servers together stay below the tenant's limit. UNLOGGED: a window a second long
-- need not survive a crash of the database, and its updates write no WAL.

CREATE UNLOGGED TABLE upstream_budget (
  name text PRIMARY KEY,
  -- Milliseconds since the epoch, oldest first, at most `limit` of them.
  sent_at int8[] NOT NULL DEFAULT '{}',
  paused_until int8 NOT NULL DEFAULT 0
);

-- Takes a slot when fewer than p_limit requests left in the last p_window_ms: answers 0.
-- Otherwise takes nothing and answers how many milliseconds until a slot may be free.
CREATE FUNCTION upstream_budget_take(p_name text, p_limit int, p_window_ms int)
RETURNS int8 LANGUAGE plpgsql AS $$
DECLARE
  now_ms int8 := floor(extract(epoch FROM clock_timestamp()) * 1000);
  recent int8[];
  paused int8;
  n int;
BEGIN
  SELECT ARRAY(SELECT t FROM unnest(b.sent_at) AS t WHERE t > now_ms - p_window_ms ORDER BY t),
         b.paused_until
    INTO recent, paused
    FROM upstream_budget b WHERE b.name = p_name FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO upstream_budget (name) VALUES (p_name) ON CONFLICT (name) DO NOTHING;
    RETURN upstream_budget_take(p_name, p_limit, p_window_ms);
  END IF;
  IF paused > now_ms THEN
    RETURN paused - now_ms;
  END IF;
  n := cardinality(recent);
  IF n < p_limit THEN
    UPDATE upstream_budget SET sent_at = recent || now_ms WHERE name = p_name;
    RETURN 0;
  END IF;
  RETURN greatest(1, recent[n - p_limit + 1] + p_window_ms - now_ms);
END $$;

-- The tenant answered 429 all the same: no server sends anything for p_ms.
CREATE FUNCTION upstream_budget_pause(p_name text, p_ms int)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO upstream_budget (name, paused_until)
  VALUES (p_name, floor(extract(epoch FROM clock_timestamp()) * 1000) + p_ms)
  ON CONFLICT (name) DO UPDATE SET paused_until = greatest(upstream_budget.paused_until, excluded.paused_until);
$$;
