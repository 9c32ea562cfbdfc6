//! `skillgap status`: the loaded release and what the store holds.

use clap::Args;
use std::io::Write;
use std::process::ExitCode;

use skillgap_store::DatabaseUrl;

use super::{connect, thousands};

/// `skillgap status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Print the status as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Prints the status, as a readable summary or JSON.
pub async fn run(database_url: &DatabaseUrl, args: StatusArgs) -> anyhow::Result<ExitCode> {
    let store = connect(database_url).await?;
    let status = store.status().await?;
    store.close().await;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&status)?);
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "database  {} ({}, schema version {})",
        status.database,
        status.backend.name(),
        status.schema_version.unwrap_or(0)
    )?;
    match &status.release {
        None => {
            writeln!(out, "release   none loaded yet")?;
            writeln!(
                out,
                "\nLoad one with:  skillgap load --onet-dir DIR   (an unpacked O*NET text release, e.g. db_29_0_text)"
            )?;
            writeln!(
                out,
                "or download one:  skillgap load --onet-url {}",
                skillgap_onet::release::OFFICIAL_EXAMPLE
            )?;
            return Ok(ExitCode::SUCCESS);
        }
        Some(r) => {
            writeln!(
                out,
                "release   O*NET {} (#{}), loaded {} from {}",
                r.version, r.id, r.loaded_at, r.source
            )?;
            writeln!(out, "          fingerprint {}", r.fingerprint)?;
            if r.rejected_rows > 0 {
                writeln!(
                    out,
                    "          {} rows were rejected by a lenient load",
                    thousands(r.rejected_rows)
                )?;
            }
        }
    }
    writeln!(out, "\ntables")?;
    for t in &status.tables {
        writeln!(out, "  {:<18} {:>9}", t.table, thousands(t.rows))?;
    }
    writeln!(out, "\nratings")?;
    for r in &status.ratings {
        writeln!(
            out,
            "  {:<16} {:<14} {:>9} ratings  {:>5} occupations",
            r.domain,
            r.source,
            thousands(r.ratings),
            thousands(r.occupations)
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
