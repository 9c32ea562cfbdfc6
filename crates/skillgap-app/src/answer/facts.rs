//! Labour-market facts in answers: BLS wages, employment and outlook, O*NET's most common
//! education, the change a move brings, and the technology gap.

use std::sync::Arc;

use serde::Serialize;
use serde_json::value::RawValue;
use skillgap_core::labor::{Bound, LaborFacts, RowUsed, Wage, WageChange, wage_change};
use skillgap_core::{CommonLevel, SocCode, TechnologyGap, technology_gap};
use utoipa::ToSchema;

use super::{DataInfo, round};
use crate::error::AppError;
use crate::facts::Facts;
use crate::params::{Order, Pay, TransitionSort};

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

/// A value with its JSON, serialized once (when the facts are loaded) and written as is into
/// every answer that carries it: an occupation's labour facts appear in many answers, and
/// serializing them again each time was most of what they cost.
#[derive(Clone, Debug)]
pub struct Prepared<T> {
    value: Arc<T>,
    json: Arc<RawValue>,
}

impl<T: Serialize> Prepared<T> {
    /// Serializes `value` once.
    pub fn new(value: T) -> Self {
        let json = serde_json::value::to_raw_value(&value)
            .expect("an answer type serializes to JSON")
            .into();
        Self {
            value: Arc::new(value),
            json,
        }
    }
}

impl<T> std::ops::Deref for Prepared<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: PartialEq> PartialEq for Prepared<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T> Serialize for Prepared<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.json.as_ref().serialize(s)
    }
}

impl LaborFactsDto {
    /// The facts of `code`, prepared when the facts were loaded (computed now for an occupation
    /// the catalog did not have then); `None` when no BLS data is loaded.
    pub fn of(facts: &Facts, code: SocCode) -> Option<Prepared<Self>> {
        if let Some(p) = facts.prepared_labor(code) {
            return Some(p.clone());
        }
        Self::compute(facts, code).map(Prepared::new)
    }

    /// Computes the facts of `code`; `None` when no BLS data is loaded.
    pub fn compute(facts: &Facts, code: SocCode) -> Option<Self> {
        let f: LaborFacts = facts.labor(code)?;
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
    pub fn of(facts: &Facts, from: SocCode, to: SocCode) -> Option<Self> {
        let (a, b) = (facts.median_wage(from)?, facts.median_wage(to)?);
        let step = match (facts.education(from), facts.education(to)) {
            (Some(x), Some(y)) => Some(x.step_to(y)),
            _ => None,
        };
        Some(Self {
            from: LaborFactsDto::of(facts, from)?,
            to: LaborFactsDto::of(facts, to)?,
            change: ChangeDto {
                wage: wage_change(a, b).map(WageChangeDto::of),
                wage_reason: change_reason(a, b),
                education_step: step,
                education: step.map(|s| match s.signum() {
                    1 => "up",
                    -1 => "down",
                    _ => "same",
                }),
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

/// A ranked move's wage facts, computed once for sorting and for the answer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MoveWage {
    /// The target's median.
    pub median: Wage,
    /// The change from the source.
    pub change: Option<WageChange>,
    /// `weighted_gap / (difference / 1000)` when the move pays more.
    pub gap_per_1000: Option<f64>,
}

impl MoveWage {
    /// The wage facts of a move from a source with median `from` to `to`, whose gap is
    /// `weighted_gap`; `None` when no BLS data is loaded.
    pub fn of(facts: &Facts, from: Wage, to: SocCode, weighted_gap: f64) -> Option<Self> {
        let median = facts.median_wage(to)?;
        let change = wage_change(from, median);
        let gap_per_1000 = change
            .filter(|c| c.difference > 0.0)
            .map(|c| weighted_gap / (c.difference / 1000.0));
        Some(Self {
            median,
            change,
            gap_per_1000,
        })
    }

    /// As answers give it.
    pub fn dto(&self, from: Wage) -> MoveWageDto {
        MoveWageDto {
            median_wage: WageDto::of(self.median),
            change: self.change.map(WageChangeDto::of),
            reason: change_reason(from, self.median),
            weighted_gap_per_1000_dollars: self.gap_per_1000.map(|g| round(g, 6)),
        }
    }
}

/// Orders moves (already ranked by similarity) by `sort`, keeps those paying at least
/// `min_wage_ratio` of today's wage, and returns at most `limit`. Ties keep the similarity order.
pub fn order_moves<T>(
    moves: Vec<(T, Option<MoveWage>)>,
    sort: TransitionSort,
    min_wage_ratio: Option<f64>,
    limit: usize,
) -> Vec<(T, Option<MoveWage>)> {
    let ratio = |w: &Option<MoveWage>| w.and_then(|w| w.change).map(|c| c.ratio);
    let mut out: Vec<(T, Option<MoveWage>)> = moves
        .into_iter()
        .filter(|(_, w)| min_wage_ratio.is_none_or(|min| ratio(w).is_some_and(|r| r >= min)))
        .collect();
    match sort {
        // Moves come ranked by relatedness or similarity already.
        TransitionSort::Relatedness | TransitionSort::Similarity => {}
        // Moves whose wage change is unknown go last, in the order they came.
        TransitionSort::WageGain => highest_first(&mut out, |(_, w)| ratio(w)),
        TransitionSort::EffortPerDollar => {
            known_smallest_first(&mut out, |(_, w)| w.and_then(|w| w.gap_per_1000))
        }
    }
    out.truncate(limit);
    out
}

/// Sorts by `key`, highest first, unknown keys last; stable, so ties keep the order they came in.
pub(crate) fn highest_first<T>(items: &mut [T], key: impl Fn(&T) -> Option<f64>) {
    items.sort_by(|a, b| match (key(a), key(b)) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
}

/// Keeps the items whose `key` is known and sorts them by it, smallest first; stable.
pub(crate) fn known_smallest_first<T>(items: &mut Vec<T>, key: impl Fn(&T) -> Option<f64>) {
    items.retain(|x| key(x).is_some());
    items.sort_by(|a, b| {
        key(a)
            .unwrap_or(f64::INFINITY)
            .total_cmp(&key(b).unwrap_or(f64::INFINITY))
    });
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

/// How `sort` orders moves, for the answer.
pub fn order_rule(sort: TransitionSort) -> &'static str {
    match sort {
        TransitionSort::Relatedness | TransitionSort::Similarity => {
            "by similarity, highest first; ties by smaller weighted gap, then code"
        }
        TransitionSort::WageGain => {
            "by wage ratio (target median annual wage / source median, BLS OEWS), highest first; moves with an unknown wage last"
        }
        TransitionSort::EffortPerDollar => {
            "among moves that pay more: by weighted gap per $1,000 of median annual wage gained, smallest first"
        }
    }
}

/// One technology the target's workers use.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct TechnologyDto {
    /// The product or technology, e.g. `Microsoft Azure software`.
    pub example: String,
    /// O*NET Hot Technology: frequently named in employers' job postings.
    pub hot: bool,
    /// O*NET In Demand for the target.
    pub in_demand: bool,
}

/// Technologies of one UNSPSC commodity.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct TechnologyGroupDto {
    /// UNSPSC commodity code.
    pub commodity_code: u32,
    /// UNSPSC commodity title, e.g. `Web platform development software`.
    pub commodity_title: String,
    /// Hot Technology first, then by name.
    pub technologies: Vec<TechnologyDto>,
}

/// Technologies the target occupation's workers use that the source's do not (`include=technology`).
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct TechnologyGapDto {
    /// By commodity; groups with more Hot Technologies first, then by title.
    pub groups: Vec<TechnologyGroupDto>,
    /// Technologies to learn, in all groups.
    pub missing: usize,
    /// Of which Hot Technologies.
    pub missing_hot: usize,
    /// Technologies both occupations' workers use (by example name).
    pub shared: usize,
    /// How the gap is computed.
    pub definition: &'static str,
}

/// How the technology gap is computed.
pub const TECHNOLOGY_RULE: &str = "technology examples (O*NET Technology Skills) the target lists and the source does not, compared by example name; grouped by UNSPSC commodity, Hot Technology first";

impl TechnologyGapDto {
    /// The technology gap from `from` to `to`.
    pub fn of(facts: &Facts, from: SocCode, to: SocCode) -> Self {
        let g: TechnologyGap = technology_gap(facts.technology(from), facts.technology(to));
        Self {
            groups: g
                .groups
                .into_iter()
                .map(|grp| TechnologyGroupDto {
                    commodity_code: grp.commodity_code,
                    commodity_title: grp.commodity_title,
                    technologies: grp
                        .technologies
                        .into_iter()
                        .map(|t| TechnologyDto {
                            example: t.example,
                            hot: t.hot,
                            in_demand: t.in_demand,
                        })
                        .collect(),
                })
                .collect(),
            missing: g.missing,
            missing_hot: g.missing_hot,
            shared: g.shared,
            definition: TECHNOLOGY_RULE,
        }
    }
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

    fn mv(ratio: Option<f64>, gap_per_1000: Option<f64>) -> Option<MoveWage> {
        Some(MoveWage {
            median: Wage::Amount(1.0),
            change: ratio.map(|r| WageChange {
                difference: r - 1.0,
                ratio: r,
                bound: Bound::Exact,
            }),
            gap_per_1000,
        })
    }

    #[test]
    fn moves_sort_by_pay_and_the_filter_drops_unknown_and_low_pay() {
        let moves = || {
            vec![
                ("a", mv(Some(0.5), None)),
                ("b", mv(None, None)),
                ("c", mv(Some(1.5), Some(4.0))),
                ("d", mv(Some(2.0), Some(9.0))),
                ("e", mv(Some(1.2), Some(1.0))),
            ]
        };
        let names = |v: Vec<(&'static str, Option<MoveWage>)>| {
            v.into_iter().map(|(n, _)| n).collect::<Vec<_>>()
        };
        assert_eq!(
            names(order_moves(moves(), TransitionSort::WageGain, None, 10)),
            ["d", "c", "e", "a", "b"]
        );
        assert_eq!(
            names(order_moves(
                moves(),
                TransitionSort::EffortPerDollar,
                None,
                10
            )),
            ["e", "c", "d"]
        );
        assert_eq!(
            names(order_moves(
                moves(),
                TransitionSort::Similarity,
                Some(0.75),
                10
            )),
            ["c", "d", "e"]
        );
        assert_eq!(
            names(order_moves(moves(), TransitionSort::WageGain, Some(1.2), 2)),
            ["d", "c"]
        );
    }

    #[test]
    fn facts_are_absent_without_bls_data_and_bls_is_not_cited() {
        let facts = Facts::default();
        let code = SocCode::parse("15-1254.00").unwrap();
        assert!(LaborFactsDto::of(&facts, code).is_none());
        assert!(GapFacts::of(&facts, code, code).is_none());
        let catalog = skillgap_core::Catalog::build(None, &Default::default(), &Default::default());
        let info = DataInfo::new(&catalog, Default::default()).with_bls(&facts, true);
        assert!(!info.attribution.contains("Bureau of Labor Statistics"));
        assert!(!info.sources.contains_key("labor"));
    }
}
