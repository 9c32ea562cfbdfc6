//! One page of `database/rows/{table}`, in any of the shapes O*NET sends: v1.9 XML (as the real
//! sample), v1.9 JSON (documentation), v2 JSON (top-level `next`).

use std::collections::BTreeMap;

use serde::Deserialize;

/// One row: column id → value as text (`None` when empty or null).
pub type Row = BTreeMap<String, Option<String>>;

/// A parsed page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Page {
    /// First row number (1-based), when given.
    pub start: Option<u64>,
    /// Last row number, when given.
    pub end: Option<u64>,
    /// Rows in the whole result, when given.
    pub total: Option<u64>,
    /// The absolute URL of the next page, if any.
    pub next: Option<String>,
    /// The rows.
    pub rows: Vec<Row>,
}

#[derive(Deserialize)]
struct XmlRows {
    #[serde(rename = "@start")]
    start: Option<String>,
    #[serde(rename = "@end")]
    end: Option<String>,
    #[serde(rename = "@total")]
    total: Option<String>,
    #[serde(default)]
    link: Vec<XmlLink>,
    #[serde(default)]
    row: Vec<BTreeMap<String, XmlValue>>,
}

#[derive(Deserialize)]
struct XmlLink {
    #[serde(rename = "@href")]
    href: String,
    #[serde(rename = "@rel")]
    rel: String,
}

#[derive(Deserialize)]
struct XmlValue {
    #[serde(rename = "$text", default)]
    text: Option<String>,
}

fn number(v: Option<&serde_json::Value>) -> Option<u64> {
    match v? {
        serde_json::Value::Number(n) => n.as_u64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        // Integral numbers print without a fraction (`8`, not `8.0`), however they were encoded.
        serde_json::Value::Number(n) => Some(match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.to_string(),
            (None, Some(f)) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => n.to_string(),
        }),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        other => Some(other.to_string()),
    }
}

/// Parses an XML page (`<rows start end total><link rel="next" href/>…<row>…</row></rows>`).
pub fn parse_xml(body: &str) -> Result<Page, String> {
    // The deserializer does not check the root's name; an HTML error page must not pass as rows.
    let root = body
        .match_indices('<')
        .map(|(i, _)| &body[i + 1..])
        .find(|rest| !rest.starts_with('?') && !rest.starts_with('!'))
        .unwrap_or("");
    if !(root.starts_with("rows>")
        || root.starts_with("rows ")
        || root.starts_with("rows\t")
        || root.starts_with("rows\n"))
    {
        let name: String = root
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        return Err(format!(
            "not the expected XML: the root element is <{name}>, not <rows>"
        ));
    }
    let parsed: XmlRows =
        quick_xml::de::from_str(body).map_err(|e| format!("not the expected XML: {e}"))?;
    let n = |s: Option<String>| s.and_then(|v| v.trim().parse().ok());
    Ok(Page {
        start: n(parsed.start),
        end: n(parsed.end),
        total: n(parsed.total),
        next: parsed
            .link
            .into_iter()
            .find(|l| l.rel == "next")
            .map(|l| l.href),
        rows: parsed
            .row
            .into_iter()
            .map(|r| {
                r.into_iter()
                    .map(|(k, v)| {
                        (
                            k,
                            v.text
                                .map(|t| t.trim().to_owned())
                                .filter(|t| !t.is_empty()),
                        )
                    })
                    .collect()
            })
            .collect(),
    })
}

/// Parses a JSON page, v1.9 (`link: [{rel, href}]`) or v2 (`next: "…"`).
pub fn parse_json(body: &str) -> Result<Page, String> {
    let v: serde_json::Value = serde_json::from_str(body).map_err(|e| format!("not JSON: {e}"))?;
    let obj = v
        .as_object()
        .ok_or("expected a JSON object with a `row` list")?;
    let next = match obj.get("next") {
        Some(serde_json::Value::String(s)) if !s.is_empty() => Some(s.clone()),
        _ => obj.get("link").and_then(|links| {
            let list: Vec<&serde_json::Value> = match links {
                serde_json::Value::Array(a) => a.iter().collect(),
                single @ serde_json::Value::Object(_) => vec![single],
                _ => vec![],
            };
            list.into_iter()
                .find(|l| l.get("rel").and_then(|r| r.as_str()) == Some("next"))
                .and_then(|l| l.get("href").and_then(|h| h.as_str()).map(str::to_owned))
        }),
    };
    let rows_value = obj.get("row").ok_or("the JSON has no `row` list")?;
    let rows: Vec<&serde_json::Value> = match rows_value {
        serde_json::Value::Array(a) => a.iter().collect(),
        single @ serde_json::Value::Object(_) => vec![single],
        serde_json::Value::Null => vec![],
        _ => return Err("`row` is neither a list nor an object".into()),
    };
    let rows = rows
        .into_iter()
        .map(|r| {
            r.as_object()
                .map(|o| o.iter().map(|(k, v)| (k.clone(), text(v))).collect::<Row>())
                .ok_or_else(|| "a `row` entry is not an object".to_string())
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page {
        start: number(obj.get("start")),
        end: number(obj.get("end")),
        total: number(obj.get("total")),
        next,
        rows,
    })
}

/// Parses by content type, falling back on the first character of the body.
pub fn parse(content_type: &str, body: &str) -> Result<Page, String> {
    let trimmed = body.trim_start();
    if content_type.contains("xml") || (!content_type.contains("json") && trimmed.starts_with('<'))
    {
        parse_xml(body)
    } else {
        parse_json(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_v2_and_v1_9_json_shapes() {
        let v2 = r#"{"start":1,"end":2,"total":3,"next":"https://api-v2.onetcenter.org/database/rows/skills?start=3&end=4",
            "row":[{"onetsoc_code":"15-1254.00","data_value":3.62,"not_relevant":null},{"o_net_soc_code":"15-1254.00","data_value":"4"}]}"#;
        let p = parse("application/json", v2).unwrap();
        assert_eq!((p.start, p.end, p.total), (Some(1), Some(2), Some(3)));
        assert!(p.next.unwrap().ends_with("start=3&end=4"));
        assert_eq!(p.rows[0]["data_value"].as_deref(), Some("3.62"));
        assert_eq!(p.rows[0]["not_relevant"], None);
        let v19 = r#"{"start":1,"end":1,"total":1,"link":[{"href":"https://x/prev","rel":"prev"}],"row":[{"a":"b"}]}"#;
        let p = parse("application/json; charset=utf-8", v19).unwrap();
        assert_eq!(p.next, None);
        assert_eq!(p.rows.len(), 1);
    }

    #[test]
    fn rejects_what_is_not_a_page() {
        assert!(parse("application/json", "{\"row\": 5}").is_err());
        assert!(parse("application/json", "[1,2]").is_err());
        assert!(parse("application/json", "{\"start\": 1, \"ro").is_err());
        assert!(parse("application/xml", "<rows start=\"1\"><row><a>1</a></row>").is_err());
        assert!(
            parse(
                "application/xml",
                "<?xml version=\"1.0\"?><html><body>busy</body></html>"
            )
            .unwrap_err()
            .contains("<html>")
        );
        assert_eq!(
            parse("", "<?xml version=\"1.0\"?>\n<rows total=\"0\"></rows>")
                .unwrap()
                .total,
            Some(0)
        );
    }
}
