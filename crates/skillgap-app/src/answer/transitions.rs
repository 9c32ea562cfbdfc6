//! Moves from one occupation: every other occupation ranked by similarity, with the gap to each.

use std::collections::BTreeMap;

use serde::Serialize;
use skillgap_core::{Catalog, Domain, transitions};
use utoipa::ToSchema;

use super::facts::{MoveWage, MoveWageDto, order_moves, order_rule};
use super::gap::{Definition, definition};
use super::{DataInfo, OccupationRef, occupation, profile, round, tables};
use crate::error::AppError;
use crate::facts::Facts;
use crate::params::TransitionsRequest;

/// One ranked move.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct TransitionDto {
    /// Target code.
    pub code: String,
    /// Target title.
    pub title: String,
    /// Similarity in [0, 1].
    pub similarity: f64,
    /// Shortages the move would bring.
    pub shortages: usize,
    /// Their importance-weighted total gap.
    pub weighted_gap_total: f64,
    /// The target's median wage and the change from the source's; absent when no BLS data is
    /// loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wage: Option<MoveWageDto>,
}

/// Answer of `GET /occupations/{code}/transitions`.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct TransitionsBody {
    /// The source occupation.
    pub from: OccupationRef,
    /// The definition and parameters used.
    pub definition: Definition,
    /// How many occupations were ranked.
    pub candidates: usize,
    /// The order asked for (`sort`).
    pub sort: &'static str,
    /// How that order ranks.
    pub order: &'static str,
    /// The least wage ratio a move kept must pay, when asked for.
    pub min_wage_ratio: Option<f64>,
    /// In the order asked for (most similar first by default).
    pub transitions: Vec<TransitionDto>,
    /// Provenance and attribution.
    pub data: DataInfo,
}

/// `GET /occupations/{code}/transitions`.
pub fn transitions_body(
    catalog: &Catalog,
    facts: &Facts,
    req: &TransitionsRequest,
) -> Result<TransitionsBody, AppError> {
    let (i, e) = occupation(catalog, req.code)?;
    let options = &req.options;
    let n = req.limit;
    let tables = tables(catalog, options.domains)?;
    let mut sources = BTreeMap::new();
    for t in &tables {
        sources.insert(
            format!("from.{}", t.domain),
            profile(t, i, e, options.source)?.source.to_string(),
        );
    }
    let domains: Vec<Domain> = tables.iter().map(|t| t.domain).collect();
    let candidates = (0..catalog.occupations.len())
        .filter(|&o| {
            o != i
                && tables
                    .iter()
                    .all(|t| t.profiles(o).get(options.source).is_some())
        })
        .count();
    if req.needs_wages() && !facts.has_labor() {
        return Err(AppError::NotReady(
            "sort=wage_gain, sort=effort_per_dollar and min_wage_ratio need BLS wages, and none are loaded; run skillgap load-labor".into(),
        ));
    }
    // Ordering by pay or filtering on it may reach past the most similar `n`, so rank them all.
    let pool = if req.needs_wages() {
        catalog.occupations.len()
    } else {
        n
    };
    let ranked = transitions(catalog, i, &domains, options.source, &options.params, pool);
    let from_wage = facts.labor(e.occupation.code).map(|f| f.median_wage);
    let moves = ranked
        .into_iter()
        .map(|t| {
            let code = catalog.occupations[t.occupation].occupation.code;
            let wage = from_wage.and_then(|w| MoveWage::of(facts, w, code, t.weighted_gap));
            (t, wage)
        })
        .collect();
    let ranked = order_moves(moves, req.sort, req.min_wage_ratio, n);
    Ok(TransitionsBody {
        from: OccupationRef::of(e),
        definition: definition(&tables, options),
        candidates,
        sort: req.sort.as_str(),
        order: order_rule(req.sort),
        min_wage_ratio: req.min_wage_ratio,
        transitions: ranked
            .iter()
            .map(|(t, wage)| {
                let o = &catalog.occupations[t.occupation].occupation;
                TransitionDto {
                    code: o.code.to_string(),
                    title: o.title.clone(),
                    similarity: round(t.similarity, 4),
                    shortages: t.shortages,
                    weighted_gap_total: round(t.weighted_gap, 4),
                    wage: wage.zip(from_wage).map(|(w, from)| w.dto(from)),
                }
            })
            .collect(),
        data: DataInfo::new(catalog, sources).with_bls(facts, from_wage.is_some()),
    })
}
