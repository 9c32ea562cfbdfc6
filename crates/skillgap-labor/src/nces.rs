//! NCES's instructional programmes: the CIP 2020 list (`CIPCode2020.csv`, codes written as Excel
//! formulas, `="01.0101"`) and the CIP 2020 ↔ 2018 SOC crosswalk
//! (`CIP2020_SOC2018_Crosswalk.xlsx`, sheet `SOC-CIP`), read as published and validated. Rows the
//! crosswalk marks unmatched (SOC `99-9999`, CIP `99.9999`) are counted and left out.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use skillgap_core::labor::Soc2018Code;
use skillgap_core::programmes::{
    Programme, ProgrammeData, ProgrammeFile, ProgrammeLink, UNMATCHED_CIP, UNMATCHED_SOC,
    is_cip_code,
};

use crate::error::{CellProblem, LaborError, SHOWN_PROBLEMS};
use crate::raw::{read_raw, workbook_bytes};
use crate::sheet::{Header, Workbook, letter};

/// The crosswalk's sheet by occupation.
pub const CROSSWALK_SHEET: &str = "SOC-CIP";
/// The kinds the two files are stored under (`programme_files.kind`).
const CIP_KIND: &str = "cip";
const CROSSWALK_KIND: &str = "cip_soc";
/// The CIP list's columns the reader needs.
const CIP_COLUMNS: [&str; 3] = ["CIPCode", "CIPTitle", "CIPDefinition"];

/// What the programme files held.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProgrammeRead {
    /// The validated data.
    pub data: ProgrammeData,
    /// Crosswalk rows marked unmatched (left out).
    pub unmatched: usize,
}

/// Splits CSV text (RFC 4180, with NCES's `="…"` formula cells) into records, each with the
/// 1-based line it starts on; a malformed quote is reported at its line.
/// A CSV record: the line it starts on, and its fields.
type Record = (u32, Vec<String>);

fn csv_records(text: &str) -> Result<Vec<Record>, (u32, String)> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line: u32 = 1;
    while chars.peek().is_some() {
        let start = line;
        let mut record = Vec::new();
        loop {
            let mut field = String::new();
            if chars.peek() == Some(&'=') {
                let mut look = chars.clone();
                look.next();
                if look.peek() == Some(&'"') {
                    chars.next();
                }
            }
            if chars.peek() == Some(&'"') {
                chars.next();
                loop {
                    match chars.next() {
                        None => return Err((start, "a quoted field is never closed".into())),
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            field.push('"');
                        }
                        // NCES leaves some quotes inside quoted fields undoubled (`titled
                        // "Security and Protective Services" in`): a quote not followed by the
                        // end of the field is text, as spreadsheet programs read it.
                        Some('"')
                            if !matches!(
                                chars.peek(),
                                None | Some(',') | Some('\n') | Some('\r')
                            ) =>
                        {
                            field.push('"');
                        }
                        Some('"') => break,
                        Some(c) => {
                            if c == '\n' {
                                line += 1;
                            }
                            field.push(c);
                        }
                    }
                }
            } else {
                while let Some(&c) = chars.peek() {
                    if c == ',' || c == '\n' || c == '\r' {
                        break;
                    }
                    field.push(c);
                    chars.next();
                }
            }
            record.push(field);
            match chars.next() {
                Some(',') => continue,
                Some('\r') => {
                    if chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    line += 1;
                    break;
                }
                Some('\n') => {
                    line += 1;
                    break;
                }
                _ => break,
            }
        }
        if !(record.len() == 1 && record[0].is_empty()) {
            out.push((start, record));
        }
    }
    Ok(out)
}

/// A CIP family (`NN`) or series (`NN.NN`): headings above the programmes.
fn is_family_or_series(code: &str) -> bool {
    let b = code.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    match b.len() {
        2 => digits(0..2),
        5 => digits(0..2) && b[2] == b'.' && digits(3..5),
        _ => false,
    }
}

fn csv_problem(file: &str, row: u32, column: &str, reason: impl Into<String>) -> CellProblem {
    CellProblem {
        file: file.to_owned(),
        sheet: "(CSV)".into(),
        row,
        column: column.to_owned(),
        reason: reason.into(),
    }
}

/// Reads the CIP list: every six-digit programme with its title and definition.
fn read_cip(
    file: &str,
    bytes: &[u8],
    problems: &mut Vec<CellProblem>,
) -> Result<Vec<Programme>, LaborError> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{feff}');
    let records = csv_records(text).map_err(|(row, reason)| LaborError::Invalid {
        total: 1,
        shown: vec![csv_problem(file, row, "-", reason)],
    })?;
    let Some((_, header)) = records.first() else {
        return Err(LaborError::MissingColumn {
            file: file.to_owned(),
            sheet: "(CSV)".into(),
            column: CIP_COLUMNS[0].into(),
            found: String::new(),
        });
    };
    let mut cols = [0usize; 3];
    for (k, name) in CIP_COLUMNS.iter().enumerate() {
        cols[k] =
            header
                .iter()
                .position(|h| h == name)
                .ok_or_else(|| LaborError::MissingColumn {
                    file: file.to_owned(),
                    sheet: "(CSV)".into(),
                    column: (*name).into(),
                    found: header.join(", "),
                })?;
    }
    let label = |k: usize| format!("`{}` ({})", CIP_COLUMNS[k], letter(cols[k]));
    let mut out = Vec::new();
    let mut seen: HashMap<String, u32> = HashMap::new();
    for (row, r) in records.iter().skip(1) {
        let get = |k: usize| r.get(cols[k]).map(|s| s.trim()).unwrap_or("");
        let code = get(0);
        // Families (`01`) and series (`01.01`) head the programmes; only six-digit codes are
        // programmes.
        if is_family_or_series(code) {
            continue;
        }
        if !is_cip_code(code) {
            problems.push(csv_problem(
                file,
                *row,
                &label(0),
                format!("`{code}` is not a CIP code (NN, NN.NN or NN.NNNN)"),
            ));
            continue;
        }
        if let Some(first) = seen.get(code) {
            problems.push(csv_problem(
                file,
                *row,
                &label(0),
                format!("duplicate programme {code}: already on row {first}"),
            ));
            continue;
        }
        let title = get(1);
        if title.is_empty() {
            problems.push(csv_problem(file, *row, &label(1), "empty title"));
            continue;
        }
        seen.insert(code.to_owned(), *row);
        out.push(Programme {
            code: code.to_owned(),
            title: title.to_owned(),
            definition: get(2).to_owned(),
        });
    }
    Ok(out)
}

/// Reads the crosswalk's `SOC-CIP` sheet: matched rows, and how many were unmatched.
fn read_crosswalk(
    book: &mut Workbook,
    programmes: &HashSet<&str>,
    problems: &mut Vec<CellProblem>,
) -> Result<(Vec<ProgrammeLink>, usize), LaborError> {
    let sheet = book.sheet(CROSSWALK_SHEET)?;
    let header = sheet.header_row("SOC2018Code")?;
    let [soc, _, cip, _] = sheet.columns(
        header,
        ["SOC2018Code", "SOC2018Title", "CIP2020Code", "CIP2020Title"].map(Header::Exact),
    )?;
    let mut out = Vec::new();
    let mut unmatched = 0;
    let mut seen: HashMap<(Soc2018Code, String), u32> = HashMap::new();
    for cx in sheet.rows_below(header) {
        if cx.is_blank() {
            continue;
        }
        let (s, c) = (cx.text(&soc), cx.text(&cip));
        if s == UNMATCHED_SOC || c == UNMATCHED_CIP {
            unmatched += 1;
            continue;
        }
        let code = match Soc2018Code::parse(&s) {
            Ok(code) => code,
            Err(e) => {
                problems.push(cx.problem(&soc, e.to_string()));
                continue;
            }
        };
        if !is_cip_code(&c) {
            problems.push(cx.problem(&cip, format!("`{c}` is not a CIP code (NN.NNNN)")));
            continue;
        }
        if !programmes.contains(c.as_str()) {
            problems.push(cx.problem(&cip, format!("programme {c} is not in the CIP 2020 list")));
            continue;
        }
        if let Some(first) = seen.get(&(code, c.clone())) {
            problems.push(cx.problem(
                &cip,
                format!("duplicate row {s} ↔ {c}: already on row {first}"),
            ));
            continue;
        }
        seen.insert((code, c.clone()), cx.row);
        out.push(ProgrammeLink { soc: code, cip: c });
    }
    Ok((out, unmatched))
}

/// Each file's SHA-256 under the kind it is stored as, read without parsing: a load of files
/// already loaded can stop here (parsing the crosswalk workbook is most of a load's time, and the
/// compose stack's load runs on every `docker compose up`).
pub fn programme_checksums(
    crosswalk: &Path,
    cip: &Path,
) -> Result<[(&'static str, String); 2], LaborError> {
    Ok([
        (CIP_KIND, read_raw(cip)?.sha256),
        (CROSSWALK_KIND, read_raw(crosswalk)?.sha256),
    ])
}

/// Reads and validates both files. Any bad value fails the whole read, listing the first
/// [`SHOWN_PROBLEMS`] with file, sheet, row and column.
pub fn read_programmes(crosswalk: &Path, cip: &Path) -> Result<ProgrammeRead, LaborError> {
    let mut problems = Vec::new();
    let raw = read_raw(cip)?;
    let programmes = read_cip(&raw.name, &raw.bytes, &mut problems)?;
    let cip_file = ProgrammeFile {
        kind: CIP_KIND.into(),
        file_name: raw.name.clone(),
        sha256: raw.sha256.clone(),
        rows: programmes.len() as u64,
    };
    let raw = read_raw(crosswalk)?;
    let sha = raw.sha256.clone();
    let (name, bytes) = workbook_bytes(raw)?;
    let mut book = Workbook::open(&name, bytes)?;
    let known: HashSet<&str> = programmes.iter().map(|p| p.code.as_str()).collect();
    let (links, unmatched) = read_crosswalk(&mut book, &known, &mut problems)?;
    if !problems.is_empty() {
        return Err(LaborError::Invalid {
            total: problems.len(),
            shown: problems.into_iter().take(SHOWN_PROBLEMS).collect(),
        });
    }
    let crosswalk_file = ProgrammeFile {
        kind: CROSSWALK_KIND.into(),
        file_name: name,
        sha256: sha,
        rows: links.len() as u64,
    };
    Ok(ProgrammeRead {
        data: ProgrammeData {
            programmes,
            links,
            files: vec![cip_file, crosswalk_file],
        },
        unmatched,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_and_quoted_commas_split_as_nces_writes_them() {
        let text = "\"A\",\"B\"\r\n=\"01.0101\",\"x, \"\"y\"\"\"\r\n=\"02\",\"two\nlines\"\r\n";
        let r = csv_records(text).unwrap();
        assert_eq!(r[0], (1, vec!["A".to_string(), "B".to_string()]));
        assert_eq!(
            r[1],
            (2, vec!["01.0101".to_string(), "x, \"y\"".to_string()])
        );
        assert_eq!(r[2], (3, vec!["02".to_string(), "two\nlines".to_string()]));
        assert!(csv_records("\"open").is_err());
        // An undoubled quote inside a quoted field is text, as in the published CIPCode2020.csv.
        let r = csv_records("\"titled \"Security\" in\",x\n").unwrap();
        assert_eq!(r[0].1, ["titled \"Security\" in", "x"]);
    }
}
