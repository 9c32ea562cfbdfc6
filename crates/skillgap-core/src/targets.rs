//! Targets for a self-assessed profile: every rated occupation ranked by how close the person's
//! levels come to what it requires.

use crate::gap::{FromSide, GapParams, GapSummary, summarize_side};
use crate::profile::{DomainTable, ProfileChoice};

/// How targets are ordered, as answers say it.
pub const TARGETS_ORDER: &str = "by importance-weighted total gap from the self-assessment, smallest first; ties by higher similarity, then code";

/// One occupation a person could aim for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Target {
    /// Catalog index.
    pub occupation: usize,
    /// The gap from the self-assessment.
    pub summary: GapSummary,
    /// Descriptors the occupation requires (importance at or above the threshold).
    pub required: usize,
}

/// The targets found, and how many occupations were compared.
#[derive(Clone, Debug, PartialEq)]
pub struct RankedTargets {
    /// Occupations rated in every compared domain.
    pub candidates: usize,
    /// Closest to qualifying first, at most the limit.
    pub targets: Vec<Target>,
}

/// Ranks the `occupations` occupations rated under `choice` in every one of `tables` by the gap
/// from `levels` (one vector per table, `None` = not given), smallest weighted gap first (see
/// [`TARGETS_ORDER`]); at most `limit`.
pub fn rank_targets(
    occupations: usize,
    tables: &[&DomainTable],
    levels: &[Vec<Option<f64>>],
    choice: ProfileChoice,
    params: &GapParams,
    limit: usize,
) -> RankedTargets {
    let mut ranked: Vec<Target> = (0..occupations)
        .filter_map(|o| {
            let mut acc = GapSummary::default();
            let mut required = 0;
            for (t, assessed) in tables.iter().zip(levels) {
                let target = t.profiles(o).get(choice)?;
                summarize_side(
                    FromSide::Assessed(assessed),
                    &target.cells,
                    params,
                    &mut acc,
                );
                required += target
                    .cells
                    .iter()
                    .filter(|c| c.importance.is_some_and(|i| i >= params.min_importance))
                    .count();
            }
            Some(Target {
                occupation: o,
                summary: acc,
                required,
            })
        })
        .collect();
    let candidates = ranked.len();
    let cmp = |a: &Target, b: &Target| {
        a.summary
            .weighted_key
            .cmp(&b.summary.weighted_key)
            .then(
                b.summary
                    .similarity
                    .value()
                    .unwrap_or(0.0)
                    .total_cmp(&a.summary.similarity.value().unwrap_or(0.0)),
            )
            .then(a.occupation.cmp(&b.occupation))
    };
    if limit < ranked.len() {
        ranked.select_nth_unstable_by(limit, cmp);
        ranked.truncate(limit);
    }
    ranked.sort_by(cmp);
    RankedTargets {
        candidates,
        targets: ranked,
    }
}
