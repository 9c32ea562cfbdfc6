//! Getting a release's files, from an unpacked directory or the official zip, with checksums.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::error::ReleaseError;

/// Where to read a release from.
#[derive(Clone, Debug)]
pub enum ReleaseSource {
    /// An unpacked text release, e.g. `db_29_0_text/`.
    Dir(PathBuf),
    /// The zip as downloaded from the O*NET Resource Center, e.g. `db_29_0_text.zip`.
    Zip(PathBuf),
}

impl ReleaseSource {
    /// The path, for messages and the release record.
    pub fn path(&self) -> &Path {
        match self {
            ReleaseSource::Dir(p) | ReleaseSource::Zip(p) => p,
        }
    }
}

/// The files skillgap reads. The first five are required; the rest are read when present.
pub(crate) const REQUIRED: [&str; 5] = [
    "Scales Reference.txt",
    "Content Model Reference.txt",
    "Occupation Data.txt",
    "Skills.txt",
    "Knowledge.txt",
];
/// Categories come before the file whose rows refer to them.
pub(crate) const OPTIONAL: [&str; 11] = [
    "Abilities.txt",
    "Work Activities.txt",
    "Level Scale Anchors.txt",
    "Alternate Titles.txt",
    "Sample of Reported Titles.txt",
    "Task Statements.txt",
    "Job Zones.txt",
    "Technology Skills.txt",
    "Education, Training, and Experience Categories.txt",
    "Education, Training, and Experience.txt",
    "Related Occupations.txt",
];
const README: &str = "Read Me.txt";

/// The largest size accepted for one file, and why: a file far larger than any official one is
/// not a release file (a disk image, `/dev/zero`, a runaway export), and reading it whole would
/// exhaust memory before its content could be judged.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SizeLimit {
    /// Bytes accepted at most.
    pub bytes: u64,
    /// The official size the limit is derived from, said in words for the error message.
    pub basis: &'static str,
}

/// Head-room over the largest official file: releases grow a little each year, never fourfold.
const MARGIN: u64 = 4;
const MIB: u64 = 1 << 20;

/// `MARGIN` times `official` bytes, rounded up to whole MiB and at least 1 MiB (small reference
/// files vary more in relative terms, and 1 MiB costs nothing).
const fn limit(official: u64, basis: &'static str) -> SizeLimit {
    let bytes = (official * MARGIN).div_ceil(MIB) * MIB;
    SizeLimit {
        bytes: if bytes < MIB { MIB } else { bytes },
        basis,
    }
}

/// Each file's limit. Sizes are those of O*NET 29.0 (`../shared/onet/db_29_0_text`); Abilities
/// and Work Activities are not in that copy, so theirs are estimated from `Skills.txt` (35
/// descriptors, 5,550,164 bytes) by descriptor count (52 abilities, 41 work activities).
pub(crate) fn size_limit(name: &str) -> SizeLimit {
    match name {
        "Scales Reference.txt" => limit(861, "4 × the 861 bytes of O*NET 29.0's, at least 1 MiB"),
        "Content Model Reference.txt" => {
            limit(91_042, "4 × the 89 KiB of O*NET 29.0's, at least 1 MiB")
        }
        "Occupation Data.txt" => limit(265_794, "4 × the 260 KiB of O*NET 29.0's"),
        "Skills.txt" => limit(5_550_164, "4 × the 5.3 MiB of O*NET 29.0's"),
        "Knowledge.txt" => limit(5_510_036, "4 × the 5.3 MiB of O*NET 29.0's"),
        "Abilities.txt" => limit(
            5_550_164 / 35 * 52,
            "4 × the 7.9 MiB expected for 52 abilities from O*NET 29.0's Skills.txt",
        ),
        "Work Activities.txt" => limit(
            5_550_164 / 35 * 41,
            "4 × the 6.2 MiB expected for 41 work activities from O*NET 29.0's Skills.txt",
        ),
        "Level Scale Anchors.txt" => {
            limit(42_634, "4 × the 42 KiB of O*NET 29.0's, at least 1 MiB")
        }
        "Alternate Titles.txt" => limit(2_382_858, "4 × the 2.3 MiB of O*NET 29.0's"),
        "Sample of Reported Titles.txt" => {
            limit(288_893, "4 × the 0.28 MiB of O*NET 29.0's, at least 1 MiB")
        }
        "Task Statements.txt" => limit(2_759_559, "4 × the 2.6 MiB of O*NET 29.0's"),
        "Job Zones.txt" => limit(28_609, "4 × the 28 KiB of O*NET 29.0's, at least 1 MiB"),
        "Technology Skills.txt" => limit(2_548_408, "4 × the 2.4 MiB of O*NET 29.0's"),
        "Education, Training, and Experience.txt" => {
            limit(3_498_941, "4 × the 3.3 MiB of O*NET 29.0's")
        }
        "Education, Training, and Experience Categories.txt" => {
            limit(3_886, "4 × the 3.8 KiB of O*NET 29.0's, at least 1 MiB")
        }
        "Related Occupations.txt" => limit(
            714_000,
            "4 × the 0.7 MiB of O*NET 30.0's (18,460 rows), at least 1 MiB",
        ),
        // Read Me.txt: only its first line (the version) is used; official ones are a few KiB.
        _ => limit(0, "a read-me is a few KiB; only its version line is used"),
    }
}

/// A zip entry expanding more than this many times its compressed size is refused: real release
/// files deflate about 4 to 15 times (Skills.txt, the most repetitive, 15.4), while a zip bomb of
/// zeros expands about 1,000 times.
pub(crate) const MAX_COMPRESSION_RATIO: u64 = 100;

/// Below this many bytes the ratio is not judged: tiny files have little to compress against.
const RATIO_FLOOR: u64 = MIB;

/// The raw bytes of each file found, keyed by its official name.
pub(crate) struct RawFiles {
    pub files: BTreeMap<&'static str, Vec<u8>>,
    pub readme: Option<Vec<u8>>,
    /// Names present that differ from a known name only in letter case.
    pub near_misses: Vec<String>,
}

impl RawFiles {
    /// Reads the known files; a missing required file is an error.
    pub fn read(source: &ReleaseSource) -> Result<Self, ReleaseError> {
        let raw = match source {
            ReleaseSource::Dir(dir) => Self::read_dir(dir)?,
            ReleaseSource::Zip(zip) => Self::read_zip(zip)?,
        };
        for name in REQUIRED {
            if !raw.files.contains_key(name) {
                return Err(ReleaseError::MissingFile {
                    file: name,
                    location: source.path().display().to_string(),
                    found_as: raw.case_variant(name),
                });
            }
        }
        for name in OPTIONAL {
            if !raw.files.contains_key(name)
                && let Some(found) = raw.case_variant(name)
            {
                tracing::warn!(
                    "{found} in {} is not read: the official name is `{name}` (letter case differs); rename it to load it",
                    source.path().display()
                );
            }
        }
        Ok(raw)
    }

    fn case_variant(&self, name: &str) -> Option<String> {
        self.near_misses
            .iter()
            .find(|n| n.eq_ignore_ascii_case(name))
            .cloned()
    }

    fn read_dir(dir: &Path) -> Result<Self, ReleaseError> {
        match std::fs::metadata(dir) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(ReleaseError::DirectoryNotFound(dir.to_owned()));
            }
            Err(source) => {
                return Err(ReleaseError::Io {
                    path: dir.to_owned(),
                    source,
                });
            }
            Ok(m) if !m.is_dir() => return Err(ReleaseError::NotADirectory(dir.to_owned())),
            Ok(_) => {}
        }
        let mut files = BTreeMap::new();
        for name in REQUIRED.into_iter().chain(OPTIONAL) {
            if let Some(bytes) = read_regular_file(&dir.join(name), name)? {
                files.insert(name, bytes);
            }
        }
        let readme = read_regular_file(&dir.join(README), README)?;
        // Only consulted for hints; a folder that cannot be listed simply gets none.
        let near_misses = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok()?.file_name().into_string().ok())
                    .filter(|n| is_case_variant(n))
                    .collect()
            })
            .unwrap_or_default();
        Ok(Self {
            files,
            readme,
            near_misses,
        })
    }

    fn read_zip(path: &Path) -> Result<Self, ReleaseError> {
        let io_err = |source| ReleaseError::Io {
            path: path.to_owned(),
            source,
        };
        let meta = std::fs::metadata(path).map_err(io_err)?;
        if !meta.is_file() {
            return Err(ReleaseError::NotAFile {
                path: path.to_owned(),
                kind: file_kind(&meta),
            });
        }
        let file = std::fs::File::open(path).map_err(io_err)?;
        let zip_err = |e: zip::result::ZipError| ReleaseError::Zip {
            path: path.to_owned(),
            message: e.to_string(),
        };
        let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(zip_err)?;
        let mut files = BTreeMap::new();
        let mut readme = None;
        let mut near_misses = Vec::new();
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).map_err(zip_err)?;
            if entry.is_dir() {
                continue;
            }
            // The official zip nests everything in one folder (db_29_0_text/…); match by base name.
            let base = entry
                .name()
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_owned();
            let known = REQUIRED
                .into_iter()
                .chain(OPTIONAL)
                .chain([README])
                .find(|n| *n == base);
            let Some(name) = known else {
                if is_case_variant(&base) {
                    near_misses.push(base);
                }
                continue;
            };
            if files.contains_key(name) || (name == README && readme.is_some()) {
                return Err(ReleaseError::Zip {
                    path: path.to_owned(),
                    message: format!(
                        "it holds two files named {base}; use the official release zip"
                    ),
                });
            }
            let bytes = read_zip_entry(path, name, &mut entry)?;
            if name == README {
                readme = Some(bytes);
            } else {
                files.insert(name, bytes);
            }
        }
        Ok(Self {
            files,
            readme,
            near_misses,
        })
    }
}

/// A name that is not a known file's but matches one ignoring letter case.
fn is_case_variant(name: &str) -> bool {
    REQUIRED
        .into_iter()
        .chain(OPTIONAL)
        .any(|n| n != name && n.eq_ignore_ascii_case(name))
}

/// What a path is, for a message refusing it.
fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

/// Reads `path` if it exists, accepting only a regular file (a symbolic link to one is fine)
/// within its size limit. The type is checked before opening, because opening a FIFO blocks
/// until a writer comes and reading a device never ends.
fn read_regular_file(path: &Path, name: &'static str) -> Result<Option<Vec<u8>>, ReleaseError> {
    let io_err = |source| ReleaseError::Io {
        path: path.to_owned(),
        source,
    };
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_err(e)),
    };
    if !meta.is_file() {
        return Err(ReleaseError::NotAFile {
            path: path.to_owned(),
            kind: file_kind(&meta),
        });
    }
    let limit = size_limit(name);
    let too_large = |size| ReleaseError::TooLarge {
        file: name,
        location: path.display().to_string(),
        size,
        limit: limit.bytes,
        basis: limit.basis,
    };
    if meta.len() > limit.bytes {
        return Err(too_large(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(io_err)?;
    // The file may have been swapped or grown since it was looked at: cap what is read.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit.bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(io_err)?;
    if bytes.len() as u64 > limit.bytes {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(Some(bytes))
}

/// Reads one zip entry in chunks. Before unpacking, the size the entry declares is held to the
/// file's limit and to [`MAX_COMPRESSION_RATIO`] times its packed size; while unpacking, the bytes
/// produced are held to the declared size. So a zip bomb, honest or lying about its size, is
/// stopped after at most the file's limit plus one chunk, and the actual expansion never exceeds
/// the ratio (the zip reader itself never reads past the entry's packed size).
fn read_zip_entry(
    zip: &Path,
    name: &'static str,
    entry: &mut zip::read::ZipFile<'_, impl Read>,
) -> Result<Vec<u8>, ReleaseError> {
    let limit = size_limit(name);
    let declared = entry.size();
    let compressed = entry.compressed_size();
    let problem = |problem: String| ReleaseError::ZipEntry {
        path: zip.to_owned(),
        entry: name,
        problem,
    };
    if declared > limit.bytes {
        return Err(ReleaseError::TooLarge {
            file: name,
            location: zip.display().to_string(),
            size: declared,
            limit: limit.bytes,
            basis: limit.basis,
        });
    }
    if declared > RATIO_FLOOR && declared > compressed.saturating_mul(MAX_COMPRESSION_RATIO) {
        return Err(problem(format!(
            "declares {declared} bytes packed into {compressed}, an expansion over {MAX_COMPRESSION_RATIO} times (real release files expand at most about 15 times), as a zip bomb does"
        )));
    }
    let mut bytes = Vec::with_capacity(declared as usize);
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = entry
            .read(&mut chunk)
            .map_err(|e| problem(format!("cannot be unpacked: {e}")))?;
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&chunk[..n]);
        let got = bytes.len() as u64;
        if got > declared {
            return Err(problem(format!(
                "unpacks to more than the {declared} bytes its header declares, so the archive is damaged or forged"
            )));
        }
    }
    if (bytes.len() as u64) < declared {
        return Err(problem(format!(
            "unpacks to {} bytes, fewer than the {declared} its header declares, so the archive is damaged",
            bytes.len()
        )));
    }
    Ok(bytes)
}

/// Lower-case hex SHA-256.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The release version: from `Read Me.txt` ("O*NET 29.0 Database"), else from a `db_29_0` path.
pub(crate) fn detect_version(source: &ReleaseSource, readme: Option<&[u8]>) -> Option<String> {
    let from_readme = readme.and_then(|b| {
        let text = String::from_utf8_lossy(b);
        let rest = &text[text.find("O*NET ")? + 6..];
        let version = rest.split_whitespace().next()?;
        let (major, minor) = version.split_once('.')?;
        let ok = |p: &str| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit());
        (ok(major) && ok(minor) && rest[version.len()..].trim_start().starts_with("Database"))
            .then(|| version.to_owned())
    });
    from_readme.or_else(|| {
        let name = source.path().file_name()?.to_string_lossy().into_owned();
        let rest = &name[name.find("db_")? + 3..];
        let mut parts = rest.split(['_', '.']);
        let (major, minor) = (parts.next()?, parts.next()?);
        let ok = |p: &str| !p.is_empty() && p.len() <= 3 && p.bytes().all(|c| c.is_ascii_digit());
        (ok(major) && ok(minor)).then(|| format!("{major}.{minor}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_comes_from_the_readme_first_then_the_path() {
        let dir = ReleaseSource::Dir(PathBuf::from("/x/db_29_0_text"));
        assert_eq!(detect_version(&dir, None).as_deref(), Some("29.0"));
        let readme = b"O*NET 30.1 Database\r\nAugust 2025 Release";
        assert_eq!(detect_version(&dir, Some(readme)).as_deref(), Some("30.1"));
        let zip = ReleaseSource::Zip(PathBuf::from("db_28_3_text.zip"));
        assert_eq!(detect_version(&zip, None).as_deref(), Some("28.3"));
        let plain = ReleaseSource::Dir(PathBuf::from("/tmp/onet"));
        assert_eq!(detect_version(&plain, None), None);
    }
}
