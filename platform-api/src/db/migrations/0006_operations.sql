-- Multi-record writes (create/update/delete_records) as operations: recorded before their
-- first write to Airtable, each chunk of 10 as it lands, so a crash leaves an exact trail and
-- a repeated call with the same idempotency key finishes only what is missing.
CREATE TABLE operations (
  id text PRIMARY KEY,
  workspace_id text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  actor_type text NOT NULL,
  actor_id text NOT NULL,
  tool text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('create', 'update', 'upsert', 'delete')),
  base_id text NOT NULL,
  table_id text NOT NULL,
  idempotency_key text,
  request_hash text NOT NULL,
  state text NOT NULL CHECK (state IN ('running', 'succeeded', 'partial', 'failed', 'interrupted')),
  total integer NOT NULL CHECK (total > 0),
  arguments jsonb NOT NULL,
  -- The chunk being sent, kept so a lost answer can be read back from Airtable later.
  pending jsonb,
  result jsonb,
  error_code text,
  request_id text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  -- While running: renewed by the runner; past it, the runner died with its process.
  lease_until timestamptz
);

CREATE UNIQUE INDEX operations_idempotency_key_idx
  ON operations (workspace_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX operations_by_workspace_idx ON operations (workspace_id, created_at DESC);
CREATE INDEX operations_running_idx ON operations (lease_until) WHERE state = 'running';

CREATE TABLE operation_chunks (
  operation_id text NOT NULL REFERENCES operations (id) ON DELETE CASCADE,
  chunk integer NOT NULL CHECK (chunk >= 0),
  state text NOT NULL CHECK (state IN ('landed', 'failed', 'not_landed')),
  -- [{index, id, upsert?}] of the records written.
  records jsonb NOT NULL,
  error_code text,
  reconciled boolean NOT NULL DEFAULT false,
  at timestamptz NOT NULL,
  PRIMARY KEY (operation_id, chunk)
);
