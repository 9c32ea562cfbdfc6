//! Where one can go from each occupation: how related it is to every other, and the feasible
//! steps that relatedness allows. Both are derived from a catalog (never read by it), so a
//! catalog can be served while they are built, or read back from where they were kept.

use crate::catalog::Catalog;
use crate::relatedness::{Relatedness, RelatednessInput};
use crate::steps::StepGraph;

/// Relatedness and the step graph of one catalog.
#[derive(Clone, Debug, Default)]
pub struct Moves {
    relatedness: Relatedness,
    steps: StepGraph,
}

impl Moves {
    /// Computes both from `catalog`.
    pub fn build(catalog: &Catalog) -> Self {
        let relatedness = Relatedness::build(&RelatednessInput::from_catalog(catalog));
        Self::with_relatedness(catalog, relatedness)
    }

    /// The step graph of `catalog` under `relatedness` (computed or read back).
    pub fn with_relatedness(catalog: &Catalog, relatedness: Relatedness) -> Self {
        let steps = StepGraph::build(catalog, &relatedness);
        Self { relatedness, steps }
    }

    /// How related every ranked occupation is to every other.
    pub fn relatedness(&self) -> &Relatedness {
        &self.relatedness
    }

    /// Every feasible single step of a stepping-stone path.
    pub fn steps(&self) -> &StepGraph {
        &self.steps
    }
}
