//! Education, training and experience (`Education, Training, and Experience.txt` and its
//! categories): the share of an occupation's respondents in each category of a scale, and the
//! most common required level of education.

use serde::{Deserialize, Serialize};

use crate::code::{ElementId, ScaleId, SocCode};
use crate::date::OnetDate;

/// The scale of required level of education (categories 1–12).
pub const REQUIRED_EDUCATION_SCALE: &str = "RL";

/// One category of an education, training or experience scale, e.g. RL 6 = Bachelor's degree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EducationCategory {
    /// Element, e.g. `2.D.1` (Required Level of Education).
    pub element: ElementId,
    /// Scale: `RL`, `RW`, `PT` or `OJ`.
    pub scale: ScaleId,
    /// Category number within the scale (ordered: a higher number is more preparation).
    pub category: u16,
    /// What the category means, e.g. `Bachelor's Degree`.
    pub description: String,
}

/// One row of `Education, Training, and Experience.txt`: for category scales the percentage of
/// respondents in the category; for `IM` rows (no category) an importance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EducationRating {
    /// Occupation.
    pub occupation: SocCode,
    /// Element, e.g. `2.D.1`.
    pub element: ElementId,
    /// Scale, e.g. `RL`.
    pub scale: ScaleId,
    /// Category, for category scales (`None` on `IM` rows).
    pub category: Option<u16>,
    /// Percentage of respondents in the category (0–100), or the importance on `IM` rows.
    pub value: f64,
    /// Respondents.
    pub n: Option<u32>,
    /// Standard error.
    pub standard_error: Option<f64>,
    /// Lower bound of the 95% confidence interval.
    pub lower_ci: Option<f64>,
    /// Upper bound of the 95% confidence interval.
    pub upper_ci: Option<f64>,
    /// O*NET suggests not using the value (low precision).
    pub recommend_suppress: Option<bool>,
    /// When O*NET last updated the value.
    pub date: Option<OnetDate>,
    /// Where O*NET's data came from.
    pub domain_source: Option<String>,
}

/// The category most respondents of an occupation chose on a scale, with its share.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CommonLevel {
    /// Category number (for RL, 1 = less than high school … 12 = post-doctoral training).
    pub category: u16,
    /// The category's description, e.g. `Bachelor's Degree`.
    pub description: String,
    /// Percentage of respondents in it (0–100).
    pub share: f64,
}

impl CommonLevel {
    /// Categories up (positive) or down (negative) from `self` to `target`: the education step of
    /// a move.
    pub fn step_to(&self, target: &CommonLevel) -> i32 {
        i32::from(target.category) - i32::from(self.category)
    }
}

/// The most common category of `scale` among `ratings` (one occupation's rows), named from
/// `categories`. A tie goes to the lower category: the least preparation that as many
/// respondents reported. `None` when the occupation has no row on the scale.
pub fn most_common_level(
    ratings: &[EducationRating],
    categories: &[EducationCategory],
    scale: &str,
) -> Option<CommonLevel> {
    let best = ratings
        .iter()
        .filter(|r| r.scale.as_str() == scale)
        .filter_map(|r| r.category.map(|c| (c, r)))
        .fold(None::<(u16, &EducationRating)>, |best, (c, r)| match best {
            Some((bc, br)) if br.value > r.value || (br.value == r.value && bc <= c) => {
                Some((bc, br))
            }
            _ => Some((c, r)),
        })?;
    let (category, rating) = best;
    let description = categories
        .iter()
        .find(|k| k.scale == rating.scale && k.element == rating.element && k.category == category)
        .map(|k| k.description.clone())
        .unwrap_or_default();
    Some(CommonLevel {
        category,
        description,
        share: rating.value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(scale: &str, category: Option<u16>, value: f64) -> EducationRating {
        EducationRating {
            occupation: SocCode::parse("15-1254.00").unwrap(),
            element: ElementId::parse("2.D.1").unwrap(),
            scale: ScaleId::parse(scale).unwrap(),
            category,
            value,
            n: None,
            standard_error: None,
            lower_ci: None,
            upper_ci: None,
            recommend_suppress: None,
            date: None,
            domain_source: None,
        }
    }

    fn cat(category: u16, description: &str) -> EducationCategory {
        EducationCategory {
            element: ElementId::parse("2.D.1").unwrap(),
            scale: ScaleId::parse("RL").unwrap(),
            category,
            description: description.into(),
        }
    }

    #[test]
    fn picks_the_largest_share_and_names_it() {
        let rows = [
            row("RL", Some(2), 10.0),
            row("RL", Some(6), 55.5),
            row("RL", Some(7), 30.0),
            row("RW", Some(1), 90.0),
            row("IM", None, 99.0),
        ];
        let cats = [cat(2, "High School"), cat(6, "Bachelor's Degree")];
        let level = most_common_level(&rows, &cats, REQUIRED_EDUCATION_SCALE).unwrap();
        assert_eq!(level.category, 6);
        assert_eq!(level.description, "Bachelor's Degree");
        assert_eq!(level.share, 55.5);
    }

    #[test]
    fn a_tie_goes_to_the_lower_category_and_no_rows_give_none() {
        let rows = [row("RL", Some(7), 40.0), row("RL", Some(3), 40.0)];
        assert_eq!(most_common_level(&rows, &[], "RL").unwrap().category, 3);
        assert!(most_common_level(&rows, &[], "RW").is_none());
    }

    #[test]
    fn the_step_counts_categories_up_or_down() {
        let a = CommonLevel {
            category: 6,
            description: String::new(),
            share: 1.0,
        };
        let b = CommonLevel {
            category: 8,
            ..a.clone()
        };
        assert_eq!(a.step_to(&b), 2);
        assert_eq!(b.step_to(&a), -2);
    }
}
