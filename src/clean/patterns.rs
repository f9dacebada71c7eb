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

use aho_corasick::packed;
use regex::{RegexBuilder, RegexSet, RegexSetBuilder};
use regex_automata::meta;
use regex_automata::{Input, MatchKind, PatternSet};
use regex_syntax::hir::literal::{self, ExtractKind, Extractor, Seq};
use regex_syntax::hir::{Hir, Look};

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

/// Every boilerplate pattern, compiled into two sets: those anchored at the start of the line
/// (`^Read more`, most of them) and the rest (`\ball rights reserved\b`).
///
/// One set of all the patterns was a fast automaton, but it read every line to its end, a
/// byte at a time: 7 % of an analysis. The anchored set gives up a few bytes into nearly
/// every line. The floating set is first prefiltered: a vector search for rare pieces of
/// its literals (`prefilter_words`) in the line, lowercased, leaves most ASCII lines out
/// (2 % of an analysis for both sets). The regex crate's own prefilter looks for the first
/// words of the patterns (`he`, `they`, `sign`): it stops on most lines and cost six times
/// what it saved, so it is off. The plain paths keep the one set; a property test compares
/// the two on random lines made of pieces of the patterns.
#[derive(Debug, Clone, Default)]
pub struct Boilerplate {
    pub categories: Vec<Category>,
    pub patterns: Vec<Pattern>,
    anchored: Option<Subset>,
    floating: Option<Subset>,
    /// On the plain paths ([`crate::plain`]): one set of every pattern, as first written.
    plain_set: Option<RegexSet>,
}

/// Some of the patterns, compiled together.
#[derive(Debug, Clone)]
struct Subset {
    regex: meta::Regex,
    /// Index in [`Boilerplate::patterns`] of each of the subset's patterns, in order.
    global: Vec<usize>,
    /// Lowercase words one of which is in every ASCII line that one of the patterns matches,
    /// once the line is lowercased ([`prefilter_words`]).
    prefilter: Option<packed::Searcher>,
}

impl Subset {
    /// `hirs` are the patterns parsed without regard to case, `written` as written (for the
    /// prefilter); `with_prefilter` for the floating patterns.
    fn build(
        hirs: &[Hir],
        written: &[&str],
        global: Vec<usize>,
        with_prefilter: bool,
    ) -> Result<Option<Subset>, String> {
        if hirs.is_empty() {
            return Ok(None);
        }
        let prefilter = if with_prefilter {
            prefilter_words(written).and_then(packed::Searcher::new)
        } else {
            None
        };
        let regex = meta::Builder::new()
            .configure(
                meta::Config::new()
                    .match_kind(MatchKind::All)
                    .auto_prefilter(false)
                    .utf8_empty(true)
                    .nfa_size_limit(Some(PATTERN_SIZE_LIMIT)),
            )
            .build_many_from_hir(hirs)
            .map_err(|e| e.to_string())?;
        Ok(Some(Subset {
            regex,
            global,
            prefilter,
        }))
    }

    /// The lowest global index of the subset's patterns that match `line` (as
    /// [`first_in_set`] does).
    fn first(&self, line: &str) -> Option<usize> {
        if let Some(words) = &self.prefilter
            && line.is_ascii()
            && !has_word(words, line.as_bytes())
        {
            return None;
        }
        let input = Input::new(line);
        if !self.regex.is_match(input.clone()) {
            return None;
        }
        let mut which = PatternSet::new(self.regex.pattern_len());
        self.regex.which_overlapping_matches(&input, &mut which);
        which.iter().next().map(|p| self.global[p.as_usize()])
    }
}

/// Does `line` (ASCII), lowercased, hold one of the prefilter's `words` (at most
/// [`PIECE_BYTES`] long)? The line is lowercased into a buffer of the thread's, a window of
/// [`WINDOW_BYTES`] at a time: a very long line does not leave a buffer as long behind. The
/// windows overlap by `PIECE_BYTES - 1`, so a word that does not fit in one window lies
/// whole in the next.
fn has_word(words: &packed::Searcher, line: &[u8]) -> bool {
    thread_local! {
        static LOWER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    LOWER.with_borrow_mut(|lower| {
        let mut start = 0;
        loop {
            let end = line.len().min(start + WINDOW_BYTES);
            lower.clear();
            lower.extend(line[start..end].iter().map(u8::to_ascii_lowercase));
            if words.find(lower.as_slice()).is_some() {
                return true;
            }
            if end == line.len() {
                return false;
            }
            start = end - (PIECE_BYTES - 1);
        }
    })
}

/// The longest prefilter word ([`rare_piece`]).
const PIECE_BYTES: usize = 16;
/// The most of a line lowercased at once for the prefilter.
const WINDOW_BYTES: usize = 64 << 10;

/// The index of the first pattern of `set` that matches `line`.
fn first_in_set(set: &RegexSet, line: &str) -> Option<usize> {
    // Nearly every line matches nothing: `is_match` answers that with the faster
    // non-overlapping search (it stops at the first match, and `matches` finds none exactly
    // when it is false); only a line that matches is searched for every pattern.
    if !set.is_match(line) {
        return None;
    }
    set.matches(line).into_iter().next()
}

/// The most memory the patterns' automata may take (each set's).
const PATTERN_SIZE_LIMIT: usize = 64 << 20;

/// Lowercase ASCII byte strings one of which is in every ASCII line that one of the
/// `patterns` (written; matched without regard to case) matches, once the line is
/// lowercased; `None` when some pattern has no such strings.
///
/// Each pattern's literals are its literal prefixes or its literal suffixes, whichever are
/// longer ([`Extractor`]: every match starts, or ends, with one of them; a finite set).
/// They are taken from the pattern parsed *with* regard to case: a case-insensitive match of
/// a pattern equals, character by character up to case, a string that the pattern matches as
/// written, so in an ASCII line an ASCII literal is there up to ASCII case. A literal with a
/// non-ASCII letter is never in an ASCII line (`café`), and is left out, unless the letter
/// is one of the two that match ASCII letters without regard to case (the Kelvin sign `K`
/// matches `k`): then there is no prefilter. Non-ASCII lines are not prefiltered.
///
/// Of each literal only a piece is kept, from its rarest three bytes on (by the
/// `regex-syntax` table of byte frequencies; 8 to 16 bytes): any piece of a literal is in
/// every line the literal is in, and the search engine looks for the first bytes of its
/// words, so `he is a regular contributor to` is searched as `gular contributo`, not as the
/// `he ` of every `the`. (When the vector search cannot take the words, more than 64 or short
/// ones among many, there is no prefilter.)
fn prefilter_words(patterns: &[&str]) -> Option<Vec<Vec<u8>>> {
    let mut words = Vec::new();
    for written in patterns {
        let hir = regex_syntax::Parser::new().parse(written).ok()?;
        let [prefixes, suffixes] = [ExtractKind::Prefix, ExtractKind::Suffix]
            .map(|kind| Extractor::new().kind(kind).extract(&hir));
        let shortest = |seq: &Seq| seq.min_literal_len().filter(|_| seq.is_finite());
        let best = match (shortest(&prefixes), shortest(&suffixes)) {
            (Some(p), Some(s)) if s > p => suffixes,
            (Some(_), _) => prefixes,
            (None, Some(_)) => suffixes,
            (None, None) => return None,
        };
        for word in best.literals()? {
            let bytes = word.as_bytes();
            if bytes.is_empty() {
                return None;
            }
            if !bytes.is_ascii() {
                // Only the Kelvin sign and the long s stand for ASCII letters without regard
                // to case (a test checks this): a literal with a byte of either could be an
                // ASCII word; one with other non-ASCII bytes never is in an ASCII line.
                if bytes.iter().any(|b| FOLDS_TO_ASCII_BYTES.contains(b)) {
                    return None;
                }
                continue;
            }
            words.push(rare_piece(&bytes.to_ascii_lowercase()).to_vec());
        }
    }
    words.sort();
    words.dedup();
    Some(words)
}

/// The bytes of the UTF-8 forms of the Kelvin sign (U+212A: E2 84 AA) and the long s (U+017F:
/// C5 BF), the only non-ASCII letters that match ASCII letters without regard to case.
const FOLDS_TO_ASCII_BYTES: [u8; 5] = [0xE2, 0x84, 0xAA, 0xC5, 0xBF];

/// The piece of `word` that starts at its rarest three bytes, 8 to [`PIECE_BYTES`] bytes long
/// (or the whole word, when shorter).
fn rare_piece(word: &[u8]) -> &[u8] {
    let score = |w: &[u8]| w.iter().map(|&b| u32::from(literal::rank(b))).sum::<u32>();
    let start = (0..=word.len().saturating_sub(8))
        .min_by_key(|&i| score(&word[i..(i + 3).min(word.len())]))
        .unwrap_or(0);
    &word[start..word.len().min(start + PIECE_BYTES)]
}

/// Every match of the pattern starts at the start of the line (`^share`, `^(a|b)`; not
/// `^a|b`, and not `(?m)^`, which could match after a line break).
fn anchored_at_start(hir: &Hir) -> bool {
    hir.properties().look_set_prefix().contains(Look::Start)
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
        Boilerplate::from_files_with(files, crate::plain::plain())
    }

    /// [`Boilerplate::from_files`], with the one set of the plain paths when `plain_set`.
    fn from_files_with(
        files: &[PatternFile],
        plain_set: bool,
    ) -> Result<Boilerplate, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut parsed: Vec<(Category, Vec<Entry>)> = Vec::new();
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
        let mut anchored = (Vec::new(), Vec::new());
        let mut floating = (Vec::new(), Vec::new());
        for (cat, entries) in parsed {
            let index = categories.len();
            categories.push(cat);
            for Entry { written, line, hir } in entries {
                let subset = if anchored_at_start(&hir) {
                    &mut anchored
                } else {
                    &mut floating
                };
                subset.0.push(hir);
                subset.1.push(patterns.len());
                patterns.push(Pattern {
                    category: index,
                    written,
                    line,
                });
            }
        }
        let too_large = |e: String| {
            vec![problem(
                "boilerplate",
                0,
                format!("the patterns together are too large to compile: {e}"),
                "",
            )]
        };
        let plain_set = if plain_set && !patterns.is_empty() {
            let set = RegexSetBuilder::new(patterns.iter().map(|p| p.written.as_str()))
                .case_insensitive(true)
                .size_limit(PATTERN_SIZE_LIMIT)
                .build()
                .map_err(|e| too_large(e.to_string()))?;
            Some(set)
        } else {
            None
        };
        let subset = |(hirs, global): (Vec<Hir>, Vec<usize>), with_prefilter: bool| {
            let written: Vec<&str> = global
                .iter()
                .map(|&i: &usize| patterns[i].written.as_str())
                .collect();
            Subset::build(&hirs, &written, global, with_prefilter).map_err(too_large)
        };
        let anchored = subset(anchored, false)?;
        let floating = subset(floating, true)?;
        Ok(Boilerplate {
            categories,
            patterns,
            anchored,
            floating,
            plain_set,
        })
    }

    /// The first pattern (in category id, then file order) that matches `line`.
    pub fn first_match(&self, line: &str) -> Option<&Pattern> {
        let first = match &self.plain_set {
            Some(set) => first_in_set(set, line),
            None => self.first_fast(line),
        };
        first.and_then(|i| self.patterns.get(i))
    }

    /// The index of the first pattern that matches `line`, from the two sets.
    fn first_fast(&self, line: &str) -> Option<usize> {
        let first = |s: &Option<Subset>| s.as_ref().and_then(|s| s.first(line));
        match (first(&self.anchored), first(&self.floating)) {
            (Some(a), Some(f)) => Some(a.min(f)),
            (a, f) => a.or(f),
        }
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

/// A pattern as written, its line, and its syntax tree (case-insensitive).
struct Entry {
    written: String,
    line: usize,
    hir: Hir,
}

fn parse(f: &PatternFile, problems: &mut Vec<Problem>) -> Option<(Category, Vec<Entry>)> {
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
                        .map(|re| (hir, re.is_match("")))
                        .map_err(|e| e.to_string())
                } else {
                    Ok((hir, false))
                }
            });
        match parsed {
            Ok((_, true)) => problems.push(problem(
                &f.origin,
                line,
                "the pattern matches an empty line, so it would match every line".into(),
                raw,
            )),
            Ok((hir, false)) => entries.push(Entry {
                written: text.to_string(),
                line,
                hir,
            }),
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

/// The two prefiltered sets against the one set of the plain paths.
#[cfg(test)]
mod split_tests {
    use super::*;
    use proptest::prelude::*;

    fn shipped_with(extra: &str) -> Vec<PatternFile> {
        let mut files: Vec<PatternFile> = crate::lexicon::builtin_boilerplate_files()
            .iter()
            .map(|(rel, text)| PatternFile {
                origin: format!("builtin:lexicons/{rel}"),
                default_id: default_id(Path::new(rel)),
                text: (*text).to_string(),
            })
            .collect();
        files.push(PatternFile {
            origin: "user.txt".into(),
            default_id: "boilerplate.user".into(),
            text: extra.into(),
        });
        files
    }

    /// Patterns a user might write: anchored only in part, multi-line anchors, classes,
    /// repetitions, a case-sensitive group, non-ASCII words.
    const USER: &str = "^alpha|\\bbravo delta\\b\n(?m)^charlie echo\n\\b(fox|golf)trot [0-9]+ hotel\\b\n\
                        (?-i:India) juliet\n\\bcafé menu\n\\bwords? of the day\\b\n";
    /// The Kelvin sign matches an ASCII `k` without regard to case.
    const KELVIN: &str = "\\b\u{212A}ilo papa\\b\n";

    #[test]
    fn anchoring_is_read_from_the_syntax() {
        let parse = |p: &str| {
            regex_syntax::ParserBuilder::new()
                .case_insensitive(true)
                .build()
                .parse(p)
                .expect("valid")
        };
        for p in ["^share", "^(a|b)c", "^a|^b", "(?:^read more)"] {
            assert!(anchored_at_start(&parse(p)), "{p}");
        }
        for p in ["^a|b", "(?m)^share", "\\bshare", "a^", "x*^y"] {
            assert!(!anchored_at_start(&parse(p)), "{p}");
        }
    }

    #[test]
    fn prefilter_words_are_rare_pieces_of_every_pattern() {
        let words = prefilter_words(&[
            r"\b(he|she|they) (is|are) an? (regular|frequent) contributor to\b",
            r"\bALL rights reserved\b",
            r"\bfoo\w+",
        ])
        .expect("every pattern has literals");
        let words: Vec<&str> = words
            .iter()
            .map(|w| std::str::from_utf8(w).expect("ASCII"))
            .collect();
        assert!(words.contains(&"gular contributo"), "{words:?}");
        assert!(words.contains(&"ights reserved"), "{words:?}");
        assert!(words.contains(&"foo"), "{words:?}");
        assert!(!words.iter().any(|w| w.starts_with("he ")), "{words:?}");
        // A pattern without literals, an empty one, or a non-ASCII one: no prefilter.
        assert!(prefilter_words(&[r"\bshare\b", r"[a-z]+\w*"]).is_none());
        assert!(prefilter_words(&[r"(a|)"]).is_none());
        assert!(prefilter_words(&[KELVIN.trim()]).is_none());
        assert!(prefilter_words(&["\\bkilo pa\u{017F}"]).is_none());
        // A word with another non-ASCII letter is never in an ASCII line.
        assert_eq!(
            prefilter_words(&[r"\btous droits réservés", r"\bshare"]),
            Some(vec![b"share".to_vec()])
        );
    }

    #[test]
    fn only_two_non_ascii_letters_match_ascii_ones_without_regard_to_case() {
        let hir = regex_syntax::ParserBuilder::new()
            .case_insensitive(true)
            .build()
            .parse("[\\x00-\\x7F]")
            .expect("valid");
        let regex_syntax::hir::HirKind::Class(regex_syntax::hir::Class::Unicode(class)) =
            hir.kind()
        else {
            panic!("a Unicode class: {hir:?}");
        };
        let non_ascii: Vec<char> = class
            .ranges()
            .iter()
            .flat_map(|r| r.start()..=r.end())
            .filter(|c| !c.is_ascii())
            .collect();
        assert_eq!(non_ascii, ['\u{017F}', '\u{212A}']);
        let mut bytes = Vec::new();
        for c in non_ascii {
            bytes.extend_from_slice(c.to_string().as_bytes());
        }
        bytes.sort();
        let mut expected = FOLDS_TO_ASCII_BYTES.to_vec();
        expected.sort();
        assert_eq!(bytes, expected);
    }

    #[test]
    fn rare_pieces_keep_eight_bytes() {
        assert_eq!(rare_piece(b"abc"), b"abc");
        assert_eq!(rare_piece(b"please share this"), b"share this");
        for w in [
            &b"all rights reserved"[..],
            b"xyz",
            b"sign up for our newsletter today",
        ] {
            let piece = rare_piece(w);
            assert!(piece.len() >= w.len().min(8) && piece.len() <= 16);
            assert!(w.windows(piece.len()).any(|x| x == piece));
        }
    }

    /// A word is found wherever it lies against the windows' edges.
    #[test]
    fn words_across_window_edges_are_found() {
        let words = packed::Searcher::new([&b"ights reserved"[..], b"share this"]).expect("Teddy");
        for at in (WINDOW_BYTES - 20..WINDOW_BYTES + 5)
            .chain(2 * WINDOW_BYTES - (PIECE_BYTES - 1) - 20..2 * WINDOW_BYTES - 5)
        {
            let mut line = vec![b'x'; at];
            line.extend_from_slice(b"All Rights Reserved");
            line.extend(std::iter::repeat_n(b'y', 100));
            assert!(has_word(&words, &line), "at {at}");
        }
        let mut line = vec![b'x'; 3 * WINDOW_BYTES];
        assert!(!has_word(&words, &line));
        line.extend_from_slice(b"SHARE THIS");
        assert!(has_word(&words, &line));
    }

    #[test]
    fn the_floating_set_is_prefiltered() {
        let b = Boilerplate::from_files_with(&shipped_with(USER), false).expect("valid");
        assert!(b.floating.as_ref().is_some_and(|f| f.prefilter.is_some()));
        assert!(b.plain_set.is_none());
        assert!(
            BOTH[0]
                .floating
                .as_ref()
                .is_some_and(|f| f.prefilter.is_some())
        );
        let k = Boilerplate::from_files_with(&shipped_with(KELVIN), false).expect("valid");
        assert!(k.floating.as_ref().is_some_and(|f| f.prefilter.is_none()));
        // The Kelvin sign pattern still matches an ASCII line.
        assert_eq!(
            k.first_match("see the kilo PAPA here")
                .map(|p| p.written.as_str()),
            Some(KELVIN.trim())
        );
    }

    const PIECES: &[&str] = &[
        "all rights reserved",
        "ALL RIGHTS RESERVED.",
        "rights",
        "reserved",
        "Share this",
        "please share widely",
        "please  share",
        "he is a regular contributor to",
        "They are a frequent contributor to",
        "the",
        "he",
        "Click here to read",
        "click here",
        "to",
        "sign up for our",
        "Subscribe to our newsletter",
        "feel free to repost",
        "Read more:",
        "Related articles",
        "Leave a Reply",
        "translate website button",
        "articles can be read in 12 languages",
        "\u{0663}",
        "alpha",
        "bravo delta",
        "Charlie echo",
        "foxtrot 42 hotel",
        "golftrot 7 hotel",
        "India juliet",
        "india juliet",
        "café menu",
        "CAFÉ MENU",
        "word of the day",
        "\u{212A}ilo papa",
        "kilo papa",
        "ſhare this",
        "é",
        "minister",
        "said",
        "\u{2014}",
        "(",
        ")",
        ":",
        ".",
        "\"",
        "x_y",
    ];

    fn line() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            (
                proptest::sample::select(PIECES),
                any::<bool>(),
                proptest::sample::select(&[" ", "", ", ", " - "][..]),
            ),
            0..8,
        )
        .prop_map(|parts| {
            let mut line = String::new();
            for (piece, upper, sep) in parts {
                line.push_str(&if upper {
                    piece.to_uppercase()
                } else {
                    piece.to_string()
                });
                line.push_str(sep);
            }
            line
        })
    }

    static BOTH: std::sync::LazyLock<[Boilerplate; 2]> = std::sync::LazyLock::new(|| {
        [USER, KELVIN]
            .map(|extra| Boilerplate::from_files_with(&shipped_with(extra), true).expect("valid"))
    });

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn two_prefiltered_sets_find_what_one_set_finds(line in line()) {
            for b in BOTH.iter() {
                let set = b.plain_set.as_ref().expect("plain set");
                prop_assert_eq!(b.first_fast(&line), first_in_set(set, &line), "{:?}", line);
            }
        }
    }
}
