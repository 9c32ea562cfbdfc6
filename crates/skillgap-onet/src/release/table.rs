//! One tab-separated file of a text release: header lookup by name, rows with their line numbers.
//!
//! O*NET text files are unquoted: a tab always separates fields and a line break always ends a
//! row, so splitting the text gives exact line numbers and byte offsets with no parser state.

use super::error::{Rejection, ReleaseError, quoted};

/// A checked file: UTF-8, not empty, not cut off, with its header split into column names.
pub(crate) struct Table<'a> {
    pub file: &'static str,
    header: Vec<&'a str>,
    body: &'a str,
}

/// One data row: its 1-based line number and its fields.
pub(crate) struct Row<'a> {
    pub line: usize,
    pub fields: Vec<&'a str>,
}

impl<'a> Table<'a> {
    /// Checks encoding and shape. A UTF-8 byte-order mark is skipped; CRLF and LF both end lines.
    pub fn new(file: &'static str, bytes: &'a [u8]) -> Result<Self, ReleaseError> {
        let bom = bytes.starts_with(b"\xEF\xBB\xBF");
        let bytes = if bom { &bytes[3..] } else { bytes };
        let line_of = |offset: usize| 1 + bytes[..offset].iter().filter(|b| **b == b'\n').count();
        // NUL is valid UTF-8 but never in a text file: it means zero-fill or a binary file.
        if let Some(offset) = bytes.iter().position(|b| *b == 0) {
            return Err(ReleaseError::NulByte {
                file,
                line: line_of(offset),
                byte_offset: offset + if bom { 3 } else { 0 },
            });
        }
        let text = std::str::from_utf8(bytes).map_err(|e| {
            let offset = e.valid_up_to();
            ReleaseError::InvalidUtf8 {
                file,
                line: line_of(offset),
                // Offsets are reported in the file as it is on disk, BOM included.
                byte_offset: offset + if bom { 3 } else { 0 },
            }
        })?;
        if text.is_empty() {
            return Err(ReleaseError::EmptyFile { file });
        }
        if text.trim().is_empty() {
            return Err(ReleaseError::BlankFile {
                file,
                bytes: bytes.len(),
            });
        }
        if !text.contains('\n') && text.contains('\r') {
            return Err(ReleaseError::CarriageReturnLineEnds { file });
        }
        let (header, body) = text.split_once('\n').unwrap_or((text, ""));
        let header: Vec<&str> = header
            .strip_suffix('\r')
            .unwrap_or(header)
            .split('\t')
            .collect();
        if body.trim().is_empty() {
            return Err(ReleaseError::EmptyFile { file });
        }
        if !body.ends_with('\n') {
            let line = 1 + text.bytes().filter(|b| *b == b'\n').count();
            return Err(ReleaseError::Truncated { file, line });
        }
        Ok(Self { file, header, body })
    }

    /// Finds each named column, or says which is missing and what the header has instead.
    pub fn columns<const N: usize>(
        &self,
        names: [&'static str; N],
    ) -> Result<[usize; N], ReleaseError> {
        let mut out = [0usize; N];
        for (slot, name) in out.iter_mut().zip(names) {
            *slot = self
                .header
                .iter()
                .position(|h| h.trim() == name)
                .ok_or_else(|| ReleaseError::MissingColumn {
                    file: self.file,
                    column: name,
                    found: quoted(&self.header.join(", ")).into_owned(),
                    suggestion: self
                        .header
                        .iter()
                        // A name far longer than the one sought is no misspelling of it, and
                        // comparing a huge one would cost time and memory quadratic in its length.
                        .filter(|h| h.len() <= 2 * name.len() + 8)
                        .map(|h| {
                            (
                                strsim::normalized_damerau_levenshtein(
                                    &h.to_lowercase(),
                                    &name.to_lowercase(),
                                ),
                                h,
                            )
                        })
                        .filter(|(score, _)| *score >= 0.6)
                        .max_by(|a, b| a.0.total_cmp(&b.0))
                        .map(|(_, h)| h.to_string()),
                })?;
        }
        Ok(out)
    }

    /// Data rows in order. A row whose field count differs from the header's is a rejection.
    pub fn rows(&self) -> impl Iterator<Item = Result<Row<'a>, Rejection>> + '_ {
        let width = self.header.len();
        let file = self.file;
        self.body
            .split_terminator('\n')
            .enumerate()
            .filter_map(move |(i, raw)| {
                let line = i + 2;
                let raw = raw.strip_suffix('\r').unwrap_or(raw);
                if raw.is_empty() {
                    // Blank lines carry no data; tolerated rather than rejected.
                    return None;
                }
                let fields: Vec<&str> = raw.split('\t').collect();
                Some(if fields.len() == width {
                    Ok(Row { line, fields })
                } else {
                    Err(Rejection {
                        file,
                        line,
                        column: None,
                        reason: format!(
                            "expected {width} tab-separated fields (as in the header), found {}",
                            fields.len()
                        ),
                    })
                })
            })
    }

    /// Number of data lines, for progress totals.
    pub fn len_hint(&self) -> usize {
        self.body.bytes().filter(|b| *b == b'\n').count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_crlf_and_lf_alike() {
        for text in ["A\tB\r\n1\t2\r\n3\t4\r\n", "A\tB\n1\t2\n3\t4\n"] {
            let t = Table::new("x.txt", text.as_bytes()).unwrap();
            let [b, a] = t.columns(["B", "A"]).unwrap();
            let rows: Vec<_> = t.rows().map(Result::unwrap).collect();
            assert_eq!(rows.len(), 2);
            assert_eq!(rows[1].line, 3);
            assert_eq!((rows[1].fields[a], rows[1].fields[b]), ("3", "4"));
        }
    }

    #[test]
    fn skips_a_byte_order_mark() {
        let t = Table::new("x.txt", b"\xEF\xBB\xBFA\tB\n1\t2\n").unwrap();
        assert_eq!(t.columns(["A"]).unwrap(), [0]);
    }

    #[test]
    fn names_the_offset_of_invalid_utf8() {
        let err = Table::new("x.txt", b"A\tB\n1\t\xFF\n").err().unwrap();
        match err {
            ReleaseError::InvalidUtf8 {
                line, byte_offset, ..
            } => {
                assert_eq!((line, byte_offset), (2, 6));
            }
            other => panic!("{other}"),
        }
    }

    #[test]
    fn suggests_a_misspelled_column() {
        let t = Table::new("x.txt", b"Scale Id\tMinimum\n1\t2\n").unwrap();
        let err = t.columns(["Scale ID"]).err().unwrap().to_string();
        assert!(err.contains("did you mean `Scale Id`"), "{err}");
    }

    #[test]
    fn rejects_rows_of_the_wrong_width_with_their_line() {
        let t = Table::new("x.txt", b"A\tB\n1\t2\n1\n1\t2\t3\n").unwrap();
        let rows: Vec<_> = t.rows().collect();
        assert!(rows[0].is_ok());
        let e = rows[1].as_ref().err().unwrap();
        assert_eq!(e.line, 3);
        assert!(e.reason.contains("found 1"));
        assert!(rows[2].as_ref().err().unwrap().reason.contains("found 3"));
    }

    #[test]
    fn detects_a_cut_off_file_and_an_empty_one() {
        assert!(matches!(
            Table::new("x.txt", b"A\tB\n1\t2\n3\t"),
            Err(ReleaseError::Truncated { line: 3, .. })
        ));
        assert!(matches!(
            Table::new("x.txt", b""),
            Err(ReleaseError::EmptyFile { .. })
        ));
        assert!(matches!(
            Table::new("x.txt", b"A\tB\r\n"),
            Err(ReleaseError::EmptyFile { .. })
        ));
    }
}
