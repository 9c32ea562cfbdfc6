//! Moves from one occupation: which occupations are candidates, and how they are ranked, by
//! relatedness (the default), skill similarity, or pay.

use crate::catalog::Catalog;
use crate::descriptor::Domain;
use crate::gap::{GapParams, GapSummary, summarize};
use crate::labor::Wage;
use crate::pay::{MoveWage, highest_first, known_smallest_first};
use crate::profile::{Cell, DomainTable, ProfileChoice};
use crate::relatedness::{NEIGHBOURS, Pair, Relatedness};
use crate::viability::{Viability, ViabilityCounts, relatedness_allows};

/// How moves are ordered (`sort=`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TransitionSort {
    /// By relatedness (titles, tasks, knowledge, skills, job zone), highest first: the default,
    /// closest to how O*NET's experts relate occupations.
    #[default]
    Relatedness,
    /// By skill-profile similarity, highest first (the order before relatedness).
    Similarity,
    /// By wage ratio (target median over source median), highest first.
    WageGain,
    /// Among moves that pay more: importance-weighted gap per dollar of median wage gained,
    /// smallest first.
    EffortPerDollar,
}

impl TransitionSort {
    /// Every order, in the order the API lists them.
    pub const ALL: [TransitionSort; 4] = [
        TransitionSort::Relatedness,
        TransitionSort::Similarity,
        TransitionSort::WageGain,
        TransitionSort::EffortPerDollar,
    ];

    /// The name requests use.
    pub const fn as_str(self) -> &'static str {
        match self {
            TransitionSort::Relatedness => "relatedness",
            TransitionSort::Similarity => "similarity",
            TransitionSort::WageGain => "wage_gain",
            TransitionSort::EffortPerDollar => "effort_per_dollar",
        }
    }

    /// Whether the order needs BLS wages.
    pub const fn needs_wages(self) -> bool {
        matches!(
            self,
            TransitionSort::WageGain | TransitionSort::EffortPerDollar
        )
    }

    /// How the order ranks, as answers say it.
    pub const fn rule(self) -> &'static str {
        match self {
            TransitionSort::Relatedness => {
                "by relatedness (standard deviations above an average pair), highest first; ties by code"
            }
            TransitionSort::Similarity => {
                "by skill-level similarity, highest first; ties by smaller weighted gap, then code"
            }
            TransitionSort::WageGain => {
                "among viable moves (unless viable=any): by wage ratio (target median annual wage / source median, BLS OEWS), highest first; moves with an unknown wage last"
            }
            TransitionSort::EffortPerDollar => {
                "among viable moves (unless viable=any) that pay more: by effort per $1,000 of median annual wage gained, smallest first"
            }
        }
    }
}

/// The gap summary of a move from a source whose cells in `tables` are `from` (one slice per
/// table) to the occupation at `to`; `None` unless `to` is rated under `choice` in all of them.
pub fn move_summary(
    tables: &[&DomainTable],
    from: &[&[Cell]],
    to: usize,
    choice: ProfileChoice,
    params: &GapParams,
) -> Option<GapSummary> {
    let mut acc = GapSummary::default();
    for (t, from) in tables.iter().zip(from) {
        let target = t.profiles(to).get(choice)?;
        summarize(from, &target.cells, params, &mut acc);
    }
    Some(acc)
}

/// What a ranking of moves is asked.
#[derive(Clone, Copy, Debug)]
pub struct MoveQuery<'a> {
    /// The source occupation (catalog index).
    pub from: usize,
    /// The compared domains' tables.
    pub tables: &'a [&'a DomainTable],
    /// The source's cells in each of `tables` (it is rated in all of them).
    pub from_cells: &'a [&'a [Cell]],
    /// Which ratings to compare.
    pub choice: ProfileChoice,
    /// The gap definition's thresholds.
    pub params: GapParams,
    /// The order.
    pub sort: TransitionSort,
    /// The least target-over-source median wage a move kept must pay.
    pub min_wage_ratio: Option<f64>,
    /// Desirable moves only: the least target-over-source median wage (a job zone kept or
    /// raised as well), when asked for.
    pub desirable: Option<f64>,
    /// Whether pay orders and filters rank every candidate (`viable=any`) rather than viable
    /// moves only.
    pub any: bool,
    /// Most moves answered.
    pub limit: usize,
}

impl MoveQuery<'_> {
    /// Whether the moves are ranked by pay or filtered by it (then viable moves only, unless
    /// `any`).
    pub fn filters_by_pay(&self) -> bool {
        self.sort.needs_wages() || self.min_wage_ratio.is_some() || self.desirable.is_some()
    }
}

/// Whether a move is **desirable** (as Career Causeways defines it): it pays at least `ratio` of
/// today's median and does not drop a job zone (an unknown zone does not block; an unknown wage
/// does).
pub fn is_desirable(
    wage_ratio: Option<f64>,
    from_zone: Option<u8>,
    to_zone: Option<u8>,
    ratio: f64,
) -> bool {
    wage_ratio.is_some_and(|r| r >= ratio) && from_zone.zip(to_zone).is_none_or(|(f, t)| t >= f)
}

/// One ranked move.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RankedMove {
    /// The target (catalog index).
    pub to: usize,
    /// How related it is to the source; `None` when either is not ranked.
    pub pair: Option<Pair>,
    /// The gap summary; `None` when the target is not rated in every compared domain.
    pub summary: Option<GapSummary>,
    /// What the move pays; `None` when no wages are known for the source.
    pub wage: Option<MoveWage>,
    /// Which viability conditions it fails.
    pub viability: Viability,
    /// The effort of the move (the skills weighted gap unless the caller counts more).
    pub effort: f64,
}

/// The moves answered, and how many occupations were ranked to find them.
#[derive(Clone, Debug, PartialEq)]
pub struct RankedMoves {
    /// Occupations the order ranks (every related one, or every rated one).
    pub candidates: usize,
    /// In the order asked for, at most the limit.
    pub moves: Vec<RankedMove>,
    /// Every other occupation of the catalog assessed for viability.
    pub viability: ViabilityCounts,
    /// Of the moves ranked (viable ones unless `any`), how many were desirable, when asked.
    pub desirable: Option<usize>,
}

/// Ranks the moves from `q.from`. By relatedness, the pool is the closest occupations (as many as
/// the limit); by similarity, every occupation rated in the compared domains, ranked by
/// similarity. When pay orders or filters them, the pool is every **viable** move (ranked by
/// relatedness, or similarity when asked), or with `any` every candidate as above (all kept
/// closest ones by relatedness). Pay orders, the wage floor and desirability then apply to that
/// pool. `median_wage` gives an occupation's median wage by catalog index (`None` when no wages
/// are loaded); `effort` turns a move's skills weighted gap into its effort (the identity keeps
/// the skills gap alone).
pub fn rank_moves(
    catalog: &Catalog,
    relatedness: &Relatedness,
    q: &MoveQuery,
    median_wage: impl Fn(usize) -> Option<Wage>,
    effort: impl Fn(usize, f64) -> f64,
) -> RankedMoves {
    let from_code = catalog.occupations[q.from].occupation.code;
    let filtering = q.filters_by_pay();
    let rated = |o: usize| {
        q.tables
            .iter()
            .all(|t| t.profiles(o).get(q.choice).is_some())
    };
    // The kept closest and their scores: the relatedness condition reads them.
    let closest: std::collections::HashMap<usize, f32> = relatedness
        .closest_codes(from_code)
        .filter_map(|(c, s)| Some((catalog.index_of(c)?, s)))
        .collect();
    let from_zone = catalog.occupations[q.from].job_zone;
    let from_rated = rated(q.from);
    let viability_of = |o: usize| {
        Viability::assess(
            closest.get(&o).copied(),
            from_zone,
            catalog.occupations[o].job_zone,
            from_rated && rated(o),
        )
    };
    let mut counts = ViabilityCounts::default();
    for o in (0..catalog.occupations.len()).filter(|&o| o != q.from) {
        counts.add(viability_of(o));
    }
    let (candidates, pool): (usize, Vec<(usize, Option<Pair>)>) = if filtering && !q.any {
        let mut pool: Vec<(usize, Option<Pair>)> = relatedness
            .closest_codes(from_code)
            .take_while(|&(_, s)| relatedness_allows(Some(s)))
            .filter_map(|(c, _)| catalog.index_of(c).map(|o| (o, c)))
            .filter(|&(o, _)| viability_of(o).is_viable())
            .map(|(o, c)| (o, relatedness.pair(from_code, c)))
            .collect();
        if q.sort == TransitionSort::Similarity {
            let sim = |o: usize| {
                move_summary(q.tables, q.from_cells, o, q.choice, &q.params)
                    .and_then(|s| s.similarity.value())
                    .unwrap_or(0.0)
            };
            pool.sort_by(|a, b| sim(b.0).total_cmp(&sim(a.0)).then(a.0.cmp(&b.0)));
        }
        (counts.viable, pool)
    } else {
        match q.sort {
            TransitionSort::Relatedness => {
                let n = if filtering { NEIGHBOURS } else { q.limit };
                let pool = relatedness
                    .closest(from_code, n)
                    .into_iter()
                    .filter_map(|p| Some((catalog.index_of(p.occupation)?, Some(p))))
                    .collect();
                let ranked = if relatedness.contains(from_code) {
                    relatedness.codes().len() - 1
                } else {
                    0
                };
                (ranked, pool)
            }
            _ => {
                let domains: Vec<Domain> = q.tables.iter().map(|t| t.domain).collect();
                let candidates = (0..catalog.occupations.len())
                    .filter(|&o| o != q.from && rated(o))
                    .count();
                let n = if filtering {
                    catalog.occupations.len()
                } else {
                    q.limit
                };
                let ranked = transitions(catalog, q.from, &domains, q.choice, &q.params, n);
                let pool = ranked
                    .iter()
                    .map(|t| {
                        let code = catalog.occupations[t.occupation].occupation.code;
                        (t.occupation, relatedness.pair(from_code, code))
                    })
                    .collect();
                (candidates, pool)
            }
        }
    };
    let from_wage = median_wage(q.from);
    let mut moves: Vec<RankedMove> = pool
        .into_iter()
        .map(|(to, pair)| {
            let summary = move_summary(q.tables, q.from_cells, to, q.choice, &q.params);
            let gap = summary.map_or(0.0, |s| s.weighted_gap());
            let effort = effort(to, gap);
            let wage = from_wage.and_then(|w| Some(MoveWage::new(w, median_wage(to)?, effort)));
            RankedMove {
                to,
                pair,
                summary,
                wage,
                viability: viability_of(to),
                effort,
            }
        })
        .collect();
    let desirable = q.desirable.map(|ratio| {
        moves.retain(|m| {
            is_desirable(
                m.wage.and_then(|w| w.ratio()),
                from_zone,
                catalog.occupations[m.to].job_zone,
                ratio,
            )
        });
        moves.len()
    });
    RankedMoves {
        candidates,
        moves: order_moves(moves, q.sort, q.min_wage_ratio, q.limit),
        viability: counts,
        desirable,
    }
}

/// Orders moves (already ranked by relatedness or similarity) by `sort`, keeps those paying at
/// least `min_wage_ratio` of today's wage, and returns at most `limit`. Ties keep the order the
/// moves came in.
pub fn order_moves(
    moves: Vec<RankedMove>,
    sort: TransitionSort,
    min_wage_ratio: Option<f64>,
    limit: usize,
) -> Vec<RankedMove> {
    let ratio = |m: &RankedMove| m.wage.and_then(|w| w.ratio());
    let mut out: Vec<RankedMove> = moves
        .into_iter()
        .filter(|m| min_wage_ratio.is_none_or(|min| ratio(m).is_some_and(|r| r >= min)))
        .collect();
    match sort {
        // Moves come ranked by relatedness or similarity already.
        TransitionSort::Relatedness | TransitionSort::Similarity => {}
        // Moves whose wage change is unknown go last, in the order they came.
        TransitionSort::WageGain => highest_first(&mut out, ratio),
        TransitionSort::EffortPerDollar => {
            known_smallest_first(&mut out, |m| m.wage.and_then(|w| w.gap_per_1000))
        }
    }
    out.truncate(limit);
    out
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labor::{Bound, WageChange};

    fn mv(to: usize, ratio: Option<f64>, gap_per_1000: Option<f64>) -> RankedMove {
        RankedMove {
            to,
            pair: None,
            summary: None,
            viability: Viability::default(),
            effort: 0.0,
            wage: Some(MoveWage {
                median: Wage::Amount(1.0),
                change: ratio.map(|r| WageChange {
                    difference: r - 1.0,
                    ratio: r,
                    bound: Bound::Exact,
                }),
                gap_per_1000,
            }),
        }
    }

    #[test]
    fn moves_sort_by_pay_and_the_filter_drops_unknown_and_low_pay() {
        let moves = || {
            vec![
                mv(0, Some(0.5), None),
                mv(1, None, None),
                mv(2, Some(1.5), Some(4.0)),
                mv(3, Some(2.0), Some(9.0)),
                mv(4, Some(1.2), Some(1.0)),
            ]
        };
        let order = |v: Vec<RankedMove>| v.into_iter().map(|m| m.to).collect::<Vec<_>>();
        assert_eq!(
            order(order_moves(moves(), TransitionSort::WageGain, None, 10)),
            [3, 2, 4, 0, 1]
        );
        assert_eq!(
            order(order_moves(
                moves(),
                TransitionSort::EffortPerDollar,
                None,
                10
            )),
            [4, 2, 3]
        );
        assert_eq!(
            order(order_moves(
                moves(),
                TransitionSort::Similarity,
                Some(0.75),
                10
            )),
            [2, 3, 4]
        );
        assert_eq!(
            order(order_moves(moves(), TransitionSort::WageGain, Some(1.2), 2)),
            [3, 2]
        );
    }
}
