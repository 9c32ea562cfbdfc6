//! Whether a move is **viable**: the one rule transitions, paths and targets share.
//!
//! A move from `a` to `b` is viable when all three conditions hold:
//! - **relatedness**: `b` is among `a`'s [`NEIGHBOURS`] closest occupations with a relatedness
//!   score of at least [`MIN_RELATEDNESS`] (standard deviations above an average pair);
//! - **job zone**: `b`'s job zone is at most [`MAX_JOB_ZONE_RISE`] above `a`'s (a zone unknown on
//!   either side does not block);
//! - **ratings**: both sides are rated in every compared domain (so the gap can be measured).
//!
//! Paths take only viable steps; pay orders and wage floors rank viable moves only (unless a
//! request asks for `viable=any`).
//!
//! [`NEIGHBOURS`]: crate::relatedness::NEIGHBOURS

/// Relatedness a viable move needs (the score's units: standard deviations above an average
/// pair). About the score of an occupation's 20th closest (O*NET's Supplemental tier ends at 20).
pub const MIN_RELATEDNESS: f32 = 2.0;
/// How many job zones a viable move may climb (a move two zones up skips the preparation between).
pub const MAX_JOB_ZONE_RISE: u8 = 1;

/// The rule, as answers say it.
pub const VIABILITY_RULE: &str = "viable = relatedness ≥ 2.0 (among the 100 closest), job zone rises by at most 1 (unknown zones do not block), and both occupations rated in every compared domain";

/// One condition of viability.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Condition {
    /// Relatedness at or above [`MIN_RELATEDNESS`].
    Relatedness,
    /// Job zone rises by at most [`MAX_JOB_ZONE_RISE`].
    JobZone,
    /// Both sides rated in every compared domain.
    Ratings,
}

impl Condition {
    /// Every condition, in the order answers list them.
    pub const ALL: [Condition; 3] = [
        Condition::Relatedness,
        Condition::JobZone,
        Condition::Ratings,
    ];

    /// The name answers use.
    pub const fn as_str(self) -> &'static str {
        match self {
            Condition::Relatedness => "relatedness",
            Condition::JobZone => "job_zone",
            Condition::Ratings => "ratings",
        }
    }

    const fn bit(self) -> u8 {
        match self {
            Condition::Relatedness => 1,
            Condition::JobZone => 2,
            Condition::Ratings => 4,
        }
    }
}

/// Which conditions a move fails (none: viable).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Viability {
    failed: u8,
}

impl Viability {
    /// Assesses a move: `relatedness` is the target's score when it is among the source's kept
    /// closest (`None` otherwise, or when either side is not ranked), `from_zone`/`to_zone` the
    /// job zones, `rated` whether both sides are rated in every compared domain.
    pub fn assess(
        relatedness: Option<f32>,
        from_zone: Option<u8>,
        to_zone: Option<u8>,
        rated: bool,
    ) -> Self {
        let mut failed = 0;
        if !relatedness_allows(relatedness) {
            failed |= Condition::Relatedness.bit();
        }
        if !job_zone_allows(from_zone, to_zone) {
            failed |= Condition::JobZone.bit();
        }
        if !rated {
            failed |= Condition::Ratings.bit();
        }
        Self { failed }
    }

    /// Whether every condition holds.
    pub fn is_viable(self) -> bool {
        self.failed == 0
    }

    /// Whether the move fails `c`.
    pub fn fails(self, c: Condition) -> bool {
        self.failed & c.bit() != 0
    }

    /// The conditions failed, in [`Condition::ALL`]'s order.
    pub fn failed(self) -> impl Iterator<Item = Condition> {
        Condition::ALL.into_iter().filter(move |c| self.fails(*c))
    }
}

/// Whether a relatedness score (of a target among the kept closest) clears [`MIN_RELATEDNESS`].
pub fn relatedness_allows(score: Option<f32>) -> bool {
    score.is_some_and(|s| s >= MIN_RELATEDNESS)
}

/// Whether a move from zone `from` to zone `to` climbs at most [`MAX_JOB_ZONE_RISE`].
pub fn job_zone_allows(from: Option<u8>, to: Option<u8>) -> bool {
    match (from, to) {
        (Some(f), Some(t)) => t <= f.saturating_add(MAX_JOB_ZONE_RISE),
        _ => true,
    }
}

/// How many candidates were viable, and how many each condition left out (a move failing two
/// conditions counts under both).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ViabilityCounts {
    /// Candidates assessed.
    pub candidates: usize,
    /// Of them, viable.
    pub viable: usize,
    /// Left out by each condition, in [`Condition::ALL`]'s order.
    pub left_out: [usize; 3],
}

impl ViabilityCounts {
    /// Counts one more candidate.
    pub fn add(&mut self, v: Viability) {
        self.candidates += 1;
        if v.is_viable() {
            self.viable += 1;
        }
        for (i, c) in Condition::ALL.into_iter().enumerate() {
            if v.fails(c) {
                self.left_out[i] += 1;
            }
        }
    }

    /// How many `c` left out.
    pub fn left_out_by(&self, c: Condition) -> usize {
        let i = Condition::ALL.iter().position(|x| *x == c).unwrap_or(0);
        self.left_out[i]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_condition_fails_alone() {
        let ok = Viability::assess(Some(2.0), Some(2), Some(3), true);
        assert!(ok.is_viable());
        assert_eq!(ok.failed().count(), 0);

        let unrelated = Viability::assess(Some(1.99), Some(2), Some(3), true);
        assert!(!unrelated.is_viable());
        assert_eq!(
            unrelated.failed().collect::<Vec<_>>(),
            [Condition::Relatedness]
        );
        let not_close = Viability::assess(None, Some(2), Some(2), true);
        assert_eq!(
            not_close.failed().collect::<Vec<_>>(),
            [Condition::Relatedness]
        );

        let climb = Viability::assess(Some(5.0), Some(2), Some(4), true);
        assert_eq!(climb.failed().collect::<Vec<_>>(), [Condition::JobZone]);

        let unrated = Viability::assess(Some(5.0), Some(2), Some(2), false);
        assert_eq!(unrated.failed().collect::<Vec<_>>(), [Condition::Ratings]);

        let all = Viability::assess(Some(0.0), Some(1), Some(5), false);
        assert_eq!(all.failed().collect::<Vec<_>>(), Condition::ALL);
    }

    #[test]
    fn a_move_climbs_at_most_one_job_zone_and_unknown_zones_do_not_block() {
        assert!(job_zone_allows(Some(2), Some(3)));
        assert!(job_zone_allows(Some(4), Some(1)));
        assert!(!job_zone_allows(Some(2), Some(4)));
        assert!(job_zone_allows(None, Some(5)));
        assert!(job_zone_allows(Some(1), None));
    }

    #[test]
    fn counts_name_each_condition_that_left_a_move_out() {
        let mut c = ViabilityCounts::default();
        c.add(Viability::assess(Some(3.0), Some(2), Some(2), true));
        c.add(Viability::assess(Some(1.0), Some(2), Some(4), true));
        c.add(Viability::assess(Some(3.0), Some(2), Some(2), false));
        assert_eq!(c.candidates, 3);
        assert_eq!(c.viable, 1);
        assert_eq!(c.left_out_by(Condition::Relatedness), 1);
        assert_eq!(c.left_out_by(Condition::JobZone), 1);
        assert_eq!(c.left_out_by(Condition::Ratings), 1);
    }
}
