-- BLS labour-market data per 2018 SOC code, and O*NET's crosswalk to it, with the provenance of
-- each file. A wage is a value and a marker: no marker = the amount; `#` = at or above the amount
-- (top-coded); `*` = not available (no amount).

CREATE TABLE labor_files (
    kind          TEXT PRIMARY KEY,
    file_name     TEXT NOT NULL,
    source        TEXT NOT NULL,
    release_name  TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    row_count     BIGINT NOT NULL,
    loaded_at     TEXT NOT NULL
);

CREATE TABLE oews_wages (
    soc_code       TEXT NOT NULL,
    o_group        TEXT NOT NULL,
    title          TEXT NOT NULL,
    employment     BIGINT,
    a_mean         DOUBLE PRECISION,
    a_mean_mark    TEXT,
    a_pct10        DOUBLE PRECISION,
    a_pct10_mark   TEXT,
    a_pct25        DOUBLE PRECISION,
    a_pct25_mark   TEXT,
    a_median       DOUBLE PRECISION,
    a_median_mark  TEXT,
    a_pct75        DOUBLE PRECISION,
    a_pct75_mark   TEXT,
    a_pct90        DOUBLE PRECISION,
    a_pct90_mark   TEXT,
    h_mean         DOUBLE PRECISION,
    h_mean_mark    TEXT,
    h_median       DOUBLE PRECISION,
    h_median_mark  TEXT,
    annual_only    TEXT NOT NULL,
    hourly_only    TEXT NOT NULL,
    PRIMARY KEY (soc_code, o_group)
);

CREATE TABLE employment_projections (
    soc_code             TEXT PRIMARY KEY,
    title                TEXT NOT NULL,
    kind                 TEXT NOT NULL,
    employment_base      DOUBLE PRECISION,
    employment_projected DOUBLE PRECISION,
    change_numeric       DOUBLE PRECISION,
    change_percent       DOUBLE PRECISION,
    annual_openings      DOUBLE PRECISION,
    median_wage          DOUBLE PRECISION,
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
