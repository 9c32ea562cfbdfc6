//! Numeric parameters: each a [`Range`] (name, doc, bounds, default) declared once, and
//! [`Bounded`], a number that can only hold a value inside its parameter's range.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::str::FromStr;

use skillgap_core::paths::{DEFAULT_PATHS, DEFAULT_STEPS, MAX_PATHS, MAX_STEPS};

use crate::error::AppError;

/// The numbers a parameter may take.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Range {
    /// The parameter's name, as requests spell it.
    pub name: &'static str,
    /// What it means, for the API document and `--help`.
    pub doc: &'static str,
    /// Smallest accepted value.
    pub min: f64,
    /// Largest accepted value.
    pub max: f64,
    /// The value when the request leaves the parameter out; `None` when leaving it out means
    /// "no such limit".
    pub default: Option<f64>,
    /// Whole numbers only.
    pub whole: bool,
}

impl Range {
    fn error(&self, got: impl fmt::Display) -> AppError {
        let kind = if self.whole {
            "a whole number"
        } else {
            "a number"
        };
        AppError::parameter(
            self.name,
            format!(
                "`{}` must be {kind} from {} to {}, got `{got}`",
                self.name, self.min, self.max
            ),
        )
    }

    /// `value` if it lies in the range (and is whole, when it must be).
    pub fn check(&self, value: f64) -> Result<f64, AppError> {
        let whole = !self.whole || value.fract() == 0.0;
        if value.is_finite() && whole && (self.min..=self.max).contains(&value) {
            // −0 is 0: one value, one spelling.
            Ok(value + 0.0)
        } else {
            Err(self.error(value))
        }
    }

    /// Parses text exactly as given (blanks are not trimmed: ` 3` is not a number here, and the
    /// error quotes the text as sent).
    pub fn parse(&self, raw: &str) -> Result<f64, AppError> {
        let value = if self.whole {
            raw.parse::<u64>().ok().map(|n| n as f64)
        } else {
            raw.parse::<f64>().ok()
        };
        value
            .and_then(|v| self.check(v).ok())
            .ok_or_else(|| self.error(raw))
    }
}

/// A parameter whose values are the numbers of a [`Range`].
pub trait Bound: 'static {
    /// Its range, name, doc and default.
    const RANGE: Range;
}

/// A number checked against its parameter's range: only [`Bounded::new`] and parsing make one.
pub struct Bounded<B>(f64, PhantomData<B>);

impl<B: Bound> Bounded<B> {
    /// Checks a number.
    pub fn new(value: f64) -> Result<Self, AppError> {
        B::RANGE.check(value).map(|v| Self(v, PhantomData))
    }

    /// Parses text as given.
    pub fn parse(raw: &str) -> Result<Self, AppError> {
        B::RANGE.parse(raw).map(|v| Self(v, PhantomData))
    }

    /// Parses text, or the parameter's default when the request left it out.
    pub fn parse_or_default(raw: Option<&str>) -> Result<Self, AppError> {
        match raw {
            Some(r) => Self::parse(r),
            None => Self::default_value(),
        }
    }

    /// Parses text when given; `None` when the request left it out.
    pub fn parse_optional(raw: Option<&str>) -> Result<Option<Self>, AppError> {
        raw.map(Self::parse).transpose()
    }

    /// The parameter's default (an error naming it when it has none, so it is required).
    pub fn default_value() -> Result<Self, AppError> {
        let range = B::RANGE;
        match range.default {
            Some(d) => Self::new(d),
            None => Err(AppError::parameter(
                range.name,
                format!("`{}` is required", range.name),
            )),
        }
    }

    /// The parameter's default, for constants and flag defaults: a parameter without one fails
    /// to compile where this is evaluated in a `const`.
    pub const fn standard() -> Self {
        match B::RANGE.default {
            Some(d) => Self(d, PhantomData),
            None => panic!("this parameter has no default"),
        }
    }

    /// The number.
    pub fn get(self) -> f64 {
        self.0
    }

    /// The number, as a count (whole-number parameters).
    pub fn count(self) -> usize {
        self.0 as usize
    }
}

impl<B> Clone for Bounded<B> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<B> Copy for Bounded<B> {}

impl<B> PartialEq for Bounded<B> {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_bits() == other.0.to_bits()
    }
}

impl<B> Eq for Bounded<B> {}

impl<B> Hash for Bounded<B> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.to_bits().hash(state);
    }
}

impl<B: Bound> fmt::Debug for Bounded<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", B::RANGE.name, self.0)
    }
}

impl<B> fmt::Display for Bounded<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<B: Bound> FromStr for Bounded<B> {
    type Err = AppError;
    fn from_str(s: &str) -> Result<Self, AppError> {
        Self::parse(s)
    }
}

/// Declares a numeric parameter: an uninhabited marker type carrying its [`Range`].
macro_rules! bound {
    ($(#[$doc:meta])* $marker:ident = $range:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $marker {}

        impl Bound for $marker {
            const RANGE: Range = $range;
        }
    };
}

bound! {
    /// `min_importance`: importance (IM, 1–5) at or above which a descriptor is required.
    MinImportance = Range {
        name: "min_importance",
        doc: "Importance at or above which a descriptor is required (1–5, default 3).",
        min: 1.0,
        max: 5.0,
        default: Some(skillgap_core::gap::GapParams::DEFAULT.min_importance),
        whole: false,
    }
}

bound! {
    /// `min_gap`: level difference (0–7) a shortage must exceed.
    MinGap = Range {
        name: "min_gap",
        doc: "Level difference a shortage must exceed (0–7, default 0).",
        min: 0.0,
        max: 7.0,
        default: Some(skillgap_core::gap::GapParams::DEFAULT.min_gap),
        whole: false,
    }
}

/// Largest `limit` accepted by list answers.
pub const MAX_LIMIT: usize = 100;

/// What every `limit` says.
const LIMIT_DOC: &str = "Most results (1–100).";

bound! {
    /// `limit` of a search.
    SearchLimit = Range {
        name: "limit",
        doc: LIMIT_DOC,
        min: 1.0,
        max: MAX_LIMIT as f64,
        default: Some(20.0),
        whole: true,
    }
}

bound! {
    /// `limit` of transitions and targets.
    TransitionsLimit = Range {
        name: "limit",
        doc: LIMIT_DOC,
        min: 1.0,
        max: MAX_LIMIT as f64,
        default: Some(10.0),
        whole: true,
    }
}

bound! {
    /// `max_steps` of a path search.
    MaxSteps = Range {
        name: "max_steps",
        doc: "Most steps per path (1–4, default 3).",
        min: 1.0,
        max: MAX_STEPS as f64,
        default: Some(DEFAULT_STEPS as f64),
        whole: true,
    }
}

bound! {
    /// `paths`: how many paths to answer.
    PathCount = Range {
        name: "paths",
        doc: "How many paths (1–10, default 3).",
        min: 1.0,
        max: MAX_PATHS as f64,
        default: Some(DEFAULT_PATHS as f64),
        whole: true,
    }
}

bound! {
    /// `min_wage_ratio`: the least target-over-source median wage a move (or every occupation a
    /// path reaches) must pay; leaving it out sets no floor.
    MinWageRatio = Range {
        name: "min_wage_ratio",
        doc: "The least share of today's median wage a move must pay (on /paths: every occupation a path reaches), e.g. 0.75; needs BLS wages.",
        min: 0.01,
        max: 100.0,
        default: None,
        whole: false,
    }
}

bound! {
    /// `desirable_ratio`: the least target-over-source median wage a desirable move pays.
    DesirableRatio = Range {
        name: "desirable_ratio",
        doc: "With desirable=true: the least share of today's median wage a desirable move pays (0.01–100, default 0.9, as Career Causeways defines desirability).",
        min: 0.01,
        max: 100.0,
        default: Some(0.9),
        whole: false,
    }
}

bound! {
    /// `min_wage` of targets: the least median annual wage (US dollars) a target pays.
    MinWage = Range {
        name: "min_wage",
        doc: "The least median annual wage (US dollars, BLS OEWS) a target must pay; needs BLS wages.",
        min: 0.0,
        max: 10_000_000.0,
        default: None,
        whole: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges() -> [Range; 9] {
        [
            MinImportance::RANGE,
            MinGap::RANGE,
            SearchLimit::RANGE,
            TransitionsLimit::RANGE,
            MaxSteps::RANGE,
            PathCount::RANGE,
            MinWageRatio::RANGE,
            DesirableRatio::RANGE,
            MinWage::RANGE,
        ]
    }

    #[test]
    fn every_default_lies_in_its_range() {
        for r in ranges() {
            if let Some(d) = r.default {
                assert_eq!(r.check(d).unwrap(), d, "{}", r.name);
            }
            assert!(r.min <= r.max, "{}", r.name);
            assert!(r.doc.ends_with('.'), "{}", r.name);
        }
    }

    #[test]
    fn numbers_are_checked_once_and_named() {
        assert_eq!(Bounded::<MinImportance>::parse("3.5").unwrap().get(), 3.5);
        assert_eq!(
            Bounded::<MinImportance>::parse_or_default(None)
                .unwrap()
                .get(),
            3.0
        );
        let e = Bounded::<MinImportance>::parse("9").unwrap_err();
        assert_eq!(
            e.to_string(),
            "`min_importance` must be a number from 1 to 5, got `9`"
        );
        assert!(
            matches!(e, AppError::InvalidParameter { parameter, .. } if parameter == "min_importance")
        );
        // Blanks are never trimmed: the text is taken as sent, everywhere.
        assert!(Bounded::<MinImportance>::parse(" 3").is_err());
        assert!(Bounded::<MaxSteps>::parse(" 3").is_err());
        assert!(Bounded::<MinGap>::new(f64::NAN).is_err());
        assert!(Bounded::<MinGap>::new(7.0).is_ok() && Bounded::<MinGap>::new(7.01).is_err());
        assert_eq!(
            Bounded::<SearchLimit>::parse("0").unwrap_err().to_string(),
            "`limit` must be a whole number from 1 to 100, got `0`"
        );
        assert_eq!(
            Bounded::<TransitionsLimit>::new(10.5)
                .unwrap_err()
                .to_string(),
            "`limit` must be a whole number from 1 to 100, got `10.5`"
        );
        assert_eq!(Bounded::<TransitionsLimit>::new(10.0).unwrap().count(), 10);
        assert_eq!(
            Bounded::<MaxSteps>::parse("5").unwrap_err().to_string(),
            "`max_steps` must be a whole number from 1 to 4, got `5`"
        );
        assert!(
            Bounded::<MaxSteps>::parse("x").is_err() && Bounded::<MaxSteps>::parse("3.0").is_err()
        );
        for bad in ["0", "-1", "x", "NaN", "inf", ""] {
            let e = Bounded::<MinWageRatio>::parse(bad).unwrap_err();
            assert!(
                matches!(&e, AppError::InvalidParameter { parameter, .. } if parameter == "min_wage_ratio"),
                "{bad}: {e}"
            );
        }
        assert_eq!(Bounded::<MinWageRatio>::parse_optional(None).unwrap(), None);
        // −0 and 0 are one value.
        assert_eq!(
            Bounded::<MinGap>::parse("-0").unwrap(),
            Bounded::<MinGap>::parse("0").unwrap()
        );
    }
}
