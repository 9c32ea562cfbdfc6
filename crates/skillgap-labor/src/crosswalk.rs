//! O*NET's crosswalk from O*NET-SOC 2019 codes to 2018 SOC codes (`2019_to_SOC_Crosswalk.xlsx`):
//! title rows, then the header, then one row per O*NET occupation.

use std::collections::{HashMap, HashSet};

use skillgap_core::SocCode;
use skillgap_core::labor::{CrosswalkEntry, Soc2018Code};

use crate::error::{CellProblem, LaborError};
use crate::sheet::{Header, Workbook};

pub(crate) fn read(
    book: &mut Workbook,
    known: Option<&HashSet<SocCode>>,
    problems: &mut Vec<CellProblem>,
) -> Result<Vec<CrosswalkEntry>, LaborError> {
    let first = book.sheet_names().first().cloned().unwrap_or_default();
    let sheet = book.sheet(&first)?;
    let header = sheet.header_row("O*NET-SOC 2019 Code")?;
    let [onet, onet_title, soc, soc_title] = sheet.columns(
        header,
        [
            "O*NET-SOC 2019 Code",
            "O*NET-SOC 2019 Title",
            "2018 SOC Code",
            "2018 SOC Title",
        ]
        .map(Header::Exact),
    )?;
    let mut out = Vec::with_capacity(sheet.height());
    let mut seen: HashMap<SocCode, u32> = HashMap::new();
    for cx in sheet.rows_below(header) {
        if cx.is_blank() {
            continue;
        }
        let parsed = (|| -> Result<CrosswalkEntry, CellProblem> {
            let o =
                SocCode::parse(&cx.text(&onet)).map_err(|e| cx.problem(&onet, e.to_string()))?;
            if known.is_some_and(|k| !k.contains(&o)) {
                return Err(cx.problem(
                    &onet,
                    format!("unknown O*NET occupation {o}: it is not in the loaded O*NET release"),
                ));
            }
            if let Some(first) = seen.get(&o) {
                return Err(cx.problem(
                    &onet,
                    format!("duplicate O*NET occupation {o}: already on row {first}"),
                ));
            }
            let entry = CrosswalkEntry {
                onet: o,
                onet_title: cx.required_text(&onet_title)?,
                soc: Soc2018Code::parse(&cx.text(&soc))
                    .map_err(|e| cx.problem(&soc, e.to_string()))?,
                soc_title: cx.required_text(&soc_title)?,
            };
            seen.insert(o, cx.row);
            Ok(entry)
        })();
        match parsed {
            Ok(e) => out.push(e),
            Err(p) => problems.push(p),
        }
    }
    Ok(out)
}
