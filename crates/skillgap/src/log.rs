//! Where log lines go, and how they are written: cheaply, because `serve` writes one per request.
//!
//! Lines are appended to a shared buffer, and one thread writes the buffer out. It writes at
//! once when it was idle, so a quiet process's lines reach the file without delay, and otherwise
//! at most once per [`PAUSE`], so under load one `write` carries hundreds of lines. Measured under
//! wrk against the cached `/skill-gap` answer, `tracing-appender`'s worker, which writes and
//! flushes whenever its queue runs dry, made about one `write` per two requests and spun in
//! `sched_yield` in between. A writer that falls [`LIMIT`] bytes behind makes loggers wait: a
//! request log must not lose requests.
//!
//! Without colours, lines are formatted by [`Lines`], [`Timestamp`] and [`Fields`], which write
//! exactly what tracing-subscriber's default format writes, with less formatting machinery per
//! line and per field.

use std::fmt;
use std::io::{self, Write};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::field::{RecordFields, VisitOutput};
use tracing_subscriber::fmt::format::{DefaultVisitor, Format, Full, Writer};
use tracing_subscriber::fmt::time::FormatTime;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields, FormattedFields, MakeWriter};
use tracing_subscriber::registry::LookupSpan;

/// Shortest time between two writes while lines keep coming.
pub const PAUSE: Duration = Duration::from_millis(5);

/// Bytes waiting to be written beyond which loggers wait for the writer.
pub const LIMIT: usize = 8 << 20;

#[derive(Default)]
struct Queue {
    lines: Vec<u8>,
    /// The writer is waiting for lines (and must be woken for the next one).
    idle: bool,
    /// Loggers waiting for room.
    blocked: usize,
    closed: bool,
}

struct Shared {
    queue: Mutex<Queue>,
    /// Bytes waiting beyond which loggers wait ([`LIMIT`] but in tests).
    limit: usize,
    /// Wakes the writer.
    lines: Condvar,
    /// Wakes loggers waiting for room.
    room: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        // A logger that panicked mid-append left whole lines behind at worst; keep logging.
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The logging side: a [`MakeWriter`] whose writers append to the shared buffer.
#[derive(Clone)]
pub struct Sink {
    shared: Arc<Shared>,
}

/// Writes what is left and stops the writer when dropped; keep it until the process exits.
pub struct Guard {
    shared: Arc<Shared>,
    writer: Option<JoinHandle<()>>,
}

/// A sink whose lines `out` receives, written by a thread of its own.
pub fn sink<W: Write + Send + 'static>(out: W) -> (Sink, Guard) {
    sink_with_limit(out, LIMIT)
}

fn sink_with_limit<W: Write + Send + 'static>(out: W, limit: usize) -> (Sink, Guard) {
    let shared = Arc::new(Shared {
        queue: Mutex::new(Queue::default()),
        limit,
        lines: Condvar::new(),
        room: Condvar::new(),
    });
    let writer = {
        let shared = shared.clone();
        // Without its writer every logger would wait forever once the buffer filled: better to
        // stop at start with the reason.
        std::thread::Builder::new()
            .name("log-writer".into())
            .spawn(move || write_out(&shared, out))
            .expect("cannot start the thread that writes the log")
    };
    let sink = Sink {
        shared: shared.clone(),
    };
    (
        sink,
        Guard {
            shared,
            writer: Some(writer),
        },
    )
}

fn write_out<W: Write>(shared: &Shared, mut out: W) {
    let mut batch = Vec::new();
    loop {
        {
            let mut q = shared.lock();
            while q.lines.is_empty() && !q.closed {
                q.idle = true;
                q = shared.lines.wait(q).unwrap_or_else(|e| e.into_inner());
            }
            q.idle = false;
            if q.lines.is_empty() {
                return; // closed, and everything written
            }
            std::mem::swap(&mut q.lines, &mut batch);
            if q.blocked > 0 {
                shared.room.notify_all();
            }
        }
        // Nowhere to report a failed write of the log itself; the next batch tries again.
        let _ = out.write_all(&batch).and_then(|()| out.flush());
        batch.clear();
        if batch.capacity() > shared.limit {
            batch = Vec::new();
        }
        // The pause ends early only when the guard closes the sink, so an exiting command does
        // not wait it out.
        let q = shared.lock();
        drop(
            shared
                .lines
                .wait_timeout_while(q, PAUSE, |q| !q.closed)
                .unwrap_or_else(|e| e.into_inner()),
        );
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        self.shared.lock().closed = true;
        self.shared.lines.notify_one();
        self.shared.room.notify_all();
        if let Some(w) = self.writer.take() {
            let _ = w.join();
        }
    }
}

/// One logger's handle on the sink.
pub struct Line<'a>(&'a Shared);

impl Write for Line<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut q = self.0.lock();
        while q.lines.len() >= self.0.limit && !q.closed {
            q.blocked += 1;
            q = self.0.room.wait(q).unwrap_or_else(|e| e.into_inner());
            q.blocked -= 1;
        }
        q.lines.extend_from_slice(buf);
        if q.idle {
            q.idle = false;
            self.0.lines.notify_one();
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Sink {
    type Writer = Line<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        Line(&self.shared)
    }
}

/// Whole lines as tracing-subscriber's default (`Full`) format writes them without colours:
/// time, level, the spans with their fields, target, fields. Written piece by piece rather than
/// through `write!` and colour styles that paint nothing.
#[derive(Debug)]
pub struct Lines<T = Timestamp> {
    timer: T,
    /// For events of the `log` crate, whose metadata the default format normalizes.
    default: Format<Full, T>,
}

impl<T: FormatTime + Clone> Lines<T> {
    /// Lines stamped by `timer`.
    pub fn new(timer: T) -> Self {
        let default = tracing_subscriber::fmt::format()
            .with_ansi(false)
            .with_timer(timer.clone());
        Self { timer, default }
    }
}

impl Default for Lines {
    fn default() -> Self {
        Self::new(Timestamp)
    }
}

fn level_text(level: &Level) -> &'static str {
    match *level {
        Level::TRACE => "TRACE",
        Level::DEBUG => "DEBUG",
        Level::INFO => " INFO",
        Level::WARN => " WARN",
        _ => "ERROR",
    }
}

impl<S, N, T> FormatEvent<S, N> for Lines<T>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
    T: FormatTime,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut w: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let meta = event.metadata();
        // Records of the `log` crate arrive under the target `log`, their own in fields.
        if meta.target() == "log" {
            return self.default.format_event(ctx, w, event);
        }
        if self.timer.format_time(&mut w).is_err() {
            w.write_str("<unknown time>")?;
        }
        w.write_char(' ')?;
        w.write_str(level_text(meta.level()))?;
        w.write_char(' ')?;
        if let Some(scope) = ctx.event_scope() {
            let mut seen = false;
            for span in scope.from_root() {
                w.write_str(span.metadata().name())?;
                seen = true;
                let ext = span.extensions();
                if let Some(fields) = ext.get::<FormattedFields<N>>()
                    && !fields.is_empty()
                {
                    w.write_char('{')?;
                    w.write_str(fields)?;
                    w.write_char('}')?;
                }
                w.write_char(':')?;
            }
            if seen {
                w.write_char(' ')?;
            }
        }
        w.write_str(meta.target())?;
        w.write_str(": ")?;
        ctx.format_fields(w.by_ref(), event)?;
        w.write_char('\n')
    }
}

/// The time as tracing-subscriber's default timer writes it (`2026-12-08T00:54:40.149454Z`), with
/// the date and time of day formatted once per second per thread.
#[derive(Clone, Copy, Debug, Default)]
pub struct Timestamp;

/// `YYYY-MM-DDTHH:MM:SS.` of one second since the epoch.
fn second_prefix(secs: u64) -> [u8; 20] {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    let mut out = [0u8; 20];
    let mut put = |at: usize, v: u64, width: usize| {
        let mut v = v;
        for i in (0..width).rev() {
            out[at + i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, y as u64, 4);
    put(5, m as u64, 2);
    put(8, d as u64, 2);
    put(11, rem / 3600, 2);
    put(14, rem / 60 % 60, 2);
    put(17, rem % 60, 2);
    out[4] = b'-';
    out[7] = b'-';
    out[10] = b'T';
    out[13] = b':';
    out[16] = b':';
    out[19] = b'.';
    out
}

/// Howard Hinnant's days-to-civil: (year, month, day) of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

thread_local! {
    static LAST_SECOND: std::cell::Cell<(u64, [u8; 20])> = const { std::cell::Cell::new((u64::MAX, [0; 20])) };
}

impl Timestamp {
    fn write(now: SystemTime, w: &mut Writer<'_>) -> fmt::Result {
        let Ok(since) = now.duration_since(UNIX_EPOCH) else {
            return w.write_str("<unknown time>");
        };
        let secs = since.as_secs();
        // Years past 9999 are not four digits; leave them to the general formatter.
        if secs >= 253_402_300_800 {
            return tracing_subscriber::fmt::time::SystemTime.format_time(w);
        }
        let prefix = LAST_SECOND.with(|c| {
            let (at, prefix) = c.get();
            if at == secs {
                prefix
            } else {
                let p = second_prefix(secs);
                c.set((secs, p));
                p
            }
        });
        let mut text = [0u8; 27];
        text[..20].copy_from_slice(&prefix);
        let mut micros = since.subsec_micros();
        for i in (20..26).rev() {
            text[i] = b'0' + (micros % 10) as u8;
            micros /= 10;
        }
        text[26] = b'Z';
        // Digits and ASCII punctuation only.
        w.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?)
    }
}

impl FormatTime for Timestamp {
    fn format_time(&self, w: &mut Writer<'_>) -> fmt::Result {
        Self::write(SystemTime::now(), w)
    }
}

/// Event and span fields as tracing-subscriber's default (`DefaultFields`) writes them without
/// colours; text and integer fields are written directly, everything else by the default visitor.
#[derive(Clone, Copy, Debug, Default)]
pub struct Fields;

impl<'w> FormatFields<'w> for Fields {
    fn format_fields<R: RecordFields>(&self, writer: Writer<'w>, fields: R) -> fmt::Result {
        let mut v = FieldWriter {
            w: writer,
            first: true,
            result: Ok(()),
        };
        fields.record(&mut v);
        v.result
    }
}

struct FieldWriter<'w> {
    w: Writer<'w>,
    first: bool,
    result: fmt::Result,
}

impl FieldWriter<'_> {
    /// Starts a `name=` field (with the separating space), or `false` when the default visitor
    /// must write this one.
    fn plain(&mut self, field: &Field) -> bool {
        let name = field.name();
        // The message is written without its name (and escaped), `r#` names without the prefix,
        // `log.` fields not at all.
        if self.result.is_err()
            || name == "message"
            || name.starts_with("r#")
            || name.starts_with("log.")
        {
            return false;
        }
        if !self.first {
            self.result = self.w.write_char(' ');
        }
        self.first = false;
        self.result = self
            .result
            .and_then(|()| self.w.write_str(name))
            .and_then(|()| self.w.write_char('='));
        true
    }

    fn by_default(&mut self, field: &Field, record: impl FnOnce(&mut DefaultVisitor<'_>)) {
        // The default visitor writes nothing for `log.` fields (the log record's metadata).
        if self.result.is_err() || field.name().starts_with("log.") {
            return;
        }
        let mut d = DefaultVisitor::new(self.w.by_ref(), self.first);
        record(&mut d);
        self.result = d.finish();
        self.first = false;
    }

    fn integer<T: itoa::Integer + fmt::Debug>(&mut self, field: &Field, v: T) {
        if self.plain(field) {
            let mut b = itoa::Buffer::new();
            self.result = self.result.and_then(|()| self.w.write_str(b.format(v)));
        } else {
            self.by_default(field, |d| d.record_debug(field, &v));
        }
    }
}

/// Whether `{:?}` of `s` is `s` in quotes: printable ASCII without quotes or backslashes.
fn debug_is_quoted(s: &str) -> bool {
    s.bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\')
}

impl Visit for FieldWriter<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        if debug_is_quoted(value) && self.plain(field) {
            self.result = self
                .result
                .and_then(|()| self.w.write_char('"'))
                .and_then(|()| self.w.write_str(value))
                .and_then(|()| self.w.write_char('"'));
        } else {
            self.by_default(field, |d| d.record_str(field, value));
        }
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.integer(field, value);
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.integer(field, value);
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        if self.plain(field) {
            let text = if value { "true" } else { "false" };
            self.result = self.result.and_then(|()| self.w.write_str(text));
        } else {
            self.by_default(field, |d| d.record_bool(field, value));
        }
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        self.by_default(field, |d| d.record_error(field, value));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if self.plain(field) {
            self.result = self.result.and_then(|()| write!(self.w, "{value:?}"));
        } else {
            self.by_default(field, |d| d.record_debug(field, value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tracing_subscriber::fmt::format::DefaultFields;

    /// Everything written, shared with the test.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Captured {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    impl Write for Captured {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl<'a> MakeWriter<'a> for Captured {
        type Writer = Captured;
        fn make_writer(&'a self) -> Captured {
            self.clone()
        }
    }

    #[derive(Debug)]
    struct Outer(io::Error);

    impl fmt::Display for Outer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("outer failed")
        }
    }

    impl std::error::Error for Outer {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    /// Events of every kind of field the project logs, and some it might.
    fn events() {
        let uri = "/skill-gap?from=15-1254.00&to=11-3021.00";
        tracing::info!(
            target: "skillgap::request",
            method = "GET",
            route = "/skill-gap",
            uri = %uri,
            status = 200u16,
            latency_us = 17u64,
            request_id = ?axum_free_header("42"),
        );
        tracing::warn!(operation = "reload", error = %"store gone", "store unreachable; serving");
        tracing::info!(n = -3i64, ok = true, ratio = 0.25f64, "plain {} message", 7);
        tracing::info!(
            text = "quote \" backslash \\ tab \t é ✓ \u{1b}[31m",
            r#type = "kind"
        );
        let e = Outer(io::Error::other("inner cause"));
        tracing::error!(error = &e as &(dyn std::error::Error + 'static), "failed");
        let span = tracing::info_span!("load", release = "29.0", rows = 273_056u64);
        let _in = span.enter();
        tracing::info!(step = "ratings", "inside a span");
        tracing::info!("");
    }

    /// A `Debug` value like `HeaderValue`'s: a quoted string.
    fn axum_free_header(s: &str) -> String {
        s.to_owned()
    }

    /// A timer that writes the same text every time, so whole lines can be compared.
    #[derive(Clone, Copy)]
    struct Fixed;

    impl FormatTime for Fixed {
        fn format_time(&self, w: &mut Writer<'_>) -> fmt::Result {
            w.write_str("2026-12-08T00:00:00.000000Z")
        }
    }

    #[test]
    fn lines_are_written_exactly_as_the_default_format_writes_them() {
        let fast = Captured::default();
        let default = Captured::default();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .event_format(Lines::new(Fixed))
            .fmt_fields(Fields)
            .with_writer(fast.clone())
            .with_max_level(Level::TRACE)
            .finish();
        let all_levels = || {
            events();
            tracing::trace!(a = 1, "trace");
            tracing::debug!(b = 2, "debug");
            let outer = tracing::info_span!("outer", id = 1);
            let _o = outer.enter();
            let inner = tracing::debug_span!("inner");
            let _i = inner.enter();
            tracing::warn!(target: "skillgap::request", "nested");
        };
        tracing::subscriber::with_default(subscriber, all_levels);
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_timer(Fixed)
            .with_writer(default.clone())
            .with_max_level(Level::TRACE)
            .finish();
        tracing::subscriber::with_default(subscriber, all_levels);
        let (fast, default) = (fast.text(), default.text());
        assert_eq!(fast.lines().count(), 10, "{fast}");
        assert!(
            fast.contains("2026-12-08T00:00:00.000000Z  INFO load{release=\"29.0\" rows=273056}: "),
            "{fast}"
        );
        assert!(
            fast.contains("TRACE skillgap::log::tests: trace a=1"),
            "{fast}"
        );
        assert!(
            fast.contains(" WARN outer{id=1}:inner: skillgap::request: nested"),
            "{fast}"
        );
        assert_eq!(fast, default);
    }

    #[test]
    fn fields_are_written_exactly_as_the_default_format_writes_them() {
        let fast = Captured::default();
        let default = Captured::default();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .without_time()
            .fmt_fields(Fields)
            .with_writer(fast.clone())
            .finish();
        tracing::subscriber::with_default(subscriber, events);
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .without_time()
            .fmt_fields(DefaultFields::new())
            .with_writer(default.clone())
            .finish();
        tracing::subscriber::with_default(subscriber, events);
        let (fast, default) = (fast.text(), default.text());
        assert_eq!(fast.lines().count(), 7, "{fast}");
        assert!(
            fast.contains(
                r#"method="GET" route="/skill-gap" uri=/skill-gap?from=15-1254.00&to=11-3021.00 status=200 latency_us=17 request_id="42""#
            ),
            "{fast}"
        );
        assert_eq!(fast, default);
    }

    fn formatted(t: SystemTime) -> String {
        let mut s = String::new();
        Timestamp::write(t, &mut Writer::new(&mut s)).unwrap();
        s
    }

    #[test]
    fn the_time_is_written_as_rfc_3339_in_utc_with_microseconds() {
        let at =
            |secs: u64, micros: u64| UNIX_EPOCH + Duration::from_micros(secs * 1_000_000 + micros);
        // The epoch; a leap day in a century that is a leap year; the last second of a year;
        // the day after February in a century that is not; two seconds in a row (the
        // per-second cache is not reused for another second).
        for (secs, micros, text) in [
            (0, 0, "1970-01-01T00:00:00.000000Z"),
            (951_782_400, 7, "2000-02-29T00:00:00.000007Z"),
            (1_798_761_599, 999_999, "2026-12-31T23:59:59.999999Z"),
            (4_107_542_400, 123_456, "2100-03-01T00:00:00.123456Z"),
            (1_796_690_080, 1, "2026-12-08T00:34:40.000001Z"),
            (1_796_690_081, 1, "2026-12-08T00:34:41.000001Z"),
        ] {
            assert_eq!(formatted(at(secs, micros)), text);
        }
    }

    #[test]
    fn the_time_agrees_with_the_default_timer() {
        // Compared to the second; retried when the second turns between the two readings.
        for _ in 0..3 {
            let mut default = String::new();
            tracing_subscriber::fmt::time::SystemTime
                .format_time(&mut Writer::new(&mut default))
                .unwrap();
            let fast = formatted(SystemTime::now());
            if fast[..19] == default[..19] {
                assert_eq!((fast.len(), default.len()), (27, 27), "{fast} {default}");
                return;
            }
        }
        panic!("the fast timer never agreed with the default one to the second");
    }

    #[test]
    fn every_line_is_written_in_order_when_the_guard_is_dropped() {
        let out = Captured::default();
        // A small limit, so loggers also wait for room.
        let (sink, guard) = sink_with_limit(out.clone(), 4096);
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let sink = sink.clone();
                std::thread::spawn(move || {
                    for i in 0..5_000 {
                        let line = format!("thread {t} line {i}\n");
                        sink.make_writer().write_all(line.as_bytes()).unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        drop(guard);
        let text = out.text();
        assert_eq!(text.lines().count(), 20_000);
        for t in 0..4 {
            let prefix = format!("thread {t} line ");
            let numbers: Vec<usize> = text
                .lines()
                .filter_map(|l| l.strip_prefix(&prefix))
                .map(|n| n.parse().unwrap())
                .collect();
            assert_eq!(numbers, (0..5_000).collect::<Vec<_>>(), "thread {t}");
        }
    }

    #[test]
    fn a_line_logged_when_idle_is_written_at_once() {
        let out = Captured::default();
        let (sink, _guard) = sink(out.clone());
        for n in 1..=2 {
            sink.make_writer().write_all(b"one line\n").unwrap();
            let started = std::time::Instant::now();
            while out.text().lines().count() < n {
                assert!(
                    started.elapsed() < Duration::from_secs(5),
                    "line {n} was not written while the guard was alive"
                );
                std::thread::sleep(Duration::from_millis(1));
            }
        }
    }

    #[test]
    fn writes_are_batched_under_load() {
        /// Counts the writes it receives.
        #[derive(Clone, Default)]
        struct Counting(Arc<AtomicUsize>);
        impl Write for Counting {
            fn write(&mut self, b: &[u8]) -> io::Result<usize> {
                self.0.fetch_add(1, Ordering::Relaxed);
                Ok(b.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let writes = Counting::default();
        let (sink, guard) = sink(writes.clone());
        let lines = 200_000;
        for i in 0..lines {
            let line = format!("line {i}\n");
            sink.make_writer().write_all(line.as_bytes()).unwrap();
        }
        drop(guard);
        let writes = writes.0.load(Ordering::Relaxed);
        // One write per line would be 200,000; one per pause, a few hundred at most.
        assert!(writes > 0 && writes < lines / 50, "{writes} writes");
    }
}
