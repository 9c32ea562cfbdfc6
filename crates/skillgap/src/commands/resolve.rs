//! A code or a job title where a command takes an occupation: a code is taken as it is; anything
//! else goes to the title coder, and the occupation chosen, its confidence and why are said on
//! stderr (with the other choices when the confidence is low). `--strict` takes codes only.

use anyhow::bail;
use skillgap_app::Snapshot;
use skillgap_app::answer::search::search_body;
use skillgap_app::params::{Bounded, SearchRequest, parse_code};
use skillgap_core::SocCode;

use super::service::fail;

/// Below this confidence the other choices are listed too.
pub(crate) const ASK_BELOW: f64 = 0.5;

/// `text` as a code, or the error `--strict` gives.
pub(crate) fn strict_code(parameter: &str, text: &str) -> anyhow::Result<SocCode> {
    parse_code(parameter, text)
        .map_err(|e| fail(e).context("--strict takes O*NET-SOC codes only, not job titles"))
}

/// The occupation `text` names, for the parameter `parameter`.
pub(crate) fn occupation(
    snapshot: &Snapshot,
    parameter: &str,
    text: &str,
    strict: bool,
) -> anyhow::Result<SocCode> {
    let as_code = parse_code(parameter, text);
    if let Ok(code) = as_code {
        return Ok(code);
    }
    if strict {
        return strict_code(parameter, text);
    }
    let req = SearchRequest::new(text, Bounded::standard()).map_err(fail)?;
    let body = search_body(snapshot, &req);
    let Some(best) = body.results.first() else {
        let nearest: Vec<String> = body
            .nearest
            .iter()
            .map(|n| format!("{} {}", n.code, n.title))
            .collect();
        if nearest.is_empty() {
            bail!("{parameter}: no occupation matches “{text}”");
        }
        bail!(
            "{parameter}: no occupation matches “{text}”; nearest titles: {}",
            nearest.join("; ")
        );
    };
    eprintln!(
        "{parameter}: “{text}” → {} {} (confidence {:.2}; matched {} “{}”)",
        best.code,
        best.title,
        best.confidence,
        best.matched.field.replace('_', " "),
        best.matched.title
    );
    if best.confidence < ASK_BELOW {
        for r in body.results.iter().skip(1).take(4) {
            eprintln!(
                "  or {} {} (confidence {:.2})",
                r.code, r.title, r.confidence
            );
        }
        eprintln!("  give a code to choose another");
    }
    Ok(SocCode::parse(&best.code).expect("a catalog code"))
}
