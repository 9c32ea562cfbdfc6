//! How the query commands lay out text: truncated titles, wages, labour facts and the
//! technology gap.

use std::io::Write;

use skillgap_app::answer::labor::{GapFacts, LaborFactsDto, WageDto};
use skillgap_app::answer::technology::TechnologyGapDto;

use super::thousands;

/// `s`, cut to `n` characters with an ellipsis when longer.
pub(crate) fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

/// `$171,200`, `≥ $239,200` for a top-coded wage, `–` when unknown.
pub(crate) fn wage_text(w: Option<&WageDto>) -> String {
    match w {
        Some(w) => format!(
            "{}${}",
            if w.at_or_above { "≥ " } else { "" },
            thousands(w.annual.round() as u64)
        ),
        None => "–".into(),
    }
}

fn side(f: &LaborFactsDto) -> [String; 6] {
    let median = match (&f.median_wage, f.wage_reason) {
        (Some(w), _) => wage_text(Some(w)),
        (None, Some(reason)) => format!("– ({reason})"),
        (None, None) => "–".into(),
    };
    let range = format!(
        "{} – {}",
        wage_text(f.pct10_wage.as_ref()),
        wage_text(f.pct90_wage.as_ref())
    );
    let employment = f.employment.map_or_else(|| "–".into(), thousands);
    let outlook = match (f.projected_change_percent, f.annual_openings) {
        (Some(p), Some(o)) => format!("{p:+.1}% by 2034, {} openings a year", thousands(o as u64)),
        (Some(p), None) => format!("{p:+.1}% by 2034"),
        _ => "–".into(),
    };
    let entry = f.entry_education.clone().unwrap_or_else(|| "–".into());
    let onet = f.onet_education.as_ref().map_or_else(
        || "–".into(),
        |e| format!("{} ({:.0}% of workers)", e.level, e.share),
    );
    [median, range, employment, outlook, entry, onet]
}

/// Both sides' facts and the change between them.
pub(crate) fn write_gap_facts(out: &mut impl Write, g: &GapFacts) -> std::io::Result<()> {
    let (a, b) = (side(&g.from), side(&g.to));
    let labels = [
        "Median wage",
        "10th–90th pct",
        "Employment",
        "Outlook",
        "Entry education (BLS)",
        "Education (O*NET)",
    ];
    writeln!(out, "{:<22} {:<40} to", "", "from")?;
    for ((label, x), y) in labels.iter().zip(&a).zip(&b) {
        writeln!(out, "{label:<22} {x:<40} {y}")?;
    }
    let change = &g.change;
    let wage = match (&change.wage, &change.wage_reason) {
        (Some(w), _) => {
            let sign = if w.difference < 0.0 { "-" } else { "+" };
            let bound = match w.bound {
                "at_least" => " (at least)",
                "at_most" => " (at most)",
                _ => "",
            };
            format!(
                "{sign}${} a year, ×{:.2}{bound}",
                thousands(w.difference.abs().round() as u64),
                w.ratio
            )
        }
        (None, Some(r)) => format!("unknown: {r}"),
        (None, None) => "unknown".into(),
    };
    let education = match (change.education, change.education_step) {
        (Some(dir), Some(step)) => format!("{dir} ({step:+} O*NET categories)"),
        _ => "unknown".into(),
    };
    writeln!(out, "Change: wage {wage}; education {education}\n")
}

/// The technology gap, by commodity, Hot Technology marked.
pub(crate) fn write_technology(out: &mut impl Write, t: &TechnologyGapDto) -> std::io::Result<()> {
    writeln!(
        out,
        "\nTechnology to learn: {} ({} Hot Technology); {} shared",
        t.missing, t.missing_hot, t.shared
    )?;
    for g in &t.groups {
        let names: Vec<String> = g
            .technologies
            .iter()
            .map(|x| {
                if x.hot {
                    format!("{} (hot)", x.example)
                } else {
                    x.example.clone()
                }
            })
            .collect();
        writeln!(out, "  {}: {}", g.commodity_title, names.join(", "))?;
    }
    Ok(())
}
