-- Job titles: the titles incumbents reported (Sample of Reported Titles.txt, when a release has
-- it), and an organisation's own labelled titles (`load-titles`) with the provenance of each
-- file. Labelled titles are evidence for the title coder, kept apart from O*NET's lists.

CREATE TABLE reported_titles (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    onetsoc_code          TEXT NOT NULL REFERENCES occupations (onetsoc_code),
    title                 TEXT NOT NULL,
    shown_in_my_next_move TEXT
);
CREATE INDEX reported_titles_code ON reported_titles (onetsoc_code);

CREATE TABLE title_files (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    file_name   TEXT NOT NULL UNIQUE,
    source      TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    row_count   INTEGER NOT NULL,
    loaded_at   TEXT NOT NULL
);

-- No foreign key to occupations: codes may be 6-digit SOC codes, resolved when the index is built.
CREATE TABLE labelled_titles (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    file_id  INTEGER NOT NULL REFERENCES title_files (id),
    line     INTEGER NOT NULL,
    title    TEXT NOT NULL,
    codes    TEXT NOT NULL
);
CREATE INDEX labelled_titles_file ON labelled_titles (file_id);
