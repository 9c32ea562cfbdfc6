//! Technology examples per occupation (`Technology Skills.txt`) and the technology gap between two
//! occupations: what the target's workers use that the source's do not.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::code::SocCode;

/// One technology example an occupation's workers use, with its UNSPSC commodity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TechnologySkill {
    /// Occupation.
    pub occupation: SocCode,
    /// The product or technology, e.g. `Microsoft Excel`.
    pub example: String,
    /// UNSPSC commodity code, e.g. 43232110.
    pub commodity_code: u32,
    /// UNSPSC commodity title, e.g. `Spreadsheet software`.
    pub commodity_title: String,
    /// O*NET's Hot Technology flag: frequently named in employers' job postings.
    pub hot: bool,
    /// O*NET's In Demand flag: among the technologies most requested for this occupation.
    pub in_demand: bool,
}

/// One technology of the gap, as the target occupation lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GapTechnology {
    /// The product or technology.
    pub example: String,
    /// Hot Technology.
    pub hot: bool,
    /// In Demand for the target.
    pub in_demand: bool,
}

/// The technologies of one commodity the target uses and the source does not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TechnologyGroup {
    /// UNSPSC commodity code.
    pub commodity_code: u32,
    /// UNSPSC commodity title, e.g. `Web platform development software`.
    pub commodity_title: String,
    /// Hot Technology examples first, then by name.
    pub technologies: Vec<GapTechnology>,
}

/// Technologies the target occupation's workers use that the source's do not.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TechnologyGap {
    /// Groups by commodity title; groups with more Hot Technologies come first, then by title.
    pub groups: Vec<TechnologyGroup>,
    /// Technologies to learn, in all groups.
    pub missing: usize,
    /// Of which Hot Technologies.
    pub missing_hot: usize,
    /// Technologies both occupations list (by example name).
    pub shared: usize,
}

/// Compares technology lists by example name: the source's workers already use what the source
/// lists, whatever commodity O*NET files it under.
pub fn technology_gap(source: &[TechnologySkill], target: &[TechnologySkill]) -> TechnologyGap {
    let known: HashSet<&str> = source.iter().map(|t| t.example.as_str()).collect();
    let mut groups: BTreeMap<(&str, u32), Vec<GapTechnology>> = BTreeMap::new();
    let mut seen: HashSet<&str> = HashSet::new();
    let mut shared = 0;
    for t in target {
        if !seen.insert(t.example.as_str()) {
            continue;
        }
        if known.contains(t.example.as_str()) {
            shared += 1;
            continue;
        }
        groups
            .entry((t.commodity_title.as_str(), t.commodity_code))
            .or_default()
            .push(GapTechnology {
                example: t.example.clone(),
                hot: t.hot,
                in_demand: t.in_demand,
            });
    }
    let mut groups: Vec<TechnologyGroup> = groups
        .into_iter()
        .map(|((title, code), mut technologies)| {
            technologies.sort_by(|a, b| b.hot.cmp(&a.hot).then_with(|| a.example.cmp(&b.example)));
            TechnologyGroup {
                commodity_code: code,
                commodity_title: title.to_owned(),
                technologies,
            }
        })
        .collect();
    let hot = |g: &TechnologyGroup| g.technologies.iter().filter(|t| t.hot).count();
    groups.sort_by(|a, b| {
        hot(b)
            .cmp(&hot(a))
            .then_with(|| a.commodity_title.cmp(&b.commodity_title))
            .then_with(|| a.commodity_code.cmp(&b.commodity_code))
    });
    let missing = groups.iter().map(|g| g.technologies.len()).sum();
    let missing_hot = groups.iter().map(hot).sum();
    TechnologyGap {
        groups,
        missing,
        missing_hot,
        shared,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tech(code: &str, example: &str, commodity: (u32, &str), hot: bool) -> TechnologySkill {
        TechnologySkill {
            occupation: SocCode::parse(code).unwrap(),
            example: example.into(),
            commodity_code: commodity.0,
            commodity_title: commodity.1.into(),
            hot,
            in_demand: false,
        }
    }

    #[test]
    fn lists_what_the_target_uses_and_the_source_does_not_hot_first() {
        let db = (43232306, "Data base user interface and query software");
        let web = (43232107, "Web page creation and editing software");
        let erp = (43231601, "Accounting software");
        let from = [
            tech("15-1254.00", "MySQL", db, true),
            tech("15-1254.00", "jQuery", web, true),
        ];
        let to = [
            tech("11-3021.00", "MySQL", db, true),
            tech("11-3021.00", "Oracle Database", db, false),
            tech("11-3021.00", "SAP", erp, true),
            tech("11-3021.00", "Intuit QuickBooks", erp, true),
            tech("11-3021.00", "Microsoft Access", db, true),
        ];
        let gap = technology_gap(&from, &to);
        assert_eq!((gap.shared, gap.missing, gap.missing_hot), (1, 4, 3));
        let titles: Vec<&str> = gap
            .groups
            .iter()
            .map(|g| g.commodity_title.as_str())
            .collect();
        // Two hot ones in accounting beat one in databases.
        assert_eq!(titles, [erp.1, db.1]);
        let names: Vec<&str> = gap.groups[1]
            .technologies
            .iter()
            .map(|t| t.example.as_str())
            .collect();
        assert_eq!(names, ["Microsoft Access", "Oracle Database"]);
        let names: Vec<&str> = gap.groups[0]
            .technologies
            .iter()
            .map(|t| t.example.as_str())
            .collect();
        assert_eq!(names, ["Intuit QuickBooks", "SAP"]);
    }

    #[test]
    fn the_same_occupation_has_no_gap() {
        let t = [tech("15-1254.00", "MySQL", (1, "x"), true)];
        let gap = technology_gap(&t, &t);
        assert_eq!((gap.missing, gap.shared, gap.groups.len()), (0, 1, 0));
    }
}
