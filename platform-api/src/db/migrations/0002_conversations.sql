-- Chat with Airtable data (the orchestrator): conversations with their raw Gemini history,
-- runs with their events (for resumable streams), approvals of destructive tool calls,
-- large tool results kept out of the history, and per-workspace chat settings.

CREATE TABLE conversations (
  id            text PRIMARY KEY,
  workspace_id  text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  actor_type    text NOT NULL CHECK (actor_type IN ('user', 'api_key')),
  actor_id      text NOT NULL,
  title         text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversations_workspace_idx ON conversations (workspace_id, updated_at DESC);

-- Gemini contents exactly as sent and received (model turns keep their thought signatures).
CREATE TABLE conversation_turns (
  conversation_id  text NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  seq              integer NOT NULL,
  run_id           text,
  role             text NOT NULL CHECK (role IN ('user', 'model')),
  content          jsonb NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (conversation_id, seq)
);

CREATE TABLE runs (
  id               text PRIMARY KEY,
  conversation_id  text NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  workspace_id     text NOT NULL,
  status           text NOT NULL CHECK (status IN ('running', 'awaiting_approval', 'completed', 'failed', 'cancelled')),
  steps            integer NOT NULL DEFAULT 0,
  prompt_tokens    bigint NOT NULL DEFAULT 0,
  output_tokens    bigint NOT NULL DEFAULT 0,
  tool_calls       integer NOT NULL DEFAULT 0,
  error_code       text,
  -- A paused run: the model turn's calls and what has been decided and done so far.
  state            jsonb,
  started_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  finished_at      timestamptz
);
CREATE INDEX runs_conversation_idx ON runs (conversation_id, started_at DESC);
CREATE INDEX runs_workspace_started_idx ON runs (workspace_id, started_at);

CREATE TABLE run_events (
  run_id  text NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  seq     integer NOT NULL,
  event   jsonb NOT NULL,
  at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, seq)
);

CREATE TABLE approvals (
  id                text PRIMARY KEY,
  run_id            text NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  conversation_id   text NOT NULL,
  workspace_id      text NOT NULL,
  call_id           text NOT NULL,
  tool              text NOT NULL,
  arguments         jsonb NOT NULL,
  reason            text NOT NULL,
  preview           jsonb,
  status            text NOT NULL CHECK (status IN ('pending', 'approved', 'denied', 'edited')),
  decision_reason   text,
  edited_arguments  jsonb,
  decided_by        text,
  decided_at        timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX approvals_run_idx ON approvals (run_id);

CREATE TABLE tool_results (
  id               text PRIMARY KEY,
  conversation_id  text NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  tool             text NOT NULL,
  result           jsonb NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE workspace_chat_settings (
  workspace_id          text PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
  monthly_token_budget  bigint,
  gemini_key_ciphertext text,
  updated_at            timestamptz NOT NULL DEFAULT now()
);
