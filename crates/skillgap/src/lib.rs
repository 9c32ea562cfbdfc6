//! The `skillgap` command line: the top-level clap definition here, and one module per
//! subcommand under [`commands`] holding its arguments and its run. Everything a test needs is
//! reachable from here; `main.rs` only parses arguments and sets up the runtime.

pub mod commands;
pub mod log;
mod progress;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use skillgap_app::Settings;
use skillgap_store::DatabaseUrl;

pub use progress::BarProgress;

/// What does it take to move from occupation A to occupation B? Answers from O*NET data.
#[derive(Parser)]
#[command(name = "skillgap", version, about, long_about = None)]
pub struct Cli {
    /// Where the store lives: sqlite://FILE (default), mysql://… / mariadb://…, or postgres://….
    #[arg(long, env = "DATABASE_URL", default_value = skillgap_store::DEFAULT_DATABASE_URL, global = true, hide_env_values = true)]
    pub database_url: DatabaseUrl,

    /// More log output (-v info, -vv debug); RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,

    /// The job to run.
    #[command(subcommand)]
    pub command: Command,
}

impl std::fmt::Debug for Cli {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cli")
            .field("database_url", &self.database_url)
            .field("verbose", &self.verbose)
            .field("command", &self.command)
            .finish()
    }
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load an O*NET text release into the store (validated, one transaction, idempotent).
    Load(commands::load::LoadArgs),
    /// Show the loaded release and row counts.
    Status(commands::status::StatusArgs),
    /// Serve the REST API (and its docs at /docs) from the store.
    Serve(commands::serve::ServeArgs),
    /// What occupation TO requires that occupation FROM lacks.
    Gap(commands::gap::GapArgs),
    /// Find occupations by title, alternate title or code.
    Search(commands::search::SearchArgs),
    /// Occupations most related to CODE (or most similar with --sort similarity), with the gap to each.
    Transitions(commands::transitions::TransitionsArgs),
    /// Stepping-stone paths from FROM to TO: chains of related occupations, each step with its gap.
    Path(commands::path::PathArgs),
    /// The occupations a self-assessed profile is closest to qualifying for.
    Targets(commands::targets::TargetsArgs),
    /// Measure the default transitions ranking against an expert list of related occupations
    /// (O*NET's `Related Occupations.txt` layout): overlap@10, overlap@5 and recall@20.
    EvaluateTransitions(commands::evaluate_transitions::EvaluateArgs),
    /// Fetch occupations from O*NET Web Services into the store (needs SKILLGAP_ONET_* credentials).
    Fetch(commands::fetch::FetchArgs),
    /// Fetch again the occupations whose web-API rows are older than SKILLGAP_ONET_TTL.
    Refresh(commands::refresh::RefreshArgs),
    /// Estimate proficiency (level and importance) with an LLM where O*NET has no ratings, or
    /// measure the LLM against O*NET with --evaluate (needs SKILLGAP_LLM_URL and SKILLGAP_LLM_MODEL).
    Enrich(commands::enrich::EnrichArgs),
    /// Load BLS wages, employment and projections (and O*NET's SOC crosswalk) into the store.
    LoadLabor(commands::labor::LoadLaborArgs),
    /// Load NCES's instructional programmes (CIP 2020) and their crosswalk to occupations.
    LoadProgrammes(commands::programmes::LoadProgrammesArgs),
    /// Load an organisation's coded job titles (CSV: title, soc_codes) as evidence for the
    /// title coder, with their provenance (one transaction; bad rows reported, nothing written).
    LoadTitles(commands::load_titles::LoadTitlesArgs),
    /// Measure the title coder against labelled titles (the CSV load-titles reads): top-1 and
    /// top-5 at the full code and SOC6, empty answers, calibration.
    EvaluateTitles(commands::evaluate_titles::EvaluateTitlesArgs),
}

/// Logs go to stderr through a background writer (so a busy server never waits on the
/// terminal or a file, and one write carries many lines), which makes loggers wait rather than
/// drop a line when it falls behind: a request log must not lose requests (see [`log`]).
/// Colours only on a terminal (escape codes in a file are noise, and cost formatting time per
/// line). stdout carries only the command's answer. `serve` logs one line per request at
/// `info`; the other commands only warnings unless `-v`. Keep the guard until exit: dropping it
/// writes the last lines.
pub fn init_logging(command: &Command, verbose: u8) -> log::Guard {
    let base = if matches!(command, Command::Serve(_)) {
        1
    } else {
        0
    };
    let default = match base + verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let stderr = std::io::stderr();
    let ansi = std::io::IsTerminal::is_terminal(&stderr);
    let (writer, guard) = log::sink(stderr);
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    let _ = if ansi {
        builder.with_ansi(true).try_init()
    } else {
        // The same text as the default format's, written with less machinery per line.
        builder
            .with_ansi(false)
            .event_format(log::Lines::default())
            .fmt_fields(log::Fields)
            .try_init()
    };
    guard
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

/// The settings of this run: the environment, read once here, then the command line's flags.
pub fn settings(cli: &Cli) -> anyhow::Result<Settings> {
    let mut settings = Settings::from_env()?;
    settings.database_url = cli.database_url.clone();
    Ok(settings)
}

/// Runs one parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let settings = settings(&cli)?;
    let db = &settings.database_url;
    match cli.command {
        Command::Load(args) => commands::load::run(db, args).await,
        Command::Status(args) => commands::status::run(db, args).await,
        Command::Serve(args) => commands::serve::run(settings, args).await,
        Command::Gap(args) => commands::gap::gap(&settings, args).await,
        Command::Search(args) => commands::search::search(&settings, args).await,
        Command::Transitions(args) => commands::transitions::transitions(&settings, args).await,
        Command::Path(args) => commands::path::path(&settings, args).await,
        Command::Targets(args) => commands::targets::targets(&settings, args).await,
        Command::EvaluateTransitions(args) => {
            commands::evaluate_transitions::evaluate(&settings, args).await
        }
        Command::Fetch(args) => commands::fetch::fetch(&settings, args).await,
        Command::Refresh(args) => commands::refresh::refresh(&settings, args).await,
        Command::Enrich(args) => commands::enrich::run(&settings, args).await,
        Command::LoadLabor(args) => commands::labor::run(db, args).await,
        Command::LoadProgrammes(args) => commands::programmes::run(db, args).await,
        Command::LoadTitles(args) => commands::load_titles::run(db, args).await,
        Command::EvaluateTitles(args) => commands::evaluate_titles::run(&settings, args).await,
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
