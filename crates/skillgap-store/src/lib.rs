//! skillgap's store: the normalized O*NET schema on SQLite (default), MariaDB/MySQL or
//! PostgreSQL, behind one API.
//!
//! sqlx's compile-checked macros bind to one backend, so the store uses runtime queries written
//! once: each method's body is expanded for the three concrete drivers by [`dispatch!`], and the
//! few differences (placeholders, upserts, bind limits) live in [`Backend`]. Migrations are
//! checked-in SQL, one folder per backend, run on connect.

mod backend;
mod database_url;
mod fetched;
mod labor;
mod llm;
mod load;
mod lock;
mod read;
mod references;
mod row;
mod status;
mod table;
mod technology;

use std::str::FromStr;
use std::time::Duration;

use sqlx::mysql::{MySqlConnectOptions, MySqlPoolOptions};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{MySqlPool, PgPool, Row, SqlitePool};

pub use backend::Backend;
pub use database_url::DatabaseUrl;
pub use fetched::{ApiFetch, ReferenceData};
pub use labor::{LaborLoadReport, StoredLaborFile};
pub use llm::{LlmEstimate, LlmRun, NarrativeKey, StoredNarrative};
pub use load::{LoadReport, TableCount};
pub use read::DataVersion;
pub use status::{RatingsSummary, ReleaseInfo, Status};

/// The URL used when `DATABASE_URL` is not set: a SQLite file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://skillgap.db";

/// Everything the store can fail with. Messages never contain a password.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL is not one skillgap understands.
    #[error("DATABASE_URL `{url}` is not usable: {reason}")]
    InvalidUrl {
        /// The URL, password removed.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The database could not be reached or refused the connection.
    #[error(
        "cannot connect to the database at {url} (check DATABASE_URL and that the server is running)"
    )]
    Connect {
        /// The URL, password removed.
        url: String,
        /// The driver's reason.
        source: sqlx::Error,
    },
    /// The schema was made by a newer skillgap.
    #[error(
        "the database at {url} has schema version {found}, but this skillgap knows only up to version {known}; it was set up by a newer skillgap, so upgrade skillgap (nothing was changed)"
    )]
    SchemaTooNew {
        /// The URL, password removed.
        url: String,
        /// Newest migration recorded in the database.
        found: i64,
        /// Newest migration this binary has.
        known: i64,
    },
    /// A migration failed.
    #[error("cannot bring the database schema up to date")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A query failed; the message carries the driver's reason, since "database error" alone
    /// leaves an operator guessing during an outage.
    #[error("database error: {}", redact_text(&.0.to_string()))]
    Query(#[from] sqlx::Error),
}

/// A pool on one of the three backends.
#[derive(Clone, Debug)]
enum Pool {
    Sqlite(SqlitePool),
    MySql(MySqlPool),
    Postgres(PgPool),
}

/// Expands `$body` once per backend with `$pool` bound to that backend's concrete pool, so the
/// same source text is type-checked against each driver.
macro_rules! dispatch {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.pool {
            $crate::Pool::Sqlite($pool) => $body,
            $crate::Pool::MySql($pool) => $body,
            $crate::Pool::Postgres($pool) => $body,
        }
    };
}
pub(crate) use dispatch;

static MIGRATOR_SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static MIGRATOR_MYSQL: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/mysql");
static MIGRATOR_POSTGRES: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The store: a connection pool and the backend it talks to.
#[derive(Clone, Debug)]
pub struct Store {
    pool: Pool,
    backend: Backend,
    url: String,
}

impl Store {
    /// Connects to `url` (`sqlite://…`, `mysql://…`, `mariadb://…`, `postgres://…`), creating a
    /// SQLite file if missing, and brings the schema up to date.
    pub async fn connect(url: impl Into<DatabaseUrl>) -> Result<Self, StoreError> {
        Self::connect_to(&url.into()).await
    }

    async fn connect_to(url: &DatabaseUrl) -> Result<Self, StoreError> {
        let shown = url.redacted();
        let url = url.expose();
        let invalid = |reason: String| StoreError::InvalidUrl {
            url: shown.clone(),
            reason,
        };
        let connect_err = |source| StoreError::Connect {
            url: shown.clone(),
            source,
        };
        let scheme = url.split(':').next().unwrap_or_default();
        // A short acquire timeout turns an unreachable server into an error, not a hang.
        let timeout = Duration::from_secs(5);
        let (pool, backend) = match scheme {
            "sqlite" => {
                let opts = SqliteConnectOptions::from_str(url)
                    .map_err(|e| invalid(e.to_string()))?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(30));
                // SQLite has one writer; a few connections let readers proceed beside it.
                let pool = SqlitePoolOptions::new()
                    .max_connections(4)
                    .acquire_timeout(timeout)
                    .connect_with(opts)
                    .await
                    .map_err(connect_err)?;
                (Pool::Sqlite(pool), Backend::Sqlite)
            }
            "mysql" | "mariadb" => {
                let normalized = url.replacen("mariadb:", "mysql:", 1);
                let opts = MySqlConnectOptions::from_str(&normalized)
                    .map_err(|e| invalid(e.to_string()))?
                    .charset("utf8mb4");
                probe(&opts, timeout).await.map_err(connect_err)?;
                // Reads are served from memory; connections are for loads and on-demand writes.
                let pool = MySqlPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(timeout)
                    .connect_with(opts)
                    .await
                    .map_err(connect_err)?;
                (Pool::MySql(pool), Backend::MySql)
            }
            "postgres" | "postgresql" => {
                let opts = PgConnectOptions::from_str(url).map_err(|e| invalid(e.to_string()))?;
                probe(&opts, timeout).await.map_err(connect_err)?;
                let pool = PgPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(timeout)
                    .connect_with(opts)
                    .await
                    .map_err(connect_err)?;
                (Pool::Postgres(pool), Backend::Postgres)
            }
            _ => {
                return Err(invalid(
                    "expected a URL starting with sqlite://, mysql://, mariadb:// or postgres://"
                        .into(),
                ));
            }
        };
        let store = Self {
            pool,
            backend,
            url: shown,
        };
        store.migrate().await?;
        Ok(store)
    }

    /// The backend this store runs on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The URL, password removed.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Closes every connection (waits for checked-out ones to come back).
    pub async fn close(&self) {
        dispatch!(self, pool => pool.close().await)
    }

    /// Runs one SQL statement as written, for maintenance scripts and tests; the application
    /// itself never builds SQL from outside input.
    #[doc(hidden)]
    pub async fn execute_raw(&self, sql: &str) -> Result<u64, StoreError> {
        use sqlx::Executor;
        Ok(dispatch!(self, pool => pool.execute(sql).await?.rows_affected()))
    }

    fn migrator(&self) -> &'static sqlx::migrate::Migrator {
        match self.backend {
            Backend::Sqlite => &MIGRATOR_SQLITE,
            Backend::MySql => &MIGRATOR_MYSQL,
            Backend::Postgres => &MIGRATOR_POSTGRES,
        }
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let migrator = self.migrator();
        let known = migrator.iter().map(|m| m.version).max().unwrap_or(0);
        let check = |found: Option<i64>| match found {
            Some(found) if found > known => Err(StoreError::SchemaTooNew {
                url: self.url.clone(),
                found,
                known,
            }),
            _ => Ok(found == Some(known)),
        };
        if check(self.schema_version().await?)? {
            // Up to date: the migrator only verifies checksums, so readers (`serve`, `status`)
            // need not wait for a load running elsewhere.
            dispatch!(self, pool => migrator.run(pool).await)?;
            return Ok(());
        }
        // Schema changes are serialised with loads; another process may have done them while
        // this one waited, so look again under the lock.
        let lock = self.lock().await?;
        check(self.schema_version().await?)?;
        match &self.pool {
            Pool::Sqlite(pool) => {
                let mut tx = lock::begin_writer(pool, Backend::Sqlite).await?;
                migrator.run_direct(&mut *tx).await?;
                tx.commit().await?;
            }
            Pool::MySql(pool) => migrator.run(pool).await?,
            Pool::Postgres(pool) => migrator.run(pool).await?,
        }
        lock.release().await
    }

    /// The newest migration recorded in the database, if skillgap ever set it up.
    pub async fn schema_version(&self) -> Result<Option<i64>, StoreError> {
        let exists_sql = match self.backend {
            Backend::Sqlite => {
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'"
            }
            Backend::MySql => {
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '_sqlx_migrations'"
            }
            Backend::Postgres => {
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '_sqlx_migrations'"
            }
        };
        let version: Option<i64> = dispatch!(self, pool => {
            let exists: i64 = sqlx::query(exists_sql).fetch_one(pool).await?.try_get(0)?;
            if exists == 0 {
                None
            } else {
                sqlx::query("SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE")
                    .fetch_one(pool)
                    .await?
                    .try_get::<Option<i64>, _>(0)?
            }
        });
        Ok(version)
    }
}

/// Opens and closes one connection, so that a refused or unreachable server is reported with the
/// driver's own reason (the pool would only say it timed out).
async fn probe<O>(opts: &O, timeout: Duration) -> Result<(), sqlx::Error>
where
    O: sqlx::ConnectOptions,
    O::Connection: Sized,
{
    use sqlx::Connection;
    match tokio::time::timeout(timeout, opts.connect()).await {
        Ok(Ok(conn)) => conn.close().await,
        Ok(Err(e)) => Err(e),
        Err(_) => Err(sqlx::Error::PoolTimedOut),
    }
}

/// Text with any URL in it redacted as by [`redact`] (a driver's message may quote one).
pub fn redact_text(text: &str) -> String {
    if !text.contains("://") {
        return text.to_owned();
    }
    text.split(' ')
        .map(|word| {
            if word.contains("://") {
                redact(word)
            } else {
                word.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The URL with any password replaced, for messages and logs.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            if u.password().is_some() {
                let _ = u.set_password(Some("***"));
            }
            // Drivers also take passwords as query parameters (`?password=`, `sslpassword`).
            if u.query_pairs()
                .any(|(k, _)| k.to_ascii_lowercase().contains("pass"))
            {
                let pairs: Vec<(String, String)> = u
                    .query_pairs()
                    .map(|(k, v)| {
                        let v = if k.to_ascii_lowercase().contains("pass") {
                            "***".to_string()
                        } else {
                            v.into_owned()
                        };
                        (k.into_owned(), v)
                    })
                    .collect();
                u.query_pairs_mut().clear().extend_pairs(pairs);
            }
            u.to_string()
        }
        // Unparseable: show only the scheme, since the rest might hold a secret.
        Err(_) => format!("{}://…", url.split(':').next().unwrap_or("?")),
    }
}

/// Current UTC time as RFC 3339 text (stored as text so the three backends compare it alike).
pub(crate) fn now_rfc3339() -> String {
    rfc3339(time::OffsetDateTime::now_utc().unix_timestamp())
}

/// Seconds since the Unix epoch as RFC 3339 text, UTC.
pub fn rfc3339(epoch: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(epoch)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{StoreError, redact, redact_text};

    #[test]
    fn redacts_urls_inside_messages() {
        assert_eq!(
            redact_text("cannot reach mysql://root:hunter2@db:3306/x now"),
            "cannot reach mysql://root:***@db:3306/x now"
        );
        assert_eq!(redact_text("pool timed out"), "pool timed out");
        let e = StoreError::Query(sqlx::Error::PoolTimedOut);
        assert_eq!(
            e.to_string(),
            "database error: pool timed out while waiting for an open connection"
        );
    }

    #[test]
    fn redacts_passwords_only() {
        assert_eq!(
            redact("mysql://root:s3cret@db:3306/x"),
            "mysql://root:***@db:3306/x"
        );
        assert_eq!(redact("postgres://u@h/x"), "postgres://u@h/x");
        assert_eq!(redact("sqlite://skillgap.db"), "sqlite://skillgap.db");
        assert!(!redact("mysql://root:s3cret@[bad").contains("s3cret"));
        let q = redact("postgres://u@h/db?sslmode=disable&password=s3cret&sslpassword=x2");
        assert!(
            !q.contains("s3cret") && !q.contains("x2") && q.contains("sslmode=disable"),
            "{q}"
        );
    }
}
