//! `skillgap evaluate-transitions`, `path` and `targets` on the command line, over a SQLite store
//! holding the real 29.0 release; figures recomputed by hand from the command's own rankings.

mod common;

use std::collections::BTreeMap;

use common::{loaded_store, run_on, stderr, text};
use serde_json::Value;
use skillgap_testkit::onet_dir;

fn related_rows() -> Vec<Vec<String>> {
    let file = onet_dir().join("../related_30_0_train/Related Occupations.txt");
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect()
}

fn json(out: &std::process::Output) -> Value {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn evaluate_transitions_matches_a_hand_count() {
    let (dir, url) = loaded_store();
    // Two source occupations' full lists from the tuning half.
    let rows = related_rows();
    // Two sources rated on knowledge, so `transitions` can answer them too.
    let rated = std::fs::read_to_string(onet_dir().join("Knowledge.txt")).unwrap();
    let sources: Vec<String> = {
        let mut s: Vec<String> = rows.iter().map(|r| r[0].clone()).collect();
        s.dedup();
        s.into_iter()
            .filter(|c| rated.contains(&format!("\n{c}\t")))
            .take(2)
            .collect()
    };
    let mine: Vec<&Vec<String>> = rows.iter().filter(|r| sources.contains(&r[0])).collect();
    let file = dir.path().join("small.txt");
    let mut body = "O*NET-SOC Code\tRelated O*NET-SOC Code\tRelatedness Tier\tIndex\n".to_string();
    for r in &mine {
        body.push_str(&r.join("\t"));
        body.push('\n');
    }
    std::fs::write(&file, body).unwrap();

    let got = json(&run_on(
        &url,
        &[
            "evaluate-transitions",
            "--related",
            file.to_str().unwrap(),
            "--json",
        ],
    ));
    assert_eq!(got["sources"], 2);

    // By hand: each source's top 20 from the transitions ranking, against the file's tiers.
    let (mut o10, mut o5, mut rec) = (0.0, 0.0, 0.0);
    for s in &sources {
        let t = json(&run_on(
            &url,
            &[
                "transitions",
                s,
                "--domain",
                "knowledge",
                "--limit",
                "20",
                "--json",
            ],
        ));
        let ranked: Vec<String> = t["transitions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["code"].as_str().unwrap().to_owned())
            .collect();
        let listed: BTreeMap<&str, &str> = mine
            .iter()
            .filter(|r| &r[0] == s)
            .map(|r| (r[1].as_str(), r[2].as_str()))
            .collect();
        o10 += ranked[..10]
            .iter()
            .filter(|c| {
                listed
                    .get(c.as_str())
                    .is_some_and(|t| t.starts_with("Primary"))
            })
            .count() as f64;
        o5 += ranked[..5]
            .iter()
            .filter(|c| listed.get(c.as_str()) == Some(&"Primary-Short"))
            .count() as f64;
        rec += ranked
            .iter()
            .filter(|c| listed.contains_key(c.as_str()))
            .count() as f64
            / listed.len() as f64;
    }
    assert_eq!(got["overlap_at_10"].as_f64().unwrap(), o10 / 2.0);
    assert_eq!(got["overlap_at_5"].as_f64().unwrap(), o5 / 2.0);
    assert!((got["recall_at_20"].as_f64().unwrap() - rec / 2.0).abs() < 1e-12);
    assert!(
        o10 > 0.0,
        "a ranking with no overlap at all would make this check weak"
    );

    let plain = run_on(
        &url,
        &["evaluate-transitions", "--related", file.to_str().unwrap()],
    );
    assert!(
        text(&plain.stdout).contains("mean overlap@10"),
        "{}",
        text(&plain.stdout)
    );
}

#[test]
fn a_bad_related_file_is_named_with_its_line() {
    let (dir, url) = loaded_store();
    let rows = related_rows();
    let header = "O*NET-SOC Code\tRelated O*NET-SOC Code\tRelatedness Tier\tIndex";
    let line = |r: &Vec<String>| r.join("\t");
    let cases = [
        (
            "header.txt",
            format!("Code\tRelated\tTier\tIndex\n{}\n", line(&rows[0])),
            "line 1",
        ),
        (
            "unknown.txt",
            format!(
                "{header}\n{}\n{}\n",
                line(&rows[0]),
                line(&rows[1]).replacen(&rows[1][1], "99-9999.99", 1)
            ),
            "line 3",
        ),
        (
            "tier.txt",
            format!(
                "{header}\n{}\n",
                line(&rows[0]).replace("Primary-Short", "Primary")
            ),
            "line 2",
        ),
    ];
    for (name, body, at) in cases {
        let file = dir.path().join(name);
        std::fs::write(&file, body).unwrap();
        let out = run_on(
            &url,
            &["evaluate-transitions", "--related", file.to_str().unwrap()],
        );
        assert!(!out.status.success(), "{name} was accepted");
        let err = stderr(&out);
        assert!(err.contains(name) && err.contains(at), "{name}: {err}");
    }
}

#[test]
fn path_and_targets_on_the_command_line() {
    let (dir, url) = loaded_store();
    let p = json(&run_on(
        &url,
        &[
            "path",
            "43-4051.00",
            "11-3021.00",
            "--max-steps",
            "3",
            "--json",
        ],
    ));
    let steps = p["paths"][0]["steps"].as_array().unwrap();
    assert!(!steps.is_empty() && steps.len() <= 3);
    assert_eq!(steps[steps.len() - 1]["to"]["code"], "11-3021.00");
    let out = run_on(
        &url,
        &["path", "15-1254.00", "11-3021.00", "--max-steps", "9"],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("max_steps"), "{}", stderr(&out));

    let levels = dir.path().join("me.json");
    std::fs::write(&levels, r#"{"2.A.1.a": 4, "2.A.1.b": 4.5, "2.B.1.e": 3}"#).unwrap();
    let t = json(&run_on(
        &url,
        &[
            "targets",
            "--levels",
            levels.to_str().unwrap(),
            "--limit",
            "3",
            "--json",
        ],
    ));
    let w: Vec<f64> = t["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["score"].as_f64().unwrap())
        .collect();
    assert_eq!(w.len(), 3);
    assert!(w.windows(2).all(|p| p[0] >= p[1]), "{w:?}");
    assert_eq!(t["sort"], "fit");
    std::fs::write(&levels, r#"{"2.A.1.a": "high"}"#).unwrap();
    let out = run_on(&url, &["targets", "--levels", levels.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("levels.2.A.1.a"), "{}", stderr(&out));
}
