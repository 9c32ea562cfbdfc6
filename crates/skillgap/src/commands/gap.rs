//! `skillgap gap FROM TO`: the skill gap as a table, or the API's body with `--json`.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use skillgap_app::answer::gap::skill_gap;
use skillgap_app::params::{GapRequest, Include};
use skillgap_app::{Reach, Settings};
use skillgap_core::SocCode;

use super::compare::CompareOptions;
use super::service::{one_shot_named, printed_json};
use super::text::{self, truncate};

/// `skillgap gap`.
#[derive(Debug, Args)]
pub struct GapArgs {
    /// Source occupation: a code, e.g. 15-1254.00, or a job title, e.g. "web developer".
    pub from: String,
    /// Target occupation: a code, e.g. 11-3021.00, or a job title, e.g. "it director".
    pub to: String,
    /// Take FROM and TO as O*NET-SOC codes only, never as job titles.
    #[arg(long)]
    pub strict: bool,
    /// Also list what the source has beyond the target.
    #[arg(long)]
    pub surplus: bool,
    /// Also list the technologies the target's workers use and the source's do not.
    #[arg(long)]
    pub technology: bool,
    /// Comparison options.
    #[command(flatten)]
    pub options: CompareOptions,
}

/// `skillgap gap FROM TO`.
pub async fn gap(settings: &Settings, args: GapArgs) -> anyhow::Result<ExitCode> {
    let o = &args.options;
    let options = o.gap_options(Include {
        surplus: args.surplus,
        technology: args.technology,
    });
    let named = [("from", args.from.as_str()), ("to", args.to.as_str())];
    // A gap compares the two occupations alone.
    let reach = |codes: &[SocCode]| Reach::Occupations(codes.to_vec());
    let body = one_shot_named(settings, &named, args.strict, reach, |s, codes| {
        let req = GapRequest {
            from: codes[0],
            to: codes[1],
            options,
        };
        skill_gap(s, &req)
    })
    .await?;
    if printed_json(o.json, &body)? {
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    let from = &body.from;
    writeln!(
        out,
        "From {} {}",
        from.code.as_deref().unwrap_or(""),
        from.title
    )?;
    writeln!(
        out,
        "To   {} {}",
        body.to.code.as_deref().unwrap_or(""),
        body.to.title
    )?;
    writeln!(
        out,
        "Similarity {} · {} of {} required descriptors short ({} significant) · weighted gap {:.2}\n",
        body.similarity
            .map(|v| format!("{v:.4}"))
            .unwrap_or_else(|| "–".into()),
        body.summary.shortages,
        body.summary.required_by_target,
        body.summary.significant_shortages,
        body.summary.weighted_gap_total
    )?;
    if let Some(labor) = &body.labor {
        text::write_gap_facts(&mut out, labor)?;
    }
    if body.shortages.is_empty() {
        writeln!(
            out,
            "No shortages: the source level meets every descriptor the target requires."
        )?;
    } else {
        writeln!(
            out,
            "{:<10} {:<34} {:>5} {:>5} {:>5} {:>4} {:>8}  sig",
            "element", "name", "from", "to", "gap", "imp", "weighted"
        )?;
        for r in &body.shortages {
            let sig = match r.significant {
                Some(true) => "yes",
                Some(false) => "no",
                None => "?",
            };
            let mark = if r.missing { "*" } else { " " };
            writeln!(
                out,
                "{:<10} {:<34} {:>5.2} {:>5.2} {:>5.2} {:>4.2} {:>8.2}  {sig}{mark}",
                r.element_id,
                truncate(&r.name, 34),
                r.from_level,
                r.to_level,
                r.gap,
                r.to_importance,
                r.weighted_gap
            )?;
        }
        if body.shortages.iter().any(|r| r.missing) {
            writeln!(out, "\n* required by the target but not by the source")?;
        }
    }
    if let Some(surplus) = &body.surplus {
        writeln!(out, "\nSurplus (the source requires more):")?;
        for r in surplus {
            writeln!(
                out,
                "{:<10} {:<34} {:>5.2} {:>5.2}",
                r.element_id,
                truncate(&r.name, 34),
                r.from_level,
                r.to_level
            )?;
        }
    }
    if let Some(technology) = &body.technology {
        text::write_technology(&mut out, technology)?;
    }
    writeln!(out, "\n{}", body.data.attribution)?;
    Ok(ExitCode::SUCCESS)
}
