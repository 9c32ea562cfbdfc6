//! BLS Employment Projections, `occupation.xlsx`, sheet `Table 1.2`: a title row, the header,
//! one row per occupation (line items and summaries), then footnotes.

use std::collections::HashMap;

use skillgap_core::labor::{Projection, ProjectionKind, Soc2018Code, Wage};

use crate::error::{CellProblem, LaborError};
use crate::sheet::{Col, Header, Workbook};

/// The sheet BLS publishes the projections with worker characteristics on.
pub const SHEET: &str = "Table 1.2";

/// BLS writes `—` where data is unavailable.
const UNAVAILABLE: &str = "—";

/// What the sheet holds.
pub(crate) struct ProjectionsSheet {
    pub rows: Vec<Projection>,
    pub release: String,
}

/// `Employment change, percent, 2024–34` → `2024–34`.
fn release_of(header: &str) -> Option<String> {
    let r = header.rsplit(", ").next()?.trim();
    (r.len() >= 7 && r.as_bytes()[..4].iter().all(u8::is_ascii_digit)).then(|| r.to_owned())
}

pub(crate) fn read(
    book: &mut Workbook,
    problems: &mut Vec<CellProblem>,
) -> Result<ProjectionsSheet, LaborError> {
    let sheet = book.sheet(SHEET)?;
    let header = sheet.header_row("Occupation type")?;
    let [
        title,
        code,
        kind,
        emp_base,
        emp_projected,
        change,
        change_percent,
        openings,
        wage,
        education,
        experience,
        training,
    ] = sheet.columns(
        header,
        [
            Header::Prefix("20", 0),
            Header::Prefix("20", 1),
            Header::Exact("Occupation type"),
            Header::Prefix("Employment, ", 0),
            Header::Prefix("Employment, ", 1),
            Header::Prefix("Employment change, numeric", 0),
            Header::Prefix("Employment change, percent", 0),
            Header::Prefix("Occupational openings", 0),
            Header::Prefix("Median annual wage", 0),
            Header::Exact("Typical education needed for entry"),
            Header::Exact("Work experience in a related occupation"),
            Header::Prefix("Typical on-the-job training", 0),
        ],
    )?;
    // The title and code columns are named after the matrix year ("2024 National Employment
    // Matrix title"); check they are what they look like.
    for (col, what) in [
        (&title, "National Employment Matrix title"),
        (&code, "National Employment Matrix code"),
    ] {
        if !col.name.contains(what) {
            return Err(LaborError::MissingColumn {
                file: sheet.file.clone(),
                sheet: sheet.name.clone(),
                column: format!("20NN {what}"),
                found: col.label.clone(),
            });
        }
    }
    let release = release_of(&change_percent.name).unwrap_or_else(|| "unknown".into());
    let mut rows = Vec::with_capacity(sheet.height());
    let mut seen: HashMap<Soc2018Code, u32> = HashMap::new();
    for cx in sheet.rows_below(header) {
        // Footnotes and notes below the table have neither a code nor a type.
        if cx.text(&code).is_empty() && cx.text(&kind).is_empty() {
            continue;
        }
        let number = |col: &Col| -> Result<Option<f64>, CellProblem> {
            if let Some(v) = cx.number(col) {
                return Ok(Some(v));
            }
            match cx.text(col).as_str() {
                UNAVAILABLE => Ok(None),
                other => Err(cx.problem(
                    col,
                    format!("expected a number or `—` (not available), found `{other}`"),
                )),
            }
        };
        let text = |col: &Col| -> Option<String> {
            let t = cx.text(col);
            (!t.is_empty() && t != UNAVAILABLE).then_some(t)
        };
        let parsed = (|| -> Result<Projection, CellProblem> {
            let c = Soc2018Code::parse(&cx.text(&code))
                .map_err(|e| cx.problem(&code, e.to_string()))?;
            let k = ProjectionKind::parse(&cx.text(&kind)).ok_or_else(|| {
                cx.problem(
                    &kind,
                    format!(
                        "expected `Line item` or `Summary`, found `{}`",
                        cx.text(&kind)
                    ),
                )
            })?;
            if let Some(first) = seen.get(&c) {
                return Err(cx.problem(
                    &code,
                    format!("duplicate occupation {c}: already on row {first}"),
                ));
            }
            let median_wage = match cx.number(&wage) {
                Some(v) => Wage::Amount(v),
                None => {
                    let t = cx.text(&wage);
                    match t
                        .strip_prefix(">=$")
                        .map(|a| a.replace(',', "").parse::<f64>())
                    {
                        Some(Ok(a)) => Wage::AtLeast(a),
                        _ if t == UNAVAILABLE => {
                            Wage::Unavailable(skillgap_core::labor::WageUnavailable::NotAvailable)
                        }
                        _ => {
                            return Err(cx.problem(
                                &wage,
                                format!("expected a wage in dollars, `>=$amount` (top-coded) or `—`, found `{t}`"),
                            ));
                        }
                    }
                }
            };
            let p = Projection {
                code: c,
                title: cx.required_text(&title)?,
                kind: k,
                employment_base: number(&emp_base)?,
                employment_projected: number(&emp_projected)?,
                change: number(&change)?,
                change_percent: number(&change_percent)?,
                annual_openings: number(&openings)?,
                median_wage,
                entry_education: text(&education),
                work_experience: text(&experience),
                training: text(&training),
            };
            seen.insert(c, cx.row);
            Ok(p)
        })();
        match parsed {
            Ok(p) => rows.push(p),
            Err(p) => problems.push(p),
        }
    }
    Ok(ProjectionsSheet { rows, release })
}

#[cfg(test)]
mod tests {
    use super::release_of;

    #[test]
    fn the_release_is_the_decade_of_the_change_column() {
        assert_eq!(
            release_of("Employment change, percent, 2024–34").as_deref(),
            Some("2024–34")
        );
        assert_eq!(release_of("Employment change, percent"), None);
    }
}
