//! `skillgap targets --levels FILE`: the occupations a self-assessed profile is closest to
//! qualifying for (`POST /transitions` on the command line).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use skillgap_app::Settings;
use skillgap_app::answer::assessed_transitions::assessed_transitions_body;
use skillgap_app::params::{
    AssessedLevel, AssessedTransitionsRequest, Bound, Bounded, Choice, Include, MinWage,
    TargetSort, TransitionsLimit,
};

use super::compare::{CompareOptions, choice};
use super::service::{one_shot, printed_json};
use super::text::truncate;

/// `skillgap targets`.
#[derive(Debug, Args)]
pub struct TargetsArgs {
    /// A JSON file of levels (0–7) per element id, e.g. {"2.A.1.a": 4.5, "2.B.1.e": 3}; `-`
    /// reads standard input. Descriptors left out count as level 0 in the gap; the fit compares
    /// only those given.
    #[arg(long, value_name = "FILE")]
    pub levels: PathBuf,
    /// Most results.
    #[arg(long, help = TransitionsLimit::RANGE.doc, default_value_t = Bounded::standard())]
    pub limit: Bounded<TransitionsLimit>,
    /// The order of the targets.
    #[arg(long, help = TargetSort::DOC, value_parser = choice::<TargetSort>(), default_value = TargetSort::DEFAULT.word())]
    pub sort: TargetSort,
    /// The least median annual wage.
    #[arg(long, value_name = "DOLLARS", help = MinWage::RANGE.doc)]
    pub min_wage: Option<Bounded<MinWage>>,
    /// Comparison options.
    #[command(flatten)]
    pub options: CompareOptions,
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
    let req = AssessedTransitionsRequest {
        levels: read_levels(&args.levels)?,
        options: o.gap_options(Include::default()),
        limit: args.limit,
        sort: args.sort,
        min_wage: args.min_wage,
    };
    let body = one_shot(settings, |s| assessed_transitions_body(s, &req)).await?;
    if printed_json(o.json, &body)? {
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Targets that fit ({} occupations compared), {}:\n",
        body.candidates, body.order
    )?;
    writeln!(
        out,
        "{:<10} {:<50} {:>6} {:>6} {:>8} {:>9}",
        "code", "title", "score", "fit", "weighted", "shortages"
    )?;
    for t in &body.targets {
        writeln!(
            out,
            "{:<10} {:<50} {:>6.4} {:>6} {:>8.2} {:>9}",
            t.code,
            truncate(&t.title, 50),
            t.score,
            t.fit.map_or("-".into(), |s| format!("{s:.4}")),
            t.weighted_gap_total,
            t.shortages,
        )?;
        if !t.unused_strengths.is_empty() {
            let names: Vec<String> = t
                .unused_strengths
                .iter()
                .map(|u| format!("{} ({:.1} vs {:.1})", u.name, u.yours, u.target))
                .collect();
            writeln!(out, "{:<10} unused strengths: {}", "", names.join(", "))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
