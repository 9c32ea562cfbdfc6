//! Stepping-stone paths between two occupations, each step with its gap, and the direct move
//! beside them for comparison.

use std::collections::BTreeMap;

use serde::Serialize;
use skillgap_core::gap::{self, FromSide, GapSummary};
use skillgap_core::paths::{self, Blocked, MAX_JOB_ZONE_RISE, MAX_STEPS, STEP_MIN_RELATEDNESS};
use skillgap_core::{Catalog, Cell, Domain, DomainTable};
use utoipa::ToSchema;

use super::gap::{Definition, definition};
use super::transitions::{ComponentsDto, JobZoneChange, move_summary};
use super::{DataInfo, OccupationRef, occupation, profile, round, tables};
use crate::error::AppError;
use crate::params::PathRequest;

/// How paths are judged, echoed in every answer.
pub const OBJECTIVE: &str = "smallest largest single-step weighted gap first, then smallest total weighted gap over the steps, then fewer steps";

/// Shortages shown per step.
const TOP_SHORTAGES: usize = 3;

/// The rules a path followed.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct PathRules {
    /// Most steps asked for.
    pub max_steps: usize,
    /// Most paths asked for.
    pub paths: usize,
    /// Relatedness every step needs (standard deviations above an average pair).
    pub min_relatedness: f64,
    /// Most job zones one step may climb.
    pub max_job_zone_rise: u8,
    /// How paths are ranked.
    pub objective: &'static str,
}

/// One of a step's largest shortages.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct StepShortage {
    /// Element id.
    pub element_id: String,
    /// Descriptor name.
    pub name: String,
    /// `to_level − from_level`.
    pub gap: f64,
    /// `gap × to_importance`.
    pub weighted_gap: f64,
}

/// One move: a step of a path, or the direct move.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct MoveDto {
    /// Where the move starts.
    pub from: OccupationRef,
    /// Where it ends.
    pub to: OccupationRef,
    /// Relatedness of the two; `null` when either has no task statements.
    pub relatedness: Option<f64>,
    /// What the relatedness is made of.
    pub components: Option<ComponentsDto>,
    /// The job-zone change.
    pub job_zone: JobZoneChange,
    /// Skill-level similarity in [0, 1].
    pub similarity: Option<f64>,
    /// Shortages the move brings.
    pub shortages: usize,
    /// Their importance-weighted total gap.
    pub weighted_gap_total: f64,
    /// The largest shortages, largest weighted gap first.
    pub top_shortages: Vec<StepShortage>,
}

/// The direct move, and whether it is a feasible single step.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct DirectMove {
    /// The move's figures.
    #[serde(flatten)]
    pub figures: MoveDto,
    /// Whether it passes the step rules (relatedness and job zone).
    pub feasible: bool,
    /// Why not, when it does not.
    pub why_not: Option<String>,
}

/// One path.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct PathDto {
    /// The steps, in order.
    pub steps: Vec<MoveDto>,
    /// The largest single-step weighted gap (the objective's first key).
    pub largest_step_gap: f64,
    /// The total weighted gap over the steps.
    pub total_gap: f64,
}

/// Why no path was found.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct BlockedDto {
    /// The limit that blocked: `max_steps`, `job_zone` or `relatedness`.
    pub limit: &'static str,
    /// What it means and what would help.
    pub detail: String,
}

/// Answer of `GET /paths`.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct PathsBody {
    /// Where the person is.
    pub from: OccupationRef,
    /// Where they want to be.
    pub to: OccupationRef,
    /// The gap definition each step uses.
    pub definition: Definition,
    /// The step rules and the objective.
    pub rules: PathRules,
    /// The direct move, always, for comparison.
    pub direct: DirectMove,
    /// The best paths, best first; empty when none is within the limits.
    pub paths: Vec<PathDto>,
    /// Which limit kept every path out, when `paths` is empty.
    pub blocked: Option<BlockedDto>,
    /// Provenance and attribution.
    pub data: DataInfo,
}

struct Sides<'a> {
    catalog: &'a Catalog,
    tables: Vec<&'a DomainTable>,
    req: &'a PathRequest,
}

impl Sides<'_> {
    fn cells(&self, i: usize) -> Option<Vec<&[Cell]>> {
        self.tables
            .iter()
            .map(|t| {
                t.profiles(i)
                    .get(self.req.options.source)
                    .map(|p| &*p.cells)
            })
            .collect()
    }

    fn top_shortages(&self, a: usize, b: usize) -> Vec<StepShortage> {
        let (Some(from), Some(to)) = (self.cells(a), self.cells(b)) else {
            return Vec::new();
        };
        let parts = self
            .tables
            .iter()
            .zip(from.iter().zip(&to))
            .map(|(t, (f, c))| {
                let part = gap::compare(
                    t,
                    FromSide::Occupation(f),
                    c,
                    &self.req.options.params,
                    false,
                );
                (t.domain, part)
            });
        let element = |d: Domain, i: usize| -> &str {
            self.tables
                .iter()
                .find(|t| t.domain == d)
                .map(|t| t.descriptors[i].id.as_str())
                .unwrap_or("")
        };
        let report = gap::report(parts.collect::<Vec<_>>(), element);
        report
            .shortages
            .iter()
            .take(TOP_SHORTAGES)
            .map(|r| {
                let t = self.tables.iter().find(|t| t.domain == r.domain);
                let d = t.map(|t| &t.descriptors[r.descriptor]);
                StepShortage {
                    element_id: d.map(|d| d.id.to_string()).unwrap_or_default(),
                    name: d.map(|d| d.name.clone()).unwrap_or_default(),
                    gap: round(r.gap, 2),
                    weighted_gap: round(r.weighted, 4),
                }
            })
            .collect()
    }

    fn move_dto(&self, a: usize, b: usize, summary: GapSummary) -> MoveDto {
        let (ea, eb) = (&self.catalog.occupations[a], &self.catalog.occupations[b]);
        let pair = self
            .catalog
            .relatedness()
            .pair(ea.occupation.code, eb.occupation.code);
        MoveDto {
            from: OccupationRef::of(ea),
            to: OccupationRef::of(eb),
            relatedness: pair.map(|p| round(f64::from(p.score), 4)),
            components: pair.as_ref().map(ComponentsDto::of),
            job_zone: JobZoneChange::between(ea.job_zone, eb.job_zone),
            similarity: summary.similarity.value().map(|v| round(v, 4)),
            shortages: summary.shortages,
            weighted_gap_total: round(summary.weighted_gap(), 4),
            top_shortages: self.top_shortages(a, b),
        }
    }
}

fn blocked(b: Blocked, req: &PathRequest) -> BlockedDto {
    match b {
        Blocked::MaxSteps { needed } => BlockedDto {
            limit: "max_steps",
            detail: format!(
                "no path of at most {} step(s); the shortest takes {needed}: ask with max_steps={needed}",
                req.limits.max_steps
            ),
        },
        Blocked::JobZone => BlockedDto {
            limit: "job_zone",
            detail: format!(
                "every chain of related occupations within {} step(s) climbs more than {MAX_JOB_ZONE_RISE} job zone in one step (or the target is more zones up than the steps allow); more steps or more preparation would be needed",
                req.limits.max_steps.max(MAX_STEPS)
            ),
        },
        Blocked::Relatedness => BlockedDto {
            limit: "relatedness",
            detail: format!(
                "no chain of related occupations (each step with relatedness at least {STEP_MIN_RELATEDNESS}) joins them within {MAX_STEPS} steps"
            ),
        },
    }
}

/// `GET /paths`.
pub fn paths_body(catalog: &Catalog, req: &PathRequest) -> Result<PathsBody, AppError> {
    let (fi, from) = occupation(catalog, req.from)?;
    let (ti, to) = occupation(catalog, req.to)?;
    let options = &req.options;
    let tables = tables(catalog, options.domains)?;
    let mut sources = BTreeMap::new();
    let mut from_cells = Vec::with_capacity(tables.len());
    for t in &tables {
        let fp = profile(t, fi, from, options.source)?;
        let tp = profile(t, ti, to, options.source)?;
        sources.insert(format!("from.{}", t.domain), fp.source.to_string());
        sources.insert(format!("to.{}", t.domain), tp.source.to_string());
        from_cells.push(&*fp.cells);
    }
    let domains: Vec<Domain> = tables.iter().map(|t| t.domain).collect();
    let sides = Sides {
        catalog,
        tables,
        req,
    };
    let direct_summary = move_summary(&sides.tables, &from_cells, ti, options).unwrap_or_default();
    let feasible = catalog.steps().is_step(fi, ti);
    let why_not = (!feasible).then(|| {
        let pair = catalog.relatedness().pair(req.from, req.to);
        if !paths::job_zone_allows(from.job_zone, to.job_zone) {
            format!(
                "the target is {} job zones up; one step climbs at most {MAX_JOB_ZONE_RISE}",
                to.job_zone.unwrap_or(0) - from.job_zone.unwrap_or(0)
            )
        } else {
            match pair {
                Some(p) => format!(
                    "relatedness {:.2} is below the {STEP_MIN_RELATEDNESS} a step needs",
                    p.score
                ),
                None => "relatedness is unknown (one of them has no task statements)".to_string(),
            }
        }
    });
    let found = paths::paths(
        catalog,
        catalog.steps(),
        fi,
        ti,
        &domains,
        options.source,
        &options.params,
        req.limits,
    );
    let (paths, blocked) = match found {
        Ok(paths) => (
            paths
                .iter()
                .map(|p| PathDto {
                    steps: p
                        .steps
                        .iter()
                        .map(|s| sides.move_dto(s.from, s.to, s.summary))
                        .collect(),
                    largest_step_gap: round(p.largest_gap(), 4),
                    total_gap: round(p.total_gap(), 4),
                })
                .collect(),
            None,
        ),
        Err(b) => (Vec::new(), Some(blocked(b, req))),
    };
    Ok(PathsBody {
        from: OccupationRef::of(from),
        to: OccupationRef::of(to),
        definition: definition(&sides.tables, options),
        rules: PathRules {
            max_steps: req.limits.max_steps,
            paths: req.limits.paths,
            min_relatedness: f64::from(STEP_MIN_RELATEDNESS),
            max_job_zone_rise: MAX_JOB_ZONE_RISE,
            objective: OBJECTIVE,
        },
        direct: DirectMove {
            figures: sides.move_dto(fi, ti, direct_summary),
            feasible,
            why_not,
        },
        paths,
        blocked,
        data: DataInfo::new(catalog, sources),
    })
}
