//! `skillgap load-labor`: read, validate and store BLS labour-market data (OEWS wages,
//! Employment Projections) and O*NET's SOC crosswalk.

use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use skillgap_core::Progress;
use skillgap_labor::{LaborInput, LaborInputs, read_labor};
use skillgap_onet::{DownloadKind, Downloaded, ReleaseUrl, download};
use skillgap_store::DatabaseUrl;

use super::{connect, thousands};
use crate::BarProgress;

/// `skillgap load-labor`.
#[derive(Debug, Args)]
#[command(
    group = clap::ArgGroup::new("oews_source").required(true),
    group = clap::ArgGroup::new("projections_source").required(true)
)]
pub struct LoadLaborArgs {
    /// OEWS national wages: national_M2024_dl.xlsx, or oesm24nat.zip as BLS publishes it.
    #[arg(long, group = "oews_source", value_name = "FILE")]
    pub oews: Option<PathBuf>,
    /// Download the OEWS file (.xlsx or .zip) from this address, e.g.
    /// https://www.bls.gov/oes/special-requests/oesm24nat.zip.
    #[arg(long, group = "oews_source", value_name = "URL")]
    pub oews_url: Option<String>,
    /// Employment Projections: occupation.xlsx (sheet `Table 1.2`).
    #[arg(long, group = "projections_source", value_name = "FILE")]
    pub projections: Option<PathBuf>,
    /// Download the projections workbook from this address, e.g.
    /// https://www.bls.gov/emp/ind-occ-matrix/occupation.xlsx.
    #[arg(long, group = "projections_source", value_name = "URL")]
    pub projections_url: Option<String>,
    /// O*NET's O*NET-SOC 2019 → 2018 SOC crosswalk (2019_to_SOC_Crosswalk.xlsx); checked against
    /// the loaded O*NET release. Without it, an occupation maps to the first seven characters of
    /// its code (15-1254.00 → 15-1254), or to a crosswalk loaded earlier.
    #[arg(long, value_name = "FILE")]
    pub crosswalk: Option<PathBuf>,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

const OEWS: DownloadKind = DownloadKind {
    what: "the OEWS national file (oesm24nat.zip or national_M2024_dl.xlsx)",
    local_option: "--oews",
    example: "https://www.bls.gov/oes/special-requests/oesm24nat.zip",
    not_found_hint: "; BLS names the national OEWS zip like oesm24nat.zip (listed at https://www.bls.gov/oes/tables.htm)",
    agent: "BLS OEWS download",
};

const PROJECTIONS: DownloadKind = DownloadKind {
    what: "the Employment Projections workbook (occupation.xlsx)",
    local_option: "--projections",
    example: "https://www.bls.gov/emp/ind-occ-matrix/occupation.xlsx",
    not_found_hint: "; BLS publishes it as occupation.xlsx (https://www.bls.gov/emp/tables.htm)",
    agent: "BLS Employment Projections download",
};

/// Parses an address at the edge; the message names the option, never the address (it may hold
/// a secret).
fn url(option: &str, text: Option<&str>) -> anyhow::Result<Option<ReleaseUrl>> {
    text.map(|t| {
        ReleaseUrl::parse(t).map_err(|e| {
            let reason = match e {
                skillgap_onet::DownloadError::BadUrl(reason) => reason,
                other => other.to_string(),
            };
            anyhow::anyhow!("{option} must be an http:// or https:// address ({reason})")
        })
    })
    .transpose()
}

/// The file given, or the address downloaded into `dir`. clap requires one of the two.
async fn input(
    file: Option<PathBuf>,
    url: Option<ReleaseUrl>,
    dir: Option<&std::path::Path>,
    kind: &DownloadKind,
    progress: &BarProgress,
) -> anyhow::Result<LaborInput> {
    match (file, url, dir) {
        (Some(path), _, _) => Ok(LaborInput::file(path)),
        (None, Some(url), Some(dir)) => {
            // One folder per file: both addresses may end in the same name.
            let dir = dir.join(kind.local_option.trim_start_matches('-'));
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            let Downloaded::Saved(path) = download(&url, &dir, kind, None, progress).await? else {
                anyhow::bail!("{url} answered 304 Not Modified to an unconditional request");
            };
            Ok(LaborInput::downloaded(path, url.to_string()))
        }
        _ => anyhow::bail!("pass {} FILE or its -url option", kind.local_option),
    }
}

/// Runs the load and prints rows per table, elapsed time and rows/s.
pub async fn run(database_url: &DatabaseUrl, args: LoadLaborArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let oews_url = url("--oews-url", args.oews_url.as_deref())?;
    let projections_url = url("--projections-url", args.projections_url.as_deref())?;
    let store = connect(database_url).await?;
    let progress = BarProgress::stderr();

    // Holds downloaded files until they are read.
    let download = if oews_url.is_some() || projections_url.is_some() {
        Some(
            tempfile::Builder::new()
                .prefix("skillgap-download-")
                .tempdir()
                .context("cannot create a temporary directory for the download")?,
        )
    } else {
        None
    };
    let dir = download.as_ref().map(|d| d.path());
    let inputs = LaborInputs {
        oews: input(args.oews, oews_url, dir, &OEWS, &progress).await?,
        projections: input(
            args.projections,
            projections_url,
            dir,
            &PROJECTIONS,
            &progress,
        )
        .await?,
        crosswalk: args.crosswalk.map(LaborInput::file),
    };

    // The same bytes as loaded before: nothing to parse or write.
    let stored = store.labor_files().await?;
    let sums = skillgap_labor::checksums(&inputs)?;
    if sums.iter().all(|(kind, sha)| {
        stored
            .iter()
            .any(|f| f.file.kind == *kind && &f.file.sha256 == sha)
    }) {
        drop(download);
        return super::already_loaded(args.json, started, "labour-market");
    }

    // The crosswalk must name occupations the store knows, so it needs a release loaded first.
    let occupations: Option<HashSet<skillgap_core::SocCode>> = match &inputs.crosswalk {
        Some(c) => {
            let codes = store.occupation_codes().await?;
            if codes.is_empty() {
                anyhow::bail!(
                    "--crosswalk {}: the store has no O*NET occupations to check it against; load an O*NET release first (skillgap load --onet-dir DIR)",
                    c.path.display()
                );
            }
            Some(codes.into_iter().collect())
        }
        None => None,
    };
    progress.begin("read and validate", 0);
    let read = read_labor(&inputs, occupations.as_ref());
    progress.end();
    let data = read?;
    drop(download);
    let report = store
        .load_labor(&data, &progress)
        .await
        .context("loading into the store failed; nothing was changed")?;
    if !report.already_loaded {
        super::keep_derived(&store).await;
    }
    store.close().await;
    let elapsed = started.elapsed();
    if args.json && !report.already_loaded {
        let mut value = serde_json::to_value(&report)?;
        value["files"] = serde_json::to_value(&data.files)?;
        value["total_elapsed"] = elapsed.as_secs_f64().into();
        println!("{value}");
        return Ok(ExitCode::SUCCESS);
    }
    if report.already_loaded {
        return super::already_loaded(args.json, started, "labour-market");
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "Loaded BLS labour-market data into {}:", store.url())?;
    for f in &data.files {
        writeln!(
            out,
            "  {:<12} {} ({}), sha256 {}…",
            f.kind.as_str(),
            f.source,
            f.release,
            &f.sha256[..12]
        )?;
    }
    for t in &report.written {
        writeln!(out, "  {:<22} {:>9}", t.table, thousands(t.rows))?;
    }
    let rows = report.rows();
    let secs = elapsed.as_secs_f64();
    writeln!(
        out,
        "  {:<22} {:>9} rows in {:.2} s ({} rows/s)",
        "total",
        thousands(rows),
        secs,
        thousands((rows as f64 / secs.max(1e-9)) as u64)
    )?;
    Ok(ExitCode::SUCCESS)
}
