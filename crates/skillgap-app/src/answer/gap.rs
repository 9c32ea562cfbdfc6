//! The skill gap between two occupations, or between a self-assessed profile and an
//! occupation: every required descriptor's shortage, with anchors, significance and similarity.

use std::collections::BTreeMap;

use serde::Serialize;
use skillgap_core::gap::{self, FromSide, GapRow};
use skillgap_core::{Catalog, Domain, DomainTable};
use utoipa::ToSchema;

use super::assessed::assessed_levels;
use super::definition::{Definition, definition};
use super::labor::GapFacts;
use super::technology::TechnologyGapDto;
use super::{AnchorDto, DataInfo, OccupationRef, occupation, profile, round, tables};
use crate::error::AppError;
use crate::params::{AssessedGapRequest, GapOptions, GapRequest};
use crate::snapshot::Snapshot;

/// One descriptor of a gap answer.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct GapRowDto {
    /// Element id.
    pub element_id: String,
    /// Descriptor name.
    pub name: String,
    /// Domain.
    pub domain: String,
    /// Source level (0 when Not Relevant).
    pub from_level: f64,
    /// Target level (0 when Not Relevant).
    pub to_level: f64,
    /// `to_level − from_level`.
    pub gap: f64,
    /// Source importance; null for a self-assessed profile.
    pub from_importance: Option<f64>,
    /// Target importance.
    pub to_importance: f64,
    /// `gap × to_importance` (for surplus rows: `(from_level − to_level) × from_importance`).
    pub weighted_gap: f64,
    /// Whether the gap exceeds its 95% margin; null when unknown.
    pub significant: Option<bool>,
    /// The anchor nearest the source level.
    pub from_anchor: Option<AnchorDto>,
    /// The anchor nearest the target level.
    pub to_anchor: Option<AnchorDto>,
    /// The source lacks this descriptor (it is also in `missing`).
    pub missing: bool,
    /// The source level was flagged Not Relevant.
    pub from_not_relevant: bool,
    /// The target level was flagged Not Relevant.
    pub to_not_relevant: bool,
    /// O*NET recommends suppressing a source value (low precision).
    pub from_suppressed: bool,
    /// O*NET recommends suppressing a target value (low precision).
    pub to_suppressed: bool,
}

/// Counts and totals of a gap answer.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct Summary {
    /// Descriptors compared.
    pub descriptors_compared: usize,
    /// Descriptors the target requires.
    pub required_by_target: usize,
    /// Shortages.
    pub shortages: usize,
    /// Significant shortages.
    pub significant_shortages: usize,
    /// Missing descriptors.
    pub missing: usize,
    /// Surplus rows (when asked for).
    pub surplus: Option<usize>,
    /// Sum of `weighted_gap` over the shortages.
    pub weighted_gap_total: f64,
}

/// The answer of `GET /skill-gap` and `POST /skill-gap`.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct GapBody {
    /// The source occupation (or self-assessed profile).
    pub from: OccupationRef,
    /// The target occupation.
    pub to: OccupationRef,
    /// The definition and parameters used.
    pub definition: Definition,
    /// What the target requires beyond the source, largest importance-weighted gap first.
    pub shortages: Vec<GapRowDto>,
    /// Element ids the target requires and the source does not.
    pub missing: Vec<String>,
    /// What the source has beyond the target (with `include=surplus`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub surplus: Option<Vec<GapRowDto>>,
    /// Similarity in [0, 1] (formula in `definition.similarity`); null if nothing was compared.
    pub similarity: Option<f64>,
    /// Counts and totals.
    pub summary: Summary,
    /// Wages, outlook and education of both sides and the change between them; absent when no
    /// BLS data is loaded or the source is a self-assessed profile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labor: Option<GapFacts>,
    /// What the target's workers use that the source's do not (with `include=technology`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub technology: Option<TechnologyGapDto>,
    /// Provenance and attribution.
    pub data: DataInfo,
}

fn row_dto(tables: &[&DomainTable], r: &GapRow) -> GapRowDto {
    let table = tables
        .iter()
        .find(|t| t.domain == r.domain)
        .expect("row of a compared domain");
    let d = &table.descriptors[r.descriptor];
    GapRowDto {
        element_id: d.id.to_string(),
        name: d.name.clone(),
        domain: r.domain.to_string(),
        from_level: r.from_level,
        to_level: r.to_level,
        gap: round(r.gap, 2),
        from_importance: r.from_importance,
        to_importance: r.to_importance,
        weighted_gap: round(r.weighted, 4),
        significant: r.significant,
        from_anchor: AnchorDto::nearest(d, r.from_level),
        to_anchor: AnchorDto::nearest(d, r.to_level),
        missing: r.missing,
        from_not_relevant: r.from_not_relevant,
        to_not_relevant: r.to_not_relevant,
        from_suppressed: r.from_suppressed,
        to_suppressed: r.to_suppressed,
    }
}

fn body(
    catalog: &Catalog,
    tables: &[&DomainTable],
    from: OccupationRef,
    to: OccupationRef,
    options: &GapOptions,
    parts: Vec<(Domain, gap::DomainGap)>,
    sources: BTreeMap<String, String>,
) -> GapBody {
    let element = |d: Domain, i: usize| -> &str {
        tables
            .iter()
            .find(|t| t.domain == d)
            .map(|t| t.descriptors[i].id.as_str())
            .unwrap_or("")
    };
    let report = gap::report(parts, element);
    let shortages: Vec<GapRowDto> = report
        .shortages
        .iter()
        .map(|r| row_dto(tables, r))
        .collect();
    let surplus: Option<Vec<GapRowDto>> = options
        .surplus
        .then(|| report.surplus.iter().map(|r| row_dto(tables, r)).collect());
    GapBody {
        from,
        to,
        definition: definition(tables, options),
        missing: report
            .missing
            .iter()
            .map(|(d, i)| element(*d, *i).to_owned())
            .collect(),
        similarity: report.similarity.value().map(|v| round(v, 4)),
        summary: Summary {
            descriptors_compared: report.similarity.compared,
            required_by_target: report.required_by_target,
            shortages: shortages.len(),
            significant_shortages: report.significant_shortages(),
            missing: report.missing.len(),
            surplus: surplus.as_ref().map(Vec::len),
            weighted_gap_total: round(report.weighted_gap_total(), 4),
        },
        shortages,
        surplus,
        labor: None,
        technology: None,
        data: DataInfo::new(catalog, sources),
    }
}

/// `GET /skill-gap`: compares two occupations.
pub fn skill_gap(s: &Snapshot, req: &GapRequest) -> Result<GapBody, AppError> {
    let catalog = s.catalog();
    let (fi, from) = occupation(catalog, req.from)?;
    let (ti, to) = occupation(catalog, req.to)?;
    let tables = tables(catalog, req.options.domains)?;
    let mut parts = Vec::with_capacity(tables.len());
    let mut sources = BTreeMap::new();
    for table in &tables {
        let fp = profile(table, fi, from, req.options.source)?;
        let tp = profile(table, ti, to, req.options.source)?;
        sources.insert(format!("from.{}", table.domain), fp.source.to_string());
        sources.insert(format!("to.{}", table.domain), tp.source.to_string());
        let part = gap::compare(
            table,
            FromSide::Occupation(&fp.cells),
            &tp.cells,
            &req.options.params(),
            req.options.surplus,
        );
        parts.push((table.domain, part));
    }
    let mut body = body(
        catalog,
        &tables,
        OccupationRef::of(from),
        OccupationRef::of(to),
        &req.options,
        parts,
        sources,
    );
    body.labor = GapFacts::of(&s.labor(), req.from, req.to);
    if let Some(l) = &mut body.labor {
        l.change.barriers = Some(super::barriers::move_barriers(s, fi, ti));
        l.change.programmes = super::programmes::move_programmes(s, fi, ti);
    }
    body.technology = req
        .options
        .technology
        .then(|| TechnologyGapDto::of(s.facts(), req.from, req.to));
    body.data = body.data.with_bls(s.facts(), body.labor.is_some());
    Ok(body)
}

/// `POST /skill-gap`: what a target requires beyond a self-assessed profile.
pub fn assessed_gap(s: &Snapshot, req: &AssessedGapRequest) -> Result<GapBody, AppError> {
    let catalog = s.catalog();
    let options = &req.options;
    if options.technology {
        return Err(AppError::parameter(
            "include",
            "`include=technology` compares two occupations' technologies; a self-assessed profile has none (use GET /skill-gap)",
        ));
    }
    let (ti, to) = occupation(catalog, req.to)?;
    let tables = tables(catalog, options.domains)?;
    let levels = assessed_levels(&tables, req.levels.iter().map(|(k, v)| (k, Ok(*v))))?;
    let mut parts = Vec::with_capacity(tables.len());
    let mut sources = BTreeMap::new();
    for (table, assessed) in tables.iter().zip(&levels) {
        let tp = profile(table, ti, to, options.source)?;
        sources.insert(format!("to.{}", table.domain), tp.source.to_string());
        sources.insert(format!("from.{}", table.domain), "self-assessed".into());
        let part = gap::compare(
            table,
            FromSide::Assessed(assessed),
            &tp.cells,
            &options.params(),
            options.surplus,
        );
        parts.push((table.domain, part));
    }
    let from = OccupationRef {
        code: None,
        title: "Self-assessed profile".into(),
    };
    Ok(body(
        catalog,
        &tables,
        from,
        OccupationRef::of(to),
        options,
        parts,
        sources,
    ))
}
