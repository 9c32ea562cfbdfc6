//! `GET /occupations/{code}/transitions`: the occupations most related to one (or, on request,
//! the most similar in skill levels, or the best paid), with why each is close and the gap to
//! each. The candidates and their order come from the core ([`skillgap_core::transitions`]).

use std::collections::BTreeMap;

use serde::Serialize;
use skillgap_core::SocCode;
use skillgap_core::barriers::{Barriers, EFFORT_FORMULA};
use skillgap_core::transitions::{MoveQuery, RankedMove, rank_moves};
use skillgap_core::viability::{Condition, VIABILITY_RULE, ViabilityCounts};
use utoipa::ToSchema;

use super::barriers::{EffortDto, effort, move_barriers};
use super::definition::{Definition, definition};
use super::labor::{LaborFactsDto, LaborLookup, MoveWageDto, require_wages};
use super::moves::{ComponentsDto, JobZoneChange, shared_knowledge};
use super::prepared::Prepared;
use super::programmes::{ProgrammeDto, move_programmes};
use super::{DataInfo, OccupationRef, occupation, profile, round, tables};
use crate::error::AppError;
use crate::params::Choice;
use crate::params::{EffortMeasure, TransitionsRequest, ViableFilter};
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
    /// Whether the move is viable (relatedness ≥ 2.0 among the 100 closest, job zone up at most
    /// 1, both rated in every compared domain).
    pub viable: bool,
    /// The viability conditions the move fails (`relatedness`, `job_zone`, `ratings`); empty
    /// when viable.
    pub not_viable_because: Vec<&'static str>,
    /// What stands in the way: education step, experience, training, BLS entry requirements and
    /// missing knowledge, each with its source (`value` null with a `reason` when unknown).
    #[schema(value_type = Object)]
    pub barriers: Barriers,
    /// The effort of the move and its parts (see `effort_formula`).
    pub effort: EffortDto,
    /// Programmes (NCES CIP 2020) preparing for the target and not for the source; absent when
    /// none are loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub programmes: Option<Vec<ProgrammeDto>>,
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
    /// `true` (pay orders and filters rank viable moves only) or `any`.
    pub viable: &'static str,
    /// The viability rule, and how many candidates passed it and were left out by each condition.
    pub viability: ViabilityDto,
    /// The desirability filter, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub desirable: Option<DesirableDto>,
    /// How each row's effort is measured.
    pub effort_formula: &'static str,
    /// In the order asked for (most related first by default).
    pub transitions: Vec<TransitionDto>,
    /// Provenance and attribution.
    pub data: DataInfo,
}

/// How many candidates were viable.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct ViabilityDto {
    /// The rule.
    pub rule: &'static str,
    /// Every other occupation of the catalog.
    pub candidates: usize,
    /// Of them, viable.
    pub viable: usize,
    /// Left out by each condition (a move failing two counts under both).
    pub left_out: LeftOutDto,
}

/// Candidates left out per viability condition.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct LeftOutDto {
    /// Relatedness below 2.0 (or not among the 100 closest, or not ranked).
    pub relatedness: usize,
    /// Job zone up more than 1.
    pub job_zone: usize,
    /// Not rated in every compared domain.
    pub ratings: usize,
}

impl ViabilityDto {
    fn of(c: &ViabilityCounts) -> Self {
        Self {
            rule: VIABILITY_RULE,
            candidates: c.candidates,
            viable: c.viable,
            left_out: LeftOutDto {
                relatedness: c.left_out_by(Condition::Relatedness),
                job_zone: c.left_out_by(Condition::JobZone),
                ratings: c.left_out_by(Condition::Ratings),
            },
        }
    }
}

/// The desirability filter applied.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct DesirableDto {
    /// The least wage ratio a desirable move pays.
    pub ratio: f64,
    /// The rule.
    pub rule: &'static str,
    /// Moves ranked that were desirable.
    pub desirable: usize,
}

/// The row of one ranked move from the occupation at `from`.
fn row(
    s: &Snapshot,
    labor: &LaborLookup,
    from: usize,
    m: &RankedMove,
    wage: Option<MoveWageDto>,
    params: &skillgap_core::gap::GapParams,
) -> TransitionDto {
    let catalog = s.catalog();
    let target = &catalog.occupations[m.to];
    let skills = m.summary.map_or(0.0, |x| x.weighted_gap());
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
        viable: m.viability.is_viable(),
        not_viable_because: m.viability.failed().map(Condition::as_str).collect(),
        barriers: move_barriers(s, from, m.to),
        effort: EffortDto::of(&effort(s, from, m.to, skills, params)),
        programmes: move_programmes(s, from, m.to),
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
    if req.kind.desirable().is_some() && !s.facts().has_labor() {
        return Err(AppError::DataNotLoaded {
            parameter: "desirable".into(),
            detail: "desirable=true compares wages and needs BLS wages, and none are loaded; run skillgap load-labor".into(),
        });
    }
    let params = options.params();
    let query = MoveQuery {
        from: i,
        tables: &tables,
        from_cells: &from_cells,
        choice: options.source,
        params: options.params(),
        sort: req.pay.sort,
        min_wage_ratio: req.pay.floor(),
        desirable: req.kind.desirable(),
        any: req.kind.viable == ViableFilter::Any,
        limit: req.limit.count(),
    };
    let measure = req.kind.effort;
    let ranked = rank_moves(
        catalog,
        s.moves().relatedness(),
        &query,
        |o| s.median_wage_at(o),
        |o, skills| match measure {
            EffortMeasure::Skills => skills,
            EffortMeasure::Barriers => effort(s, i, o, skills, &params).total,
        },
    );
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
        viable: req.kind.viable.word(),
        viability: ViabilityDto::of(&ranked.viability),
        desirable: req.kind.desirable().map(|ratio| DesirableDto {
            ratio,
            rule: "pays at least `ratio` of today's median wage and does not drop a job zone",
            desirable: ranked.desirable.unwrap_or(0),
        }),
        effort_formula: match measure {
            EffortMeasure::Barriers => EFFORT_FORMULA,
            EffortMeasure::Skills => "effort = skills weighted gap (effort=skills)",
        },
        transitions: ranked
            .moves
            .iter()
            .map(|m| {
                let wage = m
                    .wage
                    .zip(from_wage)
                    .map(|(w, from)| MoveWageDto::of(&w, from));
                row(s, &labor, i, m, wage, &params)
            })
            .collect(),
        data: DataInfo::new(catalog, sources).with_bls(s.facts(), from_wage.is_some()),
    })
}
