//! The store: a connection pool on one of the three backends, connected and migrated, and the
//! [`dispatch!`] macro that expands each query method once per concrete driver.

use std::str::FromStr;
use std::time::Duration;

use sqlx::mysql::{MySqlConnectOptions, MySqlPoolOptions};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{MySqlPool, PgPool, SqlitePool};

use crate::backend::Backend;
use crate::database_url::DatabaseUrl;
use crate::error::StoreError;

/// A pool on one of the three backends.
#[derive(Clone, Debug)]
pub(crate) enum Pool {
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

/// The store: a connection pool and the backend it talks to.
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) pool: Pool,
    pub(crate) backend: Backend,
    pub(crate) url: String,
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
                let pool = connect_sqlite(opts, timeout).await.map_err(connect_err)?;
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
}

/// How long a SQLite open keeps retrying while another process holds the file.
const SQLITE_OPEN_PATIENCE: Duration = Duration::from_secs(30);

/// Opens the SQLite pool. Two processes opening a new file at once both switch it to WAL; that
/// switch needs an exclusive lock, and SQLite answers one of them "database is locked" at once,
/// without waiting in its busy handler (waiting could deadlock). The open is retried then, with
/// a short growing pause, until the other process is done.
async fn connect_sqlite(
    opts: SqliteConnectOptions,
    timeout: Duration,
) -> Result<sqlx::SqlitePool, sqlx::Error> {
    let started = std::time::Instant::now();
    let mut pause = Duration::from_millis(10);
    loop {
        // SQLite has one writer; a few connections let readers proceed beside it.
        let attempt = SqlitePoolOptions::new()
            .max_connections(4)
            .acquire_timeout(timeout)
            .connect_with(opts.clone())
            .await;
        match attempt {
            Err(sqlx::Error::Database(e))
                if crate::lock::is_busy(e.as_ref()) && started.elapsed() < SQLITE_OPEN_PATIENCE =>
            {
                tracing::debug!("SQLite file busy while opening; retrying in {pause:?}");
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_millis(500));
            }
            other => return other,
        }
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
