//! Each table's columns, written once. Inserts, selects and deletes are built from these
//! descriptions, so a column list never has to be kept in step by hand across the statements
//! (and the modules) that use it. The order is the order values are bound and read back in.

use crate::Backend;

/// A table and the columns the store writes and reads, in bind/read order.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Table {
    /// The table's name.
    pub name: &'static str,
    /// Its columns.
    pub columns: &'static [&'static str],
}

impl Table {
    /// The same table with only its first `n` columns (the ones a narrower writer fills).
    pub const fn first(self, n: usize) -> Table {
        Table {
            name: self.name,
            columns: self.columns.split_at(n).0,
        }
    }

    /// `INSERT INTO name (a, b, …) `, the head for `QueryBuilder::push_values`.
    pub fn insert(&self) -> String {
        format!("INSERT INTO {} ({}) ", self.name, self.columns.join(", "))
    }

    /// `INSERT INTO name (a, b, …) VALUES (?, ?, …)` for one row, in `backend`'s placeholders.
    pub fn insert_one(&self, backend: Backend) -> String {
        let marks = vec!["?"; self.columns.len()].join(", ");
        backend
            .sql(format!("{}VALUES ({marks})", self.insert()))
            .into_owned()
    }

    /// `SELECT a, b, … FROM name`.
    pub fn select(&self) -> String {
        format!("SELECT {} FROM {}", self.columns.join(", "), self.name)
    }

    /// `DELETE FROM name WHERE k1 = ? AND …`, in `backend`'s placeholders.
    pub fn delete(&self, backend: Backend, key: &[&str]) -> String {
        backend
            .sql(format!("DELETE FROM {} WHERE {}", self.name, matching(key)))
            .into_owned()
    }
}

/// `a = ? AND b = ? …`: the condition that a row's `key` columns equal the bound values.
pub(crate) fn matching(key: &[&str]) -> String {
    key.iter()
        .map(|c| format!("{c} = ?"))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// Measurement scales.
pub(crate) const SCALES: Table = Table {
    name: "scales",
    columns: &["scale_id", "name", "minimum", "maximum"],
};

/// Content-model elements.
pub(crate) const DESCRIPTORS: Table = Table {
    name: "descriptors",
    columns: &["element_id", "name", "description", "domain"],
};

/// Occupations, from any source.
pub(crate) const OCCUPATIONS: Table = Table {
    name: "occupations",
    columns: &["onetsoc_code", "title", "description", "source"],
};

/// Ratings, from any source. The first six columns are the ones every source fills.
pub(crate) const RATINGS: Table = Table {
    name: "ratings",
    columns: &[
        "onetsoc_code",
        "element_id",
        "scale_id",
        "source",
        "source_detail",
        "data_value",
        "n",
        "standard_error",
        "lower_ci_bound",
        "upper_ci_bound",
        "recommend_suppress",
        "not_relevant",
        "date_updated",
        "domain_source",
    ],
};

/// Level anchors.
pub(crate) const LEVEL_ANCHORS: Table = Table {
    name: "level_anchors",
    columns: &["element_id", "scale_id", "anchor_value", "description"],
};

/// Alternate titles.
pub(crate) const ALTERNATE_TITLES: Table = Table {
    name: "alternate_titles",
    columns: &["onetsoc_code", "title", "short_title", "sources"],
};

/// Reported titles.
pub(crate) const REPORTED_TITLES: Table = Table {
    name: "reported_titles",
    columns: &["onetsoc_code", "title", "shown_in_my_next_move"],
};

/// Task statements.
pub(crate) const TASKS: Table = Table {
    name: "tasks",
    columns: &[
        "task_id",
        "onetsoc_code",
        "task",
        "task_type",
        "incumbents_responding",
        "date_updated",
        "domain_source",
    ],
};

/// Job zones.
pub(crate) const JOB_ZONES: Table = Table {
    name: "job_zones",
    columns: &["onetsoc_code", "job_zone", "date_updated", "domain_source"],
};

/// O*NET's related-occupations list.
pub(crate) const RELATED_OCCUPATIONS: Table = Table {
    name: "related_occupations",
    columns: &[
        "onetsoc_code",
        "related_onetsoc_code",
        "relatedness_tier",
        "related_index",
    ],
};

/// The files of each loaded release.
pub(crate) const RELEASE_FILES: Table = Table {
    name: "release_files",
    columns: &["release_id", "file_name", "sha256", "row_count"],
};

/// Records of web-API fetches.
pub(crate) const API_FETCHES: Table = Table {
    name: "api_fetches",
    columns: &[
        "onetsoc_code",
        "provenance",
        "fetched_at",
        "fetched_epoch",
        "ratings",
        "unrated",
    ],
};

/// LLM runs, accepted or failed.
pub(crate) const LLM_RUNS: Table = Table {
    name: "llm_runs",
    columns: &[
        "onetsoc_code",
        "domain",
        "model",
        "prompt_version",
        "prompt_hash",
        "started_at",
        "finished_at",
        "status",
        "attempts",
        "prompt_tokens",
        "completion_tokens",
        "total_tokens",
        "raw_response",
        "error",
    ],
};

/// The model's reason for each estimate of a run.
pub(crate) const LLM_JUSTIFICATIONS: Table = Table {
    name: "llm_justifications",
    columns: &["run_id", "element_id", "justification"],
};

/// Cached gap narratives. The first six columns are the cache key.
pub(crate) const LLM_NARRATIVES: Table = Table {
    name: "llm_narratives",
    columns: &[
        "from_code",
        "to_code",
        "domain",
        "source",
        "model",
        "prompt_version",
        "prompt_hash",
        "narrative",
        "created_at",
        "total_tokens",
        "raw_response",
    ],
};

/// The columns that key a cached narrative.
pub(crate) const NARRATIVE_KEY: &[&str] = LLM_NARRATIVES.first(6).columns;

/// `technology_skills`.
pub(crate) const TECHNOLOGY_SKILLS: Table = Table {
    name: "technology_skills",
    columns: &[
        "onetsoc_code",
        "example",
        "commodity_code",
        "commodity_title",
        "hot_technology",
        "in_demand",
    ],
};

/// `education_categories`.
pub(crate) const EDUCATION_CATEGORIES: Table = Table {
    name: "education_categories",
    columns: &["element_id", "scale_id", "category", "description"],
};

/// `education_training`.
pub(crate) const EDUCATION_TRAINING: Table = Table {
    name: "education_training",
    columns: &[
        "onetsoc_code",
        "element_id",
        "scale_id",
        "category",
        "data_value",
        "n",
        "standard_error",
        "lower_ci_bound",
        "upper_ci_bound",
        "recommend_suppress",
        "date_updated",
        "domain_source",
    ],
};

/// `oews_wages`.
pub(crate) const OEWS_WAGES: Table = Table {
    name: "oews_wages",
    columns: &[
        "soc_code",
        "o_group",
        "title",
        "employment",
        "a_mean",
        "a_mean_mark",
        "a_pct10",
        "a_pct10_mark",
        "a_pct25",
        "a_pct25_mark",
        "a_median",
        "a_median_mark",
        "a_pct75",
        "a_pct75_mark",
        "a_pct90",
        "a_pct90_mark",
        "h_mean",
        "h_mean_mark",
        "h_median",
        "h_median_mark",
        "annual_only",
        "hourly_only",
    ],
};

/// `employment_projections`.
pub(crate) const EMPLOYMENT_PROJECTIONS: Table = Table {
    name: "employment_projections",
    columns: &[
        "soc_code",
        "title",
        "kind",
        "employment_base",
        "employment_projected",
        "change_numeric",
        "change_percent",
        "annual_openings",
        "median_wage",
        "median_wage_mark",
        "entry_education",
        "work_experience",
        "training",
    ],
};

/// `soc_crosswalk`.
pub(crate) const SOC_CROSSWALK: Table = Table {
    name: "soc_crosswalk",
    columns: &["onetsoc_code", "onet_title", "soc_code", "soc_title"],
};

/// `programmes`.
pub(crate) const PROGRAMMES: Table = Table {
    name: "programmes",
    columns: &["cip_code", "title", "definition"],
};

/// `programme_occupations`.
pub(crate) const PROGRAMME_OCCUPATIONS: Table = Table {
    name: "programme_occupations",
    columns: &["soc_code", "cip_code"],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_each_statement_from_one_column_list() {
        assert_eq!(
            SCALES.insert(),
            "INSERT INTO scales (scale_id, name, minimum, maximum) "
        );
        assert_eq!(
            SCALES.select(),
            "SELECT scale_id, name, minimum, maximum FROM scales"
        );
        assert_eq!(
            LLM_JUSTIFICATIONS.insert_one(Backend::Postgres),
            "INSERT INTO llm_justifications (run_id, element_id, justification) VALUES ($1, $2, $3)"
        );
        assert_eq!(
            LLM_JUSTIFICATIONS.insert_one(Backend::MySql),
            "INSERT INTO llm_justifications (run_id, element_id, justification) VALUES (?, ?, ?)"
        );
        assert_eq!(
            API_FETCHES.delete(Backend::Postgres, &["onetsoc_code", "provenance"]),
            "DELETE FROM api_fetches WHERE onetsoc_code = $1 AND provenance = $2"
        );
    }

    #[test]
    fn narrower_writers_take_the_leading_columns() {
        assert_eq!(
            RATINGS.first(6).insert(),
            "INSERT INTO ratings (onetsoc_code, element_id, scale_id, source, source_detail, data_value) "
        );
        assert_eq!(
            NARRATIVE_KEY,
            [
                "from_code",
                "to_code",
                "domain",
                "source",
                "model",
                "prompt_version"
            ]
        );
    }
}
