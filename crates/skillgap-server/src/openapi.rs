//! The OpenAPI 3.1 document, generated from the handlers and types, and a small HTML page that
//! renders it without any external script (the server must work offline).

use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};

use skillgap_app::answer;

use crate::{extract, problem, routes};

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "skillgap",
        description = "What does it take to move from occupation A to occupation B? Skill gaps from O*NET data. Errors are RFC 9457 application/problem+json.",
        license(name = "MIT OR Apache-2.0")
    ),
    paths(
        routes::get_skill_gap,
        routes::post_skill_gap,
        routes::narrative,
        routes::search,
        routes::occupation,
        routes::profile,
        routes::transitions,
        routes::post_transitions,
        routes::paths,
        routes::health,
        routes::ready,
        routes::metrics,
    ),
    components(schemas(
        problem::Problem,
        answer::gap::GapBody,
        answer::narrative::NarrativeBody,
        extract::AssessedGapRequest,
        answer::search::SearchBody,
        answer::occupation::OccupationBody,
        answer::profile::ProfileBody,
        answer::transitions::TransitionsBody,
        answer::paths::PathsBody,
        answer::targets::TargetsBody,
        extract::AssessedTransitionsBody,
    )),
    modifiers(&ApiKeyScheme, &ProblemResponses),
    tags(
        (name = "skill gap", description = "Comparing occupations"),
        (name = "occupations", description = "Finding and describing occupations"),
        (name = "operations", description = "Health, readiness, metrics"),
    )
)]
pub struct ApiDoc;

struct ApiKeyScheme;

impl Modify for ApiKeyScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-API-Key",
                "Required on every route but /health and /ready when the server has SKILLGAP_API_KEYS set",
            ))),
        );
    }
}

/// Every problem answer of every route, declared once here rather than on each handler:
/// (method, path, status, what it means on that route). Each is an RFC 9457 body.
#[rustfmt::skip]
const PROBLEMS: &[(&str, &str, u16, &str)] = &[
    ("get", "/skill-gap", 400, "Malformed code or bad parameter"),
    ("get", "/skill-gap", 404, "Unknown occupation"),
    ("get", "/skill-gap", 409, "Known occupation without ratings in the domain"),
    ("post", "/skill-gap", 400, "Bad body or parameter"),
    ("post", "/skill-gap", 404, "Unknown occupation"),
    ("post", "/skill-gap", 409, "Target without ratings in the domain"),
    ("post", "/skill-gap", 413, "Body too large"),
    ("post", "/skill-gap", 415, "Body is not JSON"),
    ("get", "/skill-gap/narrative", 400, "Malformed code or bad parameter"),
    ("get", "/skill-gap/narrative", 404, "Unknown occupation"),
    ("get", "/skill-gap/narrative", 409, "Occupation without ratings in the domain"),
    ("get", "/skill-gap/narrative", 502, "The LLM failed"),
    ("get", "/skill-gap/narrative", 503, "No LLM configured"),
    ("get", "/occupations", 400, "Missing or bad parameter"),
    ("get", "/occupations/{code}", 400, "Malformed code"),
    ("get", "/occupations/{code}", 404, "Unknown occupation"),
    ("get", "/occupations/{code}/profile", 400, "Malformed code or bad parameter"),
    ("get", "/occupations/{code}/profile", 404, "Unknown occupation"),
    ("get", "/occupations/{code}/profile", 409, "No ratings in the domain"),
    ("get", "/occupations/{code}/transitions", 400, "Malformed code or bad parameter"),
    ("get", "/occupations/{code}/transitions", 404, "Unknown occupation"),
    ("get", "/occupations/{code}/transitions", 409, "No ratings in the domain"),
    ("post", "/transitions", 400, "Bad body, parameter or level (every bad level is named)"),
    ("post", "/transitions", 413, "Body too large"),
    ("post", "/transitions", 415, "Body is not JSON"),
    ("get", "/paths", 400, "Malformed code, bad parameter, or from equal to to"),
    ("get", "/paths", 404, "Unknown occupation"),
    ("get", "/paths", 409, "No ratings in the domain"),
    ("get", "/ready", 503, "Store unreachable or empty"),
];

struct ProblemResponses;

impl Modify for ProblemResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        for (method, path, status, description) in PROBLEMS {
            let Some(item) = openapi.paths.paths.get_mut(*path) else {
                continue;
            };
            let operation = match *method {
                "post" => item.post.as_mut(),
                _ => item.get.as_mut(),
            };
            let Some(operation) = operation else {
                continue;
            };
            let response = ResponseBuilder::new()
                .description(*description)
                .content(
                    problem::PROBLEM_JSON,
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("Problem")))
                        .build(),
                )
                .build();
            operation
                .responses
                .responses
                .insert(status.to_string(), response.into());
        }
    }
}

/// The document as JSON.
pub fn json() -> String {
    ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|_| "{}".into())
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A readable page of the routes, their parameters and responses, rendered on the server.
pub fn docs_html() -> String {
    let doc: serde_json::Value = serde_json::from_str(&json()).unwrap_or_default();
    let mut html = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>skillgap API</title><style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}code{background:#f3f3f3;padding:0 .2em}h2{border-top:1px solid #ddd;padding-top:1rem}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}.m{font-weight:bold;text-transform:uppercase}</style></head><body><h1>skillgap API</h1>",
    );
    if let Some(d) = doc.pointer("/info/description").and_then(|v| v.as_str()) {
        html.push_str(&format!("<p>{}</p>", esc(d)));
    }
    html.push_str(
        "<p>Machine-readable: <a href=\"/openapi.json\">/openapi.json</a> (OpenAPI 3.1).</p>",
    );
    if let Some(paths) = doc.get("paths").and_then(|p| p.as_object()) {
        for (path, item) in paths {
            let Some(ops) = item.as_object() else {
                continue;
            };
            for (method, op) in ops {
                html.push_str(&format!(
                    "<h2><span class=\"m\">{}</span> <code>{}</code></h2>",
                    esc(method),
                    esc(path)
                ));
                for key in ["summary", "description"] {
                    if let Some(s) = op.get(key).and_then(|v| v.as_str()) {
                        html.push_str(&format!("<p>{}</p>", esc(s)));
                    }
                }
                if let Some(params) = op.get("parameters").and_then(|p| p.as_array()) {
                    html.push_str(
                        "<table><tr><th>parameter</th><th>in</th><th>description</th></tr>",
                    );
                    for p in params {
                        let s = |k: &str| p.get(k).and_then(|v| v.as_str()).unwrap_or("");
                        let required = if p.get("required").and_then(|v| v.as_bool()) == Some(true)
                        {
                            " (required)"
                        } else {
                            ""
                        };
                        html.push_str(&format!(
                            "<tr><td><code>{}</code>{required}</td><td>{}</td><td>{}</td></tr>",
                            esc(s("name")),
                            esc(s("in")),
                            esc(s("description"))
                        ));
                    }
                    html.push_str("</table>");
                }
                if let Some(resp) = op.get("responses").and_then(|r| r.as_object()) {
                    html.push_str("<p>Responses: ");
                    let list: Vec<String> = resp
                        .iter()
                        .map(|(code, r)| {
                            format!(
                                "<code>{}</code> {}",
                                esc(code),
                                esc(r.get("description").and_then(|d| d.as_str()).unwrap_or(""))
                            )
                        })
                        .collect();
                    html.push_str(&list.join(" · "));
                    html.push_str("</p>");
                }
            }
        }
    }
    html.push_str("<p><small>Data: O*NET® by USDOL/ETA, CC BY 4.0.</small></p></body></html>");
    html
}
