//! How well a ranking of related occupations agrees with an expert list such as O*NET's.
//!
//! For each source occupation `s` of the expert list, let `R_k(s)` be the first `k` distinct
//! occupations of the ranking for `s` (after dropping `s` itself), `P(s)` the list's Primary
//! tiers (Primary-Short ∪ Primary-Long, the 10 closest), `S(s)` its Primary-Short tier (the 5
//! closest) and `A(s)` every occupation it lists (20 with Supplemental). Then:
//!
//! - overlap@10 = `|R_10(s) ∩ P(s)|`, from 0 to 10;
//! - overlap@5 = `|R_5(s) ∩ S(s)|`, from 0 to 5;
//! - recall@20 = `|R_20(s) ∩ A(s)| / |A(s)|`, from 0 to 1.
//!
//! Each is averaged over every source of the list. A source the ranking cannot rank (unknown to
//! it, or without what it needs) counts as 0 on all three, so a ranking never looks better by
//! leaving occupations out; how many there were is reported beside the means.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use crate::code::SocCode;
use crate::related::{RelatedOccupation, RelatedTier};

/// The figures for one source occupation.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct SourceScore {
    /// The source occupation.
    pub occupation: SocCode,
    /// Whether the ranking ranked it (if not, every figure is 0).
    pub ranked: bool,
    /// `|R_10 ∩ P|`.
    pub overlap_at_10: usize,
    /// `|R_5 ∩ S|`.
    pub overlap_at_5: usize,
    /// `|R_20 ∩ A| / |A|`.
    pub recall_at_20: f64,
}

/// The figures over a whole list.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evaluation {
    /// Source occupations in the list.
    pub sources: usize,
    /// How many of them the ranking ranked.
    pub ranked: usize,
    /// Mean overlap@10 with the Primary tiers.
    pub overlap_at_10: f64,
    /// Mean overlap@5 with Primary-Short.
    pub overlap_at_5: f64,
    /// Mean recall@20 against the whole list.
    pub recall_at_20: f64,
    /// Per source, in code order.
    pub per_source: Vec<SourceScore>,
}

/// Scores `ranking` against `expert`. `ranking(s)` gives the occupations related to `s`, best
/// first (at least 20 for the figures to mean what they say), or `None` when it cannot rank `s`.
pub fn evaluate<I>(
    expert: &[RelatedOccupation],
    mut ranking: impl FnMut(SocCode) -> Option<I>,
) -> Evaluation
where
    I: IntoIterator<Item = SocCode>,
{
    let mut lists: BTreeMap<SocCode, Vec<&RelatedOccupation>> = BTreeMap::new();
    for r in expert {
        lists.entry(r.occupation).or_default().push(r);
    }
    let per_source: Vec<SourceScore> = lists
        .into_iter()
        .map(|(source, list)| {
            let Some(ranked) = ranking(source) else {
                return SourceScore {
                    occupation: source,
                    ranked: false,
                    overlap_at_10: 0,
                    overlap_at_5: 0,
                    recall_at_20: 0.0,
                };
            };
            let mut seen = HashSet::new();
            let top: Vec<SocCode> = ranked
                .into_iter()
                .filter(|c| *c != source && seen.insert(*c))
                .take(20)
                .collect();
            let hits = |k: usize, keep: &dyn Fn(RelatedTier) -> bool| {
                let wanted: HashSet<SocCode> = list
                    .iter()
                    .filter(|r| keep(r.tier))
                    .map(|r| r.related)
                    .collect();
                (
                    top.iter().take(k).filter(|c| wanted.contains(c)).count(),
                    wanted.len(),
                )
            };
            let (all_hits, all) = hits(20, &|_| true);
            SourceScore {
                occupation: source,
                ranked: true,
                overlap_at_10: hits(10, &RelatedTier::is_primary).0,
                overlap_at_5: hits(5, &|t| t == RelatedTier::PrimaryShort).0,
                recall_at_20: if all == 0 {
                    0.0
                } else {
                    all_hits as f64 / all as f64
                },
            }
        })
        .collect();
    let n = per_source.len();
    let mean = |f: &dyn Fn(&SourceScore) -> f64| {
        if n == 0 {
            0.0
        } else {
            per_source.iter().map(f).sum::<f64>() / n as f64
        }
    };
    Evaluation {
        sources: n,
        ranked: per_source.iter().filter(|s| s.ranked).count(),
        overlap_at_10: mean(&|s| s.overlap_at_10 as f64),
        overlap_at_5: mean(&|s| s.overlap_at_5 as f64),
        recall_at_20: mean(&|s| s.recall_at_20),
        per_source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(n: u32) -> SocCode {
        SocCode::parse(&format!("11-{n:04}.00")).unwrap()
    }

    /// Source `s` with 20 listed occupations `base+1 ..= base+20`, ranked 1..=20.
    fn list(s: u32, base: u32) -> Vec<RelatedOccupation> {
        (1..=20)
            .map(|i| RelatedOccupation {
                occupation: code(s),
                related: code(base + i),
                tier: match i {
                    1..=5 => RelatedTier::PrimaryShort,
                    6..=10 => RelatedTier::PrimaryLong,
                    _ => RelatedTier::Supplemental,
                },
                index: i as u16,
            })
            .collect()
    }

    #[test]
    fn figures_match_a_hand_count() {
        // Source 1 lists 101..=120 (Primary-Short 101–105, Primary-Long 106–110).
        // Source 2 lists 201..=220. Source 3 lists 301..=320 but the ranking cannot rank it.
        let mut expert = list(1, 100);
        expert.extend(list(2, 200));
        expert.extend(list(3, 300));
        let ranking = |s: SocCode| -> Option<Vec<SocCode>> {
            if s == code(1) {
                // Itself first (dropped), then 103, 999, 107, 101, 115, a repeat of 103 (dropped),
                // then 900..=915 (none listed) and 120 in 21st place (past the cut).
                let mut r = vec![
                    code(1),
                    code(103),
                    code(999),
                    code(107),
                    code(101),
                    code(115),
                    code(103),
                ];
                r.extend((900..=914).map(code));
                r.push(code(120));
                Some(r)
            } else if s == code(2) {
                // Exactly the list, in reverse: 220, 219, …, 201.
                Some((201..=220).rev().map(code).collect())
            } else {
                None
            }
        };
        let e = evaluate(&expert, ranking);
        assert_eq!((e.sources, e.ranked), (3, 2));
        let s1 = e.per_source[0];
        // Top 5 of source 1: 103, 999, 107, 101, 115 → Primary-Short hits 103 and 101.
        assert_eq!(s1.overlap_at_5, 2);
        // Top 10 adds 900..=904 → Primary hits 103, 107, 101.
        assert_eq!(s1.overlap_at_10, 3);
        // Top 20: 103, 999, 107, 101, 115, 900..=914 → listed: 103, 107, 101, 115 = 4 of 20.
        assert!((s1.recall_at_20 - 0.2).abs() < 1e-12);
        let s2 = e.per_source[1];
        // Reverse order: top 5 = 220..216 (all Supplemental), top 10 = 220..211 (Supplemental).
        assert_eq!((s2.overlap_at_5, s2.overlap_at_10), (0, 0));
        assert!((s2.recall_at_20 - 1.0).abs() < 1e-12);
        assert!(!e.per_source[2].ranked);
        assert!((e.overlap_at_10 - 3.0 / 3.0).abs() < 1e-12);
        assert!((e.overlap_at_5 - 2.0 / 3.0).abs() < 1e-12);
        assert!((e.recall_at_20 - 1.2 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn the_ideal_ranking_scores_full_marks() {
        let expert = list(1, 100);
        let e = evaluate(&expert, |_| Some((101..=120).map(code)));
        assert_eq!(
            (e.overlap_at_10, e.overlap_at_5, e.recall_at_20),
            (10.0, 5.0, 1.0)
        );
    }
}
