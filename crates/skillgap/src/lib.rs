//! The `skillgap` command line: clap definitions and one module per subcommand. Everything a
//! test needs is reachable from here; `main.rs` only parses arguments and sets up the runtime.

mod commands;
mod progress;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

pub use progress::BarProgress;

/// What does it take to move from occupation A to occupation B? Answers from O*NET data.
#[derive(Debug, Parser)]
#[command(name = "skillgap", version, about, long_about = None)]
pub struct Cli {
    /// Where the store lives: sqlite://FILE (default), mysql://… / mariadb://…, or postgres://….
    #[arg(long, env = "DATABASE_URL", default_value = skillgap_store::DEFAULT_DATABASE_URL, global = true, hide_env_values = true)]
    pub database_url: String,

    /// More log output (-v info, -vv debug); RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,

    /// The job to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load an O*NET text release into the store (validated, one transaction, idempotent).
    Load(LoadArgs),
    /// Show the loaded release and row counts.
    Status(StatusArgs),
}

/// `skillgap load`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("source").required(true))]
pub struct LoadArgs {
    /// An unpacked O*NET text release, e.g. db_29_0_text/.
    #[arg(long, group = "source", value_name = "DIR")]
    pub onet_dir: Option<PathBuf>,
    /// The text release zip as downloaded from https://www.onetcenter.org/database.html.
    #[arg(long, group = "source", value_name = "FILE")]
    pub onet_zip: Option<PathBuf>,
    /// Load the valid rows and report rejected ones, instead of loading nothing on a bad row.
    #[arg(long)]
    pub lenient: bool,
    /// Write every rejected row (file, line, column, reason) to this tab-separated file.
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
    /// The release version, when neither Read Me.txt nor the path tells it (e.g. 29.0).
    #[arg(long, value_name = "VERSION")]
    pub release_version: Option<String>,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `skillgap status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Print the status as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Logs go to stderr; stdout carries only the command's answer.
pub fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// An error and its causes on one line, skipping a cause whose text the previous one already
/// includes (drivers often repeat their source in their own message).
pub fn error_chain(e: &anyhow::Error) -> String {
    let mut out = String::new();
    let mut last = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if last.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
        last = text;
    }
    out
}

/// Runs one parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Load(args) => commands::load::run(&cli.database_url, args).await,
        Command::Status(args) => commands::status::run(&cli.database_url, args).await,
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
