//! Parsing and validating the real O*NET 29.0 release (files already in the page cache).
//! Run: `cargo bench -p skillgap-onet --bench parse`.

use criterion::{Criterion, criterion_group, criterion_main};
use skillgap_core::SilentProgress;
use skillgap_onet::{LoadOptions, ReleaseFiles, ReleaseSource};

fn parse(c: &mut Criterion) {
    let source = ReleaseSource::Dir(skillgap_testkit::onet_dir());
    let mut g = c.benchmark_group("release");
    g.sample_size(20);
    g.bench_function("open_and_checksum_29_0", |b| {
        b.iter(|| ReleaseFiles::open(&source).unwrap())
    });
    let files = ReleaseFiles::open(&source).unwrap();
    g.bench_function("parse_and_validate_29_0", |b| {
        b.iter(|| {
            files
                .parse(&LoadOptions::default(), &SilentProgress)
                .unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
