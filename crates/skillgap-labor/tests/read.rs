//! Reading the real BLS workbooks and O*NET crosswalk, checked against values recomputed from the
//! sheets' XML by an independent scan, and damaged copies that must fail with file, sheet, row and
//! column.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use skillgap_core::SocCode;
use skillgap_core::labor::{
    LaborData, LaborFileKind, LaborIndex, OewsGroup, ProjectionKind, RowUsed, Soc2018Code, Wage,
    WageUnavailable,
};
use skillgap_labor::{LaborInput, LaborInputs, read_labor};
use skillgap_testkit::labor::{
    crosswalk_xlsx, edit_xlsx, oews_xlsx, oews_zip, projections_xlsx, rows_where, set_cell_text,
    sheet_cells,
};
use skillgap_testkit::onet_dir;

const OEWS_SHEET: &str = "xl/worksheets/sheet1.xml";
const PROJECTIONS_SHEET: &str = "xl/worksheets/sheet3.xml";

fn inputs(oews: &Path, projections: &Path, crosswalk: Option<&Path>) -> LaborInputs {
    LaborInputs {
        oews: LaborInput::file(oews),
        projections: LaborInput::file(projections),
        crosswalk: crosswalk.map(LaborInput::file),
    }
}

/// The O*NET codes of the real release, read straight from `Occupation Data.txt`.
fn onet_codes() -> HashSet<SocCode> {
    std::fs::read_to_string(onet_dir().join("Occupation Data.txt"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| SocCode::parse(l.split('\t').next().unwrap()).unwrap())
        .collect()
}

fn real() -> LaborData {
    let codes = onet_codes();
    read_labor(
        &inputs(&oews_xlsx(), &projections_xlsx(), Some(&crosswalk_xlsx())),
        Some(&codes),
    )
    .expect("the real files are valid")
}

fn soc(s: &str) -> Soc2018Code {
    Soc2018Code::parse(s).unwrap()
}

fn onet(s: &str) -> SocCode {
    SocCode::parse(s).unwrap()
}

/// The OEWS `detailed` row of `code` in the sheet's own cells: column letter → text.
fn oews_cells(cells: &HashMap<String, String>, code: &str) -> impl Fn(&str) -> String {
    let row = rows_where(cells, "I", code)
        .into_iter()
        .find(|r| cells.get(&format!("K{r}")).map(String::as_str) == Some("detailed"))
        .unwrap_or_else(|| panic!("{code} has a detailed row"));
    let cells = cells.clone();
    move |col| {
        cells
            .get(&format!("{col}{row}"))
            .cloned()
            .unwrap_or_default()
    }
}

fn amount(text: &str) -> Wage {
    Wage::Amount(text.parse().unwrap())
}

#[test]
fn reads_the_real_files_with_exact_counts_and_provenance() {
    let data = real();
    assert_eq!(data.oews.len(), 1_403);
    let detailed = data
        .oews
        .iter()
        .filter(|r| r.group == OewsGroup::Detailed)
        .count();
    assert_eq!(detailed, 831);
    let line_items = data
        .projections
        .iter()
        .filter(|p| p.kind == ProjectionKind::LineItem)
        .count();
    assert_eq!(line_items, 832);
    assert_eq!(data.projections.len(), 832 + 281);
    assert_eq!(data.crosswalk.len(), 1_016);
    let files: Vec<(LaborFileKind, &str, &str, u64)> = data
        .files
        .iter()
        .map(|f| (f.kind, f.release.as_str(), f.sha256.as_str(), f.rows))
        .collect();
    assert_eq!(
        files,
        [
            (
                LaborFileKind::Oews,
                "May 2024",
                "0b70d339f53d12c91509e72ad78cbfc32a5c43d7b82efff1705f83475da115b9",
                1_403
            ),
            (
                LaborFileKind::Projections,
                "2024–34",
                "05103e6770b8ffebd6f024ff52afc9aed7e586b4aa159396ddc483c6ec572a07",
                1_113
            ),
            (
                LaborFileKind::Crosswalk,
                "O*NET-SOC 2019 → 2018 SOC",
                "68488984606cff24d65dc01005945b3f158fcd77b17dac8bbc1a5a4ebb78ec2f",
                1_016
            ),
        ]
    );
}

#[test]
fn web_developers_and_it_managers_match_the_sheets() {
    let data = real();
    let index = LaborIndex::new(&data);
    let cells = sheet_cells(&oews_xlsx(), OEWS_SHEET);
    for (code, soc_code) in [("15-1254.00", "15-1254"), ("11-3021.00", "11-3021")] {
        let facts = index.facts(onet(code));
        let cell = oews_cells(&cells, soc_code);
        assert_eq!(
            facts.oews_row,
            RowUsed::Exact {
                code: soc(soc_code)
            }
        );
        assert_eq!(facts.employment, Some(cell("L").parse().unwrap()), "{code}");
        assert_eq!(facts.median_wage, amount(&cell("AB")), "{code}");
        assert_eq!(facts.pct10_wage, amount(&cell("Z")), "{code}");
        let p90 = cell("AD");
        if p90 == "#" {
            // 11-3021's 90th percentile is top-coded: at or above the stated $239,200.
            assert_eq!(facts.pct90_wage, Wage::AtLeast(239_200.0), "{code}");
        } else {
            assert_eq!(facts.pct90_wage, amount(&p90), "{code}");
        }
    }
    let web = index.facts(onet("15-1254.00"));
    let it = index.facts(onet("11-3021.00"));
    assert_eq!(web.median_wage, Wage::Amount(90_930.0));
    assert_eq!(it.median_wage, Wage::Amount(171_200.0));
    assert_eq!(it.pct90_wage, Wage::AtLeast(239_200.0));
    let change = skillgap_core::labor::wage_change(web.median_wage, it.median_wage).unwrap();
    assert_eq!(change.difference, 171_200.0 - 90_930.0);
    assert!((change.ratio - 171_200.0 / 90_930.0).abs() < 1e-12);

    // Projections, from the sheet's own cells.
    let pcells = sheet_cells(&projections_xlsx(), PROJECTIONS_SHEET);
    for (code, facts) in [("15-1254", &web), ("11-3021", &it)] {
        let row = rows_where(&pcells, "B", code)[0];
        let cell = |c: &str| pcells[&format!("{c}{row}")].clone();
        assert_eq!(
            facts.projected_change_percent,
            Some(cell("I").parse().unwrap())
        );
        assert_eq!(facts.annual_openings, Some(cell("K").parse().unwrap()));
        assert_eq!(facts.entry_education.as_deref(), Some(cell("M").as_str()));
    }
    assert_eq!(web.entry_education.as_deref(), Some("Bachelor's degree"));
    assert_eq!(web.projected_change_percent, Some(7.5));
}

#[test]
fn an_occupation_published_only_at_the_broad_level_uses_the_broad_row() {
    let data = real();
    let index = LaborIndex::new(&data);
    // Purchasing Agents: the crosswalk says 13-1023; OEWS publishes only 13-1020.
    let facts = index.facts(onet("13-1023.00"));
    assert_eq!(
        facts.oews_row,
        RowUsed::Broad {
            soc: soc("13-1023"),
            code: soc("13-1020")
        }
    );
    let cells = sheet_cells(&oews_xlsx(), OEWS_SHEET);
    assert!(rows_where(&cells, "I", "13-1023").is_empty());
    let cell = oews_cells(&cells, "13-1020");
    assert_eq!(facts.median_wage, amount(&cell("AB")));
    assert_eq!(facts.median_wage, Wage::Amount(75_650.0));
}

#[test]
fn a_top_coded_wage_stays_at_or_above_its_amount() {
    let data = real();
    let index = LaborIndex::new(&data);
    let cells = sheet_cells(&oews_xlsx(), OEWS_SHEET);
    assert_eq!(oews_cells(&cells, "29-1211")("AB"), "#");
    let anesthesiologists = index.facts(onet("29-1211.00"));
    assert_eq!(anesthesiologists.median_wage, Wage::AtLeast(239_200.0));
    assert_eq!(anesthesiologists.median_wage.amount(), None);
    let p = data
        .projections
        .iter()
        .find(|p| p.code == soc("29-1211"))
        .unwrap();
    assert_eq!(p.median_wage, Wage::AtLeast(239_200.0));
}

#[test]
fn a_military_occupation_has_no_wage_and_says_why() {
    let data = real();
    let index = LaborIndex::new(&data);
    let infantry = index.facts(onet("55-3016.00"));
    assert_eq!(
        infantry.oews_row,
        RowUsed::None {
            soc: soc("55-3016"),
            reason: WageUnavailable::Military
        }
    );
    assert_eq!(
        infantry.median_wage,
        Wage::Unavailable(WageUnavailable::Military)
    );
    assert_eq!(
        infantry.median_wage.unavailable().unwrap().reason(),
        "military, not covered"
    );
    assert_eq!(infantry.employment, None);
    // A civilian occupation OEWS publishes at no level (fishing and hunting workers): the
    // other reason.
    let fishers = index.facts(onet("45-3031.00"));
    assert_eq!(
        fishers.median_wage,
        Wage::Unavailable(WageUnavailable::NotPublished)
    );
    assert_eq!(
        fishers.median_wage.unavailable().unwrap().reason(),
        "not published by OEWS"
    );
}

#[test]
fn the_official_zip_reads_like_the_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let zip = oews_zip(dir.path());
    let from_zip = read_labor(&inputs(&zip, &projections_xlsx(), None), None).unwrap();
    let plain = read_labor(&inputs(&oews_xlsx(), &projections_xlsx(), None), None).unwrap();
    assert_eq!(from_zip.oews, plain.oews);
    assert_eq!(from_zip.files[0].release, "May 2024");
    // The checksum is the zip's: the bytes given.
    assert_ne!(from_zip.files[0].sha256, plain.files[0].sha256);
}

fn damaged(
    src: &Path,
    part: &str,
    edit: impl FnOnce(String) -> String,
) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let dst = dir.path().join(src.file_name().unwrap());
    edit_xlsx(src, &dst, part, edit);
    (dir, dst)
}

fn error(oews: &Path, projections: &Path, crosswalk: Option<&Path>) -> String {
    let codes = onet_codes();
    read_labor(&inputs(oews, projections, crosswalk), Some(&codes))
        .expect_err("damaged input must fail")
        .to_string()
}

#[test]
fn a_renamed_header_names_file_sheet_and_column() {
    let (_d, oews) = damaged(&oews_xlsx(), "xl/sharedStrings.xml", |x| {
        x.replace("<t>A_MEDIAN</t>", "<t>A_MEDIAN_WAGE</t>")
    });
    let e = error(&oews, &projections_xlsx(), None);
    assert!(
        e.contains("national_M2024_dl.xlsx, sheet `national_M2024_dl`: no column `A_MEDIAN`"),
        "{e}"
    );
    assert!(e.contains("A_MEDIAN_WAGE"), "{e}");
}

#[test]
fn a_wrong_workbook_names_the_missing_sheet() {
    let e = error(&oews_xlsx(), &oews_xlsx(), None);
    assert!(
        e.contains("national_M2024_dl.xlsx has no sheet `Table 1.2`"),
        "{e}"
    );
}

#[test]
fn a_value_that_is_no_number_nor_marker_names_row_and_column() {
    // Row 5 is Chief Executives; AB is A_MEDIAN.
    let (_d, oews) = damaged(&oews_xlsx(), OEWS_SHEET, |x| {
        set_cell_text(&x, "AB5", "n.a.")
    });
    let e = error(&oews, &projections_xlsx(), None);
    assert!(
        e.contains("national_M2024_dl.xlsx, sheet `national_M2024_dl`, row 5, column `A_MEDIAN` (AB): expected a wage in dollars, `*` (not available) or `#` (at or above the top code), found `n.a.`"),
        "{e}"
    );
    let (_d, projections) = damaged(&projections_xlsx(), PROJECTIONS_SHEET, |x| {
        set_cell_text(&x, "I6", "lots")
    });
    let e = error(&oews_xlsx(), &projections, None);
    assert!(e.contains("occupation.xlsx, sheet `Table 1.2`, row 6, column `Employment change, percent, 2024–34` (I)"), "{e}");
}

#[test]
fn an_oews_code_that_is_not_soc_shaped_is_an_error() {
    let (_d, oews) = damaged(&oews_xlsx(), OEWS_SHEET, |x| {
        set_cell_text(&x, "I5", "11-101")
    });
    let e = error(&oews, &projections_xlsx(), None);
    assert!(
        e.contains("row 5, column `OCC_CODE` (I): `11-101` is not a 2018 SOC code"),
        "{e}"
    );
}

#[test]
fn a_crosswalk_row_with_an_unknown_onet_code_is_an_error() {
    let cw = crosswalk_xlsx();
    let cells = sheet_cells(&cw, "xl/worksheets/sheet1.xml");
    let row = rows_where(&cells, "A", "15-1254.00")[0];
    let (_d, crosswalk) = damaged(&cw, "xl/worksheets/sheet1.xml", |x| {
        set_cell_text(&x, &format!("A{row}"), "15-1254.99")
    });
    let e = error(&oews_xlsx(), &projections_xlsx(), Some(&crosswalk));
    assert!(
        e.contains(&format!("2019_to_SOC_Crosswalk.xlsx, sheet `O-NET-SOC 2019 Occupation Listi`, row {row}, column `O*NET-SOC 2019 Code` (A): unknown O*NET occupation 15-1254.99")),
        "{e}"
    );
}

#[test]
fn duplicate_projection_codes_are_an_error() {
    let cells = sheet_cells(&projections_xlsx(), PROJECTIONS_SHEET);
    let web = rows_where(&cells, "B", "15-1254")[0];
    let it = rows_where(&cells, "B", "11-3021")[0];
    let (_d, projections) = damaged(&projections_xlsx(), PROJECTIONS_SHEET, |x| {
        set_cell_text(&x, &format!("B{web}"), "11-3021")
    });
    let e = error(&oews_xlsx(), &projections, None);
    assert!(
        e.contains(&format!("row {web}, column `2024 National Employment Matrix code` (B): duplicate occupation 11-3021: already on row {it}")),
        "{e}"
    );
}

#[test]
fn a_top_code_marker_without_its_stated_amount_is_an_error() {
    let (_d, oews) = damaged(&oews_xlsx(), "xl/sharedStrings.xml", |x| {
        x.replace("$239,200 per year", "a lot per year")
    });
    let e = error(&oews, &projections_xlsx(), None);
    assert!(e.contains("does not state the top-coded amount"), "{e}");
}
