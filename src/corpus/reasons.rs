//! Small helpers shared by the readers for writing skip reasons and fatal messages: quoting a
//! bad value (truncated to 60 characters), listing column or key names, building a [`Skip`].

use super::types::{Item, Origin, Skip};

/// How many characters of a bad value a reason quotes.
pub(crate) const QUOTE_CHARS: usize = 60;

/// `s` in double quotes, cut to [`QUOTE_CHARS`] characters (with `…` when cut), control
/// characters escaped so the reason stays on one line.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len().min(4 * QUOTE_CHARS) + 4);
    out.push('"');
    let mut chars = s.chars();
    for c in chars.by_ref().take(QUOTE_CHARS) {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    if chars.next().is_some() {
        out.push('…');
    }
    out.push('"');
    out
}

/// Names as `` `a`, `b`, `c` `` (at most 30, then "and N more"); "(none)" when empty.
pub(crate) fn list_names<S: AsRef<str>>(names: &[S]) -> String {
    const MAX: usize = 30;
    if names.is_empty() {
        return "(none)".to_owned();
    }
    let mut parts: Vec<String> = names
        .iter()
        .take(MAX)
        .map(|n| {
            let n = n.as_ref();
            let shown: String = n.chars().take(QUOTE_CHARS).collect();
            format!("`{}`", shown.escape_debug())
        })
        .collect();
    if names.len() > MAX {
        parts.push(format!("and {} more", names.len() - MAX));
    }
    parts.join(", ")
}

/// A [`Item::Skip`].
pub(crate) fn skip(
    origin: Origin,
    id: Option<String>,
    source: Option<String>,
    reason: String,
) -> Item {
    Item::Skip(Skip {
        origin,
        id,
        source,
        reason,
    })
}

/// A metadata value as carried on an article: surrounding whitespace removed.
pub(crate) fn meta(s: &str) -> String {
    s.trim().to_owned()
}

/// `Some(v)` unless `v` is empty (after trimming).
pub(crate) fn non_empty(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_truncates_and_escapes() {
        assert_eq!(quote("a\tb"), "\"a\\tb\"");
        let long = "x".repeat(70);
        let q = quote(&long);
        assert_eq!(q.chars().count(), 60 + 3);
        assert!(q.ends_with("…\""));
        assert_eq!(quote(&"x".repeat(60)).chars().count(), 62);
    }

    #[test]
    fn names_are_listed() {
        assert_eq!(list_names::<&str>(&[]), "(none)");
        assert_eq!(list_names(&["a", "b"]), "`a`, `b`");
        let many: Vec<String> = (0..35).map(|i| i.to_string()).collect();
        assert!(list_names(&many).ends_with("and 5 more"));
    }
}
