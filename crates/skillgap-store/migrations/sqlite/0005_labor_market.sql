-- BLS labour-market data per 2018 SOC code, and O*NET's crosswalk to it, with the provenance of
-- each file. A wage is a value and a marker: no marker = the amount; `#` = at or above the amount
-- (top-coded); `*` = not available (no amount).

CREATE TABLE labor_files (
    kind          TEXT PRIMARY KEY,
    file_name     TEXT NOT NULL,
    source        TEXT NOT NULL,
    release_name  TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    row_count     INTEGER NOT NULL,
    loaded_at     TEXT NOT NULL
);

CREATE TABLE oews_wages (
    soc_code       TEXT NOT NULL,
    o_group        TEXT NOT NULL,
    title          TEXT NOT NULL,
    employment     INTEGER,
    a_mean         REAL,
    a_mean_mark    TEXT,
    a_pct10        REAL,
    a_pct10_mark   TEXT,
    a_pct25        REAL,
    a_pct25_mark   TEXT,
    a_median       REAL,
    a_median_mark  TEXT,
    a_pct75        REAL,
    a_pct75_mark   TEXT,
    a_pct90        REAL,
    a_pct90_mark   TEXT,
    h_mean         REAL,
    h_mean_mark    TEXT,
    h_median       REAL,
    h_median_mark  TEXT,
    annual_only    TEXT NOT NULL,
    hourly_only    TEXT NOT NULL,
    PRIMARY KEY (soc_code, o_group)
);

CREATE TABLE employment_projections (
    soc_code             TEXT PRIMARY KEY,
    title                TEXT NOT NULL,
    kind                 TEXT NOT NULL,
    employment_base      REAL,
    employment_projected REAL,
    change_numeric       REAL,
    change_percent       REAL,
    annual_openings      REAL,
    median_wage          REAL,
    median_wage_mark     TEXT,
    entry_education      TEXT,
    work_experience      TEXT,
    training             TEXT
);

-- No foreign key to occupations: a later O*NET release may drop a code the crosswalk names.
CREATE TABLE soc_crosswalk (
    onetsoc_code TEXT PRIMARY KEY,
    onet_title   TEXT NOT NULL,
    soc_code     TEXT NOT NULL,
    soc_title    TEXT NOT NULL
);
CREATE INDEX soc_crosswalk_soc ON soc_crosswalk (soc_code);
