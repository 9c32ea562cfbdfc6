//! The `skillgap` command line: clap definitions and one module per subcommand. Everything a
//! test needs is reachable from here; `main.rs` only parses arguments and sets up the runtime.

mod commands;
mod progress;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use skillgap_app::Settings;
use skillgap_app::params::{
    DomainSelection, MIN_GAP, MIN_IMPORTANCE, PathSort, SEARCH_LIMIT, TRANSITIONS_LIMIT,
    TransitionSort,
};
use skillgap_core::{Domain, ProfileChoice};
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
    Load(LoadArgs),
    /// Show the loaded release and row counts.
    Status(StatusArgs),
    /// Serve the REST API (and its docs at /docs) from the store.
    Serve(ServeArgs),
    /// What occupation TO requires that occupation FROM lacks.
    Gap(GapArgs),
    /// Find occupations by title, alternate title or code.
    Search(SearchArgs),
    /// Occupations most related to CODE (or most similar with --sort similarity), with the gap to each.
    Transitions(TransitionsArgs),
    /// Stepping-stone paths from FROM to TO: chains of related occupations, each step with its gap.
    Path(commands::moves::PathArgs),
    /// The occupations a self-assessed profile is closest to qualifying for.
    Targets(commands::moves::TargetsArgs),
    /// Measure the default transitions ranking against an expert list of related occupations
    /// (O*NET's `Related Occupations.txt` layout): overlap@10, overlap@5 and recall@20.
    EvaluateTransitions(commands::moves::EvaluateArgs),
    /// Fetch occupations from O*NET Web Services into the store (needs SKILLGAP_ONET_* credentials).
    Fetch(FetchArgs),
    /// Fetch again the occupations whose web-API rows are older than SKILLGAP_ONET_TTL.
    Refresh(RefreshArgs),
    /// Estimate proficiency (level and importance) with an LLM where O*NET has no ratings, or
    /// measure the LLM against O*NET with --evaluate (needs SKILLGAP_LLM_URL and SKILLGAP_LLM_MODEL).
    Enrich(EnrichArgs),
    /// Load BLS wages, employment and projections (and O*NET's SOC crosswalk) into the store.
    LoadLabor(commands::labor::LoadLaborArgs),
}

/// A rated domain, as the command line names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum DomainArg {
    /// Skills.txt.
    Skills,
    /// Knowledge.txt.
    Knowledge,
    /// Abilities.txt.
    Abilities,
    /// Work Activities.txt.
    WorkActivities,
}

impl From<DomainArg> for Domain {
    fn from(d: DomainArg) -> Self {
        match d {
            DomainArg::Skills => Domain::Skills,
            DomainArg::Knowledge => Domain::Knowledge,
            DomainArg::Abilities => Domain::Abilities,
            DomainArg::WorkActivities => Domain::WorkActivities,
        }
    }
}

/// Domains to compare: one, or every domain loaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum CompareDomain {
    /// Skills.txt.
    Skills,
    /// Knowledge.txt.
    Knowledge,
    /// Abilities.txt.
    Abilities,
    /// Work Activities.txt.
    WorkActivities,
    /// Every domain loaded.
    All,
}

impl From<CompareDomain> for DomainSelection {
    fn from(d: CompareDomain) -> Self {
        match d {
            CompareDomain::Skills => DomainSelection::One(Domain::Skills),
            CompareDomain::Knowledge => DomainSelection::One(Domain::Knowledge),
            CompareDomain::Abilities => DomainSelection::One(Domain::Abilities),
            CompareDomain::WorkActivities => DomainSelection::One(Domain::WorkActivities),
            CompareDomain::All => DomainSelection::All,
        }
    }
}

/// How transitions are ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum SortArg {
    /// Relatedness (titles, tasks, knowledge, skills, job zone), highest first.
    Relatedness,
    /// Skill-profile similarity, highest first.
    Similarity,
    /// Wage ratio (target median over source median), highest first.
    WageGain,
    /// Weighted gap per dollar of median wage gained, among moves that pay more.
    EffortPerDollar,
}

impl From<SortArg> for TransitionSort {
    fn from(s: SortArg) -> Self {
        match s {
            SortArg::Relatedness => TransitionSort::Relatedness,
            SortArg::Similarity => TransitionSort::Similarity,
            SortArg::WageGain => TransitionSort::WageGain,
            SortArg::EffortPerDollar => TransitionSort::EffortPerDollar,
        }
    }
}

/// How paths are ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum PathSortArg {
    /// The path objective: smallest largest step gap, then smallest total, then fewer steps.
    Gap,
    /// The lowest wage on the way over today's, highest first.
    WageGain,
    /// Total weighted gap per dollar of median wage gained, when the target pays more.
    EffortPerDollar,
}

impl From<PathSortArg> for PathSort {
    fn from(s: PathSortArg) -> Self {
        match s {
            PathSortArg::Gap => PathSort::Gap,
            PathSortArg::WageGain => PathSort::WageGain,
            PathSortArg::EffortPerDollar => PathSort::EffortPerDollar,
        }
    }
}

/// Which ratings to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SourceArg {
    /// O*NET's (release or web API).
    Onet,
    /// LLM estimates.
    Llm,
    /// O*NET where rated, else LLM.
    Best,
}

impl From<SourceArg> for ProfileChoice {
    fn from(s: SourceArg) -> Self {
        match s {
            SourceArg::Onet => ProfileChoice::Onet,
            SourceArg::Llm => ProfileChoice::Llm,
            SourceArg::Best => ProfileChoice::Best,
        }
    }
}

/// `skillgap enrich`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("targets").multiple(false))]
pub struct EnrichArgs {
    /// The domain to rate.
    #[arg(long, value_enum, default_value_t = DomainArg::Skills)]
    pub domain: DomainArg,
    /// Every occupation without O*NET ratings in the domain (the default).
    #[arg(long, group = "targets")]
    pub missing_only: bool,
    /// Only these occupations.
    #[arg(long, group = "targets", num_args = 1.., value_name = "CODE")]
    pub occupations: Vec<String>,
    /// Rate N occupations that O*NET does rate and report agreement (MAE, Spearman) with O*NET.
    #[arg(long, group = "targets", value_name = "N")]
    pub evaluate: Option<usize>,
    /// At most N occupations.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `skillgap fetch`.
#[derive(Debug, Args)]
pub struct FetchArgs {
    /// O*NET-SOC codes, e.g. 15-1252.00.
    #[arg(required = true, value_name = "CODE")]
    pub codes: Vec<String>,
    /// Print one JSON object per code.
    #[arg(long)]
    pub json: bool,
}

/// `skillgap refresh`.
#[derive(Debug, Args)]
pub struct RefreshArgs {
    /// Only occupations whose fetched rows are stale (the only mode so far; required for clarity).
    #[arg(long, required = true)]
    pub stale: bool,
    /// Print one JSON object per code.
    #[arg(long)]
    pub json: bool,
}

/// `skillgap serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on [env: SKILLGAP_BIND; default 127.0.0.1:8080].
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<std::net::SocketAddr>,
    /// Load this O*NET release first (skipped when already loaded).
    #[arg(long, value_name = "DIR")]
    pub onet_dir: Option<PathBuf>,
    /// Download and load this O*NET text release zip first (skipped when already loaded).
    #[arg(long, value_name = "URL", conflicts_with = "onet_dir")]
    pub onet_url: Option<String>,
}

/// Options shared by commands that compare occupations.
#[derive(Debug, Args)]
pub struct CompareOptions {
    /// Domains to compare (abilities and work_activities when loaded).
    #[arg(long, value_enum, default_value_t = CompareDomain::Skills)]
    pub domain: CompareDomain,
    /// Importance (1–5) at or above which a descriptor is required.
    #[arg(long, default_value_t = MIN_IMPORTANCE.default)]
    pub min_importance: f64,
    /// Level difference (0–7) a shortage must exceed.
    #[arg(long, default_value_t = MIN_GAP.default)]
    pub min_gap: f64,
    /// Ratings to use.
    #[arg(long, value_enum, default_value_t = SourceArg::Onet)]
    pub source: SourceArg,
    /// Print the API's JSON body instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// `skillgap gap`.
#[derive(Debug, Args)]
pub struct GapArgs {
    /// Source occupation code, e.g. 15-1254.00.
    pub from: String,
    /// Target occupation code, e.g. 11-3021.00.
    pub to: String,
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

/// `skillgap search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words of a title, or a code.
    #[arg(required = true)]
    pub text: Vec<String>,
    /// Most results (1–100).
    #[arg(long, default_value_t = SEARCH_LIMIT.default)]
    pub limit: usize,
    /// Print the API's JSON body.
    #[arg(long)]
    pub json: bool,
}

/// `skillgap transitions`.
#[derive(Debug, Args)]
pub struct TransitionsArgs {
    /// Source occupation code.
    pub code: String,
    /// Most results (1–100).
    #[arg(long, default_value_t = TRANSITIONS_LIMIT.default)]
    pub limit: usize,
    /// Order of the moves: relatedness (titles, tasks, knowledge, skills, job zone) by default.
    #[arg(long, value_enum, default_value_t = SortArg::Relatedness)]
    pub sort: SortArg,
    /// Keep only moves paying at least this ratio of today's median wage, e.g. 0.75.
    #[arg(long, value_name = "RATIO")]
    pub min_wage_ratio: Option<f64>,
    /// Comparison options.
    #[command(flatten)]
    pub options: CompareOptions,
}

/// `skillgap load`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("source"))]
pub struct LoadArgs {
    /// An unpacked O*NET text release, e.g. db_29_0_text/.
    #[arg(long, group = "source", value_name = "DIR")]
    pub onet_dir: Option<PathBuf>,
    /// The text release zip as downloaded from https://www.onetcenter.org/database.html.
    #[arg(long, group = "source", value_name = "FILE")]
    pub onet_zip: Option<PathBuf>,
    /// Download the text release zip from this address first, e.g.
    /// https://www.onetcenter.org/dl_files/database/db_29_0_text.zip [env:
    /// SKILLGAP_ONET_RELEASE_URL, used when no source is given, so that a secret link stays out
    /// of the process list].
    #[arg(long, group = "source", value_name = "URL")]
    pub onet_url: Option<String>,
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

/// Logs go to stderr through a background writer (so a busy server never waits on the
/// terminal); stdout carries only the command's answer. `serve` logs one line per request at
/// `info`; the other commands only warnings unless `-v`. Keep the guard until exit: dropping it
/// flushes the last lines.
pub fn init_logging(command: &Command, verbose: u8) -> tracing_appender::non_blocking::WorkerGuard {
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
    let (writer, guard) = tracing_appender::non_blocking(std::io::stderr());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .try_init();
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
        Command::Gap(args) => commands::query::gap(&settings, args).await,
        Command::Search(args) => commands::query::search(&settings, args).await,
        Command::Transitions(args) => commands::query::transitions(&settings, args).await,
        Command::Path(args) => commands::moves::path(&settings, args).await,
        Command::Targets(args) => commands::moves::targets(&settings, args).await,
        Command::EvaluateTransitions(args) => commands::moves::evaluate(&settings, args).await,
        Command::Fetch(args) => commands::fetch::fetch(&settings, args).await,
        Command::Refresh(args) => commands::fetch::refresh(&settings, args).await,
        Command::Enrich(args) => commands::enrich::run(&settings, args).await,
        Command::LoadLabor(args) => commands::labor::run(db, args).await,
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
