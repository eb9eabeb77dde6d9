-- Plugins: WebAssembly modules with a manifest, published into a workspace and installed at
-- one version at a time. Versions are immutable once published (install, upgrade and rollback
-- only move the installation's pointer), so what ran is always known by its hash.
CREATE TABLE plugin_versions (
  id text PRIMARY KEY,
  workspace_id text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name text NOT NULL,
  version text NOT NULL,
  manifest jsonb NOT NULL,
  module bytea NOT NULL,
  sha256 text NOT NULL,
  -- The Ed25519 key that signed module and manifest, when one did (a trusted key's id).
  signed_by text,
  published_by text,
  published_at timestamptz NOT NULL,
  UNIQUE (workspace_id, name, version)
);

CREATE TABLE plugin_installations (
  workspace_id text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name text NOT NULL,
  version_id text NOT NULL REFERENCES plugin_versions (id),
  -- The version before the last upgrade or rollback: what `rollback` returns to.
  previous_version_id text REFERENCES plugin_versions (id),
  -- enabled; disabled by an admin; quarantined after repeated faults (until an admin enables it).
  status text NOT NULL CHECK (status IN ('enabled', 'disabled', 'quarantined')),
  status_reason text,
  -- The workspace's configuration of the plugin (Extism config_get), strings by key.
  config jsonb NOT NULL DEFAULT '{}',
  -- Faults (timeouts, crashes, memory) since the last success or enable; too many quarantine.
  consecutive_faults integer NOT NULL DEFAULT 0,
  installed_by text,
  installed_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, name)
);

-- Per-plugin key-value storage (the kv_* host functions), per workspace.
CREATE TABLE plugin_kv (
  workspace_id text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  plugin text NOT NULL,
  key text NOT NULL,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, plugin, key)
);

-- Public keys whose signatures a workspace trusts, and whether it requires one.
CREATE TABLE plugin_trusted_keys (
  workspace_id text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id text NOT NULL,
  name text NOT NULL,
  -- Ed25519 public key, SPKI DER in base64.
  public_key text NOT NULL,
  created_by text,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, id)
);

CREATE TABLE plugin_settings (
  workspace_id text PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
  require_signatures boolean NOT NULL DEFAULT false,
  max_memory_pages integer NOT NULL DEFAULT 256,
  updated_at timestamptz NOT NULL
);
