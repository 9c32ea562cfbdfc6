//! A tiny HTTP/1.1 server for download tests. It answers each path from a script of answers (the
//! last one repeats) and can misbehave in the ways a download must survive, such as a body cut
//! off before its announced length, which a well-behaved server library refuses to send.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// One answer to one request.
#[derive(Clone, Debug)]
pub enum Answer {
    /// 200 with this content type and body.
    Ok {
        /// The `Content-Type` header.
        content_type: &'static str,
        /// The whole body; `Content-Length` is its length.
        body: Arc<Vec<u8>>,
    },
    /// This status with a short text body.
    Status(u16),
    /// The connection closed without a word, as by a dying proxy.
    Hangup,
    /// 200 announcing the whole body's length, then only its first `sent` bytes and a close.
    CutShort {
        /// The body announced.
        body: Arc<Vec<u8>>,
        /// Bytes actually sent.
        sent: usize,
    },
}

impl Answer {
    /// 200 with a zip body (shared, since a release zip is tens of megabytes).
    pub fn zip(body: Arc<Vec<u8>>) -> Self {
        Answer::Ok {
            content_type: "application/zip",
            body,
        }
    }
}

type Script = HashMap<String, Vec<Answer>>;

/// The server; it runs on a background thread until the test process ends.
pub struct FileServer {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<String>>>,
}

impl FileServer {
    /// Serves each `(path, answers)`: the n-th request to a path gets the n-th answer, and the
    /// last answer repeats. Other paths get 404.
    pub fn start(routes: impl IntoIterator<Item = (&'static str, Vec<Answer>)>) -> Self {
        let script: Script = routes
            .into_iter()
            .map(|(p, a)| {
                assert!(!a.is_empty(), "{p}: at least one answer");
                (p.to_owned(), a)
            })
            .collect();
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind file server");
        let addr = listener.local_addr().expect("file server address");
        let log = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&log);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let _ = answer(stream, &script, &seen);
            }
        });
        Self { addr, log }
    }

    /// The full URL of `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The address, `127.0.0.1:PORT`.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The request targets (path and query) received so far, in order.
    pub fn requests(&self) -> Vec<String> {
        self.log.lock().expect("log lock").clone()
    }
}

fn answer(mut stream: TcpStream, script: &Script, log: &Mutex<Vec<String>>) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf)?;
        if n == 0 || head.len() > 64 * 1024 {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
    }
    let head = String::from_utf8_lossy(&head);
    let target = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let path = target.split('?').next().unwrap_or("/").to_owned();
    let n = {
        let mut log = log.lock().expect("log lock");
        log.push(target);
        log.iter()
            .filter(|t| t.split('?').next() == Some(path.as_str()))
            .count()
    };
    let chosen = script
        .get(&path)
        .map(|answers| answers[(n - 1).min(answers.len() - 1)].clone());
    let text = |code: u16| {
        let body = Arc::new(format!("status {code}\n").into_bytes());
        (code, "text/plain", body, None)
    };
    // `sent`: how much of the announced body goes out; all of it unless cut short.
    let (status, content_type, body, sent) = match chosen {
        Some(Answer::Hangup) => return Ok(()),
        Some(Answer::Ok { content_type, body }) => (200, content_type, body, None),
        Some(Answer::CutShort { body, sent }) => (200, "application/zip", body, Some(sent)),
        Some(Answer::Status(code)) => text(code),
        None => text(404),
    };
    write!(
        stream,
        "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body[..sent.unwrap_or(body.len())])?;
    stream.flush()
}
