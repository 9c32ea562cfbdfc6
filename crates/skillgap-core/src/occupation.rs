//! Occupations and what the release says about them besides ratings.

use serde::{Deserialize, Serialize};

use crate::code::SocCode;
use crate::date::OnetDate;
use crate::rating::Source;
use crate::related::RelatedOccupation;

/// An O*NET-SOC occupation (`Occupation Data.txt`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Occupation {
    /// O*NET-SOC code.
    pub code: SocCode,
    /// Title, e.g. `Web Developers`.
    pub title: String,
    /// O*NET's description.
    pub description: String,
}

/// Another name the occupation is known by (`Alternate Titles.txt`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AlternateTitle {
    /// Occupation the title belongs to.
    pub occupation: SocCode,
    /// The alternate title.
    pub title: String,
    /// A short form, when O*NET gives one.
    pub short_title: Option<String>,
    /// O*NET's source codes for the title, e.g. `01,02`.
    pub sources: Option<String>,
}

/// A title incumbents reported for their job (`Sample of Reported Titles.txt`, when a release
/// has it).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReportedTitle {
    /// Occupation the title belongs to.
    pub occupation: SocCode,
    /// The title as reported.
    pub title: String,
    /// Whether O*NET shows it in My Next Move.
    pub shown_in_my_next_move: Option<bool>,
}

/// A task statement (`Task Statements.txt`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// Occupation the task belongs to.
    pub occupation: SocCode,
    /// O*NET's task id (unique across the release).
    pub id: u32,
    /// The statement.
    pub text: String,
    /// `Core` or `Supplemental` when known.
    pub task_type: Option<String>,
    /// Number of incumbents who responded, when known.
    pub incumbents_responding: Option<u32>,
    /// When O*NET last updated the statement.
    pub date: Option<OnetDate>,
    /// Where O*NET's data came from (`Incumbent`, `Analyst`, …).
    pub domain_source: Option<String>,
}

/// The job zone (1–5, preparation needed) of an occupation (`Job Zones.txt`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct JobZone {
    /// Occupation.
    pub occupation: SocCode,
    /// Zone 1 (little preparation) to 5 (extensive preparation).
    pub zone: u8,
    /// When O*NET last updated it.
    pub date: Option<OnetDate>,
    /// Where O*NET's data came from.
    pub domain_source: Option<String>,
}

/// An occupation and what the release says about it besides ratings.
#[derive(Clone, Debug)]
pub struct OccupationEntry {
    /// Code, title and description.
    pub occupation: Occupation,
    /// Where the occupation row came from.
    pub source: Source,
    /// Job zone, when known.
    pub job_zone: Option<u8>,
    /// Other titles.
    pub alternate_titles: Vec<String>,
    /// Short forms of titles, when O*NET gives them (title text for relatedness).
    pub short_titles: Vec<String>,
    /// Titles incumbents reported (`Sample of Reported Titles.txt`), when the release has them.
    pub reported_titles: Vec<String>,
    /// Task statements.
    pub tasks: Vec<Task>,
    /// O*NET's expert list of related occupations (release 30.0 on), closest first; shown as
    /// O*NET's answer, never read by the computed ranking.
    pub related: Vec<RelatedOccupation>,
}
