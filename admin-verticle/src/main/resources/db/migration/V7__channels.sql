-- External channel: a key is internal (bearer only) or external (signed requests). An external key's
-- signing secret is stored sealed with the SecretBox (AES-GCM, the key id as associated data): it
-- must be recoverable to verify HMACs, so it cannot be a hash like the key's own secret.
ALTER TABLE api_keys ADD COLUMN channel text NOT NULL DEFAULT 'internal'
  CHECK (channel IN ('internal', 'external'));
ALTER TABLE api_keys ADD COLUMN frozen_at timestamptz;

CREATE TABLE key_signing_secrets (
  key_id     text        PRIMARY KEY REFERENCES api_keys (id) ON DELETE CASCADE,
  nonce      bytea       NOT NULL,
  ciphertext bytea       NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
