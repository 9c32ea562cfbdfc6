//! What BLS publishes, as values: 2018 SOC codes, wages that may be top-coded or missing, OEWS
//! rows, employment projections, the O*NET-SOC → SOC crosswalk and the files they came from.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

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

impl<'de> Deserialize<'de> for Soc2018Code {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
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

impl<'de> Deserialize<'de> for WageUnavailable {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        [
            WageUnavailable::NotAvailable,
            WageUnavailable::NotPublished,
            WageUnavailable::Military,
        ]
        .into_iter()
        .find(|w| w.reason() == s)
        .ok_or_else(|| serde::de::Error::custom(format!("`{s}` is not a reason a wage is unknown")))
    }
}

/// A wage as BLS publishes it: an amount, a top-coded "at or above" amount, or nothing (with why).
/// Never a number made up for a marker.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
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
}
