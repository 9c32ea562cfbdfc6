//! Building relatedness for every occupation of the real 29.0 release (the 923 with tasks, 879
//! of them rated), as the catalog build does. Run: `cargo bench -p skillgap-core --bench relatedness`.

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
    let web = SocCode::parse("15-1254.00").unwrap();
    group.bench_function("closest/10_with_components", |b| {
        b.iter(|| built.closest(black_box(web), 10))
    });
    group.finish();
}

criterion_group!(benches, relatedness);
criterion_main!(benches);
