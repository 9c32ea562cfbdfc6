//! The answers of the API as values: request parameters parsed into domain types, and response
//! bodies built from the core engine. Handlers and the CLI (`skillgap gap --json`) share these,
//! so both print exactly the same body.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use skillgap_core::gap::{self, FromSide, GapParams, GapRow, SIMILARITY_FORMULA};
use skillgap_core::{
    Catalog, Domain, DomainTable, ElementId, MatchKind, OccupationEntry, Profile, ProfileChoice,
    SocCode, Source, transitions,
};
use utoipa::{IntoParams, ToSchema};

use crate::problem::ApiError;

/// Largest `limit` accepted by list endpoints.
pub const MAX_LIMIT: usize = 100;

/// A code or name of an occupation in a response.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct OccupationRef {
    /// O*NET-SOC code; null for a self-assessed profile.
    pub code: Option<String>,
    /// Title.
    pub title: String,
}

impl OccupationRef {
    fn of(e: &OccupationEntry) -> Self {
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

/// The gap definition and the parameters used, echoed in every gap answer.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct Definition {
    /// Domains compared.
    pub domains: Vec<String>,
    /// Which ratings were used: `onet`, `llm` or `best`.
    pub source: String,
    /// Importance at or above which a descriptor is required.
    pub min_importance: f64,
    /// Level difference a shortage must exceed.
    pub min_gap: f64,
    /// Optional parts included (`surplus`).
    pub include: Vec<String>,
    /// How a level is read.
    pub level: &'static str,
    /// When a descriptor is required.
    pub required: &'static str,
    /// What a shortage is.
    pub shortage: &'static str,
    /// What `missing` lists.
    pub missing: &'static str,
    /// What `surplus` lists.
    pub surplus: &'static str,
    /// When a shortage is significant.
    pub significance: &'static str,
    /// How shortages are ordered.
    pub order: &'static str,
    /// The similarity formula.
    pub similarity: &'static str,
}

const LEVEL_RULE: &str = "level = O*NET LV value (0-7); a level flagged Not Relevant counts as 0";
const REQUIRED_RULE: &str =
    "a descriptor is required when its importance (IM, 1-5) >= min_importance";
const SHORTAGE_RULE: &str = "for each descriptor the target requires: gap = to_level - from_level; a shortage when gap > min_gap";
const MISSING_RULE: &str = "descriptors the target requires and the source does not (for a self-assessed profile: level 0 or not given), whatever the levels";
const SURPLUS_RULE: &str = "descriptors the source requires whose source level exceeds the target's by more than min_gap (include=surplus)";
const SIGNIFICANCE_RULE: &str = "significant when gap > 1.96 * sqrt(se_from^2 + se_to^2) with O*NET's level standard errors; null when either is unknown";
const ORDER_RULE: &str = "by weighted_gap = gap * to_importance, largest first; ties by element_id";

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

fn data_info(catalog: &Catalog, sources: BTreeMap<String, String>) -> DataInfo {
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
    /// Provenance and attribution.
    pub data: DataInfo,
}

/// Query parameters of `GET /skill-gap`.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct GapQuery {
    /// Source occupation code, NN-NNNN.NN.
    pub from: Option<String>,
    /// Target occupation code, NN-NNNN.NN.
    pub to: Option<String>,
    /// Same as `from` (the original service's name).
    pub from_occupation: Option<String>,
    /// Same as `to` (the original service's name).
    pub to_occupation: Option<String>,
    /// `skills` (default), `knowledge`, `abilities`, `work_activities` (when loaded) or `all`.
    pub domain: Option<String>,
    /// Importance at or above which a descriptor is required (1–5, default 3).
    pub min_importance: Option<String>,
    /// Level difference a shortage must exceed (0–7, default 0).
    pub min_gap: Option<String>,
    /// Comma-separated optional parts: `surplus`.
    pub include: Option<String>,
    /// Ratings to use: `onet` (default), `llm` or `best` (O*NET where rated, else LLM).
    pub source: Option<String>,
}

/// Options shared by every gap-like request.
#[derive(Clone, Debug, PartialEq)]
pub struct GapOptions {
    /// Domains to compare.
    pub domains: DomainSelection,
    /// Thresholds.
    pub params: GapParams,
    /// Whether to list surplus descriptors.
    pub surplus: bool,
    /// Which ratings to use.
    pub source: ProfileChoice,
}

impl Default for GapOptions {
    fn default() -> Self {
        Self {
            domains: DomainSelection::One(Domain::Skills),
            params: GapParams::default(),
            surplus: false,
            source: ProfileChoice::Onet,
        }
    }
}

/// `domain=` as asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DomainSelection {
    /// One domain.
    One(Domain),
    /// Every domain loaded.
    All,
}

/// A parsed `GET /skill-gap` request.
#[derive(Clone, Debug, PartialEq)]
pub struct GapRequest {
    /// Source occupation.
    pub from: SocCode,
    /// Target occupation.
    pub to: SocCode,
    /// Everything else.
    pub options: GapOptions,
}

/// Parses an occupation code parameter.
pub fn parse_code(parameter: &str, value: &str) -> Result<SocCode, ApiError> {
    SocCode::parse(value.trim()).map_err(|e| ApiError::parameter(parameter, e.to_string()))
}

fn one_of(
    parameter: &str,
    a: Option<&String>,
    b: Option<&String>,
    alias: &str,
) -> Result<SocCode, ApiError> {
    match (a, b) {
        (Some(x), Some(y)) if x.trim() != y.trim() => Err(ApiError::parameter(
            parameter,
            format!("`{parameter}` and `{alias}` name different occupations; give one of them"),
        )),
        (Some(x), _) => parse_code(parameter, x),
        (None, Some(y)) => parse_code(alias, y),
        (None, None) => Err(ApiError::parameter(
            parameter,
            format!("`{parameter}` is required: an O*NET-SOC code like 15-1252.00 (or `{alias}`)"),
        )),
    }
}

fn number(
    parameter: &str,
    value: Option<&String>,
    default: f64,
    lo: f64,
    hi: f64,
) -> Result<f64, ApiError> {
    let Some(v) = value else { return Ok(default) };
    match v.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && (lo..=hi).contains(&x) => Ok(x),
        _ => Err(ApiError::parameter(
            parameter,
            format!("`{parameter}` must be a number from {lo} to {hi}, got `{v}`"),
        )),
    }
}

/// Parses `domain=`.
pub fn parse_domain(value: Option<&String>) -> Result<DomainSelection, ApiError> {
    match value.map(|s| s.trim()) {
        None | Some("") => Ok(DomainSelection::One(Domain::Skills)),
        Some("all") => Ok(DomainSelection::All),
        Some(s) => s.parse::<Domain>().map(DomainSelection::One).map_err(|_| {
            ApiError::parameter(
                "domain",
                format!("`domain` must be skills, knowledge, abilities, work_activities or all, got `{s}`"),
            )
        }),
    }
}

/// Parses `source=`.
pub fn parse_source(value: Option<&String>) -> Result<ProfileChoice, ApiError> {
    match value.map(|s| s.trim()) {
        None | Some("") | Some("onet") => Ok(ProfileChoice::Onet),
        Some("llm") => Ok(ProfileChoice::Llm),
        Some("best") => Ok(ProfileChoice::Best),
        Some(s) => Err(ApiError::parameter(
            "source",
            format!("`source` must be onet, llm or best, got `{s}`"),
        )),
    }
}

fn source_name(c: ProfileChoice) -> &'static str {
    match c {
        ProfileChoice::Onet => "onet",
        ProfileChoice::Llm => "llm",
        ProfileChoice::Best => "best",
    }
}

/// Parses the options common to gap requests.
pub fn parse_options(
    domain: Option<&String>,
    min_importance: Option<&String>,
    min_gap: Option<&String>,
    include: Option<&String>,
    source: Option<&String>,
) -> Result<GapOptions, ApiError> {
    let mut surplus = false;
    for part in include
        .map(|s| s.as_str())
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        match part {
            "surplus" => surplus = true,
            other => {
                return Err(ApiError::parameter(
                    "include",
                    format!("`include` accepts `surplus`, got `{other}`"),
                ));
            }
        }
    }
    Ok(GapOptions {
        domains: parse_domain(domain)?,
        params: GapParams {
            min_importance: number("min_importance", min_importance, 3.0, 1.0, 5.0)?,
            min_gap: number("min_gap", min_gap, 0.0, 0.0, 7.0)?,
        },
        surplus,
        source: parse_source(source)?,
    })
}

impl GapQuery {
    /// Checks and converts every parameter.
    pub fn parse(&self) -> Result<GapRequest, ApiError> {
        Ok(GapRequest {
            from: one_of(
                "from",
                self.from.as_ref(),
                self.from_occupation.as_ref(),
                "from_occupation",
            )?,
            to: one_of(
                "to",
                self.to.as_ref(),
                self.to_occupation.as_ref(),
                "to_occupation",
            )?,
            options: parse_options(
                self.domain.as_ref(),
                self.min_importance.as_ref(),
                self.min_gap.as_ref(),
                self.include.as_ref(),
                self.source.as_ref(),
            )?,
        })
    }
}

/// The domain tables a selection covers, or a 400 naming what is loaded.
pub fn tables(
    catalog: &Catalog,
    selection: DomainSelection,
) -> Result<Vec<&DomainTable>, ApiError> {
    match selection {
        DomainSelection::All => {
            if catalog.domains.is_empty() {
                Err(ApiError::NotReady(
                    "no ratings are loaded; run skillgap load".into(),
                ))
            } else {
                Ok(catalog.domains.iter().collect())
            }
        }
        DomainSelection::One(d) => catalog.domain(d).map(|t| vec![t]).ok_or_else(|| {
            let loaded: Vec<&str> = catalog.domains.iter().map(|t| t.domain.as_str()).collect();
            ApiError::parameter(
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

/// Looks up an occupation or answers 404.
pub fn occupation(catalog: &Catalog, code: SocCode) -> Result<(usize, &OccupationEntry), ApiError> {
    catalog
        .index_of(code)
        .map(|i| (i, &catalog.occupations[i]))
        .ok_or_else(|| ApiError::UnknownOccupation(code.to_string()))
}

/// The profile an occupation has in a table, or the 409 that says which source could fill it.
pub fn profile<'a>(
    table: &'a DomainTable,
    index: usize,
    entry: &OccupationEntry,
    choice: ProfileChoice,
) -> Result<&'a Profile, ApiError> {
    let profiles = table.profiles(index);
    profiles.get(choice).ok_or_else(|| {
        let code = entry.occupation.code.to_string();
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
        ApiError::NoRatings { code, detail, fillable_by, onet_missing }
    })
}

fn round(x: f64, dp: i32) -> f64 {
    let f = 10f64.powi(dp);
    (x * f).round() / f
}

fn anchor(table: &DomainTable, i: usize, level: f64) -> Option<AnchorDto> {
    anchor_of(&table.descriptors[i], level)
}

fn anchor_of(d: &skillgap_core::DescriptorInfo, level: f64) -> Option<AnchorDto> {
    d.nearest_anchor(level).map(|a| AnchorDto {
        level: a.value,
        description: a.description.to_string(),
    })
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
        from_anchor: anchor(table, r.descriptor, r.from_level),
        to_anchor: anchor(table, r.descriptor, r.to_level),
        missing: r.missing,
        from_not_relevant: r.from_not_relevant,
        to_not_relevant: r.to_not_relevant,
        from_suppressed: r.from_suppressed,
        to_suppressed: r.to_suppressed,
    }
}

fn definition(tables: &[&DomainTable], options: &GapOptions) -> Definition {
    Definition {
        domains: tables.iter().map(|t| t.domain.to_string()).collect(),
        source: source_name(options.source).into(),
        min_importance: options.params.min_importance,
        min_gap: options.params.min_gap,
        include: if options.surplus {
            vec!["surplus".into()]
        } else {
            vec![]
        },
        level: LEVEL_RULE,
        required: REQUIRED_RULE,
        shortage: SHORTAGE_RULE,
        missing: MISSING_RULE,
        surplus: SURPLUS_RULE,
        significance: SIGNIFICANCE_RULE,
        order: ORDER_RULE,
        similarity: SIMILARITY_FORMULA,
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
        data: data_info(catalog, sources),
    }
}

/// `GET /skill-gap`: compares two occupations.
pub fn skill_gap(catalog: &Catalog, req: &GapRequest) -> Result<GapBody, ApiError> {
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
            &req.options.params,
            req.options.surplus,
        );
        parts.push((table.domain, part));
    }
    Ok(body(
        catalog,
        &tables,
        OccupationRef::of(from),
        OccupationRef::of(to),
        &req.options,
        parts,
        sources,
    ))
}

/// Body of `POST /skill-gap`: a self-assessed profile against a target occupation.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessedGapRequest {
    /// Target occupation code.
    pub to: String,
    /// Your level (0–7, O*NET's level scale) per element id, e.g. {"2.A.1.a": 4.5}. Descriptors
    /// left out count as level 0.
    pub levels: BTreeMap<String, f64>,
    /// `skills` (default), `knowledge`, … or `all`.
    pub domain: Option<String>,
    /// Importance at or above which a descriptor is required (default 3).
    pub min_importance: Option<f64>,
    /// Level difference a shortage must exceed (default 0).
    pub min_gap: Option<f64>,
    /// Optional parts: `surplus`.
    #[serde(default)]
    pub include: Vec<String>,
    /// Ratings of the target to use: `onet` (default), `llm` or `best`.
    pub source: Option<String>,
}

/// `POST /skill-gap`: what a target requires beyond a self-assessed profile.
pub fn assessed_gap(catalog: &Catalog, req: &AssessedGapRequest) -> Result<GapBody, ApiError> {
    let to_code = parse_code("to", &req.to)?;
    let options = parse_options(
        req.domain.as_ref(),
        req.min_importance.map(|v| v.to_string()).as_ref(),
        req.min_gap.map(|v| v.to_string()).as_ref(),
        Some(&req.include.join(",")),
        req.source.as_ref(),
    )?;
    let (ti, to) = occupation(catalog, to_code)?;
    let tables = tables(catalog, options.domains)?;
    let mut levels: Vec<Vec<Option<f64>>> = tables
        .iter()
        .map(|t| vec![None; t.descriptors.len()])
        .collect();
    for (key, value) in &req.levels {
        let parameter = format!("levels.{key}");
        let id =
            ElementId::parse(key).map_err(|e| ApiError::parameter(&parameter, e.to_string()))?;
        let slot = tables
            .iter()
            .enumerate()
            .find_map(|(ti, t)| t.position(&id).map(|p| (ti, p)));
        let Some((t, p)) = slot else {
            let names: Vec<String> = tables
                .iter()
                .map(|t| format!("{} {}", t.descriptors.len(), t.domain))
                .collect();
            return Err(ApiError::parameter(
                &parameter,
                format!(
                    "`{key}` is not a descriptor of the compared domains ({}); GET /occupations/{{code}}/profile lists them",
                    names.join(", ")
                ),
            ));
        };
        if !value.is_finite() || !(0.0..=gap::LEVEL_RANGE).contains(value) {
            return Err(ApiError::parameter(
                &parameter,
                format!("level must be from 0 to 7 (O*NET's level scale), got {value}"),
            ));
        }
        levels[t][p] = Some(*value);
    }
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
            &options.params,
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
        &options,
        parts,
        sources,
    ))
}

/// Query of `GET /occupations`.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words of a title or alternate title, or a code (or its start).
    pub q: Option<String>,
    /// Most results (1–100, default 20).
    pub limit: Option<String>,
}

/// One search result.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct SearchResult {
    /// Code.
    pub code: String,
    /// Title.
    pub title: String,
    /// The alternate title that matched, if the match was on one.
    pub matched_title: Option<String>,
    /// How it matched: exact_code, code_prefix, exact_title, exact_alternate_title, title_prefix,
    /// alternate_title_prefix, title_words, alternate_title_words.
    #[serde(rename = "match")]
    pub match_kind: &'static str,
    /// Whether O*NET (or the web API) rates it in at least one domain.
    pub has_ratings: bool,
}

/// Answer of `GET /occupations`.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct SearchBody {
    /// The query as understood.
    pub query: String,
    /// Best match first.
    pub results: Vec<SearchResult>,
}

fn limit(value: Option<&String>, default: usize) -> Result<usize, ApiError> {
    let Some(v) = value else { return Ok(default) };
    match v.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        _ => Err(ApiError::parameter(
            "limit",
            format!("`limit` must be a whole number from 1 to {MAX_LIMIT}, got `{v}`"),
        )),
    }
}

fn match_name(k: MatchKind) -> &'static str {
    match k {
        MatchKind::ExactCode => "exact_code",
        MatchKind::CodePrefix => "code_prefix",
        MatchKind::ExactTitle => "exact_title",
        MatchKind::ExactAlternateTitle => "exact_alternate_title",
        MatchKind::TitlePrefix => "title_prefix",
        MatchKind::AlternateTitlePrefix => "alternate_title_prefix",
        MatchKind::TitleWords => "title_words",
        MatchKind::AlternateTitleWords => "alternate_title_words",
    }
}

fn has_onet_ratings(catalog: &Catalog, index: usize) -> bool {
    catalog
        .domains
        .iter()
        .any(|t| t.profiles(index).onet.is_some())
}

/// `GET /occupations?q=`: title search.
pub fn search(catalog: &Catalog, q: &SearchQuery) -> Result<SearchBody, ApiError> {
    let query = q.q.as_deref().map(str::trim).unwrap_or("");
    if query.is_empty() {
        return Err(ApiError::parameter(
            "q",
            "`q` is required: words of an occupation title, or a code",
        ));
    }
    if query.chars().count() > 200 {
        return Err(ApiError::parameter(
            "q",
            "`q` must be at most 200 characters",
        ));
    }
    let n = limit(q.limit.as_ref(), 20)?;
    let hits = catalog
        .search_index()
        .search(&catalog.occupations, query, n);
    Ok(SearchBody {
        query: query.to_owned(),
        results: hits
            .into_iter()
            .map(|h| {
                let e = &catalog.occupations[h.occupation];
                SearchResult {
                    code: e.occupation.code.to_string(),
                    title: e.occupation.title.clone(),
                    matched_title: h.matched_title,
                    match_kind: match_name(h.kind),
                    has_ratings: has_onet_ratings(catalog, h.occupation),
                }
            })
            .collect(),
    })
}

/// Ratings an occupation has in one domain.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct Coverage {
    /// Domain.
    pub domain: String,
    /// Source of its O*NET values (`onet-release` or `onet-api`), if it has any.
    pub onet: Option<String>,
    /// Whether LLM estimates exist.
    pub llm: bool,
}

/// A task statement.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct TaskDto {
    /// O*NET task id.
    pub id: u32,
    /// The statement.
    pub task: String,
    /// Core or Supplemental.
    pub task_type: Option<String>,
}

/// Answer of `GET /occupations/{code}`.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct OccupationBody {
    /// Code.
    pub code: String,
    /// Title.
    pub title: String,
    /// O*NET's description.
    pub description: String,
    /// Job zone 1–5 (preparation needed), when known.
    pub job_zone: Option<u8>,
    /// Whether it has O*NET ratings in any domain.
    pub has_ratings: bool,
    /// Ratings per loaded domain.
    pub ratings: Vec<Coverage>,
    /// Other titles.
    pub alternate_titles: Vec<String>,
    /// Task statements.
    pub tasks: Vec<TaskDto>,
    /// Provenance and attribution.
    pub data: DataInfo,
}

/// `GET /occupations/{code}`.
pub fn occupation_body(catalog: &Catalog, code: &str) -> Result<OccupationBody, ApiError> {
    let (i, e) = occupation(catalog, parse_code("code", code)?)?;
    let mut sources = BTreeMap::new();
    sources.insert("occupation".into(), e.source.to_string());
    Ok(OccupationBody {
        code: e.occupation.code.to_string(),
        title: e.occupation.title.clone(),
        description: e.occupation.description.clone(),
        job_zone: e.job_zone,
        has_ratings: has_onet_ratings(catalog, i),
        ratings: catalog
            .domains
            .iter()
            .map(|t| Coverage {
                domain: t.domain.to_string(),
                onet: t.profiles(i).onet.as_ref().map(|p| p.source.to_string()),
                llm: t.profiles(i).llm.is_some(),
            })
            .collect(),
        alternate_titles: e.alternate_titles.clone(),
        tasks: e
            .tasks
            .iter()
            .map(|t| TaskDto {
                id: t.id,
                task: t.text.clone(),
                task_type: t.task_type.clone(),
            })
            .collect(),
        data: data_info(catalog, sources),
    })
}

/// Query of `GET /occupations/{code}/profile`.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProfileQuery {
    /// `skills` (default), `knowledge`, … or `all`.
    pub domain: Option<String>,
    /// `onet` (default), `llm` or `best`.
    pub source: Option<String>,
}

/// One descriptor of a profile.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct ProfileRow {
    /// Element id.
    pub element_id: String,
    /// Name.
    pub name: String,
    /// Domain.
    pub domain: String,
    /// O*NET's description of the descriptor.
    pub description: String,
    /// Importance (IM, 1–5).
    pub importance: Option<f64>,
    /// Level (LV, 0–7) as rated.
    pub level: Option<f64>,
    /// Standard error of the level.
    pub level_standard_error: Option<f64>,
    /// Level flagged Not Relevant (counted as 0 in gaps).
    pub not_relevant: bool,
    /// O*NET recommends suppressing a value (low precision).
    pub suppressed: bool,
    /// The anchor nearest the level.
    pub anchor: Option<AnchorDto>,
    /// Where the values came from.
    pub source: String,
}

/// Answer of `GET /occupations/{code}/profile`.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct ProfileBody {
    /// The occupation.
    pub occupation: OccupationRef,
    /// Domains listed.
    pub domains: Vec<String>,
    /// `onet`, `llm` or `best`.
    pub source: String,
    /// One row per descriptor, domain by domain, in element-id order.
    pub descriptors: Vec<ProfileRow>,
    /// Provenance and attribution.
    pub data: DataInfo,
}

/// `GET /occupations/{code}/profile`.
pub fn profile_body(
    catalog: &Catalog,
    code: &str,
    q: &ProfileQuery,
) -> Result<ProfileBody, ApiError> {
    let (i, e) = occupation(catalog, parse_code("code", code)?)?;
    let choice = parse_source(q.source.as_ref())?;
    let tables = tables(catalog, parse_domain(q.domain.as_ref())?)?;
    let mut rows = Vec::new();
    let mut sources = BTreeMap::new();
    for table in &tables {
        let p = profile(table, i, e, choice)?;
        sources.insert(table.domain.to_string(), p.source.to_string());
        for (d, cell) in table.descriptors.iter().zip(p.cells.iter()) {
            rows.push(ProfileRow {
                element_id: d.id.to_string(),
                name: d.name.clone(),
                domain: table.domain.to_string(),
                description: d.description.clone(),
                importance: cell.importance,
                level: cell.level,
                level_standard_error: cell.level_se,
                not_relevant: cell.not_relevant,
                suppressed: cell.suppressed,
                anchor: cell.effective_level().and_then(|l| anchor_of(d, l)),
                source: p.source.to_string(),
            });
        }
    }
    Ok(ProfileBody {
        occupation: OccupationRef::of(e),
        domains: tables.iter().map(|t| t.domain.to_string()).collect(),
        source: source_name(choice).into(),
        descriptors: rows,
        data: data_info(catalog, sources),
    })
}

/// Query of `GET /occupations/{code}/transitions`.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TransitionsQuery {
    /// Most results (1–100, default 10).
    pub limit: Option<String>,
    /// `skills` (default), `knowledge`, … or `all`.
    pub domain: Option<String>,
    /// Importance at or above which a descriptor is required (default 3).
    pub min_importance: Option<String>,
    /// Level difference a shortage must exceed (default 0).
    pub min_gap: Option<String>,
    /// `onet` (default), `llm` or `best`.
    pub source: Option<String>,
}

/// One ranked move.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct TransitionDto {
    /// Target code.
    pub code: String,
    /// Target title.
    pub title: String,
    /// Similarity in [0, 1].
    pub similarity: f64,
    /// Shortages the move would bring.
    pub shortages: usize,
    /// Their importance-weighted total gap.
    pub weighted_gap_total: f64,
}

/// Answer of `GET /occupations/{code}/transitions`.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct TransitionsBody {
    /// The source occupation.
    pub from: OccupationRef,
    /// The definition and parameters used.
    pub definition: Definition,
    /// How many occupations were ranked.
    pub candidates: usize,
    /// Most similar first.
    pub transitions: Vec<TransitionDto>,
    /// Provenance and attribution.
    pub data: DataInfo,
}

/// `GET /occupations/{code}/transitions`.
pub fn transitions_body(
    catalog: &Catalog,
    code: &str,
    q: &TransitionsQuery,
) -> Result<TransitionsBody, ApiError> {
    let (i, e) = occupation(catalog, parse_code("code", code)?)?;
    let options = parse_options(
        q.domain.as_ref(),
        q.min_importance.as_ref(),
        q.min_gap.as_ref(),
        None,
        q.source.as_ref(),
    )?;
    let n = limit(q.limit.as_ref(), 10)?;
    let tables = tables(catalog, options.domains)?;
    let mut sources = BTreeMap::new();
    for t in &tables {
        sources.insert(
            format!("from.{}", t.domain),
            profile(t, i, e, options.source)?.source.to_string(),
        );
    }
    let domains: Vec<Domain> = tables.iter().map(|t| t.domain).collect();
    let candidates = (0..catalog.occupations.len())
        .filter(|&o| {
            o != i
                && tables
                    .iter()
                    .all(|t| t.profiles(o).get(options.source).is_some())
        })
        .count();
    let ranked = transitions(catalog, i, &domains, options.source, &options.params, n);
    Ok(TransitionsBody {
        from: OccupationRef::of(e),
        definition: definition(&tables, &options),
        candidates,
        transitions: ranked
            .iter()
            .map(|t| {
                let o = &catalog.occupations[t.occupation].occupation;
                TransitionDto {
                    code: o.code.to_string(),
                    title: o.title.clone(),
                    similarity: round(t.similarity, 4),
                    shortages: t.shortages,
                    weighted_gap_total: round(t.weighted_gap, 4),
                }
            })
            .collect(),
        data: data_info(catalog, sources),
    })
}

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
