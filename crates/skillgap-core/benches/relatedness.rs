//! Relatedness for every occupation of the real 29.0 release (the 923 with tasks, 879 of them
//! rated): built from scratch (streaming, as the product does), read back from its encoding,
//! and the whole catalog build around it. Run:
//! `cargo bench -p skillgap-core --bench relatedness`.

use std::collections::HashMap;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use skillgap_core::relatedness::RelatednessInput;
use skillgap_core::{Catalog, Relatedness, SilentProgress, SocCode};
use skillgap_onet::{LoadOptions, ReleaseSource, read_release};

fn relatedness(c: &mut Criterion) {
    let release = read_release(
        &ReleaseSource::Dir(skillgap_testkit::onet_dir()),
        &LoadOptions::default(),
        &SilentProgress,
    )
    .unwrap()
    .release;
    let catalog = Catalog::build(Some(release.version.clone()), &release, &HashMap::new());
    let mut group = c.benchmark_group("relatedness");
    group.sample_size(10);
    group.bench_function("build/all_923_with_tasks", |b| {
        b.iter(|| Relatedness::build(black_box(&RelatednessInput::from_catalog(&catalog))))
    });
    let built = Relatedness::build(&RelatednessInput::from_catalog(&catalog));
    let bytes = built.to_bytes();
    group.bench_function("encode/all_923", |b| {
        b.iter(|| black_box(&built).to_bytes())
    });
    group.bench_function("decode/all_923", |b| {
        b.iter(|| Relatedness::from_bytes(black_box(&bytes)).unwrap())
    });
    let web = SocCode::parse("15-1254.00").unwrap();
    group.bench_function("closest/10_with_components", |b| {
        b.iter(|| built.closest(black_box(web), 10))
    });
    group.finish();

    // The whole catalog build from a read release (profiles, search index, relatedness,
    // step graph): what `serve` and each CLI command do at start today.
    let mut group = c.benchmark_group("catalog");
    group.sample_size(10);
    group.bench_function("build/release_29_0", |b| {
        b.iter(|| {
            Catalog::build(
                Some(release.version.clone()),
                black_box(&release),
                &HashMap::new(),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, relatedness);
criterion_main!(benches);
