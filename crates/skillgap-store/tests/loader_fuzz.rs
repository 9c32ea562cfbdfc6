//! Property-based fuzzing of the loader with mutations of real release files: truncation, byte
//! flips, inserted tabs, line-end changes (LF↔CRLF, CR only, a line end dropped or a CR added) and
//! random UTF-8 (any Unicode scalar, controls included). Every case must end in a valid load or a
//! clear error naming the file, never a panic; every rejection's line must exist in its file.
//!
//! The input is a small but complete slice of the real O*NET 29.0 files (each required file's
//! header and the rows of two rated occupations), so thousands of cases run in seconds. Every
//! tenth case ([`STORE_EVERY`]) is also loaded into a SQLite store holding the unmutated slice:
//! a failure must leave that store exactly as it was.
//!
//! Cases: `PROPTEST_CASES` (default [`DEFAULT_CASES`]).

use std::cell::{Cell, RefCell};
use std::path::Path;

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use skillgap_core::{Release, SilentProgress};
use skillgap_onet::{LoadOptions, ReleaseError, ReleaseSource, read_release};
use skillgap_store::{Status, Store};
use skillgap_testkit::onet_dir;

/// Cases per run unless `PROPTEST_CASES` says otherwise.
const DEFAULT_CASES: u32 = 1_000;

/// Every this many cases, the mutated release is also loaded into the SQLite store.
const STORE_EVERY: usize = 10;

/// The five required files, in the order they are parsed.
const FILES: [&str; 5] = [
    "Scales Reference.txt",
    "Content Model Reference.txt",
    "Occupation Data.txt",
    "Skills.txt",
    "Knowledge.txt",
];

/// Each required file cut down to what two rated occupations need: all scales, the skill and
/// knowledge descriptors, the two occupations and their ratings. Real bytes, line ends as found.
fn slice() -> Vec<(&'static str, Vec<u8>)> {
    let read = |name: &str| std::fs::read(onet_dir().join(name)).expect("real release file");
    let lines = |bytes: &[u8]| -> Vec<Vec<u8>> {
        bytes
            .split_inclusive(|b| *b == b'\n')
            .map(<[u8]>::to_vec)
            .collect()
    };
    let first_field = |line: &[u8]| -> String {
        let end = line.iter().position(|b| *b == b'\t').unwrap_or(line.len());
        String::from_utf8_lossy(&line[..end]).into_owned()
    };
    let skills = lines(&read("Skills.txt"));
    let mut occupations: Vec<String> = Vec::new();
    for l in &skills[1..] {
        let code = first_field(l);
        if !occupations.contains(&code) {
            occupations.push(code);
        }
        if occupations.len() == 2 {
            break;
        }
    }
    let keep = |name: &str, f: &dyn Fn(&str) -> bool| -> Vec<u8> {
        let all = lines(&read(name));
        let mut out = all[0].clone();
        for l in &all[1..] {
            if f(&first_field(l)) {
                out.extend_from_slice(l);
            }
        }
        out
    };
    let of_ours = |code: &str| occupations.iter().any(|o| o == code);
    FILES
        .into_iter()
        .map(|name| {
            let bytes = match name {
                "Scales Reference.txt" => read(name),
                "Content Model Reference.txt" => keep(name, &|id: &str| {
                    ["2.A", "2.B", "2.C"].iter().any(|b| id.starts_with(b))
                }),
                _ => keep(name, &of_ours),
            };
            (name, bytes)
        })
        .collect()
}

/// One change to a file's bytes.
#[derive(Clone, Debug)]
enum Mutation {
    Truncate(Index),
    FlipByte(Index, u8),
    InsertTab(Index),
    LfToCrlf,
    CrlfToLf,
    CrOnly,
    DropLineEnd(Index),
    InsertCr(Index),
    InsertUtf8(Index, String),
    OverwriteUtf8(Index, String),
}

fn random_utf8() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 1..12).prop_map(|c| c.into_iter().collect())
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<Index>().prop_map(Mutation::Truncate),
        (any::<Index>(), 1..=255u8).prop_map(|(i, x)| Mutation::FlipByte(i, x)),
        any::<Index>().prop_map(Mutation::InsertTab),
        Just(Mutation::LfToCrlf),
        Just(Mutation::CrlfToLf),
        Just(Mutation::CrOnly),
        any::<Index>().prop_map(Mutation::DropLineEnd),
        any::<Index>().prop_map(Mutation::InsertCr),
        (any::<Index>(), random_utf8()).prop_map(|(i, s)| Mutation::InsertUtf8(i, s)),
        (any::<Index>(), random_utf8()).prop_map(|(i, s)| Mutation::OverwriteUtf8(i, s)),
    ]
}

fn replace(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 16);
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let at = |i: &Index, len: usize| if len == 0 { 0 } else { i.index(len + 1) };
    match m {
        Mutation::Truncate(i) => {
            let n = at(i, bytes.len());
            bytes.truncate(n);
        }
        Mutation::FlipByte(i, x) => {
            if !bytes.is_empty() {
                let n = i.index(bytes.len());
                bytes[n] ^= x;
            }
        }
        Mutation::InsertTab(i) => {
            let n = at(i, bytes.len());
            bytes.insert(n, b'\t');
        }
        Mutation::LfToCrlf => *bytes = replace(&replace(bytes, b"\r\n", b"\n"), b"\n", b"\r\n"),
        Mutation::CrlfToLf => *bytes = replace(bytes, b"\r\n", b"\n"),
        Mutation::CrOnly => *bytes = replace(&replace(bytes, b"\r\n", b"\n"), b"\n", b"\r"),
        Mutation::DropLineEnd(i) => {
            let ends: Vec<usize> = (0..bytes.len()).filter(|k| bytes[*k] == b'\n').collect();
            if !ends.is_empty() {
                let k = ends[i.index(ends.len())];
                bytes.remove(k);
            }
        }
        Mutation::InsertCr(i) => {
            let n = at(i, bytes.len());
            bytes.insert(n, b'\r');
        }
        Mutation::InsertUtf8(i, s) => {
            let n = at(i, bytes.len());
            bytes.splice(n..n, s.bytes());
        }
        Mutation::OverwriteUtf8(i, s) => {
            let n = at(i, bytes.len());
            let end = (n + s.len()).min(bytes.len());
            bytes.splice(n..end, s.bytes());
        }
    }
}

fn read_dir(dir: &Path) -> Result<skillgap_onet::ReadOutcome, ReleaseError> {
    read_release(
        &ReleaseSource::Dir(dir.to_owned()),
        &LoadOptions::default(),
        &SilentProgress,
    )
}

/// What a load could change, read back from the store.
async fn snapshot(store: &Store) -> Status {
    store.status().await.expect("status")
}

fn same(a: &Status, b: &Status) -> bool {
    a.tables == b.tables && a.release == b.release && a.ratings == b.ratings
}

#[test]
fn mutated_real_files_give_a_valid_load_or_a_clear_error() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    let base = slice();
    let tmp = tempfile::tempdir().unwrap();
    // Named like a release so its version is known.
    let dir = tmp.path().join("db_29_0_text");
    std::fs::create_dir(&dir).unwrap();
    for (name, bytes) in &base {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    let baseline: Release = read_dir(&dir)
        .expect("the unmutated slice is valid")
        .release;
    assert_eq!(baseline.occupations.len(), 2);
    assert_eq!(baseline.ratings.len(), 2 * (35 + 33) * 2);

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let db = tmp.path().join("store.db");
    let store = rt.block_on(async {
        let store = Store::connect(&format!("sqlite://{}", db.display()))
            .await
            .unwrap();
        store
            .load_release(&baseline, 0, &SilentProgress)
            .await
            .unwrap();
        store
    });
    // The store as the next case finds it.
    let before = RefCell::new(rt.block_on(snapshot(&store)));

    let ran = Cell::new(0usize);
    let (loaded, refused, stored) = (Cell::new(0usize), Cell::new(0usize), Cell::new(0usize));
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let strategy = (0..FILES.len(), prop::collection::vec(mutation(), 1..=3));
    let result = runner.run(&strategy, |(file, mutations)| {
        ran.set(ran.get() + 1);
        let (name, original) = &base[file];
        let mut bytes = original.clone();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        std::fs::write(dir.join(name), &bytes).unwrap();
        let outcome = read_dir(&dir);
        std::fs::write(dir.join(name), original).unwrap();

        match &outcome {
            Ok(out) => {
                loaded.set(loaded.get() + 1);
                prop_assert!(out.rejected.is_empty());
            }
            Err(e) => {
                refused.set(refused.get() + 1);
                let msg = e.to_string();
                prop_assert!(
                    FILES.iter().any(|f| msg.contains(f)),
                    "the error names no release file: {msg}"
                );
                prop_assert!(msg.len() < 20_000, "error of {} bytes", msg.len());
                if let ReleaseError::Invalid { shown, total } = e {
                    prop_assert!(*total >= shown.len() && !shown.is_empty());
                    for r in shown {
                        let text = if r.file == *name {
                            &bytes
                        } else {
                            &base.iter().find(|(n, _)| *n == r.file).unwrap().1
                        };
                        let lines = text.iter().filter(|b| **b == b'\n').count() + 1;
                        prop_assert!(
                            r.line >= 1 && r.line <= lines,
                            "{r} is past the end of the file ({lines} lines)"
                        );
                    }
                }
            }
        }

        if ran.get().is_multiple_of(STORE_EVERY) {
            stored.set(stored.get() + 1);
            rt.block_on(async {
                let result = match &outcome {
                    Ok(out) => store
                        .load_release(&out.release, out.rejected_rows, &SilentProgress)
                        .await
                        .map(Some),
                    Err(_) => Ok(None),
                };
                let after = snapshot(&store).await;
                let before_case = before.borrow().clone();
                match result {
                    Err(e) => {
                        prop_assert!(
                            same(&after, &before_case),
                            "a failed load ({e}) changed the store"
                        );
                    }
                    Ok(None) => prop_assert!(same(&after, &before_case)),
                    Ok(Some(report)) => {
                        let release = after.release.as_ref().expect("a release");
                        let out = outcome.as_ref().unwrap();
                        prop_assert_eq!(&release.fingerprint, &out.release.fingerprint);
                        prop_assert!(report.already_loaded || report.rows() > 0);
                        // Back to the baseline for the next case.
                        store
                            .load_release(&baseline, 0, &SilentProgress)
                            .await
                            .map_err(|e| TestCaseError::fail(e.to_string()))?;
                        *before.borrow_mut() = snapshot(&store).await;
                    }
                }
                Ok(())
            })?;
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    eprintln!(
        "{} cases: {} valid loads, {} clear errors; {} also through the SQLite store",
        ran.get(),
        loaded.get(),
        refused.get(),
        stored.get()
    );
    assert!(ran.get() >= cases as usize);
    // Mutations that leave a release valid (a CRLF change, a flip inside a description) and
    // ones that break it must both occur, or the suite is not exercising both paths.
    assert!(loaded.get() > 0 && refused.get() > 0);
}
