//! Markdown remnants in scraped text: backslash escapes (`\$50`), links (`[Ahmed Adel](#)`
//! keeps `Ahmed Adel`), images (dropped whole: alt text is not the outlet's reporting),
//! emphasis markers (`**`, `__`, `*`, `_` around words), heading marks (`## `) and blockquote
//! marks (`> `) at the start of a line. Each is a deletion of input bytes, so the text that
//! remains keeps its offsets.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

/// One piece of markup to leave out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MarkupEdit {
    /// Input byte range.
    pub start: usize,
    pub end: usize,
    /// `escape`, `link`, `image`, `emphasis`, `heading` or `blockquote`.
    pub reason: &'static str,
}

static ESCAPE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\\[!-/:-@\[-`{-~]").expect("valid regex"));
/// `[text](target "title")` and `![alt](target)`; the target may hold one level of brackets.
static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(!?)\[([^\[\]\n]*)\]\(([^()\s]*(?:\([^()\s]*\))?[^()\s]*)(?:\s+"[^"\n]*")?\)"#)
        .expect("valid regex")
});
static HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[ \t]{0,3}(?:#{1,6}[ \t]+|>[ \t]?)").expect("valid regex"));
static STRONG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\*\*[^\s*](?:[^*\n]*[^\s*])?\*\*|__[^\s_](?:[^_\n]*[^\s_])?__")
        .expect("valid regex")
});
static EMPHASIS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\*[^\s*](?:[^*\n]*[^\s*])?\*|_[^\s_](?:[^_\n]*[^\s_])?_").expect("valid regex")
});

/// The markup of one line (`line` starts at input byte `offset`), in order and disjoint.
pub fn line_edits(line: &str, offset: usize, out: &mut Vec<MarkupEdit>) {
    // Most lines hold no markup character at all: skip the expressions.
    if !has_markup_byte(line.as_bytes()) {
        return;
    }
    let first = out.len();
    let at = |start: usize, end: usize, reason: &'static str| MarkupEdit {
        start: offset + start,
        end: offset + end,
        reason,
    };
    if let Some(m) = HEADING.find(line) {
        let reason = if m.as_str().contains('#') {
            "heading"
        } else {
            "blockquote"
        };
        out.push(at(m.start(), m.end(), reason));
    }
    for m in ESCAPE.find_iter(line) {
        out.push(at(m.start(), m.start() + 1, "escape"));
    }
    for c in LINK.captures_iter(line) {
        let (Some(all), Some(bang), Some(label)) = (c.get(0), c.get(1), c.get(2)) else {
            continue;
        };
        // An escaped `\[` is not a link.
        if line[..all.start()].ends_with('\\') {
            continue;
        }
        if !bang.as_str().is_empty() {
            out.push(at(all.start(), all.end(), "image"));
        } else {
            out.push(at(all.start(), label.start(), "link"));
            out.push(at(label.end(), all.end(), "link"));
        }
    }
    for (re, width) in [(&*STRONG, 2), (&*EMPHASIS, 1)] {
        for m in re.find_iter(line) {
            let before = line[..m.start()].chars().next_back();
            let after = line[m.end()..].chars().next();
            // `2*3*4` and `snake_case_name` are not emphasis.
            if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric)
            {
                continue;
            }
            out.push(at(m.start(), m.start() + width, "emphasis"));
            out.push(at(m.end() - width, m.end(), "emphasis"));
        }
    }
    disjoint(&mut out[first..].to_vec(), out, first);
}

/// Whether `line` holds a byte that can start markup (`\\ [ * _ # >`). Lines are checked in
/// both passes and most hold none: two vector searches instead of a byte loop.
fn has_markup_byte(line: &[u8]) -> bool {
    if line.len() < 16 {
        return line
            .iter()
            .any(|b| matches!(b, b'\\' | b'[' | b'*' | b'_' | b'#' | b'>'));
    }
    memchr::memchr3(b'\\', b'[', b'*', line).is_some()
        || memchr::memchr3(b'_', b'#', b'>', line).is_some()
}

/// Sorts `out[first..]` (a copy is in `scratch`) by start and drops edits that overlap an
/// earlier one.
fn disjoint(scratch: &mut [MarkupEdit], out: &mut Vec<MarkupEdit>, first: usize) {
    // At one start the longer edit wins (`**` over `*`).
    scratch.sort_by_key(|e| (e.start, std::cmp::Reverse(e.end)));
    out.truncate(first);
    let mut end = 0;
    for e in scratch.iter() {
        if e.start >= end && e.start < e.end {
            out.push(*e);
            end = e.end;
        }
    }
}

/// The line with its markup left out.
pub fn plain(line: &str) -> Cow<'_, str> {
    let mut edits = Vec::new();
    line_edits(line, 0, &mut edits);
    apply(line, 0, &edits)
}

/// `line` (at input byte `offset`) without the bytes of `edits` (its [`line_edits`]).
pub fn apply<'a>(line: &'a str, offset: usize, edits: &[MarkupEdit]) -> Cow<'a, str> {
    if edits.is_empty() {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len());
    let mut pos = 0;
    for e in edits {
        out.push_str(&line[pos..e.start - offset]);
        pos = e.end - offset;
    }
    out.push_str(&line[pos..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The vector search finds a markup byte where the byte loop does.
        #[test]
        fn markup_bytes_are_found_as_by_the_byte_loop(
            line in "[a-z \u{e9}]{0,30}([\\\\\\[*_#>][a-z ]{0,20})?",
        ) {
            let by_byte = line
                .bytes()
                .any(|b| matches!(b, b'\\' | b'[' | b'*' | b'_' | b'#' | b'>'));
            proptest::prop_assert_eq!(has_markup_byte(line.as_bytes()), by_byte);
        }
    }

    fn reasons(line: &str) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        line_edits(line, 0, &mut out);
        out.iter()
            .map(|e| (e.reason, line[e.start..e.end].to_string()))
            .collect()
    }

    #[test]
    fn markdown_remnants() {
        assert_eq!(
            plain(r"Trade Explodes to \$50 Billion"),
            "Trade Explodes to $50 Billion"
        );
        assert_eq!(plain("By [Ahmed Adel](#)"), "By Ahmed Adel");
        assert_eq!(
            plain("Region: [Asia](#), [Russia and FSU](https://x.org/a_(b))"),
            "Region: Asia, Russia and FSU"
        );
        assert_eq!(
            plain(r#"see [the report](http://x.org "Title") now"#),
            "see the report now"
        );
        assert_eq!(plain("![a chart](img.png) Prices rose."), " Prices rose.");
        assert_eq!(plain("## What is Driving Ties?"), "What is Driving Ties?");
        assert_eq!(plain("> quoted block"), "quoted block");
        assert_eq!(
            plain("a **bold** and *it* and __u__ and _e_."),
            "a bold and it and u and e."
        );
        assert_eq!(plain(r"\[not a link\](x)"), "[not a link](x)");
    }

    #[test]
    fn leaves_what_is_not_markup() {
        for s in [
            "2*3*4 and 5 * 6",
            "snake_case_name and my_var_x",
            "#hashtag and C# code",
            "Required fields are marked *",
            "a \\ backslash before a space",
            "[bracketed aside] with no link",
        ] {
            assert_eq!(plain(s), s, "{:?}", reasons(s));
        }
    }

    #[test]
    fn edits_are_ordered_disjoint_and_offset() {
        let mut out = Vec::new();
        line_edits("x **[a](b)** \\*", 10, &mut out);
        let spans: Vec<(usize, usize)> = out.iter().map(|e| (e.start, e.end)).collect();
        assert!(spans.windows(2).all(|w| w[0].1 <= w[1].0), "{spans:?}");
        assert!(spans.iter().all(|s| s.0 >= 12), "{spans:?}");
        assert_eq!(reasons("**[a](b)**").len(), 4);
    }
}
