-- OpenAI Responses API: responses a client asked to store (store: true, the default), per tenant, so
-- that previous_response_id, GET and DELETE /v1/responses/{id} work. Written by edges after the
-- answer went out; read only when a client continues or fetches one. Kept 30 days (expires_at);
-- expired rows are invisible at once and purged hourly.
-- response and conversation are the JSON text as the gateway wrote it (the response object, and the
-- input items that led to it without instructions).
CREATE TABLE responses (
  tenant_id    text        NOT NULL,
  id           text        NOT NULL,
  response     text        NOT NULL,
  conversation text        NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX responses_expires_at ON responses (expires_at);
