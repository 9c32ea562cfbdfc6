//! One writer at a time for schema changes and release loads, across processes, with each
//! backend's own lock: a PostgreSQL advisory lock, a MariaDB/MySQL `GET_LOCK`, and on SQLite a
//! write transaction taken first (`BEGIN IMMEDIATE`), since SQLite has no named locks.
//!
//! Without it, two loads into an empty store both run the migrations (MariaDB: duplicate keys and
//! a "partially applied" migration; SQLite: "table releases already exists") and both insert a
//! release. sqlx's own migration lock does not help on MariaDB: it asks for `GET_LOCK(…, -1)`,
//! which MariaDB answers with NULL (no lock) instead of waiting.

use std::time::Duration;

use sqlx::pool::PoolConnection;
use sqlx::{MySql, Postgres, Row};

use crate::{Backend, Pool, Store, StoreError};

/// The PostgreSQL advisory lock key: "skillgap" in ASCII. Advisory locks are per database, so
/// stores in other databases of the same server do not contend.
const PG_LOCK_KEY: i64 = 0x736b_696c_6c67_6170;

/// MariaDB/MySQL lock names are server-wide (and at most 64 characters), so the name carries a
/// digest of the database's name. `?` is how many seconds to wait.
const MYSQL_GET_LOCK: &str = "SELECT GET_LOCK(CONCAT('skillgap:', SHA1(DATABASE())), ?)";
const MYSQL_RELEASE_LOCK: &str = "SELECT RELEASE_LOCK(CONCAT('skillgap:', SHA1(DATABASE())))";

/// How long one `GET_LOCK` call waits before asking again (MariaDB has no "forever").
const MYSQL_WAIT_SECONDS: i64 = 60;

/// The held lock. Its connection closes when dropped, and a closed session releases its lock,
/// so an error or panic anywhere while it is held cannot leave the store locked.
pub(crate) enum StoreLock {
    /// SQLite: the caller's `BEGIN IMMEDIATE` transaction is the lock.
    Sqlite,
    /// The session holding `GET_LOCK`.
    MySql(PoolConnection<MySql>),
    /// The session holding `pg_advisory_lock`.
    Postgres(PoolConnection<Postgres>),
}

impl Store {
    /// Waits for, then takes, the store's writer lock (a no-op on SQLite, where the writer's own
    /// `BEGIN IMMEDIATE` serialises instead).
    pub(crate) async fn lock(&self) -> Result<StoreLock, StoreError> {
        match &self.pool {
            Pool::Sqlite(_) => Ok(StoreLock::Sqlite),
            Pool::MySql(pool) => {
                let mut conn = pool.acquire().await?;
                conn.close_on_drop();
                let mut waited = false;
                loop {
                    let wait = if waited { MYSQL_WAIT_SECONDS } else { 0 };
                    let got: Option<i64> = sqlx::query(MYSQL_GET_LOCK)
                        .bind(wait)
                        .fetch_one(&mut *conn)
                        .await?
                        .try_get(0)?;
                    match got {
                        Some(1) => return Ok(StoreLock::MySql(conn)),
                        Some(_) => {
                            if !waited {
                                tracing::info!(
                                    "another skillgap is changing this database (a load or a schema upgrade); waiting for it to finish"
                                );
                            }
                            waited = true;
                        }
                        None => {
                            return Err(StoreError::Query(sqlx::Error::Protocol(
                                "GET_LOCK answered NULL (no lock taken)".into(),
                            )));
                        }
                    }
                }
            }
            Pool::Postgres(pool) => {
                let mut conn = pool.acquire().await?;
                conn.close_on_drop();
                let got: bool = sqlx::query("SELECT pg_try_advisory_lock($1)")
                    .bind(PG_LOCK_KEY)
                    .fetch_one(&mut *conn)
                    .await?
                    .try_get(0)?;
                if !got {
                    tracing::info!(
                        "another skillgap is changing this database (a load or a schema upgrade); waiting for it to finish"
                    );
                    sqlx::query("SELECT pg_advisory_lock($1)")
                        .bind(PG_LOCK_KEY)
                        .execute(&mut *conn)
                        .await?;
                }
                Ok(StoreLock::Postgres(conn))
            }
        }
    }
}

impl StoreLock {
    /// Releases the lock now (rather than when the connection's close reaches the server).
    pub(crate) async fn release(self) -> Result<(), StoreError> {
        match self {
            StoreLock::Sqlite => {}
            StoreLock::MySql(mut conn) => {
                sqlx::query(MYSQL_RELEASE_LOCK).execute(&mut *conn).await?;
            }
            StoreLock::Postgres(mut conn) => {
                sqlx::query("SELECT pg_advisory_unlock($1)")
                    .bind(PG_LOCK_KEY)
                    .execute(&mut *conn)
                    .await?;
            }
        }
        Ok(())
    }
}

/// Begins the transaction of a writer. On SQLite it is `BEGIN IMMEDIATE`, which takes the write
/// lock at once, waiting for another writer however long its load takes (the connection's busy
/// timeout alone would give up after 30 s).
pub(crate) async fn begin_writer<DB: sqlx::Database>(
    pool: &sqlx::Pool<DB>,
    backend: Backend,
) -> Result<sqlx::Transaction<'static, DB>, StoreError> {
    if backend != Backend::Sqlite {
        return Ok(pool.begin().await?);
    }
    let mut told = false;
    loop {
        match pool.begin_with("BEGIN IMMEDIATE").await {
            Ok(tx) => return Ok(tx),
            Err(sqlx::Error::Database(e)) if is_busy(e.as_ref()) => {
                if !told {
                    tracing::info!(
                        "another skillgap is writing to this SQLite database; waiting for it to finish"
                    );
                    told = true;
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// SQLITE_BUSY (5) or SQLITE_LOCKED (6), with extended codes.
pub(crate) fn is_busy(e: &dyn sqlx::error::DatabaseError) -> bool {
    e.code()
        .and_then(|c| c.parse::<i32>().ok())
        .is_some_and(|c| matches!(c & 0xff, 5 | 6))
}
