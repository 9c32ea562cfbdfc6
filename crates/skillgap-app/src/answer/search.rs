//! Finding occupations by code, title or alternate title.

use serde::Serialize;
use skillgap_core::MatchKind;
use utoipa::ToSchema;

use super::has_onet_ratings;
use crate::params::SearchRequest;
use crate::snapshot::Snapshot;

/// One search result.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct SearchResult {
    /// Code.
    pub code: String,
    /// Title.
    pub title: String,
    /// The alternate title that matched, if the match was on one.
    pub matched_title: Option<String>,
    /// How it matched: exact_code, code_prefix, exact_title, exact_alternate_title, title_prefix,
    /// alternate_title_prefix, title_words, alternate_title_words.
    #[serde(rename = "match")]
    pub match_kind: &'static str,
    /// Whether O*NET (or the web API) rates it in at least one domain.
    pub has_ratings: bool,
}

/// Answer of `GET /occupations`.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct SearchBody {
    /// The query as understood.
    pub query: String,
    /// Best match first.
    pub results: Vec<SearchResult>,
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

/// `GET /occupations?q=`: title search.
pub fn search_body(s: &Snapshot, req: &SearchRequest) -> SearchBody {
    let catalog = s.catalog();
    let hits = s
        .titles()
        .search(&catalog.occupations, &req.query, req.limit.count());
    SearchBody {
        query: req.query.clone(),
        results: hits
            .into_iter()
            .map(|h| {
                let e = &catalog.occupations[h.occupation];
                SearchResult {
                    code: e.occupation.code.to_string(),
                    title: e.occupation.title.clone(),
                    matched_title: h.matched_title,
                    match_kind: match_name(h.kind),
                    has_ratings: has_onet_ratings(catalog, h.occupation),
                }
            })
            .collect(),
    }
}
