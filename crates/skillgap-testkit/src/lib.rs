//! Test helpers: where the real O*NET release is, damaged copies of it, and throw-away databases.
//!
//! Fixtures are never committed: tests copy the real files from `../shared/onet` (or
//! `SKILLGAP_ONET_DIR`) and change the copies.

mod databases;
pub mod fake_llm;
pub mod fake_onet;
pub mod file_server;
pub mod labor;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use skillgap_core::{Catalog, Release, SilentProgress};
use skillgap_onet::{LoadOptions, ReleaseSource, read_release};

pub use databases::{Backend, TestDatabase};

/// The real O*NET 29.0 text release: `SKILLGAP_ONET_DIR`, or `../shared/onet/db_29_0_text`
/// beside the repository.
pub fn onet_dir() -> PathBuf {
    let dir = std::env::var_os("SKILLGAP_ONET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/onet/db_29_0_text")
        });
    assert!(
        dir.join("Skills.txt").is_file(),
        "the O*NET 29.0 text release is not at {}; set SKILLGAP_ONET_DIR to an unpacked db_29_0_text",
        dir.display()
    );
    dir
}

/// The employer-coded job titles for tuning the title coder (`title,soc_codes,source`):
/// `SKILLGAP_TITLES_FILE`, or `../shared/titles/employer_coded_train.csv` beside the repository.
/// Tests read rows from it at run time; none is committed.
pub fn titles_file() -> PathBuf {
    let file = std::env::var_os("SKILLGAP_TITLES_FILE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/titles/employer_coded_train.csv")
        });
    assert!(
        file.is_file(),
        "the employer-coded titles are not at {}; set SKILLGAP_TITLES_FILE",
        file.display()
    );
    file
}

/// The lines of the titles file whose title is one of `titles` (exactly), with its header: a
/// small labelled-titles file made of real rows.
pub fn titles_rows(titles: &[&str]) -> String {
    let text = std::fs::read_to_string(titles_file()).expect("the titles file reads");
    let mut lines = text.lines();
    let mut out = format!("{}\n", lines.next().expect("a header"));
    let mut found = 0;
    for t in titles {
        let line = text
            .lines()
            .skip(1)
            .find(|l| {
                l.strip_prefix(&format!("{t},")).is_some()
                    || l.strip_prefix(&format!("\"{t}\",")).is_some()
            })
            .unwrap_or_else(|| panic!("`{t}` is not a title of the titles file"));
        out.push_str(line);
        out.push('\n');
        found += 1;
    }
    assert_eq!(found, titles.len());
    out
}

/// The real release, read and validated as `skillgap load` reads it; parsed once per test or
/// bench binary.
pub fn real_release() -> &'static Release {
    static RELEASE: OnceLock<Release> = OnceLock::new();
    RELEASE.get_or_init(|| {
        read_release(
            &ReleaseSource::Dir(onet_dir()),
            &LoadOptions::default(),
            &SilentProgress,
        )
        .expect("the real O*NET 29.0 release parses")
        .release
    })
}

/// The catalog of the real release alone (no fetched or LLM rows), as the server builds it.
pub fn real_catalog() -> Catalog {
    let release = real_release();
    Catalog::build(Some(release.version.clone()), release, &HashMap::new())
}

/// The real O*NET Web Services responses saved beside the release (`../shared/onet-api-samples`).
pub fn onet_api_samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/onet-api-samples")
}

/// The real release as the O*NET Resource Center ships it: `db_29_0_text.zip`, deflated, with
/// every file under a `db_29_0_text/` folder. Returns the zip's bytes.
pub fn release_zip() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.add_directory("db_29_0_text/", opts)
        .expect("zip folder");
    let mut entries: Vec<_> = std::fs::read_dir(onet_dir())
        .expect("read release dir")
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().expect("file name").to_string_lossy();
        zip.start_file(format!("db_29_0_text/{name}"), opts)
            .expect("zip entry");
        std::io::Write::write_all(&mut zip, &std::fs::read(&path).expect("read release file"))
            .expect("zip write");
    }
    zip.finish().expect("finish zip").into_inner()
}

/// A temporary copy of the real release, named `db_29_0_text` so its version is detected.
pub struct ReleaseCopy {
    _tmp: tempfile::TempDir,
    /// The copied release directory.
    pub dir: PathBuf,
}

impl ReleaseCopy {
    /// Copies every file of the real release.
    pub fn new() -> Self {
        Self::with_files(|_| true)
    }

    /// Copies only the files whose name `keep` accepts.
    pub fn with_files(keep: impl Fn(&str) -> bool) -> Self {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path().join("db_29_0_text");
        std::fs::create_dir(&dir).expect("create release copy");
        for entry in std::fs::read_dir(onet_dir()).expect("read release dir") {
            let entry = entry.expect("dir entry");
            let name = entry.file_name().to_string_lossy().into_owned();
            if keep(&name) {
                std::fs::copy(entry.path(), dir.join(&name)).expect("copy release file");
            }
        }
        Self { _tmp: tmp, dir }
    }

    /// The path of one file in the copy.
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Reads one file of the copy.
    pub fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.file(name)).expect("read copied file")
    }

    /// Replaces one file of the copy.
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) {
        std::fs::write(self.file(name), bytes).expect("write copied file");
    }

    /// Rewrites one file's text with `f`.
    pub fn edit(&self, name: &str, f: impl FnOnce(String) -> String) {
        let text = String::from_utf8(self.read(name)).expect("copied file is UTF-8");
        self.write(name, f(text));
    }

    /// Replaces line `n` (1-based, header = 1) of a file with `f(line)`; line ends are kept.
    pub fn edit_line(&self, name: &str, n: usize, f: impl FnOnce(&str) -> String) {
        self.edit(name, |text| {
            let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_owned).collect();
            let line = &lines[n - 1];
            let body = line.trim_end_matches(['\r', '\n']);
            let end = line[body.len()..].to_owned();
            lines[n - 1] = format!("{}{end}", f(body));
            lines.concat()
        });
    }

    /// Deletes one file of the copy.
    pub fn remove(&self, name: &str) {
        std::fs::remove_file(self.file(name)).expect("remove copied file");
    }
}

impl Default for ReleaseCopy {
    fn default() -> Self {
        Self::new()
    }
}
