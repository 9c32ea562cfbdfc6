//! The OEWS national workbook (`national_M2024_dl.xlsx`): one row per SOC code and level.

use std::collections::HashMap;

use skillgap_core::labor::{AnnualWages, OewsGroup, OewsRow, Soc2018Code, Wage, WageUnavailable};

use crate::error::{CellProblem, LaborError};
use crate::sheet::{Col, Header, Workbook, text_of};

/// The top-coded amounts OEWS states for `#`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct TopCode {
    pub hourly: f64,
    pub annual: f64,
}

/// What the OEWS workbook holds.
pub(crate) struct OewsSheet {
    pub rows: Vec<OewsRow>,
    pub release: String,
}

/// Parses `$115.00 per hour or $239,200 per year` out of the `#` note.
fn top_code(note: &str) -> Option<TopCode> {
    let amount_before = |unit: &str| -> Option<f64> {
        let end = note.find(unit)?;
        let start = note[..end].rfind('$')? + 1;
        note[start..end].trim().replace(',', "").parse().ok()
    };
    Some(TopCode {
        hourly: amount_before("per hour")?,
        annual: amount_before("per year")?,
    })
}

/// "May 2024 OEWS Estimates" → "May 2024"; else the `M2024` of the file name.
fn release_of(title: Option<&str>, file: &str) -> Option<String> {
    if let Some(t) = title
        && let Some(i) = t.find(" OEWS")
    {
        let r = t[..i].trim();
        if r.split_whitespace().count() == 2 {
            return Some(r.to_owned());
        }
    }
    let i = file.find("_M")? + 2;
    let year = file.get(i..i + 4)?;
    year.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| format!("May {year}"))
}

/// Reads the data sheet (the first one, as BLS publishes it) and the notes.
pub(crate) fn read(
    book: &mut Workbook,
    problems: &mut Vec<CellProblem>,
) -> Result<OewsSheet, LaborError> {
    let names = book.sheet_names();
    // The notes carry the top code and the release; a workbook without them can still be read
    // as long as no wage is top-coded.
    let (mut note, mut title) = (None, None);
    if names.iter().any(|n| n == "Field Descriptions") {
        let notes = book.sheet("Field Descriptions")?;
        for i in 0..notes.height() {
            for c in notes.row(i) {
                let t = text_of(c);
                if title.is_none() && t.contains("OEWS") {
                    title = Some(t.clone());
                }
                if t.starts_with('#') && t.contains("per year") {
                    note = top_code(&t);
                }
            }
        }
    }
    let first = names.first().cloned().unwrap_or_default();
    let sheet = book.sheet(&first)?;
    let header = sheet.header_row("OCC_CODE")?;
    let [
        code,
        otitle,
        group,
        emp,
        a_mean,
        a_pct10,
        a_pct25,
        a_median,
        a_pct75,
        a_pct90,
        h_mean,
        h_median,
        annual,
        hourly,
    ] = sheet.columns(
        header,
        [
            "OCC_CODE",
            "OCC_TITLE",
            "O_GROUP",
            "TOT_EMP",
            "A_MEAN",
            "A_PCT10",
            "A_PCT25",
            "A_MEDIAN",
            "A_PCT75",
            "A_PCT90",
            "H_MEAN",
            "H_MEDIAN",
            "ANNUAL",
            "HOURLY",
        ]
        .map(Header::Exact),
    )?;
    let mut used_top_code = false;
    let mut rows = Vec::with_capacity(sheet.height());
    let mut seen: HashMap<(Soc2018Code, OewsGroup), u32> = HashMap::new();
    for cx in sheet.rows_below(header) {
        if cx.is_blank() {
            continue;
        }
        let wage = |col: &Col,
                    top: fn(&TopCode) -> f64,
                    used: &mut bool|
         -> Result<Wage, CellProblem> {
            if let Some(v) = cx.number(col) {
                return Ok(Wage::Amount(v));
            }
            match cx.text(col).as_str() {
                "*" => Ok(Wage::Unavailable(WageUnavailable::NotAvailable)),
                "#" => {
                    *used = true;
                    // Without the note there is no amount to give; reported once, below.
                    Ok(Wage::AtLeast(note.as_ref().map_or(f64::NAN, top)))
                }
                other => Err(cx.problem(
                    col,
                    format!("expected a wage in dollars, `*` (not available) or `#` (at or above the top code), found `{other}`"),
                )),
            }
        };
        let flag = |col: &Col| -> Result<bool, CellProblem> {
            match cx.cell(col) {
                calamine::Data::Bool(b) => Ok(*b),
                _ => match cx.text(col).as_str() {
                    "TRUE" => Ok(true),
                    "" | "FALSE" => Ok(false),
                    other => Err(cx.problem(
                        col,
                        format!("expected `TRUE` or an empty cell, found `{other}`"),
                    )),
                },
            }
        };
        let parsed = (|| -> Result<OewsRow, CellProblem> {
            let c = Soc2018Code::parse(&cx.text(&code))
                .map_err(|e| cx.problem(&code, e.to_string()))?;
            let g = OewsGroup::parse(&cx.text(&group)).ok_or_else(|| {
                cx.problem(
                    &group,
                    format!(
                        "expected one of total, major, minor, broad, detailed, found `{}`",
                        cx.text(&group)
                    ),
                )
            })?;
            if let Some(first) = seen.get(&(c, g)) {
                return Err(cx.problem(
                    &code,
                    format!(
                        "duplicate {} row for {c}: already on row {first}",
                        g.as_str()
                    ),
                ));
            }
            let employment = match cx.number(&emp) {
                Some(v) if v >= 0.0 && v.fract() == 0.0 => Some(v as u64),
                _ if cx.text(&emp) == "**" => None,
                _ => {
                    return Err(cx.problem(
                        &emp,
                        format!(
                            "expected a whole number of jobs or `**` (not available), found `{}`",
                            cx.text(&emp)
                        ),
                    ));
                }
            };
            let mut used = false;
            let row = OewsRow {
                code: c,
                title: cx.required_text(&otitle)?,
                group: g,
                employment,
                annual: AnnualWages {
                    mean: wage(&a_mean, |t| t.annual, &mut used)?,
                    pct10: wage(&a_pct10, |t| t.annual, &mut used)?,
                    pct25: wage(&a_pct25, |t| t.annual, &mut used)?,
                    median: wage(&a_median, |t| t.annual, &mut used)?,
                    pct75: wage(&a_pct75, |t| t.annual, &mut used)?,
                    pct90: wage(&a_pct90, |t| t.annual, &mut used)?,
                },
                hourly_mean: wage(&h_mean, |t| t.hourly, &mut used)?,
                hourly_median: wage(&h_median, |t| t.hourly, &mut used)?,
                annual_only: flag(&annual)?,
                hourly_only: flag(&hourly)?,
            };
            used_top_code |= used;
            seen.insert((c, g), cx.row);
            Ok(row)
        })();
        match parsed {
            Ok(r) => rows.push(r),
            Err(p) => problems.push(p),
        }
    }
    if used_top_code && note.is_none() {
        return Err(LaborError::MissingTopCode {
            file: book.file.clone(),
        });
    }
    Ok(OewsSheet {
        rows,
        release: release_of(title.as_deref(), &book.file).unwrap_or_else(|| "unknown".into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_top_code_from_the_note() {
        let t = top_code(
            "#  = indicates a wage equal to or greater than $115.00 per hour or $239,200 per year ",
        )
        .unwrap();
        assert_eq!(
            t,
            TopCode {
                hourly: 115.0,
                annual: 239_200.0
            }
        );
        assert!(top_code("# = something else").is_none());
    }

    #[test]
    fn the_release_comes_from_the_title_or_the_file_name() {
        assert_eq!(
            release_of(Some("May 2024 OEWS Estimates"), "x.xlsx").as_deref(),
            Some("May 2024")
        );
        assert_eq!(
            release_of(None, "national_M2023_dl.xlsx").as_deref(),
            Some("May 2023")
        );
        assert_eq!(release_of(None, "wages.xlsx"), None);
    }
}
