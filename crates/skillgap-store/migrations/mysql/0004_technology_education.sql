-- O*NET technology examples, and education, training and experience per occupation.

CREATE TABLE technology_skills (
    onetsoc_code    CHAR(10) NOT NULL,
    example         VARCHAR(255) NOT NULL,
    commodity_code  BIGINT NOT NULL,
    commodity_title VARCHAR(255) NOT NULL,
    hot_technology  CHAR(1) NOT NULL,
    in_demand       CHAR(1) NOT NULL,
    PRIMARY KEY (onetsoc_code, example),
    FOREIGN KEY (onetsoc_code) REFERENCES occupations (onetsoc_code)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE education_categories (
    element_id  VARCHAR(32) NOT NULL,
    scale_id    VARCHAR(8) NOT NULL,
    category    BIGINT NOT NULL,
    description TEXT NOT NULL,
    PRIMARY KEY (element_id, scale_id, category),
    FOREIGN KEY (element_id) REFERENCES descriptors (element_id),
    FOREIGN KEY (scale_id) REFERENCES scales (scale_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Importance rows have no category, so the natural key has a NULL: a surrogate id instead.
CREATE TABLE education_training (
    id                 BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    onetsoc_code       CHAR(10) NOT NULL,
    element_id         VARCHAR(32) NOT NULL,
    scale_id           VARCHAR(8) NOT NULL,
    category           BIGINT NULL,
    data_value         DOUBLE NOT NULL,
    n                  BIGINT NULL,
    standard_error     DOUBLE NULL,
    lower_ci_bound     DOUBLE NULL,
    upper_ci_bound     DOUBLE NULL,
    recommend_suppress CHAR(1) NULL,
    date_updated       CHAR(10) NULL,
    domain_source      VARCHAR(64) NULL,
    INDEX education_training_code (onetsoc_code),
    FOREIGN KEY (onetsoc_code) REFERENCES occupations (onetsoc_code),
    FOREIGN KEY (element_id) REFERENCES descriptors (element_id),
    FOREIGN KEY (scale_id) REFERENCES scales (scale_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
