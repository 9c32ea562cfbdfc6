//! Labour-market facts in answers: BLS wages, employment and outlook, O*NET's most common
//! education, and the change a move brings; prepared once per snapshot, since an occupation's
//! facts appear in many answers.

use std::collections::HashMap;

use serde::Serialize;
use skillgap_core::labor::{Bound, RowUsed, Wage, WageChange, wage_change};
use skillgap_core::pay::MoveWage;
use skillgap_core::{CommonLevel, SocCode};
use utoipa::ToSchema;

use super::prepared::Prepared;
use super::{DataInfo, round};
use crate::error::AppError;
use crate::facts::Facts;
use crate::params::{Order, Pay};

/// An annual wage as BLS publishes it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, ToSchema)]
pub struct WageDto {
    /// Dollars a year.
    pub annual: f64,
    /// True when BLS top-codes the wage: the true value is at or above `annual`.
    pub at_or_above: bool,
}

impl WageDto {
    /// The wage, or `None` when BLS publishes none.
    pub fn of(w: Wage) -> Option<Self> {
        match w {
            Wage::Amount(a) => Some(Self {
                annual: a,
                at_or_above: false,
            }),
            Wage::AtLeast(a) => Some(Self {
                annual: a,
                at_or_above: true,
            }),
            Wage::Unavailable(_) => None,
        }
    }
}

/// An education level from O*NET's survey of workers.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct EducationLevelDto {
    /// O*NET's category (1 = less than a high school diploma … 12 = post-doctoral training).
    pub category: u16,
    /// What it means, e.g. `Bachelor's Degree`.
    pub level: String,
    /// Percentage of respondents who said this level is required.
    pub share: f64,
}

impl EducationLevelDto {
    fn of(l: &CommonLevel) -> Self {
        Self {
            category: l.category,
            level: l.description.clone(),
            share: round(l.share, 2),
        }
    }
}

/// An occupation's labour-market facts.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct LaborFactsDto {
    /// The 2018 SOC code the occupation maps to (O*NET's crosswalk, else its first 7 characters).
    pub soc_code: String,
    /// The OEWS row used: the occupation's own code, or its broad occupation when OEWS publishes
    /// only that; null when there is none.
    pub oews_code: Option<String>,
    /// `exact`, `broad` or `none`.
    pub oews_match: &'static str,
    /// Median annual wage (OEWS); null when not published.
    pub median_wage: Option<WageDto>,
    /// 10th percentile annual wage.
    pub pct10_wage: Option<WageDto>,
    /// 90th percentile annual wage.
    pub pct90_wage: Option<WageDto>,
    /// Why the median wage is null, e.g. `not published by OEWS`, `military, not covered`.
    pub wage_reason: Option<&'static str>,
    /// Employment (OEWS).
    pub employment: Option<u64>,
    /// Projected employment change over the decade, percent (BLS Employment Projections).
    pub projected_change_percent: Option<f64>,
    /// Openings per year on average over the decade.
    pub annual_openings: Option<f64>,
    /// Typical education needed for entry (BLS).
    pub entry_education: Option<String>,
    /// The level of education most of O*NET's respondents said is required, with its share.
    pub onet_education: Option<EducationLevelDto>,
}

fn match_name(r: &RowUsed) -> &'static str {
    match r {
        RowUsed::Exact { .. } => "exact",
        RowUsed::Broad { .. } => "broad",
        RowUsed::None { .. } => "none",
    }
}

impl LaborFactsDto {
    /// Computes the facts of `code`; `None` when no BLS data is loaded.
    pub fn compute(facts: &Facts, code: SocCode) -> Option<Self> {
        let f = facts.labor(code)?;
        Some(Self {
            soc_code: f.soc.to_string(),
            oews_code: f.oews_row.code().map(|c| c.to_string()),
            oews_match: match_name(&f.oews_row),
            median_wage: WageDto::of(f.median_wage),
            pct10_wage: WageDto::of(f.pct10_wage),
            pct90_wage: WageDto::of(f.pct90_wage),
            wage_reason: f.median_wage.unavailable().map(|r| r.reason()),
            employment: f.employment,
            projected_change_percent: f.projected_change_percent,
            // BLS publishes thousands.
            annual_openings: f.annual_openings.map(|t| round(t * 1000.0, 0)),
            entry_education: f.entry_education,
            onet_education: facts.education(code).map(EducationLevelDto::of),
        })
    }
}

/// The wage change of a move.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, ToSchema)]
pub struct WageChangeDto {
    /// Target median minus source median, dollars a year.
    pub difference: f64,
    /// Target median over source median.
    pub ratio: f64,
    /// `exact`; `at_least` when the target's wage is top-coded; `at_most` when the source's is.
    pub bound: &'static str,
}

impl WageChangeDto {
    pub(crate) fn of(c: WageChange) -> Self {
        Self {
            difference: round(c.difference, 2),
            ratio: round(c.ratio, 4),
            bound: match c.bound {
                Bound::Exact => "exact",
                Bound::AtLeast => "at_least",
                Bound::AtMost => "at_most",
            },
        }
    }
}

/// Why a wage change cannot be given.
fn change_reason(from: Wage, to: Wage) -> Option<String> {
    if let Some(r) = from.unavailable() {
        return Some(format!("source wage {}", r.reason()));
    }
    if let Some(r) = to.unavailable() {
        return Some(format!("target wage {}", r.reason()));
    }
    match (from, to) {
        (Wage::AtLeast(_), Wage::AtLeast(_)) => {
            Some("both wages are top-coded (at or above the same amount)".into())
        }
        _ => None,
    }
}

/// The change from source to target: wages and education.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct ChangeDto {
    /// The median wage change; null when either side's wage is unknown.
    pub wage: Option<WageChangeDto>,
    /// Why `wage` is null.
    pub wage_reason: Option<String>,
    /// O*NET education categories up (positive) or down (negative) from source to target.
    pub education_step: Option<i32>,
    /// `up`, `down` or `same`.
    pub education: Option<&'static str>,
    /// What stands in the way of the move (education step, experience, training, BLS entry
    /// requirements, missing knowledge), each with its source.
    #[schema(value_type = Option<Object>)]
    pub barriers: Option<skillgap_core::barriers::Barriers>,
    /// Programmes preparing for the target and not the source; absent when none are loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub programmes: Option<Vec<super::programmes::ProgrammeDto>>,
}

/// The facts of both sides of a gap and the change between them.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct GapFacts {
    /// The source occupation's facts.
    #[schema(value_type = LaborFactsDto)]
    pub from: Prepared<LaborFactsDto>,
    /// The target occupation's facts.
    #[schema(value_type = LaborFactsDto)]
    pub to: Prepared<LaborFactsDto>,
    /// What the move changes.
    pub change: ChangeDto,
}

impl GapFacts {
    /// The facts of a move; `None` when no BLS data is loaded.
    pub fn of(labor: &LaborLookup, from: SocCode, to: SocCode) -> Option<Self> {
        let facts = labor.facts;
        let (a, b) = (labor.median_wage(from)?, labor.median_wage(to)?);
        let step = match (facts.education(from), facts.education(to)) {
            (Some(x), Some(y)) => Some(x.step_to(y)),
            _ => None,
        };
        Some(Self {
            from: labor.of(from)?,
            to: labor.of(to)?,
            change: ChangeDto {
                wage: wage_change(a, b).map(WageChangeDto::of),
                wage_reason: change_reason(a, b),
                education_step: step,
                education: step.map(|s| match s.signum() {
                    1 => "up",
                    -1 => "down",
                    _ => "same",
                }),
                barriers: None,
                programmes: None,
            },
        })
    }
}

/// The wage side of one ranked move.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct MoveWageDto {
    /// The target's median annual wage.
    pub median_wage: Option<WageDto>,
    /// The change from the source's median; null when either is unknown.
    pub change: Option<WageChangeDto>,
    /// Why `change` is null.
    pub reason: Option<String>,
    /// Importance-weighted gap per $1,000 of median wage gained; only for moves that pay more.
    pub weighted_gap_per_1000_dollars: Option<f64>,
}

impl MoveWageDto {
    /// A move's wage facts as answers give them, from a source paid `from`.
    pub fn of(w: &MoveWage, from: Wage) -> Self {
        Self {
            median_wage: WageDto::of(w.median),
            change: w.change.map(WageChangeDto::of),
            reason: change_reason(from, w.median),
            weighted_gap_per_1000_dollars: w.gap_per_1000.map(|g| round(g, 6)),
        }
    }
}

/// Each catalog occupation's labour facts as answers give them, serialized once when the
/// snapshot is built, and its median wage (what moves and paths compare, many times per answer).
#[derive(Clone, Debug, Default)]
pub struct PreparedLabor {
    by_code: HashMap<SocCode, (Prepared<LaborFactsDto>, Wage)>,
}

impl PreparedLabor {
    /// Prepares the facts of `codes` (the catalog's occupations); empty without BLS data.
    pub fn new(facts: &Facts, codes: impl IntoIterator<Item = SocCode>) -> Self {
        if !facts.has_labor() {
            return Self::default();
        }
        let by_code = codes
            .into_iter()
            .filter_map(|c| {
                let median = facts.labor(c)?.median_wage;
                Some((
                    c,
                    (Prepared::new(LaborFactsDto::compute(facts, c)?), median),
                ))
            })
            .collect();
        Self { by_code }
    }
}

/// The labour facts answers read: the facts, and those already prepared.
#[derive(Clone, Copy, Debug)]
pub struct LaborLookup<'a> {
    /// What the store holds.
    pub facts: &'a Facts,
    /// The catalog's occupations' facts, prepared.
    pub prepared: &'a PreparedLabor,
}

impl LaborLookup<'_> {
    /// The facts of `code` as answers give them (prepared, or computed now for an occupation the
    /// catalog did not have then); `None` when no BLS data is loaded.
    pub fn of(&self, code: SocCode) -> Option<Prepared<LaborFactsDto>> {
        if let Some((dto, _)) = self.prepared.by_code.get(&code) {
            return Some(dto.clone());
        }
        LaborFactsDto::compute(self.facts, code).map(Prepared::new)
    }

    /// An occupation's median annual wage; `None` when no BLS data is loaded.
    pub fn median_wage(&self, code: SocCode) -> Option<Wage> {
        match self.prepared.by_code.get(&code) {
            Some((_, median)) => Some(*median),
            None => self.facts.labor(code).map(|f| f.median_wage),
        }
    }

    /// Whether BLS figures are loaded.
    pub fn loaded(&self) -> bool {
        self.facts.has_labor()
    }
}

/// Refuses a wage order or floor when no BLS wages are loaded: the store lacks what the request
/// asks for, a conflict with its state (409, naming the parameter), not an outage.
pub(crate) fn require_wages<S: Order>(facts: &Facts, pay: &Pay<S>) -> Result<(), AppError> {
    if !pay.needs_wages() || facts.has_labor() {
        return Ok(());
    }
    Err(AppError::DataNotLoaded {
        parameter: pay.wage_parameter().to_owned(),
        detail: "sort=wage_gain, sort=effort_per_dollar and min_wage_ratio need BLS wages, and none are loaded; run skillgap load-labor".into(),
    })
}

impl DataInfo {
    /// Adds BLS as a source (and its citation) when the answer uses BLS figures.
    pub(crate) fn with_bls(mut self, facts: &Facts, used: bool) -> Self {
        if !used || !facts.has_labor() {
            return self;
        }
        let r = facts.releases();
        let mut parts = Vec::new();
        if let Some(o) = &r.oews {
            parts.push(format!(
                "Occupational Employment and Wage Statistics (OEWS), {o}"
            ));
        }
        if let Some(p) = &r.projections {
            parts.push(format!("Employment Projections {p}"));
        }
        self.sources.insert("labor".into(), "bls".into());
        self.attribution.push_str(&format!(
            " Wages, employment and outlook: U.S. Bureau of Labor Statistics, {}. Source: U.S. Bureau of Labor Statistics.",
            parts.join("; ")
        ));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use skillgap_core::labor::WageUnavailable;

    #[test]
    fn a_top_coded_wage_says_so_and_a_missing_one_is_null() {
        assert_eq!(
            WageDto::of(Wage::AtLeast(239_200.0)),
            Some(WageDto {
                annual: 239_200.0,
                at_or_above: true
            })
        );
        assert_eq!(
            WageDto::of(Wage::Unavailable(WageUnavailable::Military)),
            None
        );
        let military = Wage::Unavailable(WageUnavailable::Military);
        assert_eq!(
            change_reason(military, Wage::Amount(1.0)).unwrap(),
            "source wage military, not covered"
        );
        assert_eq!(change_reason(Wage::Amount(1.0), Wage::Amount(2.0)), None);
        assert!(change_reason(Wage::AtLeast(1.0), Wage::AtLeast(1.0)).is_some());
    }

    #[test]
    fn facts_are_absent_without_bls_data_and_bls_is_not_cited() {
        let facts = Facts::default();
        let code = SocCode::parse("15-1254.00").unwrap();
        let prepared = PreparedLabor::new(&facts, [code]);
        let labor = LaborLookup {
            facts: &facts,
            prepared: &prepared,
        };
        assert!(labor.of(code).is_none());
        assert!(GapFacts::of(&labor, code, code).is_none());
        let catalog = skillgap_core::Catalog::build(None, &Default::default(), &Default::default());
        let info = DataInfo::new(&catalog, Default::default()).with_bls(&facts, true);
        assert!(!info.attribution.contains("Bureau of Labor Statistics"));
        assert!(!info.sources.contains_key("labor"));
    }
}
