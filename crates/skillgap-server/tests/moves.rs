//! Where one can go: transitions ranked by relatedness, stepping-stone paths, targets for a
//! self-assessed profile and O*NET's own related list, end to end over SQLite, MariaDB and
//! PostgreSQL holding the real 29.0 release; components and gaps recomputed from the files.

mod common;

use std::collections::{BTreeMap, HashMap};

use common::{Raw, Server, expected_gap, knowledge, r, release, skills};
use serde_json::{Value, json};
use skillgap_core::{Catalog, SilentProgress};
use skillgap_onet::parse_related;
use skillgap_store::Store;
use skillgap_testkit::{TestDatabase, backend_tests, onet_dir};

const WEB_DEV: &str = "15-1254.00";
const IT_MANAGER: &str = "11-3021.00";
const CSR: &str = "43-4051.00";
const SOFTWARE_DEV: &str = "15-1252.00";

/// Pearson correlation of two occupations' importance ratings, mapped onto [0, 1]: the profile
/// components, recomputed from a text file.
fn importance_correlation(file: &HashMap<(String, String), Raw>, a: &str, b: &str) -> f64 {
    let mut ids: Vec<&String> = file
        .keys()
        .filter(|(c, _)| c == a)
        .map(|(_, e)| e)
        .collect();
    ids.sort();
    let x: Vec<f64> = ids
        .iter()
        .map(|e| file[&(a.into(), (*e).clone())].im)
        .collect();
    let y: Vec<f64> = ids
        .iter()
        .map(|e| file[&(b.into(), (*e).clone())].im)
        .collect();
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let (mx, my) = (mean(&x), mean(&y));
    let cov: f64 = x.iter().zip(&y).map(|(p, q)| (p - mx) * (q - my)).sum();
    let sx = x.iter().map(|p| (p - mx).powi(2)).sum::<f64>().sqrt();
    let sy = y.iter().map(|q| (q - my).powi(2)).sum::<f64>().sqrt();
    (cov / (sx * sy) + 1.0) / 2.0
}

fn job_zones() -> HashMap<String, i64> {
    std::fs::read_to_string(onet_dir().join("Job Zones.txt"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[0].to_owned(), f[1].parse().unwrap())
        })
        .collect()
}

async fn transitions_rank_by_relatedness_with_components(db: TestDatabase) {
    let s = Server::start(db, |_| {}).await;
    let (status, _, t) = s.get(&format!("/occupations/{WEB_DEV}/transitions")).await;
    assert_eq!(status, 200, "{t}");
    assert_eq!(t["sort"], "relatedness");
    let rows = t["transitions"].as_array().unwrap();
    assert_eq!(rows.len(), 10);
    let scores: Vec<f64> = rows
        .iter()
        .map(|r| r["relatedness"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    // O*NET's designers are the closest move for web developers by any reading.
    assert_eq!(rows[0]["code"], "15-1255.00");
    let zones = job_zones();
    let mut checked = 0;
    for row in rows {
        let code = row["code"].as_str().unwrap();
        let c = &row["components"];
        let zone = (zones[code] - zones[WEB_DEV]).abs() as f64;
        assert_eq!(c["job_zone"].as_f64().unwrap(), r(1.0 - zone / 4.0, 4));
        assert_eq!(
            row["job_zone"]["change"].as_i64(),
            Some(zones[code] - zones[WEB_DEV])
        );
        let shared = WEB_DEV
            .bytes()
            .zip(code.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        let family = [2, 5, 6, 7].iter().filter(|n| shared >= **n).count() as f64 / 4.0;
        assert_eq!(c["family"].as_f64().unwrap(), family, "{code}");
        for v in ["titles", "tasks"] {
            let x = c[v].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&x), "{code} {v} {x}");
        }
        if skills().contains_key(&(code.to_owned(), "2.A.1.a".to_owned())) {
            let k = importance_correlation(knowledge(), WEB_DEV, code);
            assert!(
                (c["knowledge"].as_f64().unwrap() - k).abs() < 1e-4,
                "{code}"
            );
            let sk = importance_correlation(skills(), WEB_DEV, code);
            assert!((c["skills"].as_f64().unwrap() - sk).abs() < 1e-4, "{code}");
            let g = expected_gap(&[skills()], WEB_DEV, code, 3.0, 0.0);
            assert_eq!(
                row["weighted_gap_total"].as_f64().unwrap(),
                r(g.weighted_total, 4)
            );
            assert_eq!(row["similarity"].as_f64().unwrap(), r(g.similarity, 4));
            checked += 1;
        } else {
            // Unrated in 29.0: still a move O*NET's experts would list, without a gap.
            assert!(row["similarity"].is_null() && row["shortages"].is_null());
            assert!(c["knowledge"].is_null());
        }
        assert_eq!(
            c["abilities"],
            Value::Null,
            "29.0 here has no abilities file"
        );
    }
    assert!(checked >= 5, "only {checked} rated rows");

    // sort=similarity keeps the skill-similarity order.
    let (_, _, sim) = s
        .get(&format!(
            "/occupations/{WEB_DEV}/transitions?sort=similarity&limit=5"
        ))
        .await;
    assert_eq!(sim["sort"], "similarity");
    let sims: Vec<f64> = sim["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["similarity"].as_f64().unwrap())
        .collect();
    assert!(sims.windows(2).all(|w| w[0] >= w[1]));
    assert_ne!(sim["transitions"][0]["code"], t["transitions"][0]["code"]);

    let (status, _, bad) = s
        .get(&format!("/occupations/{WEB_DEV}/transitions?sort=wage"))
        .await;
    assert_eq!((status, bad["parameter"].as_str()), (400, Some("sort")));
    let (status, _, _) = s
        .get(&format!("/occupations/{SOFTWARE_DEV}/transitions"))
        .await;
    assert_eq!(status, 409, "an unrated source has no gaps to rank");
    s.stop().await;
}

async fn paths_respect_every_limit(db: TestDatabase) {
    let s = Server::start(db, |_| {}).await;
    let zones = job_zones();
    let (status, _, p) = s.get(&format!("/paths?from={CSR}&to={IT_MANAGER}")).await;
    assert_eq!(status, 200, "{p}");
    let min = p["rules"]["min_relatedness"].as_f64().unwrap();
    assert_eq!(p["rules"]["max_steps"], 3);
    let direct = &p["direct"];
    let g = expected_gap(&[skills()], CSR, IT_MANAGER, 3.0, 0.0);
    assert_eq!(
        direct["weighted_gap_total"].as_f64().unwrap(),
        r(g.weighted_total, 4)
    );
    assert_eq!(
        direct["shortages"].as_u64().unwrap() as usize,
        g.shortages.len()
    );
    assert_eq!(direct["feasible"], false, "two job zones up in one step");
    assert!(direct["why_not"].as_str().unwrap().contains("job zone"));
    let paths = p["paths"].as_array().unwrap();
    assert!(!paths.is_empty() && paths.len() <= 3);
    let mut last = (0.0, 0.0);
    for path in paths {
        let steps = path["steps"].as_array().unwrap();
        assert!(!steps.is_empty() && steps.len() <= 3);
        assert_eq!(steps[0]["from"]["code"], CSR);
        assert_eq!(steps[steps.len() - 1]["to"]["code"], IT_MANAGER);
        let mut seen = vec![CSR.to_owned()];
        let (mut largest, mut total) = (0.0f64, 0.0);
        for (i, step) in steps.iter().enumerate() {
            let (a, b) = (
                step["from"]["code"].as_str().unwrap(),
                step["to"]["code"].as_str().unwrap(),
            );
            if i > 0 {
                assert_eq!(a, steps[i - 1]["to"]["code"].as_str().unwrap());
            }
            assert!(!seen.contains(&b.to_owned()), "{b} visited twice");
            seen.push(b.to_owned());
            assert!(step["relatedness"].as_f64().unwrap() >= min);
            assert!(zones[b] - zones[a] <= 1, "{a} → {b} climbs too far");
            let g = expected_gap(&[skills()], a, b, 3.0, 0.0);
            let w = step["weighted_gap_total"].as_f64().unwrap();
            assert_eq!(w, r(g.weighted_total, 4), "{a} → {b}");
            if let Some(top) = g.shortages.first() {
                assert_eq!(step["top_shortages"][0]["element_id"], top.element.as_str());
            }
            largest = largest.max(w);
            total += w;
        }
        assert_eq!(path["largest_step_gap"].as_f64().unwrap(), r(largest, 4));
        assert!((path["total_gap"].as_f64().unwrap() - total).abs() < 1e-3);
        let key = (r(largest, 4), r(total, 3));
        assert!(key >= last, "paths out of order: {key:?} after {last:?}");
        last = key;
    }

    // One step is not enough from web developer to IT manager: blocked, by max_steps.
    let (status, _, one) = s
        .get(&format!(
            "/paths?from={WEB_DEV}&to={IT_MANAGER}&max_steps=1"
        ))
        .await;
    assert_eq!(status, 200);
    assert_eq!(one["paths"], json!([]));
    assert_eq!(one["blocked"]["limit"], "max_steps");
    assert!(one["direct"]["weighted_gap_total"].as_f64().unwrap() > 0.0);

    for (query, parameter, status) in [
        (
            format!("from={WEB_DEV}&to={IT_MANAGER}&max_steps=0"),
            "max_steps",
            400,
        ),
        (
            format!("from={WEB_DEV}&to={IT_MANAGER}&max_steps=5"),
            "max_steps",
            400,
        ),
        (
            format!("from={WEB_DEV}&to={IT_MANAGER}&max_steps=x"),
            "max_steps",
            400,
        ),
        (format!("from={WEB_DEV}&to={WEB_DEV}"), "to", 400),
        (format!("from=15-1254&to={IT_MANAGER}"), "from", 400),
        (format!("from={WEB_DEV}"), "to", 400),
    ] {
        let (got, _, body) = s.get(&format!("/paths?{query}")).await;
        assert_eq!(
            (got, body["parameter"].as_str()),
            (status, Some(parameter)),
            "{query}"
        );
    }
    let (status, _, _) = s.get(&format!("/paths?from=99-9999.99&to={WEB_DEV}")).await;
    assert_eq!(status, 404);
    let (status, _, _) = s
        .get(&format!("/paths?from={SOFTWARE_DEV}&to={WEB_DEV}"))
        .await;
    assert_eq!(status, 409);
    s.stop().await;
}

async fn targets_for_a_self_assessment(db: TestDatabase) {
    let s = Server::start(db, |_| {}).await;
    // The person rates themselves at a web developer's levels.
    let mine: BTreeMap<String, f64> = skills()
        .iter()
        .filter(|((c, _), _)| c == WEB_DEV)
        .map(|((_, e), raw)| (e.clone(), raw.lv))
        .collect();
    let (status, _, t) = s
        .post("/transitions", &json!({"levels": mine, "limit": 10}))
        .await;
    assert_eq!(status, 200, "{t}");
    // Every rated occupation's fit, gap and blended score from those levels, straight from the
    // file: every level standardised over all rated occupations, fit = (1 + r) / 2 with r the
    // target-importance-weighted cosine of the two sides after removing 70% of each side's
    // weighted mean (all 35 were given), score = 0.8 fit + 0.2 (1 − normalised gap).
    let mut codes: Vec<&String> = skills().keys().map(|(c, _)| c).collect();
    codes.sort();
    codes.dedup();
    let effective = |code: &String, e: &String| {
        let to = skills()[&(code.clone(), e.clone())];
        (if to.not_relevant { 0.0 } else { to.lv }, to.im)
    };
    let norm: BTreeMap<&String, (f64, f64)> = mine
        .keys()
        .map(|e| {
            let levels: Vec<f64> = codes.iter().map(|c| effective(c, e).0).collect();
            let mean = levels.iter().sum::<f64>() / levels.len() as f64;
            let var = levels.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / levels.len() as f64;
            (e, (mean, var.sqrt()))
        })
        .collect();
    let mut expected: Vec<(f64, f64, String)> = codes
        .iter()
        .map(|code| {
            let (mut req, mut gap) = (0.0, 0.0);
            let mut sides = Vec::new();
            for (e, from) in &mine {
                let (level, im) = effective(code, e);
                let (mean, dev) = norm[e];
                sides.push((im, (from - mean) / dev, (level - mean) / dev));
                if im >= 3.0 {
                    req += im;
                    if level > *from {
                        gap += (r(level, 2) - r(*from, 2)) * im;
                    }
                }
            }
            let w: f64 = sides.iter().map(|s| s.0).sum();
            let mean_a = 0.7 * sides.iter().map(|s| s.0 * s.1).sum::<f64>() / w;
            let mean_b = 0.7 * sides.iter().map(|s| s.0 * s.2).sum::<f64>() / w;
            let dot: f64 = sides
                .iter()
                .map(|s| s.0 * (s.1 - mean_a) * (s.2 - mean_b))
                .sum();
            let aa: f64 = sides.iter().map(|s| s.0 * (s.1 - mean_a).powi(2)).sum();
            let bb: f64 = sides.iter().map(|s| s.0 * (s.2 - mean_b).powi(2)).sum();
            let fit = (1.0 + dot / (aa * bb).sqrt()) / 2.0;
            let normalised = if req > 0.0 {
                (gap / (7.0 * req)).min(1.0)
            } else {
                0.0
            };
            (
                0.8 * fit + 0.2 * (1.0 - normalised),
                r(gap, 4),
                (*code).clone(),
            )
        })
        .collect();
    expected.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(a.1.total_cmp(&b.1))
            .then(a.2.cmp(&b.2))
    });
    let targets = t["targets"].as_array().unwrap();
    let got: Vec<(f64, f64, String)> = targets
        .iter()
        .map(|x| {
            (
                x["score"].as_f64().unwrap(),
                x["weighted_gap_total"].as_f64().unwrap(),
                x["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(got.len(), 10);
    for (g, e) in got.iter().zip(&expected) {
        assert_eq!(g.2, e.2, "{got:?}");
        assert_eq!(g.0, r(e.0, 4), "{g:?}");
        assert_eq!(g.1, e.1, "{g:?}");
    }
    // Their own levels put web developers first, with a near-perfect fit (O*NET's "not relevant"
    // levels count as 0 on the occupation's side, not on the person's).
    assert_eq!(got[0].2, WEB_DEV);
    assert!(targets[0]["fit"].as_f64().unwrap() > 0.99, "{}", targets[0]);
    // A target asking much less than the person has lists the strengths it leaves unused.
    let unused: Vec<&Value> = targets
        .iter()
        .flat_map(|x| x["unused_strengths"].as_array().unwrap())
        .collect();
    for u in &unused {
        let yours = u["yours"].as_f64().unwrap();
        assert_eq!(yours, mine[u["element"].as_str().unwrap()]);
        assert!(yours - u["target"].as_f64().unwrap() >= 1.5, "{u}");
    }
    assert_eq!(t["candidates"], 879);
    // The top target's gap answers the same through POST /skill-gap.
    let top = t["targets"][1]["code"].as_str().unwrap();
    let (_, _, gap) = s
        .post("/skill-gap", &json!({"to": top, "levels": mine}))
        .await;
    assert_eq!(
        gap["summary"]["weighted_gap_total"].as_f64(),
        Some(got[1].1)
    );

    // Reading Comprehension 4, Active Listening 4.5 and Writing 3: Models (41-9012.00), which
    // asks almost nothing, had a gap of 0 and topped the old order; it no longer comes first.
    let (_, _, three) = s
        .post(
            "/transitions",
            &json!({"levels": {"2.A.1.a": 4, "2.A.1.b": 4.5, "2.A.1.c": 3}, "limit": 10}),
        )
        .await;
    let first: Vec<&str> = three["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["code"].as_str().unwrap())
        .collect();
    assert_ne!(first[0], "41-9012.00", "{first:?}");
    let scores: Vec<f64> = three["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");

    // Every bad level is named, in one answer.
    let (status, _, bad) = s
        .post(
            "/transitions",
            &json!({"levels": {"2.A.1.a": 9, "9.Z.9": 3, "2.A.1.b": "four"}}),
        )
        .await;
    assert_eq!(status, 400);
    let parameter = bad["parameter"].as_str().unwrap();
    for p in ["levels.2.A.1.a", "levels.9.Z.9", "levels.2.A.1.b"] {
        assert!(parameter.contains(p), "{parameter}");
        assert!(bad["detail"].as_str().unwrap().contains(p), "{bad}");
    }
    let (status, _, one) = s
        .post("/transitions", &json!({"levels": {"2.A.1.a": -1}}))
        .await;
    assert_eq!(
        (status, one["parameter"].as_str()),
        (400, Some("levels.2.A.1.a"))
    );
    let (status, _, _) = s
        .post("/transitions", &json!({"levels": {}, "to": WEB_DEV}))
        .await;
    assert_eq!(status, 400, "no target in this body");
    s.stop().await;
}

/// The 29.0 release plus the rows of the Related Occupations tuning half whose codes 29.0 knows.
fn release_with_related() -> skillgap_core::Release {
    let mut with = release().clone();
    let known = with.occupations.iter().map(|o| o.code).collect();
    let file = onet_dir().join("../related_30_0_train/Related Occupations.txt");
    let text = std::fs::read_to_string(&file).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .enumerate()
        .filter(|(i, l)| {
            *i == 0
                || l.split('\t').take(2).all(|c| {
                    skillgap_core::SocCode::parse(c)
                        .is_ok_and(|c| with.occupations.iter().any(|o| o.code == c))
                })
        })
        .map(|(_, l)| l)
        .collect();
    let bytes = kept.join("\n") + "\n";
    with.related_occupations =
        parse_related("Related Occupations.txt", bytes.as_bytes(), Some(&known)).unwrap();
    with
}

async fn onets_related_list_is_shown_apart(db: TestDatabase) {
    let with = release_with_related();
    let store = Store::connect(&db.url).await.unwrap();
    store.load_release(&with, 0, &SilentProgress).await.unwrap();
    let s = Server::start_on(db, store, |_| {}).await;
    let code = with.related_occupations[0].occupation;
    let expected: Vec<Value> = with
        .related_occupations
        .iter()
        .filter(|r| r.occupation == code)
        .map(|r| json!([r.related.to_string(), r.tier.as_str(), r.index]))
        .collect();
    let (status, _, o) = s.get(&format!("/occupations/{code}")).await;
    assert_eq!(status, 200);
    let got: Vec<Value> = o["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| json!([x["code"], x["tier"], x["index"]]))
        .collect();
    assert_eq!(got, expected);
    assert!(!expected.is_empty());
    // The computed ranking never reads it.
    let (_, _, t) = s
        .get(&format!(
            "/occupations/{code}/transitions?domain=knowledge&limit=20"
        ))
        .await;
    let plain = Catalog::build(Some("29.0".into()), release(), &HashMap::new());
    let moves = skillgap_core::Moves::build(&plain);
    let want: Vec<String> = moves
        .relatedness()
        .closest_codes(code)
        .take(t["transitions"].as_array().unwrap().len())
        .map(|(c, _)| c.to_string())
        .collect();
    let have: Vec<String> = t["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(have, want);
    // Without the file, the list is empty.
    let (_, _, w) = s.get(&format!("/occupations/{WEB_DEV}")).await;
    assert!(w["related"].is_array());
    s.stop().await;
}

backend_tests! {
    transitions_relatedness => transitions_rank_by_relatedness_with_components;
    paths => paths_respect_every_limit;
    targets => targets_for_a_self_assessment;
    related_list => onets_related_list_is_shown_apart;
}
