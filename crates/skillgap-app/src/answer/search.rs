//! Finding occupations from what people call them: an exact code or title first, then the
//! job-title coder ([`skillgap_core::titles`]) for anything else, each result with a calibrated
//! confidence and the evidence it matched.

use serde::Serialize;
use skillgap_core::MatchKind;
use skillgap_core::titles::Evidence;
use utoipa::ToSchema;

use super::has_onet_ratings;
use crate::params::SearchRequest;
use crate::snapshot::Snapshot;

/// What a result matched.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct Matched {
    /// Which kind of name: title, alternate_title, reported_title, short_title, labelled_title
    /// (an organisation's own, loaded with `load-titles`), tasks (description and task
    /// statements only), or code.
    pub field: &'static str,
    /// The name that matched.
    pub title: String,
    /// The query's words found in it (lower case, as typed).
    pub words: Vec<String>,
    /// For a labelled title, the file it was loaded from.
    pub source: Option<String>,
}

impl Matched {
    fn of(e: Evidence) -> Self {
        Self {
            field: e.field.as_str(),
            title: e.title,
            words: e.words,
            source: e.source,
        }
    }
}

/// One search result.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct SearchResult {
    /// Code.
    pub code: String,
    /// Title.
    pub title: String,
    /// The alternate title that matched, if the match was on one.
    pub matched_title: Option<String>,
    /// How it matched: exact_code, code_prefix, exact_title, exact_alternate_title (the
    /// shortcuts, first), or title_coder (ranked by the job-title coder).
    #[serde(rename = "match")]
    pub match_kind: &'static str,
    /// Calibrated probability, in [0, 1], that this is the person's occupation (at SOC6):
    /// 1 for an exact code; below 0.5, offer the person the choices.
    pub confidence: f64,
    /// Ranking score of the coder (higher is better; not comparable across queries); `null` for
    /// the shortcuts.
    pub score: Option<f64>,
    /// The evidence: the name matched and the words that matched.
    pub matched: Matched,
    /// Whether O*NET (or the web API) rates it in at least one domain.
    pub has_ratings: bool,
}

/// A title near text nothing matched.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct NearestTitle {
    /// Code.
    pub code: String,
    /// Title.
    pub title: String,
    /// Letter-triple similarity to the query, in [0, 1].
    pub similarity: f64,
}

/// Answer of `GET /occupations`.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct SearchBody {
    /// The query as understood.
    pub query: String,
    /// Best match first.
    pub results: Vec<SearchResult>,
    /// True when nothing in the query is a word, code or title the release knows.
    pub no_match: bool,
    /// When there is no match: the O*NET titles nearest to the query.
    pub nearest: Vec<NearestTitle>,
    /// Words read as a known word one letter away: `[typed, read as]`.
    pub corrected: Vec<[String; 2]>,
}

/// Rounded for the wire only.
fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

fn match_name(k: MatchKind) -> &'static str {
    match k {
        MatchKind::ExactCode => "exact_code",
        MatchKind::CodePrefix => "code_prefix",
        MatchKind::ExactTitle => "exact_title",
        MatchKind::ExactAlternateTitle => "exact_alternate_title",
        MatchKind::TitlePrefix => "title_prefix",
        MatchKind::AlternateTitlePrefix => "alternate_title_prefix",
        MatchKind::TitleWords => "title_words",
        MatchKind::AlternateTitleWords => "alternate_title_words",
    }
}

/// `GET /occupations?q=`: exact code, code prefix, exact title and exact alternate title first,
/// then the coder's ranking.
pub fn search_body(s: &Snapshot, req: &SearchRequest) -> SearchBody {
    let catalog = s.catalog();
    let limit = req.limit.count();
    let coded = s.coder().code(&catalog.occupations, &req.query, limit);
    let shortcuts: Vec<_> = s
        .titles()
        .search(&catalog.occupations, &req.query, limit)
        .into_iter()
        .filter(|h| {
            matches!(
                h.kind,
                MatchKind::ExactCode
                    | MatchKind::CodePrefix
                    | MatchKind::ExactTitle
                    | MatchKind::ExactAlternateTitle
            )
        })
        .collect();
    let exact_names = shortcuts
        .iter()
        .filter(|h| {
            matches!(
                h.kind,
                MatchKind::ExactTitle | MatchKind::ExactAlternateTitle
            )
        })
        .count();
    let mut results: Vec<SearchResult> = Vec::new();
    for h in shortcuts {
        let e = &catalog.occupations[h.occupation];
        let from_coder = coded.results.iter().find(|r| r.occupation == h.occupation);
        let (confidence, matched) = match h.kind {
            MatchKind::ExactCode => (
                1.0,
                Matched {
                    field: "code",
                    title: e.occupation.code.to_string(),
                    words: vec![req.query.to_lowercase()],
                    source: None,
                },
            ),
            MatchKind::CodePrefix => (
                0.0,
                Matched {
                    field: "code",
                    title: e.occupation.code.to_string(),
                    words: vec![req.query.to_lowercase()],
                    source: None,
                },
            ),
            _ => (
                // A name several occupations share is split between them.
                from_coder
                    .map_or(0.5, |r| r.confidence)
                    .max(1.0 / exact_names as f64 * 0.9),
                Matched {
                    field: if h.kind == MatchKind::ExactTitle {
                        "title"
                    } else {
                        "alternate_title"
                    },
                    title: h
                        .matched_title
                        .clone()
                        .unwrap_or_else(|| e.occupation.title.clone()),
                    words: req
                        .query
                        .split(|c: char| !c.is_alphanumeric())
                        .filter(|w| !w.is_empty())
                        .map(str::to_lowercase)
                        .collect(),
                    source: None,
                },
            ),
        };
        results.push(SearchResult {
            code: e.occupation.code.to_string(),
            title: e.occupation.title.clone(),
            matched_title: h.matched_title,
            match_kind: match_name(h.kind),
            confidence: round(confidence, 4),
            score: None,
            matched,
            has_ratings: has_onet_ratings(catalog, h.occupation),
        });
    }
    for r in &coded.results {
        if results.len() >= limit {
            break;
        }
        let e = &catalog.occupations[r.occupation];
        let code = e.occupation.code.to_string();
        if results.iter().any(|x| x.code == code) {
            continue;
        }
        results.push(SearchResult {
            code,
            title: e.occupation.title.clone(),
            matched_title: (r.matched.title != e.occupation.title).then(|| r.matched.title.clone()),
            match_kind: "title_coder",
            confidence: round(r.confidence, 4),
            score: Some(round(r.score, 3)),
            matched: Matched::of(r.matched.clone()),
            has_ratings: has_onet_ratings(catalog, r.occupation),
        });
    }
    results.truncate(limit);
    SearchBody {
        query: req.query.clone(),
        no_match: results.is_empty(),
        nearest: coded
            .nearest
            .iter()
            .map(|n| NearestTitle {
                code: catalog.occupations[n.occupation]
                    .occupation
                    .code
                    .to_string(),
                title: n.title.clone(),
                similarity: round(n.similarity, 3),
            })
            .collect(),
        corrected: coded
            .corrected
            .iter()
            .map(|(a, b)| [a.clone(), b.clone()])
            .collect(),
        results,
    }
}
