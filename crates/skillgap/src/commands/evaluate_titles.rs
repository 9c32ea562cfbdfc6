//! `skillgap evaluate-titles --titles FILE`: the title coder against labelled titles (the CSV
//! `load-titles` reads): top-1 and top-5 agreement at the full code and at SOC6, the empty-answer
//! rate, and calibration by confidence decile.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use skillgap_app::Settings;
use skillgap_core::titles::{evaluate as evaluate_titles, parse_labelled};

use super::service::{open, printed_json};

/// `skillgap evaluate-titles`.
#[derive(Debug, Args)]
pub struct EvaluateTitlesArgs {
    /// Labelled titles: CSV with `title` and `soc_codes` (or `onet_code`) columns.
    #[arg(long, value_name = "FILE")]
    pub titles: PathBuf,
    /// Print the figures as JSON.
    #[arg(long)]
    pub json: bool,
}

fn pct(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

/// `skillgap evaluate-titles --titles FILE`.
pub async fn run(settings: &Settings, args: EvaluateTitlesArgs) -> anyhow::Result<ExitCode> {
    let path = &args.titles;
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let rows = parse_labelled(&text).map_err(|problems| {
        let shown: Vec<String> = problems
            .iter()
            .take(20)
            .map(|p| format!("  {}:{}: {}", path.display(), p.line, p.message))
            .collect();
        anyhow::anyhow!(
            "{} bad row(s) in {}:\n{}",
            problems.len(),
            path.display(),
            shown.join("\n")
        )
    })?;
    let service = open(settings).await?;
    let snapshot = service.snapshot();
    let figures = evaluate_titles(snapshot.coder(), &snapshot.catalog().occupations, &rows);
    service.store().close().await;
    if printed_json(args.json, &figures)? {
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "{} titles in {}", figures.titles, path.display())?;
    writeln!(
        out,
        "full code: top-1 {}  top-5 {}",
        pct(figures.top1_code),
        pct(figures.top5_code)
    )?;
    writeln!(
        out,
        "SOC6:      top-1 {}  top-5 {}",
        pct(figures.top1_soc6),
        pct(figures.top5_soc6)
    )?;
    writeln!(
        out,
        "no answer: {} ({})",
        figures.empty,
        pct(figures.empty_rate)
    )?;
    writeln!(
        out,
        "confidence ≥ 0.8: {} answers, {} right",
        figures.confident,
        figures.confident_right.map_or("–".into(), pct)
    )?;
    writeln!(
        out,
        "calibration (first answer's confidence → share right at SOC6):"
    )?;
    for b in &figures.calibration {
        writeln!(
            out,
            "  {:.1}–{:.1}  {:>5} answers  {}",
            b.from,
            b.to,
            b.answers,
            b.share_right.map_or("–".into(), pct)
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
