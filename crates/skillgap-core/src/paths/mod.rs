//! Stepping-stone paths: sequences of feasible moves from one occupation to another, when the
//! direct move is too far.
//!
//! A path is made of feasible steps ([`crate::steps`]) between occupations both rated in every
//! compared domain, so each step has a gap.
//!
//! A **path** is a sequence of feasible steps visiting no occupation twice. Paths are ranked by
//! the objective: the smallest **largest single-step** importance-weighted gap first (the hardest
//! step is what stops people), then the smallest **total** weighted gap, then fewer steps.

mod pay;
mod search;

pub use pay::{PathSort, PathWage, WAGE_ORDER_POOL, order_paths, wage_stops};
pub use search::{
    Blocked, DEFAULT_PATHS, DEFAULT_STEPS, MAX_PATHS, MAX_STEPS, OBJECTIVE, Path, PathLimits, Step,
    paths,
};
