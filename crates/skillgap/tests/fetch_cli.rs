//! `skillgap fetch`, `skillgap refresh --stale` and on-demand fetching in `skillgap gap`, as a user
//! runs them, against a local fake O*NET started by the test (never the real service).

mod common;

use serde_json::Value;
use skillgap_testkit::fake_onet::{FakeOnet, Flavor};

const WEB_DEV: &str = "15-1254.00";

use common::{run_with as skillgap, text};

/// A SQLite store with 29.0 loaded, minus every row of Web Developers.
async fn store_without_web_developers() -> (tempfile::TempDir, String) {
    let (dir, db) = common::loaded_store();
    let store = skillgap_store::Store::connect(&db).await.unwrap();
    for table in [
        "ratings",
        "alternate_titles",
        "reported_titles",
        "tasks",
        "job_zones",
        "technology_skills",
        "education_training",
        "occupations",
    ] {
        store
            .execute_raw(&format!(
                "DELETE FROM {table} WHERE onetsoc_code = '{WEB_DEV}'"
            ))
            .await
            .unwrap();
    }
    store.close().await;
    (dir, db)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetch_stores_the_occupation_and_refresh_only_touches_stale_ones() {
    let (_dir, db) = store_without_web_developers().await;
    let fake = FakeOnet::start(Flavor::V1_9Xml).await;
    let env = fake.env();

    let out = skillgap(&db, &env, &["fetch", WEB_DEV]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let line = text(&out.stdout);
    assert!(
        line.starts_with("15-1254.00 Web Developers: 136 ratings from onet-api-v1.9 (9 requests"),
        "{line}"
    );
    assert_eq!(fake.requests(), 9);

    let status: Value =
        serde_json::from_slice(&skillgap(&db, &[], &["status", "--json"]).await.stdout).unwrap();
    let fetched = status["ratings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["source"] == "onet-api" && r["domain"] == "skills")
        .unwrap();
    assert_eq!(
        (fetched["ratings"].as_u64(), fetched["occupations"].as_u64()),
        (Some(70), Some(1))
    );

    // Within the TTL nothing is stale; with a TTL of 0 everything fetched is.
    let out = skillgap(&db, &env, &["refresh", "--stale"]).await;
    assert!(
        text(&out.stdout).contains("Nothing is stale"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(fake.requests(), 9);
    let mut env0 = env.clone();
    env0.push(("SKILLGAP_ONET_TTL", "0".into()));
    let out = skillgap(&db, &env0, &["refresh", "--stale", "--json"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let result: Value = serde_json::from_str(text(&out.stdout).trim()).unwrap();
    assert_eq!(
        (result["code"].as_str(), result["ok"].as_bool()),
        (Some(WEB_DEV), Some(true))
    );
    assert_eq!(result["fetched"]["ratings"], 136);
    assert_eq!(fake.requests(), 18);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gap_fetches_what_the_store_lacks_when_configured() {
    let (_dir, db) = store_without_web_developers().await;
    let fake = FakeOnet::start(Flavor::V2).await;

    // Without credentials: the store's answer, which is that it does not know the code.
    let out = skillgap(&db, &[], &["gap", WEB_DEV, "11-3021.00"]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("no occupation with code 15-1254.00"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(fake.requests(), 0);

    let out = skillgap(&db, &fake.env(), &["gap", WEB_DEV, "11-3021.00", "--json"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("fetching it from O*NET Web Services"));
    let body: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(body["data"]["sources"]["from.skills"], "onet-api");
    assert_eq!(body["shortages"][0]["element_id"], "2.B.5.b");
    assert_eq!(fake.requests(), 9);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetch_errors_say_what_to_do() {
    let (_dir, db) = store_without_web_developers().await;
    let out = skillgap(&db, &[], &["fetch", WEB_DEV]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr)
            .contains("fetching from O*NET Web Services is off: set SKILLGAP_ONET_API_KEY"),
        "{}",
        text(&out.stderr)
    );

    let out = skillgap(&db, &[], &["fetch", "15-1254"]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("NN-NNNN.NN"));

    let fake = FakeOnet::start(Flavor::V2).await;
    let out = skillgap(&db, &fake.env(), &["fetch", "99-9999.00", WEB_DEV]).await;
    assert_eq!(out.status.code(), Some(1), "one of two failed");
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(
            "99-9999.00: failed: O*NET Web Services does not know occupation 99-9999.00 either"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("15-1254.00 Web Developers: 136 ratings"),
        "{stdout}"
    );

    let mut wrong = fake.env();
    wrong.retain(|(k, _)| *k != "SKILLGAP_ONET_API_KEY");
    wrong.push(("SKILLGAP_ONET_API_KEY", "not-the-key".into()));
    let out = skillgap(&db, &wrong, &["fetch", "11-1011.00"]).await;
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("refused the credentials (HTTP 403)") && !stdout.contains("not-the-key"),
        "{stdout}"
    );
}
