//! Bringing the schema up to date on connect: checked-in migrations, one folder per backend, run
//! under the store's writer lock so that a load elsewhere and a migration never interleave.

use sqlx::Row;

use crate::backend::Backend;
use crate::error::StoreError;
use crate::store::{Pool, Store, dispatch};

static MIGRATOR_SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static MIGRATOR_MYSQL: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/mysql");
static MIGRATOR_POSTGRES: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Store {
    fn migrator(&self) -> &'static sqlx::migrate::Migrator {
        match self.backend {
            Backend::Sqlite => &MIGRATOR_SQLITE,
            Backend::MySql => &MIGRATOR_MYSQL,
            Backend::Postgres => &MIGRATOR_POSTGRES,
        }
    }

    pub(crate) async fn migrate(&self) -> Result<(), StoreError> {
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
                let mut tx = crate::lock::begin_writer(pool, Backend::Sqlite).await?;
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
