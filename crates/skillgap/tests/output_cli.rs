//! What the query commands print, snapshotted over a SQLite store holding the real 29.0 release:
//! the text tables (and one error) are part of the contract, so a refactor that changes a byte of
//! them shows as a diff. The JSON forms are the API's bodies, snapshotted by the server's tests.

mod common;

use common::{loaded_store, run_on, stderr, text};

#[test]
fn query_commands_print_the_same_text() {
    let (dir, url) = loaded_store();
    let levels = dir.path().join("levels.json");
    std::fs::write(&levels, r#"{"2.A.1.a": 4, "2.A.1.b": 4.5, "2.A.1.c": 3}"#).unwrap();
    let levels = levels.to_str().unwrap();
    let runs: [(&str, Vec<&str>); 7] = [
        ("gap", vec!["gap", "15-1254.00", "11-3021.00", "--surplus"]),
        (
            "gap_knowledge",
            vec![
                "gap",
                "15-1254.00",
                "11-3021.00",
                "--domain",
                "knowledge",
                "--min-importance",
                "3.5",
            ],
        ),
        ("transitions", vec!["transitions", "15-1254.00"]),
        (
            "transitions_by_similarity",
            vec![
                "transitions",
                "15-1254.00",
                "--sort",
                "similarity",
                "--limit",
                "5",
            ],
        ),
        ("path", vec!["path", "43-4051.00", "11-3021.00"]),
        (
            "targets",
            vec!["targets", "--levels", levels, "--limit", "5"],
        ),
        ("search", vec!["search", "web", "dev"]),
    ];
    for (name, args) in runs {
        let out = run_on(&url, &args);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        insta::assert_snapshot!(name, text(&out.stdout));
    }
    // An error says what is wrong, on stderr, with a failing exit code.
    let out = run_on(&url, &["gap", "15-1254.00", "99-9999.99"]);
    assert_eq!(out.status.code(), Some(1));
    // Only the error line: a slow debug build may add the driver's slow-statement warnings.
    let error: Vec<String> = stderr(&out)
        .lines()
        .filter(|l| l.starts_with("error:"))
        .map(str::to_owned)
        .collect();
    insta::assert_snapshot!("gap_unknown_code", error.join("\n"));
}
