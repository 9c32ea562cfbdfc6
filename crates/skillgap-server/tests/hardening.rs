//! The server against hostile or careless clients, over a real socket: slow and idle
//! connections are closed, connections beyond the cap are shed while others are served, oversized
//! requests are refused at once with problem+json bodies, keys sent in the query string never
//! reach the log, outages are logged with what failed and why, and the OpenAPI document says all
//! of this. Resource use under floods is measured by bench/flood.sh and bench/soak.sh instead.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use common::Server;
use serde_json::Value;
use skillgap_testkit::TestDatabase;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const WEB_DEV: &str = "15-1254.00";
const IT_MANAGER: &str = "11-3021.00";

/// Longest any test waits for the server to do something; a guard against hanging, never a
/// measurement.
const GUARD: Duration = Duration::from_secs(30);

async fn sqlite() -> TestDatabase {
    TestDatabase::create(skillgap_testkit::Backend::Sqlite)
        .await
        .unwrap()
}

/// Every log line of this test binary, as text (the tests look for their own markers).
fn logs() -> String {
    static BUF: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    let buf = BUF.get_or_init(|| {
        let buf = Arc::new(Mutex::new(Vec::new()));
        struct Capture(Arc<Mutex<Vec<u8>>>);
        impl Write for Capture {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(b);
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let writer = buf.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_max_level(tracing::Level::INFO)
            .with_writer(move || Capture(writer.clone()))
            .finish();
        tracing::subscriber::set_global_default(subscriber).unwrap();
        buf
    });
    String::from_utf8_lossy(&buf.lock().unwrap()).into_owned()
}

async fn connect(s: &Server) -> TcpStream {
    TcpStream::connect(s.base.trim_start_matches("http://"))
        .await
        .unwrap()
}

/// Reads until the server closes the connection (end of stream or reset); what it sent.
async fn until_closed(c: &mut TcpStream) -> Vec<u8> {
    let mut all = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(GUARD, c.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return all,
            Ok(Ok(n)) => all.extend_from_slice(&buf[..n]),
            Err(_) => panic!("the server kept the connection open"),
        }
    }
}

/// One HTTP/1.1 response off a kept-alive connection: status line and headers, and the body.
async fn response(c: &mut TcpStream) -> (String, Vec<u8>) {
    let mut all = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        if let Some(end) = all.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&all[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse().unwrap());
            if all.len() >= end + 4 + length {
                return (head, all[end + 4..end + 4 + length].to_vec());
            }
        }
        let n = tokio::time::timeout(GUARD, c.read(&mut buf))
            .await
            .expect("no response")
            .unwrap();
        assert!(
            n > 0,
            "closed mid-response: {}",
            String::from_utf8_lossy(&all)
        );
        all.extend_from_slice(&buf[..n]);
    }
}

fn get(path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: test\r\n\r\n").into_bytes()
}

#[tokio::test]
async fn a_client_trickling_its_headers_is_cut_off() {
    let s = Server::start(sqlite().await, |c| {
        c.header_timeout = Duration::from_millis(500);
        c.keepalive_timeout = Duration::from_secs(3600);
    })
    .await;
    let mut c = connect(&s).await;
    c.write_all(b"GET /health HTTP/1.1\r\nHost: test\r\n")
        .await
        .unwrap();
    // A header every 100 ms keeps bytes flowing (so the connection is never idle) but never
    // finishes the head; the server must hang up on its own.
    let mut cut_off = false;
    for i in 0..300 {
        if c.write_all(format!("X-Slow-{i}: y\r\n").as_bytes())
            .await
            .is_err()
        {
            cut_off = true;
            break;
        }
        let mut byte = [0u8; 1];
        match tokio::time::timeout(Duration::from_millis(100), c.read(&mut byte)).await {
            Ok(Ok(0)) | Ok(Err(_)) => {
                cut_off = true;
                break;
            }
            Ok(Ok(_)) => panic!("the server answered a head it never got in full"),
            Err(_) => {}
        }
    }
    assert!(cut_off, "a 30 s trickle was never cut off");
    // Others are still served.
    assert_eq!(s.get("/health").await.0, 200);
    s.stop().await;
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed() {
    let s = Server::start(sqlite().await, |c| {
        c.header_timeout = Duration::from_secs(3600);
        c.keepalive_timeout = Duration::from_millis(300);
    })
    .await;
    let mut c = connect(&s).await;
    c.write_all(&get("/health")).await.unwrap();
    let (head, body) = response(&mut c).await;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert_eq!(body, br#"{"status":"ok"}"#);
    // Nothing more is sent: the server closes the connection without another answer.
    assert_eq!(until_closed(&mut c).await, b"");
    s.stop().await;
}

#[tokio::test]
async fn a_request_that_arrives_as_the_idle_timer_falls_due_is_answered() {
    // Client and server share this test's one runtime thread. Blocking it past the keep-alive
    // timeout, as a busy machine or a long reload can, makes each connection's idle timer and
    // the client's next request come due together: the request must win, every time.
    let s = Server::start(sqlite().await, |c| {
        c.header_timeout = Duration::from_secs(3600);
        c.keepalive_timeout = Duration::from_millis(300);
    })
    .await;
    let mut kept = Vec::new();
    for _ in 0..16 {
        let mut c = connect(&s).await;
        c.write_all(&get("/health")).await.unwrap();
        let (head, _) = response(&mut c).await;
        assert!(head.starts_with("http/1.1 200"), "{head}");
        kept.push(c);
    }
    for c in &mut kept {
        c.write_all(&get("/health")).await.unwrap();
    }
    std::thread::sleep(Duration::from_millis(600));
    for (i, c) in kept.iter_mut().enumerate() {
        let answer = tokio::time::timeout(GUARD, async {
            let mut all = Vec::new();
            let mut buf = [0u8; 4096];
            while !all.ends_with(br#"{"status":"ok"}"#) {
                match c.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => all.extend_from_slice(&buf[..n]),
                }
            }
            String::from_utf8_lossy(&all).into_owned()
        })
        .await
        .expect("no answer");
        assert!(
            answer.starts_with("HTTP/1.1 200"),
            "connection {i} was closed under its request: {answer:?}"
        );
    }
    s.stop().await;
}

#[tokio::test]
async fn connections_beyond_the_cap_are_shed_while_others_are_served() {
    let s = Server::start(sqlite().await, |c| c.max_connections = 2).await;
    let mut idle = connect(&s).await;
    let mut busy = connect(&s).await;
    busy.write_all(&get("/health")).await.unwrap();
    let (head, _) = response(&mut busy).await;
    assert!(head.starts_with("http/1.1 200"), "{head}");

    let mut extra = connect(&s).await;
    extra
        .write_all(&get(&format!("/occupations/{WEB_DEV}")))
        .await
        .unwrap();
    let shed = String::from_utf8(until_closed(&mut extra).await).unwrap();
    let (head, body) = shed.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 503 "), "{head}");
    assert!(
        head.contains("content-type: application/problem+json"),
        "{head}"
    );
    assert!(head.contains("retry-after: 1"), "{head}");
    let problem: Value = serde_json::from_str(body).unwrap();
    assert_eq!(problem["type"], "urn:skillgap:problem:overloaded");
    assert_eq!(problem["status"], 503);
    assert!(
        problem["detail"].as_str().unwrap().contains("(2)"),
        "{problem}"
    );

    // The connections within the cap are still served…
    busy.write_all(&get(&format!("/occupations/{WEB_DEV}")))
        .await
        .unwrap();
    let (head, body) = response(&mut busy).await;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    let occupation: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(occupation["code"], WEB_DEV);
    // …and a closed one frees its place.
    idle.shutdown().await.unwrap();
    drop(idle);
    let mut status = 0;
    for _ in 0..300 {
        let mut c = connect(&s).await;
        c.write_all(&get("/health")).await.unwrap();
        let answer = until_closed_or_response(&mut c).await;
        status = answer;
        if status == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(status, 200);
    s.stop().await;
}

/// The status of the first answer on a fresh connection.
async fn until_closed_or_response(c: &mut TcpStream) -> u16 {
    let mut all = Vec::new();
    let mut buf = [0u8; 4096];
    while !all.windows(2).any(|w| w == b"\r\n") {
        match tokio::time::timeout(GUARD, c.read(&mut buf)).await {
            Ok(Ok(n)) if n > 0 => all.extend_from_slice(&buf[..n]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&all)
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn an_oversized_declared_body_is_refused_before_it_is_sent() {
    let s = Server::start(sqlite().await, |c| {
        c.api_keys = skillgap_server::ApiKeys::parse("k-secret")
    })
    .await;
    let mut c = connect(&s).await;
    // The head promises 100 MB and no body follows: the answer cannot depend on reading it.
    c.write_all(
        b"POST /skill-gap HTTP/1.1\r\nHost: test\r\nX-API-Key: k-secret\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n",
    )
    .await
    .unwrap();
    let (head, body) = response(&mut c).await;
    assert!(head.starts_with("http/1.1 413"), "{head}");
    assert!(
        head.contains("content-type: application/problem+json"),
        "{head}"
    );
    let problem: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(problem["type"], "urn:skillgap:problem:payload-too-large");
    assert_eq!(problem["status"], 413);
    // Just over the limit is refused too; at the limit is read (and judged as JSON).
    let client = &s.client;
    let url = format!("{}/skill-gap", s.base);
    let limit = skillgap_server::Settings::default().max_body_bytes;
    for (size, want) in [(limit + 1, 413), (limit, 400)] {
        let r = client
            .post(&url)
            .header("x-api-key", "k-secret")
            .header("content-type", "application/json")
            .body(vec![b' '; size])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), want, "{size} bytes");
    }
    s.stop().await;
}

#[tokio::test]
async fn long_uris_and_large_headers_get_problem_bodies() {
    let s = Server::start(sqlite().await, |_| {}).await;
    let long_path = format!("/occupations/{}", "9".repeat(2000));
    let long_query = format!("/occupations?q={}", "a".repeat(5000));
    for (path, detail) in [
        (long_path.as_str(), "the path is longer than 1024 bytes"),
        (
            long_query.as_str(),
            "the query string is longer than 4096 bytes",
        ),
    ] {
        let (status, ct, body) = s.get(path).await;
        assert_eq!((status, ct.as_str()), (414, "application/problem+json"));
        assert_eq!(body["type"], "urn:skillgap:problem:uri-too-long");
        assert_eq!(body["detail"], detail);
    }
    let r = s
        .client
        .get(format!("{}/health", s.base))
        .header("x-padding", "p".repeat(20_000))
        .send()
        .await
        .unwrap();
    let (status, ct, body) = Server::unpack(r).await;
    assert_eq!((status, ct.as_str()), (431, "application/problem+json"));
    assert_eq!(body["type"], "urn:skillgap:problem:headers-too-large");
    assert_eq!(body["status"], 431);
    s.stop().await;
}

#[tokio::test]
async fn a_code_with_blanks_around_it_is_not_a_code() {
    let s = Server::start(sqlite().await, |_| {}).await;
    for (path, parameter) in [
        (format!("/occupations/%20{WEB_DEV}"), "code"),
        (format!("/occupations/{WEB_DEV}%20/profile"), "code"),
        (
            format!("/skill-gap?from=%20{WEB_DEV}&to={IT_MANAGER}"),
            "from",
        ),
        (format!("/skill-gap?from={WEB_DEV}&to={IT_MANAGER}+"), "to"),
        (
            format!("/skill-gap?from={WEB_DEV}&to={IT_MANAGER}&domain=+skills"),
            "domain",
        ),
        (
            format!("/skill-gap?from={WEB_DEV}&to={IT_MANAGER}&include=+surplus"),
            "include",
        ),
    ] {
        let (status, ct, body) = s.get(&path).await;
        assert_eq!(
            (status, ct.as_str()),
            (400, "application/problem+json"),
            "{path}"
        );
        assert_eq!(body["parameter"], parameter, "{path}");
    }
    // The exact spellings are still answered.
    assert_eq!(s.get(&format!("/occupations/{WEB_DEV}")).await.0, 200);
    assert_eq!(
        s.get(&format!(
            "/skill-gap?from={WEB_DEV}&to={IT_MANAGER}&include=surplus&domain="
        ))
        .await
        .0,
        200
    );
    s.stop().await;
}

#[tokio::test]
async fn keys_sent_in_the_query_string_are_not_logged() {
    logs(); // captures from here on
    let s = Server::start(sqlite().await, |c| {
        c.api_keys = skillgap_server::ApiKeys::parse("k-secret")
    })
    .await;
    for query in [
        "q=web&api_key=hunter2-first",
        "q=web&api%5Fkey=hunter2-second",
        "access_token=hunter2-third&q=web",
        "q=web&KEY=hunter2-fourth",
    ] {
        let (status, _, _) = s
            .get(&format!("/occupations?{query}&marker=redaction"))
            .await;
        assert_eq!(status, 401, "{query}");
    }
    let logs = logs();
    let lines: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains("marker=redaction"))
        .collect();
    assert_eq!(lines.len(), 4, "{logs}");
    assert!(!logs.contains("hunter2"), "{logs}");
    for shown in [
        "/occupations?q=web&api_key=***&marker=redaction",
        "/occupations?q=web&api%5Fkey=***&marker=redaction",
        "/occupations?access_token=***&q=web&marker=redaction",
        "/occupations?q=web&KEY=***&marker=redaction",
    ] {
        assert!(
            lines.iter().any(|l| l.contains(shown)),
            "{shown}: {lines:?}"
        );
    }
    s.stop().await;
}

#[tokio::test]
async fn an_outage_is_logged_with_the_operation_and_the_reason() {
    logs(); // captures from here on
    let s = Server::start(sqlite().await, |_| {}).await;
    assert_eq!(s.get("/ready").await.0, 200);
    s.store.close().await;
    let (status, _, body) = s.get("/ready").await;
    assert_eq!(status, 503);
    assert_eq!(body["type"], "urn:skillgap:problem:not-ready");
    // Answers still come from memory.
    assert_eq!(s.get(&format!("/occupations/{WEB_DEV}")).await.0, 200);
    let logs = logs();
    let line = logs
        .lines()
        .find(|l| l.contains("readiness check: ping the store"))
        .unwrap_or_else(|| panic!("{logs}"));
    assert!(line.contains("database error: "), "{line}");
    assert!(line.contains("closed pool"), "{line}");
    s.stop().await;
}

#[tokio::test]
async fn the_document_is_open_and_describes_keys_limits_and_errors() {
    let s = Server::start(sqlite().await, |c| {
        c.api_keys = skillgap_server::ApiKeys::parse("k-secret")
    })
    .await;
    let (status, ct, doc) = s.get("/openapi.json").await;
    assert_eq!((status, ct.as_str()), (200, "application/json"));
    assert_eq!(s.get("/skill-gap").await.0, 401);

    let scheme = &doc["components"]["securitySchemes"]["api_key"];
    assert_eq!(scheme["type"], "apiKey");
    assert_eq!(scheme["in"], "header");
    assert_eq!(scheme["name"], "X-API-Key");
    assert_eq!(doc["security"], serde_json::json!([{"api_key": []}]));
    assert_eq!(
        doc["paths"]["/health"]["get"]["security"],
        serde_json::json!([])
    );

    let gap = &doc["paths"]["/skill-gap"]["get"];
    let param = |name: &str| {
        gap["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{name}"))
            .clone()
    };
    for name in ["from", "to"] {
        let p = param(name);
        assert_eq!(p["required"], true, "{name}");
        assert_eq!(p["schema"]["pattern"], r"^[0-9]{2}-[0-9]{4}\.[0-9]{2}$");
    }
    let importance = &param("min_importance")["schema"];
    assert_eq!(importance["type"], "number");
    assert_eq!(importance["minimum"].as_f64(), Some(1.0));
    assert_eq!(importance["maximum"].as_f64(), Some(5.0));
    assert_eq!(
        param("source")["schema"]["enum"],
        serde_json::json!(["onet", "llm", "best", ""])
    );
    for status in [
        "200", "400", "401", "404", "405", "409", "413", "414", "431", "503",
    ] {
        let r = &gap["responses"][status];
        assert!(r.is_object(), "GET /skill-gap lacks {status}");
        if status != "200" {
            assert!(
                r["content"]["application/problem+json"].is_object(),
                "{status}"
            );
        }
    }
    assert!(
        doc["paths"]["/metrics"]["get"]["responses"]["200"]["content"]
            ["application/openmetrics-text"]
            .is_object()
    );
    // An open server requires nothing.
    let open =
        skillgap_server::openapi::document(skillgap_server::app::api().into_openapi(), false);
    assert!(open.security.is_none());
    s.stop().await;
}
