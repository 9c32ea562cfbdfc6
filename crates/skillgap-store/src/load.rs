//! Loading a validated release: one transaction, multi-row inserts, release rows replaced and
//! rows from other sources (web API, LLM) kept.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use serde::Serialize;
use skillgap_core::{Progress, Release, Source};
use sqlx::{Executor, QueryBuilder, Row};

use crate::row::TextRow;
use crate::table::{
    ALTERNATE_TITLES, DESCRIPTORS, EDUCATION_CATEGORIES, EDUCATION_TRAINING, JOB_ZONES,
    LEVEL_ANCHORS, OCCUPATIONS, RATINGS, RELATED_OCCUPATIONS, RELEASE_FILES, REPORTED_TITLES,
    SCALES, TASKS, TECHNOLOGY_SKILLS, Table,
};
use crate::{Backend, Store, StoreError, dispatch, now_rfc3339};

/// Rows in one table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TableCount {
    /// Table name.
    pub table: &'static str,
    /// Row count.
    pub rows: u64,
}

/// What a load did.
#[derive(Clone, Debug, Serialize)]
pub struct LoadReport {
    /// Id of the release record (the existing one when nothing changed).
    pub release_id: i64,
    /// Release version.
    pub version: String,
    /// True when the same files were already loaded, so nothing was written.
    pub already_loaded: bool,
    /// Rows written per table by this load.
    pub written: Vec<TableCount>,
    /// Wall time of the database work.
    #[serde(serialize_with = "seconds")]
    pub elapsed: Duration,
}

/// Serializes a duration as seconds, as reports give wall time.
pub(crate) fn seconds<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

impl TableCount {
    /// Rows in all of `counts`.
    pub fn total(counts: &[TableCount]) -> u64 {
        counts.iter().map(|t| t.rows).sum()
    }
}

impl LoadReport {
    /// Rows written in all.
    pub fn rows(&self) -> u64 {
        TableCount::total(&self.written)
    }
}

/// Tables whose rows come only from a release; a new release replaces them whole. Children come
/// before their parents (`education_training` before `education_categories`).
const RELEASE_ONLY: [&str; 9] = [
    "related_occupations",
    "reported_titles",
    "level_anchors",
    "alternate_titles",
    "tasks",
    "job_zones",
    "technology_skills",
    "education_training",
    "education_categories",
];

const RELEASE: &str = Source::OnetRelease.as_str();

impl Store {
    /// Loads `release` in one transaction. The same files (by fingerprint) as the current release
    /// change nothing; a different release replaces release-sourced rows and keeps the others.
    /// On any error the transaction is rolled back and the store is exactly as it was.
    pub async fn load_release(
        &self,
        release: &Release,
        rejected_rows: u64,
        progress: &dyn Progress,
    ) -> Result<LoadReport, StoreError> {
        // A second load started beside this one waits here until this one commits, and then
        // finds the release already loaded.
        let lock = self.lock().await?;
        let loaded = self.load_locked(release, rejected_rows, progress).await;
        lock.release().await?;
        loaded
    }

    async fn load_locked(
        &self,
        release: &Release,
        rejected_rows: u64,
        progress: &dyn Progress,
    ) -> Result<LoadReport, StoreError> {
        let started = Instant::now();
        let backend = self.backend;
        let mut written = Vec::new();
        let release_id = dispatch!(self, pool => {
            // Taken before the check, so on SQLite no other writer can commit in between.
            let mut tx = crate::lock::begin_writer(pool, backend).await?;
            if let Some(current) = self.current_release().await?
                && current.fingerprint == release.fingerprint
                && current.version == release.version
                && current.rejected_rows == rejected_rows
            {
                return Ok(LoadReport {
                    release_id: current.id,
                    version: current.version,
                    already_loaded: true,
                    written: Vec::new(),
                    elapsed: started.elapsed(),
                });
            }
            progress.begin("replace previous release rows", 0);
            // Children first, so foreign keys hold at every statement.
            for table in RELEASE_ONLY {
                (&mut *tx).execute(format!("DELETE FROM {table}").as_str()).await?;
            }
            sqlx::query(&backend.sql("DELETE FROM ratings WHERE source = ?"))
                .bind(RELEASE)
                .execute(&mut *tx)
                .await?;
            progress.end();

            let total = release.row_count() as u64;
            progress.begin("write rows", total);
            let b = backend;
            written.push(TableCount { table: "scales", rows: release.scales.len() as u64 });
            insert!(tx, b, SCALES, &["scale_id"], &release.scales, progress, |q, s| {
                q.push_bind(s.id.as_str()).push_bind(s.name.as_str()).push_bind(s.minimum).push_bind(s.maximum);
            });
            written.push(TableCount { table: "descriptors", rows: release.descriptors.len() as u64 });
            insert!(tx, b, DESCRIPTORS, &["element_id"], &release.descriptors, progress, |q, d| {
                q.push_bind(d.id.as_str()).push_bind(d.name.as_str()).push_bind(d.description.as_str()).push_bind(d.domain.map(|x| x.as_str()));
            });
            written.push(TableCount { table: "occupations", rows: release.occupations.len() as u64 });
            insert!(tx, b, OCCUPATIONS, &["onetsoc_code"], &release.occupations, progress, |q, o| {
                q.push_bind(o.code.as_str()).push_bind(o.title.as_str()).push_bind(o.description.as_str()).push_bind(RELEASE);
            });

            // Occupations an earlier release had and this one lacks go, unless another source
            // (API, LLM) still has ratings for them.
            let keep: HashSet<&str> = release.occupations.iter().map(|o| o.code.as_str()).collect();
            let existing: Vec<String> = sqlx::query(&backend.sql("SELECT onetsoc_code FROM occupations WHERE source = ?"))
                .bind(RELEASE)
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|r| r.text(0))
                .collect::<Result<_, _>>()?;
            for code in existing.iter().filter(|c| !keep.contains(c.as_str())) {
                // Still used by another source: keep it, and say where it now comes from.
                let used = sqlx::query(&backend.sql(crate::references::OCCUPATION_USE))
                .bind(code.as_str())
                .fetch_one(&mut *tx)
                .await?;
                let by_api: i64 = used.try_get(0)?;
                let by_llm: i64 = used.try_get(1)?;
                if by_api + by_llm == 0 {
                    sqlx::query(&backend.sql("DELETE FROM occupations WHERE onetsoc_code = ?"))
                        .bind(code.as_str())
                        .execute(&mut *tx)
                        .await?;
                } else {
                    let source = if by_api > 0 { Source::OnetApi } else { Source::Llm };
                    sqlx::query(&backend.sql("UPDATE occupations SET source = ? WHERE onetsoc_code = ?"))
                        .bind(source.as_str())
                        .bind(code.as_str())
                        .execute(&mut *tx)
                        .await?;
                }
            }

            written.push(TableCount { table: "ratings", rows: release.ratings.len() as u64 });
            insert!(tx, b, RATINGS, &[], &release.ratings, progress, |q, r| {
                q.push_bind(r.occupation.as_str())
                    .push_bind(r.element.as_str())
                    .push_bind(r.scale.as_str())
                    .push_bind(r.source.as_str())
                    .push_bind(release.version.as_str())
                    .push_bind(r.value)
                    .push_bind(r.n.map(i64::from))
                    .push_bind(r.standard_error)
                    .push_bind(r.lower_ci)
                    .push_bind(r.upper_ci)
                    .push_bind(flag(r.recommend_suppress))
                    .push_bind(flag(r.not_relevant))
                    .push_bind(r.date.map(|d| d.to_string()))
                    .push_bind(r.domain_source.as_deref());
            });
            written.push(TableCount { table: "level_anchors", rows: release.level_anchors.len() as u64 });
            insert!(tx, b, LEVEL_ANCHORS, &[], &release.level_anchors, progress, |q, a| {
                q.push_bind(a.element.as_str()).push_bind(a.scale.as_str()).push_bind(a.value).push_bind(a.description.as_str());
            });
            written.push(TableCount { table: "alternate_titles", rows: release.alternate_titles.len() as u64 });
            insert!(tx, b, ALTERNATE_TITLES, &[], &release.alternate_titles, progress, |q, a| {
                q.push_bind(a.occupation.as_str()).push_bind(a.title.as_str()).push_bind(a.short_title.as_deref()).push_bind(a.sources.as_deref());
            });
            written.push(TableCount { table: "reported_titles", rows: release.reported_titles.len() as u64 });
            insert!(tx, b, REPORTED_TITLES, &[], &release.reported_titles, progress, |q, r| {
                q.push_bind(r.occupation.as_str()).push_bind(r.title.as_str()).push_bind(r.shown_in_my_next_move.map(|y| if y { "Y" } else { "N" }));
            });
            written.push(TableCount { table: "tasks", rows: release.tasks.len() as u64 });
            insert!(tx, b, TASKS, &[], &release.tasks, progress, |q, t| {
                q.push_bind(i64::from(t.id))
                    .push_bind(t.occupation.as_str())
                    .push_bind(t.text.as_str())
                    .push_bind(t.task_type.as_deref())
                    .push_bind(t.incumbents_responding.map(i64::from))
                    .push_bind(t.date.map(|d| d.to_string()))
                    .push_bind(t.domain_source.as_deref());
            });
            written.push(TableCount { table: "job_zones", rows: release.job_zones.len() as u64 });
            insert!(tx, b, JOB_ZONES, &[], &release.job_zones, progress, |q, z| {
                q.push_bind(z.occupation.as_str())
                    .push_bind(i64::from(z.zone))
                    .push_bind(z.date.map(|d| d.to_string()))
                    .push_bind(z.domain_source.as_deref());
            });
            written.push(TableCount { table: "related_occupations", rows: release.related_occupations.len() as u64 });
            insert!(tx, b, RELATED_OCCUPATIONS, &[], &release.related_occupations, progress, |q, r| {
                q.push_bind(r.occupation.as_str())
                    .push_bind(r.related.as_str())
                    .push_bind(r.tier.as_str())
                    .push_bind(i64::from(r.index));
            });
            written.push(TableCount { table: "technology_skills", rows: release.technology_skills.len() as u64 });
            insert!(tx, b, TECHNOLOGY_SKILLS, &[], &release.technology_skills, progress, |q, t| {
                q.push_bind(t.occupation.as_str())
                    .push_bind(t.example.as_str())
                    .push_bind(i64::from(t.commodity_code))
                    .push_bind(t.commodity_title.as_str())
                    .push_bind(flag(Some(t.hot)))
                    .push_bind(flag(Some(t.in_demand)));
            });
            written.push(TableCount { table: "education_categories", rows: release.education_categories.len() as u64 });
            insert!(tx, b, EDUCATION_CATEGORIES, &[], &release.education_categories, progress, |q, c| {
                q.push_bind(c.element.as_str())
                    .push_bind(c.scale.as_str())
                    .push_bind(i64::from(c.category))
                    .push_bind(c.description.as_str());
            });
            written.push(TableCount { table: "education_training", rows: release.education.len() as u64 });
            insert!(tx, b, EDUCATION_TRAINING, &[], &release.education, progress, |q, r| {
                q.push_bind(r.occupation.as_str())
                    .push_bind(r.element.as_str())
                    .push_bind(r.scale.as_str())
                    .push_bind(r.category.map(i64::from))
                    .push_bind(r.value)
                    .push_bind(r.n.map(i64::from))
                    .push_bind(r.standard_error)
                    .push_bind(r.lower_ci)
                    .push_bind(r.upper_ci)
                    .push_bind(flag(r.recommend_suppress))
                    .push_bind(r.date.map(|d| d.to_string()))
                    .push_bind(r.domain_source.as_deref());
            });

            // Reference rows no release row and no other source uses any more.
            let keep_descriptors: HashSet<&str> = release.descriptors.iter().map(|d| d.id.as_str()).collect();
            let stale: Vec<String> = sqlx::query("SELECT element_id FROM descriptors")
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|r| r.text(0))
                .collect::<Result<Vec<_>, _>>()?
                .into_iter()
                .filter(|e| !keep_descriptors.contains(e.as_str()))
                .collect();
            for element in &stale {
                sqlx::query(&backend.sql(
                    "DELETE FROM descriptors WHERE element_id = ? AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.element_id = ?) \
                     AND NOT EXISTS (SELECT 1 FROM llm_justifications j WHERE j.element_id = ?)",
                ))
                .bind(element.as_str())
                .bind(element.as_str())
                .bind(element.as_str())
                .execute(&mut *tx)
                .await?;
            }

            let mut q = QueryBuilder::new(
                "INSERT INTO releases (version, source, fingerprint, loaded_at, rejected_rows) VALUES (",
            );
            q.separated(", ")
                .push_bind(release.version.as_str())
                .push_bind(release.source.as_str())
                .push_bind(release.fingerprint.as_str())
                .push_bind(now_rfc3339())
                .push_bind(rejected_rows as i64);
            q.push(")");
            q.build().execute(&mut *tx).await?;
            let id: i64 = sqlx::query(&backend.sql("SELECT MAX(id) FROM releases WHERE fingerprint = ?"))
                .bind(release.fingerprint.as_str())
                .fetch_one(&mut *tx)
                .await?
                .try_get(0)?;
            insert!(tx, b, RELEASE_FILES, &[], &release.files, progress, |q, f| {
                q.push_bind(id).push_bind(f.name.as_str()).push_bind(f.sha256.as_str()).push_bind(f.rows as i64);
            });
            progress.end();
            tx.commit().await?;
            id
        });
        Ok(LoadReport {
            release_id,
            version: release.version.clone(),
            already_loaded: false,
            written,
            elapsed: started.elapsed(),
        })
    }
}

fn flag(v: Option<bool>) -> Option<&'static str> {
    v.map(|b| if b { "Y" } else { "N" })
}

/// Inserts `$rows` with as many rows per statement as the backend's bind limit allows; with a
/// non-empty key, rows with an existing key are updated (an upsert). A macro rather than a generic
/// function: it expands inside each arm of `dispatch!`, where the driver type is concrete.
macro_rules! insert {
    ($tx:expr, $backend:expr, $table:expr, $key:expr, $rows:expr, $progress:expr, |$q:ident, $r:ident| $bind:block) => {{
        let table: Table = $table;
        let (head, tail) = insert_sql($backend, table, $key);
        for chunk in $rows.chunks(($backend.max_binds() / table.columns.len()).max(1)) {
            let mut qb = QueryBuilder::new(&head);
            qb.push_values(chunk, |mut $q, $r| $bind);
            qb.push(&tail);
            qb.build().execute(&mut *$tx).await?;
            $progress.advance(chunk.len() as u64);
        }
    }};
}
pub(crate) use insert;

/// `INSERT INTO table (columns) ` and the upsert clause for `key` (empty for a plain insert).
pub(crate) fn insert_sql(backend: Backend, table: Table, key: &[&str]) -> (String, String) {
    let head = table.insert();
    let tail = if key.is_empty() {
        String::new()
    } else {
        let update: Vec<&str> = table
            .columns
            .iter()
            .copied()
            .filter(|c| !key.contains(c))
            .collect();
        backend.upsert(key, &update)
    };
    (head, tail)
}
