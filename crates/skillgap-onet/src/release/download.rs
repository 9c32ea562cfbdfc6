//! Downloading a text release zip (the O*NET Resource Center's `db_NN_N_text.zip`, or a copy on
//! a mirror) to a local file, which is then read exactly like one passed with `--onet-zip`.
//!
//! Addresses may carry secrets (a presigned mirror link, `user:password@`), so they are only
//! ever shown through [`ReleaseUrl`]'s redacting `Display`, and transport errors are stripped of
//! the URL reqwest puts in them.
//!
//! A download can be conditional (`If-Modified-Since`): a caller that loaded the file from the
//! same address before asks only for a newer one, and a server answering 304 costs no transfer.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use skillgap_core::Progress;
use url::Url;

/// The official address of the 29.0 text release, for messages and docs.
pub const OFFICIAL_EXAMPLE: &str = "https://www.onetcenter.org/dl_files/database/db_29_0_text.zip";

/// The largest download accepted. O*NET text releases are tens of megabytes zipped; anything far
/// larger is not one, and must not fill the disk.
pub const MAX_DOWNLOAD_BYTES: u64 = 1 << 30;

/// Attempts per download: transport errors, 5xx answers and cut-off bodies are tried again.
const ATTEMPTS: u32 = 3;
/// A zip archive starts with a local file header (or, when empty, the end-of-directory record).
const ZIP_MAGIC: [&[u8; 4]; 2] = [b"PK\x03\x04", b"PK\x05\x06"];
/// How many first bytes are kept to quote in a not-a-zip error.
const HEAD: usize = 40;

/// What a download fetches, so that its messages say what was expected and what to do instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DownloadKind {
    /// What the file is, in messages: `the text release zip`.
    pub what: &'static str,
    /// How to pass a copy downloaded by hand: `--onet-zip`.
    pub local_option: &'static str,
    /// An example address.
    pub example: &'static str,
    /// What to check when the server says 404 or 410.
    pub not_found_hint: &'static str,
    /// Said in the `User-Agent` header.
    pub agent: &'static str,
}

/// An O*NET text release zip (`skillgap load --onet-url`).
pub const ONET_RELEASE: DownloadKind = DownloadKind {
    what: "the text release zip",
    local_option: "--onet-zip",
    example: OFFICIAL_EXAMPLE,
    not_found_hint: "; check the release name (text editions are named like db_29_0_text.zip, listed at https://www.onetcenter.org/database.html)",
    agent: "O*NET release download",
};

/// An `http://` or `https://` address of a release zip, checked at the edge.
#[derive(Clone, PartialEq, Eq)]
pub struct ReleaseUrl(Url);

impl ReleaseUrl {
    /// Parses and checks an address; the error never repeats the text, which may hold a secret.
    pub fn parse(text: &str) -> Result<Self, DownloadError> {
        let url = Url::parse(text.trim()).map_err(|e| DownloadError::BadUrl(e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(DownloadError::BadUrl(format!(
                "the scheme is {}:, not http: or https:",
                url.scheme()
            )));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(DownloadError::BadUrl("it has no host".into()));
        }
        Ok(Self(url))
    }

    /// Whether a release record's `source` names exactly this address. Never true when the
    /// shown form hides something (user information, a query), since two different addresses
    /// may then be shown alike.
    pub fn is_shown_as(&self, source: &str) -> bool {
        let shown = self.to_string();
        let mut whole = self.0.clone();
        whole.set_fragment(None);
        shown == whole.as_str() && shown == source
    }

    /// The file name to save under: the last path segment when it is a plain name (so that
    /// `db_29_0_text.zip` still tells the version), else `release.zip`.
    pub fn file_name(&self) -> String {
        self.0
            .path_segments()
            .and_then(|mut s| s.next_back())
            .filter(|n| {
                !n.is_empty()
                    && !n.starts_with('.')
                    && n.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
            })
            .map_or_else(|| "release.zip".to_owned(), str::to_owned)
    }
}

impl fmt::Display for ReleaseUrl {
    /// The address with user information and the whole query replaced by `***` (a signature
    /// may sit in a key as well as in a value).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut u = self.0.clone();
        u.set_fragment(None);
        if !u.username().is_empty() || u.password().is_some() {
            let _ = u.set_password(None);
            let _ = u.set_username("***");
        }
        if u.query().is_some() {
            u.set_query(Some("***"));
        }
        f.write_str(u.as_str())
    }
}

impl fmt::Debug for ReleaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ReleaseUrl({self})")
    }
}

/// Why a download failed. Nothing has been written to the store when one is returned, and the
/// address in every message is redacted.
#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    /// The address is not an http(s) URL.
    #[error(
        "--onet-url must be the http:// or https:// address of a text release zip, such as {OFFICIAL_EXAMPLE} ({0})"
    )]
    BadUrl(String),
    /// The server answered with an error status (5xx after every attempt).
    #[error("downloading {url} failed: the server answered HTTP {status}{hint}")]
    Status {
        /// The redacted address.
        url: String,
        /// The status code.
        status: u16,
        /// What to try, when the status suggests something.
        hint: &'static str,
    },
    /// No connection, or the connection broke, on every attempt.
    #[error(
        "cannot download {url}: {reason}; check the address and the network, or download the file yourself and pass {local_option}"
    )]
    Transport {
        /// The redacted address.
        url: String,
        /// The transport's reason, without the URL.
        reason: String,
        /// The option that takes a local copy.
        local_option: &'static str,
    },
    /// The body ended before the length the server announced, on every attempt.
    #[error(
        "the download of {url} stopped after {got} of {expected} bytes (attempt {ATTEMPTS} of {ATTEMPTS}); try again later"
    )]
    Truncated {
        /// The redacted address.
        url: String,
        /// Bytes received.
        got: u64,
        /// Bytes announced by `Content-Length`.
        expected: u64,
    },
    /// The body is larger than any release.
    #[error(
        "{url} is larger than {} MiB, which no O*NET text release is; check the address",
        MAX_DOWNLOAD_BYTES >> 20
    )]
    TooLarge {
        /// The redacted address.
        url: String,
    },
    /// The body is not a zip archive (typically an HTML page).
    #[error(
        "{url} is not a zip archive (the server sent {content_type} starting {start:?}); give the address of {what} itself, such as {example}"
    )]
    NotAZip {
        /// What was expected, e.g. `the text release zip`.
        what: &'static str,
        /// An example address.
        example: &'static str,
        /// The redacted address.
        url: String,
        /// The `Content-Type` the server sent, or `no content type`.
        content_type: String,
        /// The first few bytes, as text.
        start: String,
    },
    /// The local file could not be written.
    #[error("cannot write the download to {}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
}

impl DownloadError {
    fn retryable(&self) -> bool {
        matches!(
            self,
            DownloadError::Transport { .. }
                | DownloadError::Truncated { .. }
                | DownloadError::Status {
                    status: 500..=599,
                    ..
                }
        )
    }
}

/// What [`download_release`] got.
#[derive(Debug, PartialEq, Eq)]
pub enum Downloaded {
    /// The zip, saved at this path.
    Saved(PathBuf),
    /// The server said the file has not changed since the time asked about (HTTP 304).
    NotModified,
}

/// Downloads `url` into `dir` as [`ReleaseUrl::file_name`]. With `unchanged_since`, the request
/// is conditional and the server may answer [`Downloaded::NotModified`] instead of sending the
/// file. The body is checked to be a zip as soon as it starts, so an HTML page fails at once; it
/// is written to a `.part` file and renamed only when complete.
pub async fn download_release(
    url: &ReleaseUrl,
    dir: &Path,
    unchanged_since: Option<SystemTime>,
    progress: &dyn Progress,
) -> Result<Downloaded, DownloadError> {
    download(url, dir, &ONET_RELEASE, unchanged_since, progress).await
}

/// Downloads a zip-based file (an O*NET release, an .xlsx workbook, a BLS zip) like
/// [`download_release`], with messages that speak of `kind`.
pub async fn download(
    url: &ReleaseUrl,
    dir: &Path,
    kind: &DownloadKind,
    unchanged_since: Option<SystemTime>,
    progress: &dyn Progress,
) -> Result<Downloaded, DownloadError> {
    let http = reqwest::Client::builder()
        .user_agent(format!(
            "skillgap/{} ({})",
            env!("CARGO_PKG_VERSION"),
            kind.agent
        ))
        .connect_timeout(Duration::from_secs(30))
        // Between bytes, not in all: a large release on a slow link may take minutes.
        .read_timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| transport(url, kind, e))?;
    let path = dir.join(url.file_name());
    let part = dir.join(format!("{}.part", url.file_name()));
    let mut attempt = 1;
    loop {
        match fetch_once(&http, url, kind, unchanged_since, &part, progress).await {
            Ok(Fetched::Body) => break,
            Ok(Fetched::NotModified) => return Ok(Downloaded::NotModified),
            Err(e) if e.retryable() && attempt < ATTEMPTS => {
                let pause = Duration::from_millis(500 << attempt);
                tracing::warn!(
                    "download attempt {attempt} of {ATTEMPTS} failed, trying again in {} s: {e}",
                    pause.as_secs_f32()
                );
                tokio::time::sleep(pause).await;
                attempt += 1;
            }
            Err(mut e) => {
                let _ = std::fs::remove_file(&part);
                if let DownloadError::Status {
                    status: 500..=599,
                    hint,
                    ..
                } = &mut e
                {
                    *hint = "; it did so on every attempt, so the server is likely down: try again later";
                }
                return Err(e);
            }
        }
    }
    std::fs::rename(&part, &path).map_err(|source| DownloadError::Io {
        path: path.clone(),
        source,
    })?;
    Ok(Downloaded::Saved(path))
}

/// What one request got.
enum Fetched {
    /// The whole body, in the `.part` file.
    Body,
    /// 304 to a conditional request.
    NotModified,
}

async fn fetch_once(
    http: &reqwest::Client,
    url: &ReleaseUrl,
    kind: &DownloadKind,
    unchanged_since: Option<SystemTime>,
    part: &Path,
    progress: &dyn Progress,
) -> Result<Fetched, DownloadError> {
    let shown = url.to_string();
    let mut request = http.get(url.0.clone());
    if let Some(since) = unchanged_since {
        request = request.header(
            reqwest::header::IF_MODIFIED_SINCE,
            httpdate::fmt_http_date(since),
        );
    }
    let mut response = request.send().await.map_err(|e| transport(url, kind, e))?;
    let status = response.status();
    if status == reqwest::StatusCode::NOT_MODIFIED && unchanged_since.is_some() {
        return Ok(Fetched::NotModified);
    }
    if !status.is_success() {
        return Err(DownloadError::Status {
            url: shown,
            status: status.as_u16(),
            hint: match status.as_u16() {
                404 | 410 => kind.not_found_hint,
                401 | 403 => "; the server refused access to this address",
                // 5xx: said by the retry loop, the one place that knows every attempt failed.
                _ => "",
            },
        });
    }
    let expected = response.content_length();
    if expected.is_some_and(|n| n > MAX_DOWNLOAD_BYTES) {
        return Err(DownloadError::TooLarge { url: shown });
    }
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("no content type")
        .to_owned();
    let io = |source| DownloadError::Io {
        path: part.to_owned(),
        source,
    };
    let mut file = std::io::BufWriter::new(std::fs::File::create(part).map_err(io)?);
    let mut got: u64 = 0;
    // The first bytes: checked against the zip signature, and quoted when they are not one.
    let mut head: Vec<u8> = Vec::with_capacity(HEAD);
    progress.begin("download", expected.unwrap_or(0));
    let result = loop {
        let chunk = match response.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break Ok(()),
            Err(e) => {
                break Err(match expected {
                    Some(expected) => DownloadError::Truncated {
                        url: shown.clone(),
                        got,
                        expected,
                    },
                    None => transport(url, kind, e),
                });
            }
        };
        if head.len() < HEAD {
            let was = head.len();
            head.extend_from_slice(&chunk[..chunk.len().min(HEAD - was)]);
            if was < 4 && head.len() >= 4 && !ZIP_MAGIC.iter().any(|m| head[..4] == m[..]) {
                break Err(not_a_zip(kind, &shown, &content_type, &head));
            }
        }
        got += chunk.len() as u64;
        if got > MAX_DOWNLOAD_BYTES {
            break Err(DownloadError::TooLarge { url: shown.clone() });
        }
        if let Err(e) = file.write_all(&chunk) {
            break Err(io(e));
        }
        progress.advance(chunk.len() as u64);
    };
    progress.end();
    result?;
    if head.len() < 4 {
        return Err(not_a_zip(kind, &shown, &content_type, &head));
    }
    if let Some(expected) = expected.filter(|&n| n != got) {
        return Err(DownloadError::Truncated {
            url: shown,
            got,
            expected,
        });
    }
    file.into_inner()
        .map_err(|e| io(e.into_error()))?
        .sync_all()
        .map_err(io)?;
    Ok(Fetched::Body)
}

fn not_a_zip(kind: &DownloadKind, url: &str, content_type: &str, start: &[u8]) -> DownloadError {
    let start: String = String::from_utf8_lossy(start)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    DownloadError::NotAZip {
        what: kind.what,
        example: kind.example,
        url: url.to_owned(),
        content_type: content_type.to_owned(),
        start,
    }
}

/// A transport error as text, without the URL reqwest includes (it may hold a secret).
fn transport(url: &ReleaseUrl, kind: &DownloadKind, e: reqwest::Error) -> DownloadError {
    let e = e.without_url();
    let mut reason = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        let text = s.to_string();
        if !reason.contains(&text) {
            reason.push_str(": ");
            reason.push_str(&text);
        }
        source = s.source();
    }
    DownloadError::Transport {
        url: url.to_string(),
        reason,
        local_option: kind.local_option,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_with_a_host_are_accepted() {
        assert!(ReleaseUrl::parse(OFFICIAL_EXAMPLE).is_ok());
        assert!(ReleaseUrl::parse("http://127.0.0.1:8000/db_29_0_text.zip").is_ok());
        for bad in [
            "ftp://example.org/db.zip",
            "file:///tmp/db_29_0_text.zip",
            "db_29_0_text.zip",
            "",
        ] {
            let e = ReleaseUrl::parse(bad).unwrap_err();
            assert!(matches!(e, DownloadError::BadUrl(_)), "{bad}: {e}");
        }
    }

    #[test]
    fn a_bad_address_is_never_repeated_in_the_error() {
        let e = ReleaseUrl::parse("ftp://me:hunter2@example.org/db.zip").unwrap_err();
        let text = e.to_string();
        assert!(!text.contains("hunter2"), "{text}");
        assert!(text.contains("ftp:"), "{text}");
    }

    #[test]
    fn display_hides_user_information_and_query_values() {
        let u = ReleaseUrl::parse(
            "https://me:hunter2@mirror.example/o/db_29_0_text.zip?X-Amz-Signature=abc123&v=1#x",
        )
        .unwrap();
        assert_eq!(
            u.to_string(),
            "https://***@mirror.example/o/db_29_0_text.zip?***"
        );
        // A bare key is a secret too.
        let bare = ReleaseUrl::parse("https://h.example/db.zip?s3cr3t").unwrap();
        assert_eq!(bare.to_string(), "https://h.example/db.zip?***");
        assert_eq!(format!("{u:?}"), format!("ReleaseUrl({u})"));
        assert_eq!(
            ReleaseUrl::parse(OFFICIAL_EXAMPLE).unwrap().to_string(),
            OFFICIAL_EXAMPLE
        );
    }

    #[test]
    fn only_an_address_shown_whole_matches_a_recorded_source() {
        let plain = ReleaseUrl::parse(OFFICIAL_EXAMPLE).unwrap();
        assert!(plain.is_shown_as(OFFICIAL_EXAMPLE));
        assert!(
            !plain.is_shown_as("https://www.onetcenter.org/dl_files/database/db_30_0_text.zip")
        );
        assert!(!plain.is_shown_as("/data/onet"));
        // Two presigned links to different files are both shown as `…?***`: never a match.
        let signed = ReleaseUrl::parse("https://h.example/db.zip?id=1").unwrap();
        assert!(!signed.is_shown_as("https://h.example/db.zip?***"));
        let user = ReleaseUrl::parse("https://me:pw@h.example/db.zip").unwrap();
        assert!(!user.is_shown_as("https://***@h.example/db.zip"));
        // A fragment is never sent, so it changes nothing.
        let fragment = ReleaseUrl::parse("https://h.example/db.zip#top").unwrap();
        assert!(fragment.is_shown_as("https://h.example/db.zip"));
    }

    #[test]
    fn the_file_is_named_after_the_last_segment_when_it_is_plain() {
        let name = |u: &str| ReleaseUrl::parse(u).unwrap().file_name();
        assert_eq!(name(OFFICIAL_EXAMPLE), "db_29_0_text.zip");
        assert_eq!(name("https://h.example/"), "release.zip");
        assert_eq!(name("https://h.example/get?id=7"), "get");
        assert_eq!(name("https://h.example/a/..%2Fetc"), "release.zip");
        assert_eq!(name("https://h.example/a/.hidden"), "release.zip");
    }
}
