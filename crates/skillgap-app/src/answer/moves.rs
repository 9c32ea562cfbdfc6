//! What every answer about a move carries: what its relatedness is made of, the job-zone change,
//! and the knowledge both occupations share.

use serde::Serialize;
use skillgap_core::relatedness::{Component, Pair};
use skillgap_core::{Catalog, Domain};
use utoipa::ToSchema;

use super::round;

/// What relatedness is made of, for one pair: each a similarity in [0, 1], `null` when either
/// side lacks what it needs (abilities and work activities when a release has no such ratings).
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct ComponentsDto {
    /// Title text (title, alternate and short titles; TF-IDF cosine).
    pub titles: Option<f64>,
    /// Task statements and description (TF-IDF cosine; core tasks count more).
    pub tasks: Option<f64>,
    /// Knowledge importance profiles (correlation, mapped onto [0, 1]).
    pub knowledge: Option<f64>,
    /// Skills importance profiles.
    pub skills: Option<f64>,
    /// Abilities importance profiles.
    pub abilities: Option<f64>,
    /// Work-activities importance profiles.
    pub work_activities: Option<f64>,
    /// Job-zone closeness, `1 − |difference| / 4`.
    pub job_zone: Option<f64>,
    /// Shared SOC groups (major, minor, broad, detailed; a quarter each).
    pub family: Option<f64>,
}

impl ComponentsDto {
    pub(crate) fn of(pair: &Pair) -> Self {
        let c = |k: Component| pair.components.get(k).map(|v| round(f64::from(v), 4));
        Self {
            titles: c(Component::Titles),
            tasks: c(Component::Tasks),
            knowledge: c(Component::Knowledge),
            skills: c(Component::Skills),
            abilities: c(Component::Abilities),
            work_activities: c(Component::WorkActivities),
            job_zone: c(Component::JobZone),
            family: c(Component::Family),
        }
    }
}

/// A job-zone change (zones 1–5: the preparation an occupation needs).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, ToSchema)]
pub struct JobZoneChange {
    /// The source's zone, when known.
    pub from: Option<u8>,
    /// The target's zone, when known.
    pub to: Option<u8>,
    /// `to − from`: positive is more preparation.
    pub change: Option<i8>,
}

impl JobZoneChange {
    /// The change between two occupations' zones.
    pub fn between(from: Option<u8>, to: Option<u8>) -> Self {
        Self {
            from,
            to,
            change: from.zip(to).map(|(f, t)| t as i8 - f as i8),
        }
    }
}

/// Importance both sides must give a knowledge area for it to count as shared.
pub const SHARED_KNOWLEDGE_IMPORTANCE: f64 = 3.5;
/// Most shared knowledge areas named per move.
const SHARED_KNOWLEDGE_SHOWN: usize = 3;

/// The knowledge both occupations rate important, most shared (highest lower importance) first.
pub fn shared_knowledge(catalog: &Catalog, a: usize, b: usize) -> Vec<String> {
    let Some(table) = catalog.domain(Domain::Knowledge) else {
        return Vec::new();
    };
    let cells = |i: usize| table.profiles(i).onet.as_ref().map(|p| &p.cells);
    let (Some(x), Some(y)) = (cells(a), cells(b)) else {
        return Vec::new();
    };
    let mut shared: Vec<(f64, usize)> = x
        .iter()
        .zip(y.iter())
        .enumerate()
        .filter_map(|(i, (p, q))| Some((p.importance?.min(q.importance?), i)))
        .filter(|(m, _)| *m >= SHARED_KNOWLEDGE_IMPORTANCE)
        .collect();
    shared.sort_by(|p, q| q.0.total_cmp(&p.0).then(p.1.cmp(&q.1)));
    shared
        .into_iter()
        .take(SHARED_KNOWLEDGE_SHOWN)
        .map(|(_, i)| table.descriptors[i].name.clone())
        .collect()
}
