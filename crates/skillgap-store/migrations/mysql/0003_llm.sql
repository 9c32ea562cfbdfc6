-- LLM estimates: every run (accepted or failed) with its model, prompt and token usage, the
-- justification of each accepted estimate, and cached gap narratives.

CREATE TABLE llm_runs (
    id                BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    onetsoc_code      CHAR(10) NOT NULL,
    domain            VARCHAR(32) NOT NULL,
    model             VARCHAR(191) NOT NULL,
    prompt_version    VARCHAR(32) NOT NULL,
    prompt_hash       CHAR(64) NOT NULL,
    started_at        VARCHAR(40) NOT NULL,
    finished_at       VARCHAR(40) NOT NULL,
    status            VARCHAR(8) NOT NULL CHECK (status IN ('ok', 'failed')),
    attempts          BIGINT NOT NULL,
    prompt_tokens     BIGINT NOT NULL,
    completion_tokens BIGINT NOT NULL,
    total_tokens      BIGINT NOT NULL,
    raw_response      MEDIUMTEXT NULL,
    error             TEXT NULL,
    INDEX llm_runs_code (onetsoc_code, domain, status),
    FOREIGN KEY (onetsoc_code) REFERENCES occupations (onetsoc_code)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE llm_justifications (
    run_id        BIGINT NOT NULL,
    element_id    VARCHAR(32) NOT NULL,
    justification TEXT NOT NULL,
    PRIMARY KEY (run_id, element_id),
    FOREIGN KEY (run_id) REFERENCES llm_runs (id) ON DELETE CASCADE,
    FOREIGN KEY (element_id) REFERENCES descriptors (element_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE llm_narratives (
    from_code      CHAR(10) NOT NULL,
    to_code        CHAR(10) NOT NULL,
    domain         VARCHAR(32) NOT NULL,
    source         VARCHAR(8) NOT NULL,
    model          VARCHAR(191) NOT NULL,
    prompt_version VARCHAR(32) NOT NULL,
    prompt_hash    CHAR(64) NOT NULL,
    narrative      TEXT NOT NULL,
    created_at     VARCHAR(40) NOT NULL,
    total_tokens   BIGINT NOT NULL,
    raw_response   MEDIUMTEXT NOT NULL,
    PRIMARY KEY (from_code, to_code, domain, source, model, prompt_version)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
