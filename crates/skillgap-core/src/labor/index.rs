//! An occupation's labour-market facts: which OEWS and projections rows answer for it (with the
//! broad fallback), the index answers read them from, and the wage change of a move.

use std::collections::HashMap;

use serde::Serialize;

use super::data::{
    LaborData, OewsGroup, OewsRow, Projection, ProjectionKind, Soc2018Code, Wage, WageUnavailable,
};
use crate::code::SocCode;

/// Which OEWS row answers for an occupation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "match", rename_all = "snake_case")]
pub enum RowUsed {
    /// The occupation's own SOC code.
    Exact {
        /// The code of the row.
        code: Soc2018Code,
    },
    /// OEWS publishes only the broad occupation (`13-1020` for `13-1021`).
    Broad {
        /// The occupation's own SOC code.
        soc: Soc2018Code,
        /// The code of the row used.
        code: Soc2018Code,
    },
    /// No row.
    None {
        /// The occupation's own SOC code.
        soc: Soc2018Code,
        /// Why there is none.
        reason: WageUnavailable,
    },
}

impl RowUsed {
    /// The code of the row used, if any.
    pub fn code(&self) -> Option<Soc2018Code> {
        match self {
            RowUsed::Exact { code } | RowUsed::Broad { code, .. } => Some(*code),
            RowUsed::None { .. } => None,
        }
    }
}

/// Picks the row for `soc`: its own code if `has_row` says so, else its broad code, else none,
/// saying why (military occupations are not covered; others are not published).
pub fn choose_row(soc: Soc2018Code, has_row: impl Fn(Soc2018Code) -> bool) -> RowUsed {
    if has_row(soc) {
        return RowUsed::Exact { code: soc };
    }
    let broad = soc.broad();
    if broad != soc && has_row(broad) {
        return RowUsed::Broad { soc, code: broad };
    }
    let reason = if soc.is_military() {
        WageUnavailable::Military
    } else {
        WageUnavailable::NotPublished
    };
    RowUsed::None { soc, reason }
}

/// An occupation's labour-market facts, as every answer naming it will carry them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LaborFacts {
    /// The 2018 SOC code the occupation maps to.
    pub soc: Soc2018Code,
    /// The OEWS row used for employment and wages.
    pub oews_row: RowUsed,
    /// Employment (OEWS).
    pub employment: Option<u64>,
    /// Median annual wage.
    pub median_wage: Wage,
    /// 10th percentile annual wage.
    pub pct10_wage: Wage,
    /// 90th percentile annual wage.
    pub pct90_wage: Wage,
    /// The projections row used.
    pub projections_row: RowUsed,
    /// Projected employment change over the decade, percent.
    pub projected_change_percent: Option<f64>,
    /// Openings per year, thousands.
    pub annual_openings: Option<f64>,
    /// Typical education needed for entry (BLS).
    pub entry_education: Option<String>,
    /// Work experience in a related occupation (BLS).
    pub entry_experience: Option<String>,
    /// Typical on-the-job training needed to attain competency (BLS).
    pub entry_training: Option<String>,
}

/// The labour-market data indexed for answers: O*NET-SOC → SOC, and rows by SOC code.
#[derive(Clone, Debug, Default)]
pub struct LaborIndex {
    crosswalk: HashMap<SocCode, Soc2018Code>,
    oews: HashMap<Soc2018Code, OewsRow>,
    projections: HashMap<Soc2018Code, Projection>,
}

impl LaborIndex {
    /// Indexes the data. Of two OEWS rows with one code (a broad occupation OEWS also lists as
    /// `detailed`), the detailed one is kept; of projections, line items win over summaries.
    pub fn new(data: &LaborData) -> Self {
        let mut oews: HashMap<Soc2018Code, OewsRow> = HashMap::new();
        for row in &data.oews {
            if row.group < OewsGroup::Broad {
                continue;
            }
            match oews.get(&row.code) {
                Some(existing) if existing.group >= row.group => {}
                _ => {
                    oews.insert(row.code, row.clone());
                }
            }
        }
        let mut projections: HashMap<Soc2018Code, Projection> = HashMap::new();
        for p in &data.projections {
            match projections.get(&p.code) {
                Some(existing) if existing.kind == ProjectionKind::LineItem => {}
                _ => {
                    projections.insert(p.code, p.clone());
                }
            }
        }
        Self {
            crosswalk: data.crosswalk.iter().map(|c| (c.onet, c.soc)).collect(),
            oews,
            projections,
        }
    }

    /// The SOC code of an O*NET occupation: from the crosswalk, else its first seven characters.
    pub fn soc_of(&self, onet: SocCode) -> Soc2018Code {
        self.crosswalk
            .get(&onet)
            .copied()
            .unwrap_or_else(|| Soc2018Code::of_onet(onet))
    }

    /// The OEWS row for a SOC code (detailed level, or broad).
    pub fn oews_row(&self, code: Soc2018Code) -> Option<&OewsRow> {
        self.oews.get(&code)
    }

    /// The facts for an O*NET occupation.
    pub fn facts(&self, onet: SocCode) -> LaborFacts {
        let soc = self.soc_of(onet);
        let oews_row = choose_row(soc, |c| self.oews.contains_key(&c));
        let projections_row = choose_row(soc, |c| self.projections.contains_key(&c));
        let row = oews_row.code().and_then(|c| self.oews.get(&c));
        let missing = match oews_row {
            RowUsed::None { reason, .. } => Wage::Unavailable(reason),
            _ => Wage::Unavailable(WageUnavailable::NotPublished),
        };
        let projection = projections_row
            .code()
            .and_then(|c| self.projections.get(&c));
        LaborFacts {
            soc,
            oews_row,
            employment: row.and_then(|r| r.employment),
            median_wage: row.map_or(missing, |r| r.annual.median),
            pct10_wage: row.map_or(missing, |r| r.annual.pct10),
            pct90_wage: row.map_or(missing, |r| r.annual.pct90),
            projections_row,
            projected_change_percent: projection.and_then(|p| p.change_percent),
            annual_openings: projection.and_then(|p| p.annual_openings),
            entry_education: projection.and_then(|p| p.entry_education.clone()),
            entry_experience: projection.and_then(|p| p.work_experience.clone()),
            entry_training: projection.and_then(|p| p.training.clone()),
        }
    }
}

/// Whether a wage change is exact or a bound (a top-coded wage on one side).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// Both wages are known amounts.
    Exact,
    /// The target is top-coded: the change is at least this.
    AtLeast,
    /// The source is top-coded: the change is at most this.
    AtMost,
}

/// The change in wage from a source occupation to a target.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct WageChange {
    /// Target minus source, dollars.
    pub difference: f64,
    /// Target over source.
    pub ratio: f64,
    /// Exact, or a bound because one side is top-coded.
    pub bound: Bound,
}

/// The wage change of a move; `None` when either wage is unknown, both are top-coded (nothing can
/// be said), or the source is not positive.
pub fn wage_change(from: Wage, to: Wage) -> Option<WageChange> {
    let (a, b, bound) = match (from, to) {
        (Wage::Amount(a), Wage::Amount(b)) => (a, b, Bound::Exact),
        (Wage::Amount(a), Wage::AtLeast(b)) => (a, b, Bound::AtLeast),
        (Wage::AtLeast(a), Wage::Amount(b)) => (a, b, Bound::AtMost),
        _ => return None,
    };
    (a > 0.0).then(|| WageChange {
        difference: b - a,
        ratio: b / a,
        bound,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labor::{AnnualWages, CrosswalkEntry};

    fn soc(s: &str) -> Soc2018Code {
        Soc2018Code::parse(s).unwrap()
    }

    #[test]
    fn the_row_is_the_exact_one_then_the_broad_one_and_says_why_there_is_none() {
        let have = [soc("15-1254"), soc("13-1020")];
        let has = |c| have.contains(&c);
        assert_eq!(
            choose_row(soc("15-1254"), has),
            RowUsed::Exact {
                code: soc("15-1254")
            }
        );
        assert_eq!(
            choose_row(soc("13-1021"), has),
            RowUsed::Broad {
                soc: soc("13-1021"),
                code: soc("13-1020")
            }
        );
        assert_eq!(
            choose_row(soc("55-3016"), has),
            RowUsed::None {
                soc: soc("55-3016"),
                reason: WageUnavailable::Military
            }
        );
        assert_eq!(
            choose_row(soc("21-1011"), has),
            RowUsed::None {
                soc: soc("21-1011"),
                reason: WageUnavailable::NotPublished
            }
        );
    }

    #[test]
    fn a_wage_change_is_exact_or_bounded_by_a_top_code() {
        let c = wage_change(Wage::Amount(90_930.0), Wage::Amount(171_200.0)).unwrap();
        assert_eq!((c.difference, c.bound), (80_270.0, Bound::Exact));
        assert!((c.ratio - 171_200.0 / 90_930.0).abs() < 1e-12);
        let up = wage_change(Wage::Amount(100_000.0), Wage::AtLeast(239_200.0)).unwrap();
        assert_eq!((up.difference, up.bound), (139_200.0, Bound::AtLeast));
        let down = wage_change(Wage::AtLeast(239_200.0), Wage::Amount(100_000.0)).unwrap();
        assert_eq!((down.difference, down.bound), (-139_200.0, Bound::AtMost));
        assert!(wage_change(Wage::AtLeast(1.0), Wage::AtLeast(1.0)).is_none());
        let military = Wage::Unavailable(WageUnavailable::Military);
        assert!(wage_change(military, Wage::Amount(1.0)).is_none());
        assert!(wage_change(Wage::Amount(0.0), Wage::Amount(1.0)).is_none());
    }

    fn wage_row(code: &str, group: OewsGroup, median: Wage) -> OewsRow {
        OewsRow {
            code: soc(code),
            title: String::new(),
            group,
            employment: Some(10),
            annual: AnnualWages {
                mean: median,
                pct10: median,
                pct25: median,
                median,
                pct75: median,
                pct90: median,
            },
            hourly_mean: median,
            hourly_median: median,
            annual_only: false,
            hourly_only: false,
        }
    }

    #[test]
    fn facts_follow_the_crosswalk_and_never_turn_a_missing_wage_into_zero() {
        let data = LaborData {
            oews: vec![
                wage_row("13-1020", OewsGroup::Broad, Wage::Amount(1.0)),
                wage_row("13-1020", OewsGroup::Detailed, Wage::Amount(75_650.0)),
                wage_row("13-0000", OewsGroup::Major, Wage::Amount(3.0)),
            ],
            crosswalk: vec![CrosswalkEntry {
                onet: SocCode::parse("13-1021.00").unwrap(),
                onet_title: String::new(),
                soc: soc("13-1021"),
                soc_title: String::new(),
            }],
            ..LaborData::default()
        };
        let index = LaborIndex::new(&data);
        let f = index.facts(SocCode::parse("13-1021.00").unwrap());
        assert_eq!(f.median_wage, Wage::Amount(75_650.0));
        assert_eq!(f.oews_row.code(), Some(soc("13-1020")));
        let m = index.facts(SocCode::parse("55-3016.00").unwrap());
        assert_eq!(m.median_wage, Wage::Unavailable(WageUnavailable::Military));
        assert_eq!(m.median_wage.amount(), None);
        assert_eq!(m.employment, None);
        assert_eq!(
            serde_json::to_value(m.median_wage).unwrap(),
            serde_json::json!({"unavailable": "military, not covered"})
        );
    }
}
