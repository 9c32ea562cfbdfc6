//! The requests of the gap, search, occupation and profile answers.

use std::collections::BTreeMap;

use skillgap_core::{ProfileChoice, SocCode};

use super::number::{Bounded, SearchLimit};
use super::options::{DomainSelection, GapOptions};
use super::wire::MAX_QUERY_CHARS;
use crate::error::AppError;

/// `GET /skill-gap`, `skillgap gap`: compare two occupations.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GapRequest {
    /// Source occupation.
    pub from: SocCode,
    /// Target occupation.
    pub to: SocCode,
    /// Everything else.
    pub options: GapOptions,
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
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SearchRequest {
    /// The words or code, trimmed.
    pub query: String,
    /// Most results.
    pub limit: Bounded<SearchLimit>,
}

impl SearchRequest {
    /// A search, checked: words required, at most [`MAX_QUERY_CHARS`].
    pub fn new(query: &str, limit: Bounded<SearchLimit>) -> Result<Self, AppError> {
        Ok(Self {
            query: Self::words(query)?,
            limit,
        })
    }

    /// The words of a search, trimmed, or the error naming `q`.
    pub fn words(query: &str) -> Result<String, AppError> {
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
        Ok(query.to_owned())
    }
}

/// `GET /occupations/{code}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OccupationRequest {
    /// The occupation.
    pub code: SocCode,
}

/// `GET /occupations/{code}/profile`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ProfileRequest {
    /// The occupation.
    pub code: SocCode,
    /// Domains to list.
    pub domains: DomainSelection,
    /// Which ratings.
    pub source: ProfileChoice,
}

/// `GET /programmes?occupation=CODE`: the programmes preparing for one occupation.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ProgrammesRequest {
    /// The occupation.
    pub code: SocCode,
}
