//! The one settings struct: defaults, then `SKILLGAP_*` environment variables (read once, by the
//! binary, through [`Settings::from_env`]), then command-line flags (applied by the binary).
//! Libraries are handed what they need from it and never read the environment themselves.
//! Secrets live in [`ApiKeys`] (as digests), [`DatabaseUrl`] and the O*NET and LLM configurations
//! (as `secrecy` strings), whose `Debug` never shows them.

use std::net::SocketAddr;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use skillgap_store::DatabaseUrl;

/// A configuration value that could not be used; the message names the variable.
#[derive(Debug, thiserror::Error)]
#[error("{variable}: {message}")]
pub struct ConfigError {
    /// The variable or flag at fault.
    pub variable: &'static str,
    /// What is wrong and what is expected.
    pub message: String,
}

/// API keys accepted in `X-API-Key` (kept as SHA-256 digests); none configured means the API is
/// open.
#[derive(Clone, Default)]
pub struct ApiKeys(Vec<Vec<u8>>);

impl std::fmt::Debug for ApiKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ApiKeys([redacted; {} keys])", self.0.len())
    }
}

impl ApiKeys {
    /// Comma-separated keys; blanks around and between are ignored.
    pub fn parse(s: &str) -> Self {
        use sha2::{Digest, Sha256};
        Self(
            s.split(',')
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(|k| Sha256::digest(k.as_bytes()).to_vec())
                .collect(),
        )
    }

    /// Whether any key is configured.
    pub fn enabled(&self) -> bool {
        !self.0.is_empty()
    }

    /// Whether `candidate` is one of the keys. Every key is compared in constant time, so the
    /// time taken says nothing about which bytes matched.
    pub fn accepts(&self, candidate: &[u8]) -> bool {
        use sha2::{Digest, Sha256};
        use subtle::ConstantTimeEq;
        // Digests have one length, so not even the key's length shows in the timing.
        let given = Sha256::digest(candidate);
        self.0.iter().fold(0u8, |found, k| {
            found | k.as_slice().ct_eq(given.as_slice()).unwrap_u8()
        }) == 1
    }
}

/// Everything the service and its fronts need.
#[derive(Clone)]
pub struct Settings {
    /// Address to listen on.
    pub bind: SocketAddr,
    /// Store URL (from `--database-url` or `DATABASE_URL`, which the command line reads).
    pub database_url: DatabaseUrl,
    /// Accepted API keys.
    pub api_keys: ApiKeys,
    /// Longest a request may take before a 503.
    pub request_timeout: Duration,
    /// How often to check the store for changes made elsewhere; `None` never.
    pub reload_interval: Option<Duration>,
    /// Largest request body accepted.
    pub max_body_bytes: usize,
    /// Longest query string accepted.
    pub max_query_bytes: usize,
    /// Most connections served at once; further ones are answered 503 and closed.
    pub max_connections: usize,
    /// Longest a connection may take to send a request's head (line and headers).
    pub header_timeout: Duration,
    /// Longest a connection may sit idle between requests before it is closed.
    pub keepalive_timeout: Duration,
    /// O*NET Web Services, for occupations the store lacks; `None` turns fetching off.
    pub onet_api: Option<skillgap_onet::web::WebConfig>,
    /// How long fetched rows stay fresh before a background refresh.
    pub onet_ttl: Duration,
    /// The LLM for gap narratives; `None` turns narratives off.
    pub llm: Option<skillgap_llm::LlmConfig>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("bind", &self.bind)
            .field("database_url", &self.database_url)
            .field("api_keys", &self.api_keys)
            .field("request_timeout", &self.request_timeout)
            .field("reload_interval", &self.reload_interval)
            .field("max_connections", &self.max_connections)
            .field("header_timeout", &self.header_timeout)
            .field("keepalive_timeout", &self.keepalive_timeout)
            .field("onet_api", &self.onet_api)
            .field("llm", &self.llm)
            .finish_non_exhaustive()
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: DatabaseUrl::default(),
            api_keys: ApiKeys::default(),
            request_timeout: Duration::from_secs(10),
            reload_interval: Some(Duration::from_secs(30)),
            max_body_bytes: 64 * 1024,
            max_query_bytes: 4096,
            max_connections: 10_000,
            header_timeout: Duration::from_secs(10),
            keepalive_timeout: Duration::from_secs(5),
            onet_api: None,
            onet_ttl: skillgap_fetch::DEFAULT_TTL,
            llm: None,
        }
    }
}

/// The longest time any setting may name: a year, far past any sensible timeout, and short
/// enough that adding it to a clock never overflows.
const MAX_SECONDS: f64 = 365.0 * 24.0 * 3600.0;

fn seconds(variable: &'static str, value: &str) -> Result<f64, ConfigError> {
    match value.trim().parse::<f64>() {
        Ok(s) if s.is_finite() && (0.0..=MAX_SECONDS).contains(&s) => Ok(s),
        _ => Err(ConfigError {
            variable,
            message: format!("expected a number of seconds from 0 to {MAX_SECONDS}, got `{value}`"),
        }),
    }
}

impl Settings {
    /// Defaults overridden by `SKILLGAP_BIND`, `SKILLGAP_API_KEYS`,
    /// `SKILLGAP_REQUEST_TIMEOUT` (s), `SKILLGAP_RELOAD_INTERVAL` (s, 0 = never),
    /// `SKILLGAP_MAX_CONNECTIONS`, `SKILLGAP_HEADER_TIMEOUT` (s), `SKILLGAP_KEEPALIVE_TIMEOUT`
    /// (s), and the `SKILLGAP_ONET_*` variables of O*NET Web Services fetching.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// As [`Settings::from_env`], reading variables through `get`.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let mut c = Settings::default();
        if let Some(v) = get("SKILLGAP_BIND").filter(|v| !v.is_empty()) {
            c.bind = v.parse().map_err(|_| ConfigError {
                variable: "SKILLGAP_BIND",
                message: format!("expected an address like 127.0.0.1:8080, got `{v}`"),
            })?;
        }
        // Held as a secret (wiped on drop) until only the digests remain.
        if let Some(v) = get("SKILLGAP_API_KEYS").map(SecretString::from) {
            c.api_keys = ApiKeys::parse(v.expose_secret());
        }
        for (variable, field) in [
            ("SKILLGAP_REQUEST_TIMEOUT", &mut c.request_timeout),
            ("SKILLGAP_HEADER_TIMEOUT", &mut c.header_timeout),
            ("SKILLGAP_KEEPALIVE_TIMEOUT", &mut c.keepalive_timeout),
        ] {
            if let Some(v) = get(variable).filter(|v| !v.is_empty()) {
                let s = seconds(variable, &v)?;
                if s == 0.0 {
                    return Err(ConfigError {
                        variable,
                        message: "must be above 0".into(),
                    });
                }
                *field = Duration::from_secs_f64(s);
            }
        }
        if let Some(v) = get("SKILLGAP_MAX_CONNECTIONS").filter(|v| !v.is_empty()) {
            c.max_connections = match v.trim().parse::<usize>() {
                Ok(n) if n > 0 => n,
                _ => {
                    return Err(ConfigError {
                        variable: "SKILLGAP_MAX_CONNECTIONS",
                        message: format!("expected a whole number above 0, got `{v}`"),
                    });
                }
            };
        }
        let web_error = |e: skillgap_onet::web::WebConfigError| ConfigError {
            variable: e.variable,
            message: e.message,
        };
        c.onet_api = skillgap_onet::web::WebConfig::from_lookup(&get).map_err(web_error)?;
        c.onet_ttl = skillgap_fetch::ttl_from_lookup(&get).map_err(web_error)?;
        c.llm = skillgap_llm::LlmConfig::from_lookup(&get).map_err(|e| ConfigError {
            variable: e.variable,
            message: e.message,
        })?;
        if let Some(v) = get("SKILLGAP_RELOAD_INTERVAL").filter(|v| !v.is_empty()) {
            let s = seconds("SKILLGAP_RELOAD_INTERVAL", &v)?;
            c.reload_interval = (s > 0.0).then(|| Duration::from_secs_f64(s));
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_trimmed_and_never_printed() {
        let k = ApiKeys::parse(" alpha , beta,,");
        assert!(k.enabled());
        assert!(k.accepts(b"alpha") && k.accepts(b"beta"));
        assert!(!k.accepts(b"alph") && !k.accepts(b"") && !k.accepts(b"alpha "));
        assert_eq!(format!("{k:?}"), "ApiKeys([redacted; 2 keys])");
        assert!(!ApiKeys::parse(" , ").enabled());
    }

    #[test]
    fn bad_variables_are_named() {
        let env = |k: &str| (k == "SKILLGAP_BIND").then(|| "localhost".to_string());
        let e = Settings::from_lookup(env).unwrap_err();
        assert_eq!(e.variable, "SKILLGAP_BIND");
        let env = |k: &str| (k == "SKILLGAP_REQUEST_TIMEOUT").then(|| "soon".to_string());
        assert!(
            Settings::from_lookup(env)
                .unwrap_err()
                .to_string()
                .starts_with("SKILLGAP_REQUEST_TIMEOUT")
        );
        let env = |k: &str| (k == "SKILLGAP_RELOAD_INTERVAL").then(|| "0".to_string());
        assert_eq!(Settings::from_lookup(env).unwrap().reload_interval, None);
        for (variable, value) in [
            ("SKILLGAP_MAX_CONNECTIONS", "0"),
            ("SKILLGAP_MAX_CONNECTIONS", "many"),
            ("SKILLGAP_HEADER_TIMEOUT", "0"),
            ("SKILLGAP_KEEPALIVE_TIMEOUT", "-1"),
            // Past any clock: refused here rather than overflowing a deadline later.
            ("SKILLGAP_REQUEST_TIMEOUT", "1e15"),
            ("SKILLGAP_HEADER_TIMEOUT", "1e20"),
            ("SKILLGAP_RELOAD_INTERVAL", "1e20"),
            ("SKILLGAP_ONET_TTL", "1e20"),
        ] {
            let env = |k: &str| (k == variable).then(|| value.to_string());
            assert_eq!(Settings::from_lookup(env).unwrap_err().variable, variable);
        }
    }

    #[test]
    fn connection_limits_come_from_the_environment() {
        let env = |k: &str| match k {
            "SKILLGAP_MAX_CONNECTIONS" => Some("250".to_string()),
            "SKILLGAP_HEADER_TIMEOUT" => Some("2.5".to_string()),
            "SKILLGAP_KEEPALIVE_TIMEOUT" => Some("30".to_string()),
            _ => None,
        };
        let c = Settings::from_lookup(env).unwrap();
        assert_eq!(c.max_connections, 250);
        assert_eq!(c.header_timeout, Duration::from_millis(2500));
        assert_eq!(c.keepalive_timeout, Duration::from_secs(30));
        let d = Settings::default();
        assert_eq!(
            (d.max_connections, d.header_timeout, d.keepalive_timeout),
            (10_000, Duration::from_secs(10), Duration::from_secs(5))
        );
    }
}
