//! O*NET sources for skillgap: read an O*NET text release (a directory or the official zip) into
//! validated [`skillgap_core::Release`] values, and fetch single occupations from O*NET Web
//! Services ([`web`]).
//!
//! The parser never touches the store: it returns domain values or says exactly which file, line
//! and column is wrong.

pub mod release;
pub mod web;

pub use release::{
    DownloadError, DownloadKind, Downloaded, LoadOptions, ONET_RELEASE, QUOTED_CHARS, RELATED_FILE,
    ReadOutcome, Reference, Rejection, RelatedError, ReleaseError, ReleaseFiles, ReleaseSource,
    ReleaseUrl, SHOWN_REJECTIONS, download, download_release, parse_related, read_related,
    read_release,
};
