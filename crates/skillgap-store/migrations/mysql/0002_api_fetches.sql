-- Occupations fetched from O*NET Web Services: when, by which API generation, and what came back.

CREATE TABLE api_fetches (
    onetsoc_code  CHAR(10) NOT NULL PRIMARY KEY,
    provenance    VARCHAR(32) NOT NULL,
    fetched_at    VARCHAR(40) NOT NULL,
    fetched_epoch BIGINT NOT NULL,
    ratings       BIGINT NOT NULL,
    unrated       VARCHAR(128) NULL,
    INDEX api_fetches_epoch (fetched_epoch),
    FOREIGN KEY (onetsoc_code) REFERENCES occupations (onetsoc_code)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
