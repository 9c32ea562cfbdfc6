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
    if let Some(dir) = args.onet_dir {
        let load = LoadArgs {
            onet_dir: Some(dir),
            onet_zip: None,
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
