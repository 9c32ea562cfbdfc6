//! `skillgap load` and `skillgap status` as a user runs them: the real binary, a real store, the
//! real 29.0 release, and copies of it damaged in every way the issue lists. Each bad input must
//! exit non-zero with a message naming what is wrong, and leave the store exactly as it was.

mod common;

use std::path::Path;
use std::process::Output;

use common::{loaded_store, run_on as skillgap, sqlite_url as url, status, stderr};
use serde_json::Value;
use skillgap_testkit::{ReleaseCopy, onet_dir, release_zip};

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Loads `dir` into a store holding 29.0 and checks it fails with `expected` and changes nothing.
fn fails_and_changes_nothing(dir: &Path, expected: &str) {
    let (_tmp, db) = loaded_store();
    let before = status(&db);
    let out = skillgap(
        &db,
        &[
            "load",
            "--onet-dir",
            dir.to_str().unwrap(),
            "--release-version",
            "29.1",
        ],
    );
    assert!(!out.status.success(), "load of a damaged release must fail");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains(expected), "expected {expected:?} in:\n{err}");
    assert_eq!(status(&db), before, "the store changed");
}

#[test]
fn load_then_status_on_the_default_sqlite_store() {
    let dir = tempfile::tempdir().unwrap();
    // No DATABASE_URL at all: the default sqlite://skillgap.db in the working directory.
    let out = common::skillgap()
        .args(["load", "--onet-dir", onet_dir().to_str().unwrap()])
        .env_remove("DATABASE_URL")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Loaded O*NET 29.0"), "{text}");
    assert!(text.contains("ratings              119,544"), "{text}");
    assert!(
        text.contains("total                273,056 rows in"),
        "{text}"
    );
    assert!(text.contains("rows/s"), "{text}");
    assert!(dir.path().join("skillgap.db").is_file());

    let out = common::skillgap()
        .args(["status", "--json"])
        .env_remove("DATABASE_URL")
        .current_dir(dir.path())
        .output()
        .unwrap();
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["backend"], "sqlite");
    assert_eq!(s["release"]["version"], "29.0");
    let occupations = s["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == "occupations")
        .unwrap();
    assert_eq!(occupations["rows"], 1016);
    let skills = s["ratings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["domain"] == "skills")
        .unwrap();
    assert_eq!(
        (skills["ratings"].as_u64(), skills["occupations"].as_u64()),
        (Some(61_530), Some(879))
    );
}

#[test]
fn reloading_the_same_release_is_a_no_op() {
    let (_tmp, db) = loaded_store();
    let before = status(&db);
    let out = skillgap(
        &db,
        &["load", "--onet-dir", onet_dir().to_str().unwrap(), "--json"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["already_loaded"], true);
    assert_eq!(status(&db), before);
}

#[test]
fn status_of_an_empty_store_says_how_to_load() {
    let dir = tempfile::tempdir().unwrap();
    let out = skillgap(&url(&dir.path().join("empty.db")), &["status"]);
    assert!(out.status.success());
    assert!(stdout(&out).contains("none loaded yet"));
    assert!(stdout(&out).contains("skillgap load --onet-dir DIR"));
    assert!(stdout(&out).contains(
        "skillgap load --onet-url https://www.onetcenter.org/dl_files/database/db_29_0_text.zip"
    ));
}

#[test]
fn loads_the_official_zip() {
    let tmp = tempfile::tempdir().unwrap();
    let zip_path = tmp.path().join("db_29_0_text.zip");
    std::fs::write(&zip_path, release_zip()).unwrap();
    let db = url(&tmp.path().join("zip.db"));
    let out = skillgap(
        &db,
        &["load", "--onet-zip", zip_path.to_str().unwrap(), "--json"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["version"], "29.0");
    let ratings = report["written"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == "ratings")
        .unwrap();
    assert_eq!(ratings["rows"], 119_544);
    // The same bytes from a directory are recognised as already loaded.
    let again = skillgap(
        &db,
        &["load", "--onet-dir", onet_dir().to_str().unwrap(), "--json"],
    );
    let again: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(again["already_loaded"], true);
}

#[test]
fn a_damaged_zip_is_an_error() {
    let (_tmp, db) = loaded_store();
    let before = status(&db);
    let tmp = tempfile::tempdir().unwrap();
    let zip_path = tmp.path().join("db_29_0_text.zip");
    std::fs::write(
        &zip_path,
        &std::fs::read(onet_dir().join("Skills.txt")).unwrap()[..4096],
    )
    .unwrap();
    let out = skillgap(&db, &["load", "--onet-zip", zip_path.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("is not a readable zip archive"),
        "{}",
        stderr(&out)
    );
    assert_eq!(status(&db), before);
}

#[test]
fn lenient_load_reports_rejections_and_loads_the_rest() {
    let copy = ReleaseCopy::new();
    for line in 2..=4 {
        copy.edit_line("Knowledge.txt", line, |l| {
            l.replacen("11-1011.00", "11-1011.0Z", 1)
        });
    }
    let tmp = tempfile::tempdir().unwrap();
    let db = url(&tmp.path().join("lenient.db"));
    let rejects = tmp.path().join("rejects.tsv");
    let out = skillgap(
        &db,
        &[
            "load",
            "--onet-dir",
            copy.dir.to_str().unwrap(),
            "--lenient",
            "--rejects",
            rejects.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    // 3 bad rows, and the other 63 Knowledge rows of 11-1011.00 dropped with it: 66 rows; plus
    // the 3 missing (element, scale) pairs of the now incomplete occupation: 69 problems.
    assert!(
        err.contains("warning: 66 rows were rejected and not loaded (--lenient); 69 problems"),
        "{err}"
    );
    assert!(
        err.contains("Knowledge.txt line 2, column `O*NET-SOC Code`"),
        "{err}"
    );
    assert_eq!(
        err.lines()
            .filter(|l| l.starts_with("  Knowledge.txt"))
            .count(),
        20
    );
    let tsv = std::fs::read_to_string(&rejects).unwrap();
    assert_eq!(tsv.lines().count(), 1 + 69);
    let s = status(&db);
    let knowledge = s["ratings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["domain"] == "knowledge")
        .unwrap();
    assert_eq!(
        (
            knowledge["ratings"].as_u64(),
            knowledge["occupations"].as_u64()
        ),
        (Some(58_014 - 66), Some(878))
    );
    assert_eq!(s["release"]["rejected_rows"], 66);
    let file = s["release"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "Knowledge.txt")
        .unwrap();
    assert_eq!(
        file["rows"],
        58_014 - 66,
        "rows accepted from the file, not lines read"
    );
}

#[test]
fn missing_directory() {
    fails_and_changes_nothing(
        Path::new("/nonexistent/db_29_0_text"),
        "release directory /nonexistent/db_29_0_text does not exist",
    );
}

#[test]
fn missing_required_file() {
    let copy = ReleaseCopy::with_files(|n| n != "Occupation Data.txt");
    fails_and_changes_nothing(&copy.dir, "required file `Occupation Data.txt` is missing");
}

#[test]
fn empty_file() {
    let copy = ReleaseCopy::new();
    copy.write("Scales Reference.txt", "");
    fails_and_changes_nothing(&copy.dir, "`Scales Reference.txt` is empty");
}

#[test]
fn misspelled_header() {
    let copy = ReleaseCopy::new();
    copy.edit_line("Occupation Data.txt", 1, |h| h.replace("Title", "Titel"));
    fails_and_changes_nothing(
        &copy.dir,
        "`Occupation Data.txt` has no column `Title` in its header line (did you mean `Titel`?)",
    );
}

#[test]
fn too_few_or_too_many_columns() {
    let copy = ReleaseCopy::new();
    copy.edit_line("Task Statements.txt", 10, |l| {
        l.split('\t').take(5).collect::<Vec<_>>().join("\t")
    });
    copy.edit_line("Job Zones.txt", 7, |l| format!("{l}\t5"));
    fails_and_changes_nothing(
        &copy.dir,
        "Task Statements.txt line 10: expected 7 tab-separated fields (as in the header), found 5",
    );
    fails_and_changes_nothing(
        &copy.dir,
        "Job Zones.txt line 7: expected 4 tab-separated fields (as in the header), found 5",
    );
}

#[test]
fn non_numeric_or_out_of_range_value() {
    let copy = ReleaseCopy::new();
    copy.edit_line("Knowledge.txt", 2, |l| l.replace("\t4.78\t", "\tfour\t"));
    copy.edit_line("Knowledge.txt", 3, |l| l.replace("\t6.50\t", "\t7.50\t"));
    fails_and_changes_nothing(
        &copy.dir,
        "Knowledge.txt line 2, column `Data Value`: expected a number, found `four`",
    );
    fails_and_changes_nothing(
        &copy.dir,
        "Knowledge.txt line 3, column `Data Value`: expected a value from 0 to 7 (scale LV Level), found 7.50",
    );
}

#[test]
fn unknown_occupation_or_descriptor() {
    let copy = ReleaseCopy::new();
    copy.edit_line("Skills.txt", 2, |l| {
        l.replacen("11-1011.00", "11-1011.99", 1)
    });
    copy.edit_line("Level Scale Anchors.txt", 2, |l| {
        l.replacen("1.A.1.a.1", "1.A.1.a.9", 1)
    });
    fails_and_changes_nothing(
        &copy.dir,
        "Skills.txt line 2, column `O*NET-SOC Code`: unknown occupation `11-1011.99`: it is not in Occupation Data.txt",
    );
    fails_and_changes_nothing(
        &copy.dir,
        "Level Scale Anchors.txt line 2, column `Element ID`: unknown element `1.A.1.a.9`",
    );
}

#[test]
fn duplicate_row() {
    let copy = ReleaseCopy::new();
    let second = String::from_utf8(copy.read("Occupation Data.txt"))
        .unwrap()
        .lines()
        .nth(1)
        .unwrap()
        .to_owned();
    copy.edit("Occupation Data.txt", |t| format!("{t}{second}\r\n"));
    fails_and_changes_nothing(
        &copy.dir,
        "Occupation Data.txt line 1018, column `O*NET-SOC Code`: duplicate occupation `11-1011.00`",
    );
}

#[test]
fn file_cut_off_mid_line() {
    let copy = ReleaseCopy::new();
    let bytes = copy.read("Alternate Titles.txt");
    copy.write("Alternate Titles.txt", &bytes[..bytes.len() / 2]);
    fails_and_changes_nothing(
        &copy.dir,
        "`Alternate Titles.txt` ends in the middle of line",
    );
}

#[test]
fn byte_order_mark_is_accepted() {
    let copy = ReleaseCopy::new();
    copy.edit("Skills.txt", |t| format!("\u{feff}{t}"));
    let tmp = tempfile::tempdir().unwrap();
    let db = url(&tmp.path().join("bom.db"));
    let out = skillgap(&db, &["load", "--onet-dir", copy.dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("ratings              119,544"));
}

#[test]
fn invalid_utf8() {
    let copy = ReleaseCopy::new();
    let mut bytes = copy.read("Task Statements.txt");
    bytes[1000] = 0xC3;
    bytes[1001] = 0x28;
    copy.write("Task Statements.txt", &bytes);
    let line = 1 + bytes[..1000].iter().filter(|b| **b == b'\n').count();
    fails_and_changes_nothing(
        &copy.dir,
        &format!(
            "`Task Statements.txt` is not valid UTF-8: invalid byte at offset 1000 (line {line})"
        ),
    );
}

#[test]
fn unreachable_database() {
    for db in [
        "mysql://root:topsecret@127.0.0.1:1/test",
        "postgres://postgres:topsecret@127.0.0.1:1/test",
    ] {
        let out = skillgap(db, &["load", "--onet-dir", onet_dir().to_str().unwrap()]);
        assert!(!out.status.success());
        let err = stderr(&out);
        assert!(
            err.contains("cannot connect to the database at") && err.contains("Connection refused"),
            "{err}"
        );
        assert!(!err.contains("topsecret"), "{err}");
    }
}

#[test]
fn schema_made_by_a_newer_skillgap() {
    let (tmp, db) = loaded_store();
    let before = status(&db);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let future = "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (9999, 'future', TRUE, X'00', 0)";
    rt.block_on(async {
        let store = skillgap_store::Store::connect(&db).await.unwrap();
        store.execute_raw(future).await.unwrap();
        store.close().await;
    });
    let copy = ReleaseCopy::new();
    copy.edit_line("Job Zones.txt", 2, |l| l.replacen("\t5\t", "\t4\t", 1));
    let out = skillgap(&db, &["load", "--onet-dir", copy.dir.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        stderr(&out)
            .contains("has schema version 9999, but this skillgap knows only up to version 10"),
        "{}",
        stderr(&out)
    );
    rt.block_on(async {
        // Open the file directly (the store refuses it) to take the future migration out again.
        use sqlx::Connection;
        let mut c = sqlx::SqliteConnection::connect(&db).await.unwrap();
        sqlx::query("DELETE FROM _sqlx_migrations WHERE version = 9999")
            .execute(&mut c)
            .await
            .unwrap();
        c.close().await.unwrap();
    });
    assert_eq!(status(&db), before);
    drop(tmp);
}
