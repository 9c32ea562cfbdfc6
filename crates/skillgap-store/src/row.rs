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

/// The next row of `rows`, after giving the runtime its turn when this task's budget is spent.
///
/// A driver that keeps ahead of the reader never makes the stream wait, so reading a release's
/// ~270,000 rows would otherwise hold the worker for seconds: on a server reloading beside its
/// answers, connections' timers and requests on that worker would stall behind it.
pub(crate) async fn next_row<S: futures_util::TryStream + Unpin>(
    rows: &mut S,
) -> Result<Option<S::Ok>, S::Error> {
    tokio::task::consume_budget().await;
    futures_util::TryStreamExt::try_next(rows).await
}
