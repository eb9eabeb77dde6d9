-- Events for plugins' on_event handlers: queued in the transaction that writes the event (as
-- webhook messages are), claimed by workers with FOR UPDATE SKIP LOCKED under a lease, retried
-- with backoff, dead after the last attempt. One row per plugin and event.
CREATE TABLE plugin_event_deliveries (
  id text PRIMARY KEY,
  workspace_id text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  plugin text NOT NULL,
  event_id text NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
  state text NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  last_error text,
  created_at timestamptz NOT NULL,
  finished_at timestamptz,
  UNIQUE (workspace_id, plugin, event_id)
);

CREATE INDEX plugin_event_deliveries_due_idx ON plugin_event_deliveries (next_attempt_at) WHERE state = 'pending';
