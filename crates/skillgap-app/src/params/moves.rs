//! Requests about moves: where one can go from an occupation or a self-assessment, and the
//! stepping-stone paths between two occupations.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use skillgap_core::SocCode;
use skillgap_core::paths::{DEFAULT_PATHS, DEFAULT_STEPS, MAX_PATHS, MAX_STEPS, PathLimits};

use super::{CacheKey, GapOptions, PathSort, Pay, TRANSITIONS_LIMIT};
use crate::error::AppError;

/// A whole-number parameter with a range and a default.
#[derive(Clone, Copy, Debug)]
pub struct Count {
    /// The parameter's name.
    pub name: &'static str,
    /// Smallest value.
    pub min: usize,
    /// Largest value.
    pub max: usize,
    /// Value when absent.
    pub default: usize,
}

/// `max_steps` of `GET /paths`.
pub const MAX_STEPS_PARAM: Count = Count {
    name: "max_steps",
    min: 1,
    max: MAX_STEPS,
    default: DEFAULT_STEPS,
};

/// `paths` of `GET /paths`: how many paths to answer.
pub const PATHS_PARAM: Count = Count {
    name: "paths",
    min: 1,
    max: MAX_PATHS,
    default: DEFAULT_PATHS,
};

impl Count {
    /// Checks a typed value.
    pub fn check(&self, n: usize) -> Result<usize, AppError> {
        if (self.min..=self.max).contains(&n) {
            Ok(n)
        } else {
            Err(self.error(n))
        }
    }

    /// Parses the wire form; absent means the default.
    pub fn parse_or_default(&self, raw: Option<&str>) -> Result<usize, AppError> {
        match raw {
            None => Ok(self.default),
            Some(r) => r
                .parse::<usize>()
                .map_err(|_| self.error(r))
                .and_then(|n| self.check(n)),
        }
    }

    fn error(&self, got: impl std::fmt::Display) -> AppError {
        AppError::parameter(
            self.name,
            format!(
                "`{}` must be a whole number from {} to {}, got `{got}`",
                self.name, self.min, self.max
            ),
        )
    }
}

/// `GET /paths`, `skillgap path`: stepping-stone paths from one occupation to another.
#[derive(Clone, Debug, PartialEq)]
pub struct PathRequest {
    /// Where the person is.
    pub from: SocCode,
    /// Where they want to be.
    pub to: SocCode,
    /// Most steps and how many paths.
    pub limits: PathLimits,
    /// Domains, thresholds and source of each step's gap (`surplus` is not used).
    pub options: GapOptions,
    /// Order of the paths, and the share of today's median wage every occupation reached must
    /// pay.
    pub pay: Pay<PathSort>,
}

impl PathRequest {
    /// A path request, its limits checked and its ends different.
    pub fn new(
        from: SocCode,
        to: SocCode,
        max_steps: usize,
        paths: usize,
        options: GapOptions,
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
            limits: PathLimits {
                max_steps: MAX_STEPS_PARAM.check(max_steps)?,
                paths: PATHS_PARAM.check(paths)?,
            },
            options,
            pay: Pay::default(),
        })
    }

    /// The same request ordered by `sort`, keeping paths that never pay less than
    /// `min_wage_ratio` (checked) of today's wage.
    pub fn with_wages(self, sort: PathSort, ratio: Option<f64>) -> Result<Self, AppError> {
        let pay = Pay::new(sort, ratio)?;
        Ok(Self { pay, ..self })
    }
}

impl CacheKey for PathRequest {
    fn cache_key(&self) -> String {
        let mut key = format!(
            "paths|{}|{}|{}|{}",
            self.from, self.to, self.limits.max_steps, self.limits.paths
        );
        self.pay.write_key(&mut key);
        self.options.write_key(&mut key);
        key
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
    pub limit: usize,
}

impl AssessedTransitionsRequest {
    /// A targets request, its limit checked.
    pub fn new(
        levels: BTreeMap<String, AssessedLevel>,
        options: GapOptions,
        limit: usize,
    ) -> Result<Self, AppError> {
        Ok(Self {
            levels,
            options,
            limit: TRANSITIONS_LIMIT.check(limit)?,
        })
    }
}

impl CacheKey for AssessedTransitionsRequest {
    fn cache_key(&self) -> String {
        let mut key = format!("targets|{}", self.limit);
        for (id, level) in &self.levels {
            let _ = match level {
                AssessedLevel::Number(v) => write!(key, "|{id}={v}"),
                AssessedLevel::NotANumber(s) => write!(key, "|{id}?{s}"),
            };
        }
        self.options.write_key(&mut key);
        key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_steps_is_checked_and_named() {
        assert_eq!(MAX_STEPS_PARAM.parse_or_default(None).unwrap(), 3);
        let e = MAX_STEPS_PARAM.parse_or_default(Some("5")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "`max_steps` must be a whole number from 1 to 4, got `5`"
        );
        assert!(MAX_STEPS_PARAM.parse_or_default(Some("0")).is_err());
        assert!(MAX_STEPS_PARAM.parse_or_default(Some("x")).is_err());
    }

    #[test]
    fn a_path_needs_two_occupations() {
        let a = SocCode::parse("15-1254.00").unwrap();
        let e = PathRequest::new(a, a, 3, 3, GapOptions::default()).unwrap_err();
        assert!(matches!(e, AppError::InvalidParameter { parameter, .. } if parameter == "to"));
    }

    #[test]
    fn path_wage_options_are_checked_and_part_of_the_key() {
        let (a, b) = (
            SocCode::parse("15-1254.00").unwrap(),
            SocCode::parse("11-3021.00").unwrap(),
        );
        let base = PathRequest::new(a, b, 3, 3, GapOptions::default()).unwrap();
        assert!(!base.pay.needs_wages());
        let by_pay = base.clone().with_wages(PathSort::WageGain, None).unwrap();
        let floor = base.clone().with_wages(PathSort::Gap, Some(0.9)).unwrap();
        assert!(by_pay.pay.needs_wages() && floor.pay.needs_wages());
        assert_ne!(base.cache_key(), by_pay.cache_key());
        assert_ne!(base.cache_key(), floor.cache_key());
        assert_ne!(by_pay.cache_key(), floor.cache_key());
        let e = base.with_wages(PathSort::Gap, Some(0.0)).unwrap_err();
        assert!(
            matches!(&e, AppError::InvalidParameter { parameter, .. } if parameter == "min_wage_ratio"),
            "{e}"
        );
        assert_eq!(PathSort::parse(None).unwrap(), PathSort::Gap);
        assert_eq!(
            PathSort::parse(Some("effort_per_dollar")).unwrap(),
            PathSort::EffortPerDollar
        );
        // The transitions' orders by closeness mean nothing for paths between two fixed ends.
        assert!(PathSort::parse(Some("relatedness")).is_err());
    }
}
