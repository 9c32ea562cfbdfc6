//! On-demand fetching through the API: the real server over a real store holding 29.0 minus one
//! occupation, and a local fake O*NET (never the real one) answering from the real 29.0 rows.

mod common;

use std::collections::HashMap;
use std::time::Duration;

use common::Server;
use serde_json::{Value, json};
use skillgap_onet::web::WebConfig;
use skillgap_store::Store;
use skillgap_testkit::fake_onet::{FakeOnet, Fault, Flavor};
use skillgap_testkit::{Backend, TestDatabase, backend_tests};

const WEB_DEV: &str = "15-1254.00";
const IT_MANAGER: &str = "11-3021.00";

fn web_config(fake: &FakeOnet) -> WebConfig {
    let env: HashMap<&str, String> = fake.env().into_iter().collect();
    let mut c = WebConfig::from_lookup(|k| env.get(k).cloned())
        .unwrap()
        .unwrap();
    c.min_interval = Duration::from_millis(1);
    c.timeout = Duration::from_millis(500);
    c
}

/// 29.0 with every row of `code` removed, as if the release never had it.
async fn store_without(db: &TestDatabase, code: &str) -> Store {
    let store = Store::connect(&db.url).await.unwrap();
    store
        .load_release(common::release(), 0, &skillgap_core::SilentProgress)
        .await
        .unwrap();
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
                "DELETE FROM {table} WHERE onetsoc_code = '{code}'"
            ))
            .await
            .unwrap();
    }
    store
}

/// Everything of a gap body that the source of the values must not change.
fn essence(body: &Value) -> Value {
    json!({
        "from": body["from"], "to": body["to"], "shortages": body["shortages"], "missing": body["missing"],
        "similarity": body["similarity"], "summary": body["summary"], "definition": body["definition"],
    })
}

async fn counts(store: &Store) -> Value {
    serde_json::to_value(store.table_counts().await.unwrap()).unwrap()
}

async fn a_missing_occupation_is_fetched_once_and_answers_as_the_release_does(
    db: TestDatabase,
    flavor: Flavor,
) {
    // The answer with the release loaded, from a second database.
    let reference_db = TestDatabase::create(Backend::Sqlite).await.unwrap();
    let full = Server::start(reference_db, |_| {}).await;
    let gap_path = format!("/skill-gap?from={WEB_DEV}&to={IT_MANAGER}&domain=all&include=surplus");
    let (_, _, want) = full.get(&gap_path).await;
    let (_, _, want_profile) = full.get(&format!("/occupations/{WEB_DEV}/profile")).await;
    full.stop().await;

    let fake = FakeOnet::start(flavor).await;
    let store = store_without(&db, WEB_DEV).await;
    let s = Server::start_on(db, store.clone(), |c| c.onet_api = Some(web_config(&fake))).await;
    let (status, _, got) = s.get(&gap_path).await;
    assert_eq!(status, 200, "{got}");
    assert_eq!(essence(&got), essence(&want));
    assert_eq!(got["data"]["sources"]["from.skills"], "onet-api");
    assert_eq!(got["data"]["sources"]["to.skills"], "onet-release");
    let attribution = got["data"]["attribution"].as_str().unwrap();
    assert!(
        attribution.contains("O*NET Web Services (https://services.onetcenter.org/)"),
        "{attribution}"
    );
    // Occupation (1 page), skills (4 pages of 20), knowledge (4 pages).
    assert_eq!(fake.requests(), 9, "{:?}", fake.log());

    // From now on the store answers: no more upstream requests.
    let (_, _, profile) = s.get(&format!("/occupations/{WEB_DEV}/profile")).await;
    let strip = |p: &Value| {
        p["descriptors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let mut d = d.clone();
                d.as_object_mut().unwrap().remove("source");
                d
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&profile), strip(&want_profile));
    assert_eq!(profile["descriptors"][0]["source"], "onet-api");
    let (_, _, again) = s.get(&gap_path).await;
    assert_eq!(essence(&again), essence(&want));
    assert_eq!(fake.requests(), 9);
    let fetches = store.api_fetches().await.unwrap();
    assert_eq!(fetches.len(), 1);
    assert_eq!(fetches[0].code, WEB_DEV);
    assert_eq!(fetches[0].ratings, 136);
    let provenance = if flavor == Flavor::V2 {
        "onet-api-v2"
    } else {
        "onet-api-v1.9"
    };
    assert_eq!(fetches[0].provenance, provenance);
    let db = s.stop().await;

    // A restarted server still has it, without fetching.
    let store = Store::connect(&db.url).await.unwrap();
    let fake_requests = fake.requests();
    let s = Server::start_on(db, store, |c| c.onet_api = Some(web_config(&fake))).await;
    assert_eq!(essence(&s.get(&gap_path).await.2), essence(&want));
    assert_eq!(fake.requests(), fake_requests);
    s.stop().await;
}

async fn fetched_v1_9_xml(db: TestDatabase) {
    a_missing_occupation_is_fetched_once_and_answers_as_the_release_does(db, Flavor::V1_9Xml).await;
}

async fn fetched_v2_json(db: TestDatabase) {
    a_missing_occupation_is_fetched_once_and_answers_as_the_release_does(db, Flavor::V2).await;
}

async fn concurrent_requests_share_one_fetch(db: TestDatabase) {
    let fake = FakeOnet::start(Flavor::V2).await;
    let store = store_without(&db, WEB_DEV).await;
    let s = Server::start_on(db, store, |c| c.onet_api = Some(web_config(&fake))).await;
    let paths = [
        format!("/skill-gap?from={WEB_DEV}&to={IT_MANAGER}"),
        format!("/occupations/{WEB_DEV}/profile"),
        format!("/skill-gap?from={IT_MANAGER}&to={WEB_DEV}"),
        format!("/occupations/{WEB_DEV}"),
    ];
    let results = futures_like_join(&s, &paths).await;
    for (path, status) in paths.iter().zip(results) {
        assert_eq!(status, 200, "{path}");
    }
    assert_eq!(
        fake.requests(),
        9,
        "exactly one upstream fetch: {:?}",
        fake.log()
    );
    s.stop().await;
}

async fn futures_like_join(s: &Server, paths: &[String]) -> Vec<u16> {
    let tasks: Vec<_> = paths
        .iter()
        .map(|p| {
            let url = format!("{}{p}", s.base);
            let client = s.client.clone();
            tokio::spawn(async move { client.get(url).send().await.unwrap().status().as_u16() })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

async fn upstream_faults_answer_5xx_and_change_nothing(db: TestDatabase) {
    let fake = FakeOnet::start(Flavor::V1_9Xml).await;
    let store = store_without(&db, WEB_DEV).await;
    let before = counts(&store).await;
    let s = Server::start_on(db, store.clone(), |c| {
        let mut w = web_config(&fake);
        w.max_retries = 2;
        c.onet_api = Some(w);
    })
    .await;
    let path = format!("/skill-gap?from={WEB_DEV}&to={IT_MANAGER}");
    let cases: Vec<(Option<Fault>, Vec<Fault>, u16, &str)> = vec![
        (
            Some(Fault::Status(500, None, "Internal Server Error")),
            vec![],
            502,
            "HTTP 500",
        ),
        (
            Some(Fault::Delay(Duration::from_secs(3))),
            vec![],
            504,
            "did not answer within",
        ),
        (
            Some(Fault::Status(429, Some(0), "slow down")),
            vec![],
            503,
            "429",
        ),
        (
            Some(Fault::Status(401, None, "Authorization Error")),
            vec![],
            503,
            "refused the credentials",
        ),
        (None, vec![Fault::Truncate], 502, "unusable answer"),
        (
            None,
            vec![Fault::Body(
                "application/xml",
                "<error>database maintenance</error>".into(),
            )],
            502,
            "not the expected XML",
        ),
    ];
    for (always, next, status, detail) in cases {
        fake.always(always);
        fake.fail_next(next);
        let (got, ct, body) = s.get(&path).await;
        assert_eq!(
            (got, ct.as_str()),
            (status, "application/problem+json"),
            "{body}"
        );
        assert!(body["detail"].as_str().unwrap().contains(detail), "{body}");
        assert!(
            body["detail"]
                .as_str()
                .unwrap()
                .contains("15-1254.00 is not in this store"),
            "{body}"
        );
        assert!(
            !body["detail"].as_str().unwrap().contains("secret"),
            "{body}"
        );
        assert_eq!(
            counts(&store).await,
            before,
            "the store changed after a {status}"
        );
        fake.always(None);
    }
    // Every fault gone: the same request succeeds.
    assert_eq!(s.get(&path).await.0, 200);
    s.stop().await;
}

async fn an_unknown_code_is_404_and_remembered(db: TestDatabase) {
    let fake = FakeOnet::start(Flavor::V2).await;
    let store = store_without(&db, WEB_DEV).await;
    let before = counts(&store).await;
    let s = Server::start_on(db, store.clone(), |c| c.onet_api = Some(web_config(&fake))).await;
    let (status, _, body) = s
        .get(&format!("/skill-gap?from=99-9999.00&to={IT_MANAGER}"))
        .await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(fake.requests(), 1);
    // Asked again: the negative cache answers, O*NET is not asked.
    assert_eq!(s.get("/occupations/99-9999.00").await.0, 404);
    assert_eq!(fake.requests(), 1);
    assert_eq!(counts(&store).await, before);
    s.stop().await;
}

async fn an_occupation_o_net_does_not_rate_stays_409(db: TestDatabase) {
    // Software Developers: in Occupation Data, no skill rows in 29.0, so none upstream either.
    let fake = FakeOnet::start(Flavor::V2).await;
    let store = Store::connect(&db.url).await.unwrap();
    store
        .load_release(common::release(), 0, &skillgap_core::SilentProgress)
        .await
        .unwrap();
    let s = Server::start_on(db, store.clone(), |c| c.onet_api = Some(web_config(&fake))).await;
    let (status, _, body) = s
        .get(&format!("/skill-gap?from=15-1252.00&to={IT_MANAGER}"))
        .await;
    assert_eq!(status, 409, "{body}");
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("at O*NET Web Services (fetched just now)"),
        "{body}"
    );
    assert_eq!(body["fillable_by"], json!(["llm"]));
    let fetches = store.api_fetches().await.unwrap();
    let mut unrated = fetches[0].unrated.clone();
    unrated.sort();
    assert_eq!(
        (fetches[0].ratings, unrated),
        (0, vec!["knowledge".to_string(), "skills".to_string()])
    );
    s.stop().await;
}

backend_tests! {
    fetches_v1_9_xml => fetched_v1_9_xml;
    fetches_v2_json => fetched_v2_json;
    single_flight => concurrent_requests_share_one_fetch;
    upstream_faults => upstream_faults_answer_5xx_and_change_nothing;
    unknown_code => an_unknown_code_is_404_and_remembered;
    not_rated_upstream => an_occupation_o_net_does_not_rate_stays_409;
}

#[tokio::test]
async fn stale_rows_are_served_then_refreshed_in_the_background() {
    let db = TestDatabase::create(Backend::Sqlite).await.unwrap();
    let fake = FakeOnet::start(Flavor::V2).await;
    let store = store_without(&db, WEB_DEV).await;
    let s = Server::start_on(db, store.clone(), |c| {
        c.onet_api = Some(web_config(&fake));
        c.onet_ttl = Duration::from_secs(0);
    })
    .await;
    let path = format!("/occupations/{WEB_DEV}/profile");
    assert_eq!(s.get(&path).await.0, 200);
    let first = store.api_fetches().await.unwrap()[0].fetched_epoch;
    assert_eq!(fake.requests(), 9);
    // With a TTL of 0 the rows are already stale: served at once, refreshed behind the scenes.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(s.get(&path).await.0, 200);
    let mut refreshed = false;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if fake.requests() >= 18 && store.api_fetches().await.unwrap()[0].fetched_epoch > first {
            refreshed = true;
            break;
        }
    }
    assert!(
        refreshed,
        "no background refresh: {} requests",
        fake.requests()
    );
    assert_eq!(s.get(&path).await.0, 200);
    s.stop().await;
}

/// The request timeout, counted from the request's start, answers a request whose work is still
/// pending at it (here an on-demand fetch from an upstream that stalls), while an answer ready at
/// once is not touched by it.
#[tokio::test]
async fn a_request_still_pending_at_the_timeout_gets_a_timeout_problem() {
    let db = TestDatabase::create(Backend::Sqlite).await.unwrap();
    let fake = FakeOnet::start(Flavor::V1_9Xml).await;
    let store = store_without(&db, WEB_DEV).await;
    let before = counts(&store).await;
    let s = Server::start_on(db, store.clone(), |c| {
        c.onet_api = Some(web_config(&fake));
        c.request_timeout = Duration::from_millis(300);
    })
    .await;
    fake.always(Some(Fault::Delay(Duration::from_secs(3))));
    let (status, ct, body) = s
        .get(&format!("/skill-gap?from={WEB_DEV}&to={IT_MANAGER}"))
        .await;
    assert_eq!(
        (status, ct.as_str()),
        (503, "application/problem+json"),
        "{body}"
    );
    assert_eq!(body["title"], "Request timed out", "{body}");
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("took longer than 0.3 s"),
        "{body}"
    );
    assert_eq!(counts(&store).await, before, "nothing stored");
    // Answers that need no upstream are ready at once and unaffected.
    let (status, _, body) = s
        .get(&format!("/skill-gap?from={IT_MANAGER}&to={IT_MANAGER}"))
        .await;
    assert_eq!(status, 200, "{body}");
    s.stop().await;
}
