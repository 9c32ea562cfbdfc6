//! skillgap's application layer, between the fronts (HTTP API, CLI) and the pure core.
//!
//! A request is parsed once, at the front, into a typed request ([`params`], every parameter
//! described once in [`params`]); the [`Service`] computes its answer on the current
//! [`Snapshot`] of the store, fetching from O*NET Web Services what the store lacks; the answer
//! is a value ([`answer`]) that the API serializes and the CLI prints. Errors are domain values
//! ([`AppError`]) that each front maps once. [`Settings`] is built once, at the edge, and handed
//! down.

pub mod answer;
pub mod error;
pub mod facts;
pub mod image;
pub mod params;
pub mod service;
pub mod settings;
pub mod snapshot;

pub use error::{AppError, UpstreamFailure};
pub use facts::Facts;
pub use service::{FetchNotice, Service};
pub use settings::{ApiKeys, ConfigError, Settings};
pub use snapshot::{
    Cached, Derivation, Reach, ReleaseDerivation, Snapshot, keep_derived, keep_derived_after_load,
    kept_relatedness, load_catalog, load_catalog_of, load_snapshot, load_snapshot_reaching,
};
