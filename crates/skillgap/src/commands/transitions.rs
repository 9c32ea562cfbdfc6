//! `skillgap transitions CODE`: the occupations most related to one, with why each is close and
//! the gap to each.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use skillgap_app::answer::transitions::transitions_body;
use skillgap_app::params::Choice;
use skillgap_app::params::{
    Bound, Bounded, Desirable, DesirableRatio, EffortMeasure, Include, MinWageRatio, MoveKind, Pay,
    TransitionsLimit, TransitionsRequest, ViableFilter,
};
use skillgap_app::{Reach, Settings};
use skillgap_core::SocCode;
use skillgap_core::transitions::TransitionSort;

use super::compare::{CompareOptions, choice};
use super::service::{fail, one_shot_named, printed_json};
use super::text::{self, truncate};
use super::thousands;

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
    /// Viable moves only, or every candidate.
    #[arg(long, help = ViableFilter::DOC, value_parser = choice::<ViableFilter>(), default_value = ViableFilter::DEFAULT.word())]
    pub viable: ViableFilter,
    /// Desirable moves only.
    #[arg(long, help = Desirable::DOC, value_parser = choice::<Desirable>(), default_value = Desirable::DEFAULT.word())]
    pub desirable: Desirable,
    /// The desirability ratio.
    #[arg(long, value_name = "RATIO", help = DesirableRatio::RANGE.doc)]
    pub desirable_ratio: Option<Bounded<DesirableRatio>>,
    /// The effort measure.
    #[arg(long, help = EffortMeasure::DOC, value_parser = choice::<EffortMeasure>(), default_value = EffortMeasure::DEFAULT.word())]
    pub effort: EffortMeasure,
    /// Comparison options.
    #[command(flatten)]
    pub options: CompareOptions,
}

/// `skillgap transitions CODE`.
pub async fn transitions(settings: &Settings, args: TransitionsArgs) -> anyhow::Result<ExitCode> {
    let o = &args.options;
    let kind = MoveKind::new(
        args.viable,
        args.desirable,
        args.desirable_ratio,
        args.effort,
    )
    .map_err(fail)?;
    // Viability is counted over every occupation (how many each condition leaves out), so the
    // answer reads everything.
    let reach = |_: &[SocCode]| Reach::Everything;
    let named = [("code", args.code.as_str())];
    let body = one_shot_named(settings, &named, args.strict, reach, |s, codes| {
        let req = TransitionsRequest {
            code: codes[0],
            options: o.gap_options(Include::default()),
            limit: args.limit,
            pay: Pay::new(args.sort, args.min_wage_ratio),
            kind,
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
        "Moves from {} {}, {}.",
        body.from.code.as_deref().unwrap_or(""),
        body.from.title,
        body.order
    )?;
    // The two counts answer different questions (what this order ranked, and how many of all
    // other occupations pass the viability rule), so each says what it counts: printed bare
    // side by side they read as a contradiction ("922 candidates; 7 of 1015 viable").
    let pay_filtered =
        args.sort.needs_wages() || args.min_wage_ratio.is_some() || body.desirable.is_some();
    let ranked = ranked_pool(
        body.candidates,
        args.sort,
        pay_filtered && args.viable == ViableFilter::Viable,
    );
    let v = &body.viability;
    writeln!(out, "Ranked: {ranked}.")?;
    writeln!(
        out,
        "Viable: {} of the {} other occupations (left out: {} not related enough, {} more than one \
         job zone up, {} not rated; a move can fail more than one).\n",
        thousands(v.viable as u64),
        thousands(v.candidates as u64),
        thousands(v.left_out.relatedness as u64),
        thousands(v.left_out.job_zone as u64),
        thousands(v.left_out.ratings as u64),
    )?;
    let wages = body.transitions.iter().any(|t| t.wage.is_some());
    write!(
        out,
        "{:<10} {:<46} {:>11} {:>10} {:>9} {:>8} {:>4} {:>6}",
        "code", "title", "relatedness", "similarity", "shortages", "weighted", "zone", "viable"
    )?;
    let num = |v: Option<f64>, dp: usize| v.map_or("-".to_string(), |v| format!("{v:.dp$}"));
    if wages {
        write!(out, " {:>12} {:>8}", "median wage", "ratio")?;
    }
    writeln!(out)?;
    for t in &body.transitions {
        write!(
            out,
            "{:<10} {:<46} {:>11} {:>10} {:>9} {:>8} {:>4} {:>6}",
            t.code,
            truncate(&t.title, 46),
            num(t.relatedness, 2),
            num(t.similarity, 4),
            t.shortages.map_or("-".to_string(), |n| n.to_string()),
            num(t.weighted_gap_total, 2),
            t.job_zone
                .change
                .map_or("-".to_string(), |c| format!("{c:+}")),
            if t.viable { "yes" } else { "no" },
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
        if !t.viable {
            writeln!(
                out,
                "{:<10} not viable: {}",
                "",
                t.not_viable_because.join(", ")
            )?;
        }
        if let Some(e) = &t.barriers.education.value {
            writeln!(
                out,
                "{:<10} education: {} → {} ({:+} categories; {:.1}% of its workers at or above yours)",
                "",
                short(&e.from.description),
                short(&e.to.description),
                e.step,
                e.target_share_at_or_above_source
            )?;
        }
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

/// What the order ranked: its pool (see `skillgap_core::transitions::rank_moves`), which is the
/// viable moves when pay orders or filters them, else every occupation related to the source
/// (by relatedness) or rated in the compared domains (by similarity).
fn ranked_pool(n: usize, sort: TransitionSort, viable_only: bool) -> String {
    let n = thousands(n as u64);
    if viable_only {
        format!("{n} viable moves (pay orders and filters rank viable moves only)")
    } else if sort == TransitionSort::Relatedness {
        format!("{n} occupations (those with a relatedness score)")
    } else {
        format!("{n} occupations (those rated in the compared domains)")
    }
}

/// A category's description up to its first explanation (" - " or " (").
fn short(d: &str) -> &str {
    let end = [d.find(" - "), d.find(" (")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(d.len());
    &d[..end]
}
