-- What skillgap derives from the stored data (relatedness, with what the step graph is built
-- from), kept so that `serve` and the CLI read it instead of rebuilding it. One row per kind:
-- the bytes, their encoding's version, and the data version they were derived from; a row
-- whose format or data key differs from the current ones is stale and is never served.

CREATE TABLE derived_data (
    name           TEXT PRIMARY KEY,
    format_version INTEGER NOT NULL,
    data_key       TEXT NOT NULL,
    built_at       TEXT NOT NULL,
    bytes          BLOB NOT NULL
);
