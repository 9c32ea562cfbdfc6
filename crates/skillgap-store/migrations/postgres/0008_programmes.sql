-- NCES instructional programmes (CIP 2020) and the occupations (2018 SOC) they prepare for, from
-- CIPCode2020.csv and CIP2020_SOC2018_Crosswalk.xlsx (sheet SOC-CIP). Unmatched rows (SOC
-- 99-9999, CIP 99.9999) are not stored.

CREATE TABLE programmes (
    cip_code   TEXT NOT NULL PRIMARY KEY,
    title      TEXT NOT NULL,
    definition TEXT NOT NULL
);

CREATE TABLE programme_occupations (
    soc_code TEXT NOT NULL,
    cip_code TEXT NOT NULL REFERENCES programmes (cip_code),
    PRIMARY KEY (soc_code, cip_code)
);

CREATE TABLE programme_files (
    kind      TEXT NOT NULL PRIMARY KEY,
    file_name TEXT NOT NULL,
    sha256    TEXT NOT NULL,
    row_count BIGINT NOT NULL,
    loaded_at TEXT NOT NULL
);
