//! What can go wrong when answering, as domain values: the HTTP API maps each variant to one
//! status and one problem body, the CLI prints its message.

use skillgap_core::{Domain, SocCode};

/// How O*NET Web Services failed while fetching an occupation the store lacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpstreamFailure {
    /// No answer in time.
    Timeout,
    /// Rate-limited, or the credentials were refused: a configuration or capacity problem.
    Unavailable,
    /// A malformed, truncated or invalid answer.
    BadAnswer,
}

/// Errors of the application layer.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A request parameter (query parameter, body field or command-line value) is missing or
    /// malformed.
    #[error("{detail}")]
    InvalidParameter {
        /// The parameter, as the request names it (`min_importance`, `levels.2.A.1.a`).
        parameter: String,
        /// What is wrong and what is expected.
        detail: String,
    },
    /// The code is well formed but no such occupation is known.
    #[error("no occupation with code {0}")]
    UnknownOccupation(SocCode),
    /// The occupation exists but has no ratings in the domain.
    #[error("{detail}")]
    NoRatings {
        /// The occupation.
        code: SocCode,
        /// The domain without ratings.
        domain: Domain,
        /// What is missing and what could fill it.
        detail: String,
        /// Sources that could provide the ratings.
        fillable_by: Vec<&'static str>,
        /// O*NET values are what is missing, so fetching from O*NET Web Services could help.
        onet_missing: bool,
    },
    /// The request needs data this store has not loaded (BLS wages for a wage order, say).
    #[error("{detail}")]
    DataNotLoaded {
        /// The parameter asking for it.
        parameter: String,
        /// What is missing and how to load it.
        detail: String,
    },
    /// No LLM is configured, for something that needs one.
    #[error("{0}")]
    LlmUnavailable(String),
    /// The LLM failed or kept answering unusably.
    #[error("{0}")]
    LlmFailed(String),
    /// O*NET Web Services failed while fetching an occupation the store lacks.
    #[error("{detail}")]
    Upstream {
        /// How it failed.
        failure: UpstreamFailure,
        /// What happened, without credentials.
        detail: String,
    },
    /// The store holds no data to answer from.
    #[error("{0}")]
    NotReady(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] skillgap_store::StoreError),
    /// Anything else (a bug); the cause is for logs, not for users.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// An invalid-parameter error.
    pub fn parameter(parameter: &str, detail: impl Into<String>) -> Self {
        AppError::InvalidParameter {
            parameter: parameter.to_owned(),
            detail: detail.into(),
        }
    }
}
