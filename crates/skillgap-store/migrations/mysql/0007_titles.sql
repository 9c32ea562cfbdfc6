-- Job titles: the titles incumbents reported (Sample of Reported Titles.txt, when a release has
-- it), and an organisation's own labelled titles (`load-titles`) with the provenance of each
-- file. Labelled titles are evidence for the title coder, kept apart from O*NET's lists.

CREATE TABLE reported_titles (
    id                    BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    onetsoc_code          CHAR(10) NOT NULL,
    title                 VARCHAR(512) NOT NULL,
    shown_in_my_next_move VARCHAR(8) NULL,
    INDEX reported_titles_code (onetsoc_code),
    FOREIGN KEY (onetsoc_code) REFERENCES occupations (onetsoc_code)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE title_files (
    id          BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    file_name   VARCHAR(255) NOT NULL,
    source      TEXT NOT NULL,
    sha256      CHAR(64) NOT NULL,
    row_count   BIGINT NOT NULL,
    loaded_at   VARCHAR(40) NOT NULL,
    UNIQUE KEY title_files_name (file_name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- No foreign key to occupations: codes may be 6-digit SOC codes, resolved when the index is built.
CREATE TABLE labelled_titles (
    id       BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    file_id  BIGINT NOT NULL,
    line     BIGINT NOT NULL,
    title    TEXT NOT NULL,
    codes    TEXT NOT NULL,
    INDEX labelled_titles_file (file_id),
    FOREIGN KEY (file_id) REFERENCES title_files (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
