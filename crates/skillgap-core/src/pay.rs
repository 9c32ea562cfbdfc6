//! Pay in the ranking of moves and paths: what a move pays against today's wage, and the two
//! stable sorts the pay orders are made of.

use crate::labor::{Wage, WageChange, wage_change};

/// A move's wage facts, computed once for sorting and for the answer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MoveWage {
    /// The target's median.
    pub median: Wage,
    /// The change from the source.
    pub change: Option<WageChange>,
    /// `weighted_gap / (difference / 1000)` when the move pays more.
    pub gap_per_1000: Option<f64>,
}

impl MoveWage {
    /// The wage facts of a move from a source paid `from` to a target paid `to`, whose
    /// importance-weighted gap is `weighted_gap`.
    pub fn new(from: Wage, to: Wage, weighted_gap: f64) -> Self {
        let change = wage_change(from, to);
        Self {
            median: to,
            change,
            gap_per_1000: per_1000_gained(change, weighted_gap),
        }
    }

    /// Target median over source median, when both are known.
    pub fn ratio(&self) -> Option<f64> {
        self.change.map(|c| c.ratio)
    }
}

/// `effort / (difference / 1000)`: the effort per $1,000 of median wage gained, only when the
/// change is known and a gain.
pub fn per_1000_gained(change: Option<WageChange>, effort: f64) -> Option<f64> {
    change
        .filter(|c| c.difference > 0.0)
        .map(|c| effort / (c.difference / 1000.0))
}

/// Sorts by `key`, highest first, unknown keys last; stable, so ties keep the order they came in.
pub fn highest_first<T>(items: &mut [T], key: impl Fn(&T) -> Option<f64>) {
    items.sort_by(|a, b| match (key(a), key(b)) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
}

/// Keeps the items whose `key` is known and sorts them by it, smallest first; stable.
pub fn known_smallest_first<T>(items: &mut Vec<T>, key: impl Fn(&T) -> Option<f64>) {
    items.retain(|x| key(x).is_some());
    items.sort_by(|a, b| {
        key(a)
            .unwrap_or(f64::INFINITY)
            .total_cmp(&key(b).unwrap_or(f64::INFINITY))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_effort_per_dollar_needs_a_known_gain() {
        let gain = MoveWage::new(Wage::Amount(50_000.0), Wage::Amount(60_000.0), 20.0);
        assert_eq!(gain.ratio(), Some(1.2));
        assert_eq!(gain.gap_per_1000, Some(2.0));
        let loss = MoveWage::new(Wage::Amount(60_000.0), Wage::Amount(50_000.0), 20.0);
        assert_eq!(loss.gap_per_1000, None);
        let unknown = MoveWage::new(
            Wage::Unavailable(crate::labor::WageUnavailable::NotPublished),
            Wage::Amount(50_000.0),
            20.0,
        );
        assert_eq!((unknown.ratio(), unknown.gap_per_1000), (None, None));
    }

    #[test]
    fn pay_sorts_are_stable_and_put_the_unknown_last_or_out() {
        let mut v = vec![
            ("a", Some(1.0)),
            ("b", None),
            ("c", Some(3.0)),
            ("d", Some(1.0)),
        ];
        highest_first(&mut v, |x| x.1);
        assert_eq!(v.iter().map(|x| x.0).collect::<String>(), "cadb");
        known_smallest_first(&mut v, |x| x.1);
        assert_eq!(v.iter().map(|x| x.0).collect::<String>(), "adc");
    }
}
