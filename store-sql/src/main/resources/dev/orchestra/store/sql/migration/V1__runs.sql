-- Orchestra's run store (dev.orchestra.store.sql.SqlRunStore). One set of migrations for SQLite and
-- PostgreSQL: the statements below mean the same in both. Times are nanoseconds since the epoch
-- (exact round trips of java.time.Instant, and an order), lease expiries milliseconds of the
-- servers' clocks. Costs are decimal strings (exact; SQLite has no exact decimal type).
-- Large texts (prompts, transcripts, logs, final outputs) are files under the blob directory,
-- referenced by attempts.blob_dir.

CREATE TABLE runs (
  id VARCHAR(100) PRIMARY KEY,
  workflow VARCHAR(200) NOT NULL,
  workflow_file TEXT,
  workflow_text TEXT NOT NULL,
  inputs TEXT NOT NULL,
  started_ns BIGINT NOT NULL,
  last_seq BIGINT NOT NULL DEFAULT 0,
  lease_owner VARCHAR(200),
  lease_expires_ms BIGINT,
  status VARCHAR(20),
  reason TEXT,
  finished_ns BIGINT,
  input_tokens BIGINT,
  output_tokens BIGINT,
  cost_usd VARCHAR(40),
  cost_estimated BOOLEAN,
  branch_name TEXT,
  branch_commit VARCHAR(64),
  checkout TEXT
);
CREATE INDEX runs_newest_first ON runs (started_ns DESC, id DESC);
CREATE INDEX runs_by_workflow ON runs (workflow, started_ns DESC, id DESC);

CREATE TABLE events (
  run_id VARCHAR(100) NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  seq BIGINT NOT NULL,
  time_ns BIGINT NOT NULL,
  type VARCHAR(40) NOT NULL,
  node VARCHAR(500),
  body TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
);

-- The nodes of a run's result, in workflow order (ord).
CREATE TABLE nodes (
  run_id VARCHAR(100) NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  node VARCHAR(500) NOT NULL,
  ord INTEGER NOT NULL,
  status VARCHAR(20) NOT NULL,
  attempts INTEGER NOT NULL,
  duration_ms BIGINT NOT NULL,
  input_tokens BIGINT NOT NULL,
  output_tokens BIGINT NOT NULL,
  cost_usd VARCHAR(40) NOT NULL,
  cost_estimated BOOLEAN NOT NULL,
  output TEXT,
  reason TEXT,
  branch_name TEXT,
  branch_commit VARCHAR(64),
  PRIMARY KEY (run_id, node)
);

-- Named outputs: of a node's result (attempt 0) and of each attempt (1, 2, ...).
CREATE TABLE outputs (
  run_id VARCHAR(100) NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  node VARCHAR(500) NOT NULL,
  attempt INTEGER NOT NULL,
  ord INTEGER NOT NULL,
  name VARCHAR(200) NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (run_id, node, attempt, name)
);

CREATE TABLE attempts (
  run_id VARCHAR(100) NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  node VARCHAR(500) NOT NULL,
  attempt INTEGER NOT NULL,
  blob_dir TEXT NOT NULL,
  input_tokens BIGINT,
  output_tokens BIGINT,
  cost_usd VARCHAR(40),
  cost_estimated BOOLEAN,
  PRIMARY KEY (run_id, node, attempt)
);

CREATE TABLE checks (
  run_id VARCHAR(100) NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  node VARCHAR(500) NOT NULL,
  attempt INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  name TEXT NOT NULL,
  passed BOOLEAN NOT NULL,
  output TEXT,
  PRIMARY KEY (run_id, node, attempt, idx)
);

CREATE TABLE processes (
  run_id VARCHAR(100) NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  node VARCHAR(500) NOT NULL,
  attempt INTEGER NOT NULL,
  ord INTEGER NOT NULL,
  pgid BIGINT NOT NULL,
  started_ns BIGINT NOT NULL,
  tag VARCHAR(100),
  PRIMARY KEY (run_id, node, attempt, ord)
);

-- Decisions on approval gates: one per node of a run, the first one recorded.
CREATE TABLE decisions (
  run_id VARCHAR(100) NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  node VARCHAR(500) NOT NULL,
  approved BOOLEAN NOT NULL,
  decided_by VARCHAR(200) NOT NULL,
  comment TEXT,
  decided_ns BIGINT NOT NULL,
  PRIMARY KEY (run_id, node)
);
