//! Loading the real O*NET 29.0 release into SQLite, MariaDB and PostgreSQL: exact counts,
//! idempotence, replacement by another release, rollback on failure, schema version checks.

use skillgap_core::{Release, SilentProgress, Task};
use skillgap_onet::{LoadOptions, ReleaseSource, read_release};
use skillgap_store::{Store, StoreError, TableCount};
use skillgap_testkit::{ReleaseCopy, TestDatabase, backend_tests, real_release};

fn count(tables: &[TableCount], name: &str) -> u64 {
    tables
        .iter()
        .find(|t| t.table == name)
        .map(|t| t.rows)
        .unwrap()
}

async fn loads_the_full_release_with_exact_counts(db: TestDatabase) {
    let store = Store::connect(&db.url).await.unwrap();
    assert!(store.current_release().await.unwrap().is_none());
    let report = store
        .load_release(real_release(), 0, &SilentProgress)
        .await
        .unwrap();
    assert!(!report.already_loaded);
    // Ratings and the rest, technology, education categories and rows, reported titles.
    assert_eq!(report.rows(), 196_538 + 32_470 + 41 + 36_209 + 7_798);

    let status = store.status().await.unwrap();
    let t = &status.tables;
    assert_eq!(count(t, "occupations"), 1016);
    assert_eq!(count(t, "descriptors"), 627);
    assert_eq!(count(t, "scales"), 29);
    assert_eq!(count(t, "ratings"), 61_530 + 58_014);
    assert_eq!(count(t, "level_anchors"), 483);
    assert_eq!(count(t, "alternate_titles"), 55_120);
    assert_eq!(count(t, "tasks"), 18_796);
    assert_eq!(count(t, "job_zones"), 923);
    assert_eq!(count(t, "releases"), 1);
    assert_eq!(count(t, "technology_skills"), 32_470);
    assert_eq!(count(t, "education_categories"), 41);
    assert_eq!(count(t, "education_training"), 36_209);
    // The twelve files before, and Sample of Reported Titles.txt.
    assert_eq!(count(t, "release_files"), 13);

    let skills = status
        .ratings
        .iter()
        .find(|r| r.domain == "skills")
        .unwrap();
    assert_eq!(
        (skills.source.as_str(), skills.ratings, skills.occupations),
        ("onet-release", 61_530, 879)
    );
    let knowledge = status
        .ratings
        .iter()
        .find(|r| r.domain == "knowledge")
        .unwrap();
    assert_eq!((knowledge.ratings, knowledge.occupations), (58_014, 879));

    let release = status.release.unwrap();
    assert_eq!(release.version, "29.0");
    assert_eq!(release.fingerprint, real_release().fingerprint);
    let skills_file = release
        .files
        .iter()
        .find(|f| f.name == "Skills.txt")
        .unwrap();
    assert_eq!(
        skills_file.sha256,
        "52e042e9cfc3352a2da28a39a164cfd8244267e9fd3d0ee027c2d4228919e23d"
    );
    assert_eq!(skills_file.rows, 61_530);
    assert_eq!(status.schema_version, Some(10));
}

async fn loading_the_same_release_twice_changes_nothing(db: TestDatabase) {
    let store = Store::connect(&db.url).await.unwrap();
    let first = store
        .load_release(real_release(), 0, &SilentProgress)
        .await
        .unwrap();
    let before = store.status().await.unwrap();
    let second = store
        .load_release(real_release(), 0, &SilentProgress)
        .await
        .unwrap();
    assert!(second.already_loaded);
    assert_eq!(second.release_id, first.release_id);
    assert_eq!(second.rows(), 0);
    let after = store.status().await.unwrap();
    assert_eq!(after.tables, before.tables);
    assert_eq!(after.release, before.release);
}

/// A second "release": the real files with one occupation's skill ratings and a few alternate
/// titles removed, under another version number.
fn smaller_release() -> Release {
    let copy = ReleaseCopy::new();
    copy.edit("Skills.txt", |t| {
        t.lines()
            .filter(|l| !l.starts_with("11-1011.00\t"))
            .map(|l| format!("{l}\n"))
            .collect()
    });
    copy.edit("Alternate Titles.txt", |t| {
        t.lines()
            .filter(|l| !l.starts_with("11-1011.00\t"))
            .map(|l| format!("{l}\n"))
            .collect()
    });
    let opts = LoadOptions {
        lenient: false,
        version: Some("29.1".into()),
    };
    read_release(
        &ReleaseSource::Dir(copy.dir.clone()),
        &opts,
        &SilentProgress,
    )
    .unwrap()
    .release
}

async fn a_new_release_replaces_release_rows_and_keeps_other_sources(db: TestDatabase) {
    let store = Store::connect(&db.url).await.unwrap();
    store
        .load_release(real_release(), 0, &SilentProgress)
        .await
        .unwrap();
    // A row from another source (as the LLM enrichment will write): a copy of a real rating.
    store
        .execute_raw(
            "INSERT INTO ratings (onetsoc_code, element_id, scale_id, source, data_value) \
             SELECT onetsoc_code, element_id, scale_id, 'llm', data_value FROM ratings \
             WHERE onetsoc_code = '11-1011.00' AND element_id = '2.A.1.a' AND scale_id = 'LV'",
        )
        .await
        .unwrap();
    let next = smaller_release();
    let report = store.load_release(&next, 0, &SilentProgress).await.unwrap();
    assert!(!report.already_loaded);
    let status = store.status().await.unwrap();
    assert_eq!(status.release.as_ref().unwrap().version, "29.1");
    assert_eq!(count(&status.tables, "releases"), 2);
    let skills: Vec<_> = status
        .ratings
        .iter()
        .filter(|r| r.domain == "skills")
        .collect();
    let release_skills = skills.iter().find(|r| r.source == "onet-release").unwrap();
    assert_eq!(
        (release_skills.ratings, release_skills.occupations),
        (61_530 - 70, 878)
    );
    let llm = skills.iter().find(|r| r.source == "llm").unwrap();
    assert_eq!((llm.ratings, llm.occupations), (1, 1));
    let titles_removed = real_release()
        .alternate_titles
        .iter()
        .filter(|a| a.occupation.as_str() == "11-1011.00")
        .count() as u64;
    assert!(titles_removed > 0);
    assert_eq!(
        count(&status.tables, "alternate_titles"),
        55_120 - titles_removed
    );
    assert_eq!(count(&status.tables, "occupations"), 1016);
}

async fn a_failed_load_leaves_the_store_exactly_as_it_was(db: TestDatabase) {
    let store = Store::connect(&db.url).await.unwrap();
    store
        .load_release(real_release(), 0, &SilentProgress)
        .await
        .unwrap();
    let before = store.status().await.unwrap();
    // Valid until its very last table: a task id repeats, which the database's key refuses
    // after every rating has already been written inside the transaction.
    let mut broken = smaller_release();
    let dup: Task = broken.tasks[0].clone();
    broken.tasks.push(dup);
    let err = store
        .load_release(&broken, 0, &SilentProgress)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Query(_)), "{err}");
    let after = store.status().await.unwrap();
    assert_eq!(after.tables, before.tables);
    assert_eq!(after.ratings, before.ratings);
    assert_eq!(after.release, before.release);
}

async fn a_schema_from_a_newer_skillgap_is_refused(db: TestDatabase) {
    let store = Store::connect(&db.url).await.unwrap();
    let checksum = match db.backend {
        skillgap_testkit::Backend::Postgres => "'\\x00'::bytea",
        _ => "X'00'",
    };
    store
        .execute_raw(&format!(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (9999, 'from the future', TRUE, {checksum}, 0)"
        ))
        .await
        .unwrap();
    store.close().await;
    let err = Store::connect(&db.url).await.unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::SchemaTooNew {
                found: 9999,
                known: 10,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("upgrade skillgap"), "{err}");
}

async fn a_release_without_an_occupation_keeps_what_other_sources_use(db: TestDatabase) {
    let store = Store::connect(&db.url).await.unwrap();
    store
        .load_release(real_release(), 0, &SilentProgress)
        .await
        .unwrap();
    // The web API was asked for Software Developers and had no ratings either: a fetch record.
    let software = real_release()
        .occupations
        .iter()
        .find(|o| o.code.as_str() == "15-1252.00")
        .unwrap()
        .clone();
    store
        .store_fetched(
            &software,
            &[],
            &[skillgap_core::Domain::Skills],
            "onet-api-v2",
            1_700_000_000,
        )
        .await
        .unwrap();
    // The next release drops Software Developers and Chief Executives entirely.
    let copy = ReleaseCopy::new();
    for file in [
        "Occupation Data.txt",
        "Skills.txt",
        "Knowledge.txt",
        "Alternate Titles.txt",
        "Sample of Reported Titles.txt",
        "Task Statements.txt",
        "Job Zones.txt",
        "Technology Skills.txt",
        "Education, Training, and Experience.txt",
    ] {
        copy.edit(file, |t| {
            t.split_inclusive('\n')
                .filter(|l| !l.starts_with("15-1252.00\t") && !l.starts_with("11-1011.00\t"))
                .collect()
        });
    }
    let opts = LoadOptions {
        lenient: false,
        version: Some("29.1".into()),
    };
    let next = read_release(
        &ReleaseSource::Dir(copy.dir.clone()),
        &opts,
        &SilentProgress,
    )
    .unwrap()
    .release;
    store.load_release(&next, 0, &SilentProgress).await.unwrap();

    let mut builder = skillgap_core::CatalogBuilder::default();
    store.read_catalog(&mut builder).await.unwrap();
    let catalog = builder.build();
    assert_eq!(catalog.occupations.len(), 1015);
    let kept = catalog
        .occupation(software.code)
        .expect("kept for its fetch record");
    assert_eq!(kept.source, skillgap_core::Source::OnetApi);
    assert!(
        catalog
            .occupation(skillgap_core::SocCode::parse("11-1011.00").unwrap())
            .is_none()
    );
    assert_eq!(store.api_fetches().await.unwrap().len(), 1);
}

backend_tests! {
    loads_the_full_release => loads_the_full_release_with_exact_counts;
    is_idempotent => loading_the_same_release_twice_changes_nothing;
    replaces_release_rows => a_new_release_replaces_release_rows_and_keeps_other_sources;
    rolls_back_on_failure => a_failed_load_leaves_the_store_exactly_as_it_was;
    refuses_newer_schema => a_schema_from_a_newer_skillgap_is_refused;
    keeps_other_sources_occupations => a_release_without_an_occupation_keeps_what_other_sources_use;
}

#[tokio::test]
async fn an_unreachable_database_is_a_clear_error_without_the_password() {
    for url in [
        "mysql://root:hunter2@127.0.0.1:1/test",
        "postgres://u:hunter2@127.0.0.1:1/test",
    ] {
        let err = Store::connect(url).await.unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, StoreError::Connect { .. }), "{msg}");
        assert!(
            msg.contains("cannot connect to the database at") && msg.contains("127.0.0.1:1"),
            "{msg}"
        );
        assert!(!msg.contains("hunter2"), "{msg}");
    }
}

#[tokio::test]
async fn an_unknown_url_scheme_is_refused() {
    let err = Store::connect("oracle://x/y").await.unwrap_err();
    assert!(
        err.to_string()
            .contains("expected a URL starting with sqlite://"),
        "{err}"
    );
}
