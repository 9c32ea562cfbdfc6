//! O*NET's `Related Occupations.txt` (release 30.0 layout: `O*NET-SOC Code`,
//! `Related O*NET-SOC Code`, `Relatedness Tier`, `Index`), read into
//! [`RelatedOccupation`] rows, or rejected with the file, line and column at fault.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use skillgap_core::{RelatedOccupation, RelatedTier, SocCode};

use super::error::{Rejection, ReleaseError, SHOWN_REJECTIONS};
use super::table::Table;

/// The file's name in a text release.
pub const RELATED_FILE: &str = "Related Occupations.txt";

/// Why a related-occupations file could not be read. Messages name the file as given.
#[derive(Debug, thiserror::Error)]
pub enum RelatedError {
    /// The file could not be read.
    #[error("cannot read {file}: {source}")]
    Io {
        /// The file as given.
        file: String,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The file is not a related-occupations table at all (encoding, emptiness, header).
    #[error("{file} line {line}: {source}")]
    Shape {
        /// The file as given.
        file: String,
        /// The line at fault (1 = the header).
        line: usize,
        /// What is wrong.
        source: ReleaseError,
    },
    /// Rows failed validation.
    #[error("{}", invalid_message(file, *total, shown))]
    Invalid {
        /// The file as given.
        file: String,
        /// How many rows were rejected.
        total: usize,
        /// The first [`SHOWN_REJECTIONS`] of them.
        shown: Vec<Rejection>,
    },
}

fn invalid_message(file: &str, total: usize, shown: &[Rejection]) -> String {
    let mut s = format!(
        "{file} has {total} invalid row{}; expected the O*NET 30.0 layout (O*NET-SOC Code, Related O*NET-SOC Code, Relatedness Tier, Index):",
        if total == 1 { "" } else { "s" }
    );
    for r in shown {
        s.push_str(&format!("\n  {file} line {}", r.line));
        if let Some(c) = r.column {
            s.push_str(&format!(", column `{c}`"));
        }
        s.push_str(&format!(": {}", r.reason));
    }
    if total > shown.len() {
        s.push_str(&format!("\n  … and {} more", total - shown.len()));
    }
    s
}

/// Reads and validates a related-occupations file. With `known`, every code must be one of them.
pub fn read_related(
    path: &Path,
    known: Option<&HashSet<SocCode>>,
) -> Result<Vec<RelatedOccupation>, RelatedError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| RelatedError::Io {
        file: file.clone(),
        source,
    })?;
    parse_related(&file, &bytes, known)
}

/// Validates the bytes of a related-occupations file; `file` names it in messages.
///
/// Every row must have two valid codes (known ones, when `known` is given), different from each
/// other; a tier O*NET uses; and an index in that tier's range (Primary-Short 1–5,
/// Primary-Long 6–10, Supplemental 11–20). No occupation may list the same occupation or the
/// same index twice. Strict: any bad row fails the whole file.
pub fn parse_related(
    file: &str,
    bytes: &[u8],
    known: Option<&HashSet<SocCode>>,
) -> Result<Vec<RelatedOccupation>, RelatedError> {
    let shape = |line: usize| {
        let file = file.to_owned();
        move |source: ReleaseError| RelatedError::Shape { file, line, source }
    };
    let table = Table::new(RELATED_FILE, bytes).map_err(|e| {
        let line = match &e {
            ReleaseError::InvalidUtf8 { line, .. } | ReleaseError::Truncated { line, .. } => *line,
            _ => 1,
        };
        shape(line)(e)
    })?;
    const COLUMNS: [&str; 4] = [
        "O*NET-SOC Code",
        "Related O*NET-SOC Code",
        "Relatedness Tier",
        "Index",
    ];
    let [code, related, tier, index] = table.columns(COLUMNS).map_err(shape(1))?;
    let mut rejections = Vec::new();
    let mut out = Vec::new();
    let mut pairs: HashMap<(SocCode, SocCode), usize> = HashMap::new();
    let mut ranks: HashMap<(SocCode, u16), usize> = HashMap::new();
    for row in table.rows() {
        let row = match row {
            Ok(r) => r,
            Err(r) => {
                rejections.push(r);
                continue;
            }
        };
        let reject = |col: usize, reason: String| Rejection {
            file: RELATED_FILE,
            line: row.line,
            column: Some(
                COLUMNS[[code, related, tier, index]
                    .iter()
                    .position(|c| *c == col)
                    .unwrap_or(0)],
            ),
            reason,
        };
        let field = |col: usize| row.fields[col].trim();
        let parse_code = |col: usize| -> Result<SocCode, Rejection> {
            let c = SocCode::parse(field(col)).map_err(|e| reject(col, e.to_string()))?;
            match known {
                Some(k) if !k.contains(&c) => Err(reject(
                    col,
                    format!("unknown occupation `{c}`: it is not in the occupation list"),
                )),
                _ => Ok(c),
            }
        };
        let parsed = (|| {
            let occupation = parse_code(code)?;
            let other = parse_code(related)?;
            if other == occupation {
                return Err(reject(
                    related,
                    format!("`{other}` is related to itself; expected another occupation"),
                ));
            }
            let t: RelatedTier = field(tier).parse().map_err(|e| reject(tier, e))?;
            let range = match t {
                RelatedTier::PrimaryShort => 1..=5,
                RelatedTier::PrimaryLong => 6..=10,
                RelatedTier::Supplemental => 11..=20,
            };
            let i = match field(index).parse::<u16>() {
                Ok(i) if range.contains(&i) => i,
                _ => {
                    return Err(reject(
                        index,
                        format!(
                            "expected a rank from {} to {} ({t}), found `{}`",
                            range.start(),
                            range.end(),
                            field(index)
                        ),
                    ));
                }
            };
            if let Some(first) = pairs.get(&(occupation, other)) {
                return Err(reject(
                    related,
                    format!("{occupation} already lists {other} on line {first}"),
                ));
            }
            if let Some(first) = ranks.get(&(occupation, i)) {
                return Err(reject(
                    index,
                    format!("{occupation} already has rank {i} on line {first}"),
                ));
            }
            Ok(RelatedOccupation {
                occupation,
                related: other,
                tier: t,
                index: i,
            })
        })();
        match parsed {
            Ok(r) => {
                pairs.insert((r.occupation, r.related), row.line);
                ranks.insert((r.occupation, r.index), row.line);
                out.push(r);
            }
            Err(r) => rejections.push(r),
        }
    }
    if rejections.is_empty() {
        Ok(out)
    } else {
        Err(RelatedError::Invalid {
            file: file.to_owned(),
            total: rejections.len(),
            shown: rejections.into_iter().take(SHOWN_REJECTIONS).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "O*NET-SOC Code\tRelated O*NET-SOC Code\tRelatedness Tier\tIndex\n";

    fn parse(body: &str) -> Result<Vec<RelatedOccupation>, RelatedError> {
        parse_related("r.txt", format!("{HEADER}{body}").as_bytes(), None)
    }

    fn lines(e: &RelatedError) -> Vec<(usize, Option<&'static str>)> {
        match e {
            RelatedError::Invalid { shown, .. } => {
                shown.iter().map(|r| (r.line, r.column)).collect()
            }
            other => panic!("{other}"),
        }
    }

    #[test]
    fn reads_rows_in_order() {
        let r = parse("11-1011.00\t11-1021.00\tPrimary-Short\t1\r\n11-1011.00\t13-1111.00\tSupplemental\t11\r\n")
            .unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[1].related.as_str(), "13-1111.00");
        assert_eq!((r[1].tier, r[1].index), (RelatedTier::Supplemental, 11));
    }

    #[test]
    fn names_the_line_and_column_of_each_bad_row() {
        let e = parse(concat!(
            "11-1011.00\t11-1021.00\tPrimary-Short\t1\n",
            "11-1011\t11-1021.00\tPrimary-Short\t2\n",
            "11-1011.00\t11-1031.00\tPrimary\t3\n",
            "11-1011.00\t11-1041.00\tPrimary-Long\t3\n",
            "11-1011.00\t11-1021.00\tPrimary-Short\t4\n",
            "11-1011.00\t11-1011.00\tPrimary-Short\t5\n",
            "11-1011.00\t11-1051.00\tPrimary-Short\t1\n",
        ))
        .unwrap_err();
        assert_eq!(
            lines(&e),
            [
                (3, Some("O*NET-SOC Code")),
                (4, Some("Relatedness Tier")),
                (5, Some("Index")),
                (6, Some("Related O*NET-SOC Code")),
                (7, Some("Related O*NET-SOC Code")),
                (8, Some("Index")),
            ]
        );
        let msg = e.to_string();
        assert!(
            msg.contains(
                "r.txt line 4, column `Relatedness Tier`: `Primary` is not a relatedness tier"
            ),
            "{msg}"
        );
        assert!(
            msg.contains("r.txt line 5, column `Index`: expected a rank from 6 to 10"),
            "{msg}"
        );
        assert!(msg.contains("already lists 11-1021.00 on line 2"), "{msg}");
        assert!(msg.contains("already has rank 1 on line 2"), "{msg}");
    }

    #[test]
    fn a_wrong_header_names_the_missing_column() {
        let e = parse_related("r.txt", b"O*NET-SOC Code\tRelated Code\tRelatedness Tier\tIndex\n11-1011.00\t11-1021.00\tPrimary-Short\t1\n", None)
            .unwrap_err();
        let msg = e.to_string();
        assert!(matches!(e, RelatedError::Shape { line: 1, .. }), "{msg}");
        assert!(msg.starts_with("r.txt line 1: "), "{msg}");
        assert!(msg.contains("no column `Related O*NET-SOC Code`"), "{msg}");
    }

    #[test]
    fn unknown_codes_are_rejected_when_the_list_is_given() {
        let known: HashSet<SocCode> = [SocCode::parse("11-1011.00").unwrap()].into();
        let e = parse_related(
            "r.txt",
            format!("{HEADER}11-1011.00\t11-1021.00\tPrimary-Short\t1\n").as_bytes(),
            Some(&known),
        )
        .unwrap_err();
        assert_eq!(lines(&e), [(2, Some("Related O*NET-SOC Code"))]);
        assert!(e.to_string().contains("unknown occupation `11-1021.00`"));
    }
}
