//! Everything the engine answers from, held in memory: occupations, and for each rated domain a
//! dense profile per occupation (one cell per descriptor, in element-id order), so a comparison is
//! a loop over a few dozen numbers. What is derived from a catalog (relatedness, the step graph,
//! the title index) is built beside it, from it, by the modules that own those algorithms.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::code::{ElementId, SocCode};
use crate::date::OnetDate;
use crate::descriptor::{Domain, LevelAnchor};
use crate::occupation::{Occupation, OccupationEntry, Task};
use crate::profile::{Anchor, Cell, DescriptorInfo, DomainTable, Profile, ProfileChoice};
use crate::rating::{Rating, Source};
use crate::related::RelatedOccupation;
use crate::release::Release;

/// Everything the engine answers from.
#[derive(Clone, Debug)]
pub struct Catalog {
    /// The O*NET release the release-sourced values come from.
    pub release: Option<String>,
    /// Occupations, by code.
    pub occupations: Vec<OccupationEntry>,
    index: HashMap<SocCode, usize>,
    /// Rated domains, in [`Domain::ALL`] order.
    pub domains: Vec<DomainTable>,
}

impl Catalog {
    /// Builds the catalog from whole tables (tests, benchmarks, the CLI on a parsed release).
    /// `data.ratings` may mix sources; occupations default to [`Source::OnetRelease`].
    pub fn build(
        release: Option<String>,
        data: &Release,
        occupation_sources: &HashMap<SocCode, Source>,
    ) -> Self {
        let mut b = CatalogBuilder::new(release);
        for o in &data.occupations {
            let source = occupation_sources
                .get(&o.code)
                .copied()
                .unwrap_or(Source::OnetRelease);
            b.occupation(o.clone(), source);
        }
        for d in &data.descriptors {
            b.descriptor(d.clone());
        }
        for a in &data.level_anchors {
            b.level_anchor(a.clone());
        }
        for r in &data.ratings {
            b.rating(r);
        }
        for a in &data.alternate_titles {
            b.alternate_title(a.occupation, a.title.clone());
            if let Some(short) = &a.short_title {
                b.short_title(a.occupation, short.clone());
            }
        }
        for r in &data.reported_titles {
            b.reported_title(r.occupation, r.title.clone());
        }
        for t in &data.tasks {
            b.task(t.clone());
        }
        for z in &data.job_zones {
            b.job_zone(z.occupation, z.zone);
        }
        for r in &data.related_occupations {
            b.related(*r);
        }
        b.build()
    }

    /// The index of an occupation.
    pub fn index_of(&self, code: SocCode) -> Option<usize> {
        self.index.get(&code).copied()
    }

    /// An occupation by code.
    pub fn occupation(&self, code: SocCode) -> Option<&OccupationEntry> {
        self.index_of(code).map(|i| &self.occupations[i])
    }

    /// The table of a rated domain.
    pub fn domain(&self, domain: Domain) -> Option<&DomainTable> {
        self.domains.iter().find(|t| t.domain == domain)
    }

    /// Occupations with a profile under `choice` in `domain`.
    pub fn rated_count(&self, domain: Domain, choice: ProfileChoice) -> usize {
        self.domain(domain)
            .map(|t| t.rated_count(choice))
            .unwrap_or(0)
    }
}

/// What a scale means to the engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum ScaleKind {
    Importance,
    Level,
}

/// A rating as the builder keeps it until `build`: small and free of strings.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
struct CompactRating {
    /// Position in the builder's `rated_codes`.
    occupation: u32,
    element: u32,
    scale: ScaleKind,
    source: Source,
    value: f64,
    standard_error: Option<f64>,
    suppressed: bool,
    not_relevant: bool,
    /// A number, not text: hundreds of thousands of these are kept and read back.
    #[serde(with = "crate::date::compact")]
    date: Option<OnetDate>,
}

/// Collects rows one at a time (as they stream from the store) and builds a [`Catalog`]
/// without ever holding every table as full domain values.
///
/// It serializes (serde) to what it has collected, so a store can keep the rows of one data
/// version as a single value and a start can read that back instead of every row.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct CatalogBuilder {
    release: Option<String>,
    occupations: Vec<(Occupation, Source)>,
    descriptors: Vec<crate::Descriptor>,
    anchors: Vec<LevelAnchor>,
    /// Position of each element in `element_ids`. Not serialized (a map's order would make the
    /// bytes differ run to run); rebuilt from `element_ids` when a rating is next added.
    #[serde(skip)]
    elements: HashMap<ElementId, u32>,
    element_ids: Vec<ElementId>,
    /// Position of each rated occupation in `rated_codes`; not serialized, like `elements`.
    #[serde(skip)]
    rated: HashMap<SocCode, u32>,
    rated_codes: Vec<SocCode>,
    ratings: Vec<CompactRating>,
    alternate_titles: Vec<(SocCode, String)>,
    short_titles: Vec<(SocCode, String)>,
    reported_titles: Vec<(SocCode, String)>,
    tasks: Vec<Task>,
    job_zones: Vec<(SocCode, u8)>,
    related: Vec<RelatedOccupation>,
}

impl CatalogBuilder {
    /// An empty builder for the named release.
    pub fn new(release: Option<String>) -> Self {
        Self {
            release,
            ..Self::default()
        }
    }

    /// Sets the release name.
    pub fn set_release(&mut self, release: Option<String>) {
        self.release = release;
    }

    /// Adds an occupation.
    pub fn occupation(&mut self, occupation: Occupation, source: Source) {
        self.occupations.push((occupation, source));
    }

    /// Adds a content-model element.
    pub fn descriptor(&mut self, descriptor: crate::Descriptor) {
        self.descriptors.push(descriptor);
    }

    /// Adds a level anchor.
    pub fn level_anchor(&mut self, anchor: LevelAnchor) {
        self.anchors.push(anchor);
    }

    /// Adds a rating; only IM and LV ratings matter to the engine, others are ignored.
    pub fn rating(&mut self, r: &Rating) {
        let scale = if r.scale.is_importance() {
            ScaleKind::Importance
        } else if r.scale.is_level() {
            ScaleKind::Level
        } else {
            return;
        };
        if self.elements.len() != self.element_ids.len()
            || self.rated.len() != self.rated_codes.len()
        {
            // Deserialized: the positions are not kept, so they are found again once.
            self.elements = (0..)
                .zip(&self.element_ids)
                .map(|(i, e)| (e.clone(), i))
                .collect();
            self.rated = (0..).zip(&self.rated_codes).map(|(i, c)| (*c, i)).collect();
        }
        let next = self.element_ids.len() as u32;
        let element = *self.elements.entry(r.element.clone()).or_insert_with(|| {
            self.element_ids.push(r.element.clone());
            next
        });
        let next = self.rated_codes.len() as u32;
        let occupation = *self.rated.entry(r.occupation).or_insert_with(|| {
            self.rated_codes.push(r.occupation);
            next
        });
        self.ratings.push(CompactRating {
            occupation,
            element,
            scale,
            source: r.source,
            value: r.value,
            standard_error: r.standard_error,
            suppressed: r.recommend_suppress == Some(true),
            not_relevant: r.not_relevant == Some(true),
            date: r.date,
        });
    }

    /// Adds a reported title.
    pub fn reported_title(&mut self, occupation: SocCode, title: String) {
        self.reported_titles.push((occupation, title));
    }

    /// Adds an alternate title.
    pub fn alternate_title(&mut self, occupation: SocCode, title: String) {
        self.alternate_titles.push((occupation, title));
    }

    /// Adds a short title.
    pub fn short_title(&mut self, occupation: SocCode, title: String) {
        self.short_titles.push((occupation, title));
    }

    /// Adds a task statement.
    pub fn task(&mut self, task: Task) {
        self.tasks.push(task);
    }

    /// Adds a job zone.
    pub fn job_zone(&mut self, occupation: SocCode, zone: u8) {
        self.job_zones.push((occupation, zone));
    }

    /// Adds a row of O*NET's related-occupations list.
    pub fn related(&mut self, related: RelatedOccupation) {
        self.related.push(related);
    }

    /// Builds the catalog: occupations by code, and for each rated domain one dense profile per
    /// occupation and source, with release and web-API values combined into one O*NET profile
    /// (the API's only where newer or where the release has none).
    pub fn build(self) -> Catalog {
        let mut occupations: Vec<OccupationEntry> = self
            .occupations
            .into_iter()
            .map(|(occupation, source)| OccupationEntry {
                occupation,
                source,
                job_zone: None,
                alternate_titles: Vec::new(),
                short_titles: Vec::new(),
                reported_titles: Vec::new(),
                tasks: Vec::new(),
                related: Vec::new(),
            })
            .collect();
        occupations.sort_by_key(|e| e.occupation.code);
        let index: HashMap<SocCode, usize> = occupations
            .iter()
            .enumerate()
            .map(|(i, e)| (e.occupation.code, i))
            .collect();
        for (code, zone) in self.job_zones {
            if let Some(i) = index.get(&code) {
                occupations[*i].job_zone = Some(zone);
            }
        }
        for (code, title) in self.alternate_titles {
            if let Some(i) = index.get(&code) {
                occupations[*i].alternate_titles.push(title);
            }
        }
        for (code, title) in self.short_titles {
            if let Some(i) = index.get(&code) {
                occupations[*i].short_titles.push(title);
            }
        }
        for (code, title) in self.reported_titles {
            if let Some(i) = index.get(&code) {
                occupations[*i].reported_titles.push(title);
            }
        }
        for t in self.tasks {
            if let Some(i) = index.get(&t.occupation) {
                occupations[*i].tasks.push(t);
            }
        }
        for r in self.related {
            if let Some(i) = index.get(&r.occupation) {
                occupations[*i].related.push(r);
            }
        }
        for e in &mut occupations {
            e.related.sort_by_key(|r| (r.index, r.related));
        }

        let descriptors: HashMap<&ElementId, &crate::Descriptor> =
            self.descriptors.iter().map(|d| (&d.id, d)).collect();
        let mut anchors: HashMap<&ElementId, Vec<Anchor>> = HashMap::new();
        for a in self.anchors.iter().filter(|a| a.scale.is_level()) {
            anchors.entry(&a.element).or_default().push(Anchor {
                value: a.value,
                description: a.description.as_str().into(),
            });
        }

        // Rated occupation (by its position in `rated_codes`) → catalog index.
        let at: Vec<Option<usize>> = self
            .rated_codes
            .iter()
            .map(|c| index.get(c).copied())
            .collect();
        // Each domain's descriptors: the elements rated in it, in element-id order.
        let mut rated: HashMap<Domain, BTreeSet<u32>> = HashMap::new();
        for r in &self.ratings {
            let id = &self.element_ids[r.element as usize];
            if let Some(d) = Domain::of(id)
                && descriptors.contains_key(id)
                && at[r.occupation as usize].is_some()
            {
                rated.entry(d).or_default().insert(r.element);
            }
        }
        // Element number → (domain table, cell position).
        let mut place: HashMap<u32, (usize, usize)> = HashMap::new();
        let mut domains: Vec<DomainTable> = Vec::new();
        for domain in Domain::ALL {
            let Some(elements) = rated.get(&domain) else {
                continue;
            };
            let mut ids: Vec<(&ElementId, u32)> = elements
                .iter()
                .map(|e| (&self.element_ids[*e as usize], *e))
                .collect();
            ids.sort();
            let infos: Vec<DescriptorInfo> = ids
                .iter()
                .enumerate()
                .map(|(pos, (id, e))| {
                    place.insert(*e, (domains.len(), pos));
                    let d = descriptors[id];
                    let mut a = anchors.remove(id).unwrap_or_default();
                    a.sort_by(|x, y| x.value.total_cmp(&y.value));
                    DescriptorInfo {
                        id: (*id).clone(),
                        name: d.name.clone(),
                        description: d.description.clone(),
                        anchors: a,
                    }
                })
                .collect();
            domains.push(DomainTable::new(domain, infos, occupations.len()));
        }

        let mut api: HashMap<(usize, usize), Profile> = HashMap::new();
        for r in &self.ratings {
            let (Some(&(ti, pos)), Some(oi)) = (place.get(&r.element), at[r.occupation as usize])
            else {
                continue;
            };
            let table = &mut domains[ti];
            let width = table.descriptors.len();
            let new = |source| Profile {
                source,
                updated: None,
                cells: vec![Cell::default(); width].into_boxed_slice(),
            };
            let profile = match r.source {
                Source::OnetRelease => table
                    .profiles_mut(oi)
                    .onet
                    .get_or_insert_with(|| new(r.source)),
                Source::Llm => table
                    .profiles_mut(oi)
                    .llm
                    .get_or_insert_with(|| new(r.source)),
                Source::OnetApi => api.entry((ti, oi)).or_insert_with(|| new(r.source)),
            };
            fill(profile, pos, r);
        }
        for ((ti, oi), fetched) in api {
            let slot = &mut domains[ti].profiles_mut(oi).onet;
            // Release values stand unless the API's are newer (or the release has none).
            let newer = match slot {
                None => true,
                Some(release) => fetched.updated > release.updated,
            };
            if newer {
                *slot = Some(fetched);
            }
        }

        Catalog {
            release: self.release,
            occupations,
            index,
            domains,
        }
    }
}

fn fill(profile: &mut Profile, pos: usize, r: &CompactRating) {
    let cell = &mut profile.cells[pos];
    match r.scale {
        ScaleKind::Importance => cell.importance = Some(r.value),
        ScaleKind::Level => {
            cell.level = Some(r.value);
            cell.level_se = r.standard_error;
            cell.not_relevant = r.not_relevant;
        }
    }
    cell.suppressed |= r.suppressed;
    if r.date > profile.updated {
        profile.updated = r.date;
    }
}
