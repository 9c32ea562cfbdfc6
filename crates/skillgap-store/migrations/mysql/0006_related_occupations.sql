-- O*NET's expert list of related occupations (Related Occupations.txt, release 30.0 on).

CREATE TABLE related_occupations (
    onetsoc_code         CHAR(10) NOT NULL,
    related_onetsoc_code CHAR(10) NOT NULL,
    relatedness_tier     VARCHAR(16) NOT NULL,
    related_index        BIGINT NOT NULL,
    PRIMARY KEY (onetsoc_code, related_onetsoc_code),
    FOREIGN KEY (onetsoc_code) REFERENCES occupations (onetsoc_code),
    FOREIGN KEY (related_onetsoc_code) REFERENCES occupations (onetsoc_code)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
