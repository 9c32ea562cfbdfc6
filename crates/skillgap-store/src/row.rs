//! Reading text columns the same way on every backend.
//!
//! MariaDB marks columns with a `_bin` collation (our keys are case-sensitive, so they use
//! `utf8mb4_bin`) as binary, and sqlx 0.8 then refuses to decode them as `String`. Reading them as
//! bytes and checking UTF-8 works everywhere; the other backends decode text directly.

use sqlx::mysql::MySqlRow;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{ColumnIndex, Row};

/// Text access that works on all three backends' rows.
pub(crate) trait TextRow: Row + Sized {
    /// A nullable text column.
    fn opt_text<I: ColumnIndex<Self>>(&self, index: I) -> Result<Option<String>, sqlx::Error>;

    /// A non-null text column.
    fn text<I: ColumnIndex<Self> + std::fmt::Debug + Copy>(
        &self,
        index: I,
    ) -> Result<String, sqlx::Error> {
        self.opt_text(index)?
            .ok_or_else(|| sqlx::Error::ColumnDecode {
                index: format!("{index:?}"),
                source: "unexpected NULL".into(),
            })
    }
}

impl TextRow for SqliteRow {
    fn opt_text<I: ColumnIndex<Self>>(&self, index: I) -> Result<Option<String>, sqlx::Error> {
        self.try_get(index)
    }
}

impl TextRow for PgRow {
    fn opt_text<I: ColumnIndex<Self>>(&self, index: I) -> Result<Option<String>, sqlx::Error> {
        self.try_get(index)
    }
}

impl TextRow for MySqlRow {
    fn opt_text<I: ColumnIndex<Self>>(&self, index: I) -> Result<Option<String>, sqlx::Error> {
        let bytes: Option<Vec<u8>> = self.try_get_unchecked(index)?;
        bytes
            .map(|b| String::from_utf8(b).map_err(|e| sqlx::Error::Decode(Box::new(e))))
            .transpose()
    }
}
