//! LLM estimates: stored beside O*NET ratings (source `llm`, never over them), each with the run
//! that produced it — model, prompt version and hash, time, token usage, raw response — and the
//! model's justification. Failed runs are recorded too; nothing invalid is ever stored as a rating.

use std::collections::HashSet;

use futures_util::TryStreamExt;
use skillgap_core::{Domain, ElementId, SocCode, Source};
use sqlx::{QueryBuilder, Row};

use crate::row::TextRow;
use crate::table::{
    LLM_JUSTIFICATIONS, LLM_NARRATIVES, LLM_RUNS, NARRATIVE_KEY, RATINGS, Table, matching,
};
use crate::{Store, StoreError, dispatch};

const LLM: &str = Source::Llm.as_str();

/// One LLM run as recorded.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct LlmRun {
    /// Occupation rated.
    pub code: SocCode,
    /// Domain rated.
    pub domain: Domain,
    /// Model name.
    pub model: String,
    /// Prompt version.
    pub prompt_version: String,
    /// SHA-256 of the prompt.
    pub prompt_hash: String,
    /// Start (RFC 3339).
    pub started_at: String,
    /// End (RFC 3339).
    pub finished_at: String,
    /// Attempts made.
    pub attempts: u32,
    /// Prompt tokens, all attempts.
    pub prompt_tokens: u64,
    /// Completion tokens, all attempts.
    pub completion_tokens: u64,
    /// Total tokens, all attempts.
    pub total_tokens: u64,
    /// The (last) raw response.
    pub raw_response: Option<String>,
}

/// One accepted estimate to store.
#[derive(Clone, Debug, PartialEq)]
pub struct LlmEstimate {
    /// Descriptor.
    pub element: ElementId,
    /// Importance (IM scale).
    pub importance: f64,
    /// Level (LV scale).
    pub level: f64,
    /// The model's reason.
    pub justification: String,
}

/// A cached narrative's key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NarrativeKey {
    /// Source occupation.
    pub from: SocCode,
    /// Target occupation.
    pub to: SocCode,
    /// Domains compared (`skills`, `all`, …).
    pub domain: String,
    /// Ratings used (`onet`, `llm`, `best`).
    pub source: String,
    /// Model.
    pub model: String,
    /// Prompt version.
    pub prompt_version: String,
}

/// A cached narrative.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct StoredNarrative {
    /// The text.
    pub narrative: String,
    /// When it was written (RFC 3339).
    pub created_at: String,
    /// SHA-256 of the prompt.
    pub prompt_hash: String,
    /// Tokens it cost.
    pub total_tokens: u64,
}

impl NarrativeKey {
    /// Binds the key's values, in [`NARRATIVE_KEY`] order, to `query`.
    fn bind<'q, DB>(
        &'q self,
        query: sqlx::query::Query<'q, DB, DB::Arguments<'q>>,
    ) -> sqlx::query::Query<'q, DB, DB::Arguments<'q>>
    where
        DB: sqlx::Database,
        &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    {
        [
            self.from.as_str(),
            self.to.as_str(),
            &self.domain,
            &self.source,
            &self.model,
            &self.prompt_version,
        ]
        .into_iter()
        .fold(query, |q, value| q.bind(value))
    }
}

/// The rating columns an estimate fills (it has no sample size, error or dates).
const ESTIMATE_RATINGS: Table = RATINGS.first(6);

/// Values are stored with O*NET's precision (two decimals).
fn two_decimals(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

impl Store {
    /// Stores an accepted run in one transaction: the run, its ratings (IM and LV per estimate,
    /// replacing earlier LLM ratings of the occupation's domain descriptors), and the
    /// justifications. Returns the run id.
    pub async fn store_llm_run(
        &self,
        run: &LlmRun,
        estimates: &[LlmEstimate],
    ) -> Result<i64, StoreError> {
        let backend = self.backend;
        let code = run.code.as_str();
        let delete_rating = RATINGS.delete(backend, &["onetsoc_code", "element_id", "source"]);
        let id = dispatch!(self, pool => {
            let mut tx = pool.begin().await?;
            let id = insert_run(&mut tx, backend, run, "ok", None).await?;
            let detail = format!("run {id}: {} {}", run.model, run.prompt_version);
            for e in estimates {
                sqlx::query(&delete_rating)
                    .bind(code)
                    .bind(e.element.as_str())
                    .bind(LLM)
                    .execute(&mut *tx)
                    .await?;
            }
            if !estimates.is_empty() {
                let rows: Vec<(&LlmEstimate, &str, f64)> = estimates
                    .iter()
                    .flat_map(|e| [(e, "IM", two_decimals(e.importance)), (e, "LV", two_decimals(e.level))])
                    .collect();
                let mut q = QueryBuilder::new(ESTIMATE_RATINGS.insert());
                q.push_values(&rows, |mut b, (e, scale, value)| {
                    b.push_bind(code).push_bind(e.element.as_str()).push_bind(*scale).push_bind(LLM).push_bind(detail.as_str()).push_bind(*value);
                });
                q.build().execute(&mut *tx).await?;
                let mut q = QueryBuilder::new(LLM_JUSTIFICATIONS.insert());
                q.push_values(estimates, |mut b, e| {
                    b.push_bind(id).push_bind(e.element.as_str()).push_bind(e.justification.as_str());
                });
                q.build().execute(&mut *tx).await?;
            }
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    /// Records a run whose answers were refused (or whose calls failed); no rating is stored.
    pub async fn record_llm_failure(&self, run: &LlmRun, error: &str) -> Result<i64, StoreError> {
        let backend = self.backend;
        let id = dispatch!(self, pool => {
            let mut tx = pool.begin().await?;
            let id = insert_run(&mut tx, backend, run, "failed", Some(error)).await?;
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    /// Occupations with an accepted run for `domain` by this model and prompt version (the work
    /// a resumed `skillgap enrich` skips).
    pub async fn llm_done(
        &self,
        domain: Domain,
        model: &str,
        prompt_version: &str,
    ) -> Result<HashSet<SocCode>, StoreError> {
        let backend = self.backend;
        let q = backend.sql(
            "SELECT DISTINCT onetsoc_code FROM llm_runs WHERE domain = ? AND model = ? AND prompt_version = ? AND status = 'ok'",
        );
        let out = dispatch!(self, pool => {
            let mut out = HashSet::new();
            let mut rows = sqlx::query(&q).bind(domain.as_str()).bind(model).bind(prompt_version).fetch(pool);
            while let Some(r) = rows.try_next().await? {
                if let Ok(c) = SocCode::parse(&r.text(0)?) {
                    out.insert(c);
                }
            }
            out
        });
        Ok(out)
    }

    /// Every recorded run of one occupation, newest first (for audits and tests).
    pub async fn llm_runs(
        &self,
        code: SocCode,
    ) -> Result<Vec<(i64, String, String, Option<String>, u64)>, StoreError> {
        let backend = self.backend;
        let q = backend.sql("SELECT id, status, model, error, total_tokens FROM llm_runs WHERE onetsoc_code = ? ORDER BY id DESC");
        let out = dispatch!(self, pool => {
            let mut out = Vec::new();
            let mut rows = sqlx::query(&q).bind(code.as_str()).fetch(pool);
            while let Some(r) = rows.try_next().await? {
                out.push((r.try_get(0)?, r.text(1)?, r.text(2)?, r.opt_text(3)?, r.try_get::<i64, _>(4)? as u64));
            }
            out
        });
        Ok(out)
    }

    /// The justifications of a run, by element id.
    pub async fn llm_justifications(
        &self,
        run_id: i64,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let backend = self.backend;
        let q = backend.sql("SELECT element_id, justification FROM llm_justifications WHERE run_id = ? ORDER BY element_id");
        let out = dispatch!(self, pool => {
            let mut out = Vec::new();
            let mut rows = sqlx::query(&q).bind(run_id).fetch(pool);
            while let Some(r) = rows.try_next().await? {
                out.push((r.text(0)?, r.text(1)?));
            }
            out
        });
        Ok(out)
    }

    /// A cached narrative.
    pub async fn llm_narrative(
        &self,
        key: &NarrativeKey,
    ) -> Result<Option<StoredNarrative>, StoreError> {
        let backend = self.backend;
        let q = backend.sql(format!(
            "SELECT narrative, created_at, prompt_hash, total_tokens FROM {} WHERE {}",
            LLM_NARRATIVES.name,
            matching(NARRATIVE_KEY)
        ));
        let out = dispatch!(self, pool => {
            match key.bind(sqlx::query(&q)).fetch_optional(pool).await? {
                None => None,
                Some(r) => Some(StoredNarrative {
                    narrative: r.text(0)?,
                    created_at: r.text(1)?,
                    prompt_hash: r.text(2)?,
                    total_tokens: r.try_get::<i64, _>(3)? as u64,
                }),
            }
        });
        Ok(out)
    }

    /// Caches a narrative (replacing one with the same key).
    pub async fn store_llm_narrative(
        &self,
        key: &NarrativeKey,
        narrative: &StoredNarrative,
        raw_response: &str,
    ) -> Result<(), StoreError> {
        let delete = LLM_NARRATIVES.delete(self.backend, NARRATIVE_KEY);
        let insert = LLM_NARRATIVES.insert_one(self.backend);
        dispatch!(self, pool => {
            let mut tx = pool.begin().await?;
            key.bind(sqlx::query(&delete)).execute(&mut *tx).await?;
            key.bind(sqlx::query(&insert))
                .bind(narrative.prompt_hash.as_str())
                .bind(narrative.narrative.as_str())
                .bind(narrative.created_at.as_str())
                .bind(narrative.total_tokens as i64)
                .bind(raw_response)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        });
        Ok(())
    }
}

/// Inserts a run row and returns its id (read back inside the same transaction).
async fn insert_run<DB>(
    tx: &mut sqlx::Transaction<'_, DB>,
    backend: crate::Backend,
    run: &LlmRun,
    status: &str,
    error: Option<&str>,
) -> Result<i64, sqlx::Error>
where
    DB: sqlx::Database,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: sqlx::IntoArguments<'q, DB>,
    for<'q> &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> Option<&'q str>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    i64: for<'q> sqlx::Encode<'q, DB> + for<'r> sqlx::Decode<'r, DB> + sqlx::Type<DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    sqlx::query(&LLM_RUNS.insert_one(backend))
        .bind(run.code.as_str())
        .bind(run.domain.as_str())
        .bind(run.model.as_str())
        .bind(run.prompt_version.as_str())
        .bind(run.prompt_hash.as_str())
        .bind(run.started_at.as_str())
        .bind(run.finished_at.as_str())
        .bind(status)
        .bind(i64::from(run.attempts))
        .bind(run.prompt_tokens as i64)
        .bind(run.completion_tokens as i64)
        .bind(run.total_tokens as i64)
        .bind(run.raw_response.as_deref())
        .bind(error)
        .execute(&mut **tx)
        .await?;
    let row = sqlx::query(&backend.sql(
        "SELECT MAX(id) FROM llm_runs WHERE onetsoc_code = ? AND started_at = ? AND prompt_hash = ?",
    ))
    .bind(run.code.as_str())
    .bind(run.started_at.as_str())
    .bind(run.prompt_hash.as_str())
    .fetch_one(&mut **tx)
    .await?;
    row.try_get(0)
}
