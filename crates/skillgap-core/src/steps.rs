//! The feasible single steps between occupations: the moves a stepping-stone path may make.
//!
//! A **step** from `a` to `b` is feasible when
//! - `b` is among `a`'s [`NEIGHBOURS`] closest occupations with a relatedness score of at least
//!   [`STEP_MIN_RELATEDNESS`] (standard deviations above an average pair), and
//! - `b`'s job zone is at most [`MAX_JOB_ZONE_RISE`] above `a`'s (a zone unknown on either side
//!   does not block).
//!
//! Whether both are rated depends on the request (domains, source), so the path search checks it.
//!
//! [`NEIGHBOURS`]: crate::relatedness::NEIGHBOURS

use crate::catalog::Catalog;
use crate::relatedness::Relatedness;

/// Relatedness a single step needs (the score's units: standard deviations above an average
/// pair). About the score of an occupation's 20th closest (O*NET's Supplemental tier ends at 20).
pub const STEP_MIN_RELATEDNESS: f32 = 2.0;
/// How many job zones one step may climb (a move two zones up skips the preparation between).
pub const MAX_JOB_ZONE_RISE: u8 = 1;
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
                if score < STEP_MIN_RELATEDNESS {
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

/// Whether a move from zone `from` to zone `to` climbs at most [`MAX_JOB_ZONE_RISE`].
pub fn job_zone_allows(from: Option<u8>, to: Option<u8>) -> bool {
    match (from, to) {
        (Some(f), Some(t)) => t <= f.saturating_add(MAX_JOB_ZONE_RISE),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_climbs_at_most_one_job_zone() {
        assert!(job_zone_allows(Some(2), Some(3)));
        assert!(job_zone_allows(Some(4), Some(1)));
        assert!(!job_zone_allows(Some(2), Some(4)));
        assert!(job_zone_allows(None, Some(5)));
    }
}
