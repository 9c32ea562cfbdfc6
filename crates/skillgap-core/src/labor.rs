//! Labour-market facts from the U.S. Bureau of Labor Statistics, and the pure maths on them:
//! 2018 SOC codes, wages that may be top-coded or missing, OEWS rows, employment projections, the
//! O*NET-SOC → SOC crosswalk, the choice of the OEWS row for an O*NET occupation (with the broad
//! fallback), and the wage change of a move.

use std::collections::HashMap;
use std::fmt;

use serde::{Serialize, Serializer};

use crate::code::{ParseCodeError, SocCode};

/// A 2018 SOC code such as `15-1254` (`NN-NNNN`), as BLS files use.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Soc2018Code([u8; 7]);

impl Soc2018Code {
    /// Parses `NN-NNNN`; surrounding white space is not accepted.
    pub fn parse(s: &str) -> Result<Self, ParseCodeError> {
        let b = s.as_bytes();
        let ok = b.len() == 7
            && b.iter().enumerate().all(|(i, c)| {
                if i == 2 {
                    *c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if !ok {
            return Err(ParseCodeError::Soc2018(s.to_owned()));
        }
        let mut out = [0u8; 7];
        out.copy_from_slice(b);
        Ok(Self(out))
    }

    /// The SOC code an O*NET-SOC code extends (`15-1254.00` → `15-1254`), for occupations the
    /// crosswalk does not list.
    pub fn of_onet(code: SocCode) -> Self {
        let mut out = [0u8; 7];
        out.copy_from_slice(&code.as_str().as_bytes()[..7]);
        Self(out)
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits and '-' ever get in (see `parse`).
        std::str::from_utf8(&self.0).unwrap_or("??-????")
    }

    /// The broad occupation this code belongs to: the last digit set to 0 (`13-1021` → `13-1020`).
    pub fn broad(&self) -> Self {
        let mut out = self.0;
        out[6] = b'0';
        Self(out)
    }

    /// Whether this is a military occupation (major group 55), which OEWS does not cover.
    pub fn is_military(&self) -> bool {
        self.0.starts_with(b"55-")
    }
}

impl fmt::Display for Soc2018Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Soc2018Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Soc2018Code({})", self.as_str())
    }
}

impl Serialize for Soc2018Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Why a wage is not known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WageUnavailable {
    /// OEWS marks it `*` (not available), e.g. an annual wage of an occupation paid only hourly.
    NotAvailable,
    /// OEWS has no row for the occupation, at the detailed or the broad level.
    NotPublished,
    /// A military occupation (SOC major group 55): OEWS does not cover them.
    Military,
}

impl WageUnavailable {
    /// The reason as answers give it.
    pub const fn reason(self) -> &'static str {
        match self {
            WageUnavailable::NotAvailable => "not available in OEWS",
            WageUnavailable::NotPublished => "not published by OEWS",
            WageUnavailable::Military => "military, not covered",
        }
    }
}

impl Serialize for WageUnavailable {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.reason())
    }
}

/// A wage as BLS publishes it: an amount, a top-coded "at or above" amount, or nothing (with why).
/// Never a number made up for a marker.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Wage {
    /// The published amount, in dollars.
    Amount(f64),
    /// At or above this amount (OEWS `#`, projections `>=$…`): the top code.
    AtLeast(f64),
    /// Not known.
    Unavailable(WageUnavailable),
}

impl Wage {
    /// The amount when exactly known.
    pub fn amount(&self) -> Option<f64> {
        match self {
            Wage::Amount(a) => Some(*a),
            _ => None,
        }
    }

    /// The amount, exact or as the lower bound of a top-coded wage.
    pub fn lower_bound(&self) -> Option<f64> {
        match self {
            Wage::Amount(a) | Wage::AtLeast(a) => Some(*a),
            Wage::Unavailable(_) => None,
        }
    }

    /// Why it is unknown, if it is.
    pub fn unavailable(&self) -> Option<WageUnavailable> {
        match self {
            Wage::Unavailable(r) => Some(*r),
            _ => None,
        }
    }
}

/// The level of an OEWS row (`O_GROUP`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OewsGroup {
    /// All occupations.
    Total,
    /// A major group, e.g. `15-0000`.
    Major,
    /// A minor group, e.g. `15-1200`.
    Minor,
    /// A broad occupation, e.g. `13-1020`.
    Broad,
    /// The most detailed level OEWS publishes (sometimes a broad code, which then appears twice).
    Detailed,
}

impl OewsGroup {
    /// Every level, in order.
    pub const ALL: [OewsGroup; 5] = [
        OewsGroup::Total,
        OewsGroup::Major,
        OewsGroup::Minor,
        OewsGroup::Broad,
        OewsGroup::Detailed,
    ];

    /// The name OEWS writes.
    pub const fn as_str(self) -> &'static str {
        match self {
            OewsGroup::Total => "total",
            OewsGroup::Major => "major",
            OewsGroup::Minor => "minor",
            OewsGroup::Broad => "broad",
            OewsGroup::Detailed => "detailed",
        }
    }

    /// Parses the name OEWS writes.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.as_str() == s)
    }
}

/// Annual wages of one OEWS row: mean and percentiles.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct AnnualWages {
    /// Mean (`A_MEAN`).
    pub mean: Wage,
    /// 10th percentile (`A_PCT10`).
    pub pct10: Wage,
    /// 25th percentile (`A_PCT25`).
    pub pct25: Wage,
    /// Median (`A_MEDIAN`).
    pub median: Wage,
    /// 75th percentile (`A_PCT75`).
    pub pct75: Wage,
    /// 90th percentile (`A_PCT90`).
    pub pct90: Wage,
}

/// One national OEWS row: employment and wages of one SOC code at one level.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OewsRow {
    /// SOC code (`OCC_CODE`).
    pub code: Soc2018Code,
    /// Title (`OCC_TITLE`).
    pub title: String,
    /// Level (`O_GROUP`).
    pub group: OewsGroup,
    /// Employment (`TOT_EMP`); `None` for `**` (not available).
    pub employment: Option<u64>,
    /// Annual wages.
    pub annual: AnnualWages,
    /// Hourly mean (`H_MEAN`).
    pub hourly_mean: Wage,
    /// Hourly median (`H_MEDIAN`).
    pub hourly_median: Wage,
    /// Only annual wages are published (`ANNUAL` = TRUE: teachers, pilots…).
    pub annual_only: bool,
    /// Only hourly wages are published (`HOURLY` = TRUE: actors, musicians…).
    pub hourly_only: bool,
}

/// Whether a projections row is a detailed occupation or a sum of several.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectionKind {
    /// `Line item`: one occupation.
    LineItem,
    /// `Summary`: a group of occupations.
    Summary,
}

impl ProjectionKind {
    /// The name the table writes (`Occupation type`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ProjectionKind::LineItem => "Line item",
            ProjectionKind::Summary => "Summary",
        }
    }

    /// Parses the name the table writes.
    pub fn parse(s: &str) -> Option<Self> {
        [ProjectionKind::LineItem, ProjectionKind::Summary]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// One row of the BLS Employment Projections (Table 1.2). Employment and openings are in
/// thousands, as BLS publishes them; `None` where BLS writes `—`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Projection {
    /// SOC code (`2024 National Employment Matrix code`).
    pub code: Soc2018Code,
    /// Title, as BLS writes it.
    pub title: String,
    /// Line item or summary.
    pub kind: ProjectionKind,
    /// Employment in the base year, thousands.
    pub employment_base: Option<f64>,
    /// Employment in the projected year, thousands.
    pub employment_projected: Option<f64>,
    /// Change over the decade, thousands.
    pub change: Option<f64>,
    /// Change over the decade, percent.
    pub change_percent: Option<f64>,
    /// Openings per year on average over the decade, thousands.
    pub annual_openings: Option<f64>,
    /// Median annual wage in the base year (from OEWS).
    pub median_wage: Wage,
    /// Typical education needed for entry, e.g. `Bachelor's degree`.
    pub entry_education: Option<String>,
    /// Work experience in a related occupation.
    pub work_experience: Option<String>,
    /// Typical on-the-job training.
    pub training: Option<String>,
}

/// One row of O*NET's crosswalk: an O*NET-SOC 2019 occupation and the 2018 SOC code it belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CrosswalkEntry {
    /// O*NET-SOC 2019 code.
    pub onet: SocCode,
    /// O*NET-SOC 2019 title.
    pub onet_title: String,
    /// 2018 SOC code.
    pub soc: Soc2018Code,
    /// 2018 SOC title.
    pub soc_title: String,
}

/// Which file of the labour-market data a record describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LaborFileKind {
    /// OEWS national wages and employment.
    Oews,
    /// Employment Projections, Table 1.2.
    Projections,
    /// O*NET-SOC → SOC crosswalk.
    Crosswalk,
}

impl LaborFileKind {
    /// Every kind, in loading order.
    pub const ALL: [LaborFileKind; 3] = [
        LaborFileKind::Oews,
        LaborFileKind::Projections,
        LaborFileKind::Crosswalk,
    ];

    /// The name stored in the provenance table.
    pub const fn as_str(self) -> &'static str {
        match self {
            LaborFileKind::Oews => "oews",
            LaborFileKind::Projections => "projections",
            LaborFileKind::Crosswalk => "crosswalk",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Provenance of one labour-market file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LaborFile {
    /// What the file holds.
    pub kind: LaborFileKind,
    /// Where it was read from (a path, or a download's redacted address).
    pub source: String,
    /// The release the file says it is, e.g. `May 2024` or `2024–34`.
    pub release: String,
    /// Lower-case hex SHA-256 of the file's bytes (of the zip, when given the zip).
    pub sha256: String,
    /// Data rows read.
    pub rows: u64,
}

/// Everything read from the labour-market files, validated and ready to be stored.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LaborData {
    /// The files, with provenance.
    pub files: Vec<LaborFile>,
    /// OEWS rows.
    pub oews: Vec<OewsRow>,
    /// Projections rows.
    pub projections: Vec<Projection>,
    /// Crosswalk rows (empty when no crosswalk was given).
    pub crosswalk: Vec<CrosswalkEntry>,
}

impl LaborData {
    /// Rows across all three tables.
    pub fn row_count(&self) -> usize {
        self.oews.len() + self.projections.len() + self.crosswalk.len()
    }
}

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

    fn soc(s: &str) -> Soc2018Code {
        Soc2018Code::parse(s).unwrap()
    }

    #[test]
    fn soc_2018_codes_parse_and_know_their_broad_code() {
        assert_eq!(soc("13-1021").broad().as_str(), "13-1020");
        assert_eq!(soc("13-1020").broad(), soc("13-1020"));
        assert!(soc("55-3016").is_military());
        assert!(!soc("15-1254").is_military());
        let onet = SocCode::parse("15-1299.08").unwrap();
        assert_eq!(Soc2018Code::of_onet(onet), soc("15-1299"));
        for bad in [
            "",
            "15-1254.00",
            "151254",
            "15-125",
            "1a-1254",
            " 15-1254",
            "15–1254",
        ] {
            let e = Soc2018Code::parse(bad).unwrap_err().to_string();
            assert!(e.contains("NN-NNNN"), "{bad}: {e}");
        }
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
