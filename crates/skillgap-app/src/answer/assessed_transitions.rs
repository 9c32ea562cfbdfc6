//! `POST /transitions`: the occupations a self-assessed profile is closest to qualifying for
//! (its targets), ranked in the core ([`skillgap_core::targets`]).

use std::collections::BTreeMap;

use serde::Serialize;
use skillgap_core::targets::{TARGETS_ORDER, rank_targets};
use utoipa::ToSchema;

use super::assessed::assessed_levels;
use super::definition::{Definition, definition};
use super::moves::JobZoneChange;
use super::{DataInfo, OccupationRef, round, tables};
use crate::error::AppError;
use crate::params::Choice;
use crate::params::{AssessedLevel, AssessedTransitionsRequest};
use crate::snapshot::Snapshot;

/// One occupation a self-assessed person could aim for.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct TargetDto {
    /// Occupation code.
    pub code: String,
    /// Title.
    pub title: String,
    /// Importance-weighted total gap from the self-assessment (what the ranking minimises).
    pub weighted_gap_total: f64,
    /// Shortages.
    pub shortages: usize,
    /// Descriptors the occupation requires.
    pub required: usize,
    /// Level similarity in [0, 1] (weighted by the target's importance).
    pub similarity: Option<f64>,
    /// The occupation's job zone (the preparation it needs, 1–5).
    pub job_zone: JobZoneChange,
}

/// Answer of `POST /transitions`.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct TargetsBody {
    /// The source: the self-assessment.
    pub from: OccupationRef,
    /// The gap definition used.
    pub definition: Definition,
    /// How targets are ordered.
    pub order: &'static str,
    /// How many occupations were compared.
    pub candidates: usize,
    /// Closest to qualifying first.
    pub targets: Vec<TargetDto>,
    /// Provenance and attribution.
    pub data: DataInfo,
}

/// `POST /transitions`: the occupations a self-assessed profile is closest to qualifying for.
pub fn assessed_transitions_body(
    s: &Snapshot,
    req: &AssessedTransitionsRequest,
) -> Result<TargetsBody, AppError> {
    let catalog = s.catalog();
    let options = &req.options;
    let tables = tables(catalog, options.domains)?;
    let levels = assessed_levels(
        &tables,
        req.levels.iter().map(|(k, v)| {
            let v = match v {
                AssessedLevel::Number(x) => Ok(*x),
                AssessedLevel::NotANumber(s) => Err(s.clone()),
            };
            (k, v)
        }),
    )?;
    let ranked = rank_targets(
        catalog.occupations.len(),
        &tables,
        &levels,
        options.source,
        &options.params(),
        req.limit.count(),
    );
    let mut sources = BTreeMap::new();
    for t in &tables {
        sources.insert(format!("from.{}", t.domain), "self-assessed".to_string());
        sources.insert(
            format!("to.{}", t.domain),
            options.source.word().to_string(),
        );
    }
    Ok(TargetsBody {
        from: OccupationRef {
            code: None,
            title: "Self-assessed profile".into(),
        },
        definition: definition(&tables, options),
        order: TARGETS_ORDER,
        candidates: ranked.candidates,
        targets: ranked
            .targets
            .into_iter()
            .map(|t| {
                let e = &catalog.occupations[t.occupation];
                TargetDto {
                    code: e.occupation.code.to_string(),
                    title: e.occupation.title.clone(),
                    weighted_gap_total: round(t.summary.weighted_gap(), 4),
                    shortages: t.summary.shortages,
                    required: t.required,
                    similarity: t.summary.similarity.value().map(|v| round(v, 4)),
                    job_zone: JobZoneChange::between(None, e.job_zone),
                }
            })
            .collect(),
        data: DataInfo::new(catalog, sources),
    })
}
