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
//! It is kept in two parts: the catalog's rows with the release's technology and education rows
//! (about 15 MB, under the data's derivation key), and what labour, programme and title files
//! hold (small, under the full key). A `load-labor`, `load-programmes` or `load-titles` changes
//! only the second, so it re-reads and re-writes only that.
//!
//! The encoding is postcard (serde): compact, and exact for every value (floats as their bits).
//! It is versioned by [`IMAGE_FORMAT`], which must be raised whenever a type it holds changes
//! shape; `the_encoding_is_pinned` fails until it is.

use std::time::Instant;

use serde::{Deserialize, Serialize};
use skillgap_core::labor::LaborData;
use skillgap_core::programmes::ProgrammeData;
use skillgap_core::titles::LabelledTitle;
use skillgap_core::{
    CatalogBuilder, EducationCategory, EducationRating, Release, SocCode, Source, Task,
    TechnologySkill,
};
use skillgap_store::{DataVersion, Store, StoreError};

/// The image's encoding version. Raise it whenever a type the image holds changes shape.
pub const IMAGE_FORMAT: u32 = 2;

/// The name the image's catalog part is kept under in the store.
pub const IMAGE: &str = "image";
/// The name the image's file part (labour, programme and title files) is kept under.
pub const IMAGE_FILES: &str = "image-files";

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

    /// The catalog part's bytes: the catalog's rows and the release's technology and education.
    pub fn catalog_part(&self) -> Vec<u8> {
        encode(&CatalogPartRef {
            catalog: &self.catalog,
            technology: &self.facts.technology,
            education: &self.facts.education,
            categories: &self.facts.categories,
        })
    }

    /// The file part's bytes: what labour, programme and title files hold.
    pub fn files_part(&self) -> Vec<u8> {
        encode(&FilesPartRef {
            labor: &self.facts.labor,
            programmes: &self.facts.programmes,
            labelled: &self.facts.labelled,
        })
    }

    /// An image from the bytes of its two parts.
    pub fn from_parts(catalog: &[u8], files: &[u8]) -> Result<Self, ImageDecodeError> {
        Ok(Self::join(
            postcard::from_bytes(catalog)?,
            postcard::from_bytes(files)?,
        ))
    }

    fn join(c: CatalogPart, f: FilesPart) -> Self {
        Self {
            catalog: c.catalog,
            facts: FactRows {
                labor: f.labor,
                technology: c.technology,
                education: c.education,
                categories: c.categories,
                programmes: f.programmes,
                labelled: f.labelled,
            },
        }
    }

    /// The whole image as bytes in one encoding: what two images are compared by.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = self.catalog_part();
        bytes.extend(self.files_part());
        bytes
    }
}

impl StoreImage {
    /// The catalog part of a store that holds `release` and nothing else, made from the release
    /// in memory: the rows [`StoreImage::read_rows`] would read back (in an order the catalog and
    /// the facts do not depend on), without reading ~270,000 rows back through the driver. The
    /// file part is left empty (it is read from the store: labour, programme and title files).
    pub fn of_release(release: &Release) -> Self {
        let mut catalog = CatalogBuilder::new(Some(release.version.clone()));
        for o in &release.occupations {
            catalog.occupation(o.clone(), Source::OnetRelease);
        }
        for d in &release.descriptors {
            catalog.descriptor(d.clone());
        }
        for r in &release.ratings {
            catalog.rating(r);
        }
        for a in &release.level_anchors {
            catalog.level_anchor(a.clone());
        }
        for t in &release.alternate_titles {
            catalog.alternate_title(t.occupation, t.title.clone());
            if let Some(short) = &t.short_title {
                catalog.short_title(t.occupation, short.clone());
            }
        }
        for t in &release.reported_titles {
            catalog.reported_title(t.occupation, t.title.clone());
        }
        // The store reads tasks by task id.
        let mut tasks: Vec<&Task> = release.tasks.iter().collect();
        tasks.sort_by_key(|t| t.id);
        for t in tasks {
            catalog.task(t.clone());
        }
        for z in &release.job_zones {
            catalog.job_zone(z.occupation, z.zone);
        }
        for r in &release.related_occupations {
            catalog.related(*r);
        }
        // The orders the store reads them in (`technology_skills_of`, `education_categories`).
        let mut technology = release.technology_skills.clone();
        technology.sort_by(|a, b| (a.occupation, &a.example).cmp(&(b.occupation, &b.example)));
        let mut categories = release.education_categories.clone();
        categories.sort_by(|a, b| {
            (a.element.as_str(), a.scale.as_str(), a.category).cmp(&(
                b.element.as_str(),
                b.scale.as_str(),
                b.category,
            ))
        });
        Self {
            catalog,
            facts: FactRows {
                technology,
                education: release.education.clone(),
                categories,
                ..FactRows::default()
            },
        }
    }
}

/// Keeps the image of a store that holds `release` (just loaded) and nothing else, its catalog
/// part made from the release in memory, and returns it; `None` when the store holds anything
/// else (fetched or estimated ratings, another release's occupations), for then only the rows
/// tell what it holds. (A load derives the same parts while it writes: `ReleaseDerivation`.)
pub async fn keep_release_image(
    store: &Store,
    release: &Release,
    release_id: i64,
) -> Result<Option<(StoreImage, DataVersion)>, StoreError> {
    let started = Instant::now();
    let version = store.data_version().await?;
    if !holds_release_alone(&version, release_id, release.occupations.len()) {
        return Ok(None);
    }
    let mut image = StoreImage::of_release(release);
    // Kept under the version read before: should anything land meanwhile, the key never matches
    // the store again, so the image is never served as that newer version's.
    keep_catalog_part(store, &version, &image.catalog_part()).await;
    let files = FilesPart::read_and_keep(store, &version.full_key(), started).await?;
    image.facts.labor = files.labor;
    image.facts.programmes = files.programmes;
    image.facts.labelled = files.labelled;
    Ok(Some((image, version)))
}

/// Keeps an image's encoded catalog part under `version`.
pub async fn keep_catalog_part(store: &Store, version: &DataVersion, bytes: &[u8]) {
    keep(
        store,
        IMAGE,
        &version.derivation_key(),
        bytes,
        Instant::now(),
    )
    .await;
}

/// Whether a store at `version` holds release `release_id` (of `occupations` occupations) and
/// nothing else: no fetched or estimated ratings, no fetch or estimate ever, and every occupation
/// the release's. Only then does the release in memory say what the store holds.
pub fn holds_release_alone(version: &DataVersion, release_id: i64, occupations: usize) -> bool {
    version.release_id == release_id
        && version.other_ratings == 0
        && version.last_fetch == 0
        && version.last_estimate == 0
        && usize::try_from(version.occupations).ok() == Some(occupations)
}

/// Reads what labour, programme and title files hold and keeps it as the image's file part of
/// `version`.
pub async fn keep_files_part_read(store: &Store, version: &DataVersion) -> Result<(), StoreError> {
    FilesPart::read_and_keep(store, &version.full_key(), Instant::now()).await?;
    Ok(())
}

/// The catalog part, as kept (see [`StoreImage::catalog_part`]).
#[derive(Deserialize)]
struct CatalogPart {
    catalog: CatalogBuilder,
    technology: Vec<TechnologySkill>,
    education: Vec<EducationRating>,
    categories: Vec<EducationCategory>,
}

/// The catalog part, borrowed to be written (the same encoding as [`CatalogPart`]).
#[derive(Serialize)]
struct CatalogPartRef<'a> {
    catalog: &'a CatalogBuilder,
    technology: &'a [TechnologySkill],
    education: &'a [EducationRating],
    categories: &'a [EducationCategory],
}

/// The file part, as kept (see [`StoreImage::files_part`]).
#[derive(Serialize, Deserialize)]
struct FilesPart {
    labor: LaborData,
    programmes: ProgrammeData,
    labelled: Vec<LabelledTitle>,
}

impl FilesPart {
    /// Reads what labour, programme and title files hold, and keeps it under `key`.
    async fn read_and_keep(store: &Store, key: &str, started: Instant) -> Result<Self, StoreError> {
        let (labor, programmes, labelled) = tokio::try_join!(
            store.labor_data(),
            store.programme_data(),
            store.labelled_titles()
        )?;
        let files = Self {
            labor,
            programmes,
            labelled,
        };
        keep(store, IMAGE_FILES, key, &encode(&files), started).await;
        Ok(files)
    }
}

/// The file part, borrowed from an image to be written (the same encoding as [`FilesPart`]).
#[derive(Serialize)]
struct FilesPartRef<'a> {
    labor: &'a LaborData,
    programmes: &'a ProgrammeData,
    labelled: &'a [LabelledTitle],
}

fn encode(value: &impl Serialize) -> Vec<u8> {
    // Serializing plain data into a Vec cannot fail: every type here serializes infallibly.
    postcard::to_stdvec(value).expect("a store image always serializes")
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

/// The image of the store's data as of `version` (read just before): each part read back when
/// the store keeps it under this very version and format, else read row by row and kept (a store
/// that refuses the write still answers; it is only said). A stale part is never used.
pub async fn kept_image(
    store: &Store,
    version: &DataVersion,
) -> Result<(StoreImage, ImageOrigin), StoreError> {
    let started = Instant::now();
    let (catalog_key, files_key) = (version.derivation_key(), version.full_key());
    let (kept_catalog, kept_files) =
        tokio::try_join!(store.read_derived(IMAGE), store.read_derived(IMAGE_FILES))?;
    let read_ms = started.elapsed().as_millis() as u64;
    let catalog = match kept_catalog {
        None => Err(ImageOrigin::RowsMissing),
        Some(kept) if kept.format_version == IMAGE_FORMAT && kept.data_key == catalog_key => {
            decoded::<CatalogPart>(kept.bytes)
                .await
                .ok_or(ImageOrigin::RowsStale)
        }
        Some(_) => Err(ImageOrigin::RowsStale),
    };
    let files = match kept_files {
        Some(kept) if kept.format_version == IMAGE_FORMAT && kept.data_key == files_key => {
            decoded::<FilesPart>(kept.bytes).await
        }
        _ => None,
    };
    match (catalog, files) {
        (Ok(c), Some(f)) => {
            tracing::info!(
                read_ms,
                elapsed_ms = started.elapsed().as_millis() as u64,
                "store image read back"
            );
            Ok((StoreImage::join(c, f), ImageOrigin::Read))
        }
        (Ok(c), None) => {
            // The catalog's ~270,000 rows (and the release's technology and education rows) are
            // the bulk of a row read; labour, programme and title files change none of them.
            tracing::info!(
                "only labour, programme or title files changed: reading their rows again"
            );
            let files = FilesPart::read_and_keep(store, &files_key, started).await?;
            Ok((StoreImage::join(c, files), ImageOrigin::FactsStale))
        }
        (Err(origin), _) => {
            tracing::info!(
                reason = match origin {
                    ImageOrigin::RowsMissing => "the store keeps no image yet",
                    _ => "the image kept is of other data or by another skillgap",
                },
                "reading every row, and keeping an image of them once"
            );
            let image = StoreImage::read_rows(store).await?;
            let (image, catalog, files) = crate::snapshot::off_the_workers(move || {
                let (catalog, files) = (image.catalog_part(), image.files_part());
                (image, catalog, files)
            })
            .await;
            // Kept under the version read before the rows: should a load land meanwhile, the rows
            // are newer than the key says, and the key never matches the store again, so they are
            // never served as that version's.
            keep(store, IMAGE, &catalog_key, &catalog, started).await;
            keep(store, IMAGE_FILES, &files_key, &files, started).await;
            Ok((image, origin))
        }
    }
}

/// Keeps the file part of `version`'s image when the catalog part kept is of the same catalog
/// data, without decoding the catalog part: what a labour, programme or title file load needs.
/// False when the catalog part is missing or of other data (then [`kept_image`] reads every row).
pub async fn keep_files_part(store: &Store, version: &DataVersion) -> Result<bool, StoreError> {
    let started = Instant::now();
    let current = store
        .derived_key(IMAGE)
        .await?
        .is_some_and(|(format, key)| format == IMAGE_FORMAT && key == version.derivation_key());
    if current {
        FilesPart::read_and_keep(store, &version.full_key(), started).await?;
    }
    Ok(current)
}

/// Decodes a kept part off the workers; `None` (and said) when the bytes cannot be read.
async fn decoded<T: serde::de::DeserializeOwned + Send + 'static>(bytes: Vec<u8>) -> Option<T> {
    match crate::snapshot::off_the_workers(move || postcard::from_bytes::<T>(&bytes)).await {
        Ok(part) => Some(part),
        Err(e) => {
            tracing::warn!(error = %e, "a part of the store image kept cannot be read");
            None
        }
    }
}

/// Keeps `bytes` as the part `name` under `key` (a store that refuses the write still answers;
/// it is only said).
async fn keep(store: &Store, name: &str, key: &str, bytes: &[u8], started: Instant) {
    match store.write_derived(name, IMAGE_FORMAT, key, bytes).await {
        Ok(()) => tracing::info!(
            part = name,
            bytes = bytes.len(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "store image part kept"
        ),
        Err(e) => tracing::warn!(
            part = name,
            error = %e,
            "store image part not kept; the next start reads its rows again"
        ),
    }
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
        let back = StoreImage::from_parts(&image.catalog_part(), &image.files_part()).unwrap();
        assert_eq!(
            back.to_bytes(),
            image.to_bytes(),
            "a round trip changes nothing"
        );
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
        let image = image_of("29-");
        let (catalog, files) = (image.catalog_part(), image.files_part());
        assert!(StoreImage::from_parts(&catalog[..catalog.len() / 2], &files).is_err());
        assert!(StoreImage::from_parts(&catalog, b"not an image").is_err());
        assert!(StoreImage::from_parts(&catalog, &files).is_ok());
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
                2,
                "49468776781411061bc6a6a85587b2efe966d001470b28f213e79749e98a1e5c"
            ),
            "the image's encoding changed: raise IMAGE_FORMAT, then update this pin"
        );
    }
}
