//! Pay on a path: the lowest wage on the way, the change at the end, the orders that rank paths
//! by them, and the wage floor that limits where a path may go.

use super::search::{OBJECTIVE, Path, PathLimits};
use crate::labor::{Wage, WageChange, wage_change};
use crate::pay::{highest_first, known_smallest_first, per_1000_gained};

/// Paths found (best by the objective) before a pay order re-ranks them: wide enough that the
/// order has real choices, small enough to keep the search in milliseconds.
pub const WAGE_ORDER_POOL: usize = 30;

/// How paths are ordered (`sort=` on `GET /paths`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum PathSort {
    /// By the path objective: smallest largest single-step gap, then smallest total, then fewer
    /// steps (the default).
    #[default]
    Gap,
    /// By the lowest wage ratio along the path (the worst pay on the way, over today's),
    /// highest first: paths that never pay much less than today come first.
    WageGain,
    /// Among paths to a target that pays more: total weighted gap per dollar of median wage
    /// gained, smallest first.
    EffortPerDollar,
}

impl PathSort {
    /// Every order, in the order the API lists them.
    pub const ALL: [PathSort; 3] = [PathSort::Gap, PathSort::WageGain, PathSort::EffortPerDollar];

    /// The name requests use.
    pub const fn as_str(self) -> &'static str {
        match self {
            PathSort::Gap => "gap",
            PathSort::WageGain => "wage_gain",
            PathSort::EffortPerDollar => "effort_per_dollar",
        }
    }

    /// Whether the order needs BLS wages.
    pub const fn needs_wages(self) -> bool {
        !matches!(self, PathSort::Gap)
    }

    /// How the order ranks, as answers say it.
    pub const fn rule(self) -> &'static str {
        match self {
            PathSort::Gap => OBJECTIVE,
            PathSort::WageGain => {
                "among the 30 best paths by the objective: by the lowest median wage on the way over today's (BLS OEWS), highest first; paths with an unknown wage last; ties by the objective"
            }
            PathSort::EffortPerDollar => {
                "among the 30 best paths by the objective, when the target pays more: by total weighted gap per $1,000 of median wage gained, smallest first; ties by the objective"
            }
        }
    }

    /// The search's limits for this order: a pay order ranks a wider pool of the best paths.
    pub fn search_limits(self, asked: PathLimits) -> PathLimits {
        if self.needs_wages() {
            PathLimits {
                paths: WAGE_ORDER_POOL.max(asked.paths),
                ..asked
            }
        } else {
            asked
        }
    }
}

/// Pay along one path, against today's (the source's) median wage.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PathWage {
    /// The lowest ratio over today's and where it is (catalog index); `None` when any wage on
    /// the way is unknown.
    pub lowest: Option<(f64, usize)>,
    /// The change from today's median to the target's.
    pub change: Option<WageChange>,
    /// Total weighted gap per $1,000 of median wage gained at the end, when the target pays more.
    pub gap_per_1000: Option<f64>,
}

impl PathWage {
    /// Pay along `path` from today's wage `today`; `median_wage` by catalog index.
    pub fn of(path: &Path, today: Wage, median_wage: impl Fn(usize) -> Option<Wage>) -> Self {
        let mut lowest: Option<(f64, usize)> = None;
        let mut known = true;
        for s in &path.steps {
            match median_wage(s.to).and_then(|w| wage_change(today, w)) {
                Some(c) if lowest.is_none_or(|(r, _)| c.ratio < r) => {
                    lowest = Some((c.ratio, s.to))
                }
                Some(_) => {}
                None => known = false,
            }
        }
        let end = path.steps.last().expect("a path has a step").to;
        let change = median_wage(end).and_then(|w| wage_change(today, w));
        Self {
            lowest: lowest.filter(|_| known),
            change,
            gap_per_1000: per_1000_gained(change, path.total_gap()),
        }
    }
}

/// Which occupations a path may pass through or end at under a wage floor: those paying at
/// least `min_ratio` of `today` (an unknown wage fails it). One flag per catalog index.
pub fn wage_stops(
    occupations: usize,
    today: Option<Wage>,
    min_ratio: f64,
    median_wage: impl Fn(usize) -> Option<Wage>,
) -> Vec<bool> {
    (0..occupations)
        .map(|i| {
            today
                .zip(median_wage(i))
                .and_then(|(a, b)| wage_change(a, b))
                .is_some_and(|c| c.ratio >= min_ratio)
        })
        .collect()
}

/// Orders paths (found best first by the objective) by `sort` and keeps at most `limit`; `true`
/// when the order removed every path (effort per dollar needs a target paying more).
pub fn order_paths<P>(
    ranked: &mut Vec<(P, Option<PathWage>)>,
    sort: PathSort,
    limit: usize,
) -> bool {
    let had = !ranked.is_empty();
    match sort {
        PathSort::Gap => {}
        // Unknown floors last; ties keep the objective's order.
        PathSort::WageGain => {
            highest_first(ranked, |(_, w)| w.and_then(|w| w.lowest).map(|(r, _)| r))
        }
        PathSort::EffortPerDollar => {
            known_smallest_first(ranked, |(_, w)| w.and_then(|w| w.gap_per_1000))
        }
    }
    ranked.truncate(limit);
    had && ranked.is_empty()
}
