//! The OpenAPI 3.1 document, generated from the routes' own declarations (each handler's
//! `#[utoipa::path]`: method, path, parameters, answers, problems, openness) and the types, and a
//! small HTML page that renders it without any external script (the server must work offline).

use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{OpenApi as Document, PathItem};
use utoipa::{OpenApi, openapi::path::Operation};

use skillgap_app::answer;

use crate::{extract, problem};

/// What the document says besides the routes: who it describes, its tags and the schemas of
/// answers and bodies. The routes come from the router ([`crate::app::api`]).
#[derive(OpenApi)]
#[openapi(
    info(
        title = "skillgap",
        description = "What does it take to move from occupation A to occupation B? Skill gaps from O*NET data. Errors are RFC 9457 application/problem+json.",
        license(name = "MIT OR Apache-2.0")
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
        answer::assessed_transitions::TargetsBody,
        extract::AssessedTransitionsBody,
    )),
    tags(
        (name = "skill gap", description = "Comparing occupations"),
        (name = "occupations", description = "Finding and describing occupations"),
        (name = "operations", description = "Health, readiness, metrics"),
    )
)]
pub struct ApiDoc;

fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [item.get.as_mut(), item.post.as_mut()]
        .into_iter()
        .flatten()
}

/// Whether a route's declaration opens it without a key (`security(())`: an empty requirement).
pub fn is_open(operation: &Operation) -> bool {
    operation
        .security
        .as_ref()
        .is_some_and(|s| s.iter().all(|r| *r == SecurityRequirement::default()))
}

/// The paths the routes declare open, for the key check.
pub fn open_paths(declared: &Document) -> Vec<String> {
    declared
        .paths
        .paths
        .iter()
        .filter(|(_, item)| {
            [item.get.as_ref(), item.post.as_ref()]
                .into_iter()
                .flatten()
                .all(is_open)
        })
        .map(|(path, _)| path.clone())
        .collect()
}

/// The API-key scheme, required on every route not declared open: only on a server with keys,
/// since an open server accepts every request without one.
fn secure(openapi: &mut Document) {
    let components = openapi.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "api_key",
        SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
            "X-API-Key",
            "Required on every route but /health and /ready (and /openapi.json, /docs and the web page), since this server has SKILLGAP_API_KEYS set",
        ))),
    );
    openapi.security = Some(vec![SecurityRequirement::new(
        "api_key",
        Vec::<String>::new(),
    )]);
    for item in openapi.paths.paths.values_mut() {
        for operation in operations(item) {
            if is_open(operation) {
                operation.security = Some(Vec::new());
            } else {
                operation.responses.responses.insert(
                    "401".into(),
                    problem_response("Missing or invalid X-API-Key").into(),
                );
            }
        }
    }
}

fn problem_response(description: &str) -> utoipa::openapi::Response {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    ResponseBuilder::new()
        .description(description)
        .content(
            problem::PROBLEM_JSON,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
}

/// Problems any operation can answer, before or around its handler: (status, meaning).
#[rustfmt::skip]
const EVERY_OPERATION: &[(u16, &str)] = &[
    (405, "The path exists, but not with this method"),
    (413, "The declared body is larger than allowed"),
    (414, "The path or the query string is too long"),
    (431, "The header fields are too large"),
    (503, "Too many connections, or the request timed out"),
];

/// The document of the declared routes for a server with (`secured`) or without API keys: the
/// problems every operation can answer added, and openness turned into security requirements
/// (an open server requires nothing, so it declares none).
pub fn document(mut declared: Document, secured: bool) -> Document {
    for item in declared.paths.paths.values_mut() {
        for operation in operations(item) {
            for (status, description) in EVERY_OPERATION {
                operation
                    .responses
                    .responses
                    .entry(status.to_string())
                    .or_insert_with(|| problem_response(description).into());
            }
        }
    }
    if secured {
        secure(&mut declared);
    } else {
        for item in declared.paths.paths.values_mut() {
            for operation in operations(item) {
                operation.security = None;
            }
        }
    }
    declared
}

/// What the store holds, which decides which values some parameters may take: the loaded domains
/// and their descriptors' element ids.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    /// (domain, element ids), in the catalog's order.
    pub domains: Vec<(String, Vec<String>)>,
}

impl Loaded {
    /// What `catalog` holds.
    pub fn of(catalog: &skillgap_core::Catalog) -> Self {
        Self {
            domains: catalog
                .domains
                .iter()
                .map(|t| {
                    let ids = t.descriptors.iter().map(|d| d.id.to_string()).collect();
                    (t.domain.to_string(), ids)
                })
                .collect(),
        }
    }
}

/// The parts of the document that depend on the store: a domain that is not loaded is refused
/// (400), so only loaded ones are valid values, and a self-assessed level must name a
/// descriptor of the compared domain. Written once, when the server starts.
fn specialize(doc: &mut serde_json::Value, loaded: &Loaded) {
    use serde_json::{Value, json};
    let mut domains: Vec<Value> = loaded.domains.iter().map(|(d, _)| json!(d)).collect();
    domains.extend([json!("all"), json!("")]);
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            let Some(params) = item
                .pointer_mut("/get/parameters")
                .and_then(Value::as_array_mut)
            else {
                continue;
            };
            for p in params.iter_mut().filter(|p| p["name"] == "domain") {
                p["schema"]["enum"] = json!(domains);
            }
        }
    }
    // Both self-assessment bodies: their levels are keyed by the loaded element ids.
    for schema in ["AssessedGapRequest", "AssessedTransitionsBody"] {
        let Some(body) = doc.pointer_mut(&format!("/components/schemas/{schema}")) else {
            continue;
        };
        let base = body.clone();
        let branch = |domain: Value, required: bool, ids: Vec<&String>| {
            let mut b = base.clone();
            b["properties"]["domain"] = domain;
            b["properties"]["domain"]["description"] =
                base["properties"]["domain"]["description"].clone();
            b["properties"]["levels"]["propertyNames"] = json!({ "type": "string", "enum": ids });
            if let (true, Some(r)) = (required, b["required"].as_array_mut()) {
                r.push(json!("domain"));
            }
            b
        };
        let mut branches = Vec::new();
        for (d, ids) in &loaded.domains {
            branches.push(if d == "skills" {
                // The default: `domain` left out, null, blank or `skills`.
                branch(
                    json!({ "enum": ["skills", "", null] }),
                    false,
                    ids.iter().collect(),
                )
            } else {
                branch(json!({ "const": d }), true, ids.iter().collect())
            });
        }
        let all: Vec<&String> = loaded.domains.iter().flat_map(|(_, ids)| ids).collect();
        branches.push(branch(json!({ "const": "all" }), true, all));
        let description = base["description"].clone();
        *body = json!({
            "description": description,
            "oneOf": branches,
        });
    }
}

/// The document of the declared routes as JSON, for a server with (`secured`) or without API
/// keys over a store holding `loaded`.
pub fn json(declared: &Document, secured: bool, loaded: &Loaded) -> String {
    let mut doc = serde_json::to_value(document(declared.clone(), secured)).unwrap_or_default();
    specialize(&mut doc, loaded);
    serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into())
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A readable page of the routes, their parameters and responses, rendered on the server.
pub fn docs_html(json: &str) -> String {
    let doc: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
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
