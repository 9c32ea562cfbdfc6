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
    /// The ranking measured: `relatedness` (the default transitions order), `targets` (targets
    /// from each source's own O*NET skill levels, as `POST /transitions` ranks them) or
    /// `targets-by-gap` (the same targets by weighted gap alone, the order before issue 21).
    #[arg(long, default_value = "relatedness", value_parser = ["relatedness", "targets", "targets-by-gap"])]
    pub ranking: String,
    /// Print the figures, and each source's, as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Targets from the occupation's own O*NET skill levels: by the fit blend, or (`by_gap`) by
/// weighted gap then similarity, as before issue 21.
fn own_level_targets(
    catalog: &skillgap_core::Catalog,
    code: SocCode,
    by_gap: bool,
) -> Option<Vec<SocCode>> {
    use skillgap_core::gap::GapParams;
    use skillgap_core::targets::rank_targets;
    use skillgap_core::{Domain, ProfileChoice};
    let i = catalog.index_of(code)?;
    let table = catalog.domain(Domain::Skills)?;
    let cells = &table.profiles(i).get(ProfileChoice::Onet)?.cells;
    let levels = vec![
        cells
            .iter()
            .map(|c| c.effective_level())
            .collect::<Vec<_>>(),
    ];
    let n = catalog.occupations.len();
    let mut ranked = rank_targets(
        n,
        &[table],
        &levels,
        ProfileChoice::Onet,
        &GapParams::default(),
        n,
        |_| true,
    )
    .targets;
    if by_gap {
        ranked.sort_by(|a, b| {
            a.summary
                .weighted_key
                .cmp(&b.summary.weighted_key)
                .then(
                    b.summary
                        .similarity
                        .value()
                        .unwrap_or(0.0)
                        .total_cmp(&a.summary.similarity.value().unwrap_or(0.0)),
                )
                .then(a.occupation.cmp(&b.occupation))
        });
    }
    Some(
        ranked
            .into_iter()
            .take(21)
            .map(|t| catalog.occupations[t.occupation].occupation.code)
            .collect(),
    )
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
    let figures = match args.ranking.as_str() {
        "targets" => {
            evaluation::evaluate(&expert, |s| own_level_targets(snapshot.catalog(), s, false))
        }
        "targets-by-gap" => {
            evaluation::evaluate(&expert, |s| own_level_targets(snapshot.catalog(), s, true))
        }
        _ => evaluation::evaluate(&expert, |s| related_codes(&snapshot, s, 20)),
    };
    service.store().close().await;
    if printed_json(args.json, &figures)? {
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} source occupations in {} ({} ranked; an unranked one counts as 0), ranking {}",
        figures.sources,
        args.related.display(),
        figures.ranked,
        args.ranking
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
