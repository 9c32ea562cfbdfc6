//! Turning each file's rows into validated domain values, collecting a [`Rejection`] per bad row.

use std::collections::{HashMap, HashSet};

use skillgap_core::{
    AlternateTitle, Descriptor, Domain, ElementId, JobZone, LevelAnchor, Occupation, Rating,
    ReportedTitle, Scale, ScaleId, SocCode, Source, Task,
};

use super::cell::{Col, Cx, cols};

mod facts;
use super::error::{Rejection, ReleaseError, SHOWN_REJECTIONS, quoted};
use super::table::Table;

/// The validator's state: reference tables read so far, and every rejection.
#[derive(Default)]
pub(crate) struct Parser {
    pub rejections: Vec<Rejection>,
    /// Every rejection counted, including those not kept.
    pub total_rejections: usize,
    /// Keep only the first [`SHOWN_REJECTIONS`] (a strict read lists no more, and a hostile file
    /// of a million bad rows would otherwise hold a million messages in memory).
    pub keep_shown_only: bool,
    scales: HashMap<String, usize>,
    scale_list: Vec<Scale>,
    descriptors: HashMap<String, usize>,
    descriptor_list: Vec<Descriptor>,
    occupations: HashSet<SocCode>,
    /// (element, scale, category) of `Education, Training, and Experience Categories.txt`.
    education_categories: Option<HashSet<(usize, usize, u16)>>,
}

impl Parser {
    /// A parser that already knows the reference tables (for checking rows that do not come
    /// with their release, such as rows fetched from the web API).
    pub fn with_reference(
        scales: &[Scale],
        descriptors: &[Descriptor],
        occupations: impl IntoIterator<Item = SocCode>,
    ) -> Self {
        let mut p = Parser::default();
        for s in scales {
            p.scales
                .insert(s.id.as_str().to_owned(), p.scale_list.len());
            p.scale_list.push(s.clone());
        }
        for d in descriptors {
            p.descriptors
                .insert(d.id.as_str().to_owned(), p.descriptor_list.len());
            p.descriptor_list.push(d.clone());
        }
        p.occupations.extend(occupations);
        p
    }

    fn record(&mut self, r: Rejection) {
        self.total_rejections += 1;
        if !self.keep_shown_only || self.rejections.len() < SHOWN_REJECTIONS {
            self.rejections.push(r);
        }
    }

    /// Runs `f` on every row, keeping the values it accepts and recording what it rejects.
    fn each<'a, T>(
        &mut self,
        t: &Table<'a>,
        mut f: impl FnMut(&mut Self, &Cx<'_, 'a>) -> Result<T, Rejection>,
    ) -> Vec<(usize, T)> {
        let mut out = Vec::with_capacity(t.len_hint());
        for row in t.rows() {
            match row {
                Ok(row) => {
                    let cx = Cx {
                        file: t.file,
                        row: &row,
                    };
                    match f(self, &cx) {
                        Ok(v) => out.push((row.line, v)),
                        Err(r) => self.record(r),
                    }
                }
                Err(r) => self.record(r),
            }
        }
        out
    }

    pub fn scales(&mut self, t: &Table) -> Result<Vec<Scale>, ReleaseError> {
        let [id, name, min, max] = cols(t, ["Scale ID", "Scale Name", "Minimum", "Maximum"])?;
        let rows = self.each(t, |p, cx| {
            let sid = cx.scale_id(id)?;
            if p.scales.contains_key(sid.as_str()) {
                return Err(cx.reject(id, format!("duplicate scale id `{sid}`")));
            }
            let (lo, hi) = (cx.number(min)?, cx.number(max)?);
            if lo >= hi {
                return Err(cx.reject(
                    max,
                    format!("expected a maximum above the minimum {lo}, found {hi}"),
                ));
            }
            let scale = Scale {
                id: sid,
                name: cx.text(name)?.to_owned(),
                minimum: lo,
                maximum: hi,
            };
            p.scales
                .insert(scale.id.as_str().to_owned(), p.scale_list.len());
            p.scale_list.push(scale.clone());
            Ok(scale)
        });
        Ok(rows.into_iter().map(|(_, s)| s).collect())
    }

    pub fn descriptors(&mut self, t: &Table) -> Result<Vec<Descriptor>, ReleaseError> {
        let [id, name, desc] = cols(t, ["Element ID", "Element Name", "Description"])?;
        let rows = self.each(t, |p, cx| {
            let eid = cx.element(id)?;
            if p.descriptors.contains_key(eid.as_str()) {
                return Err(cx.reject(id, format!("duplicate element id `{eid}`")));
            }
            let d = Descriptor {
                domain: Domain::of(&eid),
                name: cx.text(name)?.to_owned(),
                description: cx.opt_text(desc).unwrap_or_default(),
                id: eid,
            };
            p.descriptors
                .insert(d.id.as_str().to_owned(), p.descriptor_list.len());
            p.descriptor_list.push(d.clone());
            Ok(d)
        });
        Ok(rows.into_iter().map(|(_, d)| d).collect())
    }

    pub fn occupations(&mut self, t: &Table) -> Result<Vec<Occupation>, ReleaseError> {
        let [code, title, desc] = cols(t, ["O*NET-SOC Code", "Title", "Description"])?;
        let rows = self.each(t, |p, cx| {
            let c = cx.code(code)?;
            if !p.occupations.insert(c) {
                return Err(cx.reject(code, format!("duplicate occupation `{c}`")));
            }
            Ok(Occupation {
                code: c,
                title: cx.text(title)?.to_owned(),
                description: cx.opt_text(desc).unwrap_or_default(),
            })
        });
        // An occupation rejected for a bad title must not stay known to the files that follow.
        let accepted: HashSet<SocCode> = rows.iter().map(|(_, o)| o.code).collect();
        self.occupations = accepted;
        Ok(rows.into_iter().map(|(_, o)| o).collect())
    }

    fn known_occupation(&self, cx: &Cx, col: Col) -> Result<SocCode, Rejection> {
        let c = cx.code(col)?;
        if self.occupations.contains(&c) {
            Ok(c)
        } else {
            Err(cx.reject(
                col,
                format!("unknown occupation `{c}`: it is not in Occupation Data.txt"),
            ))
        }
    }

    fn known_descriptor(&self, cx: &Cx, col: Col) -> Result<(usize, ElementId), Rejection> {
        let e = cx.element(col)?;
        match self.descriptors.get(e.as_str()) {
            Some(i) => Ok((*i, e)),
            None => Err(cx.reject(
                col,
                format!("unknown element `{e}`: it is not in Content Model Reference.txt"),
            )),
        }
    }

    fn known_scale(&self, cx: &Cx, col: Col) -> Result<(usize, &Scale), Rejection> {
        let s = cx.raw(col);
        match self.scales.get(s) {
            Some(i) => Ok((*i, &self.scale_list[*i])),
            None => Err(cx.reject(
                col,
                format!(
                    "unknown scale `{}`: it is not in Scales Reference.txt",
                    quoted(s)
                ),
            )),
        }
    }

    fn value_on(cx: &Cx, col: Col, scale: &Scale) -> Result<f64, Rejection> {
        let v = cx.number(col)?;
        if scale.contains(v) {
            Ok(v)
        } else {
            Err(cx.reject(
                col,
                format!(
                    "expected a value from {} to {} (scale {} {}), found {}",
                    scale.minimum,
                    scale.maximum,
                    scale.id,
                    quoted(&scale.name),
                    quoted(cx.raw(col))
                ),
            ))
        }
    }

    /// Ratings of one domain. Besides each row's checks, every rated occupation must have both
    /// IM and LV for every descriptor the file rates; in lenient mode an incomplete occupation's
    /// rows are all dropped (and reported), because a partial profile cannot be compared.
    pub fn ratings(
        &mut self,
        domain: Domain,
        t: &Table,
        lenient: bool,
    ) -> Result<Vec<Rating>, ReleaseError> {
        let [
            code,
            elem,
            name,
            scale,
            value,
            n,
            se,
            lo,
            hi,
            suppress,
            not_rel,
            date,
            dsrc,
        ] = cols(
            t,
            [
                "O*NET-SOC Code",
                "Element ID",
                "Element Name",
                "Scale ID",
                "Data Value",
                "N",
                "Standard Error",
                "Lower CI Bound",
                "Upper CI Bound",
                "Recommend Suppress",
                "Not Relevant",
                "Date",
                "Domain Source",
            ],
        )?;
        let file = t.file;
        let mut seen: HashMap<(SocCode, usize, usize), usize> = HashMap::new();
        let rows = self.each(t, |p, cx| {
            let c = p.known_occupation(cx, code)?;
            let (di, e) = p.known_descriptor(cx, elem)?;
            let d = &p.descriptor_list[di];
            if d.domain != Some(domain) {
                return Err(cx.reject(
                    elem,
                    format!(
                        "element `{e}` ({}) is not a {domain} descriptor; {} holds elements under {}",
                        quoted(&d.name),
                        file,
                        domain.branches().join(" or ")
                    ),
                ));
            }
            let found_name = cx.raw(name);
            if found_name != d.name {
                return Err(cx.reject(
                    name,
                    format!("expected `{}` (the name of {e} in Content Model Reference.txt), found `{}`", quoted(&d.name), quoted(found_name)),
                ));
            }
            let (si, sc) = p.known_scale(cx, scale)?;
            if !(sc.id.is_importance() || sc.id.is_level()) {
                return Err(cx.reject(
                    scale,
                    format!("expected IM or LV in a ratings file, found `{}` ({})", sc.id, quoted(&sc.name)),
                ));
            }
            let v = Self::value_on(cx, value, sc)?;
            let sid = sc.id.clone();
            let is_importance = sid.is_importance();
            let key = (c, di, si);
            if let Some(first) = seen.get(&key) {
                return Err(cx.reject(
                    scale,
                    format!("duplicate rating: {c} {e} {sid} already appears on line {first}"),
                ));
            }
            let rating = Rating {
                occupation: c,
                element: e,
                scale: sid,
                value: v,
                n: cx.opt_count(n)?,
                standard_error: cx.opt_number(se)?,
                lower_ci: cx.opt_number(lo)?,
                upper_ci: cx.opt_number(hi)?,
                recommend_suppress: cx.opt_flag(suppress)?,
                not_relevant: match cx.opt_flag(not_rel)? {
                    Some(_) if is_importance => {
                        return Err(cx.reject(not_rel, "expected `n/a`: Not Relevant applies to level (LV) rows only"));
                    }
                    flag => flag,
                },
                date: cx.opt_date(date)?,
                domain_source: cx.opt_text(dsrc),
                source: Source::OnetRelease,
            };
            seen.insert(key, cx.row.line);
            Ok(rating)
        });
        Ok(self.require_complete(domain, file, rows, lenient))
    }

    fn require_complete(
        &mut self,
        domain: Domain,
        file: &'static str,
        rows: Vec<(usize, Rating)>,
        lenient: bool,
    ) -> Vec<Rating> {
        // The domain's descriptors are the content model's leaves under its branches (35 skills,
        // 33 knowledge areas in 29.0), not whatever the file happens to contain.
        let leaves = self.leaves(domain);
        let mut elements: Vec<ElementId> = if leaves.is_empty() {
            rows.iter().map(|(_, r)| r.element.clone()).collect()
        } else {
            leaves
        };
        elements.sort();
        elements.dedup();
        let rated: HashSet<&ElementId> = rows.iter().map(|(_, r)| &r.element).collect();
        let unrated: Vec<&ElementId> = if rows.is_empty() {
            Vec::new()
        } else {
            elements.iter().filter(|e| !rated.contains(e)).collect()
        };
        for e in &unrated {
            let name = quoted(self.descriptor_name(e)).into_owned();
            self.record(Rejection {
                file,
                line: 1,
                column: Some("Element ID"),
                reason: format!(
                    "no occupation has a rating for {e} ({name}), a {domain} descriptor of Content Model Reference.txt; every rated occupation needs IM and LV for all {} of them",
                    elements.len()
                ),
            });
        }
        let mut present: HashSet<(SocCode, &ElementId, bool)> = HashSet::with_capacity(rows.len());
        let mut first_line: Vec<(SocCode, usize)> = Vec::new();
        let mut occupations: HashSet<SocCode> = HashSet::new();
        for (line, r) in &rows {
            if r.scale.is_importance() || r.scale.is_level() {
                present.insert((r.occupation, &r.element, r.scale.is_importance()));
            }
            if occupations.insert(r.occupation) {
                first_line.push((r.occupation, *line));
            }
        }
        let mut incomplete: HashSet<SocCode> = HashSet::new();
        for (occ, line) in &first_line {
            if !unrated.is_empty() {
                incomplete.insert(*occ);
            }
            for e in elements.iter().filter(|e| rated.contains(e)) {
                for (im, scale) in [(true, ScaleId::IMPORTANCE), (false, ScaleId::LEVEL)] {
                    if !present.contains(&(*occ, e, im)) {
                        incomplete.insert(*occ);
                        let name = quoted(self.descriptor_name(e));
                        self.record(Rejection {
                            file,
                            line: *line,
                            column: Some("Scale ID"),
                            reason: format!(
                                "occupation {occ} has no {scale} rating for {e} ({name}); every rated occupation needs IM and LV for all {} {domain} descriptors",
                                elements.len()
                            ),
                        });
                    }
                }
            }
        }
        drop(present);
        if !lenient || incomplete.is_empty() {
            return rows.into_iter().map(|(_, r)| r).collect();
        }
        let mut kept = Vec::with_capacity(rows.len());
        for (line, r) in rows {
            if incomplete.contains(&r.occupation) {
                self.record(Rejection {
                    file,
                    line,
                    column: None,
                    reason: format!(
                        "dropped: occupation {} is incomplete in {file}",
                        r.occupation
                    ),
                });
            } else {
                kept.push(r);
            }
        }
        kept
    }

    fn descriptor_name(&self, e: &ElementId) -> &str {
        self.descriptors
            .get(e.as_str())
            .map(|i| self.descriptor_list[*i].name.as_str())
            .unwrap_or("")
    }

    /// The content model's leaf elements under the domain's branches.
    fn leaves(&self, domain: Domain) -> Vec<ElementId> {
        let under: Vec<&ElementId> = self
            .descriptor_list
            .iter()
            .map(|d| &d.id)
            .filter(|id| domain.branches().iter().any(|b| id.is_under(b)))
            .collect();
        under
            .iter()
            .filter(|id| {
                !under.iter().any(|other| {
                    other.as_str().len() > id.as_str().len() && other.is_under(id.as_str())
                })
            })
            .map(|id| (*id).clone())
            .collect()
    }

    pub fn level_anchors(&mut self, t: &Table) -> Result<Vec<LevelAnchor>, ReleaseError> {
        let [elem, scale, value, desc] = cols(
            t,
            [
                "Element ID",
                "Scale ID",
                "Anchor Value",
                "Anchor Description",
            ],
        )?;
        let mut seen: HashMap<(usize, usize, u64), usize> = HashMap::new();
        let rows = self.each(t, |p, cx| {
            let (di, e) = p.known_descriptor(cx, elem)?;
            let (si, sc) = p.known_scale(cx, scale)?;
            let v = Self::value_on(cx, value, sc)?;
            let key = (di, si, v.to_bits());
            if let Some(first) = seen.get(&key) {
                return Err(cx.reject(
                    value,
                    format!(
                        "duplicate anchor {e} {} {v}: already on line {first}",
                        sc.id
                    ),
                ));
            }
            seen.insert(key, cx.row.line);
            Ok(LevelAnchor {
                element: e,
                scale: sc.id.clone(),
                value: v,
                description: cx.text(desc)?.to_owned(),
            })
        });
        Ok(rows.into_iter().map(|(_, a)| a).collect())
    }

    pub fn alternate_titles(&mut self, t: &Table) -> Result<Vec<AlternateTitle>, ReleaseError> {
        let [code, title, short, sources] = cols(
            t,
            [
                "O*NET-SOC Code",
                "Alternate Title",
                "Short Title",
                "Source(s)",
            ],
        )?;
        let rows = self.each(t, |p, cx| {
            Ok(AlternateTitle {
                occupation: p.known_occupation(cx, code)?,
                title: cx.text(title)?.to_owned(),
                short_title: cx.opt_text(short),
                sources: cx.opt_text(sources),
            })
        });
        Ok(rows.into_iter().map(|(_, a)| a).collect())
    }

    pub fn reported_titles(&mut self, t: &Table) -> Result<Vec<ReportedTitle>, ReleaseError> {
        let [code, title, shown] = cols(
            t,
            [
                "O*NET-SOC Code",
                "Reported Job Title",
                "Shown in My Next Move",
            ],
        )?;
        let rows = self.each(t, |p, cx| {
            Ok(ReportedTitle {
                occupation: p.known_occupation(cx, code)?,
                title: cx.text(title)?.to_owned(),
                shown_in_my_next_move: cx.opt_text(shown).map(|s| s == "Y"),
            })
        });
        Ok(rows.into_iter().map(|(_, a)| a).collect())
    }

    pub fn tasks(&mut self, t: &Table) -> Result<Vec<Task>, ReleaseError> {
        let [code, id, task, kind, incumbents, date, dsrc] = cols(
            t,
            [
                "O*NET-SOC Code",
                "Task ID",
                "Task",
                "Task Type",
                "Incumbents Responding",
                "Date",
                "Domain Source",
            ],
        )?;
        let mut seen: HashMap<u32, usize> = HashMap::new();
        let rows = self.each(t, |p, cx| {
            let occupation = p.known_occupation(cx, code)?;
            let tid = cx
                .opt_count(id)?
                .ok_or_else(|| cx.reject(id, "expected a task id, found `n/a`"))?;
            if let Some(first) = seen.get(&tid) {
                return Err(cx.reject(
                    id,
                    format!("duplicate task id {tid}: already on line {first}"),
                ));
            }
            let task = Task {
                occupation,
                id: tid,
                text: cx.text(task)?.to_owned(),
                task_type: cx.opt_text(kind),
                incumbents_responding: cx.opt_count(incumbents)?,
                date: cx.opt_date(date)?,
                domain_source: cx.opt_text(dsrc),
            };
            seen.insert(tid, cx.row.line);
            Ok(task)
        });
        Ok(rows.into_iter().map(|(_, t)| t).collect())
    }

    pub fn job_zones(&mut self, t: &Table) -> Result<Vec<JobZone>, ReleaseError> {
        let [code, zone, date, dsrc] =
            cols(t, ["O*NET-SOC Code", "Job Zone", "Date", "Domain Source"])?;
        let mut seen: HashMap<SocCode, usize> = HashMap::new();
        let rows = self.each(t, |p, cx| {
            let occupation = p.known_occupation(cx, code)?;
            let z = match cx.raw(zone).parse::<u8>() {
                Ok(z @ 1..=5) => z,
                _ => {
                    return Err(cx.reject(
                        zone,
                        format!(
                            "expected a job zone from 1 to 5, found `{}`",
                            quoted(cx.raw(zone))
                        ),
                    ));
                }
            };
            if let Some(first) = seen.get(&occupation) {
                return Err(cx.reject(
                    code,
                    format!("duplicate job zone for {occupation}: already on line {first}"),
                ));
            }
            seen.insert(occupation, cx.row.line);
            Ok(JobZone {
                occupation,
                zone: z,
                date: cx.opt_date(date)?,
                domain_source: cx.opt_text(dsrc),
            })
        });
        Ok(rows.into_iter().map(|(_, z)| z).collect())
    }
}
