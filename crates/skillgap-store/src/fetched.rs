//! Rows fetched from O*NET Web Services: written beside release rows (never over them), with
//! when and how they were fetched.

use std::collections::{BTreeSet, HashMap};

use skillgap_core::{Descriptor, Domain, ElementId, Occupation, Rating, Scale, ScaleId, Source};
use sqlx::{Executor, QueryBuilder, Row};

use crate::row::{TextRow, next_row};
use crate::table::{API_FETCHES, DESCRIPTORS, OCCUPATIONS, RATINGS, SCALES};
use crate::{Store, StoreError, dispatch};

const API: &str = Source::OnetApi.as_str();

/// One recorded fetch.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ApiFetch {
    /// Occupation.
    pub code: String,
    /// `onet-api-v2` or `onet-api-v1.9`.
    pub provenance: String,
    /// When (RFC 3339, UTC).
    pub fetched_at: String,
    /// When, in seconds since the Unix epoch.
    pub fetched_epoch: i64,
    /// Rating rows stored.
    pub ratings: u64,
    /// Domains O*NET had no ratings for.
    pub unrated: Vec<String>,
}

/// What fetched rows are checked against, as the store holds it.
#[derive(Clone, Debug, Default)]
pub struct ReferenceData {
    /// Scales.
    pub scales: Vec<Scale>,
    /// Content-model elements.
    pub descriptors: Vec<Descriptor>,
    /// Elements the loaded release rates, per domain.
    pub rated_elements: HashMap<Domain, BTreeSet<ElementId>>,
}

impl Store {
    /// Scales, descriptors and the elements each domain's release ratings cover.
    pub async fn reference_data(&self) -> Result<ReferenceData, StoreError> {
        let backend = self.backend;
        let mut out = ReferenceData::default();
        dispatch!(self, pool => {
            let q = SCALES.select();
            let mut rows = sqlx::query(&q).fetch(pool);
            while let Some(r) = next_row(&mut rows).await? {
                out.scales.push(Scale {
                    id: ScaleId::parse(&r.text(0)?).map_err(|e| sqlx::Error::Decode(e.into()))?,
                    name: r.text(1)?,
                    minimum: r.try_get(2)?,
                    maximum: r.try_get(3)?,
                });
            }
            let q = DESCRIPTORS.select();
            let mut rows = sqlx::query(&q).fetch(pool);
            while let Some(r) = next_row(&mut rows).await? {
                out.descriptors.push(Descriptor {
                    id: ElementId::parse(&r.text(0)?).map_err(|e| sqlx::Error::Decode(e.into()))?,
                    name: r.text(1)?,
                    description: r.text(2)?,
                    domain: r.opt_text(3)?.and_then(|d| d.parse().ok()),
                });
            }
            let q = backend.sql("SELECT DISTINCT element_id FROM ratings WHERE source = ?");
            let mut rows = sqlx::query(&q).bind(Source::OnetRelease.as_str()).fetch(pool);
            while let Some(r) = next_row(&mut rows).await? {
                let id = ElementId::parse(&r.text(0)?).map_err(|e| sqlx::Error::Decode(e.into()))?;
                if let Some(d) = Domain::of(&id) {
                    out.rated_elements.entry(d).or_default().insert(id);
                }
            }
        });
        Ok(out)
    }

    /// Stores one fetched occupation in one transaction: its occupation row if the store lacks
    /// it, its API ratings (replacing earlier API ratings of that occupation; release rows are
    /// never touched), and the fetch record. On error nothing changes.
    pub async fn store_fetched(
        &self,
        occupation: &Occupation,
        ratings: &[Rating],
        unrated: &[Domain],
        provenance: &str,
        fetched_epoch: i64,
    ) -> Result<(), StoreError> {
        let backend = self.backend;
        let fetched_at = crate::rfc3339(fetched_epoch);
        let detail = format!("{provenance} {fetched_at}");
        let code = occupation.code.as_str();
        let unrated: Vec<&str> = unrated.iter().map(|d| d.as_str()).collect();
        let unrated = (!unrated.is_empty()).then(|| unrated.join(","));
        dispatch!(self, pool => {
            let mut tx = pool.begin().await?;
            let exists: i64 = sqlx::query(&backend.sql("SELECT COUNT(*) FROM occupations WHERE onetsoc_code = ?"))
                .bind(code)
                .fetch_one(&mut *tx)
                .await?
                .try_get(0)?;
            if exists == 0 {
                sqlx::query(&OCCUPATIONS.insert_one(backend))
                    .bind(code)
                    .bind(occupation.title.as_str())
                    .bind(occupation.description.as_str())
                    .bind(API)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(&backend.sql("DELETE FROM ratings WHERE onetsoc_code = ? AND source = ?"))
                .bind(code)
                .bind(API)
                .execute(&mut *tx)
                .await?;
            if !ratings.is_empty() {
                let mut q = QueryBuilder::new(RATINGS.insert());
                q.push_values(ratings, |mut b, r| {
                    b.push_bind(r.occupation.as_str())
                        .push_bind(r.element.as_str())
                        .push_bind(r.scale.as_str())
                        .push_bind(API)
                        .push_bind(detail.as_str())
                        .push_bind(r.value)
                        .push_bind(r.n.map(i64::from))
                        .push_bind(r.standard_error)
                        .push_bind(r.lower_ci)
                        .push_bind(r.upper_ci)
                        .push_bind(r.recommend_suppress.map(|f| if f { "Y" } else { "N" }))
                        .push_bind(r.not_relevant.map(|f| if f { "Y" } else { "N" }))
                        .push_bind(r.date.map(|d| d.to_string()))
                        .push_bind(r.domain_source.as_deref());
                });
                q.build().execute(&mut *tx).await?;
            }
            (&mut *tx).execute(sqlx::query(&API_FETCHES.delete(backend, &["onetsoc_code"])).bind(code)).await?;
            sqlx::query(&API_FETCHES.insert_one(backend))
            .bind(code)
            .bind(provenance)
            .bind(fetched_at.as_str())
            .bind(fetched_epoch)
            .bind(ratings.len() as i64)
            .bind(unrated.as_deref())
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Every recorded fetch, oldest first.
    pub async fn api_fetches(&self) -> Result<Vec<ApiFetch>, StoreError> {
        let out = dispatch!(self, pool => {
            let mut out = Vec::new();
            let q = format!("{} ORDER BY fetched_epoch, onetsoc_code", API_FETCHES.select());
            let mut rows = sqlx::query(&q).fetch(pool);
            while let Some(r) = next_row(&mut rows).await? {
                out.push(ApiFetch {
                    code: r.text(0)?,
                    provenance: r.text(1)?,
                    fetched_at: r.text(2)?,
                    fetched_epoch: r.try_get(3)?,
                    ratings: r.try_get::<i64, _>(4)? as u64,
                    unrated: r.opt_text(5)?.map(|s| s.split(',').map(str::to_owned).collect()).unwrap_or_default(),
                });
            }
            out
        });
        Ok(out)
    }
}
