//! The check of a self-assessment's levels, shared by the self-assessed gap and targets: every
//! bad entry is named at once.

use skillgap_core::gap;
use skillgap_core::{DomainTable, ElementId};

use crate::error::AppError;

/// The levels of a self-assessment, one vector per compared domain (`None` = not given), or an
/// error naming every bad entry: unknown element ids, levels outside 0–7, non-numbers.
pub(crate) fn assessed_levels<'a>(
    tables: &[&DomainTable],
    levels: impl IntoIterator<Item = (&'a String, Result<f64, String>)>,
) -> Result<Vec<Vec<Option<f64>>>, AppError> {
    let mut out: Vec<Vec<Option<f64>>> = tables
        .iter()
        .map(|t| vec![None; t.descriptors.len()])
        .collect();
    let mut bad: Vec<(String, String)> = Vec::new();
    for (key, value) in levels {
        let parameter = format!("levels.{key}");
        let id = match ElementId::parse(key) {
            Ok(id) => id,
            Err(e) => {
                bad.push((parameter, e.to_string()));
                continue;
            }
        };
        let slot = tables
            .iter()
            .enumerate()
            .find_map(|(ti, t)| t.position(&id).map(|p| (ti, p)));
        let Some((t, p)) = slot else {
            let names: Vec<String> = tables
                .iter()
                .map(|t| format!("{} {}", t.descriptors.len(), t.domain))
                .collect();
            bad.push((
                parameter,
                format!(
                    "`{key}` is not a descriptor of the compared domains ({}); GET /occupations/{{code}}/profile lists them",
                    names.join(", ")
                ),
            ));
            continue;
        };
        match value {
            Ok(v) if v.is_finite() && (0.0..=gap::LEVEL_RANGE).contains(&v) => out[t][p] = Some(v),
            Ok(v) => bad.push((
                parameter,
                format!("level must be from 0 to 7 (O*NET's level scale), got {v}"),
            )),
            Err(sent) => bad.push((
                parameter,
                format!("level must be a number from 0 to 7 (O*NET's level scale), got {sent}"),
            )),
        }
    }
    match bad.len() {
        0 => Ok(out),
        1 => {
            let (parameter, detail) = bad.remove(0);
            Err(AppError::parameter(&parameter, detail))
        }
        n => Err(AppError::InvalidParameter {
            parameter: bad
                .iter()
                .map(|(p, _)| p.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            detail: format!(
                "{n} levels are invalid: {}",
                bad.iter()
                    .map(|(p, d)| format!("{p}: {d}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        }),
    }
}
