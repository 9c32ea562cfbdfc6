//! Two loads started at once into an empty store, on SQLite, MariaDB and PostgreSQL: each through
//! its own pool (as two processes would), both connecting (so both want to create the schema) and
//! both loading the same release. One must load it and the other wait, then find it loaded.

use std::collections::HashSet;
use std::sync::OnceLock;

use skillgap_core::{Release, SilentProgress, SocCode};
use skillgap_onet::{LoadOptions, ReleaseSource, read_release};
use skillgap_store::{LoadReport, Store};
use skillgap_testkit::{TestDatabase, backend_tests, onet_dir};

/// How many times the race is run, each on a new empty database.
const ROUNDS: usize = 4;

/// The real release cut down to its first 40 rated occupations, so each round is quick.
fn small_release() -> &'static Release {
    static RELEASE: OnceLock<Release> = OnceLock::new();
    RELEASE.get_or_init(|| {
        let mut r = read_release(
            &ReleaseSource::Dir(onet_dir()),
            &LoadOptions::default(),
            &SilentProgress,
        )
        .expect("29.0 parses")
        .release;
        let mut keep: Vec<SocCode> = Vec::new();
        for rating in &r.ratings {
            if !keep.contains(&rating.occupation) {
                keep.push(rating.occupation);
            }
            if keep.len() == 40 {
                break;
            }
        }
        let keep: HashSet<SocCode> = keep.into_iter().collect();
        r.occupations.retain(|o| keep.contains(&o.code));
        r.ratings.retain(|x| keep.contains(&x.occupation));
        r.alternate_titles.retain(|x| keep.contains(&x.occupation));
        r.tasks.retain(|x| keep.contains(&x.occupation));
        r.reported_titles.retain(|x| keep.contains(&x.occupation));
        r.job_zones.retain(|x| keep.contains(&x.occupation));
        r.technology_skills.retain(|x| keep.contains(&x.occupation));
        r.education.retain(|x| keep.contains(&x.occupation));
        r
    })
}

async fn connect_and_load(url: String) -> LoadReport {
    let store = Store::connect(&url).await.expect("connect and migrate");
    let report = store
        .load_release(small_release(), 0, &SilentProgress)
        .await
        .expect("load");
    store.close().await;
    report
}

async fn two_loads_at_once_load_the_release_once(first: TestDatabase) {
    let release = small_release();
    let mut databases = vec![first];
    for _ in 1..ROUNDS {
        let backend = databases[0].backend;
        databases.push(
            TestDatabase::create(backend)
                .await
                .expect("another database"),
        );
    }
    for db in &databases {
        let a = tokio::spawn(connect_and_load(db.url.clone()));
        let b = tokio::spawn(connect_and_load(db.url.clone()));
        let (a, b) = (a.await.unwrap(), b.await.unwrap());

        let mut loaded: Vec<bool> = vec![a.already_loaded, b.already_loaded];
        loaded.sort();
        assert_eq!(
            loaded,
            [false, true],
            "exactly one load writes, the other finds it loaded"
        );
        assert_eq!(a.release_id, b.release_id);
        let (writer, waiter) = if a.already_loaded { (&b, &a) } else { (&a, &b) };
        assert_eq!(writer.rows(), release.row_count() as u64);
        assert_eq!(waiter.rows(), 0);

        let store = Store::connect(&db.url).await.unwrap();
        let status = store.status().await.unwrap();
        let count = |name: &str| {
            status
                .tables
                .iter()
                .find(|t| t.table == name)
                .map(|t| t.rows)
                .unwrap()
        };
        assert_eq!(count("releases"), 1);
        assert_eq!(count("ratings"), release.ratings.len() as u64);
        assert_eq!(count("occupations"), release.occupations.len() as u64);
        assert_eq!(
            status.release.expect("a release").fingerprint,
            release.fingerprint
        );
        assert_eq!(store.schema_version().await.unwrap(), Some(10));
        store.close().await;
    }
}

backend_tests! {
    two_loads_at_once => two_loads_at_once_load_the_release_once;
}
