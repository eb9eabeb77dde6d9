-- Outbound webhooks. An event is written in the transaction of the change it reports (the
-- outbox), together with one message per endpoint whose filter matches: a rolled-back change
-- leaves neither, a committed one is never lost. Workers claim due messages with
-- FOR UPDATE SKIP LOCKED; the claim moves next_attempt_at past the attempt's deadline, so a
-- worker that dies mid-delivery leaves the message due again once that deadline passes.
CREATE TABLE webhook_endpoints (
  id text PRIMARY KEY,
  workspace_id text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  url text NOT NULL,
  description text NOT NULL DEFAULT '',
  event_types text[] NOT NULL,
  -- Custom headers may carry a receiver's credentials: sealed like connection tokens.
  headers_sealed text,
  secret_sealed text NOT NULL,
  -- After a rotation the previous secret still signs until it expires (both signatures sent).
  previous_secret_sealed text,
  previous_secret_expires_at timestamptz,
  enabled boolean NOT NULL DEFAULT true,
  -- manual: someone turned it off; gone: it answered 410; failing: 5 days of failures;
  -- refused: its URL or headers are now refused by the delivery policy.
  disabled_reason text CHECK (disabled_reason IN ('manual', 'gone', 'failing', 'refused')),
  -- Since when every delivery has failed (reset by a success); 5 days of it disables.
  failing_since timestamptz,
  last_error text,
  created_by text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE INDEX webhook_endpoints_by_workspace_idx ON webhook_endpoints (workspace_id, created_at);

CREATE TABLE webhook_events (
  id text PRIMARY KEY,
  -- Order of commit-ish, for `webhooks listen` to resume from; not a delivery order promise.
  seq bigserial UNIQUE,
  workspace_id text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  type text NOT NULL,
  -- The envelope exactly as delivered: json, not jsonb, keeps its text (key order) byte for byte.
  payload json NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE INDEX webhook_events_by_workspace_idx ON webhook_events (workspace_id, seq);

CREATE TABLE webhook_messages (
  -- The webhook-id header: stable across retries and replays of this event to this endpoint.
  id text PRIMARY KEY,
  workspace_id text NOT NULL,
  endpoint_id text NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event_id text NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
  state text NOT NULL CHECK (state IN ('pending', 'delivered', 'dead', 'aborted', 'cancelled')),
  attempts integer NOT NULL DEFAULT 0,
  -- Attempts made before the last replay: a replayed message gets the whole retry schedule again.
  replayed_after integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  last_status integer,
  last_error text,
  created_at timestamptz NOT NULL,
  finished_at timestamptz,
  UNIQUE (endpoint_id, event_id)
);

CREATE INDEX webhook_messages_due_idx ON webhook_messages (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_messages_by_endpoint_idx ON webhook_messages (endpoint_id, created_at DESC);

CREATE TABLE webhook_attempts (
  message_id text NOT NULL REFERENCES webhook_messages (id) ON DELETE CASCADE,
  attempt integer NOT NULL,
  at timestamptz NOT NULL,
  duration_ms integer NOT NULL,
  status integer,
  outcome text NOT NULL,
  error_code text,
  response_headers jsonb,
  -- The first 4 KiB.
  response_body text,
  PRIMARY KEY (message_id, attempt)
);
