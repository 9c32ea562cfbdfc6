//! The technology gap: what the target's workers use that the source's do not.

use serde::Serialize;
use skillgap_core::{SocCode, TechnologyGap, technology_gap};
use utoipa::ToSchema;

use crate::facts::Facts;

/// One technology the target's workers use.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct TechnologyDto {
    /// The product or technology, e.g. `Microsoft Azure software`.
    pub example: String,
    /// O*NET Hot Technology: frequently named in employers' job postings.
    pub hot: bool,
    /// O*NET In Demand for the target.
    pub in_demand: bool,
}

/// Technologies of one UNSPSC commodity.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct TechnologyGroupDto {
    /// UNSPSC commodity code.
    pub commodity_code: u32,
    /// UNSPSC commodity title, e.g. `Web platform development software`.
    pub commodity_title: String,
    /// Hot Technology first, then by name.
    pub technologies: Vec<TechnologyDto>,
}

/// Technologies the target occupation's workers use that the source's do not (`include=technology`).
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct TechnologyGapDto {
    /// By commodity; groups with more Hot Technologies first, then by title.
    pub groups: Vec<TechnologyGroupDto>,
    /// Technologies to learn, in all groups.
    pub missing: usize,
    /// Of which Hot Technologies.
    pub missing_hot: usize,
    /// Technologies both occupations' workers use (by example name).
    pub shared: usize,
    /// How the gap is computed.
    pub definition: &'static str,
}

/// How the technology gap is computed.
pub const TECHNOLOGY_RULE: &str = "technology examples (O*NET Technology Skills) the target lists and the source does not, compared by example name; grouped by UNSPSC commodity, Hot Technology first";

impl TechnologyGapDto {
    /// The technology gap from `from` to `to`.
    pub fn of(facts: &Facts, from: SocCode, to: SocCode) -> Self {
        let g: TechnologyGap = technology_gap(facts.technology(from), facts.technology(to));
        Self {
            groups: g
                .groups
                .into_iter()
                .map(|grp| TechnologyGroupDto {
                    commodity_code: grp.commodity_code,
                    commodity_title: grp.commodity_title,
                    technologies: grp
                        .technologies
                        .into_iter()
                        .map(|t| TechnologyDto {
                            example: t.example,
                            hot: t.hot,
                            in_demand: t.in_demand,
                        })
                        .collect(),
                })
                .collect(),
            missing: g.missing,
            missing_hot: g.missing_hot,
            shared: g.shared,
            definition: TECHNOLOGY_RULE,
        }
    }
}
