//! The options every gap-like answer shares (domains, thresholds, optional parts, source of
//! ratings), built by one constructor from checked values, whichever front parsed them.

use skillgap_core::gap::GapParams;
use skillgap_core::{Domain, ProfileChoice};

use super::choice::Choice;
use super::number::{Bounded, MinGap, MinImportance};
use crate::error::AppError;

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
        <Self as Choice>::DEFAULT
    }
}

/// Optional parts of a gap answer, as `include=` asks for them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Include {
    /// `surplus`: what the source has beyond the target.
    pub surplus: bool,
    /// `technology`: technologies the target's workers use and the source's do not.
    pub technology: bool,
}

impl Include {
    /// The parts' names, in the order answers list them.
    pub const PARTS: [&'static str; 2] = ["surplus", "technology"];

    /// Optional parts from `include=` items (blank items are ignored).
    pub fn parse<'a>(items: impl IntoIterator<Item = &'a str>) -> Result<Self, AppError> {
        let mut include = Include::default();
        for part in items.into_iter().filter(|s| !s.is_empty()) {
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

    /// The names of the parts included.
    pub fn names(self) -> Vec<&'static str> {
        Self::PARTS
            .into_iter()
            .zip([self.surplus, self.technology])
            .filter(|(_, on)| *on)
            .map(|(name, _)| name)
            .collect()
    }
}

/// Options shared by every gap-like request, built by one constructor from checked values
/// (the GET and POST gap requests, moves, paths, targets and the CLI alike).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GapOptions {
    /// Domains to compare.
    pub domains: DomainSelection,
    /// Importance at or above which a descriptor is required.
    pub min_importance: Bounded<MinImportance>,
    /// Level difference a shortage must exceed.
    pub min_gap: Bounded<MinGap>,
    /// Whether to list surplus descriptors.
    pub surplus: bool,
    /// Whether to add the technology gap (occupation to occupation only).
    pub technology: bool,
    /// Which ratings to use.
    pub source: ProfileChoice,
}

impl Default for GapOptions {
    fn default() -> Self {
        Self::new(
            DomainSelection::default(),
            Bounded::standard(),
            Bounded::standard(),
            Include::default(),
            ProfileChoice::Onet,
        )
    }
}

impl GapOptions {
    /// Options from checked values.
    pub fn new(
        domains: DomainSelection,
        min_importance: Bounded<MinImportance>,
        min_gap: Bounded<MinGap>,
        include: Include,
        source: ProfileChoice,
    ) -> Self {
        Self {
            domains,
            min_importance,
            min_gap,
            surplus: include.surplus,
            technology: include.technology,
            source,
        }
    }

    /// The thresholds of the gap definition.
    pub fn params(&self) -> GapParams {
        GapParams {
            min_importance: self.min_importance.get(),
            min_gap: self.min_gap.get(),
        }
    }

    /// The optional parts asked for.
    pub fn include(&self) -> Include {
        Include {
            surplus: self.surplus,
            technology: self.technology,
        }
    }
}

impl Choice for DomainSelection {
    const NAME: &'static str = "domain";
    const DOC: &'static str = "`skills` (default; also when blank or null), `knowledge`, `abilities`, `work_activities` (each when loaded) or `all`.";
    const VALUES: &'static [(&'static str, Self)] = &[
        ("skills", DomainSelection::One(Domain::Skills)),
        ("knowledge", DomainSelection::One(Domain::Knowledge)),
        ("abilities", DomainSelection::One(Domain::Abilities)),
        (
            "work_activities",
            DomainSelection::One(Domain::WorkActivities),
        ),
        ("all", DomainSelection::All),
    ];
    const EXPECTED: &'static str = "skills, knowledge, abilities, work_activities or all";
    const DEFAULT: Self = DomainSelection::One(Domain::Skills);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::number::Bound;

    #[test]
    fn include_names_its_parts() {
        let i = Include::parse(["surplus", "technology", ""]).unwrap();
        assert_eq!(
            i,
            Include {
                surplus: true,
                technology: true
            }
        );
        assert_eq!(i.names(), ["surplus", "technology"]);
        let e = Include::parse(["salary"]).unwrap_err();
        assert!(e.to_string().contains("`technology`"), "{e}");
    }

    #[test]
    fn the_default_options_are_the_documented_defaults() {
        let o = GapOptions::default();
        assert_eq!(o.params(), GapParams::DEFAULT);
        assert_eq!(Some(o.min_importance.get()), MinImportance::RANGE.default);
        assert_eq!(Some(o.min_gap.get()), MinGap::RANGE.default);
    }
}
