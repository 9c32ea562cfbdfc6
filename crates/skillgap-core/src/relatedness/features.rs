//! Per-occupation features (title and task vectors, centred profiles, job zone, code), the
//! component of a pair computed from two of them, and the blend of standardised components into
//! one score: what both builds (the dense [`super::PairTable`] and the streaming one) and the
//! on-demand pairs share, so that they cannot drift apart.

use super::component::{Component, N, TextWeights, Weights};
use super::input::RelatednessInput;
use crate::text::{SparseVector, TfIdf};
use crate::{Cell, SocCode};

/// Per-occupation features the components are computed from.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Features {
    pub(super) code: SocCode,
    pub(super) titles: SparseVector,
    pub(super) tasks: SparseVector,
    /// Per component index (profiles only): a centred, unit-length importance vector.
    pub(super) profiles: [Option<Box<[f32]>>; N],
    pub(super) job_zone: Option<u8>,
}

impl Features {
    /// One component of the pair `(self, other)`, `None` when either side lacks it.
    pub(super) fn component(&self, other: &Features, c: Component) -> Option<f32> {
        match c {
            Component::Titles => Some(self.titles.dot(&other.titles)),
            Component::Tasks => Some(self.tasks.dot(&other.tasks)),
            Component::JobZone => Some(job_zone(self.job_zone?, other.job_zone?)),
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

    /// Every component of the pair `(self, other)`, NaN where absent (as [`blend`] takes them).
    pub(super) fn components(&self, other: &Features) -> [f32; N] {
        Component::ALL.map(|c| self.component(other, c).unwrap_or(f32::NAN))
    }
}

/// The features of every occupation with tasks, by code (a code given twice counts once).
pub(super) fn features(inputs: &[RelatednessInput], text: &TextWeights) -> Vec<Features> {
    let mut ranked: Vec<&RelatednessInput> =
        inputs.iter().filter(|i| !i.tasks.is_empty()).collect();
    ranked.sort_by_key(|i| i.code);
    ranked.dedup_by_key(|i| i.code);

    // The two texts are independent: one thread each.
    let (titles, tasks) = rayon::join(
        || {
            let mut titles = TfIdf::new();
            for i in &ranked {
                titles.add(
                    std::iter::once((i.title, text.main_title))
                        .chain(i.alternate_titles.iter().map(|t| (*t, 1.0))),
                );
            }
            titles.vectors()
        },
        || {
            let mut tasks = TfIdf::new();
            for i in &ranked {
                tasks.add(
                    std::iter::once((i.description, text.description)).chain(
                        i.tasks
                            .iter()
                            .map(|t| (t.text, if t.core { 1.0 } else { text.supplemental_task })),
                    ),
                );
            }
            tasks.vectors()
        },
    );
    // Profiles of one domain are compared position by position, so they must all have the
    // domain's descriptor count; one that does not (never, from a catalog) is left out rather
    // than compared with some and not others.
    let mut lengths = [None; N];
    for i in &ranked {
        for (domain, cells) in &i.profiles {
            lengths[Component::of_domain(*domain).index()].get_or_insert(cells.len());
        }
    }
    titles
        .into_iter()
        .zip(tasks)
        .zip(&ranked)
        .map(|((titles, tasks), i)| {
            let mut profiles: [Option<Box<[f32]>>; N] = Default::default();
            for (domain, cells) in &i.profiles {
                let c = Component::of_domain(*domain).index();
                if lengths[c] == Some(cells.len()) {
                    profiles[c] = centred(cells);
                }
            }
            Features {
                code: i.code,
                titles,
                tasks,
                profiles,
                job_zone: i.job_zone,
            }
        })
        .collect()
}

/// Job-zone closeness: `1 − |difference| / 4`.
pub(super) fn job_zone(a: u8, b: u8) -> f32 {
    1.0 - f32::from(a.abs_diff(b).min(4)) / 4.0
}

/// The share of SOC levels two codes have in common: major group (`15`), minor group
/// (`15-12`), broad group (`15-125`), detailed occupation (`15-1252`), each a quarter.
pub(super) fn family(a: SocCode, b: SocCode) -> f32 {
    family_of_keys(family_key(a), family_key(b))
}

/// A code's `NN-NNNN` as one integer, first byte highest, so that the first byte two codes
/// differ in is found from the leading zeros of their keys' difference (the all-pairs build
/// compares a million pairs).
pub(super) fn family_key(code: SocCode) -> u64 {
    code.as_str()
        .bytes()
        .take(7)
        .fold(0u64, |key, b| key << 8 | u64::from(b))
}

/// [`family`] from two [`family_key`]s.
pub(super) fn family_of_keys(a: u64, b: u64) -> f32 {
    // Bytes 0–6 of the code sit in bits 55–0, so bit 63 − 8 × 1 starts byte 0.
    let differs_at = ((a ^ b).leading_zeros() as usize).saturating_sub(8) / 8;
    let shared = [2, 5, 6, 7]
        .into_iter()
        .filter(|&n| n <= differs_at)
        .count();
    shared as f32 / 4.0
}

/// Maps a dot product of centred unit vectors (a correlation, −1 to 1) onto [0, 1].
pub(super) fn correlation(a: &[f32], b: &[f32]) -> f32 {
    let r: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    rescale(r)
}

/// A correlation (−1 to 1) onto [0, 1].
pub(super) fn rescale(r: f32) -> f32 {
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

/// Mean and standard deviation of each component over all pairs, from running sums.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Moments {
    count: u64,
    sum: f64,
    squares: f64,
}

impl Moments {
    /// Counts one value (NaN = absent, not counted).
    #[inline]
    pub(super) fn add(&mut self, v: f32) {
        if !v.is_nan() {
            let v = f64::from(v);
            self.count += 1;
            self.sum += v;
            self.squares += v * v;
        }
    }

    /// `(mean, sd)`; `(0, 1)` when fewer than two values were seen, and an sd of 1 when all
    /// were equal, so that standardising never divides by zero.
    pub(super) fn scale(&self) -> (f32, f32) {
        if self.count > 1 {
            let mean = self.sum / self.count as f64;
            let sd = (self.squares / self.count as f64 - mean * mean)
                .max(0.0)
                .sqrt();
            (mean as f32, if sd > 0.0 { sd as f32 } else { 1.0 })
        } else {
            (0.0, 1.0)
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

/// Best first: higher score, then lower index. A total order, so any selection algorithm
/// picks the same occupations in the same order.
pub(super) fn best_first(x: &(usize, f32), y: &(usize, f32)) -> std::cmp::Ordering {
    y.1.total_cmp(&x.1).then(x.0.cmp(&y.0))
}

/// Keeps the `k` best of `row` (see [`best_first`]), sorted.
pub(super) fn keep_best(row: &mut Vec<(usize, f32)>, k: usize) {
    if k < row.len() {
        row.select_nth_unstable_by(k, best_first);
        row.truncate(k);
    }
    row.sort_by(best_first);
}
