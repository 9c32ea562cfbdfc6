//! A whole, validated O*NET release as one value, ready to be stored.

use serde::Serialize;

use crate::descriptor::{Descriptor, LevelAnchor, Scale};
use crate::education::{EducationCategory, EducationRating};
use crate::occupation::{AlternateTitle, JobZone, Occupation, ReportedTitle, Task};
use crate::rating::Rating;
use crate::related::RelatedOccupation;
use crate::technology::TechnologySkill;

/// A file the release was read from, with its checksum so a reload of the same bytes is detected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SourceFile {
    /// File name inside the release, e.g. `Skills.txt`.
    pub name: String,
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// Data rows accepted from the file (header excluded).
    pub rows: u64,
}

/// Everything read from one O*NET text release, after validation.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Release {
    /// Release version, e.g. `29.0`.
    pub version: String,
    /// Where it was read from (a directory or zip path), for the record.
    pub source: String,
    /// The files read, in reading order.
    pub files: Vec<SourceFile>,
    /// SHA-256 over every file's name and checksum: equal fingerprints mean the same bytes.
    pub fingerprint: String,
    /// `Occupation Data.txt`.
    pub occupations: Vec<Occupation>,
    /// `Content Model Reference.txt`.
    pub descriptors: Vec<Descriptor>,
    /// `Scales Reference.txt`.
    pub scales: Vec<Scale>,
    /// `Skills.txt`, `Knowledge.txt`, `Abilities.txt`, `Work Activities.txt`.
    pub ratings: Vec<Rating>,
    /// `Level Scale Anchors.txt`.
    pub level_anchors: Vec<LevelAnchor>,
    /// `Alternate Titles.txt`.
    pub alternate_titles: Vec<AlternateTitle>,
    /// `Sample of Reported Titles.txt`, when the release has it.
    pub reported_titles: Vec<ReportedTitle>,
    /// `Task Statements.txt`.
    pub tasks: Vec<Task>,
    /// `Job Zones.txt`.
    pub job_zones: Vec<JobZone>,
    /// `Technology Skills.txt`.
    pub technology_skills: Vec<TechnologySkill>,
    /// `Education, Training, and Experience Categories.txt`.
    pub education_categories: Vec<EducationCategory>,
    /// `Education, Training, and Experience.txt`.
    pub education: Vec<EducationRating>,
    /// `Related Occupations.txt` (release 30.0 on): O*NET's expert list.
    pub related_occupations: Vec<RelatedOccupation>,
}

impl Release {
    /// Total number of data rows across all tables.
    pub fn row_count(&self) -> usize {
        self.occupations.len()
            + self.descriptors.len()
            + self.scales.len()
            + self.ratings.len()
            + self.level_anchors.len()
            + self.alternate_titles.len()
            + self.reported_titles.len()
            + self.tasks.len()
            + self.job_zones.len()
            + self.technology_skills.len()
            + self.education_categories.len()
            + self.education.len()
            + self.related_occupations.len()
    }
}
