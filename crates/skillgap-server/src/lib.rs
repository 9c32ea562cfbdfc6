//! skillgap's HTTP API: axum routes over the in-memory catalog.
//!
//! Start reading at [`app::App`] (build, bind, run) and [`app::router`]; handlers are in
//! [`routes`], and the bodies they return are built in [`api`], which the CLI shares.

pub mod api;
pub mod app;
pub mod config;
pub mod metrics;
pub mod ondemand;
pub mod openapi;
pub mod problem;
pub mod routes;
pub mod state;
pub mod web;

pub use app::{App, StartError, router, shutdown_signal};
pub use config::{ApiKeys, Config, ConfigError};
pub use problem::{ApiError, Problem};
pub use state::{AppState, load_catalog};
