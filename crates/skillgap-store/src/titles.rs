//! An organisation's labelled titles (`skillgap load-titles`): each file recorded with its
//! provenance (name, source, SHA-256, rows, load time) and its rows, in one transaction. The same
//! file (name and checksum) again changes nothing; a file of the same name with other bytes
//! replaces that file's rows. Kept apart from O*NET's tables.

use std::time::{Duration, Instant};

use serde::Serialize;
use skillgap_core::titles::{LabelledRow, LabelledTitle};
use sqlx::{QueryBuilder, Row};

use crate::load::seconds;
use crate::row::TextRow;
use crate::{Store, StoreError, dispatch, now_rfc3339};

/// A labelled-titles file about to be loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TitleFile {
    /// Its name (the last part of its path): the key a reload replaces.
    pub file_name: String,
    /// Where it was read from.
    pub source: String,
    /// Lower-case hex SHA-256 of its bytes.
    pub sha256: String,
}

/// A labelled-titles file as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoredTitleFile {
    /// Its name.
    pub file_name: String,
    /// Where it was read from.
    pub source: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// Titles loaded from it.
    pub rows: u64,
    /// When (RFC 3339, UTC).
    pub loaded_at: String,
}

/// What a `load-titles` did.
#[derive(Clone, Debug, Serialize)]
pub struct TitlesLoadReport {
    /// The same file (name and checksum) was already loaded: nothing written.
    pub already_loaded: bool,
    /// Whether an earlier version of the file (same name) was replaced.
    pub replaced: bool,
    /// Titles written.
    pub rows: u64,
    /// Wall time of the database work, seconds.
    #[serde(serialize_with = "seconds")]
    pub elapsed: Duration,
}

impl Store {
    /// The labelled-title files loaded, by name.
    pub async fn title_files(&self) -> Result<Vec<StoredTitleFile>, StoreError> {
        let sql = "SELECT file_name, source, sha256, row_count, loaded_at FROM title_files ORDER BY file_name";
        let out = dispatch!(self, pool => {
            sqlx::query(sql)
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| -> Result<StoredTitleFile, sqlx::Error> {
                    Ok(StoredTitleFile {
                        file_name: r.text(0)?,
                        source: r.text(1)?,
                        sha256: r.text(2)?,
                        rows: r.try_get::<i64, _>(3)? as u64,
                        loaded_at: r.text(4)?,
                    })
                })
                .collect::<Result<Vec<_>, _>>()?
        });
        Ok(out)
    }

    /// Loads a file's labelled titles in one transaction (rows already checked by the caller).
    pub async fn load_titles(
        &self,
        file: &TitleFile,
        rows: &[LabelledRow],
    ) -> Result<TitlesLoadReport, StoreError> {
        let started = Instant::now();
        let stored = self.title_files().await?;
        let before = stored.iter().find(|s| s.file_name == file.file_name);
        if before.is_some_and(|s| s.sha256 == file.sha256) {
            return Ok(TitlesLoadReport {
                already_loaded: true,
                replaced: false,
                rows: 0,
                elapsed: started.elapsed(),
            });
        }
        let backend = self.backend;
        let loaded_at = now_rfc3339();
        dispatch!(self, pool => {
            let mut tx = pool.begin().await?;
            let old: Option<i64> = sqlx::query(&backend.sql("SELECT id FROM title_files WHERE file_name = ?"))
                .bind(file.file_name.as_str())
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| r.try_get(0))
                .transpose()?;
            if let Some(id) = old {
                sqlx::query(&backend.sql("DELETE FROM labelled_titles WHERE file_id = ?"))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(&backend.sql("DELETE FROM title_files WHERE id = ?"))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(&backend.sql(
                "INSERT INTO title_files (file_name, source, sha256, row_count, loaded_at) VALUES (?, ?, ?, ?, ?)",
            ))
            .bind(file.file_name.as_str())
            .bind(file.source.as_str())
            .bind(file.sha256.as_str())
            .bind(rows.len() as i64)
            .bind(loaded_at.as_str())
            .execute(&mut *tx)
            .await?;
            let id: i64 = sqlx::query(&backend.sql("SELECT id FROM title_files WHERE file_name = ?"))
                .bind(file.file_name.as_str())
                .fetch_one(&mut *tx)
                .await?
                .try_get(0)?;
            for chunk in rows.chunks((backend.max_binds() / 4).max(1)) {
                let mut q = QueryBuilder::new("INSERT INTO labelled_titles (file_id, line, title, codes) ");
                q.push_values(chunk, |mut b, r| {
                    b.push_bind(id)
                        .push_bind(r.line as i64)
                        .push_bind(r.title.as_str())
                        .push_bind(r.codes.join(";"));
                });
                q.build().execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(TitlesLoadReport {
            already_loaded: false,
            replaced: before.is_some(),
            rows: rows.len() as u64,
            elapsed: started.elapsed(),
        })
    }

    /// Every labelled title, by file then line, with its file as source.
    pub async fn labelled_titles(&self) -> Result<Vec<LabelledTitle>, StoreError> {
        let sql = "SELECT f.file_name, l.title, l.codes FROM labelled_titles l \
                   JOIN title_files f ON f.id = l.file_id ORDER BY f.file_name, l.line";
        let out = dispatch!(self, pool => {
            sqlx::query(sql)
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| -> Result<LabelledTitle, sqlx::Error> {
                    Ok(LabelledTitle {
                        source: r.text(0)?,
                        title: r.text(1)?,
                        codes: r.text(2)?.split(';').map(str::to_owned).collect(),
                    })
                })
                .collect::<Result<Vec<_>, _>>()?
        });
        Ok(out)
    }
}
