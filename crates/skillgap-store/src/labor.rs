//! BLS labour-market data: loading it (one transaction, idempotent by checksum, only the kinds of
//! file given are replaced) and reading it back keyed by SOC code.

use std::time::{Duration, Instant};

use serde::Serialize;
use skillgap_core::labor::{
    AnnualWages, CrosswalkEntry, LaborData, LaborFile, LaborFileKind, OewsGroup, OewsRow,
    Projection, ProjectionKind, Soc2018Code, Wage, WageUnavailable,
};
use skillgap_core::{Progress, SocCode};
use sqlx::{Executor, QueryBuilder, Row};

use crate::load::{TableCount, insert, insert_sql, seconds};
use crate::read::{code, corrupt};
use crate::row::TextRow;
use crate::table::{EMPLOYMENT_PROJECTIONS, OEWS_WAGES, SOC_CROSSWALK, Table};
use crate::{Store, StoreError, dispatch, now_rfc3339};

/// What a labour-market load did.
#[derive(Clone, Debug, Serialize)]
pub struct LaborLoadReport {
    /// True when every file given was already loaded with the same checksum: nothing written.
    pub already_loaded: bool,
    /// Rows written per table.
    pub written: Vec<TableCount>,
    /// Wall time of the database work, seconds.
    #[serde(serialize_with = "seconds")]
    pub elapsed: Duration,
}

impl LaborLoadReport {
    /// Rows written in all.
    pub fn rows(&self) -> u64 {
        TableCount::total(&self.written)
    }
}

/// A labour-market file as recorded in the store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoredLaborFile {
    /// The file's provenance.
    #[serde(flatten)]
    pub file: LaborFile,
    /// The file's name: the last part of its source.
    pub file_name: String,
    /// When it was loaded (RFC 3339, UTC).
    pub loaded_at: String,
}

fn soc(table: &'static str, s: &str) -> Result<Soc2018Code, sqlx::Error> {
    Soc2018Code::parse(s.trim()).map_err(|e| corrupt(table, e))
}

/// A wage as a value and a marker column.
fn wage_cols(w: Wage) -> (Option<f64>, Option<&'static str>) {
    match w {
        Wage::Amount(a) => (Some(a), None),
        Wage::AtLeast(a) => (Some(a), Some("#")),
        Wage::Unavailable(_) => (None, Some("*")),
    }
}

fn wage_of(
    table: &'static str,
    value: Option<f64>,
    mark: Option<String>,
) -> Result<Wage, sqlx::Error> {
    match (value, mark.as_deref()) {
        (Some(a), None) => Ok(Wage::Amount(a)),
        (Some(a), Some("#")) => Ok(Wage::AtLeast(a)),
        (None, Some("*")) => Ok(Wage::Unavailable(WageUnavailable::NotAvailable)),
        (v, m) => Err(corrupt(table, format!("wage {v:?} with marker {m:?}"))),
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "Y" } else { "N" }
}

fn source_name(f: &LaborFile) -> String {
    let path = std::path::Path::new(&f.source);
    path.file_name()
        .map_or_else(|| f.source.clone(), |n| n.to_string_lossy().into_owned())
}

impl Store {
    /// The labour-market files loaded, by kind.
    pub async fn labor_files(&self) -> Result<Vec<StoredLaborFile>, StoreError> {
        const T: &str = "labor_files";
        let sql = "SELECT kind, file_name, source, release_name, sha256, row_count, loaded_at FROM labor_files ORDER BY kind";
        let out = dispatch!(self, pool => {
            sqlx::query(sql)
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| -> Result<StoredLaborFile, sqlx::Error> {
                    let kind = r.text(0)?;
                    Ok(StoredLaborFile {
                        file: LaborFile {
                            kind: LaborFileKind::parse(&kind).ok_or_else(|| corrupt(T, format!("unknown kind `{kind}`")))?,
                            source: r.text(2)?,
                            release: r.text(3)?,
                            sha256: r.text(4)?,
                            rows: r.try_get::<i64, _>(5)? as u64,
                        },
                        file_name: r.text(1)?,
                        loaded_at: r.text(6)?,
                    })
                })
                .collect::<Result<Vec<_>, _>>()?
        });
        Ok(out)
    }

    /// Loads `data` in one transaction. Files whose kind and checksum are already recorded change
    /// nothing; when all are, nothing is written. Each kind of file given replaces that kind's
    /// rows; a kind not given (the crosswalk, say) keeps what it had. On any error the store is
    /// exactly as it was.
    pub async fn load_labor(
        &self,
        data: &LaborData,
        progress: &dyn Progress,
    ) -> Result<LaborLoadReport, StoreError> {
        let started = Instant::now();
        let stored = self.labor_files().await?;
        let unchanged = |f: &LaborFile| {
            stored.iter().any(|s| {
                s.file.kind == f.kind && s.file.sha256 == f.sha256 && s.file.release == f.release
            })
        };
        if data.files.iter().all(unchanged) {
            return Ok(LaborLoadReport {
                already_loaded: true,
                written: Vec::new(),
                elapsed: started.elapsed(),
            });
        }
        let backend = self.backend;
        let b = backend;
        let has = |k: LaborFileKind| data.files.iter().any(|f| f.kind == k);
        let mut written = Vec::new();
        let loaded_at = now_rfc3339();
        dispatch!(self, pool => {
            let mut tx = pool.begin().await?;
            progress.begin("write labour-market rows", data.row_count() as u64);
            if has(LaborFileKind::Oews) {
                (&mut *tx).execute("DELETE FROM oews_wages").await?;
                written.push(TableCount { table: "oews_wages", rows: data.oews.len() as u64 });
                insert!(tx, b, OEWS_WAGES, &[], &data.oews, progress, |q, r| {
                    q.push_bind(r.code.as_str())
                        .push_bind(r.group.as_str())
                        .push_bind(r.title.as_str())
                        .push_bind(r.employment.map(|e| e as i64));
                    let a = &r.annual;
                    for w in [a.mean, a.pct10, a.pct25, a.median, a.pct75, a.pct90, r.hourly_mean, r.hourly_median] {
                        let (v, m) = wage_cols(w);
                        q.push_bind(v).push_bind(m);
                    }
                    q.push_bind(yes_no(r.annual_only)).push_bind(yes_no(r.hourly_only));
                });
            }
            if has(LaborFileKind::Projections) {
                (&mut *tx).execute("DELETE FROM employment_projections").await?;
                written.push(TableCount { table: "employment_projections", rows: data.projections.len() as u64 });
                insert!(tx, b, EMPLOYMENT_PROJECTIONS, &[], &data.projections, progress, |q, p| {
                    let (v, m) = wage_cols(p.median_wage);
                    q.push_bind(p.code.as_str())
                        .push_bind(p.title.as_str())
                        .push_bind(p.kind.as_str())
                        .push_bind(p.employment_base)
                        .push_bind(p.employment_projected)
                        .push_bind(p.change)
                        .push_bind(p.change_percent)
                        .push_bind(p.annual_openings)
                        .push_bind(v)
                        .push_bind(m)
                        .push_bind(p.entry_education.as_deref())
                        .push_bind(p.work_experience.as_deref())
                        .push_bind(p.training.as_deref());
                });
            }
            if has(LaborFileKind::Crosswalk) {
                (&mut *tx).execute("DELETE FROM soc_crosswalk").await?;
                written.push(TableCount { table: "soc_crosswalk", rows: data.crosswalk.len() as u64 });
                insert!(tx, b, SOC_CROSSWALK, &[], &data.crosswalk, progress, |q, c| {
                    q.push_bind(c.onet.as_str())
                        .push_bind(c.onet_title.as_str())
                        .push_bind(c.soc.as_str())
                        .push_bind(c.soc_title.as_str());
                });
            }
            for f in &data.files {
                sqlx::query(&backend.sql("DELETE FROM labor_files WHERE kind = ?"))
                    .bind(f.kind.as_str())
                    .execute(&mut *tx)
                    .await?;
                let mut q = QueryBuilder::new(
                    "INSERT INTO labor_files (kind, file_name, source, release_name, sha256, row_count, loaded_at) VALUES (",
                );
                q.separated(", ")
                    .push_bind(f.kind.as_str())
                    .push_bind(source_name(f))
                    .push_bind(f.source.as_str())
                    .push_bind(f.release.as_str())
                    .push_bind(f.sha256.as_str())
                    .push_bind(f.rows as i64)
                    .push_bind(loaded_at.as_str());
                q.push(")");
                q.build().execute(&mut *tx).await?;
            }
            progress.end();
            tx.commit().await?;
        });
        Ok(LaborLoadReport {
            already_loaded: false,
            written,
            elapsed: started.elapsed(),
        })
    }

    /// Everything loaded from the labour-market files, keyed by SOC code (OEWS by code and
    /// level), for the in-memory catalog; `files` carries the provenance.
    pub async fn labor_data(&self) -> Result<LaborData, StoreError> {
        let files = self
            .labor_files()
            .await?
            .into_iter()
            .map(|f| f.file)
            .collect();
        const W: &str = "oews_wages";
        let oews_sql = "SELECT soc_code, o_group, title, employment, \
            a_mean, a_mean_mark, a_pct10, a_pct10_mark, a_pct25, a_pct25_mark, a_median, a_median_mark, \
            a_pct75, a_pct75_mark, a_pct90, a_pct90_mark, h_mean, h_mean_mark, h_median, h_median_mark, \
            annual_only, hourly_only FROM oews_wages ORDER BY soc_code, o_group";
        const P: &str = "employment_projections";
        let projections_sql = "SELECT soc_code, title, kind, employment_base, employment_projected, change_numeric, \
            change_percent, annual_openings, median_wage, median_wage_mark, entry_education, work_experience, training \
            FROM employment_projections ORDER BY soc_code";
        const C: &str = "soc_crosswalk";
        let crosswalk_sql = "SELECT onetsoc_code, onet_title, soc_code, soc_title FROM soc_crosswalk ORDER BY onetsoc_code";
        let (oews, projections, crosswalk) = dispatch!(self, pool => {
            let oews = sqlx::query(oews_sql)
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| -> Result<OewsRow, sqlx::Error> {
                    let w = |i: usize| -> Result<Wage, sqlx::Error> { wage_of(W, r.try_get(i)?, r.opt_text(i + 1)?) };
                    let group = r.text(1)?;
                    Ok(OewsRow {
                        code: soc(W, &r.text(0)?)?,
                        group: OewsGroup::parse(&group).ok_or_else(|| corrupt(W, format!("unknown group `{group}`")))?,
                        title: r.text(2)?,
                        employment: r.try_get::<Option<i64>, _>(3)?.map(|e| e as u64),
                        annual: AnnualWages {
                            mean: w(4)?,
                            pct10: w(6)?,
                            pct25: w(8)?,
                            median: w(10)?,
                            pct75: w(12)?,
                            pct90: w(14)?,
                        },
                        hourly_mean: w(16)?,
                        hourly_median: w(18)?,
                        annual_only: r.text(20)? == "Y",
                        hourly_only: r.text(21)? == "Y",
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let projections = sqlx::query(projections_sql)
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| -> Result<Projection, sqlx::Error> {
                    let kind = r.text(2)?;
                    Ok(Projection {
                        code: soc(P, &r.text(0)?)?,
                        title: r.text(1)?,
                        kind: ProjectionKind::parse(&kind).ok_or_else(|| corrupt(P, format!("unknown kind `{kind}`")))?,
                        employment_base: r.try_get(3)?,
                        employment_projected: r.try_get(4)?,
                        change: r.try_get(5)?,
                        change_percent: r.try_get(6)?,
                        annual_openings: r.try_get(7)?,
                        median_wage: wage_of(P, r.try_get(8)?, r.opt_text(9)?)?,
                        entry_education: r.opt_text(10)?,
                        work_experience: r.opt_text(11)?,
                        training: r.opt_text(12)?,
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let crosswalk = sqlx::query(crosswalk_sql)
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| -> Result<CrosswalkEntry, sqlx::Error> {
                    Ok(CrosswalkEntry {
                        onet: code(C, &r.text(0)?)?,
                        onet_title: r.text(1)?,
                        soc: soc(C, &r.text(2)?)?,
                        soc_title: r.text(3)?,
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            (oews, projections, crosswalk)
        });
        // Sorted here rather than by the database, whose collation may differ per backend.
        let mut oews = oews;
        oews.sort_by(|a, b| (a.code, a.group.as_str()).cmp(&(b.code, b.group.as_str())));
        Ok(LaborData {
            files,
            oews,
            projections,
            crosswalk,
        })
    }

    /// Every occupation code in the store, to check a crosswalk against.
    pub async fn occupation_codes(&self) -> Result<Vec<SocCode>, StoreError> {
        let out = dispatch!(self, pool => {
            sqlx::query("SELECT onetsoc_code FROM occupations ORDER BY onetsoc_code")
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| -> Result<SocCode, sqlx::Error> { code("occupations", &r.text(0)?) })
                .collect::<Result<Vec<_>, _>>()?
        });
        Ok(out)
    }
}
