//! One occupation: title, description, job zone, alternate titles, tasks, and which ratings it has.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

use super::labor::LaborFactsDto;
use super::prepared::Prepared;
use super::{DataInfo, has_onet_ratings, occupation};
use crate::error::AppError;
use crate::params::OccupationRequest;
use crate::snapshot::Snapshot;

/// Ratings an occupation has in one domain.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct Coverage {
    /// Domain.
    pub domain: String,
    /// Source of its O*NET values (`onet-release` or `onet-api`), if it has any.
    pub onet: Option<String>,
    /// Whether LLM estimates exist.
    pub llm: bool,
}

/// A task statement.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct TaskDto {
    /// O*NET task id.
    pub id: u32,
    /// The statement.
    pub task: String,
    /// Core or Supplemental.
    pub task_type: Option<String>,
}

/// One occupation of O*NET's expert list of related occupations.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct RelatedDto {
    /// Code.
    pub code: String,
    /// Title.
    pub title: String,
    /// `Primary-Short` (ranks 1–5), `Primary-Long` (6–10) or `Supplemental` (11–20).
    pub tier: String,
    /// Rank, 1 = closest.
    pub index: u16,
}

/// Answer of `GET /occupations/{code}`.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct OccupationBody {
    /// Code.
    pub code: String,
    /// Title.
    pub title: String,
    /// O*NET's description.
    pub description: String,
    /// Job zone 1–5 (preparation needed), when known.
    pub job_zone: Option<u8>,
    /// Whether it has O*NET ratings in any domain.
    pub has_ratings: bool,
    /// Ratings per loaded domain.
    pub ratings: Vec<Coverage>,
    /// Other titles.
    pub alternate_titles: Vec<String>,
    /// Task statements.
    pub tasks: Vec<TaskDto>,
    /// O*NET's own expert-reviewed list of related occupations, when the loaded release has
    /// `Related Occupations.txt` (30.0 on); empty otherwise. Kept apart from the computed
    /// ranking of `/occupations/{code}/transitions`, which never reads it.
    pub related: Vec<RelatedDto>,
    /// Wages, employment, outlook and education; absent when no BLS data is loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<LaborFactsDto>)]
    pub labor: Option<Prepared<LaborFactsDto>>,
    /// Provenance and attribution.
    pub data: DataInfo,
}

/// `GET /occupations/{code}`.
pub fn occupation_body(s: &Snapshot, req: &OccupationRequest) -> Result<OccupationBody, AppError> {
    let catalog = s.catalog();
    let (i, e) = occupation(catalog, req.code)?;
    let mut sources = BTreeMap::new();
    sources.insert("occupation".into(), e.source.to_string());
    Ok(OccupationBody {
        code: e.occupation.code.to_string(),
        title: e.occupation.title.clone(),
        description: e.occupation.description.clone(),
        job_zone: e.job_zone,
        has_ratings: has_onet_ratings(catalog, i),
        ratings: catalog
            .domains
            .iter()
            .map(|t| Coverage {
                domain: t.domain.to_string(),
                onet: t.profiles(i).onet.as_ref().map(|p| p.source.to_string()),
                llm: t.profiles(i).llm.is_some(),
            })
            .collect(),
        alternate_titles: e.alternate_titles.clone(),
        tasks: e
            .tasks
            .iter()
            .map(|t| TaskDto {
                id: t.id,
                task: t.text.clone(),
                task_type: t.task_type.clone(),
            })
            .collect(),
        related: e
            .related
            .iter()
            .map(|r| RelatedDto {
                code: r.related.to_string(),
                title: catalog
                    .occupation(r.related)
                    .map(|o| o.occupation.title.clone())
                    .unwrap_or_default(),
                tier: r.tier.to_string(),
                index: r.index,
            })
            .collect(),
        labor: s.labor().of(e.occupation.code),
        data: DataInfo::new(catalog, sources).with_bls(s.facts(), true),
    })
}
