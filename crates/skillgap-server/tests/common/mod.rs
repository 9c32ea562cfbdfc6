//! Shared by the API tests: a real server on a random port over a real store holding the real
//! 29.0 release, and expected answers computed straight from the release's text files by a
//! separate, deliberately simple reading of the gap definition.

#![allow(dead_code)]

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use skillgap_core::{Release, SilentProgress};
use skillgap_onet::{LoadOptions, ReleaseSource, read_release};
use skillgap_server::{App, Settings};
use skillgap_store::Store;
use skillgap_testkit::{TestDatabase, onet_dir};

/// The real release, parsed once per test binary.
pub fn release() -> &'static Release {
    static R: OnceLock<Release> = OnceLock::new();
    R.get_or_init(|| {
        read_release(
            &ReleaseSource::Dir(onet_dir()),
            &LoadOptions::default(),
            &SilentProgress,
        )
        .unwrap()
        .release
    })
}

/// A running server and a client for it.
pub struct Server {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// HTTP client.
    pub client: reqwest::Client,
    /// The store behind it.
    pub store: Store,
    /// Its shared state.
    pub state: skillgap_server::AppState,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    handle: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    /// Keeps the database alive as long as the server.
    pub db: TestDatabase,
}

impl Server {
    /// Loads 29.0 into `db` and starts the server with `tweak` applied to its configuration.
    pub async fn start(db: TestDatabase, tweak: impl FnOnce(&mut Settings)) -> Self {
        let store = Store::connect(&db.url).await.unwrap();
        store
            .load_release(release(), 0, &SilentProgress)
            .await
            .unwrap();
        Self::start_on(db, store, tweak).await
    }

    /// Starts the server over whatever `store` holds.
    pub async fn start_on(
        db: TestDatabase,
        store: Store,
        tweak: impl FnOnce(&mut Settings),
    ) -> Self {
        let mut config = Settings {
            bind: "127.0.0.1:0".parse().unwrap(),
            reload_interval: None,
            ..Settings::default()
        };
        config.database_url = db.url.as_str().into();
        tweak(&mut config);
        let app = App::with_store(store.clone(), config).await.unwrap();
        let base = format!("http://{}", app.local_addr());
        let state = app.state().clone();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let handle = tokio::spawn(app.run(async move {
            let _ = rx.await;
        }));
        Self {
            base,
            client: reqwest::Client::new(),
            store,
            state,
            shutdown: Some(tx),
            handle: Some(handle),
            db,
        }
    }

    /// GET `path` and return status, content type and body as JSON.
    pub async fn get(&self, path: &str) -> (u16, String, serde_json::Value) {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        Self::unpack(r).await
    }

    /// POST a JSON body.
    pub async fn post(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> (u16, String, serde_json::Value) {
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .json(body)
            .send()
            .await
            .unwrap();
        Self::unpack(r).await
    }

    /// Status, content type and JSON body of a response (`Null` if the body is not JSON).
    pub async fn unpack(r: reqwest::Response) -> (u16, String, serde_json::Value) {
        let status = r.status().as_u16();
        let ct = r
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let text = r.text().await.unwrap();
        (
            status,
            ct,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
        )
    }

    /// Stops the server gracefully, waits for it, and hands back its database.
    pub async fn stop(mut self) -> TestDatabase {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.handle.take() {
            h.await.unwrap().unwrap();
        }
        self.db
    }
}

/// One descriptor of one occupation, read straight from the text file.
#[derive(Clone, Copy, Debug)]
pub struct Raw {
    pub im: f64,
    pub lv: f64,
    pub se: Option<f64>,
    pub not_relevant: bool,
    /// Recommend Suppress = Y on the IM or the LV row.
    pub suppressed: bool,
}

/// (code, element) → values, from `Skills.txt` or `Knowledge.txt`, split by hand.
pub fn raw(file: &str) -> HashMap<(String, String), Raw> {
    let text = std::fs::read_to_string(onet_dir().join(file)).unwrap();
    let mut im: HashMap<(String, String), (f64, bool)> = HashMap::new();
    // (level, standard error, not relevant, suppressed)
    type Level = (f64, Option<f64>, bool, bool);
    let mut lv: HashMap<(String, String), Level> = HashMap::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.trim_end_matches('\r').split('\t').collect();
        let key = (f[0].to_owned(), f[1].to_owned());
        let value: f64 = f[4].parse().unwrap();
        match f[3] {
            "IM" => {
                im.insert(key, (value, f[9] == "Y"));
            }
            "LV" => {
                lv.insert(key, (value, f[6].parse().ok(), f[10] == "Y", f[9] == "Y"));
            }
            _ => {}
        }
    }
    im.into_iter()
        .map(|(k, (im, im_suppressed))| {
            let (lv, se, not_relevant, lv_suppressed) = lv[&k];
            (
                k,
                Raw {
                    im,
                    lv,
                    se,
                    not_relevant,
                    suppressed: im_suppressed || lv_suppressed,
                },
            )
        })
        .collect()
}

/// Skills, read once.
pub fn skills() -> &'static HashMap<(String, String), Raw> {
    static S: OnceLock<HashMap<(String, String), Raw>> = OnceLock::new();
    S.get_or_init(|| raw("Skills.txt"))
}

/// Knowledge, read once.
pub fn knowledge() -> &'static HashMap<(String, String), Raw> {
    static S: OnceLock<HashMap<(String, String), Raw>> = OnceLock::new();
    S.get_or_init(|| raw("Knowledge.txt"))
}

/// A shortage as the definition says it should be.
#[derive(Clone, Debug, PartialEq)]
pub struct Expected {
    pub element: String,
    pub from_level: f64,
    pub to_level: f64,
    pub gap: f64,
    pub to_importance: f64,
    pub weighted: f64,
    pub significant: Option<bool>,
    pub missing: bool,
    pub from_not_relevant: bool,
    pub from_suppressed: bool,
    pub to_suppressed: bool,
}

/// Shortages, missing ids, similarity, weighted total, per the README's definition.
pub struct ExpectedGap {
    pub shortages: Vec<Expected>,
    pub missing: Vec<String>,
    pub similarity: f64,
    pub weighted_total: f64,
    pub required: usize,
}

pub fn r(x: f64, dp: i32) -> f64 {
    let f = 10f64.powi(dp);
    (x * f).round() / f
}

/// Whole hundredths: O*NET values have two decimals, so this reading of the definition works
/// in exact integers (it must not share the engine's arithmetic to be a check on it).
fn h(x: f64) -> i64 {
    (x * 100.0).round() as i64
}

/// Computes the expected answer for `from` → `to` over the given tables.
pub fn expected_gap(
    tables: &[&HashMap<(String, String), Raw>],
    from: &str,
    to: &str,
    min_importance: f64,
    min_gap: f64,
) -> ExpectedGap {
    let mut shortages: Vec<(i64, Expected)> = Vec::new();
    let mut missing = Vec::new();
    let (mut num, mut den) = (0.0, 0.0);
    let mut required = 0;
    for table in tables {
        let elements: BTreeSet<&String> = table
            .keys()
            .filter(|(c, _)| c == to)
            .map(|(_, e)| e)
            .collect();
        for e in elements {
            let f = table[&(from.to_owned(), e.clone())];
            let t = table[&(to.to_owned(), e.clone())];
            let fl = if f.not_relevant { 0 } else { h(f.lv) };
            let tl = if t.not_relevant { 0 } else { h(t.lv) };
            let w = (f.im + t.im) / 2.0;
            let d = (fl - tl) as f64 / 100.0;
            num += w * d * d;
            den += w;
            if h(t.im) >= h(min_importance) {
                required += 1;
                let is_missing = h(f.im) < h(min_importance);
                if is_missing {
                    missing.push(e.clone());
                }
                let gap_h = tl - fl;
                if gap_h > h(min_gap) {
                    let gap = gap_h as f64 / 100.0;
                    let key = gap_h * h(t.im);
                    shortages.push((
                        key,
                        Expected {
                            element: e.clone(),
                            from_level: fl as f64 / 100.0,
                            to_level: tl as f64 / 100.0,
                            gap,
                            to_importance: t.im,
                            weighted: key as f64 / 10_000.0,
                            significant: match (f.se, t.se) {
                                (Some(a), Some(b)) => Some(gap > 1.96 * (a * a + b * b).sqrt()),
                                _ => None,
                            },
                            missing: is_missing,
                            from_not_relevant: f.not_relevant,
                            from_suppressed: f.suppressed,
                            to_suppressed: t.suppressed,
                        },
                    ));
                }
            }
        }
    }
    shortages.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.element.cmp(&b.1.element)));
    let total: i64 = shortages.iter().map(|(k, _)| k).sum();
    ExpectedGap {
        shortages: shortages.into_iter().map(|(_, e)| e).collect(),
        missing,
        similarity: 1.0 - (num / den).sqrt() / 7.0,
        weighted_total: total as f64 / 10_000.0,
        required,
    }
}

/// Asserts an API gap body equals the expectation, value by value.
pub fn assert_gap(body: &serde_json::Value, want: &ExpectedGap) {
    let got = body["shortages"].as_array().unwrap();
    assert_eq!(got.len(), want.shortages.len(), "number of shortages");
    for (g, w) in got.iter().zip(&want.shortages) {
        assert_eq!(g["element_id"], w.element.as_str());
        assert_eq!(
            g["from_suppressed"].as_bool(),
            Some(w.from_suppressed),
            "{}",
            w.element
        );
        assert_eq!(
            g["to_suppressed"].as_bool(),
            Some(w.to_suppressed),
            "{}",
            w.element
        );
        assert_eq!(
            g["from_level"].as_f64().unwrap(),
            w.from_level,
            "{}",
            w.element
        );
        assert_eq!(g["to_level"].as_f64().unwrap(), w.to_level, "{}", w.element);
        assert_eq!(g["gap"].as_f64().unwrap(), r(w.gap, 2), "{}", w.element);
        assert_eq!(
            g["to_importance"].as_f64().unwrap(),
            w.to_importance,
            "{}",
            w.element
        );
        assert_eq!(
            g["weighted_gap"].as_f64().unwrap(),
            r(w.weighted, 4),
            "{}",
            w.element
        );
        assert_eq!(g["significant"].as_bool(), w.significant, "{}", w.element);
        assert_eq!(g["missing"].as_bool().unwrap(), w.missing, "{}", w.element);
        assert_eq!(
            g["from_not_relevant"].as_bool().unwrap(),
            w.from_not_relevant,
            "{}",
            w.element
        );
    }
    let missing: Vec<&str> = body["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        missing,
        want.missing.iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert_eq!(body["similarity"].as_f64().unwrap(), r(want.similarity, 4));
    assert_eq!(
        body["summary"]["weighted_gap_total"].as_f64().unwrap(),
        r(want.weighted_total, 4)
    );
    assert_eq!(
        body["summary"]["required_by_target"].as_u64().unwrap() as usize,
        want.required
    );
    assert_eq!(
        body["summary"]["shortages"].as_u64().unwrap() as usize,
        want.shortages.len()
    );
}
