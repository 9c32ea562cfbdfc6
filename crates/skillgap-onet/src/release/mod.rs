//! Reading an O*NET text release: find the files, check them, parse them into a [`Release`].

mod cell;
mod download;
mod error;
mod fetched;
mod files;
mod parse;
mod related;
mod table;

use skillgap_core::{Domain, Progress, Release, SourceFile};

pub use download::{
    DownloadError, DownloadKind, Downloaded, MAX_DOWNLOAD_BYTES, OFFICIAL_EXAMPLE, ONET_RELEASE,
    ReleaseUrl, download, download_release,
};
pub use error::{QUOTED_CHARS, Rejection, ReleaseError, SHOWN_REJECTIONS};
pub use fetched::{Reference, origin, validate_fetched};
pub use files::ReleaseSource;
pub use related::{RELATED_FILE, RelatedError, parse_related, read_related};

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
    /// Every problem found, in file and line order: rejected rows, and occupations left
    /// incomplete (always empty when strict).
    pub rejected: Vec<Rejection>,
    /// Data rows read but not loaded.
    pub rejected_rows: u64,
}

/// The files of a release, read into memory and checksummed but not yet parsed, so a caller can
/// see whether the same bytes were loaded before without paying for parsing.
pub struct ReleaseFiles {
    source: ReleaseSource,
    origin: String,
    raw: RawFiles,
    fingerprint: String,
    checksums: Vec<(&'static str, String)>,
}

impl ReleaseFiles {
    /// Reads every known file; fails if the location or a required file is missing.
    pub fn open(source: &ReleaseSource) -> Result<Self, ReleaseError> {
        let raw = RawFiles::read(source)?;
        let mut checksums: Vec<(&'static str, String)> = raw
            .files
            .iter()
            .map(|(name, bytes)| (*name, sha256_hex(bytes)))
            .collect();
        checksums.sort();
        let listing: String = checksums
            .iter()
            .map(|(n, h)| format!("{n}\t{h}\n"))
            .collect();
        Ok(Self {
            source: source.clone(),
            origin: source.path().display().to_string(),
            raw,
            fingerprint: sha256_hex(listing.as_bytes()),
            checksums,
        })
    }

    /// Names where the files came from (a download's redacted address, say) for the release
    /// record; the path they were read from is the default.
    pub fn with_origin(mut self, origin: impl Into<String>) -> Self {
        self.origin = origin.into();
        self
    }

    /// Where the files came from, as the release record will say.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// SHA-256 over every file's name and checksum.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The release version: `explicit` if given, else from `Read Me.txt` or the path.
    pub fn version(&self, explicit: Option<&str>) -> Result<String, ReleaseError> {
        explicit
            .map(str::to_owned)
            .or_else(|| detect_version(&self.source, self.raw.readme.as_deref()))
            .ok_or_else(|| ReleaseError::UnknownVersion(self.origin.clone()))
    }

    /// Parses and validates every file. Strict by default: any bad row fails the read, and the
    /// error lists the first [`SHOWN_REJECTIONS`] problems with file, line and column.
    pub fn parse(
        &self,
        options: &LoadOptions,
        progress: &dyn Progress,
    ) -> Result<ReadOutcome, ReleaseError> {
        let raw = &self.raw;
        let total: u64 = raw.files.values().map(|b| b.len() as u64).sum();
        let mut parser = Parser::default();
        parser.keep_shown_only = !options.lenient;
        let mut release = Release {
            version: self.version(options.version.as_deref())?,
            source: self.origin.clone(),
            fingerprint: self.fingerprint.clone(),
            ..Release::default()
        };
        progress.begin("read and validate", total);
        let mut lines: u64 = 0;
        // Reference files first: every later row is checked against them.
        for name in files::REQUIRED.into_iter().chain(files::OPTIONAL) {
            let Some(bytes) = raw.files.get(name) else {
                continue;
            };
            let table = Table::new(name, bytes)?;
            let before = release.row_count();
            lines += table.len_hint() as u64;
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
                "Sample of Reported Titles.txt" => release
                    .reported_titles
                    .extend(parser.reported_titles(&table)?),
                "Task Statements.txt" => release.tasks.extend(parser.tasks(&table)?),
                "Job Zones.txt" => release.job_zones.extend(parser.job_zones(&table)?),
                "Technology Skills.txt" => release
                    .technology_skills
                    .extend(parser.technology_skills(&table)?),
                "Education, Training, and Experience Categories.txt" => release
                    .education_categories
                    .extend(parser.education_categories(&table)?),
                "Education, Training, and Experience.txt" => {
                    release.education.extend(parser.education(&table)?)
                }
                related::RELATED_FILE => {
                    let known = release.occupations.iter().map(|o| o.code).collect();
                    release.related_occupations.extend(
                        related::parse_related(name, bytes, Some(&known)).map_err(|e| match e {
                            related::RelatedError::Shape { source, .. } => source,
                            related::RelatedError::Invalid { total, shown, .. } => {
                                ReleaseError::Invalid { total, shown }
                            }
                            related::RelatedError::Io { file, source } => ReleaseError::Io {
                                path: file.into(),
                                source,
                            },
                        })?,
                    )
                }
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
            let sha256 = self
                .checksums
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, h)| h.clone())
                .unwrap_or_default();
            release.files.push(SourceFile {
                name: name.to_owned(),
                sha256,
                // Rows accepted (a lenient load may have rejected some).
                rows: (release.row_count() - before) as u64,
            });
            progress.advance(bytes.len() as u64);
        }
        progress.end();

        let rejected = parser.rejections;
        if !options.lenient && !rejected.is_empty() {
            return Err(ReleaseError::Invalid {
                total: parser.total_rejections,
                shown: rejected.into_iter().take(SHOWN_REJECTIONS).collect(),
            });
        }
        let rejected_rows = lines.saturating_sub(release.row_count() as u64);
        Ok(ReadOutcome {
            release,
            rejected,
            rejected_rows,
        })
    }
}

/// Opens, parses and validates a whole release in one call.
pub fn read_release(
    source: &ReleaseSource,
    options: &LoadOptions,
    progress: &dyn Progress,
) -> Result<ReadOutcome, ReleaseError> {
    ReleaseFiles::open(source)?.parse(options, progress)
}
