//! `skillgap fetch CODE…`: occupations from O*NET Web Services into the store (and the fetching
//! `refresh` shares).

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use skillgap_app::Settings;
use skillgap_core::{Progress, SocCode};
use skillgap_fetch::Fetcher;
use skillgap_store::Store;

use super::connect;
use clap::Args;

use crate::BarProgress;

/// The fetcher the settings configure, if any.
pub(super) async fn fetcher(settings: &Settings, store: &Store) -> Option<Arc<Fetcher>> {
    match &settings.onet_api {
        Some(web) => Some(Fetcher::new(web.clone(), settings.onet_ttl, store.clone()).await),
        None => None,
    }
}

/// Why fetching cannot run.
pub(super) fn off() -> anyhow::Error {
    anyhow::anyhow!(
        "fetching from O*NET Web Services is off: set SKILLGAP_ONET_API_KEY (API v2), or SKILLGAP_ONET_API_VERSION=v1.9 with SKILLGAP_ONET_USERNAME and SKILLGAP_ONET_PASSWORD (see README, \"O*NET Web Services\")"
    )
}

/// `skillgap fetch`.
#[derive(Debug, Args)]
pub struct FetchArgs {
    /// O*NET-SOC codes, e.g. 15-1252.00.
    #[arg(required = true, value_name = "CODE")]
    pub codes: Vec<String>,
    /// Print one JSON object per code.
    #[arg(long)]
    pub json: bool,
}

/// `skillgap fetch CODE…`.
pub async fn fetch(settings: &Settings, args: FetchArgs) -> anyhow::Result<ExitCode> {
    let codes = args
        .codes
        .iter()
        .map(|c| SocCode::parse(c.trim()))
        .collect::<Result<Vec<_>, _>>()?;
    let store = connect(&settings.database_url).await?;
    let fetcher = fetcher(settings, &store).await.ok_or_else(off)?;
    let ok = run(&fetcher, &codes, args.json).await?;
    super::keep_derived(&store).await;
    store.close().await;
    Ok(exit_code(ok))
}

/// Success when every code was fetched.
pub(super) fn exit_code(ok: bool) -> ExitCode {
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Fetches each code in turn, a line (or JSON object) per code; false if any failed.
pub(super) async fn run(
    fetcher: &Arc<Fetcher>,
    codes: &[SocCode],
    json: bool,
) -> anyhow::Result<bool> {
    let progress = BarProgress::stderr();
    progress.begin("fetch from O*NET Web Services", codes.len() as u64);
    let mut all_ok = true;
    for code in codes {
        let result = fetcher.fetch(*code).await;
        progress.advance(1);
        let mut out = std::io::stdout().lock();
        match (&result, json) {
            (Ok(o), true) => writeln!(
                out,
                "{}",
                serde_json::json!({"code": code.as_str(), "ok": true, "fetched": o})
            )?,
            (Err(e), true) => writeln!(
                out,
                "{}",
                serde_json::json!({"code": code.as_str(), "ok": false, "error": e.to_string()})
            )?,
            (Ok(o), false) => {
                let unrated = if o.unrated.is_empty() {
                    String::new()
                } else {
                    format!("; O*NET has no {} ratings for it", o.unrated.join(" or "))
                };
                writeln!(
                    out,
                    "{code} {}: {} ratings from {} ({} requests, {:.1} s){unrated}",
                    o.title,
                    o.ratings,
                    o.provenance,
                    o.requests,
                    o.elapsed.as_secs_f64()
                )?
            }
            (Err(e), false) => writeln!(out, "{code}: failed: {e}")?,
        }
        all_ok &= result.is_ok();
    }
    progress.end();
    Ok(all_ok)
}
