//! What stands in the way of a move, and its effort, as answers carry them: computed in the core
//! ([`skillgap_core::barriers`]) from the release's `Education, Training, and Experience.txt`, its
//! knowledge ratings and, when loaded, BLS's entry requirements.

use serde::Serialize;
use skillgap_core::barriers::{
    BarrierInput, Barriers, Effort, EntryRequirements, KnowledgeSides, barriers, education_step,
};
use skillgap_core::gap::{GapParams, GapSummary, summarize};
use skillgap_core::{Domain, ProfileChoice};
use utoipa::ToSchema;

use super::round;
use crate::snapshot::Snapshot;

/// The effort of a move and its parts (see `effort_formula`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, ToSchema)]
pub struct EffortDto {
    /// The compared domains' importance-weighted gap.
    pub skills: f64,
    /// The knowledge weighted gap (× 1.0).
    pub knowledge: f64,
    /// 40 × school years up.
    pub education: f64,
    /// Their sum.
    pub total: f64,
}

impl EffortDto {
    /// Rounded for the wire.
    pub fn of(e: &Effort) -> Self {
        Self {
            skills: round(e.skills, 4),
            knowledge: round(e.knowledge, 4),
            education: round(e.education, 4),
            total: round(e.total, 4),
        }
    }
}

/// The knowledge weighted gap of a move between two catalog occupations (O*NET ratings), under
/// `params`; 0 when either side has no knowledge ratings.
pub fn knowledge_gap(s: &Snapshot, from: usize, to: usize, params: &GapParams) -> f64 {
    let Some(t) = s.catalog().domain(Domain::Knowledge) else {
        return 0.0;
    };
    let cells = |i: usize| t.profiles(i).get(ProfileChoice::Onet).map(|p| &p.cells);
    match (cells(from), cells(to)) {
        (Some(a), Some(b)) => {
            let mut acc = GapSummary::default();
            summarize(a, b, params, &mut acc);
            acc.weighted_gap()
        }
        _ => 0.0,
    }
}

/// School years up from the source's most common required education to the target's (0 when
/// either is unknown or it does not rise).
pub fn school_years_up(s: &Snapshot, from: usize, to: usize) -> f64 {
    let f = s.facts();
    let code = |i: usize| s.catalog().occupations[i].occupation.code;
    match (f.preparation(code(from)), f.preparation(code(to))) {
        (Some(a), Some(b)) => {
            education_step(a, b, f.education_categories()).map_or(0.0, |e| e.school_years_up)
        }
        _ => 0.0,
    }
}

/// The effort of a move whose skills weighted gap is `skills`.
pub fn effort(s: &Snapshot, from: usize, to: usize, skills: f64, params: &GapParams) -> Effort {
    Effort::new(
        skills,
        knowledge_gap(s, from, to, params),
        school_years_up(s, from, to),
    )
}

/// Every barrier of a move between two catalog occupations.
pub fn move_barriers(s: &Snapshot, from: usize, to: usize) -> Barriers {
    let catalog = s.catalog();
    let f = s.facts();
    let code = |i: usize| catalog.occupations[i].occupation.code;
    let labor = f.labor(code(to));
    let bls = labor.as_ref().map(|l| EntryRequirements {
        education: l.entry_education.as_deref(),
        experience: l.entry_experience.as_deref(),
        training: l.entry_training.as_deref(),
    });
    let knowledge = catalog.domain(Domain::Knowledge).map(|t| KnowledgeSides {
        descriptors: &t.descriptors,
        from: t.profiles(from).onet.as_ref().map(|p| &*p.cells),
        to: t.profiles(to).onet.as_ref().map(|p| &*p.cells),
    });
    barriers(&BarrierInput {
        from: f.preparation(code(from)),
        to: f.preparation(code(to)),
        categories: f.education_categories(),
        bls,
        knowledge,
    })
}
