//! A client for the OpenAI-compatible chat completions API (OpenAI, Gemini's compatible endpoint,
//! Ollama, vLLM, llama.cpp): structured output where the server supports it, timeouts, bounded
//! retries with backoff on 429 and 5xx, a concurrency limit, and token usage per call.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use reqwest::StatusCode;
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use skillgap_http::{Answer, Classify, Fault, RetryPolicy, SendError};
use url::Url;

/// Shown in place of the key in `Debug` output.
struct Redacted;

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Where and how to reach the model.
#[derive(Clone)]
pub struct LlmConfig {
    /// Base URL of the API, e.g. `https://api.openai.com/v1/` or `http://localhost:11434/v1/`.
    pub url: Url,
    /// Model name, e.g. `gpt-4o-mini` or `llama3.1`.
    pub model: String,
    /// Bearer key; local servers (Ollama, llama.cpp) need none.
    pub api_key: Option<SecretString>,
    /// Per-call timeout.
    pub timeout: Duration,
    /// Retries after the first attempt, for 429, 5xx, timeouts and connection failures.
    pub max_retries: u32,
    /// Calls in flight at once.
    pub concurrency: usize,
}

// By hand, to print the key as `[redacted]` exactly as before secrecy held it.
impl std::fmt::Debug for LlmConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LlmConfig")
            .field("url", &self.url)
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| Redacted))
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("concurrency", &self.concurrency)
            .finish()
    }
}

/// A configuration value that cannot be used; the message names the variable.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{variable}: {message}")]
pub struct LlmConfigError {
    /// The variable at fault.
    pub variable: &'static str,
    /// What is wrong.
    pub message: String,
}

impl LlmConfig {
    /// Reads `SKILLGAP_LLM_URL`, `SKILLGAP_LLM_MODEL`, `SKILLGAP_LLM_API_KEY`,
    /// `SKILLGAP_LLM_TIMEOUT` (s, default 120), `SKILLGAP_LLM_CONCURRENCY` (default 4).
    /// `Ok(None)` when no URL is set: the LLM is off.
    pub fn from_lookup(
        get: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Self>, LlmConfigError> {
        let get = |k: &str| {
            get(k)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let err = |variable, message: String| LlmConfigError { variable, message };
        let Some(raw) = get("SKILLGAP_LLM_URL") else {
            return Ok(None);
        };
        let url = skillgap_http::base_url(&raw).ok_or_else(|| {
            err(
                "SKILLGAP_LLM_URL",
                format!("expected an http(s) URL such as https://api.openai.com/v1, got `{raw}`"),
            )
        })?;
        let model = get("SKILLGAP_LLM_MODEL").ok_or_else(|| {
            err(
                "SKILLGAP_LLM_MODEL",
                "set the model name, e.g. gpt-4o-mini or llama3.1".into(),
            )
        })?;
        let seconds = |k: &'static str, default: f64| -> Result<f64, LlmConfigError> {
            match get(k) {
                None => Ok(default),
                Some(v) => v
                    .parse::<f64>()
                    .ok()
                    // Capped: a Duration or a semaphore cannot take an astronomical number.
                    .filter(|s| s.is_finite() && *s > 0.0 && *s <= 1e6)
                    .ok_or_else(|| {
                        err(
                            k,
                            format!("expected a number above 0, at most 1e6, got `{v}`"),
                        )
                    }),
            }
        };
        Ok(Some(Self {
            url,
            model,
            api_key: get("SKILLGAP_LLM_API_KEY").map(SecretString::from),
            timeout: Duration::from_secs_f64(seconds("SKILLGAP_LLM_TIMEOUT", 120.0)?),
            max_retries: 3,
            concurrency: seconds("SKILLGAP_LLM_CONCURRENCY", 4.0)?.max(1.0) as usize,
        }))
    }
}

/// Tokens one call used, as the server reports them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Usage {
    /// Prompt tokens.
    pub prompt_tokens: u64,
    /// Completion tokens.
    pub completion_tokens: u64,
    /// Total tokens.
    pub total_tokens: u64,
}

impl std::ops::AddAssign for Usage {
    fn add_assign(&mut self, o: Usage) {
        self.prompt_tokens += o.prompt_tokens;
        self.completion_tokens += o.completion_tokens;
        self.total_tokens += o.total_tokens;
    }
}

/// What to ask.
#[derive(Clone, Debug)]
pub struct ChatRequest {
    /// System message.
    pub system: String,
    /// User message.
    pub user: String,
    /// A JSON schema the answer must follow (`response_format` where supported), with its name.
    pub schema: Option<(String, serde_json::Value)>,
    /// Further (role, content) messages, e.g. a refused answer and why it was refused.
    pub followups: Vec<(String, String)>,
}

/// What came back.
#[derive(Clone, Debug)]
pub struct ChatReply {
    /// The assistant message's text.
    pub content: String,
    /// Token usage.
    pub usage: Usage,
    /// The whole response body, kept for the record.
    pub raw: String,
}

/// Why a call failed. Messages never contain the key.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LlmError {
    /// The key was refused.
    #[error("the LLM endpoint refused the key (HTTP {0}); check SKILLGAP_LLM_API_KEY")]
    Unauthorized(u16),
    /// Still 429 after every retry.
    #[error("the LLM endpoint kept answering 429 Too Many Requests")]
    RateLimited,
    /// An error status.
    #[error("the LLM endpoint answered HTTP {status}: {detail}")]
    Status {
        /// Status.
        status: u16,
        /// Excerpt of the body.
        detail: String,
    },
    /// No answer in time, on every attempt.
    #[error("the LLM endpoint did not answer within {0:?}")]
    Timeout(Duration),
    /// The connection failed on every attempt.
    #[error("cannot reach the LLM endpoint: {0}")]
    Transport(String),
    /// Not a chat completion.
    #[error("the LLM endpoint sent something that is not a chat completion: {0}")]
    Malformed(String),
}

impl Classify for LlmError {
    fn fault(&self) -> Fault {
        match self {
            LlmError::RateLimited => Fault::Status(429),
            LlmError::Unauthorized(status) | LlmError::Status { status, .. } => {
                Fault::Status(*status)
            }
            LlmError::Timeout(_) => Fault::Timeout,
            LlmError::Transport(_) => Fault::Transport,
            LlmError::Malformed(_) => Fault::Permanent,
        }
    }
}

/// Models are slow and shared: longer backoffs than O*NET's, at most a minute apart.
const RETRY: RetryPolicy = RetryPolicy {
    max_retries: 3,
    base: Duration::from_millis(500),
    max_doublings: 6,
    max_wait: Duration::from_secs(60),
    min_retry_after: Duration::ZERO,
};

/// The chat client; cheap to clone (clones share connections and the concurrency limit).
#[derive(Clone, Debug)]
pub struct ChatClient {
    http: reqwest::Client,
    config: Arc<LlmConfig>,
    slots: Arc<tokio::sync::Semaphore>,
    /// Cleared when the server rejects `response_format`; later calls extract JSON from text.
    schema_supported: Arc<AtomicBool>,
}

fn excerpt(body: &str) -> String {
    let s: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 200 {
        format!("{}…", s.chars().take(200).collect::<String>())
    } else {
        s
    }
}

impl ChatClient {
    /// A client for `config`.
    pub fn new(config: LlmConfig) -> Self {
        let http = reqwest::Client::builder()
            .user_agent(concat!("skillgap/", env!("CARGO_PKG_VERSION")))
            .timeout(config.timeout)
            .build()
            .expect("an HTTP client with rustls always builds");
        let slots = Arc::new(tokio::sync::Semaphore::new(config.concurrency));
        Self {
            http,
            config: Arc::new(config),
            slots,
            schema_supported: Arc::new(AtomicBool::new(true)),
        }
    }

    /// The model in use.
    pub fn model(&self) -> &str {
        &self.config.model
    }

    /// One chat completion, with retries; waits for a free slot first.
    pub async fn complete(&self, req: &ChatRequest) -> Result<ChatReply, LlmError> {
        let _slot = self
            .slots
            .acquire()
            .await
            .map_err(|_| LlmError::Transport("client closed".into()))?;
        let policy = RetryPolicy {
            max_retries: self.config.max_retries,
            ..RETRY
        };
        policy
            .run(
                || self.once(req),
                |e, attempt, wait| {
                    tracing::warn!(error = %e, attempt, wait_ms = wait.as_millis() as u64, "LLM call failed; retrying");
                },
            )
            .await
    }

    async fn once(&self, req: &ChatRequest) -> (Result<ChatReply, LlmError>, Option<Duration>) {
        let use_schema = req.schema.is_some() && self.schema_supported.load(Ordering::Relaxed);
        let mut body = serde_json::json!({
            "model": self.config.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": req.system},
                {"role": "user", "content": req.user},
            ],
        });
        if let Some(messages) = body["messages"].as_array_mut() {
            for (role, content) in &req.followups {
                messages.push(serde_json::json!({"role": role, "content": content}));
            }
        }
        if use_schema && let Some((name, schema)) = &req.schema {
            body["response_format"] = serde_json::json!({
                "type": "json_schema",
                "json_schema": {"name": name, "schema": schema, "strict": true},
            });
        }
        let url = match self.config.url.join("chat/completions") {
            Ok(u) => u,
            Err(e) => return (Err(LlmError::Malformed(e.to_string())), None),
        };
        let mut http = self.http.post(url).json(&body);
        if let Some(key) = &self.config.api_key {
            http = http.bearer_auth(key.expose_secret());
        }
        let Answer {
            status,
            retry_after,
            body: text,
            ..
        } = match skillgap_http::send(http).await {
            Ok(answer) => answer,
            Err(SendError::Timeout) => return (Err(LlmError::Timeout(self.config.timeout)), None),
            Err(SendError::Transport(e)) => return (Err(LlmError::Transport(e)), None),
            Err(SendError::Body(e)) => {
                return (
                    Err(LlmError::Malformed(format!("unreadable body: {e}"))),
                    None,
                );
            }
        };
        let result = match status {
            StatusCode::OK => parse_completion(&text),
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                Err(LlmError::Unauthorized(status.as_u16()))
            }
            StatusCode::TOO_MANY_REQUESTS => Err(LlmError::RateLimited),
            StatusCode::BAD_REQUEST
                if use_schema
                    && (text.contains("response_format") || text.contains("json_schema")) =>
            {
                // This server does not do structured output: ask again without it.
                tracing::info!(
                    "the LLM endpoint does not support response_format json_schema; extracting JSON from text instead"
                );
                self.schema_supported.store(false, Ordering::Relaxed);
                return Box::pin(self.once(req)).await;
            }
            s => Err(LlmError::Status {
                status: s.as_u16(),
                detail: excerpt(&text),
            }),
        };
        (result, retry_after)
    }
}

fn parse_completion(text: &str) -> Result<ChatReply, LlmError> {
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| LlmError::Malformed(format!("not JSON: {e}")))?;
    let content = v
        .pointer("/choices/0/message/content")
        .and_then(|c| c.as_str())
        .ok_or_else(|| LlmError::Malformed("no choices[0].message.content".into()))?
        .to_owned();
    let n = |p: &str| v.pointer(p).and_then(|x| x.as_u64()).unwrap_or(0);
    let usage = Usage {
        prompt_tokens: n("/usage/prompt_tokens"),
        completion_tokens: n("/usage/completion_tokens"),
        total_tokens: n("/usage/total_tokens"),
    };
    Ok(ChatReply {
        content,
        usage,
        raw: text.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_is_off_without_a_url_and_names_bad_variables() {
        assert!(LlmConfig::from_lookup(|_| None).unwrap().is_none());
        let e = LlmConfig::from_lookup(|k| {
            (k == "SKILLGAP_LLM_URL").then(|| "http://localhost:11434/v1".into())
        })
        .unwrap_err();
        assert_eq!(e.variable, "SKILLGAP_LLM_MODEL");
        for (variable, value) in [
            ("SKILLGAP_LLM_TIMEOUT", "1e20"),
            ("SKILLGAP_LLM_CONCURRENCY", "1e19"),
        ] {
            let e = LlmConfig::from_lookup(|k| match k {
                "SKILLGAP_LLM_URL" => Some("http://localhost:11434/v1".into()),
                "SKILLGAP_LLM_MODEL" => Some("llama3.1".into()),
                k if k == variable => Some(value.into()),
                _ => None,
            })
            .unwrap_err();
            assert_eq!(e.variable, variable);
        }
        let c = LlmConfig::from_lookup(|k| match k {
            "SKILLGAP_LLM_URL" => Some("http://localhost:11434/v1".into()),
            "SKILLGAP_LLM_MODEL" => Some("llama3.1".into()),
            "SKILLGAP_LLM_API_KEY" => Some("sk-secret".into()),
            _ => None,
        })
        .unwrap()
        .unwrap();
        assert_eq!(c.url.as_str(), "http://localhost:11434/v1/");
        assert!(!format!("{c:?}").contains("sk-secret"));
        assert!(format!("{c:?}").contains("api_key: Some([redacted]), timeout: "));
        assert_eq!(c.api_key.as_ref().unwrap().expose_secret(), "sk-secret");
    }

    #[test]
    fn reads_a_completion_and_its_usage() {
        let r = parse_completion(r#"{"choices":[{"message":{"role":"assistant","content":"hi"}}],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}"#).unwrap();
        assert_eq!((r.content.as_str(), r.usage.total_tokens), ("hi", 4));
        assert!(parse_completion("{\"error\": 1}").is_err());
    }
}
