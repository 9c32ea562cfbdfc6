//! How related two occupations are: a blend of what their titles say, what their tasks say,
//! how alike their rating profiles are, and how far apart their job zones lie, in the spirit
//! of O*NET's own Related Occupations method (task, knowledge and title similarity), computed
//! once for every pair of occupations that has task statements.
//!
//! Each component is a similarity in [0, 1]. Components live on very different scales (two
//! knowledge profiles correlate at 0.6 on average, two task texts share a cosine of 0.05), so
//! before blending each is standardised over all pairs: `z = (x − mean) / sd`. The score of a
//! pair is the weighted mean of the standardised components both occupations have (weights
//! renormalised over those present), so an occupation without ratings is still ranked on its
//! texts and job zone. A score of 0 is an average pair; positive scores are closer than average,
//! in standard deviations.

use std::collections::HashMap;

use crate::catalog::Catalog;
use crate::code::SocCode;
use crate::descriptor::Domain;
use crate::profile::Cell;

mod table;
pub use table::PairTable;
use table::{Features, blend};

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

    fn of_domain(domain: Domain) -> Component {
        match domain {
            Domain::Skills => Component::Skills,
            Domain::Knowledge => Component::Knowledge,
            Domain::Abilities => Component::Abilities,
            Domain::WorkActivities => Component::WorkActivities,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

const N: usize = Component::ALL.len();

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

/// A task statement as relatedness reads it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TaskText<'a> {
    /// The statement.
    pub text: &'a str,
    /// O*NET marks it Core (or gives no type); `false` for Supplemental.
    pub core: bool,
}

/// What relatedness needs to know about one occupation.
#[derive(Clone, Debug, PartialEq)]
pub struct RelatednessInput<'a> {
    /// Its code.
    pub code: SocCode,
    /// Its title.
    pub title: &'a str,
    /// Its alternate titles and short titles.
    pub alternate_titles: Vec<&'a str>,
    /// O*NET's description.
    pub description: &'a str,
    /// Its task statements. An occupation without any is not ranked (O*NET's residual
    /// "All Other" codes have none, and O*NET relates none of them either).
    pub tasks: Vec<TaskText<'a>>,
    /// Its job zone (1–5), when known.
    pub job_zone: Option<u8>,
    /// Its rating profiles, one per rated domain: cells in the same descriptor order for every
    /// occupation (as [`crate::DomainTable`] keeps them). Importance is what is compared.
    pub profiles: Vec<(Domain, &'a [Cell])>,
}

impl<'a> RelatednessInput<'a> {
    /// The inputs of every occupation of a catalog, with its O*NET profiles (release or web
    /// API, not LLM estimates: a guess should not decide what counts as related).
    pub fn from_catalog(catalog: &'a Catalog) -> Vec<Self> {
        catalog
            .occupations
            .iter()
            .enumerate()
            .map(|(i, e)| RelatednessInput {
                code: e.occupation.code,
                title: &e.occupation.title,
                alternate_titles: e
                    .alternate_titles
                    .iter()
                    .chain(&e.short_titles)
                    .map(String::as_str)
                    .collect(),
                description: &e.occupation.description,
                tasks: e
                    .tasks
                    .iter()
                    .map(|t| TaskText {
                        text: &t.text,
                        core: t.task_type.as_deref() != Some("Supplemental"),
                    })
                    .collect(),
                job_zone: e.job_zone,
                profiles: catalog
                    .domains
                    .iter()
                    .filter_map(|t| Some((t.domain, &*t.profiles(i).onet.as_ref()?.cells)))
                    .collect(),
            })
            .collect()
    }
}

/// The components of one pair: each a similarity in [0, 1], absent when either side lacks it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Components(pub [Option<f32>; N]);

impl Components {
    /// One component's value.
    pub fn get(&self, c: Component) -> Option<f32> {
        self.0[c.index()]
    }
}

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

/// Relatedness between occupations: the closest ones to each, and any pair on demand.
#[derive(Clone, Debug, Default)]
pub struct Relatedness {
    codes: Vec<SocCode>,
    index: HashMap<SocCode, usize>,
    features: Vec<Features>,
    scale: [(f32, f32); N],
    weights: Weights,
    /// Per occupation: the closest, best first, as (index into `codes`, score).
    neighbours: Vec<Vec<(u32, f32)>>,
}

impl Relatedness {
    /// Builds relatedness for every occupation with tasks, under the default weights.
    pub fn build(inputs: &[RelatednessInput]) -> Self {
        PairTable::build(inputs, &TextWeights::default()).into_relatedness(Weights::default())
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

    /// How `to` relates to `from`, with its components; `None` if either is not ranked or they
    /// are the same occupation.
    pub fn pair(&self, from: SocCode, to: SocCode) -> Option<Pair> {
        let (a, b) = (*self.index.get(&from)?, *self.index.get(&to)?);
        (a != b).then(|| self.pair_at(a, b))
    }

    fn pair_at(&self, a: usize, b: usize) -> Pair {
        let (fa, fb) = (&self.features[a], &self.features[b]);
        let components = Components(Component::ALL.map(|c| fa.component(fb, c)));
        Pair {
            occupation: self.codes[b],
            score: blend(
                &self.weights,
                &self.scale,
                components.0.map(|v| v.unwrap_or(f32::NAN)),
            ),
            components,
        }
    }

    /// The occupations closest to `from`, best first (ties by code), at most `limit` (and at
    /// most [`NEIGHBOURS`]); empty when `from` is not ranked.
    pub fn closest(&self, from: SocCode, limit: usize) -> Vec<Pair> {
        let Some(&a) = self.index.get(&from) else {
            return Vec::new();
        };
        self.neighbours[a]
            .iter()
            .take(limit)
            .map(|&(b, _)| self.pair_at(a, b as usize))
            .collect()
    }

    /// The codes closest to `from`, best first, without their components (cheap).
    pub fn closest_codes(&self, from: SocCode) -> impl Iterator<Item = (SocCode, f32)> + '_ {
        self.index
            .get(&from)
            .map(|&a| self.neighbours[a].as_slice())
            .unwrap_or_default()
            .iter()
            .map(|&(b, s)| (self.codes[b as usize], s))
    }
}

#[cfg(test)]
mod tests {
    //! Small hand-made occupations (arithmetic fixtures, not O*NET data).
    use super::table::{centred, correlation, family};
    use super::*;

    fn code(s: &str) -> SocCode {
        SocCode::parse(s).unwrap()
    }

    fn cells(importance: &[f64]) -> Vec<Cell> {
        importance
            .iter()
            .map(|v| Cell {
                importance: Some(*v),
                ..Cell::default()
            })
            .collect()
    }

    fn input<'a>(
        c: &str,
        title: &'a str,
        task: &'a str,
        zone: u8,
        knowledge: Option<&'a [Cell]>,
    ) -> RelatednessInput<'a> {
        RelatednessInput {
            code: code(c),
            title,
            alternate_titles: vec![],
            description: "",
            tasks: vec![TaskText {
                text: task,
                core: true,
            }],
            job_zone: Some(zone),
            profiles: knowledge
                .map(|k| (Domain::Knowledge, k))
                .into_iter()
                .collect(),
        }
    }

    fn pearson(a: &[f64], b: &[f64]) -> f64 {
        let n = a.len() as f64;
        let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
        let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
        let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
        let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
        cov / (va * vb).sqrt()
    }

    #[test]
    fn family_counts_shared_soc_levels() {
        let f = |a, b| family(code(a), code(b));
        assert_eq!(f("15-1252.00", "15-1252.01"), 1.0);
        assert_eq!(f("15-1252.00", "15-1253.00"), 0.75);
        assert_eq!(f("15-1252.00", "15-1241.00"), 0.5);
        assert_eq!(f("15-1252.00", "15-2011.00"), 0.25);
        assert_eq!(f("15-1252.00", "17-1252.00"), 0.0);
    }

    #[test]
    fn profile_similarity_is_the_rescaled_pearson_correlation() {
        let (a, b) = ([4.0, 2.0, 3.5, 1.0], [3.0, 2.5, 4.0, 1.5]);
        let (ca, cb) = (cells(&a), cells(&b));
        let r = correlation(&centred(&ca).unwrap(), &centred(&cb).unwrap());
        assert!((f64::from(r) - (pearson(&a, &b) + 1.0) / 2.0).abs() < 1e-6);
        // A flat profile has no shape to compare; a missing importance, no profile at all.
        assert!(centred(&cells(&[2.0, 2.0])).is_none());
        let mut gap = cells(&a);
        gap[1].importance = None;
        assert!(centred(&gap).is_none());
    }

    #[test]
    fn components_blend_over_what_both_sides_have() {
        let (k1, k2) = (cells(&[5.0, 1.0, 3.0]), cells(&[4.0, 2.0, 3.0]));
        let inputs = [
            input(
                "47-2111.00",
                "Electricians",
                "install wiring in buildings",
                3,
                Some(&k1),
            ),
            input(
                "47-2152.00",
                "Plumbers",
                "install pipes in buildings",
                3,
                Some(&k2),
            ),
            input("35-2014.00", "Cooks", "prepare meals", 1, None),
            // No tasks: not ranked at all.
            RelatednessInput {
                tasks: vec![],
                ..input("47-2199.00", "Construction Workers, All Other", "", 2, None)
            },
        ];
        let table = PairTable::build(&inputs, &TextWeights::default());
        let codes: Vec<&str> = table.codes().iter().map(SocCode::as_str).collect();
        assert_eq!(codes, ["35-2014.00", "47-2111.00", "47-2152.00"]);
        let (cook, elec, plumb) = (0, 1, 2);

        // Knowledge: only the two rated ones have it.
        let k = table.component(Component::Knowledge, elec, plumb).unwrap();
        let r = pearson(&[5.0, 1.0, 3.0], &[4.0, 2.0, 3.0]);
        assert!((f64::from(k) - (r + 1.0) / 2.0).abs() < 1e-6);
        assert_eq!(table.component(Component::Knowledge, elec, cook), None);
        // Job zones 3 and 1: closeness 1 − 2/4.
        assert_eq!(table.component(Component::JobZone, elec, cook), Some(0.5));
        // 47-2111 and 47-2152 share major group 47 and minor group 47-21, not the broad group.
        assert_eq!(table.component(Component::Family, elec, plumb), Some(0.5));
        // Task texts share `install` and `building` only; titles share nothing.
        assert!(table.component(Component::Tasks, elec, plumb).unwrap() > 0.2);
        assert_eq!(table.component(Component::Tasks, elec, cook), Some(0.0));
        assert_eq!(table.component(Component::Titles, elec, plumb), Some(0.0));

        // The score is the weighted mean of the standardised components present.
        let w = Weights::default();
        let z = |c: Component, a, b| {
            let (m, sd) = table.scale(c);
            (table.component(c, a, b).unwrap() - m) / sd
        };
        let present = [
            Component::Titles,
            Component::Tasks,
            Component::JobZone,
            Component::Family,
        ];
        let expect: f32 = present
            .iter()
            .map(|c| w.get(*c) * z(*c, elec, cook))
            .sum::<f32>()
            / present.iter().map(|c| w.get(*c)).sum::<f32>();
        assert!((table.score(&w, elec, cook) - expect).abs() < 1e-5);

        // The closest to the electrician is the plumber; itself is never listed.
        let closest = table.closest(&w, elec, 5);
        assert_eq!(
            closest.iter().map(|c| c.0).collect::<Vec<_>>(),
            [plumb, cook]
        );

        // The kept ranking and on-demand pairs agree with the table.
        let rel = table.clone().into_relatedness(w);
        let pair = rel.pair(code("47-2111.00"), code("47-2152.00")).unwrap();
        assert_eq!(pair.components.get(Component::Knowledge), Some(k));
        assert!((pair.score - table.score(&w, elec, plumb)).abs() < 1e-5);
        let listed: Vec<SocCode> = rel
            .closest(code("47-2111.00"), 10)
            .iter()
            .map(|p| p.occupation)
            .collect();
        assert_eq!(listed, [code("47-2152.00"), code("35-2014.00")]);
        assert!(rel.pair(code("47-2111.00"), code("47-2111.00")).is_none());
        assert!(!rel.contains(code("47-2199.00")));
        assert!(rel.closest(code("47-2199.00"), 10).is_empty());
    }

    #[test]
    fn ties_are_broken_by_code() {
        // Three identical occupations but for their codes (and so their family).
        let inputs: Vec<RelatednessInput> = ["51-1011.00", "41-1011.00", "31-1011.00"]
            .iter()
            .map(|c| input(c, "Helpers", "help", 2, None))
            .collect();
        let table = PairTable::build(&inputs, &TextWeights::default());
        let closest = table.closest(&Weights::default(), 1, 5);
        assert_eq!(closest.iter().map(|c| c.0).collect::<Vec<_>>(), [0, 2]);
        assert_eq!(closest[0].1, closest[1].1);
    }
}
