//! The answers as values, one module per route's answer, named after the route. Each takes a
//! typed request and the snapshot it is computed on, and returns a body that serializes to
//! exactly what the API sends and `skillgap … --json` prints. Parts several answers carry have
//! modules of their own ([`definition`], [`moves`], [`labor`], [`technology`], [`assessed`],
//! [`prepared`]); what every answer shares (occupation references, provenance, lookups) is here.

pub mod assessed;
pub mod assessed_transitions;
pub mod barriers;
pub mod definition;
pub mod gap;
pub mod labor;
pub mod moves;
pub mod narrative;
pub mod occupation;
pub mod paths;
pub mod prepared;
pub mod profile;
pub mod programmes;
pub mod search;
pub mod technology;
pub mod transitions;

use std::collections::BTreeMap;

use serde::Serialize;
use skillgap_core::{
    Catalog, DescriptorInfo, DomainTable, OccupationEntry, Profile, ProfileChoice, SocCode, Source,
};
use utoipa::ToSchema;

use crate::error::AppError;
use crate::params::DomainSelection;

/// A code or name of an occupation in a response.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct OccupationRef {
    /// O*NET-SOC code; null for a self-assessed profile.
    pub code: Option<String>,
    /// Title.
    pub title: String,
}

impl OccupationRef {
    /// The reference to a catalog entry.
    pub fn of(e: &OccupationEntry) -> Self {
        Self {
            code: Some(e.occupation.code.to_string()),
            title: e.occupation.title.clone(),
        }
    }
}

/// A level anchor: what a level means in O*NET's words.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct AnchorDto {
    /// The anchor's level.
    pub level: f64,
    /// Its description.
    pub description: String,
}

impl AnchorDto {
    /// The anchor of `d` nearest `level`.
    pub(crate) fn nearest(d: &DescriptorInfo, level: f64) -> Option<Self> {
        d.nearest_anchor(level).map(|a| AnchorDto {
            level: a.value,
            description: a.description.to_string(),
        })
    }
}

/// Where the numbers came from, and the attribution O*NET's license requires.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct DataInfo {
    /// The O*NET release loaded, e.g. `29.0`.
    pub release: Option<String>,
    /// Sources of the values used, per side or occupation (`onet-release`, `onet-api`, `llm`).
    pub sources: BTreeMap<String, String>,
    /// Attribution text.
    pub attribution: String,
}

impl DataInfo {
    /// Provenance of an answer using values from `sources`, with the attribution they require.
    pub(crate) fn new(catalog: &Catalog, sources: BTreeMap<String, String>) -> Self {
        let release = catalog.release.clone();
        let version = release.as_deref().unwrap_or("(version unknown)");
        let mut attribution = format!(
            "This product includes information from O*NET {version} Database by the U.S. Department of Labor, Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 license. O*NET® is a trademark of USDOL/ETA."
        );
        if sources.values().any(|s| s == Source::OnetApi.as_str()) {
            attribution.push_str(" Some values come from O*NET Web Services (https://services.onetcenter.org/) by USDOL/ETA.");
        }
        if sources.values().any(|s| s == Source::Llm.as_str()) {
            attribution
                .push_str(" Values marked llm are a language model's estimates, not O*NET data.");
        }
        DataInfo {
            release,
            sources,
            attribution,
        }
    }
}

/// Rounds for the wire only.
pub(crate) fn round(x: f64, dp: i32) -> f64 {
    let f = 10f64.powi(dp);
    (x * f).round() / f
}

/// Looks up an occupation.
pub fn occupation(catalog: &Catalog, code: SocCode) -> Result<(usize, &OccupationEntry), AppError> {
    catalog
        .index_of(code)
        .map(|i| (i, &catalog.occupations[i]))
        .ok_or(AppError::UnknownOccupation(code))
}

/// The domain tables a selection covers, or an error naming what is loaded.
pub fn tables(
    catalog: &Catalog,
    selection: DomainSelection,
) -> Result<Vec<&DomainTable>, AppError> {
    match selection {
        DomainSelection::All => {
            if catalog.domains.is_empty() {
                Err(AppError::NotReady(
                    "no ratings are loaded; run skillgap load".into(),
                ))
            } else {
                Ok(catalog.domains.iter().collect())
            }
        }
        DomainSelection::One(d) => catalog.domain(d).map(|t| vec![t]).ok_or_else(|| {
            let loaded: Vec<&str> = catalog.domains.iter().map(|t| t.domain.as_str()).collect();
            AppError::parameter(
                "domain",
                format!(
                    "domain `{d}` has no ratings in this store ({} was not loaded); loaded: {}",
                    d.file_name(),
                    if loaded.is_empty() {
                        "none".to_string()
                    } else {
                        loaded.join(", ")
                    }
                ),
            )
        }),
    }
}

/// The profile an occupation has in a table, or the error that says which source could fill it.
pub fn profile<'a>(
    table: &'a DomainTable,
    index: usize,
    entry: &OccupationEntry,
    choice: ProfileChoice,
) -> Result<&'a Profile, AppError> {
    let profiles = table.profiles(index);
    profiles.get(choice).ok_or_else(|| {
        let code = entry.occupation.code;
        let domain = table.domain;
        let (detail, fillable_by) = match choice {
            ProfileChoice::Onet => {
                let llm_hint = if profiles.llm.is_some() {
                    "LLM estimates exist for it: ask with source=llm or source=best".to_string()
                } else {
                    format!("LLM estimates (skillgap enrich --occupations {code}, then source=llm or source=best)")
                };
                (
                    format!(
                        "{code} ({}) has no O*NET {domain} ratings in this store. Sources that could fill it: the O*NET Web Services API (fetched on demand when SKILLGAP_ONET_API_KEY is configured), or {llm_hint}",
                        entry.occupation.title
                    ),
                    vec!["onet-api", "llm"],
                )
            }
            ProfileChoice::Llm | ProfileChoice::Best => (
                format!(
                    "{code} ({}) has no {} {domain} ratings in this store. Estimate them with skillgap enrich --occupations {code}, or fetch O*NET's with the web API",
                    entry.occupation.title,
                    if choice == ProfileChoice::Llm { "LLM" } else { "O*NET or LLM" }
                ),
                vec!["llm", "onet-api"],
            ),
        };
        let onet_missing = choice != ProfileChoice::Llm;
        AppError::NoRatings {
            code,
            domain,
            detail,
            fillable_by,
            onet_missing,
        }
    })
}

/// Whether O*NET (or the web API) rates the occupation in at least one domain.
pub(crate) fn has_onet_ratings(catalog: &Catalog, index: usize) -> bool {
    catalog
        .domains
        .iter()
        .any(|t| t.profiles(index).onet.is_some())
}
