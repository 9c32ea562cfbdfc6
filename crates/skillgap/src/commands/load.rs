//! `skillgap load`: read, validate and store an O*NET text release.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use std::io::Write;
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime};

use anyhow::Context;
use skillgap_onet::{
    Downloaded, LoadOptions, Rejection, ReleaseFiles, ReleaseSource, ReleaseUrl, SHOWN_REJECTIONS,
    download_release,
};
use skillgap_store::{DatabaseUrl, ReleaseInfo};

use super::{connect, thousands};
use crate::BarProgress;

/// `skillgap load`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("source"))]
pub struct LoadArgs {
    /// An unpacked O*NET text release, e.g. db_29_0_text/.
    #[arg(long, group = "source", value_name = "DIR")]
    pub onet_dir: Option<PathBuf>,
    /// The text release zip as downloaded from https://www.onetcenter.org/database.html.
    #[arg(long, group = "source", value_name = "FILE")]
    pub onet_zip: Option<PathBuf>,
    /// Download the text release zip from this address first, e.g.
    /// https://www.onetcenter.org/dl_files/database/db_29_0_text.zip [env:
    /// SKILLGAP_ONET_RELEASE_URL, used when no source is given, so that a secret link stays out
    /// of the process list].
    #[arg(long, group = "source", value_name = "URL")]
    pub onet_url: Option<String>,
    /// Load the valid rows and report rejected ones, instead of loading nothing on a bad row.
    #[arg(long)]
    pub lenient: bool,
    /// Write every rejected row (file, line, column, reason) to this tab-separated file.
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
    /// The release version, when neither Read Me.txt nor the path tells it (e.g. 29.0).
    #[arg(long, value_name = "VERSION")]
    pub release_version: Option<String>,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Where a release zip's address may come from instead of `--onet-url`.
const RELEASE_URL_VAR: &str = "SKILLGAP_ONET_RELEASE_URL";

/// How long before the recorded load time a re-download asks for changes since: it covers the
/// minutes between the download and the record being written, and clock skew with the server.
/// Too early only costs a download (compared by fingerprint after); too late could skip a change.
const UNCHANGED_MARGIN: Duration = Duration::from_secs(3600);

/// Runs the load and prints rows per table, elapsed time and rows/s.
pub async fn run(database_url: &DatabaseUrl, args: LoadArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    // The environment only when the command line names no source (clap allows at most one).
    let url = match (&args.onet_dir, &args.onet_zip) {
        (None, None) => args.onet_url.or_else(|| {
            std::env::var(RELEASE_URL_VAR)
                .ok()
                .filter(|v| !v.trim().is_empty())
        }),
        _ => None,
    };
    // Checked before connecting, so a mistyped address costs nothing.
    let url = url.as_deref().map(ReleaseUrl::parse).transpose()?;
    // The database first: an unreachable one should fail before a download or seconds of parsing.
    let store = connect(database_url).await?;
    let progress = BarProgress::stderr();

    // `download` is the temporary directory holding a downloaded zip.
    let (source, origin, download) = match (args.onet_dir, args.onet_zip, url) {
        (Some(dir), _, _) => (ReleaseSource::Dir(dir), None, None),
        (None, Some(zip), _) => (ReleaseSource::Zip(zip), None, None),
        (None, None, Some(url)) => {
            // Loaded from this very address before: ask the server only for a newer file.
            let current = store.current_release().await?;
            let since = current
                .as_ref()
                .filter(|c| {
                    reusable(c, args.lenient, args.release_version.as_deref())
                        && url.is_shown_as(&c.source)
                })
                .and_then(|c| unchanged_since(&c.loaded_at));
            let dir = tempfile::Builder::new()
                .prefix("skillgap-download-")
                .tempdir()
                .context("cannot create a temporary directory for the download")?;
            // No signal handler here: tokio's would stay installed and swallow a later Ctrl-C
            // during the load. An interrupted download leaves this directory behind.
            match download_release(&url, dir.path(), since, &progress).await? {
                Downloaded::Saved(zip) => {
                    (ReleaseSource::Zip(zip), Some(url.to_string()), Some(dir))
                }
                Downloaded::NotModified => {
                    let current = current.context("a 304 answer without a loaded release")?;
                    already_loaded(&current, &url.to_string(), args.json, started)?;
                    return Ok(ExitCode::SUCCESS);
                }
            }
        }
        (None, None, None) => {
            anyhow::bail!(
                "pass --onet-dir DIR, --onet-zip FILE or --onet-url URL (or set {RELEASE_URL_VAR})"
            )
        }
    };
    let files = match &origin {
        Some(origin) => ReleaseFiles::open(&source)
            .with_context(|| format!("the release downloaded from {origin}"))?
            .with_origin(origin),
        None => ReleaseFiles::open(&source)?,
    };
    // The files are in memory now; the download need not outlive the minutes of loading.
    drop(download);
    let version = files.version(args.release_version.as_deref())?;
    // Same bytes, same version, and the earlier load was not a lenient one that a strict load
    // would refuse: nothing to do.
    if let Some(current) = store.current_release().await?
        && current.fingerprint == files.fingerprint()
        && current.version == version
        && reusable(&current, args.lenient, args.release_version.as_deref())
    {
        already_loaded(&current, files.origin(), args.json, started)?;
        return Ok(ExitCode::SUCCESS);
    }

    let options = LoadOptions {
        lenient: args.lenient,
        version: args.release_version,
    };
    let outcome = files.parse(&options, &progress)?;
    if let Some(path) = &args.rejects {
        write_rejects(path, &outcome.rejected)
            .with_context(|| format!("cannot write rejected rows to {}", path.display()))?;
    }
    if !outcome.rejected.is_empty() {
        report_rejections(
            outcome.rejected_rows,
            &outcome.rejected,
            args.rejects.is_some(),
        );
    }

    let release = Arc::new(outcome.release);
    // The store image and relatedness are derived from the release while its rows are written:
    // one waits on the processor, the other mostly on the database.
    let derivation = skillgap_app::ReleaseDerivation::start(release.clone());
    let report = store
        .load_release(&release, outcome.rejected_rows, &progress)
        .await
        .context("loading into the store failed; nothing was changed")?;
    drop(release);
    if !report.already_loaded {
        super::keep_derived_after_load(&store, derivation, report.release_id).await;
    } else {
        super::keep_derived(&store).await;
    }
    // Closing checkpoints SQLite's write-ahead log, so the file alone holds the release.
    store.close().await;
    let elapsed = started.elapsed();
    let rows = report.rows();
    if args.json {
        let mut value = serde_json::to_value(&report)?;
        value["rejected_rows"] = outcome.rejected_rows.into();
        value["total_elapsed"] = elapsed.as_secs_f64().into();
        println!("{value}");
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Loaded O*NET {} from {} into {} (release #{}).",
        report.version,
        files.origin(),
        store.url(),
        report.release_id
    )?;
    for t in &report.written {
        writeln!(out, "  {:<18} {:>9}", t.table, thousands(t.rows))?;
    }
    let secs = elapsed.as_secs_f64();
    writeln!(
        out,
        "  {:<18} {:>9} rows in {:.2} s ({} rows/s){}",
        "total",
        thousands(rows),
        secs,
        thousands((rows as f64 / secs.max(1e-9)) as u64),
        if outcome.rejected.is_empty() {
            String::new()
        } else {
            format!("; {} rows rejected", thousands(outcome.rejected_rows))
        }
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Whether the loaded release may stand for this load: not a lenient one that a strict load would
/// refuse, and of the version asked for, if any.
fn reusable(current: &ReleaseInfo, lenient: bool, version: Option<&str>) -> bool {
    (current.rejected_rows == 0 || lenient) && version.is_none_or(|v| v == current.version)
}

/// The time to ask a server about for a release loaded at `loaded_at` (RFC 3339, as the store
/// writes it); none when it cannot be read, which means an unconditional download.
fn unchanged_since(loaded_at: &str) -> Option<SystemTime> {
    let at = time::OffsetDateTime::parse(loaded_at, &time::format_description::well_known::Rfc3339)
        .ok()?;
    SystemTime::from(at).checked_sub(UNCHANGED_MARGIN)
}

fn already_loaded(
    current: &ReleaseInfo,
    origin: &str,
    json: bool,
    started: Instant,
) -> anyhow::Result<()> {
    if json {
        println!(
            "{}",
            serde_json::json!({
                "already_loaded": true,
                "release_id": current.id,
                "version": current.version,
                "loaded_at": current.loaded_at,
                "elapsed": started.elapsed().as_secs_f64(),
            })
        );
    } else {
        println!(
            "O*NET {} from {} is already loaded (release #{}, loaded {}); nothing to do.",
            current.version, origin, current.id, current.loaded_at
        );
    }
    Ok(())
}

fn report_rejections(rows: u64, rejected: &[Rejection], written_to_file: bool) {
    eprintln!(
        "warning: {} row{} rejected and not loaded (--lenient); {} problem{}, the first {}:",
        thousands(rows),
        if rows == 1 { " was" } else { "s were" },
        thousands(rejected.len() as u64),
        if rejected.len() == 1 { "" } else { "s" },
        rejected.len().min(SHOWN_REJECTIONS)
    );
    for r in rejected.iter().take(SHOWN_REJECTIONS) {
        eprintln!("  {r}");
    }
    if rejected.len() > SHOWN_REJECTIONS && !written_to_file {
        eprintln!("  … pass --rejects FILE to get all of them");
    }
}

fn write_rejects(path: &std::path::Path, rejected: &[Rejection]) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(f, "file\tline\tcolumn\treason")?;
    for r in rejected {
        writeln!(
            f,
            "{}\t{}\t{}\t{}",
            r.file,
            r.line,
            r.column.unwrap_or(""),
            r.reason.replace('\t', " ")
        )?;
    }
    f.flush()
}
