//! The lexicon file format: parsing one file's text into a [`Lexicon`], reporting every bad
//! line as a [`Problem`] (`path:line: message`) and going on. Pure: takes text, returns values.
//!
//! ```text
//! #! id: advocacy.loaded_labels      header lines come first: `#! key: value`
//! #! side: advocacy                  advocacy | neutral | none (required)
//! #! weight: 1.0                     finite, >= 0 (default 1)
//! #! case: insensitive               insensitive (default) | sensitive
//! #! role: score                     score (default) | cue | speaker | frame
//! #! description: one-sided labels   required
//! # a comment
//! regime                             one entry a line
//! true colors                        phrases match across any run of whitespace
//! propagand*                         trailing `*`: the last word with any ending
//! !regime change                     exception: a match of this file inside it is no hit
//! ```

use std::fmt;

use crate::text::{fold_case, normalize_fragment};

/// Which side of the framing model a category counts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    Advocacy,
    Neutral,
    /// Descriptive categories that count in no index.
    None,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Advocacy => "advocacy",
            Side::Neutral => "neutral",
            Side::None => "none",
        }
    }

    /// `advocacy`, `neutral` or `none`.
    pub fn parse(s: &str) -> Option<Side> {
        match s {
            "advocacy" => Some(Side::Advocacy),
            "neutral" => Some(Side::Neutral),
            "none" => Some(Side::None),
            _ => None,
        }
    }
}

/// What a category is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Its hits are counted and scored (the default).
    Score,
    /// Scored like `Score`, and also used as speech cues by attribution (side neutral = a
    /// neutral cue, side advocacy = a loaded cue).
    Cue,
    /// Not scored: its entries classify speakers (anonymous sources). Side must be `none`.
    Speaker,
    /// Descriptive issue frames: counted per article and outlet like any category, matched
    /// apart from the other families so they never take a hit from them. Side must be `none`.
    Frame,
    /// Not from a file: a category whose hits come from a detector in code (scare quotes).
    Detector,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Score => "score",
            Role::Cue => "cue",
            Role::Speaker => "speaker",
            Role::Frame => "frame",
            Role::Detector => "detector",
        }
    }

    /// Are this category's matches counted in the scores?
    pub fn is_scored(self) -> bool {
        !matches!(self, Role::Speaker)
    }

    /// Does the text matcher look for this category's entries?
    pub fn is_matched(self) -> bool {
        matches!(self, Role::Score | Role::Cue)
    }
}

/// One entry line of a lexicon.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The entry as written in the file (without `!` and trailing comment).
    pub written: String,
    /// What the matcher looks for: normalised, case-folded unless the file is case-sensitive,
    /// without the trailing `*`.
    pub pattern: String,
    /// The last word may continue with any word characters.
    pub wildcard: bool,
    /// 1-based line in the file.
    pub line: usize,
    /// The entry's own weight (`entry = 1.5`, or a weighted list's column), used in the
    /// weighted indices instead of the category's.
    pub weight: Option<f64>,
}

/// One category: a parsed lexicon file.
#[derive(Debug, Clone, PartialEq)]
pub struct Lexicon {
    /// `family.category`.
    pub id: String,
    pub side: Side,
    pub weight: f64,
    pub case_sensitive: bool,
    pub role: Role,
    pub description: String,
    pub entries: Vec<Entry>,
    pub exceptions: Vec<Entry>,
    /// A dictionary the category belongs to (`#! group:`): the categories of a group are
    /// matched apart from every other category, and a word listed in several of them counts
    /// in each (as LIWC-style dictionaries count it). `None` for the shipped lexicons.
    pub group: Option<String>,
    /// Where it came from: `builtin:family/file.txt` or a path.
    pub origin: String,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
}

impl Lexicon {
    pub fn family(&self) -> &str {
        self.id.split_once('.').map_or(self.id.as_str(), |(f, _)| f)
    }
    pub fn category(&self) -> &str {
        self.id.split_once('.').map_or("", |(_, c)| c)
    }
    /// Some entry has a weight of its own (a weighted dictionary).
    pub fn has_entry_weights(&self) -> bool {
        self.entries.iter().any(|e| e.weight.is_some())
    }
}

/// How serious a problem is: errors stop the run, warnings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A problem found in a lexicon file, with the line and the text it was found in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub origin: String,
    /// 1-based; 0 when the problem is about the whole file.
    pub line: usize,
    pub severity: Severity,
    pub message: String,
    /// The offending line as written ("" for whole-file problems).
    pub text: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if self.line > 0 {
            write!(
                f,
                "{}:{}: {}: {}",
                self.origin, self.line, sev, self.message
            )?;
        } else {
            write!(f, "{}: {}: {}", self.origin, sev, self.message)?;
        }
        if !self.text.is_empty() {
            write!(f, "\n    {}", self.text)?;
        }
        Ok(())
    }
}

const KNOWN_KEYS: &str = "id, side, weight, case, role, description, source, group";

/// True for characters that continue a word for matching purposes.
pub fn is_word_char(c: char) -> bool {
    crate::text::is_alphanumeric(c)
}

/// Is `id` of the form `family.category` with lowercase ASCII letters, digits and `_`?
pub fn valid_id(id: &str) -> bool {
    let part = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
    };
    matches!(id.split_once('.'), Some((f, c)) if part(f) && part(c))
}

/// Parse one lexicon file. `origin` names it in messages; `default_id` is the id its path
/// gives (`family.stem`), used when the file has no `#! id:` header. Returns the lexicon when
/// it has no errors, and every problem found (errors and warnings), in line order.
pub fn parse(
    origin: &str,
    default_id: Option<&str>,
    text: &str,
) -> (Option<Lexicon>, Vec<Problem>) {
    let mut problems = Vec::new();
    let p = |problems: &mut Vec<Problem>,
             line: usize,
             severity: Severity,
             message: String,
             text: &str| {
        problems.push(Problem {
            origin: origin.to_string(),
            line,
            severity,
            message,
            text: text.to_string(),
        })
    };

    let mut id: Option<String> = None;
    let mut side: Option<Side> = None;
    let mut weight = 1.0;
    let mut case_sensitive = false;
    let mut role = Role::Score;
    let mut description: Option<String> = None;
    let mut group: Option<String> = None;
    // (written, line, exception, own weight)
    let mut raw_entries: Vec<(String, usize, bool, Option<f64>)> = Vec::new();
    let mut seen_entry = false;

    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(header) = line.strip_prefix("#!") {
            if seen_entry {
                p(
                    &mut problems,
                    line_no,
                    Severity::Error,
                    "header line after the first entry; move `#!` lines to the top of the file"
                        .into(),
                    raw,
                );
                continue;
            }
            let Some((key, value)) = header.split_once(':') else {
                p(
                    &mut problems,
                    line_no,
                    Severity::Error,
                    "header line without `:`; write `#! key: value`".into(),
                    raw,
                );
                continue;
            };
            let (key, value) = (key.trim(), value.trim());
            match key {
                "id" => {
                    if valid_id(value) {
                        id = Some(value.to_string());
                    } else {
                        p(
                            &mut problems,
                            line_no,
                            Severity::Error,
                            format!(
                                "id `{value}` is not of the form `family.category` (lowercase letters, digits, `_`, `-`)"
                            ),
                            raw,
                        );
                    }
                }
                "side" => match Side::parse(value) {
                    Some(s) => side = Some(s),
                    None => p(
                        &mut problems,
                        line_no,
                        Severity::Error,
                        format!("side `{value}` is not one of advocacy, neutral, none"),
                        raw,
                    ),
                },
                "weight" => match value.parse::<f64>() {
                    Ok(w) if w.is_finite() && w >= 0.0 => weight = w,
                    _ => p(
                        &mut problems,
                        line_no,
                        Severity::Error,
                        format!("weight `{value}` is not a finite number >= 0"),
                        raw,
                    ),
                },
                "case" => match value {
                    "insensitive" => case_sensitive = false,
                    "sensitive" => case_sensitive = true,
                    _ => p(
                        &mut problems,
                        line_no,
                        Severity::Error,
                        format!("case `{value}` is not one of insensitive, sensitive"),
                        raw,
                    ),
                },
                "role" => match value {
                    "score" => role = Role::Score,
                    "cue" => role = Role::Cue,
                    "speaker" => role = Role::Speaker,
                    "frame" => role = Role::Frame,
                    _ => p(
                        &mut problems,
                        line_no,
                        Severity::Error,
                        format!("role `{value}` is not one of score, cue, speaker, frame"),
                        raw,
                    ),
                },
                "description" => description = Some(value.to_string()),
                "group" if !value.is_empty() => group = Some(value.to_string()),
                "source" => {}
                _ => p(
                    &mut problems,
                    line_no,
                    Severity::Error,
                    format!("unknown header key `{key}` (known: {KNOWN_KEYS})"),
                    raw,
                ),
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        seen_entry = true;
        // A trailing comment starts at whitespace followed by `#`.
        let body = match line.find(" #").or_else(|| line.find("\t#")) {
            Some(at) => line[..at].trim_end(),
            None => line,
        };
        let (body, exception) = match body.strip_prefix('!') {
            Some(rest) => (rest.trim_start(), true),
            None => (body, false),
        };
        // An entry's own weight: `entry = 1.5` (a finite number; negative only on side none,
        // checked below once the side is known).
        let (body, own_weight) = match body.rsplit_once(" = ") {
            Some((term, w)) => match w.trim().parse::<f64>() {
                Ok(w) if w.is_finite() && !exception => (term.trim_end(), Some(w)),
                _ => {
                    p(
                        &mut problems,
                        line_no,
                        Severity::Error,
                        format!(
                            "`= {}` is not an entry weight (a finite number, not on an exception)",
                            w.trim()
                        ),
                        raw,
                    );
                    continue;
                }
            },
            None => (body, None),
        };
        raw_entries.push((body.to_string(), line_no, exception, own_weight));
    }

    let id = match (id, default_id) {
        (Some(id), _) => Some(id),
        (None, Some(d)) if valid_id(d) => Some(d.to_string()),
        (None, Some(d)) => {
            p(
                &mut problems,
                0,
                Severity::Error,
                format!(
                    "the file's path gives the id `{d}`, which is not of the form `family.category`; add `#! id: family.category`"
                ),
                "",
            );
            None
        }
        (None, None) => {
            p(
                &mut problems,
                0,
                Severity::Error,
                "no `#! id: family.category` header, and the path gives none".into(),
                "",
            );
            None
        }
    };
    if side.is_none() {
        p(
            &mut problems,
            0,
            Severity::Error,
            "no `#! side:` header; add `#! side: advocacy`, `neutral` or `none`".into(),
            "",
        );
    }
    if matches!(role, Role::Speaker | Role::Frame) && side.is_some_and(|s| s != Side::None) {
        p(
            &mut problems,
            0,
            Severity::Error,
            format!(
                "a `role: {}` list counts toward no side; write `#! side: none`",
                role.as_str()
            ),
            "",
        );
    }
    if role == Role::Cue && side == Some(Side::None) {
        p(
            &mut problems,
            0,
            Severity::Error,
            "a `role: cue` list needs `side: neutral` (neutral cues) or `side: advocacy` (loaded cues)"
                .into(),
            "",
        );
    }
    let description = description.unwrap_or_else(|| {
        p(
            &mut problems,
            0,
            Severity::Warning,
            "no `#! description:` header; say what the category measures".into(),
            "",
        );
        String::new()
    });

    if side.is_some_and(|s| s != Side::None) {
        for (written, line_no, _, w) in &raw_entries {
            if let Some(w) = w.filter(|w| *w < 0.0) {
                p(
                    &mut problems,
                    *line_no,
                    Severity::Error,
                    format!(
                        "negative entry weight {w}: an index cannot subtract hits; signed values belong on side none"
                    ),
                    written,
                );
            }
        }
    }
    let mut entries: Vec<Entry> = Vec::new();
    let mut exceptions: Vec<Entry> = Vec::new();
    let mut first_line: std::collections::HashMap<(String, bool, bool), usize> =
        std::collections::HashMap::new();
    for (written, line_no, exception, own_weight) in raw_entries {
        match compile_entry(&written, case_sensitive) {
            Err(message) => p(&mut problems, line_no, Severity::Error, message, &written),
            Ok((pattern, wildcard)) => {
                let key = (pattern.clone(), wildcard, exception);
                if let Some(first) = first_line.get(&key) {
                    p(
                        &mut problems,
                        line_no,
                        Severity::Warning,
                        format!("duplicate entry (first at line {first}); this line is ignored"),
                        &written,
                    );
                    continue;
                }
                first_line.insert(key, line_no);
                let entry = Entry {
                    written,
                    pattern,
                    wildcard,
                    line: line_no,
                    weight: own_weight,
                };
                if exception {
                    exceptions.push(entry);
                } else {
                    entries.push(entry);
                }
            }
        }
    }
    for ex in &exceptions {
        if !entries.iter().any(|e| entry_occurs_in(e, &ex.pattern)) {
            p(
                &mut problems,
                ex.line,
                Severity::Warning,
                "exception contains no entry of this file, so it excludes nothing".into(),
                &ex.written,
            );
        }
    }
    if entries.is_empty() && !problems.iter().any(|q| q.severity == Severity::Error) {
        p(
            &mut problems,
            0,
            Severity::Warning,
            "the file has no entries".into(),
            "",
        );
    }

    problems.sort_by_key(|p| p.line);
    let failed = problems.iter().any(|p| p.severity == Severity::Error);
    let lexicon = match (failed, id, side) {
        (false, Some(id), Some(side)) => Some(Lexicon {
            id,
            side,
            weight,
            case_sensitive,
            role,
            description,
            entries,
            exceptions,
            group,
            origin: origin.to_string(),
            sha256: sha256_hex(text.as_bytes()),
        }),
        _ => None,
    };
    (lexicon, problems)
}

/// Turn an entry as written into its match pattern, or say why it can never match.
pub(crate) fn compile_entry(written: &str, case_sensitive: bool) -> Result<(String, bool), String> {
    let normalized = normalize_fragment(written);
    let (stem, wildcard) = match normalized.strip_suffix('*') {
        Some(stem) => (stem.trim_end().to_string(), true),
        None => (normalized, false),
    };
    if stem.contains('*') {
        return Err(
            "`*` is allowed only at the end of an entry (the last word with any ending)".into(),
        );
    }
    if stem.is_empty() {
        return Err(if wildcard {
            "a lone `*` would match every word; write a word before it".into()
        } else {
            "empty entry".into()
        });
    }
    if wildcard && !stem.chars().next_back().is_some_and(is_word_char) {
        return Err("`*` must follow a letter or digit (it extends the last word)".into());
    }
    if !stem.chars().any(is_word_char) {
        return Err("entry has no letter or digit, so it can never match a word".into());
    }
    if stem.contains('\n') {
        return Err("entry spans lines".into());
    }
    let pattern = if case_sensitive {
        stem
    } else {
        fold_case(&stem)
    };
    Ok((pattern, wildcard))
}

/// Does entry `e` match somewhere inside `text` at word boundaries?
fn entry_occurs_in(e: &Entry, text: &str) -> bool {
    let mut from = 0;
    while let Some(at) = text[from..].find(&e.pattern) {
        let start = from + at;
        let end = start + e.pattern.len();
        let before_ok = !text[..start].chars().next_back().is_some_and(is_word_char)
            || !e.pattern.chars().next().is_some_and(is_word_char);
        let after_ok = e.wildcard
            || !text[end..].chars().next().is_some_and(is_word_char)
            || !e.pattern.chars().next_back().is_some_and(is_word_char);
        if before_ok && after_ok {
            return true;
        }
        from = start + text[start..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// Lowercase hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest.iter() {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Lexicon {
        let (lex, problems) = parse("t.txt", Some("fam.cat"), text);
        assert!(
            problems.iter().all(|p| p.severity == Severity::Warning),
            "{problems:?}"
        );
        lex.expect("parses")
    }

    #[test]
    fn parses_headers_entries_wildcards_and_exceptions() {
        let lex = ok(
            "#! side: advocacy\n#! weight: 0.5\n#! description: d\n# c\nRegime\nso‑called  # comment\npropagand*\n!regime change\n",
        );
        assert_eq!(lex.id, "fam.cat");
        assert_eq!(lex.side, Side::Advocacy);
        assert_eq!(lex.weight, 0.5);
        let pats: Vec<_> = lex
            .entries
            .iter()
            .map(|e| (e.pattern.as_str(), e.wildcard))
            .collect();
        assert_eq!(
            pats,
            [("regime", false), ("so-called", false), ("propagand", true)]
        );
        assert_eq!(lex.exceptions[0].pattern, "regime change");
        assert_eq!(lex.entries[1].line, 6);
        assert_eq!(lex.entries[1].written, "so‑called");
    }

    #[test]
    fn roles_parse_and_are_checked_against_side() {
        let lex = ok("#! side: neutral\n#! role: cue\n#! description: d\nsaid\n");
        assert_eq!(lex.role, Role::Cue);
        let lex = ok("#! side: none\n#! role: speaker\n#! description: d\nofficials\n");
        assert_eq!(lex.role, Role::Speaker);
        for bad in [
            "#! side: advocacy\n#! role: speaker\n#! description: d\nx\n",
            "#! side: none\n#! role: cue\n#! description: d\nx\n",
            "#! side: none\n#! role: detector\n#! description: d\nx\n",
        ] {
            let (lex, problems) = parse("r.txt", Some("f.c"), bad);
            assert!(lex.is_none(), "{bad}");
            assert!(problems.iter().any(|p| p.severity == Severity::Error));
        }
    }

    #[test]
    fn header_id_overrides_path() {
        let lex = ok("#! id: a.b\n#! side: none\n#! description: d\nx\n");
        assert_eq!(lex.id, "a.b");
        assert_eq!(lex.family(), "a");
        assert_eq!(lex.category(), "b");
    }

    #[test]
    fn case_sensitive_keeps_case() {
        let lex = ok("#! side: advocacy\n#! case: sensitive\n#! description: d\nWe\nour\n");
        assert_eq!(lex.entries[0].pattern, "We");
        assert!(lex.case_sensitive);
    }

    #[test]
    fn every_bad_line_is_reported_with_its_line() {
        let text = "#! side: sideways\n#! weight: -1\n#! colour: red\n#! nocolon\nok\nfo*o\n*\n!!!\n#! side: neutral\n";
        let (lex, problems) = parse("bad.txt", Some("fam.cat"), text);
        assert!(lex.is_none());
        let lines: Vec<usize> = problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .map(|p| p.line)
            .collect();
        // 0 = whole-file problem (no valid side), listed first
        assert_eq!(lines, [0, 1, 2, 3, 4, 6, 7, 8, 9]);
        let shown = problems.iter().find(|p| p.line == 1).unwrap().to_string();
        assert!(
            shown.starts_with("bad.txt:1: error: side `sideways`"),
            "{shown}"
        );
        assert!(shown.contains("#! side: sideways"), "{shown}");
    }

    #[test]
    fn missing_side_and_id_are_errors() {
        let (lex, problems) = parse("x.txt", None, "word\n");
        assert!(lex.is_none());
        assert!(problems.iter().any(|p| p.message.contains("#! id:")));
        assert!(problems.iter().any(|p| p.message.contains("#! side:")));
    }

    #[test]
    fn duplicates_and_useless_exceptions_warn() {
        let (lex, problems) = parse(
            "d.txt",
            Some("f.c"),
            "#! side: none\n#! description: d\nword\nWord\n!something else\n",
        );
        assert!(lex.is_some());
        assert_eq!(lex.unwrap().entries.len(), 1);
        assert_eq!(problems.len(), 2);
        assert!(
            problems[0]
                .message
                .contains("duplicate entry (first at line 3)")
        );
        assert_eq!(problems[1].line, 5);
        assert!(problems[1].message.contains("excludes nothing"));
    }

    #[test]
    fn never_panics_on_junk() {
        for text in [
            "",
            "\0\0",
            "#!",
            "#!:",
            "!",
            "! *",
            "\u{feff}#! side: none\n",
            "a\r\nb\r\n",
        ] {
            let _ = parse("j.txt", Some("f.c"), text);
        }
    }
}
