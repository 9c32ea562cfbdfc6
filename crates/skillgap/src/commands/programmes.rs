//! `skillgap load-programmes`: read, validate and store NCES's instructional programmes (the CIP
//! 2020 list) and their crosswalk to 2018 SOC occupations.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use skillgap_core::Progress;
use skillgap_labor::{programme_checksums, read_programmes};
use skillgap_store::DatabaseUrl;

use super::{connect, thousands};
use crate::BarProgress;

/// `skillgap load-programmes`.
#[derive(Debug, Args)]
pub struct LoadProgrammesArgs {
    /// The CIP 2020 ↔ 2018 SOC crosswalk, CIP2020_SOC2018_Crosswalk.xlsx as NCES publishes it
    /// (sheet `SOC-CIP`).
    #[arg(long, value_name = "FILE")]
    pub crosswalk: PathBuf,
    /// The CIP 2020 list, CIPCode2020.csv as NCES publishes it (codes written `="01.0101"`).
    #[arg(long, value_name = "FILE")]
    pub cip: PathBuf,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs the load and prints rows per table and the time taken.
pub async fn run(database_url: &DatabaseUrl, args: LoadProgrammesArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let store = connect(database_url).await?;
    // The same bytes as loaded before: nothing to parse or write, as for load-labor.
    let stored = store.programme_files().await?;
    let sums = programme_checksums(&args.crosswalk, &args.cip)?;
    if sums
        .iter()
        .all(|(kind, sha)| stored.iter().any(|f| f.kind == *kind && &f.sha256 == sha))
    {
        store.close().await;
        return super::already_loaded(args.json, started, "programme");
    }
    let progress = BarProgress::stderr();
    progress.begin("read and validate", 0);
    let read = read_programmes(&args.crosswalk, &args.cip);
    progress.end();
    let read = read?;
    let report = store
        .load_programmes(&read.data, &progress)
        .await
        .context("loading into the store failed; nothing was changed")?;
    if !report.already_loaded {
        super::keep_derived(&store).await;
    }
    store.close().await;
    let elapsed = started.elapsed();
    if args.json {
        let mut value = serde_json::to_value(&report)?;
        value["files"] = serde_json::to_value(&read.data.files)?;
        value["unmatched_rows"] = read.unmatched.into();
        value["total_elapsed"] = elapsed.as_secs_f64().into();
        println!("{value}");
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    if report.already_loaded {
        // Loaded by another run between the check above and this one.
        writeln!(
            out,
            "These programme files are already loaded (same checksums); nothing to do."
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "Loaded NCES programmes into {}:", store.url())?;
    for f in &read.data.files {
        writeln!(
            out,
            "  {:<8} {}, sha256 {}…",
            f.kind,
            f.file_name,
            &f.sha256[..12]
        )?;
    }
    for t in &report.written {
        writeln!(out, "  {:<22} {:>9}", t.table, thousands(t.rows))?;
    }
    writeln!(
        out,
        "  {} crosswalk rows marked unmatched (SOC 99-9999 or CIP 99.9999) were left out",
        read.unmatched
    )?;
    writeln!(out, "  in {:.2} s", elapsed.as_secs_f64())?;
    Ok(ExitCode::SUCCESS)
}
