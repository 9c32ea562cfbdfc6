//! NCES programmes: loading the CIP list and its crosswalk to SOC (one transaction, idempotent by
//! checksum, replacing what was loaded) and reading them back.

use std::time::Instant;

use skillgap_core::Progress;
use skillgap_core::labor::Soc2018Code;
use skillgap_core::programmes::{Programme, ProgrammeData, ProgrammeFile, ProgrammeLink};
use sqlx::{Executor, QueryBuilder, Row};

use crate::labor::LaborLoadReport;
use crate::load::{TableCount, insert, insert_sql};
use crate::read::corrupt;
use crate::row::TextRow;
use crate::table::{PROGRAMME_OCCUPATIONS, PROGRAMMES, Table};
use crate::{Store, StoreError, dispatch, now_rfc3339};

impl Store {
    /// The programme files loaded.
    pub async fn programme_files(&self) -> Result<Vec<ProgrammeFile>, StoreError> {
        let out = dispatch!(self, pool => {
            sqlx::query("SELECT kind, file_name, sha256, row_count FROM programme_files ORDER BY kind")
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| -> Result<ProgrammeFile, sqlx::Error> {
                    Ok(ProgrammeFile {
                        kind: r.text(0)?,
                        file_name: r.text(1)?,
                        sha256: r.text(2)?,
                        rows: r.try_get::<i64, _>(3)? as u64,
                    })
                })
                .collect::<Result<Vec<_>, _>>()?
        });
        Ok(out)
    }

    /// Loads `data` in one transaction, replacing the programmes loaded before. When both files
    /// were already loaded with the same checksums, nothing is written. On any error the store
    /// is exactly as it was.
    pub async fn load_programmes(
        &self,
        data: &ProgrammeData,
        progress: &dyn Progress,
    ) -> Result<LaborLoadReport, StoreError> {
        let started = Instant::now();
        let stored = self.programme_files().await?;
        let unchanged = |f: &ProgrammeFile| {
            stored
                .iter()
                .any(|s| s.kind == f.kind && s.sha256 == f.sha256)
        };
        if !data.files.is_empty() && data.files.iter().all(unchanged) {
            return Ok(LaborLoadReport {
                already_loaded: true,
                written: Vec::new(),
                elapsed: started.elapsed(),
            });
        }
        let b = self.backend;
        let loaded_at = now_rfc3339();
        let written = vec![
            TableCount {
                table: "programmes",
                rows: data.programmes.len() as u64,
            },
            TableCount {
                table: "programme_occupations",
                rows: data.links.len() as u64,
            },
        ];
        dispatch!(self, pool => {
            let mut tx = pool.begin().await?;
            progress.begin(
                "write programmes",
                (data.programmes.len() + data.links.len()) as u64,
            );
            (&mut *tx).execute("DELETE FROM programme_occupations").await?;
            (&mut *tx).execute("DELETE FROM programmes").await?;
            (&mut *tx).execute("DELETE FROM programme_files").await?;
            insert!(tx, b, PROGRAMMES, &[], &data.programmes, progress, |q, p| {
                q.push_bind(p.code.as_str())
                    .push_bind(p.title.as_str())
                    .push_bind(p.definition.as_str());
            });
            insert!(tx, b, PROGRAMME_OCCUPATIONS, &[], &data.links, progress, |q, l| {
                q.push_bind(l.soc.as_str()).push_bind(l.cip.as_str());
            });
            for f in &data.files {
                let mut q = QueryBuilder::new(
                    "INSERT INTO programme_files (kind, file_name, sha256, row_count, loaded_at) VALUES (",
                );
                q.separated(", ")
                    .push_bind(f.kind.as_str())
                    .push_bind(f.file_name.as_str())
                    .push_bind(f.sha256.as_str())
                    .push_bind(f.rows as i64)
                    .push_bind(loaded_at.as_str());
                q.push(")");
                q.build().execute(&mut *tx).await?;
            }
            progress.end();
            tx.commit().await?;
        });
        Ok(LaborLoadReport {
            already_loaded: false,
            written,
            elapsed: started.elapsed(),
        })
    }

    /// Every programme and link loaded, sorted by code (here, not by the database, whose
    /// collation may differ per backend).
    pub async fn programme_data(&self) -> Result<ProgrammeData, StoreError> {
        let files = self.programme_files().await?;
        const L: &str = "programme_occupations";
        let (mut programmes, mut links) = dispatch!(self, pool => {
            let programmes = sqlx::query("SELECT cip_code, title, definition FROM programmes")
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| -> Result<Programme, sqlx::Error> {
                    Ok(Programme {
                        code: r.text(0)?,
                        title: r.text(1)?,
                        definition: r.text(2)?,
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let links = sqlx::query("SELECT soc_code, cip_code FROM programme_occupations")
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| -> Result<ProgrammeLink, sqlx::Error> {
                    let s = r.text(0)?;
                    Ok(ProgrammeLink {
                        soc: Soc2018Code::parse(&s).map_err(|e| corrupt(L, e.to_string()))?,
                        cip: r.text(1)?,
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            (programmes, links)
        });
        programmes.sort_by(|a, b| a.code.cmp(&b.code));
        links.sort_by(|a, b| (a.soc, &a.cip).cmp(&(b.soc, &b.cip)));
        Ok(ProgrammeData {
            programmes,
            links,
            files,
        })
    }
}
