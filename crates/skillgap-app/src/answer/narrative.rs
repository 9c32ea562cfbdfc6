//! A language model's explanation of a computed gap: the numbers are skillgap's, the words the
//! model's.

use serde::Serialize;
use utoipa::ToSchema;

use super::DataInfo;
use super::OccupationRef;
use super::gap::{GapBody, Summary};

/// Answer of `GET /skill-gap/narrative`.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct NarrativeBody {
    /// The source occupation.
    pub from: OccupationRef,
    /// The target occupation.
    pub to: OccupationRef,
    /// Domains compared.
    pub domains: Vec<String>,
    /// Ratings used: `onet`, `llm` or `best`.
    pub source: String,
    /// The model that wrote the words.
    pub model: String,
    /// The narrative prompt's version.
    pub prompt_version: String,
    /// The explanation, in prose.
    pub narrative: String,
    /// Whether it came from the narrative cache.
    pub cached: bool,
    /// When it was written (RFC 3339).
    pub created_at: String,
    /// The similarity it explains.
    pub similarity: Option<f64>,
    /// The counts it explains.
    pub summary: Summary,
    /// Provenance and attribution (the words are the model's; the numbers are skillgap's).
    pub data: DataInfo,
}

impl NarrativeBody {
    /// Wraps a narrative around the gap it explains.
    pub fn new(
        gap: GapBody,
        model: &str,
        prompt_version: &str,
        narrative: String,
        cached: bool,
        created_at: String,
    ) -> Self {
        let mut data = gap.data;
        data.attribution.push_str(&format!(
            " The narrative was written by the language model {model} from numbers skillgap computed; it is not O*NET text."
        ));
        Self {
            from: gap.from,
            to: gap.to,
            domains: gap.definition.domains,
            source: gap.definition.source,
            model: model.to_owned(),
            prompt_version: prompt_version.to_owned(),
            narrative,
            cached,
            created_at,
            similarity: gap.similarity,
            summary: gap.summary,
            data,
        }
    }
}
