//! `skillgap gap`, `search` and `transitions`: the API's answers on the command line, from the
//! same engine and the same body builders, so `--json` prints exactly what the API returns.

use std::io::Write;
use std::process::ExitCode;

use std::sync::Arc;

use skillgap_core::{Catalog, SocCode};
use skillgap_fetch::Fetcher;
use skillgap_server::api::{self, GapQuery, SearchQuery, TransitionsQuery};
use skillgap_server::{ApiError, load_catalog};
use skillgap_store::Store;

use super::connect;
use crate::{GapArgs, SearchArgs, TransitionsArgs};

/// The store's catalog, and a way to fill gaps in it from O*NET Web Services.
struct Engine {
    store: Store,
    catalog: Catalog,
    fetcher: Option<Arc<Fetcher>>,
}

impl Engine {
    async fn open(database_url: &str) -> anyhow::Result<Self> {
        let store = connect(database_url).await?;
        let (catalog, _) = load_catalog(&store).await?;
        if catalog.occupations.is_empty() {
            anyhow::bail!(
                "the store at {} holds no O*NET release; load one with `skillgap load --onet-dir DIR`",
                store.url()
            );
        }
        let fetcher = super::fetch::fetcher(&store).await?;
        Ok(Self {
            store,
            catalog,
            fetcher,
        })
    }

    /// Runs `answer`; if it needs an occupation the store lacks and fetching is configured,
    /// fetches it (once per code), reloads, and answers again — as the API does.
    async fn answer<T>(
        &mut self,
        answer: impl Fn(&Catalog) -> Result<T, ApiError>,
    ) -> anyhow::Result<T> {
        let mut fetched = Vec::new();
        loop {
            let result = answer(&self.catalog);
            let code = match (&result, &self.fetcher) {
                (Err(ApiError::UnknownOccupation(c)), Some(_)) => c.clone(),
                (
                    Err(ApiError::NoRatings {
                        code,
                        onet_missing: true,
                        ..
                    }),
                    Some(_),
                ) => code.clone(),
                _ => return result.map_err(fail),
            };
            let code = SocCode::parse(&code)?;
            if fetched.contains(&code) {
                return result.map_err(fail);
            }
            let fetcher = self.fetcher.as_ref().expect("matched Some above");
            eprintln!("{code} is not in the store; fetching it from O*NET Web Services…");
            match fetcher.ensure(code).await {
                Ok(_) => {}
                Err(skillgap_fetch::FetchError::NotFound(_)) => return result.map_err(fail),
                Err(e) => anyhow::bail!("{code} is not in the store, and fetching it failed: {e}"),
            }
            fetched.push(code);
            self.catalog = load_catalog(&self.store).await?.0;
        }
    }
}

/// An API error as the CLI says it: the problem's detail.
fn fail(e: ApiError) -> anyhow::Error {
    anyhow::anyhow!(e.problem().detail)
}

/// `skillgap gap FROM TO`.
pub async fn gap(database_url: &str, args: GapArgs) -> anyhow::Result<ExitCode> {
    let o = &args.options;
    let query = GapQuery {
        from: Some(args.from.clone()),
        to: Some(args.to.clone()),
        domain: Some(o.domain.clone()),
        min_importance: Some(o.min_importance.to_string()),
        min_gap: Some(o.min_gap.to_string()),
        include: args.surplus.then(|| "surplus".to_string()),
        source: Some(o.source.clone()),
        ..GapQuery::default()
    };
    let req = query.parse().map_err(fail)?;
    let mut engine = Engine::open(database_url).await?;
    let body = engine.answer(|c| api::skill_gap(c, &req)).await?;
    engine.store.close().await;
    let mut out = std::io::stdout().lock();
    if o.json {
        writeln!(out, "{}", serde_json::to_string(&body)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let from = &body.from;
    writeln!(
        out,
        "From {} {}",
        from.code.as_deref().unwrap_or(""),
        from.title
    )?;
    writeln!(
        out,
        "To   {} {}",
        body.to.code.as_deref().unwrap_or(""),
        body.to.title
    )?;
    writeln!(
        out,
        "Similarity {} · {} of {} required descriptors short ({} significant) · weighted gap {:.2}\n",
        body.similarity
            .map(|v| format!("{v:.4}"))
            .unwrap_or_else(|| "–".into()),
        body.summary.shortages,
        body.summary.required_by_target,
        body.summary.significant_shortages,
        body.summary.weighted_gap_total
    )?;
    if body.shortages.is_empty() {
        writeln!(
            out,
            "No shortages: the source level meets every descriptor the target requires."
        )?;
    } else {
        writeln!(
            out,
            "{:<10} {:<34} {:>5} {:>5} {:>5} {:>4} {:>8}  sig",
            "element", "name", "from", "to", "gap", "imp", "weighted"
        )?;
        for r in &body.shortages {
            let sig = match r.significant {
                Some(true) => "yes",
                Some(false) => "no",
                None => "?",
            };
            let mark = if r.missing { "*" } else { " " };
            writeln!(
                out,
                "{:<10} {:<34} {:>5.2} {:>5.2} {:>5.2} {:>4.2} {:>8.2}  {sig}{mark}",
                r.element_id,
                truncate(&r.name, 34),
                r.from_level,
                r.to_level,
                r.gap,
                r.to_importance,
                r.weighted_gap
            )?;
        }
        if body.shortages.iter().any(|r| r.missing) {
            writeln!(out, "\n* required by the target but not by the source")?;
        }
    }
    if let Some(surplus) = &body.surplus {
        writeln!(out, "\nSurplus (the source requires more):")?;
        for r in surplus {
            writeln!(
                out,
                "{:<10} {:<34} {:>5.2} {:>5.2}",
                r.element_id,
                truncate(&r.name, 34),
                r.from_level,
                r.to_level
            )?;
        }
    }
    writeln!(out, "\n{}", body.data.attribution)?;
    Ok(ExitCode::SUCCESS)
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

/// `skillgap search TEXT`.
pub async fn search(database_url: &str, args: SearchArgs) -> anyhow::Result<ExitCode> {
    let q = SearchQuery {
        q: Some(args.text.join(" ")),
        limit: Some(args.limit.to_string()),
    };
    let engine = Engine::open(database_url).await?;
    let body = api::search(&engine.catalog, &q).map_err(fail)?;
    engine.store.close().await;
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string(&body)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    if body.results.is_empty() {
        writeln!(out, "No occupation matches `{}`.", body.query)?;
    }
    for r in &body.results {
        let also = r
            .matched_title
            .as_ref()
            .map(|t| format!("  (as “{t}”)"))
            .unwrap_or_default();
        let rated = if r.has_ratings {
            ""
        } else {
            "  [no O*NET ratings]"
        };
        writeln!(out, "{}  {}{also}{rated}", r.code, r.title)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `skillgap transitions CODE`.
pub async fn transitions(database_url: &str, args: TransitionsArgs) -> anyhow::Result<ExitCode> {
    let o = &args.options;
    let q = TransitionsQuery {
        limit: Some(args.limit.to_string()),
        domain: Some(o.domain.clone()),
        min_importance: Some(o.min_importance.to_string()),
        min_gap: Some(o.min_gap.to_string()),
        source: Some(o.source.clone()),
    };
    let mut engine = Engine::open(database_url).await?;
    let body = engine
        .answer(|c| api::transitions_body(c, &args.code, &q))
        .await?;
    engine.store.close().await;
    let mut out = std::io::stdout().lock();
    if o.json {
        writeln!(out, "{}", serde_json::to_string(&body)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "Moves from {} {} ({} candidates), most similar first:\n",
        body.from.code.as_deref().unwrap_or(""),
        body.from.title,
        body.candidates
    )?;
    writeln!(
        out,
        "{:<10} {:<50} {:>10} {:>9} {:>8}",
        "code", "title", "similarity", "shortages", "weighted"
    )?;
    for t in &body.transitions {
        writeln!(
            out,
            "{:<10} {:<50} {:>10.4} {:>9} {:>8.2}",
            t.code,
            truncate(&t.title, 50),
            t.similarity,
            t.shortages,
            t.weighted_gap_total
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
