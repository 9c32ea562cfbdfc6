//! Job titles on the command line, over a SQLite store holding the real 29.0 release: a title
//! where a code is taken (and `--strict` refusing it), `load-titles` with real rows of the tuning
//! file (provenance, idempotent reload, every bad row named with file and line and the store
//! unchanged), and `evaluate-titles --json`.

mod common;

use common::{loaded_store, run_on, status, stderr, text};
use serde_json::Value;

const FIVE: [&str; 5] = [
    "SENIOR ACCOUNTANT",
    "RN STAFF NURSE",
    "Cold Cooks",
    "ANALYST - TRADER",
    "PROGRAMER/ANALYST",
];

fn table_rows(db_url: &str, table: &str) -> u64 {
    status(db_url)["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == table)
        .unwrap_or_else(|| panic!("no table {table}"))["rows"]
        .as_u64()
        .unwrap()
}

#[test]
fn a_title_is_taken_where_a_code_is() {
    let (_dir, url) = loaded_store();
    let out = run_on(&url, &["gap", "web developer", "it director"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("from: “web developer” → 15-1254.00 Web Developers (confidence"),
        "{err}"
    );
    assert!(
        err.contains("to: “it director” → 11-3021.00 Computer and Information Systems Managers"),
        "{err}"
    );
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("From 15-1254.00 Web Developers\nTo   11-3021.00 "),
        "{stdout}"
    );
    // The same answer as with the codes.
    let by_code = run_on(&url, &["gap", "15-1254.00", "11-3021.00"]);
    assert_eq!(text(&by_code.stdout), stdout);
    // Transitions too.
    let out = run_on(&url, &["transitions", "web developer", "--limit", "3"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(text(&out.stdout).contains("15-1254.00 Web Developers"));
}

#[test]
fn strict_takes_codes_only() {
    let (_dir, url) = loaded_store();
    let out = run_on(&url, &["gap", "--strict", "web developer", "11-3021.00"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("--strict takes O*NET-SOC codes only"), "{err}");
    assert!(!err.contains("→"), "{err}");
    let out = run_on(&url, &["gap", "--strict", "15-1254.00", "11-3021.00"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("→"));
}

#[test]
fn text_nothing_matches_is_refused_with_the_nearest_titles() {
    let (_dir, url) = loaded_store();
    let out = run_on(&url, &["gap", "Xqzlophonqst", "11-3021.00"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("from: no occupation matches “Xqzlophonqst”; nearest titles:"),
        "{err}"
    );
}

#[test]
fn load_titles_keeps_provenance_and_reloads_idempotently() {
    let (dir, url) = loaded_store();
    let file = dir.path().join("coded.csv");
    std::fs::write(&file, skillgap_testkit::titles_rows(&FIVE)).unwrap();
    let f = file.to_str().unwrap();
    let out = run_on(&url, &["load-titles", f, "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["already_loaded"], false);
    assert_eq!(report["rows"], 5);
    assert_eq!(table_rows(&url, "labelled_titles"), 5);
    assert_eq!(table_rows(&url, "title_files"), 1);
    let again = run_on(&url, &["load-titles", f]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(
        text(&again.stdout),
        "coded.csv is already loaded (same SHA-256); nothing changed.\n"
    );
    assert_eq!(table_rows(&url, "labelled_titles"), 5);
    // Loaded titles are evidence, shown as such.
    let out = run_on(&url, &["search", "analyst", "-", "trader", "--json"]);
    let body: Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &body["results"][0];
    assert_eq!(first["matched"]["field"], "labelled_title");
    assert_eq!(first["matched"]["source"], "coded.csv");
}

#[test]
fn bad_rows_are_named_with_file_and_line_and_nothing_is_loaded() {
    let (dir, url) = loaded_store();
    // Real rows, damaged: a code no occupation has, a missing field, an empty title.
    let real = skillgap_testkit::titles_rows(&FIVE);
    let mut lines: Vec<String> = real.lines().map(str::to_owned).collect();
    lines[2] = lines[2].replacen("29-1141", "99-9999", 1);
    lines[3] = lines[3].split(',').next().unwrap().to_owned();
    lines[5] = format!(",{}", lines[5].split_once(',').unwrap().1);
    let file = dir.path().join("bad.csv");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let out = run_on(&url, &["load-titles", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("3 bad row(s)"), "{err}");
    assert!(
        err.contains("bad.csv:3: `99-9999` names no occupation"),
        "{err}"
    );
    assert!(
        err.contains("bad.csv:4: 1 fields, the header has 3"),
        "{err}"
    );
    assert!(err.contains("bad.csv:6: the title is empty"), "{err}");
    assert!(err.contains("nothing was loaded"), "{err}");
    assert_eq!(table_rows(&url, "labelled_titles"), 0);
    assert_eq!(table_rows(&url, "title_files"), 0);
}

#[test]
fn evaluate_titles_reports_json() {
    let (dir, url) = loaded_store();
    let file = dir.path().join("five.csv");
    std::fs::write(&file, skillgap_testkit::titles_rows(&FIVE)).unwrap();
    let out = run_on(
        &url,
        &[
            "evaluate-titles",
            "--titles",
            file.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let e: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(e["titles"], 5);
    assert_eq!(e["empty"], 0);
    let bins = e["calibration"].as_array().unwrap();
    assert_eq!(bins.len(), 10);
    let answers: u64 = bins.iter().map(|b| b["answers"].as_u64().unwrap()).sum();
    assert_eq!(answers, 5);
    let right: u64 = bins.iter().map(|b| b["right"].as_u64().unwrap()).sum();
    // Right first answers over all five is top-1 at SOC6.
    assert_eq!(right as f64 / 5.0, e["top1_soc6"].as_f64().unwrap());
    let t1 = e["top1_soc6"].as_f64().unwrap();
    let t5 = e["top5_soc6"].as_f64().unwrap();
    assert!(t1 <= t5 && t1 >= 0.6, "{e}");
}
