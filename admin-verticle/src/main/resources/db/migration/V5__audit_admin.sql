-- The audit log's second kind of record, and opt-in prompt storage.
--
-- audit_admin: one row per mutating admin API call (who, what, on which target, before and after
-- as JSON with secrets redacted), written by the admin role in the same transaction as the change.
-- Partitioned by UTC day like audit_requests, so retention drops whole partitions of both.
-- tenant_id is the tenant the target belongs to (a tenant, or a key's tenant), null for models,
-- limits and config imports, so that a tenant's export holds what was done to it.
CREATE TABLE audit_admin (
  id           text        NOT NULL,
  at           timestamptz NOT NULL,
  actor        text        NOT NULL,
  action       text        NOT NULL,
  target_kind  text        NOT NULL,
  target_id    text,
  tenant_id    text,
  before       jsonb,
  after        jsonb,
  PRIMARY KEY (at, id)
) PARTITION BY RANGE (at);

-- Keyset paging of GET /admin/v1/audit in (time, id) order, overall and per tenant.
CREATE INDEX audit_admin_tenant ON audit_admin (tenant_id, at, id);
CREATE INDEX audit_requests_time ON audit_requests (started_at, request_id);
CREATE INDEX audit_requests_tenant ON audit_requests (tenant_id, started_at, request_id);

-- Redacted prompt and completion text, only for tenants with audit.store_prompts (null otherwise).
ALTER TABLE audit_requests ADD COLUMN prompt text, ADD COLUMN completion text;

-- A tenant's audit settings: {"store_prompts": bool, "redact": [regex ...]}; {} is the default (off).
ALTER TABLE tenants ADD COLUMN audit jsonb NOT NULL DEFAULT '{}';
