//! Shared server state: the in-memory catalog (swapped atomically when the store changes), the
//! store it is built from, and the metrics registry.

use std::sync::Arc;
use std::time::Instant;

use arc_swap::{ArcSwap, Guard};
use skillgap_core::Catalog;
use skillgap_store::{DataVersion, Store, StoreError};
use tokio::sync::Mutex;

use crate::config::Config;
use crate::metrics::Metrics;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    catalog: ArcSwap<Catalog>,
    store: Store,
    config: Config,
    metrics: Metrics,
    /// The data version the current catalog was built from; also serialises reloads.
    version: Mutex<DataVersion>,
}

/// Reads the store and builds the catalog from it.
pub async fn load_catalog(store: &Store) -> Result<(Catalog, DataVersion), StoreError> {
    let started = Instant::now();
    let version = store.data_version().await?;
    let ds = store.dataset().await?;
    let catalog = Catalog::build(ds.release, &ds.data, &ds.occupation_sources);
    tracing::info!(
        occupations = catalog.occupations.len(),
        ratings = ds.data.ratings.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "catalog loaded"
    );
    Ok((catalog, version))
}

impl AppState {
    /// State around an already built catalog.
    pub fn new(store: Store, catalog: Catalog, version: DataVersion, config: Config) -> Self {
        Self {
            inner: Arc::new(Inner {
                catalog: ArcSwap::from_pointee(catalog),
                store,
                config,
                metrics: Metrics::new(),
                version: Mutex::new(version),
            }),
        }
    }

    /// The current catalog; cheap, and never blocks a reload.
    pub fn catalog(&self) -> Guard<Arc<Catalog>> {
        self.inner.catalog.load()
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The metrics registry.
    pub fn metrics(&self) -> &Metrics {
        &self.inner.metrics
    }

    /// Rebuilds the catalog if the store changed since it was built, then swaps it in; readers
    /// keep the old one until they finish. Returns whether it was rebuilt.
    pub async fn reload_if_changed(&self) -> Result<bool, StoreError> {
        let mut current = self.inner.version.lock().await;
        if self.inner.store.data_version().await? == *current {
            return Ok(false);
        }
        let (catalog, version) = load_catalog(&self.inner.store).await?;
        self.inner.catalog.store(Arc::new(catalog));
        *current = version;
        Ok(true)
    }
}
