//! What relatedness reads of each occupation: its texts, job zone and rating profiles.

use crate::{Catalog, Cell, Domain, SocCode};

/// A task statement as relatedness reads it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TaskText<'a> {
    /// The statement.
    pub text: &'a str,
    /// O*NET marks it Core (or gives no type); `false` for Supplemental.
    pub core: bool,
}

/// What relatedness needs to know about one occupation.
#[derive(Clone, Debug, PartialEq)]
pub struct RelatednessInput<'a> {
    /// Its code.
    pub code: SocCode,
    /// Its title.
    pub title: &'a str,
    /// Its alternate titles and short titles.
    pub alternate_titles: Vec<&'a str>,
    /// O*NET's description.
    pub description: &'a str,
    /// Its task statements. An occupation without any is not ranked (O*NET's residual
    /// "All Other" codes have none, and O*NET relates none of them either).
    pub tasks: Vec<TaskText<'a>>,
    /// Its job zone (1–5), when known.
    pub job_zone: Option<u8>,
    /// Its rating profiles, one per rated domain: cells in the same descriptor order for every
    /// occupation (as [`crate::DomainTable`] keeps them). Importance is what is compared.
    pub profiles: Vec<(Domain, &'a [Cell])>,
}

impl<'a> RelatednessInput<'a> {
    /// The inputs of every occupation of a catalog, with its O*NET profiles (release or web
    /// API, not LLM estimates: a guess should not decide what counts as related).
    pub fn from_catalog(catalog: &'a Catalog) -> Vec<Self> {
        catalog
            .occupations
            .iter()
            .enumerate()
            .map(|(i, e)| RelatednessInput {
                code: e.occupation.code,
                title: &e.occupation.title,
                alternate_titles: e
                    .alternate_titles
                    .iter()
                    .chain(&e.short_titles)
                    .map(String::as_str)
                    .collect(),
                description: &e.occupation.description,
                tasks: e
                    .tasks
                    .iter()
                    .map(|t| TaskText {
                        text: &t.text,
                        core: t.task_type.as_deref() != Some("Supplemental"),
                    })
                    .collect(),
                job_zone: e.job_zone,
                profiles: catalog
                    .domains
                    .iter()
                    .filter_map(|t| Some((t.domain, &*t.profiles(i).onet.as_ref()?.cells)))
                    .collect(),
            })
            .collect()
    }
}
