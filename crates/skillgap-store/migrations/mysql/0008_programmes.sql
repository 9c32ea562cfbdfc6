-- NCES instructional programmes (CIP 2020) and the occupations (2018 SOC) they prepare for, from
-- CIPCode2020.csv and CIP2020_SOC2018_Crosswalk.xlsx (sheet SOC-CIP). Unmatched rows (SOC
-- 99-9999, CIP 99.9999) are not stored.

CREATE TABLE programmes (
    cip_code   CHAR(7) NOT NULL PRIMARY KEY,
    title      VARCHAR(512) NOT NULL,
    definition TEXT NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE programme_occupations (
    soc_code CHAR(7) NOT NULL,
    cip_code CHAR(7) NOT NULL,
    PRIMARY KEY (soc_code, cip_code),
    FOREIGN KEY (cip_code) REFERENCES programmes (cip_code)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE programme_files (
    kind      VARCHAR(32) NOT NULL PRIMARY KEY,
    file_name VARCHAR(512) NOT NULL,
    sha256    CHAR(64) NOT NULL,
    row_count BIGINT NOT NULL,
    loaded_at VARCHAR(40) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
