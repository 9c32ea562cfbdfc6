//! `GET /paths`: stepping-stone paths between two occupations, each step with its gap, and the
//! direct move beside them for comparison. The search and the pay orders are the core's
//! ([`skillgap_core::paths`]).

use std::collections::BTreeMap;

use serde::Serialize;
use skillgap_core::gap::{self, FromSide, GapSummary};
use skillgap_core::labor::Wage;
use skillgap_core::paths::{
    self, Blocked, MAX_STEPS, OBJECTIVE, PathWage, order_paths, wage_stops,
};
use skillgap_core::pay::MoveWage;
use skillgap_core::steps::{MAX_JOB_ZONE_RISE, STEP_MIN_RELATEDNESS, job_zone_allows};
use skillgap_core::transitions::move_summary;
use skillgap_core::{Catalog, Cell, Domain, DomainTable};
use utoipa::ToSchema;

use super::definition::{Definition, definition};
use super::labor::{
    GapFacts, LaborFactsDto, LaborLookup, MoveWageDto, WageChangeDto, require_wages,
};
use super::moves::{ComponentsDto, JobZoneChange};
use super::prepared::Prepared;
use super::{DataInfo, OccupationRef, occupation, profile, round, tables};
use crate::error::AppError;
use crate::params::Choice;
use crate::params::PathRequest;
use crate::snapshot::Snapshot;

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
    /// What stands in the way of the move, each with its source.
    #[schema(value_type = Object)]
    pub barriers: skillgap_core::barriers::Barriers,
    /// The effort of the move and its parts (skills gap + 1.0 × knowledge gap + 40 × school
    /// years up).
    pub effort: super::barriers::EffortDto,
    /// Programmes preparing for the step's target and not its start; absent when none are
    /// loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub programmes: Option<Vec<super::programmes::ProgrammeDto>>,
    /// The target's median wage and the change from the start's; absent when no BLS data is
    /// loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wage: Option<MoveWageDto>,
    /// The target's wages, employment, outlook and education; absent when no BLS data is loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<LaborFactsDto>)]
    pub labor: Option<Prepared<LaborFactsDto>>,
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
    /// Pay along the path; absent when no BLS data is loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wage: Option<PathWageDto>,
}

/// Pay along one path, against today's (the source's) median wage.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct PathWageDto {
    /// The lowest median wage of the occupations the path reaches, over today's; null when any
    /// of them (or today's) is unknown.
    pub lowest_ratio: Option<f64>,
    /// Where that lowest wage is.
    pub lowest_at: Option<String>,
    /// The change from today's median to the target's.
    pub change: Option<WageChangeDto>,
    /// Total weighted gap per $1,000 of median wage gained at the end; only when the target
    /// pays more.
    pub weighted_gap_per_1000_dollars: Option<f64>,
}

/// Why no path was found.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct BlockedDto {
    /// The limit that blocked: `max_steps`, `job_zone`, `relatedness`, `min_wage_ratio`, or
    /// `sort` (effort per dollar when the target pays no more).
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
    /// Wages, outlook and education of both ends and the change between them; absent when no BLS
    /// data is loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labor: Option<GapFacts>,
    /// The gap definition each step uses.
    pub definition: Definition,
    /// The step rules and the objective.
    pub rules: PathRules,
    /// The order asked for (`sort`): `gap` (default), `wage_gain` or `effort_per_dollar`.
    pub sort: &'static str,
    /// How that order ranks.
    pub order: &'static str,
    /// The least share of today's median wage every occupation on a path must pay, when asked.
    pub min_wage_ratio: Option<f64>,
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
    snapshot: &'a Snapshot,
    catalog: &'a Catalog,
    labor: LaborLookup<'a>,
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
                    &self.req.options.params(),
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

    fn median(&self, i: usize) -> Option<Wage> {
        self.snapshot.median_wage_at(i)
    }

    fn move_dto(&self, a: usize, b: usize, summary: GapSummary) -> MoveDto {
        let (ea, eb) = (&self.catalog.occupations[a], &self.catalog.occupations[b]);
        let wage = self.median(a).and_then(|from| {
            let w = MoveWage::new(from, self.median(b)?, summary.weighted_gap());
            Some(MoveWageDto::of(&w, from))
        });
        let pair = self
            .snapshot
            .moves()
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
            barriers: super::barriers::move_barriers(self.snapshot, a, b),
            programmes: super::programmes::move_programmes(self.snapshot, a, b),
            effort: super::barriers::EffortDto::of(&super::barriers::effort(
                self.snapshot,
                a,
                b,
                summary.weighted_gap(),
                &self.req.options.params(),
            )),
            wage,
            labor: self.labor.of(eb.occupation.code),
        }
    }
}

/// Pay along a path as answers give it.
fn path_wage_dto(w: &PathWage, catalog: &Catalog) -> PathWageDto {
    PathWageDto {
        lowest_ratio: w.lowest.map(|(r, _)| round(r, 4)),
        lowest_at: w
            .lowest
            .map(|(_, i)| catalog.occupations[i].occupation.code.to_string()),
        change: w.change.map(WageChangeDto::of),
        weighted_gap_per_1000_dollars: w.gap_per_1000.map(|g| round(g, 6)),
    }
}

fn blocked(b: Blocked, req: &PathRequest, today: Option<Wage>) -> BlockedDto {
    match b {
        Blocked::Stops => BlockedDto {
            limit: "min_wage_ratio",
            detail: match today.map(|w| (w, w.unavailable())) {
                Some((_, Some(reason))) => format!(
                    "paths exist within the limits, but today's wage is {} so no wage ratio can be checked",
                    reason.reason()
                ),
                Some((w, None)) => format!(
                    "paths exist within the limits, but each passes through or ends at an occupation paying less than {} of today's median wage ({}) or with no published wage; lower min_wage_ratio",
                    req.pay.floor().unwrap_or_default(),
                    w.lower_bound()
                        .map_or_else(String::new, |a| format!("${a:.0}"))
                ),
                None => "paths exist within the limits, but today's wage is unknown".into(),
            },
        },
        Blocked::MaxSteps { needed } => BlockedDto {
            limit: "max_steps",
            detail: format!(
                "no path of at most {} step(s); the shortest takes {needed}: ask with max_steps={needed}",
                req.max_steps.count()
            ),
        },
        Blocked::JobZone => BlockedDto {
            limit: "job_zone",
            detail: format!(
                "every chain of related occupations within {} step(s) climbs more than {MAX_JOB_ZONE_RISE} job zone in one step (or the target is more zones up than the steps allow); more steps or more preparation would be needed",
                req.max_steps.count().max(MAX_STEPS)
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
pub fn paths_body(s: &Snapshot, req: &PathRequest) -> Result<PathsBody, AppError> {
    let catalog = s.catalog();
    let (fi, from) = occupation(catalog, req.from)?;
    let (ti, to) = occupation(catalog, req.to)?;
    let options = &req.options;
    let params = options.params();
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
    require_wages(s.facts(), &req.pay)?;
    let domains: Vec<Domain> = tables.iter().map(|t| t.domain).collect();
    let sides = Sides {
        snapshot: s,
        catalog,
        labor: s.labor(),
        tables,
        req,
    };
    let today = sides.median(fi);
    let direct_summary =
        move_summary(&sides.tables, &from_cells, ti, options.source, &params).unwrap_or_default();
    let moves = s.moves();
    let feasible = moves.steps().is_step(fi, ti);
    let why_not = (!feasible).then(|| {
        let pair = moves.relatedness().pair(req.from, req.to);
        if !job_zone_allows(from.job_zone, to.job_zone) {
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
    // A wage floor limits where a path may go: every occupation reached must pay at least that
    // share of today's wage (an unknown wage fails it).
    let stops: Option<Vec<bool>> = req
        .pay
        .floor()
        .map(|min| wage_stops(catalog.occupations.len(), today, min, |i| sides.median(i)));
    let found = paths::paths(
        catalog,
        moves,
        fi,
        ti,
        &domains,
        options.source,
        &params,
        req.pay.sort.search_limits(req.limits()),
        stops.as_deref(),
    );
    let (paths, blocked) = match found {
        Ok(found) => {
            let mut ranked: Vec<(&paths::Path, Option<PathWage>)> = found
                .iter()
                .map(|p| (p, today.map(|w| PathWage::of(p, w, |i| sides.median(i)))))
                .collect();
            let blocked = order_paths(&mut ranked, req.pay.sort, req.paths.count()).then(|| {
                BlockedDto {
                    limit: "sort",
                    detail: "sort=effort_per_dollar keeps only paths to a target that pays more than today, and this target does not (or a wage is unknown); use sort=gap or sort=wage_gain".into(),
                }
            });
            let paths = ranked
                .iter()
                .map(|(p, wage)| PathDto {
                    steps: p
                        .steps
                        .iter()
                        .map(|s| sides.move_dto(s.from, s.to, s.summary))
                        .collect(),
                    largest_step_gap: round(p.largest_gap(), 4),
                    total_gap: round(p.total_gap(), 4),
                    wage: wage.map(|w| path_wage_dto(&w, catalog)),
                })
                .collect();
            (paths, blocked)
        }
        Err(b) => (Vec::new(), Some(blocked(b, req, today))),
    };
    Ok(PathsBody {
        from: OccupationRef::of(from),
        to: OccupationRef::of(to),
        labor: GapFacts::of(&sides.labor, req.from, req.to),
        definition: definition(&sides.tables, options),
        rules: PathRules {
            max_steps: req.max_steps.count(),
            paths: req.paths.count(),
            min_relatedness: f64::from(STEP_MIN_RELATEDNESS),
            max_job_zone_rise: MAX_JOB_ZONE_RISE,
            objective: OBJECTIVE,
        },
        sort: req.pay.sort.word(),
        order: req.pay.sort.rule(),
        min_wage_ratio: req.pay.floor(),
        direct: DirectMove {
            figures: sides.move_dto(fi, ti, direct_summary),
            feasible,
            why_not,
        },
        paths,
        blocked,
        data: DataInfo::new(catalog, sources).with_bls(s.facts(), today.is_some()),
    })
}
