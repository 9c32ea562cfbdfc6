-- Occupations fetched from O*NET Web Services: when, by which API generation, and what came back.

CREATE TABLE api_fetches (
    onetsoc_code  TEXT PRIMARY KEY REFERENCES occupations (onetsoc_code),
    provenance    TEXT NOT NULL,
    fetched_at    TEXT NOT NULL,
    fetched_epoch INTEGER NOT NULL,
    ratings       INTEGER NOT NULL,
    unrated       TEXT
);
CREATE INDEX api_fetches_epoch ON api_fetches (fetched_epoch);
