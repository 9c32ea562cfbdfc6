//! The API's work per request without the network: building a `/skill-gap` body, and serializing
//! it. Run: `cargo bench -p skillgap-server --bench handlers`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use skillgap_app::Snapshot;
use skillgap_app::answer::gap::skill_gap;
use skillgap_app::answer::paths::paths_body;
use skillgap_app::answer::transitions::transitions_body;
use skillgap_app::params::{GapRequest, PathRequest, TransitionsRequest};
use skillgap_core::Moves;
use skillgap_server::extract::{FromQuery, Query};

/// A route's typed request from a query string, as the extractor makes it.
fn request<T: FromQuery>(code: Option<&str>, query: &str) -> T {
    T::from_query(code, &Query::parse(query, T::PARAMS).unwrap()).unwrap()
}

fn handlers(c: &mut Criterion) {
    let snapshot = Snapshot::of_catalog(skillgap_testkit::real_catalog());
    let req: GapRequest = request(None, "from=15-1254.00&to=11-3021.00");
    c.bench_function("skill_gap/parse_query", |b| {
        b.iter(|| request::<GapRequest>(None, black_box("from=15-1254.00&to=11-3021.00")))
    });
    c.bench_function("skill_gap/build_body", |b| {
        b.iter(|| skill_gap(&snapshot, black_box(&req)).unwrap())
    });
    let body = skill_gap(&snapshot, &req).unwrap();
    c.bench_function("skill_gap/serialize_body", |b| {
        b.iter(|| serde_json::to_vec(black_box(&body)).unwrap())
    });
}

/// Issue 11's targets: relatedness for every occupation as part of the catalog build
/// (≤ 300 ms), and a `/paths` answer with max_steps=3 (≤ 5 ms p50), computed, not cached.
fn moves(c: &mut Criterion) {
    let catalog = skillgap_testkit::real_catalog();
    let mut group = c.benchmark_group("moves");
    group.sample_size(10);
    group.bench_function("relatedness_and_step_graph/build", |b| {
        b.iter(|| Moves::build(black_box(&catalog)))
    });
    group.finish();
    let snapshot = Snapshot::of_catalog(catalog);
    for (name, query) in [
        (
            "paths/web_dev_to_it_manager",
            "from=15-1254.00&to=11-3021.00",
        ),
        (
            "paths/customer_service_to_it_manager",
            "from=43-4051.00&to=11-3021.00",
        ),
        (
            "paths/cashier_to_registered_nurse",
            "from=41-2011.00&to=29-1141.00",
        ),
    ] {
        let req: PathRequest = request(None, query);
        c.bench_function(name, |b| {
            b.iter(|| paths_body(&snapshot, black_box(&req)).unwrap())
        });
    }
    let req: TransitionsRequest = request(Some("15-1254.00"), "");
    c.bench_function("transitions/web_dev_by_relatedness", |b| {
        b.iter(|| transitions_body(&snapshot, black_box(&req)).unwrap())
    });
}

criterion_group!(benches, handlers, moves);
criterion_main!(benches);
