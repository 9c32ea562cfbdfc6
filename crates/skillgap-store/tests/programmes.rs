//! NCES programmes in SQLite, MariaDB and PostgreSQL: the real CIP list and crosswalk loaded and
//! read back (recomputed from the files by hand: the CSV split on its own, the sheet's XML read
//! cell by cell), idempotence by checksum, and damaged copies rejected with their place named and
//! the store left unchanged.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use skillgap_core::SilentProgress;
use skillgap_core::programmes::ProgrammeData;
use skillgap_labor::read_programmes;
use skillgap_store::Store;
use skillgap_testkit::labor::{edit_xlsx, set_cell_text, sheet_cells};
use skillgap_testkit::{TestDatabase, backend_tests};

/// `../shared/nces` beside the repository.
fn nces_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/nces")
}

fn crosswalk() -> PathBuf {
    nces_dir().join("CIP2020_SOC2018_Crosswalk.xlsx")
}

fn cip() -> PathBuf {
    nces_dir().join("CIPCode2020.csv")
}

/// The `SOC-CIP` sheet's part (the workbook's third sheet, `rId3`).
const SOC_CIP: &str = "xl/worksheets/sheet3.xml";

/// The six-digit codes of the CIP list, by hand: lines whose second field is `="NN.NNNN"`.
fn expected_programmes() -> BTreeSet<String> {
    std::fs::read_to_string(cip())
        .unwrap()
        .lines()
        .filter_map(|l| {
            let rest = l.split_once(',')?.1;
            let code = rest.strip_prefix("=\"")?.split('"').next()?;
            (code.len() == 7 && code.as_bytes()[2] == b'.').then(|| code.to_owned())
        })
        .collect()
}

/// SOC → CIP codes of the matched rows, read from the sheet's XML.
fn expected_links() -> BTreeMap<String, BTreeSet<String>> {
    let cells = sheet_cells(&crosswalk(), SOC_CIP);
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for row in 2.. {
        let Some(soc) = cells.get(&format!("A{row}")) else {
            break;
        };
        let cip = &cells[&format!("C{row}")];
        if soc == "99-9999" || cip == "99.9999" {
            continue;
        }
        out.entry(soc.clone()).or_default().insert(cip.clone());
    }
    out
}

fn links_of(data: &ProgrammeData) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for l in &data.links {
        out.entry(l.soc.to_string())
            .or_default()
            .insert(l.cip.clone());
    }
    out
}

async fn programmes_load_and_read_back(db: TestDatabase) {
    let store = Store::connect(&db.url).await.unwrap();
    let read = read_programmes(&crosswalk(), &cip()).expect("the NCES files are valid");
    let programmes: BTreeSet<String> = read
        .data
        .programmes
        .iter()
        .map(|p| p.code.clone())
        .collect();
    assert_eq!(programmes, expected_programmes());
    assert_eq!(links_of(&read.data), expected_links());
    assert!(
        read.unmatched > 0,
        "the crosswalk marks some rows unmatched"
    );
    // Unmatched rows are never programmes.
    assert!(
        read.data
            .links
            .iter()
            .all(|l| l.soc.as_str() != "99-9999" && l.cip != "99.9999")
    );

    let started = Instant::now();
    let report = store
        .load_programmes(&read.data, &SilentProgress)
        .await
        .unwrap();
    let took = started.elapsed();
    assert!(!report.already_loaded);
    eprintln!("programme load took {took:?} on {:?}", db.backend);
    let back = store.programme_data().await.unwrap();
    assert_eq!(back.programmes.len(), read.data.programmes.len());
    assert_eq!(links_of(&back), expected_links());
    // Web developers (15-1254): what the sheet lists, by hand.
    let web: BTreeSet<String> = back
        .links
        .iter()
        .filter(|l| l.soc.as_str() == "15-1254")
        .map(|l| l.cip.clone())
        .collect();
    assert_eq!(Some(&web), expected_links().get("15-1254"));
    assert!(!web.is_empty());
    let title = back
        .programmes
        .iter()
        .find(|p| p.code == "11.0801")
        .map(|p| p.title.as_str());
    assert_eq!(
        title,
        Some("Web Page, Digital/Multimedia and Information Resources Design.")
    );

    // The same bytes again: nothing written.
    let again = store
        .load_programmes(&read.data, &SilentProgress)
        .await
        .unwrap();
    assert!(again.already_loaded);
    store.close().await;
}

/// Damaged copies: each rejected with its place named, and the store as it was.
async fn bad_programme_files_change_nothing(db: TestDatabase) {
    let store = Store::connect(&db.url).await.unwrap();
    let good = read_programmes(&crosswalk(), &cip()).unwrap();
    store
        .load_programmes(&good.data, &SilentProgress)
        .await
        .unwrap();
    let before = store.programme_data().await.unwrap();
    let dir = tempfile::tempdir().unwrap();

    // A bad code in the CSV.
    let bad_csv = dir.path().join("CIPCode2020.csv");
    let text = std::fs::read_to_string(cip()).unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("=\"01\",=\"01.0101\""))
        .unwrap()
        + 1;
    std::fs::write(
        &bad_csv,
        text.replacen("=\"01\",=\"01.0101\"", "=\"01\",=\"01.01X1\"", 1),
    )
    .unwrap();
    let e = read_programmes(&crosswalk(), &bad_csv)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("CIPCode2020.csv")
            && e.contains(&format!("row {line}"))
            && e.contains("CIPCode")
            && e.contains("01.01X1"),
        "{e}"
    );
    // A duplicate programme in the CSV.
    let dup = text.lines().nth(line - 1).unwrap();
    std::fs::write(&bad_csv, text.replacen(dup, &format!("{dup}\r\n{dup}"), 1)).unwrap();
    let e = read_programmes(&crosswalk(), &bad_csv)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("duplicate programme 01.0101") && e.contains(&format!("row {line}")),
        "{e}"
    );
    // A wrong header in the CSV.
    std::fs::write(&bad_csv, text.replacen("\"CIPTitle\"", "\"Title\"", 1)).unwrap();
    let e = read_programmes(&crosswalk(), &bad_csv)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("CIPCode2020.csv") && e.contains("CIPTitle"),
        "{e}"
    );

    // A bad SOC code in the sheet.
    let bad_xlsx = dir.path().join("CIP2020_SOC2018_Crosswalk.xlsx");
    edit_xlsx(&crosswalk(), &bad_xlsx, SOC_CIP, |xml| {
        set_cell_text(&xml, "A5", "15-12X4")
    });
    let e = read_programmes(&bad_xlsx, &cip()).unwrap_err().to_string();
    assert!(
        e.contains("CIP2020_SOC2018_Crosswalk.xlsx")
            && e.contains("sheet `SOC-CIP`")
            && e.contains("row 5")
            && e.contains("SOC2018Code` (A)"),
        "{e}"
    );
    // A duplicate row: row 3 made a copy of row 2.
    let cells = sheet_cells(&crosswalk(), SOC_CIP);
    let (a2, c2) = (cells["A2"].clone(), cells["C2"].clone());
    edit_xlsx(&crosswalk(), &bad_xlsx, SOC_CIP, |xml| {
        set_cell_text(&set_cell_text(&xml, "A3", &a2), "C3", &c2)
    });
    let e = read_programmes(&bad_xlsx, &cip()).unwrap_err().to_string();
    assert!(
        e.contains("row 3") && e.contains("duplicate row") && e.contains("already on row 2"),
        "{e}"
    );
    // A wrong sheet name.
    edit_xlsx(&crosswalk(), &bad_xlsx, "xl/workbook.xml", |xml| {
        xml.replace("name=\"SOC-CIP\"", "name=\"SOC CIP\"")
    });
    let e = read_programmes(&bad_xlsx, &cip()).unwrap_err().to_string();
    assert!(e.contains("no sheet `SOC-CIP`"), "{e}");
    // A wrong header in the sheet.
    edit_xlsx(&crosswalk(), &bad_xlsx, SOC_CIP, |xml| {
        set_cell_text(&xml, "C1", "CIPCode")
    });
    let e = read_programmes(&bad_xlsx, &cip()).unwrap_err().to_string();
    assert!(
        e.contains("sheet `SOC-CIP`") && e.contains("CIP2020Code"),
        "{e}"
    );

    // Nothing reached the store.
    assert_eq!(store.programme_data().await.unwrap(), before);
    store.close().await;
}

backend_tests! {
    load_and_read_back => programmes_load_and_read_back;
    bad_files => bad_programme_files_change_nothing;
}
