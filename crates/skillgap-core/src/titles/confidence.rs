//! Confidence: a logistic model of the ranking's own signals, read as the probability that a
//! result's SOC6 is right. Its coefficients were fitted (maximum likelihood) on the tuning file
//! by the example `tune_titles`; the features are below.

/// What the model sees of one result.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Features {
    /// The score over the first result's, in (0, 1].
    pub relative: f32,
    /// For the first result: how far ahead of the best other SOC6 it is, as a share of its
    /// score; 0 for the others.
    pub margin: f32,
    /// Share of the query's word weight the matched name has.
    pub query_cover: f32,
    /// Share of the matched name's words the query has.
    pub doc_cover: f32,
    /// The raw score.
    pub score: f32,
    /// Whether it is the first result.
    pub first: bool,
    /// Whether the evidence is a labelled title.
    pub labelled: bool,
    /// Whether its code was typed into the query.
    pub typed_code: bool,
}

impl Features {
    /// The feature vector (with the intercept first).
    pub(crate) fn vector(&self) -> [f64; 9] {
        [
            1.0,
            f64::from(self.relative),
            f64::from(self.margin),
            f64::from(self.query_cover),
            f64::from(self.doc_cover),
            f64::from(self.score).ln_1p(),
            f64::from(u8::from(self.first)),
            f64::from(u8::from(self.labelled)),
            f64::from(u8::from(self.typed_code)),
        ]
    }
}

/// Fitted on the tuning file by `tune_titles fit` (see the module's note), on the whole file
/// with the release only (no labelled titles, so the labelled flag's coefficient is 0).
/// The typed-code coefficient is set by hand (the file's titles carry no codes): a code typed
/// into the title is taken as near-certain.
pub(crate) const DEFAULT: [f64; 9] = [
    -5.934399790363642,
    0.6843893561866555,
    2.5781049313359574,
    0.14012593860840186,
    -0.4340310337420416,
    1.4671563927398596,
    0.6301457259771385,
    0.0,
    6.0,
];

/// Fitted by `tune_titles fit` on each half of the tuning file coded with the other half
/// loaded as labelled titles (the two fits averaged); the typed-code coefficient as above.
pub(crate) const LABELLED: [f64; 9] = [
    -5.9728962733902025,
    1.4023389500589956,
    2.9726956299438196,
    1.396085794329321,
    -0.4883459876126437,
    0.9860130370583943,
    0.18328095639438002,
    -0.5961442958213449,
    6.0,
];

/// The probability, always in [0, 1].
pub(crate) fn confidence(coefficients: &[f64; 9], f: &Features) -> f64 {
    let z: f64 = coefficients
        .iter()
        .zip(f.vector())
        .map(|(c, x)| c * x)
        .sum();
    let p = 1.0 / (1.0 + (-z).exp());
    if p.is_finite() {
        p.clamp(0.0, 1.0)
    } else {
        0.0
    }
}
