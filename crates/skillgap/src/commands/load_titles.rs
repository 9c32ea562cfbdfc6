//! `skillgap load-titles FILE`: an organisation's own coded job titles (CSV with `title` and
//! `soc_codes` or `onet_code` columns), stored with their provenance and used by the title coder
//! as evidence. Every bad row is reported with file and line, and then nothing is written.

use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use sha2::{Digest, Sha256};
use skillgap_core::titles::{LabelledError, parse_labelled_rows, soc6};
use skillgap_store::{DatabaseUrl, TitleFile};

use super::connect;

/// Problems listed at most.
const SHOWN: usize = 20;

/// `skillgap load-titles`.
#[derive(Debug, Args)]
pub struct LoadTitlesArgs {
    /// CSV with a header naming `title` and `soc_codes` (6-digit SOC codes, `;`-separated) or
    /// `onet_code`; other columns are ignored.
    pub file: PathBuf,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `skillgap load-titles FILE`.
pub async fn run(db: &DatabaseUrl, args: LoadTitlesArgs) -> anyhow::Result<ExitCode> {
    let path = &args.file;
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        anyhow::anyhow!(
            "{}:{line}: not UTF-8 (byte {})",
            path.display(),
            e.valid_up_to()
        )
    })?;
    let store = connect(db).await?;
    let known: HashSet<String> = store
        .occupation_codes()
        .await?
        .iter()
        .map(|c| c.to_string())
        .collect();
    if known.is_empty() {
        anyhow::bail!("the store holds no O*NET release; load one first with `skillgap load`");
    }
    let socs: HashSet<&str> = known.iter().map(|c| soc6(c)).collect();
    let (rows, mut problems) = parse_labelled_rows(text);
    for r in &rows {
        if let Some(c) = r.codes.iter().find(|c| {
            if c.len() == 7 {
                !socs.contains(c.as_str())
            } else {
                !known.contains(*c)
            }
        }) {
            problems.push(LabelledError {
                line: r.line,
                message: format!("`{c}` names no occupation of the loaded O*NET release"),
            });
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line);
        let shown: Vec<String> = problems
            .iter()
            .take(SHOWN)
            .map(|p| format!("  {}:{}: {}", path.display(), p.line, p.message))
            .collect();
        store.close().await;
        anyhow::bail!(
            "{} bad row(s) in {}; nothing was loaded:\n{}",
            problems.len(),
            path.display(),
            shown.join("\n")
        );
    }
    let file = TitleFile {
        file_name: path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
        source: path.display().to_string(),
        sha256: hex::encode(Sha256::digest(&bytes)),
    };
    let report = store.load_titles(&file, &rows).await?;
    super::keep_derived(&store).await;
    store.close().await;
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    if report.already_loaded {
        writeln!(
            out,
            "{} is already loaded (same SHA-256); nothing changed.",
            file.file_name
        )?;
    } else {
        writeln!(
            out,
            "Loaded {} labelled titles from {}{} (sha256 {}).",
            report.rows,
            file.file_name,
            if report.replaced {
                ", replacing its earlier version"
            } else {
                ""
            },
            &file.sha256[..12]
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
