//! Hand-written schemas of the request parameters and body fields, for the OpenAPI document:
//! what the derive cannot say from a `String` or an `f64` (a code's pattern, an enum, a range),
//! kept to exactly what the server accepts, since contract fuzzing holds it to that.

use skillgap_app::params::{self, MIN_GAP, MIN_IMPORTANCE, SEARCH_LIMIT, TRANSITIONS_LIMIT};
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};

/// An O*NET-SOC code, exactly (the OpenAPI pattern; the server checks the same shape).
pub const CODE_PATTERN: &str = r"^[0-9]{2}-[0-9]{4}\.[0-9]{2}$";

/// Unicode White_Space, which Rust's `trim` removes: a search must contain something else.
pub(crate) const NOT_BLANK_PATTERN: &str =
    r"[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]";

pub(crate) fn string_schema() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

pub(crate) fn code_schema() -> Object {
    string_schema()
        .pattern(Some(CODE_PATTERN))
        .examples(["15-1254.00"])
        .build()
}

pub(crate) fn domain_schema() -> Object {
    let mut values: Vec<&str> = skillgap_core::Domain::ALL
        .iter()
        .map(|d| d.as_str())
        .collect();
    // Blank is the default (skills), as when left out.
    values.extend(["all", ""]);
    string_schema().enum_values(Some(values)).build()
}

pub(crate) fn source_schema() -> Object {
    string_schema()
        .enum_values(Some(["onet", "llm", "best", ""]))
        .build()
}

pub(crate) fn include_schema() -> Object {
    string_schema()
        .pattern(Some("^(surplus|technology)?(,(surplus|technology)?)*$"))
        .build()
}

pub(crate) fn number_schema(b: params::Bounded) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Number)
        .minimum(Some(b.min))
        .maximum(Some(b.max))
        .default(Some(b.default.into()))
        .build()
}

pub(crate) fn min_importance_schema() -> Object {
    number_schema(MIN_IMPORTANCE)
}

pub(crate) fn min_gap_schema() -> Object {
    number_schema(MIN_GAP)
}

pub(crate) fn limit_schema(l: params::Limit) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(1))
        .maximum(Some(params::MAX_LIMIT as f64))
        .default(Some(l.default.into()))
        .build()
}

pub(crate) fn search_limit_schema() -> Object {
    limit_schema(SEARCH_LIMIT)
}

pub(crate) fn transitions_limit_schema() -> Object {
    limit_schema(TRANSITIONS_LIMIT)
}

pub(crate) fn words_schema() -> Object {
    string_schema()
        .pattern(Some(NOT_BLANK_PATTERN))
        .max_length(Some(params::MAX_QUERY_CHARS))
        .build()
}

/// `{schema}` or JSON `null` (an `Option` field).
pub(crate) fn nullable(schema: Object) -> utoipa::openapi::Schema {
    utoipa::openapi::schema::OneOfBuilder::new()
        .item(schema)
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .build()
        .into()
}

pub(crate) fn nullable_domain_schema() -> utoipa::openapi::Schema {
    nullable(domain_schema())
}

pub(crate) fn nullable_source_schema() -> utoipa::openapi::Schema {
    nullable(source_schema())
}

pub(crate) fn nullable_min_importance_schema() -> utoipa::openapi::Schema {
    nullable(number_schema(MIN_IMPORTANCE))
}

pub(crate) fn nullable_min_gap_schema() -> utoipa::openapi::Schema {
    nullable(number_schema(MIN_GAP))
}

pub(crate) fn include_items_schema() -> utoipa::openapi::schema::Array {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(string_schema().enum_values(Some(["surplus", ""])))
        .build()
}

pub(crate) fn levels_schema() -> Object {
    let level = ObjectBuilder::new()
        .schema_type(Type::Number)
        .minimum(Some(0))
        .maximum(Some(7));
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property_names(Some(
            string_schema().pattern(Some(r"^[0-9]+(\.[A-Za-z0-9]+)*$")),
        ))
        .additional_properties(Some(level))
        .examples([serde_json::json!({"2.A.1.a": 4.5})])
        .build()
}

pub(crate) fn sort_schema() -> Object {
    let mut values: Vec<&str> = params::TransitionSort::ALL
        .iter()
        .map(|s| s.as_str())
        .collect();
    // Blank is the default (relatedness), as when left out.
    values.push("");
    string_schema().enum_values(Some(values)).build()
}

pub(crate) fn path_sort_schema() -> Object {
    let mut values: Vec<&str> = params::PathSort::ALL.iter().map(|s| s.as_str()).collect();
    // Blank is the default (gap), as when left out.
    values.push("");
    string_schema().enum_values(Some(values)).build()
}

pub(crate) fn min_wage_ratio_schema() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Number)
        .minimum(Some(params::MIN_WAGE_RATIO.min))
        .maximum(Some(params::MIN_WAGE_RATIO.max))
        .build()
}

fn count_schema(c: params::Count) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(c.min as f64))
        .maximum(Some(c.max as f64))
        .default(Some(c.default.into()))
        .build()
}

pub(crate) fn max_steps_schema() -> Object {
    count_schema(params::MAX_STEPS_PARAM)
}

pub(crate) fn paths_schema() -> Object {
    count_schema(params::PATHS_PARAM)
}

pub(crate) fn nullable_transitions_limit_schema() -> utoipa::openapi::Schema {
    nullable(transitions_limit_schema())
}
