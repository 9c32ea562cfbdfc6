//! `skillgap path`, `targets` and `evaluate-transitions`: where one can go, on the command line,
//! from the same answers as the API.

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use skillgap_app::Settings;
use skillgap_app::answer::paths::paths_body;
use skillgap_app::answer::targets::targets_body;
use skillgap_app::answer::transitions::related_codes;
use skillgap_app::params::{
    AssessedLevel, AssessedTransitionsRequest, MAX_STEPS_PARAM, PATHS_PARAM, PathRequest,
    TRANSITIONS_LIMIT, parse_code,
};
use skillgap_core::SocCode;
use skillgap_core::evaluation;

use super::query::{answer, fail, open, options, printed_json, truncate};
use crate::{CompareOptions, PathSortArg};

/// `skillgap path`.
#[derive(Debug, Args)]
pub struct PathArgs {
    /// Source occupation code, e.g. 43-4051.00.
    pub from: String,
    /// Target occupation code, e.g. 11-3021.00.
    pub to: String,
    /// Most steps per path (1–4).
    #[arg(long, default_value_t = MAX_STEPS_PARAM.default)]
    pub max_steps: usize,
    /// How many paths (1–10).
    #[arg(long, default_value_t = PATHS_PARAM.default)]
    pub paths: usize,
    /// Order of the paths (the pay orders need `skillgap load-labor`).
    #[arg(long, value_enum, default_value_t = PathSortArg::Gap)]
    pub sort: PathSortArg,
    /// Keep only paths on which every occupation reached pays at least this ratio of today's
    /// median wage, e.g. 0.9.
    #[arg(long, value_name = "RATIO")]
    pub min_wage_ratio: Option<f64>,
    /// Comparison options (each step's gap).
    #[command(flatten)]
    pub options: CompareOptions,
}

/// `skillgap targets`.
#[derive(Debug, Args)]
pub struct TargetsArgs {
    /// A JSON file of levels (0–7) per element id, e.g. {"2.A.1.a": 4.5, "2.B.1.e": 3}; `-`
    /// reads standard input. Descriptors left out count as level 0.
    #[arg(long, value_name = "FILE")]
    pub levels: PathBuf,
    /// Most results (1–100).
    #[arg(long, default_value_t = TRANSITIONS_LIMIT.default)]
    pub limit: usize,
    /// Comparison options.
    #[command(flatten)]
    pub options: CompareOptions,
}

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

/// `skillgap path FROM TO`.
pub async fn path(settings: &Settings, args: PathArgs) -> anyhow::Result<ExitCode> {
    let o = &args.options;
    let req = PathRequest::new(
        parse_code("from", &args.from).map_err(fail)?,
        parse_code("to", &args.to).map_err(fail)?,
        args.max_steps,
        args.paths,
        options(o, false).map_err(fail)?,
    )
    .and_then(|r| r.with_wages(args.sort.into(), args.min_wage_ratio))
    .map_err(fail)?;
    let body = answer(settings, |c| paths_body(c, c.facts(), &req)).await?;
    if printed_json(o.json, &body)? {
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    let d = &body.direct.figures;
    writeln!(
        out,
        "From {} {} to {} {}\n",
        body.from.code.as_deref().unwrap_or(""),
        body.from.title,
        body.to.code.as_deref().unwrap_or(""),
        body.to.title
    )?;
    writeln!(
        out,
        "Direct move: weighted gap {:.2}, {} shortages, relatedness {}{}",
        d.weighted_gap_total,
        d.shortages,
        d.relatedness.map_or("-".into(), |r| format!("{r:.2}")),
        match &body.direct.why_not {
            Some(why) => format!(" (not a single step: {why})"),
            None => " (a feasible single step)".into(),
        }
    )?;
    if let Some(b) = &body.blocked {
        writeln!(out, "\nNo path: {} ({})", b.detail, b.limit)?;
        return Ok(ExitCode::SUCCESS);
    }
    for (n, p) in body.paths.iter().enumerate() {
        writeln!(
            out,
            "\nPath {}: {} step(s), largest step gap {:.2}, total {:.2}",
            n + 1,
            p.steps.len(),
            p.largest_step_gap,
            p.total_gap
        )?;
        if let Some(w) = &p.wage {
            writeln!(
                out,
                "  pay: lowest on the way {} of today's{}{}",
                w.lowest_ratio
                    .map_or("unknown".to_string(), |r| format!("{:.0}%", r * 100.0)),
                w.change.map_or(String::new(), |c| format!(
                    ", target {:+.0} $/year",
                    c.difference
                )),
                w.weighted_gap_per_1000_dollars
                    .map_or(String::new(), |g| format!(", gap {g:.3} per $1,000 gained"))
            )?;
        }
        for s in &p.steps {
            let top: Vec<&str> = s.top_shortages.iter().map(|t| t.name.as_str()).collect();
            let pay = s
                .wage
                .as_ref()
                .and_then(|w| w.change)
                .map_or(String::new(), |c| format!("  pay ×{:.2}", c.ratio));
            writeln!(
                out,
                "  → {:<10} {:<44} gap {:>6.2}  zone {:>2}{pay}  {}",
                s.to.code.as_deref().unwrap_or(""),
                truncate(&s.to.title, 44),
                s.weighted_gap_total,
                s.job_zone
                    .change
                    .map_or("-".to_string(), |c| format!("{c:+}")),
                top.join(", ")
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads a self-assessment file: a JSON object of element id → level.
fn read_levels(path: &PathBuf) -> anyhow::Result<BTreeMap<String, AssessedLevel>> {
    let text = if path.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin()).context("cannot read standard input")?
    } else {
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?
    };
    let map: BTreeMap<String, serde_json::Value> =
        serde_json::from_str(&text).with_context(|| {
            format!(
                "{} is not a JSON object of element id → level (0–7), e.g. {{\"2.A.1.a\": 4.5}}",
                path.display()
            )
        })?;
    Ok(map
        .into_iter()
        .map(|(k, v)| (k, AssessedLevel::from(&v)))
        .collect())
}

/// `skillgap targets --levels FILE`.
pub async fn targets(settings: &Settings, args: TargetsArgs) -> anyhow::Result<ExitCode> {
    let o = &args.options;
    let req = AssessedTransitionsRequest::new(
        read_levels(&args.levels)?,
        options(o, false).map_err(fail)?,
        args.limit,
    )
    .map_err(fail)?;
    let body = answer(settings, |c| targets_body(c, &req)).await?;
    if printed_json(o.json, &body)? {
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Closest to qualifying ({} occupations compared), smallest weighted gap first:\n",
        body.candidates
    )?;
    writeln!(
        out,
        "{:<10} {:<50} {:>8} {:>9} {:>10}",
        "code", "title", "weighted", "shortages", "similarity"
    )?;
    for t in &body.targets {
        writeln!(
            out,
            "{:<10} {:<50} {:>8.2} {:>9} {:>10}",
            t.code,
            truncate(&t.title, 50),
            t.weighted_gap_total,
            t.shortages,
            t.similarity.map_or("-".into(), |s| format!("{s:.4}"))
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `skillgap evaluate-transitions --related FILE`.
pub async fn evaluate(settings: &Settings, args: EvaluateArgs) -> anyhow::Result<ExitCode> {
    let service = open(settings).await?;
    let catalog = service.catalog();
    let known: HashSet<SocCode> = catalog
        .occupations
        .iter()
        .map(|e| e.occupation.code)
        .collect();
    let expert = skillgap_onet::read_related(&args.related, Some(&known))?;
    // The default transitions ranking, as `/occupations/{code}/transitions` orders it.
    let figures = evaluation::evaluate(&expert, |s| related_codes(&catalog, s, 20));
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
