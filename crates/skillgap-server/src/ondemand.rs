//! Answering with occupations the store lacks: when an answer needs one (unknown, or without
//! O*NET ratings) and O*NET Web Services is configured, fetch it, reload the catalog and answer
//! again. Fetched rows older than the TTL are refreshed in the background while served.

use skillgap_core::SocCode;
use skillgap_fetch::FetchError;
use skillgap_onet::web::WebError;

use crate::problem::ApiError;
use crate::state::{AppState, Served};

/// Runs `answer` on the current catalog, fetching (at most once per code, at most two codes)
/// what it lacks.
pub async fn answer<T>(
    s: &AppState,
    answer: impl Fn(&Served) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let mut fetched: Vec<SocCode> = Vec::new();
    loop {
        let result = answer(&s.catalog());
        let Some(fetcher) = s.fetcher() else {
            return result;
        };
        let code = match &result {
            Err(ApiError::UnknownOccupation(c)) => c,
            Err(ApiError::NoRatings {
                code,
                onet_missing: true,
                ..
            }) => code,
            _ => return result,
        };
        let Ok(code) = SocCode::parse(code) else {
            return result;
        };
        if fetched.contains(&code) || fetched.len() >= 2 {
            return result.map_err(|e| after_fetch(e, code));
        }
        match fetcher.ensure(code).await {
            Ok(_) => {
                fetched.push(code);
                s.reload_if_changed().await?;
            }
            Err(e) => {
                return Err(fetch_failed(
                    e,
                    code,
                    result.err().expect("matched an error above"),
                ));
            }
        }
    }
}

/// Starts background refreshes for any of `codes` whose fetched rows are stale.
pub fn refresh_stale(s: &AppState, codes: impl IntoIterator<Item = SocCode>) {
    let Some(fetcher) = s.fetcher() else { return };
    for code in codes {
        let state = s.clone();
        fetcher.refresh_if_stale(code, move || async move {
            if let Err(e) = state.reload_if_changed().await {
                tracing::warn!(error = %e, "reloading the catalog after a refresh failed");
            }
        });
    }
}

/// Still no ratings after fetching: O*NET has none either, so only an LLM could fill it.
fn after_fetch(e: ApiError, code: SocCode) -> ApiError {
    match e {
        ApiError::NoRatings { .. } => ApiError::NoRatings {
            code: code.to_string(),
            detail: format!(
                "{code} has no O*NET ratings in the requested domain, in this store or at O*NET Web Services (fetched just now); LLM estimates could fill it (skillgap enrich --occupations {code}, then source=llm or source=best)"
            ),
            fillable_by: vec!["llm"],
            onet_missing: false,
        },
        other => other,
    }
}

fn fetch_failed(e: FetchError, code: SocCode, original: ApiError) -> ApiError {
    let detail = |what: &dyn std::fmt::Display| {
        format!(
            "{code} is not in this store, and fetching it from O*NET Web Services failed: {what}"
        )
    };
    match e {
        FetchError::NotFound(_) => match original {
            ApiError::UnknownOccupation(c) => ApiError::UnknownOccupation(c),
            other => other,
        },
        FetchError::Upstream(w @ WebError::Timeout(_)) => ApiError::Upstream {
            status: 504,
            detail: detail(&w),
        },
        FetchError::Upstream(w @ (WebError::RateLimited | WebError::Unauthorized(_))) => {
            ApiError::Upstream {
                status: 503,
                detail: detail(&w),
            }
        }
        FetchError::Upstream(w) => ApiError::Upstream {
            status: 502,
            detail: detail(&w),
        },
        FetchError::Store(m) => ApiError::Internal(m),
    }
}
