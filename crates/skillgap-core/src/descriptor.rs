//! The O*NET content model: descriptors (skills, knowledge areas, …), their scales and anchors.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::code::{ElementId, ScaleId};

/// A rated part of the O*NET content model, identified by the branch its element ids live under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Domain {
    /// Basic and cross-functional skills (`2.A`, `2.B`), file `Skills.txt`.
    Skills,
    /// Knowledge areas (`2.C`), file `Knowledge.txt`.
    Knowledge,
    /// Abilities (`1.A`), file `Abilities.txt`.
    Abilities,
    /// Generalized work activities (`4.A`), file `Work Activities.txt`.
    WorkActivities,
}

impl Domain {
    /// Every domain, in content-model reading order used for display.
    pub const ALL: [Domain; 4] = [
        Domain::Skills,
        Domain::Knowledge,
        Domain::Abilities,
        Domain::WorkActivities,
    ];

    /// The content-model branches whose elements belong to this domain.
    pub fn branches(self) -> &'static [&'static str] {
        match self {
            Domain::Skills => &["2.A", "2.B"],
            Domain::Knowledge => &["2.C"],
            Domain::Abilities => &["1.A"],
            Domain::WorkActivities => &["4.A"],
        }
    }

    /// The domain an element belongs to, if any.
    pub fn of(element: &ElementId) -> Option<Domain> {
        Self::ALL
            .into_iter()
            .find(|d| d.branches().iter().any(|b| element.is_under(b)))
    }

    /// The snake_case name used in the API and the store (`skills`, `work_activities`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Domain::Skills => "skills",
            Domain::Knowledge => "knowledge",
            Domain::Abilities => "abilities",
            Domain::WorkActivities => "work_activities",
        }
    }

    /// The name of the text-release file holding this domain's ratings.
    pub fn file_name(self) -> &'static str {
        match self {
            Domain::Skills => "Skills.txt",
            Domain::Knowledge => "Knowledge.txt",
            Domain::Abilities => "Abilities.txt",
            Domain::WorkActivities => "Work Activities.txt",
        }
    }
}

impl fmt::Display for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Domain {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown domain `{s}`: expected skills, knowledge, abilities or work_activities"
                )
            })
    }
}

/// One element of the content model (`Content Model Reference.txt`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Descriptor {
    /// Element id, e.g. `2.A.1.a`.
    pub id: ElementId,
    /// Element name, e.g. `Reading Comprehension`.
    pub name: String,
    /// O*NET's description of the element.
    pub description: String,
    /// The rated domain the element belongs to, if any (categories like `1.A` belong to one too).
    pub domain: Option<Domain>,
}

/// A rating scale (`Scales Reference.txt`), e.g. `IM` Importance 1–5.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scale {
    /// Scale id.
    pub id: ScaleId,
    /// Scale name.
    pub name: String,
    /// Lowest allowed value.
    pub minimum: f64,
    /// Highest allowed value.
    pub maximum: f64,
}

impl Scale {
    /// Whether `value` lies inside the scale's closed range.
    pub fn contains(&self, value: f64) -> bool {
        value >= self.minimum && value <= self.maximum
    }
}

/// A described point on a descriptor's scale (`Level Scale Anchors.txt`), e.g. level 2 of
/// Reading Comprehension = "Read step-by-step instructions for completing a form".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LevelAnchor {
    /// Element the anchor describes.
    pub element: ElementId,
    /// Scale of the anchor (`LV` in every O*NET release so far).
    pub scale: ScaleId,
    /// Position on the scale.
    pub value: f64,
    /// What that position means.
    pub description: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> ElementId {
        ElementId::parse(s).unwrap()
    }

    #[test]
    fn domains_follow_the_content_model_branches() {
        assert_eq!(Domain::of(&id("2.A.1.a")), Some(Domain::Skills));
        assert_eq!(Domain::of(&id("2.B.5.d")), Some(Domain::Skills));
        assert_eq!(Domain::of(&id("2.C.3.a")), Some(Domain::Knowledge));
        assert_eq!(Domain::of(&id("1.A.1.a.1")), Some(Domain::Abilities));
        assert_eq!(Domain::of(&id("4.A.2.a.4")), Some(Domain::WorkActivities));
        assert_eq!(Domain::of(&id("2.D.1")), None);
        assert_eq!(Domain::of(&id("2")), None);
    }

    #[test]
    fn domain_names_round_trip() {
        for d in Domain::ALL {
            assert_eq!(d.as_str().parse::<Domain>().unwrap(), d);
        }
        assert!(
            "skill"
                .parse::<Domain>()
                .unwrap_err()
                .contains("expected skills")
        );
    }
}
