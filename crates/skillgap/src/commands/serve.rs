//! `skillgap serve`: the REST API over the store.

use std::process::ExitCode;

use skillgap_server::{App, Config};

use crate::{LoadArgs, ServeArgs};

/// Loads a release first if asked, then serves until SIGINT/SIGTERM.
pub async fn run(database_url: &str, args: ServeArgs) -> anyhow::Result<ExitCode> {
    let mut config = Config::from_env()?;
    config.database_url = database_url.to_owned();
    if let Some(bind) = args.bind {
        config.bind = bind;
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
        super::load::run(database_url, load).await?;
    }
    let app = App::build(config).await?;
    let addr = app.local_addr();
    eprintln!("skillgap listening on http://{addr} (API docs at http://{addr}/docs)");
    app.run(skillgap_server::shutdown_signal()).await?;
    Ok(ExitCode::SUCCESS)
}
