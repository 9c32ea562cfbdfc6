//! Measures and tunes the relatedness ranking against an expert list of related occupations
//! (O*NET 30.0's `Related Occupations.txt`, or the tuning half of it).
//!
//! ```text
//! cargo run --release -p skillgap-onet --example tune_relatedness -- \
//!     ../shared/onet/db_29_0_text "../shared/onet/related_30_0_train/Related Occupations.txt" [tune]
//! ```
//!
//! Without `tune` it reports the default ranking, each component alone, and the build times.
//! With `tune` it also searches the blend weights: on the whole list, and as a 2-fold
//! cross-validation (sources split by a hash of their code; tune on one half, measure on the other).

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::Instant;

use skillgap_core::evaluation::{Evaluation, evaluate};
use skillgap_core::relatedness::{Component, PairTable, RelatednessInput, TextWeights, Weights};
use skillgap_core::{Catalog, RelatedOccupation, Relatedness, SilentProgress, SocCode};
use skillgap_onet::{LoadOptions, ReleaseSource, read_related, read_release};

fn eval(table: &PairTable, w: &Weights, expert: &[RelatedOccupation]) -> Evaluation {
    let index: HashMap<SocCode, usize> = table
        .codes()
        .iter()
        .enumerate()
        .map(|(i, c)| (*c, i))
        .collect();
    evaluate(expert, |s| {
        let a = *index.get(&s)?;
        Some(
            table
                .closest(w, a, 20)
                .into_iter()
                .map(|(b, _)| table.codes()[b]),
        )
    })
}

fn show(label: &str, e: &Evaluation) {
    println!(
        "{label:<44} overlap@10 {:.3}  overlap@5 {:.3}  recall@20 {:.3}  ({} of {} sources ranked)",
        e.overlap_at_10, e.overlap_at_5, e.recall_at_20, e.ranked, e.sources
    );
}

/// The fold of a source: a fixed hash of its code (FNV-1a), so the split never changes.
fn fold(code: SocCode) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for b in code.as_str().bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    (h & 1) as usize
}

/// Coordinate search on the weights (titles fixed at 1: only ratios matter), maximising mean
/// overlap@10 with recall@20 as a tie-breaker.
fn tune(table: &PairTable, expert: &[RelatedOccupation], start: Weights) -> Weights {
    let free: Vec<Component> = Component::ALL
        .into_iter()
        .filter(|c| *c != Component::Titles && start.get(*c) > 0.0)
        .collect();
    let objective = |w: &Weights| {
        let e = eval(table, w, expert);
        e.overlap_at_10 + 0.5 * e.recall_at_20
    };
    let mut best = start;
    let mut best_value = objective(&best);
    for step in [2.0f32, 1.4, 1.15] {
        loop {
            let mut improved = false;
            for &c in &free {
                for factor in [step, 1.0 / step] {
                    let mut w = best;
                    w.set(c, (best.get(c) * factor).clamp(0.01, 20.0));
                    let v = objective(&w);
                    if v > best_value + 1e-9 {
                        best = w;
                        best_value = v;
                        improved = true;
                    }
                }
            }
            if !improved {
                break;
            }
        }
    }
    best
}

fn weights_text(w: &Weights) -> String {
    Component::ALL
        .into_iter()
        .filter(|c| w.get(*c) > 0.0)
        .map(|c| format!("{}={:.3}", c.as_str(), w.get(c)))
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let release_dir = PathBuf::from(
        args.first()
            .expect("usage: RELEASE_DIR RELATED_FILE [tune]"),
    );
    let related = PathBuf::from(args.get(1).expect("usage: RELEASE_DIR RELATED_FILE [tune]"));
    let do_tune = args.iter().any(|a| a == "tune");

    let release = read_release(
        &ReleaseSource::Dir(release_dir),
        &LoadOptions::default(),
        &SilentProgress,
    )
    .expect("read release")
    .release;
    let catalog = Catalog::build(Some(release.version.clone()), &release, &HashMap::new());
    let known: HashSet<SocCode> = catalog
        .occupations
        .iter()
        .map(|e| e.occupation.code)
        .collect();
    let expert = read_related(&related, Some(&known)).unwrap_or_else(|e| panic!("{e}"));
    // The catalog's own inputs (titles with alternate and short titles), as the service ranks.
    let inputs = RelatednessInput::from_catalog(&catalog);

    // The product builds relatedness streaming; tuning needs every pair at hand, so it holds
    // the dense table (the same figures: see skillgap-core's tests/relatedness_streaming.rs).
    let started = Instant::now();
    let relatedness = Relatedness::build(&inputs);
    let streamed = started.elapsed();
    let started = Instant::now();
    let table = PairTable::build(&inputs, &TextWeights::default());
    println!(
        "{} occupations: relatedness (top {}, streaming) in {:.0} ms; dense pair table for tuning in {:.0} ms",
        table.codes().len(),
        skillgap_core::relatedness::NEIGHBOURS,
        streamed.as_secs_f64() * 1000.0,
        started.elapsed().as_secs_f64() * 1000.0,
    );
    for c in Component::ALL {
        let (m, sd) = table.scale(c);
        println!("  {:<16} mean {m:.3} sd {sd:.3}", c.as_str());
    }

    show(
        "default weights",
        &eval(&table, &Weights::default(), &expert),
    );
    show(
        "default weights, as the product ranks",
        &evaluate(&expert, |s| {
            relatedness
                .contains(s)
                .then(|| relatedness.closest_codes(s).take(20).map(|(c, _)| c))
        }),
    );
    drop(relatedness);
    for c in Component::ALL {
        let mut w = Weights([0.0; 8]);
        w.set(c, 1.0);
        show(&format!("{} alone", c.as_str()), &eval(&table, &w, &expert));
    }

    if do_tune {
        let start = Weights::default();
        let whole = tune(&table, &expert, start);
        println!("tuned on all sources: {}", weights_text(&whole));
        show(
            "  all sources (tuned on them)",
            &eval(&table, &whole, &expert),
        );
        let halves: [Vec<RelatedOccupation>; 2] = [0, 1].map(|f| {
            expert
                .iter()
                .filter(|r| fold(r.occupation) == f)
                .copied()
                .collect()
        });
        let mut held = Vec::new();
        for f in 0..2 {
            let w = tune(&table, &halves[f], start);
            let e = eval(&table, &w, &halves[1 - f]);
            println!(
                "fold {f}: tuned on {} sources: {}",
                halves[f].len() / 20,
                weights_text(&w)
            );
            show(
                &format!("  measured on the other {} sources", e.sources),
                &e,
            );
            held.push(e);
        }
        let n: usize = held.iter().map(|e| e.sources).sum();
        let mean = |f: fn(&Evaluation) -> f64| {
            held.iter().map(|e| f(e) * e.sources as f64).sum::<f64>() / n as f64
        };
        println!(
            "2-fold held-out: overlap@10 {:.3}  overlap@5 {:.3}  recall@20 {:.3}",
            mean(|e| e.overlap_at_10),
            mean(|e| e.overlap_at_5),
            mean(|e| e.recall_at_20)
        );
        for (f, half) in halves.iter().enumerate() {
            show(
                &format!("default weights on fold {f}"),
                &eval(&table, &Weights::default(), half),
            );
        }
    }
}
