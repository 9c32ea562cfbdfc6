//! skillgap's store: the normalized O*NET schema on SQLite (default), MariaDB/MySQL or
//! PostgreSQL, behind one API.
//!
//! sqlx's compile-checked macros bind to one backend, so the store uses runtime queries written
//! once: each method's body is expanded for the three concrete drivers by [`dispatch!`], and the
//! few differences (placeholders, upserts, bind limits) live in [`Backend`]. Migrations are
//! checked-in SQL, one folder per backend, run on connect.

mod backend;
mod database_url;
mod derived;
mod error;
mod fetched;
mod labor;
mod llm;
mod load;
mod lock;
mod migrate;
mod programmes;
mod read;
mod redact;
mod references;
mod row;
mod scope;
mod status;
mod store;
mod table;
mod technology;
mod time;
mod titles;

pub use backend::Backend;
pub use database_url::DEFAULT_DATABASE_URL;
pub use database_url::DatabaseUrl;
pub use derived::{DERIVED_PART_BYTES, DerivedData};
pub use error::StoreError;
pub use fetched::{ApiFetch, ReferenceData};
pub use labor::{LaborLoadReport, StoredLaborFile};
pub use llm::{LlmEstimate, LlmRun, NarrativeKey, StoredNarrative};
pub use load::{LoadReport, TableCount};
pub use read::DataVersion;
pub use redact::{redact, redact_text};
pub use status::{RatingsSummary, ReleaseInfo, Status};
pub use store::Store;
pub(crate) use store::{Pool, dispatch};
pub(crate) use time::now_rfc3339;
pub use time::rfc3339;
pub use titles::{StoredTitleFile, TitleFile, TitlesLoadReport};
