//! Typed requests: what each answer is asked, built from values already checked where they
//! entered. Every parameter is described once — numbers in [`number`] (name, doc, range,
//! default), words in [`choice`], their wire form in [`wire`] — and the HTTP extractor, the
//! OpenAPI document, the command line's flags and the answers' `definition` all read those.
//!
//! Every request type derives `Hash` and `Eq` over all of its fields: the answer cache keys on
//! the whole typed request, so no parameter can be left out of a key.

pub mod choice;
mod codes;
mod moves;
pub mod number;
mod options;
mod requests;
pub mod wire;

pub use choice::{Choice, Desirable, EffortMeasure, TargetSort, ViableFilter, words_and_blank};
pub use codes::{code_or_alias, parse_code, required_code};
pub use moves::{
    AssessedLevel, AssessedTransitionsRequest, MoveKind, Order, PathRequest, Pay,
    TransitionsRequest,
};
pub use number::{
    Bound, Bounded, DesirableRatio, MAX_LIMIT, MaxSteps, MinGap, MinImportance, MinWage,
    MinWageRatio, PathCount, Range, SearchLimit, TransitionsLimit,
};
pub use options::{DomainSelection, GapOptions, Include};
pub use requests::{
    AssessedGapRequest, GapRequest, OccupationRequest, ProfileRequest, ProgrammesRequest,
    SearchRequest,
};
pub use wire::{
    BODY_INCLUDE_DOC, INCLUDE_PATTERN, LEVELS_DOC, Location, MAX_QUERY_CHARS, Param, Shape,
};
