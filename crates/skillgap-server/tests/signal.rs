//! Stopping the server by signal. In a file of its own: the test signals its own process.
#![cfg(unix)]

use std::time::Duration;

/// A supervisor may stop the server the moment it answers, before the server's main loop has
/// polled its shutdown future. The handler must already be installed then: otherwise SIGTERM's
/// default action ends the process (here, this test binary) instead of a graceful shutdown.
#[tokio::test]
async fn a_sigterm_sent_before_the_shutdown_future_is_first_polled_is_heard() {
    let shutdown = skillgap_server::shutdown_signal();
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &std::process::id().to_string()])
        .status()
        .expect("run kill");
    assert!(sent.success());
    tokio::time::timeout(Duration::from_secs(10), shutdown)
        .await
        .expect("the shutdown future completes on the SIGTERM sent before it was polled");
}
