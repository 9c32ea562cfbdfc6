//! Relatedness is derived once and kept in the store: a server reads it back instead of deriving
//! it, its answers (transitions, paths, targets) are identical either way, and kept figures that
//! were derived from other data, by another encoding, or that cannot be read are derived again,
//! never served. End to end over SQLite, MariaDB and PostgreSQL holding the real 29.0 release.

mod common;

use common::{Server, release};
use serde_json::{Value, json};
use skillgap_app::image::{
    IMAGE_FILES, IMAGE_FORMAT, ImageOrigin, StoreImage, keep_release_image, kept_image,
};
use skillgap_app::{
    Derivation, ReleaseDerivation, keep_derived, keep_derived_after_load, load_catalog,
};
use skillgap_core::relatedness::{FORMAT_VERSION, RelatednessInput};
use skillgap_core::{Domain, OnetDate, Relatedness, SilentProgress, SocCode};
use skillgap_store::{DERIVED_PART_BYTES, Store};
use skillgap_testkit::{TestDatabase, backend_tests};

const WEB_DEV: &str = "15-1254.00";
const IT_MANAGER: &str = "11-3021.00";
const CSR: &str = "43-4051.00";
const NURSE: &str = "29-1141.00";

/// The answers that draw on relatedness and the step graph, as the server gives them.
async fn answers(s: &Server) -> Vec<Value> {
    let mut out = Vec::new();
    for path in [
        format!("/occupations/{WEB_DEV}/transitions"),
        format!("/occupations/{CSR}/transitions?limit=25"),
        format!("/occupations/{NURSE}/transitions"),
        format!("/occupations/{WEB_DEV}/transitions?sort=similarity&limit=5"),
        format!("/paths?from={CSR}&to={IT_MANAGER}"),
        format!("/paths?from={WEB_DEV}&to={IT_MANAGER}&max_steps=2"),
    ] {
        let (status, _, body) = s.get(&path).await;
        assert_eq!(status, 200, "{path}: {body}");
        out.push(body);
    }
    let levels = json!({"2.A.1.a": 4, "2.A.1.b": 4.5, "2.A.1.c": 3, "2.B.1.a": 3.5});
    let (status, _, body) = s
        .post("/transitions", &json!({"levels": levels, "limit": 10}))
        .await;
    assert_eq!(status, 200, "{body}");
    out.push(body);
    out
}

/// The codes of the first transitions answer, to see which ranking was served.
fn served_top(answers: &[Value]) -> Vec<String> {
    answers[0]["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap().to_owned())
        .collect()
}

fn top(r: &Relatedness, code: &str, n: usize) -> Vec<String> {
    r.closest_codes(SocCode::parse(code).unwrap())
        .take(n)
        .map(|(c, _)| c.as_str().to_owned())
        .collect()
}

/// Where the relatedness for the store's current data comes from now.
async fn origin(store: &Store) -> (Derivation, Relatedness) {
    let (catalog, version) = load_catalog(store).await.unwrap();
    let (r, _, origin) = skillgap_app::snapshot::relatedness_with_origin(store, catalog, &version)
        .await
        .unwrap();
    (origin, r)
}

/// Stores Web Developers' skills as fetched from the web API, each rating changed by `change`
/// and dated after the release's (so the fetched values stand in the profile).
async fn fetch_changed_skills(store: &Store, change: impl Fn(&mut skillgap_core::Rating)) {
    let web = SocCode::parse(WEB_DEV).unwrap();
    let occupation = release()
        .occupations
        .iter()
        .find(|o| o.code == web)
        .unwrap()
        .clone();
    let ratings: Vec<_> = release()
        .ratings
        .iter()
        .filter(|r| r.occupation == web && Domain::of(&r.element) == Some(Domain::Skills))
        .map(|r| {
            let mut r = r.clone();
            change(&mut r);
            r.date = Some(OnetDate::parse("12/2030").unwrap());
            r
        })
        .collect();
    assert!(!ratings.is_empty());
    store
        .store_fetched(&occupation, &ratings, &[], "test", 4_000_000_000)
        .await
        .unwrap();
}

/// The store again, after a server stopped (stopping closes a SQLite store's pool).
async fn reopen(db: &TestDatabase) -> Store {
    Store::connect(&db.url).await.unwrap()
}

async fn kept_relatedness_is_read_back_identically_and_stale_is_never_served(db: TestDatabase) {
    // Loaded without any derived data: the server derives relatedness once and keeps it.
    let s = Server::start(db, |_| {}).await;
    let fresh = answers(&s).await;
    let db = s.stop().await;
    let store = reopen(&db).await;
    let version = store.data_version().await.unwrap();
    let kept = store
        .read_derived("relatedness")
        .await
        .unwrap()
        .expect("kept at start");
    assert_eq!(kept.data_key, version.derivation_key());
    assert_eq!(kept.format_version, FORMAT_VERSION);
    let fresh_top = served_top(&fresh);
    assert_eq!(fresh_top.len(), 10);

    // Read back: nothing derived, every answer identical.
    let (o, read) = origin(&store).await;
    assert_eq!(o, Derivation::Read);
    assert_eq!(top(&read, WEB_DEV, 10), fresh_top);
    let s = Server::start_on(db, store.clone(), |_| {}).await;
    assert_eq!(answers(&s).await, fresh, "answers from kept relatedness");
    let db = s.stop().await;
    let store = reopen(&db).await;

    // A ranking of other data (half the occupations), kept under another key: were it served,
    // Web Developers' closest would change.
    let (catalog, _) = load_catalog(&store).await.unwrap();
    let half: Vec<RelatednessInput> = RelatednessInput::from_catalog(&catalog)
        .into_iter()
        .enumerate()
        .filter(|(i, input)| i % 2 == 0 || input.code.as_str() == WEB_DEV)
        .map(|(_, input)| input)
        .collect();
    let other = Relatedness::build(&half);
    assert_ne!(
        top(&other, WEB_DEV, 10),
        fresh_top,
        "the decoy must rank differently"
    );
    let other = other.to_bytes();
    store
        .write_derived(
            "relatedness",
            FORMAT_VERSION,
            "release=0 occupations=1",
            &other,
        )
        .await
        .unwrap();
    let s = Server::start_on(db, store.clone(), |_| {}).await;
    assert_eq!(answers(&s).await, fresh, "answers after a stale key");
    let db = s.stop().await;
    let store = reopen(&db).await;
    let kept = store.read_derived("relatedness").await.unwrap().unwrap();
    assert_eq!(
        kept.data_key,
        version.derivation_key(),
        "derived again and kept"
    );

    // The same decoy under the current key, in another encoding's version; then bytes that
    // cannot be read under the current key and version.
    let key = version.derivation_key();
    for (format, bytes) in [
        (FORMAT_VERSION + 1, other.clone()),
        (FORMAT_VERSION, b"not relatedness".to_vec()),
    ] {
        store
            .write_derived("relatedness", format, &key, &bytes)
            .await
            .unwrap();
        let (o, r) = origin(&store).await;
        assert_eq!(o, Derivation::BuiltStale, "format {format}");
        assert_eq!(top(&r, WEB_DEV, 10), fresh_top);
    }
    // Missing: derived and kept.
    store.clear_derived().await.unwrap();
    assert!(store.read_derived("relatedness").await.unwrap().is_none());
    let (o, _) = origin(&store).await;
    assert_eq!(o, Derivation::BuiltMissing);
    assert_eq!(origin(&store).await.0, Derivation::Read);

    // A fetch that changes a profile makes what is kept stale: it is derived again from the
    // changed data (Web Developers' skills, each importance mirrored on the 1–5 scale:
    // relatedness compares importance).
    fetch_changed_skills(&store, |r| {
        if r.scale.is_importance() {
            r.value = 6.0 - r.value;
        }
    })
    .await;
    let (o, changed) = origin(&store).await;
    assert_eq!(o, Derivation::BuiltStale);
    let (catalog, _) = load_catalog(&store).await.unwrap();
    let expected = Relatedness::build(&RelatednessInput::from_catalog(&catalog));
    // Compared whole, without printing megabytes on failure.
    assert!(
        changed.to_bytes() == expected.to_bytes(),
        "derived from the changed data"
    );
    assert!(
        changed.to_bytes() != read.to_bytes(),
        "the change reaches relatedness"
    );
    let s = Server::start_on(db, store.clone(), |_| {}).await;
    assert_eq!(origin(&store).await.0, Derivation::Read);
    s.stop().await;
}

/// The answers that draw on the facts (BLS wages, education, technology, programmes) and the
/// catalog as the store image holds them, beside the relatedness ones.
async fn all_answers(s: &Server) -> Vec<Value> {
    let mut out = answers(s).await;
    for path in [
        format!("/skill-gap?from={WEB_DEV}&to={IT_MANAGER}"),
        format!("/skill-gap?from={CSR}&to={NURSE}&domain=knowledge"),
        format!("/occupations/{NURSE}"),
        format!("/occupations/{WEB_DEV}/transitions?sort=wage_gain"),
        "/occupations?q=registered+nurse".to_owned(),
    ] {
        let (status, _, body) = s.get(&path).await;
        assert_eq!(status, 200, "{path}: {body}");
        out.push(body);
    }
    out
}

/// BLS's real files, read as `load-labor` reads them.
fn labor_data() -> skillgap_core::labor::LaborData {
    use skillgap_labor::{LaborInput, LaborInputs, read_labor};
    use skillgap_testkit::labor::{crosswalk_xlsx, oews_xlsx, projections_xlsx};
    let codes = release().occupations.iter().map(|o| o.code).collect();
    read_labor(
        &LaborInputs {
            oews: LaborInput::file(oews_xlsx()),
            projections: LaborInput::file(projections_xlsx()),
            crosswalk: Some(LaborInput::file(crosswalk_xlsx())),
        },
        Some(&codes),
    )
    .unwrap()
}

async fn image_origin(store: &Store) -> ImageOrigin {
    let version = store.data_version().await.unwrap();
    kept_image(store, &version).await.unwrap().1
}

async fn the_store_image_is_read_back_identically_and_stale_is_never_served(db: TestDatabase) {
    let store = Store::connect(&db.url).await.unwrap();
    store
        .load_release(release(), 0, &SilentProgress)
        .await
        .unwrap();
    store
        .load_labor(&labor_data(), &SilentProgress)
        .await
        .unwrap();
    assert!(store.read_derived("image").await.unwrap().is_none());

    // Read row by row at the first start, and kept under everything the data version covers.
    let s = Server::start_on(db, store.clone(), |_| {}).await;
    let fresh = all_answers(&s).await;
    assert!(
        fresh[9]["labor"].is_object(),
        "BLS facts served: {}",
        fresh[9]
    );
    let db = s.stop().await;
    let store = reopen(&db).await;
    let version = store.data_version().await.unwrap();
    let kept = store
        .read_derived("image")
        .await
        .unwrap()
        .expect("kept at start");
    // The catalog part under the catalog data's key, the file part under everything.
    assert_eq!(kept.data_key, version.derivation_key());
    assert_eq!(kept.format_version, IMAGE_FORMAT);
    // Its head alone, without the bytes: what a file load checks.
    assert_eq!(
        store.derived_key("image").await.unwrap(),
        Some((IMAGE_FORMAT, version.derivation_key()))
    );
    assert_eq!(store.derived_key("nothing kept").await.unwrap(), None);
    let files = store
        .read_derived(IMAGE_FILES)
        .await
        .unwrap()
        .expect("kept at start");
    assert_eq!(files.data_key, version.full_key());
    assert_eq!(files.format_version, IMAGE_FORMAT);
    assert!(
        kept.bytes.len() > 2 * DERIVED_PART_BYTES,
        "the real image spans parts: {} bytes",
        kept.bytes.len()
    );

    // Read back: every answer identical to the one built from the rows.
    assert_eq!(image_origin(&store).await, ImageOrigin::Read);
    let s = Server::start_on(db, store.clone(), |_| {}).await;
    assert!(
        all_answers(&s).await == fresh,
        "answers from the kept image"
    );
    let db = s.stop().await;
    let store = reopen(&db).await;

    // Damaged bytes and another format under the current key: read row by row again.
    let key = version.derivation_key();
    for (format, bytes) in [
        (IMAGE_FORMAT, kept.bytes[..kept.bytes.len() - 1000].to_vec()),
        (IMAGE_FORMAT + 1, kept.bytes.clone()),
    ] {
        store
            .write_derived("image", format, &key, &bytes)
            .await
            .unwrap();
        assert_eq!(
            image_origin(&store).await,
            ImageOrigin::RowsStale,
            "format {format}"
        );
        assert_eq!(image_origin(&store).await, ImageOrigin::Read, "kept again");
    }

    // A fetch that changes a profile: the image kept is of the data before it, and is never
    // served. Web Developers' skills, each level halved, newer than the release's.
    fetch_changed_skills(&store, |r| {
        if r.scale.is_level() {
            r.value /= 2.0;
        }
    })
    .await;
    let s = Server::start_on(db, store.clone(), |_| {}).await;
    let changed = all_answers(&s).await;
    let db = s.stop().await;
    let store = reopen(&db).await;
    assert_ne!(changed[7], fresh[7], "the gap reflects the fetched profile");
    let reading = |a: &Value| a["shortages"].as_array().map(Vec::len);
    assert!(
        reading(&changed[7]) > reading(&fresh[7]),
        "halved levels leave more shortages: {:?} then {:?}",
        reading(&fresh[7]),
        reading(&changed[7])
    );
    assert_eq!(
        image_origin(&store).await,
        ImageOrigin::Read,
        "kept for the new data"
    );

    // An organisation's labelled titles (the first real rows of the tuning file): the facts
    // changed and the catalog did not, so the catalog's rows come from the image kept and only
    // the facts' are read again, once; the result is the image a full row read gives.
    let text = std::fs::read_to_string(skillgap_testkit::titles_file()).unwrap();
    let sample: String = text.lines().take(6).map(|l| format!("{l}\n")).collect();
    let rows = skillgap_core::titles::parse_labelled(&sample).unwrap();
    assert_eq!(rows.len(), 5);
    let file = skillgap_store::TitleFile {
        file_name: "coded.csv".into(),
        source: "/data/coded.csv".into(),
        sha256: "a".repeat(64),
    };
    store.load_titles(&file, &rows).await.unwrap();
    assert_eq!(image_origin(&store).await, ImageOrigin::FactsStale);
    assert_eq!(image_origin(&store).await, ImageOrigin::Read);
    let version = store.data_version().await.unwrap();
    let (image, _) = kept_image(&store, &version).await.unwrap();
    let full = StoreImage::read_rows(&store).await.unwrap();
    assert!(
        image.to_bytes() == full.to_bytes(),
        "the facts read again over the kept catalog equal a full row read"
    );
    assert_eq!(
        image.facts.labelled.len(),
        5,
        "the labelled titles are in the image"
    );
    assert_eq!(image.facts.labelled[0].title, rows[0].title);

    // A second file, kept as a file load keeps it (keep_derived): relatedness and the catalog
    // part are left as they are, only the file part is written again, and a start then reads
    // both back, equal to a full row read.
    let relatedness = store.read_derived("relatedness").await.unwrap().unwrap();
    let catalog_part = store.read_derived("image").await.unwrap().unwrap();
    let other = skillgap_store::TitleFile {
        file_name: "other.csv".into(),
        source: "/data/other.csv".into(),
        sha256: "b".repeat(64),
    };
    store.load_titles(&other, &rows[..2]).await.unwrap();
    assert_eq!(keep_derived(&store).await.unwrap(), Derivation::Read);
    let version = store.data_version().await.unwrap();
    let files = store.read_derived(IMAGE_FILES).await.unwrap().unwrap();
    assert_eq!(
        files.data_key,
        version.full_key(),
        "the file part kept again"
    );
    let unchanged = |a: &skillgap_store::DerivedData, b: &skillgap_store::DerivedData| {
        a.data_key == b.data_key && a.built_at == b.built_at && a.bytes == b.bytes
    };
    assert!(unchanged(
        &relatedness,
        &store.read_derived("relatedness").await.unwrap().unwrap()
    ));
    assert!(unchanged(
        &catalog_part,
        &store.read_derived("image").await.unwrap().unwrap()
    ));
    assert_eq!(image_origin(&store).await, ImageOrigin::Read);
    let (image, _) = kept_image(&store, &version).await.unwrap();
    let full = StoreImage::read_rows(&store).await.unwrap();
    assert!(
        image.to_bytes() == full.to_bytes(),
        "the kept file part is the store's"
    );
    assert_eq!(image.facts.labelled.len(), full.facts.labelled.len());
    assert!(image.facts.labelled.len() > 5, "both files' titles");

    // A damaged file part is read again from the rows, the catalog part kept.
    store
        .write_derived(IMAGE_FILES, IMAGE_FORMAT, &version.full_key(), b"damaged")
        .await
        .unwrap();
    assert_eq!(image_origin(&store).await, ImageOrigin::FactsStale);
    assert_eq!(image_origin(&store).await, ImageOrigin::Read);
}

/// A load keeps the image made from the release in memory (no row read back): it is the image
/// the rows give (the same catalog, technology, education and categories), the answers served
/// from it are the answers served from the rows, and a store holding anything else is read row
/// by row instead.
async fn the_image_made_from_the_release_is_the_image_of_its_rows(db: TestDatabase) {
    let store = Store::connect(&db.url).await.unwrap();
    let report = store
        .load_release(release(), 0, &SilentProgress)
        .await
        .unwrap();
    store
        .load_labor(&labor_data(), &SilentProgress)
        .await
        .unwrap();
    let (made, version) = keep_release_image(&store, release(), report.release_id)
        .await
        .unwrap()
        .expect("the store holds the release alone");
    let kept = store.read_derived("image").await.unwrap().expect("kept");
    assert_eq!(kept.data_key, version.derivation_key());
    assert_eq!(kept.bytes, made.catalog_part());
    let rows = StoreImage::read_rows(&store).await.unwrap();
    assert!(
        made.facts.labor == rows.facts.labor,
        "labour from the store"
    );
    assert!(made.facts.technology == rows.facts.technology);
    assert!(made.facts.education == rows.facts.education);
    assert!(made.facts.categories == rows.facts.categories);
    let (made_catalog, row_catalog) = (made.catalog.build(), rows.catalog.build());
    assert_eq!(made_catalog.occupations.len(), 1016);
    // The occupations exactly; the rated domains' tables line by line, in any order (their
    // element indexes are hash maps, whose Debug order differs run to run); and what is
    // derived from both, byte for byte.
    assert!(made_catalog.release == row_catalog.release);
    assert!(
        format!("{:?}", made_catalog.occupations) == format!("{:?}", row_catalog.occupations),
        "the occupations built from the release in memory are the ones built from its rows"
    );
    let lines = |c: &skillgap_core::Catalog| {
        let text = format!("{:#?}", c.domains);
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        lines.sort_unstable();
        lines
    };
    assert!(
        lines(&made_catalog) == lines(&row_catalog),
        "the rated domains"
    );
    let derive = |c: &skillgap_core::Catalog| {
        Relatedness::build(&RelatednessInput::from_catalog(c)).to_bytes()
    };
    assert!(derive(&made_catalog) == derive(&row_catalog), "relatedness");
    // The whole chain a load runs: relatedness derived from it and kept.
    assert_eq!(
        keep_derived_after_load(
            &store,
            ReleaseDerivation::start(std::sync::Arc::new(release().clone())),
            report.release_id
        )
        .await
        .unwrap(),
        Derivation::BuiltMissing
    );
    assert_eq!(image_origin(&store).await, ImageOrigin::Read);
    let s = Server::start_on(db, store.clone(), |_| {}).await;
    let from_memory = all_answers(&s).await;
    let db = s.stop().await;
    let store = reopen(&db).await;
    // The same data read row by row (the kept image made stale by its key).
    store
        .write_derived("image", IMAGE_FORMAT, "another key", &kept.bytes)
        .await
        .unwrap();
    let s = Server::start_on(db, store.clone(), |_| {}).await;
    assert!(
        all_answers(&s).await == from_memory,
        "answers from the image made in memory and from the rows"
    );
    let db = s.stop().await;
    let store = reopen(&db).await;
    // Fetched ratings: the release no longer says what the store holds.
    fetch_changed_skills(&store, |r| r.value = (r.value + 0.5).min(7.0)).await;
    assert!(
        keep_release_image(&store, release(), report.release_id)
            .await
            .unwrap()
            .is_none()
    );
    drop(db);
}

backend_tests! {
    image_of_the_release => the_image_made_from_the_release_is_the_image_of_its_rows;
    kept_relatedness => kept_relatedness_is_read_back_identically_and_stale_is_never_served;
    kept_image => the_store_image_is_read_back_identically_and_stale_is_never_served;
}
