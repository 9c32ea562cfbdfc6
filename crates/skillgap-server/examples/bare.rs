//! A bare axum handler, the yardstick for the API benchmark (`bench/api.sh` runs it).
//! Run: `cargo run --release -p skillgap-server --example bare -- 127.0.0.1:8091 [BODY_FILE]`;
//! with BODY_FILE it answers that file's bytes as JSON (to separate payload cost from work).

use axum::Router;
use axum::routing::get;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:8091".into());
    let app = match args.next() {
        Some(path) => {
            let body: &'static [u8] = Vec::leak(std::fs::read(path)?);
            Router::new().route(
                "/",
                get(move || async move { ([("content-type", "application/json")], body) }),
            )
        }
        None => Router::new().route("/", get(|| async { "ok" })),
    };
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    eprintln!("bare axum listening on http://{addr}");
    axum::serve(listener, app).await
}
