-- O*NET's expert list of related occupations (Related Occupations.txt, release 30.0 on).

CREATE TABLE related_occupations (
    onetsoc_code         TEXT NOT NULL REFERENCES occupations (onetsoc_code),
    related_onetsoc_code TEXT NOT NULL REFERENCES occupations (onetsoc_code),
    relatedness_tier     TEXT NOT NULL,
    related_index        INTEGER NOT NULL,
    PRIMARY KEY (onetsoc_code, related_onetsoc_code)
);
