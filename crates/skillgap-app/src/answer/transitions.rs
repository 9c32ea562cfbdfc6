//! Moves from one occupation: the occupations most related to it (or, on request, the most
//! similar in skill levels), with why each is close and the gap to each.

use std::collections::BTreeMap;

use serde::Serialize;
use skillgap_core::gap::{GapSummary, summarize};
use skillgap_core::relatedness::{Component, Pair};
use skillgap_core::{Catalog, Cell, Domain, DomainTable, SocCode, transitions};
use utoipa::ToSchema;

use super::gap::{Definition, definition};
use super::{DataInfo, OccupationRef, occupation, profile, round, tables};
use crate::error::AppError;
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
}

/// Answer of `GET /occupations/{code}/transitions`.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct TransitionsBody {
    /// The source occupation.
    pub from: OccupationRef,
    /// The definition and parameters used.
    pub definition: Definition,
    /// The order: `relatedness` (default) or `similarity`.
    pub sort: String,
    /// How many occupations were ranked.
    pub candidates: usize,
    /// Closest first.
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
    from: usize,
    to: usize,
    pair: Option<Pair>,
    summary: Option<GapSummary>,
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
    let relatedness = catalog.relatedness();
    let (candidates, rows) = match req.sort {
        TransitionSort::Relatedness => {
            let pairs = relatedness.closest(req.code, req.limit);
            let rows = pairs
                .into_iter()
                .filter_map(|p| {
                    let to = catalog.index_of(p.occupation)?;
                    let summary = move_summary(&tables, &from_cells, to, options);
                    Some(row(catalog, i, to, Some(p), summary))
                })
                .collect();
            let ranked = if relatedness.contains(req.code) {
                relatedness.codes().len() - 1
            } else {
                0
            };
            (ranked, rows)
        }
        TransitionSort::Similarity => {
            let domains: Vec<Domain> = tables.iter().map(|t| t.domain).collect();
            let candidates = (0..catalog.occupations.len())
                .filter(|&o| {
                    o != i
                        && tables
                            .iter()
                            .all(|t| t.profiles(o).get(options.source).is_some())
                })
                .count();
            let ranked = transitions(
                catalog,
                i,
                &domains,
                options.source,
                &options.params,
                req.limit,
            );
            let rows = ranked
                .iter()
                .map(|t| {
                    let code = catalog.occupations[t.occupation].occupation.code;
                    let summary = move_summary(&tables, &from_cells, t.occupation, options);
                    row(
                        catalog,
                        i,
                        t.occupation,
                        relatedness.pair(req.code, code),
                        summary,
                    )
                })
                .collect();
            (candidates, rows)
        }
    };
    Ok(TransitionsBody {
        from: OccupationRef::of(e),
        definition: definition(&tables, options),
        sort: req.sort.as_str().to_owned(),
        candidates,
        transitions: rows,
        data: DataInfo::new(catalog, sources),
    })
}
