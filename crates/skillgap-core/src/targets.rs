//! Targets for a self-assessed profile: every rated occupation ranked by how well it fits the
//! levels the person gave (and uses them), blended with what it still asks.
//!
//! **Fit** is one minus the importance-weighted root-mean-square level difference, divided by the
//! level range 7, over the descriptors the person gave a level for and those the target requires
//! (a required descriptor left out counts as level 0): an occupation asking far less than the
//! person has fits as badly as one asking far more. The **score** blends it with the weighted gap
//! ([`TARGETS_ORDER`]).

use crate::gap::{FromSide, GapParams, GapSummary, LEVEL_RANGE, summarize_side};
use crate::profile::{DomainTable, ProfileChoice};

/// How targets are ordered, as answers say it.
pub const TARGETS_ORDER: &str = "by score = 0.8 × fit + 0.2 × (1 − weighted gap / (7 × total importance of what the target requires)), highest first; fit = 1 − sqrt(sum_d im_d × (your_level_d − level_d)^2 / sum_d im_d) / 7 over the descriptors you gave and those the target requires (importance ≥ min_importance); ties by smaller weighted gap, then code";

/// Weight of the fit in the score (the rest is the normalised gap).
pub const FIT_WEIGHT: f64 = 0.8;
/// How far (levels, 0–7) above the target a person's level must be to count as an unused strength.
pub const UNUSED_STRENGTH_MARGIN: f64 = 1.5;
/// Most unused strengths named per target.
pub const UNUSED_STRENGTHS_SHOWN: usize = 5;

/// The fit of a target to the given levels, and the descriptors where the person is well above it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fit {
    /// In [0, 1]; `None` when nothing could be compared.
    pub value: Option<f64>,
    /// `(table, descriptor, your level, the target's level)`, largest excess first, at most
    /// [`UNUSED_STRENGTHS_SHOWN`].
    pub unused: Vec<(usize, usize, f64, f64)>,
    /// Total importance of what the target requires.
    pub required_importance: f64,
}

/// The fit of the occupation at `o` to `levels` (see the module).
pub fn fit(
    o: usize,
    tables: &[&DomainTable],
    levels: &[Vec<Option<f64>>],
    choice: ProfileChoice,
    params: &GapParams,
) -> Option<Fit> {
    let (mut sq, mut w, mut req) = (0.0, 0.0, 0.0);
    let mut unused = Vec::new();
    for (ti, (t, given)) in tables.iter().zip(levels).enumerate() {
        let target = t.profiles(o).get(choice)?;
        for (i, c) in target.cells.iter().enumerate() {
            let (Some(level), Some(im)) = (c.effective_level(), c.importance) else {
                continue;
            };
            let required = im >= params.min_importance;
            if required {
                req += im;
            }
            let mine = given.get(i).copied().flatten();
            if mine.is_none() && !required {
                continue;
            }
            let d = mine.unwrap_or(0.0) - level;
            sq += im * d * d;
            w += im;
            if let Some(m) = mine
                && m - level >= UNUSED_STRENGTH_MARGIN
            {
                unused.push((ti, i, m, level));
            }
        }
    }
    unused.sort_by(|a, b| {
        (b.2 - b.3)
            .total_cmp(&(a.2 - a.3))
            .then((a.0, a.1).cmp(&(b.0, b.1)))
    });
    unused.truncate(UNUSED_STRENGTHS_SHOWN);
    Some(Fit {
        value: (w > 0.0).then(|| (1.0 - (sq / w).sqrt() / LEVEL_RANGE).clamp(0.0, 1.0)),
        unused,
        required_importance: req,
    })
}

/// The blended score of a target ([`TARGETS_ORDER`]).
pub fn score(fit: Option<f64>, weighted_gap: f64, required_importance: f64) -> f64 {
    let gap = if required_importance > 0.0 {
        (weighted_gap / (LEVEL_RANGE * required_importance)).min(1.0)
    } else {
        0.0
    };
    FIT_WEIGHT * fit.unwrap_or(0.0) + (1.0 - FIT_WEIGHT) * (1.0 - gap)
}

/// One occupation a person could aim for.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// Catalog index.
    pub occupation: usize,
    /// The gap from the self-assessment.
    pub summary: GapSummary,
    /// Descriptors the occupation requires (importance at or above the threshold).
    pub required: usize,
    /// How well it fits the levels given.
    pub fit: Fit,
    /// The blended score the ranking maximises.
    pub score: f64,
}

/// The targets found, and how many occupations were compared.
#[derive(Clone, Debug, PartialEq)]
pub struct RankedTargets {
    /// Occupations rated in every compared domain.
    pub candidates: usize,
    /// Closest to qualifying first, at most the limit.
    pub targets: Vec<Target>,
}

/// Ranks the `occupations` occupations rated under `choice` in every one of `tables` by their
/// blended score for `levels` (one vector per table, `None` = not given), highest first (see
/// [`TARGETS_ORDER`]), keeping only those `keep` accepts; at most `limit`.
pub fn rank_targets(
    occupations: usize,
    tables: &[&DomainTable],
    levels: &[Vec<Option<f64>>],
    choice: ProfileChoice,
    params: &GapParams,
    limit: usize,
    keep: impl Fn(usize) -> bool,
) -> RankedTargets {
    let mut ranked: Vec<Target> = (0..occupations)
        .filter_map(|o| {
            let fit = fit(o, tables, levels, choice, params)?;
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
            let score = score(fit.value, acc.weighted_gap(), fit.required_importance);
            Some(Target {
                occupation: o,
                summary: acc,
                required,
                fit,
                score,
            })
        })
        .collect();
    let candidates = ranked.len();
    ranked.retain(|t| keep(t.occupation));
    let cmp = |a: &Target, b: &Target| {
        b.score
            .total_cmp(&a.score)
            .then(a.summary.weighted_key.cmp(&b.summary.weighted_key))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_score_prefers_fit_then_a_smaller_gap() {
        // A perfect fit with no gap scores 1.
        assert_eq!(score(Some(1.0), 0.0, 50.0), 1.0);
        // Same fit: the smaller gap ranks higher.
        assert!(score(Some(0.9), 10.0, 50.0) > score(Some(0.9), 20.0, 50.0));
        // A gap of 0 does not outrank a much better fit.
        assert!(score(Some(0.95), 5.0, 50.0) > score(Some(0.7), 0.0, 50.0));
        // The gap term is capped.
        assert_eq!(score(Some(0.0), 1e9, 1.0), 0.0);
    }
}
