//! Requests off the wire: each handler's typed request is extracted once, by [`Typed`] (path and
//! query string) or [`JsonBody`] (a JSON body), into the application's request types. A route's
//! parameters are listed once, in its [`FromQuery::PARAMS`], from the specifications in
//! [`skillgap_app::params`]: the query parser accepts exactly those names, and the OpenAPI
//! document lists them ([`Params`]).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::marker::PhantomData;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use skillgap_app::AppError;
use skillgap_app::params::Location;
use skillgap_app::params::{
    self, AssessedLevel, AssessedTransitionsRequest, Bounded, Choice, Desirable, DesirableRatio,
    DomainSelection, EffortMeasure, GapOptions, GapRequest, Include, MaxSteps, MinGap,
    MinImportance, MinWage, MinWageRatio, MoveKind, OccupationRequest, Param, PathCount,
    PathRequest, Pay, ProfileRequest, ProgrammesRequest, SearchLimit, SearchRequest, TargetSort,
    TransitionsLimit, TransitionsRequest, ViableFilter,
};
use skillgap_core::ProfileChoice;
use skillgap_core::paths::PathSort;
use skillgap_core::transitions::TransitionSort;
use utoipa::ToSchema;

use crate::problem::ApiError;
use crate::schemas::{
    body_include_schema, levels_schema, nullable_choice, nullable_number, required_code_schema,
};

/// A parameter given exactly: surrounding blanks make it another value than the document allows
/// (` 15-1254.00` is not a code), so they are refused rather than trimmed.
fn exact<'a>(parameter: &str, value: Option<&'a str>) -> Result<Option<&'a str>, AppError> {
    match value {
        Some(v) if v.trim() != v => Err(AppError::parameter(
            parameter,
            format!("`{parameter}` must not start or end with blanks, got `{v}`"),
        )),
        _ => Ok(value),
    }
}

/// `include=` as the document describes it: `surplus` and `technology` items, commas, nothing
/// else.
fn exact_include(value: Option<&str>) -> Result<Option<&str>, AppError> {
    match value {
        Some(v)
            if !v
                .split(',')
                .all(|p| matches!(p, "" | "surplus" | "technology")) =>
        {
            Err(AppError::parameter(
                "include",
                format!("`include` accepts `surplus` and `technology`, got `{v}`"),
            ))
        }
        _ => Ok(value),
    }
}

/// A query string, parsed against a route's parameters: an unknown or repeated name is an error
/// naming it, worded as serde words it for a struct's fields. Names and values borrow from the
/// request's target unless they are percent-encoded, so parsing allocates one short list.
#[derive(Debug, Default)]
pub struct Query<'a> {
    pairs: Vec<(Cow<'a, str>, Cow<'a, str>)>,
}

/// serde's list of expected fields: "`a`", "`a` or `b`", "one of `a`, `b`, `c`".
fn one_of(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.as_slice() {
        [one] => one.clone(),
        [a, b] => format!("{a} or {b}"),
        many => format!("one of {}", many.join(", ")),
    }
}

impl<'a> Query<'a> {
    /// Parses `raw` (without the `?`), accepting the query parameters of `params`. Decoding is
    /// `application/x-www-form-urlencoded`'s, as serde_urlencoded's (which never fails for
    /// strings: invalid UTF-8 is replaced).
    pub fn parse(raw: &'a str, params: &[Param]) -> Result<Self, ApiError> {
        let mut q = Self {
            pairs: Vec::with_capacity(raw.bytes().filter(|&b| b == b'&').count() + 1),
        };
        if raw.bytes().any(|b| b == b'%' || b == b'+') {
            for (name, value) in form_urlencoded::parse(raw.as_bytes()) {
                q.push(name, value, params)?;
            }
        } else {
            // Nothing to decode (the usual case): the same pairs, split in place.
            for part in raw.split('&').filter(|p| !p.is_empty()) {
                let (name, value) = part.split_once('=').unwrap_or((part, ""));
                q.push(Cow::Borrowed(name), Cow::Borrowed(value), params)?;
            }
        }
        Ok(q)
    }

    fn push(
        &mut self,
        name: Cow<'a, str>,
        value: Cow<'a, str>,
        params: &[Param],
    ) -> Result<(), ApiError> {
        let accepted = || {
            params
                .iter()
                .filter(|p| p.location == Location::Query)
                .map(|p| p.name)
        };
        let invalid = |name: &str, why: String| {
            ApiError::parameter(name, format!("invalid query string: {why}"))
        };
        if !accepted().any(|a| a == name) {
            let accepted: Vec<&str> = accepted().collect();
            let expected = if accepted.is_empty() {
                "there are no fields".to_owned()
            } else {
                format!("expected {}", one_of(&accepted))
            };
            return Err(invalid(
                &name,
                format!("unknown field `{name}`, {expected}"),
            ));
        }
        if self.pairs.iter().any(|(n, _)| *n == name) {
            return Err(invalid(&name, format!("duplicate field `{name}`")));
        }
        self.pairs.push((name, value));
        Ok(())
    }

    /// The value of a parameter, when given.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_ref())
    }

    /// The value of a parameter, refused when blanks surround it.
    fn exact(&self, name: &str) -> Result<Option<&str>, AppError> {
        exact(name, self.get(name))
    }
}

/// A request type built from a route's `{code}` (when it has one) and its query string.
pub trait FromQuery: Sized {
    /// The route's parameters, path first, in the order the document lists them (aliases it does
    /// not list included, where the query accepts them).
    const PARAMS: &'static [Param];
    /// Whether the route reads its query string at all (one that does not ignores it whole).
    const READS_QUERY: bool = true;
    /// Checks and converts every parameter, in the order the API has always reported them.
    fn from_query(code: Option<&str>, query: &Query<'_>) -> Result<Self, AppError>;
}

/// The OpenAPI parameters of a route's request type `T`.
pub struct Params<T>(PhantomData<T>);

impl<T: FromQuery> utoipa::IntoParams for Params<T> {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        T::PARAMS
            .iter()
            .filter(|p| p.listed)
            .map(crate::schemas::parameter)
            .collect()
    }
}

/// A typed request, extracted once.
pub struct Typed<T>(pub T);

impl<T: FromQuery, S: Send + Sync> FromRequestParts<S> for Typed<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let has_code = T::PARAMS.iter().any(|p| p.location == Location::Path);
        let code = if has_code {
            let Path(code) = Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|e| ApiError::parameter("code", e.body_text()))?;
            Some(code)
        } else {
            None
        };
        let query = if T::READS_QUERY {
            Query::parse(parts.uri.query().unwrap_or(""), T::PARAMS)?
        } else {
            Query::default()
        };
        Ok(Typed(T::from_query(code.as_deref(), &query)?))
    }
}

/// A JSON body whose every rejection is a problem+json answer.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(JsonBody(v)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError::UnsupportedMediaType),
            Err(JsonRejection::BytesRejection(e))
                if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE =>
            {
                Err(ApiError::PayloadTooLarge)
            }
            Err(e) => Err(ApiError::InvalidBody(e.body_text())),
        }
    }
}

/// The parameters of the gap options, in the order the document lists them.
const GAP_OPTIONS: [Param; 4] = [
    Param::choice::<DomainSelection>(),
    Param::number::<MinImportance>(),
    Param::number::<MinGap>(),
    Param::choice::<ProfileChoice>(),
];

/// Gap options from the query, checked in the order the API has always reported them: every
/// value's exactness, then each value.
fn gap_options(q: &Query<'_>, include: Option<&str>) -> Result<GapOptions, AppError> {
    for p in &GAP_OPTIONS {
        q.exact(p.name)?;
    }
    let include = Include::parse(include.unwrap_or("").split(','))?;
    let domains = DomainSelection::parse(q.get("domain"))?;
    Ok(GapOptions::new(
        domains,
        Bounded::parse_or_default(q.get("min_importance"))?,
        Bounded::parse_or_default(q.get("min_gap"))?,
        include,
        ProfileChoice::parse(q.get("source"))?,
    ))
}

impl FromQuery for GapRequest {
    const PARAMS: &'static [Param] = &[
        Param::FROM.required(),
        Param::TO.required(),
        // The original service's names for `from` and `to`: accepted, not listed, since
        // OpenAPI cannot say "`from` or this".
        Param::code("from_occupation", "").unlisted(),
        Param::code("to_occupation", "").unlisted(),
        GAP_OPTIONS[0],
        GAP_OPTIONS[1],
        GAP_OPTIONS[2],
        Param::INCLUDE,
        GAP_OPTIONS[3],
    ];

    fn from_query(_: Option<&str>, q: &Query<'_>) -> Result<Self, AppError> {
        // Every value is checked for exactness first.
        for p in Self::PARAMS {
            match p.name {
                "include" => exact_include(q.get(p.name)).map(drop)?,
                name => q.exact(name).map(drop)?,
            }
        }
        Ok(GapRequest {
            from: params::code_or_alias(
                "from",
                q.get("from"),
                "from_occupation",
                q.get("from_occupation"),
            )?,
            to: params::code_or_alias("to", q.get("to"), "to_occupation", q.get("to_occupation"))?,
            options: gap_options(q, q.get("include"))?,
        })
    }
}

impl FromQuery for SearchRequest {
    const PARAMS: &'static [Param] = &[Param::QUERY, Param::number::<SearchLimit>()];

    fn from_query(_: Option<&str>, q: &Query<'_>) -> Result<Self, AppError> {
        // The words are checked before the limit, as the API always has.
        let words = SearchRequest::words(q.get("q").unwrap_or(""))?;
        SearchRequest::new(&words, Bounded::parse_or_default(q.exact("limit")?)?)
    }
}

fn path_code(code: Option<&str>) -> Result<skillgap_core::SocCode, AppError> {
    let code = code.unwrap_or("");
    exact("code", Some(code))?;
    params::parse_code("code", code)
}

impl FromQuery for ProgrammesRequest {
    const PARAMS: &'static [Param] = &[Param::code(
        "occupation",
        "The occupation (O*NET-SOC code, NN-NNNN.NN) whose programmes to list.",
    )
    .required()];

    fn from_query(_: Option<&str>, q: &Query<'_>) -> Result<Self, AppError> {
        Ok(ProgrammesRequest {
            code: params::required_code("occupation", q.exact("occupation")?)?,
        })
    }
}

impl FromQuery for OccupationRequest {
    const PARAMS: &'static [Param] = &[Param::CODE_PATH];
    // Any query parameters are ignored, as they always were on this route.
    const READS_QUERY: bool = false;

    fn from_query(code: Option<&str>, _: &Query<'_>) -> Result<Self, AppError> {
        Ok(OccupationRequest {
            code: path_code(code)?,
        })
    }
}

impl FromQuery for ProfileRequest {
    const PARAMS: &'static [Param] = &[
        Param::CODE_PATH,
        Param::choice::<DomainSelection>(),
        Param::choice::<ProfileChoice>(),
    ];

    fn from_query(code: Option<&str>, q: &Query<'_>) -> Result<Self, AppError> {
        let code = path_code(code)?;
        let source = ProfileChoice::parse(q.exact("source")?)?;
        Ok(ProfileRequest {
            code,
            domains: DomainSelection::parse(q.exact("domain")?)?,
            source,
        })
    }
}

impl FromQuery for TransitionsRequest {
    const PARAMS: &'static [Param] = &[
        Param::CODE_PATH,
        Param::number::<TransitionsLimit>(),
        GAP_OPTIONS[0],
        GAP_OPTIONS[1],
        GAP_OPTIONS[2],
        GAP_OPTIONS[3],
        Param::choice::<TransitionSort>(),
        Param::number::<MinWageRatio>(),
        Param::choice::<ViableFilter>(),
        Param::choice::<Desirable>(),
        Param::number::<DesirableRatio>(),
        Param::choice::<EffortMeasure>(),
    ];

    fn from_query(code: Option<&str>, q: &Query<'_>) -> Result<Self, AppError> {
        let code = path_code(code)?;
        let kind = MoveKind::new(
            ViableFilter::parse(q.exact("viable")?)?,
            Desirable::parse(q.exact("desirable")?)?,
            Bounded::parse_optional(q.exact("desirable_ratio")?)?,
            EffortMeasure::parse(q.exact("effort")?)?,
        )?;
        let options = gap_options(q, None)?;
        let limit = Bounded::parse_or_default(q.exact("limit")?)?;
        let sort = TransitionSort::parse(q.exact("sort")?)?;
        let floor = Bounded::parse_optional(q.exact("min_wage_ratio")?)?;
        Ok(TransitionsRequest {
            code,
            options,
            limit,
            pay: Pay::new(sort, floor),
            kind,
        })
    }
}

impl FromQuery for PathRequest {
    const PARAMS: &'static [Param] = &[
        Param::FROM.required(),
        Param::TO.required(),
        Param::number::<MaxSteps>(),
        Param::number::<PathCount>(),
        Param::choice::<PathSort>(),
        Param::number::<MinWageRatio>(),
        GAP_OPTIONS[0],
        GAP_OPTIONS[1],
        GAP_OPTIONS[2],
        GAP_OPTIONS[3],
    ];

    fn from_query(_: Option<&str>, q: &Query<'_>) -> Result<Self, AppError> {
        let from = params::required_code("from", q.exact("from")?)?;
        let to = params::required_code("to", q.exact("to")?)?;
        let options = gap_options(q, None)?;
        let max_steps = Bounded::parse_or_default(q.exact("max_steps")?)?;
        let paths = Bounded::parse_or_default(q.exact("paths")?)?;
        let sort = PathSort::parse(q.exact("sort")?)?;
        let floor = Bounded::parse_optional(q.exact("min_wage_ratio")?)?;
        PathRequest::new(from, to, max_steps, paths, options, Pay::new(sort, floor))
    }
}

/// Gap options from a JSON body (numbers already numbers), through the same constructor as the
/// query's.
fn body_options(
    domain: Option<&str>,
    min_importance: Option<f64>,
    min_gap: Option<f64>,
    include: Include,
    source: Option<&str>,
) -> Result<GapOptions, AppError> {
    let domains = DomainSelection::parse(domain)?;
    let source = ProfileChoice::parse(source)?;
    let min_importance = min_importance.map_or_else(Bounded::default_value, Bounded::new)?;
    let min_gap = min_gap.map_or_else(Bounded::default_value, Bounded::new)?;
    Ok(GapOptions::new(
        domains,
        min_importance,
        min_gap,
        include,
        source,
    ))
}

/// Body of `POST /skill-gap`: a self-assessed profile against a target occupation.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessedGapRequest {
    /// Target occupation code.
    #[schema(schema_with = required_code_schema)]
    pub to: String,
    /// Your level per element id.
    #[schema(schema_with = levels_schema)]
    pub levels: BTreeMap<String, f64>,
    /// The domains to compare.
    #[schema(schema_with = nullable_choice::<DomainSelection>)]
    pub domain: Option<String>,
    /// The importance threshold.
    #[schema(schema_with = nullable_number::<MinImportance>)]
    pub min_importance: Option<f64>,
    /// The gap threshold.
    #[schema(schema_with = nullable_number::<MinGap>)]
    pub min_gap: Option<f64>,
    /// Optional parts.
    #[serde(default)]
    #[schema(schema_with = body_include_schema)]
    pub include: Vec<String>,
    /// Which ratings of the target to use.
    #[schema(schema_with = nullable_choice::<ProfileChoice>)]
    pub source: Option<String>,
}

impl TryFrom<AssessedGapRequest> for params::AssessedGapRequest {
    type Error = AppError;

    fn try_from(b: AssessedGapRequest) -> Result<Self, AppError> {
        exact("to", Some(&b.to))?;
        exact("domain", b.domain.as_deref())?;
        exact("source", b.source.as_deref())?;
        if let Some(bad) = b
            .include
            .iter()
            .find(|i| !(i.is_empty() || *i == "surplus"))
        {
            return Err(AppError::parameter(
                "include",
                format!("`include` accepts `surplus`, got `{bad}`"),
            ));
        }
        let to = params::parse_code("to", &b.to)?;
        let include = Include::parse(b.include.iter().map(String::as_str))?;
        let options = body_options(
            b.domain.as_deref(),
            b.min_importance,
            b.min_gap,
            include,
            b.source.as_deref(),
        )?;
        Ok(Self {
            to,
            levels: b.levels,
            options,
        })
    }
}

/// Body of `POST /transitions`: a self-assessed profile, answered with the occupations it is
/// closest to qualifying for. The same body as `POST /skill-gap`, without `to`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessedTransitionsBody {
    /// Your level per element id.
    #[schema(schema_with = levels_schema)]
    pub levels: BTreeMap<String, serde_json::Value>,
    /// The domains to compare.
    #[schema(schema_with = nullable_choice::<DomainSelection>)]
    pub domain: Option<String>,
    /// The importance threshold.
    #[schema(schema_with = nullable_number::<MinImportance>)]
    pub min_importance: Option<f64>,
    /// The gap threshold.
    #[schema(schema_with = nullable_number::<MinGap>)]
    pub min_gap: Option<f64>,
    /// Which ratings of the targets to use.
    #[schema(schema_with = nullable_choice::<ProfileChoice>)]
    pub source: Option<String>,
    /// Most results.
    #[schema(schema_with = nullable_number::<TransitionsLimit>)]
    pub limit: Option<f64>,
    /// The order: `fit` (default) or `wage_gain` (needs BLS wages).
    #[schema(schema_with = nullable_choice::<TargetSort>)]
    pub sort: Option<String>,
    /// The least median annual wage a target pays (needs BLS wages).
    #[schema(schema_with = nullable_number::<MinWage>)]
    pub min_wage: Option<f64>,
}

impl TryFrom<AssessedTransitionsBody> for AssessedTransitionsRequest {
    type Error = AppError;

    fn try_from(b: AssessedTransitionsBody) -> Result<Self, AppError> {
        exact("domain", b.domain.as_deref())?;
        exact("source", b.source.as_deref())?;
        let options = body_options(
            b.domain.as_deref(),
            b.min_importance,
            b.min_gap,
            Include::default(),
            b.source.as_deref(),
        )?;
        let levels = b
            .levels
            .into_iter()
            .map(|(k, v)| (k, AssessedLevel::from(&v)))
            .collect();
        // JSON has one number type: 10 and 10.0 are the same whole number.
        let limit = b.limit.map_or_else(Bounded::default_value, Bounded::new)?;
        exact("sort", b.sort.as_deref())?;
        let sort = TargetSort::parse(b.sort.as_deref())?;
        let min_wage = b.min_wage.map(Bounded::new).transpose()?;
        Ok(AssessedTransitionsRequest {
            levels,
            options,
            limit,
            sort,
            min_wage,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_and_repeated_parameters_are_named_as_serde_names_them() {
        let e = Query::parse("q=web&x=1", SearchRequest::PARAMS).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid query string: unknown field `x`, expected `q` or `limit`"
        );
        let e = Query::parse("limit=1&limit=2", SearchRequest::PARAMS).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid query string: duplicate field `limit`"
        );
        let e = Query::parse("y=1", GapRequest::PARAMS).unwrap_err();
        assert!(
            e.to_string()
                .ends_with("expected one of `from`, `to`, `from_occupation`, `to_occupation`, `domain`, `min_importance`, `min_gap`, `include`, `source`"),
            "{e}"
        );
        let q = Query::parse("q=web+dev&limit=5", SearchRequest::PARAMS).unwrap();
        assert_eq!(
            (q.get("q"), q.get("limit"), q.get("x")),
            (Some("web dev"), Some("5"), None)
        );
    }

    #[test]
    fn a_query_with_nothing_to_decode_gives_the_pairs_a_decoder_gives() {
        // Empty parts, a name without `=`, an empty value and `=` inside a value, each parsed
        // in place and, with one encoded character added, by form_urlencoded.
        for raw in [
            "from=15-1254.00&to=11-3021.00",
            "&&from=15-1254.00&&to=11-3021.00&",
            "from=15-1254.00&to=11-3021.00&include",
            "from=a=b&to=&domain=",
            "",
        ] {
            let in_place = Query::parse(raw, GapRequest::PARAMS).unwrap();
            assert!(
                in_place
                    .pairs
                    .iter()
                    .all(|(n, v)| matches!((n, v), (Cow::Borrowed(_), Cow::Borrowed(_))))
            );
            let encoded = format!("{raw}&source=o%6Eet");
            let decoded = Query::parse(&encoded, GapRequest::PARAMS).unwrap();
            let expected: Vec<(String, String)> = form_urlencoded::parse(encoded.as_bytes())
                .into_owned()
                .collect();
            let got: Vec<(String, String)> = decoded
                .pairs
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect();
            assert_eq!(got, expected, "{encoded}");
            let in_place: Vec<(String, String)> = in_place
                .pairs
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect();
            assert_eq!(in_place[..], expected[..expected.len() - 1], "{raw}");
            assert_eq!(decoded.get("source"), Some("onet"));
        }
    }

    /// Each variant changes one parameter of `base`; every parameter the route lists must have
    /// one, so a parameter added without a test of its key fails here.
    fn keys_differ<T: FromQuery + Clone>(
        base: &str,
        code: Option<&str>,
        variants: &[(&str, &str)],
        key: impl Fn(T) -> skillgap_app::Cached,
    ) {
        let listed: Vec<&str> = T::PARAMS
            .iter()
            .filter(|p| p.listed && p.location == Location::Query)
            .map(|p| p.name)
            .collect();
        for name in &listed {
            assert!(
                variants.iter().any(|(n, _)| n == name),
                "no key test changes `{name}`"
            );
        }
        let parse = |q: &str| T::from_query(code, &Query::parse(q, T::PARAMS).unwrap()).unwrap();
        let mut keys = vec![key(parse(base))];
        for (name, value) in variants {
            // Replace the parameter when the base gives it, else add it.
            let mut pairs: Vec<String> = base
                .split('&')
                .filter(|p| !p.is_empty() && p.split('=').next() != Some(name))
                .map(str::to_owned)
                .collect();
            pairs.push(format!("{name}={value}"));
            let k = key(parse(&pairs.join("&")));
            assert!(
                !keys.contains(&k),
                "changing {name} to {value} kept the key"
            );
            keys.push(k);
        }
    }

    #[test]
    fn requests_differing_in_any_one_parameter_have_different_keys() {
        use skillgap_app::Cached;
        keys_differ::<GapRequest>(
            "from=15-1254.00&to=11-3021.00",
            None,
            &[
                ("from", "15-1252.00"),
                ("to", "11-1011.00"),
                ("domain", "knowledge"),
                ("min_importance", "3.5"),
                ("min_gap", "0.5"),
                ("include", "surplus"),
                ("include", "technology"),
                ("source", "best"),
            ],
            Cached::Gap,
        );
        // `desirable_ratio` applies only with `desirable=true`, so the base asks for it.
        keys_differ::<TransitionsRequest>(
            "desirable=true",
            Some("15-1254.00"),
            &[
                ("limit", "11"),
                ("domain", "all"),
                ("min_importance", "4"),
                ("min_gap", "1"),
                ("source", "llm"),
                ("sort", "similarity"),
                ("min_wage_ratio", "0.9"),
                ("viable", "any"),
                ("desirable", "false"),
                ("desirable_ratio", "0.8"),
                ("effort", "skills"),
            ],
            Cached::Transitions,
        );
        keys_differ::<PathRequest>(
            "from=43-4051.00&to=11-3021.00",
            None,
            &[
                ("from", "15-1254.00"),
                ("to", "11-1011.00"),
                ("max_steps", "2"),
                ("paths", "5"),
                ("sort", "wage_gain"),
                ("min_wage_ratio", "0.8"),
                ("domain", "knowledge"),
                ("min_importance", "2"),
                ("min_gap", "0.25"),
                ("source", "best"),
            ],
            Cached::Paths,
        );
        // The same request spelled another way is the same key.
        let same = |a: &str, b: &str| {
            let parse = |q: &str| {
                GapRequest::from_query(None, &Query::parse(q, GapRequest::PARAMS).unwrap()).unwrap()
            };
            assert_eq!(Cached::Gap(parse(a)), Cached::Gap(parse(b)), "{a} vs {b}");
        };
        same(
            "from=15-1254.00&to=11-3021.00",
            "from_occupation=15-1254.00&to=11-3021.00&domain=&source=onet&min_gap=0",
        );
        same(
            "from=15-1254.00&to=11-3021.00&include=surplus,technology",
            "to=11-3021.00&include=technology,,surplus&from=15-1254.00",
        );
    }
}
