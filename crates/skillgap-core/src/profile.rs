//! What the gap, relatedness and path algorithms read: each occupation's ratings in one domain
//! as a dense profile (one cell per descriptor, in element-id order), and the descriptors that
//! give the cells their meaning. Kept apart from the catalog that holds them, so the catalog and
//! the algorithms both import these types and never each other.

use std::collections::HashMap;
use std::sync::Arc;

use crate::code::ElementId;
use crate::date::OnetDate;
use crate::descriptor::Domain;
use crate::rating::Source;

/// One descriptor's values in one occupation's profile.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Cell {
    /// Importance (IM, 1–5), when rated.
    pub importance: Option<f64>,
    /// Level (LV, 0–7) as rated, when rated.
    pub level: Option<f64>,
    /// Standard error of the level.
    pub level_se: Option<f64>,
    /// O*NET flagged the level Not Relevant; the engine then counts the level as 0.
    pub not_relevant: bool,
    /// O*NET recommends suppressing the importance or the level (low precision).
    pub suppressed: bool,
}

impl Cell {
    /// The level the gap maths uses: the LV value, or 0 when flagged Not Relevant.
    pub fn effective_level(&self) -> Option<f64> {
        if self.not_relevant {
            Some(0.0)
        } else {
            self.level
        }
    }
}

/// One occupation's ratings in one domain from one source, as a dense row.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    /// Where the values came from.
    pub source: Source,
    /// Newest O*NET date among the values, when dated.
    pub updated: Option<OnetDate>,
    /// One cell per descriptor of the domain, in [`DomainTable::descriptors`] order.
    pub cells: Box<[Cell]>,
}

/// A described point on a descriptor's level scale.
#[derive(Clone, Debug, PartialEq)]
pub struct Anchor {
    /// Level.
    pub value: f64,
    /// What the level means, in O*NET's words.
    pub description: Arc<str>,
}

/// A descriptor as the engine shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct DescriptorInfo {
    /// Element id.
    pub id: ElementId,
    /// Name.
    pub name: String,
    /// O*NET's description.
    pub description: String,
    /// Level anchors, by ascending value.
    pub anchors: Vec<Anchor>,
}

impl DescriptorInfo {
    /// The anchor nearest to `level` (the lower one on a tie), if the descriptor has anchors.
    pub fn nearest_anchor(&self, level: f64) -> Option<&Anchor> {
        self.anchors.iter().min_by(|a, b| {
            (a.value - level)
                .abs()
                .total_cmp(&(b.value - level).abs())
                .then(a.value.total_cmp(&b.value))
        })
    }
}

/// Which profile to use for an occupation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ProfileChoice {
    /// O*NET values only (a release, or the web API when newer or the release lacks them).
    #[default]
    Onet,
    /// LLM estimates only.
    Llm,
    /// O*NET where rated, else LLM.
    Best,
}

/// The profiles an occupation has in one domain.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Profiles {
    /// O*NET values: from a release, or from the web API when those are newer or the only ones.
    pub onet: Option<Profile>,
    /// LLM estimates.
    pub llm: Option<Profile>,
}

impl Profiles {
    /// The profile `choice` selects, if the occupation has it.
    pub fn get(&self, choice: ProfileChoice) -> Option<&Profile> {
        match choice {
            ProfileChoice::Onet => self.onet.as_ref(),
            ProfileChoice::Llm => self.llm.as_ref(),
            ProfileChoice::Best => self.onet.as_ref().or(self.llm.as_ref()),
        }
    }
}

/// One rated domain: its descriptors and every occupation's profiles.
#[derive(Clone, Debug)]
pub struct DomainTable {
    /// The domain.
    pub domain: Domain,
    /// Its descriptors, in element-id order; cells of every profile follow this order.
    pub descriptors: Vec<DescriptorInfo>,
    positions: HashMap<ElementId, usize>,
    /// Profiles by occupation index (same indexing as [`crate::Catalog::occupations`]).
    profiles: Vec<Profiles>,
}

impl DomainTable {
    /// A table of `domain` over `descriptors` (in element-id order) with no profile yet for any
    /// of `occupations` occupations.
    pub fn new(domain: Domain, descriptors: Vec<DescriptorInfo>, occupations: usize) -> Self {
        let positions = descriptors
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        Self {
            domain,
            descriptors,
            positions,
            profiles: vec![Profiles::default(); occupations],
        }
    }

    /// The profiles of the occupation at `index`, to fill in.
    pub fn profiles_mut(&mut self, index: usize) -> &mut Profiles {
        &mut self.profiles[index]
    }

    /// The position of a descriptor in this domain's cells.
    pub fn position(&self, id: &ElementId) -> Option<usize> {
        self.positions.get(id).copied()
    }

    /// The profiles of the occupation at `index`.
    pub fn profiles(&self, index: usize) -> &Profiles {
        &self.profiles[index]
    }

    /// How many occupations have a profile under `choice`.
    pub fn rated_count(&self, choice: ProfileChoice) -> usize {
        self.profiles
            .iter()
            .filter(|p| p.get(choice).is_some())
            .count()
    }
}
