//! Throw-away databases: a fresh SQLite file, or a uniquely named MariaDB/PostgreSQL database that
//! is dropped when the test ends.

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::{Connection, Executor};

/// The three store backends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite (always available).
    Sqlite,
    /// MariaDB / MySQL at `SKILLGAP_TEST_MYSQL_URL`.
    MySql,
    /// PostgreSQL at `SKILLGAP_TEST_POSTGRES_URL`.
    Postgres,
}

impl Backend {
    /// The variable naming the server a backend's tests create their databases on.
    pub fn url_variable(self) -> Option<&'static str> {
        match self {
            Backend::Sqlite => None,
            Backend::MySql => Some("SKILLGAP_TEST_MYSQL_URL"),
            Backend::Postgres => Some("SKILLGAP_TEST_POSTGRES_URL"),
        }
    }
}

/// A database that exists for one test.
pub struct TestDatabase {
    /// Backend it runs on.
    pub backend: Backend,
    /// URL to give skillgap (`DATABASE_URL`).
    pub url: String,
    admin_url: Option<String>,
    name: String,
    _dir: Option<tempfile::TempDir>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl TestDatabase {
    /// Creates an empty database, or returns `None` when the backend's server is not configured
    /// and `CI` is unset (a developer machine without it). Under `CI` a missing server fails.
    pub async fn create(backend: Backend) -> Option<Self> {
        let unique = format!(
            "skillgap_t{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0)
        );
        let Some(var) = backend.url_variable() else {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}", dir.path().join("skillgap.db").display());
            return Some(Self {
                backend,
                url,
                admin_url: None,
                name: unique,
                _dir: Some(dir),
            });
        };
        let admin_url = match std::env::var(var) {
            Ok(u) if !u.is_empty() => u,
            _ if std::env::var_os("CI").is_some() => {
                panic!("{var} is not set, and CI is: backend tests must not be skipped under CI")
            }
            _ => {
                eprintln!("skipping {backend:?} test: {var} is not set");
                return None;
            }
        };
        let ddl = format!("CREATE DATABASE {unique}");
        run_admin(backend, &admin_url, &ddl).await;
        Some(Self {
            backend,
            url: with_database(&admin_url, &unique),
            admin_url: Some(admin_url),
            name: unique,
            _dir: None,
        })
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some(admin_url) = self.admin_url.clone() else {
            return;
        };
        let backend = self.backend;
        let ddl = match backend {
            Backend::Postgres => format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
            _ => format!("DROP DATABASE IF EXISTS {}", self.name),
        };
        // Drop runs inside the test's runtime, which cannot be blocked on; use a thread of its own.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build();
            if let Ok(rt) = rt {
                rt.block_on(run_admin(backend, &admin_url, &ddl));
            }
        })
        .join();
    }
}

async fn run_admin(backend: Backend, admin_url: &str, sql: &str) {
    let result = match backend {
        Backend::MySql => match sqlx::MySqlConnection::connect(admin_url).await {
            Ok(mut c) => c.execute(sql).await.map(drop),
            Err(e) => Err(e),
        },
        Backend::Postgres => match sqlx::PgConnection::connect(admin_url).await {
            Ok(mut c) => c.execute(sql).await.map(drop),
            Err(e) => Err(e),
        },
        Backend::Sqlite => Ok(()),
    };
    if let Err(e) = result {
        panic!("test database setup on {backend:?} failed ({sql}): {e}");
    }
}

/// `scheme://user@host:port/old?query` → `scheme://user@host:port/name?query`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_start = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// Defines one `#[tokio::test]` per backend for an `async fn(TestDatabase)` test body.
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident => $body:ident;)+) => {
        $crate::backend_tests!(@on sqlite Sqlite $($name => $body;)+);
        $crate::backend_tests!(@on mysql MySql $($name => $body;)+);
        $crate::backend_tests!(@on postgres Postgres $($name => $body;)+);
    };
    (@on $module:ident $backend:ident $($name:ident => $body:ident;)+) => {
        mod $module {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                if let Some(db) = $crate::TestDatabase::create($crate::Backend::$backend).await {
                    super::$body(db).await;
                }
            })+
        }
    };
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn swaps_the_database_name() {
        assert_eq!(
            with_database("mysql://root@127.0.0.1:3306/test", "x"),
            "mysql://root@127.0.0.1:3306/x"
        );
        assert_eq!(
            with_database("postgres://p@h/test?sslmode=disable", "x"),
            "postgres://p@h/x?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://p@h:5432", "x"),
            "postgres://p@h:5432/x"
        );
    }
}
