-- LLM estimates: every run (accepted or failed) with its model, prompt and token usage, the
-- justification of each accepted estimate, and cached gap narratives.

CREATE TABLE llm_runs (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    onetsoc_code      TEXT NOT NULL REFERENCES occupations (onetsoc_code),
    domain            TEXT NOT NULL,
    model             TEXT NOT NULL,
    prompt_version    TEXT NOT NULL,
    prompt_hash       TEXT NOT NULL,
    started_at        TEXT NOT NULL,
    finished_at       TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
    attempts          INTEGER NOT NULL,
    prompt_tokens     INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    total_tokens      INTEGER NOT NULL,
    raw_response      TEXT,
    error             TEXT
);
CREATE INDEX llm_runs_code ON llm_runs (onetsoc_code, domain, status);

CREATE TABLE llm_justifications (
    run_id        INTEGER NOT NULL REFERENCES llm_runs (id) ON DELETE CASCADE,
    element_id    TEXT NOT NULL REFERENCES descriptors (element_id),
    justification TEXT NOT NULL,
    PRIMARY KEY (run_id, element_id)
);

CREATE TABLE llm_narratives (
    from_code         TEXT NOT NULL,
    to_code           TEXT NOT NULL,
    domain            TEXT NOT NULL,
    source            TEXT NOT NULL,
    model             TEXT NOT NULL,
    prompt_version    TEXT NOT NULL,
    prompt_hash       TEXT NOT NULL,
    narrative         TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    total_tokens      INTEGER NOT NULL,
    raw_response      TEXT NOT NULL,
    PRIMARY KEY (from_code, to_code, domain, source, model, prompt_version)
);
