//! What the CLI test files share: the binary with a clean environment, and `skillgap serve`
//! started on a free port.

// Each test file is its own crate and uses only part of this.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;

use serde_json::Value;
use skillgap_testkit::onet_dir;

/// The `skillgap` binary, never inheriting logging, API keys, a bind address, O*NET credentials
/// or an LLM endpoint from a developer's environment.
pub fn skillgap() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_skillgap"));
    c.env_remove("RUST_LOG")
        .env_remove("SKILLGAP_API_KEYS")
        .env_remove("SKILLGAP_BIND");
    for (k, _) in std::env::vars() {
        if k.starts_with("SKILLGAP_ONET_") || k.starts_with("SKILLGAP_LLM_") {
            c.env_remove(k);
        }
    }
    c
}

/// Runs `skillgap ARGS` on the store at `db_url` to completion.
pub fn run_on(db_url: &str, args: &[&str]) -> Output {
    skillgap()
        .args(args)
        .env("DATABASE_URL", db_url)
        .output()
        .expect("run skillgap")
}

/// `skillgap` on the store at `db_url`, with `env` set on top of the clean environment.
pub fn command_with(db_url: &str, env: &[(&'static str, String)]) -> Command {
    let mut c = skillgap();
    c.env("DATABASE_URL", db_url);
    for (k, v) in env {
        c.env(k, v);
    }
    c
}

/// Runs `skillgap ARGS` as [`command_with`] sets it up, on a blocking thread, so that the fakes
/// the test serves on its own runtime keep answering meanwhile.
pub async fn run_with(db_url: &str, env: &[(&'static str, String)], args: &[&str]) -> Output {
    let mut c = command_with(db_url, env);
    c.args(args);
    tokio::task::spawn_blocking(move || c.output().expect("run skillgap"))
        .await
        .expect("the blocking run")
}

/// Output bytes as text.
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A command's stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The SQLite URL of a database file.
pub fn sqlite_url(db: &Path) -> String {
    format!("sqlite://{}", db.display())
}

/// A SQLite store with 29.0 loaded from the directory, built once per test file and copied for
/// each test.
pub fn loaded_store() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("skillgap.db");
    std::fs::copy(&template().0, &db).unwrap();
    let url = sqlite_url(&db);
    (dir, url)
}

/// The store [`loaded_store`] copies, loaded once per test binary by the CLI, and what that
/// load logged (at `-v`).
pub fn template() -> &'static (PathBuf, String) {
    static TEMPLATE: OnceLock<(PathBuf, String)> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let db = dir.join("template.db");
        let out = run_on(
            &sqlite_url(&db),
            &["load", "--onet-dir", onet_dir().to_str().unwrap(), "-v"],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        (db, stderr(&out))
    })
}

/// Everything `status --json` says: the tables, the ratings and the release, to compare a store
/// before and after.
pub fn status(db_url: &str) -> Value {
    let out = run_on(db_url, &["status", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Spawns `command` (a `serve` with `--bind 127.0.0.1:0`), waits until it says where it listens,
/// and returns it with its base URL. Its stderr is drained so request logs never block it.
pub fn start_serve(mut command: Command) -> (Child, String) {
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn skillgap serve");
    let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
    let base = loop {
        let line = lines
            .next()
            .expect("serve exited before listening")
            .expect("read serve's stderr");
        if let Some(rest) = line.strip_prefix("skillgap listening on ") {
            break rest
                .split_whitespace()
                .next()
                .expect("listening address")
                .to_owned();
        }
    };
    std::thread::spawn(move || lines.for_each(drop));
    (child, base)
}
