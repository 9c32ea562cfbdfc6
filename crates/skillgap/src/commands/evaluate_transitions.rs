//! `skillgap evaluate-transitions --related FILE`: the default ranking against an expert list of
//! related occupations.

use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use skillgap_app::Settings;
use skillgap_app::answer::transitions::related_codes;
use skillgap_core::SocCode;
use skillgap_core::evaluation;

use super::service::{open, printed_json};

/// `skillgap evaluate-transitions`.
#[derive(Debug, Args)]
pub struct EvaluateArgs {
    /// A related-occupations list in O*NET's 30.0 layout (O*NET-SOC Code, Related O*NET-SOC
    /// Code, Relatedness Tier, Index), e.g. O*NET's `Related Occupations.txt`.
    #[arg(long, value_name = "FILE")]
    pub related: PathBuf,
    /// Print the figures, and each source's, as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `skillgap evaluate-transitions --related FILE`.
pub async fn evaluate(settings: &Settings, args: EvaluateArgs) -> anyhow::Result<ExitCode> {
    let service = open(settings).await?;
    let snapshot = service.snapshot();
    let known: HashSet<SocCode> = snapshot
        .catalog()
        .occupations
        .iter()
        .map(|e| e.occupation.code)
        .collect();
    let expert = skillgap_onet::read_related(&args.related, Some(&known))?;
    // The default transitions ranking, as `/occupations/{code}/transitions` orders it.
    let figures = evaluation::evaluate(&expert, |s| related_codes(&snapshot, s, 20));
    service.store().close().await;
    if printed_json(args.json, &figures)? {
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} source occupations in {} ({} ranked; an unranked one counts as 0)",
        figures.sources,
        args.related.display(),
        figures.ranked
    )?;
    writeln!(
        out,
        "mean overlap@10 with Primary (Short + Long): {:.3} of 10",
        figures.overlap_at_10
    )?;
    writeln!(
        out,
        "mean overlap@5 with Primary-Short:           {:.3} of 5",
        figures.overlap_at_5
    )?;
    writeln!(
        out,
        "mean recall@20 of the whole list:            {:.3}",
        figures.recall_at_20
    )?;
    Ok(ExitCode::SUCCESS)
}
