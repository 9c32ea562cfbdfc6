-- The O*NET content model, occupations and ratings, with where every row came from.

CREATE TABLE releases (
    id            BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    version       VARCHAR(16) NOT NULL,
    source        TEXT NOT NULL,
    fingerprint   CHAR(64) NOT NULL,
    loaded_at     VARCHAR(40) NOT NULL,
    rejected_rows BIGINT NOT NULL DEFAULT 0
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE release_files (
    release_id BIGINT NOT NULL,
    file_name  VARCHAR(128) NOT NULL,
    sha256     CHAR(64) NOT NULL,
    row_count  BIGINT NOT NULL,
    PRIMARY KEY (release_id, file_name),
    FOREIGN KEY (release_id) REFERENCES releases (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE scales (
    scale_id VARCHAR(8) NOT NULL PRIMARY KEY,
    name     VARCHAR(255) NOT NULL,
    minimum  DOUBLE NOT NULL,
    maximum  DOUBLE NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE descriptors (
    element_id  VARCHAR(32) NOT NULL PRIMARY KEY,
    name        VARCHAR(255) NOT NULL,
    description TEXT NOT NULL,
    domain      VARCHAR(32) NULL,
    INDEX descriptors_domain (domain)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE occupations (
    onetsoc_code CHAR(10) NOT NULL PRIMARY KEY,
    title        VARCHAR(255) NOT NULL,
    description  TEXT NOT NULL,
    source       VARCHAR(32) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE ratings (
    onetsoc_code       CHAR(10) NOT NULL,
    element_id         VARCHAR(32) NOT NULL,
    scale_id           VARCHAR(8) NOT NULL,
    source             VARCHAR(32) NOT NULL,
    source_detail      VARCHAR(255) NULL,
    data_value         DOUBLE NOT NULL,
    n                  BIGINT NULL,
    standard_error     DOUBLE NULL,
    lower_ci_bound     DOUBLE NULL,
    upper_ci_bound     DOUBLE NULL,
    recommend_suppress CHAR(1) NULL,
    not_relevant       CHAR(1) NULL,
    date_updated       CHAR(10) NULL,
    domain_source      VARCHAR(64) NULL,
    PRIMARY KEY (onetsoc_code, element_id, scale_id, source),
    INDEX ratings_element (element_id, scale_id),
    INDEX ratings_source (source),
    FOREIGN KEY (onetsoc_code) REFERENCES occupations (onetsoc_code),
    FOREIGN KEY (element_id) REFERENCES descriptors (element_id),
    FOREIGN KEY (scale_id) REFERENCES scales (scale_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE level_anchors (
    element_id   VARCHAR(32) NOT NULL,
    scale_id     VARCHAR(8) NOT NULL,
    anchor_value DOUBLE NOT NULL,
    description  TEXT NOT NULL,
    PRIMARY KEY (element_id, scale_id, anchor_value),
    FOREIGN KEY (element_id) REFERENCES descriptors (element_id),
    FOREIGN KEY (scale_id) REFERENCES scales (scale_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE alternate_titles (
    id           BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    onetsoc_code CHAR(10) NOT NULL,
    title        VARCHAR(512) NOT NULL,
    short_title  VARCHAR(255) NULL,
    sources      VARCHAR(64) NULL,
    INDEX alternate_titles_code (onetsoc_code),
    FOREIGN KEY (onetsoc_code) REFERENCES occupations (onetsoc_code)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE tasks (
    task_id               BIGINT NOT NULL PRIMARY KEY,
    onetsoc_code          CHAR(10) NOT NULL,
    task                  TEXT NOT NULL,
    task_type             VARCHAR(32) NULL,
    incumbents_responding BIGINT NULL,
    date_updated          CHAR(10) NULL,
    domain_source         VARCHAR(64) NULL,
    INDEX tasks_code (onetsoc_code),
    FOREIGN KEY (onetsoc_code) REFERENCES occupations (onetsoc_code)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE job_zones (
    onetsoc_code  CHAR(10) NOT NULL PRIMARY KEY,
    job_zone      BIGINT NOT NULL CHECK (job_zone BETWEEN 1 AND 5),
    date_updated  CHAR(10) NULL,
    domain_source VARCHAR(64) NULL,
    FOREIGN KEY (onetsoc_code) REFERENCES occupations (onetsoc_code)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
