//! The pure core of skillgap: O*NET domain types and the maths on them.
//!
//! Nothing here does I/O or is async. Values are parsed at the edges (files, HTTP, SQL) into
//! these types, so everything downstream can take them as valid.

mod catalog;
mod code;
mod date;
mod descriptor;
mod education;
pub mod evaluation;
pub mod gap;
pub mod labor;
mod occupation;
pub mod paths;
mod progress;
mod rating;
mod related;
pub mod relatedness;
mod release;
mod search;
pub mod stats;
mod technology;
pub mod text;
mod transitions;

pub use catalog::{
    Anchor, Catalog, CatalogBuilder, Cell, DescriptorInfo, DomainTable, OccupationEntry, Profile,
    ProfileChoice, Profiles,
};
pub use code::{ElementId, ParseCodeError, ScaleId, SocCode};
pub use date::{OnetDate, ParseDateError};
pub use descriptor::{Descriptor, Domain, LevelAnchor, Scale};
pub use education::{
    CommonLevel, EducationCategory, EducationRating, REQUIRED_EDUCATION_SCALE, most_common_level,
};
pub use occupation::{AlternateTitle, JobZone, Occupation, Task};
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
