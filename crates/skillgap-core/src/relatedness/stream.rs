//! The streaming build: every pair's components computed one occupation's row at a time, in
//! two passes (the first sums each component over all pairs for its mean and deviation, the
//! second blends each row and keeps its closest), so no `n × n` matrix is ever held.
//!
//! Rows are computed in parallel (rayon). Each value is computed exactly as the dense table and
//! the on-demand pairs compute it (the same products, added in the same order), and the first
//! pass adds the values into the sums in the dense table's order, so the two builds agree bit
//! for bit.

use rayon::prelude::*;

use super::component::{Component, N, TextWeights, Weights};
use super::features::{
    Features, Moments, family_key, family_of_keys, job_zone, keep_best, rescale,
};
use super::input::RelatednessInput;
use super::ranked::{Neighbour, Relatedness, neighbour_count};
use crate::text::SparseVector;

/// Rows computed at once in the first pass, before their values are added up in order: bounds
/// that pass's memory to `ROWS × N × n` floats (1 MB for 923 occupations).
const ROWS: usize = 32;

impl Relatedness {
    /// Builds relatedness for every occupation with tasks, under the default weights.
    pub fn build(inputs: &[RelatednessInput]) -> Self {
        Self::build_with(inputs, &TextWeights::default(), Weights::default())
    }

    /// Builds relatedness for every occupation with tasks, streaming: row by row, in parallel,
    /// never holding all pairs (the dense [`super::PairTable`] gives the same figures).
    pub fn build_with(inputs: &[RelatednessInput], text: &TextWeights, weights: Weights) -> Self {
        build(super::features::features(inputs, text), weights)
    }
}

/// Builds relatedness from the features of the ranked occupations (sorted by code).
pub(super) fn build(features: Vec<Features>, weights: Weights) -> Relatedness {
    let n = features.len();
    let kernel = Kernel::new(&features);

    let mut moments = [Moments::default(); N];
    let mut block: Vec<Row> = (0..ROWS.min(n)).map(|_| Row::new(n)).collect();
    for start in (0..n).step_by(ROWS) {
        let rows = &mut block[..ROWS.min(n - start)];
        rows.par_iter_mut()
            .enumerate()
            .for_each(|(i, row)| kernel.row(start + i, true, row));
        for (i, row) in rows.iter().enumerate() {
            for (c, m) in moments.iter_mut().enumerate() {
                for &v in &row.component(c)[start + i + 1..] {
                    m.add(v);
                }
            }
        }
    }
    drop(block);
    let scale = moments.map(|m| m.scale());

    let k = neighbour_count(n);
    let mut neighbours = vec![Neighbour::default(); n * k];
    if k > 0 {
        neighbours.par_chunks_mut(k).enumerate().for_each_init(
            || Scratch::new(n),
            |s, (a, out)| {
                kernel.row(a, false, &mut s.row);
                kernel.best(a, &weights, &scale, s, out);
            },
        );
    }
    drop(kernel);
    Relatedness::assemble(features, scale, weights, neighbours)
}

/// One occupation against every other: per component, one value per occupation (NaN where
/// either lacks it).
struct Row {
    n: usize,
    values: Vec<f32>,
}

impl Row {
    fn new(n: usize) -> Self {
        Self {
            n,
            values: vec![f32::NAN; N * n],
        }
    }

    fn component(&self, c: usize) -> &[f32] {
        &self.values[c * self.n..(c + 1) * self.n]
    }

    fn component_mut(&mut self, c: usize) -> &mut [f32] {
        &mut self.values[c * self.n..(c + 1) * self.n]
    }
}

/// An inverted index of one text: for each term, the occupations whose vector holds it
/// (ascending) with its weight there.
struct Postings<'a> {
    vectors: Vec<&'a SparseVector>,
    starts: Vec<usize>,
    entries: Vec<(u32, f32)>,
    /// For each occupation's `j`-th term (at `firsts[a] + j`): where the occupation itself sits
    /// in that term's list, so the occupations after it are found without a search.
    own: Vec<usize>,
    firsts: Vec<usize>,
}

impl<'a> Postings<'a> {
    fn new(vectors: Vec<&'a SparseVector>) -> Self {
        let terms = vectors
            .iter()
            .filter_map(|v| v.entries().last())
            .map(|e| e.0 as usize + 1)
            .max()
            .unwrap_or(0);
        let mut starts = vec![0usize; terms + 1];
        for v in &vectors {
            for &(t, _) in v.entries() {
                starts[t as usize + 1] += 1;
            }
        }
        for t in 0..terms {
            starts[t + 1] += starts[t];
        }
        let mut next = starts.clone();
        let mut entries = vec![(0u32, 0f32); starts[terms]];
        let mut own = Vec::with_capacity(entries.len());
        let mut firsts = Vec::with_capacity(vectors.len());
        for (d, v) in vectors.iter().enumerate() {
            firsts.push(own.len());
            for &(t, w) in v.entries() {
                let at = &mut next[t as usize];
                entries[*at] = (d as u32, w);
                own.push(*at);
                *at += 1;
            }
        }
        Self {
            vectors,
            starts,
            entries,
            own,
            firsts,
        }
    }

    /// The cosine of `a`'s vector with every occupation's (`out[b]`), or with `after` only
    /// with those after `a` (`out[b − a − 1]`). For each term of `a`, in term order, its weight
    /// times each holder's is added to the holder's sum, so each pair adds the same products
    /// in the same order as [`SparseVector::dot`].
    fn row(&self, a: usize, after: bool, out: &mut [f32]) {
        out.fill(0.0);
        let (first, from) = (self.firsts[a], if after { a + 1 } else { 0 });
        for (j, &(t, w)) in self.vectors[a].entries().iter().enumerate() {
            let begin = if after {
                self.own[first + j] + 1
            } else {
                self.starts[t as usize]
            };
            for &(b, wb) in &self.entries[begin..self.starts[t as usize + 1]] {
                out[b as usize - from] += w * wb;
            }
        }
    }
}

/// One profile component held column by column: value `i` of occupation `b` at `i × n + b`.
/// One occupation against all the others is then a run of multiply-adds across occupations,
/// which vectorises, while each pair's sum still adds its products in the order of the
/// pairwise dot product.
struct Columns {
    len: usize,
    values: Vec<f32>,
    present: Vec<bool>,
}

impl Columns {
    fn new(features: &[Features], c: usize) -> Option<Self> {
        let n = features.len();
        let len = features.iter().find_map(|f| f.profiles[c].as_ref())?.len();
        let mut values = vec![0.0; len * n];
        let mut present = vec![false; n];
        for (b, f) in features.iter().enumerate() {
            if let Some(p) = &f.profiles[c] {
                present[b] = true;
                for (i, v) in p.iter().enumerate() {
                    values[i * n + b] = *v;
                }
            }
        }
        Some(Self {
            len,
            values,
            present,
        })
    }
}

/// What computing rows needs, laid out for it.
struct Kernel<'a> {
    features: &'a [Features],
    titles: Postings<'a>,
    tasks: Postings<'a>,
    profiles: [Option<Columns>; N],
    zones: Vec<Option<u8>>,
    families: Vec<u64>,
}

impl<'a> Kernel<'a> {
    fn new(features: &'a [Features]) -> Self {
        Self {
            features,
            titles: Postings::new(features.iter().map(|f| &f.titles).collect()),
            tasks: Postings::new(features.iter().map(|f| &f.tasks).collect()),
            profiles: std::array::from_fn(|c| Columns::new(features, c)),
            zones: features.iter().map(|f| f.job_zone).collect(),
            families: features.iter().map(|f| family_key(f.code)).collect(),
        }
    }

    /// Every component of `(a, b)` into `row` (NaN where absent), for every `b`, or with
    /// `after` only for `b > a` (the rest of `row` is left as it was).
    fn row(&self, a: usize, after: bool, row: &mut Row) {
        let fa = &self.features[a];
        let from = if after { a + 1 } else { 0 };
        for c in Component::ALL {
            let out = &mut row.component_mut(c.index())[from..];
            match c {
                Component::Titles => self.titles.row(a, after, out),
                Component::Tasks => self.tasks.row(a, after, out),
                Component::JobZone => match fa.job_zone {
                    Some(za) => {
                        for (o, zb) in out.iter_mut().zip(&self.zones[from..]) {
                            *o = zb.map_or(f32::NAN, |zb| job_zone(za, zb));
                        }
                    }
                    None => out.fill(f32::NAN),
                },
                Component::Family => {
                    let ka = self.families[a];
                    for (o, kb) in out.iter_mut().zip(&self.families[from..]) {
                        *o = family_of_keys(ka, *kb);
                    }
                }
                _ => match (&self.profiles[c.index()], &fa.profiles[c.index()]) {
                    (Some(columns), Some(pa)) => {
                        let n = self.features.len();
                        out.fill(0.0);
                        for (i, x) in pa.iter().enumerate().take(columns.len) {
                            let column = &columns.values[i * n + from..(i + 1) * n];
                            for (o, y) in out.iter_mut().zip(column) {
                                *o += x * y;
                            }
                        }
                        for (o, present) in out.iter_mut().zip(&columns.present[from..]) {
                            *o = if *present { rescale(*o) } else { f32::NAN };
                        }
                    }
                    _ => out.fill(f32::NAN),
                },
            }
        }
    }

    /// Blends row `a` (in `s.row`) and writes its `out.len()` closest, best first, with their
    /// components.
    fn best(
        &self,
        a: usize,
        weights: &Weights,
        scale: &[(f32, f32); N],
        s: &mut Scratch,
        out: &mut [Neighbour],
    ) {
        // The blend of each pair as `features::blend` computes it, one component at a time.
        s.sum.fill(0.0);
        s.total.fill(0.0);
        for (c, (&w, &(mean, sd))) in weights.0.iter().zip(scale).enumerate() {
            if w == 0.0 {
                continue;
            }
            let values = s.row.component(c);
            for ((sum, total), &v) in s.sum.iter_mut().zip(&mut s.total).zip(values) {
                if !v.is_nan() {
                    *sum += w * (v - mean) / sd;
                    *total += w;
                }
            }
        }
        s.candidates.clear();
        s.candidates.extend(
            s.sum
                .iter()
                .zip(&s.total)
                .enumerate()
                .filter(|&(b, _)| b != a)
                .map(|(b, (sum, total))| (b, if *total > 0.0 { sum / total } else { 0.0 })),
        );
        keep_best(&mut s.candidates, out.len());
        for (o, &(b, score)) in out.iter_mut().zip(&s.candidates) {
            *o = Neighbour {
                index: b as u32,
                score,
                components: std::array::from_fn(|c| s.row.component(c)[b]),
            };
        }
    }
}

/// One thread's buffers for the second pass.
struct Scratch {
    row: Row,
    sum: Vec<f32>,
    total: Vec<f32>,
    candidates: Vec<(usize, f32)>,
}

impl Scratch {
    fn new(n: usize) -> Self {
        Self {
            row: Row::new(n),
            sum: vec![0.0; n],
            total: vec![0.0; n],
            candidates: Vec::with_capacity(n),
        }
    }
}
