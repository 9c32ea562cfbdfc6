//! Ratings: one occupation's value for one descriptor on one scale, and where it came from.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::code::{ElementId, ScaleId, SocCode};
use crate::date::OnetDate;

/// Where a rating (or an occupation row) came from. Rows of different sources live side by side
/// in the store; none overwrites another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// A downloaded O*NET text release (`skillgap load`).
    OnetRelease,
    /// The O*NET Web Services API (fetched on demand).
    OnetApi,
    /// An LLM's estimate.
    Llm,
}

impl Source {
    /// The short name stored in the `source` columns.
    pub const fn as_str(self) -> &'static str {
        match self {
            Source::OnetRelease => "onet-release",
            Source::OnetApi => "onet-api",
            Source::Llm => "llm",
        }
    }

    /// Parses a stored source name.
    pub fn parse(s: &str) -> Option<Self> {
        [Source::OnetRelease, Source::OnetApi, Source::Llm]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One row of `Skills.txt`, `Knowledge.txt`, … : a value with O*NET's statistics about it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rating {
    /// Rated occupation.
    pub occupation: SocCode,
    /// Rated descriptor.
    pub element: ElementId,
    /// Scale of `value` (`IM` or `LV`).
    pub scale: ScaleId,
    /// The rating.
    pub value: f64,
    /// Sample size.
    pub n: Option<u32>,
    /// Standard error of `value`.
    pub standard_error: Option<f64>,
    /// Lower bound of the 95% confidence interval.
    pub lower_ci: Option<f64>,
    /// Upper bound of the 95% confidence interval.
    pub upper_ci: Option<f64>,
    /// O*NET recommends suppressing the value (low precision).
    pub recommend_suppress: Option<bool>,
    /// O*NET judged the descriptor not relevant to the occupation (level rows only).
    pub not_relevant: Option<bool>,
    /// When O*NET last updated the value.
    pub date: Option<OnetDate>,
    /// Where O*NET's data came from (`Analyst`, `Incumbent`, …).
    pub domain_source: Option<String>,
    /// Where skillgap got the row (a release file, the web API, an LLM).
    pub source: Source,
}
