//! Shared server state: the in-memory catalog (swapped atomically when the store changes), the
//! store it is built from, and the metrics registry.

use std::sync::Arc;
use std::time::Instant;

use arc_swap::{ArcSwap, Guard};
use bytes::Bytes;
use quick_cache::Weighter;
use skillgap_core::{Catalog, CatalogBuilder};
use skillgap_store::{DataVersion, Store, StoreError};
use tokio::sync::Mutex;

use crate::config::Config;
use crate::metrics::Metrics;

/// Bytes of serialized answers kept per catalog. Answers are pure functions of the catalog and
/// the query, so a repeated query (a popular pair, a shared link) is served without recomputing;
/// the cache goes away with the catalog it was computed from.
const ANSWER_CACHE_BYTES: u64 = 8 * 1024 * 1024;

#[derive(Clone)]
struct ByLength;

impl Weighter<Box<str>, Bytes> for ByLength {
    fn weight(&self, key: &Box<str>, value: &Bytes) -> u64 {
        (key.len() + value.len()) as u64
    }
}

/// A catalog and the answers already computed from it.
pub struct Served {
    catalog: Catalog,
    answers: quick_cache::sync::Cache<Box<str>, Bytes, ByLength>,
}

impl Served {
    fn new(catalog: Catalog) -> Self {
        Self {
            catalog,
            answers: quick_cache::sync::Cache::with_weighter(1024, ANSWER_CACHE_BYTES, ByLength),
        }
    }

    /// The answer for `key`, computed by `make` on a miss; errors are not cached.
    pub fn answer<E>(
        &self,
        key: &str,
        make: impl FnOnce(&Catalog) -> Result<Bytes, E>,
    ) -> Result<Bytes, E> {
        if let Some(hit) = self.answers.get(key) {
            return Ok(hit);
        }
        let bytes = make(&self.catalog)?;
        self.answers.insert(key.into(), bytes.clone());
        Ok(bytes)
    }
}

impl std::ops::Deref for Served {
    type Target = Catalog;
    fn deref(&self) -> &Catalog {
        &self.catalog
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    catalog: ArcSwap<Served>,
    fetcher: Option<Arc<skillgap_fetch::Fetcher>>,
    llm: Option<skillgap_llm::ChatClient>,
    store: Store,
    config: Config,
    metrics: Metrics,
    /// The data version the current catalog was built from; also serialises reloads.
    version: Mutex<DataVersion>,
}

/// Reads the store and builds the catalog from it.
pub async fn load_catalog(store: &Store) -> Result<(Catalog, DataVersion), StoreError> {
    let started = Instant::now();
    let mut builder = CatalogBuilder::default();
    let version = store.read_catalog(&mut builder).await?;
    let catalog = builder.build();
    tracing::info!(
        occupations = catalog.occupations.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "catalog loaded"
    );
    Ok((catalog, version))
}

impl AppState {
    /// State around an already built catalog.
    pub fn new(store: Store, catalog: Catalog, version: DataVersion, config: Config) -> Self {
        Self::with_fetcher(store, catalog, version, config, None)
    }

    /// As [`AppState::new`], fetching occupations the store lacks through `fetcher`.
    pub fn with_fetcher(
        store: Store,
        catalog: Catalog,
        version: DataVersion,
        config: Config,
        fetcher: Option<Arc<skillgap_fetch::Fetcher>>,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                catalog: ArcSwap::from_pointee(Served::new(catalog)),
                llm: config.llm.clone().map(skillgap_llm::ChatClient::new),
                fetcher,
                store,
                config,
                metrics: Metrics::new(),
                version: Mutex::new(version),
            }),
        }
    }

    /// The current catalog (with its answer cache); cheap, and never blocks a reload.
    pub fn catalog(&self) -> Guard<Arc<Served>> {
        self.inner.catalog.load()
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The LLM client, when one is configured.
    pub fn llm(&self) -> Option<&skillgap_llm::ChatClient> {
        self.inner.llm.as_ref()
    }

    /// The on-demand fetcher, when O*NET Web Services is configured.
    pub fn fetcher(&self) -> Option<&Arc<skillgap_fetch::Fetcher>> {
        self.inner.fetcher.as_ref()
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
        self.inner.catalog.store(Arc::new(Served::new(catalog)));
        *current = version;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_answer_is_computed_once() {
        let served = Served::new(Catalog::build(
            None,
            &Default::default(),
            &Default::default(),
        ));
        let mut made = 0;
        for _ in 0..3 {
            let body = served
                .answer::<()>("gap?from=a&to=b", |_| {
                    made += 1;
                    Ok(Bytes::from(vec![b'x'; 12_000]))
                })
                .unwrap();
            assert_eq!(body.len(), 12_000);
        }
        assert_eq!(made, 1);
    }
}
