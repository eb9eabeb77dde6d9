-- A person's (or key's) own conversations, newest activity first.
CREATE INDEX conversations_actor_idx ON conversations (workspace_id, actor_type, actor_id, updated_at DESC);
