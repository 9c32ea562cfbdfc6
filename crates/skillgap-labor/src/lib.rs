//! BLS labour-market data for skillgap: OEWS national wages and employment, Employment
//! Projections (Table 1.2) and O*NET's O*NET-SOC → SOC crosswalk, read from the official .xlsx
//! files (or the OEWS zip) as published, validated into [`skillgap_core::labor`] values.
//!
//! Like the O*NET reader, this never touches the store: it returns domain values, or says which
//! file, sheet, row and column is wrong.

mod crosswalk;
mod error;
mod nces;
mod oews;
mod projections;
mod sheet;

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use skillgap_core::SocCode;
use skillgap_core::labor::{LaborData, LaborFile, LaborFileKind};

pub use error::{CellProblem, LaborError, SHOWN_PROBLEMS};
pub use nces::{CROSSWALK_SHEET as PROGRAMMES_SHEET, ProgrammeRead, read_programmes};
pub use projections::SHEET as PROJECTIONS_SHEET;

use sheet::Workbook;

/// One file to read, and how the provenance record names where it came from.
#[derive(Clone, Debug)]
pub struct LaborInput {
    /// The local file.
    pub path: PathBuf,
    /// Where it came from: the path, or a download's redacted address.
    pub origin: String,
}

impl LaborInput {
    /// The provenance of this input once read: its kind, release, checksum and row count.
    fn provenance(
        &self,
        kind: LaborFileKind,
        release: String,
        sha256: String,
        rows: usize,
    ) -> LaborFile {
        LaborFile {
            kind,
            source: self.origin.clone(),
            release,
            sha256,
            rows: rows as u64,
        }
    }

    /// A local file, recorded under its path.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        Self {
            origin: path.display().to_string(),
            path,
        }
    }

    /// A downloaded file, recorded under the address it came from.
    pub fn downloaded(path: impl Into<PathBuf>, origin: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            origin: origin.into(),
        }
    }
}

/// The files of one load.
#[derive(Clone, Debug)]
pub struct LaborInputs {
    /// OEWS national: `national_M2024_dl.xlsx`, or `oesm24nat.zip` holding it.
    pub oews: LaborInput,
    /// Employment Projections: `occupation.xlsx`.
    pub projections: LaborInput,
    /// O*NET-SOC → SOC crosswalk: `2019_to_SOC_Crosswalk.xlsx`.
    pub crosswalk: Option<LaborInput>,
}

/// A file read into memory, with the checksum of its bytes as given.
struct Raw {
    name: String,
    sha256: String,
    bytes: Vec<u8>,
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn read_raw(path: &Path) -> Result<Raw, LaborError> {
    let bytes = std::fs::read(path).map_err(|source| LaborError::Io {
        path: path.to_owned(),
        source,
    })?;
    Ok(Raw {
        name: file_name(path),
        sha256: hex::encode(Sha256::digest(&bytes)),
        bytes,
    })
}

/// An .xlsx is itself a zip; BLS's `oesm24nat.zip` is a zip holding one. Tell them apart by
/// whether the archive has a workbook part, and take the workbook out of the outer zip.
fn workbook_bytes(raw: Raw) -> Result<(String, Vec<u8>), LaborError> {
    let inner = {
        let not_workbook = |message: String| LaborError::NotAWorkbook {
            file: raw.name.clone(),
            message,
        };
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(raw.bytes.as_slice()))
            .map_err(|e| not_workbook(format!("not a zip archive: {e}")))?;
        if archive.by_name("xl/workbook.xml").is_ok() {
            None
        } else {
            let names: Vec<String> = archive.file_names().map(str::to_owned).collect();
            let xlsx: Vec<&String> = names
                .iter()
                .filter(|n| n.to_ascii_lowercase().ends_with(".xlsx"))
                .collect();
            let [inner] = xlsx.as_slice() else {
                return Err(LaborError::NoWorkbookInZip {
                    file: raw.name.clone(),
                    found: if xlsx.is_empty() {
                        format!(" (it has: {})", names.join(", "))
                    } else {
                        format!(
                            " but {} of them ({}); expected one",
                            xlsx.len(),
                            xlsx.iter()
                                .map(|s| s.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    },
                });
            };
            let mut entry = archive
                .by_name(inner)
                .map_err(|e| not_workbook(e.to_string()))?;
            // The size in the zip header is only a claim: cap what is read.
            const MAX: u64 = 256 * 1024 * 1024;
            let mut bytes = Vec::new();
            (&mut entry)
                .take(MAX + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| not_workbook(format!("{inner}: {e}")))?;
            if bytes.len() as u64 > MAX {
                return Err(not_workbook(format!("{inner} is larger than 256 MiB")));
            }
            let base = inner.rsplit('/').next().unwrap_or(inner);
            Some((format!("{}!{base}", raw.name), bytes))
        }
    };
    Ok(inner.unwrap_or((raw.name, raw.bytes)))
}

/// The checksums of the files, without parsing them, so a caller can tell whether the same bytes
/// were loaded before.
pub fn checksums(inputs: &LaborInputs) -> Result<Vec<(LaborFileKind, String)>, LaborError> {
    let mut out = vec![
        (LaborFileKind::Oews, read_raw(&inputs.oews.path)?.sha256),
        (
            LaborFileKind::Projections,
            read_raw(&inputs.projections.path)?.sha256,
        ),
    ];
    if let Some(c) = &inputs.crosswalk {
        out.push((LaborFileKind::Crosswalk, read_raw(&c.path)?.sha256));
    }
    Ok(out)
}

/// Reads and validates the files. `occupations` are the O*NET codes the store knows: every
/// crosswalk row must name one of them. Any bad value fails the whole read, listing the first
/// [`SHOWN_PROBLEMS`] with file, sheet, row and column.
pub fn read_labor(
    inputs: &LaborInputs,
    occupations: Option<&HashSet<SocCode>>,
) -> Result<LaborData, LaborError> {
    let mut problems = Vec::new();
    let mut data = LaborData::default();

    let raw = read_raw(&inputs.oews.path)?;
    let sha = raw.sha256.clone();
    let (name, bytes) = workbook_bytes(raw)?;
    let mut book = Workbook::open(&name, bytes)?;
    let oews = oews::read(&mut book, &mut problems)?;
    data.files.push(inputs.oews.provenance(
        LaborFileKind::Oews,
        oews.release,
        sha,
        oews.rows.len(),
    ));
    data.oews = oews.rows;

    let raw = read_raw(&inputs.projections.path)?;
    let sha = raw.sha256.clone();
    let mut book = Workbook::open(&raw.name, raw.bytes)?;
    let projections = projections::read(&mut book, &mut problems)?;
    data.files.push(inputs.projections.provenance(
        LaborFileKind::Projections,
        projections.release,
        sha,
        projections.rows.len(),
    ));
    data.projections = projections.rows;

    if let Some(input) = &inputs.crosswalk {
        let raw = read_raw(&input.path)?;
        let sha = raw.sha256.clone();
        let mut book = Workbook::open(&raw.name, raw.bytes)?;
        data.crosswalk = crosswalk::read(&mut book, occupations, &mut problems)?;
        data.files.push(input.provenance(
            LaborFileKind::Crosswalk,
            "O*NET-SOC 2019 → 2018 SOC".into(),
            sha,
            data.crosswalk.len(),
        ));
    }

    if !problems.is_empty() {
        return Err(LaborError::Invalid {
            total: problems.len(),
            shown: problems.into_iter().take(SHOWN_PROBLEMS).collect(),
        });
    }
    Ok(data)
}
