//! HTTP handlers: parse the request at the edge, ask [`crate::api`], answer JSON or a problem.

use axum::Json;
use axum::body::Body;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

use crate::api::{
    self, AssessedGapRequest, GapBody, GapQuery, NarrativeBody, OccupationBody, ProfileBody,
    ProfileQuery, SearchBody, SearchQuery, TransitionsBody, TransitionsQuery,
};
use crate::ondemand;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use skillgap_core::SocCode;

/// Query parameters deserialized strictly: an unknown or repeated parameter is a 400 naming it.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parse_query(parts.uri.query().unwrap_or("")).map(Query)
    }
}

/// Parses a query string strictly (unknown or repeated parameters are errors naming them).
pub fn parse_query<T: DeserializeOwned>(q: &str) -> Result<T, ApiError> {
    serde_urlencoded::from_str::<T>(q).map_err(|e| {
        let msg = e.to_string();
        let parameter = msg.split('`').nth(1).unwrap_or("query").to_owned();
        ApiError::InvalidParameter {
            detail: format!("invalid query string: {msg}"),
            parameter,
        }
    })
}

fn to_bytes<T: Serialize>(body: &T) -> Result<Bytes, ApiError> {
    serde_json::to_vec(body)
        .map(Bytes::from)
        .map_err(|e| ApiError::Internal(format!("serializing a response: {e}")))
}

fn json_bytes(body: Bytes) -> Response {
    let mut r = Body::from(body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
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

/// JSON with a body serialized once, straight into the response.
pub struct JsonOk<T>(pub T);

impl<T: Serialize> IntoResponse for JsonOk<T> {
    fn into_response(self) -> Response {
        match serde_json::to_vec(&self.0) {
            Ok(body) => {
                let mut r = body.into_response();
                r.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                );
                r
            }
            Err(e) => ApiError::Internal(format!("serializing a response: {e}")).into_response(),
        }
    }
}

/// What the target occupation requires that the source occupation lacks.
#[utoipa::path(
    get,
    path = "/skill-gap",
    tag = "skill gap",
    params(GapQuery),
    responses(
        (status = 200, description = "The gap, explained", body = GapBody),
        (status = 400, description = "Malformed code or bad parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown occupation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Known occupation without ratings in the domain", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_skill_gap(State(s): State<AppState>, uri: Uri) -> Result<Response, ApiError> {
    let query = uri.query().unwrap_or("");
    let key = format!("gap?{query}");
    let body = ondemand::answer(&s, |served| {
        served.answer(&key, |catalog| {
            let req = parse_query::<GapQuery>(query)?.parse()?;
            to_bytes(&api::skill_gap(catalog, &req)?)
        })
    })
    .await?;
    if s.fetcher().is_some()
        && let Ok(req) = parse_query::<GapQuery>(query).and_then(|q| q.parse())
    {
        ondemand::refresh_stale(&s, [req.from, req.to]);
    }
    Ok(json_bytes(body))
}

/// What the target occupation requires beyond a self-assessed profile (levels 0–7 per descriptor).
#[utoipa::path(
    post,
    path = "/skill-gap",
    tag = "skill gap",
    request_body = AssessedGapRequest,
    responses(
        (status = 200, description = "The gap, explained", body = GapBody),
        (status = 400, description = "Bad body or parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown occupation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Target without ratings in the domain", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn post_skill_gap(
    State(s): State<AppState>,
    JsonBody(req): JsonBody<AssessedGapRequest>,
) -> Result<JsonOk<GapBody>, ApiError> {
    Ok(JsonOk(
        ondemand::answer(&s, |c| api::assessed_gap(c, &req)).await?,
    ))
}

/// An LLM's explanation of the computed gap: the numbers come from the engine, the words from
/// the model. Cached by (from, to, domain, source, model, prompt version).
#[utoipa::path(
    get,
    path = "/skill-gap/narrative",
    tag = "skill gap",
    params(GapQuery),
    responses(
        (status = 200, description = "The gap in words", body = NarrativeBody),
        (status = 400, description = "Malformed code or bad parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown occupation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Occupation without ratings in the domain", body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "The LLM failed", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "No LLM configured", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn narrative(
    State(s): State<AppState>,
    Query(q): Query<GapQuery>,
) -> Result<JsonOk<NarrativeBody>, ApiError> {
    let req = q.parse()?;
    let gap = ondemand::answer(&s, |c| api::skill_gap(c, &req)).await?;
    let Some(client) = s.llm() else {
        return Err(ApiError::LlmUnavailable(
            "gap narratives need an LLM: set SKILLGAP_LLM_URL and SKILLGAP_LLM_MODEL (any OpenAI-compatible endpoint)".into(),
        ));
    };
    let key = skillgap_store::NarrativeKey {
        from: req.from,
        to: req.to,
        domain: gap.definition.domains.join("+"),
        source: gap.definition.source.clone(),
        model: client.model().to_owned(),
        prompt_version: skillgap_llm::NARRATIVE_PROMPT_VERSION.to_owned(),
    };
    if let Some(hit) = s.store().llm_narrative(&key).await? {
        return Ok(JsonOk(NarrativeBody::new(
            gap,
            &key.model,
            &key.prompt_version,
            hit.narrative,
            true,
            hit.created_at,
        )));
    }
    let facts = serde_json::to_value(&gap).map_err(|e| ApiError::Internal(e.to_string()))?;
    let prompt = skillgap_llm::narrative_prompt(&facts);
    let written = skillgap_llm::narrate(client, &prompt, 2)
        .await
        .map_err(|e| ApiError::LlmFailed(format!("the LLM could not explain this gap: {e}")))?;
    let stored = skillgap_store::StoredNarrative {
        narrative: written.text,
        created_at: skillgap_store::rfc3339(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0),
        ),
        prompt_hash: prompt.hash.clone(),
        total_tokens: written.usage.total_tokens,
    };
    s.store()
        .store_llm_narrative(&key, &stored, &written.raw)
        .await?;
    Ok(JsonOk(NarrativeBody::new(
        gap,
        &key.model,
        &key.prompt_version,
        stored.narrative,
        false,
        stored.created_at,
    )))
}

/// Occupations whose code, title or alternate titles match, best match first.
#[utoipa::path(
    get,
    path = "/occupations",
    tag = "occupations",
    params(SearchQuery),
    responses(
        (status = 200, description = "Matches", body = SearchBody),
        (status = 400, description = "Missing or bad parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn search(
    State(s): State<AppState>,
    Query(q): Query<SearchQuery>,
) -> Result<JsonOk<SearchBody>, ApiError> {
    Ok(JsonOk(api::search(&s.catalog(), &q)?))
}

/// One occupation: title, description, job zone, and which ratings it has.
#[utoipa::path(
    get,
    path = "/occupations/{code}",
    tag = "occupations",
    params(("code" = String, Path, description = "O*NET-SOC code, NN-NNNN.NN")),
    responses(
        (status = 200, description = "The occupation", body = OccupationBody),
        (status = 400, description = "Malformed code", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown occupation", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn occupation(
    State(s): State<AppState>,
    Path(code): Path<String>,
) -> Result<JsonOk<OccupationBody>, ApiError> {
    Ok(JsonOk(
        ondemand::answer(&s, |c| api::occupation_body(c, &code)).await?,
    ))
}

/// An occupation's importance and level for every descriptor of a domain.
#[utoipa::path(
    get,
    path = "/occupations/{code}/profile",
    tag = "occupations",
    params(("code" = String, Path, description = "O*NET-SOC code, NN-NNNN.NN"), ProfileQuery),
    responses(
        (status = 200, description = "The profile", body = ProfileBody),
        (status = 400, description = "Malformed code or bad parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown occupation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No ratings in the domain", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn profile(
    State(s): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<ProfileQuery>,
) -> Result<JsonOk<ProfileBody>, ApiError> {
    let body = ondemand::answer(&s, |c| api::profile_body(c, &code, &q)).await?;
    ondemand::refresh_stale(&s, SocCode::parse(&code).ok());
    Ok(JsonOk(body))
}

/// Occupations ranked by similarity to this one, with the size of the gap to each.
#[utoipa::path(
    get,
    path = "/occupations/{code}/transitions",
    tag = "occupations",
    params(("code" = String, Path, description = "O*NET-SOC code, NN-NNNN.NN"), TransitionsQuery),
    responses(
        (status = 200, description = "Ranked moves", body = TransitionsBody),
        (status = 400, description = "Malformed code or bad parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown occupation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No ratings in the domain", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn transitions(
    State(s): State<AppState>,
    Path(code): Path<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let query = uri.query().unwrap_or("");
    let key = format!("transitions/{code}?{query}");
    let body = ondemand::answer(&s, |served| {
        served.answer(&key, |catalog| {
            let q = parse_query::<TransitionsQuery>(query)?;
            to_bytes(&api::transitions_body(catalog, &code, &q)?)
        })
    })
    .await?;
    ondemand::refresh_stale(&s, SocCode::parse(&code).ok());
    Ok(json_bytes(body))
}

/// Liveness.
#[derive(Serialize, ToSchema)]
pub struct Health {
    /// Always `ok`.
    pub status: &'static str,
}

/// The process is alive.
#[utoipa::path(get, path = "/health", tag = "operations", responses((status = 200, body = Health)))]
pub async fn health() -> JsonOk<Health> {
    JsonOk(Health { status: "ok" })
}

/// Readiness.
#[derive(Serialize, ToSchema)]
pub struct Ready {
    /// `ready`.
    pub status: &'static str,
    /// O*NET release loaded.
    pub release: Option<String>,
    /// Occupations known.
    pub occupations: usize,
    /// Occupations with O*NET ratings, per domain.
    pub rated: std::collections::BTreeMap<String, usize>,
}

/// The store answers and data is loaded.
#[utoipa::path(
    get,
    path = "/ready",
    tag = "operations",
    responses(
        (status = 200, body = Ready),
        (status = 503, description = "Store unreachable or empty", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn ready(State(s): State<AppState>) -> Result<JsonOk<Ready>, ApiError> {
    if let Err(e) = s.store().ping().await {
        tracing::warn!(error = %e, "readiness: store unreachable");
        return Err(ApiError::NotReady("the store does not answer".into()));
    }
    let c = s.catalog();
    let rated: std::collections::BTreeMap<String, usize> = c
        .domains
        .iter()
        .map(|t| {
            (
                t.domain.to_string(),
                t.rated_count(skillgap_core::ProfileChoice::Onet),
            )
        })
        .collect();
    if rated.values().all(|n| *n == 0) {
        return Err(ApiError::NotReady(
            "no O*NET ratings are loaded; run skillgap load".into(),
        ));
    }
    Ok(JsonOk(Ready {
        status: "ready",
        release: c.release.clone(),
        occupations: c.occupations.len(),
        rated,
    }))
}

/// Prometheus metrics.
#[utoipa::path(get, path = "/metrics", tag = "operations", responses((status = 200, content_type = "text/plain", body = String)))]
pub async fn metrics(State(s): State<AppState>) -> Response {
    let mut r = s.metrics().render().into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
    );
    r
}

/// Any path that is not a route.
pub async fn not_found() -> ApiError {
    ApiError::NotFound
}

/// A route called with a method it does not have.
pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}
