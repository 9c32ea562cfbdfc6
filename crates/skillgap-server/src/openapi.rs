//! The OpenAPI 3.1 document, generated from the handlers and types, and a small HTML page that
//! renders it without any external script (the server must work offline).

use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityRequirement, SecurityScheme};
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
    modifiers(&ProblemResponses),
    tags(
        (name = "skill gap", description = "Comparing occupations"),
        (name = "occupations", description = "Finding and describing occupations"),
        (name = "operations", description = "Health, readiness, metrics"),
    )
)]
pub struct ApiDoc;

/// Routes answered without a key even when keys are set.
const OPEN: [&str; 2] = ["/health", "/ready"];

/// The API-key scheme, required everywhere but [`OPEN`]: only on a server with keys, since an
/// open server accepts every request without one.
fn secure(openapi: &mut utoipa::openapi::OpenApi) {
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
    for (path, item) in openapi.paths.paths.iter_mut() {
        let open = OPEN.contains(&path.as_str());
        for operation in [item.get.as_mut(), item.post.as_mut()]
            .into_iter()
            .flatten()
        {
            if open {
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
    ("get", "/skill-gap/narrative", 503, "No LLM configured; too many connections, or timed out"),
    ("get", "/occupations", 400, "Missing or bad parameter"),
    ("get", "/occupations/{code}", 400, "Malformed code"),
    ("get", "/occupations/{code}", 404, "Unknown occupation"),
    ("get", "/occupations/{code}/profile", 400, "Malformed code or bad parameter"),
    ("get", "/occupations/{code}/profile", 404, "Unknown occupation"),
    ("get", "/occupations/{code}/profile", 409, "No ratings in the domain"),
    ("get", "/occupations/{code}/transitions", 400, "Malformed code or bad parameter"),
    ("get", "/occupations/{code}/transitions", 404, "Unknown occupation"),
    ("get", "/occupations/{code}/transitions", 409, "No ratings in the domain, or a wage order or floor without BLS wages loaded"),
    ("post", "/transitions", 400, "Bad body, parameter or level (every bad level is named)"),
    ("post", "/transitions", 413, "Body too large"),
    ("post", "/transitions", 415, "Body is not JSON"),
    ("get", "/paths", 400, "Malformed code, bad parameter, or from equal to to"),
    ("get", "/paths", 404, "Unknown occupation"),
    ("get", "/paths", 409, "No ratings in the domain, or a wage order or floor without BLS wages loaded"),
    ("get", "/ready", 503, "Store unreachable or empty; too many connections, or timed out"),
];

/// Problems any operation can answer, before or around its handler: (status, meaning).
#[rustfmt::skip]
const EVERY_OPERATION: &[(u16, &str)] = &[
    (405, "The path exists, but not with this method"),
    (413, "The declared body is larger than allowed"),
    (414, "The path or the query string is too long"),
    (431, "The header fields are too large"),
    (503, "Too many connections, or the request timed out"),
];

struct ProblemResponses;

impl Modify for ProblemResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for operation in [item.get.as_mut(), item.post.as_mut()]
                .into_iter()
                .flatten()
            {
                for (status, description) in EVERY_OPERATION {
                    operation
                        .responses
                        .responses
                        .entry(status.to_string())
                        .or_insert_with(|| problem_response(description).into());
                }
            }
        }
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
            operation
                .responses
                .responses
                .insert(status.to_string(), problem_response(description).into());
        }
    }
}

/// The document; `secured` for a server with API keys.
pub fn document(secured: bool) -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    if secured {
        secure(&mut doc);
    }
    doc
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

/// Operations' parameters the request types cannot mark required themselves (they are `Option`s,
/// so that a missing one gets the API's own message rather than serde's).
const REQUIRED: &[(&str, &[&str])] = &[
    ("/skill-gap", &["from", "to"]),
    ("/skill-gap/narrative", &["from", "to"]),
    ("/occupations", &["q"]),
];

/// What each parameter (and body field) means. The request types carry these as doc comments too,
/// but a field whose schema is written by hand (a pattern, an enum, a range) loses its comment
/// in the derived document, so the document takes them from here.
#[rustfmt::skip]
const DESCRIPTIONS: &[(&str, &str)] = &[
    ("from", "Source occupation code, NN-NNNN.NN."),
    ("to", "Target occupation code, NN-NNNN.NN."),
    ("code", "O*NET-SOC code, NN-NNNN.NN."),
    ("domain", "`skills` (default; also when blank or null), `knowledge`, `abilities`, `work_activities` (each when loaded) or `all`."),
    ("min_importance", "Importance at or above which a descriptor is required (1–5, default 3)."),
    ("min_gap", "Level difference a shortage must exceed (0–7, default 0)."),
    ("include", "Optional parts, comma-separated (a list in a body): `surplus`."),
    ("source", "Ratings to use: `onet` (default; also when blank or null), `llm` or `best` (O*NET where rated, else LLM)."),
    ("q", "Words of a title or alternate title, or a code (or its start); blanks around are ignored."),
    ("limit", "Most results (1–100)."),
    ("levels", "Your level (0–7, O*NET's level scale) per element id of the compared domains, e.g. {\"2.A.1.a\": 4.5}. Descriptors left out count as level 0."),
];

fn describe(name: &str) -> Option<&'static str> {
    DESCRIPTIONS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, d)| *d)
}

/// The parts of the document that depend on the store: a domain that is not loaded is refused
/// (400), so only loaded ones are valid values, and a self-assessed level must name a
/// descriptor of the compared domain. Written once, when the server starts.
fn specialize(doc: &mut serde_json::Value, loaded: &Loaded) {
    use serde_json::{Value, json};
    let mut domains: Vec<Value> = loaded.domains.iter().map(|(d, _)| json!(d)).collect();
    domains.extend([json!("all"), json!("")]);
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let required = REQUIRED
                .iter()
                .find(|(p, _)| p == path)
                .map_or(&[][..], |(_, names)| *names);
            let Some(params) = item
                .pointer_mut("/get/parameters")
                .and_then(Value::as_array_mut)
            else {
                continue;
            };
            for p in params {
                let name = p["name"].as_str().unwrap_or("").to_owned();
                // A path parameter is always required (OpenAPI says so, and the derive does not).
                if required.contains(&name.as_str()) || p["in"] == "path" {
                    p["required"] = json!(true);
                }
                if name == "domain" {
                    p["schema"]["enum"] = json!(domains);
                }
                if let (None, Some(d)) = (p.get("description"), describe(&name)) {
                    p["description"] = json!(d);
                }
            }
        }
    }
    // Both self-assessment bodies: their levels are keyed by the loaded element ids.
    for schema in ["AssessedGapRequest", "AssessedTransitionsBody"] {
        let Some(body) = doc.pointer_mut(&format!("/components/schemas/{schema}")) else {
            continue;
        };
        if let Some(props) = body.get_mut("properties").and_then(Value::as_object_mut) {
            for (name, schema) in props.iter_mut() {
                if let (Some(d), Some(o)) = (describe(name), schema.as_object_mut()) {
                    o.insert("description".into(), json!(d));
                }
            }
        }
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

/// The document as JSON, for a server with (`secured`) or without API keys over a store holding
/// `loaded`.
pub fn json(secured: bool, loaded: &Loaded) -> String {
    let mut doc = serde_json::to_value(document(secured)).unwrap_or_default();
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
pub fn docs_html(secured: bool, loaded: &Loaded) -> String {
    let doc: serde_json::Value = serde_json::from_str(&json(secured, loaded)).unwrap_or_default();
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
