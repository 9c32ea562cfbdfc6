//! Gap narratives: the engine computes the numbers, the model puts them into words. The prompt
//! carries only computed values; the answer must be plain prose of sensible length.

use serde::Serialize;

use crate::client::{ChatClient, Usage};
use crate::proficiency::{AnswerError, Prompt, extract_json};

/// Version of the narrative prompt; part of the narrative cache key.
pub const NARRATIVE_PROMPT_VERSION: &str = "narrative-v1";

/// Longest narrative accepted, in characters.
pub const MAX_NARRATIVE_CHARS: usize = 4000;

/// The prompt for explaining a computed gap (the API's gap body, as JSON).
pub fn narrative_prompt(gap: &serde_json::Value) -> Prompt {
    let system = "You explain skill gaps between occupations to career changers, in plain, encouraging, specific English. \
                  Use only the numbers and facts given; do not invent skills, levels or requirements. \
                  Levels are on O*NET's 0-7 scale; the level anchors say what a level looks like at work. \
                  Answer with one JSON object and nothing else: {\"narrative\": \"…\"}, 120 to 300 words, no headings, no lists."
        .to_string();
    let mut facts = serde_json::json!({
        "from": gap["from"], "to": gap["to"], "similarity": gap["similarity"], "summary": gap["summary"],
        "missing": gap["missing"],
    });
    let top: Vec<serde_json::Value> = gap["shortages"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .take(8)
                .map(|r| {
                    serde_json::json!({
                        "skill": r["name"], "from_level": r["from_level"], "to_level": r["to_level"], "gap": r["gap"],
                        "to_importance": r["to_importance"], "significant": r["significant"],
                        "to_level_looks_like": r["to_anchor"]["description"],
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    facts["largest_shortages"] = serde_json::Value::Array(top);
    let user = format!(
        "Explain this computed skill gap:\n{}",
        serde_json::to_string_pretty(&facts).unwrap_or_default()
    );
    let schema = serde_json::json!({
        "type": "object", "additionalProperties": false, "required": ["narrative"],
        "properties": {"narrative": {"type": "string"}}
    });
    Prompt::structured(
        system,
        user,
        ("gap_narrative", schema),
        NARRATIVE_PROMPT_VERSION,
    )
}

/// Accepts prose of 20 to [`MAX_NARRATIVE_CHARS`] characters, from `{"narrative": …}` or as text.
pub fn parse_narrative(content: &str) -> Result<String, AnswerError> {
    let text = match extract_json(content) {
        Some(v) => v
            .get("narrative")
            .and_then(|n| n.as_str())
            .map(str::to_owned)
            .ok_or_else(|| AnswerError(vec!["the JSON has no `narrative` text".into()]))?,
        None => content.to_owned(),
    };
    let text = text.trim().to_owned();
    let n = text.chars().count();
    if n < 20 {
        return Err(AnswerError(vec![format!(
            "the narrative is too short ({n} characters)"
        )]));
    }
    if n > MAX_NARRATIVE_CHARS {
        return Err(AnswerError(vec![format!(
            "the narrative is too long ({n} characters)"
        )]));
    }
    if text.contains("```") {
        return Err(AnswerError(vec![
            "the narrative contains a code block".into(),
        ]));
    }
    Ok(text)
}

/// A narrative and what it cost.
#[derive(Clone, Debug, Serialize)]
pub struct Narrated {
    /// The text.
    pub text: String,
    /// Tokens of every attempt.
    pub usage: Usage,
    /// Raw response of the accepted answer.
    pub raw: String,
}

/// Asks up to `max_attempts` times for an acceptable narrative.
pub async fn narrate(
    client: &ChatClient,
    prompt: &Prompt,
    max_attempts: u32,
) -> Result<Narrated, String> {
    let mut usage = Usage::default();
    let mut last = String::new();
    for _ in 0..max_attempts.max(1) {
        let reply = client
            .complete(&prompt.request)
            .await
            .map_err(|e| e.to_string())?;
        usage += reply.usage;
        match parse_narrative(&reply.content) {
            Ok(text) => {
                return Ok(Narrated {
                    text,
                    usage,
                    raw: reply.raw,
                });
            }
            Err(e) => last = format!("invalid answer: {e}"),
        }
    }
    Err(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narratives_must_be_prose_of_sensible_length() {
        assert_eq!(
            parse_narrative("{\"narrative\": \"  You will need to manage budgets more.  \"}")
                .unwrap(),
            "You will need to manage budgets more."
        );
        assert!(parse_narrative("Plain prose explaining the gap in enough words.").is_ok());
        assert!(parse_narrative("{\"narrative\": \"short\"}").is_err());
        assert!(parse_narrative("{\"text\": \"You will need to manage budgets more.\"}").is_err());
        assert!(parse_narrative(&"x".repeat(5000)).is_err());
    }

    #[test]
    fn the_prompt_carries_only_computed_facts() {
        let gap = serde_json::json!({"from": {"code": "a", "title": "A"}, "to": {"code": "b", "title": "B"}, "similarity": 0.9,
            "summary": {"shortages": 1}, "missing": ["2.B.5.b"],
            "shortages": [{"name": "Management of Financial Resources", "from_level": 1.25, "to_level": 3.38, "gap": 2.13,
                "to_importance": 3.0, "significant": true, "to_anchor": {"description": "Prepare and manage a budget"}}]});
        let p = narrative_prompt(&gap);
        assert!(
            p.request.user.contains("\"gap\": 2.13")
                && p.request.user.contains("Prepare and manage a budget")
        );
        assert_eq!(p.version, "narrative-v1");
    }
}
