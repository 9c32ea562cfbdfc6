//! One worksheet of an .xlsx workbook: find the header row, look columns up by name, and read
//! typed cells, collecting a [`CellProblem`] for each bad one.

use std::io::Cursor;

use calamine::{Data, Range, Reader, Xlsx};

use crate::error::{CellProblem, LaborError};

/// An opened workbook and its file name for messages.
pub(crate) struct Workbook {
    pub file: String,
    book: Xlsx<Cursor<Vec<u8>>>,
}

impl Workbook {
    /// Opens the bytes of an .xlsx file.
    pub fn open(file: &str, bytes: Vec<u8>) -> Result<Self, LaborError> {
        let book = Xlsx::new(Cursor::new(bytes)).map_err(|e| LaborError::NotAWorkbook {
            file: file.to_owned(),
            message: e.to_string(),
        })?;
        Ok(Self {
            file: file.to_owned(),
            book,
        })
    }

    /// Sheet names in workbook order.
    pub fn sheet_names(&self) -> Vec<String> {
        self.book.sheet_names()
    }

    /// The named sheet, or an error listing the sheets the workbook has.
    pub fn sheet(&mut self, name: &str) -> Result<Sheet, LaborError> {
        let names = self.sheet_names();
        if !names.iter().any(|n| n == name) {
            return Err(LaborError::MissingSheet {
                file: self.file.clone(),
                sheet: name.to_owned(),
                found: names.join(", "),
            });
        }
        let range = self
            .book
            .worksheet_range(name)
            .map_err(|e| LaborError::NotAWorkbook {
                file: self.file.clone(),
                message: format!("sheet `{name}`: {e}"),
            })?;
        Ok(Sheet {
            file: self.file.clone(),
            name: name.to_owned(),
            range,
        })
    }
}

/// A worksheet's cells.
pub(crate) struct Sheet {
    pub file: String,
    pub name: String,
    range: Range<Data>,
}

/// A located column: its index in the range, header name and letter.
#[derive(Clone, Debug)]
pub(crate) struct Col {
    idx: usize,
    /// The header text.
    pub name: String,
    /// Header text and letter, for messages: `` `A_MEDIAN` (AB) ``.
    pub label: String,
}

/// What a column's header must look like.
#[derive(Clone, Copy)]
pub(crate) enum Header {
    /// Exactly this name (surrounding space ignored).
    Exact(&'static str),
    /// Starts with this (BLS puts the years in: `Employment change, percent, 2024–34`); the
    /// `nth` such column (0-based), for `Employment, 2024` and `Employment, 2034`.
    Prefix(&'static str, usize),
}

impl Header {
    fn shown(self) -> String {
        match self {
            Header::Exact(n) => n.to_owned(),
            Header::Prefix(p, _) => format!("{p}…"),
        }
    }
}

/// The Excel letter of a 0-based column: 0 → A, 27 → AB.
pub(crate) fn letter(mut idx: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (idx % 26) as u8);
        if idx < 26 {
            break;
        }
        idx = idx / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// A cell as text, for messages and text columns.
pub(crate) fn text_of(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_owned(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

impl Sheet {
    /// The 1-based Excel row number of the range's row `i`.
    pub fn excel_row(&self, i: usize) -> u32 {
        self.range.start().map_or(0, |(r, _)| r) + i as u32 + 1
    }

    fn first_col(&self) -> usize {
        self.range.start().map_or(0, |(_, c)| c as usize)
    }

    /// Number of rows in the range.
    pub fn height(&self) -> usize {
        self.range.height()
    }

    /// The rows below the header row `header`, each with its Excel row number.
    pub fn rows_below(&self, header: usize) -> impl Iterator<Item = RowCx<'_>> {
        (header + 1..self.height()).map(move |i| RowCx {
            sheet: self,
            cells: self.row(i),
            row: self.excel_row(i),
        })
    }

    /// Row `i` of the range.
    pub fn row(&self, i: usize) -> &[Data] {
        self.range.rows().nth(i).unwrap_or(&[])
    }

    fn row_texts(&self, i: usize) -> Vec<String> {
        self.row(i)
            .iter()
            .map(text_of)
            .filter(|t| !t.is_empty())
            .collect()
    }

    /// The index of the header row: the first of the first 20 rows with a cell named `key`.
    /// BLS and O*NET put title rows above the header.
    pub fn header_row(&self, key: &str) -> Result<usize, LaborError> {
        let found =
            (0..self.height().min(20)).find(|i| self.row(*i).iter().any(|c| text_of(c) == key));
        found.ok_or_else(|| LaborError::MissingColumn {
            file: self.file.clone(),
            sheet: self.name.clone(),
            column: key.to_owned(),
            found: (0..self.height().min(20))
                .map(|i| self.row_texts(i))
                .find(|r| r.len() > 1)
                .unwrap_or_default()
                .join(", "),
        })
    }

    /// Finds each column in header row `header`, or names the first missing one with what the
    /// header has instead.
    pub fn columns<const N: usize>(
        &self,
        header: usize,
        wanted: [Header; N],
    ) -> Result<[Col; N], LaborError> {
        let names: Vec<String> = self.row(header).iter().map(text_of).collect();
        let first = self.first_col();
        let mut out: Vec<Col> = Vec::with_capacity(N);
        for w in wanted {
            let idx = match w {
                Header::Exact(n) => names.iter().position(|h| h == n),
                Header::Prefix(p, nth) => names
                    .iter()
                    .enumerate()
                    .filter(|(_, h)| h.starts_with(p))
                    .nth(nth)
                    .map(|(i, _)| i),
            };
            let Some(idx) = idx else {
                return Err(LaborError::MissingColumn {
                    file: self.file.clone(),
                    sheet: self.name.clone(),
                    column: w.shown(),
                    found: names
                        .iter()
                        .filter(|n| !n.is_empty())
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            };
            out.push(Col {
                idx,
                name: names[idx].clone(),
                label: format!("`{}` ({})", names[idx], letter(first + idx)),
            });
        }
        Ok(out
            .try_into()
            .unwrap_or_else(|_| unreachable!("N columns pushed")))
    }
}

/// One data row being read: where it is, and the problems found in it.
pub(crate) struct RowCx<'s> {
    pub sheet: &'s Sheet,
    pub cells: &'s [Data],
    pub row: u32,
}

impl RowCx<'_> {
    /// Whether every cell is blank (a spacer row).
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| text_of(c).is_empty())
    }

    /// A problem at `col` of this row.
    pub fn problem(&self, col: &Col, reason: impl Into<String>) -> CellProblem {
        CellProblem {
            file: self.sheet.file.clone(),
            sheet: self.sheet.name.clone(),
            row: self.row,
            column: col.label.clone(),
            reason: reason.into(),
        }
    }

    /// The raw cell.
    pub fn cell(&self, col: &Col) -> &Data {
        self.cells.get(col.idx).unwrap_or(&Data::Empty)
    }

    /// The cell as trimmed text.
    pub fn text(&self, col: &Col) -> String {
        text_of(self.cell(col))
    }

    /// A non-empty text cell.
    pub fn required_text(&self, col: &Col) -> Result<String, CellProblem> {
        let t = self.text(col);
        if t.is_empty() {
            Err(self.problem(col, "expected a value, found an empty cell"))
        } else {
            Ok(t)
        }
    }

    /// A number: a numeric cell, or text that is one (BLS sometimes stores numbers as text).
    /// `None` when the cell is not a number, so the caller can try its markers.
    pub fn number(&self, col: &Col) -> Option<f64> {
        match self.cell(col) {
            Data::Float(f) if f.is_finite() => Some(*f),
            Data::Int(i) => Some(*i as f64),
            Data::String(s) => s
                .trim()
                .replace(',', "")
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite()),
            _ => None,
        }
    }
}
