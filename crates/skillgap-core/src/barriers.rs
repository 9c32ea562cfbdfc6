//! What stands in the way of a move, and the effort it takes.
//!
//! **Barriers** of a move from `a` to `b`, each a value with its source (a missing distribution is
//! `None` with a reason, never 0):
//! - the **education step**: the most common required level of education (O*NET scale `RL`) on
//!   each side, the categories between them, the school years between them, and the share of
//!   `b`'s workers whose required level is at or above `a`'s most common one;
//! - **related work experience** (`RW`), **on-site training** (`PT`) and **on-the-job training**
//!   (`OJ`): `b`'s most common category;
//! - BLS's typical **entry education**, **work experience** and **on-the-job training** for `b`;
//! - the **missing knowledge**: knowledge areas `b` rates important (importance ≥
//!   [`IMPORTANT_KNOWLEDGE`]) and `a` does not, with both importances, most important first.
//!
//! **Effort** ([`EFFORT_FORMULA`]) adds to the skills gap what the skills domain cannot see: the
//! knowledge gap, and a cost per school year up.

use serde::Serialize;

use crate::education::{EducationCategory, EducationRating};
use crate::profile::{Cell, DescriptorInfo};

/// Importance (1–5) at or above which a knowledge area counts as important.
pub const IMPORTANT_KNOWLEDGE: f64 = 3.5;
/// Where the education, experience and training distributions come from.
pub const ETE_SOURCE: &str = "O*NET Education, Training, and Experience";
/// Where the typical entry requirements come from.
pub const BLS_SOURCE: &str = "BLS Employment Projections (occupation.xlsx, Table 1.2)";
/// Where the knowledge importances come from.
pub const KNOWLEDGE_SOURCE: &str = "O*NET Knowledge (importance, IM)";

/// Effort per school year up (in weighted-gap units: about the skills gap of a move two job zones
/// apart, spread over the years a degree takes).
pub const EFFORT_PER_SCHOOL_YEAR: f64 = 40.0;
/// Weight of the knowledge gap in the effort.
pub const KNOWLEDGE_EFFORT_WEIGHT: f64 = 1.0;
/// The effort measure, as answers say it.
pub const EFFORT_FORMULA: &str = "effort = skills weighted gap + 1.0 × knowledge weighted gap + 40 × school years up (from the source's most common required level of education to the target's; 0 when it does not rise)";

/// School years usually needed to reach each required level of education (O*NET `RL` categories
/// 1–12): less than high school 10, high school 12, post-secondary certificate 13, some college
/// 13, associate's 14, bachelor's 16, post-baccalaureate certificate 17, master's 18,
/// post-master's certificate 19, first professional 20, doctoral 21, post-doctoral 23.
pub const SCHOOL_YEARS: [f64; 12] = [
    10.0, 12.0, 13.0, 13.0, 14.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 23.0,
];

/// School years of an `RL` category (`None` outside 1–12).
pub fn school_years(category: u16) -> Option<f64> {
    SCHOOL_YEARS
        .get(usize::from(category).checked_sub(1)?)
        .copied()
}

/// The scales of `Education, Training, and Experience.txt` a barrier reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PrepScale {
    /// `RL`, required level of education (element 2.D.1).
    Education,
    /// `RW`, related work experience (3.A.1).
    Experience,
    /// `PT`, on-site or in-plant training (3.A.2).
    OnSite,
    /// `OJ`, on-the-job training (3.A.3).
    OnTheJob,
}

impl PrepScale {
    /// Every scale.
    pub const ALL: [PrepScale; 4] = [
        PrepScale::Education,
        PrepScale::Experience,
        PrepScale::OnSite,
        PrepScale::OnTheJob,
    ];

    /// The scale id.
    pub const fn id(self) -> &'static str {
        match self {
            PrepScale::Education => "RL",
            PrepScale::Experience => "RW",
            PrepScale::OnSite => "PT",
            PrepScale::OnTheJob => "OJ",
        }
    }

    fn parse(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.id() == id)
    }

    fn slot(self) -> usize {
        self as usize
    }
}

/// One occupation's distributions over the categories of each scale: percentage of respondents
/// per category, categories ascending.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Preparation {
    scales: [Vec<(u16, f64)>; 4],
}

impl Preparation {
    /// From one occupation's rows of `Education, Training, and Experience.txt` (other scales and
    /// `IM` rows are ignored).
    pub fn from_rows<'a>(rows: impl IntoIterator<Item = &'a EducationRating>) -> Self {
        let mut out = Self::default();
        for r in rows {
            if let (Some(scale), Some(c)) = (PrepScale::parse(r.scale.as_str()), r.category) {
                out.scales[scale.slot()].push((c, r.value));
            }
        }
        for s in &mut out.scales {
            s.sort_by_key(|(c, _)| *c);
        }
        out
    }

    /// The distribution on a scale (empty when the occupation has none).
    pub fn distribution(&self, scale: PrepScale) -> &[(u16, f64)] {
        &self.scales[scale.slot()]
    }

    /// The most common category on a scale and its share; a tie goes to the lower category (the
    /// least preparation as many respondents reported), as [`crate::most_common_level`] does.
    pub fn most_common(&self, scale: PrepScale) -> Option<(u16, f64)> {
        self.distribution(scale)
            .iter()
            .fold(None, |best: Option<(u16, f64)>, &(c, v)| match best {
                Some((_, bv)) if bv >= v => best,
                _ => Some((c, v)),
            })
    }

    /// The share (percent) of respondents at or above `category` on a scale.
    pub fn share_at_or_above(&self, scale: PrepScale, category: u16) -> Option<f64> {
        let d = self.distribution(scale);
        (!d.is_empty()).then(|| {
            d.iter()
                .filter(|(c, _)| *c >= category)
                .map(|(_, v)| v)
                .sum()
        })
    }
}

/// A barrier: a value with its source, or why there is none.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Barrier<T> {
    /// The value; `None` when the data is missing.
    pub value: Option<T>,
    /// Where it comes from.
    pub source: &'static str,
    /// Why there is no value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
}

impl<T> Barrier<T> {
    fn of(value: Option<T>, source: &'static str, reason: &'static str) -> Self {
        let reason = value.is_none().then_some(reason);
        Self {
            value,
            source,
            reason,
        }
    }
}

/// The most common category of a scale.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Level {
    /// Category number (higher is more preparation).
    pub category: u16,
    /// What it means, as O*NET's categories file says.
    pub description: String,
    /// Percentage of respondents in it.
    pub share: f64,
}

/// The education step of a move.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EducationStep {
    /// The source's most common required level.
    pub from: Level,
    /// The target's.
    pub to: Level,
    /// Categories up (positive) or down.
    pub step: i32,
    /// School years up (never below 0), from [`SCHOOL_YEARS`].
    pub school_years_up: f64,
    /// Percentage of the target's respondents whose required level is at or above the source's
    /// most common one.
    pub target_share_at_or_above_source: f64,
}

/// A knowledge area the target rates important and the source does not.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MissingKnowledge {
    /// Element id.
    pub element: String,
    /// Its name.
    pub name: String,
    /// The source's importance (`None` when it does not rate it).
    pub from_importance: Option<f64>,
    /// The target's importance.
    pub to_importance: f64,
}

/// Every barrier of one move.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Barriers {
    /// The education step.
    pub education: Barrier<EducationStep>,
    /// The target's most common related work experience.
    pub related_experience: Barrier<Level>,
    /// The target's most common on-site or in-plant training.
    pub on_site_training: Barrier<Level>,
    /// The target's most common on-the-job training.
    pub on_the_job_training: Barrier<Level>,
    /// BLS's typical education needed for entry into the target.
    pub bls_entry_education: Barrier<String>,
    /// BLS's work experience in a related occupation.
    pub bls_work_experience: Barrier<String>,
    /// BLS's typical on-the-job training.
    pub bls_training: Barrier<String>,
    /// Knowledge the target rates important and the source does not, most important first.
    pub missing_knowledge: Barrier<Vec<MissingKnowledge>>,
}

/// BLS's typical entry requirements of the target (`None` each when not published or not loaded).
#[derive(Clone, Copy, Debug, Default)]
pub struct EntryRequirements<'a> {
    /// Typical education needed for entry.
    pub education: Option<&'a str>,
    /// Work experience in a related occupation.
    pub experience: Option<&'a str>,
    /// Typical on-the-job training.
    pub training: Option<&'a str>,
}

/// The knowledge side of a move: the knowledge table's descriptors, and each side's O*NET cells
/// (`None` when not rated).
#[derive(Clone, Copy, Debug)]
pub struct KnowledgeSides<'a> {
    /// The knowledge descriptors.
    pub descriptors: &'a [DescriptorInfo],
    /// The source's cells.
    pub from: Option<&'a [Cell]>,
    /// The target's cells.
    pub to: Option<&'a [Cell]>,
}

/// What the barriers of a move are computed from.
#[derive(Clone, Copy, Debug)]
pub struct BarrierInput<'a> {
    /// The source's distributions (`None` without rows).
    pub from: Option<&'a Preparation>,
    /// The target's.
    pub to: Option<&'a Preparation>,
    /// The categories file, to name categories.
    pub categories: &'a [EducationCategory],
    /// BLS's entry requirements of the target; `None` when no BLS data is loaded.
    pub bls: Option<EntryRequirements<'a>>,
    /// The knowledge of both sides; `None` when the release has no knowledge ratings.
    pub knowledge: Option<KnowledgeSides<'a>>,
}

fn level(p: &Preparation, scale: PrepScale, categories: &[EducationCategory]) -> Option<Level> {
    let (category, share) = p.most_common(scale)?;
    let description = categories
        .iter()
        .find(|k| k.scale.as_str() == scale.id() && k.category == category)
        .map(|k| k.description.clone())
        .unwrap_or_default();
    Some(Level {
        category,
        description,
        share,
    })
}

/// The education step between two occupations' distributions.
pub fn education_step(
    from: &Preparation,
    to: &Preparation,
    categories: &[EducationCategory],
) -> Option<EducationStep> {
    let f = level(from, PrepScale::Education, categories)?;
    let t = level(to, PrepScale::Education, categories)?;
    let share = to.share_at_or_above(PrepScale::Education, f.category)?;
    let years = match (school_years(f.category), school_years(t.category)) {
        (Some(a), Some(b)) => (b - a).max(0.0),
        _ => 0.0,
    };
    Some(EducationStep {
        step: i32::from(t.category) - i32::from(f.category),
        school_years_up: years,
        target_share_at_or_above_source: (share * 100.0).round() / 100.0,
        from: f,
        to: t,
    })
}

/// Knowledge the target rates important and the source does not, most important first (ties by
/// element id).
pub fn missing_knowledge(k: &KnowledgeSides) -> Option<Vec<MissingKnowledge>> {
    let to = k.to?;
    let mut out: Vec<MissingKnowledge> = to
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let ti = c.importance.filter(|v| *v >= IMPORTANT_KNOWLEDGE)?;
            let fi = k.from.and_then(|f| f.get(i)).and_then(|c| c.importance);
            if fi.is_some_and(|v| v >= IMPORTANT_KNOWLEDGE) {
                return None;
            }
            let d = k.descriptors.get(i)?;
            Some(MissingKnowledge {
                element: d.id.to_string(),
                name: d.name.clone(),
                from_importance: fi,
                to_importance: ti,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.to_importance
            .total_cmp(&a.to_importance)
            .then_with(|| a.element.cmp(&b.element))
    });
    Some(out)
}

/// Every barrier of a move.
pub fn barriers<'a>(input: &BarrierInput<'a>) -> Barriers {
    let target = |scale| input.to.and_then(|p| level(p, scale, input.categories));
    const NO_ETE: &str =
        "the target has no such distribution in Education, Training, and Experience";
    let education = match (input.from, input.to) {
        (Some(f), Some(t)) => Barrier::of(
            education_step(f, t, input.categories),
            ETE_SOURCE,
            "a side has no required-education distribution",
        ),
        _ => Barrier::of(
            None,
            ETE_SOURCE,
            "a side has no rows in Education, Training, and Experience",
        ),
    };
    let bls = |pick: fn(&EntryRequirements<'a>) -> Option<&'a str>| match &input.bls {
        None => Barrier::of(None, BLS_SOURCE, "no BLS data is loaded"),
        Some(b) => Barrier::of(
            pick(b).map(str::to_string),
            BLS_SOURCE,
            "BLS publishes no value for the target",
        ),
    };
    let missing_knowledge = match &input.knowledge {
        None => Barrier::of(
            None,
            KNOWLEDGE_SOURCE,
            "the release has no knowledge ratings",
        ),
        Some(k) => Barrier::of(
            missing_knowledge(k),
            KNOWLEDGE_SOURCE,
            "the target has no knowledge ratings",
        ),
    };
    Barriers {
        education,
        related_experience: Barrier::of(target(PrepScale::Experience), ETE_SOURCE, NO_ETE),
        on_site_training: Barrier::of(target(PrepScale::OnSite), ETE_SOURCE, NO_ETE),
        on_the_job_training: Barrier::of(target(PrepScale::OnTheJob), ETE_SOURCE, NO_ETE),
        bls_entry_education: bls(|b| b.education),
        bls_work_experience: bls(|b| b.experience),
        bls_training: bls(|b| b.training),
        missing_knowledge,
    }
}

/// The effort of a move and its parts ([`EFFORT_FORMULA`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Effort {
    /// The skills (compared domains') weighted gap.
    pub skills: f64,
    /// The knowledge weighted gap (× [`KNOWLEDGE_EFFORT_WEIGHT`]).
    pub knowledge: f64,
    /// School years up × [`EFFORT_PER_SCHOOL_YEAR`].
    pub education: f64,
    /// Their sum.
    pub total: f64,
}

impl Effort {
    /// The effort from a skills gap, a knowledge gap and the school years up.
    pub fn new(skills: f64, knowledge_gap: f64, school_years_up: f64) -> Self {
        let knowledge = KNOWLEDGE_EFFORT_WEIGHT * knowledge_gap;
        let education = EFFORT_PER_SCHOOL_YEAR * school_years_up.max(0.0);
        Self {
            skills,
            knowledge,
            education,
            total: skills + knowledge + education,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn school_years_cover_every_category() {
        assert_eq!(school_years(6), Some(16.0));
        assert_eq!(school_years(11), Some(21.0));
        assert_eq!(school_years(0), None);
        assert_eq!(school_years(13), None);
    }

    #[test]
    fn effort_adds_its_parts() {
        let e = Effort::new(10.0, 5.5, 2.0);
        assert_eq!(e.education, 80.0);
        assert_eq!(e.knowledge, 5.5);
        assert_eq!(e.total, 95.5);
        assert_eq!(Effort::new(1.0, 0.0, -3.0).total, 1.0);
    }
}
