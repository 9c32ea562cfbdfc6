//! A route's parameters as the wire sees them: name, meaning, the shape of the value, whether it
//! is required and where it is sent. The HTTP extractor accepts exactly a route's list, and the
//! OpenAPI document describes it.

use super::choice::{Choice, words_and_blank};
use super::number::{Bound, Range};

/// Where a parameter is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    /// In the query string.
    Query,
    /// A segment of the path (`{code}`).
    Path,
}

/// What a parameter's value looks like, for the API document.
#[derive(Clone, Copy, Debug)]
pub enum Shape {
    /// An O*NET-SOC code, `NN-NNNN.NN`.
    Code,
    /// A number in a range.
    Number(Range),
    /// One of a few words (and the blank that means the default).
    Words(fn() -> Vec<&'static str>),
    /// Free text that is not blank, at most this many characters.
    Text(usize),
    /// Text matching a pattern.
    Pattern(&'static str),
}

/// One parameter of one route, as the wire sees it.
#[derive(Clone, Copy, Debug)]
pub struct Param {
    /// Its name.
    pub name: &'static str,
    /// What it means.
    pub doc: &'static str,
    /// What its value looks like.
    pub shape: Shape,
    /// Whether the request must give it.
    pub required: bool,
    /// Where it is sent.
    pub location: Location,
    /// Whether the API document lists it (an accepted alias is not listed).
    pub listed: bool,
}

impl Param {
    /// An optional query parameter.
    const fn query(name: &'static str, doc: &'static str, shape: Shape) -> Self {
        Self {
            name,
            doc,
            shape,
            required: false,
            location: Location::Query,
            listed: true,
        }
    }

    /// The same parameter, required.
    pub const fn required(self) -> Self {
        Self {
            required: true,
            ..self
        }
    }

    /// The same parameter, accepted but not listed in the document.
    pub const fn unlisted(self) -> Self {
        Self {
            listed: false,
            ..self
        }
    }

    /// A numeric query parameter.
    pub const fn number<B: Bound>() -> Self {
        Self::query(B::RANGE.name, B::RANGE.doc, Shape::Number(B::RANGE))
    }

    /// A query parameter taking one of a choice's words.
    pub const fn choice<C: Choice>() -> Self {
        Self::query(C::NAME, C::DOC, Shape::Words(words_and_blank::<C>))
    }

    /// A code in the query string.
    pub const fn code(name: &'static str, doc: &'static str) -> Self {
        Self::query(name, doc, Shape::Code)
    }

    /// The `{code}` path segment.
    pub const CODE_PATH: Param = Param {
        name: "code",
        doc: "O*NET-SOC code, NN-NNNN.NN.",
        shape: Shape::Code,
        required: true,
        location: Location::Path,
        listed: true,
    };

    /// `from`: the source occupation.
    pub const FROM: Param = Param::code("from", "Source occupation code, NN-NNNN.NN.");

    /// `to`: the target occupation.
    pub const TO: Param = Param::code("to", "Target occupation code, NN-NNNN.NN.");

    /// `include`: optional parts of a gap answer.
    pub const INCLUDE: Param = Param::query(
        "include",
        "Optional parts, comma-separated: `surplus` (what the source has beyond the target), `technology` (the technology gap).",
        Shape::Pattern(INCLUDE_PATTERN),
    );

    /// `q`: the words of a search.
    pub const QUERY: Param = Param::query(
        "q",
        "A job title as people type it (`sr. software eng II`, `RN - ICU`), or a code (or its start); blanks around are ignored.",
        Shape::Text(MAX_QUERY_CHARS),
    )
    .required();
}

/// Longest search text, in characters.
pub const MAX_QUERY_CHARS: usize = 200;

/// What `include=` may hold: its items, comma-separated.
pub const INCLUDE_PATTERN: &str = "^(surplus|technology)?(,(surplus|technology)?)*$";

/// What `levels` (a self-assessment's body field) means.
pub const LEVELS_DOC: &str = "Your level (0–7, O*NET's level scale) per element id of the compared domains, e.g. {\"2.A.1.a\": 4.5}. Descriptors left out count as level 0 in the gap (a target's fit compares only those given).";

/// What `include` means in a self-assessment's body, where only `surplus` applies.
pub const BODY_INCLUDE_DOC: &str =
    "Optional parts, a list: `surplus` (what you have beyond the target).";
