-- Batch jobs (OpenAI Batch API). Files and jobs are scoped to the tenant of the key that made them.
-- Lines are the unit of work: a worker claims pending lines (or lines whose lease ran out: their
-- worker died) with FOR UPDATE SKIP LOCKED and a fresh lease token; only the holder of the current
-- token can record a line's answer, so no line completes twice.
CREATE TABLE batch_files (
  id         text        PRIMARY KEY,
  tenant_id  text        NOT NULL,
  purpose    text        NOT NULL,
  filename   text        NOT NULL,
  bytes      bigint      NOT NULL,
  content    bytea       NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX batch_files_tenant ON batch_files (tenant_id, created_at);

CREATE TABLE batches (
  id                text        PRIMARY KEY,
  tenant_id         text        NOT NULL,
  key_id            text        NOT NULL,
  endpoint          text        NOT NULL,
  input_file_id     text        NOT NULL,
  completion_window text        NOT NULL,
  status            text        NOT NULL,
  metadata          jsonb,
  total             integer     NOT NULL,
  completed         integer     NOT NULL DEFAULT 0,
  failed            integer     NOT NULL DEFAULT 0,
  output_file_id    text,
  error_file_id     text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  in_progress_at    timestamptz,
  finalizing_at     timestamptz,
  completed_at      timestamptz,
  cancelling_at     timestamptz,
  cancelled_at      timestamptz,
  expires_at        timestamptz NOT NULL
);
CREATE INDEX batches_tenant ON batches (tenant_id, created_at);
CREATE INDEX batches_open ON batches (status) WHERE status IN ('in_progress', 'cancelling');

CREATE TABLE batch_lines (
  batch_id    text        NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
  line_no     integer     NOT NULL,
  custom_id   text        NOT NULL,
  body        text        NOT NULL,
  state       text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done')),
  lease_token text,
  lease_until timestamptz,
  tries       integer     NOT NULL DEFAULT 0,
  status_code integer,
  answer      text,
  request_id  text,
  finished_at timestamptz,
  PRIMARY KEY (batch_id, line_no)
);
CREATE INDEX batch_lines_open ON batch_lines (batch_id, line_no) WHERE state <> 'done';
