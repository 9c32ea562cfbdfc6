//! `skillgap load-labor` as a user runs it: the real BLS workbooks and O*NET crosswalk from files,
//! the official OEWS zip (built at test time from the real workbook), downloads from a local
//! server, and damaged copies that must fail naming the place and leave the store as it was.

mod common;

use std::path::Path;
use std::sync::Arc;

use common::{loaded_store, run_on as skillgap, sqlite_url, status, stderr};
use serde_json::Value;
use skillgap_testkit::file_server::{Answer, FileServer};
use skillgap_testkit::labor::{
    crosswalk_xlsx, edit_xlsx, oews_xlsx, oews_zip, projections_xlsx, set_cell_text,
};
use skillgap_testkit::{TestDatabase, backend_tests, onet_dir};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn table(status: &Value, name: &str) -> u64 {
    status["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == name)
        .unwrap()["rows"]
        .as_u64()
        .unwrap()
}

#[test]
fn loads_the_real_files_then_recognises_them() {
    let (_tmp, db) = loaded_store();
    let (o, p, c) = (oews_xlsx(), projections_xlsx(), crosswalk_xlsx());
    let args = [
        "load-labor",
        "--oews",
        s(&o),
        "--projections",
        s(&p),
        "--crosswalk",
        s(&c),
    ];
    let out = skillgap(&db, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Loaded BLS labour-market data"), "{text}");
    assert!(text.contains("(May 2024), sha256 0b70d339f53d"), "{text}");
    assert!(text.contains("(2024–34)"), "{text}");
    assert!(text.contains("oews_wages                 1,403"), "{text}");
    assert!(
        text.contains("total                      3,532 rows"),
        "{text}"
    );
    let st = status(&db);
    assert_eq!(table(&st, "oews_wages"), 1_403);
    assert_eq!(table(&st, "employment_projections"), 1_113);
    assert_eq!(table(&st, "soc_crosswalk"), 1_016);

    let again = skillgap(&db, &args);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        String::from_utf8_lossy(&again.stdout)
            .contains("already loaded (same checksums); nothing to do"),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
    assert_eq!(status(&db), st);
}

#[test]
fn takes_the_official_oews_zip() {
    let (_tmp, db) = loaded_store();
    let dir = tempfile::tempdir().unwrap();
    let zip = oews_zip(dir.path());
    let p = projections_xlsx();
    let out = skillgap(
        &db,
        &[
            "load-labor",
            "--oews",
            s(&zip),
            "--projections",
            s(&p),
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["already_loaded"], false);
    assert_eq!(report["files"][0]["release"], "May 2024");
    assert!(
        report["files"][0]["source"]
            .as_str()
            .unwrap()
            .ends_with("oesm24nat.zip")
    );
    assert_eq!(table(&status(&db), "oews_wages"), 1_403);
    assert_eq!(table(&status(&db), "soc_crosswalk"), 0);
}

#[test]
fn downloads_both_files() {
    let server = FileServer::start([
        (
            "/oes/special-requests/oesm24nat.zip",
            vec![
                Answer::Status(503),
                Answer::zip(Arc::new({
                    let dir = tempfile::tempdir().unwrap();
                    std::fs::read(oews_zip(dir.path())).unwrap()
                })),
            ],
        ),
        (
            "/emp/ind-occ-matrix/occupation.xlsx",
            vec![Answer::zip(Arc::new(
                std::fs::read(projections_xlsx()).unwrap(),
            ))],
        ),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_url(&dir.path().join("download.db"));
    let out = skillgap(
        &db,
        &[
            "load-labor",
            "--oews-url",
            &server.url("/oes/special-requests/oesm24nat.zip"),
            "--projections-url",
            &server.url("/emp/ind-occ-matrix/occupation.xlsx"),
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["files"][0]["source"],
        server.url("/oes/special-requests/oesm24nat.zip")
    );
    assert_eq!(report["files"][1]["release"], "2024–34");
    let st = status(&db);
    assert_eq!(table(&st, "oews_wages"), 1_403);
    assert_eq!(table(&st, "employment_projections"), 1_113);
}

/// Runs `load-labor` with a damaged OEWS or projections file on a store that already holds the
/// real data; it must fail saying `expected` and change nothing.
fn fails_and_changes_nothing(
    oews: &Path,
    projections: &Path,
    crosswalk: Option<&Path>,
    expected: &[&str],
) {
    let (_tmp, db) = loaded_store();
    let (o, p) = (oews_xlsx(), projections_xlsx());
    let first = skillgap(
        &db,
        &["load-labor", "--oews", s(&o), "--projections", s(&p)],
    );
    assert!(first.status.success(), "{}", stderr(&first));
    let before = status(&db);
    let mut args = vec![
        "load-labor",
        "--oews",
        s(oews),
        "--projections",
        s(projections),
    ];
    if let Some(c) = crosswalk {
        args.extend(["--crosswalk", s(c)]);
    }
    let out = skillgap(&db, &args);
    let err = stderr(&out);
    assert!(!out.status.success(), "load-labor succeeded: {err}");
    for e in expected {
        assert!(err.contains(e), "expected {e:?} in: {err}");
    }
    assert_eq!(status(&db), before, "the store changed");
}

fn damaged(
    src: &Path,
    part: &str,
    edit: impl FnOnce(String) -> String,
) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let dst = dir.path().join(src.file_name().unwrap());
    edit_xlsx(src, &dst, part, edit);
    (dir, dst)
}

#[test]
fn every_bad_input_leaves_the_store_unchanged() {
    let (o, p, c) = (oews_xlsx(), projections_xlsx(), crosswalk_xlsx());
    // A wrong workbook: the projections file given as OEWS and the other way round.
    fails_and_changes_nothing(&p, &o, None, &["occupation.xlsx", "no column `OCC_CODE`"]);
    // A renamed header.
    let (_a, bad) = damaged(&o, "xl/sharedStrings.xml", |x| {
        x.replace("<t>TOT_EMP</t>", "<t>EMPLOYMENT</t>")
    });
    fails_and_changes_nothing(
        &bad,
        &p,
        None,
        &["sheet `national_M2024_dl`: no column `TOT_EMP`"],
    );
    // A value that is neither a number nor a marker.
    let (_b, bad) = damaged(&o, "xl/worksheets/sheet1.xml", |x| {
        set_cell_text(&x, "L7", "many")
    });
    fails_and_changes_nothing(
        &bad,
        &p,
        None,
        &[
            "row 7, column `TOT_EMP` (L)",
            "found `many`",
            "nothing was loaded",
        ],
    );
    // A code that is not SOC-shaped.
    let (_c, bad) = damaged(&o, "xl/worksheets/sheet1.xml", |x| {
        set_cell_text(&x, "I7", "111021")
    });
    fails_and_changes_nothing(
        &bad,
        &p,
        None,
        &["row 7, column `OCC_CODE` (I): `111021` is not a 2018 SOC code"],
    );
    // A duplicate projections code (rows 6 and 7 are 11-1011 and 11-1021).
    let (_d, bad) = damaged(&p, "xl/worksheets/sheet3.xml", |x| {
        set_cell_text(&x, "B7", "11-1011")
    });
    fails_and_changes_nothing(
        &o,
        &bad,
        None,
        &["row 7", "duplicate occupation 11-1011: already on row 6"],
    );
    // A crosswalk row naming an unknown O*NET code (row 5 is the first data row).
    let (_e, bad) = damaged(&c, "xl/worksheets/sheet1.xml", |x| {
        set_cell_text(&x, "A5", "11-1011.77")
    });
    fails_and_changes_nothing(
        &o,
        &p,
        Some(&bad),
        &["row 5, column `O*NET-SOC 2019 Code` (A): unknown O*NET occupation 11-1011.77"],
    );
    // Not a workbook at all.
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("national_M2024_dl.xlsx");
    std::fs::write(&text, "OCC_CODE\tA_MEDIAN\n").unwrap();
    fails_and_changes_nothing(
        &text,
        &p,
        None,
        &["national_M2024_dl.xlsx is not a readable .xlsx workbook"],
    );
}

/// The damaged inputs of [`every_bad_input_leaves_the_store_unchanged`], as (OEWS, projections,
/// crosswalk) paths; the temporary folders live as long as the list.
fn bad_inputs() -> (Vec<tempfile::TempDir>, Vec<[std::path::PathBuf; 3]>) {
    let (o, p, c) = (oews_xlsx(), projections_xlsx(), crosswalk_xlsx());
    let mut dirs = Vec::new();
    let mut cases = vec![[p.clone(), o.clone(), c.clone()]];
    let mut damage = |src: &Path, part: &str, edit: Box<dyn FnOnce(String) -> String>| {
        let (dir, bad) = damaged(src, part, edit);
        dirs.push(dir);
        bad
    };
    let sheet = "xl/worksheets/sheet1.xml";
    let header = damage(
        &o,
        "xl/sharedStrings.xml",
        Box::new(|x| x.replace("<t>TOT_EMP</t>", "<t>EMPLOYMENT</t>")),
    );
    let marker = damage(&o, sheet, Box::new(|x| set_cell_text(&x, "L7", "many")));
    let soc = damage(&o, sheet, Box::new(|x| set_cell_text(&x, "I7", "111021")));
    let twice = damage(
        &p,
        "xl/worksheets/sheet3.xml",
        Box::new(|x| set_cell_text(&x, "B7", "11-1011")),
    );
    let unknown = damage(
        &c,
        sheet,
        Box::new(|x| set_cell_text(&x, "A5", "11-1011.77")),
    );
    cases.push([header, p.clone(), c.clone()]);
    cases.push([marker, p.clone(), c.clone()]);
    cases.push([soc, p.clone(), c.clone()]);
    cases.push([o.clone(), twice, c.clone()]);
    cases.push([o, p, unknown]);
    (dirs, cases)
}

/// The same bad inputs on each backend: a store holding the release and the real labour data
/// is exactly as it was after each failed `load-labor`.
async fn bad_inputs_change_no_backend(db: TestDatabase) {
    let url = db.url.clone();
    tokio::task::spawn_blocking(move || {
        let onet = onet_dir();
        let load = skillgap(&url, &["load", "--onet-dir", s(&onet)]);
        assert!(load.status.success(), "{}", stderr(&load));
        let (o, p, c) = (oews_xlsx(), projections_xlsx(), crosswalk_xlsx());
        let args = [
            "load-labor",
            "--oews",
            s(&o),
            "--projections",
            s(&p),
            "--crosswalk",
            s(&c),
        ];
        let first = skillgap(&url, &args);
        assert!(first.status.success(), "{}", stderr(&first));
        let before = status(&url);
        assert_eq!(table(&before, "oews_wages"), 1_403);
        let (_dirs, cases) = bad_inputs();
        for [o, p, c] in &cases {
            let args = [
                "load-labor",
                "--oews",
                s(o),
                "--projections",
                s(p),
                "--crosswalk",
                s(c),
            ];
            let out = skillgap(&url, &args);
            assert!(!out.status.success(), "{o:?} {p:?} {c:?} loaded");
            assert_eq!(status(&url), before, "{o:?} {p:?} {c:?} changed the store");
        }
    })
    .await
    .unwrap();
}

backend_tests! {
    bad_inputs_on_every_backend => bad_inputs_change_no_backend;
}

#[test]
fn a_crosswalk_needs_an_onet_release_first() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_url(&dir.path().join("empty.db"));
    let (o, p, c) = (oews_xlsx(), projections_xlsx(), crosswalk_xlsx());
    let out = skillgap(
        &db,
        &[
            "load-labor",
            "--oews",
            s(&o),
            "--projections",
            s(&p),
            "--crosswalk",
            s(&c),
        ],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("load an O*NET release first"),
        "{}",
        stderr(&out)
    );
}

/// `load-programmes` as the compose stack's load runs it on every `up`: the real NCES files load,
/// and a second run recognises them by checksum before reading them (its answer is the short
/// already-loaded one, with no read report), leaving the tables as they were.
#[test]
fn load_programmes_recognises_loaded_files_before_reading_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_url(&dir.path().join("programmes.db"));
    let nces = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/nces");
    let (crosswalk, cip) = (
        nces.join("CIP2020_SOC2018_Crosswalk.xlsx"),
        nces.join("CIPCode2020.csv"),
    );
    let args = [
        "load-programmes",
        "--crosswalk",
        s(&crosswalk),
        "--cip",
        s(&cip),
    ];
    let json = |args: &[&str]| -> Value {
        let out = skillgap(&db, &[args, &["--json"][..]].concat());
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let first = json(&args);
    assert_eq!(first["already_loaded"], false, "{first}");
    assert!(first["unmatched_rows"].as_u64().unwrap() > 0, "{first}");
    let before = status(&db);
    let again = json(&args);
    assert_eq!(again["already_loaded"], true, "{again}");
    assert!(
        again.get("files").is_none() && again.get("unmatched_rows").is_none(),
        "the files were read before being recognised: {again}"
    );
    let out = skillgap(&db, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "These programme files are already loaded (same checksums); nothing to do."
    );
    assert_eq!(status(&db)["tables"], before["tables"]);
}

#[test]
fn gap_and_transitions_show_pay_once_labour_data_is_loaded() {
    let (_tmp, db) = loaded_store();
    let (o, p, c) = (oews_xlsx(), projections_xlsx(), crosswalk_xlsx());
    let gap = ["gap", "15-1254.00", "11-3021.00", "--technology"];
    let before = skillgap(&db, &gap);
    assert!(before.status.success(), "{}", stderr(&before));
    let text = String::from_utf8_lossy(&before.stdout).into_owned();
    assert!(!text.contains("Median wage"), "{text}");
    assert!(text.contains("Technology to learn:"), "{text}");
    let load = skillgap(
        &db,
        &[
            "load-labor",
            "--oews",
            s(&o),
            "--projections",
            s(&p),
            "--crosswalk",
            s(&c),
        ],
    );
    assert!(load.status.success(), "{}", stderr(&load));

    let json = skillgap(&db, &[&gap[..], &["--json"]].concat());
    let body: Value = serde_json::from_slice(&json.stdout).unwrap();
    let labor = &body["labor"];
    let (a, b) = (
        labor["from"]["median_wage"]["annual"].as_f64().unwrap(),
        labor["to"]["median_wage"]["annual"].as_f64().unwrap(),
    );
    let out = skillgap(&db, &gap);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let money = |x: f64| format!("${}", thousands(x as u64));
    let median = text.lines().find(|l| l.starts_with("Median wage")).unwrap();
    assert!(
        median.contains(&money(a)) && median.contains(&money(b)),
        "{median}"
    );
    assert!(
        text.contains(&format!("Change: wage +{} a year", money(b - a))),
        "{text}"
    );
    let first = &body["technology"]["groups"][0];
    assert!(
        text.contains(&format!(
            "  {}: {}",
            first["commodity_title"].as_str().unwrap(),
            first["technologies"][0]["example"].as_str().unwrap()
        )),
        "{text}"
    );
    assert!(text.contains("U.S. Bureau of Labor Statistics"), "{text}");

    let moves = skillgap(
        &db,
        &[
            "transitions",
            "15-1254.00",
            "--sort",
            "wage_gain",
            "--min-wage-ratio",
            "1.2",
            // Every candidate, as before issue 21 (viable moves alone are fewer than 10 here).
            "--viable",
            "any",
            "--json",
        ],
    );
    assert!(moves.status.success(), "{}", stderr(&moves));
    let body: Value = serde_json::from_slice(&moves.stdout).unwrap();
    assert_eq!(body["sort"], "wage_gain");
    assert_eq!(body["viable"], "any");
    let ratios: Vec<f64> = body["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["wage"]["change"]["ratio"].as_f64().unwrap())
        .collect();
    assert_eq!(ratios.len(), 10);
    assert!(ratios.iter().all(|r| *r >= 1.2), "{ratios:?}");
    assert!(ratios.windows(2).all(|w| w[0] >= w[1]), "{ratios:?}");
    let bad = skillgap(&db, &["transitions", "15-1254.00", "--min-wage-ratio", "0"]);
    assert!(!bad.status.success());
    assert!(
        stderr(&bad).contains("`min_wage_ratio` must be a number"),
        "{}",
        stderr(&bad)
    );

    // Paths: pay on each step and the lowest pay on the way, ordered by it on request.
    let path = ["path", "15-1254.00", "11-3021.00", "--paths", "5"];
    let by_pay = skillgap(
        &db,
        &[&path[..], &["--sort", "wage_gain", "--json"]].concat(),
    );
    assert!(by_pay.status.success(), "{}", stderr(&by_pay));
    let body: Value = serde_json::from_slice(&by_pay.stdout).unwrap();
    assert_eq!(body["sort"], "wage_gain");
    let floors: Vec<f64> = body["paths"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["wage"]["lowest_ratio"].as_f64())
        .collect();
    assert!(!floors.is_empty());
    assert!(floors.windows(2).all(|w| w[0] >= w[1]), "{floors:?}");
    let text = skillgap(&db, &[&path[..], &["--min-wage-ratio", "0.9"]].concat());
    assert!(text.status.success(), "{}", stderr(&text));
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    assert!(text.contains("pay: lowest on the way"), "{text}");
    let lowest: Vec<f64> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pay: lowest on the way "))
        .map(|l| l.split('%').next().unwrap().parse::<f64>().unwrap())
        .collect();
    // Rounded to whole percent in the text.
    assert!(
        !lowest.is_empty() && lowest.iter().all(|p| *p >= 89.5),
        "{text}"
    );
}

/// `1234567` → `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}
