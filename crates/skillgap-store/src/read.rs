//! Reading everything back for the in-memory catalog, parsed into domain types at this edge.

use std::collections::HashMap;

use skillgap_core::{
    AlternateTitle, Descriptor, Domain, ElementId, JobZone, LevelAnchor, Occupation, OnetDate,
    Rating, Release, Scale, ScaleId, SocCode, Source, Task,
};
use sqlx::Row;

use crate::row::TextRow;
use crate::{Store, StoreError, dispatch};

/// What the store holds, as domain values: the current release's name, every table's rows
/// (ratings of every source), and where each occupation row came from.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    /// Version of the current release, if one is loaded.
    pub release: Option<String>,
    /// Rows of every table; `files` and `fingerprint` are left empty.
    pub data: Release,
    /// The source of each occupation row.
    pub occupation_sources: HashMap<SocCode, Source>,
}

/// A cheap summary that changes whenever the data the catalog is built from changes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DataVersion {
    /// Newest release id.
    pub release_id: i64,
    /// Occupation rows.
    pub occupations: i64,
    /// Rating rows from sources other than a release.
    pub other_ratings: i64,
}

fn corrupt(table: &'static str, e: impl std::fmt::Display) -> sqlx::Error {
    sqlx::Error::Decode(format!("unexpected value in table {table}: {e}").into())
}

fn code(table: &'static str, s: &str) -> Result<SocCode, sqlx::Error> {
    SocCode::parse(s).map_err(|e| corrupt(table, e))
}

fn element(table: &'static str, s: &str) -> Result<ElementId, sqlx::Error> {
    ElementId::parse(s).map_err(|e| corrupt(table, e))
}

fn scale(table: &'static str, s: &str) -> Result<ScaleId, sqlx::Error> {
    ScaleId::parse(s).map_err(|e| corrupt(table, e))
}

fn date(table: &'static str, s: Option<String>) -> Result<Option<OnetDate>, sqlx::Error> {
    s.map(|d| OnetDate::parse(&d).map_err(|e| corrupt(table, e)))
        .transpose()
}

fn flag(s: Option<String>) -> Option<bool> {
    s.map(|f| f == "Y")
}

fn source(table: &'static str, s: &str) -> Result<Source, sqlx::Error> {
    Source::parse(s).ok_or_else(|| corrupt(table, format!("unknown source `{s}`")))
}

fn count(v: Option<i64>) -> Option<u32> {
    v.and_then(|n| u32::try_from(n).ok())
}

impl Store {
    /// Something that changes whenever a load, fetch or enrichment changes the data.
    pub async fn data_version(&self) -> Result<DataVersion, StoreError> {
        let sql = "SELECT (SELECT COALESCE(MAX(id), 0) FROM releases), \
                   (SELECT COUNT(*) FROM occupations), \
                   (SELECT COUNT(*) FROM ratings WHERE source <> 'onet-release')";
        let v = dispatch!(self, pool => {
            let row = sqlx::query(sql).fetch_one(pool).await?;
            DataVersion {
                release_id: row.try_get(0)?,
                occupations: row.try_get(1)?,
                other_ratings: row.try_get(2)?,
            }
        });
        Ok(v)
    }

    /// Reads every table the catalog is built from.
    pub async fn dataset(&self) -> Result<Dataset, StoreError> {
        let release = self.current_release().await?.map(|r| r.version);
        let mut data = Release {
            version: release.clone().unwrap_or_default(),
            ..Release::default()
        };
        let mut occupation_sources = HashMap::new();
        dispatch!(self, pool => {
            for r in sqlx::query("SELECT onetsoc_code, title, description, source FROM occupations").fetch_all(pool).await? {
                let c = code("occupations", &r.text(0)?)?;
                occupation_sources.insert(c, source("occupations", &r.text(3)?)?);
                data.occupations.push(Occupation { code: c, title: r.text(1)?, description: r.text(2)? });
            }
            for r in sqlx::query("SELECT scale_id, name, minimum, maximum FROM scales").fetch_all(pool).await? {
                data.scales.push(Scale { id: scale("scales", &r.text(0)?)?, name: r.text(1)?, minimum: r.try_get(2)?, maximum: r.try_get(3)? });
            }
            for r in sqlx::query("SELECT element_id, name, description, domain FROM descriptors").fetch_all(pool).await? {
                data.descriptors.push(Descriptor {
                    id: element("descriptors", &r.text(0)?)?,
                    name: r.text(1)?,
                    description: r.text(2)?,
                    domain: r.opt_text(3)?.and_then(|d| d.parse::<Domain>().ok()),
                });
            }
            for r in sqlx::query(
                "SELECT onetsoc_code, element_id, scale_id, source, data_value, n, standard_error, lower_ci_bound, \
                 upper_ci_bound, recommend_suppress, not_relevant, date_updated, domain_source FROM ratings",
            )
            .fetch_all(pool)
            .await?
            {
                data.ratings.push(Rating {
                    occupation: code("ratings", &r.text(0)?)?,
                    element: element("ratings", &r.text(1)?)?,
                    scale: scale("ratings", &r.text(2)?)?,
                    source: source("ratings", &r.text(3)?)?,
                    value: r.try_get(4)?,
                    n: count(r.try_get(5)?),
                    standard_error: r.try_get(6)?,
                    lower_ci: r.try_get(7)?,
                    upper_ci: r.try_get(8)?,
                    recommend_suppress: flag(r.opt_text(9)?),
                    not_relevant: flag(r.opt_text(10)?),
                    date: date("ratings", r.opt_text(11)?)?,
                    domain_source: r.opt_text(12)?,
                });
            }
            for r in sqlx::query("SELECT element_id, scale_id, anchor_value, description FROM level_anchors").fetch_all(pool).await? {
                data.level_anchors.push(LevelAnchor {
                    element: element("level_anchors", &r.text(0)?)?,
                    scale: scale("level_anchors", &r.text(1)?)?,
                    value: r.try_get(2)?,
                    description: r.text(3)?,
                });
            }
            for r in sqlx::query("SELECT onetsoc_code, title, short_title, sources FROM alternate_titles ORDER BY id").fetch_all(pool).await? {
                data.alternate_titles.push(AlternateTitle {
                    occupation: code("alternate_titles", &r.text(0)?)?,
                    title: r.text(1)?,
                    short_title: r.opt_text(2)?,
                    sources: r.opt_text(3)?,
                });
            }
            for r in sqlx::query(
                "SELECT task_id, onetsoc_code, task, task_type, incumbents_responding, date_updated, domain_source FROM tasks ORDER BY task_id",
            )
            .fetch_all(pool)
            .await?
            {
                data.tasks.push(Task {
                    id: count(r.try_get(0)?).unwrap_or_default(),
                    occupation: code("tasks", &r.text(1)?)?,
                    text: r.text(2)?,
                    task_type: r.opt_text(3)?,
                    incumbents_responding: count(r.try_get(4)?),
                    date: date("tasks", r.opt_text(5)?)?,
                    domain_source: r.opt_text(6)?,
                });
            }
            for r in sqlx::query("SELECT onetsoc_code, job_zone, date_updated, domain_source FROM job_zones").fetch_all(pool).await? {
                data.job_zones.push(JobZone {
                    occupation: code("job_zones", &r.text(0)?)?,
                    zone: u8::try_from(r.try_get::<i64, _>(1)?).map_err(|e| corrupt("job_zones", e))?,
                    date: date("job_zones", r.opt_text(2)?)?,
                    domain_source: r.opt_text(3)?,
                });
            }
        });
        Ok(Dataset {
            release,
            data,
            occupation_sources,
        })
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> Result<(), StoreError> {
        dispatch!(self, pool => { sqlx::query("SELECT 1").fetch_one(pool).await?; });
        Ok(())
    }
}
