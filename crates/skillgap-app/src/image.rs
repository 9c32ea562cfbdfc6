//! The store's image: every row the catalog and the facts are built from, as of one data
//! version, encoded as one value and kept in the store beside the data.
//!
//! Reading the release's ~270,000 rows one by one through the database driver takes about a
//! second on SQLite; reading one value back and decoding it takes a few tens of milliseconds. So
//! a load (and a fetch, an enrichment, a labour, programme or title file) keeps the image, and a
//! start reads it back when it is of the store's current data, and reads the rows (and keeps a
//! new image) when it is not. The rows are kept, not the structures built from them, so the
//! catalog, the facts and everything derived from them are built by the same code either way.
//!
//! The encoding is postcard (serde): compact, and exact for every value (floats as their bits).
//! It is versioned by [`IMAGE_FORMAT`], which must be raised whenever a type it holds changes
//! shape; `the_encoding_is_pinned` fails until it is.

use std::time::Instant;

use serde::{Deserialize, Serialize};
use skillgap_core::labor::LaborData;
use skillgap_core::programmes::ProgrammeData;
use skillgap_core::titles::LabelledTitle;
use skillgap_core::{CatalogBuilder, EducationCategory, EducationRating, SocCode, TechnologySkill};
use skillgap_store::{DataVersion, Store, StoreError};

/// The image's encoding version. Raise it whenever a type the image holds changes shape.
pub const IMAGE_FORMAT: u32 = 1;

/// The name the image is kept under in the store.
const IMAGE: &str = "image";

/// The rows the facts are built from (see [`crate::Facts::from_rows`]).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct FactRows {
    /// BLS data, when `load-labor` has run.
    pub labor: LaborData,
    /// Technology examples, in example order.
    pub technology: Vec<TechnologySkill>,
    /// Education, experience and training distributions.
    pub education: Vec<EducationRating>,
    /// The categories those distributions use.
    pub categories: Vec<EducationCategory>,
    /// NCES programmes.
    pub programmes: ProgrammeData,
    /// An organisation's labelled titles.
    pub labelled: Vec<LabelledTitle>,
}

impl FactRows {
    /// Reads them from the store, limited to the occupations in `only` when given.
    pub async fn read_of(store: &Store, only: Option<&[SocCode]>) -> Result<Self, StoreError> {
        Ok(Self {
            labor: store.labor_data().await?,
            technology: store.technology_skills_of(only).await?,
            education: store.education_of(only).await?,
            categories: store.education_categories().await?,
            programmes: store.programme_data().await?,
            labelled: store.labelled_titles().await?,
        })
    }
}

impl FactRows {
    /// Reads again only what labour, programme and title files hold (what changes while the
    /// catalog's data does not).
    async fn refresh_files(&mut self, store: &Store) -> Result<(), StoreError> {
        let (labor, programmes, labelled) = tokio::try_join!(
            store.labor_data(),
            store.programme_data(),
            store.labelled_titles()
        )?;
        self.labor = labor;
        self.programmes = programmes;
        self.labelled = labelled;
        Ok(())
    }
}

/// Every row the catalog and the facts are built from.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct StoreImage {
    /// The catalog's rows, collected.
    pub catalog: CatalogBuilder,
    /// The facts' rows.
    pub facts: FactRows,
}

/// Why kept bytes could not be read back as an image.
#[derive(Debug, thiserror::Error)]
#[error("the store image cannot be decoded: {0}")]
pub struct ImageDecodeError(#[from] postcard::Error);

impl StoreImage {
    /// Reads every row from the store, the catalog's in one transaction and then the facts'
    /// (on two connections at once).
    pub async fn read_rows(store: &Store) -> Result<Self, StoreError> {
        let catalog = async {
            let mut builder = CatalogBuilder::default();
            store.read_catalog(&mut builder).await?;
            Ok::<_, StoreError>(builder)
        };
        let (catalog, facts) = tokio::try_join!(catalog, FactRows::read_of(store, None))?;
        Ok(Self { catalog, facts })
    }

    /// The image as bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        // Serializing plain data into a Vec cannot fail: every type here serializes infallibly.
        postcard::to_stdvec(self).expect("a store image always serializes")
    }

    /// An image from bytes written by [`StoreImage::to_bytes`] of the same [`IMAGE_FORMAT`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ImageDecodeError> {
        Ok(postcard::from_bytes(bytes)?)
    }
}

/// Where a store image came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageOrigin {
    /// Read back from the store, kept earlier for the same data.
    Read,
    /// Read row by row, because the store kept no image.
    RowsMissing,
    /// Read row by row, because the image kept was of other data, of another format, or could
    /// not be decoded.
    RowsStale,
    /// The catalog's rows read back from an image of the same catalog data, and only the rows of
    /// labour, programme and title files read again, because only those changed since.
    FactsStale,
}

/// Whether an image kept under `kept_key` holds the catalog rows of `version`: the same
/// derivation key, only labour, programme or title files differ.
fn same_catalog(kept_key: &str, version: &DataVersion) -> bool {
    kept_key
        .strip_prefix(&version.derivation_key())
        .is_some_and(|rest| rest.starts_with(" labor="))
}

/// The image of the store's data as of `version` (read just before): read back when the store
/// keeps one under this very version and format, else read row by row and kept (a store that
/// refuses the write still answers; it is only said). A stale image is never used.
pub async fn kept_image(
    store: &Store,
    version: &DataVersion,
) -> Result<(StoreImage, ImageOrigin), StoreError> {
    let started = Instant::now();
    let key = version.full_key();
    let origin = match store.read_derived(IMAGE).await? {
        None => ImageOrigin::RowsMissing,
        Some(kept) if kept.format_version == IMAGE_FORMAT && kept.data_key == key => {
            let read_ms = started.elapsed().as_millis() as u64;
            match crate::snapshot::off_the_workers(move || StoreImage::from_bytes(&kept.bytes))
                .await
            {
                Ok(image) => {
                    tracing::info!(
                        read_ms,
                        elapsed_ms = started.elapsed().as_millis() as u64,
                        "store image read back"
                    );
                    return Ok((image, ImageOrigin::Read));
                }
                Err(e) => {
                    tracing::warn!(error = %e, "the store image kept cannot be read");
                    ImageOrigin::RowsStale
                }
            }
        }
        Some(kept)
            if kept.format_version == IMAGE_FORMAT && same_catalog(&kept.data_key, version) =>
        {
            // The catalog's ~270,000 rows (and the release's technology and education rows) are
            // the bulk of a row read; a labour, programme or title file changes none of them, so
            // only what such files hold is read again.
            let decoded =
                crate::snapshot::off_the_workers(move || StoreImage::from_bytes(&kept.bytes)).await;
            match decoded {
                Ok(mut image) => {
                    tracing::info!(
                        "only labour, programme or title files changed: reading their rows again"
                    );
                    image.facts.refresh_files(store).await?;
                    let image = keep(store, &key, image, started).await;
                    return Ok((image, ImageOrigin::FactsStale));
                }
                Err(e) => {
                    tracing::warn!(error = %e, "the store image kept cannot be read");
                    ImageOrigin::RowsStale
                }
            }
        }
        Some(_) => ImageOrigin::RowsStale,
    };
    tracing::info!(
        reason = match origin {
            ImageOrigin::RowsMissing => "the store keeps no image yet",
            _ => "the image kept is of other data or by another skillgap",
        },
        "reading every row, and keeping an image of them once"
    );
    let image = StoreImage::read_rows(store).await?;
    Ok((keep(store, &key, image, started).await, origin))
}

/// Keeps `image` under `key` (a store that refuses the write still answers; it is only said),
/// and hands it back.
async fn keep(store: &Store, key: &str, image: StoreImage, started: Instant) -> StoreImage {
    let read_ms = started.elapsed().as_millis() as u64;
    let (image, bytes) = crate::snapshot::off_the_workers(move || {
        let bytes = image.to_bytes();
        (image, bytes)
    })
    .await;
    // Kept under the version read before the rows: should a load land meanwhile, the rows are
    // newer than the key says, and the key never matches the store again, so they are never
    // served as that version's.
    match store.write_derived(IMAGE, IMAGE_FORMAT, key, &bytes).await {
        Ok(()) => tracing::info!(
            bytes = bytes.len(),
            read_ms,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "rows read and their image kept"
        ),
        Err(e) => tracing::warn!(
            error = %e,
            "rows read but their image not kept; the next start reads every row again"
        ),
    }
    image
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};
    use skillgap_core::Source;

    use super::*;

    /// An image of the real release's rows for the occupations whose code starts with `prefix`.
    fn image_of(prefix: &str) -> StoreImage {
        let release = skillgap_testkit::real_release();
        let keep = |code: &SocCode| code.as_str().starts_with(prefix);
        let mut catalog = CatalogBuilder::new(Some("29.0".into()));
        for o in release.occupations.iter().filter(|o| keep(&o.code)) {
            catalog.occupation(o.clone(), Source::OnetRelease);
        }
        for d in &release.descriptors {
            catalog.descriptor(d.clone());
        }
        for a in &release.level_anchors {
            catalog.level_anchor(a.clone());
        }
        for r in release.ratings.iter().filter(|r| keep(&r.occupation)) {
            catalog.rating(r);
        }
        for a in release
            .alternate_titles
            .iter()
            .filter(|a| keep(&a.occupation))
        {
            catalog.alternate_title(a.occupation, a.title.clone());
        }
        for t in release.tasks.iter().filter(|t| keep(&t.occupation)) {
            catalog.task(t.clone());
        }
        for z in release.job_zones.iter().filter(|z| keep(&z.occupation)) {
            catalog.job_zone(z.occupation, z.zone);
        }
        let facts = FactRows {
            technology: release
                .technology_skills
                .iter()
                .filter(|t| keep(&t.occupation))
                .cloned()
                .collect(),
            education: release
                .education
                .iter()
                .filter(|e| keep(&e.occupation))
                .cloned()
                .collect(),
            categories: release.education_categories.clone(),
            ..FactRows::default()
        };
        StoreImage { catalog, facts }
    }

    #[test]
    fn an_image_reads_back_exactly() {
        let image = image_of("15-");
        let bytes = image.to_bytes();
        let back = StoreImage::from_bytes(&bytes).unwrap();
        assert_eq!(back.to_bytes(), bytes, "a round trip changes nothing");
        assert_eq!(back.facts.technology, image.facts.technology);
        assert_eq!(back.facts.education, image.facts.education);
        let (a, b) = (image.catalog.build(), back.catalog.build());
        assert!(a.occupations.len() > 20, "{}", a.occupations.len());
        assert_eq!(a.occupations.len(), b.occupations.len());
        for (x, y) in a.occupations.iter().zip(&b.occupations) {
            assert_eq!(x.occupation, y.occupation);
            assert_eq!(x.alternate_titles, y.alternate_titles);
            assert_eq!(x.tasks, y.tasks);
            assert_eq!(x.job_zone, y.job_zone);
        }
        assert_eq!(a.domains.len(), b.domains.len());
        for (x, y) in a.domains.iter().zip(&b.domains) {
            assert_eq!(x.domain, y.domain);
            assert_eq!(
                format!("{:?}", x.descriptors),
                format!("{:?}", y.descriptors)
            );
            for i in 0..a.occupations.len() {
                let (p, q) = (x.profiles(i), y.profiles(i));
                assert_eq!(p.onet, q.onet, "{:?} {i}", x.domain);
                assert_eq!(p.llm, q.llm, "{:?} {i}", x.domain);
            }
        }
    }

    #[test]
    fn damaged_bytes_are_refused_not_misread() {
        let bytes = image_of("29-").to_bytes();
        assert!(StoreImage::from_bytes(&bytes[..bytes.len() / 2]).is_err());
        assert!(StoreImage::from_bytes(b"not an image").is_err());
    }

    /// The encoding of a fixed slice of the release, pinned: a change to any type the image
    /// holds changes these bytes, and then [`IMAGE_FORMAT`] must be raised (so that stores
    /// keeping images of the old shape read their rows again) and this pin updated.
    #[test]
    fn the_encoding_is_pinned() {
        let bytes = image_of("11-30").to_bytes();
        let digest = format!("{:x}", Sha256::digest(&bytes));
        assert_eq!(
            (IMAGE_FORMAT, digest.as_str()),
            (
                1,
                "e2b4e420d4d9207a52e7e92c38c4b19d66f4344d0b4cb4a9cccddec196000db7"
            ),
            "the image's encoding changed: raise IMAGE_FORMAT, then update this pin"
        );
    }
}
