//! Targets for a self-assessed profile: every rated occupation ranked by how well it fits the
//! levels the person gave (and uses them), blended with what it still asks.
//!
//! **Fit** compares the shape and height of two level profiles. Each level is first standardised
//! against every rated occupation (`z = (level − mean) / deviation`, per descriptor), so that a
//! level well above what occupations usually ask counts more than one every occupation shares.
//! The fit is then a cosine between the person's and the target's standardised levels, weighted
//! by the target's importance and partly centred: each side loses [`CENTRING`] of its weighted mean
//! first. Fully centred (a correlation) it would ignore height, and a profile asking far less than
//! the person has would fit as well as an equal one; not centred at all it is dominated by height.
//! It runs over the descriptors the person gave a level for, and is mapped from [−1, 1] to
//! [0, 1]. What the target requires and the person left out is not guessed at in the fit: it
//! counts in the weighted gap (as level 0), which the **score** blends in ([`TARGETS_ORDER`]).
//! Counting it as level 0 in the fit too sent a person who gave five repair skills to the jobs
//! that require least (dishwashers, helpers), because those have the fewest requirements left out.
//!
//! The centring and the blend were chosen on the tuning half of O*NET's expert related list
//! (targets from each occupation's own 35 skill levels): importance-weighted root-mean-square
//! distance shared 1.78 of its top 10 with the Primary list, this fit 2.01, and every centring from
//! 0.6 to 0.75 stays above 1.97.

use crate::gap::{FromSide, GapParams, GapSummary, LEVEL_RANGE, summarize_side};
use crate::profile::{DomainTable, ProfileChoice};

/// How targets are ordered, as answers say it.
pub const TARGETS_ORDER: &str = "by score = 0.8 × fit + 0.2 × (1 − weighted gap / (7 × total importance of what the target requires)), highest first; fit = (1 + r) / 2, r = the target-importance-weighted cosine of your and the target's levels, each standardised over every rated occupation and 70% centred on its weighted mean, over the descriptors you gave; the gap counts what the target requires (importance ≥ min_importance) and you left out as level 0; ties by smaller weighted gap, then code";

/// Weight of the fit in the score (the rest is the normalised gap).
pub const FIT_WEIGHT: f64 = 0.8;
/// Share of each side's weighted mean removed before the cosine (0 = cosine, 1 = correlation).
pub const CENTRING: f64 = 0.7;
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

/// Per descriptor of each table, the mean and (population) deviation of the levels of every
/// occupation rated under one profile choice: what [`fit`] standardises against.
#[derive(Clone, Debug, PartialEq)]
pub struct LevelNorms {
    /// `norms[table][descriptor] = (mean, deviation)`; a deviation of 0 leaves the descriptor out.
    norms: Vec<Vec<(f64, f64)>>,
}

impl LevelNorms {
    /// The norms of `tables` over the first `occupations` occupations rated under `choice`.
    pub fn new(occupations: usize, tables: &[&DomainTable], choice: ProfileChoice) -> Self {
        let norms = tables
            .iter()
            .map(|t| {
                let n = t.descriptors.len();
                let (mut count, mut sum, mut sq) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
                for o in 0..occupations {
                    let Some(p) = t.profiles(o).get(choice) else {
                        continue;
                    };
                    for (i, c) in p.cells.iter().enumerate().take(n) {
                        if let Some(l) = c.effective_level() {
                            count[i] += 1.0;
                            sum[i] += l;
                            sq[i] += l * l;
                        }
                    }
                }
                (0..n)
                    .map(|i| {
                        if count[i] == 0.0 {
                            return (0.0, 0.0);
                        }
                        let mean = sum[i] / count[i];
                        (mean, (sq[i] / count[i] - mean * mean).max(0.0).sqrt())
                    })
                    .collect()
            })
            .collect();
        Self { norms }
    }
}

/// Weighted sums of two standardised profiles, enough for a partly centred cosine.
#[derive(Clone, Copy, Debug, Default)]
struct CosineSums {
    w: f64,
    a: f64,
    b: f64,
    aa: f64,
    bb: f64,
    ab: f64,
}

impl CosineSums {
    fn add(&mut self, w: f64, a: f64, b: f64) {
        self.w += w;
        self.a += w * a;
        self.b += w * b;
        self.aa += w * a * a;
        self.bb += w * b * b;
        self.ab += w * a * b;
    }

    /// The cosine after removing `centring` of each side's weighted mean; `None` when either
    /// side is then all zeros.
    fn cosine(&self, centring: f64) -> Option<f64> {
        if self.w <= 0.0 {
            return None;
        }
        // Σw(a − λā)(b − λb̄) = Σwab − (2λ − λ²)·ΣwaΣwb/Σw, and likewise for the norms.
        let k = (2.0 * centring - centring * centring) / self.w;
        let ab = self.ab - k * self.a * self.b;
        let aa = self.aa - k * self.a * self.a;
        let bb = self.bb - k * self.b * self.b;
        (aa > 1e-12 && bb > 1e-12).then(|| (ab / (aa * bb).sqrt()).clamp(-1.0, 1.0))
    }
}

/// The fit of the occupation at `o` to `levels` (see the module).
pub fn fit(
    o: usize,
    tables: &[&DomainTable],
    norms: &LevelNorms,
    levels: &[Vec<Option<f64>>],
    choice: ProfileChoice,
    params: &GapParams,
) -> Option<Fit> {
    let mut sums = CosineSums::default();
    let mut req = 0.0;
    let mut unused = Vec::new();
    for (ti, ((t, given), norm)) in tables.iter().zip(levels).zip(&norms.norms).enumerate() {
        let target = t.profiles(o).get(choice)?;
        for (i, c) in target.cells.iter().enumerate() {
            let (Some(level), Some(im)) = (c.effective_level(), c.importance) else {
                continue;
            };
            if im >= params.min_importance {
                req += im;
            }
            let Some(mine) = given.get(i).copied().flatten() else {
                continue;
            };
            if let Some(&(mean, dev)) = norm.get(i)
                && dev > 0.0
            {
                sums.add(im, (mine - mean) / dev, (level - mean) / dev);
            }
            if mine - level >= UNUSED_STRENGTH_MARGIN {
                unused.push((ti, i, mine, level));
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
        value: sums.cosine(CENTRING).map(|r| (1.0 + r) / 2.0),
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
    let norms = LevelNorms::new(occupations, tables, choice);
    let mut ranked: Vec<Target> = (0..occupations)
        .filter_map(|o| {
            let fit = fit(o, tables, &norms, levels, choice, params)?;
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

    fn sums(w: &[f64], a: &[f64], b: &[f64]) -> CosineSums {
        let mut s = CosineSums::default();
        for ((&w, &a), &b) in w.iter().zip(a).zip(b) {
            s.add(w, a, b);
        }
        s
    }

    #[test]
    fn the_partly_centred_cosine_spans_cosine_to_correlation() {
        let (w, a, b) = ([1.0, 2.0, 1.0], [1.0, 2.0, 4.0], [2.0, 1.0, 3.0]);
        let s = sums(&w, &a, &b);
        // Not centred: the weighted cosine, 1·2 + 2·2 + 4·3 = 18 over sqrt(1+8+16)·sqrt(4+2+9).
        let cosine = 18.0 / (25.0f64.sqrt() * 15.0f64.sqrt());
        assert!((s.cosine(0.0).unwrap() - cosine).abs() < 1e-12);
        // Fully centred: the weighted correlation (means 9/4 and 7/4).
        let (ma, mb) = (9.0 / 4.0, 7.0 / 4.0);
        let cov: f64 = (0..3).map(|i| w[i] * (a[i] - ma) * (b[i] - mb)).sum();
        let va: f64 = (0..3).map(|i| w[i] * (a[i] - ma).powi(2)).sum();
        let vb: f64 = (0..3).map(|i| w[i] * (b[i] - mb).powi(2)).sum();
        assert!((s.cosine(1.0).unwrap() - cov / (va * vb).sqrt()).abs() < 1e-12);
        // Partly centred, by hand at 0.7.
        let (pa, pb) = (0.7 * ma, 0.7 * mb);
        let num: f64 = (0..3).map(|i| w[i] * (a[i] - pa) * (b[i] - pb)).sum();
        let da: f64 = (0..3).map(|i| w[i] * (a[i] - pa).powi(2)).sum();
        let db: f64 = (0..3).map(|i| w[i] * (b[i] - pb).powi(2)).sum();
        assert!((s.cosine(0.7).unwrap() - num / (da * db).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn a_profile_fits_itself_best_and_a_flat_one_not_at_all() {
        let (w, a) = ([3.0, 4.0, 2.5, 1.0], [0.5, -1.0, 2.0, 0.0]);
        assert!((sums(&w, &a, &a).cosine(CENTRING).unwrap() - 1.0).abs() < 1e-12);
        let shifted: Vec<f64> = a.iter().map(|x| x + 3.0).collect();
        // The same shape asked at another height fits less than the same profile.
        assert!(sums(&w, &a, &shifted).cosine(CENTRING).unwrap() < 0.999);
        // A side with nothing left after centring cannot be compared.
        assert_eq!(sums(&w, &a, &[0.0; 4]).cosine(CENTRING), None);
        assert_eq!(CosineSums::default().cosine(CENTRING), None);
    }
}
