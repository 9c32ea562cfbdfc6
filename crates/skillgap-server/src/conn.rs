//! Accepting and serving connections. axum's own `serve` has no timeouts and no connection cap,
//! so a client could hold a connection (and its buffers) forever, before any API-key check. Here
//! every connection takes a permit (beyond the cap it is answered 503 and closed), must send a
//! request head within the header timeout, and is closed after sitting idle for the keep-alive
//! timeout.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tower::ServiceExt;

use crate::problem::ApiError;

/// Largest request head hyper buffers before refusing it itself (with a bare 431): above the
/// edge's own limits, so any head up to this size gets a problem+json answer from the edge.
pub const HYPER_MAX_HEAD_BYTES: usize = 64 * 1024;

/// Connection limits, from the settings.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Most connections served at once.
    pub max_connections: usize,
    /// Longest wait for a complete request head.
    pub header_timeout: Duration,
    /// Longest idle time between requests.
    pub keepalive_timeout: Duration,
    /// Longest head hyper buffers.
    pub max_head_bytes: usize,
}

/// Connections being turned away at once; beyond this they are closed without an answer, so
/// shedding itself cannot pile up.
const MAX_SHEDDING: usize = 64;

/// How long a turned-away connection gets to take its 503.
const SHED_GRACE: Duration = Duration::from_secs(1);

/// When a connection last did something, for the keep-alive timeout.
struct Activity {
    start: Instant,
    /// Milliseconds after `start` of the last byte read or response finished.
    last: AtomicU64,
    /// Requests being answered.
    busy: AtomicUsize,
}

impl Activity {
    fn touch(&self) {
        let ms = self.start.elapsed().as_millis() as u64;
        self.last.store(ms, Ordering::Relaxed);
    }

    /// How long the connection has been idle, or `None` while a request is being answered.
    fn idle_for(&self) -> Option<Duration> {
        if self.busy.load(Ordering::Relaxed) > 0 {
            return None;
        }
        let last = Duration::from_millis(self.last.load(Ordering::Relaxed));
        Some(self.start.elapsed().saturating_sub(last))
    }
}

/// Marks a request busy until dropped (also when the client goes away mid-request).
struct Busy(Arc<Activity>);

impl Busy {
    fn new(a: &Arc<Activity>) -> Self {
        a.busy.fetch_add(1, Ordering::Relaxed);
        Self(a.clone())
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.busy.fetch_sub(1, Ordering::Relaxed);
        self.0.touch();
    }
}

/// A stream that notes when bytes arrive, so a client trickling a head is not "idle" (the header
/// timeout deals with it).
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        r
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// Serves `router` on `listener` until `shutdown` completes, then lets connections finish their
/// requests in flight.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let shedding = Arc::new(Semaphore::new(MAX_SHEDDING));
    let overloaded = shed_response(limits.max_connections);
    // Dropping `stop` tells every connection to finish; `done` closes once they all have.
    let (stop, stopped) = watch::channel(());
    let (done, done_rx) = watch::channel(());
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors or memory: pause rather than spin; a peer that
                    // reset before the accept is no reason to.
                    if !matches!(
                        e.kind(),
                        io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset
                    ) {
                        tracing::warn!(error = %e, "accepting a connection failed; pausing 100 ms");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            if let Ok(slot) = shedding.clone().try_acquire_owned() {
                let body = overloaded.clone();
                tokio::spawn(async move {
                    shed(stream, &body).await;
                    drop(slot);
                });
            }
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let stopped = stopped.clone();
        let done_rx = done_rx.clone();
        tokio::spawn(async move {
            connection(stream, router, limits, stopped).await;
            drop(permit);
            drop(done_rx);
        });
    }
    drop(listener);
    drop(stop);
    drop(done_rx);
    done.closed().await;
    Ok(())
}

/// The whole 503 answer for a connection beyond the cap.
fn shed_response(max: usize) -> bytes::Bytes {
    let problem = ApiError::TooManyConnections(max).problem();
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    let mut out = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: {}\r\ncontent-length: {}\r\nretry-after: 1\r\nconnection: close\r\n\r\n",
        crate::problem::PROBLEM_JSON,
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(&body);
    out.into()
}

/// Answers 503 and closes; the request is read and dropped first, because closing a socket with
/// unread input resets it, and the client could lose the answer.
async fn shed(mut stream: TcpStream, answer: &[u8]) {
    let _ = tokio::time::timeout(SHED_GRACE, async {
        stream.write_all(answer).await?;
        stream.shutdown().await?;
        let mut sink = [0u8; 1024];
        while stream.read(&mut sink).await? > 0 {}
        io::Result::Ok(())
    })
    .await;
}

async fn connection(
    stream: TcpStream,
    router: Router,
    limits: Limits,
    mut stopped: watch::Receiver<()>,
) {
    let activity = Arc::new(Activity {
        start: Instant::now(),
        last: AtomicU64::new(0),
        busy: AtomicUsize::new(0),
    });
    let io = TokioIo::new(Watched {
        inner: stream,
        activity: activity.clone(),
    });
    let requests = activity.clone();
    let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
        let busy = Busy::new(&requests);
        let router = router.clone();
        async move {
            let response = router.oneshot(req.map(Body::new)).await;
            drop(busy);
            response
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(limits.max_head_bytes);
    let mut conn = std::pin::pin!(builder.serve_connection(io, service));
    let mut check = limits.keepalive_timeout;
    let mut closing = false;
    loop {
        tokio::select! {
            // The connection first: when the idle timer and a new request come due together
            // (after the process was starved of the processor, say), the request's bytes are
            // read and mark the connection busy before the timer can close it under the client.
            biased;
            result = conn.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(error = %e, "connection ended with an error");
                }
                return;
            }
            _ = stopped.changed(), if !closing => {
                closing = true;
                conn.as_mut().graceful_shutdown();
            }
            _ = tokio::time::sleep(check), if !closing => {
                match activity.idle_for() {
                    Some(idle) if idle >= limits.keepalive_timeout => {
                        closing = true;
                        conn.as_mut().graceful_shutdown();
                    }
                    Some(idle) => check = limits.keepalive_timeout - idle,
                    None => check = limits.keepalive_timeout,
                }
            }
        }
    }
}
