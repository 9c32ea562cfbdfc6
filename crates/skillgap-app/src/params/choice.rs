//! Parameters whose value is one of a few words (an order, a source of ratings, the domains to
//! compare): the words, their meaning and the default, declared once per type.

use skillgap_core::ProfileChoice;
use skillgap_core::paths::PathSort;
use skillgap_core::transitions::TransitionSort;

use crate::error::AppError;

/// A parameter whose value is one of a few words.
pub trait Choice: Copy + Eq + 'static {
    /// The parameter's name.
    const NAME: &'static str;
    /// What it means, for the API document and `--help`.
    const DOC: &'static str;
    /// Every value and the word for it, in the order the document lists them.
    const VALUES: &'static [(&'static str, Self)];
    /// What an error says is accepted.
    const EXPECTED: &'static str;
    /// The value when the request leaves the parameter out or blank.
    const DEFAULT: Self;

    /// Parses a value as given; absent or blank is the default.
    fn parse(raw: Option<&str>) -> Result<Self, AppError> {
        match raw {
            None | Some("") => Ok(Self::DEFAULT),
            Some(s) => Self::VALUES
                .iter()
                .find(|(word, _)| *word == s)
                .map(|(_, v)| *v)
                .ok_or_else(|| {
                    AppError::parameter(
                        Self::NAME,
                        format!("`{}` must be {}, got `{s}`", Self::NAME, Self::EXPECTED),
                    )
                }),
        }
    }

    /// The word requests use for this value.
    fn word(self) -> &'static str {
        Self::VALUES
            .iter()
            .find(|(_, v)| *v == self)
            .map_or("", |(word, _)| word)
    }
}

/// The words of a choice, then the blank that stands for its default.
pub fn words_and_blank<C: Choice>() -> Vec<&'static str> {
    C::VALUES.iter().map(|(w, _)| *w).chain([""]).collect()
}

impl Choice for ProfileChoice {
    const NAME: &'static str = "source";
    const DOC: &'static str = "Ratings to use: `onet` (default; also when blank or null), `llm` or `best` (O*NET where rated, else LLM).";
    const VALUES: &'static [(&'static str, Self)] = &[
        ("onet", ProfileChoice::Onet),
        ("llm", ProfileChoice::Llm),
        ("best", ProfileChoice::Best),
    ];
    const EXPECTED: &'static str = "onet, llm or best";
    const DEFAULT: Self = ProfileChoice::Onet;
}

impl Choice for TransitionSort {
    const NAME: &'static str = "sort";
    const DOC: &'static str = "Order: `relatedness` (default: titles, tasks, knowledge, skills and job zone, as O*NET's experts relate occupations), `similarity` (skill levels alone), `wage_gain` (wage ratio, highest first) or `effort_per_dollar` (weighted gap per dollar gained, among moves that pay more); the last two need BLS wages.";
    const VALUES: &'static [(&'static str, Self)] = &[
        ("relatedness", TransitionSort::Relatedness),
        ("similarity", TransitionSort::Similarity),
        ("wage_gain", TransitionSort::WageGain),
        ("effort_per_dollar", TransitionSort::EffortPerDollar),
    ];
    const EXPECTED: &'static str = "one of relatedness, similarity, wage_gain, effort_per_dollar";
    const DEFAULT: Self = TransitionSort::Relatedness;
}

impl Choice for PathSort {
    const NAME: &'static str = "sort";
    const DOC: &'static str = "`gap` (default: the path objective), `wage_gain` (the lowest wage on the way over today's, highest first) or `effort_per_dollar` (total weighted gap per dollar gained, when the target pays more); the last two need BLS wages.";
    const VALUES: &'static [(&'static str, Self)] = &[
        ("gap", PathSort::Gap),
        ("wage_gain", PathSort::WageGain),
        ("effort_per_dollar", PathSort::EffortPerDollar),
    ];
    const EXPECTED: &'static str = "one of gap, wage_gain, effort_per_dollar";
    const DEFAULT: Self = PathSort::Gap;
}

/// `viable`: whether pay orders and wage filters rank viable moves only.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ViableFilter {
    /// Viable moves only (the default).
    #[default]
    Viable,
    /// Every candidate, each marked viable or not.
    Any,
}

impl Choice for ViableFilter {
    const NAME: &'static str = "viable";
    const DOC: &'static str = "`true` (default): pay orders, min_wage_ratio and desirable rank viable moves only (relatedness ≥ 2.0, job zone up at most 1, both rated); `any`: every candidate, each row marked.";
    const VALUES: &'static [(&'static str, Self)] =
        &[("true", ViableFilter::Viable), ("any", ViableFilter::Any)];
    const EXPECTED: &'static str = "true or any";
    const DEFAULT: Self = ViableFilter::Viable;
}

/// `desirable`: whether only desirable moves are kept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Desirable {
    /// Every move (the default).
    #[default]
    No,
    /// Moves paying at least `desirable_ratio` of today's median that do not drop a job zone.
    Only,
}

impl Choice for Desirable {
    const NAME: &'static str = "desirable";
    const DOC: &'static str = "`true`: keep only desirable moves, paying at least desirable_ratio (default 0.9) of today's median wage and not dropping a job zone; needs BLS wages. `false` (default): no such filter.";
    const VALUES: &'static [(&'static str, Self)] =
        &[("false", Desirable::No), ("true", Desirable::Only)];
    const EXPECTED: &'static str = "true or false";
    const DEFAULT: Self = Desirable::No;
}

/// `effort`: what effort_per_dollar divides by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum EffortMeasure {
    /// Skills gap, knowledge gap and school years up (the default).
    #[default]
    Barriers,
    /// The skills weighted gap alone (the measure before barriers).
    Skills,
}

impl Choice for EffortMeasure {
    const NAME: &'static str = "effort";
    const DOC: &'static str = "The effort effort_per_dollar divides: `barriers` (default: skills gap + 1.0 × knowledge gap + 40 × school years up) or `skills` (the skills weighted gap alone).";
    const VALUES: &'static [(&'static str, Self)] = &[
        ("barriers", EffortMeasure::Barriers),
        ("skills", EffortMeasure::Skills),
    ];
    const EXPECTED: &'static str = "barriers or skills";
    const DEFAULT: Self = EffortMeasure::Barriers;
}

/// `sort` of targets (`POST /transitions`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TargetSort {
    /// By the fit blend (the default).
    #[default]
    Fit,
    /// Among the best-fitting targets, by median wage, highest first.
    WageGain,
}

impl Choice for TargetSort {
    const NAME: &'static str = "sort";
    const DOC: &'static str = "`fit` (default: the fit blend) or `wage_gain` (the 50 best-fitting targets, by median annual wage, highest first; needs BLS wages).";
    const VALUES: &'static [(&'static str, Self)] = &[
        ("fit", TargetSort::Fit),
        ("wage_gain", TargetSort::WageGain),
    ];
    const EXPECTED: &'static str = "fit or wage_gain";
    const DEFAULT: Self = TargetSort::Fit;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::options::DomainSelection;
    use skillgap_core::Domain;

    #[test]
    fn choices_name_their_words_and_default() {
        assert_eq!(
            TransitionSort::parse(Some("wage_gain")).unwrap(),
            TransitionSort::WageGain
        );
        assert_eq!(
            TransitionSort::parse(None).unwrap(),
            TransitionSort::Relatedness
        );
        assert_eq!(
            TransitionSort::parse(Some("")).unwrap(),
            TransitionSort::Relatedness
        );
        let e = TransitionSort::parse(Some("pay")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "`sort` must be one of relatedness, similarity, wage_gain, effort_per_dollar, got `pay`"
        );
        // The transitions' orders by closeness mean nothing for paths between two fixed ends.
        assert!(PathSort::parse(Some("relatedness")).is_err());
        assert_eq!(
            DomainSelection::parse(Some("work_activities")).unwrap(),
            DomainSelection::One(Domain::WorkActivities)
        );
        assert_eq!(ProfileChoice::Best.word(), "best");
        assert_eq!(
            words_and_blank::<PathSort>(),
            ["gap", "wage_gain", "effort_per_dollar", ""]
        );
    }

    #[test]
    fn every_choice_lists_its_words_in_its_error() {
        fn check<C: Choice>() {
            for (word, value) in C::VALUES {
                assert!(C::EXPECTED.contains(word), "{} lists {word}", C::NAME);
                assert_eq!(value.word(), *word);
            }
        }
        check::<DomainSelection>();
        check::<ProfileChoice>();
        check::<TransitionSort>();
        check::<PathSort>();
        check::<ViableFilter>();
        check::<Desirable>();
        check::<EffortMeasure>();
        check::<TargetSort>();
    }

    #[test]
    fn viable_takes_true_or_any_and_names_itself() {
        assert_eq!(ViableFilter::parse(None).unwrap(), ViableFilter::Viable);
        assert_eq!(ViableFilter::parse(Some("any")).unwrap(), ViableFilter::Any);
        let e = ViableFilter::parse(Some("false")).unwrap_err();
        assert!(
            matches!(&e, AppError::InvalidParameter { parameter, .. } if parameter == "viable")
        );
        assert_eq!(Desirable::parse(Some("true")).unwrap(), Desirable::Only);
    }
}
