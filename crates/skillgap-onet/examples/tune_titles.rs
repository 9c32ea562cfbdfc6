//! Measures and tunes the job-title coder against employer-coded titles
//! (`../shared/titles/employer_coded_train.csv`: `title`, `soc_codes`).
//!
//! ```text
//! cargo run -p skillgap-onet --example tune_titles -- \
//!     ../shared/onet/db_29_0_text ../shared/titles/employer_coded_train.csv [tune|fit]
//! ```
//!
//! Always: the figures of the default tuning on the whole file (release only), the fair estimate
//! (the file split in two halves by a hash of the lower-cased title: measured on each half, with
//! the release only and with the other half loaded as labelled titles), build time and per-query
//! latency. `tune` searches the ranking's parameters on one half and reports them on the other;
//! `tune-labelled` searches the labelled titles' knobs inside half A (each quarter coded with
//! the other loaded); `fit` fits the confidence models (logistic regression, release only and
//! with labelled titles) on one half and reports calibration on the other. `eval-a` shows half
//! A's figures only, `stats` how the first and the right answer matched, `misses` and
//! `misses-labelled` a sample of titles; `TUNE_SET=knob=value,…` overrides knobs for a run.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use skillgap_core::titles::{
    LabelledRow, LabelledTitle, TitleEvaluation, TitleIndex, Tuning, evaluate, parse_labelled, soc6,
};
use skillgap_core::{Catalog, OccupationEntry, SilentProgress};
use skillgap_onet::{LoadOptions, ReleaseSource, read_release};

fn hash(title: &str) -> u64 {
    // FNV-1a of the lower-cased title.
    let mut h: u64 = 0xcbf29ce484222325;
    for b in title.to_lowercase().bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

fn half(title: &str) -> bool {
    hash(title).is_multiple_of(2)
}

/// The second bit of the same hash: splits a half in two again, for tuning the labelled
/// knobs inside one half (one quarter coded with the other loaded, and back).
fn quarter(title: &str) -> bool {
    (hash(title) >> 1).is_multiple_of(2)
}

fn labelled(rows: &[LabelledRow]) -> Vec<LabelledTitle> {
    rows.iter()
        .map(|r| LabelledTitle {
            title: r.title.clone(),
            codes: r.codes.clone(),
            source: "employer_coded_train.csv".into(),
        })
        .collect()
}

fn show(name: &str, e: &TitleEvaluation) {
    println!(
        "{name:<44} n={:<5} code top1 {:5.1}% top5 {:5.1}% | SOC6 top1 {:5.1}% top5 {:5.1}% | empty {:.2}% | conf>=0.8: {} right {}",
        e.titles,
        100.0 * e.top1_code,
        100.0 * e.top5_code,
        100.0 * e.top1_soc6,
        100.0 * e.top5_soc6,
        100.0 * e.empty_rate,
        e.confident,
        e.confident_right
            .map_or("-".into(), |r| format!("{:.1}%", 100.0 * r)),
    );
}

fn calibration(e: &TitleEvaluation) {
    for b in &e.calibration {
        println!(
            "    [{:.1},{:.1}) answers {:5} right {:>6} mean confidence {:>6}",
            b.from,
            b.to,
            b.answers,
            b.share_right
                .map_or("-".into(), |r| format!("{:.1}%", 100.0 * r)),
            b.mean_confidence.map_or("-".into(), |r| format!("{r:.3}")),
        );
    }
}

fn run(
    occ: &[OccupationEntry],
    train: &[LabelledRow],
    test: &[LabelledRow],
    tuning: &Tuning,
    with_labels: bool,
) -> TitleEvaluation {
    let l = if with_labels {
        labelled(train)
    } else {
        Vec::new()
    };
    let index = TitleIndex::build(occ, l, tuning.clone());
    evaluate(&index, occ, test)
}

/// Objective: SOC6 top-1 plus half of top-5.
fn objective(e: &TitleEvaluation) -> f64 {
    e.top1_soc6 + 0.5 * e.top5_soc6
}

type Knob = (&'static str, fn(&mut Tuning) -> &mut f32, &'static [f32]);

/// Coordinate search of `knobs` on `score`, `rounds` times over.
fn search(
    start: Tuning,
    knobs: &[Knob],
    rounds: usize,
    mut score: impl FnMut(&Tuning) -> f64,
) -> Tuning {
    let mut best = start;
    let mut best_score = score(&best);
    println!("start objective {best_score:.4}");
    for round in 0..rounds {
        for (name, get, values) in knobs {
            for &v in *values {
                let mut t = best.clone();
                *get(&mut t) = v;
                let s = score(&t);
                if s > best_score + 1e-9 {
                    best_score = s;
                    best = t;
                    println!("round {round} {name} = {v}: {best_score:.4}");
                }
            }
        }
    }
    println!("tuned: {best:?}");
    best
}

fn tune(
    occ: &[OccupationEntry],
    rows: &[LabelledRow],
    start: Tuning,
    with: &[LabelledRow],
) -> Tuning {
    let mut index = TitleIndex::build(occ, labelled(with), start.clone());
    let score = |t: &Tuning| {
        index.set_tuning(t.clone());
        objective(&evaluate(&index, occ, rows))
    };
    let knobs: &[Knob] = &[
        ("exact", |t| &mut t.exact, &[1.0, 1.25, 1.5, 2.0, 3.0]),
        ("k1", |t| &mut t.k1, &[0.4, 0.6, 0.9, 1.2]),
        ("b", |t| &mut t.b, &[0.1, 0.3, 0.5]),
        ("title", |t| &mut t.fields[0], &[1.2, 1.5, 2.0, 2.5]),
        ("reported", |t| &mut t.fields[2], &[0.8, 1.0, 1.2, 1.5]),
        ("short", |t| &mut t.fields[3], &[0.5, 0.8, 1.0]),
        ("task", |t| &mut t.task, &[0.0, 0.02, 0.05, 0.1, 0.2]),
        ("tail", |t| &mut t.tail, &[0.0, 0.15, 0.3, 0.5]),
        ("head", |t| &mut t.head, &[1.0, 1.25, 1.5, 2.0, 3.0]),
        ("bigram", |t| &mut t.bigram, &[0.0, 0.25, 0.5, 1.0]),
        (
            "doc_cover",
            |t| &mut t.doc_cover,
            &[0.0, 0.5, 1.0, 1.5, 2.0],
        ),
        ("soc6", |t| &mut t.soc6, &[0.0, 0.05, 0.1, 0.2, 0.3]),
        ("typo", |t| &mut t.typo, &[0.5, 0.8, 1.0]),
        ("others", |t| &mut t.others, &[0.0, 0.05, 0.1, 0.2, 0.4]),
        ("prior", |t| &mut t.prior, &[0.0, 0.1, 0.2, 0.4, 0.8]),
        (
            "title_share",
            |t| &mut t.title_share,
            &[0.0, 0.1, 0.2, 0.3, 0.5, 0.8],
        ),
    ];
    search(start, knobs, 1, score)
}

/// Tunes the knobs that weigh labelled titles on `rows` alone: each quarter of it coded with
/// the other quarter loaded as labelled titles.
fn tune_labelled(occ: &[OccupationEntry], rows: &[LabelledRow], start: Tuning) -> Tuning {
    let (p, q): (Vec<LabelledRow>, Vec<LabelledRow>) =
        rows.iter().cloned().partition(|r| quarter(&r.title));
    let mut ip = TitleIndex::build(occ, labelled(&q), start.clone());
    let mut iq = TitleIndex::build(occ, labelled(&p), start.clone());
    let knobs: &[Knob] = &[
        ("labelled", |t| &mut t.fields[4], &[1.0, 1.5, 2.0, 3.0, 4.0]),
        ("vote", |t| &mut t.vote, &[0.0, 0.1, 0.15, 0.25, 0.35, 0.5]),
        ("exact", |t| &mut t.exact, &[1.0, 1.25, 1.5, 2.0]),
        ("doc_cover", |t| &mut t.doc_cover, &[0.5, 1.0, 1.5, 2.0]),
        ("soc6", |t| &mut t.soc6, &[0.0, 0.05, 0.1, 0.2]),
    ];
    search(start, knobs, 2, |t| {
        ip.set_tuning(t.clone());
        iq.set_tuning(t.clone());
        let ep = evaluate(&ip, occ, &p);
        let eq = evaluate(&iq, occ, &q);
        (objective(&ep) * p.len() as f64 + objective(&eq) * q.len() as f64)
            / (p.len() + q.len()) as f64
    })
}

/// Logistic regression (gradient ascent on standardised features) of "the SOC6 is right" on the
/// signals of the first five results.
fn fit(
    occ: &[OccupationEntry],
    train: &[LabelledRow],
    tuning: &Tuning,
    with: &[LabelledRow],
) -> [f64; 9] {
    let index = TitleIndex::build(occ, labelled(with), tuning.clone());
    let mut xs: Vec<[f64; 9]> = Vec::new();
    let mut ys: Vec<f64> = Vec::new();
    for r in train {
        let socs: Vec<&str> = r.codes.iter().map(|c| soc6(c)).collect();
        for res in index.code(occ, &r.title, 5).results {
            xs.push(res.signals);
            let c = occ[res.occupation].occupation.code.as_str();
            ys.push(f64::from(u8::from(socs.contains(&soc6(c)))));
        }
    }
    let n = xs.len() as f64;
    let mut mean = [0.0; 9];
    let mut sd = [1.0; 9];
    for j in 1..9 {
        mean[j] = xs.iter().map(|x| x[j]).sum::<f64>() / n;
        let v = xs.iter().map(|x| (x[j] - mean[j]).powi(2)).sum::<f64>() / n;
        sd[j] = if v > 1e-12 { v.sqrt() } else { 1.0 };
    }
    let z: Vec<[f64; 9]> = xs
        .iter()
        .map(|x| {
            let mut o = [1.0; 9];
            for j in 1..9 {
                o[j] = (x[j] - mean[j]) / sd[j];
            }
            o
        })
        .collect();
    let mut w = [0.0f64; 9];
    for _ in 0..3000 {
        let mut g = [0.0; 9];
        for (x, y) in z.iter().zip(&ys) {
            let p = 1.0 / (1.0 + (-(0..9).map(|j| w[j] * x[j]).sum::<f64>()).exp());
            for j in 0..9 {
                g[j] += (y - p) * x[j];
            }
        }
        for j in 0..9 {
            w[j] += 0.5 * g[j] / n - 1e-4 * w[j] * f64::from(u8::from(j > 0));
        }
    }
    // Back to the raw features.
    let mut raw = [0.0; 9];
    raw[0] = w[0];
    for j in 1..9 {
        raw[j] = w[j] / sd[j];
        raw[0] -= w[j] * mean[j] / sd[j];
    }
    println!("confidence coefficients: {raw:?}");
    raw
}

fn latency(occ: &[OccupationEntry], index: &TitleIndex, rows: &[LabelledRow]) {
    let mut times: Vec<f64> = Vec::with_capacity(rows.len());
    for r in rows {
        let t = Instant::now();
        std::hint::black_box(index.code(occ, &r.title, 10));
        times.push(t.elapsed().as_secs_f64() * 1e6);
    }
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    println!(
        "per query (limit 10, {} titles): p50 {:.0} µs, p99 {:.0} µs, max {:.0} µs",
        times.len(),
        at(0.5),
        at(0.99),
        at(1.0)
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(args.first().expect("O*NET release directory"));
    let file = args.get(1).expect("labelled titles CSV");
    let mode = args.get(2).map(String::as_str).unwrap_or("");
    let release = read_release(
        &ReleaseSource::Dir(dir),
        &LoadOptions::default(),
        &SilentProgress,
    )
    .expect("a release")
    .release;
    let catalog = Catalog::build(Some(release.version.clone()), &release, &HashMap::new());
    let occ = &catalog.occupations;
    let text = std::fs::read_to_string(file).expect("the CSV");
    let rows = parse_labelled(&text).expect("a labelled-titles file");
    let (a, b): (Vec<LabelledRow>, Vec<LabelledRow>) =
        rows.iter().cloned().partition(|r| half(&r.title));
    println!(
        "{} titles: halves of {} and {}",
        rows.len(),
        a.len(),
        b.len()
    );

    let mut tuning = Tuning::default();
    // `TUNE_SET=vote=0.3,knn=0.5`: try knob values without a rebuild.
    if let Ok(set) = std::env::var("TUNE_SET") {
        for kv in set.split(',').filter(|s| !s.is_empty()) {
            let (k, v) = kv.split_once('=').expect("knob=value");
            let v: f32 = v.parse().expect("a number");
            let slot = match k {
                "k1" => &mut tuning.k1,
                "b" => &mut tuning.b,
                "title" => &mut tuning.fields[0],
                "alternate" => &mut tuning.fields[1],
                "reported" => &mut tuning.fields[2],
                "short" => &mut tuning.fields[3],
                "labelled" => &mut tuning.fields[4],
                "task" => &mut tuning.task,
                "tail" => &mut tuning.tail,
                "head" => &mut tuning.head,
                "bigram" => &mut tuning.bigram,
                "doc_cover" => &mut tuning.doc_cover,
                "soc6" => &mut tuning.soc6,
                "exact" => &mut tuning.exact,
                "others" => &mut tuning.others,
                "prior" => &mut tuning.prior,
                "vote" => &mut tuning.vote,
                "title_share" => &mut tuning.title_share,
                "knn" => &mut tuning.knn,
                "knn_k" => &mut tuning.knn_k,
                "knn_p" => &mut tuning.knn_p,
                _ => panic!("unknown knob {k}"),
            };
            *slot = v;
        }
    }
    if mode == "build-time" {
        // Ten builds: the fastest and the median, steadier than one on a busy machine.
        let mut ms: Vec<f64> = (0..10)
            .map(|_| {
                let started = Instant::now();
                let index =
                    std::hint::black_box(TitleIndex::build(occ, Vec::new(), tuning.clone()));
                // The index lives as long as its catalog: its drop is no part of the build.
                let ms = started.elapsed().as_secs_f64() * 1e3;
                drop(index);
                ms
            })
            .collect();
        ms.sort_by(f64::total_cmp);
        println!(
            "index build (release only), 10 runs: min {:.1} ms, median {:.1} ms",
            ms[0], ms[5]
        );
        return;
    }
    if mode == "stats" {
        // Half A, release only: for titles whose right SOC6 is 2nd to 5th, how the first and
        // the right one matched.
        let index = TitleIndex::build(occ, Vec::new(), tuning.clone());
        let mut kinds: HashMap<String, usize> = HashMap::new();
        for r in &a {
            let socs: Vec<&str> = r.codes.iter().map(|c| soc6(c)).collect();
            let res = index.code(occ, &r.title, 5).results;
            let Some(pos) = res
                .iter()
                .position(|x| socs.contains(&soc6(occ[x.occupation].occupation.code.as_str())))
            else {
                *kinds.entry("not in top 5".into()).or_default() += 1;
                continue;
            };
            if pos == 0 {
                *kinds.entry("first".into()).or_default() += 1;
                continue;
            }
            let (f, g) = (&res[0], &res[pos]);
            let same = f.matched.title.to_lowercase() == g.matched.title.to_lowercase();
            let key = format!(
                "{} vs {} same name {} ratio {:.1}",
                f.matched.field.as_str(),
                g.matched.field.as_str(),
                same,
                (g.score / f.score * 10.0).floor() / 10.0
            );
            *kinds.entry(key).or_default() += 1;
        }
        let mut v: Vec<_> = kinds.into_iter().collect();
        v.sort_by_key(|y| std::cmp::Reverse(y.1));
        for (k, n) in v.iter().take(30) {
            println!("{n:5} {k}");
        }
        return;
    }
    if mode == "eval-a" {
        // Half A only: release only, and each quarter coded with the other loaded.
        let (p, q): (Vec<LabelledRow>, Vec<LabelledRow>) =
            a.iter().cloned().partition(|r| quarter(&r.title));
        show("half A, release only", &run(occ, &[], &a, &tuning, false));
        show("quarter P, Q labelled", &run(occ, &q, &p, &tuning, true));
        show("quarter Q, P labelled", &run(occ, &p, &q, &tuning, true));
        return;
    }
    if mode == "query" {
        let index = TitleIndex::build(occ, Vec::new(), tuning.clone());
        for q in &args[3..] {
            let coded = index.code(occ, q, 5);
            println!("{q}: corrected {:?}", coded.corrected);
            for x in coded.results {
                println!(
                    "  {} {} {:.2} conf {:.2} [{} “{}” {:?}]",
                    occ[x.occupation].occupation.code.as_str(),
                    occ[x.occupation].occupation.title,
                    x.score,
                    x.confidence,
                    x.matched.field.as_str(),
                    x.matched.title,
                    x.matched.words
                );
            }
        }
        return;
    }
    if mode == "misses" || mode == "misses-labelled" {
        // `misses-labelled`: half B coded with half A loaded.
        let (index, shown_rows) = if mode == "misses" {
            (TitleIndex::build(occ, Vec::new(), tuning.clone()), &rows)
        } else {
            (TitleIndex::build(occ, labelled(&a), tuning.clone()), &b)
        };
        for r in shown_rows.iter().step_by(17) {
            let socs: Vec<&str> = r.codes.iter().map(|c| soc6(c)).collect();
            let res = index.code(occ, &r.title, 3).results;
            let ok = res
                .first()
                .is_some_and(|x| socs.contains(&soc6(occ[x.occupation].occupation.code.as_str())));
            let shown: Vec<String> = res
                .iter()
                .map(|x| {
                    format!(
                        "{} {:.2} [{} “{}”]",
                        occ[x.occupation].occupation.code.as_str(),
                        x.confidence,
                        x.matched.field.as_str(),
                        x.matched.title
                    )
                })
                .collect();
            let want: Vec<String> = r
                .codes
                .iter()
                .map(|c| {
                    let t = occ
                        .iter()
                        .find(|o| soc6(o.occupation.code.as_str()) == soc6(c))
                        .map_or("?", |o| o.occupation.title.as_str());
                    format!("{c} {t}")
                })
                .collect();
            println!(
                "{} {} | want {} | got {}",
                if ok { "OK  " } else { "MISS" },
                r.title,
                want.join(";"),
                shown.join(" · ")
            );
        }
        return;
    }
    if mode == "tune" || mode == "tune-fair" {
        println!("== tuned on half A, measured on half B (release only)");
        let ta = tune(occ, &a, tuning.clone(), &[]);
        show("half B, tuned on A", &run(occ, &[], &b, &ta, false));
        if mode == "tune" {
            println!("== tuned on the whole file");
            tuning = tune(occ, &rows, ta, &[]);
        } else {
            tuning = ta;
        }
    }
    if mode == "tune-labelled" {
        println!("== labelled knobs tuned inside half A, measured on half B with A labelled");
        tuning = tune_labelled(occ, &a, tuning.clone());
    }
    if mode == "fit" {
        println!(
            "== confidence fitted on A, checked on B (release only, and with the other half labelled)"
        );
        let mut t = tuning.clone();
        t.confidence = fit(occ, &a, &tuning, &[]);
        t.confidence_labelled = fit(occ, &a, &tuning, &b);
        let e = run(occ, &[], &b, &t, false);
        show("half B, confidence fitted on A", &e);
        calibration(&e);
        let e = run(occ, &a, &b, &t, true);
        show("half B, A labelled, fitted on A (B labelled)", &e);
        calibration(&e);
        println!(
            "== fitted on the whole file, release only, and on each half with the other labelled"
        );
        tuning.confidence = fit(occ, &rows, &tuning, &[]);
        let fa = fit(occ, &a, &tuning, &b);
        let fb = fit(occ, &b, &tuning, &a);
        // The two halves' models averaged, weighted by their sizes.
        let (na, nb) = (a.len() as f64, b.len() as f64);
        for j in 0..9 {
            tuning.confidence_labelled[j] = (fa[j] * na + fb[j] * nb) / (na + nb);
        }
        // A code typed into the title stays near-certain (the file's titles carry none).
        tuning.confidence[8] = 6.0;
        tuning.confidence_labelled[8] = 6.0;
        println!("confidence: {:?}", tuning.confidence);
        println!("confidence_labelled: {:?}", tuning.confidence_labelled);
    }
    let started = Instant::now();
    let index = TitleIndex::build(occ, Vec::new(), tuning.clone());
    println!(
        "index build (release only): {:.1} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    let started = Instant::now();
    let with = TitleIndex::build(occ, labelled(&rows), tuning.clone());
    println!(
        "index build (with {} labelled): {:.1} ms",
        rows.len(),
        started.elapsed().as_secs_f64() * 1e3
    );
    latency(occ, &index, &rows);
    latency(occ, &with, &rows);

    let all = evaluate(&index, occ, &rows);
    show("whole file, release only", &all);
    calibration(&all);
    let eb = run(occ, &[], &b, &tuning, false);
    let ea = run(occ, &[], &a, &tuning, false);
    show("half A, release only", &ea);
    show("half B, release only", &eb);
    let lb = run(occ, &a, &b, &tuning, true);
    let la = run(occ, &b, &a, &tuning, true);
    show("half B, half A labelled", &lb);
    calibration(&lb);
    show("half A, half B labelled", &la);
}
