//! `skillgap transitions CODE`: the occupations most related to one, with why each is close and
//! the gap to each.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use skillgap_app::Settings;
use skillgap_app::answer::transitions::transitions_body;
use skillgap_app::params::Choice;
use skillgap_app::params::{
    Bound, Bounded, Include, MinWageRatio, Pay, TransitionsLimit, TransitionsRequest,
};
use skillgap_core::transitions::TransitionSort;

use super::compare::{CompareOptions, choice};
use super::service::{one_shot_named, printed_json};
use super::text::{self, truncate};

/// `skillgap transitions`.
#[derive(Debug, Args)]
pub struct TransitionsArgs {
    /// Source occupation: a code, or a job title.
    pub code: String,
    /// Take CODE as an O*NET-SOC code only, never as a job title.
    #[arg(long)]
    pub strict: bool,
    /// Most results.
    #[arg(long, help = TransitionsLimit::RANGE.doc, default_value_t = Bounded::standard())]
    pub limit: Bounded<TransitionsLimit>,
    /// The order of the moves.
    #[arg(long, help = TransitionSort::DOC, value_parser = choice::<TransitionSort>(), default_value = TransitionSort::DEFAULT.word())]
    pub sort: TransitionSort,
    /// The wage floor.
    #[arg(long, value_name = "RATIO", help = MinWageRatio::RANGE.doc)]
    pub min_wage_ratio: Option<Bounded<MinWageRatio>>,
    /// Comparison options.
    #[command(flatten)]
    pub options: CompareOptions,
}

/// `skillgap transitions CODE`.
pub async fn transitions(settings: &Settings, args: TransitionsArgs) -> anyhow::Result<ExitCode> {
    let o = &args.options;
    let named = [("code", args.code.as_str())];
    let body = one_shot_named(settings, &named, args.strict, |s, codes| {
        let req = TransitionsRequest {
            code: codes[0],
            options: o.gap_options(Include::default()),
            limit: args.limit,
            pay: Pay::new(args.sort, args.min_wage_ratio),
        };
        transitions_body(s, &req)
    })
    .await?;
    if printed_json(o.json, &body)? {
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Moves from {} {} ({} candidates), {}:\n",
        body.from.code.as_deref().unwrap_or(""),
        body.from.title,
        body.candidates,
        body.order
    )?;
    let wages = body.transitions.iter().any(|t| t.wage.is_some());
    write!(
        out,
        "{:<10} {:<46} {:>11} {:>10} {:>9} {:>8} {:>4}",
        "code", "title", "relatedness", "similarity", "shortages", "weighted", "zone"
    )?;
    let num = |v: Option<f64>, dp: usize| v.map_or("-".to_string(), |v| format!("{v:.dp$}"));
    if wages {
        write!(out, " {:>12} {:>8}", "median wage", "ratio")?;
    }
    writeln!(out)?;
    for t in &body.transitions {
        write!(
            out,
            "{:<10} {:<46} {:>11} {:>10} {:>9} {:>8} {:>4}",
            t.code,
            truncate(&t.title, 46),
            num(t.relatedness, 2),
            num(t.similarity, 4),
            t.shortages.map_or("-".to_string(), |n| n.to_string()),
            num(t.weighted_gap_total, 2),
            t.job_zone
                .change
                .map_or("-".to_string(), |c| format!("{c:+}")),
        )?;
        if let Some(w) = &t.wage {
            let ratio = w
                .change
                .map(|c| format!("{:.2}", c.ratio))
                .unwrap_or_else(|| "–".into());
            write!(
                out,
                " {:>12} {:>8}",
                text::wage_text(w.median_wage.as_ref()),
                ratio
            )?;
        }
        writeln!(out)?;
        if !t.shared_knowledge.is_empty() {
            writeln!(
                out,
                "{:<10} shared knowledge: {}",
                "",
                t.shared_knowledge.join(", ")
            )?;
        }
    }
    if wages {
        writeln!(out, "\n{}", body.data.attribution)?;
    }
    Ok(ExitCode::SUCCESS)
}
