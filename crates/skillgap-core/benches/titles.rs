//! The job-title coder on the real 29.0 release: building the index (inside every catalog
//! build) and coding titles as people type them. Run: `cargo bench -p skillgap-core --bench titles`.
//! Per-query percentiles over the whole tuning file: the example `tune_titles`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use skillgap_core::titles::{TitleIndex, Tuning};

fn titles(c: &mut Criterion) {
    let catalog = skillgap_testkit::real_catalog();
    let occ = &catalog.occupations;
    let mut group = c.benchmark_group("titles");
    group.sample_size(10);
    group.bench_function("build/release_only", |b| {
        // The index lives as long as its catalog: its drop is no part of the build.
        b.iter_with_large_drop(|| TitleIndex::build(black_box(occ), Vec::new(), Tuning::default()))
    });
    let index = TitleIndex::build(occ, Vec::new(), Tuning::default());
    group.sample_size(100);
    for q in [
        "web developer",
        "Sr. Software Eng II",
        "Registered Nurse - Neuroscience ICU",
        "PROGRAMER/ANALYST",
        "assistant manager",
    ] {
        group.bench_function(format!("code/{q}"), |b| {
            b.iter(|| index.code(occ, black_box(q), 10))
        });
    }
    group.finish();
}

criterion_group!(benches, titles);
criterion_main!(benches);
