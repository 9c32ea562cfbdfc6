//! Job titles in SQLite, MariaDB and PostgreSQL: O*NET's reported titles stored with the release
//! and read back into the catalog; an organisation's labelled titles (real rows of the tuning
//! file) stored with their provenance, read back as evidence, reloaded idempotently, replaced
//! by a changed file of the same name, and kept apart from O*NET's alternate titles.

use skillgap_core::titles::{LabelledRow, parse_labelled};
use skillgap_core::{CatalogBuilder, SilentProgress};
use skillgap_store::{Store, TitleFile};
use skillgap_testkit::{TestDatabase, backend_tests, real_release, titles_rows};

const TITLES: [&str; 3] = ["SENIOR ACCOUNTANT", "RN STAFF NURSE", "ANALYST - TRADER"];

fn rows(titles: &[&str]) -> Vec<LabelledRow> {
    parse_labelled(&titles_rows(titles)).unwrap()
}

fn file(sha: &str) -> TitleFile {
    TitleFile {
        file_name: "coded.csv".into(),
        source: "/data/coded.csv".into(),
        sha256: sha.repeat(64),
    }
}

async fn loaded(db: &TestDatabase) -> Store {
    let store = Store::connect(&db.url).await.unwrap();
    store
        .load_release(real_release(), 0, &SilentProgress)
        .await
        .unwrap();
    store
}

async fn reported_titles_are_stored_and_read_back(db: TestDatabase) {
    let store = loaded(&db).await;
    let status = store.status().await.unwrap();
    let count = |name: &str| {
        status
            .tables
            .iter()
            .find(|t| t.table == name)
            .map(|t| t.rows)
            .unwrap()
    };
    assert_eq!(count("reported_titles"), 7_798);
    assert_eq!(
        real_release().reported_titles.len(),
        7_798,
        "the release file's rows"
    );
    assert_eq!(status.schema_version, Some(10));
    let mut b = CatalogBuilder::default();
    store.read_catalog(&mut b).await.unwrap();
    let catalog = b.build();
    let ceo = catalog
        .occupation(skillgap_core::SocCode::parse("11-1011.00").unwrap())
        .unwrap();
    assert!(
        ceo.reported_titles
            .iter()
            .any(|t| t == "CEO (Chief Executive Officer)")
    );
    let total: usize = catalog
        .occupations
        .iter()
        .map(|o| o.reported_titles.len())
        .sum();
    assert_eq!(total, 7_798);
}

async fn labelled_titles_keep_their_provenance(db: TestDatabase) {
    let store = loaded(&db).await;
    let before = store.data_version().await.unwrap();
    assert_eq!(before.titles, 0);
    let r = rows(&TITLES);
    let report = store.load_titles(&file("a"), &r).await.unwrap();
    assert!(!report.already_loaded);
    assert!(!report.replaced);
    assert_eq!(report.rows, 3);
    let files = store.title_files().await.unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].file_name, "coded.csv");
    assert_eq!(files[0].source, "/data/coded.csv");
    assert_eq!(files[0].sha256, "a".repeat(64));
    assert_eq!(files[0].rows, 3);
    assert!(files[0].loaded_at.ends_with('Z'), "{}", files[0].loaded_at);
    let back = store.labelled_titles().await.unwrap();
    assert_eq!(back.len(), 3);
    // In line order, with their codes and file.
    for (b, r) in back.iter().zip(&r) {
        assert_eq!(b.title, r.title);
        assert_eq!(b.codes, r.codes);
        assert_eq!(b.source, "coded.csv");
    }
    // A running server sees the change.
    assert_ne!(store.data_version().await.unwrap().titles, 0);
    // Never mixed into O*NET's alternate titles.
    let mut b = CatalogBuilder::default();
    store.read_catalog(&mut b).await.unwrap();
    let catalog = b.build();
    assert!(
        catalog
            .occupations
            .iter()
            .all(|o| !o.alternate_titles.iter().any(|a| a == "ANALYST - TRADER"))
    );
}

async fn reloading_the_same_file_changes_nothing(db: TestDatabase) {
    let store = loaded(&db).await;
    store.load_titles(&file("a"), &rows(&TITLES)).await.unwrap();
    let first = store.title_files().await.unwrap();
    let version = store.data_version().await.unwrap();
    let again = store.load_titles(&file("a"), &rows(&TITLES)).await.unwrap();
    assert!(again.already_loaded);
    assert_eq!(again.rows, 0);
    assert_eq!(store.title_files().await.unwrap(), first);
    assert_eq!(store.data_version().await.unwrap(), version);
    assert_eq!(store.labelled_titles().await.unwrap().len(), 3);
}

async fn a_changed_file_replaces_its_rows(db: TestDatabase) {
    let store = loaded(&db).await;
    store.load_titles(&file("a"), &rows(&TITLES)).await.unwrap();
    let report = store
        .load_titles(&file("b"), &rows(&TITLES[..1]))
        .await
        .unwrap();
    assert!(report.replaced);
    assert_eq!(report.rows, 1);
    let files = store.title_files().await.unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].sha256, "b".repeat(64));
    let back = store.labelled_titles().await.unwrap();
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].title, "SENIOR ACCOUNTANT");
}

backend_tests! {
    reported_titles => reported_titles_are_stored_and_read_back;
    labelled_provenance => labelled_titles_keep_their_provenance;
    labelled_idempotent => reloading_the_same_file_changes_nothing;
    labelled_replaced => a_changed_file_replaces_its_rows;
}
