//! Instructional programmes that prepare for occupations: NCES's CIP 2020 list and its crosswalk
//! to 2018 SOC codes. A move's programmes are those preparing for the target and not for the
//! source. Rows the crosswalk marks unmatched (SOC [`UNMATCHED_SOC`], CIP [`UNMATCHED_CIP`]) are
//! never programmes.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::labor::Soc2018Code;

/// The SOC code the crosswalk gives a programme that prepares for no occupation.
pub const UNMATCHED_SOC: &str = "99-9999";
/// The CIP code the crosswalk gives an occupation no programme prepares for.
pub const UNMATCHED_CIP: &str = "99.9999";
/// Longest short definition, in characters (cut at a sentence, or at a word with `…`).
pub const SHORT_DEFINITION_CHARS: usize = 240;

/// Whether `s` is a six-digit CIP 2020 programme code, `NN.NNNN`.
pub fn is_cip_code(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 7
        && b[2] == b'.'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 2 || c.is_ascii_digit())
}

/// One instructional programme.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Programme {
    /// CIP 2020 code, `NN.NNNN`.
    pub code: String,
    /// Title, as NCES writes it.
    pub title: String,
    /// The full definition.
    pub definition: String,
}

impl Programme {
    /// The definition's first sentence, or its start cut at a word (with `…`) when that is
    /// longer than [`SHORT_DEFINITION_CHARS`].
    pub fn short_definition(&self) -> String {
        short(&self.definition)
    }
}

fn short(d: &str) -> String {
    let d = d.trim();
    let first = d.find(". ").map_or(d, |i| &d[..=i]);
    if first.chars().count() <= SHORT_DEFINITION_CHARS {
        return first.to_owned();
    }
    let cut: String = first.chars().take(SHORT_DEFINITION_CHARS).collect();
    let at = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end_matches([',', ';', ' ']))
}

/// A programme preparing for an occupation.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ProgrammeLink {
    /// The occupation, 2018 SOC.
    pub soc: Soc2018Code,
    /// The programme, CIP 2020.
    pub cip: String,
}

/// A programme file loaded, for provenance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeFile {
    /// `cip` (the CIP list) or `cip_soc` (the crosswalk).
    pub kind: String,
    /// The file's name.
    pub file_name: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// Rows kept.
    pub rows: u64,
}

/// Everything the programme files hold, validated.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeData {
    /// Every six-digit programme of the CIP list.
    pub programmes: Vec<Programme>,
    /// Which programmes prepare for which occupations (matched rows only).
    pub links: Vec<ProgrammeLink>,
    /// The files read.
    pub files: Vec<ProgrammeFile>,
}

/// Programmes by occupation, for answers.
#[derive(Clone, Debug, Default)]
pub struct ProgrammeIndex {
    programmes: HashMap<String, Programme>,
    by_soc: HashMap<Soc2018Code, Vec<String>>,
}

impl ProgrammeIndex {
    /// Indexes `data`; a link to a programme the list lacks is skipped.
    pub fn new(data: &ProgrammeData) -> Self {
        let programmes: HashMap<String, Programme> = data
            .programmes
            .iter()
            .map(|p| (p.code.clone(), p.clone()))
            .collect();
        let mut by_soc: HashMap<Soc2018Code, Vec<String>> = HashMap::new();
        for l in &data.links {
            if programmes.contains_key(&l.cip) {
                by_soc.entry(l.soc).or_default().push(l.cip.clone());
            }
        }
        for v in by_soc.values_mut() {
            v.sort();
            v.dedup();
        }
        Self { programmes, by_soc }
    }

    /// Whether any programme is loaded.
    pub fn is_empty(&self) -> bool {
        self.programmes.is_empty()
    }

    /// Every programme preparing for `soc`, by code.
    pub fn for_occupation(&self, soc: Soc2018Code) -> Vec<&Programme> {
        self.by_soc
            .get(&soc)
            .into_iter()
            .flatten()
            .filter_map(|c| self.programmes.get(c))
            .collect()
    }

    /// The programmes preparing for `to` and not for `from`, by code.
    pub fn teaching_the_way(&self, from: Soc2018Code, to: Soc2018Code) -> Vec<&Programme> {
        let source = self.by_soc.get(&from);
        self.for_occupation(to)
            .into_iter()
            .filter(|p| source.is_none_or(|s| !s.contains(&p.code)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cip_codes_have_two_digits_a_dot_and_four() {
        assert!(is_cip_code("11.0801"));
        assert!(!is_cip_code("11.08"));
        assert!(!is_cip_code("11-0801"));
        assert!(!is_cip_code("1a.0801"));
    }

    #[test]
    fn a_move_gets_what_the_target_has_and_the_source_lacks() {
        let p = |c: &str| Programme {
            code: c.into(),
            title: c.into(),
            definition: "One. Two.".into(),
        };
        let soc = |s: &str| Soc2018Code::parse(s).unwrap();
        let data = ProgrammeData {
            programmes: vec![p("11.0801"), p("11.0804"), p("51.0601")],
            links: vec![
                ProgrammeLink {
                    soc: soc("15-1254"),
                    cip: "11.0801".into(),
                },
                ProgrammeLink {
                    soc: soc("15-1255"),
                    cip: "11.0801".into(),
                },
                ProgrammeLink {
                    soc: soc("15-1255"),
                    cip: "11.0804".into(),
                },
                ProgrammeLink {
                    soc: soc("15-1255"),
                    cip: "99.0000".into(),
                },
            ],
            files: Vec::new(),
        };
        let index = ProgrammeIndex::new(&data);
        let codes = |v: Vec<&Programme>| v.into_iter().map(|p| p.code.clone()).collect::<Vec<_>>();
        assert_eq!(
            codes(index.for_occupation(soc("15-1255"))),
            ["11.0801", "11.0804"]
        );
        assert_eq!(
            codes(index.teaching_the_way(soc("15-1254"), soc("15-1255"))),
            ["11.0804"]
        );
        assert_eq!(p("x").short_definition(), "One.");
    }
}
