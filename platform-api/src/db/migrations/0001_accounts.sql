-- Accounts, workspaces and who may do what in them. Ids are prefixed random strings made by
-- the application (usr_…, wsp_…), so they never reveal counts or creation order.

CREATE TABLE users (
  id              text PRIMARY KEY,
  email           text NOT NULL,
  name            text,
  password_hash   text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  disabled_at     timestamptz
);
-- Emails are compared case-insensitively but stored as given.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE workspaces (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  created_by  text REFERENCES users (id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE memberships (
  workspace_id  text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  user_id       text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role          text NOT NULL CHECK (role IN ('owner', 'admin', 'editor', 'viewer')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id);

-- A login session is one refresh-token family: every rotation adds a token to it, and
-- reuse of a spent token revokes the whole family (and the access tokens naming it).
CREATE TABLE sessions (
  id              text PRIMARY KEY,
  user_id         text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_used_at    timestamptz NOT NULL DEFAULT now(),
  revoked_at      timestamptz,
  revoked_reason  text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE refresh_tokens (
  id          text PRIMARY KEY,
  session_id  text NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  parent_id   text,
  token_hash  text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id);

-- API keys: `ask_live_<id>_<secret>`; only sha256(secret) is kept.
CREATE TABLE api_keys (
  id            text PRIMARY KEY,
  workspace_id  text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name          text NOT NULL,
  role          text NOT NULL CHECK (role IN ('owner', 'admin', 'editor', 'viewer')),
  secret_hash   text NOT NULL,
  created_by    text REFERENCES users (id) ON DELETE SET NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz,
  last_used_at  timestamptz,
  revoked_at    timestamptz
);
CREATE INDEX api_keys_workspace_idx ON api_keys (workspace_id);

-- Airtable personal access tokens, AES-256-GCM encrypted; the ciphertext is bound to its
-- row (workspace and connection id are the additional authenticated data).
CREATE TABLE connections (
  id                 text PRIMARY KEY,
  workspace_id       text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name               text NOT NULL,
  token_ciphertext   text NOT NULL,
  token_hint         text NOT NULL,
  bases              jsonb,
  airtable_user_id   text,
  is_default         boolean NOT NULL DEFAULT false,
  created_by         text REFERENCES users (id) ON DELETE SET NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  last_validated_at  timestamptz
);
CREATE INDEX connections_workspace_idx ON connections (workspace_id);

-- Access-token signing keys (EdDSA). The private JWK is encrypted like connection tokens.
-- A retired key no longer signs but still verifies until it expires.
CREATE TABLE signing_keys (
  kid                     text PRIMARY KEY,
  algorithm               text NOT NULL,
  public_jwk              jsonb NOT NULL,
  private_jwk_ciphertext  text NOT NULL,
  created_at              timestamptz NOT NULL DEFAULT now(),
  retired_at              timestamptz,
  expires_at              timestamptz
);

-- Who did what, when, with what outcome. Workspace-less rows are account events
-- (register, login, refresh-token reuse). No foreign keys: the trail outlives what it names.
CREATE TABLE audit_events (
  id            text PRIMARY KEY,
  seq           bigserial NOT NULL,
  workspace_id  text,
  at            timestamptz NOT NULL DEFAULT now(),
  actor_type    text NOT NULL CHECK (actor_type IN ('user', 'api_key', 'system')),
  actor_id      text NOT NULL,
  actor_label   text,
  action        text NOT NULL,
  target_type   text,
  target_id     text,
  outcome       text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
  error_code    text,
  duration_ms   integer,
  request_id    text,
  details       jsonb
);
CREATE INDEX audit_events_workspace_idx ON audit_events (workspace_id, seq DESC);
