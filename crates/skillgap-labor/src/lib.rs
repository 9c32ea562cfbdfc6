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
mod raw;
mod sheet;

use std::collections::HashSet;
use std::path::PathBuf;

use skillgap_core::SocCode;
use skillgap_core::labor::{LaborData, LaborFile, LaborFileKind};

pub use error::{CellProblem, LaborError, SHOWN_PROBLEMS};
pub use nces::{
    CROSSWALK_SHEET as PROGRAMMES_SHEET, ProgrammeRead, programme_checksums, read_programmes,
};
pub use projections::SHEET as PROJECTIONS_SHEET;

use raw::{read_raw, workbook_bytes};
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
