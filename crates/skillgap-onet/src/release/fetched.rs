//! Checking rows that come from the O*NET web API with exactly the rules applied to release files:
//! the rows are laid out as a text-release ratings file and read by the same parser.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use skillgap_core::{Descriptor, Domain, ElementId, Rating, Scale, SocCode, Source};

use super::error::{Rejection, ReleaseError, SHOWN_REJECTIONS};
use super::parse::Parser;
use super::table::Table;

/// What fetched rows are checked against: the store's scales and content model, and the
/// descriptors each domain is rated on (every fetched profile must cover exactly those).
#[derive(Clone, Debug, Default)]
pub struct Reference {
    /// Scales, with their ranges.
    pub scales: Vec<Scale>,
    /// Content-model elements, with their names.
    pub descriptors: Vec<Descriptor>,
    /// Element ids rated in each domain by the loaded release.
    pub rated_elements: HashMap<Domain, BTreeSet<ElementId>>,
}

const COLUMNS: [(&str, &[&str]); 13] = [
    ("O*NET-SOC Code", &["onetsoc_code", "o_net_soc_code"]),
    ("Element ID", &["element_id"]),
    ("Element Name", &["element_name"]),
    ("Scale ID", &["scale_id"]),
    ("Data Value", &["data_value"]),
    ("N", &["n"]),
    ("Standard Error", &["standard_error"]),
    ("Lower CI Bound", &["lower_ci_bound"]),
    ("Upper CI Bound", &["upper_ci_bound"]),
    ("Recommend Suppress", &["recommend_suppress"]),
    ("Not Relevant", &["not_relevant"]),
    ("Date", &["date_updated", "date"]),
    ("Domain Source", &["domain_source"]),
];

/// The name rejections carry for rows of a domain fetched from the web API.
pub fn origin(domain: Domain) -> &'static str {
    match domain {
        Domain::Skills => "web API skills rows",
        Domain::Knowledge => "web API knowledge rows",
        Domain::Abilities => "web API abilities rows",
        Domain::WorkActivities => "web API work_activities rows",
    }
}

/// Checks one occupation's fetched rows of one domain and returns them as ratings with source
/// [`Source::OnetApi`]. "Line" numbers in errors are row numbers + 1 (the header is line 1).
pub fn validate_fetched(
    domain: Domain,
    code: SocCode,
    rows: &[BTreeMap<String, Option<String>>],
    reference: &Reference,
) -> Result<Vec<Rating>, ReleaseError> {
    let file = origin(domain);
    let mut text = COLUMNS
        .iter()
        .map(|(h, _)| *h)
        .collect::<Vec<_>>()
        .join("\t");
    text.push('\n');
    for row in rows {
        let fields: Vec<String> = COLUMNS
            .iter()
            .map(|(_, ids)| {
                ids.iter()
                    .find_map(|id| row.get(*id).cloned().flatten())
                    .map(|v| v.replace(['\t', '\r', '\n'], " "))
                    .unwrap_or_else(|| "n/a".into())
            })
            .collect();
        text.push_str(&fields.join("\t"));
        text.push('\n');
    }
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let table = Table::new(file, text.as_bytes())?;
    let mut parser = Parser::with_reference(&reference.scales, &reference.descriptors, [code]);
    let ratings = parser.ratings(domain, &table, false)?;
    let mut rejections = std::mem::take(&mut parser.rejections);
    for (i, r) in ratings.iter().enumerate() {
        if r.occupation != code {
            rejections.push(Rejection {
                file,
                line: i + 2,
                column: Some("O*NET-SOC Code"),
                reason: format!("asked for {code}, the API sent a row of {}", r.occupation),
            });
        }
    }
    if let Some(expected) = reference
        .rated_elements
        .get(&domain)
        .filter(|e| !e.is_empty())
    {
        let got: BTreeSet<&ElementId> = ratings.iter().map(|r| &r.element).collect();
        for missing in expected.iter().filter(|e| !got.contains(e)) {
            rejections.push(Rejection {
                file,
                line: 1,
                column: Some("Element ID"),
                reason: format!(
                    "no rating for {missing}: every {domain} profile has all {} descriptors the release rates",
                    expected.len()
                ),
            });
        }
    }
    if !rejections.is_empty() {
        return Err(ReleaseError::Invalid {
            total: rejections.len(),
            shown: rejections.into_iter().take(SHOWN_REJECTIONS).collect(),
        });
    }
    Ok(ratings
        .into_iter()
        .map(|r| Rating {
            source: Source::OnetApi,
            ..r
        })
        .collect())
}
