-- Configuration owned by the admin role. Every change bumps config_version.version in its own
-- transaction (the row lock orders commits), and the new value is published as a ConfigEvent.

CREATE TABLE config_version (
  id      integer PRIMARY KEY CHECK (id = 1),
  version bigint  NOT NULL
);
INSERT INTO config_version (id, version) VALUES (1, 0);

CREATE TABLE tenants (
  id         text        PRIMARY KEY,
  name       text        NOT NULL UNIQUE,
  enabled    boolean     NOT NULL DEFAULT true,
  limits     jsonb       NOT NULL DEFAULT '{}',
  version    bigint      NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Only the SHA-256 of a key's secret is stored; secret_hint is its first characters, for humans.
CREATE TABLE api_keys (
  id          text        PRIMARY KEY,
  tenant_id   text        NOT NULL REFERENCES tenants (id),
  name        text        NOT NULL,
  secret_hash text        NOT NULL UNIQUE,
  secret_hint text        NOT NULL,
  models      jsonb       NOT NULL DEFAULT '[]',
  enabled     boolean     NOT NULL DEFAULT true,
  expires_at  timestamptz,
  ip_allow    jsonb       NOT NULL DEFAULT '[]',
  limits      jsonb       NOT NULL DEFAULT '{}',
  version     bigint      NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name)
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id);

-- A model is stored whole as the config file's snake_case JSON (deployments, prices, timeouts).
CREATE TABLE models (
  name       text        PRIMARY KEY,
  spec       jsonb       NOT NULL,
  version    bigint      NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Names and aliases share one namespace, and deployment ids are unique across models: these two
-- tables let Postgres enforce both (a violation becomes 409).
CREATE TABLE model_names (
  name       text PRIMARY KEY,
  model_name text NOT NULL REFERENCES models (name) ON DELETE CASCADE
);
CREATE TABLE model_deployments (
  id         text PRIMARY KEY,
  model_name text NOT NULL REFERENCES models (name) ON DELETE CASCADE
);
