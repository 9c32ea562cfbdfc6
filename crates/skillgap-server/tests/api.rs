//! The REST API end to end: the real server on a random port, over SQLite, MariaDB and
//! PostgreSQL holding the real O*NET 29.0 release, with every value checked against the text
//! files.

mod common;

use common::{Server, assert_gap, expected_gap, knowledge, r, skills};
use serde_json::{Value, json};
use skillgap_testkit::{TestDatabase, backend_tests};

const WEB_DEV: &str = "15-1254.00";
const IT_MANAGER: &str = "11-3021.00";
const MAINTENANCE: &str = "49-9071.00";
const CEO: &str = "11-1011.00";
const SOFTWARE_DEV: &str = "15-1252.00";

async fn gap_values_match_the_release_files(db: TestDatabase) {
    let s = Server::start(db, |_| {}).await;

    // Skills, default thresholds.
    let (status, ct, body) = s
        .get(&format!("/skill-gap?from={WEB_DEV}&to={IT_MANAGER}"))
        .await;
    assert_eq!((status, ct.as_str()), (200, "application/json"));
    assert_gap(
        &body,
        &expected_gap(&[skills()], WEB_DEV, IT_MANAGER, 3.0, 0.0),
    );
    assert_eq!(
        body["from"],
        json!({"code": WEB_DEV, "title": "Web Developers"})
    );
    assert_eq!(
        body["to"],
        json!({"code": IT_MANAGER, "title": "Computer and Information Systems Managers"})
    );
    assert_eq!(body["definition"]["min_importance"], 3.0);
    assert_eq!(body["definition"]["domains"], json!(["skills"]));
    assert!(
        body["definition"]["similarity"]
            .as_str()
            .unwrap()
            .contains("sqrt")
    );
    assert_eq!(body["data"]["release"], "29.0");
    assert_eq!(body["data"]["sources"]["to.skills"], "onet-release");
    assert!(
        body["data"]["attribution"]
            .as_str()
            .unwrap()
            .contains("O*NET 29.0 Database")
    );
    // The first shortage in full, including O*NET's own words for the levels.
    let first = &body["shortages"][0];
    assert_eq!(first["element_id"], "2.B.5.b");
    assert_eq!(first["name"], "Management of Financial Resources");
    assert_eq!(first["domain"], "skills");
    assert_eq!(
        (first["from_level"].as_f64(), first["to_level"].as_f64()),
        (Some(1.25), Some(3.38))
    );
    // Anchors of 2.B.5.b from Level Scale Anchors.txt; the nearest to each level is shown.
    let anchors_text =
        std::fs::read_to_string(skillgap_testkit::onet_dir().join("Level Scale Anchors.txt"))
            .unwrap();
    let anchors: Vec<(f64, &str)> = anchors_text
        .lines()
        .filter(|l| l.starts_with("2.B.5.b\t"))
        .map(|l| {
            let f: Vec<&str> = l.trim_end_matches('\r').split('\t').collect();
            (f[3].parse().unwrap(), f[4])
        })
        .collect();
    assert!(anchors.len() >= 3);
    let nearest = |level: f64| {
        *anchors
            .iter()
            .min_by(|a, b| {
                (a.0 - level)
                    .abs()
                    .total_cmp(&(b.0 - level).abs())
                    .then(a.0.total_cmp(&b.0))
            })
            .unwrap()
    };
    for (side, level) in [("from_anchor", 1.25), ("to_anchor", 3.38)] {
        let (value, text) = nearest(level);
        assert_eq!(
            first[side],
            json!({"level": value, "description": text}),
            "{side}"
        );
    }

    // The original service's parameter names give the same answer.
    let (_, _, alias) = s
        .get(&format!(
            "/skill-gap?from_occupation={WEB_DEV}&to_occupation={IT_MANAGER}"
        ))
        .await;
    assert_eq!(alias, body);

    // A Not Relevant source level counts as 0: Installation (2.B.3.d) is LV 0.50 but flagged Y.
    let (status, _, nr) = s
        .get(&format!("/skill-gap?from={WEB_DEV}&to={MAINTENANCE}"))
        .await;
    assert_eq!(status, 200);
    let want = expected_gap(&[skills()], WEB_DEV, MAINTENANCE, 3.0, 0.0);
    assert_gap(&nr, &want);
    let install = nr["shortages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["element_id"] == "2.B.3.d")
        .unwrap();
    assert_eq!(install["from_level"], 0.0);
    assert_eq!(install["from_not_relevant"], true);
    assert_eq!(
        skills()[&(WEB_DEV.to_owned(), "2.B.3.d".to_owned())].lv,
        0.5
    );

    // O*NET's Recommend-Suppress flag is carried, not dropped: Science (2.A.1.f) of Architectural
    // and Engineering Managers has a suppressed level.
    let (_, _, rs) = s
        .get(&format!("/skill-gap?from={WEB_DEV}&to=11-9041.01"))
        .await;
    assert_gap(
        &rs,
        &expected_gap(&[skills()], WEB_DEV, "11-9041.01", 3.0, 0.0),
    );
    let science = rs["shortages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["element_id"] == "2.A.1.f")
        .unwrap();
    assert_eq!(
        (
            science["to_suppressed"].as_bool(),
            science["from_suppressed"].as_bool()
        ),
        (Some(true), Some(false))
    );

    // Equal weighted gaps (0.4056 twice) are ordered by element id, which floating point breaks.
    let (_, _, tie) = s.get("/skill-gap?from=25-2032.00&to=25-1041.00").await;
    assert_gap(
        &tie,
        &expected_gap(&[skills()], "25-2032.00", "25-1041.00", 3.0, 0.0),
    );

    // Other thresholds, knowledge, and both domains at once.
    let (_, _, strict) = s
        .get(&format!(
            "/skill-gap?from={CEO}&to={MAINTENANCE}&min_importance=3.5&min_gap=0.5"
        ))
        .await;
    assert_gap(
        &strict,
        &expected_gap(&[skills()], CEO, MAINTENANCE, 3.5, 0.5),
    );
    let (_, _, k) = s
        .get(&format!(
            "/skill-gap?from={MAINTENANCE}&to={CEO}&domain=knowledge"
        ))
        .await;
    assert_gap(
        &k,
        &expected_gap(&[knowledge()], MAINTENANCE, CEO, 3.0, 0.0),
    );
    assert_eq!(k["shortages"][0]["domain"], "knowledge");
    let (_, _, all) = s
        .get(&format!(
            "/skill-gap?from={WEB_DEV}&to={IT_MANAGER}&domain=all"
        ))
        .await;
    assert_gap(
        &all,
        &expected_gap(&[skills(), knowledge()], WEB_DEV, IT_MANAGER, 3.0, 0.0),
    );
    assert_eq!(all["definition"]["domains"], json!(["skills", "knowledge"]));

    // Surplus: what the source requires at a higher level than the target.
    let (_, _, sur) = s
        .get(&format!(
            "/skill-gap?from={IT_MANAGER}&to={WEB_DEV}&include=surplus"
        ))
        .await;
    let surplus: Vec<&str> = sur["surplus"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["element_id"].as_str().unwrap())
        .collect();
    let mut want: Vec<(f64, String)> = skills()
        .iter()
        .filter(|((c, _), f)| c == IT_MANAGER && f.im >= 3.0)
        .filter_map(|((_, e), f)| {
            let t = skills()[&(WEB_DEV.to_owned(), e.clone())];
            let (fl, tl) = (
                if f.not_relevant { 0.0 } else { f.lv },
                if t.not_relevant { 0.0 } else { t.lv },
            );
            (fl - tl > 0.0).then(|| ((fl - tl) * f.im, e.clone()))
        })
        .collect();
    want.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    assert_eq!(
        surplus,
        want.iter().map(|(_, e)| e.as_str()).collect::<Vec<_>>()
    );
    assert_eq!(
        sur["summary"]["surplus"].as_u64().unwrap() as usize,
        want.len()
    );
    assert!(body.get("surplus").is_none(), "surplus only when asked for");
    s.stop().await;
}

async fn errors_are_problem_json_with_the_right_status(db: TestDatabase) {
    let s = Server::start(db, |_| {}).await;
    let cases: Vec<(String, u16, &str, Option<&str>)> = vec![
        (
            format!("/skill-gap?from=15-1254&to={IT_MANAGER}"),
            400,
            "expected the pattern NN-NNNN.NN",
            Some("from"),
        ),
        (
            format!("/skill-gap?to={IT_MANAGER}"),
            400,
            "`from` is required",
            Some("from"),
        ),
        (
            format!("/skill-gap?from={WEB_DEV}&to={IT_MANAGER}&min_importance=9"),
            400,
            "from 1 to 5",
            Some("min_importance"),
        ),
        (
            format!("/skill-gap?from={WEB_DEV}&to={IT_MANAGER}&min_gap=-1"),
            400,
            "from 0 to 7",
            Some("min_gap"),
        ),
        (
            format!("/skill-gap?from={WEB_DEV}&to={IT_MANAGER}&domain=skill"),
            400,
            "`domain` must be",
            Some("domain"),
        ),
        (
            format!("/skill-gap?from={WEB_DEV}&to={IT_MANAGER}&domain=abilities"),
            400,
            "Abilities.txt was not loaded",
            Some("domain"),
        ),
        (
            format!("/skill-gap?from={WEB_DEV}&to={IT_MANAGER}&include=everything"),
            400,
            "`include` accepts",
            Some("include"),
        ),
        (
            format!("/skill-gap?from={WEB_DEV}&to={IT_MANAGER}&colour=red"),
            400,
            "unknown field `colour`",
            Some("colour"),
        ),
        (
            format!("/skill-gap?from={WEB_DEV}&from_occupation={CEO}&to={IT_MANAGER}"),
            400,
            "name different occupations",
            Some("from"),
        ),
        (
            format!("/skill-gap?from=99-9999.00&to={IT_MANAGER}"),
            404,
            "no occupation with code 99-9999.00",
            None,
        ),
        (
            format!("/skill-gap?from={SOFTWARE_DEV}&to={IT_MANAGER}"),
            409,
            "has no O*NET skills ratings",
            None,
        ),
        (
            format!("/skill-gap?from={WEB_DEV}&to={SOFTWARE_DEV}"),
            409,
            "15-1252.00 (Software Developers)",
            None,
        ),
        (
            "/occupations/15-1252".into(),
            400,
            "NN-NNNN.NN",
            Some("code"),
        ),
        ("/occupations/99-9999.00".into(), 404, "no occupation", None),
        (
            format!("/occupations/{SOFTWARE_DEV}/profile"),
            409,
            "no O*NET skills ratings",
            None,
        ),
        (
            format!("/occupations/{SOFTWARE_DEV}/transitions"),
            409,
            "no O*NET skills ratings",
            None,
        ),
        (
            format!("/occupations/{WEB_DEV}/transitions?limit=0"),
            400,
            "`limit` must be",
            Some("limit"),
        ),
        ("/occupations".into(), 400, "`q` is required", Some("q")),
        ("/nowhere".into(), 404, "no such resource", None),
        (
            format!(
                "/skill-gap?from={WEB_DEV}&to={IT_MANAGER}&x={}",
                "a".repeat(5000)
            ),
            414,
            "longer than 4096 bytes",
            None,
        ),
    ];
    for (path, status, detail, parameter) in cases {
        let (got, ct, body) = s.get(&path).await;
        assert_eq!(got, status, "{path}: {body}");
        assert_eq!(ct, "application/problem+json", "{path}");
        assert_eq!(body["status"].as_u64(), Some(status as u64), "{path}");
        assert!(
            body["type"]
                .as_str()
                .unwrap()
                .starts_with("urn:skillgap:problem:"),
            "{path}"
        );
        assert!(body["title"].is_string(), "{path}");
        assert!(
            body["detail"].as_str().unwrap().contains(detail),
            "{path}: {}",
            body["detail"]
        );
        assert_eq!(body["parameter"].as_str(), parameter, "{path}");
    }
    // A 409 says which sources could fill the gap.
    let (_, _, conflict) = s
        .get(&format!("/skill-gap?from={SOFTWARE_DEV}&to={IT_MANAGER}"))
        .await;
    assert_eq!(conflict["fillable_by"], json!(["onet-api", "llm"]));
    assert_eq!(conflict["code"], SOFTWARE_DEV);
    // Wrong method.
    let r = s
        .client
        .delete(format!("{}/skill-gap", s.base))
        .send()
        .await
        .unwrap();
    let (status, ct, body) = Server::unpack(r).await;
    assert_eq!(
        (status, ct.as_str(), body["status"].as_u64()),
        (405, "application/problem+json", Some(405))
    );
    s.stop().await;
}

async fn a_self_assessed_profile_is_compared_like_an_occupation(db: TestDatabase) {
    let s = Server::start(db, |_| {}).await;
    // Claim exactly Web Developers' levels (Not Relevant as 0): the shortages must be the same as
    // from the occupation, without significance (a self-assessment has no standard errors).
    let levels: serde_json::Map<String, Value> = skills()
        .iter()
        .filter(|((c, _), _)| c == WEB_DEV)
        .map(|((_, e), v)| (e.clone(), json!(if v.not_relevant { 0.0 } else { v.lv })))
        .collect();
    assert_eq!(levels.len(), 35);
    let (status, _, body) = s
        .post("/skill-gap", &json!({"to": IT_MANAGER, "levels": levels}))
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, _, from_occ) = s
        .get(&format!("/skill-gap?from={WEB_DEV}&to={IT_MANAGER}"))
        .await;
    let pick = |b: &Value| -> Vec<(String, f64, f64)> {
        b["shortages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                (
                    x["element_id"].as_str().unwrap().to_owned(),
                    x["gap"].as_f64().unwrap(),
                    x["to_level"].as_f64().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(pick(&body), pick(&from_occ));
    assert!(
        body["shortages"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["significant"].is_null() && x["from_importance"].is_null())
    );
    assert_eq!(
        body["from"],
        json!({"code": null, "title": "Self-assessed profile"})
    );
    // Nothing claimed: every required descriptor is missing and a shortage at its full level.
    let (_, _, empty) = s
        .post("/skill-gap", &json!({"to": IT_MANAGER, "levels": {}}))
        .await;
    let required = skills()
        .iter()
        .filter(|((c, _), v)| c == IT_MANAGER && v.im >= 3.0)
        .count();
    assert_eq!(empty["missing"].as_array().unwrap().len(), required);
    assert_eq!(
        empty["summary"]["shortages"].as_u64().unwrap() as usize,
        required
    );

    for (payload, status, detail) in [
        (
            json!({"to": IT_MANAGER, "levels": {"2.A.1.a": 9}}),
            400,
            "level must be from 0 to 7",
        ),
        (
            json!({"to": IT_MANAGER, "levels": {"2.C.1.a": 3}}),
            400,
            "not a descriptor of the compared domains",
        ),
        (json!({"to": "11-3021", "levels": {}}), 400, "NN-NNNN.NN"),
        (
            json!({"to": "99-9999.00", "levels": {}}),
            404,
            "no occupation",
        ),
        (json!({"levels": {}}), 400, "missing field `to`"),
        (
            json!({"to": IT_MANAGER, "levels": {}, "colour": 1}),
            400,
            "unknown field `colour`",
        ),
    ] {
        let (got, ct, body) = s.post("/skill-gap", &payload).await;
        assert_eq!(
            (got, ct.as_str()),
            (status, "application/problem+json"),
            "{payload}: {body}"
        );
        assert!(
            body["detail"].as_str().unwrap().contains(detail),
            "{payload}: {body}"
        );
    }
    let raw = |ct: &str, body: Vec<u8>| {
        s.client
            .post(format!("{}/skill-gap", s.base))
            .header("content-type", ct)
            .body(body)
            .send()
    };
    let (status, _, _) = Server::unpack(raw("text/plain", b"{}".to_vec()).await.unwrap()).await;
    assert_eq!(status, 415);
    let (status, _, body) = Server::unpack(
        raw("application/json", b"{\"to\": ".to_vec())
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((status, body["status"].as_u64()), (400, Some(400)));
    let (status, _, _) =
        Server::unpack(raw("application/json", vec![b' '; 100_000]).await.unwrap()).await;
    assert_eq!(status, 413);
    s.stop().await;
}

async fn search_ranks_codes_titles_then_words(db: TestDatabase) {
    let s = Server::start(db, |_| {}).await;
    let search = |q: &str| {
        let url = format!("{}/occupations", s.base);
        let q = q.to_owned();
        let client = s.client.clone();
        async move {
            Server::unpack(
                client
                    .get(url)
                    .query(&[("q", q.as_str())])
                    .send()
                    .await
                    .unwrap(),
            )
            .await
            .2
        }
    };
    let first = |b: &Value| {
        (
            b["results"][0]["code"].as_str().unwrap().to_owned(),
            b["results"][0]["match"].as_str().unwrap().to_owned(),
        )
    };

    assert_eq!(
        first(&search(WEB_DEV).await),
        (WEB_DEV.into(), "exact_code".into())
    );
    assert_eq!(
        first(&search("web developers").await),
        (WEB_DEV.into(), "exact_title".into())
    );
    let b = search("Software Development Director").await;
    assert_eq!(
        first(&b),
        (IT_MANAGER.into(), "exact_alternate_title".into())
    );
    assert_eq!(
        b["results"][0]["matched_title"],
        "Software Development Director"
    );
    // Anything else goes to the title coder, which completes a word being typed.
    let b = search("chief exec").await;
    assert_eq!(first(&b), (CEO.into(), "title_coder".into()));
    let b = search("software dev").await;
    let results = b["results"].as_array().unwrap();
    assert!(results.len() >= 5);
    assert_eq!(first(&b), (SOFTWARE_DEV.into(), "title_coder".into()));
    assert_eq!(results[0]["has_ratings"], false);
    // Every coder result carries its confidence and evidence.
    for x in results {
        let c = x["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&c), "{x}");
        assert!(x["score"].as_f64().unwrap() > 0.0, "{x}");
        assert!(!x["matched"]["title"].as_str().unwrap().is_empty(), "{x}");
        assert!(!x["matched"]["words"].as_array().unwrap().is_empty(), "{x}");
    }
    // A title as people type it: abbreviations, seniority and a department after a dash.
    let b = search("Sr. Web Developer II - Marketing").await;
    assert_eq!(first(&b), (WEB_DEV.into(), "title_coder".into()));
    assert_eq!(b["results"][0]["matched"]["field"], "title");
    assert_eq!(b["results"][0]["matched"]["title"], "Web Developers");
    assert_eq!(
        b["results"][0]["matched"]["words"],
        serde_json::json!(["web", "developer"])
    );
    assert!(b["results"][0]["confidence"].as_f64().unwrap() >= 0.5);
    assert_eq!(b["no_match"], false);
    // Nothing known: a clear no match, with the nearest titles.
    let b = search("Xqzlophonqst").await;
    assert_eq!(b["no_match"], true);
    assert!(b["results"].as_array().unwrap().is_empty());
    assert!(!b["nearest"].as_array().unwrap().is_empty());
    // Code prefixes list the group in code order; limit is honoured.
    let b = Server::unpack(
        s.client
            .get(format!("{}/occupations?q=15-12&limit=3", s.base))
            .send()
            .await
            .unwrap(),
    )
    .await
    .2;
    let codes: Vec<&str> = b["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["15-1211.00", "15-1211.01", "15-1212.00"]);
    // A word one letter from a known one is read as it, and said so.
    let b = search("xyzzy plugh").await;
    assert_eq!(b["corrected"], serde_json::json!([["plugh", "plug"]]));
    s.stop().await;
}

async fn occupation_profile_and_transitions_match_the_files(db: TestDatabase) {
    let s = Server::start(db, |_| {}).await;
    let (status, _, o) = s.get(&format!("/occupations/{WEB_DEV}")).await;
    assert_eq!(status, 200);
    assert_eq!(o["title"], "Web Developers");
    assert_eq!(o["has_ratings"], true);
    let zones =
        std::fs::read_to_string(skillgap_testkit::onet_dir().join("Job Zones.txt")).unwrap();
    let zone: u64 = zones
        .lines()
        .find(|l| l.starts_with(WEB_DEV))
        .unwrap()
        .split('\t')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(o["job_zone"].as_u64(), Some(zone));
    let tasks =
        std::fs::read_to_string(skillgap_testkit::onet_dir().join("Task Statements.txt")).unwrap();
    assert_eq!(
        o["tasks"].as_array().unwrap().len(),
        tasks.lines().filter(|l| l.starts_with(WEB_DEV)).count()
    );
    assert_eq!(
        o["ratings"],
        json!([{"domain": "skills", "onet": "onet-release", "llm": false}, {"domain": "knowledge", "onet": "onet-release", "llm": false}])
    );
    let (_, _, sd) = s.get(&format!("/occupations/{SOFTWARE_DEV}")).await;
    assert_eq!(
        (
            sd["has_ratings"].as_bool(),
            sd["ratings"][0]["onet"].is_null()
        ),
        (Some(false), true)
    );

    let (_, _, p) = s.get(&format!("/occupations/{WEB_DEV}/profile")).await;
    let rows = p["descriptors"].as_array().unwrap();
    assert_eq!(rows.len(), 35);
    for row in rows {
        let raw = skills()[&(
            WEB_DEV.to_owned(),
            row["element_id"].as_str().unwrap().to_owned(),
        )];
        assert_eq!(row["importance"].as_f64(), Some(raw.im));
        assert_eq!(row["level"].as_f64(), Some(raw.lv));
        assert_eq!(row["level_standard_error"].as_f64(), raw.se);
        assert_eq!(row["not_relevant"].as_bool(), Some(raw.not_relevant));
        assert_eq!(row["source"], "onet-release");
    }
    let (_, _, pk) = s
        .get(&format!("/occupations/{WEB_DEV}/profile?domain=knowledge"))
        .await;
    assert_eq!(pk["descriptors"].as_array().unwrap().len(), 33);

    // Transitions: every other rated occupation scored independently, top 10 in order.
    let codes: std::collections::BTreeSet<&String> = skills().keys().map(|(c, _)| c).collect();
    let mut scored: Vec<(f64, f64, String)> = codes
        .iter()
        .filter(|c| c.as_str() != WEB_DEV)
        .map(|c| {
            let g = expected_gap(&[skills()], WEB_DEV, c, 3.0, 0.0);
            (g.similarity, g.weighted_total, (*c).clone())
        })
        .collect();
    scored.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(a.1.total_cmp(&b.1))
            .then(a.2.cmp(&b.2))
    });
    let (status, _, t) = s
        .get(&format!(
            "/occupations/{WEB_DEV}/transitions?sort=similarity"
        ))
        .await;
    assert_eq!(status, 200);
    assert_eq!(t["candidates"], 878);
    let got = t["transitions"].as_array().unwrap();
    assert_eq!(got.len(), 10);
    for (g, w) in got.iter().zip(&scored) {
        assert_eq!(g["code"], w.2.as_str());
        assert_eq!(g["similarity"].as_f64().unwrap(), r(w.0, 4));
        assert_eq!(g["weighted_gap_total"].as_f64().unwrap(), r(w.1, 4));
    }
    let (_, _, t3) = s
        .get(&format!(
            "/occupations/{WEB_DEV}/transitions?sort=similarity&limit=3"
        ))
        .await;
    assert_eq!(t3["transitions"].as_array().unwrap().len(), 3);
    s.stop().await;
}

async fn health_readiness_and_metrics(db: TestDatabase) {
    let s = Server::start(db, |_| {}).await;
    assert_eq!(s.get("/health").await.2, json!({"status": "ok"}));
    let (status, _, ready) = s.get("/ready").await;
    assert_eq!(status, 200);
    assert_eq!(ready["rated"], json!({"skills": 879, "knowledge": 879}));
    assert_eq!(ready["occupations"], 1016);
    s.get(&format!("/skill-gap?from={WEB_DEV}&to={IT_MANAGER}"))
        .await;
    s.get("/skill-gap?from=x&to=y").await;
    let text = s
        .client
        .get(format!("{}/metrics", s.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains(
            r#"skillgap_http_requests_total{method="GET",route="/skill-gap",status="200"} 1"#
        ),
        "{text}"
    );
    assert!(
        text.contains(
            r#"skillgap_http_requests_total{method="GET",route="/skill-gap",status="400"} 1"#
        ),
        "{text}"
    );
    assert!(
        text.contains(
            r#"skillgap_http_request_duration_seconds_count{method="GET",route="/skill-gap"} 2"#
        ),
        "{text}"
    );
    s.stop().await;
}

backend_tests! {
    gap_values => gap_values_match_the_release_files;
    problems => errors_are_problem_json_with_the_right_status;
    self_assessed => a_self_assessed_profile_is_compared_like_an_occupation;
    search => search_ranks_codes_titles_then_words;
    occupation_profile_transitions => occupation_profile_and_transitions_match_the_files;
    operations => health_readiness_and_metrics;
}

async fn sqlite() -> TestDatabase {
    TestDatabase::create(skillgap_testkit::Backend::Sqlite)
        .await
        .unwrap()
}

#[tokio::test]
async fn api_keys_guard_everything_but_health_and_ready() {
    let s = Server::start(sqlite().await, |c| {
        c.api_keys = skillgap_server::ApiKeys::parse("k1-secret, k2-secret")
    })
    .await;
    let url = format!("{}/skill-gap?from={WEB_DEV}&to={IT_MANAGER}", s.base);
    let (status, ct, body) = Server::unpack(s.client.get(&url).send().await.unwrap()).await;
    assert_eq!((status, ct.as_str()), (401, "application/problem+json"));
    assert!(body["detail"].as_str().unwrap().contains("X-API-Key"));
    for (key, want) in [
        ("wrong", 401),
        ("k1-secre", 401),
        ("k1-secret", 200),
        ("k2-secret", 200),
    ] {
        let status = s
            .client
            .get(&url)
            .header("x-api-key", key)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        assert_eq!(status, want, "{key}");
    }
    for open in ["/health", "/ready", "/openapi.json", "/docs"] {
        assert_eq!(s.get(open).await.0, 200, "{open}");
    }
    for closed in ["/metrics", "/occupations?q=web"] {
        assert_eq!(s.get(closed).await.0, 401, "{closed}");
    }
    s.stop().await;
}

#[tokio::test]
async fn the_openapi_document_is_served_and_stable() {
    let s = Server::start(sqlite().await, |_| {}).await;
    let (status, ct, doc) = s.get("/openapi.json").await;
    assert_eq!((status, ct.as_str()), (200, "application/json"));
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/skill-gap",
        "/occupations",
        "/occupations/{code}",
        "/occupations/{code}/profile",
        "/occupations/{code}/transitions",
        "/health",
        "/ready",
        "/metrics",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path}");
    }
    insta::assert_json_snapshot!("openapi", doc);
    let html = s
        .client
        .get(format!("{}/docs", s.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<code>/skill-gap</code>") && html.contains("min_importance"));
    s.stop().await;
}

#[tokio::test]
async fn a_representative_gap_body_is_stable() {
    let s = Server::start(sqlite().await, |_| {}).await;
    let (_, _, body) = s
        .get(&format!(
            "/skill-gap?from={WEB_DEV}&to={IT_MANAGER}&include=surplus"
        ))
        .await;
    insta::assert_json_snapshot!("gap_web_developers_to_it_managers", body);
    s.stop().await;
}

/// Bodies of every kind of answer, snapshotted so that a refactor that changes a byte shows as a
/// diff: moves, paths (found and blocked), targets, an occupation, a profile and a search.
#[tokio::test]
async fn representative_bodies_are_stable() {
    let s = Server::start(sqlite().await, |_| {}).await;
    let gets = [
        (
            "transitions_web_developers",
            format!("/occupations/{WEB_DEV}/transitions"),
        ),
        (
            "transitions_web_developers_by_similarity",
            format!("/occupations/{WEB_DEV}/transitions?sort=similarity&limit=5&domain=all"),
        ),
        (
            "paths_customer_service_to_it_managers",
            format!("/paths?from=43-4051.00&to={IT_MANAGER}"),
        ),
        (
            "paths_blocked_within_one_step",
            format!("/paths?from=43-4051.00&to={IT_MANAGER}&max_steps=1"),
        ),
        (
            "occupation_web_developers",
            format!("/occupations/{WEB_DEV}"),
        ),
        (
            "profile_web_developers_knowledge",
            format!("/occupations/{WEB_DEV}/profile?domain=knowledge"),
        ),
        ("search_web_dev", "/occupations?q=web%20dev".to_string()),
    ];
    for (name, path) in gets {
        let (status, _, body) = s.get(&path).await;
        assert_eq!(status, 200, "{path}: {body}");
        insta::assert_json_snapshot!(name, body);
    }
    // Reading Comprehension 4, Active Listening 4.5, Writing 3: the issue's self-assessment.
    let levels = json!({"2.A.1.a": 4, "2.A.1.b": 4.5, "2.A.1.c": 3});
    let (status, _, targets) = s
        .post("/transitions", &json!({"levels": levels, "limit": 5}))
        .await;
    assert_eq!(status, 200, "{targets}");
    insta::assert_json_snapshot!("targets_three_skills", targets);
    let (status, _, gap) = s
        .post(
            "/skill-gap",
            &json!({"to": WEB_DEV, "levels": levels, "include": ["surplus"]}),
        )
        .await;
    assert_eq!(status, 200, "{gap}");
    insta::assert_json_snapshot!("assessed_gap_three_skills_to_web_developers", gap);
    s.stop().await;
}

#[tokio::test]
async fn the_catalog_follows_changes_to_the_store() {
    let s = Server::start(sqlite().await, |c| {
        c.reload_interval = Some(std::time::Duration::from_millis(100))
    })
    .await;
    assert_eq!(s.get(&format!("/occupations/{CEO}/profile")).await.0, 200);
    // Asked twice, so the answer is in the answer cache, which must not outlive the catalog.
    let gap = format!("/skill-gap?from={CEO}&to={WEB_DEV}");
    assert_eq!(s.get(&gap).await.0, 200);
    assert_eq!(s.get(&gap).await.0, 200);
    // Another process loads a release without the CEO's skill ratings…
    let mut next = common::release().clone();
    next.ratings.retain(|r| {
        !(r.occupation.as_str() == CEO && r.element.as_str().starts_with("2.A")
            || r.occupation.as_str() == CEO && r.element.as_str().starts_with("2.B"))
    });
    next.fingerprint = "another release".into();
    next.version = "29.1".into();
    let other = skillgap_store::Store::connect(&s.db.url).await.unwrap();
    other
        .load_release(&next, 0, &skillgap_core::SilentProgress)
        .await
        .unwrap();
    // …and the server notices at its next reload check, without a restart (the rebuild runs
    // beside the answers, so allow it time on a busy machine).
    let mut status = 0;
    for _ in 0..600 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        status = s.get(&format!("/occupations/{CEO}/profile")).await.0;
        if status == 409 {
            break;
        }
    }
    assert_eq!(status, 409);
    assert_eq!(s.get(&gap).await.0, 409);
    assert_eq!(s.get("/ready").await.2["release"], "29.1");
    s.stop().await;
}

#[tokio::test]
async fn an_empty_store_does_not_start() {
    let db = sqlite().await;
    let store = skillgap_store::Store::connect(&db.url).await.unwrap();
    let config = skillgap_server::Settings {
        bind: "127.0.0.1:0".parse().unwrap(),
        ..Default::default()
    };
    let err = skillgap_server::App::with_store(store, config)
        .await
        .err()
        .unwrap();
    assert!(
        err.to_string()
            .contains("holds no O*NET release; load one first with `skillgap load --onet-dir DIR`"),
        "{err}"
    );
}
