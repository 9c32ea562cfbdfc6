//! `skillgap serve`: the REST API over the store.

use std::path::PathBuf;

use clap::Args;
use std::process::ExitCode;

use skillgap_app::Settings;
use skillgap_server::App;

use super::load::LoadArgs;

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

/// Loads a release first if asked, then serves until SIGINT/SIGTERM.
pub async fn run(mut settings: Settings, args: ServeArgs) -> anyhow::Result<ExitCode> {
    if let Some(bind) = args.bind {
        settings.bind = bind;
    }
    if args.onet_dir.is_some() || args.onet_url.is_some() {
        let load = LoadArgs {
            onet_dir: args.onet_dir,
            onet_zip: None,
            onet_url: args.onet_url,
            lenient: false,
            rejects: None,
            release_version: None,
            json: false,
        };
        super::load::run(&settings.database_url, load).await?;
    }
    // Installed before the server listens, so a signal sent as soon as it answers is heard.
    let shutdown = skillgap_server::shutdown_signal();
    let app = App::build(settings).await?;
    let addr = app.local_addr();
    eprintln!("skillgap listening on http://{addr} (API docs at http://{addr}/docs)");
    app.run(shutdown).await?;
    Ok(ExitCode::SUCCESS)
}
