//! The proficiency profiler against a local fake OpenAI-compatible server: accepted answers,
//! every kind of refused answer, and transport faults.

use std::collections::HashMap;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use skillgap_core::{Catalog, Domain, ElementId, SocCode};
use skillgap_llm::{ChatClient, LlmConfig, context_from, proficiency_prompt, rate};
use skillgap_testkit::fake_llm::{FakeLlm, LlmFault, Mangle, fake_rating};

const SOFTWARE_DEV: &str = "15-1252.00";

fn catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(skillgap_testkit::real_catalog)
}

fn client(fake: &FakeLlm, tweak: impl FnOnce(&mut LlmConfig)) -> ChatClient {
    let env: HashMap<&str, String> = fake.env().into_iter().collect();
    let mut c = LlmConfig::from_lookup(|k| env.get(k).cloned())
        .unwrap()
        .unwrap();
    c.timeout = Duration::from_secs(5);
    tweak(&mut c);
    ChatClient::new(c)
}

async fn rate_software_developers(
    c: &ChatClient,
) -> Result<skillgap_llm::Rated, skillgap_llm::RateFailure> {
    let i = catalog()
        .index_of(SocCode::parse(SOFTWARE_DEV).unwrap())
        .unwrap();
    let (occ, descriptors) = context_from(catalog(), i, Domain::Skills).unwrap();
    let prompt = proficiency_prompt(&occ, Domain::Skills, &descriptors);
    let expected: Vec<ElementId> = descriptors.iter().map(|d| d.id.clone()).collect();
    rate(c, &prompt, &expected, 3).await
}

#[tokio::test]
async fn a_valid_answer_is_accepted_exactly() {
    let fake = FakeLlm::start().await;
    let rated = rate_software_developers(&client(&fake, |_| {}))
        .await
        .unwrap();
    assert_eq!(rated.estimates.len(), 35);
    for (i, e) in rated.estimates.iter().enumerate() {
        let (im, lv) = fake_rating(SOFTWARE_DEV, e.element.as_str(), i);
        assert_eq!((e.importance, e.level), (im, lv), "{}", e.element);
        assert_eq!(e.justification, format!("fake rule #{i}"));
    }
    assert_eq!(rated.attempts, 1);
    assert!(
        rated.usage.total_tokens > 0
            && rated.usage.total_tokens
                == rated.usage.prompt_tokens + rated.usage.completion_tokens
    );
    let body = &fake.bodies()[0];
    assert_eq!(body["response_format"]["type"], "json_schema");
    assert_eq!(body["response_format"]["json_schema"]["schema"]["properties"]["ratings"]["items"]["properties"]["element_id"]["enum"].as_array().unwrap().len(), 35);
    assert_eq!(body["temperature"], 0);
    let user = body["messages"][1]["content"].as_str().unwrap();
    assert!(user.contains("Occupation: 15-1252.00 Software Developers"));
    assert!(
        user.contains("level 2: Read step-by-step instructions for completing a form"),
        "anchors are in the prompt"
    );
}

#[tokio::test]
async fn a_refused_answer_is_asked_again_with_the_reasons() {
    let fake = FakeLlm::start().await;
    fake.fail_next([LlmFault::Answer(Mangle::DropFirst)]);
    let rated = rate_software_developers(&client(&fake, |_| {}))
        .await
        .unwrap();
    assert_eq!(rated.attempts, 2);
    let second = &fake.bodies()[1];
    let messages = second["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 4);
    assert!(
        messages[3]["content"]
            .as_str()
            .unwrap()
            .contains("2.A.1.a is missing"),
        "{}",
        messages[3]
    );
}

#[tokio::test]
async fn answers_that_stay_invalid_fail_after_three_attempts() {
    for (mangle, why) in [
        (Mangle::DropFirst, "2.A.1.a is missing"),
        (Mangle::DuplicateFirst, "2.A.1.a is rated more than once"),
        (Mangle::LevelNine, "2.A.1.a level 9 is outside 0–7"),
        (Mangle::NotJson, "not a JSON object"),
    ] {
        let fake = FakeLlm::start().await;
        fake.always(Some(LlmFault::Answer(mangle)));
        let failure = rate_software_developers(&client(&fake, |_| {}))
            .await
            .unwrap_err();
        assert_eq!(failure.attempts, 3, "{mangle:?}");
        assert!(failure.error.contains(why), "{mangle:?}: {}", failure.error);
        assert!(failure.raw.is_some());
        assert_eq!(fake.requests(), 3);
    }
}

#[tokio::test]
async fn json_in_a_markdown_fence_is_accepted() {
    let fake = FakeLlm::start().await;
    fake.fail_next([LlmFault::Answer(Mangle::Fenced)]);
    let rated = rate_software_developers(&client(&fake, |_| {}))
        .await
        .unwrap();
    assert_eq!((rated.attempts, rated.estimates.len()), (1, 35));
}

#[tokio::test]
async fn too_many_requests_then_success() {
    let fake = FakeLlm::start().await;
    fake.fail_next([LlmFault::Status(429, Some(1))]);
    let started = Instant::now();
    let rated = rate_software_developers(&client(&fake, |_| {}))
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!((rated.attempts, fake.requests()), (1, 2));
}

#[tokio::test]
async fn server_errors_until_give_up() {
    let fake = FakeLlm::start().await;
    fake.always(Some(LlmFault::Status(500, None)));
    let c = client(&fake, |c| c.max_retries = 2);
    let failure = rate_software_developers(&c).await.unwrap_err();
    assert!(failure.error.contains("HTTP 500"), "{}", failure.error);
    assert_eq!(fake.requests(), 3, "one attempt, two retries");
}

#[tokio::test]
async fn a_slow_endpoint_times_out() {
    let fake = FakeLlm::start().await;
    fake.always(Some(LlmFault::Delay(Duration::from_secs(5))));
    let started = Instant::now();
    let failure = rate_software_developers(&client(&fake, |c| {
        c.timeout = Duration::from_millis(300);
        c.max_retries = 1;
    }))
    .await
    .unwrap_err();
    assert!(
        failure.error.contains("did not answer within"),
        "{}",
        failure.error
    );
    assert!(started.elapsed() < Duration::from_secs(4));
}

#[tokio::test]
async fn a_server_without_structured_output_gets_plain_json_requests() {
    let fake = FakeLlm::start().await;
    fake.always(Some(LlmFault::RejectSchema));
    let c = client(&fake, |_| {});
    let rated = rate_software_developers(&c).await.unwrap();
    assert_eq!(rated.estimates.len(), 35);
    let bodies = fake.bodies();
    assert!(bodies[0].get("response_format").is_some());
    assert!(bodies[1].get("response_format").is_none());
    // Remembered: later calls do not try again.
    rate_software_developers(&c).await.unwrap();
    assert!(fake.bodies()[2].get("response_format").is_none());
}

#[tokio::test]
async fn a_refused_key_is_reported_without_the_key() {
    let fake = FakeLlm::start().await;
    let env: HashMap<&str, String> = fake.env().into_iter().collect();
    let c = LlmConfig::from_lookup(|k| {
        if k == "SKILLGAP_LLM_API_KEY" {
            Some("sk-wrong".into())
        } else {
            env.get(k).cloned()
        }
    })
    .unwrap()
    .unwrap();
    let failure = rate_software_developers(&ChatClient::new(c))
        .await
        .unwrap_err();
    assert!(
        failure.error.contains("refused the key (HTTP 401)") && !failure.error.contains("sk-wrong"),
        "{}",
        failure.error
    );
}
