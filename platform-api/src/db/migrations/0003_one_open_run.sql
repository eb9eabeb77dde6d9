-- A conversation answers one message at a time: at most one run may be running or waiting
-- for approval. The database enforces it, so two messages sent at once cannot both start.
CREATE UNIQUE INDEX runs_one_open_per_conversation ON runs (conversation_id)
  WHERE status IN ('running', 'awaiting_approval');
