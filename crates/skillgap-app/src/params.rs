//! Typed requests: every parameter's range and default is defined here once, and every
//! constructor validates and names the bad parameter. The HTTP API builds these from query
//! strings and JSON bodies, the CLI from clap's typed values; the answers take only these.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use skillgap_core::gap::GapParams;
use skillgap_core::{Domain, ProfileChoice, SocCode};

use crate::error::AppError;

mod moves;
pub use moves::{
    AssessedLevel, AssessedTransitionsRequest, Count, MAX_STEPS_PARAM, PATHS_PARAM, PathRequest,
};
mod sort;

pub use sort::{MIN_WAGE_RATIO, Order, PathSort, Pay, TransitionSort, parse_min_wage_ratio};

/// A number parameter with its range and default.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounded {
    /// The parameter's name, as requests spell it.
    pub name: &'static str,
    /// Used when the request leaves it out.
    pub default: f64,
    /// Smallest accepted value.
    pub min: f64,
    /// Largest accepted value.
    pub max: f64,
}

impl Bounded {
    fn error(&self, got: impl std::fmt::Display) -> AppError {
        AppError::parameter(
            self.name,
            format!(
                "`{}` must be a number from {} to {}, got `{got}`",
                self.name, self.min, self.max
            ),
        )
    }

    /// Checks a typed value.
    pub fn check(&self, value: f64) -> Result<f64, AppError> {
        if value.is_finite() && (self.min..=self.max).contains(&value) {
            Ok(value)
        } else {
            Err(self.error(value))
        }
    }

    /// Checks a value that may be absent.
    pub fn check_optional(&self, value: Option<f64>) -> Result<Option<f64>, AppError> {
        value.map(|v| self.check(v)).transpose()
    }

    /// Parses text (blanks around are ignored); the error quotes the text as given.
    pub fn parse(&self, raw: &str) -> Result<f64, AppError> {
        raw.trim()
            .parse::<f64>()
            .ok()
            .and_then(|v| self.check(v).ok())
            .ok_or_else(|| self.error(raw))
    }

    /// Parses optional text, the default when absent.
    pub fn parse_or_default(&self, raw: Option<&str>) -> Result<f64, AppError> {
        raw.map_or(Ok(self.default), |r| self.parse(r))
    }
}

/// `min_importance`: importance (IM, 1–5) at or above which a descriptor is required.
pub const MIN_IMPORTANCE: Bounded = Bounded {
    name: "min_importance",
    default: GapParams::DEFAULT.min_importance,
    min: 1.0,
    max: 5.0,
};

/// `min_gap`: level difference (0–7) a shortage must exceed.
pub const MIN_GAP: Bounded = Bounded {
    name: "min_gap",
    default: GapParams::DEFAULT.min_gap,
    min: 0.0,
    max: 7.0,
};

/// Largest `limit` accepted by list answers.
pub const MAX_LIMIT: usize = 100;

/// A `limit` parameter: a whole number from 1 to [`MAX_LIMIT`] with a default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    /// Used when the request leaves it out.
    pub default: usize,
}

/// Search results by default.
pub const SEARCH_LIMIT: Limit = Limit { default: 20 };

/// Transitions by default.
pub const TRANSITIONS_LIMIT: Limit = Limit { default: 10 };

impl Limit {
    fn error(got: impl std::fmt::Display) -> AppError {
        AppError::parameter(
            "limit",
            format!("`limit` must be a whole number from 1 to {MAX_LIMIT}, got `{got}`"),
        )
    }

    /// Checks a typed value.
    pub fn check(&self, n: usize) -> Result<usize, AppError> {
        if (1..=MAX_LIMIT).contains(&n) {
            Ok(n)
        } else {
            Err(Self::error(n))
        }
    }

    /// Parses optional text, the default when absent.
    pub fn parse_or_default(&self, raw: Option<&str>) -> Result<usize, AppError> {
        let Some(raw) = raw else {
            return Ok(self.default);
        };
        raw.trim()
            .parse::<usize>()
            .ok()
            .and_then(|n| self.check(n).ok())
            .ok_or_else(|| Self::error(raw))
    }
}

/// Parses an occupation code parameter.
pub fn parse_code(parameter: &str, value: &str) -> Result<SocCode, AppError> {
    SocCode::parse(value.trim()).map_err(|e| AppError::parameter(parameter, e.to_string()))
}

/// A required code parameter.
pub fn required_code(parameter: &str, value: Option<&str>) -> Result<SocCode, AppError> {
    let value = value.ok_or_else(|| {
        AppError::parameter(
            parameter,
            format!("`{parameter}` is required: an O*NET-SOC code like 15-1252.00"),
        )
    })?;
    parse_code(parameter, value)
}

/// A required code that a request may give under either of two names (`from` or the original
/// service's `from_occupation`); both given must agree.
pub fn code_or_alias(
    parameter: &str,
    value: Option<&str>,
    alias: &str,
    alias_value: Option<&str>,
) -> Result<SocCode, AppError> {
    match (value, alias_value) {
        (Some(x), Some(y)) if x.trim() != y.trim() => Err(AppError::parameter(
            parameter,
            format!("`{parameter}` and `{alias}` name different occupations; give one of them"),
        )),
        (Some(x), _) => parse_code(parameter, x),
        (None, Some(y)) => parse_code(alias, y),
        (None, None) => Err(AppError::parameter(
            parameter,
            format!("`{parameter}` is required: an O*NET-SOC code like 15-1252.00 (or `{alias}`)"),
        )),
    }
}

/// `domain=` as asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DomainSelection {
    /// One domain.
    One(Domain),
    /// Every domain loaded.
    All,
}

impl Default for DomainSelection {
    fn default() -> Self {
        DomainSelection::One(Domain::Skills)
    }
}

impl DomainSelection {
    /// Parses `domain=`; absent or blank is skills.
    pub fn parse(value: Option<&str>) -> Result<Self, AppError> {
        match value.map(str::trim) {
            None | Some("") => Ok(Self::default()),
            Some("all") => Ok(DomainSelection::All),
            Some(s) => s.parse::<Domain>().map(DomainSelection::One).map_err(|_| {
                AppError::parameter(
                    "domain",
                    format!("`domain` must be skills, knowledge, abilities, work_activities or all, got `{s}`"),
                )
            }),
        }
    }

    /// The name requests use.
    pub fn as_str(self) -> &'static str {
        match self {
            DomainSelection::One(d) => d.as_str(),
            DomainSelection::All => "all",
        }
    }
}

/// Parses `source=`; absent or blank is `onet`.
pub fn parse_source(value: Option<&str>) -> Result<ProfileChoice, AppError> {
    match value.map(str::trim) {
        None | Some("") | Some("onet") => Ok(ProfileChoice::Onet),
        Some("llm") => Ok(ProfileChoice::Llm),
        Some("best") => Ok(ProfileChoice::Best),
        Some(s) => Err(AppError::parameter(
            "source",
            format!("`source` must be onet, llm or best, got `{s}`"),
        )),
    }
}

/// The name requests use for a profile choice.
pub fn source_name(c: ProfileChoice) -> &'static str {
    match c {
        ProfileChoice::Onet => "onet",
        ProfileChoice::Llm => "llm",
        ProfileChoice::Best => "best",
    }
}

/// Optional parts of a gap answer, as `include=` asks for them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Include {
    /// `surplus`: what the source has beyond the target.
    pub surplus: bool,
    /// `technology`: technologies the target's workers use and the source's do not.
    pub technology: bool,
}

/// Optional parts of a gap answer, from `include=` items.
pub fn parse_include<'a>(items: impl IntoIterator<Item = &'a str>) -> Result<Include, AppError> {
    let mut include = Include::default();
    for part in items.into_iter().map(str::trim).filter(|s| !s.is_empty()) {
        match part {
            "surplus" => include.surplus = true,
            "technology" => include.technology = true,
            other => {
                return Err(AppError::parameter(
                    "include",
                    format!("`include` accepts `surplus` and `technology`, got `{other}`"),
                ));
            }
        }
    }
    Ok(include)
}

/// Options shared by every gap-like request.
#[derive(Clone, Debug, PartialEq)]
pub struct GapOptions {
    /// Domains to compare.
    pub domains: DomainSelection,
    /// Thresholds.
    pub params: GapParams,
    /// Whether to list surplus descriptors.
    pub surplus: bool,
    /// Whether to add the technology gap (occupation to occupation only).
    pub technology: bool,
    /// Which ratings to use.
    pub source: ProfileChoice,
}

impl Default for GapOptions {
    fn default() -> Self {
        Self {
            domains: DomainSelection::default(),
            params: GapParams::DEFAULT,
            surplus: false,
            technology: false,
            source: ProfileChoice::Onet,
        }
    }
}

impl GapOptions {
    /// Options from typed values, each checked against its range.
    pub fn new(
        domains: DomainSelection,
        min_importance: f64,
        min_gap: f64,
        surplus: bool,
        source: ProfileChoice,
    ) -> Result<Self, AppError> {
        Ok(Self {
            domains,
            params: GapParams {
                min_importance: MIN_IMPORTANCE.check(min_importance)?,
                min_gap: MIN_GAP.check(min_gap)?,
            },
            surplus,
            technology: false,
            source,
        })
    }

    /// The same options with the technology gap asked for or not.
    pub fn with_technology(self, technology: bool) -> Self {
        Self { technology, ..self }
    }

    /// Appends the canonical form of the options to a cache key.
    pub(crate) fn write_key(&self, key: &mut String) {
        let _ = write!(
            key,
            "|{}|{}|{}|{}|{}|{}",
            self.domains.as_str(),
            self.params.min_importance,
            self.params.min_gap,
            self.surplus,
            self.technology,
            source_name(self.source)
        );
    }
}

/// What a request's answer depends on, in one canonical string: equal keys, equal answers (over
/// one catalog), however the request was spelled.
pub trait CacheKey {
    /// The canonical key.
    fn cache_key(&self) -> String;
}

/// `GET /skill-gap`, `skillgap gap`: compare two occupations.
#[derive(Clone, Debug, PartialEq)]
pub struct GapRequest {
    /// Source occupation.
    pub from: SocCode,
    /// Target occupation.
    pub to: SocCode,
    /// Everything else.
    pub options: GapOptions,
}

impl CacheKey for GapRequest {
    fn cache_key(&self) -> String {
        let mut key = format!("gap|{}|{}", self.from, self.to);
        self.options.write_key(&mut key);
        key
    }
}

/// `POST /skill-gap`: a self-assessed profile against a target occupation. Levels stay keyed by
/// the text the person sent, because which element ids are valid depends on the compared
/// domains, checked when answering.
#[derive(Clone, Debug, PartialEq)]
pub struct AssessedGapRequest {
    /// Target occupation.
    pub to: SocCode,
    /// The person's level (0–7) per element id; left-out descriptors count as level 0.
    pub levels: BTreeMap<String, f64>,
    /// Everything else.
    pub options: GapOptions,
}

/// `GET /occupations?q=`, `skillgap search`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchRequest {
    /// The words or code, trimmed.
    pub query: String,
    /// Most results.
    pub limit: usize,
}

/// Longest search text, in characters.
pub const MAX_QUERY_CHARS: usize = 200;

impl SearchRequest {
    /// A search, checked: words required, at most [`MAX_QUERY_CHARS`].
    pub fn new(query: &str, limit: usize) -> Result<Self, AppError> {
        let query = query.trim();
        if query.is_empty() {
            return Err(AppError::parameter(
                "q",
                "`q` is required: words of an occupation title, or a code",
            ));
        }
        if query.chars().count() > MAX_QUERY_CHARS {
            return Err(AppError::parameter(
                "q",
                format!("`q` must be at most {MAX_QUERY_CHARS} characters"),
            ));
        }
        Ok(Self {
            query: query.to_owned(),
            limit: SEARCH_LIMIT.check(limit)?,
        })
    }
}

/// `GET /occupations/{code}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OccupationRequest {
    /// The occupation.
    pub code: SocCode,
}

/// `GET /occupations/{code}/profile`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProfileRequest {
    /// The occupation.
    pub code: SocCode,
    /// Domains to list.
    pub domains: DomainSelection,
    /// Which ratings.
    pub source: ProfileChoice,
}

/// `GET /occupations/{code}/transitions`, `skillgap transitions`.
#[derive(Clone, Debug, PartialEq)]
pub struct TransitionsRequest {
    /// The source occupation.
    pub code: SocCode,
    /// Domains, thresholds and source (`surplus` is not used).
    pub options: GapOptions,
    /// Most results.
    pub limit: usize,
    /// Order and wage floor.
    pub pay: Pay<TransitionSort>,
}

impl TransitionsRequest {
    /// A ranking request, its limit checked.
    pub fn new(code: SocCode, options: GapOptions, limit: usize) -> Result<Self, AppError> {
        Ok(Self {
            code,
            options,
            limit: TRANSITIONS_LIMIT.check(limit)?,
            pay: Pay::default(),
        })
    }

    /// The same request ordered by `sort`, keeping moves that pay at least `min_wage_ratio`
    /// (checked) of today's wage.
    pub fn with_wages(self, sort: TransitionSort, ratio: Option<f64>) -> Result<Self, AppError> {
        let pay = Pay::new(sort, ratio)?;
        Ok(Self { pay, ..self })
    }
}

impl CacheKey for TransitionsRequest {
    fn cache_key(&self) -> String {
        let mut key = format!("transitions|{}|{}", self.code, self.limit);
        self.pay.write_key(&mut key);
        self.options.write_key(&mut key);
        key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_checked_against_their_range_and_named() {
        assert_eq!(MIN_IMPORTANCE.parse(" 3.5 ").unwrap(), 3.5);
        assert_eq!(MIN_IMPORTANCE.parse_or_default(None).unwrap(), 3.0);
        let e = MIN_IMPORTANCE.parse("9").unwrap_err();
        assert_eq!(
            e.to_string(),
            "`min_importance` must be a number from 1 to 5, got `9`"
        );
        assert!(
            matches!(e, AppError::InvalidParameter { parameter, .. } if parameter == "min_importance")
        );
        assert!(MIN_GAP.check(f64::NAN).is_err());
        assert!(MIN_GAP.check(7.0).is_ok() && MIN_GAP.check(7.01).is_err());
        assert_eq!(
            SEARCH_LIMIT
                .parse_or_default(Some("0"))
                .unwrap_err()
                .to_string(),
            "`limit` must be a whole number from 1 to 100, got `0`"
        );
        assert_eq!(TRANSITIONS_LIMIT.parse_or_default(None).unwrap(), 10);
    }

    #[test]
    fn equal_requests_share_a_key_and_different_ones_do_not() {
        let a = SocCode::parse("15-1254.00").unwrap();
        let b = SocCode::parse("11-3021.00").unwrap();
        let req = |from, to, options: GapOptions| GapRequest { from, to, options };
        let base = req(a, b, GapOptions::default());
        assert_eq!(
            base.cache_key(),
            req(
                a,
                b,
                GapOptions::new(
                    DomainSelection::default(),
                    3.0,
                    0.0,
                    false,
                    ProfileChoice::Onet
                )
                .unwrap()
            )
            .cache_key()
        );
        assert_ne!(
            base.cache_key(),
            req(b, a, GapOptions::default()).cache_key()
        );
        let surplus = GapOptions {
            surplus: true,
            ..GapOptions::default()
        };
        assert_ne!(base.cache_key(), req(a, b, surplus).cache_key());
        let knowledge = GapOptions {
            domains: DomainSelection::One(Domain::Knowledge),
            ..GapOptions::default()
        };
        assert_ne!(base.cache_key(), req(a, b, knowledge).cache_key());
    }

    #[test]
    fn include_names_its_parts() {
        let i = parse_include(["surplus", " technology", ""]).unwrap();
        assert_eq!(
            i,
            Include {
                surplus: true,
                technology: true
            }
        );
        let e = parse_include(["salary"]).unwrap_err();
        assert!(e.to_string().contains("`technology`"), "{e}");
        let plain = GapOptions::default();
        let code = SocCode::parse("15-1254.00").unwrap();
        let key = |options| {
            GapRequest {
                from: code,
                to: code,
                options,
            }
            .cache_key()
        };
        assert_ne!(key(plain.clone()), key(plain.with_technology(true)));
    }

    #[test]
    fn aliases_must_agree() {
        let e = code_or_alias(
            "from",
            Some("15-1254.00"),
            "from_occupation",
            Some("11-3021.00"),
        )
        .unwrap_err();
        assert!(e.to_string().contains("name different occupations"));
        assert_eq!(
            code_or_alias("from", None, "from_occupation", Some("11-3021.00"))
                .unwrap()
                .to_string(),
            "11-3021.00"
        );
        let e = code_or_alias("to", None, "to_occupation", None).unwrap_err();
        assert!(e.to_string().starts_with("`to` is required"));
    }
}
