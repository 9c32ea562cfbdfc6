-- What skillgap derives from the stored data (relatedness, with what the step graph is built
-- from), kept so that `serve` and the CLI read it instead of rebuilding it. One row per kind:
-- the bytes, their encoding's version, and the data version they were derived from; a row
-- whose format or data key differs from the current ones is stale and is never served.

CREATE TABLE derived_data (
    name           VARCHAR(64) NOT NULL PRIMARY KEY,
    format_version BIGINT NOT NULL,
    data_key       VARCHAR(255) NOT NULL,
    built_at       VARCHAR(40) NOT NULL,
    bytes          LONGBLOB NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
