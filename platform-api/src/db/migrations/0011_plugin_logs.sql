-- What plugins log (Extism's log_* kernel functions), for the admins of their workspace: written
-- after each call in one statement, trimmed to the newest rows per plugin.
CREATE TABLE plugin_logs (
  seq bigserial PRIMARY KEY,
  workspace_id text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  plugin text NOT NULL,
  version text NOT NULL,
  function text NOT NULL,
  level text NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')),
  message text NOT NULL,
  request_id text,
  created_at timestamptz NOT NULL
);

CREATE INDEX plugin_logs_by_plugin_idx ON plugin_logs (workspace_id, plugin, seq);
