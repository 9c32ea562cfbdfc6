//! The database URL. It may carry a password (`mysql://user:password@host/db`, `?password=`), so
//! it is held as a secret, and every way of showing it (`Display`, `Debug`, messages) shows it
//! with the password replaced by `***`.

use std::convert::Infallible;
use std::str::FromStr;

use secrecy::{ExposeSecret, SecretString};

use crate::redact::redact;

/// The URL used when `DATABASE_URL` is not set: a SQLite file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://skillgap.db";

/// A database URL whose password never shows.
#[derive(Clone)]
pub struct DatabaseUrl(SecretString);

impl DatabaseUrl {
    /// Wraps `url`.
    pub fn new(url: impl Into<String>) -> Self {
        Self(SecretString::from(url.into()))
    }

    /// The URL itself, password included, for the one place that connects.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// The URL with any password replaced by `***`.
    pub fn redacted(&self) -> String {
        redact(self.expose())
    }
}

impl Default for DatabaseUrl {
    fn default() -> Self {
        Self::new(DEFAULT_DATABASE_URL)
    }
}

impl FromStr for DatabaseUrl {
    type Err = Infallible;

    fn from_str(s: &str) -> Result<Self, Infallible> {
        Ok(Self::new(s))
    }
}

impl From<&str> for DatabaseUrl {
    fn from(s: &str) -> Self {
        Self::new(s)
    }
}

impl From<String> for DatabaseUrl {
    fn from(s: String) -> Self {
        Self::new(s)
    }
}

impl From<&String> for DatabaseUrl {
    fn from(s: &String) -> Self {
        Self::new(s.as_str())
    }
}

impl From<&DatabaseUrl> for DatabaseUrl {
    fn from(url: &DatabaseUrl) -> Self {
        url.clone()
    }
}

impl std::fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.redacted(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_only_the_redacted_url() {
        let url: DatabaseUrl = "mysql://root:s3cret@db:3306/x?password=p2".parse().unwrap();
        assert_eq!(url.expose(), "mysql://root:s3cret@db:3306/x?password=p2");
        assert_eq!(url.to_string(), "mysql://root:***@db:3306/x?password=***");
        assert_eq!(
            format!("{url:?}"),
            "\"mysql://root:***@db:3306/x?password=***\""
        );
        assert_eq!(DatabaseUrl::default().expose(), DEFAULT_DATABASE_URL);
    }
}
