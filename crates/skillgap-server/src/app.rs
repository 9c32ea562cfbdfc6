//! Building and running the server: the router with its middleware, and a value that owns the
//! listener so `main` and the tests start exactly the same thing (on port 0 in tests).

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::Poll;
use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use skillgap_store::{Store, StoreError};
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use skillgap_app::{Service, Settings};

use crate::openapi::{self, ApiDoc};
use crate::problem::ApiError;
use crate::routes as handlers;
use crate::state::AppState;

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

/// Longest path accepted; every real path is far shorter (codes are ten characters).
pub const MAX_PATH_BYTES: usize = 1024;

/// Most bytes of header fields (names and values) accepted; browsers send a few hundred.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;

/// Query parameters whose values are secrets sent in the wrong place (a key belongs in
/// `X-API-Key`): any name containing one of these is logged with its value as `***`.
const SECRET_PARAMETERS: [&str; 5] = ["key", "token", "secret", "pass", "auth"];

/// The request target as logged: the values of secret-looking query parameters replaced.
/// Written straight into the log line, so logging a request builds no string of its own.
struct LoggedUri<'a>(&'a axum::http::Uri);

impl std::fmt::Display for LoggedUri<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.path())?;
        let Some(query) = self.0.query() else {
            return Ok(());
        };
        f.write_str("?")?;
        for (i, p) in query.split('&').enumerate() {
            if i > 0 {
                f.write_str("&")?;
            }
            match p.split_once('=') {
                Some((name, _)) if secret_parameter(name) => {
                    f.write_str(name)?;
                    f.write_str("=***")?;
                }
                _ => f.write_str(p)?,
            }
        }
        Ok(())
    }
}

/// Whether a query parameter's name (as sent, maybe percent-encoded) looks like a secret's.
fn secret_parameter(name: &str) -> bool {
    let contains = |name: &[u8]| {
        SECRET_PARAMETERS.iter().any(|s| {
            name.windows(s.len())
                .any(|w| w.eq_ignore_ascii_case(s.as_bytes()))
        })
    };
    if name.bytes().any(|b| b == b'%' || b == b'+') {
        // Rare: only an encoded name costs a decoded copy.
        contains(percent_decoded(name).as_bytes())
    } else {
        contains(name.as_bytes())
    }
}

/// `%XX` escapes and `+` decoded, so `api%5Fkey` is recognised; invalid escapes stay as they are.
fn percent_decoded(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match b[i] {
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether the declared body is larger than allowed, so it can be refused before it is read.
fn declared_too_large(req: &Request, max: usize) -> bool {
    req.headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .is_some_and(|n| n > max as u64)
}

/// The API's routes, each declared once in its handler's `#[utoipa::path]` (method, path,
/// parameters, answers and problems, openness): adding a route is its handler and one line here.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(handlers::get_skill_gap, handlers::post_skill_gap))
        .routes(routes!(handlers::narrative))
        .routes(routes!(handlers::search))
        .routes(routes!(handlers::occupation))
        .routes(routes!(handlers::profile))
        .routes(routes!(handlers::transitions))
        .routes(routes!(handlers::post_transitions))
        .routes(routes!(handlers::paths))
        .routes(routes!(handlers::programmes))
        .routes(routes!(handlers::health))
        .routes(routes!(handlers::ready))
        .routes(routes!(handlers::metrics))
}

/// The document and its readable page, served beside the API and not described by it; open.
const DOCS_PATHS: [&str; 2] = ["/openapi.json", "/docs"];

/// Every route's path as a static label (metrics), and those open without a key; made once per
/// process from the routes' declarations.
struct RouteTable {
    labels: Vec<&'static str>,
    open: Vec<&'static str>,
}

fn route_table() -> &'static RouteTable {
    static TABLE: std::sync::OnceLock<RouteTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let declared = api().into_openapi();
        // Leaked once per process: metric labels must be `'static` so recording allocates nothing.
        let label = |p: String| -> &'static str { Box::leak(p.into_boxed_str()) };
        let undeclared = DOCS_PATHS.into_iter().chain(crate::web::PATHS);
        let mut open: Vec<&'static str> = openapi::open_paths(&declared)
            .into_iter()
            .map(label)
            .collect();
        open.extend(undeclared.clone());
        let mut labels: Vec<&'static str> = declared.paths.paths.into_keys().map(label).collect();
        labels.extend(undeclared);
        RouteTable { labels, open }
    })
}

/// What the edge middleware needs, shared by every request.
struct Edge {
    state: AppState,
    next_id: AtomicU64,
    routes: &'static RouteTable,
}

/// The route pattern of a matched path, as a static label; `unmatched` for anything else.
fn route_label(routes: &RouteTable, req: &Request) -> &'static str {
    req.extensions()
        .get::<MatchedPath>()
        .and_then(|p| routes.labels.iter().copied().find(|r| *r == p.as_str()))
        .unwrap_or("unmatched")
}

fn method_label(m: &Method) -> &'static str {
    match *m {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::HEAD => "HEAD",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        Method::PATCH => "PATCH",
        _ => "OTHER",
    }
}

/// The edge as a layer: [`edge_run`] around the rest of the stack. Hand-written rather than
/// `middleware::from_fn`, which per request clones the stack into a boxed `Next` and boxes its
/// future again: three allocations and a clone where this makes one allocation.
#[derive(Clone)]
struct EdgeLayer(Arc<Edge>);

impl<S> tower::Layer<S> for EdgeLayer {
    type Service = EdgeService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        EdgeService {
            inner,
            edge: self.0.clone(),
        }
    }
}

/// A service with the edge around it.
#[derive(Clone)]
struct EdgeService<S> {
    inner: S,
    edge: Arc<Edge>,
}

impl<S> tower::Service<Request> for EdgeService<S>
where
    S: tower::Service<Request, Error = std::convert::Infallible> + Clone + Send + 'static,
    S::Response: IntoResponse,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = std::convert::Infallible;
    type Future = std::pin::Pin<
        Box<dyn Future<Output = Result<Response, std::convert::Infallible>> + Send + 'static>,
    >;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> Poll<Result<(), std::convert::Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        // The service that was polled ready answers; a clone stays for the next request.
        let clone = self.inner.clone();
        let ready = std::mem::replace(&mut self.inner, clone);
        let edge = self.edge.clone();
        Box::pin(async move { Ok(edge_run(&edge, req, ready).await) })
    }
}

/// Everything that happens around a handler, in one layer so a request pays for one boxed
/// future: the query-size limit, the API key, the timeout, a request id (the caller's
/// `x-request-id` or a fresh one), metrics, and one log line.
async fn edge_run<S>(edge: &Edge, req: Request, mut inner: S) -> Response
where
    S: tower::Service<Request, Error = std::convert::Infallible>,
    S::Response: IntoResponse,
{
    let started = Instant::now();
    let method = method_label(req.method());
    let route = route_label(edge.routes, &req);
    let config = edge.state.config();
    // A cheap clone (shared bytes), kept for the log line since the handler consumes the request.
    let uri = req.uri().clone();
    let header_bytes: usize = req
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    let id = match req.headers().get(&REQUEST_ID) {
        Some(v) if v.len() <= 64 => v.clone(),
        _ => HeaderValue::from(edge.next_id.fetch_add(1, Ordering::Relaxed)),
    };
    let keys = &config.api_keys;
    let open = edge.routes.open.contains(&route);
    // Limits first: they cost nothing to check and refuse a request without reading any of it.
    let mut response = if req.uri().path().len() > MAX_PATH_BYTES {
        ApiError::UriTooLong {
            part: "path",
            max: MAX_PATH_BYTES,
        }
        .into_response()
    } else if req
        .uri()
        .query()
        .is_some_and(|q| q.len() > config.max_query_bytes)
    {
        ApiError::UriTooLong {
            part: "query string",
            max: config.max_query_bytes,
        }
        .into_response()
    } else if header_bytes > MAX_HEADER_BYTES {
        ApiError::HeadersTooLarge(MAX_HEADER_BYTES).into_response()
    } else if declared_too_large(&req, config.max_body_bytes) {
        ApiError::PayloadTooLarge.into_response()
    } else if keys.enabled()
        && !open
        && !keys.accepts(
            req.headers()
                .get("x-api-key")
                .map(|v| v.as_bytes())
                .unwrap_or_default(),
        )
    {
        ApiError::Unauthorized.into_response()
    } else {
        // Most answers (every cached one) are ready at the first poll; only one that is not
        // gets a timer, with the deadline counted from the request's start. A timer per request
        // cost ~4% of a cached answer's time, and no timer could interrupt work done within one
        // poll anyway.
        let call = inner.call(req);
        let mut answer = std::pin::pin!(async move {
            match call.await {
                Ok(r) => r.into_response(),
                Err(never) => match never {},
            }
        });
        let first = std::future::poll_fn(|cx| Poll::Ready(answer.as_mut().poll(cx))).await;
        match first {
            Poll::Ready(r) => r,
            Poll::Pending => {
                // Settings bound the timeout; a deadline past the clock's range is no deadline.
                match tokio::time::Instant::from_std(started).checked_add(config.request_timeout) {
                    None => answer.await,
                    Some(deadline) => match tokio::time::timeout_at(deadline, answer).await {
                        Ok(r) => r,
                        Err(_) => ApiError::Timeout(config.request_timeout).into_response(),
                    },
                }
            }
        }
    };
    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    edge.state
        .metrics()
        .record(method, route, status, elapsed.as_secs_f64());
    tracing::info!(
        target: "skillgap::request",
        method,
        route,
        uri = %LoggedUri(&uri),
        status,
        latency_us = elapsed.as_micros() as u64,
        request_id = ?id,
    );
    response.headers_mut().insert(REQUEST_ID, id);
    response
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::Internal("a handler panicked".into()).into_response()
}

/// The whole API as a router, for handler tests without a socket.
pub fn router(state: AppState) -> Router {
    let (api, declared) = api().split_for_parts();
    // The document follows the store as it was at start (a later load of another domain shows
    // after a restart); the answers themselves follow every change.
    let loaded = openapi::Loaded::of(state.service().snapshot().catalog());
    let secured = state.config().api_keys.enabled();
    let spec = openapi::json(&declared, secured, &loaded);
    let docs = Html(openapi::docs_html(&spec));
    let config = state.config().clone();
    let edge_state = Arc::new(Edge {
        state: state.clone(),
        next_id: AtomicU64::new(1),
        routes: route_table(),
    });
    api.route(
        DOCS_PATHS[0],
        get(move || async move { ([(header::CONTENT_TYPE, "application/json")], spec) }),
    )
    .route(DOCS_PATHS[1], get(move || async move { docs }))
    .merge(crate::web::routes())
    .fallback(handlers::not_found)
    .method_not_allowed_fallback(handlers::method_not_allowed)
    // One stack in one `layer` call: each call wraps every route in another boxed service,
    // which axum clones per request.
    .layer(
        tower::ServiceBuilder::new()
            .layer(EdgeLayer(edge_state))
            // Inside the edge, so a panicking handler still gets its log line and metric.
            .layer(CatchPanicLayer::custom(panic_response))
            .layer(axum::extract::DefaultBodyLimit::max(config.max_body_bytes)),
    )
    .with_state(state)
}

/// A built server: store opened, catalog in memory, address bound.
pub struct App {
    listener: TcpListener,
    state: AppState,
}

impl App {
    /// Opens the store, loads the catalog and binds the address (port 0 picks a free port).
    pub async fn build(config: Settings) -> Result<Self, StartError> {
        let store = Store::connect(&config.database_url).await?;
        Self::with_store(store, config).await
    }

    /// As [`App::build`] with an already opened store.
    pub async fn with_store(store: Store, config: Settings) -> Result<Self, StartError> {
        let url = store.url().to_owned();
        let service = Service::open(store, &config, None).await?;
        {
            let snapshot = service.snapshot();
            let catalog = snapshot.catalog();
            if catalog.release.is_none() && catalog.occupations.is_empty() {
                return Err(StartError::Empty(url));
            }
        }
        let listener = TcpListener::bind(config.bind)
            .await
            .map_err(|source| StartError::Bind {
                addr: config.bind,
                source,
            })?;
        service.warm_in_background();
        let state = AppState::new(service, config);
        Ok(Self { listener, state })
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
                    match state.service().reload_if_changed().await {
                        Ok(true) => tracing::info!("store changed; catalog reloaded"),
                        Ok(false) => {}
                        Err(e) => {
                            tracing::warn!(
                                operation = "reload: check the store for changes",
                                error = %e,
                                "store unreachable; serving the catalog in memory"
                            )
                        }
                    }
                }
            })
        });
        let config = self.state.config();
        let limits = crate::conn::Limits {
            max_connections: config.max_connections,
            header_timeout: config.header_timeout,
            keepalive_timeout: config.keepalive_timeout,
            max_head_bytes: crate::conn::HYPER_MAX_HEAD_BYTES
                .max(config.max_query_bytes + MAX_PATH_BYTES + MAX_HEADER_BYTES + 1024),
        };
        let result =
            crate::conn::serve(self.listener, router(self.state.clone()), limits, shutdown).await;
        if let Some(r) = reloader {
            r.abort();
        }
        self.state.service().store().close().await;
        result
    }
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM. The handlers are installed when this is called,
/// not when the future is first polled: call it before the server says it is listening, so that
/// a signal sent as soon as it answers (a supervisor stopping it at once) shuts it down
/// gracefully instead of killing it by the signal's default action.
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let (interrupt, terminate) = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::interrupt()).ok(),
            signal(SignalKind::terminate()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let wait = |s: Option<tokio::signal::unix::Signal>| async move {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = wait(interrupt) => {},
                _ = wait(terminate) => {},
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        tracing::info!("shutting down: finishing requests in flight");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use std::time::Duration;
    use tower::ServiceExt;

    fn logged(target: &str) -> String {
        LoggedUri(&target.parse().unwrap()).to_string()
    }

    #[test]
    fn secret_values_are_masked_in_the_logged_target_and_nothing_else_changes() {
        assert_eq!(logged("/skill-gap"), "/skill-gap");
        assert_eq!(
            logged("/skill-gap?from=15-1254.00&to=11-3021.00"),
            "/skill-gap?from=15-1254.00&to=11-3021.00"
        );
        assert_eq!(
            logged("/occupations?q=web&Api_Key=abc&x&TOKEN=&password=p"),
            "/occupations?q=web&Api_Key=***&x&TOKEN=***&password=***"
        );
        // Encoded names are decoded before the check, and kept as sent.
        assert_eq!(
            logged("/occupations?api%5Fkey=abc&q=a+b&my+secret=s"),
            "/occupations?api%5Fkey=***&q=a+b&my+secret=***"
        );
        // A value that merely looks secret is not a name.
        assert_eq!(logged("/occupations?q=token"), "/occupations?q=token");
    }

    #[tokio::test]
    async fn a_slow_request_gets_a_503_problem_not_a_hang() {
        let config = Settings {
            request_timeout: Duration::from_millis(50),
            ..Settings::default()
        };
        let store = skillgap_store::Store::connect("sqlite::memory:")
            .await
            .unwrap();
        let catalog = skillgap_core::Catalog::build(None, &Default::default(), &Default::default());
        let service = Service::new(store, catalog, Default::default(), None, None);
        let state = AppState::new(service, config);
        let edge_state = Arc::new(Edge {
            state,
            next_id: AtomicU64::new(1),
            routes: route_table(),
        });
        let app: Router = Router::new()
            .route(
                "/slow",
                get(|| async {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    "late"
                }),
            )
            .layer(EdgeLayer(edge_state));
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
        assert!(res.headers().contains_key("x-request-id"));
        let body = axum::body::to_bytes(res.into_body(), 1 << 16)
            .await
            .unwrap();
        let p: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(p["type"], "urn:skillgap:problem:timeout");
        assert!(p["detail"].as_str().unwrap().contains("longer than 0.05 s"));
    }
}
