-- Failed sign-ins, counted in the database so that every platform process (the platform API,
-- the orchestrator's copy of it, any replica) shares one count: N processes must not give
-- a password guesser N times the attempts. Keys are sha256 of the lower-cased email or of
-- the IP, so the table never holds an address somebody merely typed.
CREATE TABLE login_failures (
  kind text NOT NULL CHECK (kind IN ('account', 'ip')),
  key_hash text NOT NULL,
  failures integer NOT NULL CHECK (failures > 0),
  last_failure_at timestamptz NOT NULL,
  locked_until timestamptz,
  PRIMARY KEY (kind, key_hash)
);

-- The pruning of forgotten counters.
CREATE INDEX login_failures_last_failure_idx ON login_failures (last_failure_at);
