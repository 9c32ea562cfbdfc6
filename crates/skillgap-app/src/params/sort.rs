//! The order of transitions (`sort=`) and the wage filter (`min_wage_ratio=`).

use super::Bounded;
use crate::error::AppError;

/// How transitions are ordered (`sort=`).
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

    /// Parses `sort=`; absent or blank is the default.
    pub fn parse(value: Option<&str>) -> Result<Self, AppError> {
        parse_order(&Self::ALL, Self::as_str, value)
    }
}

/// Parses a `sort=` value naming one of `all`; absent or blank is the default.
fn parse_order<T: Copy + Default>(
    all: &[T],
    name: fn(T) -> &'static str,
    value: Option<&str>,
) -> Result<T, AppError> {
    match value.map(str::trim) {
        None | Some("") => Ok(T::default()),
        Some(s) => all.iter().copied().find(|o| name(*o) == s).ok_or_else(|| {
            let names: Vec<&str> = all.iter().map(|o| name(*o)).collect();
            AppError::parameter(
                "sort",
                format!("`sort` must be one of {}, got `{s}`", names.join(", ")),
            )
        }),
    }
}

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

    /// Parses `sort=`; absent or blank is the default.
    pub fn parse(value: Option<&str>) -> Result<Self, AppError> {
        parse_order(&Self::ALL, Self::as_str, value)
    }
}

/// An order of moves or paths: its name, and whether it needs BLS wages.
pub trait Order: Copy + Default {
    /// The name requests use.
    fn name(self) -> &'static str;
    /// Whether the order needs BLS wages.
    fn needs_wages(self) -> bool;
}

impl Order for TransitionSort {
    fn name(self) -> &'static str {
        self.as_str()
    }
    fn needs_wages(self) -> bool {
        TransitionSort::needs_wages(self)
    }
}

impl Order for PathSort {
    fn name(self) -> &'static str {
        self.as_str()
    }
    fn needs_wages(self) -> bool {
        PathSort::needs_wages(self)
    }
}

/// What a moves request asks of pay: an order, and the least share of today's median wage a
/// move (or every occupation on a path) must pay.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Pay<S> {
    /// The order.
    pub sort: S,
    /// The wage floor, checked against [`MIN_WAGE_RATIO`].
    pub min_wage_ratio: Option<f64>,
}

impl<S: Order> Pay<S> {
    /// An order and a floor, the floor checked.
    pub fn new(sort: S, min_wage_ratio: Option<f64>) -> Result<Self, AppError> {
        Ok(Self {
            sort,
            min_wage_ratio: MIN_WAGE_RATIO.check_optional(min_wage_ratio)?,
        })
    }

    /// Whether the answer needs BLS wages.
    pub fn needs_wages(&self) -> bool {
        self.sort.needs_wages() || self.min_wage_ratio.is_some()
    }

    /// The parameter to name when the answer needs BLS wages and none are loaded.
    pub fn wage_parameter(&self) -> &'static str {
        if self.sort.needs_wages() {
            "sort"
        } else {
            "min_wage_ratio"
        }
    }

    /// Appends the order and the floor to a cache key.
    pub(crate) fn write_key(&self, key: &mut String) {
        use std::fmt::Write as _;
        let _ = write!(key, "|{}|{:?}", self.sort.name(), self.min_wage_ratio);
    }
}

/// `min_wage_ratio`: the least target-over-source median wage a move may pay (0.75 keeps moves
/// paying at least three quarters of today's wage).
pub const MIN_WAGE_RATIO: Bounded = Bounded {
    name: "min_wage_ratio",
    default: 0.0,
    min: 0.01,
    max: 100.0,
};

/// Parses optional `min_wage_ratio`; absent or blank is no filter.
pub fn parse_min_wage_ratio(raw: Option<&str>) -> Result<Option<f64>, AppError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(r) => MIN_WAGE_RATIO.parse(r).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CacheKey;

    #[test]
    fn sort_and_wage_ratio_are_checked_and_part_of_the_key() {
        assert_eq!(
            TransitionSort::parse(Some(" wage_gain ")).unwrap(),
            TransitionSort::WageGain
        );
        assert_eq!(
            TransitionSort::parse(None).unwrap(),
            TransitionSort::Relatedness
        );
        let e = TransitionSort::parse(Some("pay")).unwrap_err();
        assert!(
            matches!(&e, AppError::InvalidParameter { parameter, .. } if parameter == "sort"),
            "{e}"
        );
        assert!(e.to_string().contains("effort_per_dollar"), "{e}");
        assert_eq!(parse_min_wage_ratio(Some("0.75")).unwrap(), Some(0.75));
        assert_eq!(parse_min_wage_ratio(None).unwrap(), None);
        for bad in ["0", "-1", "x", "NaN", "inf"] {
            let e = parse_min_wage_ratio(Some(bad)).unwrap_err();
            assert!(
                matches!(&e, AppError::InvalidParameter { parameter, .. } if parameter == "min_wage_ratio"),
                "{bad}: {e}"
            );
        }
        let code = skillgap_core::SocCode::parse("15-1254.00").unwrap();
        let base =
            crate::params::TransitionsRequest::new(code, crate::params::GapOptions::default(), 10)
                .unwrap();
        let by_pay = base
            .clone()
            .with_wages(TransitionSort::WageGain, None)
            .unwrap();
        let filtered = base
            .clone()
            .with_wages(TransitionSort::Similarity, Some(0.75))
            .unwrap();
        assert!(!base.pay.needs_wages() && by_pay.pay.needs_wages() && filtered.pay.needs_wages());
        assert_ne!(base.cache_key(), by_pay.cache_key());
        assert_ne!(base.cache_key(), filtered.cache_key());
        assert!(
            base.with_wages(TransitionSort::WageGain, Some(0.0))
                .is_err()
        );
    }
}
