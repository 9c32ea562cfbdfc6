//! Moves from one occupation: the occupations most related to it (or, on request, the most
//! similar in skill levels), with why each is close and the gap to each.

use std::collections::BTreeMap;

use serde::Serialize;
use skillgap_core::gap::{GapSummary, summarize};
use skillgap_core::relatedness::{Component, NEIGHBOURS, Pair};
use skillgap_core::{Catalog, Cell, Domain, DomainTable, SocCode, transitions};
use utoipa::ToSchema;

use super::facts::{
    LaborFactsDto, MoveWage, MoveWageDto, Prepared, order_moves, order_rule, require_wages,
};
use super::gap::{Definition, definition};
use super::{DataInfo, OccupationRef, occupation, profile, round, tables};
use crate::error::AppError;
use crate::facts::Facts;
use crate::params::{TransitionSort, TransitionsRequest};

/// What relatedness is made of, for one pair: each a similarity in [0, 1], `null` when either
/// side lacks what it needs (abilities and work activities when a release has no such ratings).
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct ComponentsDto {
    /// Title text (title, alternate and short titles; TF-IDF cosine).
    pub titles: Option<f64>,
    /// Task statements and description (TF-IDF cosine; core tasks count more).
    pub tasks: Option<f64>,
    /// Knowledge importance profiles (correlation, mapped onto [0, 1]).
    pub knowledge: Option<f64>,
    /// Skills importance profiles.
    pub skills: Option<f64>,
    /// Abilities importance profiles.
    pub abilities: Option<f64>,
    /// Work-activities importance profiles.
    pub work_activities: Option<f64>,
    /// Job-zone closeness, `1 − |difference| / 4`.
    pub job_zone: Option<f64>,
    /// Shared SOC groups (major, minor, broad, detailed; a quarter each).
    pub family: Option<f64>,
}

impl ComponentsDto {
    pub(crate) fn of(pair: &Pair) -> Self {
        let c = |k: Component| pair.components.get(k).map(|v| round(f64::from(v), 4));
        Self {
            titles: c(Component::Titles),
            tasks: c(Component::Tasks),
            knowledge: c(Component::Knowledge),
            skills: c(Component::Skills),
            abilities: c(Component::Abilities),
            work_activities: c(Component::WorkActivities),
            job_zone: c(Component::JobZone),
            family: c(Component::Family),
        }
    }
}

/// A job-zone change (zones 1–5: the preparation an occupation needs).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, ToSchema)]
pub struct JobZoneChange {
    /// The source's zone, when known.
    pub from: Option<u8>,
    /// The target's zone, when known.
    pub to: Option<u8>,
    /// `to − from`: positive is more preparation.
    pub change: Option<i8>,
}

impl JobZoneChange {
    /// The change between two occupations' zones.
    pub fn between(from: Option<u8>, to: Option<u8>) -> Self {
        Self {
            from,
            to,
            change: from.zip(to).map(|(f, t)| t as i8 - f as i8),
        }
    }
}

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

/// Importance both sides must give a knowledge area for it to count as shared.
pub const SHARED_KNOWLEDGE_IMPORTANCE: f64 = 3.5;
/// Most shared knowledge areas named per move.
const SHARED_KNOWLEDGE_SHOWN: usize = 3;

/// The knowledge both occupations rate important, most shared (highest lower importance) first.
pub fn shared_knowledge(catalog: &Catalog, a: usize, b: usize) -> Vec<String> {
    let Some(table) = catalog.domain(Domain::Knowledge) else {
        return Vec::new();
    };
    let cells = |i: usize| table.profiles(i).onet.as_ref().map(|p| &p.cells);
    let (Some(x), Some(y)) = (cells(a), cells(b)) else {
        return Vec::new();
    };
    let mut shared: Vec<(f64, usize)> = x
        .iter()
        .zip(y.iter())
        .enumerate()
        .filter_map(|(i, (p, q))| Some((p.importance?.min(q.importance?), i)))
        .filter(|(m, _)| *m >= SHARED_KNOWLEDGE_IMPORTANCE)
        .collect();
    shared.sort_by(|p, q| q.0.total_cmp(&p.0).then(p.1.cmp(&q.1)));
    shared
        .into_iter()
        .take(SHARED_KNOWLEDGE_SHOWN)
        .map(|(_, i)| table.descriptors[i].name.clone())
        .collect()
}

/// The gap summary of a move over `tables`, when both sides are rated in all of them.
pub(crate) fn move_summary(
    tables: &[&DomainTable],
    sources: &[&[Cell]],
    to: usize,
    options: &crate::params::GapOptions,
) -> Option<GapSummary> {
    let mut acc = GapSummary::default();
    for (t, from) in tables.iter().zip(sources) {
        let target = t.profiles(to).get(options.source)?;
        summarize(from, &target.cells, &options.params, &mut acc);
    }
    Some(acc)
}

/// The row of one move.
pub(crate) fn row(
    catalog: &Catalog,
    facts: &Facts,
    from: usize,
    to: usize,
    pair: Option<Pair>,
    summary: Option<GapSummary>,
    wage: Option<MoveWageDto>,
) -> TransitionDto {
    let target = &catalog.occupations[to];
    TransitionDto {
        code: target.occupation.code.to_string(),
        title: target.occupation.title.clone(),
        relatedness: pair.map(|p| round(f64::from(p.score), 4)),
        components: pair.as_ref().map(ComponentsDto::of),
        shared_knowledge: shared_knowledge(catalog, from, to),
        similarity: summary
            .and_then(|s| s.similarity.value())
            .map(|v| round(v, 4)),
        shortages: summary.map(|s| s.shortages),
        weighted_gap_total: summary.map(|s| round(s.weighted_gap(), 4)),
        job_zone: JobZoneChange::between(catalog.occupations[from].job_zone, target.job_zone),
        wage,
        labor: LaborFactsDto::of(facts, target.occupation.code),
    }
}

/// The default ranking: the occupations most related to `code`, best first, at most `limit`;
/// `None` when relatedness cannot rank it (no task statements). What `evaluate-transitions`
/// measures.
pub fn related_codes(catalog: &Catalog, code: SocCode, limit: usize) -> Option<Vec<SocCode>> {
    let r = catalog.relatedness();
    r.contains(code)
        .then(|| r.closest_codes(code).take(limit).map(|(c, _)| c).collect())
}

/// `GET /occupations/{code}/transitions`.
pub fn transitions_body(
    catalog: &Catalog,
    facts: &Facts,
    req: &TransitionsRequest,
) -> Result<TransitionsBody, AppError> {
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
    require_wages(facts, &req.pay)?;
    let relatedness = catalog.relatedness();
    // Ordering by pay or filtering on it may reach past the closest `limit`, so rank more.
    let (candidates, pool): (usize, Vec<(usize, Option<Pair>)>) = match req.pay.sort {
        TransitionSort::Relatedness => {
            let n = if req.pay.needs_wages() {
                NEIGHBOURS
            } else {
                req.limit
            };
            let pool = relatedness
                .closest(req.code, n)
                .into_iter()
                .filter_map(|p| Some((catalog.index_of(p.occupation)?, Some(p))))
                .collect();
            let ranked = if relatedness.contains(req.code) {
                relatedness.codes().len() - 1
            } else {
                0
            };
            (ranked, pool)
        }
        _ => {
            let domains: Vec<Domain> = tables.iter().map(|t| t.domain).collect();
            let candidates = (0..catalog.occupations.len())
                .filter(|&o| {
                    o != i
                        && tables
                            .iter()
                            .all(|t| t.profiles(o).get(options.source).is_some())
                })
                .count();
            let n = if req.pay.needs_wages() {
                catalog.occupations.len()
            } else {
                req.limit
            };
            let ranked = transitions(catalog, i, &domains, options.source, &options.params, n);
            let pool = ranked
                .iter()
                .map(|t| {
                    let code = catalog.occupations[t.occupation].occupation.code;
                    (t.occupation, relatedness.pair(req.code, code))
                })
                .collect();
            (candidates, pool)
        }
    };
    let from_wage = facts.median_wage(e.occupation.code);
    let moves = pool
        .into_iter()
        .map(|(to, pair)| {
            let summary = move_summary(&tables, &from_cells, to, options);
            let code = catalog.occupations[to].occupation.code;
            let gap = summary.map_or(0.0, |s| s.weighted_gap());
            let wage = from_wage.and_then(|w| MoveWage::of(facts, w, code, gap));
            ((to, pair, summary), wage)
        })
        .collect();
    let ranked = order_moves(moves, req.pay.sort, req.pay.min_wage_ratio, req.limit);
    Ok(TransitionsBody {
        from: OccupationRef::of(e),
        labor: LaborFactsDto::of(facts, e.occupation.code),
        definition: definition(&tables, options),
        candidates,
        sort: req.pay.sort.as_str(),
        order: order_rule(req.pay.sort),
        min_wage_ratio: req.pay.min_wage_ratio,
        transitions: ranked
            .into_iter()
            .map(|((to, pair, summary), wage)| {
                let wage = wage.zip(from_wage).map(|(w, from)| w.dto(from));
                row(catalog, facts, i, to, pair, summary, wage)
            })
            .collect(),
        data: DataInfo::new(catalog, sources).with_bls(facts, from_wage.is_some()),
    })
}
