//! Requests about moves: where one can go from an occupation or a self-assessment, and the
//! stepping-stone paths between two occupations, with what they ask of pay.

use std::collections::BTreeMap;

use skillgap_core::SocCode;
use skillgap_core::paths::{PathLimits, PathSort};
use skillgap_core::transitions::TransitionSort;

use super::choice::Choice;
use super::choice::{Desirable, EffortMeasure, TargetSort, ViableFilter};
use super::number::{
    Bounded, DesirableRatio, MaxSteps, MinWage, MinWageRatio, PathCount, TransitionsLimit,
};
use super::options::GapOptions;
use crate::error::AppError;

/// An order of moves or paths: a choice that may need BLS wages.
pub trait Order: Choice + Default + std::hash::Hash {
    /// Whether the order needs BLS wages.
    fn needs_wages(self) -> bool;
}

impl Order for TransitionSort {
    fn needs_wages(self) -> bool {
        TransitionSort::needs_wages(self)
    }
}

impl Order for PathSort {
    fn needs_wages(self) -> bool {
        PathSort::needs_wages(self)
    }
}

/// What a moves request asks of pay: an order, and the least share of today's median wage a
/// move (or every occupation on a path) must pay.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Pay<S> {
    /// The order.
    pub sort: S,
    /// The wage floor.
    pub min_wage_ratio: Option<Bounded<MinWageRatio>>,
}

impl<S: Order> Pay<S> {
    /// An order and a floor.
    pub fn new(sort: S, min_wage_ratio: Option<Bounded<MinWageRatio>>) -> Self {
        Self {
            sort,
            min_wage_ratio,
        }
    }

    /// The floor as a number.
    pub fn floor(&self) -> Option<f64> {
        self.min_wage_ratio.map(Bounded::get)
    }

    /// Whether the answer needs BLS wages.
    pub fn needs_wages(&self) -> bool {
        self.sort.needs_wages() || self.min_wage_ratio.is_some()
    }

    /// The parameter to name when the answer needs BLS wages and none are loaded.
    pub fn wage_parameter(&self) -> &'static str {
        if self.sort.needs_wages() {
            S::NAME
        } else {
            "min_wage_ratio"
        }
    }
}

/// `GET /occupations/{code}/transitions`, `skillgap transitions`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TransitionsRequest {
    /// The source occupation.
    pub code: SocCode,
    /// Domains, thresholds and source (`surplus` is not used).
    pub options: GapOptions,
    /// Most results.
    pub limit: Bounded<TransitionsLimit>,
    /// Order and wage floor.
    pub pay: Pay<TransitionSort>,
    /// What the moves must be, beyond pay: viable only, desirable, and the effort measured.
    pub kind: MoveKind,
}

/// Which moves a pay order or filter ranks, and what effort it divides.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct MoveKind {
    /// Viable moves only, or every candidate.
    pub viable: ViableFilter,
    /// Desirable moves only.
    pub desirable: Desirable,
    /// The wage share a desirable move keeps.
    pub desirable_ratio: Option<Bounded<DesirableRatio>>,
    /// The effort measure.
    pub effort: EffortMeasure,
}

impl MoveKind {
    /// The kind of moves asked for. `desirable_ratio` takes effect with `desirable=true` only;
    /// given alone (its documented default, say) it is accepted and changes nothing.
    pub fn new(
        viable: ViableFilter,
        desirable: Desirable,
        desirable_ratio: Option<Bounded<DesirableRatio>>,
        effort: EffortMeasure,
    ) -> Result<Self, AppError> {
        Ok(Self {
            viable,
            desirable,
            desirable_ratio,
            effort,
        })
    }

    /// The desirability ratio, when desirable moves only are asked for.
    pub fn desirable(&self) -> Option<f64> {
        (self.desirable == Desirable::Only)
            .then(|| self.desirable_ratio.unwrap_or_else(Bounded::standard).get())
    }
}

/// `GET /paths`, `skillgap path`: stepping-stone paths from one occupation to another.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PathRequest {
    /// Where the person is.
    pub from: SocCode,
    /// Where they want to be.
    pub to: SocCode,
    /// Most steps per path.
    pub max_steps: Bounded<MaxSteps>,
    /// How many paths.
    pub paths: Bounded<PathCount>,
    /// Domains, thresholds and source of each step's gap (`surplus` is not used).
    pub options: GapOptions,
    /// Order of the paths, and the share of today's median wage every occupation reached must
    /// pay.
    pub pay: Pay<PathSort>,
}

impl PathRequest {
    /// A path request between two different occupations.
    pub fn new(
        from: SocCode,
        to: SocCode,
        max_steps: Bounded<MaxSteps>,
        paths: Bounded<PathCount>,
        options: GapOptions,
        pay: Pay<PathSort>,
    ) -> Result<Self, AppError> {
        if from == to {
            return Err(AppError::parameter(
                "to",
                format!("`from` and `to` are both {from}: a path needs two different occupations"),
            ));
        }
        Ok(Self {
            from,
            to,
            max_steps,
            paths,
            options,
            pay,
        })
    }

    /// The search's limits.
    pub fn limits(&self) -> PathLimits {
        PathLimits {
            max_steps: self.max_steps.count(),
            paths: self.paths.count(),
        }
    }
}

/// A level a person gave for one descriptor, as sent: checked against the compared domains
/// when answering, so every bad entry can be named at once.
#[derive(Clone, Debug, PartialEq)]
pub enum AssessedLevel {
    /// A number (its range is checked when answering).
    Number(f64),
    /// Anything else, as sent (`"four"`, `null`, `[4]`).
    NotANumber(String),
}

impl From<&serde_json::Value> for AssessedLevel {
    /// A level as a JSON body or file gives it.
    fn from(v: &serde_json::Value) -> Self {
        match v.as_f64() {
            Some(x) => AssessedLevel::Number(x),
            None => AssessedLevel::NotANumber(v.to_string()),
        }
    }
}

/// `POST /transitions`, `skillgap targets`: the occupations a self-assessed person is closest to
/// qualifying for.
#[derive(Clone, Debug, PartialEq)]
pub struct AssessedTransitionsRequest {
    /// The person's level (0–7) per element id; left-out descriptors count as level 0.
    pub levels: BTreeMap<String, AssessedLevel>,
    /// Domains, thresholds and source of the targets' ratings.
    pub options: GapOptions,
    /// Most results.
    pub limit: Bounded<TransitionsLimit>,
    /// The order.
    pub sort: TargetSort,
    /// The least median annual wage a target pays, when asked for.
    pub min_wage: Option<Bounded<MinWage>>,
}

impl AssessedTransitionsRequest {
    /// Whether the answer needs BLS wages, and the parameter to name when none are loaded.
    pub fn wage_parameter(&self) -> Option<&'static str> {
        if self.sort == TargetSort::WageGain {
            Some("sort")
        } else if self.min_wage.is_some() {
            Some("min_wage")
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_needs_two_occupations() {
        let a = SocCode::parse("15-1254.00").unwrap();
        let e = PathRequest::new(
            a,
            a,
            Bounded::standard(),
            Bounded::standard(),
            GapOptions::default(),
            Pay::default(),
        )
        .unwrap_err();
        assert!(matches!(e, AppError::InvalidParameter { parameter, .. } if parameter == "to"));
    }

    #[test]
    fn pay_says_when_it_needs_wages_and_which_parameter_asked() {
        let plain: Pay<PathSort> = Pay::default();
        assert!(!plain.needs_wages());
        let by_pay = Pay::new(PathSort::WageGain, None);
        assert!(by_pay.needs_wages());
        assert_eq!(by_pay.wage_parameter(), "sort");
        let floor = Pay::new(PathSort::Gap, Some(Bounded::new(0.9).unwrap()));
        assert!(floor.needs_wages());
        assert_eq!(floor.wage_parameter(), "min_wage_ratio");
        assert_eq!(floor.floor(), Some(0.9));
    }
}
