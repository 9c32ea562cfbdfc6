//! Outbound HTTP plumbing shared by skillgap's clients (O*NET Web Services, the LLM endpoint):
//! one [`RetryPolicy`] that decides what is retryable and how long to wait (jittered exponential
//! backoff, or the server's `Retry-After`), a driver that runs the attempts, and one [`send`] that
//! turns a request into status, `Retry-After` and body; and how a configured base URL is read. Each client keeps its own error type and
//! messages; it only says how an error [`Fault`]s.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};

/// How one attempt failed, as far as trying again is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The server answered with this status.
    Status(u16),
    /// No answer within the timeout.
    Timeout,
    /// The connection failed.
    Transport,
    /// Anything another attempt cannot mend (a bad answer, a bad request).
    Permanent,
}

impl Fault {
    /// Whether another attempt might succeed: 429, 5xx, timeouts and connection failures.
    pub fn retryable(self) -> bool {
        match self {
            Fault::Status(status) => status == 429 || (500..=599).contains(&status),
            Fault::Timeout | Fault::Transport => true,
            Fault::Permanent => false,
        }
    }
}

/// An error a client's attempt can end in, classified for retrying.
pub trait Classify {
    /// How this error failed the attempt.
    fn fault(&self) -> Fault;
}

/// How often and how patiently to try again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// The first backoff; each retry doubles it.
    pub base: Duration,
    /// Doublings stop after this many retries.
    pub max_doublings: u32,
    /// Longest wait, whatever the backoff or `Retry-After` says.
    pub max_wait: Duration,
    /// Shortest wait when the server sends `Retry-After` (a `0` must not turn into a hot loop).
    pub min_retry_after: Duration,
}

impl RetryPolicy {
    /// The wait before retry number `attempt` (0 for the first retry): the server's
    /// `Retry-After` if it sent one, else the backoff with ±50% jitter, at most
    /// [`RetryPolicy::max_wait`].
    pub fn wait(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        let base = u64::try_from(self.base.as_millis()).unwrap_or(u64::MAX);
        let backoff = base.saturating_mul(1 << attempt.min(self.max_doublings).min(63));
        // Jitter spreads the retries of clients that failed together.
        let jittered = Duration::from_millis(backoff / 2 + fastrand::u64(0..=backoff));
        retry_after
            .map(|d| d.max(self.min_retry_after))
            .unwrap_or(jittered)
            .min(self.max_wait)
    }

    /// Runs `attempt` until it succeeds, fails for good, or the retries are spent. Each attempt
    /// yields its result and the server's `Retry-After`, if any; `on_retry` is told each error
    /// that will be retried, the retry's number and the wait (so that the client logs it under
    /// its own name, and counts its requests).
    pub async fn run<T, E, F, A>(
        &self,
        mut attempt: A,
        mut on_retry: impl FnMut(&E, u32, Duration),
    ) -> Result<T, E>
    where
        E: Classify,
        A: FnMut() -> F,
        F: Future<Output = (Result<T, E>, Option<Duration>)>,
    {
        let mut retry = 0;
        loop {
            let (result, retry_after) = attempt().await;
            match result {
                Ok(value) => return Ok(value),
                Err(e) if e.fault().retryable() && retry < self.max_retries => {
                    let wait = self.wait(retry, retry_after);
                    on_retry(&e, retry, wait);
                    tokio::time::sleep(wait).await;
                    retry += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }
}

/// A whole answer: status, `Retry-After` (only on 429), content type and body.
#[derive(Clone, Debug)]
pub struct Answer {
    /// The status.
    pub status: StatusCode,
    /// The `Retry-After` seconds of a 429 answer.
    pub retry_after: Option<Duration>,
    /// The `Content-Type` header, empty when missing.
    pub content_type: String,
    /// The body as text.
    pub body: String,
}

/// Why no whole answer came back. Messages never hold the URL (it may carry credentials).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendError {
    /// No answer (or no whole body) within the client's timeout.
    Timeout,
    /// The connection failed; the reason.
    Transport(String),
    /// The status came but the body could not be read; the reason.
    Body(String),
}

/// Sends `request` and reads the whole answer.
pub async fn send(request: reqwest::RequestBuilder) -> Result<Answer, SendError> {
    let response = match request.send().await {
        Ok(r) => r,
        Err(e) if e.is_timeout() => return Err(SendError::Timeout),
        Err(e) => return Err(SendError::Transport(e.without_url().to_string())),
    };
    let status = response.status();
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
    };
    let retry_after = header(RETRY_AFTER)
        .filter(|_| status == StatusCode::TOO_MANY_REQUESTS)
        .and_then(parse_retry_after);
    let content_type = header(CONTENT_TYPE).unwrap_or("").to_owned();
    let body = match response.text().await {
        Ok(b) => b,
        Err(e) if e.is_timeout() => return Err(SendError::Timeout),
        Err(e) => return Err(SendError::Body(e.without_url().to_string())),
    };
    Ok(Answer {
        status,
        retry_after,
        content_type,
        body,
    })
}

/// A base URL as configured: `http` or `https` only, with a trailing `/` added so that relative
/// paths join below it (`…/v1` + `chat/completions` is `…/v1/chat/completions`). `None` when it
/// is not such a URL; the caller names the variable.
pub fn base_url(raw: &str) -> Option<url::Url> {
    let with_slash = if raw.ends_with('/') {
        raw.to_owned()
    } else {
        format!("{raw}/")
    };
    url::Url::parse(&with_slash)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
}

/// `Retry-After` in (possibly fractional) seconds; the HTTP-date form is not used by the
/// services skillgap talks to, and is ignored (the backoff applies).
fn parse_retry_after(value: &str) -> Option<Duration> {
    value
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
        // A wait too long for a Duration (`1e20`) is ignored like any nonsense value.
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: RetryPolicy = RetryPolicy {
        max_retries: 3,
        base: Duration::from_millis(200),
        max_doublings: 5,
        max_wait: Duration::from_secs(30),
        min_retry_after: Duration::from_millis(200),
    };

    #[test]
    fn retries_429_5xx_timeouts_and_transport_only() {
        for (fault, retry) in [
            (Fault::Status(429), true),
            (Fault::Status(500), true),
            (Fault::Status(503), true),
            (Fault::Status(599), true),
            (Fault::Status(400), false),
            (Fault::Status(401), false),
            (Fault::Status(404), false),
            (Fault::Timeout, true),
            (Fault::Transport, true),
            (Fault::Permanent, false),
        ] {
            assert_eq!(fault.retryable(), retry, "{fault:?}");
        }
    }

    #[test]
    fn backoff_doubles_with_jitter_and_stops_doubling() {
        for _ in 0..200 {
            let first = POLICY.wait(0, None).as_millis();
            assert!((100..=300).contains(&first), "{first}");
            let third = POLICY.wait(2, None).as_millis();
            assert!((400..=1200).contains(&third), "{third}");
            // 200 ms doubled 5 times at most: 6.4 s, jittered to 3.2..9.6 s.
            let late = POLICY.wait(20, None).as_millis();
            assert!((3200..=9600).contains(&late), "{late}");
        }
    }

    #[test]
    fn retry_after_wins_within_bounds() {
        let wait = |s: f64| POLICY.wait(0, Some(Duration::from_secs_f64(s)));
        assert_eq!(wait(2.5), Duration::from_millis(2500));
        assert_eq!(wait(0.0), Duration::from_millis(200));
        assert_eq!(wait(3600.0), Duration::from_secs(30));
        assert_eq!(
            parse_retry_after(" 1.5 "),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(parse_retry_after("-1"), None);
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        // Too long for a Duration: ignored, not a panic.
        assert_eq!(parse_retry_after("1e20"), None);
    }

    #[test]
    fn base_urls_are_http_and_end_in_a_slash() {
        let url = |s| base_url(s).map(|u| u.to_string());
        assert_eq!(
            url("http://127.0.0.1:9/v1"),
            Some("http://127.0.0.1:9/v1/".into())
        );
        assert_eq!(url("https://h/ws/"), Some("https://h/ws/".into()));
        assert_eq!(url("ftp://h/"), None);
        assert_eq!(url("not a url"), None);
    }

    #[derive(Debug)]
    struct Failed(Fault);

    impl Classify for Failed {
        fn fault(&self) -> Fault {
            self.0
        }
    }

    #[tokio::test]
    async fn run_stops_at_success_at_a_permanent_error_and_after_the_last_retry() {
        let quick = RetryPolicy {
            base: Duration::from_millis(1),
            ..POLICY
        };
        let run = async |faults: Vec<Fault>| {
            let calls = std::cell::Cell::new(0);
            let mut retried = Vec::new();
            let result = quick
                .run(
                    || {
                        let n = calls.get();
                        calls.set(n + 1);
                        let fault = faults.get(n).copied();
                        std::future::ready((fault.map_or(Ok(n + 1), |f| Err(Failed(f))), None))
                    },
                    |e, n, _| retried.push((e.0, n)),
                )
                .await;
            (result.map_err(|e| e.0), calls.get(), retried)
        };
        let (result, calls, retried) = run(vec![Fault::Status(503), Fault::Timeout]).await;
        assert_eq!((result, calls), (Ok(3), 3));
        assert_eq!(retried, [(Fault::Status(503), 0), (Fault::Timeout, 1)]);
        let (result, calls, _) = run(vec![Fault::Transport, Fault::Status(401)]).await;
        assert_eq!((result, calls), (Err(Fault::Status(401)), 2));
        let (result, calls, retried) = run(vec![Fault::Status(429); 10]).await;
        assert_eq!(
            (result, calls, retried.len()),
            (Err(Fault::Status(429)), 4, 3)
        );
    }
}
