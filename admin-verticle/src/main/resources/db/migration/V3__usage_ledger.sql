-- The usage ledger (billing role), its hourly rollups (what reports read) and the request audit
-- log (audit role). Ledger and audit are partitioned by day of the request's start, in UTC; their
-- partitions are created ahead and on demand by tollgate_day_partition, and the audit's old ones
-- dropped by tollgate_drop_day_partitions. PostgreSQL wants the partition key in every unique
-- key, so a request is identified by (request_id, started_at): the outbox resends the identical
-- event, so the pair is as unique as the request id.

CREATE FUNCTION tollgate_day_partition(parent text, day date) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  child text := parent || '_p' || to_char(day, 'YYYYMMDD');
BEGIN
  -- Two nodes creating the same day's partition take turns instead of one failing its batch.
  PERFORM pg_advisory_xact_lock(hashtext(child));
  IF to_regclass(child) IS NULL THEN
    EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', child, parent,
                   (day::timestamp AT TIME ZONE 'UTC'), ((day + 1)::timestamp AT TIME ZONE 'UTC'));
  END IF;
END $$;

-- Drops the day partitions of parent whose whole day lies before the given date; returns how many.
CREATE FUNCTION tollgate_drop_day_partitions(parent text, before date) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  r record;
  n integer := 0;
BEGIN
  FOR r IN SELECT c.relname FROM pg_inherits i
             JOIN pg_class c ON c.oid = i.inhrelid
             JOIN pg_class p ON p.oid = i.inhparent
            WHERE p.relname = parent AND c.relname ~ ('^' || parent || '_p[0-9]{8}$')
  LOOP
    IF to_date(right(r.relname, 8), 'YYYYMMDD') < before THEN
      EXECUTE format('DROP TABLE %I', r.relname);
      n := n + 1;
    END IF;
  END LOOP;
  RETURN n;
END $$;

CREATE FUNCTION tollgate_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;

CREATE TABLE usage_ledger (
  request_id         text             NOT NULL,
  started_at         timestamptz      NOT NULL,
  ended_at           timestamptz      NOT NULL,
  tenant_id          text,
  key_id             text,
  model              text,
  deployment_id      text,
  provider           text,
  attempt            integer          NOT NULL,
  policy             text,
  routing_version    text,
  propensity         double precision NOT NULL,
  prompt_tokens      bigint           NOT NULL,
  completion_tokens  bigint           NOT NULL,
  cached_tokens      bigint           NOT NULL,
  reasoning_tokens   bigint           NOT NULL,
  cache_write_tokens bigint           NOT NULL,
  estimated          boolean          NOT NULL,
  latency_ms         bigint           NOT NULL,
  ttft_ms            bigint           NOT NULL,
  status             text             NOT NULL,
  error              text,
  error_side         text,
  cancel_reason      text,
  trace              jsonb            NOT NULL,
  cost_usd           numeric          NOT NULL,
  recorded_at        timestamptz      NOT NULL DEFAULT now(),
  PRIMARY KEY (request_id, started_at)
) PARTITION BY RANGE (started_at);

CREATE TRIGGER usage_ledger_append_only BEFORE UPDATE OR DELETE ON usage_ledger
  FOR EACH ROW EXECUTE FUNCTION tollgate_append_only();

-- One row per UTC hour and tenant/key/model/deployment/provider ('' where a request had none),
-- added to in the same statement that inserts the ledger rows, for inserted rows only.
CREATE TABLE usage_hourly (
  hour               timestamptz NOT NULL,
  tenant_id          text        NOT NULL,
  key_id             text        NOT NULL,
  model              text        NOT NULL,
  deployment_id      text        NOT NULL,
  provider           text        NOT NULL,
  requests           bigint      NOT NULL,
  prompt_tokens      bigint      NOT NULL,
  completion_tokens  bigint      NOT NULL,
  cached_tokens      bigint      NOT NULL,
  reasoning_tokens   bigint      NOT NULL,
  cache_write_tokens bigint      NOT NULL,
  cost_usd           numeric     NOT NULL,
  PRIMARY KEY (hour, tenant_id, key_id, model, deployment_id, provider)
);

CREATE TABLE audit_requests (
  request_id     text        NOT NULL,
  started_at     timestamptz NOT NULL,
  ended_at       timestamptz NOT NULL,
  tenant_id      text,
  key_id         text,
  model          text,
  deployment_id  text,
  provider       text,
  attempt        integer     NOT NULL,
  status         text        NOT NULL,
  error          text,
  error_side     text,
  cancel_reason  text,
  latency_ms     bigint      NOT NULL,
  ttft_ms        bigint      NOT NULL,
  trace          jsonb       NOT NULL,
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (request_id, started_at)
) PARTITION BY RANGE (started_at);
