//! The pure core of skillgap: O*NET domain types and the maths on them.
//!
//! Nothing here does I/O or is async. Values are parsed at the edges (files, HTTP, SQL) into
//! these types, so everything downstream can take them as valid. The profile types
//! ([`Cell`], [`DomainTable`], …) sit below both the [`Catalog`] that holds them and the algorithms
//! that read them (gap, relatedness, steps, paths, transitions, targets), so no module imports
//! another back; what is derived from a catalog ([`Moves`], [`SearchIndex`]) is built beside it.

pub mod barriers;
mod catalog;
mod code;
mod date;
mod descriptor;
mod education;
pub mod evaluation;
pub mod gap;
pub mod labor;
mod moves;
mod occupation;
pub mod paths;
pub mod pay;
mod profile;
pub mod programmes;
mod progress;
mod rating;
mod related;
pub mod relatedness;
mod release;
mod search;
pub mod stats;
pub mod steps;
pub mod targets;
mod technology;
pub mod text;
pub mod titles;
pub mod transitions;
pub mod viability;

pub use catalog::{Catalog, CatalogBuilder};
pub use code::{ElementId, ParseCodeError, ScaleId, SocCode};
pub use date::{OnetDate, ParseDateError};
pub use descriptor::{Descriptor, Domain, LevelAnchor, Scale};
pub use education::{
    CommonLevel, EducationCategory, EducationRating, REQUIRED_EDUCATION_SCALE, most_common_level,
};
pub use moves::Moves;
pub use occupation::{AlternateTitle, JobZone, Occupation, OccupationEntry, ReportedTitle, Task};
pub use profile::{Anchor, Cell, DescriptorInfo, DomainTable, Profile, ProfileChoice, Profiles};
pub use progress::{Progress, SilentProgress};
pub use rating::{Rating, Source};
pub use related::{RelatedOccupation, RelatedTier};
pub use relatedness::Relatedness;
pub use release::{Release, SourceFile};
pub use search::{MatchKind, SearchHit, SearchIndex};
pub use technology::{
    GapTechnology, TechnologyGap, TechnologyGroup, TechnologySkill, technology_gap,
};
pub use transitions::{Transition, transitions};
