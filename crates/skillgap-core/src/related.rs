//! O*NET's own list of related occupations (`Related Occupations.txt`, from release 30.0 on):
//! an expert-reviewed list of the 20 occupations closest to each, in three tiers.
//!
//! Kept apart from the computed [`crate::Relatedness`]: it is shown as O*NET's answer and used
//! to measure the computed ranking, never fed into it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::code::SocCode;

/// How close O*NET puts a related occupation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RelatedTier {
    /// Ranks 1–5: the closest.
    #[serde(rename = "Primary-Short")]
    PrimaryShort,
    /// Ranks 6–10.
    #[serde(rename = "Primary-Long")]
    PrimaryLong,
    /// Ranks 11–20.
    #[serde(rename = "Supplemental")]
    Supplemental,
}

impl RelatedTier {
    /// Every tier, closest first.
    pub const ALL: [RelatedTier; 3] = [
        RelatedTier::PrimaryShort,
        RelatedTier::PrimaryLong,
        RelatedTier::Supplemental,
    ];

    /// The name O*NET writes in the `Relatedness Tier` column.
    pub fn as_str(self) -> &'static str {
        match self {
            RelatedTier::PrimaryShort => "Primary-Short",
            RelatedTier::PrimaryLong => "Primary-Long",
            RelatedTier::Supplemental => "Supplemental",
        }
    }

    /// Whether the tier is one of the two Primary ones (the ten closest).
    pub fn is_primary(self) -> bool {
        self != RelatedTier::Supplemental
    }
}

impl fmt::Display for RelatedTier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RelatedTier {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| {
                format!("`{s}` is not a relatedness tier: expected Primary-Short, Primary-Long or Supplemental")
            })
    }
}

/// One row of O*NET's related-occupations list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedOccupation {
    /// The occupation the list is for.
    pub occupation: SocCode,
    /// An occupation O*NET relates to it.
    pub related: SocCode,
    /// Its tier.
    pub tier: RelatedTier,
    /// Its rank in the list, 1 = closest.
    pub index: u16,
}
