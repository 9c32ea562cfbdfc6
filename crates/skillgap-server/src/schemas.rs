//! The OpenAPI schemas of parameters and body fields, written from their specifications
//! ([`skillgap_app::params`]): a code's pattern, a choice's words, a number's range and
//! default, each exactly what the server accepts, since contract fuzzing holds the document to it.

use skillgap_app::params::{
    BODY_INCLUDE_DOC, Bound, Choice, LEVELS_DOC, Location, Param, Range, Shape, words_and_blank,
};
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{Object, ObjectBuilder, OneOfBuilder, Schema, Type};
use utoipa::openapi::{Array, ArrayBuilder, Required};

/// An O*NET-SOC code, exactly (the OpenAPI pattern; the server checks the same shape).
pub const CODE_PATTERN: &str = r"^[0-9]{2}-[0-9]{4}\.[0-9]{2}$";

/// Unicode White_Space, which Rust's `trim` removes: a search must contain something else.
pub(crate) const NOT_BLANK_PATTERN: &str =
    r"[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]";

fn string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

fn code() -> ObjectBuilder {
    string()
        .pattern(Some(CODE_PATTERN))
        .examples(["15-1254.00"])
}

fn number(r: Range) -> ObjectBuilder {
    let (kind, default) = match r.default {
        Some(d) if r.whole => (Type::Integer, Some(serde_json::json!(d as u64))),
        Some(d) => (Type::Number, Some(serde_json::json!(d))),
        None if r.whole => (Type::Integer, None),
        None => (Type::Number, None),
    };
    ObjectBuilder::new()
        .schema_type(kind)
        .minimum(Some(r.min))
        .maximum(Some(r.max))
        .default(default)
}

/// The schema of a parameter's value.
fn shape(s: Shape) -> Object {
    match s {
        Shape::Code => code().build(),
        Shape::Number(r) => number(r).build(),
        Shape::Words(words) => string().enum_values(Some(words())).build(),
        Shape::Text(max) => string()
            .pattern(Some(NOT_BLANK_PATTERN))
            .max_length(Some(max))
            .build(),
        Shape::Pattern(p) => string().pattern(Some(p)).build(),
    }
}

/// A route's parameter in the document.
pub(crate) fn parameter(p: &Param) -> Parameter {
    ParameterBuilder::new()
        .name(p.name)
        .parameter_in(match p.location {
            Location::Query => ParameterIn::Query,
            Location::Path => ParameterIn::Path,
        })
        .required(if p.required {
            Required::True
        } else {
            Required::False
        })
        .description(Some(p.doc))
        .schema(Some(shape(p.shape)))
        .build()
}

/// `{schema}` or JSON `null` (an `Option` body field), described.
fn nullable(schema: Object, description: &str) -> Schema {
    OneOfBuilder::new()
        .description(Some(description))
        .item(schema)
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .build()
        .into()
}

/// A body field taking one of a choice's words, or null (the default).
pub(crate) fn nullable_choice<C: Choice>() -> Schema {
    nullable(
        string().enum_values(Some(words_and_blank::<C>())).build(),
        C::DOC,
    )
}

/// A numeric body field, or null (the default).
pub(crate) fn nullable_number<B: Bound>() -> Schema {
    nullable(number(B::RANGE).build(), B::RANGE.doc)
}

/// The target code of a self-assessed gap.
pub(crate) fn required_code_schema() -> Object {
    code().description(Some(Param::TO.doc)).build()
}

/// A self-assessed gap's optional parts (only `surplus` applies).
pub(crate) fn body_include_schema() -> Array {
    ArrayBuilder::new()
        .description(Some(BODY_INCLUDE_DOC))
        .items(string().enum_values(Some(["surplus", ""])))
        .build()
}

/// A self-assessment: a level (0–7) per element id.
pub(crate) fn levels_schema() -> Object {
    let level = ObjectBuilder::new()
        .schema_type(Type::Number)
        .minimum(Some(0))
        .maximum(Some(7));
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some(LEVELS_DOC))
        .property_names(Some(string().pattern(Some(r"^[0-9]+(\.[A-Za-z0-9]+)*$"))))
        .additional_properties(Some(level))
        .examples([serde_json::json!({"2.A.1.a": 4.5})])
        .build()
}
