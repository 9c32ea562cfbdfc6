//! The O*NET Web Services client against a local fake that answers like the real service (checked
//! against the real response saved in ../shared/onet-api-samples), in every fault the issue lists.

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

use skillgap_core::{Domain, Release, SocCode, Source};
use skillgap_onet::Reference;
use skillgap_onet::web::{OnetClient, WebConfig, WebError, page};
use skillgap_testkit::fake_onet::{FakeOnet, Fault, Flavor};
use skillgap_testkit::onet_api_samples_dir;

fn release() -> &'static Release {
    skillgap_testkit::real_release()
}

fn reference() -> Reference {
    let r = release();
    let mut rated: HashMap<Domain, BTreeSet<_>> = HashMap::new();
    for x in &r.ratings {
        rated
            .entry(Domain::of(&x.element).unwrap())
            .or_default()
            .insert(x.element.clone());
    }
    Reference {
        scales: r.scales.clone(),
        descriptors: r.descriptors.clone(),
        rated_elements: rated,
    }
}

fn client(fake: &FakeOnet, tweak: impl FnOnce(&mut WebConfig)) -> OnetClient {
    let env: HashMap<&str, String> = fake.env().into_iter().collect();
    let mut config = WebConfig::from_lookup(|k| env.get(k).cloned())
        .unwrap()
        .unwrap();
    config.min_interval = Duration::from_millis(1);
    tweak(&mut config);
    OnetClient::new(config).unwrap()
}

const WEB_DEV: &str = "15-1254.00";

fn code(s: &str) -> SocCode {
    SocCode::parse(s).unwrap()
}

#[tokio::test]
async fn the_fake_answers_like_the_real_sample() {
    let real = std::fs::read_to_string(
        onet_api_samples_dir().join("v1.9_database_rows_skills_15-1254.00_page1.xml"),
    )
    .unwrap();
    let real = page::parse("", &real).unwrap();
    assert_eq!(
        (real.start, real.end, real.total, real.rows.len()),
        (Some(1), Some(20), Some(70), 20)
    );
    assert!(
        real.next
            .as_deref()
            .unwrap()
            .ends_with("database/rows/skills?filter=onetsoc_code.eq.15-1254.00&start=21&end=40")
    );

    let fake = FakeOnet::start(Flavor::V1_9Xml).await;
    let body = reqwest::Client::new()
        .get(format!(
            "{}database/rows/skills?filter=onetsoc_code.eq.{WEB_DEV}",
            fake.base_url
        ))
        .basic_auth("user", Some("secret"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let ours = page::parse("application/xml", &body).unwrap();
    assert_eq!(
        (ours.start, ours.end, ours.total),
        (real.start, real.end, real.total)
    );
    // The same rows, column by column, as the live service sent them (29.0 values).
    assert_eq!(ours.rows, real.rows);
    assert_eq!(
        ours.next.unwrap().split_once("/v1.9/ws/").unwrap().1,
        real.next.unwrap().split_once("/v1.9/ws/").unwrap().1
    );
}

async fn fetches_every_page(flavor: Flavor) {
    let fake = FakeOnet::start(flavor).await;
    let c = client(&fake, |_| {});
    let got = c
        .fetch(
            code(WEB_DEV),
            &[Domain::Skills, Domain::Knowledge],
            &reference(),
        )
        .await
        .unwrap();
    assert_eq!(got.occupation.title, "Web Developers");
    // 1 occupation page, 70 skill rows in 4 pages of 20, 66 knowledge rows in 4 pages.
    assert_eq!(got.requests, 9);
    assert_eq!(fake.requests(), 9);
    assert!(
        fake.log()
            .iter()
            .any(|u| u.contains("skills") && u.contains("start=61&end=80"))
    );
    let want: Vec<_> = release()
        .ratings
        .iter()
        .filter(|r| r.occupation.as_str() == WEB_DEV)
        .collect();
    assert_eq!(got.ratings.len(), 136);
    assert_eq!(want.len(), 136);
    for (g, w) in got.ratings.iter().zip(&want) {
        assert_eq!(
            (&g.element, &g.scale, g.value),
            (&w.element, &w.scale, w.value)
        );
        assert_eq!(
            (g.standard_error, g.n, g.not_relevant, g.recommend_suppress),
            (w.standard_error, w.n, w.not_relevant, w.recommend_suppress)
        );
        assert_eq!(g.date, w.date);
        assert_eq!(g.source, Source::OnetApi);
    }
}

#[tokio::test]
async fn fetches_every_page_v1_9_xml() {
    fetches_every_page(Flavor::V1_9Xml).await;
}

#[tokio::test]
async fn fetches_every_page_v1_9_json() {
    fetches_every_page(Flavor::V1_9Json).await;
}

#[tokio::test]
async fn fetches_every_page_v2_json() {
    fetches_every_page(Flavor::V2).await;
}

#[tokio::test]
async fn an_unknown_code_is_not_found() {
    let fake = FakeOnet::start(Flavor::V2).await;
    let err = client(&fake, |_| {})
        .fetch(code("99-9999.00"), &[Domain::Skills], &reference())
        .await
        .unwrap_err();
    assert_eq!(err, WebError::NotFound("99-9999.00".into()));
    assert_eq!(fake.requests(), 1);
}

#[tokio::test]
async fn too_many_requests_waits_for_retry_after_then_succeeds() {
    let fake = FakeOnet::start(Flavor::V1_9Xml).await;
    fake.fail_next([Fault::Status(429, Some(1), "slow down")]);
    let started = Instant::now();
    let got = client(&fake, |_| {})
        .fetch(code(WEB_DEV), &[Domain::Skills], &reference())
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After: 1 was not honoured"
    );
    assert_eq!(got.ratings.len(), 70);
    assert_eq!(fake.requests(), 1 + 1 + 4);
}

#[tokio::test]
async fn server_errors_are_retried_a_bounded_number_of_times() {
    let fake = FakeOnet::start(Flavor::V2).await;
    fake.always(Some(Fault::Status(500, None, "boom")));
    let err = client(&fake, |_| {})
        .fetch(code(WEB_DEV), &[Domain::Skills], &reference())
        .await
        .unwrap_err();
    assert_eq!(
        err,
        WebError::Upstream {
            status: 500,
            detail: "boom".into()
        }
    );
    assert_eq!(fake.requests(), 4, "one attempt and three retries");
    // Two failures, then the service recovers: the fetch succeeds.
    let fake = FakeOnet::start(Flavor::V2).await;
    fake.fail_next([
        Fault::Status(503, None, "busy"),
        Fault::Status(502, None, "bad gateway"),
    ]);
    assert!(
        client(&fake, |_| {})
            .fetch(code(WEB_DEV), &[Domain::Skills], &reference())
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn a_slow_upstream_times_out() {
    let fake = FakeOnet::start(Flavor::V2).await;
    fake.always(Some(Fault::Delay(Duration::from_secs(5))));
    // Parsed before the clock starts: only the client's own waiting is timed.
    let reference = reference();
    let started = Instant::now();
    let err = client(&fake, |c| {
        c.timeout = Duration::from_millis(200);
        c.max_retries = 1;
    })
    .fetch(code(WEB_DEV), &[Domain::Skills], &reference)
    .await
    .unwrap_err();
    assert!(matches!(err, WebError::Timeout(_)), "{err}");
    assert!(started.elapsed() < Duration::from_secs(4));
    assert_eq!(fake.requests(), 2);
}

#[tokio::test]
async fn credentials_refused_are_not_retried() {
    for flavor in [Flavor::V1_9Xml, Flavor::V2] {
        let fake = FakeOnet::start(flavor).await;
        let c = client(&fake, |c| {
            c.credentials = match flavor {
                Flavor::V2 => skillgap_onet::web::Credentials::ApiKey(
                    skillgap_onet::web::SecretString::from("wrong"),
                ),
                _ => skillgap_onet::web::Credentials::Basic {
                    username: "user".into(),
                    password: skillgap_onet::web::SecretString::from("wrong"),
                },
            }
        });
        let err = c
            .fetch(code(WEB_DEV), &[Domain::Skills], &reference())
            .await
            .unwrap_err();
        let status = if flavor == Flavor::V2 { 403 } else { 401 };
        assert_eq!(err, WebError::Unauthorized(status));
        assert!(!err.to_string().contains("wrong"));
        assert_eq!(fake.requests(), 1);
    }
}

#[tokio::test]
async fn malformed_and_truncated_bodies_are_errors() {
    for (flavor, fault, expect) in [
        (Flavor::V1_9Xml, Fault::Truncate, "not the expected XML"),
        (Flavor::V2, Fault::Truncate, "not JSON"),
        (
            Flavor::V1_9Xml,
            Fault::Body(
                "application/xml",
                "<html><body>Maintenance</body></html>".into(),
            ),
            "not the expected XML",
        ),
        (
            Flavor::V2,
            Fault::Body("application/json", "{\"rows\": []}".into()),
            "no `row` list",
        ),
    ] {
        let fake = FakeOnet::start(flavor).await;
        fake.fail_next([fault]);
        let err = client(&fake, |_| {})
            .fetch(code(WEB_DEV), &[Domain::Skills], &reference())
            .await
            .unwrap_err();
        assert!(
            matches!(&err, WebError::Malformed(m) if m.contains(expect)),
            "{err}"
        );
    }
}

#[tokio::test]
async fn rows_that_fail_validation_are_refused() {
    let fake = FakeOnet::start(Flavor::V2).await;
    let http = reqwest::Client::new();
    let get = |table: &str| {
        http.get(format!(
            "{}database/rows/{table}?filter=onetsoc_code.eq.{WEB_DEV}",
            fake.base_url
        ))
        .header("x-api-key", "test-key")
        .send()
    };
    let occupation = get("occupation_data").await.unwrap().text().await.unwrap();
    // The first skills page as the fake sends it, with the second row's level raised to 9.
    let mut skills: serde_json::Value = get("skills").await.unwrap().json().await.unwrap();
    assert_eq!(skills["row"][1]["scale_id"], "LV");
    skills["row"][1]["data_value"] = serde_json::json!(9.0);
    fake.fail_next([
        Fault::Body("application/json", occupation),
        Fault::Body("application/json", skills.to_string()),
    ]);
    let err = client(&fake, |_| {})
        .fetch(code(WEB_DEV), &[Domain::Skills], &reference())
        .await
        .unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, WebError::Invalid(_)), "{msg}");
    assert!(
        msg.contains(
            "web API skills rows line 3, column `Data Value`: expected a value from 0 to 7"
        ),
        "{msg}"
    );
}

#[tokio::test]
async fn requests_are_paced_to_five_a_second() {
    let fake = FakeOnet::start(Flavor::V1_9Xml).await;
    let started = Instant::now();
    let c = client(&fake, |c| c.min_interval = Duration::from_millis(200));
    c.fetch(code(WEB_DEV), &[Domain::Skills], &reference())
        .await
        .unwrap();
    // 5 requests: at least 4 gaps of 200 ms.
    assert_eq!(fake.requests(), 5);
    assert!(
        started.elapsed() >= Duration::from_millis(800),
        "{:?}",
        started.elapsed()
    );
}
