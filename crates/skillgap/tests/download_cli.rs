//! `skillgap load --onet-url` and `serve --onet-url` as a user runs them: the real binary
//! downloading the real 29.0 release (zipped at test time, as the O*NET Resource Center ships it)
//! from a local server, and every way a download goes wrong. Each failure must exit non-zero with
//! a message saying what to do, never show a secret from the address, and leave the store as it was.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex, OnceLock};

use common::{loaded_store, run_on as skillgap, status, stderr};
use serde_json::Value;
use skillgap_testkit::file_server::{Answer, FileServer};
use skillgap_testkit::{onet_dir, release_zip};
use time::OffsetDateTime;
use time::format_description::well_known::{Rfc2822, Rfc3339};

const PATH: &str = "/dl_files/database/db_29_0_text.zip";

/// The zip, built once per test process.
fn zip() -> Arc<Vec<u8>> {
    static ZIP: OnceLock<Arc<Vec<u8>>> = OnceLock::new();
    Arc::clone(ZIP.get_or_init(|| Arc::new(release_zip())))
}

fn sqlite(name: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let url = common::sqlite_url(&dir.path().join(name));
    (dir, url)
}

/// Loads from `url` into a store holding 29.0; the load must fail saying `expected` (and never
/// `secrets`), and change nothing.
fn fails_and_changes_nothing(url: &str, expected: &[&str], secrets: &[&str]) -> String {
    let (_tmp, db) = loaded_store();
    let before = status(&db);
    let out = skillgap(&db, &["load", "--onet-url", url]);
    let err = stderr(&out);
    assert!(!out.status.success(), "load succeeded: {err}");
    for e in expected {
        assert!(err.contains(e), "expected {e:?} in: {err}");
    }
    for s in secrets {
        assert!(!err.contains(s), "secret {s:?} shown in: {err}");
    }
    assert_eq!(status(&db), before, "the store changed");
    err
}

#[test]
fn downloads_and_loads_the_release_then_recognises_it() {
    let server = FileServer::start([(PATH, vec![Answer::zip(zip())])]);
    let url = server.url(PATH);
    let (_tmp, db) = sqlite("download.db");
    let out = skillgap(&db, &["load", "--onet-url", &url, "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["version"], "29.0");
    let rows = |table: &str| {
        report["written"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["table"] == table)
            .unwrap()["rows"]
            .clone()
    };
    assert_eq!(rows("ratings"), 119_544);
    assert_eq!(rows("occupations"), 1_016);
    // The release record names the address, not the temporary file.
    let loaded = status(&db);
    assert_eq!(loaded["release"]["source"], url.as_str());
    assert_eq!(server.requests(), vec![PATH.to_owned()]);

    // The same bytes from the unpacked directory are the same release.
    let again = skillgap(
        &db,
        &["load", "--onet-dir", onet_dir().to_str().unwrap(), "--json"],
    );
    assert!(again.status.success(), "{}", stderr(&again));
    let again: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(again["already_loaded"], true);
    // And downloading it again loads nothing new.
    let out = skillgap(&db, &["load", "--onet-url", &url]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("O*NET 29.0 from {url} is already loaded")),
        "{text}"
    );
    assert_eq!(status(&db), loaded);
}

/// One request to a [`StaticServer`]: its target, its `If-Modified-Since`, and the status sent.
type Seen = (String, Option<String>, u16);

/// A file server answering as Apache or nginx do for a static file: `Last-Modified`, and 304
/// without a body to an `If-Modified-Since` no earlier than it.
struct StaticServer {
    addr: std::net::SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl StaticServer {
    fn start(body: Arc<Vec<u8>>, last_modified: OffsetDateTime) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                let target = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
                let since = head.lines().find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("if-modified-since")
                        .then(|| value.trim().to_owned())
                });
                let unchanged = since
                    .as_deref()
                    .and_then(|s| OffsetDateTime::parse(s, &Rfc2822).ok())
                    .is_some_and(|s| s >= last_modified);
                let modified = last_modified
                    .format(&Rfc2822)
                    .unwrap()
                    .replace("+0000", "GMT");
                let status = if unchanged { 304 } else { 200 };
                log.lock().unwrap().push((target, since, status));
                let _ = if unchanged {
                    write!(
                        stream,
                        "HTTP/1.1 304 Not Modified\r\nLast-Modified: {modified}\r\nConnection: close\r\n\r\n"
                    )
                } else {
                    write!(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nContent-Length: {}\r\nLast-Modified: {modified}\r\nConnection: close\r\n\r\n", body.len())
                        .and_then(|()| stream.write_all(&body))
                };
            }
        });
        Self { addr, seen }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

#[test]
fn a_release_loaded_from_the_same_address_is_not_downloaded_again_while_unchanged() {
    // Published yesterday, as a release zip is long before anyone loads it.
    let published = OffsetDateTime::now_utc() - time::Duration::days(1);
    let server = StaticServer::start(zip(), published);
    let url = format!("http://{}{PATH}", server.addr);
    let (_tmp, db) = sqlite("conditional.db");
    let out = skillgap(&db, &["load", "--onet-url", &url]);
    assert!(out.status.success(), "{}", stderr(&out));
    let loaded = status(&db);
    assert_eq!(loaded["release"]["source"], url.as_str());
    // Nothing loaded yet: an unconditional download.
    assert_eq!(server.seen(), vec![(PATH.to_owned(), None, 200)]);

    let out = skillgap(&db, &["load", "--onet-url", &url]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("O*NET 29.0 from {url} is already loaded")),
        "{text}"
    );
    assert_eq!(status(&db), loaded);
    let seen = server.seen();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(seen[1].2, 304, "the second load downloaded again: {seen:?}");
    // It asks about changes since an hour before the load was recorded.
    let loaded_at =
        OffsetDateTime::parse(loaded["release"]["loaded_at"].as_str().unwrap(), &Rfc3339).unwrap();
    let since = OffsetDateTime::parse(seen[1].1.as_deref().unwrap(), &Rfc2822).unwrap();
    assert_eq!(since, loaded_at - time::Duration::hours(1));

    // Another version asked for: the recorded release does not stand for it, so no condition.
    let out = skillgap(
        &db,
        &["load", "--onet-url", &url, "--release-version", "29.1"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(server.seen()[2], (PATH.to_owned(), None, 200));
    assert_eq!(status(&db)["release"]["version"], "29.1");
}

#[test]
fn a_changed_file_or_a_hidden_address_is_downloaded_and_compared() {
    // Changed at the source after the load (a republished zip): downloaded again, and the same
    // bytes are recognised by fingerprint.
    let later = OffsetDateTime::now_utc() + time::Duration::hours(2);
    let server = StaticServer::start(zip(), later);
    let url = format!("http://{}{PATH}", server.addr);
    let (_tmp, db) = sqlite("changed.db");
    for _ in 0..2 {
        let out = skillgap(&db, &["load", "--onet-url", &url]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let seen = server.seen();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(seen[1].1.is_some(), "{seen:?}");
    assert_eq!(seen[1].2, 200);
    assert_eq!(status(&db)["release"]["id"], 1);

    // An address with a query is recorded as `…?***`, which another address may share: never
    // asked conditionally.
    let published = OffsetDateTime::now_utc() - time::Duration::days(1);
    let server = StaticServer::start(zip(), published);
    let signed = format!("http://{}{PATH}?token=s3cr3t", server.addr);
    let (_tmp2, db) = sqlite("signed.db");
    for _ in 0..2 {
        let out = skillgap(&db, &["load", "--onet-url", &signed]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let target = format!("{PATH}?token=s3cr3t");
    assert_eq!(
        server.seen(),
        vec![(target.clone(), None, 200), (target, None, 200)]
    );
}

#[test]
fn a_download_cut_off_once_is_tried_again() {
    let zip = zip();
    let server = FileServer::start([(
        PATH,
        vec![
            Answer::CutShort {
                sent: zip.len() / 3,
                body: Arc::clone(&zip),
            },
            Answer::zip(Arc::clone(&zip)),
        ],
    )]);
    let (_tmp, db) = sqlite("retry.db");
    let out = skillgap(&db, &["load", "--onet-url", &server.url(PATH)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(server.requests().len(), 2);
    assert_eq!(status(&db)["release"]["version"], "29.0");
}

#[test]
fn a_download_always_cut_off_fails_after_three_attempts() {
    let zip = zip();
    let sent = zip.len() / 2;
    let server = FileServer::start([(
        PATH,
        vec![Answer::CutShort {
            body: Arc::clone(&zip),
            sent,
        }],
    )]);
    fails_and_changes_nothing(
        &server.url(PATH),
        &[&format!(
            "stopped after {sent} of {} bytes (attempt 3 of 3)",
            zip.len()
        )],
        &[],
    );
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn a_missing_release_is_a_404_with_a_hint_and_is_not_retried() {
    let server = FileServer::start([(PATH, vec![Answer::zip(zip())])]);
    let wrong = server.url("/dl_files/database/db_99_0_text.zip");
    fails_and_changes_nothing(
        &wrong,
        &[
            &format!("downloading {wrong} failed: the server answered HTTP 404"),
            "db_29_0_text.zip",
            "https://www.onetcenter.org/database.html",
        ],
        &[],
    );
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn server_errors_are_retried_then_reported() {
    let server = FileServer::start([(PATH, vec![Answer::Status(503)])]);
    fails_and_changes_nothing(
        &server.url(PATH),
        &["HTTP 503", "on every attempt", "try again later"],
        &[],
    );
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn a_web_page_instead_of_the_zip_is_refused() {
    let page = b"<!doctype html><html><body>Download O*NET</body></html>".to_vec();
    let server = FileServer::start([(
        "/database.html",
        vec![Answer::Ok {
            content_type: "text/html; charset=utf-8",
            body: Arc::new(page),
        }],
    )]);
    fails_and_changes_nothing(
        &server.url("/database.html"),
        &[
            "is not a zip archive (the server sent text/html; charset=utf-8 starting \"<!doctype html>",
            "db_29_0_text.zip",
        ],
        &[],
    );
}

#[test]
fn a_damaged_zip_names_the_address_it_came_from() {
    let zip = zip();
    let server = FileServer::start([(
        PATH,
        vec![Answer::zip(Arc::new(zip[..zip.len() / 2].to_vec()))],
    )]);
    let url = server.url(PATH);
    fails_and_changes_nothing(
        &url,
        &[
            &format!("the release downloaded from {url}"),
            "is not a readable zip archive",
        ],
        &[],
    );
}

#[test]
fn secrets_in_the_address_are_never_shown() {
    let server = FileServer::start([(PATH, vec![Answer::Status(403)])]);
    let secret = format!(
        "http://mirror-user:hunter2@{}{PATH}?token=s3cr3t-token",
        server.addr()
    );
    let err = fails_and_changes_nothing(
        &secret,
        &["HTTP 403", "http://***@127.0.0.1", "?***"],
        &["hunter2", "s3cr3t-token", "mirror-user"],
    );
    assert!(err.contains("refused access"), "{err}");
    // A broken connection: reqwest's own message would carry the whole URL.
    let hangup = FileServer::start([(PATH, vec![Answer::Hangup])]);
    fails_and_changes_nothing(
        &format!(
            "http://mirror-user:hunter2@{}{PATH}?s3cr3t-token",
            hangup.addr()
        ),
        &["cannot download http://***@127.0.0.1", "?***", "--onet-zip"],
        &["hunter2", "s3cr3t-token", "mirror-user"],
    );
    assert_eq!(hangup.requests().len(), 3, "a broken connection is retried");
}

#[test]
fn only_http_addresses_are_accepted() {
    fails_and_changes_nothing(
        "ftp://user:hunter2@example.org/db_29_0_text.zip",
        &["--onet-url must be the http:// or https:// address", "ftp:"],
        &["hunter2"],
    );
    fails_and_changes_nothing("db_29_0_text.zip", &["--onet-url must be"], &[]);
}

#[test]
fn an_unreachable_database_fails_before_downloading() {
    let server = FileServer::start([(PATH, vec![Answer::zip(zip())])]);
    let out = skillgap(
        "mysql://root@127.0.0.1:1/none",
        &["load", "--onet-url", &server.url(PATH)],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("127.0.0.1:1"), "{}", stderr(&out));
    assert!(server.requests().is_empty(), "{:?}", server.requests());
}

#[test]
fn the_address_can_come_from_the_environment() {
    let server = FileServer::start([(PATH, vec![Answer::zip(zip())])]);
    let (_tmp, db) = sqlite("env.db");
    let out = common::skillgap()
        .args(["load", "--json"])
        .env("DATABASE_URL", &db)
        .env("SKILLGAP_ONET_RELEASE_URL", server.url(PATH))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(status(&db)["release"]["source"], server.url(PATH).as_str());
    // A source on the command line wins over the environment.
    let (_tmp2, db2) = sqlite("flag.db");
    let out = common::skillgap()
        .args(["load", "--onet-dir", onet_dir().to_str().unwrap()])
        .env("DATABASE_URL", &db2)
        .env("SKILLGAP_ONET_RELEASE_URL", "ftp://not-used.example/x.zip")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(server.requests().len(), 1);
    // Neither: say every way to give one.
    let out = common::skillgap()
        .arg("load")
        .env("DATABASE_URL", &db2)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains(
            "--onet-dir DIR, --onet-zip FILE or --onet-url URL (or set SKILLGAP_ONET_RELEASE_URL)"
        ),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn serve_with_onet_url_downloads_and_loads_first() {
    let server = FileServer::start([(PATH, vec![Answer::zip(zip())])]);
    let (_tmp, db) = sqlite("serve.db");
    let mut serve = common::skillgap();
    serve
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--onet-url",
            &server.url(PATH),
        ])
        .env("DATABASE_URL", &db);
    let (mut child, base) = common::start_serve(serve);
    let answer = async {
        reqwest::get(format!("{base}/skill-gap?from=15-1254.00&to=11-3021.00"))
            .await?
            .json::<Value>()
            .await
    }
    .await;
    // Stopped before any assertion, so a failing one leaves no server behind.
    child.kill().unwrap();
    let _ = child.wait();
    let gap = answer.unwrap();
    assert_eq!(
        gap["to"]["title"],
        "Computer and Information Systems Managers"
    );
    assert_eq!(server.requests(), vec![PATH.to_owned()]);
}
