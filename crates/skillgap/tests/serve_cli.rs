//! `skillgap serve`, `gap`, `search` and `transitions` as a user runs them: the real binary over a
//! SQLite store holding the real 29.0 release.

mod common;

use std::path::PathBuf;
use std::process::{Child, Command, Output};
use std::sync::OnceLock;
use std::time::Duration;

use serde_json::Value;
use skillgap_testkit::onet_dir;

fn bin() -> Command {
    common::skillgap()
}

/// A store with 29.0 loaded, shared by the tests of this file (they only read it).
fn store() -> String {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        let dir: PathBuf = tempfile::tempdir().unwrap().keep();
        let url = format!("sqlite://{}", dir.join("serve.db").display());
        let out = bin()
            .args(["load", "--onet-dir", onet_dir().to_str().unwrap()])
            .env("DATABASE_URL", &url)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        url
    })
    .clone()
}

fn run(args: &[&str], url: &str) -> Output {
    bin().args(args).env("DATABASE_URL", url).output().unwrap()
}

/// Starts `skillgap serve` on a free port and returns it with its base URL.
fn serve(url: &str, extra: &[&str]) -> (Child, String) {
    let mut command = bin();
    command
        .args(["serve", "--bind", "127.0.0.1:0"])
        .args(extra)
        .env("DATABASE_URL", url);
    common::start_serve(command)
}

fn terminate(mut child: Child) -> std::process::ExitStatus {
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    for _ in 0..100 {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    panic!("serve did not stop on SIGTERM");
}

#[tokio::test]
async fn gap_json_is_exactly_the_api_body_and_sigterm_stops_the_server() {
    let url = store();
    let (child, base) = serve(&url, &[]);
    let api: Value = reqwest::get(format!(
        "{base}/skill-gap?from=15-1254.00&to=11-3021.00&domain=all&include=surplus"
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let out = run(
        &[
            "gap",
            "15-1254.00",
            "11-3021.00",
            "--domain",
            "all",
            "--surplus",
            "--json",
        ],
        &url,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(cli, api);
    assert!(api["shortages"].as_array().unwrap().len() > 10);

    let search_api: Value = reqwest::get(format!("{base}/occupations?q=web%20dev&limit=5"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let search_cli: Value = serde_json::from_slice(
        &run(&["search", "web", "dev", "--limit", "5", "--json"], &url).stdout,
    )
    .unwrap();
    assert_eq!(search_cli, search_api);
    let tr_api: Value = reqwest::get(format!("{base}/occupations/15-1254.00/transitions?limit=5"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let tr_cli: Value = serde_json::from_slice(
        &run(
            &["transitions", "15-1254.00", "--limit", "5", "--json"],
            &url,
        )
        .stdout,
    )
    .unwrap();
    assert_eq!(tr_cli, tr_api);

    let status = terminate(child);
    assert!(status.success(), "graceful shutdown exits 0, got {status}");
}

#[test]
fn gap_prints_a_readable_table() {
    let out = run(&["gap", "15-1254.00", "11-3021.00"], &store());
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("From 15-1254.00 Web Developers"), "{text}");
    assert!(
        text.contains("2.B.5.b    Management of Financial Resources   1.25  3.38  2.13"),
        "{text}"
    );
    assert!(text.contains("O*NET 29.0 Database"), "{text}");
}

#[test]
fn cli_errors_say_what_is_wrong_and_exit_non_zero() {
    let url = store();
    for (args, want) in [
        // A malformed code is refused under --strict (without it, it is read as a job title).
        (
            vec!["gap", "15-1254", "11-3021.00", "--strict"],
            "expected the pattern NN-NNNN.NN",
        ),
        (
            vec!["gap", "15-1252.00", "11-3021.00"],
            "has no O*NET skills ratings",
        ),
        (
            vec!["gap", "99-9999.00", "11-3021.00"],
            "no occupation with code 99-9999.00",
        ),
        (
            vec!["transitions", "15-1254.00", "--domain", "abilities"],
            "Abilities.txt was not loaded",
        ),
    ] {
        let out = run(&args, &url);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{args:?}: {err}");
    }
}

#[test]
fn serve_on_an_empty_store_says_how_to_load() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("empty.db").display());
    let out = bin()
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("DATABASE_URL", &url)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("holds no O*NET release") && err.contains("skillgap load --onet-dir DIR"),
        "{err}"
    );
}

#[tokio::test]
async fn serve_with_onet_dir_loads_first_then_answers() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("fresh.db").display());
    let (child, base) = serve(&url, &["--onet-dir", onet_dir().to_str().unwrap()]);
    let ready: Value = reqwest::get(format!("{base}/ready"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["rated"]["skills"], 879);
    let status = terminate(child);
    assert!(status.success(), "serve ended with {status}");
}
