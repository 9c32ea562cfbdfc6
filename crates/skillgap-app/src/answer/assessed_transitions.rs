//! `POST /transitions`: the occupations a self-assessed profile is closest to qualifying for
//! (its targets), ranked in the core ([`skillgap_core::targets`]).

use std::collections::BTreeMap;

use serde::Serialize;
use skillgap_core::targets::{TARGETS_ORDER, rank_targets};

/// How many best-fitting targets `sort=wage_gain` reorders by pay.
pub const FITTING_TARGETS: usize = 50;
/// How `sort=wage_gain` orders targets.
pub const TARGETS_BY_WAGE: &str = "the 50 best-fitting targets (by the fit blend) that pay at least min_wage, by BLS median annual wage, highest first; unknown wages last";
use utoipa::ToSchema;

use super::assessed::assessed_levels;
use super::definition::{Definition, definition};
use super::labor::WageDto;
use super::moves::JobZoneChange;
use super::{DataInfo, OccupationRef, round, tables};
use crate::error::AppError;
use crate::params::Choice;
use crate::params::{AssessedLevel, AssessedTransitionsRequest, TargetSort};
use crate::snapshot::Snapshot;

/// One occupation a self-assessed person could aim for.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct TargetDto {
    /// Occupation code.
    pub code: String,
    /// Title.
    pub title: String,
    /// The blended score the default order ranks by (highest first).
    pub score: f64,
    /// How well the occupation fits the levels given, in [0, 1].
    pub fit: Option<f64>,
    /// Importance-weighted total gap from the self-assessment.
    pub weighted_gap_total: f64,
    /// Shortages.
    pub shortages: usize,
    /// Descriptors the occupation requires.
    pub required: usize,
    /// Level similarity in [0, 1] (weighted by the target's importance).
    pub similarity: Option<f64>,
    /// The occupation's job zone (the preparation it needs, 1–5).
    pub job_zone: JobZoneChange,
    /// Descriptors where your level is at least 1.5 above what the occupation asks, largest
    /// excess first (at most 5).
    pub unused_strengths: Vec<UnusedStrengthDto>,
    /// The occupation's median annual wage (BLS OEWS); absent when no BLS data is loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub median_wage: Option<WageDto>,
}

/// A descriptor where a person is well above what a target asks.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct UnusedStrengthDto {
    /// Element id.
    pub element: String,
    /// Its name.
    pub name: String,
    /// Your level.
    pub yours: f64,
    /// The occupation's level.
    pub target: f64,
}

/// Answer of `POST /transitions`.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct TargetsBody {
    /// The source: the self-assessment.
    pub from: OccupationRef,
    /// The gap definition used.
    pub definition: Definition,
    /// The order asked for: `fit` (default) or `wage_gain`.
    pub sort: &'static str,
    /// How targets are ordered.
    pub order: &'static str,
    /// The least median annual wage a target pays, when asked for.
    pub min_wage: Option<f64>,
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
    if let Some(parameter) = req.wage_parameter()
        && !s.facts().has_labor()
    {
        return Err(AppError::DataNotLoaded {
            parameter: parameter.into(),
            detail: "sort=wage_gain and min_wage need BLS wages, and none are loaded; run skillgap load-labor".into(),
        });
    }
    let min_wage = req.min_wage.map(|w| w.get());
    let wage = |o: usize| s.median_wage_at(o).and_then(|w| w.amount());
    let by_pay = req.sort == TargetSort::WageGain;
    let mut ranked = rank_targets(
        catalog.occupations.len(),
        &tables,
        &levels,
        options.source,
        &options.params(),
        if by_pay {
            FITTING_TARGETS.max(req.limit.count())
        } else {
            req.limit.count()
        },
        |o| min_wage.is_none_or(|m| wage(o).is_some_and(|w| w >= m)),
    );
    if by_pay {
        skillgap_core::pay::highest_first(&mut ranked.targets, |t| wage(t.occupation));
        ranked.targets.truncate(req.limit.count());
    }
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
        sort: req.sort.word(),
        order: if by_pay {
            TARGETS_BY_WAGE
        } else {
            TARGETS_ORDER
        },
        min_wage,
        candidates: ranked.candidates,
        targets: ranked
            .targets
            .into_iter()
            .map(|t| {
                let e = &catalog.occupations[t.occupation];
                let unused_strengths = t
                    .fit
                    .unused
                    .iter()
                    .map(|&(ti, d, yours, target)| {
                        let info = &tables[ti].descriptors[d];
                        UnusedStrengthDto {
                            element: info.id.to_string(),
                            name: info.name.clone(),
                            yours: round(yours, 2),
                            target: round(target, 2),
                        }
                    })
                    .collect();
                TargetDto {
                    code: e.occupation.code.to_string(),
                    title: e.occupation.title.clone(),
                    score: round(t.score, 4),
                    fit: t.fit.value.map(|v| round(v, 4)),
                    unused_strengths,
                    median_wage: s
                        .facts()
                        .has_labor()
                        .then(|| s.median_wage_at(t.occupation).and_then(WageDto::of))
                        .flatten(),
                    weighted_gap_total: round(t.summary.weighted_gap(), 4),
                    shortages: t.summary.shortages,
                    required: t.required,
                    similarity: t.summary.similarity.value().map(|v| round(v, 4)),
                    job_zone: JobZoneChange::between(None, e.job_zone),
                }
            })
            .collect(),
        data: DataInfo::new(catalog, sources).with_bls(s.facts(), s.facts().has_labor()),
    })
}
