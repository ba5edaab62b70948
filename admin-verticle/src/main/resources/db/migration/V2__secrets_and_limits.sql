-- Literal upstream keys given to the admin API or a config import, AES-256-GCM encrypted with a key
-- from the environment (TOLLGATE_SECRETS_KEY); models.spec holds only a secret:<deployment-id> marker.
-- The deployment id is the cipher's associated data, so a row cannot be moved to another deployment.
CREATE TABLE deployment_secrets (
  deployment_id text        PRIMARY KEY,
  nonce         bytea       NOT NULL,
  ciphertext    bytea       NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- The gateway-wide limits (rpm, tpm, fail_closed) every edge enforces: one row, part of the config.
CREATE TABLE global_limits (
  id         integer     PRIMARY KEY CHECK (id = 1),
  spec       jsonb       NOT NULL,
  version    bigint      NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO global_limits (id, spec, version) VALUES (1, '{}', 0);
