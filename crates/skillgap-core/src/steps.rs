//! The feasible single steps between occupations: the moves a stepping-stone path may make.
//!
//! A **step** is a viable move ([`crate::viability`]): the graph holds the moves that pass the
//! relatedness and job-zone conditions. The third condition, both sides rated, depends on the
//! request (domains, source), so the path search checks it.

use crate::catalog::Catalog;
use crate::relatedness::Relatedness;

use crate::viability::relatedness_allows;
pub use crate::viability::{
    MAX_JOB_ZONE_RISE, MIN_RELATEDNESS as STEP_MIN_RELATEDNESS, job_zone_allows,
};
/// Every feasible step between ranked occupations, by catalog index, both ways: built once
/// with the catalog (it depends only on relatedness and job zones).
#[derive(Clone, Debug, Default)]
pub struct StepGraph {
    /// Per occupation: feasible next occupations and their relatedness, closest first.
    forward: Vec<Vec<(u32, f32)>>,
    /// Per occupation: occupations from which it is one feasible step.
    backward: Vec<Vec<u32>>,
}

impl StepGraph {
    /// The graph of `catalog`'s feasible steps under `relatedness` (ratings aside: those depend
    /// on the request).
    pub fn build(catalog: &Catalog, relatedness: &Relatedness) -> Self {
        let n = catalog.occupations.len();
        let mut forward = vec![Vec::new(); n];
        let mut backward = vec![Vec::new(); n];
        for (a, e) in catalog.occupations.iter().enumerate() {
            for (code, score) in relatedness.closest_codes(e.occupation.code) {
                if !relatedness_allows(Some(score)) {
                    break;
                }
                let Some(b) = catalog.index_of(code) else {
                    continue;
                };
                if job_zone_allows(e.job_zone, catalog.occupations[b].job_zone) {
                    forward[a].push((b as u32, score));
                    backward[b].push(a as u32);
                }
            }
        }
        Self { forward, backward }
    }

    /// The feasible steps out of the occupation at `index`.
    pub fn steps_from(&self, index: usize) -> &[(u32, f32)] {
        self.forward
            .get(index)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// Occupations from which the occupation at `index` is one feasible step.
    pub fn steps_to(&self, index: usize) -> &[u32] {
        self.backward
            .get(index)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// Whether a step from `a` to `b` passes the relatedness and job-zone tests.
    pub fn is_step(&self, a: usize, b: usize) -> bool {
        self.steps_from(a).iter().any(|&(x, _)| x as usize == b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_step_rule_is_the_viability_rule() {
        assert_eq!(STEP_MIN_RELATEDNESS, crate::viability::MIN_RELATEDNESS);
        assert!(!job_zone_allows(Some(2), Some(4)));
    }
}
