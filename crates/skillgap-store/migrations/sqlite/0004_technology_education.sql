-- O*NET technology examples, and education, training and experience per occupation.

CREATE TABLE technology_skills (
    onetsoc_code    TEXT NOT NULL REFERENCES occupations (onetsoc_code),
    example         TEXT NOT NULL,
    commodity_code  INTEGER NOT NULL,
    commodity_title TEXT NOT NULL,
    hot_technology  TEXT NOT NULL,
    in_demand       TEXT NOT NULL,
    PRIMARY KEY (onetsoc_code, example)
);

CREATE TABLE education_categories (
    element_id  TEXT NOT NULL REFERENCES descriptors (element_id),
    scale_id    TEXT NOT NULL REFERENCES scales (scale_id),
    category    INTEGER NOT NULL,
    description TEXT NOT NULL,
    PRIMARY KEY (element_id, scale_id, category)
);

-- Importance rows have no category, so the natural key has a NULL: a surrogate id instead.
CREATE TABLE education_training (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    onetsoc_code       TEXT NOT NULL REFERENCES occupations (onetsoc_code),
    element_id         TEXT NOT NULL REFERENCES descriptors (element_id),
    scale_id           TEXT NOT NULL REFERENCES scales (scale_id),
    category           INTEGER,
    data_value         REAL NOT NULL,
    n                  INTEGER,
    standard_error     REAL,
    lower_ci_bound     REAL,
    upper_ci_bound     REAL,
    recommend_suppress TEXT,
    date_updated       TEXT,
    domain_source      TEXT
);
CREATE INDEX education_training_code ON education_training (onetsoc_code);
