//! `skillgap gap`, `search` and `transitions`: the API's answers on the command line, from the
//! same engine and the same body builders, so `--json` prints exactly what the API returns.

use std::io::Write;
use std::process::ExitCode;

use skillgap_app::answer::gap::skill_gap;
use skillgap_app::answer::search::search as search_occupations;
use skillgap_app::answer::transitions::transitions_body;
use skillgap_app::params::{GapOptions, GapRequest, SearchRequest, TransitionsRequest, parse_code};
use skillgap_app::{AppError, FetchNotice, Served, Service, Settings};

use super::{connect, facts};
use crate::{CompareOptions, GapArgs, SearchArgs, TransitionsArgs};

/// The application service over the store, saying on stderr when it fetches an occupation the
/// store lacks from O*NET Web Services (as the API does, when credentials are configured).
pub(super) async fn open(settings: &Settings) -> anyhow::Result<Service> {
    let store = connect(&settings.database_url).await?;
    let notice: FetchNotice = Box::new(|code| {
        eprintln!("{code} is not in the store; fetching it from O*NET Web Services…");
    });
    let service = Service::open(store, settings, Some(notice)).await?;
    if service.catalog().occupations.is_empty() {
        anyhow::bail!(
            "the store at {} holds no O*NET release; load one with `skillgap load --onet-dir DIR`",
            service.store().url()
        );
    }
    Ok(service)
}

/// Opens the service, answers with `make` (fetching what the store lacks first, as the API
/// does), and closes the store.
pub(super) async fn answer<T>(
    settings: &Settings,
    make: impl Fn(&Served) -> Result<T, AppError>,
) -> anyhow::Result<T> {
    let service = open(settings).await?;
    let body = service.answer(make).await.map_err(fail);
    service.store().close().await;
    body
}

/// Prints `body` as one line of JSON when `--json` asked for it; `true` when it did.
pub(super) fn printed_json(json: bool, body: &impl serde::Serialize) -> anyhow::Result<bool> {
    if json {
        println!("{}", serde_json::to_string(body)?);
    }
    Ok(json)
}

/// An application error as the command line says it.
pub(super) fn fail(e: AppError) -> anyhow::Error {
    match e {
        AppError::UnknownOccupation(code) => anyhow::anyhow!(
            "no occupation with code {code} is known; find one with `skillgap search WORDS`"
        ),
        AppError::Store(e) => e.into(),
        // Say which value is at fault when the message does not already.
        AppError::InvalidParameter { parameter, detail } if !detail.contains(&parameter) => {
            anyhow::anyhow!("{parameter}: {detail}")
        }
        other => anyhow::anyhow!(other.to_string()),
    }
}

/// The comparison options as typed values, checked against their ranges.
pub(super) fn options(o: &CompareOptions, surplus: bool) -> Result<GapOptions, AppError> {
    GapOptions::new(
        o.domain.into(),
        o.min_importance,
        o.min_gap,
        surplus,
        o.source.into(),
    )
}

/// `skillgap gap FROM TO`.
pub async fn gap(settings: &Settings, args: GapArgs) -> anyhow::Result<ExitCode> {
    let o = &args.options;
    let req = GapRequest {
        from: parse_code("from", &args.from).map_err(fail)?,
        to: parse_code("to", &args.to).map_err(fail)?,
        options: options(o, args.surplus)
            .map_err(fail)?
            .with_technology(args.technology),
    };
    let body = answer(settings, |c| skill_gap(c, c.facts(), &req)).await?;
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
        facts::write_gap_facts(&mut out, labor)?;
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
        facts::write_technology(&mut out, technology)?;
    }
    writeln!(out, "\n{}", body.data.attribution)?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

/// `skillgap search TEXT`.
pub async fn search(settings: &Settings, args: SearchArgs) -> anyhow::Result<ExitCode> {
    let req = SearchRequest::new(&args.text.join(" "), args.limit).map_err(fail)?;
    let service = open(settings).await?;
    let body = search_occupations(&service.catalog(), &req);
    service.store().close().await;
    if printed_json(args.json, &body)? {
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    if body.results.is_empty() {
        writeln!(out, "No occupation matches `{}`.", body.query)?;
    }
    for r in &body.results {
        let also = r
            .matched_title
            .as_ref()
            .map(|t| format!("  (as “{t}”)"))
            .unwrap_or_default();
        let rated = if r.has_ratings {
            ""
        } else {
            "  [no O*NET ratings]"
        };
        writeln!(out, "{}  {}{also}{rated}", r.code, r.title)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `skillgap transitions CODE`.
pub async fn transitions(settings: &Settings, args: TransitionsArgs) -> anyhow::Result<ExitCode> {
    let o = &args.options;
    let req = TransitionsRequest::new(
        parse_code("code", &args.code).map_err(fail)?,
        options(o, false).map_err(fail)?,
        args.limit,
    )
    .and_then(|r| r.with_wages(args.sort.into(), args.min_wage_ratio))
    .map_err(fail)?;
    let body = answer(settings, |c| transitions_body(c, c.facts(), &req)).await?;
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
                facts::wage_text(w.median_wage.as_ref()),
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
