//! The one service both fronts answer through: a snapshot of the store in memory (swapped
//! atomically when the store changes), and "answer, fetching what is missing first" — when an
//! answer needs an occupation the store lacks (unknown, or without O*NET ratings) and O*NET Web
//! Services is configured, fetch it, reload the snapshot and answer again.

use std::sync::Arc;

use arc_swap::{ArcSwap, Guard};
use skillgap_core::{Catalog, SocCode};
use skillgap_fetch::{FetchError, Fetcher};
use skillgap_llm::ChatClient;
use skillgap_onet::web::WebError;
use skillgap_store::{DataVersion, Store, StoreError};
use tokio::sync::Mutex;

use crate::answer::gap::{GapBody, skill_gap};
use crate::answer::narrative::NarrativeBody;
use crate::error::{AppError, UpstreamFailure};
use crate::params::GapRequest;
use crate::settings::Settings;
use crate::snapshot::{Reach, Snapshot, load_snapshot, load_snapshot_reaching};

/// Most occupations one answer may fetch (a gap names two).
const MAX_FETCHES_PER_ANSWER: usize = 2;

/// Told of each occupation fetched on demand (the CLI says so on stderr).
pub type FetchNotice = Box<dyn Fn(SocCode) + Send + Sync>;

/// The application service. Cheap to clone (shared).
#[derive(Clone)]
pub struct Service {
    inner: Arc<Inner>,
}

struct Inner {
    snapshot: ArcSwap<Snapshot>,
    store: Store,
    fetcher: Option<Arc<Fetcher>>,
    llm: Option<ChatClient>,
    notice: Option<FetchNotice>,
    /// The data version the current catalog was built from; also serialises reloads.
    version: Mutex<DataVersion>,
    /// Whether each new snapshot's title indexes are built at once, in the background (a
    /// server, which will be asked to search); a one-shot answer builds them only if it needs
    /// them.
    warm: std::sync::atomic::AtomicBool,
}

impl Service {
    /// A service over `store`, with the catalog already built from it.
    pub fn new(
        store: Store,
        catalog: Catalog,
        version: DataVersion,
        fetcher: Option<Arc<Fetcher>>,
        llm: Option<ChatClient>,
    ) -> Self {
        Self::build(
            store,
            Snapshot::of_catalog(catalog),
            version,
            fetcher,
            llm,
            None,
        )
    }

    fn build(
        store: Store,
        snapshot: Snapshot,
        version: DataVersion,
        fetcher: Option<Arc<Fetcher>>,
        llm: Option<ChatClient>,
        notice: Option<FetchNotice>,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                snapshot: ArcSwap::from_pointee(snapshot),
                store,
                fetcher,
                llm,
                notice,
                version: Mutex::new(version),
                warm: std::sync::atomic::AtomicBool::new(false),
            }),
        }
    }

    /// Builds the catalog from `store`, and the fetcher and LLM client `settings` configure;
    /// `notice` is told of every on-demand fetch.
    pub async fn open(
        store: Store,
        settings: &Settings,
        notice: Option<FetchNotice>,
    ) -> Result<Self, StoreError> {
        Self::open_for(store, settings, notice, &Reach::Everything).await
    }

    /// [`Service::open`], with only what `reach` asks for read into memory (a one-shot answer
    /// about a few occupations): see [`Reach`]. A fetch made to answer reloads everything.
    pub async fn open_for(
        store: Store,
        settings: &Settings,
        notice: Option<FetchNotice>,
        reach: &Reach,
    ) -> Result<Self, StoreError> {
        let (snapshot, version) = load_snapshot_reaching(&store, reach).await?;
        let fetcher = match &settings.onet_api {
            Some(web) => Some(Fetcher::new(web.clone(), settings.onet_ttl, store.clone()).await),
            None => None,
        };
        let llm = settings.llm.clone().map(ChatClient::new);
        Ok(Self::build(store, snapshot, version, fetcher, llm, notice))
    }

    /// Builds the title indexes of this and every later snapshot in the background, as soon as
    /// each is read: what a server does, so that its first search does not wait for them while
    /// its first other answers need not either.
    pub fn warm_in_background(&self) {
        self.inner
            .warm
            .store(true, std::sync::atomic::Ordering::Relaxed);
        self.warm_current();
    }

    fn warm_current(&self) {
        if self.inner.warm.load(std::sync::atomic::Ordering::Relaxed) {
            let snapshot = self.inner.snapshot.load_full();
            tokio::task::spawn_blocking(move || snapshot.warm());
        }
    }

    /// Whether the store held any occupation when the snapshot was read (a snapshot of a few
    /// occupations may be empty in a store that holds others).
    pub async fn holds_occupations(&self) -> bool {
        self.inner.version.lock().await.occupations > 0
    }

    /// The current snapshot (with its answer cache); cheap, and never blocks a reload.
    pub fn snapshot(&self) -> Guard<Arc<Snapshot>> {
        self.inner.snapshot.load()
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The LLM client, when one is configured.
    pub fn llm(&self) -> Option<&ChatClient> {
        self.inner.llm.as_ref()
    }

    /// The on-demand fetcher, when O*NET Web Services is configured.
    pub fn fetcher(&self) -> Option<&Arc<Fetcher>> {
        self.inner.fetcher.as_ref()
    }

    /// Rebuilds the snapshot if the store changed since it was built, then swaps it in; readers
    /// keep the old one until they finish. Returns whether it was rebuilt.
    pub async fn reload_if_changed(&self) -> Result<bool, StoreError> {
        let mut current = self.inner.version.lock().await;
        if self.inner.store.data_version().await? == *current {
            return Ok(false);
        }
        let (snapshot, version) = load_snapshot(&self.inner.store).await?;
        self.inner.snapshot.store(Arc::new(snapshot));
        *current = version;
        self.warm_current();
        Ok(true)
    }

    /// Computes `compute` on the current snapshot; when it fails for lack of an occupation that
    /// O*NET Web Services may have, fetches it (at most once per code, at most two codes),
    /// reloads and computes again.
    pub async fn fetching<T>(
        &self,
        compute: impl Fn(&Snapshot) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let mut fetched: Vec<SocCode> = Vec::new();
        loop {
            let result = compute(&self.snapshot());
            let Some(fetcher) = self.fetcher() else {
                return result;
            };
            let code = match &result {
                Err(AppError::UnknownOccupation(code)) => *code,
                Err(AppError::NoRatings {
                    code,
                    onet_missing: true,
                    ..
                }) => *code,
                _ => return result,
            };
            if fetched.contains(&code) || fetched.len() >= MAX_FETCHES_PER_ANSWER {
                return result.map_err(|e| after_fetch(e, code));
            }
            if let Some(notice) = &self.inner.notice {
                notice(code);
            }
            // Boxed: a fetch and a reload are large futures, and held inline they made every
            // answer's future (and the copy of it each request makes into a box) about 9 KB,
            // although almost every answer needs neither.
            match Box::pin(fetcher.ensure(code)).await {
                Ok(_) => {
                    fetched.push(code);
                    Box::pin(self.reload_if_changed()).await?;
                }
                Err(e) => {
                    let original = result.err().expect("matched an error above");
                    return Err(fetch_failed(e, code, original));
                }
            }
        }
    }

    /// Starts background refreshes for any of `codes` whose fetched rows are stale.
    pub fn refresh_stale(&self, codes: impl IntoIterator<Item = SocCode>) {
        let Some(fetcher) = self.fetcher() else {
            return;
        };
        for code in codes {
            let service = self.clone();
            fetcher.refresh_if_stale(code, move || async move {
                if let Err(e) = service.reload_if_changed().await {
                    tracing::warn!(error = %e, "reloading the catalog after a refresh failed");
                }
            });
        }
    }

    /// The gap explained in words by the LLM, from the narrative cache when the same gap was
    /// explained by the same model and prompt before.
    pub async fn narrative(&self, req: &GapRequest) -> Result<NarrativeBody, AppError> {
        let gap: GapBody = self.fetching(|s| skill_gap(s, req)).await?;
        let Some(client) = self.llm() else {
            return Err(AppError::LlmUnavailable(
                "gap narratives need an LLM: set SKILLGAP_LLM_URL and SKILLGAP_LLM_MODEL (any OpenAI-compatible endpoint)".into(),
            ));
        };
        let key = skillgap_store::NarrativeKey {
            from: req.from,
            to: req.to,
            domain: gap.definition.domains.join("+"),
            source: gap.definition.source.clone(),
            model: client.model().to_owned(),
            prompt_version: skillgap_llm::NARRATIVE_PROMPT_VERSION.to_owned(),
        };
        if let Some(hit) = self.store().llm_narrative(&key).await? {
            return Ok(NarrativeBody::new(
                gap,
                &key.model,
                &key.prompt_version,
                hit.narrative,
                true,
                hit.created_at,
            ));
        }
        let facts = serde_json::to_value(&gap).map_err(|e| AppError::Internal(e.to_string()))?;
        let prompt = skillgap_llm::narrative_prompt(&facts);
        let written = skillgap_llm::narrate(client, &prompt, 2)
            .await
            .map_err(|e| AppError::LlmFailed(format!("the LLM could not explain this gap: {e}")))?;
        let stored = skillgap_store::StoredNarrative {
            narrative: written.text,
            created_at: skillgap_store::rfc3339(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_secs() as i64)
                    .unwrap_or(0),
            ),
            prompt_hash: prompt.hash.clone(),
            total_tokens: written.usage.total_tokens,
        };
        self.store()
            .store_llm_narrative(&key, &stored, &written.raw)
            .await?;
        Ok(NarrativeBody::new(
            gap,
            &key.model,
            &key.prompt_version,
            stored.narrative,
            false,
            stored.created_at,
        ))
    }
}

/// Still no ratings after fetching: O*NET has none either, so only an LLM could fill it.
fn after_fetch(e: AppError, code: SocCode) -> AppError {
    match e {
        AppError::NoRatings { domain, .. } => AppError::NoRatings {
            code,
            domain,
            detail: format!(
                "{code} has no O*NET ratings in the requested domain, in this store or at O*NET Web Services (fetched just now); LLM estimates could fill it (skillgap enrich --occupations {code}, then source=llm or source=best)"
            ),
            fillable_by: vec!["llm"],
            onet_missing: false,
        },
        other => other,
    }
}

fn fetch_failed(e: FetchError, code: SocCode, original: AppError) -> AppError {
    let w = match e {
        FetchError::NotFound(_) => return original,
        FetchError::Store(m) => return AppError::Internal(m),
        FetchError::Upstream(w) => w,
    };
    let failure = match &w {
        WebError::Timeout(_) => UpstreamFailure::Timeout,
        WebError::RateLimited | WebError::Unauthorized(_) => UpstreamFailure::Unavailable,
        _ => UpstreamFailure::BadAnswer,
    };
    AppError::Upstream {
        failure,
        detail: format!(
            "{code} is not in this store, and fetching it from O*NET Web Services failed: {w}"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every request boxes its handler's future, copying it whole: a fetch or a reload held
    /// inline made `fetching`'s future 9,360 bytes (debug build), copied for answers that
    /// needed neither.
    #[tokio::test]
    async fn an_answer_that_may_fetch_is_a_small_future() {
        let store = Store::connect("sqlite::memory:").await.unwrap();
        let catalog = Catalog::build(None, &Default::default(), &Default::default());
        let service = Service::new(store, catalog, Default::default(), None, None);
        let answer = service.fetching(|_| Ok(1));
        let size = std::mem::size_of_val(&answer);
        assert!(size <= 512, "fetching's future is {size} bytes");
        assert_eq!(answer.await.unwrap(), 1);
    }
}
