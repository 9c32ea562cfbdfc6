-- Derived data longer than one part is kept in parts: MariaDB refuses a statement (or a row
-- sent back) longer than its max_allowed_packet, 16 MiB by default, and the whole store image
-- (every row the catalog and the facts are read from, kept so that a start reads one value)
-- is longer than that. Part 0 stays in derived_data with the metadata; parts 1, 2, … here, in
-- order. Written and replaced in the same transaction as their head row.

CREATE TABLE derived_parts (
    name  TEXT NOT NULL,
    part  INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (name, part)
);
