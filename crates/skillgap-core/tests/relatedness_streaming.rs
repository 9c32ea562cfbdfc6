//! Relatedness on the real 29.0 release: the streaming build the product uses gives exactly
//! the figures of the dense pair table kept for tuning, and its byte encoding reads back to the
//! same answers.

use std::sync::OnceLock;

use skillgap_core::relatedness::{
    Component, NEIGHBOURS, Pair, PairTable, RelatednessInput, TextWeights, Weights,
};
use skillgap_core::{Catalog, Relatedness, SocCode};

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(skillgap_testkit::real_catalog)
}

/// A pair's figures as bits, so that equal means bit for bit (and NaN never sneaks in).
fn bits(p: &Pair) -> (SocCode, u32, [Option<u32>; 8]) {
    (
        p.occupation,
        p.score.to_bits(),
        Component::ALL.map(|c| p.components.get(c).map(f32::to_bits)),
    )
}

/// Every ranked occupation's full kept list, and pairs far down the ranking (every 37th
/// occupation against every 11th), as bits.
fn answers(r: &Relatedness) -> Vec<(SocCode, u32, [Option<u32>; 8])> {
    let mut out = Vec::new();
    for &a in r.codes() {
        out.extend(r.closest(a, NEIGHBOURS).iter().map(bits));
    }
    for &a in r.codes().iter().step_by(37) {
        for &b in r.codes().iter().step_by(11) {
            out.extend(r.pair(a, b).as_ref().map(bits));
        }
    }
    out
}

#[test]
fn streaming_build_gives_the_dense_tables_figures_bit_for_bit() {
    let inputs = RelatednessInput::from_catalog(catalog());
    let dense = PairTable::build(&inputs, &TextWeights::default());
    let streamed = Relatedness::build(&inputs);

    // Every occupation with tasks is ranked (923 in 29.0), with its full list.
    assert_eq!(streamed.codes(), dense.codes());
    assert_eq!(streamed.codes().len(), 923);
    for &a in streamed.codes() {
        assert_eq!(streamed.closest(a, usize::MAX).len(), NEIGHBOURS, "{a}");
    }
    for c in Component::ALL {
        let (d, s) = (dense.scale(c), streamed.scale(c));
        assert_eq!(
            (d.0.to_bits(), d.1.to_bits()),
            (s.0.to_bits(), s.1.to_bits()),
            "{}: dense {d:?}, streamed {s:?}",
            c.as_str()
        );
    }

    let expected = dense.into_relatedness(Weights::default());
    for &a in streamed.codes() {
        let (want, got) = (
            expected.closest(a, NEIGHBOURS),
            streamed.closest(a, NEIGHBOURS),
        );
        let diverges = want.iter().zip(&got).position(|(w, g)| bits(w) != bits(g));
        assert!(
            diverges.is_none(),
            "{a}: the lists part at rank {diverges:?}: dense {:?}, streamed {:?}",
            diverges.map(|i| want[i]),
            diverges.map(|i| got[i])
        );
    }
    assert!(answers(&expected) == answers(&streamed));
}

#[test]
fn encoded_relatedness_reads_back_to_the_same_answers() {
    let built = Relatedness::build(&RelatednessInput::from_catalog(catalog()));
    let bytes = built.to_bytes();
    let read = Relatedness::from_bytes(&bytes).unwrap();

    assert!(answers(&read) == answers(&built));
    assert_eq!(read.weights(), built.weights());
    for c in Component::ALL {
        assert_eq!(read.scale(c), built.scale(c));
    }
    // Writing what was read gives the same bytes: nothing is lost or reordered.
    assert!(read.to_bytes() == bytes);

    // A cut anywhere is refused, not half-read.
    for cut in [0, 7, 100, bytes.len() / 2, bytes.len() - 1] {
        assert!(
            Relatedness::from_bytes(&bytes[..cut]).is_err(),
            "cut at {cut}"
        );
    }
}
