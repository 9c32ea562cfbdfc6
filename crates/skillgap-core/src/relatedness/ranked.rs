//! What a build keeps: each occupation's closest with their scores and components, and what
//! scoring any other pair needs.

use std::collections::HashMap;

use super::component::{Component, Components, N, NEIGHBOURS, Weights};
use super::features::{Features, blend};
use crate::SocCode;

/// One occupation's relatedness to another.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pair {
    /// The other occupation.
    pub occupation: SocCode,
    /// Relatedness: the weighted mean of the standardised components (0 = an average pair).
    pub score: f32,
    /// The components.
    pub components: Components,
}

/// How many neighbours are kept per occupation among `n` ranked: [`NEIGHBOURS`], or every
/// other occupation when there are fewer.
pub(super) fn neighbour_count(n: usize) -> usize {
    NEIGHBOURS.min(n.saturating_sub(1))
}

/// One kept neighbour: the other occupation (index into the ranked codes), the score and the
/// components (NaN where absent).
#[derive(Clone, Copy, Debug)]
pub(super) struct Neighbour {
    pub(super) index: u32,
    pub(super) score: f32,
    pub(super) components: [f32; N],
}

impl Default for Neighbour {
    fn default() -> Self {
        Self {
            index: 0,
            score: 0.0,
            components: [f32::NAN; N],
        }
    }
}

/// Relatedness between occupations: the closest ones to each, with their scores and
/// components, and any other pair on demand.
///
/// It keeps, besides each occupation's [`NEIGHBOURS`] closest, what scoring any pair needs:
/// each occupation's features (title and task vectors, centred profiles, job zone), the mean
/// and deviation of each component over all pairs, and the weights. [`Relatedness::to_bytes`]
/// writes all of it in a versioned encoding that [`Relatedness::from_bytes`] reads back
/// without recomputing anything.
#[derive(Clone, Debug)]
pub struct Relatedness {
    pub(super) codes: Vec<SocCode>,
    pub(super) index: HashMap<SocCode, usize>,
    pub(super) features: Vec<Features>,
    pub(super) scale: [(f32, f32); N],
    pub(super) weights: Weights,
    /// Neighbours kept per occupation: [`neighbour_count`] of the ranked.
    pub(super) k: usize,
    /// Each occupation's `k` closest, best first (ties by code), row after row.
    pub(super) neighbours: Vec<Neighbour>,
}

impl Default for Relatedness {
    /// Nothing ranked, as built from no occupations.
    fn default() -> Self {
        Self::assemble(Vec::new(), [(0.0, 1.0); N], Weights::default(), Vec::new())
    }
}

impl Relatedness {
    /// Puts the parts together; `neighbours` holds [`neighbour_count`] per occupation.
    pub(super) fn assemble(
        features: Vec<Features>,
        scale: [(f32, f32); N],
        weights: Weights,
        neighbours: Vec<Neighbour>,
    ) -> Self {
        let codes: Vec<SocCode> = features.iter().map(|f| f.code).collect();
        let k = neighbour_count(codes.len());
        debug_assert_eq!(neighbours.len(), codes.len() * k);
        Self {
            index: codes.iter().enumerate().map(|(i, c)| (*c, i)).collect(),
            codes,
            features,
            scale,
            weights,
            k,
            neighbours,
        }
    }

    /// The ranked occupations, by code.
    pub fn codes(&self) -> &[SocCode] {
        &self.codes
    }

    /// Whether `code` is ranked (it has task statements).
    pub fn contains(&self, code: SocCode) -> bool {
        self.index.contains_key(&code)
    }

    /// The weights the ranking was blended with.
    pub fn weights(&self) -> &Weights {
        &self.weights
    }

    /// Mean and standard deviation of a component over all pairs of ranked occupations: what
    /// its values are standardised with.
    pub fn scale(&self, c: Component) -> (f32, f32) {
        self.scale[c.index()]
    }

    /// How `to` relates to `from`, with its components; `None` if either is not ranked or they
    /// are the same occupation.
    pub fn pair(&self, from: SocCode, to: SocCode) -> Option<Pair> {
        let (a, b) = (*self.index.get(&from)?, *self.index.get(&to)?);
        (a != b).then(|| {
            let values = self.features[a].components(&self.features[b]);
            Pair {
                occupation: to,
                score: blend(&self.weights, &self.scale, values),
                components: Components::from_values(values),
            }
        })
    }

    fn row(&self, from: SocCode) -> &[Neighbour] {
        self.index
            .get(&from)
            .map(|&a| &self.neighbours[a * self.k..(a + 1) * self.k])
            .unwrap_or_default()
    }

    /// The occupations closest to `from`, best first (ties by code), at most `limit` (and at
    /// most [`NEIGHBOURS`]); empty when `from` is not ranked.
    pub fn closest(&self, from: SocCode, limit: usize) -> Vec<Pair> {
        self.row(from)
            .iter()
            .take(limit)
            .map(|nb| Pair {
                occupation: self.codes[nb.index as usize],
                score: nb.score,
                components: Components::from_values(nb.components),
            })
            .collect()
    }

    /// The codes closest to `from`, best first, without their components.
    pub fn closest_codes(&self, from: SocCode) -> impl Iterator<Item = (SocCode, f32)> + '_ {
        self.row(from)
            .iter()
            .map(|nb| (self.codes[nb.index as usize], nb.score))
    }
}
