//! Annotated articles for `framescope validate`: JSONL with `id`, `source`, `title`, `text` and
//! `spans` (`start`, `end` in Unicode code points, end exclusive, plus any label fields).
//! Every other top-level scalar field (such as `event_id`) is kept for grouping. A line that
//! cannot be read is reported with its line number and the rest is read.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;

use super::CorpusError;

/// One annotated span: code-point offsets into the text and its labels as text.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldSpan {
    pub start: usize,
    pub end: usize,
    pub labels: BTreeMap<String, String>,
}

/// One annotated article.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldArticle {
    pub id: String,
    pub source: String,
    pub title: String,
    pub text: String,
    pub spans: Vec<GoldSpan>,
    /// Other top-level scalar fields (`event_id`, `date`, ...), as text.
    pub fields: BTreeMap<String, String>,
}

/// Scalars as text (`true`, `12`, `"x"` -> `x`); null, arrays and objects give `None`.
fn scalar(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Parse one line; `Err` says what is wrong with it.
pub fn parse_gold_line(line: &str) -> Result<GoldArticle, String> {
    let v: serde_json::Value =
        serde_json::from_str(line).map_err(|e| format!("not a JSON object: {e}"))?;
    let obj = v.as_object().ok_or("not a JSON object")?;
    let text = obj
        .get("text")
        .and_then(|t| t.as_str())
        .ok_or("no `text` string")?
        .to_string();
    let chars = text.chars().count();
    let mut spans = Vec::new();
    if let Some(list) = obj.get("spans") {
        let list = list.as_array().ok_or("`spans` is not a list")?;
        for (i, sp) in list.iter().enumerate() {
            let o = sp.as_object().ok_or(format!("span {i} is not an object"))?;
            let get = |k: &str| o.get(k).and_then(|x| x.as_u64()).map(|x| x as usize);
            let (Some(start), Some(end)) = (get("start"), get("end")) else {
                return Err(format!("span {i} has no whole-number `start` and `end`"));
            };
            if start > end || end > chars {
                return Err(format!(
                    "span {i} ({start}..{end}) does not fit a text of {chars} code points"
                ));
            }
            let labels = o
                .iter()
                .filter(|(k, _)| !matches!(k.as_str(), "start" | "end" | "text"))
                .filter_map(|(k, v)| scalar(v).map(|s| (k.clone(), s)))
                .collect();
            spans.push(GoldSpan { start, end, labels });
        }
    }
    let field = |k: &str| obj.get(k).and_then(scalar).unwrap_or_default();
    let fields = obj
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "id" | "source" | "title" | "text" | "spans"))
        .filter_map(|(k, v)| scalar(v).map(|s| (k.clone(), s)))
        .collect();
    Ok(GoldArticle {
        id: field("id"),
        source: field("source"),
        title: field("title"),
        text,
        spans,
        fields,
    })
}

/// Read a gold JSONL file: the articles, and one `path:line: reason` per line not read.
pub fn read_gold(path: &Path) -> Result<(Vec<GoldArticle>, Vec<String>), CorpusError> {
    let file = std::fs::File::open(path).map_err(|source| CorpusError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut articles = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in std::io::BufReader::new(file).split(b'\n').enumerate() {
        let line = line.map_err(|source| CorpusError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let text = String::from_utf8_lossy(&line);
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        match parse_gold_line(text) {
            Ok(a) => articles.push(a),
            Err(e) => problems.push(format!("{}:{}: {e}", path.display(), i + 1)),
        }
    }
    Ok((articles, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_spans_labels_and_fields() {
        let a = parse_gold_line(
            r#"{"id":"a","source":"S","title":"T","text":"héllo world","event_id":7,"spans":[{"start":0,"end":5,"bias_type":"lexical","in_quote":false,"text":"héllo"}]}"#,
        )
        .unwrap();
        assert_eq!(a.spans[0].start, 0);
        assert_eq!(a.spans[0].labels["bias_type"], "lexical");
        assert_eq!(a.spans[0].labels["in_quote"], "false");
        assert_eq!(a.fields["event_id"], "7");
    }

    #[test]
    fn bad_lines_say_why() {
        assert!(
            parse_gold_line("{nope")
                .unwrap_err()
                .contains("not a JSON object")
        );
        assert!(
            parse_gold_line(r#"{"id":"a"}"#)
                .unwrap_err()
                .contains("text")
        );
        let e = parse_gold_line(r#"{"text":"ab","spans":[{"start":1,"end":9}]}"#).unwrap_err();
        assert!(e.contains("does not fit"), "{e}");
    }
}
