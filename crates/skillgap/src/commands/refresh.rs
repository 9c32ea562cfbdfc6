//! `skillgap refresh --stale`: fetch again what O*NET Web Services gave longer ago than the TTL.

use std::process::ExitCode;

use clap::Args;
use skillgap_app::Settings;

use super::connect;
use super::fetch::{exit_code, fetcher, off, run};

/// `skillgap refresh`.
#[derive(Debug, Args)]
pub struct RefreshArgs {
    /// Only occupations whose fetched rows are stale (the only mode so far; required for clarity).
    #[arg(long, required = true)]
    pub stale: bool,
    /// Print one JSON object per code.
    #[arg(long)]
    pub json: bool,
}

/// `skillgap refresh --stale`.
pub async fn refresh(settings: &Settings, args: RefreshArgs) -> anyhow::Result<ExitCode> {
    let store = connect(&settings.database_url).await?;
    let fetcher = fetcher(settings, &store).await.ok_or_else(off)?;
    let codes = fetcher.stale().await?;
    if codes.is_empty() && !args.json {
        println!(
            "Nothing is stale: every occupation fetched from O*NET Web Services is within SKILLGAP_ONET_TTL."
        );
    }
    let ok = run(&fetcher, &codes, args.json).await?;
    if !codes.is_empty() {
        super::keep_derived(&store).await;
    }
    store.close().await;
    Ok(exit_code(ok))
}
