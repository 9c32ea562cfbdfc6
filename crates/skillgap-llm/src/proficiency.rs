//! The proficiency profiler: a prompt that puts an occupation and O*NET's own anchored scales in
//! front of the model, and a validator that accepts only an answer rating every descriptor exactly
//! once inside the scales' ranges. Invalid answers are re-asked with the reasons, then given up.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;
use sha2::{Digest, Sha256};
use skillgap_core::{Domain, ElementId, SocCode};

use crate::client::{ChatClient, ChatRequest, Usage};

/// Version of the proficiency prompt; stored with every estimate so results stay comparable.
pub const PROFICIENCY_PROMPT_VERSION: &str = "proficiency-v1";

/// Importance scale (O*NET IM).
pub const IMPORTANCE: (f64, f64) = (1.0, 5.0);
/// Level scale (O*NET LV).
pub const LEVEL: (f64, f64) = (0.0, 7.0);

/// The occupation to rate.
#[derive(Clone, Debug)]
pub struct OccupationContext {
    /// Code.
    pub code: SocCode,
    /// Title.
    pub title: String,
    /// O*NET's description.
    pub description: String,
    /// Task statements.
    pub tasks: Vec<String>,
}

/// One descriptor to rate, with O*NET's words for it.
#[derive(Clone, Debug)]
pub struct DescriptorContext {
    /// Element id.
    pub id: ElementId,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Level anchors: (level, what it looks like).
    pub anchors: Vec<(f64, String)>,
}

/// A prompt ready to send, with what identifies it.
#[derive(Clone, Debug)]
pub struct Prompt {
    /// The request.
    pub request: ChatRequest,
    /// Prompt version.
    pub version: &'static str,
    /// SHA-256 of the exact prompt text and schema.
    pub hash: String,
}

impl Prompt {
    /// A prompt whose answer must follow `schema` (named `name`), hashed as it will be sent.
    pub fn structured(
        system: String,
        user: String,
        (name, schema): (&str, serde_json::Value),
        version: &'static str,
    ) -> Self {
        let request = ChatRequest {
            system,
            user,
            schema: Some((name.into(), schema)),
            followups: Vec::new(),
        };
        let hash = hash(&request);
        Self {
            request,
            version,
            hash,
        }
    }
}

/// Hashes what the model is asked, so a stored estimate names its exact prompt.
pub fn hash(request: &ChatRequest) -> String {
    let mut h = Sha256::new();
    h.update(request.system.as_bytes());
    h.update([0]);
    h.update(request.user.as_bytes());
    if let Some((name, schema)) = &request.schema {
        h.update([0]);
        h.update(name.as_bytes());
        h.update(schema.to_string().as_bytes());
    }
    hex::encode(h.finalize())
}

fn fmt(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// The prompt for rating `occupation` on every descriptor of `domain`.
pub fn proficiency_prompt(
    occupation: &OccupationContext,
    domain: Domain,
    descriptors: &[DescriptorContext],
) -> Prompt {
    let system = format!(
        "You are an occupational analyst who rates occupations on the O*NET content model, exactly as O*NET's analysts do. \
         For each {domain} descriptor you give two ratings for the occupation: importance on O*NET's importance scale \
         (IM, {im_lo} = not important … {im_hi} = extremely important) and level on O*NET's level scale (LV, {lv_lo} to {lv_hi}), \
         using the level anchors given for each descriptor as reference points. Rate the typical worker in the occupation, not an expert. \
         Answer with one JSON object and nothing else: {{\"ratings\": [{{\"element_id\": …, \"importance\": number, \"level\": number, \"justification\": short sentence}}, …]}} \
         with every descriptor listed exactly once.",
        im_lo = fmt(IMPORTANCE.0),
        im_hi = fmt(IMPORTANCE.1),
        lv_lo = fmt(LEVEL.0),
        lv_hi = fmt(LEVEL.1),
    );
    let mut user = format!(
        "Occupation: {} {}\nDescription: {}\n",
        occupation.code, occupation.title, occupation.description
    );
    if !occupation.tasks.is_empty() {
        user.push_str("Tasks:\n");
        for t in occupation.tasks.iter().take(25) {
            user.push_str(&format!("- {t}\n"));
        }
    }
    user.push_str(&format!(
        "\nRate each of these {} {domain} descriptors:\n",
        descriptors.len()
    ));
    for d in descriptors {
        user.push_str(&format!("- {} {}: {}\n", d.id, d.name, d.description));
        for (level, text) in &d.anchors {
            user.push_str(&format!("    level {}: {text}\n", fmt(*level)));
        }
    }
    let ids: Vec<&str> = descriptors.iter().map(|d| d.id.as_str()).collect();
    let schema = serde_json::json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["ratings"],
        "properties": {
            "ratings": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["element_id", "importance", "level", "justification"],
                    "properties": {
                        "element_id": {"type": "string", "enum": ids},
                        "importance": {"type": "number", "minimum": IMPORTANCE.0, "maximum": IMPORTANCE.1},
                        "level": {"type": "number", "minimum": LEVEL.0, "maximum": LEVEL.1},
                        "justification": {"type": "string"}
                    }
                }
            }
        }
    });
    Prompt::structured(
        system,
        user,
        ("proficiency_ratings", schema),
        PROFICIENCY_PROMPT_VERSION,
    )
}

/// One accepted estimate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Estimate {
    /// Descriptor.
    pub element: ElementId,
    /// Importance, 1–5.
    pub importance: f64,
    /// Level, 0–7.
    pub level: f64,
    /// The model's reason, in a sentence.
    pub justification: String,
}

/// Why an answer was refused: every problem found, so the model can be told.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.join("; "))]
pub struct AnswerError(pub Vec<String>);

/// The JSON object in a model's text: the whole text, a fenced ```json block, or the outermost
/// braces.
pub fn extract_json(content: &str) -> Option<serde_json::Value> {
    let t = content.trim();
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(t) {
        return v.is_object().then_some(v);
    }
    if let Some(start) = t.find("```") {
        let after = &t[start + 3..];
        let body = after.strip_prefix("json").unwrap_or(after);
        if let Some(end) = body.find("```")
            && let Ok(v) = serde_json::from_str::<serde_json::Value>(body[..end].trim())
            && v.is_object()
        {
            return Some(v);
        }
    }
    let (a, b) = (t.find('{')?, t.rfind('}')?);
    // `get`: a reply whose last `}` comes before its first `{` has no object to slice.
    serde_json::from_str::<serde_json::Value>(t.get(a..=b)?)
        .ok()
        .filter(|v| v.is_object())
}

/// Accepts an answer only if it rates every one of `expected` exactly once, with numbers inside
/// the scales and a non-empty justification.
pub fn parse_proficiency(
    content: &str,
    expected: &[ElementId],
) -> Result<Vec<Estimate>, AnswerError> {
    let v = extract_json(content)
        .ok_or_else(|| AnswerError(vec!["the answer is not a JSON object".into()]))?;
    let list = v
        .get("ratings")
        .and_then(|r| r.as_array())
        .ok_or_else(|| AnswerError(vec!["the JSON has no `ratings` list".into()]))?;
    let wanted: HashSet<&str> = expected.iter().map(|e| e.as_str()).collect();
    let mut problems = Vec::new();
    let mut found: BTreeMap<String, Estimate> = BTreeMap::new();
    for (i, item) in list.iter().enumerate() {
        let Some(id) = item.get("element_id").and_then(|x| x.as_str()) else {
            problems.push(format!("rating {} has no element_id", i + 1));
            continue;
        };
        if !wanted.contains(id) {
            problems.push(format!("`{id}` is not one of the descriptors asked for"));
            continue;
        }
        let number =
            |field: &str, (lo, hi): (f64, f64), problems: &mut Vec<String>| -> Option<f64> {
                match item.get(field).and_then(|x| x.as_f64()) {
                    Some(x) if x.is_finite() && (lo..=hi).contains(&x) => Some(x),
                    Some(x) => {
                        problems.push(format!("{id} {field} {x} is outside {lo}–{hi}"));
                        None
                    }
                    None => {
                        problems.push(format!("{id} has no numeric {field}"));
                        None
                    }
                }
            };
        let importance = number("importance", IMPORTANCE, &mut problems);
        let level = number("level", LEVEL, &mut problems);
        let justification = item
            .get("justification")
            .and_then(|x| x.as_str())
            .map(str::trim)
            .unwrap_or("");
        if justification.is_empty() {
            problems.push(format!("{id} has no justification"));
        }
        if found.contains_key(id) {
            problems.push(format!("{id} is rated more than once"));
            continue;
        }
        if let (Some(importance), Some(level)) = (importance, level) {
            let element = ElementId::parse(id).map_err(|e| AnswerError(vec![e.to_string()]))?;
            let justification: String = justification.chars().take(500).collect();
            found.insert(
                id.to_owned(),
                Estimate {
                    element,
                    importance,
                    level,
                    justification,
                },
            );
        }
    }
    for e in expected {
        if !found.contains_key(e.as_str()) && !problems.iter().any(|p| p.starts_with(e.as_str())) {
            problems.push(format!("{e} is missing"));
        }
    }
    if !problems.is_empty() {
        return Err(AnswerError(problems));
    }
    Ok(expected
        .iter()
        .map(|e| found.remove(e.as_str()).expect("checked above"))
        .collect())
}

/// A profile the model produced and the validator accepted.
#[derive(Clone, Debug)]
pub struct Rated {
    /// One estimate per descriptor, in the order asked.
    pub estimates: Vec<Estimate>,
    /// Tokens of every attempt.
    pub usage: Usage,
    /// The accepted answer's raw response body.
    pub raw: String,
    /// Attempts made.
    pub attempts: u32,
}

/// A profile the model could not produce validly.
#[derive(Clone, Debug)]
pub struct RateFailure {
    /// What went wrong last.
    pub error: String,
    /// Tokens spent.
    pub usage: Usage,
    /// The last raw response, if any came.
    pub raw: Option<String>,
    /// Attempts made.
    pub attempts: u32,
}

/// Asks up to `max_attempts` times; an invalid answer is re-asked with the reasons it was refused.
pub async fn rate(
    client: &ChatClient,
    prompt: &Prompt,
    expected: &[ElementId],
    max_attempts: u32,
) -> Result<Rated, RateFailure> {
    let mut request = prompt.request.clone();
    let mut usage = Usage::default();
    let mut raw = None;
    let mut attempts = 0;
    let mut error = String::new();
    while attempts < max_attempts.max(1) {
        attempts += 1;
        let reply = match client.complete(&request).await {
            Ok(r) => r,
            Err(e) => {
                return Err(RateFailure {
                    error: e.to_string(),
                    usage,
                    raw,
                    attempts,
                });
            }
        };
        usage += reply.usage;
        match parse_proficiency(&reply.content, expected) {
            Ok(estimates) => {
                return Ok(Rated {
                    estimates,
                    usage,
                    raw: reply.raw,
                    attempts,
                });
            }
            Err(e) => {
                tracing::warn!(attempt = attempts, problems = %e, "LLM answer refused");
                error = format!("invalid answer: {e}");
                request.followups = vec![
                    ("assistant".into(), reply.content),
                    (
                        "user".into(),
                        format!(
                            "That answer was refused: {e}. Answer again with the complete JSON object only, rating every descriptor exactly once."
                        ),
                    ),
                ];
                raw = Some(reply.raw);
            }
        }
    }
    Err(RateFailure {
        error,
        usage,
        raw,
        attempts,
    })
}

/// What the prompt needs about `occupation` in `domain`, taken from the catalog (tasks, the
/// domain's descriptors in element-id order with their anchors). `None` for an unknown index or
/// an unloaded domain.
pub fn context_from(
    catalog: &skillgap_core::Catalog,
    occupation: usize,
    domain: Domain,
) -> Option<(OccupationContext, Vec<DescriptorContext>)> {
    let e = catalog.occupations.get(occupation)?;
    let table = catalog.domain(domain)?;
    let occ = OccupationContext {
        code: e.occupation.code,
        title: e.occupation.title.clone(),
        description: e.occupation.description.clone(),
        tasks: e.tasks.iter().map(|t| t.text.clone()).collect(),
    };
    let descriptors = table
        .descriptors
        .iter()
        .map(|d| DescriptorContext {
            id: d.id.clone(),
            name: d.name.clone(),
            description: d.description.clone(),
            anchors: d
                .anchors
                .iter()
                .map(|a| (a.value, a.description.to_string()))
                .collect(),
        })
        .collect();
    Some((occ, descriptors))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[&str]) -> Vec<ElementId> {
        v.iter().map(|s| ElementId::parse(s).unwrap()).collect()
    }

    #[test]
    fn a_reply_with_braces_the_wrong_way_round_is_no_json() {
        assert_eq!(extract_json("} Sorry, I can't give JSON {"), None);
        assert_eq!(extract_json("}{"), None);
        assert!(extract_json("here: {\"a\": 1} done").is_some());
    }

    #[test]
    fn accepts_a_complete_answer_in_the_order_asked() {
        let a = r#"{"ratings":[{"element_id":"2.A.1.b","importance":3,"level":4.5,"justification":"x"},{"element_id":"2.A.1.a","importance":2.5,"level":0,"justification":"y"}]}"#;
        let got = parse_proficiency(a, &ids(&["2.A.1.a", "2.A.1.b"])).unwrap();
        assert_eq!(got[0].element.as_str(), "2.A.1.a");
        assert_eq!((got[0].importance, got[0].level), (2.5, 0.0));
        assert_eq!(got[1].level, 4.5);
    }

    #[test]
    fn refuses_every_kind_of_bad_answer_and_says_why() {
        let want = ids(&["2.A.1.a", "2.A.1.b"]);
        // `{"ratings":[…]}` with one object per (element, importance, level).
        let answer = |ratings: &[(&str, &str, &str)]| {
            let items: Vec<String> = ratings
                .iter()
                .map(|(id, im, lv)| {
                    format!(r#"{{"element_id":"{id}","importance":{im},"level":{lv},"justification":"j"}}"#)
                })
                .collect();
            format!("{{\"ratings\":[{}]}}", items.join(","))
        };
        let ok_a = ("2.A.1.a", "3", "3");
        let ok_b = ("2.A.1.b", "3", "3");
        let cases = [
            (answer(&[ok_a]), "2.A.1.b is missing"),
            (
                answer(&[ok_a, ok_a, ok_b]),
                "2.A.1.a is rated more than once",
            ),
            (
                answer(&[("2.A.1.a", "3", "9"), ok_b]),
                "2.A.1.a level 9 is outside 0–7",
            ),
            (
                answer(&[("2.A.1.a", "0", "3"), ok_b]),
                "importance 0 is outside 1–5",
            ),
            (
                answer(&[ok_a, ok_b, ("2.C.1.a", "3", "3")]),
                "`2.C.1.a` is not one of",
            ),
            (
                "I would rate reading at level four.".to_string(),
                "not a JSON object",
            ),
            ("{\"scores\": []}".to_string(), "no `ratings` list"),
        ];
        for (answer, why) in cases {
            let e = parse_proficiency(&answer, &want).unwrap_err();
            assert!(e.to_string().contains(why), "{answer}: {e}");
        }
    }

    #[test]
    fn finds_json_in_a_markdown_fence_or_prose() {
        let inner = r#"{"ratings":[{"element_id":"2.A.1.a","importance":3,"level":3,"justification":"j"}]}"#;
        for text in [
            format!("```json\n{inner}\n```"),
            format!("Here you go:\n```\n{inner}\n```\nDone."),
            format!("Sure! {inner} Hope it helps."),
        ] {
            assert_eq!(
                parse_proficiency(&text, &ids(&["2.A.1.a"])).unwrap().len(),
                1,
                "{text}"
            );
        }
    }

    #[test]
    fn the_prompt_names_every_descriptor_and_its_anchors() {
        let occ = OccupationContext {
            code: SocCode::parse("15-1252.00").unwrap(),
            title: "Software Developers".into(),
            description: "d".into(),
            tasks: vec!["t1".into()],
        };
        let d = DescriptorContext {
            id: ElementId::parse("2.A.1.a").unwrap(),
            name: "Reading Comprehension".into(),
            description: "Understanding".into(),
            anchors: vec![(2.0, "Read a form".into())],
        };
        let p = proficiency_prompt(&occ, Domain::Skills, &[d]);
        assert!(
            p.request
                .user
                .contains("Occupation: 15-1252.00 Software Developers")
        );
        assert!(
            p.request.user.contains(
                "- 2.A.1.a Reading Comprehension: Understanding\n    level 2: Read a form"
            )
        );
        assert_eq!(p.hash.len(), 64);
        assert_eq!(p.version, "proficiency-v1");
    }
}
