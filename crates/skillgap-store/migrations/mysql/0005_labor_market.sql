-- BLS labour-market data per 2018 SOC code, and O*NET's crosswalk to it, with the provenance of
-- each file. A wage is a value and a marker: no marker = the amount; `#` = at or above the amount
-- (top-coded); `*` = not available (no amount).

CREATE TABLE labor_files (
    kind          VARCHAR(16) NOT NULL PRIMARY KEY,
    file_name     VARCHAR(255) NOT NULL,
    source        TEXT NOT NULL,
    release_name  VARCHAR(64) NOT NULL,
    sha256        CHAR(64) NOT NULL,
    row_count     BIGINT NOT NULL,
    loaded_at     VARCHAR(40) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE oews_wages (
    soc_code       CHAR(7) NOT NULL,
    o_group        VARCHAR(16) NOT NULL,
    title          VARCHAR(255) NOT NULL,
    employment     BIGINT NULL,
    a_mean         DOUBLE,
    a_mean_mark    CHAR(1) NULL,
    a_pct10        DOUBLE,
    a_pct10_mark   CHAR(1) NULL,
    a_pct25        DOUBLE,
    a_pct25_mark   CHAR(1) NULL,
    a_median       DOUBLE,
    a_median_mark  CHAR(1) NULL,
    a_pct75        DOUBLE,
    a_pct75_mark   CHAR(1) NULL,
    a_pct90        DOUBLE,
    a_pct90_mark   CHAR(1) NULL,
    h_mean         DOUBLE,
    h_mean_mark    CHAR(1) NULL,
    h_median       DOUBLE,
    h_median_mark  CHAR(1) NULL,
    annual_only    CHAR(1) NOT NULL,
    hourly_only    CHAR(1) NOT NULL,
    PRIMARY KEY (soc_code, o_group)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE employment_projections (
    soc_code             CHAR(7) NOT NULL PRIMARY KEY,
    title                VARCHAR(255) NOT NULL,
    kind                 VARCHAR(16) NOT NULL,
    employment_base      DOUBLE,
    employment_projected DOUBLE,
    change_numeric       DOUBLE,
    change_percent       DOUBLE,
    annual_openings      DOUBLE,
    median_wage          DOUBLE,
    median_wage_mark     CHAR(1) NULL,
    entry_education      TEXT,
    work_experience      TEXT,
    training             TEXT
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- No foreign key to occupations: a later O*NET release may drop a code the crosswalk names.
CREATE TABLE soc_crosswalk (
    onetsoc_code CHAR(10) NOT NULL PRIMARY KEY,
    onet_title   VARCHAR(255) NOT NULL,
    soc_code     CHAR(7) NOT NULL,
    soc_title    VARCHAR(255) NOT NULL,
    INDEX soc_crosswalk_soc (soc_code)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
