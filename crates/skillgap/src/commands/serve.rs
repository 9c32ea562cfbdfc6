//! `skillgap serve`: the REST API over the store.

use std::process::ExitCode;

use skillgap_app::Settings;
use skillgap_server::App;

use crate::{LoadArgs, ServeArgs};

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
    let app = App::build(settings).await?;
    let addr = app.local_addr();
    eprintln!("skillgap listening on http://{addr} (API docs at http://{addr}/docs)");
    app.run(skillgap_server::shutdown_signal()).await?;
    Ok(ExitCode::SUCCESS)
}
