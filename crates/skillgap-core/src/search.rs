//! Finding occupations by what people call them: codes, titles and O*NET's alternate titles.

use crate::code::SocCode;
use crate::occupation::OccupationEntry;

/// How well a hit matched, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchKind {
    /// The query is the occupation's code.
    ExactCode,
    /// The query is the start of the code (`15-12`).
    CodePrefix,
    /// The query is the title.
    ExactTitle,
    /// The query is one of the alternate titles.
    ExactAlternateTitle,
    /// The title starts with the query.
    TitlePrefix,
    /// An alternate title starts with the query.
    AlternateTitlePrefix,
    /// Every word of the query starts a word of the title.
    TitleWords,
    /// Every word of the query starts a word of an alternate title.
    AlternateTitleWords,
}

/// One search result.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchHit {
    /// Index into [`crate::Catalog::occupations`].
    pub occupation: usize,
    /// How it matched.
    pub kind: MatchKind,
    /// The alternate title that matched, when the match was on one.
    pub matched_title: Option<String>,
}

#[derive(Clone)]
struct Entry {
    occupation: usize,
    /// Lower-cased, white space folded.
    text: String,
    /// Byte offsets where its words start.
    words: Vec<usize>,
    /// Which alternate title this is; `None` for the title itself.
    alternate: Option<usize>,
}

/// A title index over every occupation, built once.
#[derive(Clone, Default)]
pub struct SearchIndex {
    entries: Vec<Entry>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SearchIndex({} titles)", self.entries.len())
    }
}

fn normalize(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn word_starts(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut prev_alnum = false;
    for (i, c) in text.char_indices() {
        let alnum = c.is_alphanumeric();
        if alnum && !prev_alnum {
            out.push(i);
        }
        prev_alnum = alnum;
    }
    out
}

impl SearchIndex {
    /// Indexes titles and alternate titles.
    pub fn new(occupations: &[OccupationEntry]) -> Self {
        let mut entries = Vec::new();
        for (i, o) in occupations.iter().enumerate() {
            let titles = std::iter::once((o.occupation.title.as_str(), None)).chain(
                o.alternate_titles
                    .iter()
                    .enumerate()
                    .map(|(a, t)| (t.as_str(), Some(a))),
            );
            for (title, alternate) in titles {
                let text = normalize(title);
                let words = word_starts(&text);
                entries.push(Entry {
                    occupation: i,
                    text,
                    words,
                    alternate,
                });
            }
        }
        Self { entries }
    }

    /// Up to `limit` occupations matching `query`, best match first: exact code, code prefix,
    /// exact title, exact alternate title, title prefix, alternate-title prefix, then titles and
    /// alternate titles containing every query word (as word starts). Within a kind, shorter
    /// titles first, then by code.
    pub fn search(
        &self,
        occupations: &[OccupationEntry],
        query: &str,
        limit: usize,
    ) -> Vec<SearchHit> {
        let q = normalize(query);
        if q.is_empty() || limit == 0 {
            return Vec::new();
        }
        // Best (kind, title length, alternate title) per occupation.
        let mut best: Vec<Option<(MatchKind, usize, Option<usize>)>> =
            vec![None; occupations.len()];
        let mut offer = |occ: usize, kind: MatchKind, len: usize, entry: Option<usize>| {
            let slot = &mut best[occ];
            if slot.is_none_or(|(k, l, _)| (kind, len) < (k, l)) {
                *slot = Some((kind, len, entry));
            }
        };
        let code_like = q
            .bytes()
            .all(|c| c.is_ascii_digit() || c == b'-' || c == b'.')
            && q.len() >= 2;
        if code_like {
            for (i, o) in occupations.iter().enumerate() {
                let code = o.occupation.code.as_str();
                if SocCode::parse(&q).is_ok_and(|c| c == o.occupation.code) {
                    offer(i, MatchKind::ExactCode, 0, None);
                } else if code.starts_with(&q) {
                    offer(i, MatchKind::CodePrefix, 0, None);
                }
            }
        }
        let q_words: Vec<&str> = q
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        for e in &self.entries {
            let alt = e.alternate.is_some();
            let kind = if e.text == q {
                Some(if alt {
                    MatchKind::ExactAlternateTitle
                } else {
                    MatchKind::ExactTitle
                })
            } else if e.text.starts_with(&q) {
                Some(if alt {
                    MatchKind::AlternateTitlePrefix
                } else {
                    MatchKind::TitlePrefix
                })
            } else if !q_words.is_empty()
                && q_words
                    .iter()
                    .all(|w| e.words.iter().any(|s| e.text[*s..].starts_with(w)))
            {
                Some(if alt {
                    MatchKind::AlternateTitleWords
                } else {
                    MatchKind::TitleWords
                })
            } else {
                None
            };
            if let Some(kind) = kind {
                offer(e.occupation, kind, e.text.len(), e.alternate);
            }
        }
        let mut hits: Vec<(MatchKind, usize, usize, Option<usize>)> = best
            .iter()
            .enumerate()
            .filter_map(|(occ, b)| b.map(|(k, len, entry)| (k, len, occ, entry)))
            .collect();
        hits.sort_by_key(|h| (h.0, h.1, h.2));
        hits.truncate(limit);
        hits.into_iter()
            .map(|(kind, _, occupation, entry)| SearchHit {
                occupation,
                kind,
                matched_title: entry.map(|a| occupations[occupation].alternate_titles[a].clone()),
            })
            .collect()
    }
}
