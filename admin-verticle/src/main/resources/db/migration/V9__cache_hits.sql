-- Requests answered from the gateway's response cache: no upstream ran, so they carry no
-- deployment, zero tokens and zero cost, and are marked here. Existing rows were all upstream calls.
ALTER TABLE usage_ledger ADD COLUMN cache_hit boolean NOT NULL DEFAULT false;

-- A key's response-cache settings over its models' (null: the models'), as JSON like a model's cache block.
ALTER TABLE api_keys ADD COLUMN cache jsonb;
