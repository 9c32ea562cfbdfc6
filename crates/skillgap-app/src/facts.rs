//! What the answers say about an occupation beyond its ratings: BLS wages, employment and
//! projections, O*NET's most common required education and its technology examples. Read from the
//! store with the catalog and held beside it, so answers stay pure functions of memory.

use std::collections::HashMap;

use skillgap_core::barriers::Preparation;
use skillgap_core::labor::{LaborData, LaborFacts, LaborFileKind, LaborIndex, Soc2018Code};
use skillgap_core::programmes::{ProgrammeData, ProgrammeIndex};
use skillgap_core::titles::LabelledTitle;
use skillgap_core::{
    CommonLevel, EducationRating, REQUIRED_EDUCATION_SCALE, SocCode, TechnologySkill,
    most_common_level,
};
use skillgap_store::{Store, StoreError};

use crate::image::FactRows;

/// The releases of the BLS files loaded, for attribution.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlsReleases {
    /// OEWS, e.g. `May 2024`.
    pub oews: Option<String>,
    /// Employment Projections, e.g. `2024–34`.
    pub projections: Option<String>,
}

/// Facts per occupation, beside the catalog.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    /// BLS data, when `load-labor` has run.
    labor: Option<LaborIndex>,
    /// Which BLS releases `labor` holds.
    releases: BlsReleases,
    /// Technology examples by occupation, in example order.
    technology: HashMap<SocCode, Vec<TechnologySkill>>,
    /// O*NET's most common required level of education by occupation.
    education: HashMap<SocCode, CommonLevel>,
    /// Each occupation's education, experience and training distributions.
    preparation: HashMap<SocCode, Preparation>,
    /// The categories those distributions use.
    categories: Vec<skillgap_core::EducationCategory>,
    /// NCES programmes by occupation.
    programmes: ProgrammeIndex,
    /// An organisation's labelled titles (`load-titles`), evidence for the title coder.
    labelled: Vec<LabelledTitle>,
}

impl Facts {
    /// Builds the facts from what the store holds.
    pub fn new(
        labor: &LaborData,
        technology: Vec<TechnologySkill>,
        education: &[EducationRating],
        categories: &[skillgap_core::EducationCategory],
    ) -> Self {
        let has_bls = labor
            .files
            .iter()
            .any(|f| f.kind != LaborFileKind::Crosswalk);
        let release = |k: LaborFileKind| {
            labor
                .files
                .iter()
                .find(|f| f.kind == k)
                .map(|f| f.release.clone())
        };
        let mut by_occupation: HashMap<SocCode, Vec<TechnologySkill>> = HashMap::new();
        for t in technology {
            by_occupation.entry(t.occupation).or_default().push(t);
        }
        let mut all: HashMap<SocCode, Vec<&EducationRating>> = HashMap::new();
        for r in education {
            all.entry(r.occupation).or_default().push(r);
        }
        let preparation = all
            .into_iter()
            .map(|(code, rows)| (code, Preparation::from_rows(rows)))
            .collect();
        let mut ratings: HashMap<SocCode, Vec<EducationRating>> = HashMap::new();
        for r in education
            .iter()
            .filter(|r| r.scale.as_str() == REQUIRED_EDUCATION_SCALE)
        {
            ratings.entry(r.occupation).or_default().push(r.clone());
        }
        let education = ratings
            .into_iter()
            .filter_map(|(code, rows)| {
                most_common_level(&rows, categories, REQUIRED_EDUCATION_SCALE).map(|l| (code, l))
            })
            .collect();
        Self {
            labor: has_bls.then(|| LaborIndex::new(labor)),
            releases: BlsReleases {
                oews: release(LaborFileKind::Oews),
                projections: release(LaborFileKind::Projections),
            },
            technology: by_occupation,
            education,
            preparation,
            categories: categories.to_vec(),
            programmes: ProgrammeIndex::default(),
            labelled: Vec::new(),
        }
    }

    /// The same facts with an organisation's labelled titles.
    pub fn with_labelled(mut self, labelled: Vec<LabelledTitle>) -> Self {
        self.labelled = labelled;
        self
    }

    /// The labelled titles loaded.
    pub fn labelled(&self) -> &[LabelledTitle] {
        &self.labelled
    }

    /// Reads everything the facts are built from.
    pub async fn read(store: &Store) -> Result<Self, StoreError> {
        Self::read_of(store, None).await
    }

    /// [`Facts::read`], limited to the occupations in `only` when given (BLS's tables whole:
    /// they are small, and keyed by SOC codes, not O*NET's).
    pub async fn read_of(store: &Store, only: Option<&[SocCode]>) -> Result<Self, StoreError> {
        Ok(Self::from_rows(FactRows::read_of(store, only).await?))
    }

    /// Builds the facts from their rows, however they were read.
    pub fn from_rows(rows: FactRows) -> Self {
        Self::new(
            &rows.labor,
            rows.technology,
            &rows.education,
            &rows.categories,
        )
        .with_programmes(&rows.programmes)
        .with_labelled(rows.labelled)
    }

    /// Whether BLS figures are loaded.
    pub fn has_labor(&self) -> bool {
        self.labor.is_some()
    }

    /// The BLS releases loaded.
    pub fn releases(&self) -> &BlsReleases {
        &self.releases
    }

    /// BLS facts of an occupation; `None` when no BLS data is loaded.
    pub fn labor(&self, code: SocCode) -> Option<LaborFacts> {
        self.labor.as_ref().map(|l| l.facts(code))
    }

    /// The technology examples an occupation's workers use.
    pub fn technology(&self, code: SocCode) -> &[TechnologySkill] {
        self.technology.get(&code).map_or(&[], Vec::as_slice)
    }

    /// O*NET's most common required level of education for an occupation.
    pub fn education(&self, code: SocCode) -> Option<&CommonLevel> {
        self.education.get(&code)
    }

    /// The same facts with NCES programmes.
    pub fn with_programmes(mut self, data: &ProgrammeData) -> Self {
        self.programmes = ProgrammeIndex::new(data);
        self
    }

    /// NCES programmes by occupation (empty when none are loaded).
    pub fn programmes(&self) -> &ProgrammeIndex {
        &self.programmes
    }

    /// The 2018 SOC code of an O*NET occupation: through BLS's crosswalk when loaded, else its
    /// first seven characters.
    pub fn soc_of(&self, code: SocCode) -> Soc2018Code {
        self.labor
            .as_ref()
            .map_or_else(|| Soc2018Code::of_onet(code), |l| l.soc_of(code))
    }

    /// An occupation's education, experience and training distributions.
    pub fn preparation(&self, code: SocCode) -> Option<&Preparation> {
        self.preparation.get(&code)
    }

    /// The categories of those distributions.
    pub fn education_categories(&self) -> &[skillgap_core::EducationCategory] {
        &self.categories
    }
}
