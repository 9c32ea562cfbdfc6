//! The options every comparing command shares (domains, thresholds, source, `--json`), with
//! their help, ranges and defaults taken from the parameters' specifications, so a flag is
//! checked where it is parsed and says what the API document says.

use clap::Args;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use skillgap_app::params::Choice;
use skillgap_app::params::{
    Bound, Bounded, DomainSelection, GapOptions, Include, MinGap, MinImportance,
};
use skillgap_core::ProfileChoice;

/// A flag taking one of a choice's words (the same words the API takes).
pub fn choice<C: Choice + Clone + Send + Sync>() -> impl TypedValueParser<Value = C> {
    PossibleValuesParser::new(C::VALUES.iter().map(|(word, _)| *word))
        .try_map(|word| C::parse(Some(&word)))
}

/// Options shared by commands that compare occupations.
#[derive(Debug, Args)]
pub struct CompareOptions {
    /// The domains to compare.
    #[arg(long, help = DomainSelection::DOC, value_parser = choice::<DomainSelection>(), default_value = DomainSelection::DEFAULT.word())]
    pub domain: DomainSelection,
    /// The importance threshold.
    #[arg(long, help = MinImportance::RANGE.doc, default_value_t = Bounded::standard())]
    pub min_importance: Bounded<MinImportance>,
    /// The gap threshold.
    #[arg(long, help = MinGap::RANGE.doc, default_value_t = Bounded::standard())]
    pub min_gap: Bounded<MinGap>,
    /// Which ratings to use.
    #[arg(long, help = ProfileChoice::DOC, value_parser = choice::<ProfileChoice>(), default_value = ProfileChoice::DEFAULT.word())]
    pub source: ProfileChoice,
    /// Print the API's JSON body instead of a table.
    #[arg(long)]
    pub json: bool,
}

impl CompareOptions {
    /// The gap options, through the constructor every front uses.
    pub fn gap_options(&self, include: Include) -> GapOptions {
        GapOptions::new(
            self.domain,
            self.min_importance,
            self.min_gap,
            include,
            self.source,
        )
    }
}
