-- Change capture: one Airtable webhook per captured base of a workspace. Its payloads become
-- record.* / table.* / field.* events, written by the outbox in the same transaction that
-- moves `cursor` past them, so a payload becomes events exactly once. A pull holds a lease
-- (pull_token until pull_lease_until), claimed with FOR UPDATE SKIP LOCKED; every commit is
-- fenced by the token, the webhook and the cursor it started from, so two processes never
-- convert the same payloads, and a pull that outlived its lease commits nothing.
CREATE TABLE webhook_captures (
  id text PRIMARY KEY,
  workspace_id text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  base_id text NOT NULL,
  -- The connection whose token registered the webhook and reads its payloads.
  connection_id text NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  airtable_webhook_id text NOT NULL,
  -- The webhook's MAC secret (it verifies pings), sealed like connection tokens.
  mac_secret_sealed text NOT NULL,
  -- Null: registered without pings, found by the timer only.
  notification_url text,
  -- The next payload to read (Airtable's cursors start at 1 and never go back).
  cursor bigint NOT NULL DEFAULT 1,
  expires_at timestamptz,
  pull_token text,
  pull_lease_until timestamptz,
  last_pull_at timestamptz,
  last_event_at timestamptz,
  events_emitted bigint NOT NULL DEFAULT 0,
  last_error text,
  last_error_at timestamptz,
  refreshed_at timestamptz,
  -- Set when the webhook expired or vanished and a new one replaced it: changes between
  -- gap_from and gap_until may be missing.
  recreated_at timestamptz,
  gap_from timestamptz,
  gap_until timestamptz,
  created_by text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (workspace_id, base_id)
);

CREATE INDEX webhook_captures_by_connection_idx ON webhook_captures (connection_id);
