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
        "required file `{file}` is missing from {location}; {}",
        match found_as {
            Some(other) => format!("it holds `{other}`, which differs only in letter case: rename it to `{file}`"),
            None => "an O*NET text release always has it".to_owned(),
        }
    )]
    MissingFile {
        /// Missing file name.
        file: &'static str,
        /// The directory or zip searched.
        location: String,
        /// A file there whose name differs from `file` only in letter case.
        found_as: Option<String>,
    },
    /// A release file is a directory, FIFO, device or socket: reading it would fail, block or
    /// never end.
    #[error(
        "{} is {kind}, not a regular file; a release file must be an ordinary file (copy the real file there)",
        path.display()
    )]
    NotAFile {
        /// The path refused.
        path: PathBuf,
        /// What it is instead.
        kind: &'static str,
    },
    /// A release file is far larger than any official one.
    #[error(
        "`{file}` in {location} is {}, more than its limit of {} ({basis}); it cannot be an O*NET release file, so check what was copied there",
        size_text(*size),
        size_text(*limit)
    )]
    TooLarge {
        /// File name.
        file: &'static str,
        /// The directory or zip it is in.
        location: String,
        /// Its size in bytes (as declared, for a zip entry).
        size: u64,
        /// The limit in bytes.
        limit: u64,
        /// Why the limit is what it is.
        basis: &'static str,
    },
    /// A zip entry is damaged, lies about its size, or expands like a zip bomb.
    #[error(
        "{}: `{entry}` {problem}; download the text release zip again from https://www.onetcenter.org/database.html",
        path.display()
    )]
    ZipEntry {
        /// Path of the archive.
        path: PathBuf,
        /// The entry's file name.
        entry: &'static str,
        /// What is wrong with it.
        problem: String,
    },
    /// The file has bytes, but only blanks and line breaks.
    #[error(
        "`{file}` holds {bytes} bytes but only spaces, tabs and line breaks: no header line and no rows; the download or copy is incomplete"
    )]
    BlankFile {
        /// File name.
        file: &'static str,
        /// Its size.
        bytes: usize,
    },
    /// The file has no data rows.
    #[error(
        "`{file}` is empty (no header line or no data rows); the download or copy is incomplete"
    )]
    EmptyFile {
        /// File name.
        file: &'static str,
    },
    /// The file holds NUL bytes, which no text file has: a zero-filled or binary file.
    #[error(
        "`{file}` holds a NUL byte at offset {byte_offset} (line {line}), so it is not a text file (a binary file, or one zero-filled by an interrupted copy); copy or download it again"
    )]
    NulByte {
        /// File name.
        file: &'static str,
        /// 1-based line holding the byte.
        line: usize,
        /// 0-based byte offset of the first NUL in the file.
        byte_offset: usize,
    },
    /// Lines end with a bare carriage return (old Mac style), so the file reads as one line.
    #[error(
        "`{file}` ends its lines with a carriage return (CR) alone and has no line feed; O*NET text releases end lines with LF or CRLF, so convert the line ends (e.g. `tr '\\r' '\\n'`)"
    )]
    CarriageReturnLineEnds {
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

/// A byte count in the unit that reads best.
pub(crate) fn size_text(bytes: u64) -> String {
    const KIB: u64 = 1 << 10;
    const MIB: u64 = 1 << 20;
    const GIB: u64 = 1 << 30;
    match bytes {
        b if b >= GIB => format!("{:.1} GiB", b as f64 / GIB as f64),
        b if b >= MIB => format!("{:.1} MiB", b as f64 / MIB as f64),
        b if b >= KIB => format!("{:.1} KiB", b as f64 / KIB as f64),
        b => format!("{b} bytes"),
    }
}

/// How many characters of a bad value a message quotes; the rest is summarised, so a 10 MB
/// field cannot become a 10 MB message.
pub const QUOTED_CHARS: usize = 80;

/// `value` for quoting in a message: whole when short, else its first [`QUOTED_CHARS`]
/// characters and how long it was.
pub(crate) fn quoted(value: &str) -> std::borrow::Cow<'_, str> {
    match value.char_indices().nth(QUOTED_CHARS) {
        None => std::borrow::Cow::Borrowed(value),
        Some((end, _)) => {
            std::borrow::Cow::Owned(format!("{}… ({} bytes in all)", &value[..end], value.len()))
        }
    }
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
