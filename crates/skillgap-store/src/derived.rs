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

impl Store {
    /// The derived data stored under `name`, if any.
    pub async fn read_derived(&self, name: &str) -> Result<Option<DerivedData>, StoreError> {
        let backend = self.backend;
        let sql = backend.sql(
            "SELECT format_version, data_key, built_at, bytes FROM derived_data WHERE name = ?",
        );
        let found = dispatch!(self, pool => {
            match sqlx::query(&sql).bind(name).fetch_optional(pool).await? {
                None => None,
                Some(r) => Some(DerivedData {
                    format_version: u32::try_from(r.try_get::<i64, _>(0)?).unwrap_or(u32::MAX),
                    data_key: r.text(1)?,
                    built_at: r.text(2)?,
                    bytes: r.try_get::<Vec<u8>, _>(3)?,
                }),
            }
        });
        Ok(found)
    }

    /// Stores `bytes` under `name`, replacing what was there, in one transaction.
    pub async fn write_derived(
        &self,
        name: &str,
        format_version: u32,
        data_key: &str,
        bytes: &[u8],
    ) -> Result<(), StoreError> {
        let backend = self.backend;
        let built_at = crate::now_rfc3339();
        let delete = backend.sql("DELETE FROM derived_data WHERE name = ?");
        let insert = backend.sql(
            "INSERT INTO derived_data (name, format_version, data_key, built_at, bytes) \
             VALUES (?, ?, ?, ?, ?)",
        );
        dispatch!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(&delete).bind(name).execute(&mut *tx).await?;
            sqlx::query(&insert)
                .bind(name)
                .bind(i64::from(format_version))
                .bind(data_key)
                .bind(built_at.as_str())
                .bind(bytes)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Forgets every kind of derived data: the next start derives it again.
    pub async fn clear_derived(&self) -> Result<(), StoreError> {
        dispatch!(self, pool => {
            sqlx::query("DELETE FROM derived_data").execute(pool).await?;
        });
        Ok(())
    }
}
