//! What the store holds: the current release and row counts.

use serde::Serialize;
use skillgap_core::SourceFile;
use sqlx::Row;

use crate::load::TableCount;
use crate::row::TextRow;
use crate::{Backend, Store, StoreError, dispatch};

/// The release loaded most recently.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReleaseInfo {
    /// Record id.
    pub id: i64,
    /// Version, e.g. `29.0`.
    pub version: String,
    /// Directory or zip it was read from.
    pub source: String,
    /// Fingerprint of its files.
    pub fingerprint: String,
    /// When it was loaded (RFC 3339, UTC).
    pub loaded_at: String,
    /// Rows skipped by a lenient load.
    pub rejected_rows: u64,
    /// Files read, with checksums.
    pub files: Vec<SourceFile>,
}

/// Ratings held for one domain and source.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RatingsSummary {
    /// Domain (`skills`, `knowledge`, …).
    pub domain: String,
    /// Source (`onet-release`, `onet-api`, `llm`).
    pub source: String,
    /// Rating rows.
    pub ratings: u64,
    /// Occupations with at least one rating.
    pub occupations: u64,
}

/// Everything `skillgap status` reports.
#[derive(Clone, Debug, Serialize)]
pub struct Status {
    /// Backend name.
    pub backend: Backend,
    /// The database URL, password removed.
    pub database: String,
    /// Schema version (newest migration applied).
    pub schema_version: Option<i64>,
    /// The current release, if any was loaded.
    pub release: Option<ReleaseInfo>,
    /// Rows per table.
    pub tables: Vec<TableCount>,
    /// Ratings per domain and source.
    pub ratings: Vec<RatingsSummary>,
}

/// Tables reported by `status`, in schema order: the data itself (what is derived from it and
/// kept, `derived_data` and `derived_parts`, is a cache of it and left out, so that comparing a store before and
/// after shows only changes to the data).
pub const TABLES: [&str; 28] = [
    "releases",
    "release_files",
    "scales",
    "descriptors",
    "occupations",
    "ratings",
    "level_anchors",
    "alternate_titles",
    "reported_titles",
    "tasks",
    "job_zones",
    "related_occupations",
    "technology_skills",
    "education_categories",
    "education_training",
    "labor_files",
    "oews_wages",
    "employment_projections",
    "soc_crosswalk",
    "programme_files",
    "programmes",
    "programme_occupations",
    "title_files",
    "labelled_titles",
    "api_fetches",
    "llm_runs",
    "llm_justifications",
    "llm_narratives",
];

impl Store {
    /// The most recently loaded release, or `None` for an empty store.
    pub async fn current_release(&self) -> Result<Option<ReleaseInfo>, StoreError> {
        let backend = self.backend;
        let info = dispatch!(self, pool => {
            let row = sqlx::query(
                "SELECT id, version, source, fingerprint, loaded_at, rejected_rows FROM releases ORDER BY id DESC LIMIT 1",
            )
            .fetch_optional(pool)
            .await?;
            match row {
                None => None,
                Some(row) => {
                    let id: i64 = row.try_get("id")?;
                    let files = sqlx::query(&backend.sql(
                        "SELECT file_name, sha256, row_count FROM release_files WHERE release_id = ? ORDER BY file_name",
                    ))
                    .bind(id)
                    .fetch_all(pool)
                    .await?
                    .iter()
                    .map(|f| -> Result<SourceFile, sqlx::Error> {
                        Ok(SourceFile {
                            name: f.text("file_name")?,
                            sha256: f.text("sha256")?,
                            rows: f.try_get::<i64, _>("row_count")? as u64,
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                    Some(ReleaseInfo {
                        id,
                        version: row.text("version")?,
                        source: row.text("source")?,
                        fingerprint: row.text("fingerprint")?,
                        loaded_at: row.text("loaded_at")?,
                        rejected_rows: row.try_get::<i64, _>("rejected_rows")? as u64,
                        files,
                    })
                }
            }
        });
        Ok(info)
    }

    /// Rows per table, in schema order.
    pub async fn table_counts(&self) -> Result<Vec<TableCount>, StoreError> {
        let mut out = Vec::with_capacity(TABLES.len());
        for table in TABLES {
            let sql = format!("SELECT COUNT(*) FROM {table}");
            let rows: i64 =
                dispatch!(self, pool => sqlx::query(&sql).fetch_one(pool).await?.try_get(0)?);
            out.push(TableCount {
                table,
                rows: rows as u64,
            });
        }
        Ok(out)
    }

    /// Ratings per domain and source, with how many occupations each covers.
    pub async fn ratings_summary(&self) -> Result<Vec<RatingsSummary>, StoreError> {
        let sql = "SELECT d.domain, r.source, COUNT(*), COUNT(DISTINCT r.onetsoc_code) \
                   FROM ratings r JOIN descriptors d ON d.element_id = r.element_id \
                   GROUP BY d.domain, r.source ORDER BY d.domain, r.source";
        let out = dispatch!(self, pool => {
            sqlx::query(sql)
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| -> Result<RatingsSummary, sqlx::Error> {
                    Ok(RatingsSummary {
                        domain: r.opt_text(0)?.unwrap_or_default(),
                        source: r.text(1)?,
                        ratings: r.try_get::<i64, _>(2)? as u64,
                        occupations: r.try_get::<i64, _>(3)? as u64,
                    })
                })
                .collect::<Result<Vec<_>, _>>()?
        });
        Ok(out)
    }

    /// Release, counts and ratings coverage in one report.
    pub async fn status(&self) -> Result<Status, StoreError> {
        Ok(Status {
            backend: self.backend,
            database: self.url.clone(),
            schema_version: self.schema_version().await?,
            release: self.current_release().await?,
            tables: self.table_counts().await?,
            ratings: self.ratings_summary().await?,
        })
    }
}
