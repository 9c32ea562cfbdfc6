//! Which rows of other sources keep an occupation alive when a new release drops it. Every table
//! that references `occupations` apart from the release-only ones is counted here, so a release
//! load never fails on a foreign key and never deletes another source's data.

/// For one occupation (`?`): rows of the web API (fetch records and ratings), and rows of LLM
/// estimates (runs and ratings).
pub(crate) const OCCUPATION_USE: &str = "SELECT \
    (SELECT COUNT(*) FROM api_fetches f WHERE f.onetsoc_code = o.onetsoc_code) \
      + (SELECT COUNT(*) FROM ratings r WHERE r.onetsoc_code = o.onetsoc_code AND r.source = 'onet-api'), \
    (SELECT COUNT(*) FROM ratings r WHERE r.onetsoc_code = o.onetsoc_code AND r.source = 'llm') \
      + (SELECT COUNT(*) FROM llm_runs l WHERE l.onetsoc_code = o.onetsoc_code) \
    FROM occupations o WHERE o.onetsoc_code = ?";
