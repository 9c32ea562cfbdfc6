//! The engine on the real 29.0 release: one gap, the transitions of one occupation over every
//! rated occupation, a title search. Run: `cargo bench -p skillgap-core --bench engine`.

use std::collections::HashMap;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use skillgap_core::gap::{self, FromSide, GapParams};
use skillgap_core::{Catalog, Domain, ProfileChoice, SocCode, transitions};

fn engine(c: &mut Criterion) {
    let release = skillgap_testkit::real_release();
    let catalog = skillgap_testkit::real_catalog();
    let web = catalog
        .index_of(SocCode::parse("15-1254.00").unwrap())
        .unwrap();
    let mgr = catalog
        .index_of(SocCode::parse("11-3021.00").unwrap())
        .unwrap();
    let skills = catalog.domain(Domain::Skills).unwrap();
    let from = &skills.profiles(web).onet.as_ref().unwrap().cells;
    let to = &skills.profiles(mgr).onet.as_ref().unwrap().cells;
    let params = GapParams::default();

    c.bench_function("gap/skills/one_pair", |b| {
        b.iter(|| {
            let part = gap::compare(
                skills,
                FromSide::Occupation(black_box(from)),
                black_box(to),
                &params,
                true,
            );
            gap::report([(Domain::Skills, part)], |_, i| {
                skills.descriptors[i].id.as_str()
            })
        })
    });
    c.bench_function("transitions/skills/all_879", |b| {
        b.iter(|| {
            transitions(
                &catalog,
                black_box(web),
                &[Domain::Skills],
                ProfileChoice::Onet,
                &params,
                10,
            )
        })
    });
    c.bench_function("transitions/skills+knowledge/all_879", |b| {
        b.iter(|| {
            transitions(
                &catalog,
                black_box(web),
                &[Domain::Skills, Domain::Knowledge],
                ProfileChoice::Onet,
                &params,
                10,
            )
        })
    });
    let titles = skillgap_core::SearchIndex::new(&catalog.occupations);
    c.bench_function("search/software_dev", |b| {
        b.iter(|| titles.search(&catalog.occupations, black_box("software dev"), 20))
    });
    c.bench_function("catalog/build_from_29_0", |b| {
        b.iter(|| {
            Catalog::build(
                Some(release.version.clone()),
                black_box(release),
                &HashMap::new(),
            )
        })
    });
}

criterion_group!(benches, engine);
criterion_main!(benches);
