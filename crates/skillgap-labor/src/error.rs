//! What can be wrong with a labour-market file, said with file, sheet, row and column.

use std::fmt;
use std::path::PathBuf;

/// One bad cell (or row): where it is and what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellProblem {
    /// File name, e.g. `national_M2024_dl.xlsx`.
    pub file: String,
    /// Sheet name.
    pub sheet: String,
    /// 1-based row number as Excel shows it.
    pub row: u32,
    /// The column's header name and letter, e.g. `A_MEDIAN (AB)`.
    pub column: String,
    /// What was wrong and what was expected.
    pub reason: String,
}

impl fmt::Display for CellProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}, sheet `{}`, row {}, column {}: {}",
            self.file, self.sheet, self.row, self.column, self.reason
        )
    }
}

/// How many problems an error lists before summarising the rest.
pub const SHOWN_PROBLEMS: usize = 20;

/// Why labour-market files could not be read. Nothing has been written anywhere when one is
/// returned.
#[derive(Debug, thiserror::Error)]
pub enum LaborError {
    /// A file could not be read.
    #[error("cannot read {}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The file is not an .xlsx workbook (nor a zip holding one).
    #[error(
        "{file} is not a readable .xlsx workbook ({message}); pass the file as BLS publishes it"
    )]
    NotAWorkbook {
        /// File name.
        file: String,
        /// What the reader said.
        message: String,
    },
    /// A zip without the OEWS workbook in it.
    #[error(
        "{file} holds no .xlsx workbook{found}; pass oesm24nat.zip as BLS publishes it, or the national_M2024_dl.xlsx inside it"
    )]
    NoWorkbookInZip {
        /// File name.
        file: String,
        /// What it holds instead (`: a.txt, b.pdf`), or empty.
        found: String,
    },
    /// The expected sheet is not in the workbook.
    #[error("{file} has no sheet `{sheet}` (it has: {found}); is this the right file?")]
    MissingSheet {
        /// File name.
        file: String,
        /// Expected sheet.
        sheet: String,
        /// The sheets it has, comma-separated.
        found: String,
    },
    /// A column the reader needs is not in the header row.
    #[error("{file}, sheet `{sheet}`: no column `{column}` in the header row; found: {found}")]
    MissingColumn {
        /// File name.
        file: String,
        /// Sheet name.
        sheet: String,
        /// Expected header name.
        column: String,
        /// The header row's names (or the first row's, when no header row was found).
        found: String,
    },
    /// The file uses `#` but does not say what the top code is, so no amount can be given.
    #[error(
        "{file}: wages are marked `#` (at or above the top code), but the sheet `Field Descriptions` does not state the top-coded amount (\"# = indicates a wage equal to or greater than $… per hour or $… per year\"); pass the file as BLS publishes it"
    )]
    MissingTopCode {
        /// File name.
        file: String,
    },
    /// Rows failed validation.
    #[error("{}", invalid_message(*.total, .shown))]
    Invalid {
        /// How many problems in all.
        total: usize,
        /// The first [`SHOWN_PROBLEMS`] of them.
        shown: Vec<CellProblem>,
    },
}

fn invalid_message(total: usize, shown: &[CellProblem]) -> String {
    let mut s = format!(
        "{total} invalid value{} in the labour-market files; nothing was loaded:",
        if total == 1 { "" } else { "s" }
    );
    for p in shown {
        s.push_str("\n  ");
        s.push_str(&p.to_string());
    }
    if total > shown.len() {
        s.push_str(&format!("\n  … and {} more", total - shown.len()));
    }
    s
}
