//! The skill-gap definition. What occupation B requires that a person from occupation A lacks:
//!
//! - a descriptor's **level** is its LV value; a level flagged Not Relevant counts as 0;
//! - a descriptor is **required** by an occupation when its importance (IM) ≥ `min_importance`;
//! - for every descriptor the target requires, `gap = to_level − from_level`, a **shortage** when
//!   `gap > min_gap`;
//! - **missing**: descriptors the target requires and the source does not (whatever the levels);
//! - **surplus**: descriptors the source requires whose source level exceeds the target's by more
//!   than `min_gap`;
//! - a shortage is **significant** when `gap > 1.96·√(se_from² + se_to²)` with O*NET's level
//!   standard errors, unknown when either is missing;
//! - shortages are sorted by importance-weighted gap (`gap × to_importance`), largest first, ties
//!   by element id; surplus likewise by `(from_level − to_level) × from_importance`.
//!
//! Similarity (see [`SIMILARITY_FORMULA`]) is one minus the importance-weighted root-mean-square
//! level difference over every descriptor both profiles rate, divided by the level range 7.

use crate::catalog::{Cell, DomainTable};
use crate::descriptor::Domain;

/// The similarity formula, as echoed in every answer.
pub const SIMILARITY_FORMULA: &str = "1 - sqrt(sum_d w_d * (from_level_d - to_level_d)^2 / sum_d w_d) / 7, w_d = (from_importance_d + to_importance_d) / 2 (to_importance_d alone for a self-assessed profile), over every descriptor both profiles rate";

/// The width of O*NET's level scale (LV 0–7).
pub const LEVEL_RANGE: f64 = 7.0;

/// z for a two-sided 95% test.
pub const Z_95: f64 = 1.96;

/// Parameters of the gap definition.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GapParams {
    /// Importance at or above which a descriptor counts as required (IM scale, 1–5).
    pub min_importance: f64,
    /// Level difference a shortage or surplus must exceed (≥ 0).
    pub min_gap: f64,
}

impl Default for GapParams {
    fn default() -> Self {
        Self {
            min_importance: 3.0,
            min_gap: 0.0,
        }
    }
}

/// The source side of a comparison.
#[derive(Clone, Copy, Debug)]
pub enum FromSide<'a> {
    /// An occupation's profile.
    Occupation(&'a [Cell]),
    /// A person's self-assessed levels (one per descriptor, `None` = not claimed, i.e. level 0).
    /// There is no importance and no standard error on this side.
    Assessed(&'a [Option<f64>]),
}

impl FromSide<'_> {
    fn level(&self, i: usize) -> Option<f64> {
        match self {
            FromSide::Occupation(c) => c[i].effective_level(),
            FromSide::Assessed(l) => Some(l[i].unwrap_or(0.0)),
        }
    }
    fn importance(&self, i: usize) -> Option<f64> {
        match self {
            FromSide::Occupation(c) => c[i].importance,
            FromSide::Assessed(_) => None,
        }
    }
    fn cell(&self, i: usize) -> Option<&Cell> {
        match self {
            FromSide::Occupation(c) => Some(&c[i]),
            FromSide::Assessed(_) => None,
        }
    }
    /// Whether the source "requires" (or, self-assessed, has) the descriptor.
    fn has(&self, i: usize, params: &GapParams) -> bool {
        match self {
            FromSide::Occupation(c) => c[i]
                .importance
                .is_some_and(|im| im >= params.min_importance),
            FromSide::Assessed(l) => l[i].is_some_and(|v| v > 0.0),
        }
    }
}

/// One descriptor compared.
#[derive(Clone, Debug, PartialEq)]
pub struct GapRow {
    /// Domain of the descriptor.
    pub domain: Domain,
    /// Position of the descriptor in its domain table.
    pub descriptor: usize,
    /// Source level used (0 when Not Relevant).
    pub from_level: f64,
    /// Target level used (0 when Not Relevant).
    pub to_level: f64,
    /// `to_level − from_level`.
    pub gap: f64,
    /// Source importance (none for a self-assessed profile).
    pub from_importance: Option<f64>,
    /// Target importance.
    pub to_importance: f64,
    /// Whether the gap exceeds its 95% margin; `None` when a standard error is missing.
    pub significant: Option<bool>,
    /// The source level was flagged Not Relevant.
    pub from_not_relevant: bool,
    /// The target level was flagged Not Relevant.
    pub to_not_relevant: bool,
    /// O*NET recommends suppressing a source value.
    pub from_suppressed: bool,
    /// O*NET recommends suppressing a target value.
    pub to_suppressed: bool,
    /// The source lacks the descriptor (see [`DomainGap::missing`]).
    pub missing: bool,
    /// The sort key: `gap × to_importance` for shortages, `−gap × from_importance` for surplus.
    pub weighted: f64,
}

/// The comparison of two profiles in one domain.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DomainGap {
    /// Shortages, unsorted (see [`GapReport`]).
    pub shortages: Vec<GapRow>,
    /// Descriptors the target requires and the source does not (positions, element-id order).
    pub missing: Vec<usize>,
    /// Surplus rows, unsorted.
    pub surplus: Vec<GapRow>,
    /// How many descriptors the target requires.
    pub required_by_target: usize,
    /// Similarity accumulator for this domain.
    pub similarity: SimilarityAcc,
}

/// Running sums of the similarity formula, so several domains can be combined.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SimilarityAcc {
    weighted_sq: f64,
    weights: f64,
    /// Descriptors compared.
    pub compared: usize,
}

impl SimilarityAcc {
    /// Adds one descriptor.
    pub fn add(&mut self, weight: f64, from_level: f64, to_level: f64) {
        let d = from_level - to_level;
        self.weighted_sq += weight * d * d;
        self.weights += weight;
        self.compared += 1;
    }

    /// Adds another accumulator.
    pub fn merge(&mut self, other: &SimilarityAcc) {
        self.weighted_sq += other.weighted_sq;
        self.weights += other.weights;
        self.compared += other.compared;
    }

    /// The score in [0, 1]; `None` when nothing could be compared.
    pub fn value(&self) -> Option<f64> {
        (self.weights > 0.0)
            .then(|| (1.0 - (self.weighted_sq / self.weights).sqrt() / LEVEL_RANGE).clamp(0.0, 1.0))
    }
}

/// Compares `from` with `to` (the target's cells) over one domain's descriptors.
pub fn compare(
    table: &DomainTable,
    from: FromSide<'_>,
    to: &[Cell],
    params: &GapParams,
    with_surplus: bool,
) -> DomainGap {
    let mut out = DomainGap::default();
    for (i, t) in to.iter().enumerate() {
        let (Some(to_level), Some(to_im)) = (t.effective_level(), t.importance) else {
            continue;
        };
        let Some(from_level) = from.level(i) else {
            continue;
        };
        let from_im = from.importance(i);
        let weight = match from_im {
            Some(f) => (f + to_im) / 2.0,
            None => to_im,
        };
        if matches!(from, FromSide::Assessed(_)) || from_im.is_some() {
            out.similarity.add(weight, from_level, to_level);
        }
        let gap = to_level - from_level;
        let from_cell = from.cell(i);
        let row = |weighted: f64, missing: bool| GapRow {
            domain: table.domain,
            descriptor: i,
            from_level,
            to_level,
            gap,
            from_importance: from_im,
            to_importance: to_im,
            significant: match (from_cell.and_then(|c| c.level_se), t.level_se) {
                (Some(a), Some(b)) => Some(gap > Z_95 * (a * a + b * b).sqrt()),
                _ => None,
            },
            from_not_relevant: from_cell.is_some_and(|c| c.not_relevant),
            to_not_relevant: t.not_relevant,
            from_suppressed: from_cell.is_some_and(|c| c.suppressed),
            to_suppressed: t.suppressed,
            missing,
            weighted,
        };
        if to_im >= params.min_importance {
            out.required_by_target += 1;
            let missing = !from.has(i, params);
            if missing {
                out.missing.push(i);
            }
            if gap > params.min_gap {
                out.shortages.push(row(gap * to_im, missing));
            }
        }
        if with_surplus && from.has(i, params) && -gap > params.min_gap {
            let from_weight = from_im.unwrap_or(1.0);
            out.surplus.push(row(-gap * from_weight, false));
        }
    }
    out
}

/// A whole answer over one or more domains.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GapReport {
    /// Shortages, largest importance-weighted gap first, ties by element id.
    pub shortages: Vec<GapRow>,
    /// Missing descriptors as (domain, position), in element-id order per domain.
    pub missing: Vec<(Domain, usize)>,
    /// Surplus rows, largest first (empty unless asked for).
    pub surplus: Vec<GapRow>,
    /// Descriptors the target requires.
    pub required_by_target: usize,
    /// Similarity over every domain compared.
    pub similarity: SimilarityAcc,
}

impl GapReport {
    /// Sum of `gap × to_importance` over the shortages.
    pub fn weighted_gap_total(&self) -> f64 {
        self.shortages.iter().map(|r| r.weighted).sum()
    }

    /// Shortages whose gap is significant.
    pub fn significant_shortages(&self) -> usize {
        self.shortages
            .iter()
            .filter(|r| r.significant == Some(true))
            .count()
    }
}

/// Compares over several domains and sorts the result; `element_id` gives the tie-break key.
pub fn report<'a>(
    parts: impl IntoIterator<Item = (Domain, DomainGap)>,
    element_id: impl Fn(Domain, usize) -> &'a str,
) -> GapReport {
    let mut out = GapReport::default();
    for (domain, part) in parts {
        out.shortages.extend(part.shortages);
        out.surplus.extend(part.surplus);
        out.required_by_target += part.required_by_target;
        out.similarity.merge(&part.similarity);
        out.missing
            .extend(part.missing.into_iter().map(|i| (domain, i)));
    }
    let order = |a: &GapRow, b: &GapRow| {
        b.weighted.total_cmp(&a.weighted).then_with(|| {
            element_id(a.domain, a.descriptor).cmp(element_id(b.domain, b.descriptor))
        })
    };
    out.shortages.sort_by(order);
    out.surplus.sort_by(order);
    out
}

/// Counts and totals only, without building rows: what a ranking over every occupation needs.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct GapSummary {
    /// Shortages.
    pub shortages: usize,
    /// Sum of `gap × to_importance` over shortages.
    pub weighted_gap: f64,
    /// Similarity accumulator.
    pub similarity: SimilarityAcc,
}

/// The fast path of [`compare`] for two occupation profiles.
pub fn summarize(from: &[Cell], to: &[Cell], params: &GapParams, acc: &mut GapSummary) {
    for (f, t) in from.iter().zip(to) {
        let (Some(to_level), Some(to_im), Some(from_level), Some(from_im)) = (
            t.effective_level(),
            t.importance,
            f.effective_level(),
            f.importance,
        ) else {
            continue;
        };
        acc.similarity
            .add((from_im + to_im) / 2.0, from_level, to_level);
        let gap = to_level - from_level;
        if to_im >= params.min_importance && gap > params.min_gap {
            acc.shortages += 1;
            acc.weighted_gap += gap * to_im;
        }
    }
}
