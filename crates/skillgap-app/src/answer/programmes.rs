//! Instructional programmes (NCES CIP 2020) that prepare for an occupation, and those that teach
//! the way from one occupation to another.

use serde::Serialize;
use skillgap_core::programmes::Programme;
use utoipa::ToSchema;

use super::{OccupationRef, occupation};
use crate::error::AppError;
use crate::params::ProgrammesRequest;
use crate::snapshot::Snapshot;

/// Where the programmes come from.
pub const PROGRAMMES_SOURCE: &str =
    "National Center for Education Statistics, CIP 2020 and the CIP 2020 ↔ 2018 SOC crosswalk";

/// One programme.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct ProgrammeDto {
    /// CIP 2020 code, `NN.NNNN`.
    pub cip_code: String,
    /// Title, as NCES writes it.
    pub title: String,
    /// The definition's first sentence.
    pub definition: String,
}

impl ProgrammeDto {
    fn of(p: &Programme) -> Self {
        Self {
            cip_code: p.code.clone(),
            title: p.title.clone(),
            definition: p.short_definition(),
        }
    }
}

/// The programmes preparing for the occupation at `to` and not for the one at `from`; `None`
/// when no programmes are loaded.
pub fn move_programmes(s: &Snapshot, from: usize, to: usize) -> Option<Vec<ProgrammeDto>> {
    let f = s.facts();
    let index = f.programmes();
    if index.is_empty() {
        return None;
    }
    let code = |i: usize| f.soc_of(s.catalog().occupations[i].occupation.code);
    Some(
        index
            .teaching_the_way(code(from), code(to))
            .into_iter()
            .map(ProgrammeDto::of)
            .collect(),
    )
}

/// Answer of `GET /programmes`.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct ProgrammesBody {
    /// The occupation.
    pub occupation: OccupationRef,
    /// Its 2018 SOC code, through which the crosswalk is read.
    pub soc_code: String,
    /// Every programme preparing for it, by CIP code.
    pub programmes: Vec<ProgrammeDto>,
    /// Where they come from.
    pub source: &'static str,
}

/// `GET /programmes?occupation=CODE`.
pub fn programmes_body(s: &Snapshot, req: &ProgrammesRequest) -> Result<ProgrammesBody, AppError> {
    let (_, e) = occupation(s.catalog(), req.code)?;
    let f = s.facts();
    if f.programmes().is_empty() {
        return Err(AppError::DataNotLoaded {
            parameter: "occupation".into(),
            detail: "no programmes are loaded; run skillgap load-programmes".into(),
        });
    }
    let soc = f.soc_of(req.code);
    Ok(ProgrammesBody {
        occupation: OccupationRef::of(e),
        soc_code: soc.to_string(),
        programmes: f
            .programmes()
            .for_occupation(soc)
            .into_iter()
            .map(ProgrammeDto::of)
            .collect(),
        source: PROGRAMMES_SOURCE,
    })
}
