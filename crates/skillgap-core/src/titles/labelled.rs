//! An organisation's labelled titles as a CSV file: a header naming a `title` column and a
//! `soc_codes` (6-digit SOC codes, `;`-separated) or `onet_code` / `code` column; other columns
//! are ignored. Read in full or refused: every bad row is reported with its line.

use std::fmt;

/// One labelled title.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelledRow {
    /// The line it was read from (1 is the header).
    pub line: usize,
    /// The title.
    pub title: String,
    /// Its codes, each `NN-NNNN` or `NN-NNNN.NN`.
    pub codes: Vec<String>,
}

/// What is wrong with a labelled-titles file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelledError {
    /// Line (1 is the header).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for LabelledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Splits CSV text (RFC 4180: quoted fields may hold commas, quotes doubled, line breaks) into
/// records with the line each starts on.
fn records(text: &str) -> Result<Vec<(usize, Vec<String>)>, LabelledError> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut record = Vec::new();
    let mut line = 1;
    let mut start = 1;
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        any = true;
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            ',' => record.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                out.push((start, std::mem::take(&mut record)));
                line += 1;
                start = line;
                any = false;
            }
            _ => field.push(c),
        }
    }
    if quoted {
        return Err(LabelledError {
            line: start,
            message: "a quoted field is not closed".into(),
        });
    }
    if any {
        record.push(field);
        out.push((start, record));
    }
    Ok(out)
}

fn is_code(c: &str) -> bool {
    let b = c.as_bytes();
    let soc = b.len() >= 7
        && b[..2].iter().all(u8::is_ascii_digit)
        && b[2] == b'-'
        && b[3..7].iter().all(u8::is_ascii_digit);
    soc && (b.len() == 7
        || (b.len() == 10 && b[7] == b'.' && b[8..].iter().all(u8::is_ascii_digit)))
}

/// Parses a labelled-titles file. Every problem is returned (by line), or every row.
pub fn parse_labelled(text: &str) -> Result<Vec<LabelledRow>, Vec<LabelledError>> {
    let (rows, errors) = parse_labelled_rows(text);
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// The good rows and the problems of the others, so a caller can check the good rows further
/// and report every problem at once.
pub fn parse_labelled_rows(text: &str) -> (Vec<LabelledRow>, Vec<LabelledError>) {
    match parse_all(text) {
        Ok(out) => out,
        Err(errors) => (Vec::new(), errors),
    }
}

fn parse_all(text: &str) -> Result<(Vec<LabelledRow>, Vec<LabelledError>), Vec<LabelledError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let recs = records(text).map_err(|e| vec![e])?;
    let Some((_, header)) = recs.first() else {
        return Err(vec![LabelledError {
            line: 1,
            message: "the file is empty; expected a header with `title` and `soc_codes`".into(),
        }]);
    };
    let find = |names: &[&str]| {
        header
            .iter()
            .position(|h| names.contains(&h.trim().to_lowercase().as_str()))
    };
    let Some(title_col) = find(&["title"]) else {
        return Err(vec![LabelledError {
            line: 1,
            message: format!("no `title` column (the header has: {})", header.join(", ")),
        }]);
    };
    let Some(code_col) = find(&["soc_codes", "soc_code", "onet_code", "onetsoc_code", "code"])
    else {
        return Err(vec![LabelledError {
            line: 1,
            message: format!(
                "no `soc_codes` or `onet_code` column (the header has: {})",
                header.join(", ")
            ),
        }]);
    };
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (line, rec) in &recs[1..] {
        if rec.len() == 1 && rec[0].trim().is_empty() {
            continue;
        }
        if rec.len() != header.len() {
            errors.push(LabelledError {
                line: *line,
                message: format!("{} fields, the header has {}", rec.len(), header.len()),
            });
            continue;
        }
        let title = rec[title_col].trim();
        if !title.chars().any(char::is_alphanumeric) {
            errors.push(LabelledError {
                line: *line,
                message: "the title is empty".into(),
            });
            continue;
        }
        let codes: Vec<String> = rec[code_col]
            .split(';')
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
            .collect();
        if codes.is_empty() {
            errors.push(LabelledError {
                line: *line,
                message: "no code".into(),
            });
            continue;
        }
        if let Some(bad) = codes.iter().find(|c| !is_code(c)) {
            errors.push(LabelledError {
                line: *line,
                message: format!(
                    "`{bad}` is not a SOC code (NN-NNNN) or O*NET-SOC code (NN-NNNN.NN)"
                ),
            });
            continue;
        }
        rows.push(LabelledRow {
            line: *line,
            title: title.to_owned(),
            codes,
        });
    }
    Ok((rows, errors))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_quotes_and_reports_bad_rows() {
        let ok = parse_labelled(
            "title,soc_codes,source\n\"Cook, Line\",35-2014;35-2021,x\r\nRN,29-1141.00,y\n",
        )
        .unwrap();
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[0].title, "Cook, Line");
        assert_eq!(ok[0].codes, ["35-2014", "35-2021"]);
        assert_eq!(ok[1].line, 3);
        assert_eq!(ok[1].codes, ["29-1141.00"]);
        let bad = parse_labelled("title,soc_codes\nCook,35-201\n,35-2014\nBaker\n").unwrap_err();
        assert_eq!(bad.iter().map(|e| e.line).collect::<Vec<_>>(), [2, 3, 4]);
        assert!(bad[0].message.contains("`35-201`"));
        let bad = parse_labelled("name,code\n").unwrap_err();
        assert!(bad[0].message.contains("no `title` column"));
    }
}
