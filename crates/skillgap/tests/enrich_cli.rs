//! `skillgap enrich` and the LLM parts of the API, as a user runs them, against a local fake
//! OpenAI-compatible server started by the test (never a real model).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Child, Command};

use serde_json::Value;
use skillgap_testkit::fake_llm::{FakeLlm, LlmFault, Mangle, fake_rating};
use skillgap_testkit::onet_dir;

const SOFTWARE_DEV: &str = "15-1252.00";
const WEB_DEV: &str = "15-1254.00";

use common::{command_with as command, run_with as skillgap, text};

/// (code, element) → (importance, level) straight from Skills.txt.
fn skills() -> BTreeMap<(String, String), (f64, f64)> {
    let t = std::fs::read_to_string(onet_dir().join("Skills.txt")).unwrap();
    let mut im = BTreeMap::new();
    let mut lv = BTreeMap::new();
    for l in t.lines().skip(1) {
        let f: Vec<&str> = l.trim_end_matches('\r').split('\t').collect();
        let v: f64 = f[4].parse().unwrap();
        if f[3] == "IM" {
            im.insert((f[0].to_owned(), f[1].to_owned()), v)
        } else {
            lv.insert((f[0].to_owned(), f[1].to_owned()), v)
        };
    }
    im.into_iter()
        .map(|(k, i)| (k.clone(), (i, lv[&k])))
        .collect()
}

fn serve(db: &str, env: &[(&'static str, String)]) -> (Child, String) {
    let mut command = command(db, env);
    command.args(["serve", "--bind", "127.0.0.1:0"]);
    common::start_serve(command)
}

async fn get(url: String) -> (u16, Value) {
    let r = reqwest::get(url).await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enrich_stores_estimates_with_provenance_and_the_api_answers_from_them() {
    let (_dir, db) = common::loaded_store();
    let fake = FakeLlm::start().await;
    let out = skillgap(
        &db,
        &fake.env(),
        &["enrich", "--occupations", SOFTWARE_DEV, "--json"],
    )
    .await;
    assert!(
        out.status.success(),
        "{}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (summary["done"].as_u64(), summary["failed"].as_u64()),
        (Some(1), Some(0))
    );
    assert_eq!(summary["model"], "fake-model-1");
    assert!(summary["tokens"]["total_tokens"].as_u64().unwrap() > 0);

    // 35 level and 35 importance values, with the run that made them.
    let status: Value =
        serde_json::from_slice(&skillgap(&db, &[], &["status", "--json"]).await.stdout).unwrap();
    let llm = status["ratings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["source"] == "llm")
        .unwrap();
    assert_eq!(
        (
            llm["domain"].as_str(),
            llm["ratings"].as_u64(),
            llm["occupations"].as_u64()
        ),
        (Some("skills"), Some(70), Some(1))
    );
    let store = skillgap_store::Store::connect(&db).await.unwrap();
    let runs = store
        .llm_runs(skillgap_core::SocCode::parse(SOFTWARE_DEV).unwrap())
        .await
        .unwrap();
    assert_eq!(runs.len(), 1);
    let (run_id, run_status, model, error, tokens) = &runs[0];
    assert_eq!(
        (run_status.as_str(), model.as_str(), error, *tokens > 0),
        ("ok", "fake-model-1", &None, true)
    );
    let justifications = store.llm_justifications(*run_id).await.unwrap();
    assert_eq!(justifications.len(), 35);
    assert_eq!(
        justifications[0],
        ("2.A.1.a".to_owned(), "fake rule #0".to_owned())
    );
    store.close().await;

    let (child, base) = serve(&db, &fake.env());
    // O*NET alone still has nothing for Software Developers…
    let (status, problem) = get(format!("{base}/skill-gap?from={SOFTWARE_DEV}&to={WEB_DEV}")).await;
    assert_eq!(status, 409, "{problem}");
    // …but best (O*NET where rated, else LLM) answers from the estimates.
    let (status, body) = get(format!(
        "{base}/skill-gap?from={SOFTWARE_DEV}&to={WEB_DEV}&source=best"
    ))
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["sources"]["from.skills"], "llm");
    assert_eq!(body["data"]["sources"]["to.skills"], "onet-release");
    assert!(
        body["data"]["attribution"]
            .as_str()
            .unwrap()
            .contains("language model's estimates")
    );
    let elements: Vec<String> = skills()
        .keys()
        .filter(|(c, _)| c == WEB_DEV)
        .map(|(_, e)| e.clone())
        .collect();
    for row in body["shortages"].as_array().unwrap() {
        let e = row["element_id"].as_str().unwrap();
        let i = elements.iter().position(|x| x == e).unwrap();
        assert_eq!(
            row["from_level"].as_f64().unwrap(),
            fake_rating(SOFTWARE_DEV, e, i).1,
            "{e}"
        );
        assert_eq!(
            row["significant"],
            Value::Null,
            "no standard errors for estimates"
        );
    }
    let (_, profile) = get(format!(
        "{base}/occupations/{SOFTWARE_DEV}/profile?source=llm"
    ))
    .await;
    let rows = profile["descriptors"].as_array().unwrap();
    assert_eq!(rows.len(), 35);
    assert!(rows.iter().all(|r| r["source"] == "llm"));
    assert_eq!(
        (rows[0]["importance"].as_f64(), rows[0]["level"].as_f64()),
        (
            Some(fake_rating(SOFTWARE_DEV, "2.A.1.a", 0).0),
            Some(fake_rating(SOFTWARE_DEV, "2.A.1.a", 0).1)
        )
    );

    // A narrative: the engine's numbers in the model's words, then from the cache.
    let before = fake.requests();
    let (status, n) = get(format!(
        "{base}/skill-gap/narrative?from={WEB_DEV}&to=11-3021.00"
    ))
    .await;
    assert_eq!(status, 200, "{n}");
    assert_eq!(n["cached"], false);
    assert!(n["narrative"].as_str().unwrap().starts_with("Moving from Web Developers to Computer and Information Systems Managers means closing 20 shortages; the largest is Management of Financial Resources."), "{n}");
    assert_eq!(
        (n["model"].as_str(), n["prompt_version"].as_str()),
        (Some("fake-model-1"), Some("narrative-v1"))
    );
    assert_eq!(fake.requests(), before + 1);
    let (_, again) = get(format!(
        "{base}/skill-gap/narrative?from={WEB_DEV}&to=11-3021.00"
    ))
    .await;
    assert_eq!(
        (again["cached"].as_bool(), again["narrative"].clone()),
        (Some(true), n["narrative"].clone())
    );
    assert_eq!(fake.requests(), before + 1);
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let _ = tokio::task::spawn_blocking(move || {
        let mut child = child;
        child.wait()
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resumed_run_skips_done_work_and_failures_store_nothing() {
    let (_dir, db) = common::loaded_store();
    let fake = FakeLlm::start().await;
    let first: Value = serde_json::from_slice(
        &skillgap(&db, &fake.env(), &["enrich", "--limit", "3", "--json"])
            .await
            .stdout,
    )
    .unwrap();
    assert_eq!(
        (
            first["targets"].as_u64(),
            first["done"].as_u64(),
            first["skipped"].as_u64()
        ),
        (Some(3), Some(3), Some(0))
    );
    assert_eq!(fake.requests(), 3);
    let second: Value = serde_json::from_slice(
        &skillgap(&db, &fake.env(), &["enrich", "--limit", "5", "--json"])
            .await
            .stdout,
    )
    .unwrap();
    assert_eq!(
        (
            second["targets"].as_u64(),
            second["done"].as_u64(),
            second["skipped"].as_u64()
        ),
        (Some(5), Some(2), Some(3))
    );
    assert_eq!(fake.requests(), 5, "done occupations are not asked again");

    // An occupation whose answers stay invalid: recorded as failed, no rating stored.
    fake.always(Some(LlmFault::Answer(Mangle::LevelNine)));
    let out = skillgap(&db, &fake.env(), &["enrich", "--occupations", "11-1011.00"]).await;
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("0 rated, 0 already done, 1 failed"),
        "{stdout}"
    );
    assert!(
        stdout.contains("11-1011.00 failed: invalid answer: 2.A.1.a level 9 is outside 0–7"),
        "{stdout}"
    );
    let store = skillgap_store::Store::connect(&db).await.unwrap();
    let runs = store
        .llm_runs(skillgap_core::SocCode::parse("11-1011.00").unwrap())
        .await
        .unwrap();
    assert_eq!((runs.len(), runs[0].1.as_str()), (1, "failed"));
    let status = store.status().await.unwrap();
    let llm = status.ratings.iter().find(|r| r.source == "llm").unwrap();
    assert_eq!(
        (llm.ratings, llm.occupations),
        (5 * 70, 5),
        "nothing of the failed run was stored"
    );
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_llm_off_is_a_clear_error() {
    let (_dir, db) = common::loaded_store();
    let out = skillgap(&db, &[], &["enrich"]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("the LLM is off: set SKILLGAP_LLM_URL"),
        "{}",
        text(&out.stderr)
    );
}

fn average_ranks(v: &[f64]) -> Vec<f64> {
    let mut sorted: Vec<f64> = v.to_vec();
    sorted.sort_by(f64::total_cmp);
    v.iter()
        .map(|x| {
            let first = sorted.iter().position(|y| y == x).unwrap() as f64;
            let count = sorted.iter().filter(|y| *y == x).count() as f64;
            first + (count + 1.0) / 2.0
        })
        .collect()
}

fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    cov / (va * vb).sqrt()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evaluate_reports_agreement_computed_by_hand() {
    let (_dir, db) = common::loaded_store();
    let fake = FakeLlm::start().await;
    let out = skillgap(&db, &fake.env(), &["enrich", "--evaluate", "4", "--json"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    let e = &got["evaluation"];

    // The sample: 4 evenly spaced of the 879 rated codes, in code order.
    let table = skills();
    let rated: Vec<String> = table
        .keys()
        .map(|(c, _)| c.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let chosen: Vec<String> = (0..4).map(|k| rated[k * rated.len() / 4].clone()).collect();
    assert_eq!(e["occupations"], serde_json::json!(chosen));
    let (mut level, mut importance) = (Vec::new(), Vec::new());
    for code in &chosen {
        let elements: Vec<&String> = table
            .keys()
            .filter(|(c, _)| c == code)
            .map(|(_, e)| e)
            .collect();
        for (i, element) in elements.iter().enumerate() {
            let (im, lv) = fake_rating(code, element, i);
            let (oim, olv) = table[&(code.clone(), (*element).clone())];
            level.push((lv, olv));
            importance.push((im, oim));
        }
    }
    assert_eq!(e["pairs"].as_u64(), Some(140));
    for (name, pairs) in [("level", &level), ("importance", &importance)] {
        let mae = pairs.iter().map(|(a, b)| (a - b).abs()).sum::<f64>() / pairs.len() as f64;
        let rho = pearson(
            &average_ranks(&pairs.iter().map(|p| p.0).collect::<Vec<_>>()),
            &average_ranks(&pairs.iter().map(|p| p.1).collect::<Vec<_>>()),
        );
        assert!(
            (e[name]["mean_absolute_error"].as_f64().unwrap() - mae).abs() < 1e-9,
            "{name} MAE {mae} vs {}",
            e[name]
        );
        assert!(
            (e[name]["spearman"].as_f64().unwrap() - rho).abs() < 1e-9,
            "{name} Spearman {rho} vs {}",
            e[name]
        );
    }
    // The shifts are not all zero, so these figures are not trivially 0 and 1.
    assert!(e["level"]["mean_absolute_error"].as_f64().unwrap() > 0.1);
    assert!(e["level"]["spearman"].as_f64().unwrap() < 0.999);
}
