//! Everything the store can fail with; no message ever carries a password.

use crate::redact::redact_text;

/// Everything the store can fail with. Messages never contain a password.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL is not one skillgap understands.
    #[error("DATABASE_URL `{url}` is not usable: {reason}")]
    InvalidUrl {
        /// The URL, password removed.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The database could not be reached or refused the connection.
    #[error(
        "cannot connect to the database at {url} (check DATABASE_URL and that the server is running)"
    )]
    Connect {
        /// The URL, password removed.
        url: String,
        /// The driver's reason.
        source: sqlx::Error,
    },
    /// The schema was made by a newer skillgap.
    #[error(
        "the database at {url} has schema version {found}, but this skillgap knows only up to version {known}; it was set up by a newer skillgap, so upgrade skillgap (nothing was changed)"
    )]
    SchemaTooNew {
        /// The URL, password removed.
        url: String,
        /// Newest migration recorded in the database.
        found: i64,
        /// Newest migration this binary has.
        known: i64,
    },
    /// A migration failed.
    #[error("cannot bring the database schema up to date")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A query failed; the message carries the driver's reason, since "database error" alone
    /// leaves an operator guessing during an outage.
    #[error("database error: {}", redact_text(&.0.to_string()))]
    Query(#[from] sqlx::Error),
}
