//! Shared server state: the application service, the settings and the metrics registry.

use std::sync::Arc;

use skillgap_app::{Service, Settings};

use crate::metrics::Metrics;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    service: Service,
    settings: Settings,
    metrics: Metrics,
}

impl AppState {
    /// State around an application service.
    pub fn new(service: Service, settings: Settings) -> Self {
        Self {
            inner: Arc::new(Inner {
                service,
                settings,
                metrics: Metrics::new(),
            }),
        }
    }

    /// The application service: catalog, store, on-demand fetching, LLM.
    pub fn service(&self) -> &Service {
        &self.inner.service
    }

    /// The settings.
    pub fn config(&self) -> &Settings {
        &self.inner.settings
    }

    /// The metrics registry.
    pub fn metrics(&self) -> &Metrics {
        &self.inner.metrics
    }
}
