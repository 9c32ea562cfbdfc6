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
pub(crate) const OPTIONAL: [&str; 9] = [
    "Abilities.txt",
    "Work Activities.txt",
    "Level Scale Anchors.txt",
    "Alternate Titles.txt",
    "Task Statements.txt",
    "Job Zones.txt",
    "Technology Skills.txt",
    "Education, Training, and Experience Categories.txt",
    "Education, Training, and Experience.txt",
];
const README: &str = "Read Me.txt";

/// The raw bytes of each file found, keyed by its official name.
pub(crate) struct RawFiles {
    pub files: BTreeMap<&'static str, Vec<u8>>,
    pub readme: Option<Vec<u8>>,
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
                });
            }
        }
        Ok(raw)
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
        let read = |name: &str| -> Result<Option<Vec<u8>>, ReleaseError> {
            let path = dir.join(name);
            match std::fs::read(&path) {
                Ok(b) => Ok(Some(b)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(source) => Err(ReleaseError::Io { path, source }),
            }
        };
        let mut files = BTreeMap::new();
        for name in REQUIRED.into_iter().chain(OPTIONAL) {
            if let Some(bytes) = read(name)? {
                files.insert(name, bytes);
            }
        }
        Ok(Self {
            files,
            readme: read(README)?,
        })
    }

    fn read_zip(path: &Path) -> Result<Self, ReleaseError> {
        let file = std::fs::File::open(path).map_err(|source| ReleaseError::Io {
            path: path.to_owned(),
            source,
        })?;
        let zip_err = |e: zip::result::ZipError| ReleaseError::Zip {
            path: path.to_owned(),
            message: e.to_string(),
        };
        let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(zip_err)?;
        let mut files = BTreeMap::new();
        let mut readme = None;
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
            let known = REQUIRED.into_iter().chain(OPTIONAL).find(|n| *n == base);
            if known.is_none() && base != README {
                continue;
            }
            if known.is_some_and(|n| files.contains_key(n)) || (known.is_none() && readme.is_some())
            {
                return Err(ReleaseError::Zip {
                    path: path.to_owned(),
                    message: format!(
                        "it holds two files named {base}; use the official release zip"
                    ),
                });
            }
            // The size in the zip header is only a claim: cap what is reserved and read.
            const MAX_FILE: u64 = 512 * 1024 * 1024;
            let mut bytes = Vec::with_capacity(entry.size().min(64 * 1024 * 1024) as usize);
            (&mut entry)
                .take(MAX_FILE + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| ReleaseError::Zip {
                    path: path.to_owned(),
                    message: format!("{base}: {e}"),
                })?;
            if bytes.len() as u64 > MAX_FILE {
                return Err(ReleaseError::Zip {
                    path: path.to_owned(),
                    message: format!("{base} is larger than 512 MiB"),
                });
            }
            match known {
                Some(name) => {
                    files.insert(name, bytes);
                }
                None => readme = Some(bytes),
            }
        }
        Ok(Self { files, readme })
    }
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
