//! What the CLI test files share: the binary with a clean environment, and `skillgap serve`
//! started on a free port.

// Each test file is its own crate and uses only part of this.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// The `skillgap` binary, never inheriting logging, API keys, a bind address, O*NET credentials
/// or an LLM endpoint from a developer's environment.
pub fn skillgap() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_skillgap"));
    c.env_remove("RUST_LOG")
        .env_remove("SKILLGAP_API_KEYS")
        .env_remove("SKILLGAP_BIND");
    for (k, _) in std::env::vars() {
        if k.starts_with("SKILLGAP_ONET_") || k.starts_with("SKILLGAP_LLM_") {
            c.env_remove(k);
        }
    }
    c
}

/// Spawns `command` (a `serve` with `--bind 127.0.0.1:0`), waits until it says where it listens,
/// and returns it with its base URL. Its stderr is drained so request logs never block it.
pub fn start_serve(mut command: Command) -> (Child, String) {
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn skillgap serve");
    let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
    let base = loop {
        let line = lines
            .next()
            .expect("serve exited before listening")
            .expect("read serve's stderr");
        if let Some(rest) = line.strip_prefix("skillgap listening on ") {
            break rest
                .split_whitespace()
                .next()
                .expect("listening address")
                .to_owned();
        }
    };
    std::thread::spawn(move || lines.for_each(drop));
    (child, base)
}
