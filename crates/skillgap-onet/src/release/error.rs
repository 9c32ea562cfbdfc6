//! What can be wrong with a release, said so that the reader knows where to look and what to fix.

use std::fmt;
use std::path::PathBuf;

/// A row that failed validation: where it is and what was expected there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    /// File name inside the release, e.g. `Skills.txt`.
    pub file: &'static str,
    /// 1-based line number in that file (the header is line 1).
    pub line: usize,
    /// The column at fault, by its header name, when one column is.
    pub column: Option<&'static str>,
    /// What was wrong and what was expected.
    pub reason: String,
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} line {}", self.file, self.line)?;
        if let Some(c) = self.column {
            write!(f, ", column `{c}`")?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// How many rejections an error message lists before summarising the rest.
pub const SHOWN_REJECTIONS: usize = 20;

/// Why a release could not be read. Nothing has been written anywhere when one is returned.
#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    /// The release directory does not exist.
    #[error(
        "release directory {} does not exist; unpack an O*NET text release (db_NN_N_text.zip from https://www.onetcenter.org/database.html) there, or pass --onet-zip",
        .0.display()
    )]
    DirectoryNotFound(PathBuf),
    /// The path exists but is not a directory.
    #[error("{} is not a directory; pass the unpacked release's folder, or the zip with --onet-zip", .0.display())]
    NotADirectory(PathBuf),
    /// A file or zip could not be read.
    #[error("cannot read {}", path.display())]
    Io {
        /// Path that failed.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The zip is not a readable zip archive.
    #[error("{} is not a readable zip archive ({message}); download the text release zip again", path.display())]
    Zip {
        /// Path of the archive.
        path: PathBuf,
        /// What the zip reader said.
        message: String,
    },
    /// A file every release has is absent.
    #[error(
        "required file `{file}` is missing from {location}; an O*NET text release always has it"
    )]
    MissingFile {
        /// Missing file name.
        file: &'static str,
        /// The directory or zip searched.
        location: String,
    },
    /// The file has no data rows.
    #[error(
        "`{file}` is empty (no header line or no data rows); the download or copy is incomplete"
    )]
    EmptyFile {
        /// File name.
        file: &'static str,
    },
    /// The file is not UTF-8.
    #[error(
        "`{file}` is not valid UTF-8: invalid byte at offset {byte_offset} (line {line}); O*NET text releases are UTF-8"
    )]
    InvalidUtf8 {
        /// File name.
        file: &'static str,
        /// 1-based line holding the bad byte.
        line: usize,
        /// 0-based byte offset of the bad byte in the file.
        byte_offset: usize,
    },
    /// A required column is not in the header.
    #[error("`{file}` has no column `{column}` in its header line{}; found: {found}", suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
    MissingColumn {
        /// File name.
        file: &'static str,
        /// Expected header name.
        column: &'static str,
        /// The header line's names, comma-separated.
        found: String,
        /// A similar name found in the header, if any.
        suggestion: Option<String>,
    },
    /// The last line has no line end: the file was cut off.
    #[error(
        "`{file}` ends in the middle of line {line} (no line break after it); the file looks truncated, so download or copy it again"
    )]
    Truncated {
        /// File name.
        file: &'static str,
        /// The incomplete line.
        line: usize,
    },
    /// Rows failed validation (strict mode).
    #[error("{}", invalid_message(*.total, .shown))]
    Invalid {
        /// How many rows were rejected in all.
        total: usize,
        /// The first [`SHOWN_REJECTIONS`] of them.
        shown: Vec<Rejection>,
    },
    /// The release version could not be told from the files or the path.
    #[error(
        "cannot tell which O*NET release {0} is (no `Read Me.txt` naming it and no db_NN_N in its name); pass --release-version, e.g. --release-version 29.0"
    )]
    UnknownVersion(String),
}

fn invalid_message(total: usize, shown: &[Rejection]) -> String {
    let mut s = format!(
        "the release has {total} invalid row{}; nothing was loaded (use --lenient to load the valid rows and skip these):",
        if total == 1 { "" } else { "s" }
    );
    for r in shown {
        s.push_str("\n  ");
        s.push_str(&r.to_string());
    }
    if total > shown.len() {
        s.push_str(&format!("\n  … and {} more", total - shown.len()));
    }
    s
}
