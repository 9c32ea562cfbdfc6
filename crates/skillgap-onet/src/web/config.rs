//! Configuration of the O*NET Web Services client: which generation, where, and credentials
//! (from the environment; held in [`SecretString`]s, so never printed).

use std::time::Duration;

use secrecy::SecretString;
use url::Url;

/// The API generation to talk to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiVersion {
    /// API v2 at `https://api-v2.onetcenter.org/`, `X-API-Key`, JSON.
    V2,
    /// The classic API v1.9 at `https://services.onetcenter.org/v1.9/ws/`, HTTP Basic, XML or JSON.
    V1_9,
}

impl ApiVersion {
    /// `v2` or `v1.9`.
    pub fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V2 => "v2",
            ApiVersion::V1_9 => "v1.9",
        }
    }

    /// The provenance name stored with fetched rows: `onet-api-v2` or `onet-api-v1.9`.
    pub fn provenance(self) -> &'static str {
        match self {
            ApiVersion::V2 => "onet-api-v2",
            ApiVersion::V1_9 => "onet-api-v1.9",
        }
    }

    /// The official base URL.
    pub fn default_url(self) -> &'static str {
        match self {
            ApiVersion::V2 => "https://api-v2.onetcenter.org/",
            ApiVersion::V1_9 => "https://services.onetcenter.org/v1.9/ws/",
        }
    }
}

/// Shown in place of a secret in `Debug` output.
struct Redacted;

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

/// How to authenticate.
#[derive(Clone)]
pub enum Credentials {
    /// v2: the `X-API-Key` header.
    ApiKey(SecretString),
    /// v1.9: HTTP Basic.
    Basic {
        /// Web Services username.
        username: String,
        /// Web Services password.
        password: SecretString,
    },
}

// By hand, to print the secrets as `[redacted]` exactly as before secrecy held them.
impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credentials::ApiKey(_) => f.debug_tuple("ApiKey").field(&Redacted).finish(),
            Credentials::Basic { username, .. } => f
                .debug_struct("Basic")
                .field("username", username)
                .field("password", &Redacted)
                .finish(),
        }
    }
}

/// Everything the client needs.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Generation.
    pub version: ApiVersion,
    /// Base URL, ending in `/`.
    pub base_url: Url,
    /// Credentials.
    pub credentials: Credentials,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Retries after the first attempt, for 429, 5xx, timeouts and connection failures.
    pub max_retries: u32,
    /// Smallest gap between two requests (O*NET's terms allow 5 requests per second).
    pub min_interval: Duration,
}

/// A configuration value that cannot be used; the message names the variable.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{variable}: {message}")]
pub struct WebConfigError {
    /// The variable at fault.
    pub variable: &'static str,
    /// What is wrong.
    pub message: String,
}

fn err(variable: &'static str, message: impl Into<String>) -> WebConfigError {
    WebConfigError {
        variable,
        message: message.into(),
    }
}

impl WebConfig {
    /// Reads `SKILLGAP_ONET_API_VERSION` (`v2` default, or `v1.9`), `SKILLGAP_ONET_API_URL`,
    /// `SKILLGAP_ONET_API_KEY` or `SKILLGAP_ONET_USERNAME` + `SKILLGAP_ONET_PASSWORD`,
    /// `SKILLGAP_ONET_TIMEOUT` (seconds, default 10). `Ok(None)` when no credentials are set:
    /// fetching is off.
    pub fn from_lookup(
        get: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Self>, WebConfigError> {
        let get = |k: &str| get(k).filter(|v| !v.trim().is_empty());
        let key = get("SKILLGAP_ONET_API_KEY");
        let user = get("SKILLGAP_ONET_USERNAME");
        let pass = get("SKILLGAP_ONET_PASSWORD");
        let version = match get("SKILLGAP_ONET_API_VERSION").as_deref().map(str::trim) {
            None | Some("v2") | Some("2") => ApiVersion::V2,
            Some("v1.9") | Some("1.9") => ApiVersion::V1_9,
            Some(other) => {
                return Err(err(
                    "SKILLGAP_ONET_API_VERSION",
                    format!("expected v2 or v1.9, got `{other}`"),
                ));
            }
        };
        if key.is_none() && user.is_none() && pass.is_none() {
            return Ok(None);
        }
        let credentials = match version {
            ApiVersion::V2 => Credentials::ApiKey(SecretString::from(key.ok_or_else(|| {
                err("SKILLGAP_ONET_API_KEY", "API v2 authenticates with an API key; set SKILLGAP_ONET_API_KEY (or SKILLGAP_ONET_API_VERSION=v1.9 for username and password)")
            })?)),
            ApiVersion::V1_9 => match (user, pass) {
                (Some(username), Some(password)) => Credentials::Basic { username, password: SecretString::from(password) },
                _ => {
                    return Err(err(
                        "SKILLGAP_ONET_USERNAME",
                        "API v1.9 authenticates with a username and password; set both SKILLGAP_ONET_USERNAME and SKILLGAP_ONET_PASSWORD",
                    ));
                }
            },
        };
        let raw_url =
            get("SKILLGAP_ONET_API_URL").unwrap_or_else(|| version.default_url().to_owned());
        let base_url = skillgap_http::base_url(&raw_url).ok_or_else(|| {
            err(
                "SKILLGAP_ONET_API_URL",
                format!("expected an http(s) URL, got `{raw_url}`"),
            )
        })?;
        let timeout = match get("SKILLGAP_ONET_TIMEOUT") {
            None => Duration::from_secs(10),
            Some(v) => match v.trim().parse::<f64>() {
                Ok(s) if s.is_finite() && s > 0.0 && s <= 86_400.0 => Duration::from_secs_f64(s),
                _ => {
                    return Err(err(
                        "SKILLGAP_ONET_TIMEOUT",
                        format!("expected seconds above 0, at most 86400, got `{v}`"),
                    ));
                }
            },
        };
        Ok(Some(Self {
            version,
            base_url,
            credentials,
            timeout,
            max_retries: 3,
            min_interval: Duration::from_millis(200),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let m: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| m.get(k).cloned()
    }

    #[test]
    fn off_without_credentials() {
        assert!(WebConfig::from_lookup(lookup(&[])).unwrap().is_none());
        assert!(
            WebConfig::from_lookup(lookup(&[("SKILLGAP_ONET_API_URL", "http://x/")]))
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn a_timeout_past_a_day_is_refused_not_a_panic() {
        for bad in ["1e20", "0", "soon"] {
            let e = WebConfig::from_lookup(lookup(&[
                ("SKILLGAP_ONET_API_KEY", "k"),
                ("SKILLGAP_ONET_TIMEOUT", bad),
            ]))
            .unwrap_err();
            assert_eq!(e.variable, "SKILLGAP_ONET_TIMEOUT");
        }
    }

    #[test]
    fn v2_with_a_key_and_v1_9_with_basic() {
        let c = WebConfig::from_lookup(lookup(&[("SKILLGAP_ONET_API_KEY", "k")]))
            .unwrap()
            .unwrap();
        assert_eq!(
            (c.version, c.base_url.as_str()),
            (ApiVersion::V2, "https://api-v2.onetcenter.org/")
        );
        let c = WebConfig::from_lookup(lookup(&[
            ("SKILLGAP_ONET_API_VERSION", "v1.9"),
            ("SKILLGAP_ONET_USERNAME", "u"),
            ("SKILLGAP_ONET_PASSWORD", "p4ss"),
            ("SKILLGAP_ONET_API_URL", "http://127.0.0.1:9/v1.9/ws"),
        ]))
        .unwrap()
        .unwrap();
        assert_eq!(c.base_url.as_str(), "http://127.0.0.1:9/v1.9/ws/");
        assert!(!format!("{c:?}").contains("p4ss"));
    }

    #[test]
    fn credentials_show_as_redacted_and_are_kept_whole() {
        use secrecy::ExposeSecret;
        let c = WebConfig::from_lookup(lookup(&[("SKILLGAP_ONET_API_KEY", "k3y-v2")]))
            .unwrap()
            .unwrap();
        assert_eq!(format!("{:?}", c.credentials), "ApiKey([redacted])");
        let Credentials::ApiKey(key) = &c.credentials else {
            panic!("v2 uses a key, got {:?}", c.credentials);
        };
        assert_eq!(key.expose_secret(), "k3y-v2");
        let c = WebConfig::from_lookup(lookup(&[
            ("SKILLGAP_ONET_API_VERSION", "v1.9"),
            ("SKILLGAP_ONET_USERNAME", "u"),
            ("SKILLGAP_ONET_PASSWORD", "p4ss"),
        ]))
        .unwrap()
        .unwrap();
        assert_eq!(
            format!("{:?}", c.credentials),
            r#"Basic { username: "u", password: [redacted] }"#
        );
        let Credentials::Basic { password, .. } = &c.credentials else {
            panic!("v1.9 uses basic, got {:?}", c.credentials);
        };
        assert_eq!(password.expose_secret(), "p4ss");
    }

    #[test]
    fn mismatched_credentials_name_the_variable() {
        let e = WebConfig::from_lookup(lookup(&[("SKILLGAP_ONET_USERNAME", "u")])).unwrap_err();
        assert_eq!(e.variable, "SKILLGAP_ONET_API_KEY");
        let e = WebConfig::from_lookup(lookup(&[
            ("SKILLGAP_ONET_API_VERSION", "v1.9"),
            ("SKILLGAP_ONET_API_KEY", "k"),
        ]))
        .unwrap_err();
        assert_eq!(e.variable, "SKILLGAP_ONET_USERNAME");
        let e = WebConfig::from_lookup(lookup(&[
            ("SKILLGAP_ONET_API_VERSION", "v3"),
            ("SKILLGAP_ONET_API_KEY", "k"),
        ]))
        .unwrap_err();
        assert_eq!(e.variable, "SKILLGAP_ONET_API_VERSION");
    }
}
