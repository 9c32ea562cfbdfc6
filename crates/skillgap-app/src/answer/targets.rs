//! Targets for a self-assessed profile: the occupations a person is closest to qualifying for,
//! and the check of the levels they sent, shared with the self-assessed gap.

use std::collections::BTreeMap;

use serde::Serialize;
use skillgap_core::gap::{self, FromSide, GapSummary, summarize_side};
use skillgap_core::{Catalog, DomainTable, ElementId};
use utoipa::ToSchema;

use super::gap::{Definition, definition};
use super::transitions::JobZoneChange;
use super::{DataInfo, OccupationRef, round, tables};
use crate::error::AppError;
use crate::params::{AssessedLevel, AssessedTransitionsRequest};

/// The levels of a self-assessment, one vector per compared domain (`None` = not given), or an
/// error naming every bad entry: unknown element ids, levels outside 0–7, non-numbers.
pub(crate) fn assessed_levels<'a>(
    tables: &[&DomainTable],
    levels: impl IntoIterator<Item = (&'a String, Result<f64, String>)>,
) -> Result<Vec<Vec<Option<f64>>>, AppError> {
    let mut out: Vec<Vec<Option<f64>>> = tables
        .iter()
        .map(|t| vec![None; t.descriptors.len()])
        .collect();
    let mut bad: Vec<(String, String)> = Vec::new();
    for (key, value) in levels {
        let parameter = format!("levels.{key}");
        let id = match ElementId::parse(key) {
            Ok(id) => id,
            Err(e) => {
                bad.push((parameter, e.to_string()));
                continue;
            }
        };
        let slot = tables
            .iter()
            .enumerate()
            .find_map(|(ti, t)| t.position(&id).map(|p| (ti, p)));
        let Some((t, p)) = slot else {
            let names: Vec<String> = tables
                .iter()
                .map(|t| format!("{} {}", t.descriptors.len(), t.domain))
                .collect();
            bad.push((
                parameter,
                format!(
                    "`{key}` is not a descriptor of the compared domains ({}); GET /occupations/{{code}}/profile lists them",
                    names.join(", ")
                ),
            ));
            continue;
        };
        match value {
            Ok(v) if v.is_finite() && (0.0..=gap::LEVEL_RANGE).contains(&v) => out[t][p] = Some(v),
            Ok(v) => bad.push((
                parameter,
                format!("level must be from 0 to 7 (O*NET's level scale), got {v}"),
            )),
            Err(sent) => bad.push((
                parameter,
                format!("level must be a number from 0 to 7 (O*NET's level scale), got {sent}"),
            )),
        }
    }
    match bad.len() {
        0 => Ok(out),
        1 => {
            let (parameter, detail) = bad.remove(0);
            Err(AppError::parameter(&parameter, detail))
        }
        n => Err(AppError::InvalidParameter {
            parameter: bad
                .iter()
                .map(|(p, _)| p.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            detail: format!(
                "{n} levels are invalid: {}",
                bad.iter()
                    .map(|(p, d)| format!("{p}: {d}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        }),
    }
}

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

/// How targets are ordered.
pub const TARGETS_ORDER: &str = "by importance-weighted total gap from the self-assessment, smallest first; ties by higher similarity, then code";

/// `POST /transitions`: the occupations a self-assessed profile is closest to qualifying for.
pub fn targets_body(
    catalog: &Catalog,
    req: &AssessedTransitionsRequest,
) -> Result<TargetsBody, AppError> {
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
    let mut ranked: Vec<(usize, GapSummary, usize)> = (0..catalog.occupations.len())
        .filter_map(|o| {
            let mut acc = GapSummary::default();
            let mut required = 0;
            for (t, assessed) in tables.iter().zip(&levels) {
                let target = t.profiles(o).get(options.source)?;
                summarize_side(
                    FromSide::Assessed(assessed),
                    &target.cells,
                    &options.params,
                    &mut acc,
                );
                required += target
                    .cells
                    .iter()
                    .filter(|c| {
                        c.importance
                            .is_some_and(|i| i >= options.params.min_importance)
                    })
                    .count();
            }
            Some((o, acc, required))
        })
        .collect();
    let candidates = ranked.len();
    let cmp = |a: &(usize, GapSummary, usize), b: &(usize, GapSummary, usize)| {
        a.1.weighted_key
            .cmp(&b.1.weighted_key)
            .then(
                b.1.similarity
                    .value()
                    .unwrap_or(0.0)
                    .total_cmp(&a.1.similarity.value().unwrap_or(0.0)),
            )
            .then(a.0.cmp(&b.0))
    };
    if req.limit < ranked.len() {
        ranked.select_nth_unstable_by(req.limit, cmp);
        ranked.truncate(req.limit);
    }
    ranked.sort_by(cmp);
    let mut sources = BTreeMap::new();
    for t in &tables {
        sources.insert(format!("from.{}", t.domain), "self-assessed".to_string());
        sources.insert(
            format!("to.{}", t.domain),
            crate::params::source_name(options.source).to_string(),
        );
    }
    Ok(TargetsBody {
        from: OccupationRef {
            code: None,
            title: "Self-assessed profile".into(),
        },
        definition: definition(&tables, options),
        order: TARGETS_ORDER,
        candidates,
        targets: ranked
            .into_iter()
            .map(|(o, s, required)| {
                let e = &catalog.occupations[o];
                TargetDto {
                    code: e.occupation.code.to_string(),
                    title: e.occupation.title.clone(),
                    weighted_gap_total: round(s.weighted_gap(), 4),
                    shortages: s.shortages,
                    required,
                    similarity: s.similarity.value().map(|v| round(v, 4)),
                    job_zone: JobZoneChange::between(None, e.job_zone),
                }
            })
            .collect(),
        data: DataInfo::new(catalog, sources),
    })
}
