//! What relatedness is made of: its components, their tuned weights, and how the text
//! documents are put together.

use crate::Domain;

// The weights below were tuned on half of O*NET 30.0's Related Occupations list (445 source
// occupations, `related_30_0_train`), maximising mean overlap@10 with its Primary tiers, and
// rounded. Only their ratios matter; each multiplies a standardised component, so a weight says
// how much one standard deviation of that component is worth. The knowledge weight comes out
// highest although knowledge alone ranks worse than task text: it is the least redundant with
// the two texts, so in the blend it adds the most. See the example `tune_relatedness`.

/// Weight of title similarity (title, alternate and short titles, TF-IDF cosine). Alone the
/// second-best signal (4.6 of O*NET's 10 Primary related occupations in the top 10).
pub const TITLES_WEIGHT: f32 = 1.0;
/// Weight of task similarity (task statements and description, TF-IDF cosine): what the work
/// is. Alone the best signal (4.9 of 10).
pub const TASKS_WEIGHT: f32 = 1.5;
/// Weight of knowledge-profile similarity (correlation of importance ratings; 3.4 of 10 alone).
pub const KNOWLEDGE_WEIGHT: f32 = 4.0;
/// Weight of skills-profile similarity (correlation of importance ratings; 2.0 of 10 alone).
pub const SKILLS_WEIGHT: f32 = 2.0;
/// Weight of abilities-profile similarity, when a release has `Abilities.txt`. Not tuned (no
/// abilities ratings were at hand): set at half the skills weight, as abilities are broad traits.
pub const ABILITIES_WEIGHT: f32 = 1.0;
/// Weight of work-activities-profile similarity, when a release has `Work Activities.txt`. Not
/// tuned (no ratings at hand): O*NET's own method leans on work activities, so set as skills.
pub const WORK_ACTIVITIES_WEIGHT: f32 = 2.0;
/// Weight of job-zone closeness (`1 − |zone difference| / 4`). Useless alone (0.2 of 10) but
/// it keeps a manager's list from filling with the clerks who share its vocabulary.
pub const JOB_ZONE_WEIGHT: f32 = 1.5;
/// Weight of the SOC family both belong to (shared major, minor, broad group, detailed code).
/// 3.0 of 10 alone, but mostly redundant with the titles: a small weight breaks ties.
pub const FAMILY_WEIGHT: f32 = 0.15;

/// How much the occupation's own title counts in its title text, against 1 for each
/// alternate or short title: it is the name O*NET and the expert panels use.
pub const MAIN_TITLE_PIECE: f32 = 3.0;
/// How much a supplemental task counts in the task text, against 1 for a core task.
pub const SUPPLEMENTAL_TASK_PIECE: f32 = 0.5;
/// How much the description counts in the task text, against 1 for a core task.
pub const DESCRIPTION_PIECE: f32 = 1.0;

/// How many closest occupations are kept per occupation. 100 covers every list O*NET publishes
/// (20 per occupation) and any path search's neighbourhood, in 800 bytes per occupation; any
/// other pair is scored on demand by [`Relatedness::pair`].
pub const NEIGHBOURS: usize = 100;

/// One part of relatedness.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Component {
    /// Title text similarity.
    Titles,
    /// Task and description text similarity.
    Tasks,
    /// Knowledge-profile similarity.
    Knowledge,
    /// Skills-profile similarity.
    Skills,
    /// Abilities-profile similarity.
    Abilities,
    /// Work-activities-profile similarity.
    WorkActivities,
    /// Job-zone closeness.
    JobZone,
    /// Shared SOC groups: the classification puts kindred work under one group.
    Family,
}

impl Component {
    /// Every component, in the order of [`Components`] arrays.
    pub const ALL: [Component; 8] = [
        Component::Titles,
        Component::Tasks,
        Component::Knowledge,
        Component::Skills,
        Component::Abilities,
        Component::WorkActivities,
        Component::JobZone,
        Component::Family,
    ];

    /// The snake_case name used in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Component::Titles => "titles",
            Component::Tasks => "tasks",
            Component::Knowledge => "knowledge",
            Component::Skills => "skills",
            Component::Abilities => "abilities",
            Component::WorkActivities => "work_activities",
            Component::JobZone => "job_zone",
            Component::Family => "family",
        }
    }

    pub(super) fn of_domain(domain: Domain) -> Component {
        match domain {
            Domain::Skills => Component::Skills,
            Domain::Knowledge => Component::Knowledge,
            Domain::Abilities => Component::Abilities,
            Domain::WorkActivities => Component::WorkActivities,
        }
    }

    pub(super) fn index(self) -> usize {
        self as usize
    }
}

pub(super) const N: usize = Component::ALL.len();

/// The blend: one weight per component.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Weights(pub [f32; N]);

impl Default for Weights {
    fn default() -> Self {
        Self([
            TITLES_WEIGHT,
            TASKS_WEIGHT,
            KNOWLEDGE_WEIGHT,
            SKILLS_WEIGHT,
            ABILITIES_WEIGHT,
            WORK_ACTIVITIES_WEIGHT,
            JOB_ZONE_WEIGHT,
            FAMILY_WEIGHT,
        ])
    }
}

impl Weights {
    /// The weight of one component.
    pub fn get(&self, c: Component) -> f32 {
        self.0[c.index()]
    }

    /// Sets the weight of one component.
    pub fn set(&mut self, c: Component, w: f32) {
        self.0[c.index()] = w;
    }
}

/// How the text documents are put together.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TextWeights {
    /// See [`MAIN_TITLE_PIECE`].
    pub main_title: f32,
    /// See [`SUPPLEMENTAL_TASK_PIECE`].
    pub supplemental_task: f32,
    /// See [`DESCRIPTION_PIECE`].
    pub description: f32,
}

impl Default for TextWeights {
    fn default() -> Self {
        Self {
            main_title: MAIN_TITLE_PIECE,
            supplemental_task: SUPPLEMENTAL_TASK_PIECE,
            description: DESCRIPTION_PIECE,
        }
    }
}

/// The components of one pair: each a similarity in [0, 1], absent when either side lacks it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Components(pub [Option<f32>; N]);

impl Components {
    pub(super) fn from_values(values: [f32; N]) -> Self {
        Self(values.map(|v| (!v.is_nan()).then_some(v)))
    }

    /// One component's value.
    pub fn get(&self, c: Component) -> Option<f32> {
        self.0[c.index()]
    }
}
