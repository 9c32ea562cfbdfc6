-- The O*NET content model, occupations and ratings, with where every row came from.

CREATE TABLE releases (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    version      TEXT NOT NULL,
    source       TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    loaded_at    TEXT NOT NULL,
    rejected_rows INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE release_files (
    release_id INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
    file_name  TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    row_count  INTEGER NOT NULL,
    PRIMARY KEY (release_id, file_name)
);

CREATE TABLE scales (
    scale_id TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    minimum  REAL NOT NULL,
    maximum  REAL NOT NULL
);

CREATE TABLE descriptors (
    element_id  TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    domain      TEXT
);
CREATE INDEX descriptors_domain ON descriptors (domain);

CREATE TABLE occupations (
    onetsoc_code TEXT PRIMARY KEY,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL,
    source       TEXT NOT NULL
);

CREATE TABLE ratings (
    onetsoc_code       TEXT NOT NULL REFERENCES occupations (onetsoc_code),
    element_id         TEXT NOT NULL REFERENCES descriptors (element_id),
    scale_id           TEXT NOT NULL REFERENCES scales (scale_id),
    source             TEXT NOT NULL,
    source_detail      TEXT,
    data_value         REAL NOT NULL,
    n                  INTEGER,
    standard_error     REAL,
    lower_ci_bound     REAL,
    upper_ci_bound     REAL,
    recommend_suppress TEXT,
    not_relevant       TEXT,
    date_updated       TEXT,
    domain_source      TEXT,
    PRIMARY KEY (onetsoc_code, element_id, scale_id, source)
);
CREATE INDEX ratings_element ON ratings (element_id, scale_id);
CREATE INDEX ratings_source ON ratings (source);

CREATE TABLE level_anchors (
    element_id   TEXT NOT NULL REFERENCES descriptors (element_id),
    scale_id     TEXT NOT NULL REFERENCES scales (scale_id),
    anchor_value REAL NOT NULL,
    description  TEXT NOT NULL,
    PRIMARY KEY (element_id, scale_id, anchor_value)
);

CREATE TABLE alternate_titles (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    onetsoc_code TEXT NOT NULL REFERENCES occupations (onetsoc_code),
    title        TEXT NOT NULL,
    short_title  TEXT,
    sources      TEXT
);
CREATE INDEX alternate_titles_code ON alternate_titles (onetsoc_code);

CREATE TABLE tasks (
    task_id               INTEGER PRIMARY KEY,
    onetsoc_code          TEXT NOT NULL REFERENCES occupations (onetsoc_code),
    task                  TEXT NOT NULL,
    task_type             TEXT,
    incumbents_responding INTEGER,
    date_updated          TEXT,
    domain_source         TEXT
);
CREATE INDEX tasks_code ON tasks (onetsoc_code);

CREATE TABLE job_zones (
    onetsoc_code  TEXT PRIMARY KEY REFERENCES occupations (onetsoc_code),
    job_zone      INTEGER NOT NULL CHECK (job_zone BETWEEN 1 AND 5),
    date_updated  TEXT,
    domain_source TEXT
);
