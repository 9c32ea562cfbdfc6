//! On-demand O*NET Web Services fetching for occupations the store lacks (or has without
//! ratings): fetch, validate, store with provenance in one transaction, and say so.
//!
//! Concurrent requests for one code share one upstream fetch (single-flight); a code O*NET does
//! not know is remembered for a while (negative cache); fetched rows older than the TTL are
//! refreshed in the background while the stale copy keeps being served. The fetch itself runs as
//! a task of its own, so a caller that gives up (a timed-out request) does not cancel it.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use skillgap_core::{Domain, SocCode};
use skillgap_onet::Reference;
use skillgap_onet::web::{OnetClient, WebConfig, WebConfigError, WebError};
use skillgap_store::Store;
use tokio::sync::OnceCell;

/// How long fetched rows are fresh when `SKILLGAP_ONET_TTL` is not set: 30 days.
pub const DEFAULT_TTL: Duration = Duration::from_secs(30 * 24 * 3600);

/// How long a code O*NET does not know is remembered.
pub const NEGATIVE_TTL: Duration = Duration::from_secs(10 * 60);

/// What one fetch did.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct FetchOutcome {
    /// The occupation.
    pub code: String,
    /// Its title.
    pub title: String,
    /// Rating rows stored.
    pub ratings: usize,
    /// Domains O*NET has no ratings for.
    pub unrated: Vec<String>,
    /// HTTP requests made.
    pub requests: u32,
    /// `onet-api-v2` or `onet-api-v1.9`.
    pub provenance: &'static str,
    /// Wall time.
    #[serde(serialize_with = "seconds")]
    pub elapsed: Duration,
}

fn seconds<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

/// Why an occupation could not be fetched. Clone, because every waiter of a shared fetch gets it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// O*NET does not know the code (remembered for [`NEGATIVE_TTL`]).
    #[error("O*NET Web Services does not know occupation {0} either")]
    NotFound(String),
    /// The web service failed or answered unusably.
    #[error(transparent)]
    Upstream(#[from] WebError),
    /// The store could not read its reference data or write the rows; nothing was written.
    #[error("storing the fetched occupation failed: {0}")]
    Store(String),
}

type Shared = Arc<OnceCell<Result<FetchOutcome, FetchError>>>;

/// The on-demand fetcher. Cheap to share (`Arc`).
pub struct Fetcher {
    client: OnetClient,
    store: Store,
    ttl: Duration,
    inflight: Mutex<HashMap<SocCode, Shared>>,
    unknown: Mutex<HashMap<SocCode, Instant>>,
    fetched: Mutex<HashMap<SocCode, i64>>,
    refreshing: Mutex<HashSet<SocCode>>,
}

fn now_epoch() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Reads `SKILLGAP_ONET_TTL` (seconds; default 30 days).
pub fn ttl_from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Duration, WebConfigError> {
    match get("SKILLGAP_ONET_TTL").filter(|v| !v.trim().is_empty()) {
        None => Ok(DEFAULT_TTL),
        Some(v) => match v.trim().parse::<f64>() {
            // At most ten years: a Duration cannot hold an astronomical number.
            Ok(s) if s.is_finite() && (0.0..=3.2e8).contains(&s) => Ok(Duration::from_secs_f64(s)),
            _ => Err(WebConfigError {
                variable: "SKILLGAP_ONET_TTL",
                message: format!("expected seconds from 0 to 3.2e8 (ten years), got `{v}`"),
            }),
        },
    }
}

impl Fetcher {
    /// A fetcher with this client configuration.
    pub async fn new(config: WebConfig, ttl: Duration, store: Store) -> Arc<Self> {
        let client = OnetClient::new(config).expect("an HTTP client with rustls always builds");
        let fetched = match store.api_fetches().await {
            Ok(list) => list
                .into_iter()
                .filter_map(|f| SocCode::parse(&f.code).ok().map(|c| (c, f.fetched_epoch)))
                .collect(),
            Err(e) => {
                tracing::warn!(error = %e, "cannot read earlier fetches; treating none as stale");
                HashMap::new()
            }
        };
        Arc::new(Self {
            client,
            store,
            ttl,
            inflight: Mutex::new(HashMap::new()),
            unknown: Mutex::new(HashMap::new()),
            fetched: Mutex::new(fetched),
            refreshing: Mutex::new(HashSet::new()),
        })
    }

    /// The API generation in use, as stored provenance (`onet-api-v2`).
    pub fn provenance(&self) -> &'static str {
        self.client.config().version.provenance()
    }

    /// Fetches `code` unless O*NET recently said it does not exist; concurrent callers for the
    /// same code share one fetch.
    pub async fn ensure(self: &Arc<Self>, code: SocCode) -> Result<FetchOutcome, FetchError> {
        if let Some(at) = self.unknown.lock().expect("lock").get(&code)
            && at.elapsed() < NEGATIVE_TTL
        {
            return Err(FetchError::NotFound(code.to_string()));
        }
        self.fetch(code).await
    }

    /// Fetches `code` now (the negative cache is bypassed); concurrent callers share one fetch.
    pub async fn fetch(self: &Arc<Self>, code: SocCode) -> Result<FetchOutcome, FetchError> {
        let cell = self
            .inflight
            .lock()
            .expect("lock")
            .entry(code)
            .or_default()
            .clone();
        let this = self.clone();
        let result = cell
            .get_or_init(|| async move {
                // A task of its own: if every waiter goes away, the fetch still completes.
                let task = tokio::spawn(async move { this.fetch_and_store(code).await });
                task.await.unwrap_or_else(|e| {
                    Err(FetchError::Store(format!("the fetch task failed: {e}")))
                })
            })
            .await
            .clone();
        let mut inflight = self.inflight.lock().expect("lock");
        if inflight.get(&code).is_some_and(|c| Arc::ptr_eq(c, &cell)) {
            inflight.remove(&code);
        }
        result
    }

    async fn fetch_and_store(&self, code: SocCode) -> Result<FetchOutcome, FetchError> {
        let started = Instant::now();
        let data = self
            .store
            .reference_data()
            .await
            .map_err(|e| FetchError::Store(e.to_string()))?;
        let mut domains: Vec<Domain> = data.rated_elements.keys().copied().collect();
        domains.sort();
        let reference = Reference {
            scales: data.scales,
            descriptors: data.descriptors,
            rated_elements: data.rated_elements,
        };
        let fetched = match self.client.fetch(code, &domains, &reference).await {
            Ok(f) => f,
            Err(WebError::NotFound(_)) => {
                self.unknown
                    .lock()
                    .expect("lock")
                    .insert(code, Instant::now());
                return Err(FetchError::NotFound(code.to_string()));
            }
            Err(e) => return Err(e.into()),
        };
        let epoch = now_epoch();
        let provenance = fetched.version.provenance();
        self.store
            .store_fetched(
                &fetched.occupation,
                &fetched.ratings,
                &fetched.unrated,
                provenance,
                epoch,
            )
            .await
            .map_err(|e| FetchError::Store(e.to_string()))?;
        self.fetched.lock().expect("lock").insert(code, epoch);
        self.unknown.lock().expect("lock").remove(&code);
        let outcome = FetchOutcome {
            code: code.to_string(),
            title: fetched.occupation.title,
            ratings: fetched.ratings.len(),
            unrated: fetched.unrated.iter().map(|d| d.to_string()).collect(),
            requests: fetched.requests,
            provenance,
            elapsed: started.elapsed(),
        };
        tracing::info!(code = %code, ratings = outcome.ratings, requests = outcome.requests, "fetched from O*NET Web Services");
        Ok(outcome)
    }

    /// Whether `code`'s fetched rows are older than the TTL.
    pub fn is_stale(&self, code: SocCode) -> bool {
        let ttl = self.ttl.as_secs() as i64;
        self.fetched
            .lock()
            .expect("lock")
            .get(&code)
            .is_some_and(|at| now_epoch() - at >= ttl)
    }

    /// Codes whose fetched rows are older than the TTL, oldest first.
    pub async fn stale(&self) -> Result<Vec<SocCode>, FetchError> {
        let ttl = self.ttl.as_secs() as i64;
        let now = now_epoch();
        let list = self
            .store
            .api_fetches()
            .await
            .map_err(|e| FetchError::Store(e.to_string()))?;
        Ok(list
            .into_iter()
            .filter(|f| now - f.fetched_epoch >= ttl)
            .filter_map(|f| SocCode::parse(&f.code).ok())
            .collect())
    }

    /// Starts a background refresh of `code` if its rows are stale and none is running; calls
    /// `done` after a successful refresh (to reload the catalog). The caller keeps serving the
    /// stale copy meanwhile.
    pub fn refresh_if_stale<F, Fut>(self: &Arc<Self>, code: SocCode, done: F)
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: std::future::Future<Output = ()> + Send,
    {
        if !self.is_stale(code) || !self.refreshing.lock().expect("lock").insert(code) {
            return;
        }
        let this = self.clone();
        tokio::spawn(async move {
            match this.fetch(code).await {
                Ok(_) => done().await,
                Err(e) => {
                    tracing::warn!(code = %code, error = %e, "background refresh failed; the stale copy stays")
                }
            }
            this.refreshing.lock().expect("lock").remove(&code);
        });
    }
}
