//! Reading an O*NET text release: find the files, check them, parse them into a [`Release`].

mod error;
mod files;
mod parse;
mod table;

use skillgap_core::{Domain, Progress, Release, SourceFile};

pub use error::{Rejection, ReleaseError, SHOWN_REJECTIONS};
pub use files::ReleaseSource;

use files::{RawFiles, detect_version, sha256_hex};
use parse::Parser;
use table::Table;

/// How to treat bad rows.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// Load the valid rows and report the rejected ones, instead of failing on the first file
    /// with a bad row. File-level problems (missing file, column, encoding) always fail.
    pub lenient: bool,
    /// The release version, when it cannot be told from `Read Me.txt` or the path.
    pub version: Option<String>,
}

/// A release read and validated, with what was rejected on the way (always empty when strict).
#[derive(Debug)]
pub struct ReadOutcome {
    /// The valid content.
    pub release: Release,
    /// Rows left out, in file and line order.
    pub rejected: Vec<Rejection>,
}

/// Reads and validates a whole release. Strict by default: any bad row fails the read, and the
/// error lists the first [`SHOWN_REJECTIONS`] problems with file, line and column.
pub fn read_release(
    source: &ReleaseSource,
    options: &LoadOptions,
    progress: &dyn Progress,
) -> Result<ReadOutcome, ReleaseError> {
    let raw = RawFiles::read(source)?;
    let version = options
        .version
        .clone()
        .or_else(|| detect_version(source, raw.readme.as_deref()))
        .ok_or_else(|| ReleaseError::UnknownVersion(source.path().display().to_string()))?;

    let total: u64 = raw.files.values().map(|b| b.len() as u64).sum();
    progress.begin("read and validate", total);
    let mut parser = Parser::default();
    let mut release = Release {
        version,
        source: source.path().display().to_string(),
        ..Release::default()
    };
    // Reference files first: every later row is checked against them.
    let order = files::REQUIRED.into_iter().chain(files::OPTIONAL);
    for name in order {
        let Some(bytes) = raw.files.get(name) else {
            continue;
        };
        let table = Table::new(name, bytes)?;
        match name {
            "Scales Reference.txt" => release.scales.extend(parser.scales(&table)?),
            "Content Model Reference.txt" => {
                release.descriptors.extend(parser.descriptors(&table)?)
            }
            "Occupation Data.txt" => release.occupations.extend(parser.occupations(&table)?),
            "Level Scale Anchors.txt" => {
                release.level_anchors.extend(parser.level_anchors(&table)?)
            }
            "Alternate Titles.txt" => release
                .alternate_titles
                .extend(parser.alternate_titles(&table)?),
            "Task Statements.txt" => release.tasks.extend(parser.tasks(&table)?),
            "Job Zones.txt" => release.job_zones.extend(parser.job_zones(&table)?),
            _ => {
                let domain = Domain::ALL
                    .into_iter()
                    .find(|d| d.file_name() == name)
                    .expect("every known file is handled");
                release
                    .ratings
                    .extend(parser.ratings(domain, &table, options.lenient)?)
            }
        }
        release.files.push(SourceFile {
            name: name.to_owned(),
            sha256: sha256_hex(bytes),
            rows: table.len_hint() as u64,
        });
        progress.advance(bytes.len() as u64);
    }
    progress.end();

    let rejected = parser.rejections;
    if !options.lenient && !rejected.is_empty() {
        return Err(ReleaseError::Invalid {
            total: rejected.len(),
            shown: rejected.into_iter().take(SHOWN_REJECTIONS).collect(),
        });
    }
    Ok(ReadOutcome { release, rejected })
}
