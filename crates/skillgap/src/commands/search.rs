//! `skillgap search TEXT…`: occupations by code, title or alternate title.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use skillgap_app::Settings;
use skillgap_app::answer::search::search_body;
use skillgap_app::params::{Bound, Bounded, SearchLimit, SearchRequest};

use super::service::{fail, finish, open, printed_json};

/// `skillgap search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words of a title, or a code.
    #[arg(required = true)]
    pub text: Vec<String>,
    /// Most results.
    #[arg(long, help = SearchLimit::RANGE.doc, default_value_t = Bounded::standard())]
    pub limit: Bounded<SearchLimit>,
    /// Print the API's JSON body.
    #[arg(long)]
    pub json: bool,
}

/// `skillgap search TEXT`.
pub async fn search(settings: &Settings, args: SearchArgs) -> anyhow::Result<ExitCode> {
    let req = SearchRequest::new(&args.text.join(" "), args.limit).map_err(fail)?;
    let service = open(settings).await?;
    let body = search_body(&service.snapshot(), &req);
    finish(service).await;
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
