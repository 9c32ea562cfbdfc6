//! A client for O*NET Web Services (API v2 and the classic v1.9): one occupation's row and its
//! ratings, fetched page by page and checked like release rows.

mod client;
mod config;
pub mod page;

pub use client::{Fetched, OnetClient, WebError};
pub use config::{ApiVersion, Credentials, WebConfig, WebConfigError};
/// Credentials are held in secrecy's strings: never in `Debug` output, wiped on drop.
pub use secrecy::SecretString;
