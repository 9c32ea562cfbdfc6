//! The real BLS files and O*NET crosswalk beside the repository, and damaged copies of them made
//! by editing the XML inside the workbook.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// `../shared/bls` beside the repository (or `SKILLGAP_BLS_DIR`).
pub fn bls_dir() -> PathBuf {
    let dir = std::env::var_os("SKILLGAP_BLS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bls"));
    assert!(
        dir.join("national_M2024_dl.xlsx").is_file(),
        "the BLS files are not at {}; set SKILLGAP_BLS_DIR to a folder with national_M2024_dl.xlsx and occupation.xlsx",
        dir.display()
    );
    dir
}

/// The real OEWS May 2024 national workbook.
pub fn oews_xlsx() -> PathBuf {
    bls_dir().join("national_M2024_dl.xlsx")
}

/// The real Employment Projections workbook.
pub fn projections_xlsx() -> PathBuf {
    bls_dir().join("occupation.xlsx")
}

/// The real O*NET-SOC 2019 → 2018 SOC crosswalk.
pub fn crosswalk_xlsx() -> PathBuf {
    let path = crate::onet_dir().join("../crosswalks/2019_to_SOC_Crosswalk.xlsx");
    assert!(path.is_file(), "the crosswalk is not at {}", path.display());
    path
}

/// Writes `oesm24nat.zip` into `dir` as BLS ships it: the real workbook in an `oesm24nat/` folder,
/// beside a small note. Returns its path.
pub fn oews_zip(dir: &Path) -> PathBuf {
    let path = dir.join("oesm24nat.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).expect("create zip"));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("oesm24nat/national_M2024_dl.xlsx", opts)
        .expect("zip entry");
    zip.write_all(&std::fs::read(oews_xlsx()).expect("read OEWS"))
        .expect("zip write");
    zip.start_file("oesm24nat/readme.txt", opts)
        .expect("zip entry");
    zip.write_all(b"May 2024 OEWS national estimates\n")
        .expect("zip write");
    zip.finish().expect("finish zip");
    path
}

/// Copies the workbook `src` to `dst`, rewriting the part `part` (e.g.
/// `xl/worksheets/sheet1.xml`, `xl/sharedStrings.xml`) with `edit`. Panics if the edit changed
/// nothing, so a test never passes on an undamaged copy.
pub fn edit_xlsx(src: &Path, dst: &Path, part: &str, edit: impl FnOnce(String) -> String) {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(src).expect("open workbook"))
        .expect("workbook is a zip");
    let mut out = zip::ZipWriter::new(std::fs::File::create(dst).expect("create copy"));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut edit = Some(edit);
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("zip entry");
        let name = entry.name().to_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("read entry");
        if name == part {
            let text = String::from_utf8(bytes).expect("XML is UTF-8");
            let edited = (edit.take().expect("one part edited"))(text.clone());
            assert_ne!(edited, text, "the edit of {part} changed nothing");
            bytes = edited.into_bytes();
        }
        out.start_file(name, opts).expect("zip entry");
        out.write_all(&bytes).expect("zip write");
    }
    assert!(edit.is_none(), "{part} is not in {}", src.display());
    out.finish().expect("finish copy");
}

/// Replaces the first cell `reference` (e.g. `AB5`) of a sheet's XML with an inline text cell.
pub fn set_cell_text(xml: &str, reference: &str, text: &str) -> String {
    let start = xml
        .find(&format!("<c r=\"{reference}\""))
        .unwrap_or_else(|| panic!("no cell {reference}"));
    let rest = &xml[start..];
    let open_end = rest.find('>').expect("cell tag ends");
    let end = if rest[..open_end].ends_with('/') {
        open_end + 1
    } else {
        rest.find("</c>").expect("cell closes") + 4
    };
    format!(
        "{}<c r=\"{reference}\" t=\"inlineStr\"><is><t>{text}</t></is></c>{}",
        &xml[..start],
        &xml[start + end..]
    )
}

/// Every non-empty cell of one sheet part (`xl/worksheets/sheet1.xml`) by reference (`AB5`), as
/// text, shared and inline strings resolved. A plain scan of the XML, independent of the reader
/// under test, so tests can recompute facts from the files themselves.
pub fn sheet_cells(xlsx: &Path, part: &str) -> std::collections::HashMap<String, String> {
    let mut archive =
        zip::ZipArchive::new(std::fs::File::open(xlsx).expect("open workbook")).expect("zip");
    let mut read = |name: &str| -> Option<String> {
        let mut s = String::new();
        archive.by_name(name).ok()?.read_to_string(&mut s).ok()?;
        Some(s)
    };
    let shared: Vec<String> = read("xl/sharedStrings.xml")
        .map(|xml| {
            xml.split("<si>")
                .skip(1)
                .map(|si| texts(si.split("</si>").next().unwrap_or("")))
                .collect()
        })
        .unwrap_or_default();
    let sheet = read(part).unwrap_or_else(|| panic!("no {part} in {}", xlsx.display()));
    let mut out = std::collections::HashMap::new();
    for cell in sheet.split("<c ").skip(1) {
        let head = &cell[..cell.find('>').unwrap_or(0)];
        let attr = |name: &str| -> Option<&str> {
            let i = head.find(&format!("{name}=\""))? + name.len() + 2;
            Some(&head[i..i + head[i..].find('"')?])
        };
        let Some(reference) = attr("r") else { continue };
        if head.ends_with('/') {
            continue;
        }
        let body = &cell[head.len() + 1..cell.find("</c>").unwrap_or(cell.len())];
        let value = || -> Option<&str> {
            let i = body.find("<v>")? + 3;
            Some(&body[i..i + body[i..].find("</v>")?])
        };
        let text = match attr("t") {
            Some("s") => value().and_then(|v| shared.get(v.parse::<usize>().ok()?).cloned()),
            Some("inlineStr") => Some(texts(body)),
            _ => value().map(str::to_owned),
        };
        if let Some(t) = text.filter(|t| !t.is_empty()) {
            out.insert(reference.to_owned(), t);
        }
    }
    out
}

/// The concatenated `<t>` texts of a fragment, with XML entities decoded.
fn texts(fragment: &str) -> String {
    let mut out = String::new();
    for part in fragment.split("<t").skip(1) {
        let Some(start) = part.find('>') else {
            continue;
        };
        if part[..start].ends_with('/') {
            continue;
        }
        let body = &part[start + 1..];
        out.push_str(&body[..body.find("</t>").unwrap_or(body.len())]);
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The 1-based row numbers whose cell in `column` is `value`.
pub fn rows_where(
    cells: &std::collections::HashMap<String, String>,
    column: &str,
    value: &str,
) -> Vec<u32> {
    let mut rows: Vec<u32> = cells
        .iter()
        .filter(|(r, v)| {
            *v == value
                && r.starts_with(column)
                && r[column.len()..].bytes().all(|b| b.is_ascii_digit())
        })
        .filter_map(|(r, _)| r[column.len()..].parse().ok())
        .collect();
    rows.sort_unstable();
    rows
}
