//! The dates O*NET attaches to ratings: `MM/YYYY` in the text release, `YYYY-MM-DD` in the web API.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a date could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a date: expected MM/YYYY (text release) or YYYY-MM-DD (web API)")]
pub struct ParseDateError(pub String);

/// A calendar date; text-release dates have only a month, so their day is 1.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OnetDate {
    year: u16,
    month: u8,
    day: u8,
}

impl OnetDate {
    /// Builds a date, checking month and day ranges (day ≤ 31 is all O*NET needs; no calendar).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        ((1000..=9999).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day))
            .then_some(Self { year, month, day })
    }

    /// Parses `MM/YYYY` or `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<Self, ParseDateError> {
        let err = || ParseDateError(s.to_owned());
        let num = |p: &str, len: usize| -> Result<u16, ParseDateError> {
            if p.len() == len && p.bytes().all(|c| c.is_ascii_digit()) {
                p.parse().map_err(|_| err())
            } else {
                Err(err())
            }
        };
        let (y, m, d) = if let Some((m, y)) = s.split_once('/') {
            (num(y, 4)?, num(m, 2)?, 1)
        } else {
            let mut it = s.splitn(3, '-');
            let (Some(y), Some(m), Some(d)) = (it.next(), it.next(), it.next()) else {
                return Err(err());
            };
            (num(y, 4)?, num(m, 2)?, num(d, 2)?)
        };
        Self::new(y, m as u8, d as u8).ok_or_else(err)
    }

    /// The year.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The month, 1–12.
    pub fn month(&self) -> u8 {
        self.month
    }
}

impl fmt::Display for OnetDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl fmt::Debug for OnetDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OnetDate({self})")
    }
}

impl Serialize for OnetDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for OnetDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// An optional date as one number (`yyyymmdd`, 0 for none), for compact storage encodings.
pub(crate) mod compact {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::OnetDate;

    /// Writes `yyyymmdd`, or 0.
    pub fn serialize<S: Serializer>(date: &Option<OnetDate>, s: S) -> Result<S::Ok, S::Error> {
        date.map_or(0, |d| {
            u32::from(d.year) * 10_000 + u32::from(d.month) * 100 + u32::from(d.day)
        })
        .serialize(s)
    }

    /// Reads what [`serialize`] wrote, refusing a number that is no date.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<OnetDate>, D::Error> {
        let n = u32::deserialize(d)?;
        if n == 0 {
            return Ok(None);
        }
        let (year, month, day) = (n / 10_000, n / 100 % 100, n % 100);
        u16::try_from(year)
            .ok()
            .and_then(|y| OnetDate::new(y, month as u8, day as u8))
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("{n} is not a yyyymmdd date")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_onet_forms_to_the_same_iso_text() {
        assert_eq!(
            OnetDate::parse("08/2023").unwrap().to_string(),
            "2023-08-01"
        );
        assert_eq!(
            OnetDate::parse("2017-07-01").unwrap().to_string(),
            "2017-07-01"
        );
        assert!(OnetDate::parse("08/2024").unwrap() > OnetDate::parse("2017-07-01").unwrap());
    }

    #[test]
    fn rejects_malformed_dates() {
        for bad in [
            "",
            "8/2023",
            "13/2023",
            "00/2023",
            "08/23",
            "2023-8-01",
            "2023-08-32",
            "n/a",
        ] {
            assert!(OnetDate::parse(bad).is_err(), "{bad}");
        }
    }
}
