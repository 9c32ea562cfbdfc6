//! Identifiers that O*NET uses as keys: occupation codes, content-model element ids, scale ids.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a code could not be parsed; the message says what shape was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseCodeError {
    /// Not an O*NET-SOC code.
    #[error("`{0}` is not an O*NET-SOC code: expected the pattern NN-NNNN.NN (e.g. 15-1252.00)")]
    SocCode(String),
    /// Not a content-model element id.
    #[error(
        "`{0}` is not an O*NET element id: expected dot-separated parts starting with a digit (e.g. 2.A.1.a)"
    )]
    ElementId(String),
    /// Not a scale id.
    #[error("`{0}` is not an O*NET scale id: expected 1 to 8 upper-case letters (e.g. IM, LV)")]
    ScaleId(String),
    /// Not a 2018 SOC code.
    #[error("`{0}` is not a 2018 SOC code: expected the pattern NN-NNNN (e.g. 15-1254)")]
    Soc2018(String),
}

/// An O*NET-SOC 2019 occupation code such as `15-1252.00` (`NN-NNNN.NN`).
///
/// Stored as its ten ASCII bytes, so it is `Copy`, hashes fast and orders like the string.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SocCode([u8; 10]);

impl SocCode {
    /// Parses `NN-NNNN.NN`; surrounding white space is not accepted.
    pub fn parse(s: &str) -> Result<Self, ParseCodeError> {
        let b = s.as_bytes();
        let shape_ok = b.len() == 10
            && b.iter().enumerate().all(|(i, c)| match i {
                2 => *c == b'-',
                7 => *c == b'.',
                _ => c.is_ascii_digit(),
            });
        if !shape_ok {
            return Err(ParseCodeError::SocCode(s.to_owned()));
        }
        let mut out = [0u8; 10];
        out.copy_from_slice(b);
        Ok(Self(out))
    }

    /// The code as text, e.g. `15-1252.00`.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits, '-' and '.' ever get in (see `parse`).
        std::str::from_utf8(&self.0).unwrap_or("??-????.??")
    }
}

/// A content-model element id such as `2.A.1.a` (Reading Comprehension) or `2.C.3.a`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ElementId(Box<str>);

impl ElementId {
    /// Parses a dot-separated id whose first part is a number and whose parts are alphanumeric.
    pub fn parse(s: &str) -> Result<Self, ParseCodeError> {
        let mut parts = s.split('.');
        let first_ok = parts
            .next()
            .is_some_and(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()));
        let rest_ok = parts.all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_alphanumeric()));
        if first_ok && rest_ok && s.len() <= 32 {
            Ok(Self(s.into()))
        } else {
            Err(ParseCodeError::ElementId(s.to_owned()))
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `self` is `ancestor` or lies below it in the content model (`2.A.1.a` is under `2.A`).
    pub fn is_under(&self, ancestor: &str) -> bool {
        self.0.len() >= ancestor.len()
            && self.0.starts_with(ancestor)
            && (self.0.len() == ancestor.len() || self.0.as_bytes()[ancestor.len()] == b'.')
    }
}

/// An O*NET scale id such as `IM` (importance, 1–5) or `LV` (level, 0–7).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ScaleId(Box<str>);

impl ScaleId {
    /// The importance scale id.
    pub const IMPORTANCE: &'static str = "IM";
    /// The level scale id.
    pub const LEVEL: &'static str = "LV";

    /// Parses 1 to 8 upper-case ASCII letters.
    pub fn parse(s: &str) -> Result<Self, ParseCodeError> {
        if (1..=8).contains(&s.len()) && s.bytes().all(|c| c.is_ascii_uppercase()) {
            Ok(Self(s.into()))
        } else {
            Err(ParseCodeError::ScaleId(s.to_owned()))
        }
    }

    /// The importance scale, `IM`.
    pub fn importance() -> Self {
        Self(Self::IMPORTANCE.into())
    }

    /// The level scale, `LV`.
    pub fn level() -> Self {
        Self(Self::LEVEL.into())
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is `IM`.
    pub fn is_importance(&self) -> bool {
        &*self.0 == Self::IMPORTANCE
    }

    /// Whether this is `LV`.
    pub fn is_level(&self) -> bool {
        &*self.0 == Self::LEVEL
    }
}

/// The text forms every code shares: `Display` and `Serialize` as the bare code, `Debug` as
/// `Type(code)`, and `FromStr` and `Deserialize` through the type's checking `parse`.
macro_rules! text_forms {
    ($($code:ident),+) => {$(
        impl fmt::Display for $code {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl fmt::Debug for $code {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($code), "({})"), self.as_str())
            }
        }

        impl FromStr for $code {
            type Err = ParseCodeError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl Serialize for $code {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $code {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Self::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    )+};
}

text_forms!(SocCode, ElementId, ScaleId);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soc_code_accepts_the_onet_shape() {
        let c = SocCode::parse("15-1252.00").unwrap();
        assert_eq!(c.as_str(), "15-1252.00");
        assert_eq!(c.to_string(), "15-1252.00");
    }

    #[test]
    fn soc_code_rejects_near_misses() {
        for bad in [
            "",
            "15-1252",
            "151252.00",
            "15-1252.0",
            "15-1252.000",
            " 15-1252.00",
            "15_1252.00",
            "1a-1252.00",
            "15-1252,00",
            "15-12５2.00",
        ] {
            let err = SocCode::parse(bad).unwrap_err();
            assert!(err.to_string().contains("NN-NNNN.NN"), "{bad}: {err}");
        }
    }

    #[test]
    fn soc_codes_order_like_their_text() {
        let a = SocCode::parse("11-1011.00").unwrap();
        let b = SocCode::parse("11-1011.03").unwrap();
        let c = SocCode::parse("53-7121.00").unwrap();
        assert!(a < b && b < c);
    }

    #[test]
    fn soc_code_round_trips_through_serde() {
        let c: SocCode = serde_json::from_str("\"15-1254.00\"").unwrap();
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"15-1254.00\"");
        assert!(serde_json::from_str::<SocCode>("\"15-1254\"").is_err());
    }

    #[test]
    fn element_ids() {
        for ok in ["1", "2.A", "2.A.1.a", "1.A.1.a.1", "4.A.2.b.10"] {
            assert_eq!(ElementId::parse(ok).unwrap().as_str(), ok);
        }
        for bad in ["", "A.1", "2..A", "2.A.", ".2", "2.A-1", "2.A 1"] {
            assert!(ElementId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn element_ancestry_respects_part_boundaries() {
        let e = ElementId::parse("2.A.1.a").unwrap();
        assert!(e.is_under("2.A"));
        assert!(e.is_under("2.A.1.a"));
        assert!(!e.is_under("2.A.1.a.1"));
        let f = ElementId::parse("2.A.10").unwrap();
        assert!(!f.is_under("2.A.1"));
    }

    #[test]
    fn scale_ids() {
        assert!(ScaleId::parse("IM").unwrap().is_importance());
        assert!(ScaleId::parse("LV").unwrap().is_level());
        assert!(ScaleId::parse("CTP").is_ok());
        for bad in ["", "im", "I M", "ABCDEFGHI"] {
            assert!(ScaleId::parse(bad).is_err(), "{bad}");
        }
    }
}
