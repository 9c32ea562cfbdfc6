//! The gap definition, echoed with the parameters used in every answer that compares levels.

use serde::Serialize;
use skillgap_core::DomainTable;
use skillgap_core::gap::SIMILARITY_FORMULA;
use utoipa::ToSchema;

use crate::params::Choice;
use crate::params::GapOptions;

/// The gap definition and the parameters used, echoed in every gap answer.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct Definition {
    /// Domains compared.
    pub domains: Vec<String>,
    /// Which ratings were used: `onet`, `llm` or `best`.
    pub source: String,
    /// Importance at or above which a descriptor is required.
    pub min_importance: f64,
    /// Level difference a shortage must exceed.
    pub min_gap: f64,
    /// Optional parts included (`surplus`).
    pub include: Vec<String>,
    /// How a level is read.
    pub level: &'static str,
    /// When a descriptor is required.
    pub required: &'static str,
    /// What a shortage is.
    pub shortage: &'static str,
    /// What `missing` lists.
    pub missing: &'static str,
    /// What `surplus` lists.
    pub surplus: &'static str,
    /// When a shortage is significant.
    pub significance: &'static str,
    /// How shortages are ordered.
    pub order: &'static str,
    /// The similarity formula.
    pub similarity: &'static str,
}

const LEVEL_RULE: &str = "level = O*NET LV value (0-7); a level flagged Not Relevant counts as 0";
const REQUIRED_RULE: &str =
    "a descriptor is required when its importance (IM, 1-5) >= min_importance";
const SHORTAGE_RULE: &str = "for each descriptor the target requires: gap = to_level - from_level; a shortage when gap > min_gap";
const MISSING_RULE: &str = "descriptors the target requires and the source does not (for a self-assessed profile: level 0 or not given), whatever the levels";
const SURPLUS_RULE: &str = "descriptors the source requires whose source level exceeds the target's by more than min_gap (include=surplus)";
const SIGNIFICANCE_RULE: &str = "significant when gap > 1.96 * sqrt(se_from^2 + se_to^2) with O*NET's level standard errors; null when either is unknown";
const ORDER_RULE: &str = "by weighted_gap = gap * to_importance, largest first; ties by element_id";

/// The definition and the parameters `options` set, for an answer comparing `tables`.
pub fn definition(tables: &[&DomainTable], options: &GapOptions) -> Definition {
    Definition {
        domains: tables.iter().map(|t| t.domain.to_string()).collect(),
        source: options.source.word().into(),
        min_importance: options.min_importance.get(),
        min_gap: options.min_gap.get(),
        include: options
            .include()
            .names()
            .into_iter()
            .map(String::from)
            .collect(),
        level: LEVEL_RULE,
        required: REQUIRED_RULE,
        shortage: SHORTAGE_RULE,
        missing: MISSING_RULE,
        surplus: SURPLUS_RULE,
        significance: SIGNIFICANCE_RULE,
        order: ORDER_RULE,
        similarity: SIMILARITY_FORMULA,
    }
}
