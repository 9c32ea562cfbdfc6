//! Every error the API returns, each with one HTTP status and one RFC 9457
//! `application/problem+json` body. Internal causes are logged, never sent.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use skillgap_app::{AppError, UpstreamFailure};
use utoipa::ToSchema;

/// The media type of error bodies.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An RFC 9457 problem details body.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (`urn:skillgap:problem:…`).
    #[serde(rename = "type")]
    pub kind: String,
    /// A short, fixed summary of the kind.
    pub title: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong in this request, and what to do about it.
    pub detail: String,
    /// The query parameter at fault, for invalid-parameter problems.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    /// The occupation code concerned, when one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Sources that could provide the missing ratings (for 409 no-ratings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fillable_by: Option<Vec<&'static str>>,
}

/// Errors of the API: the application's, and those of HTTP itself.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// An error of the application layer (bad parameter, unknown occupation, no ratings, …).
    #[error(transparent)]
    App(#[from] AppError),
    /// The request body is not acceptable JSON.
    #[error("{0}")]
    InvalidBody(String),
    /// No API key, or an unknown one.
    #[error("missing or invalid API key")]
    Unauthorized,
    /// No such route.
    #[error("no such resource")]
    NotFound,
    /// The route exists but not with this method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The path or the query string is longer than allowed.
    #[error("URI too long")]
    UriTooLong {
        /// `path` or `query string`.
        part: &'static str,
        /// The limit in bytes.
        max: usize,
    },
    /// The request's header fields are larger than allowed.
    #[error("request header fields too large")]
    HeadersTooLarge(usize),
    /// The server is serving as many connections as it may.
    #[error("too many connections")]
    TooManyConnections(usize),
    /// The body is larger than allowed.
    #[error("request body too large")]
    PayloadTooLarge,
    /// The body is not JSON.
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// The request took longer than the configured timeout.
    #[error("request timed out")]
    Timeout(std::time::Duration),
    /// The store is unreachable or holds no data.
    #[error("{0}")]
    NotReady(String),
    /// Anything else; the cause is logged, not sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// An invalid-parameter error.
    pub fn parameter(parameter: &str, detail: impl Into<String>) -> Self {
        ApiError::App(AppError::parameter(parameter, detail))
    }

    /// The application's errors that are really internal or readiness problems, as such.
    fn normalized(&self) -> Option<ApiError> {
        match self {
            ApiError::App(AppError::Store(e)) => {
                Some(ApiError::Internal(format!("answering from the store: {e}")))
            }
            ApiError::App(AppError::Internal(m)) => Some(ApiError::Internal(m.clone())),
            ApiError::App(AppError::NotReady(m)) => Some(ApiError::NotReady(m.clone())),
            _ => None,
        }
    }

    /// The status this error maps to.
    pub fn status(&self) -> StatusCode {
        if let Some(e) = self.normalized() {
            return e.status();
        }
        match self {
            ApiError::App(e) => match e {
                AppError::InvalidParameter { .. } => StatusCode::BAD_REQUEST,
                AppError::UnknownOccupation(_) => StatusCode::NOT_FOUND,
                AppError::NoRatings { .. } | AppError::DataNotLoaded { .. } => StatusCode::CONFLICT,
                AppError::LlmUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
                AppError::LlmFailed(_) => StatusCode::BAD_GATEWAY,
                AppError::Upstream { failure, .. } => match failure {
                    UpstreamFailure::Timeout => StatusCode::GATEWAY_TIMEOUT,
                    UpstreamFailure::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
                    UpstreamFailure::BadAnswer => StatusCode::BAD_GATEWAY,
                },
                AppError::NotReady(_) | AppError::Store(_) | AppError::Internal(_) => {
                    unreachable!("normalized above")
                }
            },
            ApiError::InvalidBody(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::UriTooLong { .. } => StatusCode::URI_TOO_LONG,
            ApiError::HeadersTooLarge(_) => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Timeout(_) | ApiError::NotReady(_) | ApiError::TooManyConnections(_) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The problem body.
    pub fn problem(&self) -> Problem {
        if let Some(e) = self.normalized() {
            return e.problem();
        }
        let (slug, title) = match self {
            ApiError::App(e) => match e {
                AppError::InvalidParameter { .. } => ("invalid-parameter", "Invalid parameter"),
                AppError::UnknownOccupation(_) => ("unknown-occupation", "Unknown occupation"),
                AppError::NoRatings { .. } => ("no-ratings", "No ratings for this occupation"),
                AppError::DataNotLoaded { .. } => {
                    ("data-not-loaded", "The data this needs is not loaded")
                }
                AppError::LlmUnavailable(_) => ("llm-unavailable", "No LLM configured"),
                AppError::LlmFailed(_) => ("llm-failed", "The LLM failed"),
                AppError::Upstream { failure, .. } => match failure {
                    UpstreamFailure::Timeout => {
                        ("upstream-timeout", "O*NET Web Services did not answer")
                    }
                    UpstreamFailure::Unavailable => {
                        ("upstream-unavailable", "O*NET Web Services unavailable")
                    }
                    UpstreamFailure::BadAnswer => ("upstream-error", "O*NET Web Services failed"),
                },
                AppError::NotReady(_) | AppError::Store(_) | AppError::Internal(_) => {
                    unreachable!("normalized above")
                }
            },
            ApiError::InvalidBody(_) => ("invalid-body", "Invalid request body"),
            ApiError::Unauthorized => ("unauthorized", "Missing or invalid API key"),
            ApiError::NotFound => ("not-found", "Not found"),
            ApiError::MethodNotAllowed => ("method-not-allowed", "Method not allowed"),
            ApiError::UriTooLong { .. } => ("uri-too-long", "URI too long"),
            ApiError::HeadersTooLarge(_) => {
                ("headers-too-large", "Request header fields too large")
            }
            ApiError::TooManyConnections(_) => ("overloaded", "Too many connections"),
            ApiError::PayloadTooLarge => ("payload-too-large", "Request body too large"),
            ApiError::UnsupportedMediaType => ("unsupported-media-type", "Unsupported media type"),
            ApiError::Timeout(_) => ("timeout", "Request timed out"),
            ApiError::NotReady(_) => ("not-ready", "Service not ready"),
            ApiError::Internal(_) => ("internal", "Internal error"),
        };
        let detail = match self {
            ApiError::App(AppError::UnknownOccupation(code)) => format!(
                "no occupation with code {code} is known; search with GET /occupations?q=… to find a code"
            ),
            ApiError::Unauthorized => {
                "send a valid key in the X-API-Key header (keys are configured with SKILLGAP_API_KEYS)".into()
            }
            ApiError::NotFound => "no such resource; GET /docs lists the API".into(),
            ApiError::MethodNotAllowed => "this resource does not support the method; GET /docs lists the API".into(),
            ApiError::UriTooLong { part, max } => format!("the {part} is longer than {max} bytes"),
            ApiError::HeadersTooLarge(max) => format!("the header fields add up to more than {max} bytes"),
            ApiError::TooManyConnections(max) => format!("the server is serving its most connections ({max}); try again shortly"),
            ApiError::PayloadTooLarge => "the request body is larger than allowed".into(),
            ApiError::UnsupportedMediaType => "send the body as JSON with Content-Type: application/json".into(),
            ApiError::Timeout(t) => format!("the request took longer than {} s; try again", t.as_secs_f64()),
            ApiError::Internal(_) => "an internal error occurred; it has been logged".into(),
            other => other.to_string(),
        };
        Problem {
            kind: format!("urn:skillgap:problem:{slug}"),
            title,
            status: self.status().as_u16(),
            detail,
            parameter: match self {
                ApiError::App(
                    AppError::InvalidParameter { parameter, .. }
                    | AppError::DataNotLoaded { parameter, .. },
                ) => Some(parameter.clone()),
                _ => None,
            },
            code: match self {
                ApiError::App(
                    AppError::UnknownOccupation(c) | AppError::NoRatings { code: c, .. },
                ) => Some(c.to_string()),
                _ => None,
            },
            fillable_by: match self {
                ApiError::App(AppError::NoRatings { fillable_by, .. }) => Some(fillable_by.clone()),
                _ => None,
            },
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let this = self.normalized().unwrap_or(self);
        if let ApiError::Internal(cause) = &this {
            tracing::error!(%cause, "internal error");
        }
        let status = this.status();
        let body = serde_json::to_vec(&this.problem()).unwrap_or_default();
        let mut response = (status, body).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if matches!(this, ApiError::Unauthorized) {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("X-API-Key"),
            );
        }
        if matches!(
            this,
            ApiError::Timeout(_)
                | ApiError::NotReady(_)
                | ApiError::TooManyConnections(_)
                | ApiError::App(AppError::Upstream {
                    failure: UpstreamFailure::Unavailable,
                    ..
                })
        ) {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

impl From<skillgap_store::StoreError> for ApiError {
    fn from(e: skillgap_store::StoreError) -> Self {
        ApiError::App(AppError::Store(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_details_never_reach_the_body() {
        let p = ApiError::Internal("password=hunter2 at db".into()).problem();
        assert_eq!(p.status, 500);
        assert!(!p.detail.contains("hunter2"));
    }

    #[test]
    fn every_kind_has_its_status() {
        assert_eq!(
            ApiError::parameter("from", "x").status(),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            ApiError::from(AppError::UnknownOccupation(
                skillgap_core::SocCode::parse("11-1011.00").unwrap()
            ))
            .status(),
            StatusCode::NOT_FOUND
        );
        let nr = ApiError::from(AppError::NoRatings {
            code: skillgap_core::SocCode::parse("11-1011.00").unwrap(),
            domain: skillgap_core::Domain::Skills,
            detail: "d".into(),
            fillable_by: vec!["llm"],
            onet_missing: true,
        });
        assert_eq!(nr.status(), StatusCode::CONFLICT);
        assert_eq!(nr.problem().fillable_by, Some(vec!["llm"]));
        assert_eq!(ApiError::Unauthorized.status(), StatusCode::UNAUTHORIZED);
    }
}
