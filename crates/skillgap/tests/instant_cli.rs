//! One-shot answers read only what they need (a gap reads its two occupations; transitions read
//! the store image and relatedness back rather than every row and deriving), and still say
//! exactly what the whole catalog says: the CLI's JSON is compared with the answer computed in
//! process over every row read and everything derived afresh, for a set of occupations, on a
//! SQLite store loaded by the CLI (which keeps the image and relatedness as it loads).

mod common;

use common::{loaded_store, run_on, stderr, text};
use skillgap_app::answer::gap::skill_gap;
use skillgap_app::answer::transitions::transitions_body;
use skillgap_app::image::{IMAGE_FORMAT, StoreImage};
use skillgap_app::params::{
    Bounded, Choice, GapOptions, GapRequest, MoveKind, Pay, TransitionsRequest,
};
use skillgap_app::{Facts, Snapshot};
use skillgap_core::SocCode;
use skillgap_core::transitions::TransitionSort;
use skillgap_store::Store;

const CODES: [&str; 8] = [
    "15-1254.00", // Web Developers
    "11-3021.00", // Computer and Information Systems Managers
    "43-4051.00", // Customer Service Representatives
    "29-1141.00", // Registered Nurses
    "47-2031.00", // Carpenters
    "15-1252.00", // Software Developers: no ratings in 29.0
    "25-2021.00", // Elementary School Teachers
    "99-9999.99", // no such occupation
];

fn code(s: &str) -> SocCode {
    SocCode::parse(s).unwrap()
}

/// The CLI's `--json` answer, or its error line.
fn cli(url: &str, args: &[&str]) -> Result<String, String> {
    let out = run_on(url, args);
    if out.status.success() {
        Ok(text(&out.stdout).trim_end().to_owned())
    } else {
        Err(stderr(&out))
    }
}

/// Everything, read row by row and derived afresh in process (nothing kept is read), as every
/// answer was computed before the store kept anything.
async fn whole(url: &str) -> (Store, Snapshot) {
    let store = Store::connect(url).await.unwrap();
    let rows = StoreImage::read_rows(&store).await.unwrap();
    let snapshot = Snapshot::new(rows.catalog.build(), Facts::from_rows(rows.facts));
    (store, snapshot)
}

#[tokio::test(flavor = "multi_thread")]
async fn one_shot_answers_equal_the_whole_catalogs_answers() {
    let (_dir, url) = loaded_store();
    // The load made the image and relatedness from the release it held in memory, while the
    // rows were written: it read no row back and derived nothing after the write.
    let load_log = &common::template().1;
    assert!(
        load_log.contains("store image and relatedness made from the release loaded, and kept"),
        "{load_log}"
    );
    assert!(
        !load_log.contains("deriving relatedness once"),
        "{load_log}"
    );
    assert!(!load_log.contains("reading every row"), "{load_log}");
    let (store, snapshot) = whole(&url).await;
    // The load kept relatedness for this very data: one-shot answers read it back.
    let kept = store
        .read_derived("relatedness")
        .await
        .unwrap()
        .expect("kept by the load");
    assert_eq!(
        kept.data_key,
        store.data_version().await.unwrap().derivation_key()
    );
    // And the image of every row: one-shot answers that need everything read it back.
    let image = store
        .read_derived("image")
        .await
        .unwrap()
        .expect("kept by the load");
    assert_eq!(image.format_version, IMAGE_FORMAT);
    assert_eq!(
        image.data_key,
        store.data_version().await.unwrap().derivation_key()
    );
    let files = store
        .read_derived("image-files")
        .await
        .unwrap()
        .expect("kept by the load");
    assert_eq!(
        files.data_key,
        store.data_version().await.unwrap().full_key()
    );

    let mut compared = 0;
    for (i, a) in CODES.iter().enumerate() {
        for b in CODES.iter().skip(i + 1) {
            let req = GapRequest {
                from: code(a),
                to: code(b),
                options: GapOptions::default(),
            };
            let got = cli(&url, &["gap", a, b, "--json"]);
            match skill_gap(&snapshot, &req) {
                Ok(body) => {
                    assert_eq!(
                        got,
                        Ok(serde_json::to_string(&body).unwrap()),
                        "gap {a} {b}"
                    );
                    compared += 1;
                }
                Err(e) => {
                    let err = got.expect_err(&format!("gap {a} {b} should fail: {e}"));
                    assert!(err.contains("error:"), "gap {a} {b}: {err}");
                }
            }
        }
    }
    assert!(compared >= 15, "only {compared} gaps compared");
    // And a gap reads the two occupations alone, not the whole catalog.
    let out = run_on(&url, &["gap", CODES[0], CODES[1], "-v"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let log = stderr(&out);
    assert!(
        log.contains("catalog of the occupations asked about loaded occupations=2"),
        "{log}"
    );
    assert!(!log.contains("catalog loaded occupations="), "{log}");

    for a in CODES {
        let req = TransitionsRequest {
            code: code(a),
            options: GapOptions::default(),
            limit: Bounded::standard(),
            pay: Pay::new(TransitionSort::DEFAULT, None),
            kind: MoveKind::default(),
        };
        let got = cli(&url, &["transitions", a, "--json"]);
        match transitions_body(&snapshot, &req) {
            Ok(body) => assert_eq!(
                got,
                Ok(serde_json::to_string(&body).unwrap()),
                "transitions {a}"
            ),
            Err(e) => {
                let err = got.expect_err(&format!("transitions {a} should fail: {e}"));
                assert!(err.contains("error:"), "transitions {a}: {err}");
            }
        }
    }
    store.close().await;
}
