//! The API's work per request without the network: building a `/skill-gap` body, and serializing
//! it. Run: `cargo bench -p skillgap-server --bench handlers`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use skillgap_app::answer::gap::skill_gap;
use skillgap_app::params::GapRequest;
use skillgap_server::extract::{FromHttp, GapQuery};

fn handlers(c: &mut Criterion) {
    let catalog = skillgap_testkit::real_catalog();
    let facts = skillgap_app::Facts::default();
    let query: GapQuery = serde_urlencoded::from_str("from=15-1254.00&to=11-3021.00").unwrap();
    let req = GapRequest::from_http(None, query).unwrap();
    c.bench_function("skill_gap/parse_query", |b| {
        b.iter(|| {
            let q =
                serde_urlencoded::from_str::<GapQuery>(black_box("from=15-1254.00&to=11-3021.00"))
                    .unwrap();
            GapRequest::from_http(None, q).unwrap()
        })
    });
    c.bench_function("skill_gap/build_body", |b| {
        b.iter(|| skill_gap(&catalog, &facts, black_box(&req)).unwrap())
    });
    let body = skill_gap(&catalog, &facts, &req).unwrap();
    c.bench_function("skill_gap/serialize_body", |b| {
        b.iter(|| serde_json::to_vec(black_box(&body)).unwrap())
    });
}

criterion_group!(benches, handlers);
criterion_main!(benches);
