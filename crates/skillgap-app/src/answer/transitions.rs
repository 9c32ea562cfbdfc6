//! `GET /occupations/{code}/transitions`: the occupations most related to one (or, on request,
//! the most similar in skill levels, or the best paid), with why each is close and the gap to
//! each. The candidates and their order come from the core ([`skillgap_core::transitions`]).

use std::collections::BTreeMap;

use serde::Serialize;
use skillgap_core::transitions::{MoveQuery, RankedMove, rank_moves};
use skillgap_core::{Catalog, SocCode};
use utoipa::ToSchema;

use super::definition::{Definition, definition};
use super::labor::{LaborFactsDto, LaborLookup, MoveWageDto, require_wages};
use super::moves::{ComponentsDto, JobZoneChange, shared_knowledge};
use super::prepared::Prepared;
use super::{DataInfo, OccupationRef, occupation, profile, round, tables};
use crate::error::AppError;
use crate::params::Choice;
use crate::params::TransitionsRequest;
use crate::snapshot::Snapshot;

/// One ranked move.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct TransitionDto {
    /// Target code.
    pub code: String,
    /// Target title.
    pub title: String,
    /// Relatedness: standard deviations above an average pair; `null` when either has no task
    /// statements.
    pub relatedness: Option<f64>,
    /// What the relatedness is made of.
    pub components: Option<ComponentsDto>,
    /// Knowledge both occupations rate important (importance ≥ 3.5 in both), most shared first:
    /// part of why the move is close.
    pub shared_knowledge: Vec<String>,
    /// Skill-level similarity in [0, 1]; `null` when the target has no ratings to compare.
    pub similarity: Option<f64>,
    /// Shortages the move would bring; `null` without ratings.
    pub shortages: Option<usize>,
    /// Their importance-weighted total gap; `null` without ratings.
    pub weighted_gap_total: Option<f64>,
    /// The job-zone change.
    pub job_zone: JobZoneChange,
    /// The target's median wage and the change from the source's; absent when no BLS data is
    /// loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wage: Option<MoveWageDto>,
    /// The target's wages, employment, outlook and education; absent when no BLS data is loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<LaborFactsDto>)]
    pub labor: Option<Prepared<LaborFactsDto>>,
}

/// Answer of `GET /occupations/{code}/transitions`.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct TransitionsBody {
    /// The source occupation.
    pub from: OccupationRef,
    /// The source's wages, employment, outlook and education; absent when no BLS data is loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<LaborFactsDto>)]
    pub labor: Option<Prepared<LaborFactsDto>>,
    /// The definition and parameters used.
    pub definition: Definition,
    /// How many occupations were ranked.
    pub candidates: usize,
    /// The order asked for (`sort`): `relatedness` (default), `similarity`, `wage_gain` or
    /// `effort_per_dollar`.
    pub sort: &'static str,
    /// How that order ranks.
    pub order: &'static str,
    /// The least wage ratio a move kept must pay, when asked for.
    pub min_wage_ratio: Option<f64>,
    /// In the order asked for (most related first by default).
    pub transitions: Vec<TransitionDto>,
    /// Provenance and attribution.
    pub data: DataInfo,
}

/// The row of one ranked move from the occupation at `from`.
fn row(
    catalog: &Catalog,
    labor: &LaborLookup,
    from: usize,
    m: &RankedMove,
    wage: Option<MoveWageDto>,
) -> TransitionDto {
    let target = &catalog.occupations[m.to];
    TransitionDto {
        code: target.occupation.code.to_string(),
        title: target.occupation.title.clone(),
        relatedness: m.pair.map(|p| round(f64::from(p.score), 4)),
        components: m.pair.as_ref().map(ComponentsDto::of),
        shared_knowledge: shared_knowledge(catalog, from, m.to),
        similarity: m
            .summary
            .and_then(|s| s.similarity.value())
            .map(|v| round(v, 4)),
        shortages: m.summary.map(|s| s.shortages),
        weighted_gap_total: m.summary.map(|s| round(s.weighted_gap(), 4)),
        job_zone: JobZoneChange::between(catalog.occupations[from].job_zone, target.job_zone),
        wage,
        labor: labor.of(target.occupation.code),
    }
}

/// The default ranking: the occupations most related to `code`, best first, at most `limit`;
/// `None` when relatedness cannot rank it (no task statements). What `evaluate-transitions`
/// measures.
pub fn related_codes(s: &Snapshot, code: SocCode, limit: usize) -> Option<Vec<SocCode>> {
    let r = s.moves().relatedness();
    r.contains(code)
        .then(|| r.closest_codes(code).take(limit).map(|(c, _)| c).collect())
}

/// `GET /occupations/{code}/transitions`.
pub fn transitions_body(
    s: &Snapshot,
    req: &TransitionsRequest,
) -> Result<TransitionsBody, AppError> {
    let catalog = s.catalog();
    let (i, e) = occupation(catalog, req.code)?;
    let options = &req.options;
    let tables = tables(catalog, options.domains)?;
    let mut sources = BTreeMap::new();
    let mut from_cells = Vec::with_capacity(tables.len());
    for t in &tables {
        let p = profile(t, i, e, options.source)?;
        sources.insert(format!("from.{}", t.domain), p.source.to_string());
        from_cells.push(&*p.cells);
    }
    require_wages(s.facts(), &req.pay)?;
    let query = MoveQuery {
        from: i,
        tables: &tables,
        from_cells: &from_cells,
        choice: options.source,
        params: options.params(),
        sort: req.pay.sort,
        min_wage_ratio: req.pay.floor(),
        limit: req.limit.count(),
    };
    let ranked = rank_moves(catalog, s.moves().relatedness(), &query, |o| {
        s.median_wage_at(o)
    });
    let labor = s.labor();
    let from_wage = labor.median_wage(e.occupation.code);
    Ok(TransitionsBody {
        from: OccupationRef::of(e),
        labor: labor.of(e.occupation.code),
        definition: definition(&tables, options),
        candidates: ranked.candidates,
        sort: req.pay.sort.word(),
        order: req.pay.sort.rule(),
        min_wage_ratio: req.pay.floor(),
        transitions: ranked
            .moves
            .iter()
            .map(|m| {
                let wage = m
                    .wage
                    .zip(from_wage)
                    .map(|(w, from)| MoveWageDto::of(&w, from));
                row(catalog, &labor, i, m, wage)
            })
            .collect(),
        data: DataInfo::new(catalog, sources).with_bls(s.facts(), from_wage.is_some()),
    })
}
