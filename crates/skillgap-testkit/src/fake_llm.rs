//! A local stand-in for an OpenAI-compatible chat completions endpoint, started by a test. It
//! reads the proficiency prompt (occupation code, descriptor ids) and answers by a fixed rule
//! ([`fake_rating`]) so tests can compute by hand what was stored; it answers narrative prompts
//! with a fixed sentence. Faults are queued per test.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;

use crate::onet_dir;

/// The key the fake accepts (`Authorization: Bearer …`).
pub const API_KEY: &str = "fake-llm-key";
/// The model name the fake reports.
pub const MODEL: &str = "fake-model-1";

/// How to spoil an otherwise correct proficiency answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mangle {
    /// Leave out the first descriptor.
    DropFirst,
    /// Rate the first descriptor twice.
    DuplicateFirst,
    /// Give the first descriptor level 9.
    LevelNine,
    /// Answer in prose.
    NotJson,
    /// Wrap the (correct) JSON in a markdown fence — acceptable.
    Fenced,
}

/// Something to do instead of answering normally.
#[derive(Clone, Debug)]
pub enum LlmFault {
    /// Answer this status (with `Retry-After` seconds for 429s).
    Status(u16, Option<u32>),
    /// Wait, then answer normally.
    Delay(Duration),
    /// Answer with a spoilt proficiency answer.
    Answer(Mangle),
    /// Refuse `response_format` with a 400, as servers without structured output do.
    RejectSchema,
}

#[derive(Default)]
struct Plan {
    queued: VecDeque<LlmFault>,
    always: Option<LlmFault>,
}

struct Shared {
    requests: AtomicUsize,
    bodies: Mutex<Vec<serde_json::Value>>,
    plan: Mutex<Plan>,
}

/// A running fake; stops when dropped.
pub struct FakeLlm {
    /// Base URL (`SKILLGAP_LLM_URL`).
    pub base_url: String,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeLlm {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeLlm {
    /// Starts a fake on a free port.
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind fake LLM");
        let addr = listener.local_addr().expect("address");
        let shared = Arc::new(Shared {
            requests: AtomicUsize::new(0),
            bodies: Mutex::new(Vec::new()),
            plan: Mutex::new(Plan::default()),
        });
        let app = axum::Router::new()
            .route("/v1/chat/completions", post(complete))
            .with_state(shared.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            base_url: format!("http://{addr}/v1"),
            shared,
            task,
        }
    }

    /// Environment for skillgap to use this fake.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("SKILLGAP_LLM_URL", self.base_url.clone()),
            ("SKILLGAP_LLM_MODEL", MODEL.into()),
            ("SKILLGAP_LLM_API_KEY", API_KEY.into()),
        ]
    }

    /// Requests answered so far.
    pub fn requests(&self) -> usize {
        self.shared.requests.load(Ordering::SeqCst)
    }

    /// Every request body so far.
    pub fn bodies(&self) -> Vec<serde_json::Value> {
        self.shared.bodies.lock().unwrap().clone()
    }

    /// Queues faults for the next requests, one each.
    pub fn fail_next(&self, faults: impl IntoIterator<Item = LlmFault>) {
        self.shared.plan.lock().unwrap().queued.extend(faults);
    }

    /// Applies `fault` to every request from now on (`None` to stop).
    pub fn always(&self, fault: Option<LlmFault>) {
        self.shared.plan.lock().unwrap().always = fault;
    }
}

/// (code, element) → (importance, level) from the real 29.0 Skills and Knowledge files.
fn onet() -> &'static HashMap<(String, String), (f64, f64)> {
    static O: OnceLock<HashMap<(String, String), (f64, f64)>> = OnceLock::new();
    O.get_or_init(|| {
        let mut im = HashMap::new();
        let mut lv = HashMap::new();
        for file in ["Skills.txt", "Knowledge.txt"] {
            let text = std::fs::read_to_string(onet_dir().join(file)).expect("read ratings");
            for line in text.lines().skip(1) {
                let f: Vec<&str> = line.trim_end_matches('\r').split('\t').collect();
                let key = (f[0].to_owned(), f[1].to_owned());
                let v: f64 = f[4].parse().expect("number");
                match f[3] {
                    "IM" => im.insert(key, v),
                    _ => lv.insert(key, v),
                };
            }
        }
        im.into_iter()
            .map(|(k, i)| (k.clone(), (i, lv[&k])))
            .collect()
    })
}

/// The fake's answer for descriptor number `index` (in prompt order) of `code`: O*NET's values
/// shifted by a fixed pattern where O*NET rates the occupation, a fixed ladder elsewhere. Every
/// value has two decimals and lies inside the scales.
pub fn fake_rating(code: &str, element: &str, index: usize) -> (f64, f64) {
    match onet().get(&(code.to_owned(), element.to_owned())) {
        Some((im, lv)) => {
            let (di, dl) = [(0.25, 0.5), (-0.25, -0.5), (0.5, 0.0), (0.0, 1.0)][index % 4];
            ((im + di).clamp(1.0, 5.0), (lv + dl).clamp(0.0, 7.0))
        }
        None => (
            2.5 + (index % 3) as f64 * 0.5,
            1.0 + (index % 5) as f64 * 0.75,
        ),
    }
}

fn proficiency_answer(user: &str, mangle: Option<Mangle>) -> String {
    let code = user
        .split("Occupation: ")
        .nth(1)
        .map(|r| r.chars().take(10).collect::<String>())
        .unwrap_or_default();
    let ids: Vec<String> = user
        .lines()
        .filter_map(|l| l.strip_prefix("- "))
        .filter_map(|rest| rest.split_whitespace().next())
        .filter(|id| id.chars().next().is_some_and(|c| c.is_ascii_digit()) && id.contains('.'))
        .map(str::to_owned)
        .collect();
    let mut ratings: Vec<serde_json::Value> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let (importance, level) = fake_rating(&code, id, i);
            serde_json::json!({"element_id": id, "importance": importance, "level": level, "justification": format!("fake rule #{i}")})
        })
        .collect();
    match mangle {
        Some(Mangle::DropFirst) => {
            ratings.remove(0);
        }
        Some(Mangle::DuplicateFirst) => {
            let first = ratings[0].clone();
            ratings.push(first);
        }
        Some(Mangle::LevelNine) => ratings[0]["level"] = serde_json::json!(9),
        Some(Mangle::NotJson) => {
            return format!(
                "{code} looks like a demanding job; I would rate reading at about four."
            );
        }
        _ => {}
    }
    let json = serde_json::json!({ "ratings": ratings }).to_string();
    if mangle == Some(Mangle::Fenced) {
        format!("Here are the ratings:\n```json\n{json}\n```\n")
    } else {
        json
    }
}

async fn complete(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Json(body): Json<serde_json::Value>,
) -> Response {
    shared.requests.fetch_add(1, Ordering::SeqCst);
    shared.bodies.lock().unwrap().push(body.clone());
    let fault = {
        let mut plan = shared.plan.lock().unwrap();
        plan.queued.pop_front().or_else(|| plan.always.clone())
    };
    let mut mangle = None;
    match fault {
        Some(LlmFault::Status(code, retry_after)) => {
            let mut r = (
                StatusCode::from_u16(code).unwrap(),
                Json(serde_json::json!({"error": {"message": "fake failure"}})),
            )
                .into_response();
            if let Some(s) = retry_after {
                r.headers_mut().insert(header::RETRY_AFTER, s.into());
            }
            return r;
        }
        Some(LlmFault::Delay(d)) => tokio::time::sleep(d).await,
        Some(LlmFault::Answer(m)) => mangle = Some(m),
        Some(LlmFault::RejectSchema) if body.get("response_format").is_some() => {
            return (StatusCode::BAD_REQUEST, Json(serde_json::json!({"error": {"message": "response_format json_schema is not supported"}})))
                .into_response();
        }
        _ => {}
    }
    if headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        != Some(&format!("Bearer {API_KEY}"))
    {
        return (
            StatusCode::UNAUTHORIZED,
            Json(serde_json::json!({"error": {"message": "bad key"}})),
        )
            .into_response();
    }
    let user = body["messages"]
        .as_array()
        .and_then(|m| m.iter().find(|x| x["role"] == "user"))
        .and_then(|m| m["content"].as_str())
        .unwrap_or("")
        .to_owned();
    let content = if user.contains("Rate each of these") {
        proficiency_answer(&user, mangle)
    } else {
        let facts = user.split_once('\n').map(|(_, f)| f).unwrap_or("");
        let v: serde_json::Value = serde_json::from_str(facts).unwrap_or_default();
        let narrative = format!(
            "Moving from {} to {} means closing {} shortages; the largest is {}.",
            v["from"]["title"].as_str().unwrap_or("?"),
            v["to"]["title"].as_str().unwrap_or("?"),
            v["summary"]["shortages"],
            v["largest_shortages"][0]["skill"]
                .as_str()
                .unwrap_or("none")
        );
        serde_json::json!({ "narrative": narrative }).to_string()
    };
    let prompt_tokens = (user.len() / 4) as u64;
    let completion_tokens = (content.len() / 4) as u64;
    Json(serde_json::json!({
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "model": MODEL,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens, "total_tokens": prompt_tokens + completion_tokens}
    }))
    .into_response()
}
