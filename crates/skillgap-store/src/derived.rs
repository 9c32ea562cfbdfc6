//! What skillgap derives from the stored data, kept beside it: opaque bytes in a versioned
//! encoding, keyed by the data they were derived from. The store neither reads nor checks the
//! bytes; it keeps them whole and replaces them in one transaction.

use sqlx::Row;

use crate::row::TextRow;
use crate::{Store, StoreError, dispatch};

/// One kind of derived data as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DerivedData {
    /// Version of the encoding the bytes are in.
    pub format_version: u32,
    /// The data they were derived from (see `DataVersion::derivation_key`).
    pub data_key: String,
    /// When they were stored (RFC 3339, UTC).
    pub built_at: String,
    /// The encoded bytes.
    pub bytes: Vec<u8>,
}

/// The longest part derived data is stored in: well under MariaDB's default packet limit
/// (16 MiB), which a statement and a row sent back must each fit.
pub const DERIVED_PART_BYTES: usize = 4 * 1024 * 1024;

/// How many times a write of derived data is tried when the database rolls it back for another
/// transaction.
const WRITE_ATTEMPTS: u32 = 8;

/// Whether the database rolled a transaction back so that another could go on: a deadlock or a
/// serialization conflict (SQLSTATE 40001 on MariaDB and PostgreSQL, 40P01 on PostgreSQL), which
/// running the transaction again resolves. SQLite waits for its lock instead (busy timeout).
fn rolled_back_for_another(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .is_some_and(|code| code == "40001" || code == "40P01")
}

impl Store {
    /// The encoding version and data key of what is stored under `name`, without its bytes:
    /// enough to tell whether it is current.
    pub async fn derived_key(&self, name: &str) -> Result<Option<(u32, String)>, StoreError> {
        let sql = self
            .backend
            .sql("SELECT format_version, data_key FROM derived_data WHERE name = ?");
        let found = dispatch!(self, pool => {
            match sqlx::query(&sql).bind(name).fetch_optional(pool).await? {
                None => None,
                Some(r) => Some((
                    u32::try_from(r.try_get::<i64, _>(0)?).unwrap_or(u32::MAX),
                    r.text(1)?,
                )),
            }
        });
        Ok(found)
    }

    /// The derived data stored under `name`, if any, its parts joined.
    pub async fn read_derived(&self, name: &str) -> Result<Option<DerivedData>, StoreError> {
        let backend = self.backend;
        let sql = backend.sql(
            "SELECT format_version, data_key, built_at, bytes FROM derived_data WHERE name = ?",
        );
        let parts = backend.sql("SELECT bytes FROM derived_parts WHERE name = ? ORDER BY part");
        let found = dispatch!(self, pool => {
            // One transaction, so the head and its parts are of the same write.
            let mut tx = pool.begin().await?;
            let head = match sqlx::query(&sql).bind(name).fetch_optional(&mut *tx).await? {
                None => None,
                Some(r) => Some(DerivedData {
                    format_version: u32::try_from(r.try_get::<i64, _>(0)?).unwrap_or(u32::MAX),
                    data_key: r.text(1)?,
                    built_at: r.text(2)?,
                    bytes: r.try_get::<Vec<u8>, _>(3)?,
                }),
            };
            let head = match head {
                Some(mut head) => {
                    let rest = sqlx::query(&parts).bind(name).fetch_all(&mut *tx).await?;
                    if !rest.is_empty() {
                        let rest: Vec<&[u8]> =
                            rest.iter().map(|r| r.try_get(0)).collect::<Result<_, _>>()?;
                        // Joined once, at its final size, from the rows' own bytes: growing it
                        // part by part would hold more at the peak.
                        let mut joined = Vec::with_capacity(
                            head.bytes.len() + rest.iter().map(|p| p.len()).sum::<usize>(),
                        );
                        joined.extend_from_slice(&head.bytes);
                        for part in rest {
                            joined.extend_from_slice(part);
                        }
                        head.bytes = joined;
                    }
                    Some(head)
                }
                None => None,
            };
            tx.commit().await?;
            head
        });
        Ok(found)
    }

    /// Stores `bytes` under `name`, replacing what was there, in one transaction (in parts of
    /// at most [`DERIVED_PART_BYTES`], which MariaDB's default packet limit accepts).
    ///
    /// Writers of different names at once (a load keeping the image and relatedness, two
    /// processes) can deadlock on MariaDB: each delete locks the gap the other inserts into, and
    /// InnoDB rolls one back. That transaction is run again, as InnoDB and PostgreSQL ask.
    pub async fn write_derived(
        &self,
        name: &str,
        format_version: u32,
        data_key: &str,
        bytes: &[u8],
    ) -> Result<(), StoreError> {
        let mut attempt = 1;
        loop {
            match self
                .write_derived_once(name, format_version, data_key, bytes)
                .await
            {
                Err(StoreError::Query(e))
                    if attempt < WRITE_ATTEMPTS && rolled_back_for_another(&e) =>
                {
                    tracing::debug!(name, attempt, error = %e, "derived data written again");
                    tokio::time::sleep(std::time::Duration::from_millis(10 << attempt)).await;
                    attempt += 1;
                }
                done => return done,
            }
        }
    }

    async fn write_derived_once(
        &self,
        name: &str,
        format_version: u32,
        data_key: &str,
        bytes: &[u8],
    ) -> Result<(), StoreError> {
        let backend = self.backend;
        let built_at = crate::now_rfc3339();
        let delete = backend.sql("DELETE FROM derived_data WHERE name = ?");
        let delete_parts = backend.sql("DELETE FROM derived_parts WHERE name = ?");
        let insert = backend.sql(
            "INSERT INTO derived_data (name, format_version, data_key, built_at, bytes) \
             VALUES (?, ?, ?, ?, ?)",
        );
        let insert_part =
            backend.sql("INSERT INTO derived_parts (name, part, bytes) VALUES (?, ?, ?)");
        let mut chunks = bytes.chunks(DERIVED_PART_BYTES);
        let first = chunks.next().unwrap_or(&[]);
        dispatch!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(&delete).bind(name).execute(&mut *tx).await?;
            sqlx::query(&delete_parts).bind(name).execute(&mut *tx).await?;
            sqlx::query(&insert)
                .bind(name)
                .bind(i64::from(format_version))
                .bind(data_key)
                .bind(built_at.as_str())
                .bind(first)
                .execute(&mut *tx)
                .await?;
            for (part, chunk) in (1_i64..).zip(chunks) {
                sqlx::query(&insert_part)
                    .bind(name)
                    .bind(part)
                    .bind(chunk)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Forgets every kind of derived data: the next start derives it again.
    pub async fn clear_derived(&self) -> Result<(), StoreError> {
        dispatch!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM derived_parts").execute(&mut *tx).await?;
            sqlx::query("DELETE FROM derived_data").execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }
}
