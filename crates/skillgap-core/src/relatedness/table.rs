//! The dense pair table: every component for every pair of ranked occupations, held as `n × n`
//! matrices. Tuning re-blends it under other weights without recomputing anything; the product
//! never builds it ([`Relatedness::build`] streams), and a test holds the two builds equal.

use super::component::{Component, N, TextWeights, Weights};
use super::features::{Features, Moments, blend, features, keep_best};
use super::input::RelatednessInput;
use super::ranked::{Neighbour, Relatedness, neighbour_count};
use crate::SocCode;
use crate::text::all_pairs;

/// Every component for every pair of ranked occupations, held densely: what tuning re-blends
/// under other weights without recomputing anything.
#[derive(Clone, Debug)]
pub struct PairTable {
    codes: Vec<SocCode>,
    features: Vec<Features>,
    /// Per component: `n × n` row-major values (NaN where absent).
    matrices: Vec<Vec<f32>>,
    /// Per component: mean and standard deviation over all pairs that have it.
    scale: [(f32, f32); N],
}

impl PairTable {
    /// Computes every component for every pair of the occupations that have tasks.
    pub fn build(inputs: &[RelatednessInput], text: &TextWeights) -> Self {
        let features = features(inputs, text);
        let n = features.len();
        let mut matrices = Vec::with_capacity(N);
        for c in Component::ALL {
            let m = match c {
                Component::Titles => all_pairs(
                    &features
                        .iter()
                        .map(|f| f.titles.clone())
                        .collect::<Vec<_>>(),
                ),
                Component::Tasks => {
                    all_pairs(&features.iter().map(|f| f.tasks.clone()).collect::<Vec<_>>())
                }
                _ => {
                    let mut m = vec![f32::NAN; n * n];
                    for a in 0..n {
                        for b in a..n {
                            if let Some(v) = features[a].component(&features[b], c) {
                                m[a * n + b] = v;
                                m[b * n + a] = v;
                            }
                        }
                    }
                    m
                }
            };
            matrices.push(m);
        }
        let mut scale = [(0.0, 1.0); N];
        for (s, m) in scale.iter_mut().zip(&matrices) {
            let mut moments = Moments::default();
            for a in 0..n {
                for &v in &m[a * n + a + 1..(a + 1) * n] {
                    moments.add(v);
                }
            }
            *s = moments.scale();
        }
        Self {
            codes: features.iter().map(|f| f.code).collect(),
            features,
            matrices,
            scale,
        }
    }

    /// The ranked occupations, by code; indexes of the other methods refer to this order.
    pub fn codes(&self) -> &[SocCode] {
        &self.codes
    }

    /// The raw value of one component for the pair `(a, b)`, if both have it.
    pub fn component(&self, c: Component, a: usize, b: usize) -> Option<f32> {
        let v = self.value(c, a, b);
        (!v.is_nan()).then_some(v)
    }

    fn value(&self, c: Component, a: usize, b: usize) -> f32 {
        self.matrices[c.index()][a * self.codes.len() + b]
    }

    /// Mean and standard deviation of a component over all pairs.
    pub fn scale(&self, c: Component) -> (f32, f32) {
        self.scale[c.index()]
    }

    /// The score of `(a, b)` under `weights`.
    pub fn score(&self, weights: &Weights, a: usize, b: usize) -> f32 {
        blend(
            weights,
            &self.scale,
            Component::ALL.map(|c| self.value(c, a, b)),
        )
    }

    /// The `k` occupations closest to `a` under `weights`, best first (ties by code), `a`
    /// itself excluded, as `(index, score)`.
    pub fn closest(&self, weights: &Weights, a: usize, k: usize) -> Vec<(usize, f32)> {
        let mut row: Vec<(usize, f32)> = (0..self.codes.len())
            .filter(|&b| b != a)
            .map(|b| (b, self.score(weights, a, b)))
            .collect();
        keep_best(&mut row, k);
        row
    }

    /// Blends the table under `weights` and keeps the [`super::NEIGHBOURS`] closest per occupation,
    /// with their components.
    pub fn into_relatedness(self, weights: Weights) -> Relatedness {
        let k = neighbour_count(self.codes.len());
        let neighbours = (0..self.codes.len())
            .flat_map(|a| {
                self.closest(&weights, a, k)
                    .into_iter()
                    .map(move |(b, score)| (a, b, score))
            })
            .map(|(a, b, score)| Neighbour {
                index: b as u32,
                score,
                components: Component::ALL.map(|c| self.value(c, a, b)),
            })
            .collect();
        Relatedness::assemble(self.features, self.scale, weights, neighbours)
    }
}
