//! `skillgap path FROM TO`: stepping-stone paths, each step with its gap and (with labour data)
//! its pay, beside the direct move.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use skillgap_app::answer::paths::paths_body;
use skillgap_app::params::Choice;
use skillgap_app::params::{
    Bound, Bounded, Include, MaxSteps, MinWageRatio, PathCount, PathRequest, Pay,
};
use skillgap_app::{Reach, Settings};
use skillgap_core::paths::PathSort;

use super::compare::{CompareOptions, choice};
use super::service::{one_shot_named, printed_json};
use super::text::truncate;

/// `skillgap path`.
#[derive(Debug, Args)]
pub struct PathArgs {
    /// Source occupation: a code, e.g. 43-4051.00, or a job title.
    pub from: String,
    /// Target occupation: a code, e.g. 11-3021.00, or a job title.
    pub to: String,
    /// Take FROM and TO as O*NET-SOC codes only, never as job titles.
    #[arg(long)]
    pub strict: bool,
    /// Most steps per path.
    #[arg(long, help = MaxSteps::RANGE.doc, default_value_t = Bounded::standard())]
    pub max_steps: Bounded<MaxSteps>,
    /// How many paths.
    #[arg(long, help = PathCount::RANGE.doc, default_value_t = Bounded::standard())]
    pub paths: Bounded<PathCount>,
    /// The order of the paths.
    #[arg(long, help = PathSort::DOC, value_parser = choice::<PathSort>(), default_value = PathSort::DEFAULT.word())]
    pub sort: PathSort,
    /// The wage floor.
    #[arg(long, value_name = "RATIO", help = MinWageRatio::RANGE.doc)]
    pub min_wage_ratio: Option<Bounded<MinWageRatio>>,
    /// Comparison options (each step's gap).
    #[command(flatten)]
    pub options: CompareOptions,
}

/// `skillgap path FROM TO`.
pub async fn path(settings: &Settings, args: PathArgs) -> anyhow::Result<ExitCode> {
    let o = &args.options;
    let named = [("from", args.from.as_str()), ("to", args.to.as_str())];
    // A path searches every occupation's steps.
    let body = one_shot_named(
        settings,
        &named,
        args.strict,
        |_| Reach::Everything,
        |s, codes| {
            let req = PathRequest::new(
                codes[0],
                codes[1],
                args.max_steps,
                args.paths,
                o.gap_options(Include::default()),
                Pay::new(args.sort, args.min_wage_ratio),
            )?;
            paths_body(s, &req)
        },
    )
    .await?;
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
