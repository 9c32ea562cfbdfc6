//! The files that describe occupations beyond ratings: technology examples and education,
//! training and experience, each validated like the ratings files.

use std::collections::HashMap;

use skillgap_core::{EducationCategory, EducationRating, ElementId, SocCode, TechnologySkill};

use super::super::cell::{Col, Cx, cols, missing};
use super::super::error::{Rejection, ReleaseError};
use super::super::table::Table;
use super::Parser;

impl Parser {
    /// The element's name must be the content model's, as in the ratings files.
    fn descriptor_named(
        &self,
        cx: &Cx,
        elem: Col,
        name: Col,
    ) -> Result<(usize, ElementId), Rejection> {
        let (di, e) = self.known_descriptor(cx, elem)?;
        let expected = &self.descriptor_list[di].name;
        let found = cx.raw(name);
        if found != expected {
            return Err(cx.reject(
                name,
                format!("expected `{expected}` (the name of {e} in Content Model Reference.txt), found `{found}`"),
            ));
        }
        Ok((di, e))
    }

    pub fn technology_skills(&mut self, t: &Table) -> Result<Vec<TechnologySkill>, ReleaseError> {
        let [code, example, commodity, title, hot, demand] = cols(
            t,
            [
                "O*NET-SOC Code",
                "Example",
                "Commodity Code",
                "Commodity Title",
                "Hot Technology",
                "In Demand",
            ],
        )?;
        let mut seen: HashMap<(SocCode, String), usize> = HashMap::new();
        let rows = self.each(t, |p, cx| {
            let occupation = p.known_occupation(cx, code)?;
            let example_text = cx.text(example)?;
            let commodity_code = match cx.raw(commodity).parse::<u32>() {
                Ok(c) if cx.raw(commodity).len() == 8 => c,
                _ => {
                    return Err(cx.reject(
                        commodity,
                        format!("expected an 8-digit UNSPSC commodity code, found `{}`", cx.raw(commodity)),
                    ));
                }
            };
            let key = (occupation, example_text.to_owned());
            if let Some(first) = seen.get(&key) {
                return Err(cx.reject(
                    example,
                    format!("duplicate technology `{example_text}` for {occupation}: already on line {first}"),
                ));
            }
            let skill = TechnologySkill {
                occupation,
                example: example_text.to_owned(),
                commodity_code,
                commodity_title: cx.text(title)?.to_owned(),
                hot: cx.flag(hot)?,
                in_demand: cx.flag(demand)?,
            };
            seen.insert(key, cx.row.line);
            Ok(skill)
        });
        Ok(rows.into_iter().map(|(_, s)| s).collect())
    }

    pub fn education_categories(
        &mut self,
        t: &Table,
    ) -> Result<Vec<EducationCategory>, ReleaseError> {
        let [elem, name, scale, category, desc] = cols(
            t,
            [
                "Element ID",
                "Element Name",
                "Scale ID",
                "Category",
                "Category Description",
            ],
        )?;
        let mut seen: HashMap<(usize, usize, u16), usize> = HashMap::new();
        let rows = self.each(t, |p, cx| {
            let (di, e) = p.descriptor_named(cx, elem, name)?;
            let (si, sc) = p.known_scale(cx, scale)?;
            let sid = sc.id.clone();
            let c = category_number(cx, category)?;
            if let Some(first) = seen.get(&(di, si, c)) {
                return Err(cx.reject(
                    category,
                    format!("duplicate category {e} {sid} {c}: already on line {first}"),
                ));
            }
            seen.insert((di, si, c), cx.row.line);
            Ok(EducationCategory {
                element: e,
                scale: sid,
                category: c,
                description: cx.text(desc)?.to_owned(),
            })
        });
        self.education_categories = Some(seen.into_keys().collect());
        Ok(rows.into_iter().map(|(_, c)| c).collect())
    }

    /// Percentages per category (and importance rows without a category). A category must be in
    /// the categories file, which must therefore come with the release.
    pub fn education(&mut self, t: &Table) -> Result<Vec<EducationRating>, ReleaseError> {
        let [
            code,
            elem,
            name,
            scale,
            category,
            value,
            n,
            se,
            lo,
            hi,
            suppress,
            date,
            dsrc,
        ] = cols(
            t,
            [
                "O*NET-SOC Code",
                "Element ID",
                "Element Name",
                "Scale ID",
                "Category",
                "Data Value",
                "N",
                "Standard Error",
                "Lower CI Bound",
                "Upper CI Bound",
                "Recommend Suppress",
                "Date",
                "Domain Source",
            ],
        )?;
        let Some(categories) = self.education_categories.take() else {
            return Err(ReleaseError::MissingFile {
                file: "Education, Training, and Experience Categories.txt",
                location: format!("the release (`{}` refers to its categories)", t.file),
                found_as: None,
            });
        };
        let mut seen: HashMap<(SocCode, usize, usize, Option<u16>), usize> = HashMap::new();
        let rows = self.each(t, |p, cx| {
            let occupation = p.known_occupation(cx, code)?;
            let (di, e) = p.descriptor_named(cx, elem, name)?;
            let (si, sc) = p.known_scale(cx, scale)?;
            let sid = sc.id.clone();
            let v = Self::value_on(cx, value, sc)?;
            let c = if missing(cx.raw(category)) {
                None
            } else {
                let c = category_number(cx, category)?;
                if !categories.contains(&(di, si, c)) {
                    return Err(cx.reject(
                        category,
                        format!("unknown category {c} of {e} {sid}: it is not in Education, Training, and Experience Categories.txt"),
                    ));
                }
                Some(c)
            };
            let key = (occupation, di, si, c);
            if let Some(first) = seen.get(&key) {
                return Err(cx.reject(
                    scale,
                    format!("duplicate row: {occupation} {e} {sid} category {} already appears on line {first}", c.map_or("n/a".to_string(), |c| c.to_string())),
                ));
            }
            let rating = EducationRating {
                occupation,
                element: e,
                scale: sid,
                category: c,
                value: v,
                n: cx.opt_count(n)?,
                standard_error: cx.opt_number(se)?,
                lower_ci: cx.opt_number(lo)?,
                upper_ci: cx.opt_number(hi)?,
                recommend_suppress: cx.opt_flag(suppress)?,
                date: cx.opt_date(date)?,
                domain_source: cx.opt_text(dsrc),
            };
            seen.insert(key, cx.row.line);
            Ok(rating)
        });
        self.education_categories = Some(categories);
        Ok(rows.into_iter().map(|(_, r)| r).collect())
    }
}

fn category_number(cx: &Cx, col: Col) -> Result<u16, Rejection> {
    let s = cx.raw(col);
    match s.parse::<u16>() {
        Ok(c) if c >= 1 => Ok(c),
        _ => Err(cx.reject(
            col,
            format!("expected a category number from 1, found `{s}`"),
        )),
    }
}
