//! What answers are computed from, as of one state of the store: the catalog, what is derived
//! from it (relatedness and the step graph, the title index), the facts beside it, and the
//! answers already computed from all of them.

use std::time::Instant;

use bytes::Bytes;
use quick_cache::{Equivalent, Weighter};
use skillgap_core::titles::{TitleIndex, Tuning};
use skillgap_core::{Catalog, CatalogBuilder, Moves, SearchIndex, SocCode};
use skillgap_store::{DataVersion, Store, StoreError};

use crate::answer::labor::{LaborLookup, PreparedLabor};
use crate::facts::Facts;
use crate::params::{GapRequest, PathRequest, TransitionsRequest};

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

/// Reads the store and builds a snapshot of it. The facts are read after the catalog's
/// snapshot: should a load land in between, the version returned is the older one, so the next
/// reload check rebuilds both.
pub async fn load_snapshot(store: &Store) -> Result<(Snapshot, DataVersion), StoreError> {
    let (catalog, version) = load_catalog(store).await?;
    let started = Instant::now();
    let facts = Facts::read(store).await?;
    tracing::info!(
        labor = facts.has_labor(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "facts loaded"
    );
    // Deriving relatedness is seconds of CPU: off the async workers, so a server reloading keeps
    // answering (and its connections' timers keep running true) meanwhile.
    let snapshot = match tokio::task::spawn_blocking(move || Snapshot::new(catalog, facts)).await {
        Ok(snapshot) => snapshot,
        // A panic while building is a bug: let it unwind here as it would have inline.
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    };
    Ok((snapshot, version))
}

/// Bytes of serialized answers kept per snapshot. Answers are pure functions of the snapshot and
/// the request, so a repeated request (a popular pair, a shared link) is served without
/// recomputing; the cache goes away with the snapshot it was computed from.
const ANSWER_CACHE_BYTES: u64 = 8 * 1024 * 1024;

/// A request whose answer is kept: the whole typed request is the key, so two requests share
/// an answer exactly when every parameter is equal.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Cached {
    /// `GET /skill-gap`.
    Gap(GapRequest),
    /// `GET /occupations/{code}/transitions`.
    Transitions(TransitionsRequest),
    /// `GET /paths`.
    Paths(PathRequest),
}

/// A [`Cached`] key by reference, to look an answer up without copying the request. Its variants
/// mirror [`Cached`]'s, so the derived hashes are equal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CachedRef<'a> {
    /// `GET /skill-gap`.
    Gap(&'a GapRequest),
    /// `GET /occupations/{code}/transitions`.
    Transitions(&'a TransitionsRequest),
    /// `GET /paths`.
    Paths(&'a PathRequest),
}

impl Equivalent<Cached> for CachedRef<'_> {
    fn equivalent(&self, key: &Cached) -> bool {
        match (self, key) {
            (CachedRef::Gap(a), Cached::Gap(b)) => *a == b,
            (CachedRef::Transitions(a), Cached::Transitions(b)) => *a == b,
            (CachedRef::Paths(a), Cached::Paths(b)) => *a == b,
            _ => false,
        }
    }
}

/// A request whose answer the snapshot keeps.
pub trait Cacheable {
    /// The key, by reference.
    fn key(&self) -> CachedRef<'_>;
    /// The key, owned (made once, when an answer is stored).
    fn to_key(&self) -> Cached;
}

impl Cacheable for GapRequest {
    fn key(&self) -> CachedRef<'_> {
        CachedRef::Gap(self)
    }
    fn to_key(&self) -> Cached {
        Cached::Gap(self.clone())
    }
}

impl Cacheable for TransitionsRequest {
    fn key(&self) -> CachedRef<'_> {
        CachedRef::Transitions(self)
    }
    fn to_key(&self) -> Cached {
        Cached::Transitions(self.clone())
    }
}

impl Cacheable for PathRequest {
    fn key(&self) -> CachedRef<'_> {
        CachedRef::Paths(self)
    }
    fn to_key(&self) -> Cached {
        Cached::Paths(self.clone())
    }
}

#[derive(Clone)]
struct ByLength;

impl Weighter<Cached, Bytes> for ByLength {
    fn weight(&self, _: &Cached, value: &Bytes) -> u64 {
        (std::mem::size_of::<Cached>() + value.len()) as u64
    }
}

/// A catalog, what is derived from it, the facts beside it, and the answers computed from them.
pub struct Snapshot {
    catalog: Catalog,
    moves: Moves,
    titles: SearchIndex,
    coder: TitleIndex,
    facts: Facts,
    labor: PreparedLabor,
    answers: quick_cache::sync::Cache<Cached, Bytes, ByLength>,
}

impl Snapshot {
    /// A snapshot of a catalog without facts.
    pub fn of_catalog(catalog: Catalog) -> Self {
        Self::new(catalog, Facts::default())
    }

    /// A snapshot of a catalog and its facts: relatedness, the step graph and the title index
    /// are built from the catalog, the facts prepared for answers, and the answer cache is empty.
    pub fn new(catalog: Catalog, facts: Facts) -> Self {
        let started = Instant::now();
        let moves = Moves::build(&catalog);
        let titles = SearchIndex::new(&catalog.occupations);
        let coder = TitleIndex::build(
            &catalog.occupations,
            facts.labelled().to_vec(),
            Tuning::default(),
        );
        let labor = PreparedLabor::new(
            &facts,
            catalog.occupations.iter().map(|o| o.occupation.code),
        );
        tracing::debug!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "relatedness, steps and title index built"
        );
        Self {
            catalog,
            moves,
            titles,
            coder,
            facts,
            labor,
            answers: quick_cache::sync::Cache::with_weighter(1024, ANSWER_CACHE_BYTES, ByLength),
        }
    }

    /// The catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Relatedness and the step graph.
    pub fn moves(&self) -> &Moves {
        &self.moves
    }

    /// The title search index.
    pub fn titles(&self) -> &SearchIndex {
        &self.titles
    }

    /// The job-title coder.
    pub fn coder(&self) -> &TitleIndex {
        &self.coder
    }

    /// The facts beside the catalog.
    pub fn facts(&self) -> &Facts {
        &self.facts
    }

    /// The labour facts, as answers read them.
    pub fn labor(&self) -> LaborLookup<'_> {
        LaborLookup {
            facts: &self.facts,
            prepared: &self.labor,
        }
    }

    /// An occupation's median annual wage by catalog index; `None` when no BLS data is loaded.
    pub fn median_wage_at(&self, index: usize) -> Option<skillgap_core::labor::Wage> {
        let code: SocCode = self.catalog.occupations[index].occupation.code;
        self.labor().median_wage(code)
    }

    /// The kept answer to `request`, computed by `make` on a miss; errors are not kept.
    pub fn cached<E>(
        &self,
        request: &impl Cacheable,
        make: impl FnOnce(&Snapshot) -> Result<Bytes, E>,
    ) -> Result<Bytes, E> {
        if let Some(hit) = self.answers.get(&request.key()) {
            return Ok(hit);
        }
        let bytes = make(self)?;
        self.answers.insert(request.to_key(), bytes.clone());
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use std::hash::BuildHasher;

    use super::*;

    #[test]
    fn a_repeated_answer_is_computed_once_and_keyed_by_the_whole_request() {
        let snapshot = Snapshot::of_catalog(Catalog::build(
            None,
            &Default::default(),
            &Default::default(),
        ));
        let a = SocCode::parse("15-1254.00").unwrap();
        let b = SocCode::parse("11-3021.00").unwrap();
        let request = GapRequest {
            from: a,
            to: b,
            options: Default::default(),
        };
        let mut made = 0;
        for _ in 0..3 {
            let body = snapshot
                .cached::<()>(&request, |_| {
                    made += 1;
                    Ok(Bytes::from(vec![b'x'; 12_000]))
                })
                .unwrap();
            assert_eq!(body.len(), 12_000);
        }
        assert_eq!(made, 1);
        let reversed = GapRequest {
            from: b,
            to: a,
            ..request.clone()
        };
        snapshot
            .cached::<()>(&reversed, |_| {
                made += 1;
                Ok(Bytes::new())
            })
            .unwrap();
        assert_eq!(made, 2, "another request is another answer");
        // A key by reference hashes as the owned key does, or lookups would always miss.
        let hasher = std::collections::hash_map::RandomState::new();
        assert_eq!(
            hasher.hash_one(request.key()),
            hasher.hash_one(request.to_key())
        );
    }
}
