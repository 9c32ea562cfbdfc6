//! Labour-market facts from the U.S. Bureau of Labor Statistics, and the pure maths on them:
//! 2018 SOC codes, wages that may be top-coded or missing, OEWS rows, employment projections, the
//! O*NET-SOC → SOC crosswalk, the choice of the OEWS row for an O*NET occupation (with the broad
//! fallback), and the wage change of a move.

mod data;
mod index;

pub use data::{
    AnnualWages, CrosswalkEntry, LaborData, LaborFile, LaborFileKind, OewsGroup, OewsRow,
    Projection, ProjectionKind, Soc2018Code, Wage, WageUnavailable,
};
pub use index::{Bound, LaborFacts, LaborIndex, RowUsed, WageChange, choose_row, wage_change};
