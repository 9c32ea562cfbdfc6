//! Ranking every occupation as a move from one occupation: most similar first.

use crate::catalog::{Catalog, ProfileChoice};
use crate::descriptor::Domain;
use crate::gap::{GapParams, GapSummary, summarize};

/// One possible move.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Transition {
    /// Index of the target occupation in [`Catalog::occupations`].
    pub occupation: usize,
    /// Similarity in [0, 1].
    pub similarity: f64,
    /// Shortages the move would bring.
    pub shortages: usize,
    /// Their importance-weighted total gap.
    pub weighted_gap: f64,
}

/// Every occupation rated in all `domains` under `choice`, ranked by similarity to `from`
/// (highest first; ties by smaller weighted gap, then code), `from` itself excluded; at most `limit`.
pub fn transitions(
    catalog: &Catalog,
    from: usize,
    domains: &[Domain],
    choice: ProfileChoice,
    params: &GapParams,
    limit: usize,
) -> Vec<Transition> {
    let tables: Vec<_> = domains.iter().filter_map(|d| catalog.domain(*d)).collect();
    let Some(sources): Option<Vec<_>> = tables
        .iter()
        .map(|t| t.profiles(from).get(choice).map(|p| &p.cells))
        .collect()
    else {
        return Vec::new();
    };
    let mut out: Vec<Transition> = (0..catalog.occupations.len())
        .filter(|&to| to != from)
        .filter_map(|to| {
            let mut acc = GapSummary::default();
            for (table, from_cells) in tables.iter().zip(&sources) {
                let target = table.profiles(to).get(choice)?;
                summarize(from_cells, &target.cells, params, &mut acc);
            }
            Some(Transition {
                occupation: to,
                similarity: acc.similarity.value()?,
                shortages: acc.shortages,
                weighted_gap: acc.weighted_gap(),
            })
        })
        .collect();
    let cmp = |a: &Transition, b: &Transition| {
        b.similarity
            .total_cmp(&a.similarity)
            .then(a.weighted_gap.total_cmp(&b.weighted_gap))
            .then(a.occupation.cmp(&b.occupation))
    };
    if limit < out.len() {
        out.select_nth_unstable_by(limit, cmp);
        out.truncate(limit);
    }
    out.sort_by(cmp);
    out
}
