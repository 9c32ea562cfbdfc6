//! Building and running the server: the router with its middleware, and a value that owns the
//! listener so `main` and the tests start exactly the same thing (on port 0 in tests).

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use skillgap_store::{Store, StoreError};
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::config::Config;
use crate::problem::ApiError;
use crate::routes;
use crate::state::{AppState, load_catalog};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The store could not be opened.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The store holds no O*NET release.
    #[error(
        "the store at {0} holds no O*NET release; load one first with `skillgap load --onet-dir DIR` (or pass --onet-dir to serve)"
    )]
    Empty(String),
    /// The address could not be bound.
    #[error("cannot listen on {addr}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

#[derive(Clone, Default)]
struct Counter(Arc<AtomicU64>);

impl MakeRequestId for Counter {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self.0.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{n:x}"))
            .ok()
            .map(RequestId::new)
    }
}

async fn require_key(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let keys = &state.config().api_keys;
    let open = matches!(req.uri().path(), "/health" | "/ready");
    if keys.enabled() && !open {
        let given = req
            .headers()
            .get("x-api-key")
            .map(|v| v.as_bytes())
            .unwrap_or_default();
        if !keys.accepts(given) {
            return ApiError::Unauthorized.into_response();
        }
    }
    next.run(req).await
}

async fn limit_query(State(max): State<usize>, req: Request, next: Next) -> Response {
    if req.uri().query().is_some_and(|q| q.len() > max) {
        return ApiError::UriTooLong(max).into_response();
    }
    next.run(req).await
}

async fn timeout(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(r) => r,
        Err(_) => ApiError::Timeout(limit).into_response(),
    }
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::Internal("a handler panicked".into()).into_response()
}

/// The whole API as a router, for handler tests without a socket.
pub fn router(state: AppState) -> Router {
    let docs = Html(crate::openapi::docs_html());
    let spec = crate::openapi::json();
    let config = state.config().clone();
    let metrics = state.metrics().clone();
    Router::new()
        .route(
            "/skill-gap",
            get(routes::get_skill_gap).post(routes::post_skill_gap),
        )
        .route("/occupations", get(routes::search))
        .route("/occupations/{code}", get(routes::occupation))
        .route("/occupations/{code}/profile", get(routes::profile))
        .route("/occupations/{code}/transitions", get(routes::transitions))
        .route("/health", get(routes::health))
        .route("/ready", get(routes::ready))
        .route("/metrics", get(routes::metrics))
        .route(
            "/openapi.json",
            get(move || async move { ([(header::CONTENT_TYPE, "application/json")], spec) }),
        )
        .route("/docs", get(move || async move { docs }))
        .fallback(routes::not_found)
        .method_not_allowed_fallback(routes::method_not_allowed)
        // Innermost first: the timeout covers handlers only; auth runs before any work.
        .layer(middleware::from_fn_with_state(
            config.request_timeout,
            timeout,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(config.max_body_bytes))
        .layer(middleware::from_fn_with_state(state.clone(), require_key))
        .layer(middleware::from_fn_with_state(
            config.max_query_bytes,
            limit_query,
        ))
        .layer(middleware::from_fn_with_state(
            metrics,
            crate::metrics::record,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, Counter::default()))
        .layer(CatchPanicLayer::custom(panic_response))
        .with_state(state)
}

/// A built server: store opened, catalog in memory, address bound.
pub struct App {
    listener: TcpListener,
    state: AppState,
}

impl App {
    /// Opens the store, loads the catalog and binds the address (port 0 picks a free port).
    pub async fn build(config: Config) -> Result<Self, StartError> {
        let store = Store::connect(&config.database_url).await?;
        Self::with_store(store, config).await
    }

    /// As [`App::build`] with an already opened store.
    pub async fn with_store(store: Store, config: Config) -> Result<Self, StartError> {
        let (catalog, version) = load_catalog(&store).await?;
        if catalog.release.is_none() && catalog.occupations.is_empty() {
            return Err(StartError::Empty(store.url().to_owned()));
        }
        let listener = TcpListener::bind(config.bind)
            .await
            .map_err(|source| StartError::Bind {
                addr: config.bind,
                source,
            })?;
        Ok(Self {
            listener,
            state: AppState::new(store, catalog, version, config),
        })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or(self.state.config().bind)
    }

    /// The shared state (for callers that change the store and want the catalog reloaded).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then finishes in-flight requests and returns.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let reloader = self.state.config().reload_interval.map(|every| {
            let state = self.state.clone();
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(every);
                tick.tick().await;
                loop {
                    tick.tick().await;
                    match state.reload_if_changed().await {
                        Ok(true) => tracing::info!("store changed; catalog reloaded"),
                        Ok(false) => {}
                        Err(e) => {
                            tracing::warn!(error = %e, "checking the store for changes failed")
                        }
                    }
                }
            })
        });
        let result = axum::serve(self.listener, router(self.state.clone()))
            .with_graceful_shutdown(shutdown)
            .await;
        if let Some(r) = reloader {
            r.abort();
        }
        self.state.store().close().await;
        result
    }
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use tower::ServiceExt;

    #[tokio::test]
    async fn a_slow_request_gets_a_503_problem_not_a_hang() {
        let app = Router::new()
            .route(
                "/slow",
                get(|| async {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    "late"
                }),
            )
            .layer(middleware::from_fn_with_state(
                Duration::from_millis(50),
                timeout,
            ));
        let started = std::time::Instant::now();
        let res = app
            .oneshot(
                axum::http::Request::get("/slow")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(res.status(), 503);
        assert_eq!(res.headers()["content-type"], "application/problem+json");
        let body = axum::body::to_bytes(res.into_body(), 1 << 16)
            .await
            .unwrap();
        let p: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(p["type"], "urn:skillgap:problem:timeout");
        assert!(p["detail"].as_str().unwrap().contains("longer than 0.05 s"));
    }
}
