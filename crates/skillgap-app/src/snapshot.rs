//! What answers are computed from, as of one state of the store: the catalog, what is derived
//! from it (relatedness and the step graph, the title index), the facts beside it, and the
//! answers already computed from all of them.

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use bytes::Bytes;
use quick_cache::{Equivalent, Weighter};
use skillgap_core::relatedness::{FORMAT_VERSION, RelatednessInput};
use skillgap_core::titles::{TitleIndex, Tuning};
use skillgap_core::{Catalog, CatalogBuilder, Moves, Relatedness, Release, SearchIndex, SocCode};
use skillgap_store::{DataVersion, Store, StoreError};

use crate::answer::labor::{LaborLookup, PreparedLabor};
use crate::facts::Facts;
use crate::image::{StoreImage, kept_image};
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

/// Reads only the rows of the occupations in `only` (and the descriptors) and builds the
/// catalog of them: what a one-shot answer about those occupations alone needs.
pub async fn load_catalog_of(
    store: &Store,
    only: &[SocCode],
) -> Result<(Catalog, DataVersion), StoreError> {
    let started = Instant::now();
    let mut builder = CatalogBuilder::default();
    let version = store.read_catalog_of(&mut builder, Some(only)).await?;
    let catalog = builder.build();
    tracing::info!(
        occupations = catalog.occupations.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "catalog of the occupations asked about loaded"
    );
    Ok((catalog, version))
}

/// What a snapshot holds in memory: everything, or only what one answer needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reach {
    /// Every occupation, with relatedness, steps and the title index.
    Everything,
    /// These occupations alone, with nothing derived: enough to compare them (a gap).
    Occupations(Vec<SocCode>),
}

/// Reads what `reach` asks for and builds a snapshot of it.
pub async fn load_snapshot_reaching(
    store: &Store,
    reach: &Reach,
) -> Result<(Snapshot, DataVersion), StoreError> {
    match reach {
        Reach::Everything => load_snapshot(store).await,
        Reach::Occupations(codes) => {
            let (catalog, version) = load_catalog_of(store, codes).await?;
            let facts = Facts::read_of(store, Some(codes)).await?;
            Ok((Snapshot::underived(catalog, facts), version))
        }
    }
}

/// Reads the store and builds a snapshot of it: the store's image and what is derived from the
/// catalog are read back when the store keeps them for this very data (and read row by row, or
/// derived, and kept once when not).
///
/// The version returned is the one read before anything else: should a load land meanwhile,
/// everything read is at least that new, so the next reload check sees the change and reads
/// again; and what is kept under it never matches the store again.
pub async fn load_snapshot(store: &Store) -> Result<(Snapshot, DataVersion), StoreError> {
    let before = store.data_version().await?;
    let built = async {
        let (image, _) = kept_image(store, &before).await?;
        Ok::<_, StoreError>(
            off_the_workers(move || {
                let started = Instant::now();
                let catalog = image.catalog.build();
                let facts = Facts::from_rows(image.facts);
                tracing::info!(
                    occupations = catalog.occupations.len(),
                    labor = facts.has_labor(),
                    elapsed_ms = started.elapsed().as_millis() as u64,
                    "catalog and facts built"
                );
                (catalog, facts)
            })
            .await,
        )
    };
    // Relatedness is read back while the image is decoded: both are keyed by `before`.
    let ((catalog, facts), kept) = tokio::try_join!(built, read_relatedness(store, &before))?;
    let (relatedness, catalog) = match kept {
        Ok(relatedness) => (relatedness, catalog),
        Err(origin) => derive_relatedness(store, catalog, &before, origin).await,
    };
    let snapshot =
        off_the_workers(move || Snapshot::with_relatedness(catalog, facts, relatedness)).await;
    Ok((snapshot, before))
}

/// Runs CPU-bound work off the async workers, so a server reloading keeps answering (and its
/// connections' timers keep running true) meanwhile.
pub(crate) async fn off_the_workers<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    match tokio::task::spawn_blocking(work).await {
        Ok(value) => value,
        // A panic while building is a bug: let it unwind here as it would have inline.
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// The name relatedness is kept under in the store.
const RELATEDNESS: &str = "relatedness";

/// Where a snapshot's relatedness came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Derivation {
    /// Read back from the store, derived earlier from the same data.
    Read,
    /// Derived now, because the store kept none.
    BuiltMissing,
    /// Derived now, because what the store kept was derived from other data, by another
    /// encoding, or could not be read.
    BuiltStale,
}

/// Relatedness for `catalog` (read as of `version`): read back when the store keeps it under
/// this data's key and encoding, else derived and then kept (a store that refuses the write,
/// read-only say, still gets the fresh figures; it is only said). Stale figures are never used.
pub async fn kept_relatedness(
    store: &Store,
    catalog: Catalog,
    version: &DataVersion,
) -> Result<(Relatedness, Catalog), StoreError> {
    let (relatedness, catalog, _) = relatedness_with_origin(store, catalog, version).await?;
    Ok((relatedness, catalog))
}

/// [`kept_relatedness`], saying where the figures came from.
pub async fn relatedness_with_origin(
    store: &Store,
    catalog: Catalog,
    version: &DataVersion,
) -> Result<(Relatedness, Catalog, Derivation), StoreError> {
    match read_relatedness(store, version).await? {
        Ok(relatedness) => Ok((relatedness, catalog, Derivation::Read)),
        Err(origin) => {
            let (relatedness, catalog) = derive_relatedness(store, catalog, version, origin).await;
            Ok((relatedness, catalog, origin))
        }
    }
}

/// The relatedness the store keeps for `version`'s data, or why there is none to use.
async fn read_relatedness(
    store: &Store,
    version: &DataVersion,
) -> Result<Result<Relatedness, Derivation>, StoreError> {
    let started = Instant::now();
    let key = version.derivation_key();
    Ok(match store.read_derived(RELATEDNESS).await? {
        None => Err(Derivation::BuiltMissing),
        Some(kept) if kept.format_version == FORMAT_VERSION && kept.data_key == key => {
            match off_the_workers(move || Relatedness::from_bytes(&kept.bytes)).await {
                Ok(relatedness) => {
                    tracing::info!(
                        elapsed_ms = started.elapsed().as_millis() as u64,
                        "relatedness read back"
                    );
                    Ok(relatedness)
                }
                Err(e) => {
                    tracing::warn!(error = %e, "the relatedness kept in the store cannot be read");
                    Err(Derivation::BuiltStale)
                }
            }
        }
        Some(_) => Err(Derivation::BuiltStale),
    })
}

/// Derives relatedness from `catalog` and keeps it under `version`'s key (a store that refuses
/// the write, read-only say, still gets the fresh figures; it is only said).
async fn derive_relatedness(
    store: &Store,
    catalog: Catalog,
    version: &DataVersion,
    origin: Derivation,
) -> (Relatedness, Catalog) {
    let started = Instant::now();
    tracing::info!(
        reason = match origin {
            Derivation::BuiltMissing => "the store keeps none yet",
            _ => "what the store keeps was derived from other data or by another skillgap",
        },
        "deriving relatedness once"
    );
    let (relatedness, bytes, catalog) = off_the_workers(move || {
        let relatedness = Relatedness::build(&RelatednessInput::from_catalog(&catalog));
        let bytes = relatedness.to_bytes();
        (relatedness, bytes, catalog)
    })
    .await;
    keep_relatedness(store, &version.derivation_key(), &bytes, started).await;
    (relatedness, catalog)
}

/// Keeps relatedness's `bytes` under `key` (a store that refuses the write still answers; it is
/// only said).
async fn keep_relatedness(store: &Store, key: &str, bytes: &[u8], started: Instant) {
    match store
        .write_derived(RELATEDNESS, FORMAT_VERSION, key, bytes)
        .await
    {
        Ok(()) => tracing::info!(
            bytes = bytes.len(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "relatedness derived and kept"
        ),
        Err(e) => tracing::warn!(
            error = %e,
            "relatedness derived but not kept; the next start derives it again"
        ),
    }
}

/// Keeps the store's image and what the catalog yields, unless they are kept there already:
/// what a load, fetch, enrichment or a labour, programme or title file runs, so that the next
/// start reads them back. Returns where relatedness came from.
pub async fn keep_derived(store: &Store) -> Result<Derivation, StoreError> {
    let version = store.data_version().await?;
    // Only labour, programme or title files changed: relatedness and the image's catalog part
    // are of this very catalog data, so only the image's file part is kept again, without
    // decoding the catalog or building it.
    let relatedness_current = store
        .derived_key(RELATEDNESS)
        .await?
        .is_some_and(|(format, key)| format == FORMAT_VERSION && key == version.derivation_key());
    if relatedness_current && crate::image::keep_files_part(store, &version).await? {
        return Ok(Derivation::Read);
    }
    let (image, _) = kept_image(store, &version).await?;
    let catalog = off_the_workers(move || image.catalog.build()).await;
    let (_, _, origin) = relatedness_with_origin(store, catalog, &version).await?;
    Ok(origin)
}

/// What a load derives from the release in memory while the release's rows are written: the
/// store image's catalog part and relatedness, encoded. Both are pure functions of the release,
/// so they need not wait for the write; whether they describe the store is only known after it
/// (see [`keep_derived_after_load`]).
pub struct ReleaseDerivation {
    occupations: usize,
    done: tokio::sync::oneshot::Receiver<FromRelease>,
}

/// The encoded parts a [`ReleaseDerivation`] yields.
struct FromRelease {
    catalog_bytes: Vec<u8>,
    relatedness_bytes: Vec<u8>,
}

impl ReleaseDerivation {
    /// Starts deriving from `release` on a thread of its own (not the runtime's blocking pool,
    /// so that a load failing meanwhile exits at once instead of waiting for it).
    pub fn start(release: Arc<Release>) -> Self {
        let occupations = release.occupations.len();
        let (tx, done) = tokio::sync::oneshot::channel();
        let work = move || {
            let started = Instant::now();
            let image = StoreImage::of_release(&release);
            drop(release);
            let catalog_bytes = image.catalog_part();
            let catalog = image.catalog.build();
            let relatedness_bytes =
                Relatedness::build(&RelatednessInput::from_catalog(&catalog)).to_bytes();
            tracing::debug!(
                elapsed_ms = started.elapsed().as_millis() as u64,
                "store image and relatedness derived from the release in memory"
            );
            // The receiver is gone when the load failed or the store held more than the
            // release: then nobody wants these.
            let _ = tx.send(FromRelease {
                catalog_bytes,
                relatedness_bytes,
            });
        };
        if let Err(e) = std::thread::Builder::new()
            .name("derive-release".into())
            .spawn(work)
        {
            // The receiver then reports the derivation missing, and the rows are read instead.
            tracing::warn!(error = %e, "cannot start a thread to derive from the release");
        }
        Self { occupations, done }
    }
}

/// [`keep_derived`] right after a release was loaded as release `release_id`, with `derivation`
/// started from that release while it was written: when the store holds that release and nothing
/// else, the image's catalog part and relatedness are what `derivation` made (no row read back,
/// nothing derived after the write); otherwise as [`keep_derived`].
pub async fn keep_derived_after_load(
    store: &Store,
    derivation: ReleaseDerivation,
    release_id: i64,
) -> Result<Derivation, StoreError> {
    let started = Instant::now();
    // Read after the load: should anything land meanwhile, the keys kept under this version
    // never match the store again, so nothing is ever served as that newer data's.
    let version = store.data_version().await?;
    if !crate::image::holds_release_alone(&version, release_id, derivation.occupations) {
        return keep_derived(store).await;
    }
    let key = version.derivation_key();
    let origin = match store.derived_key(RELATEDNESS).await? {
        None => Derivation::BuiltMissing,
        Some((format, kept)) if format == FORMAT_VERSION && kept == key => Derivation::Read,
        Some(_) => Derivation::BuiltStale,
    };
    let (files, derived) = tokio::join!(
        crate::image::keep_files_part_read(store, &version),
        derivation.done
    );
    files?;
    let Ok(derived) = derived else {
        return keep_derived(store).await;
    };
    // One after the other: SQLite takes one writer at a time anyway, and on MariaDB two
    // writers of derived data deadlock on each other's gap locks.
    crate::image::keep_catalog_part(store, &version, &derived.catalog_bytes).await;
    if origin != Derivation::Read {
        keep_relatedness(store, &key, &derived.relatedness_bytes, started).await;
    }
    tracing::info!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        "store image and relatedness made from the release loaded, and kept"
    );
    Ok(origin)
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
    /// Built on first use (or by [`Snapshot::warm`]): an answer that names its occupations by
    /// code never needs them, and a start need not wait for them.
    titles: OnceLock<SearchIndex>,
    coder: OnceLock<TitleIndex>,
    /// Whether the coder takes the labelled titles as evidence (not over a few occupations).
    labelled_evidence: bool,
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
        let relatedness = Relatedness::build(&RelatednessInput::from_catalog(&catalog));
        Self::with_relatedness(catalog, facts, relatedness)
    }

    /// A snapshot of a catalog and its facts with nothing derived: for answers that compare
    /// given occupations only, which never look at relatedness, steps or titles.
    pub fn underived(catalog: Catalog, facts: Facts) -> Self {
        let labor = PreparedLabor::new(
            &facts,
            catalog.occupations.iter().map(|o| o.occupation.code),
        );
        Self {
            catalog,
            moves: Moves::default(),
            titles: OnceLock::from(SearchIndex::default()),
            coder: OnceLock::new(),
            // Over the few occupations read: a title typed here was resolved before reading them.
            labelled_evidence: false,
            facts,
            labor,
            answers: quick_cache::sync::Cache::with_weighter(1024, ANSWER_CACHE_BYTES, ByLength),
        }
    }

    /// A snapshot of a catalog and its facts, with relatedness derived earlier from the same
    /// catalog: the step graph is built, the facts prepared for answers, and the answer cache is
    /// empty; the title indexes are built when first used.
    pub fn with_relatedness(catalog: Catalog, facts: Facts, relatedness: Relatedness) -> Self {
        let started = Instant::now();
        let moves = Moves::with_relatedness(&catalog, relatedness);
        let labor = PreparedLabor::new(
            &facts,
            catalog.occupations.iter().map(|o| o.occupation.code),
        );
        tracing::debug!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "steps built"
        );
        Self {
            catalog,
            moves,
            titles: OnceLock::new(),
            coder: OnceLock::new(),
            labelled_evidence: true,
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
        self.titles
            .get_or_init(|| SearchIndex::new(&self.catalog.occupations))
    }

    /// The job-title coder.
    pub fn coder(&self) -> &TitleIndex {
        self.coder.get_or_init(|| {
            let started = Instant::now();
            let labelled = if self.labelled_evidence {
                self.facts.labelled().to_vec()
            } else {
                Vec::new()
            };
            let coder = TitleIndex::build(&self.catalog.occupations, labelled, Tuning::default());
            tracing::debug!(
                elapsed_ms = started.elapsed().as_millis() as u64,
                "title index built"
            );
            coder
        })
    }

    /// Builds what is otherwise built on first use, so that a server's first search does not
    /// wait for it.
    pub fn warm(&self) {
        self.titles();
        self.coder();
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
