//! An occupation's importance and level for every descriptor of a domain.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

use super::{AnchorDto, DataInfo, OccupationRef, occupation, profile, tables};
use crate::error::AppError;
use crate::params::Choice;
use crate::params::ProfileRequest;
use crate::snapshot::Snapshot;

/// One descriptor of a profile.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct ProfileRow {
    /// Element id.
    pub element_id: String,
    /// Name.
    pub name: String,
    /// Domain.
    pub domain: String,
    /// O*NET's description of the descriptor.
    pub description: String,
    /// Importance (IM, 1–5).
    pub importance: Option<f64>,
    /// Level (LV, 0–7) as rated.
    pub level: Option<f64>,
    /// Standard error of the level.
    pub level_standard_error: Option<f64>,
    /// Level flagged Not Relevant (counted as 0 in gaps).
    pub not_relevant: bool,
    /// O*NET recommends suppressing a value (low precision).
    pub suppressed: bool,
    /// The anchor nearest the level.
    pub anchor: Option<AnchorDto>,
    /// Every level anchor of the descriptor, lowest first: what levels on its scale mean (the
    /// page's self-assessment labels its scales with them).
    pub anchors: Vec<AnchorDto>,
    /// Where the values came from.
    pub source: String,
}

/// Answer of `GET /occupations/{code}/profile`.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct ProfileBody {
    /// The occupation.
    pub occupation: OccupationRef,
    /// Domains listed.
    pub domains: Vec<String>,
    /// `onet`, `llm` or `best`.
    pub source: String,
    /// One row per descriptor, domain by domain, in element-id order.
    pub descriptors: Vec<ProfileRow>,
    /// Provenance and attribution.
    pub data: DataInfo,
}

/// `GET /occupations/{code}/profile`.
pub fn profile_body(s: &Snapshot, req: &ProfileRequest) -> Result<ProfileBody, AppError> {
    let catalog = s.catalog();
    let (i, e) = occupation(catalog, req.code)?;
    let choice = req.source;
    let tables = tables(catalog, req.domains)?;
    let mut rows = Vec::new();
    let mut sources = BTreeMap::new();
    for table in &tables {
        let p = profile(table, i, e, choice)?;
        sources.insert(table.domain.to_string(), p.source.to_string());
        for (d, cell) in table.descriptors.iter().zip(p.cells.iter()) {
            rows.push(ProfileRow {
                element_id: d.id.to_string(),
                name: d.name.clone(),
                domain: table.domain.to_string(),
                description: d.description.clone(),
                importance: cell.importance,
                level: cell.level,
                level_standard_error: cell.level_se,
                not_relevant: cell.not_relevant,
                suppressed: cell.suppressed,
                anchor: cell
                    .effective_level()
                    .and_then(|l| AnchorDto::nearest(d, l)),
                anchors: d
                    .anchors
                    .iter()
                    .map(|a| AnchorDto {
                        level: a.value,
                        description: a.description.to_string(),
                    })
                    .collect(),
                source: p.source.to_string(),
            });
        }
    }
    Ok(ProfileBody {
        occupation: OccupationRef::of(e),
        domains: tables.iter().map(|t| t.domain.to_string()).collect(),
        source: choice.word().into(),
        descriptors: rows,
        data: DataInfo::new(catalog, sources),
    })
}
