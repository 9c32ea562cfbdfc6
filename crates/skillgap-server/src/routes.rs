//! HTTP handlers: each extracts its typed request once, asks the application service, and
//! answers JSON or a problem. Each route is declared once, in its handler's `#[utoipa::path]`:
//! its method and path, its parameters, its answers and problem responses, and whether it is
//! open without a key (`security(())`). The router, the OpenAPI document, the metric labels and
//! the key check all read that declaration (see [`crate::app::api`]).

use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::Serialize;
use skillgap_app::AppError;
use skillgap_app::answer::assessed_transitions::{TargetsBody, assessed_transitions_body};
use skillgap_app::answer::gap::{self, GapBody};
use skillgap_app::answer::narrative::NarrativeBody;
use skillgap_app::answer::occupation::{OccupationBody, occupation_body};
use skillgap_app::answer::paths::{PathsBody, paths_body};
use skillgap_app::answer::profile::{ProfileBody, profile_body};
use skillgap_app::answer::programmes::{ProgrammesBody, programmes_body};
use skillgap_app::answer::search::{SearchBody, search_body};
use skillgap_app::answer::transitions::{TransitionsBody, transitions_body};
use skillgap_app::params::{
    AssessedTransitionsRequest, GapRequest, OccupationRequest, PathRequest, ProfileRequest,
    ProgrammesRequest, SearchRequest, TransitionsRequest,
};
use utoipa::ToSchema;

use crate::extract::{AssessedGapRequest, AssessedTransitionsBody, JsonBody, Params, Typed};
use crate::problem::{ApiError, Problem};
use crate::state::AppState;

/// The size of a route's last answer, so the next is serialized into a buffer about its size:
/// a 15 KB body written into an empty `Vec` went through five doubling reallocations, each copying
/// what was written so far (server CPU per uncached random pair: 38.5 µs before, 37.7 after).
struct BodySize(AtomicUsize);

impl BodySize {
    const fn new() -> Self {
        BodySize(AtomicUsize::new(0))
    }
}

static GAP_SIZE: BodySize = BodySize::new();
static TRANSITIONS_SIZE: BodySize = BodySize::new();
static PATHS_SIZE: BodySize = BodySize::new();

fn to_bytes<T: Serialize>(body: &T, size: &BodySize) -> Result<Bytes, AppError> {
    let last = size.0.load(Ordering::Relaxed);
    let mut buf = Vec::with_capacity(last + last / 8 + 256);
    serde_json::to_writer(&mut buf, body)
        .map_err(|e| AppError::Internal(format!("serializing a response: {e}")))?;
    size.0.store(buf.len(), Ordering::Relaxed);
    // The answer may be cached for long: it keeps no more than a quarter of spare room.
    if buf.capacity() - buf.len() > buf.len() / 4 + 256 {
        buf.shrink_to_fit();
    }
    Ok(Bytes::from(buf))
}

fn json_bytes(body: Bytes) -> Response {
    let mut r = Body::from(body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
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
    params(Params<GapRequest>),
    responses(
        (status = 200, description = "The gap, explained", body = GapBody),
        (status = 400, description = "Malformed code or bad parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown occupation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Known occupation without ratings in the domain", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_skill_gap(
    State(s): State<AppState>,
    Typed(request): Typed<GapRequest>,
) -> Result<Response, ApiError> {
    let service = s.service();
    let body = service
        .fetching(|snapshot| {
            snapshot.cached(&request, |s| {
                to_bytes(&gap::skill_gap(s, &request)?, &GAP_SIZE)
            })
        })
        .await?;
    service.refresh_stale([request.from, request.to]);
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
    JsonBody(body): JsonBody<AssessedGapRequest>,
) -> Result<JsonOk<GapBody>, ApiError> {
    let request = body.try_into()?;
    Ok(JsonOk(
        s.service()
            .fetching(|s| gap::assessed_gap(s, &request))
            .await?,
    ))
}

/// An LLM's explanation of the computed gap: the numbers come from the engine, the words from
/// the model. Cached by (from, to, domain, source, model, prompt version).
#[utoipa::path(
    get,
    path = "/skill-gap/narrative",
    tag = "skill gap",
    params(Params<GapRequest>),
    responses(
        (status = 200, description = "The gap in words", body = NarrativeBody),
        (status = 400, description = "Malformed code or bad parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown occupation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Occupation without ratings in the domain", body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "The LLM failed", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "No LLM configured; too many connections, or timed out", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn narrative(
    State(s): State<AppState>,
    Typed(request): Typed<GapRequest>,
) -> Result<JsonOk<NarrativeBody>, ApiError> {
    Ok(JsonOk(s.service().narrative(&request).await?))
}

/// Occupations for a code or a job title as people type it, best first: an exact code, code
/// prefix, exact title or exact alternate title first, then the job-title coder's ranking (BM25
/// over O*NET's titles, alternate, short and reported titles and labelled titles loaded with
/// `load-titles`, with tasks as weaker evidence; abbreviations, seniority words, text after a
/// dash or comma, typos and codes typed in handled). Each result carries a calibrated
/// `confidence` and the evidence it `matched`; `no_match` with the `nearest` titles when nothing
/// in the query is known.
#[utoipa::path(
    get,
    path = "/occupations",
    tag = "occupations",
    params(Params<SearchRequest>),
    responses(
        (status = 200, description = "Matches", body = SearchBody),
        (status = 400, description = "Missing or bad parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn search(
    State(s): State<AppState>,
    Typed(request): Typed<SearchRequest>,
) -> JsonOk<SearchBody> {
    JsonOk(search_body(&s.service().snapshot(), &request))
}

/// One occupation: title, description, job zone, and which ratings it has.
#[utoipa::path(
    get,
    path = "/occupations/{code}",
    tag = "occupations",
    params(Params<OccupationRequest>),
    responses(
        (status = 200, description = "The occupation", body = OccupationBody),
        (status = 400, description = "Malformed code", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown occupation", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn occupation(
    State(s): State<AppState>,
    Typed(request): Typed<OccupationRequest>,
) -> Result<JsonOk<OccupationBody>, ApiError> {
    Ok(JsonOk(
        s.service()
            .fetching(|s| occupation_body(s, &request))
            .await?,
    ))
}

/// An occupation's importance and level for every descriptor of a domain.
#[utoipa::path(
    get,
    path = "/occupations/{code}/profile",
    tag = "occupations",
    params(Params<ProfileRequest>),
    responses(
        (status = 200, description = "The profile", body = ProfileBody),
        (status = 400, description = "Malformed code or bad parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown occupation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No ratings in the domain", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn profile(
    State(s): State<AppState>,
    Typed(request): Typed<ProfileRequest>,
) -> Result<JsonOk<ProfileBody>, ApiError> {
    let service = s.service();
    let body = service.fetching(|s| profile_body(s, &request)).await?;
    service.refresh_stale([request.code]);
    Ok(JsonOk(body))
}

/// The instructional programmes (NCES CIP 2020) that prepare for an occupation, through the CIP
/// 2020 ↔ 2018 SOC crosswalk.
#[utoipa::path(
    get,
    path = "/programmes",
    tag = "occupations",
    params(Params<ProgrammesRequest>),
    responses(
        (status = 200, description = "The programmes", body = ProgrammesBody),
        (status = 400, description = "Malformed or missing code", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown occupation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No programmes loaded", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn programmes(
    State(s): State<AppState>,
    Typed(request): Typed<ProgrammesRequest>,
) -> Result<JsonOk<ProgrammesBody>, ApiError> {
    Ok(JsonOk(
        s.service()
            .fetching(|s| programmes_body(s, &request))
            .await?,
    ))
}

/// Occupations ranked by relatedness to this one (or by skill similarity with `sort=similarity`),
/// with why each is close and the size of the gap to each.
#[utoipa::path(
    get,
    path = "/occupations/{code}/transitions",
    tag = "occupations",
    params(Params<TransitionsRequest>),
    responses(
        (status = 200, description = "Ranked moves", body = TransitionsBody),
        (status = 400, description = "Malformed code or bad parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown occupation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No ratings in the domain, or a wage order or floor without BLS wages loaded", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn transitions(
    State(s): State<AppState>,
    Typed(request): Typed<TransitionsRequest>,
) -> Result<Response, ApiError> {
    let service = s.service();
    let body = service
        .fetching(|snapshot| {
            snapshot.cached(&request, |s| {
                to_bytes(&transitions_body(s, &request)?, &TRANSITIONS_SIZE)
            })
        })
        .await?;
    service.refresh_stale([request.code]);
    Ok(json_bytes(body))
}

/// Stepping-stone paths from one occupation to another: sequences of feasible moves (each to a
/// related occupation at most one job zone up), the best first under the documented objective,
/// each step with its gap; the direct move beside them.
#[utoipa::path(
    get,
    path = "/paths",
    tag = "occupations",
    params(Params<PathRequest>),
    responses(
        (status = 200, description = "The best paths, or which limit blocked them", body = PathsBody),
        (status = 400, description = "Malformed code, bad parameter, or from equal to to", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown occupation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No ratings in the domain, or a wage order or floor without BLS wages loaded", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn paths(
    State(s): State<AppState>,
    Typed(request): Typed<PathRequest>,
) -> Result<Response, ApiError> {
    let service = s.service();
    let body = service
        .fetching(|snapshot| {
            snapshot.cached(&request, |s| {
                to_bytes(&paths_body(s, &request)?, &PATHS_SIZE)
            })
        })
        .await?;
    service.refresh_stale([request.from, request.to]);
    Ok(json_bytes(body))
}

/// The occupations a self-assessed profile (levels 0–7 per descriptor) is closest to qualifying
/// for, smallest importance-weighted gap first.
#[utoipa::path(
    post,
    path = "/transitions",
    tag = "occupations",
    request_body = AssessedTransitionsBody,
    responses(
        (status = 200, description = "Targets, closest to qualifying first", body = TargetsBody),
        (status = 400, description = "Bad body, parameter or level (every bad level is named)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Pay asked for (sort=wage_gain or min_wage) and no BLS wages are loaded", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn post_transitions(
    State(s): State<AppState>,
    JsonBody(body): JsonBody<AssessedTransitionsBody>,
) -> Result<JsonOk<TargetsBody>, ApiError> {
    let request: AssessedTransitionsRequest = body.try_into()?;
    Ok(JsonOk(
        s.service()
            .fetching(|s| assessed_transitions_body(s, &request))
            .await?,
    ))
}

/// Liveness.
#[derive(Serialize, ToSchema)]
pub struct Health {
    /// Always `ok`.
    pub status: &'static str,
}

/// The process is alive.
#[utoipa::path(
    get,
    path = "/health",
    tag = "operations",
    security(()),
    responses((status = 200, body = Health))
)]
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
    security(()),
    responses(
        (status = 200, body = Ready),
        (status = 503, description = "Store unreachable or empty; too many connections, or timed out", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn ready(State(s): State<AppState>) -> Result<JsonOk<Ready>, ApiError> {
    if let Err(e) = s.service().store().ping().await {
        tracing::warn!(
            operation = "readiness check: ping the store",
            error = %e,
            "store unreachable; answering from memory, not ready"
        );
        return Err(ApiError::NotReady("the store does not answer".into()));
    }
    let snapshot = s.service().snapshot();
    let c = snapshot.catalog();
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
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "operations",
    responses((status = 200, description = "OpenMetrics text", content_type = "application/openmetrics-text", body = String))
)]
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
