//! A local stand-in for O*NET Web Services, started by a test. It answers
//! `database/rows/{occupation_data,skills,knowledge}?filter=onetsoc_code.eq.CODE` in the shape of
//! the real responses saved in `../shared/onet-api-samples` (v1.9 XML: attributes on `<rows>`, an
//! absolute `<link rel="next">` with `&amp;`, numbers printed without trailing zeros, ISO
//! `date_updated`, empty `not_relevant` on IM rows; pages of 20), or in the v2 JSON shape (top-level
//! `start`/`end`/`total`/`next`, a `row` list), built at request time from the real 29.0 rows of
//! the requested code. Faults are queued per test.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::onet_dir;

/// Which generation and body format to imitate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// Classic v1.9, XML bodies (as the real sample), HTTP Basic `user`/`secret`.
    V1_9Xml,
    /// Classic v1.9, JSON bodies (as its documentation shows), HTTP Basic `user`/`secret`.
    V1_9Json,
    /// v2, JSON bodies, `X-API-Key: test-key`.
    V2,
}

/// Something to do instead of (or before) answering normally.
#[derive(Clone, Debug)]
pub enum Fault {
    /// Answer this status with this body (`Retry-After` seconds for 429s).
    Status(u16, Option<u32>, &'static str),
    /// Answer 200 with this body and content type.
    Body(&'static str, String),
    /// Answer normally but cut the body in half.
    Truncate,
    /// Wait this long, then answer normally.
    Delay(Duration),
}

#[derive(Default)]
struct Plan {
    queued: VecDeque<Fault>,
    always: Option<Fault>,
}

struct Shared {
    flavor: Flavor,
    base: String,
    requests: AtomicUsize,
    log: Mutex<Vec<String>>,
    plan: Mutex<Plan>,
}

/// A running fake; stops when dropped.
pub struct FakeOnet {
    /// The base URL to configure (`SKILLGAP_ONET_API_URL`).
    pub base_url: String,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeOnet {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The credentials the fake accepts.
pub const USERNAME: &str = "user";
/// The credentials the fake accepts.
pub const PASSWORD: &str = "secret";
/// The credentials the fake accepts.
pub const API_KEY: &str = "test-key";

impl FakeOnet {
    /// Starts a fake on a free port.
    pub async fn start(flavor: Flavor) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind fake O*NET");
        let addr: SocketAddr = listener.local_addr().expect("fake address");
        let base = match flavor {
            Flavor::V2 => format!("http://{addr}/"),
            _ => format!("http://{addr}/v1.9/ws/"),
        };
        let shared = Arc::new(Shared {
            flavor,
            base: base.clone(),
            requests: AtomicUsize::new(0),
            log: Mutex::new(Vec::new()),
            plan: Mutex::new(Plan::default()),
        });
        let app = axum::Router::new()
            .route("/database/rows/{table}", get(rows))
            .route("/v1.9/ws/database/rows/{table}", get(rows))
            .with_state(shared.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            base_url: base,
            shared,
            task,
        }
    }

    /// Environment for skillgap to use this fake.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        let mut env = vec![("SKILLGAP_ONET_API_URL", self.base_url.clone())];
        match self.shared.flavor {
            Flavor::V2 => {
                env.push(("SKILLGAP_ONET_API_VERSION", "v2".into()));
                env.push(("SKILLGAP_ONET_API_KEY", API_KEY.into()));
            }
            _ => {
                env.push(("SKILLGAP_ONET_API_VERSION", "v1.9".into()));
                env.push(("SKILLGAP_ONET_USERNAME", USERNAME.into()));
                env.push(("SKILLGAP_ONET_PASSWORD", PASSWORD.into()));
            }
        }
        env
    }

    /// Requests answered so far (faults included).
    pub fn requests(&self) -> usize {
        self.shared.requests.load(Ordering::SeqCst)
    }

    /// The path and query of every request so far.
    pub fn log(&self) -> Vec<String> {
        self.shared.log.lock().unwrap().clone()
    }

    /// Queues faults for the next requests, one each.
    pub fn fail_next(&self, faults: impl IntoIterator<Item = Fault>) {
        self.shared.plan.lock().unwrap().queued.extend(faults);
    }

    /// Applies `fault` to every request from now on (`None` to stop).
    pub fn always(&self, fault: Option<Fault>) {
        self.shared.plan.lock().unwrap().always = fault;
    }
}

/// A text-release file split into its header and rows.
type Split = (Vec<String>, Vec<Vec<String>>);

/// An API row: column id and value (`None` = empty).
type ApiRow = Vec<(&'static str, Option<String>)>;

/// One text-release file, split, read once per process: header and rows.
fn file(name: &str) -> &'static Split {
    static FILES: OnceLock<Mutex<HashMap<String, &'static Split>>> = OnceLock::new();
    let mut files = FILES.get_or_init(Default::default).lock().unwrap();
    if let Some(f) = files.get(name) {
        return f;
    }
    let text = std::fs::read_to_string(onet_dir().join(name)).expect("read release file");
    let mut lines = text.lines().map(|l| {
        l.trim_end_matches('\r')
            .split('\t')
            .map(str::to_owned)
            .collect::<Vec<_>>()
    });
    let header = lines.next().expect("header");
    let parsed: &'static (Vec<String>, Vec<Vec<String>>) =
        Box::leak(Box::new((header, lines.collect())));
    files.insert(name.to_owned(), parsed);
    parsed
}

/// A number as O*NET's API prints it: `4.00` → `4`, `0.1830` → `0.183`.
fn api_number(s: &str) -> String {
    if !s.contains('.') {
        return s.to_owned();
    }
    let t = s.trim_end_matches('0').trim_end_matches('.');
    if t.is_empty() {
        "0".into()
    } else {
        t.to_owned()
    }
}

/// `07/2017` → `2017-07-01`.
fn api_date(s: &str) -> String {
    match s.split_once('/') {
        Some((m, y)) => format!("{y}-{m}-01"),
        None => s.to_owned(),
    }
}

/// The API's columns and values for `table` rows of `code`, in file order.
fn table_rows(table: &str, code: &str) -> Option<Vec<ApiRow>> {
    let titles: HashMap<&str, &str> = file("Occupation Data.txt")
        .1
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    let na = |v: &str| (v != "n/a" && !v.is_empty()).then(|| v.to_owned());
    match table {
        "occupation_data" => Some(
            file("Occupation Data.txt")
                .1
                .iter()
                .filter(|r| r[0] == code)
                .map(|r| {
                    vec![
                        ("onetsoc_code", Some(r[0].clone())),
                        ("title", Some(r[1].clone())),
                        ("description", Some(r[2].clone())),
                    ]
                })
                .collect(),
        ),
        "skills" | "knowledge" => {
            let name = if table == "skills" {
                "Skills.txt"
            } else {
                "Knowledge.txt"
            };
            Some(
                file(name)
                    .1
                    .iter()
                    .filter(|r| r[0] == code)
                    .map(|r| {
                        vec![
                            ("onetsoc_code", Some(r[0].clone())),
                            ("title", titles.get(r[0].as_str()).map(|t| t.to_string())),
                            ("element_id", Some(r[1].clone())),
                            ("element_name", Some(r[2].clone())),
                            ("scale_id", Some(r[3].clone())),
                            (
                                "scale_name",
                                Some(if r[3] == "IM" { "Importance" } else { "Level" }.to_owned()),
                            ),
                            ("data_value", Some(api_number(&r[4]))),
                            ("n", na(&r[5])),
                            ("standard_error", na(&r[6]).map(|v| api_number(&v))),
                            ("lower_ci_bound", na(&r[7]).map(|v| api_number(&v))),
                            ("upper_ci_bound", na(&r[8]).map(|v| api_number(&v))),
                            ("recommend_suppress", na(&r[9])),
                            ("not_relevant", na(&r[10])),
                            ("date_updated", na(&r[11]).map(|d| api_date(&d))),
                            ("domain_source", na(&r[12])),
                        ]
                    })
                    .collect(),
            )
        }
        _ => None,
    }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const NUMERIC: [&str; 6] = [
    "data_value",
    "n",
    "standard_error",
    "lower_ci_bound",
    "upper_ci_bound",
    "job_zone",
];

async fn rows(
    State(shared): State<Arc<Shared>>,
    Path(table): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Response {
    shared.requests.fetch_add(1, Ordering::SeqCst);
    shared.log.lock().unwrap().push(uri.to_string());
    let fault = {
        let mut plan = shared.plan.lock().unwrap();
        plan.queued.pop_front().or_else(|| plan.always.clone())
    };
    let mut truncate = false;
    match fault {
        Some(Fault::Status(code, retry_after, body)) => {
            let mut r = (StatusCode::from_u16(code).unwrap(), body).into_response();
            if let Some(s) = retry_after {
                r.headers_mut().insert(header::RETRY_AFTER, s.into());
            }
            return r;
        }
        Some(Fault::Body(content_type, body)) => {
            return ([(header::CONTENT_TYPE, content_type)], body).into_response();
        }
        Some(Fault::Delay(d)) => tokio::time::sleep(d).await,
        Some(Fault::Truncate) => truncate = true,
        None => {}
    }
    let authorized = match shared.flavor {
        Flavor::V2 => headers.get("x-api-key").is_some_and(|v| v == API_KEY),
        _ => {
            use base64::Engine;
            let expected =
                base64::engine::general_purpose::STANDARD.encode(format!("{USERNAME}:{PASSWORD}"));
            headers
                .get(header::AUTHORIZATION)
                .is_some_and(|v| v.to_str().ok() == Some(&format!("Basic {expected}")))
        }
    };
    if !authorized {
        return match shared.flavor {
            // What v2 is reported to send for a bad key: nginx's HTML page.
            Flavor::V2 => (StatusCode::FORBIDDEN, [(header::CONTENT_TYPE, "text/html")], "<html><head><title>403 Forbidden</title></head><body><center><h1>403 Forbidden</h1></center><hr><center>nginx</center></body></html>").into_response(),
            _ => (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Basic realm=\"O*NET Web Services\"")], "Authorization Error").into_response(),
        };
    }
    let filter = q.get("filter").cloned().unwrap_or_default();
    let Some(code) = filter.strip_prefix("onetsoc_code.eq.") else {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            axum::Json(serde_json::json!({"error": "this fake needs filter=onetsoc_code.eq.CODE"})),
        )
            .into_response();
    };
    let Some(all) = table_rows(&table, code) else {
        return (StatusCode::NOT_FOUND, "Not Found").into_response();
    };
    let total = all.len();
    let start: usize = q
        .get("start")
        .and_then(|s| s.parse().ok())
        .unwrap_or(1)
        .max(1);
    let end: usize = q
        .get("end")
        .and_then(|s| s.parse().ok())
        .unwrap_or(start + 19)
        .min(start + 19);
    let page: Vec<_> = all.iter().skip(start - 1).take(end + 1 - start).collect();
    let shown_end = (start - 1 + page.len()).max(start.min(total));
    let path = format!("{}database/rows/{table}", shared.base);
    let next = (start - 1 + page.len() < total).then(|| {
        format!(
            "{path}?filter={filter}&start={}&end={}",
            start + 20,
            start + 39
        )
    });
    let mut body = match shared.flavor {
        Flavor::V1_9Xml => {
            let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\n");
            x.push_str(&format!(
                "<rows info=\"{}database/info/{table}\" start=\"{start}\" end=\"{shown_end}\" total=\"{total}\">\n",
                shared.base
            ));
            if let Some(n) = &next {
                x.push_str(&format!(
                    "\t<link href=\"{}\" rel=\"next\" />\n",
                    xml_escape(n)
                ));
            }
            x.push_str(&format!(
                "\t<table_id>{table}</table_id>\n\t<filter>{}</filter>\n",
                xml_escape(&filter)
            ));
            for row in &page {
                x.push_str("\t<row>\n");
                for (k, v) in row.iter() {
                    x.push_str(&format!(
                        "\t\t<{k}>{}</{k}>\n",
                        xml_escape(v.as_deref().unwrap_or(""))
                    ));
                }
                x.push_str("\t</row>\n");
            }
            x.push_str("</rows>\n");
            x
        }
        Flavor::V1_9Json | Flavor::V2 => {
            let json_rows: Vec<serde_json::Value> = page
                .iter()
                .map(|row| {
                    serde_json::Value::Object(
                        row.iter()
                            .map(|(k, v)| {
                                let value = match v {
                                    None => serde_json::Value::Null,
                                    Some(s) if NUMERIC.contains(k) => match s.parse::<i64>() {
                                        Ok(i) => serde_json::json!(i),
                                        Err(_) => s
                                            .parse::<f64>()
                                            .map(|f| serde_json::json!(f))
                                            .unwrap_or(serde_json::Value::Null),
                                    },
                                    Some(s) => serde_json::Value::String(s.clone()),
                                };
                                (k.to_string(), value)
                            })
                            .collect(),
                    )
                })
                .collect();
            let mut doc = serde_json::json!({"start": start, "end": shown_end, "total": total, "row": json_rows});
            if shared.flavor == Flavor::V2 {
                if let Some(n) = &next {
                    doc["next"] = serde_json::json!(n);
                }
            } else {
                doc["info"] = serde_json::json!(format!("{}database/info/{table}", shared.base));
                doc["table_id"] = serde_json::json!(table);
                doc["link"] = serde_json::json!(
                    next.iter()
                        .map(|n| serde_json::json!({"href": n, "rel": "next"}))
                        .collect::<Vec<_>>()
                );
            }
            doc.to_string()
        }
    };
    if truncate {
        body.truncate(body.len() / 2);
    }
    let content_type = if shared.flavor == Flavor::V1_9Xml {
        "application/xml"
    } else {
        "application/json"
    };
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}
