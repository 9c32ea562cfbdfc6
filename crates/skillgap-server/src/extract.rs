//! Requests off the wire: each handler's typed request is extracted once, by [`Typed`] (query
//! string and path) or [`JsonBody`] (a JSON body), into the application's request types. The
//! structs here only describe the wire for the OpenAPI document and serde; every range, default
//! and message lives in [`skillgap_app::params`].

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use skillgap_app::params::{
    self, AssessedLevel, AssessedTransitionsRequest, DomainSelection, GapOptions, GapRequest,
    MAX_STEPS_PARAM, MIN_GAP, MIN_IMPORTANCE, OccupationRequest, PATHS_PARAM, PathRequest,
    ProfileRequest, SEARCH_LIMIT, SearchRequest, TRANSITIONS_LIMIT, TransitionsRequest,
};
use skillgap_app::{AppError, CacheKey};
use utoipa::{IntoParams, ToSchema};

use crate::problem::ApiError;
use crate::schemas::*;

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

/// Parses a query string strictly (unknown or repeated parameters are errors naming them).
pub fn parse_query<T: DeserializeOwned>(q: &str) -> Result<T, ApiError> {
    serde_urlencoded::from_str::<T>(q).map_err(|e| {
        let msg = e.to_string();
        let parameter = msg.split('`').nth(1).unwrap_or("query");
        ApiError::parameter(parameter, format!("invalid query string: {msg}"))
    })
}

/// A request type built from a route's `{code}` (when it has one) and its query string.
pub trait FromHttp: Sized {
    /// The query string's wire form.
    type Query: DeserializeOwned;
    /// Whether the route has a `{code}` segment.
    const HAS_CODE: bool;
    /// Checks and converts every parameter.
    fn from_http(code: Option<&str>, query: Self::Query) -> Result<Self, AppError>;
}

/// A typed request, extracted once.
pub struct Typed<T> {
    /// The request.
    pub request: T,
}

/// A typed request and its canonical answer-cache key, extracted once.
pub struct Keyed<T> {
    /// The request.
    pub request: T,
    /// Equal for every spelling of the same request.
    pub key: String,
}

async fn extract<T: FromHttp, S: Send + Sync>(parts: &mut Parts, state: &S) -> Result<T, ApiError> {
    let code = if T::HAS_CODE {
        let Path(code) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::parameter("code", e.body_text()))?;
        Some(code)
    } else {
        None
    };
    let query = parse_query::<T::Query>(parts.uri.query().unwrap_or(""))?;
    Ok(T::from_http(code.as_deref(), query)?)
}

impl<T: FromHttp, S: Send + Sync> FromRequestParts<S> for Typed<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Ok(Typed {
            request: extract(parts, state).await?,
        })
    }
}

impl<T: FromHttp + CacheKey, S: Send + Sync> FromRequestParts<S> for Keyed<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let request: T = extract(parts, state).await?;
        Ok(Keyed {
            key: request.cache_key(),
            request,
        })
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

/// Query parameters of `GET /skill-gap`.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct GapQuery {
    /// Source occupation code, NN-NNNN.NN.
    #[param(required = true, schema_with = code_schema)]
    pub from: Option<String>,
    /// Target occupation code, NN-NNNN.NN.
    #[param(required = true, schema_with = code_schema)]
    pub to: Option<String>,
    /// Same as `from` (the original service's name); undocumented, since OpenAPI cannot say
    /// "`from` or this".
    #[param(ignore)]
    pub from_occupation: Option<String>,
    /// Same as `to` (the original service's name); undocumented like `from_occupation`.
    #[param(ignore)]
    pub to_occupation: Option<String>,
    /// `skills` (default; also when blank), `knowledge`, `abilities`, `work_activities` or `all`.
    #[param(schema_with = domain_schema)]
    pub domain: Option<String>,
    /// Importance at or above which a descriptor is required (1–5, default 3).
    #[param(schema_with = min_importance_schema)]
    pub min_importance: Option<String>,
    /// Level difference a shortage must exceed (0–7, default 0).
    #[param(schema_with = min_gap_schema)]
    pub min_gap: Option<String>,
    /// Comma-separated optional parts: `surplus`, `technology` (the technology gap).
    #[param(schema_with = include_schema)]
    pub include: Option<String>,
    /// Ratings to use: `onet` (default; also when blank), `llm` or `best` (O*NET where rated,
    /// else LLM).
    #[param(schema_with = source_schema)]
    pub source: Option<String>,
}

impl GapQuery {
    /// Every value checked for exactness first.
    fn exact(self) -> Result<Self, AppError> {
        exact("from", self.from.as_deref())?;
        exact("to", self.to.as_deref())?;
        exact("from_occupation", self.from_occupation.as_deref())?;
        exact("to_occupation", self.to_occupation.as_deref())?;
        exact("domain", self.domain.as_deref())?;
        exact("min_importance", self.min_importance.as_deref())?;
        exact("min_gap", self.min_gap.as_deref())?;
        exact_include(self.include.as_deref())?;
        exact("source", self.source.as_deref())?;
        Ok(self)
    }
}

/// Gap options from text, checked in the order the API has always reported them.
fn options(
    domain: Option<&str>,
    min_importance: Option<&str>,
    min_gap: Option<&str>,
    include: Option<&str>,
    source: Option<&str>,
) -> Result<GapOptions, AppError> {
    let include = params::parse_include(include.unwrap_or("").split(','))?;
    Ok(GapOptions {
        domains: DomainSelection::parse(domain)?,
        params: skillgap_core::gap::GapParams {
            min_importance: MIN_IMPORTANCE.parse_or_default(min_importance)?,
            min_gap: MIN_GAP.parse_or_default(min_gap)?,
        },
        surplus: include.surplus,
        technology: include.technology,
        source: params::parse_source(source)?,
    })
}

impl FromHttp for GapRequest {
    type Query = GapQuery;
    const HAS_CODE: bool = false;

    fn from_http(_: Option<&str>, q: GapQuery) -> Result<Self, AppError> {
        let q = q.exact()?;
        Ok(GapRequest {
            from: params::code_or_alias(
                "from",
                q.from.as_deref(),
                "from_occupation",
                q.from_occupation.as_deref(),
            )?,
            to: params::code_or_alias(
                "to",
                q.to.as_deref(),
                "to_occupation",
                q.to_occupation.as_deref(),
            )?,
            options: options(
                q.domain.as_deref(),
                q.min_importance.as_deref(),
                q.min_gap.as_deref(),
                q.include.as_deref(),
                q.source.as_deref(),
            )?,
        })
    }
}

/// Body of `POST /skill-gap`: a self-assessed profile against a target occupation.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessedGapRequest {
    /// Target occupation code.
    #[schema(schema_with = code_schema)]
    pub to: String,
    /// Your level (0–7, O*NET's level scale) per element id of the compared domains, e.g.
    /// {"2.A.1.a": 4.5}. Descriptors left out count as level 0.
    #[schema(schema_with = levels_schema)]
    pub levels: BTreeMap<String, f64>,
    /// `skills` (default), `knowledge`, … or `all`.
    #[schema(schema_with = nullable_domain_schema)]
    pub domain: Option<String>,
    /// Importance at or above which a descriptor is required (1–5, default 3).
    #[schema(schema_with = nullable_min_importance_schema)]
    pub min_importance: Option<f64>,
    /// Level difference a shortage must exceed (0–7, default 0).
    #[schema(schema_with = nullable_min_gap_schema)]
    pub min_gap: Option<f64>,
    /// Optional parts: `surplus`.
    #[serde(default)]
    #[schema(schema_with = include_items_schema)]
    pub include: Vec<String>,
    /// Ratings of the target to use: `onet` (default), `llm` or `best`.
    #[schema(schema_with = nullable_source_schema)]
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
        let include = params::parse_include(b.include.iter().map(String::as_str))?;
        let options = GapOptions::new(
            DomainSelection::parse(b.domain.as_deref())?,
            b.min_importance.unwrap_or(MIN_IMPORTANCE.default),
            b.min_gap.unwrap_or(MIN_GAP.default),
            include.surplus,
            params::parse_source(b.source.as_deref())?,
        )?
        .with_technology(include.technology);
        Ok(Self {
            to,
            levels: b.levels,
            options,
        })
    }
}

/// Query of `GET /occupations`.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words of a title or alternate title, or a code (or its start); blanks around are ignored.
    #[param(required = true, schema_with = words_schema)]
    pub q: Option<String>,
    /// Most results (1–100, default 20).
    #[param(schema_with = search_limit_schema)]
    pub limit: Option<String>,
}

impl FromHttp for SearchRequest {
    type Query = SearchQuery;
    const HAS_CODE: bool = false;

    fn from_http(_: Option<&str>, q: SearchQuery) -> Result<Self, AppError> {
        // The words are checked before the limit, as the API always has.
        let words = SearchRequest::new(q.q.as_deref().unwrap_or(""), SEARCH_LIMIT.default)?;
        let limit = SEARCH_LIMIT.parse_or_default(exact("limit", q.limit.as_deref())?)?;
        SearchRequest::new(&words.query, limit)
    }
}

/// No query parameters (any given are ignored, as they always were on this route).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct NoQuery {}

/// The `{code}` path segment, for the OpenAPI document.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct CodePath {
    /// O*NET-SOC code, NN-NNNN.NN.
    #[param(schema_with = code_schema)]
    pub code: String,
}

fn path_code(code: Option<&str>) -> Result<skillgap_core::SocCode, AppError> {
    let code = code.unwrap_or("");
    exact("code", Some(code))?;
    params::parse_code("code", code)
}

impl FromHttp for OccupationRequest {
    type Query = NoQuery;
    const HAS_CODE: bool = true;

    fn from_http(code: Option<&str>, _: NoQuery) -> Result<Self, AppError> {
        Ok(OccupationRequest {
            code: path_code(code)?,
        })
    }
}

/// Query of `GET /occupations/{code}/profile`.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProfileQuery {
    /// `skills` (default; also when blank), `knowledge`, … or `all`.
    #[param(schema_with = domain_schema)]
    pub domain: Option<String>,
    /// `onet` (default; also when blank), `llm` or `best`.
    #[param(schema_with = source_schema)]
    pub source: Option<String>,
}

impl FromHttp for ProfileRequest {
    type Query = ProfileQuery;
    const HAS_CODE: bool = true;

    fn from_http(code: Option<&str>, q: ProfileQuery) -> Result<Self, AppError> {
        let code = path_code(code)?;
        let source = params::parse_source(exact("source", q.source.as_deref())?)?;
        Ok(ProfileRequest {
            code,
            domains: DomainSelection::parse(exact("domain", q.domain.as_deref())?)?,
            source,
        })
    }
}

/// Query of `GET /occupations/{code}/transitions`.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TransitionsQuery {
    /// Most results (1–100, default 10).
    #[param(schema_with = transitions_limit_schema)]
    pub limit: Option<String>,
    /// `skills` (default; also when blank), `knowledge`, … or `all`.
    #[param(schema_with = domain_schema)]
    pub domain: Option<String>,
    /// Importance at or above which a descriptor is required (1–5, default 3).
    #[param(schema_with = min_importance_schema)]
    pub min_importance: Option<String>,
    /// Level difference a shortage must exceed (0–7, default 0).
    #[param(schema_with = min_gap_schema)]
    pub min_gap: Option<String>,
    /// `onet` (default; also when blank), `llm` or `best`.
    #[param(schema_with = source_schema)]
    pub source: Option<String>,
    /// Order: `relatedness` (default: titles, tasks, knowledge, skills and job zone, as O*NET's
    /// experts relate occupations), `similarity` (skill levels alone), `wage_gain` (wage ratio, highest first) or
    /// `effort_per_dollar` (weighted gap per dollar gained, among moves that pay more).
    #[param(schema_with = sort_schema)]
    pub sort: Option<String>,
    /// Keep only moves paying at least this ratio of today's median wage, e.g. 0.75.
    #[param(schema_with = min_wage_ratio_schema)]
    pub min_wage_ratio: Option<String>,
}

impl FromHttp for TransitionsRequest {
    type Query = TransitionsQuery;
    const HAS_CODE: bool = true;

    fn from_http(code: Option<&str>, q: TransitionsQuery) -> Result<Self, AppError> {
        let code = path_code(code)?;
        let options = options(
            exact("domain", q.domain.as_deref())?,
            exact("min_importance", q.min_importance.as_deref())?,
            exact("min_gap", q.min_gap.as_deref())?,
            None,
            exact("source", q.source.as_deref())?,
        )?;
        let limit = TRANSITIONS_LIMIT.parse_or_default(exact("limit", q.limit.as_deref())?)?;
        let sort = params::TransitionSort::parse(exact("sort", q.sort.as_deref())?)?;
        let min_wage_ratio =
            params::parse_min_wage_ratio(exact("min_wage_ratio", q.min_wage_ratio.as_deref())?)?;
        TransitionsRequest::new(code, options, limit)?.with_wages(sort, min_wage_ratio)
    }
}

/// Query of `GET /paths`.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PathsQuery {
    /// Source occupation code, NN-NNNN.NN.
    #[param(required = true, schema_with = code_schema)]
    pub from: Option<String>,
    /// Target occupation code, NN-NNNN.NN (not `from`).
    #[param(required = true, schema_with = code_schema)]
    pub to: Option<String>,
    /// Most steps per path (1–4, default 3).
    #[param(schema_with = max_steps_schema)]
    pub max_steps: Option<String>,
    /// How many paths (1–10, default 3).
    #[param(schema_with = paths_schema)]
    pub paths: Option<String>,
    /// `gap` (default: the path objective), `wage_gain` (the lowest wage on the way over today's,
    /// highest first) or `effort_per_dollar` (total weighted gap per dollar gained, when the
    /// target pays more); the last two need BLS wages.
    #[param(schema_with = path_sort_schema)]
    pub sort: Option<String>,
    /// Keep only paths on which every occupation reached pays at least this share of today's
    /// median wage (e.g. 0.9); needs BLS wages.
    #[param(schema_with = min_wage_ratio_schema)]
    pub min_wage_ratio: Option<String>,
    /// `skills` (default), `knowledge`, … or `all`: the domains of each step's gap.
    #[param(schema_with = domain_schema)]
    pub domain: Option<String>,
    /// Importance at or above which a descriptor is required (default 3).
    #[param(schema_with = min_importance_schema)]
    pub min_importance: Option<String>,
    /// Level difference a shortage must exceed (default 0).
    #[param(schema_with = min_gap_schema)]
    pub min_gap: Option<String>,
    /// `onet` (default), `llm` or `best`.
    #[param(schema_with = source_schema)]
    pub source: Option<String>,
}

impl FromHttp for PathRequest {
    type Query = PathsQuery;
    const HAS_CODE: bool = false;

    fn from_http(_: Option<&str>, q: PathsQuery) -> Result<Self, AppError> {
        let from = params::required_code("from", exact("from", q.from.as_deref())?)?;
        let to = params::required_code("to", exact("to", q.to.as_deref())?)?;
        let options = options(
            exact("domain", q.domain.as_deref())?,
            exact("min_importance", q.min_importance.as_deref())?,
            exact("min_gap", q.min_gap.as_deref())?,
            None,
            exact("source", q.source.as_deref())?,
        )?;
        let max_steps =
            MAX_STEPS_PARAM.parse_or_default(exact("max_steps", q.max_steps.as_deref())?)?;
        let paths = PATHS_PARAM.parse_or_default(exact("paths", q.paths.as_deref())?)?;
        let sort = params::PathSort::parse(exact("sort", q.sort.as_deref())?)?;
        let min_wage_ratio =
            params::parse_min_wage_ratio(exact("min_wage_ratio", q.min_wage_ratio.as_deref())?)?;
        PathRequest::new(from, to, max_steps, paths, options)?.with_wages(sort, min_wage_ratio)
    }
}

/// Body of `POST /transitions`: a self-assessed profile, answered with the occupations it is
/// closest to qualifying for. The same body as `POST /skill-gap`, without `to`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessedTransitionsBody {
    /// Your level (0–7, O*NET's level scale) per element id, e.g. {"2.A.1.a": 4.5}. Descriptors
    /// left out count as level 0.
    #[schema(schema_with = levels_schema)]
    pub levels: BTreeMap<String, serde_json::Value>,
    /// `skills` (default), `knowledge`, … or `all`.
    #[schema(schema_with = nullable_domain_schema)]
    pub domain: Option<String>,
    /// Importance at or above which a descriptor is required (default 3).
    #[schema(schema_with = nullable_min_importance_schema)]
    pub min_importance: Option<f64>,
    /// Level difference a shortage must exceed (default 0).
    #[schema(schema_with = nullable_min_gap_schema)]
    pub min_gap: Option<f64>,
    /// Ratings of the targets to use: `onet` (default), `llm` or `best`.
    #[schema(schema_with = nullable_source_schema)]
    pub source: Option<String>,
    /// Most results (1–100, default 10).
    #[schema(schema_with = nullable_transitions_limit_schema)]
    pub limit: Option<f64>,
}

impl TryFrom<AssessedTransitionsBody> for AssessedTransitionsRequest {
    type Error = AppError;

    fn try_from(b: AssessedTransitionsBody) -> Result<Self, AppError> {
        exact("domain", b.domain.as_deref())?;
        exact("source", b.source.as_deref())?;
        let options = GapOptions::new(
            DomainSelection::parse(b.domain.as_deref())?,
            b.min_importance.unwrap_or(MIN_IMPORTANCE.default),
            b.min_gap.unwrap_or(MIN_GAP.default),
            false,
            params::parse_source(b.source.as_deref())?,
        )?;
        let levels = b
            .levels
            .into_iter()
            .map(|(k, v)| (k, AssessedLevel::from(&v)))
            .collect();
        // JSON has one number type: 10 and 10.0 are the same whole number.
        let limit = match b.limit {
            None => TRANSITIONS_LIMIT.default,
            Some(n) if n.fract() == 0.0 && (1.0..=1e6).contains(&n) => n as usize,
            Some(n) => TRANSITIONS_LIMIT.parse_or_default(Some(&n.to_string()))?,
        };
        AssessedTransitionsRequest::new(levels, options, limit)
    }
}
