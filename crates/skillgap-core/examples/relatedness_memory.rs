//! Time and memory of building relatedness on the real 29.0 release.
//!
//! ```text
//! cargo build --release -p skillgap-core --example relatedness_memory
//! /usr/bin/time -v target/release/examples/relatedness_memory [release|catalog|relatedness]
//! heaptrack target/release/examples/relatedness_memory relatedness
//! ```
//!
//! `release` reads the release only; `catalog` also builds the catalog (which builds
//! relatedness); `relatedness` (the default) then builds relatedness once more on its own,
//! reports its time and the resident set around it, encodes it and reads it back (timed), and
//! leaks the value on purpose, so that heaptrack's "memory leaked" is what the value keeps.

use std::collections::HashMap;
use std::sync::OnceLock;
use std::time::Instant;

use skillgap_core::relatedness::RelatednessInput;
use skillgap_core::{Catalog, Relatedness, SilentProgress};
use skillgap_onet::{LoadOptions, ReleaseSource, read_release};

/// `VmRSS` and `VmHWM` of this process, in MiB (0 where `/proc` is not there).
fn rss() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Prints a phase's time, the resident set and its peak, and when the phase ended (seconds
/// since the process began, to find the phase in a heap profile's timeline).
fn report(label: &str, started: Instant) {
    static BEGAN: OnceLock<Instant> = OnceLock::new();
    let began = *BEGAN.get_or_init(|| started);
    let (now, peak) = rss();
    println!(
        "{label:<28} {:>8.1} ms   rss {now:>6.1} MiB   peak {peak:>6.1} MiB   ends at {:.3} s",
        started.elapsed().as_secs_f64() * 1000.0,
        began.elapsed().as_secs_f64()
    );
}

fn main() {
    let mode = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "relatedness".into());
    let started = Instant::now();
    let release = read_release(
        &ReleaseSource::Dir(skillgap_testkit::onet_dir()),
        &LoadOptions::default(),
        &SilentProgress,
    )
    .expect("the real release parses")
    .release;
    report("read release", started);
    if mode == "release" {
        return;
    }
    let started = Instant::now();
    let catalog = Catalog::build(Some(release.version.clone()), &release, &HashMap::new());
    report("catalog (with relatedness)", started);
    if mode == "catalog" {
        return;
    }
    let inputs = RelatednessInput::from_catalog(&catalog);
    let (before, _) = rss();
    // Writing 5 resets the peak to the current resident set (Linux 4.0+).
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let started = Instant::now();
    let built = Relatedness::build(&inputs);
    report("relatedness alone", started);
    let (after, peak) = rss();
    println!(
        "relatedness: {} occupations; peak {:.1} MiB above the resident set before the build, \
         {:.1} MiB still resident after it",
        built.codes().len(),
        peak - before,
        after - before
    );
    let started = Instant::now();
    let bytes = built.to_bytes();
    report("encode", started);
    let started = Instant::now();
    let read = Relatedness::from_bytes(&bytes).expect("reads back");
    report("decode", started);
    println!(
        "encoded: {} bytes ({:.2} MiB) for {} occupations",
        bytes.len(),
        bytes.len() as f64 / 1048576.0,
        read.codes().len()
    );
    drop((read, bytes));
    std::mem::forget(built);
}
