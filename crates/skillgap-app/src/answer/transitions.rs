//! Moves from one occupation: every other occupation ranked by similarity, with the gap to each.

use std::collections::BTreeMap;

use serde::Serialize;
use skillgap_core::{Catalog, Domain, transitions};
use utoipa::ToSchema;

use super::gap::{Definition, definition};
use super::{DataInfo, OccupationRef, occupation, profile, round, tables};
use crate::error::AppError;
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
    /// Most similar first.
    pub transitions: Vec<TransitionDto>,
    /// Provenance and attribution.
    pub data: DataInfo,
}

/// `GET /occupations/{code}/transitions`.
pub fn transitions_body(
    catalog: &Catalog,
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
    let ranked = transitions(catalog, i, &domains, options.source, &options.params, n);
    Ok(TransitionsBody {
        from: OccupationRef::of(e),
        definition: definition(&tables, options),
        candidates,
        transitions: ranked
            .iter()
            .map(|t| {
                let o = &catalog.occupations[t.occupation].occupation;
                TransitionDto {
                    code: o.code.to_string(),
                    title: o.title.clone(),
                    similarity: round(t.similarity, 4),
                    shortages: t.shortages,
                    weighted_gap_total: round(t.weighted_gap, 4),
                }
            })
            .collect(),
        data: DataInfo::new(catalog, sources),
    })
}
