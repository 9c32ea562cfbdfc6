//! Writing the real O*NET 29.0 release into each backend, each iteration into a fresh database.
//! Run: `cargo bench -p skillgap-store --bench load` (MariaDB/PostgreSQL need
//! `SKILLGAP_TEST_MYSQL_URL` / `SKILLGAP_TEST_POSTGRES_URL`, as in `scripts/test`).

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use skillgap_core::{Domain, Release, SilentProgress};
use skillgap_store::Store;
use skillgap_testkit::{Backend, TestDatabase, real_release};

/// What the original Python pipeline loaded: Occupation Data, Scales Reference and Skills (with
/// the 35 skill descriptors those ratings refer to).
fn three_files(full: &Release) -> Release {
    Release {
        version: full.version.clone(),
        source: full.source.clone(),
        fingerprint: "three-files".into(),
        occupations: full.occupations.clone(),
        scales: full.scales.clone(),
        descriptors: full
            .descriptors
            .iter()
            .filter(|d| d.domain == Some(Domain::Skills))
            .cloned()
            .collect(),
        ratings: full
            .ratings
            .iter()
            .filter(|r| Domain::of(&r.element) == Some(Domain::Skills))
            .cloned()
            .collect(),
        ..Release::default()
    }
}

fn load(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let full = real_release();
    let subset = three_files(full);
    let mut g = c.benchmark_group("store_write");
    g.sample_size(10).measurement_time(Duration::from_secs(30));
    let cases: [(&str, Backend, &Release); 4] = [
        ("full_29_0/sqlite", Backend::Sqlite, full),
        ("full_29_0/mariadb", Backend::MySql, full),
        ("full_29_0/postgres", Backend::Postgres, full),
        ("three_files/mariadb", Backend::MySql, &subset),
    ];
    for (name, backend, data) in cases {
        if rt.block_on(TestDatabase::create(backend)).is_none() {
            continue;
        }
        g.bench_function(name, |b| {
            b.to_async(&rt).iter_custom(|iters| async move {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let db = TestDatabase::create(backend).await.unwrap();
                    let store = Store::connect(&db.url).await.unwrap();
                    let started = Instant::now();
                    store.load_release(data, 0, &SilentProgress).await.unwrap();
                    total += started.elapsed();
                    store.close().await;
                }
                total
            })
        });
    }
    g.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
