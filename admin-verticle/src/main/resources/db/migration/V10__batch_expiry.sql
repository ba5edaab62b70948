-- A batch still running when its 24 h completion window ends is expired: the lines not answered by
-- then go to its error file as batch_expired, as OpenAI's Batch API does.
ALTER TABLE batches ADD COLUMN expired_at timestamptz;
