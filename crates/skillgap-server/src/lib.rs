//! skillgap's HTTP API: axum routes over the application service.
//!
//! Start reading at [`app::App`] (build, bind, run), [`app::api`] (every route, each declared
//! once in its handler's attribute) and [`app::router`]; handlers are in [`routes`], which
//! extract typed requests through [`extract`] and answer with [`skillgap_app`]'s service and
//! bodies; [`problem`] maps every error to one status and body; [`openapi`] turns the routes'
//! declarations into the document.

pub mod app;
pub mod conn;
pub mod extract;
pub mod metrics;
pub mod openapi;
pub mod problem;
pub mod routes;
mod schemas;
pub mod state;
pub mod web;

pub use app::{App, StartError, router, shutdown_signal};
pub use problem::{ApiError, Problem};
pub use skillgap_app::{ApiKeys, ConfigError, Settings};
pub use state::AppState;
