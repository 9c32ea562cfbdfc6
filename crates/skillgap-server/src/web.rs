//! The web page at `/`: plain HTML, CSS and JavaScript embedded in the binary (no CDN, no build
//! step), talking to the same API as everyone else.

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::state::AppState;

const INDEX: &str = include_str!("../web/index.html");
const APP_JS: &str = include_str!("../web/app.js");
const STYLE_CSS: &str = include_str!("../web/style.css");

/// The page and its assets: path, body and content type, each declared once. Reachable without an
/// API key (the page asks for one).
const PAGES: [(&str, &str, &str); 3] = [
    ("/", INDEX, "text/html; charset=utf-8"),
    ("/assets/app.js", APP_JS, "text/javascript; charset=utf-8"),
    ("/assets/style.css", STYLE_CSS, "text/css; charset=utf-8"),
];

/// Paths of the page and its assets.
pub const PATHS: [&str; 3] = [PAGES[0].0, PAGES[1].0, PAGES[2].0];

fn asset(body: &'static str, content_type: &'static str) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // Small files served from memory: revalidate each time rather than risk a stale page.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'"),
    );
    r
}

/// The page's routes.
pub fn routes() -> Router<AppState> {
    PAGES
        .into_iter()
        .fold(Router::new(), |router, (path, body, content_type)| {
            router.route(path, get(move || async move { asset(body, content_type) }))
        })
}

/// Bytes of the whole page (HTML, CSS, JavaScript), for the size budget.
pub fn page_bytes() -> usize {
    INDEX.len() + APP_JS.len() + STYLE_CSS.len()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_page_stays_small_and_self_contained() {
        assert!(
            super::page_bytes() < 200 * 1024,
            "{} bytes",
            super::page_bytes()
        );
        // Nothing is loaded from elsewhere: no external scripts, styles, fonts or imports.
        for text in [super::INDEX, super::APP_JS, super::STYLE_CSS] {
            for outside in [
                "src=\"http",
                "href=\"http://",
                "url(http",
                "@import",
                "<link rel=\"stylesheet\" href=\"http",
            ] {
                assert!(!text.contains(outside), "{outside}");
            }
        }
        assert!(
            super::INDEX.contains("USDOL/ETA"),
            "the page carries the O*NET attribution"
        );
    }
}
