//! LLM runs, estimates and narratives on SQLite, MariaDB and PostgreSQL.

use skillgap_core::{Domain, ElementId, SilentProgress, SocCode};
use skillgap_store::{LlmEstimate, LlmRun, NarrativeKey, Store, StoredNarrative};
use skillgap_testkit::{TestDatabase, backend_tests};

fn run(code: &str, model: &str) -> LlmRun {
    LlmRun {
        code: SocCode::parse(code).unwrap(),
        domain: Domain::Skills,
        model: model.into(),
        prompt_version: "proficiency-v1".into(),
        prompt_hash: "ab".repeat(32),
        started_at: "2026-11-24T10:00:00Z".into(),
        finished_at: "2026-11-24T10:00:02Z".into(),
        attempts: 2,
        prompt_tokens: 1000,
        completion_tokens: 500,
        total_tokens: 1500,
        raw_response: Some("{\"choices\": []}".into()),
    }
}

async fn runs_estimates_and_narratives(db: TestDatabase) {
    let store = Store::connect(&db.url).await.unwrap();
    let release = skillgap_testkit::real_release();
    store
        .load_release(release, 0, &SilentProgress)
        .await
        .unwrap();
    let skills: Vec<ElementId> = release
        .descriptors
        .iter()
        .filter(|d| {
            release
                .ratings
                .iter()
                .any(|r| r.element == d.id && Domain::of(&r.element) == Some(Domain::Skills))
        })
        .map(|d| d.id.clone())
        .collect();
    assert_eq!(skills.len(), 35);
    // Estimates with more decimals than O*NET's are stored at its precision.
    let estimates: Vec<LlmEstimate> = skills
        .iter()
        .enumerate()
        .map(|(i, e)| LlmEstimate {
            element: e.clone(),
            importance: 2.0 + i as f64 / 100.0,
            level: 3.333,
            justification: format!("reason {i}"),
        })
        .collect();
    let id = store
        .store_llm_run(&run("15-1252.00", "m1"), &estimates)
        .await
        .unwrap();
    let again = store
        .store_llm_run(&run("15-1252.00", "m1"), &estimates)
        .await
        .unwrap();
    assert!(again > id);
    let status = store.status().await.unwrap();
    let llm = status.ratings.iter().find(|r| r.source == "llm").unwrap();
    assert_eq!(
        (llm.ratings, llm.occupations),
        (70, 1),
        "a second run replaces the first's ratings"
    );
    assert_eq!(
        store.llm_justifications(again).await.unwrap()[3],
        (skills[3].to_string(), "reason 3".to_string())
    );
    let mut builder = skillgap_core::CatalogBuilder::default();
    store.read_catalog(&mut builder).await.unwrap();
    let catalog = builder.build();
    let t = catalog.domain(Domain::Skills).unwrap();
    let p = t
        .profiles(
            catalog
                .index_of(SocCode::parse("15-1252.00").unwrap())
                .unwrap(),
        )
        .llm
        .clone()
        .unwrap();
    assert_eq!(
        (p.cells[0].level, p.cells[3].importance),
        (Some(3.33), Some(2.03))
    );

    store
        .record_llm_failure(
            &run("11-1011.00", "m1"),
            "invalid answer: 2.A.1.a is missing",
        )
        .await
        .unwrap();
    let runs = store
        .llm_runs(SocCode::parse("11-1011.00").unwrap())
        .await
        .unwrap();
    assert_eq!(
        (runs[0].1.as_str(), runs[0].3.as_deref()),
        ("failed", Some("invalid answer: 2.A.1.a is missing"))
    );
    let done = store
        .llm_done(Domain::Skills, "m1", "proficiency-v1")
        .await
        .unwrap();
    assert_eq!(
        done.into_iter().map(|c| c.to_string()).collect::<Vec<_>>(),
        ["15-1252.00"]
    );
    assert!(
        store
            .llm_done(Domain::Skills, "m2", "proficiency-v1")
            .await
            .unwrap()
            .is_empty()
    );

    let key = NarrativeKey {
        from: SocCode::parse("15-1254.00").unwrap(),
        to: SocCode::parse("11-3021.00").unwrap(),
        domain: "skills".into(),
        source: "onet".into(),
        model: "m1".into(),
        prompt_version: "narrative-v1".into(),
    };
    assert!(store.llm_narrative(&key).await.unwrap().is_none());
    let n = StoredNarrative {
        narrative: "Budgets matter more.".into(),
        created_at: "2026-11-24T10:00:00Z".into(),
        prompt_hash: "cd".repeat(32),
        total_tokens: 42,
    };
    store.store_llm_narrative(&key, &n, "{}").await.unwrap();
    let replaced = StoredNarrative {
        narrative: "People matter more.".into(),
        ..n.clone()
    };
    store
        .store_llm_narrative(&key, &replaced, "{}")
        .await
        .unwrap();
    assert_eq!(store.llm_narrative(&key).await.unwrap(), Some(replaced));
}

backend_tests! {
    llm_storage => runs_estimates_and_narratives;
}
