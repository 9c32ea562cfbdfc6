//! Reading everything back for the in-memory catalog, parsed into domain types at this edge.

use skillgap_core::{
    CatalogBuilder, Descriptor, Domain, ElementId, LevelAnchor, Occupation, OnetDate, Rating,
    RelatedOccupation, ScaleId, SocCode, Source, Task,
};
use sqlx::Row;

use crate::row::{TextRow, next_row};
use crate::scope::{Only, bound};
use crate::table::{DESCRIPTORS, LEVEL_ANCHORS, OCCUPATIONS, TASKS};
use crate::{Store, StoreError, dispatch};

/// A cheap summary that changes whenever the data the catalog is built from changes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DataVersion {
    /// Newest release id.
    pub release_id: i64,
    /// Occupation rows.
    pub occupations: i64,
    /// Rating rows from sources other than a release.
    pub other_ratings: i64,
    /// Newest web-API fetch (seconds since the epoch), so a refresh that changes no count
    /// still counts as a change.
    pub last_fetch: i64,
    /// Newest accepted LLM estimate run, so an enrichment that replaces estimates without
    /// changing their count still counts as a change.
    pub last_estimate: i64,
    /// Fingerprint of the labour-market files loaded (kind, checksum, load time), so a
    /// `load-labor` is picked up by a running server; 0 when none are.
    pub labor: i64,
    /// Fingerprint of the labelled-title files loaded (name, checksum, load time), so a
    /// `load-titles` is picked up by a running server; 0 when none are.
    pub titles: i64,
}

impl DataVersion {
    /// What the catalog's occupations and profiles were read from, as text: derived data kept
    /// under another key was derived from other data and is stale. Labour files are left out,
    /// as nothing derived from the catalog depends on them.
    pub fn derivation_key(&self) -> String {
        format!(
            "release={} occupations={} other_ratings={} last_fetch={} last_estimate={}",
            self.release_id,
            self.occupations,
            self.other_ratings,
            self.last_fetch,
            self.last_estimate
        )
    }

    /// Everything this version covers, as text: a value kept under another key was read from
    /// other data (a load, fetch, enrichment, or a labour, programme or title file since).
    pub fn full_key(&self) -> String {
        format!(
            "{} labor={} titles={}",
            self.derivation_key(),
            self.labor,
            self.titles
        )
    }
}

pub(crate) fn corrupt(table: &'static str, e: impl std::fmt::Display) -> sqlx::Error {
    sqlx::Error::Decode(format!("unexpected value in table {table}: {e}").into())
}

pub(crate) fn code(table: &'static str, s: &str) -> Result<SocCode, sqlx::Error> {
    SocCode::parse(s).map_err(|e| corrupt(table, e))
}

pub(crate) fn element(table: &'static str, s: &str) -> Result<ElementId, sqlx::Error> {
    ElementId::parse(s).map_err(|e| corrupt(table, e))
}

pub(crate) fn scale(table: &'static str, s: &str) -> Result<ScaleId, sqlx::Error> {
    ScaleId::parse(s).map_err(|e| corrupt(table, e))
}

pub(crate) fn date(
    table: &'static str,
    s: Option<String>,
) -> Result<Option<OnetDate>, sqlx::Error> {
    s.map(|d| OnetDate::parse(&d).map_err(|e| corrupt(table, e)))
        .transpose()
}

pub(crate) fn flag(s: Option<String>) -> Option<bool> {
    s.map(|f| f == "Y")
}

fn source(table: &'static str, s: &str) -> Result<Source, sqlx::Error> {
    Source::parse(s).ok_or_else(|| corrupt(table, format!("unknown source `{s}`")))
}

pub(crate) fn count(v: Option<i64>) -> Option<u32> {
    v.and_then(|n| u32::try_from(n).ok())
}

/// The labour and programme files loaded: a change to either reloads the facts.
const LABOR_VERSION: &str = "SELECT kind, sha256, loaded_at FROM labor_files UNION ALL SELECT kind, sha256, loaded_at FROM programme_files ORDER BY kind";
const TITLES_VERSION: &str =
    "SELECT file_name, sha256, loaded_at FROM title_files ORDER BY file_name";

/// FNV-1a over the labour (or title) files' rows: stable across processes and backends (unlike the std
/// hasher), and cheap for the three rows there are.
fn labor_fingerprint<R: TextRow>(rows: &[R]) -> Result<i64, sqlx::Error>
where
    usize: sqlx::ColumnIndex<R>,
{
    if rows.is_empty() {
        return Ok(0);
    }
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for r in rows {
        for i in 0..3 {
            for b in r.text(i)?.bytes().chain([0u8]) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        }
    }
    // Never 0, which means "none loaded".
    Ok((h >> 1) as i64 | 1)
}

const DATA_VERSION: &str = "SELECT (SELECT COALESCE(MAX(id), 0) FROM releases), \
    (SELECT COUNT(*) FROM occupations), \
    (SELECT COUNT(*) FROM ratings WHERE source <> 'onet-release'), \
    (SELECT COALESCE(MAX(fetched_epoch), 0) FROM api_fetches), \
    (SELECT COALESCE(MAX(id), 0) FROM llm_runs WHERE status = 'ok')";

fn data_version<R: Row>(row: R) -> Result<DataVersion, sqlx::Error>
where
    i64: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    usize: sqlx::ColumnIndex<R>,
{
    Ok(DataVersion {
        release_id: row.try_get(0)?,
        occupations: row.try_get(1)?,
        other_ratings: row.try_get(2)?,
        last_fetch: row.try_get(3)?,
        last_estimate: row.try_get(4)?,
        labor: 0,
        titles: 0,
    })
}

impl Store {
    /// Something that changes whenever a load, fetch or enrichment changes the data.
    pub async fn data_version(&self) -> Result<DataVersion, StoreError> {
        let v = dispatch!(self, pool => {
            let mut v = data_version(sqlx::query(DATA_VERSION).fetch_one(pool).await?)?;
            v.labor = labor_fingerprint(&sqlx::query(LABOR_VERSION).fetch_all(pool).await?)?;
            v.titles = labor_fingerprint(&sqlx::query(TITLES_VERSION).fetch_all(pool).await?)?;
            v
        });
        Ok(v)
    }

    /// Streams every row the catalog is built from into `builder`, one row at a time, so the
    /// whole store is never held in memory at once. Returns the data version that was read.
    pub async fn read_catalog(
        &self,
        builder: &mut CatalogBuilder,
    ) -> Result<DataVersion, StoreError> {
        self.read_catalog_of(builder, None).await
    }

    /// [`Store::read_catalog`], limited to the occupations in `only` when given (their rows
    /// alone; descriptors and anchors whole): what a one-shot answer about a few occupations
    /// reads. Returns the data version that was read.
    pub async fn read_catalog_of(
        &self,
        builder: &mut CatalogBuilder,
        only: Option<&[SocCode]>,
    ) -> Result<DataVersion, StoreError> {
        let backend = self.backend;
        let only = Only(only);
        let scoped = |sql: &str| only.sql(backend, sql);
        let binds = only.binds();
        let occupations_sql = scoped(&OCCUPATIONS.select());
        let ratings_sql = scoped(
            "SELECT onetsoc_code, element_id, scale_id, source, data_value, standard_error, \
             recommend_suppress, not_relevant, date_updated FROM ratings",
        );
        let titles_sql =
            scoped("SELECT onetsoc_code, title, short_title FROM alternate_titles ORDER BY id");
        let reported_sql = scoped("SELECT onetsoc_code, title FROM reported_titles ORDER BY id");
        let tasks_sql = scoped(&format!("{} ORDER BY task_id", TASKS.select()));
        let zones_sql = scoped("SELECT onetsoc_code, job_zone FROM job_zones");
        let related_sql = scoped(
            "SELECT onetsoc_code, related_onetsoc_code, relatedness_tier, related_index FROM related_occupations",
        );
        let version = dispatch!(self, pool => {
            // One transaction, so every table is read from the same state of the store (and the
            // version returned is the one the catalog reflects).
            let mut tx = pool.begin().await?;
            if backend == crate::Backend::Postgres {
                sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute(&mut *tx).await?;
            }
            let mut version = data_version(sqlx::query(DATA_VERSION).fetch_one(&mut *tx).await?)?;
            version.labor = labor_fingerprint(&sqlx::query(LABOR_VERSION).fetch_all(&mut *tx).await?)?;
            version.titles = labor_fingerprint(&sqlx::query(TITLES_VERSION).fetch_all(&mut *tx).await?)?;
            let release: Option<String> = match sqlx::query("SELECT version FROM releases ORDER BY id DESC LIMIT 1")
                .fetch_optional(&mut *tx)
                .await?
            {
                Some(r) => Some(r.text(0)?),
                None => None,
            };
            builder.set_release(release);
            let mut rows = bound!(&occupations_sql, &binds).fetch(&mut *tx);
            while let Some(r) = next_row(&mut rows).await? {
                let occupation = Occupation { code: code("occupations", &r.text(0)?)?, title: r.text(1)?, description: r.text(2)? };
                builder.occupation(occupation, source("occupations", &r.text(3)?)?);
            }
            drop(rows);
            let q = DESCRIPTORS.select();
            let mut rows = sqlx::query(&q).fetch(&mut *tx);
            while let Some(r) = next_row(&mut rows).await? {
                builder.descriptor(Descriptor {
                    id: element("descriptors", &r.text(0)?)?,
                    name: r.text(1)?,
                    description: r.text(2)?,
                    domain: r.opt_text(3)?.and_then(|d| d.parse::<Domain>().ok()),
                });
            }
            // Only what the catalog uses: fewer columns read noticeably faster.
            drop(rows);
            let mut rows = bound!(&ratings_sql, &binds).fetch(&mut *tx);
            while let Some(r) = next_row(&mut rows).await? {
                builder.rating(&Rating {
                    occupation: code("ratings", &r.text(0)?)?,
                    element: element("ratings", &r.text(1)?)?,
                    scale: scale("ratings", &r.text(2)?)?,
                    source: source("ratings", &r.text(3)?)?,
                    value: r.try_get(4)?,
                    n: None,
                    standard_error: r.try_get(5)?,
                    lower_ci: None,
                    upper_ci: None,
                    recommend_suppress: flag(r.opt_text(6)?),
                    not_relevant: flag(r.opt_text(7)?),
                    date: date("ratings", r.opt_text(8)?)?,
                    domain_source: None,
                });
            }
            drop(rows);
            let q = LEVEL_ANCHORS.select();
            let mut rows = sqlx::query(&q).fetch(&mut *tx);
            while let Some(r) = next_row(&mut rows).await? {
                builder.level_anchor(LevelAnchor {
                    element: element("level_anchors", &r.text(0)?)?,
                    scale: scale("level_anchors", &r.text(1)?)?,
                    value: r.try_get(2)?,
                    description: r.text(3)?,
                });
            }
            drop(rows);
            let mut rows = bound!(&titles_sql, &binds).fetch(&mut *tx);
            while let Some(r) = next_row(&mut rows).await? {
                let occupation = code("alternate_titles", &r.text(0)?)?;
                builder.alternate_title(occupation, r.text(1)?);
                if let Some(short) = r.opt_text(2)? {
                    builder.short_title(occupation, short);
                }
            }
            drop(rows);
            let mut rows = bound!(&reported_sql, &binds).fetch(&mut *tx);
            while let Some(r) = next_row(&mut rows).await? {
                builder.reported_title(code("reported_titles", &r.text(0)?)?, r.text(1)?);
            }
            drop(rows);
            let mut rows = bound!(&tasks_sql, &binds).fetch(&mut *tx);
            while let Some(r) = next_row(&mut rows).await? {
                builder.task(Task {
                    id: count(r.try_get(0)?).unwrap_or_default(),
                    occupation: code("tasks", &r.text(1)?)?,
                    text: r.text(2)?,
                    task_type: r.opt_text(3)?,
                    incumbents_responding: count(r.try_get(4)?),
                    date: date("tasks", r.opt_text(5)?)?,
                    domain_source: r.opt_text(6)?,
                });
            }
            drop(rows);
            let mut rows = bound!(&zones_sql, &binds).fetch(&mut *tx);
            while let Some(r) = next_row(&mut rows).await? {
                let zone = u8::try_from(r.try_get::<i64, _>(1)?).map_err(|e| corrupt("job_zones", e))?;
                builder.job_zone(code("job_zones", &r.text(0)?)?, zone);
            }
            drop(rows);
            let mut rows = bound!(&related_sql, &binds).fetch(&mut *tx);
            while let Some(r) = next_row(&mut rows).await? {
                let tier = r.text(2)?.parse().map_err(|e: String| corrupt("related_occupations", e))?;
                let index = u16::try_from(r.try_get::<i64, _>(3)?).map_err(|e| corrupt("related_occupations", e))?;
                builder.related(RelatedOccupation {
                    occupation: code("related_occupations", &r.text(0)?)?,
                    related: code("related_occupations", &r.text(1)?)?,
                    tier,
                    index,
                });
            }
            drop(rows);
            tx.commit().await?;
            version
        });
        Ok(version)
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> Result<(), StoreError> {
        dispatch!(self, pool => { sqlx::query("SELECT 1").fetch_one(pool).await?; });
        Ok(())
    }
}
