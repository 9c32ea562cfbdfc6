//! Technology, education and BLS labour-market data in SQLite, MariaDB and PostgreSQL: exact
//! counts, reading back what was loaded, idempotence by checksum, and rollback on failure.

use std::collections::HashSet;
use std::sync::OnceLock;

use skillgap_core::labor::{LaborData, LaborFileKind, OewsGroup, Wage};
use skillgap_core::{Release, SilentProgress, SocCode};
use skillgap_labor::{LaborInput, LaborInputs, read_labor};
use skillgap_onet::{LoadOptions, ReleaseSource, read_release};
use skillgap_store::{Store, TableCount};
use skillgap_testkit::labor::{crosswalk_xlsx, oews_xlsx, projections_xlsx};
use skillgap_testkit::{TestDatabase, backend_tests, onet_dir};

fn release() -> &'static Release {
    static RELEASE: OnceLock<Release> = OnceLock::new();
    RELEASE.get_or_init(|| {
        read_release(
            &ReleaseSource::Dir(onet_dir()),
            &LoadOptions::default(),
            &SilentProgress,
        )
        .expect("29.0 parses")
        .release
    })
}

fn labor() -> &'static LaborData {
    static DATA: OnceLock<LaborData> = OnceLock::new();
    DATA.get_or_init(|| {
        let codes: HashSet<SocCode> = release().occupations.iter().map(|o| o.code).collect();
        read_labor(
            &LaborInputs {
                oews: LaborInput::file(oews_xlsx()),
                projections: LaborInput::file(projections_xlsx()),
                crosswalk: Some(LaborInput::file(crosswalk_xlsx())),
            },
            Some(&codes),
        )
        .expect("the BLS files are valid")
    })
}

fn count(tables: &[TableCount], name: &str) -> u64 {
    tables
        .iter()
        .find(|t| t.table == name)
        .map(|t| t.rows)
        .unwrap()
}

async fn loaded(db: &TestDatabase) -> Store {
    let store = Store::connect(&db.url).await.unwrap();
    store
        .load_release(release(), 0, &SilentProgress)
        .await
        .unwrap();
    store
}

async fn technology_and_education_read_back_as_loaded(db: TestDatabase) {
    let store = loaded(&db).await;
    let mut tech = release().technology_skills.clone();
    tech.sort_by(|a, b| (a.occupation, &a.example).cmp(&(b.occupation, &b.example)));
    let stored = store.technology_skills().await.unwrap();
    assert_eq!(stored.len(), 32_470);
    assert_eq!(stored, tech);
    let occupations: HashSet<SocCode> = stored.iter().map(|t| t.occupation).collect();
    assert_eq!(occupations.len(), 923);
    let education = store.education().await.unwrap();
    assert_eq!(education.len(), 36_209);
    assert_eq!(education, release().education);
    let categories = store.education_categories().await.unwrap();
    assert_eq!(categories.len(), 41);
    let mut expected = release().education_categories.clone();
    expected.sort_by(|a, b| {
        (&a.element, &a.scale, a.category).cmp(&(&b.element, &b.scale, b.category))
    });
    assert_eq!(categories, expected);
}

async fn labor_data_loads_with_exact_counts_and_reads_back(db: TestDatabase) {
    let store = loaded(&db).await;
    let report = store.load_labor(labor(), &SilentProgress).await.unwrap();
    assert!(!report.already_loaded);
    assert_eq!(report.rows(), 1_403 + 1_113 + 1_016);
    let status = store.status().await.unwrap();
    let t = &status.tables;
    assert_eq!(count(t, "oews_wages"), 1_403);
    assert_eq!(count(t, "employment_projections"), 1_113);
    assert_eq!(count(t, "soc_crosswalk"), 1_016);
    assert_eq!(count(t, "labor_files"), 3);
    assert_eq!(status.schema_version, Some(10));

    let back = store.labor_data().await.unwrap();
    let detailed = back
        .oews
        .iter()
        .filter(|r| r.group == OewsGroup::Detailed)
        .count();
    assert_eq!(detailed, 831);
    let mut oews = labor().oews.clone();
    oews.sort_by(|a, b| (a.code, a.group.as_str()).cmp(&(b.code, b.group.as_str())));
    assert_eq!(back.oews, oews);
    let mut projections = labor().projections.clone();
    projections.sort_by_key(|p| p.code);
    assert_eq!(back.projections, projections);
    let mut crosswalk = labor().crosswalk.clone();
    crosswalk.sort_by_key(|c| c.onet);
    assert_eq!(back.crosswalk, crosswalk);
    // Top-coded and missing wages survive the trip as markers, not numbers.
    let anesthesiologists = back
        .oews
        .iter()
        .find(|r| r.code.as_str() == "29-1211")
        .unwrap();
    assert_eq!(anesthesiologists.annual.median, Wage::AtLeast(239_200.0));
    assert!(
        back.oews
            .iter()
            .any(|r| matches!(r.annual.median, Wage::Unavailable(_)))
    );

    let files = store.labor_files().await.unwrap();
    let kinds: Vec<LaborFileKind> = files.iter().map(|f| f.file.kind).collect();
    assert_eq!(
        kinds,
        [
            LaborFileKind::Crosswalk,
            LaborFileKind::Oews,
            LaborFileKind::Projections
        ]
    );
    let oews_file = files
        .iter()
        .find(|f| f.file.kind == LaborFileKind::Oews)
        .unwrap();
    assert_eq!(oews_file.file_name, "national_M2024_dl.xlsx");
    assert_eq!(oews_file.file.release, "May 2024");
    assert_eq!(
        oews_file.file.sha256,
        "0b70d339f53d12c91509e72ad78cbfc32a5c43d7b82efff1705f83475da115b9"
    );
    assert!(
        oews_file.loaded_at.starts_with("20"),
        "{}",
        oews_file.loaded_at
    );
}

async fn loading_the_same_labor_files_twice_changes_nothing(db: TestDatabase) {
    let store = loaded(&db).await;
    let without = store.data_version().await.unwrap();
    assert_eq!(without.labor, 0);
    store.load_labor(labor(), &SilentProgress).await.unwrap();
    // A running server sees the load as a change of data.
    let with = store.data_version().await.unwrap();
    assert_ne!(with, without);
    assert_ne!(with.labor, 0);
    let before = (
        store.status().await.unwrap().tables,
        store.labor_files().await.unwrap(),
    );
    let second = store.load_labor(labor(), &SilentProgress).await.unwrap();
    assert!(second.already_loaded);
    assert_eq!(second.rows(), 0);
    let after = (
        store.status().await.unwrap().tables,
        store.labor_files().await.unwrap(),
    );
    assert_eq!(after, before);
    assert_eq!(store.data_version().await.unwrap(), with);

    // Without the crosswalk, and with OEWS changed: OEWS is replaced, the crosswalk kept.
    let mut changed = labor().clone();
    changed.crosswalk.clear();
    changed.files.retain(|f| f.kind != LaborFileKind::Crosswalk);
    changed.oews.retain(|r| r.code.as_str() != "15-1254");
    changed.files[0].sha256 = "0".repeat(64);
    let third = store.load_labor(&changed, &SilentProgress).await.unwrap();
    assert!(!third.already_loaded);
    let changed_version = store.data_version().await.unwrap();
    assert!(changed_version.labor != with.labor && changed_version.labor != 0);
    let t = store.status().await.unwrap().tables;
    assert_eq!(count(&t, "oews_wages"), 1_402);
    assert_eq!(count(&t, "soc_crosswalk"), 1_016);
}

async fn a_failed_labor_load_leaves_the_store_as_it_was(db: TestDatabase) {
    let store = loaded(&db).await;
    store.load_labor(labor(), &SilentProgress).await.unwrap();
    let before = (
        store.status().await.unwrap().tables,
        store.labor_files().await.unwrap(),
        store.labor_data().await.unwrap(),
    );
    // A row twice breaks the table's key half-way through the transaction.
    let mut bad = labor().clone();
    bad.files[0].sha256 = "1".repeat(64);
    bad.projections.retain(|p| p.code.as_str() != "15-1254");
    bad.files[1].sha256 = "2".repeat(64);
    let last = bad.oews.last().unwrap().clone();
    bad.oews.push(last);
    store
        .load_labor(&bad, &SilentProgress)
        .await
        .expect_err("duplicate key");
    let after = (
        store.status().await.unwrap().tables,
        store.labor_files().await.unwrap(),
        store.labor_data().await.unwrap(),
    );
    assert_eq!(after, before);
}

backend_tests! {
    technology_and_education => technology_and_education_read_back_as_loaded;
    labor_counts => labor_data_loads_with_exact_counts_and_reads_back;
    labor_idempotent => loading_the_same_labor_files_twice_changes_nothing;
    labor_rollback => a_failed_labor_load_leaves_the_store_as_it_was;
}
