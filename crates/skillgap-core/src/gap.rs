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

use crate::descriptor::Domain;
use crate::profile::{Cell, DomainTable};

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

impl GapParams {
    /// The defaults: required at importance 3 ("important") or above, any positive gap counts.
    pub const DEFAULT: GapParams = GapParams {
        min_importance: 3.0,
        min_gap: 0.0,
    };
}

impl Default for GapParams {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// O*NET values have two decimals; the engine compares and orders them in whole hundredths so
/// that a gap of exactly `min_gap` is never a shortage and equal weighted gaps tie exactly.
fn hundredths(x: f64) -> i64 {
    (x * 100.0).round() as i64
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
    /// The source's level, or `None` when it does not rate the descriptor.
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

/// One descriptor of a comparison, before any row is built: the single place where the
/// definition is applied, shared by [`compare`] and [`summarize`].
#[derive(Clone, Copy, Debug)]
struct Outcome {
    i: usize,
    from_level: f64,
    to_level: f64,
    /// `to_level − from_level` in hundredths.
    gap_h: i64,
    from_importance: Option<f64>,
    to_importance: f64,
    required: bool,
    missing: bool,
    shortage: bool,
    surplus: bool,
    /// Weight in the similarity, when the source rates the descriptor.
    similarity_weight: Option<f64>,
}

impl Outcome {
    fn gap(&self) -> f64 {
        self.gap_h as f64 / 100.0
    }
    /// `gap × to_importance` in units of 1e-4, exact.
    fn shortage_key(&self) -> i64 {
        self.gap_h * hundredths(self.to_importance)
    }
    /// `(from_level − to_level) × from_importance` in units of 1e-4 (importance 1 when unknown).
    fn surplus_key(&self) -> i64 {
        -self.gap_h * self.from_importance.map(hundredths).unwrap_or(100)
    }
}

/// Applies the definition to every descriptor the target rates. A descriptor the source does not
/// rate counts as level 0 and as not required by the source (so it is `missing` when the target
/// requires it).
fn outcomes(from: FromSide<'_>, to: &[Cell], params: &GapParams, mut f: impl FnMut(Outcome)) {
    for (i, t) in to.iter().enumerate() {
        let (Some(to_level), Some(to_importance)) = (t.effective_level(), t.importance) else {
            continue;
        };
        let rated = from.level(i);
        let from_level = rated.unwrap_or(0.0);
        let from_importance = from.importance(i);
        let gap_h = hundredths(to_level) - hundredths(from_level);
        let gap = gap_h as f64 / 100.0;
        let required = to_importance >= params.min_importance;
        let has = rated.is_some() && from.has(i, params);
        let similarity_weight = match (&from, rated, from_importance) {
            (FromSide::Assessed(_), Some(_), _) => Some(to_importance),
            (FromSide::Occupation(_), Some(_), Some(fi)) => Some((fi + to_importance) / 2.0),
            _ => None,
        };
        f(Outcome {
            i,
            from_level,
            to_level,
            gap_h,
            from_importance,
            to_importance,
            required,
            missing: required && !has,
            shortage: required && gap > params.min_gap,
            surplus: has && -gap > params.min_gap,
            similarity_weight,
        });
    }
}

/// One descriptor compared.
#[derive(Clone, Debug, PartialEq)]
pub struct GapRow {
    /// Domain of the descriptor.
    pub domain: Domain,
    /// Position of the descriptor in its domain table.
    pub descriptor: usize,
    /// Source level used (0 when Not Relevant or not rated).
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
    /// `gap × to_importance` for shortages, `(from_level − to_level) × from_importance` for surplus.
    pub weighted: f64,
    /// `weighted` in exact units of 1e-4: what rows are sorted by.
    pub rank_key: i64,
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
    outcomes(from, to, params, |o| {
        if let Some(w) = o.similarity_weight {
            out.similarity.add(w, o.from_level, o.to_level);
        }
        let t = &to[o.i];
        let from_cell = from.cell(o.i);
        let row = |rank_key: i64, missing: bool| GapRow {
            domain: table.domain,
            descriptor: o.i,
            from_level: o.from_level,
            to_level: o.to_level,
            gap: o.gap(),
            from_importance: o.from_importance,
            to_importance: o.to_importance,
            significant: match (from_cell.and_then(|c| c.level_se), t.level_se) {
                (Some(a), Some(b)) => Some(o.gap() > Z_95 * (a * a + b * b).sqrt()),
                _ => None,
            },
            from_not_relevant: from_cell.is_some_and(|c| c.not_relevant),
            to_not_relevant: t.not_relevant,
            from_suppressed: from_cell.is_some_and(|c| c.suppressed),
            to_suppressed: t.suppressed,
            missing,
            weighted: rank_key as f64 / 10_000.0,
            rank_key,
        };
        if o.required {
            out.required_by_target += 1;
        }
        if o.missing {
            out.missing.push(o.i);
        }
        if o.shortage {
            out.shortages.push(row(o.shortage_key(), o.missing));
        }
        if with_surplus && o.surplus {
            out.surplus.push(row(o.surplus_key(), false));
        }
    });
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
        self.shortages.iter().map(|r| r.rank_key).sum::<i64>() as f64 / 10_000.0
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
        b.rank_key.cmp(&a.rank_key).then_with(|| {
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
    /// Sum of `gap × to_importance` over shortages, in exact units of 1e-4.
    pub weighted_key: i64,
    /// Similarity accumulator.
    pub similarity: SimilarityAcc,
}

impl GapSummary {
    /// Sum of `gap × to_importance` over shortages.
    pub fn weighted_gap(&self) -> f64 {
        self.weighted_key as f64 / 10_000.0
    }
}

/// The counting path of [`compare`] for two occupation profiles (same definition, no rows).
pub fn summarize(from: &[Cell], to: &[Cell], params: &GapParams, acc: &mut GapSummary) {
    summarize_side(FromSide::Occupation(from), to, params, acc);
}

/// The counting path of [`compare`] from any source side (a self-assessment, say).
pub fn summarize_side(from: FromSide<'_>, to: &[Cell], params: &GapParams, acc: &mut GapSummary) {
    outcomes(from, to, params, |o| {
        if let Some(w) = o.similarity_weight {
            acc.similarity.add(w, o.from_level, o.to_level);
        }
        if o.shortage {
            acc.shortages += 1;
            acc.weighted_key += o.shortage_key();
        }
    });
}

#[cfg(test)]
mod tests {
    //! Small hand-made profiles (arithmetic fixtures, not O*NET data) for the edge cases.
    use super::*;
    use crate::{
        Catalog, CatalogBuilder, Descriptor, ElementId, Occupation, Rating, ScaleId, SocCode,
        Source,
    };

    const A: &str = "00-0000.01";
    const B: &str = "00-0000.02";

    /// (element, from (im, lv) or unrated, to (im, lv)); levels' standard error 0.1.
    /// (importance, level).
    type Pair = (f64, f64);

    fn catalog(rows: &[(&str, Option<Pair>, Pair)]) -> Catalog {
        let mut b = CatalogBuilder::new(None);
        for code in [A, B] {
            let code = SocCode::parse(code).unwrap();
            b.occupation(
                Occupation {
                    code,
                    title: code.to_string(),
                    description: String::new(),
                },
                Source::OnetRelease,
            );
        }
        for (id, from, to) in rows {
            let element = ElementId::parse(id).unwrap();
            b.descriptor(Descriptor {
                id: element.clone(),
                name: id.to_string(),
                description: String::new(),
                domain: Some(Domain::Skills),
            });
            for (code, values) in [(A, *from), (B, Some(*to))] {
                let Some((im, lv)) = values else { continue };
                for (scale, value) in [(ScaleId::importance(), im), (ScaleId::level(), lv)] {
                    b.rating(&Rating {
                        occupation: SocCode::parse(code).unwrap(),
                        element: element.clone(),
                        scale,
                        value,
                        n: None,
                        standard_error: Some(0.1),
                        lower_ci: None,
                        upper_ci: None,
                        recommend_suppress: Some(code == B && *id == "2.A.1.b"),
                        not_relevant: None,
                        date: None,
                        domain_source: None,
                        source: Source::OnetRelease,
                    });
                }
            }
        }
        b.build()
    }

    fn run(c: &Catalog, params: GapParams) -> GapReport {
        let t = c.domain(Domain::Skills).unwrap();
        let from = &t.profiles(0).onet.as_ref().unwrap().cells;
        let to = &t.profiles(1).onet.as_ref().unwrap().cells;
        let part = compare(t, FromSide::Occupation(from), to, &params, true);
        report([(Domain::Skills, part)], |_, i| {
            t.descriptors[i].id.as_str()
        })
    }

    #[test]
    fn a_gap_of_exactly_min_gap_is_not_a_shortage() {
        // 1.12 − 0.62 is 0.5000000000000001 in floating point.
        let c = catalog(&[("2.A.1.a", Some((3.0, 0.62)), (4.0, 1.12))]);
        assert!(
            run(
                &c,
                GapParams {
                    min_importance: 3.0,
                    min_gap: 0.5
                }
            )
            .shortages
            .is_empty()
        );
        let r = run(
            &c,
            GapParams {
                min_importance: 3.0,
                min_gap: 0.49,
            },
        );
        assert_eq!(r.shortages[0].gap, 0.5);
        assert_eq!(r.shortages[0].weighted, 2.0);
    }

    #[test]
    fn equal_weighted_gaps_tie_by_element_id() {
        // 0.12 × 3.38 and 0.13 × 3.12 are both 0.4056, but not in floating point.
        let c = catalog(&[
            ("2.A.1.b", Some((3.0, 2.00)), (3.12, 2.13)),
            ("2.A.1.a", Some((3.0, 2.00)), (3.38, 2.12)),
        ]);
        let r = run(&c, GapParams::default());
        let ids: Vec<usize> = r.shortages.iter().map(|x| x.descriptor).collect();
        let t = c.domain(Domain::Skills).unwrap();
        assert_eq!(
            ids.iter()
                .map(|i| t.descriptors[*i].id.as_str())
                .collect::<Vec<_>>(),
            ["2.A.1.a", "2.A.1.b"]
        );
        assert_eq!(r.shortages[0].rank_key, r.shortages[1].rank_key);
        assert_eq!(r.weighted_gap_total(), 0.8112);
    }

    #[test]
    fn a_descriptor_the_source_does_not_rate_is_missing_and_counted_alike_everywhere() {
        let c = catalog(&[
            ("2.A.1.a", Some((4.0, 3.0)), (4.0, 3.5)),
            ("2.A.1.b", None, (3.5, 2.0)),
        ]);
        let r = run(&c, GapParams::default());
        assert_eq!(r.required_by_target, 2);
        assert_eq!(r.missing.len(), 1);
        assert_eq!(r.shortages.len(), 2);
        let missing = r.shortages.iter().find(|x| x.missing).unwrap();
        assert_eq!((missing.from_level, missing.gap), (0.0, 2.0));
        assert!(missing.to_suppressed);
        // The ranking path agrees with the answer path.
        let t = c.domain(Domain::Skills).unwrap();
        let mut acc = GapSummary::default();
        summarize(
            &t.profiles(0).onet.as_ref().unwrap().cells,
            &t.profiles(1).onet.as_ref().unwrap().cells,
            &GapParams::default(),
            &mut acc,
        );
        assert_eq!(
            (acc.shortages, acc.weighted_gap()),
            (r.shortages.len(), r.weighted_gap_total())
        );
        assert_eq!(acc.similarity, r.similarity);
        // Only the rated descriptor enters the similarity: |3 − 3.5| with weight 4.
        assert_eq!(r.similarity.compared, 1);
        assert!((r.similarity.value().unwrap() - (1.0 - 0.5 / 7.0)).abs() < 1e-12);
    }

    #[test]
    fn surplus_needs_the_source_to_require_it_and_to_exceed_min_gap() {
        let c = catalog(&[
            ("2.A.1.a", Some((4.0, 5.0)), (2.0, 3.0)),
            ("2.A.1.b", Some((2.0, 5.0)), (2.0, 3.0)),
            ("2.B.1.a", Some((4.0, 3.4)), (2.0, 3.0)),
        ]);
        let r = run(
            &c,
            GapParams {
                min_importance: 3.0,
                min_gap: 0.5,
            },
        );
        let t = c.domain(Domain::Skills).unwrap();
        let ids: Vec<&str> = r
            .surplus
            .iter()
            .map(|x| t.descriptors[x.descriptor].id.as_str())
            .collect();
        assert_eq!(ids, ["2.A.1.a"]);
        assert_eq!(r.surplus[0].weighted, 8.0);
    }

    #[test]
    fn a_self_assessment_has_what_it_claims_above_zero() {
        let c = catalog(&[
            ("2.A.1.a", Some((3.0, 3.0)), (4.0, 3.0)),
            ("2.A.1.b", Some((3.0, 3.0)), (4.0, 3.0)),
        ]);
        let t = c.domain(Domain::Skills).unwrap();
        let to = &t.profiles(1).onet.as_ref().unwrap().cells;
        let claimed = [Some(3.5), Some(0.0)];
        let part = compare(
            t,
            FromSide::Assessed(&claimed),
            to,
            &GapParams::default(),
            false,
        );
        assert_eq!(part.missing, vec![1]);
        assert_eq!(part.shortages.len(), 1);
        assert_eq!(part.shortages[0].significant, None);
        assert_eq!(part.similarity.compared, 2);
    }
}
