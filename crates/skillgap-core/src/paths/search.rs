//! The path search: a depth-first branch and bound over the feasible steps, pruned by a backward
//! distance to the target, keeping the best paths under the objective.

use std::cmp::Ordering;
use std::collections::HashMap;

use crate::catalog::Catalog;
use crate::code::SocCode;
use crate::descriptor::Domain;
use crate::gap::{GapParams, GapSummary, summarize};
use crate::moves::Moves;
use crate::profile::{Cell, ProfileChoice};
use crate::steps::{MAX_JOB_ZONE_RISE, STEP_MIN_RELATEDNESS};

/// How paths are judged, echoed in every answer.
pub const OBJECTIVE: &str = "smallest largest single-step weighted gap first, then smallest total weighted gap over the steps, then fewer steps";

/// Most steps a path may have.
pub const MAX_STEPS: usize = 4;
/// Steps allowed when the caller does not say.
pub const DEFAULT_STEPS: usize = 3;
/// Paths answered when the caller does not say.
pub const DEFAULT_PATHS: usize = 3;
/// Most paths answered.
pub const MAX_PATHS: usize = 10;

/// What a path search may do.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PathLimits {
    /// Most steps per path (1–[`MAX_STEPS`]).
    pub max_steps: usize,
    /// How many paths to answer (1–[`MAX_PATHS`]).
    pub paths: usize,
}

impl Default for PathLimits {
    fn default() -> Self {
        Self {
            max_steps: DEFAULT_STEPS,
            paths: DEFAULT_PATHS,
        }
    }
}

/// One step of a path.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Step {
    /// Catalog index of the occupation left.
    pub from: usize,
    /// Catalog index of the occupation reached.
    pub to: usize,
    /// Relatedness of the two.
    pub relatedness: f32,
    /// The step's gap counts and similarity.
    pub summary: GapSummary,
}

/// A path and its objective.
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// The largest single-step importance-weighted gap, in units of 1e-4.
    pub largest_key: i64,
    /// The sum of the steps' weighted gaps, in units of 1e-4.
    pub total_key: i64,
}

impl Path {
    /// The largest single-step importance-weighted gap.
    pub fn largest_gap(&self) -> f64 {
        self.largest_key as f64 / 10_000.0
    }

    /// The total importance-weighted gap over all steps.
    pub fn total_gap(&self) -> f64 {
        self.total_key as f64 / 10_000.0
    }
}

/// Which limit kept every path out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Blocked {
    /// Paths exist with more steps: the fewest needed.
    MaxSteps {
        /// The fewest steps of any feasible path (at most [`MAX_STEPS`]).
        needed: usize,
    },
    /// The job-zone climb: the target is too many zones up for the steps allowed, or every
    /// chain of related occupations climbs too fast.
    JobZone,
    /// No chain of related occupations (each step at least [`STEP_MIN_RELATEDNESS`]) joins them
    /// within [`MAX_STEPS`] steps.
    Relatedness,
    /// Paths exist within the limits, but each passes through or ends at an occupation the
    /// caller ruled out (one paying too little, say).
    Stops,
}

/// The request-dependent view a search runs on: which occupations are rated, and each step's
/// gap, computed once per step seen.
struct Search<'a> {
    catalog: &'a Catalog,
    moves: &'a Moves,
    profiles: Vec<Vec<Option<&'a [Cell]>>>,
    params: &'a GapParams,
    job_zone_limit: bool,
    /// Occupations a path may pass through or end at, when the caller limits them.
    stops: Option<&'a [bool]>,
    gaps: HashMap<(u32, u32), GapSummary>,
}

impl<'a> Search<'a> {
    fn rated(&self, i: usize) -> bool {
        self.profiles.iter().all(|p| p[i].is_some()) && self.stops.is_none_or(|s| s[i])
    }

    fn summary(&mut self, a: usize, b: usize) -> GapSummary {
        let key = (a as u32, b as u32);
        if let Some(s) = self.gaps.get(&key) {
            return *s;
        }
        let mut acc = GapSummary::default();
        for p in &self.profiles {
            if let (Some(from), Some(to)) = (p[a], p[b]) {
                summarize(from, to, self.params, &mut acc);
            }
        }
        self.gaps.insert(key, acc);
        acc
    }

    /// Feasible next occupations from `a` (job-zone test optional, for diagnosis).
    fn next(&self, a: usize) -> Vec<(usize, f32)> {
        if self.job_zone_limit {
            return self
                .moves
                .steps()
                .steps_from(a)
                .iter()
                .map(|&(b, s)| (b as usize, s))
                .filter(|&(b, _)| self.rated(b))
                .collect();
        }
        let code = self.catalog.occupations[a].occupation.code;
        self.moves
            .relatedness()
            .closest_codes(code)
            .take_while(|&(_, s)| s >= STEP_MIN_RELATEDNESS)
            .filter_map(|(c, s)| Some((self.catalog.index_of(c)?, s)))
            .filter(|&(b, _)| self.rated(b))
            .collect()
    }

    /// Fewest steps from each occupation to `to`, up to `depth` (by backward search).
    fn distances_to(&self, to: usize, depth: usize) -> HashMap<usize, usize> {
        let mut dist = HashMap::from([(to, 0)]);
        let mut frontier = vec![to];
        for d in 1..=depth {
            let mut next = Vec::new();
            for &x in &frontier {
                let before: Vec<usize> = if self.job_zone_limit {
                    let steps = self.moves.steps().steps_to(x);
                    steps.iter().map(|&a| a as usize).collect()
                } else {
                    // Relatedness is symmetric: x's close ones are those x is close to, up to
                    // the neighbour cut, which `next` re-checks.
                    self.next(x).into_iter().map(|(a, _)| a).collect()
                };
                for a in before {
                    if self.rated(a) && !dist.contains_key(&a) {
                        dist.insert(a, d);
                        next.push(a);
                    }
                }
            }
            frontier = next;
        }
        dist
    }

    fn run(&mut self, from: usize, to: usize, limits: PathLimits) -> Vec<Path> {
        let dist = self.distances_to(to, limits.max_steps.saturating_sub(1));
        let mut best: Vec<Path> = Vec::new();
        let mut trail = vec![from];
        let mut steps = Vec::new();
        self.extend(to, limits, &dist, &mut trail, &mut steps, &mut best);
        best
    }

    fn extend(
        &mut self,
        to: usize,
        limits: PathLimits,
        dist: &HashMap<usize, usize>,
        trail: &mut Vec<usize>,
        steps: &mut Vec<Step>,
        best: &mut Vec<Path>,
    ) {
        let at = *trail.last().expect("a trail starts somewhere");
        let left = limits.max_steps - steps.len();
        let (largest, total) = steps.iter().fold((0i64, 0i64), |(m, t), s: &Step| {
            (m.max(s.summary.weighted_key), t + s.summary.weighted_key)
        });
        for (b, score) in self.next(at) {
            if trail.contains(&b) || dist.get(&b).is_none_or(|&d| d + 1 > left) {
                continue;
            }
            let summary = self.summary(at, b);
            let key = (
                largest.max(summary.weighted_key),
                total + summary.weighted_key,
            );
            if best.len() == limits.paths
                && let Some(worst) = best.last()
                && (key.0, key.1) > (worst.largest_key, worst.total_key)
            {
                continue;
            }
            steps.push(Step {
                from: at,
                to: b,
                relatedness: score,
                summary,
            });
            if b == to {
                best.push(Path {
                    steps: steps.clone(),
                    largest_key: key.0,
                    total_key: key.1,
                });
                best.sort_by(|x, y| order(self.catalog, x, y));
                best.truncate(limits.paths);
            } else {
                trail.push(b);
                self.extend(to, limits, dist, trail, steps, best);
                trail.pop();
            }
            steps.pop();
        }
    }
}

/// The objective's order: smallest largest step, then smallest total, then fewer steps, then
/// codes (so equal paths come out in one order).
fn order(catalog: &Catalog, a: &Path, b: &Path) -> Ordering {
    let codes = |p: &Path| -> Vec<SocCode> {
        p.steps
            .iter()
            .map(|s| catalog.occupations[s.to].occupation.code)
            .collect()
    };
    a.largest_key
        .cmp(&b.largest_key)
        .then(a.total_key.cmp(&b.total_key))
        .then(a.steps.len().cmp(&b.steps.len()))
        .then_with(|| codes(a).cmp(&codes(b)))
}

/// The best paths from `from` to `to` (catalog indexes, both rated in every domain of
/// `domains` under `choice`), best first; or which limit blocked every path. With `stops`
/// (one flag per catalog occupation), paths pass through and end only at flagged occupations.
#[allow(clippy::too_many_arguments)]
pub fn paths(
    catalog: &Catalog,
    moves: &Moves,
    from: usize,
    to: usize,
    domains: &[Domain],
    choice: ProfileChoice,
    params: &GapParams,
    limits: PathLimits,
    stops: Option<&[bool]>,
) -> Result<Vec<Path>, Blocked> {
    if let Some(s) = stops {
        assert_eq!(
            s.len(),
            catalog.occupations.len(),
            "one flag per occupation"
        );
    }
    let profiles = domains
        .iter()
        .filter_map(|d| catalog.domain(*d))
        .map(|t| {
            (0..catalog.occupations.len())
                .map(|i| t.profiles(i).get(choice).map(|p| &*p.cells))
                .collect()
        })
        .collect();
    let mut search = Search {
        catalog,
        moves,
        profiles,
        params,
        job_zone_limit: true,
        stops,
        gaps: HashMap::new(),
    };
    let found = search.run(from, to, limits);
    if !found.is_empty() {
        return Ok(found);
    }
    if search.stops.take().is_some() && !search.run(from, to, limits).is_empty() {
        return Err(Blocked::Stops);
    }
    // Diagnose: more steps, then no job-zone limit; each search is as small as the first.
    let zones = (
        catalog.occupations[from].job_zone,
        catalog.occupations[to].job_zone,
    );
    if let (Some(f), Some(t)) = zones
        && usize::from(t.saturating_sub(f)) > limits.max_steps * usize::from(MAX_JOB_ZONE_RISE)
    {
        return Err(Blocked::JobZone);
    }
    for more in limits.max_steps + 1..=MAX_STEPS {
        let probe = PathLimits {
            max_steps: more,
            paths: 1,
        };
        if !search.run(from, to, probe).is_empty() {
            return Err(Blocked::MaxSteps { needed: more });
        }
    }
    search.job_zone_limit = false;
    let probe = PathLimits {
        max_steps: MAX_STEPS,
        paths: 1,
    };
    if search.run(from, to, probe).is_empty() {
        Err(Blocked::Relatedness)
    } else {
        Err(Blocked::JobZone)
    }
}
