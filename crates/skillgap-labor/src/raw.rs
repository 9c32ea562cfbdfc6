//! A source file read into memory with its checksum, and the workbook inside it (an .xlsx, or
//! a zip holding one).

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::LaborError;

/// A file read into memory, with the checksum of its bytes as given.
pub(crate) struct Raw {
    pub(crate) name: String,
    pub(crate) sha256: String,
    pub(crate) bytes: Vec<u8>,
}

pub(crate) fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

pub(crate) fn read_raw(path: &Path) -> Result<Raw, LaborError> {
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
pub(crate) fn workbook_bytes(raw: Raw) -> Result<(String, Vec<u8>), LaborError> {
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
