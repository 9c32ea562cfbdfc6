//! The pair table: every component for every pair of ranked occupations, computed from each
//! occupation's features (title and task vectors, centred profiles, job zone, code), and the
//! blend of standardised components into one score.

use super::{Component, N, NEIGHBOURS, Relatedness, RelatednessInput, TextWeights, Weights};
use crate::code::SocCode;
use crate::profile::Cell;
use crate::text::{SparseVector, TfIdf, all_pairs};

/// Per-occupation features the components are computed from.
#[derive(Clone, Debug)]
pub(super) struct Features {
    code: SocCode,
    titles: SparseVector,
    tasks: SparseVector,
    /// Per component index (profiles only): a centred, unit-length importance vector.
    profiles: [Option<Box<[f32]>>; N],
    job_zone: Option<u8>,
}

impl Features {
    pub(super) fn component(&self, other: &Features, c: Component) -> Option<f32> {
        match c {
            Component::Titles => Some(self.titles.dot(&other.titles)),
            Component::Tasks => Some(self.tasks.dot(&other.tasks)),
            Component::JobZone => {
                let d = self.job_zone?.abs_diff(other.job_zone?);
                Some(1.0 - f32::from(d.min(4)) / 4.0)
            }
            Component::Family => Some(family(self.code, other.code)),
            _ => {
                let (a, b) = (
                    self.profiles[c.index()].as_ref()?,
                    other.profiles[c.index()].as_ref()?,
                );
                (a.len() == b.len()).then(|| correlation(a, b))
            }
        }
    }
}

/// The share of SOC levels two codes have in common: major group (`15`), minor group
/// (`15-12`), broad group (`15-125`), detailed occupation (`15-1252`), each a quarter.
pub(super) fn family(a: SocCode, b: SocCode) -> f32 {
    let (a, b) = (a.as_str().as_bytes(), b.as_str().as_bytes());
    let shared = [2, 5, 6, 7]
        .into_iter()
        .take_while(|&n| a[..n] == b[..n])
        .count();
    shared as f32 / 4.0
}

/// Maps a dot product of centred unit vectors (a correlation, −1 to 1) onto [0, 1].
pub(super) fn correlation(a: &[f32], b: &[f32]) -> f32 {
    let r: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    ((r + 1.0) / 2.0).clamp(0.0, 1.0)
}

/// A profile's importance values, centred and scaled to unit length, so that the dot product of
/// two is their Pearson correlation. `None` when a cell has no importance or all are equal.
pub(super) fn centred(cells: &[Cell]) -> Option<Box<[f32]>> {
    let v: Vec<f64> = cells.iter().map(|c| c.importance).collect::<Option<_>>()?;
    let mean = v.iter().sum::<f64>() / v.len() as f64;
    let norm = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>().sqrt();
    (norm > 0.0).then(|| v.iter().map(|x| ((x - mean) / norm) as f32).collect())
}

/// Every component for every pair of ranked occupations, held densely: what [`Relatedness`] is
/// blended from, and what tuning re-blends under other weights without recomputing anything.
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
        let mut ranked: Vec<&RelatednessInput> =
            inputs.iter().filter(|i| !i.tasks.is_empty()).collect();
        ranked.sort_by_key(|i| i.code);
        ranked.dedup_by_key(|i| i.code);
        let n = ranked.len();

        let mut titles = TfIdf::new();
        let mut tasks = TfIdf::new();
        for i in &ranked {
            titles.add(
                std::iter::once((i.title, text.main_title))
                    .chain(i.alternate_titles.iter().map(|t| (*t, 1.0))),
            );
            tasks.add(
                std::iter::once((i.description, text.description)).chain(
                    i.tasks
                        .iter()
                        .map(|t| (t.text, if t.core { 1.0 } else { text.supplemental_task })),
                ),
            );
        }
        let features: Vec<Features> = titles
            .vectors()
            .into_iter()
            .zip(tasks.vectors())
            .zip(&ranked)
            .map(|((titles, tasks), i)| {
                let mut profiles: [Option<Box<[f32]>>; N] = Default::default();
                for (domain, cells) in &i.profiles {
                    profiles[Component::of_domain(*domain).index()] = centred(cells);
                }
                Features {
                    code: i.code,
                    titles,
                    tasks,
                    profiles,
                    job_zone: i.job_zone,
                }
            })
            .collect();

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
            let (mut count, mut sum, mut sq) = (0u64, 0f64, 0f64);
            for a in 0..n {
                for &v in &m[a * n + a + 1..(a + 1) * n] {
                    if !v.is_nan() {
                        count += 1;
                        sum += f64::from(v);
                        sq += f64::from(v) * f64::from(v);
                    }
                }
            }
            if count > 1 {
                let mean = sum / count as f64;
                let sd = (sq / count as f64 - mean * mean).max(0.0).sqrt();
                *s = (mean as f32, if sd > 0.0 { sd as f32 } else { 1.0 });
            }
        }
        Self {
            codes: ranked.iter().map(|i| i.code).collect(),
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
        let n = self.codes.len();
        let v = self.matrices[c.index()][a * n + b];
        (!v.is_nan()).then_some(v)
    }

    /// Mean and standard deviation of a component over all pairs.
    pub fn scale(&self, c: Component) -> (f32, f32) {
        self.scale[c.index()]
    }

    /// The score of `(a, b)` under `weights`.
    pub fn score(&self, weights: &Weights, a: usize, b: usize) -> f32 {
        let n = self.codes.len();
        blend(
            weights,
            &self.scale,
            Component::ALL.map(|c| self.matrices[c.index()][a * n + b]),
        )
    }

    /// The `k` occupations closest to `a` under `weights`, best first (ties by code), `a`
    /// itself excluded, as `(index, score)`.
    pub fn closest(&self, weights: &Weights, a: usize, k: usize) -> Vec<(usize, f32)> {
        let n = self.codes.len();
        let mut row: Vec<(usize, f32)> = (0..n)
            .filter(|&b| b != a)
            .map(|b| (b, self.score(weights, a, b)))
            .collect();
        let cmp = |x: &(usize, f32), y: &(usize, f32)| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0));
        if k < row.len() {
            row.select_nth_unstable_by(k, cmp);
            row.truncate(k);
        }
        row.sort_by(cmp);
        row
    }

    /// Blends the table under `weights` and keeps the [`NEIGHBOURS`] closest per occupation.
    pub fn into_relatedness(self, weights: Weights) -> Relatedness {
        let neighbours = (0..self.codes.len())
            .map(|a| {
                self.closest(&weights, a, NEIGHBOURS)
                    .into_iter()
                    .map(|(b, s)| (b as u32, s))
                    .collect()
            })
            .collect();
        Relatedness {
            index: self
                .codes
                .iter()
                .enumerate()
                .map(|(i, c)| (*c, i))
                .collect(),
            codes: self.codes,
            features: self.features,
            scale: self.scale,
            weights,
            neighbours,
        }
    }
}

/// Weighted mean of the standardised components present (NaN = absent).
pub(super) fn blend(weights: &Weights, scale: &[(f32, f32); N], values: [f32; N]) -> f32 {
    let (mut sum, mut total) = (0.0f32, 0.0f32);
    for i in 0..N {
        let v = values[i];
        let w = weights.0[i];
        if !v.is_nan() && w != 0.0 {
            sum += w * (v - scale[i].0) / scale[i].1;
            total += w;
        }
    }
    if total > 0.0 { sum / total } else { 0.0 }
}
