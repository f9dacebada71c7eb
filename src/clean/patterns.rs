//! The `boilerplate` lexicon family: line patterns for page chrome (share prompts, comment
//! forms, newsletter pitches, copyright notices, teasers, widgets). One category per file,
//! `lexicons/boilerplate/<category>.txt`:
//!
//! ```text
//! #! id: boilerplate.share_prompts        (optional; default `boilerplate.<file stem>`)
//! #! description: share and follow prompts addressed to the reader
//! #! scope: line                          (`line`, the default, or `end`)
//! #! max_words: 80                        (optional; the longest line it may remove)
//! # a comment
//! ^share (this )?(post|article|story)\b
//! ```
//!
//! Every other non-blank line is a regular expression (Rust `regex` syntax), matched without
//! regard to case against each line of an article after markup is taken out, quotes are
//! straightened and spacing collapsed. A line matches a `line` category only when it has at
//! most `max_words` words (default [`MAX_LINE_WORDS`]: a paragraph of reporting that happens
//! to contain a pattern is not removed); an `end` category marks the end of the article body
//! (`Related articles`, `Leave a Reply`): the line, when it has at most `max_words` words
//! (default [`MAX_END_WORDS`]) and lies in the second half of the text, is removed with every
//! line after it.

use regex::{RegexBuilder, RegexSet, RegexSetBuilder};

use std::path::{Path, PathBuf};

use crate::lexicon::{LoadError, Problem, Severity};

/// Longest line (in words) a `line` pattern may remove.
pub const MAX_LINE_WORDS: usize = 80;
/// Longest line (in words) an `end` pattern may treat as the end of the body.
pub const MAX_END_WORDS: usize = 8;

/// What a category's match removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The line.
    Line,
    /// The line and everything after it (a heading that ends the body).
    End,
}

/// One pattern as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// Index into [`Boilerplate::categories`].
    pub category: usize,
    /// The pattern as written in the file.
    pub written: String,
    /// 1-based line in the file.
    pub line: usize,
}

/// One category (file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub id: String,
    pub description: String,
    pub scope: Scope,
    /// Longest line (in words) the category may remove.
    pub max_words: usize,
    pub origin: String,
}

/// Every boilerplate pattern, compiled into one set.
#[derive(Debug, Clone)]
pub struct Boilerplate {
    pub categories: Vec<Category>,
    pub patterns: Vec<Pattern>,
    set: RegexSet,
}

impl Default for Boilerplate {
    fn default() -> Self {
        Boilerplate {
            categories: Vec::new(),
            patterns: Vec::new(),
            set: RegexSet::empty(),
        }
    }
}

/// A boilerplate file: where it came from and its text.
#[derive(Debug, Clone)]
pub struct PatternFile {
    pub origin: String,
    /// `boilerplate.<file stem>`, used when the file has no `#! id:`.
    pub default_id: String,
    pub text: String,
}

fn problem(origin: &str, line: usize, message: String, text: &str) -> Problem {
    Problem {
        origin: origin.to_string(),
        line,
        severity: Severity::Error,
        message,
        text: text.to_string(),
    }
}

impl Boilerplate {
    /// Parse and compile these files; a later file with the same id replaces an earlier one.
    /// Every error (an unknown header, a bad scope, a pattern that does not compile) is
    /// returned with its file and line.
    pub fn from_files(files: &[PatternFile]) -> Result<Boilerplate, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut parsed: Vec<(Category, Vec<(String, usize)>)> = Vec::new();
        for f in files {
            if let Some(c) = parse(f, &mut problems) {
                parsed.retain(|(old, _)| old.id != c.0.id);
                parsed.push(c);
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        parsed.sort_by(|a, b| a.0.id.cmp(&b.0.id));
        let mut categories = Vec::new();
        let mut patterns = Vec::new();
        for (cat, entries) in parsed {
            let index = categories.len();
            categories.push(cat);
            for (written, line) in entries {
                patterns.push(Pattern {
                    category: index,
                    written,
                    line,
                });
            }
        }
        let set = RegexSetBuilder::new(patterns.iter().map(|p| p.written.as_str()))
            .case_insensitive(true)
            .size_limit(64 << 20)
            .build()
            .map_err(|e| {
                vec![problem(
                    "boilerplate",
                    0,
                    format!("the patterns together are too large to compile: {e}"),
                    "",
                )]
            })?;
        Ok(Boilerplate {
            categories,
            patterns,
            set,
        })
    }

    /// The first pattern (in category id, then file order) that matches `line`.
    pub fn first_match(&self, line: &str) -> Option<&Pattern> {
        // Nearly every line matches nothing: `is_match` answers that with the faster
        // non-overlapping search (it stops at the first match, and `matches` finds none
        // exactly when it is false); only a line that matches is searched for every pattern.
        if self.patterns.is_empty() || !self.set.is_match(line) {
            return None;
        }
        let first = self.set.matches(line).into_iter().next()?;
        self.patterns.get(first)
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }
}

/// The shipped patterns (unless `builtin` is false), then every file in `paths` (a `.txt`
/// file, or a folder of them), later ids replacing earlier ones.
pub fn load(builtin: bool, paths: &[PathBuf]) -> Result<Boilerplate, LoadError> {
    let mut files = Vec::new();
    if builtin {
        for (rel, text) in crate::lexicon::builtin_boilerplate_files() {
            files.push(PatternFile {
                origin: format!("builtin:lexicons/{rel}"),
                default_id: default_id(Path::new(rel)),
                text: (*text).to_string(),
            });
        }
    }
    let mut problems = Vec::new();
    for path in paths {
        let mut found = Vec::new();
        if path.is_dir() {
            match std::fs::read_dir(path) {
                Ok(entries) => found.extend(
                    entries
                        .flatten()
                        .map(|e| e.path())
                        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "txt")),
                ),
                Err(e) => problems.push(problem(
                    &path.display().to_string(),
                    0,
                    format!("cannot list the boilerplate folder: {e}"),
                    "",
                )),
            }
            if found.is_empty() && problems.is_empty() {
                problems.push(problem(
                    &path.display().to_string(),
                    0,
                    "no boilerplate pattern files (*.txt) in this folder".into(),
                    "",
                ));
            }
            found.sort();
        } else {
            found.push(path.clone());
        }
        for f in found {
            let origin = f.display().to_string();
            match std::fs::read(&f).map(String::from_utf8) {
                Ok(Ok(text)) => files.push(PatternFile {
                    origin,
                    default_id: default_id(&f),
                    text,
                }),
                Ok(Err(e)) => {
                    let at = e.utf8_error().valid_up_to();
                    let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
                    problems.push(problem(
                        &origin,
                        line,
                        format!("not valid UTF-8 (byte {at}); save the file as UTF-8"),
                        "",
                    ));
                }
                Err(e) => problems.push(problem(
                    &origin,
                    0,
                    format!("cannot read boilerplate patterns: {e}"),
                    "",
                )),
            }
        }
    }
    if !problems.is_empty() {
        return Err(LoadError(problems));
    }
    Boilerplate::from_files(&files).map_err(LoadError)
}

/// `boilerplate.<file stem>`.
fn default_id(path: &Path) -> String {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("patterns");
    format!("boilerplate.{stem}")
}

fn parse(f: &PatternFile, problems: &mut Vec<Problem>) -> Option<(Category, Vec<(String, usize)>)> {
    let mut id = f.default_id.clone();
    let mut description = String::new();
    let mut scope = Scope::Line;
    let mut max_words = None;
    let mut entries = Vec::new();
    let before = problems.len();
    for (i, raw) in f.text.lines().enumerate() {
        let line = i + 1;
        let text = raw.trim();
        if let Some(header) = text.strip_prefix("#!") {
            let Some((key, value)) = header.split_once(':') else {
                problems.push(problem(
                    &f.origin,
                    line,
                    "a header needs a key and a value, as `#! scope: line`".into(),
                    raw,
                ));
                continue;
            };
            let value = value.trim();
            match key.trim() {
                "id" => id = value.to_string(),
                "description" => description = value.to_string(),
                "scope" => match value {
                    "line" => scope = Scope::Line,
                    "end" => scope = Scope::End,
                    other => problems.push(problem(
                        &f.origin,
                        line,
                        format!("unknown scope `{other}`: use `line` or `end`"),
                        raw,
                    )),
                },
                "max_words" => match value.parse::<usize>() {
                    Ok(n) if n > 0 => max_words = Some(n),
                    _ => problems.push(problem(
                        &f.origin,
                        line,
                        format!("max_words `{value}` is not a positive whole number"),
                        raw,
                    )),
                },
                other => problems.push(problem(
                    &f.origin,
                    line,
                    format!(
                        "unknown header `{other}`: boilerplate files take id, description, scope and max_words"
                    ),
                    raw,
                )),
            }
            continue;
        }
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        // Parsing checks the syntax; only a pattern that can match nothing is compiled, to
        // see whether it matches an empty line (compiling each pattern was a fifth of the
        // start-up; the set compiles them all once).
        let parsed = regex_syntax::ParserBuilder::new()
            .case_insensitive(true)
            .build()
            .parse(text)
            .map_err(|e| e.to_string())
            .and_then(|hir| {
                if hir.properties().minimum_len() == Some(0) {
                    RegexBuilder::new(text)
                        .case_insensitive(true)
                        .build()
                        .map(|re| re.is_match(""))
                        .map_err(|e| e.to_string())
                } else {
                    Ok(false)
                }
            });
        match parsed {
            Ok(true) => problems.push(problem(
                &f.origin,
                line,
                "the pattern matches an empty line, so it would match every line".into(),
                raw,
            )),
            Ok(false) => entries.push((text.to_string(), line)),
            Err(e) => problems.push(problem(
                &f.origin,
                line,
                format!("not a valid regular expression: {}", first_line(&e)),
                raw,
            )),
        }
    }
    if !id.starts_with("boilerplate.") || id.len() <= "boilerplate.".len() {
        problems.push(problem(
            &f.origin,
            0,
            format!("the id `{id}` must start with `boilerplate.`"),
            "",
        ));
    }
    if problems.len() > before {
        return None;
    }
    Some((
        Category {
            id,
            description,
            max_words: max_words.unwrap_or(match scope {
                Scope::Line => MAX_LINE_WORDS,
                Scope::End => MAX_END_WORDS,
            }),
            scope,
            origin: f.origin.clone(),
        },
        entries,
    ))
}

/// The regex crate's errors span several lines (the pattern, a caret, the message); keep the
/// message.
fn first_line(e: &str) -> String {
    e.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(e)
        .trim()
        .trim_start_matches("error: ")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> PatternFile {
        PatternFile {
            origin: format!("{name}.txt"),
            default_id: format!("boilerplate.{name}"),
            text: text.into(),
        }
    }

    #[test]
    fn parses_and_matches() {
        let b = Boilerplate::from_files(&[
            file(
                "share",
                "#! description: d\n# c\n^share post:?$\n\n\\bfollow us on\\b\n",
            ),
            file("related", "#! scope: end\n^related articles$\n"),
        ])
        .expect("valid");
        assert_eq!(b.categories.len(), 2);
        let p = b.first_match("Share post:").expect("matches");
        assert_eq!(
            (b.categories[p.category].id.as_str(), p.line),
            ("boilerplate.share", 3)
        );
        assert_eq!(b.first_match("Follow us on X").map(|p| p.line), Some(5));
        let end = b.first_match("RELATED ARTICLES").expect("matches");
        assert_eq!(b.categories[end.category].scope, Scope::End);
        assert!(b.first_match("They share post-war borders.").is_none());
    }

    #[test]
    fn errors_name_file_line_and_text() {
        let err = Boilerplate::from_files(&[file(
            "bad",
            "#! scope: middle\n^(unclosed\n.*\n#! colour: red\n#! nokey\n#! max_words: 0\n",
        )])
        .expect_err("invalid");
        let shown: Vec<String> = err.iter().map(|p| p.to_string()).collect();
        assert_eq!(err.len(), 6, "{shown:#?}");
        assert!(shown[5].contains("max_words `0`"));
        assert!(
            shown[0].starts_with("bad.txt:1: error: unknown scope `middle`"),
            "{shown:#?}"
        );
        assert!(shown[1].starts_with("bad.txt:2: error: not a valid regular expression"));
        assert!(
            shown[1].contains("^(unclosed"),
            "repeats the line: {}",
            shown[1]
        );
        assert!(shown[2].contains("matches an empty line"));
        assert!(shown[3].contains("unknown header `colour`"));
        assert!(shown[4].contains("needs a key and a value"));
        let err = Boilerplate::from_files(&[PatternFile {
            origin: "x.txt".into(),
            default_id: "boilerplate.x".into(),
            text: "#! id: advocacy.x\nfoo\n".into(),
        }])
        .expect_err("bad id");
        assert!(
            err[0]
                .to_string()
                .contains("must start with `boilerplate.`")
        );
    }

    #[test]
    fn shipped_patterns_compile() {
        let b = load(true, &[]).expect("the shipped patterns compile");
        assert!(b.categories.len() >= 6, "{:?}", b.categories);
        assert!(b.patterns.len() >= 40);
        for c in &b.categories {
            assert!(!c.description.is_empty(), "{} has a description", c.id);
        }
    }

    #[test]
    fn later_file_replaces_earlier() {
        let b =
            Boilerplate::from_files(&[file("a", "^one$\n"), file("a", "^two$\n")]).expect("valid");
        assert!(b.first_match("one").is_none());
        assert!(b.first_match("two").is_some());
    }
}
