//! The in-memory catalog: built from the store, and served with the answers already computed
//! from it.

use std::time::Instant;

use bytes::Bytes;
use quick_cache::Weighter;
use skillgap_core::{Catalog, CatalogBuilder};
use skillgap_store::{DataVersion, Store, StoreError};

use crate::facts::Facts;

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

/// Reads the store and builds the catalog and the facts beside it. The facts are read after the
/// catalog's snapshot: should a load land in between, the version returned is the older one, so
/// the next reload check rebuilds both.
pub async fn load_served(store: &Store) -> Result<(Served, DataVersion), StoreError> {
    let (catalog, version) = load_catalog(store).await?;
    let started = Instant::now();
    let facts = Facts::read(store).await?;
    tracing::info!(
        labor = facts.has_labor(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "facts loaded"
    );
    Ok((Served::with_facts(catalog, facts), version))
}

/// Bytes of serialized answers kept per catalog. Answers are pure functions of the catalog and
/// the request, so a repeated request (a popular pair, a shared link) is served without
/// recomputing; the cache goes away with the catalog it was computed from.
const ANSWER_CACHE_BYTES: u64 = 8 * 1024 * 1024;

#[derive(Clone)]
struct ByLength;

impl Weighter<Box<str>, Bytes> for ByLength {
    fn weight(&self, key: &Box<str>, value: &Bytes) -> u64 {
        (key.len() + value.len()) as u64
    }
}

/// A catalog, the facts beside it, and the answers already computed from both.
pub struct Served {
    catalog: Catalog,
    facts: Facts,
    answers: quick_cache::sync::Cache<Box<str>, Bytes, ByLength>,
}

impl Served {
    /// A catalog without facts, with an empty answer cache.
    pub fn new(catalog: Catalog) -> Self {
        Self::with_facts(catalog, Facts::default())
    }

    /// A catalog and its facts, with an empty answer cache.
    pub fn with_facts(catalog: Catalog, facts: Facts) -> Self {
        let facts = facts.prepare(catalog.occupations.iter().map(|o| o.occupation.code));
        Self {
            catalog,
            facts,
            answers: quick_cache::sync::Cache::with_weighter(1024, ANSWER_CACHE_BYTES, ByLength),
        }
    }

    /// The catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The facts beside the catalog.
    pub fn facts(&self) -> &Facts {
        &self.facts
    }

    /// The answer for `key` (a request's canonical key), computed by `make` on a miss; errors
    /// are not cached.
    pub fn answer<E>(
        &self,
        key: &str,
        make: impl FnOnce(&Served) -> Result<Bytes, E>,
    ) -> Result<Bytes, E> {
        if let Some(hit) = self.answers.get(key) {
            return Ok(hit);
        }
        let bytes = make(self)?;
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
                .answer::<()>("gap|a|b", |_| {
                    made += 1;
                    Ok(Bytes::from(vec![b'x'; 12_000]))
                })
                .unwrap();
            assert_eq!(body.len(), 12_000);
        }
        assert_eq!(made, 1);
    }
}
