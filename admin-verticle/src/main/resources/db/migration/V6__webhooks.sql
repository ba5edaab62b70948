-- Budget alerts (billing role) and the webhooks they are delivered to (admin API).

-- A webhook's secret signs its deliveries (HMAC-SHA256); it is stored as given because every
-- billing node must be able to sign with it, and the admin API never answers it.
CREATE TABLE webhooks (
  id         text        PRIMARY KEY,
  url        text        NOT NULL,
  secret     text,
  events     text[]      NOT NULL DEFAULT '{}',
  tenant_id  text,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per alert ever fired. The primary key is what makes an alert fire once across every
-- billing node: whichever node inserts the row first delivers it, the others insert nothing.
-- period_start is the UTC day, month or hour the alert is about ('epoch' for a total budget);
-- threshold is the percentage crossed (50, 80, 100), or 0 for a spike.
CREATE TABLE budget_alerts (
  id           text        NOT NULL UNIQUE,
  kind         text        NOT NULL,
  scope        text        NOT NULL,
  scope_id     text        NOT NULL,
  tenant_id    text,
  period       text        NOT NULL,
  period_start timestamptz NOT NULL,
  threshold    integer     NOT NULL,
  spend_usd    numeric     NOT NULL,
  limit_usd    numeric     NOT NULL,
  fired_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, scope, scope_id, period, period_start, threshold)
);
CREATE INDEX budget_alerts_fired ON budget_alerts (fired_at);

-- Alerts and the spend endpoints sum one key's or tenant's rollups; without these that is a scan
-- of every hour of every key.
CREATE INDEX usage_hourly_key ON usage_hourly (key_id, hour);
CREATE INDEX usage_hourly_tenant ON usage_hourly (tenant_id, hour);

-- The daily reconciliation of the ledger against the limits' Redis counters: one row per UTC day,
-- claimed by the billing node that runs it (the others see the row and skip that day).
CREATE TABLE reconcile_runs (
  day         date        PRIMARY KEY,
  claimed_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  checked     integer,
  differences integer
);
