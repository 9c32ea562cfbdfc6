//! The HTTP client: database rows filtered by occupation code, every page followed, upstream
//! manners kept (at most 5 requests a second, `Retry-After` honoured, bounded jittered retries),
//! and the rows checked like release rows before anyone sees them.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::ACCEPT;
use secrecy::ExposeSecret;
use skillgap_core::{Domain, Occupation, Rating, SocCode};
use skillgap_http::{Answer, Classify, Fault, RetryPolicy, SendError};
use url::Url;

use super::config::{ApiVersion, Credentials, WebConfig};
use super::page::{self, Page, Row};
use crate::release::{Reference, validate_fetched};

/// Why a fetch failed. Messages never contain credentials.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WebError {
    /// O*NET does not know the occupation (no `occupation_data` row).
    #[error("O*NET Web Services has no occupation {0}")]
    NotFound(String),
    /// The credentials were refused; retrying cannot help.
    #[error(
        "O*NET Web Services refused the credentials (HTTP {0}); check SKILLGAP_ONET_API_KEY, or SKILLGAP_ONET_USERNAME and SKILLGAP_ONET_PASSWORD for v1.9"
    )]
    Unauthorized(u16),
    /// Still rate limited after every retry.
    #[error("O*NET Web Services kept answering 429 Too Many Requests; try again later")]
    RateLimited,
    /// An error status (after retries for 5xx).
    #[error("O*NET Web Services answered HTTP {status}: {detail}")]
    Upstream {
        /// The status.
        status: u16,
        /// A short excerpt of the body, or a hint.
        detail: String,
    },
    /// No answer within the timeout, on every attempt.
    #[error("O*NET Web Services did not answer within {0:?}")]
    Timeout(Duration),
    /// The connection failed on every attempt.
    #[error("cannot reach O*NET Web Services: {0}")]
    Transport(String),
    /// The answer is not a page of rows as O*NET sends them (bad or cut-off XML/JSON, broken paging).
    #[error("O*NET Web Services sent an unusable answer: {0}")]
    Malformed(String),
    /// The rows fail the checks applied to release files.
    #[error("O*NET Web Services sent rows that fail validation: {0}")]
    Invalid(String),
}

impl Classify for WebError {
    fn fault(&self) -> Fault {
        match self {
            WebError::RateLimited => Fault::Status(429),
            WebError::Unauthorized(status) | WebError::Upstream { status, .. } => {
                Fault::Status(*status)
            }
            WebError::Timeout(_) => Fault::Timeout,
            WebError::Transport(_) => Fault::Transport,
            WebError::NotFound(_) | WebError::Malformed(_) | WebError::Invalid(_) => {
                Fault::Permanent
            }
        }
    }
}

/// O*NET's manners: a few quick retries, at most 30 s apart, and never faster than the pacing.
const RETRY: RetryPolicy = RetryPolicy {
    max_retries: 3,
    base: Duration::from_millis(200),
    max_doublings: 5,
    max_wait: Duration::from_secs(30),
    min_retry_after: Duration::from_millis(200),
};

/// An occupation as fetched: its row and its ratings in the domains asked for.
#[derive(Clone, Debug, PartialEq)]
pub struct Fetched {
    /// Code, title, description.
    pub occupation: Occupation,
    /// Ratings (source [`skillgap_core::Source::OnetApi`]), every domain that O*NET rates it in.
    pub ratings: Vec<Rating>,
    /// Domains with no rows upstream.
    pub unrated: Vec<Domain>,
    /// HTTP requests made, retries included.
    pub requests: u32,
    /// The API generation used.
    pub version: ApiVersion,
}

/// Spaces requests so that at most one starts per interval, across every task sharing it.
#[derive(Debug)]
struct Pacer {
    next: tokio::sync::Mutex<Instant>,
    interval: Duration,
}

impl Pacer {
    async fn wait(&self) {
        let mut next = self.next.lock().await;
        let now = Instant::now();
        if *next > now {
            tokio::time::sleep(*next - now).await;
        }
        *next = Instant::now().max(*next) + self.interval;
    }
}

/// The O*NET Web Services client; cheap to clone (clones share the connection pool and pacing).
#[derive(Clone, Debug)]
pub struct OnetClient {
    http: reqwest::Client,
    config: Arc<WebConfig>,
    pacer: Arc<Pacer>,
}

/// The database table holding a domain's ratings.
fn table(domain: Domain) -> &'static str {
    match domain {
        Domain::Skills => "skills",
        Domain::Knowledge => "knowledge",
        Domain::Abilities => "abilities",
        Domain::WorkActivities => "work_activities",
    }
}

fn snippet(body: &str) -> String {
    let one_line: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut s: String = one_line.chars().take(160).collect();
    if one_line.chars().count() > 160 {
        s.push('…');
    }
    if s.is_empty() {
        "(empty body)".into()
    } else {
        s
    }
}

impl OnetClient {
    /// A client for `config`.
    pub fn new(config: WebConfig) -> Result<Self, WebError> {
        let http = reqwest::Client::builder()
            .user_agent(concat!(
                "skillgap/",
                env!("CARGO_PKG_VERSION"),
                " (O*NET on-demand fetch)"
            ))
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .build()
            .map_err(|e| WebError::Transport(e.to_string()))?;
        let pacer = Pacer {
            next: tokio::sync::Mutex::new(Instant::now()),
            interval: config.min_interval,
        };
        Ok(Self {
            http,
            config: Arc::new(config),
            pacer: Arc::new(pacer),
        })
    }

    /// The configuration in use.
    pub fn config(&self) -> &WebConfig {
        &self.config
    }

    /// Fetches an occupation and its ratings in `domains`, checked against `reference`.
    pub async fn fetch(
        &self,
        code: SocCode,
        domains: &[Domain],
        reference: &Reference,
    ) -> Result<Fetched, WebError> {
        let mut requests = 0;
        let rows = self.rows("occupation_data", code, &mut requests).await?;
        let row = rows
            .iter()
            .find(|r| {
                ["onetsoc_code", "o_net_soc_code"]
                    .iter()
                    .any(|k| r.get(*k).cloned().flatten().as_deref() == Some(code.as_str()))
            })
            .ok_or_else(|| WebError::NotFound(code.to_string()))?;
        let field = |k: &str| row.get(k).cloned().flatten();
        let occupation = Occupation {
            code,
            title: field("title").ok_or_else(|| {
                WebError::Malformed(format!("occupation_data for {code} has no title"))
            })?,
            description: field("description").unwrap_or_default(),
        };
        let mut ratings = Vec::new();
        let mut unrated = Vec::new();
        for domain in domains {
            let rows = self.rows(table(*domain), code, &mut requests).await?;
            if rows.is_empty() {
                unrated.push(*domain);
                continue;
            }
            let checked = validate_fetched(*domain, code, &rows, reference)
                .map_err(|e| WebError::Invalid(e.to_string()))?;
            ratings.extend(checked);
        }
        Ok(Fetched {
            occupation,
            ratings,
            unrated,
            requests,
            version: self.config.version,
        })
    }

    /// Every row of `table` for `code`, following `next` links to the last page.
    async fn rows(
        &self,
        table: &str,
        code: SocCode,
        requests: &mut u32,
    ) -> Result<Vec<Row>, WebError> {
        let mut url = self
            .config
            .base_url
            .join(&format!("database/rows/{table}"))
            .map_err(|e| WebError::Malformed(e.to_string()))?;
        url.query_pairs_mut()
            .append_pair("filter", &format!("onetsoc_code.eq.{code}"));
        let mut rows = Vec::new();
        let mut seen = HashSet::new();
        let mut total = None;
        loop {
            seen.insert(url.clone());
            let page = self.page(&url, requests).await?;
            total = page.total.or(total);
            let got = page.rows.len();
            rows.extend(page.rows);
            let Some(next) = page.next else { break };
            let next = self
                .config
                .base_url
                .join(&next)
                .map_err(|e| WebError::Malformed(format!("bad next link: {e}")))?;
            if next.origin() != self.config.base_url.origin() {
                // Credentials go only where they were configured to go.
                return Err(WebError::Malformed(format!(
                    "next link leaves {}",
                    self.config.base_url.origin().ascii_serialization()
                )));
            }
            if got == 0 || seen.contains(&next) || seen.len() > 500 {
                return Err(WebError::Malformed(format!(
                    "paging of {table} does not advance (at {} rows)",
                    rows.len()
                )));
            }
            if total.is_some_and(|t| rows.len() as u64 >= t) {
                break;
            }
            url = next;
        }
        if let Some(t) = total
            && rows.len() as u64 != t
        {
            return Err(WebError::Malformed(format!(
                "{table}: the API announced {t} rows and sent {}",
                rows.len()
            )));
        }
        Ok(rows)
    }

    /// One page, with retries for 429, 5xx, timeouts and connection failures.
    async fn page(&self, url: &Url, requests: &mut u32) -> Result<Page, WebError> {
        let policy = RetryPolicy {
            max_retries: self.config.max_retries,
            ..RETRY
        };
        // The first attempt, then one more request per retry.
        *requests += 1;
        policy
            .run(
                || async {
                    self.pacer.wait().await;
                    self.once(url).await
                },
                |e, attempt, wait| {
                    *requests += 1;
                    tracing::warn!(error = %e, attempt, wait_ms = wait.as_millis() as u64, "O*NET request failed; retrying");
                },
            )
            .await
    }

    async fn once(&self, url: &Url) -> (Result<Page, WebError>, Option<Duration>) {
        let accept = match self.config.version {
            ApiVersion::V2 => "application/json",
            // v1.9 answers XML by default (as the real sample); JSON is parsed too if sent.
            ApiVersion::V1_9 => "application/xml",
        };
        let mut req = self.http.get(url.clone()).header(ACCEPT, accept);
        req = match &self.config.credentials {
            Credentials::ApiKey(key) => req.header("X-API-Key", key.expose_secret()),
            Credentials::Basic { username, password } => {
                req.basic_auth(username, Some(password.expose_secret()))
            }
        };
        let Answer {
            status,
            retry_after,
            content_type,
            body,
        } = match skillgap_http::send(req).await {
            Ok(answer) => answer,
            Err(SendError::Timeout) => return (Err(WebError::Timeout(self.config.timeout)), None),
            Err(SendError::Transport(e)) => return (Err(WebError::Transport(e)), None),
            Err(SendError::Body(e)) => {
                return (
                    Err(WebError::Malformed(format!(
                        "the body could not be read: {e}"
                    ))),
                    None,
                );
            }
        };
        let result = match status {
            StatusCode::OK => page::parse(&content_type, &body).map_err(WebError::Malformed),
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                Err(WebError::Unauthorized(status.as_u16()))
            }
            StatusCode::TOO_MANY_REQUESTS => Err(WebError::RateLimited),
            StatusCode::NOT_FOUND => Err(WebError::Upstream {
                status: 404,
                detail: format!(
                    "{} not found; check SKILLGAP_ONET_API_URL and SKILLGAP_ONET_API_VERSION",
                    url.path()
                ),
            }),
            s => Err(WebError::Upstream {
                status: s.as_u16(),
                detail: snippet(&body),
            }),
        };
        (result, retry_after)
    }
}
