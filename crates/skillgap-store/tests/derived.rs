//! Derived data written by several writers at once, on SQLite, MariaDB and PostgreSQL: a load
//! keeps the store image and relatedness together, and two processes may keep theirs at the same
//! moment. On MariaDB each writer's delete locks the gap the others insert into, and InnoDB rolls
//! some back as deadlocked; every write must still land, whole, with its own key.

use skillgap_store::{DERIVED_PART_BYTES, Store};
use skillgap_testkit::{TestDatabase, backend_tests, onet_dir};

/// Writers at once, each under its own name.
const WRITERS: usize = 6;

async fn writers_at_once_all_land(db: TestDatabase) {
    let store = Store::connect(&db.url).await.unwrap();
    // Real bytes: the release's task statements, past one part so that parts are written too.
    let mut bytes = std::fs::read(onet_dir().join("Task Statements.txt")).unwrap();
    while bytes.len() <= DERIVED_PART_BYTES {
        bytes.extend_from_within(..);
    }
    for round in 0..4 {
        let mut writers = tokio::task::JoinSet::new();
        for w in 0..WRITERS {
            let (store, bytes) = (store.clone(), bytes[w..].to_vec());
            writers.spawn(async move {
                store
                    .write_derived(&format!("part-{w}"), 1, &format!("round {round}"), &bytes)
                    .await
            });
        }
        while let Some(written) = writers.join_next().await {
            written
                .unwrap()
                .unwrap_or_else(|e| panic!("round {round}: {e}"));
        }
        for w in 0..WRITERS {
            let kept = store
                .read_derived(&format!("part-{w}"))
                .await
                .unwrap()
                .expect("written");
            assert_eq!(kept.data_key, format!("round {round}"));
            assert!(
                kept.bytes == bytes[w..],
                "part-{w} whole after round {round}"
            );
        }
    }
    store.close().await;
}

backend_tests! {
    writers_at_once => writers_at_once_all_land;
}
