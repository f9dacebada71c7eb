//! Cleaning: what in an article's text is not the outlet's reporting, found before scoring and
//! left out of the [`Document`](crate::text::Document) as edits, so every offset still points
//! into the text as read and every removal is reported (`cleaning.csv`).
//!
//! Four signals, each named in the report:
//! - **markup**: Markdown remnants of scraping ([`markup`]), and a dateline run into the first
//!   word (`SputnikOn the first day`): the dateline is left out.
//! - **boilerplate**: lines matching the `boilerplate` lexicon family ([`patterns`]).
//! - **repetition**: lines in at least half (and at least 3) of the outlet's articles
//!   ([`repeat`]), unless every line of the article recurs (a duplicate article, not
//!   furniture).
//! - **structure**: short lines without sentence punctuation before the body starts or after it
//!   ends (widgets, datelines, taxonomy labels, separators), and every line after a heading
//!   that ends the body (`Related articles`, `Leave a Reply`), such as teaser lists.
//!
//! The headline (a line saying the same words as the title; without one, the first short line
//! of four words or more) is never removed. Lines that the
//! hard-wrap heuristic joins to their neighbour are part of a paragraph and never count as
//! short lines.

pub mod markup;
pub mod patterns;
pub mod repeat;

use crate::score::{has_title_key, title_key};
use crate::text::{
    Edit, EditKind, count_words, count_words_capped, normalize_fragment, normalize_fragment_cow,
};

pub use patterns::{Boilerplate, PatternFile, Scope};
pub use repeat::{LineCounter, Repeated, article_keys};

/// Short lines (in words) that the structure rules may remove.
pub const SHORT_LINE_WORDS: usize = 12;
/// Lines at the start of a text that may hold a dateline run into the first word.
const DATELINE_LINES: usize = 3;

/// Words that open a news sentence and show where a dateline glued to them ends.
const OPENERS: &[&str] = &[
    "A",
    "According",
    "After",
    "Amid",
    "An",
    "As",
    "At",
    "Before",
    "But",
    "Despite",
    "During",
    "Following",
    "For",
    "From",
    "He",
    "Her",
    "His",
    "In",
    "It",
    "Last",
    "New",
    "On",
    "One",
    "Over",
    "She",
    "Since",
    "The",
    "They",
    "This",
    "Today",
    "Two",
    "When",
    "While",
    "With",
    "Yesterday",
];

/// Which signal removed something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Signal {
    Markup,
    Boilerplate,
    Repetition,
    Structure,
    /// Left out by the HTML extractor (navigation, comments, forms...).
    Html,
}

impl Signal {
    pub fn as_str(self) -> &'static str {
        match self {
            Signal::Markup => "markup",
            Signal::Boilerplate => "boilerplate",
            Signal::Repetition => "repetition",
            Signal::Structure => "structure",
            Signal::Html => "html",
        }
    }
}

/// One thing left out of an article (a `cleaning.csv` row).
#[derive(Debug, Clone, PartialEq)]
pub struct Removal {
    /// 1-based line of the text; 0 for what the HTML extractor dropped (not in the text).
    pub line: usize,
    /// Input byte range (empty for HTML removals).
    pub start: usize,
    pub end: usize,
    pub signal: Signal,
    /// `boilerplate.<category>`, `repeated_line`, `leading_short_line`,
    /// `trailing_short_line`, `after_end_of_body`, a markup kind, or the HTML reason.
    pub reason: String,
    /// The pattern and its line, the repetition count, the marker line...
    pub detail: String,
    /// For HTML removals, the dropped text (others are read from the input range).
    pub text: String,
}

/// What cleaning decided for one article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cleaning {
    /// For [`crate::text::Document::with_edits`], in order and disjoint.
    pub edits: Vec<Edit>,
    /// Every removal, in text order.
    pub removals: Vec<Removal>,
    /// Lines removed (boilerplate, repetition, structure) and their words.
    pub removed_lines: u64,
    pub removed_words: u64,
    /// Markup edits (escapes, link syntax, emphasis, headings, datelines).
    pub markup_edits: u64,
    /// The title's key (its words, case-folded: `score::title_key`), when the cleaner worked
    /// it out (it does when it takes out chrome): scoring looks for the headline among the
    /// first paragraphs with it.
    pub title_key: Option<String>,
}

/// The cleaning step, shared by every thread.
#[derive(Debug, Clone, Default)]
pub struct Cleaner {
    /// Take out Markdown remnants and run-in datelines.
    pub markup: bool,
    /// Remove page chrome lines (off with `--keep-boilerplate`).
    pub chrome: bool,
    pub boilerplate: Boilerplate,
    /// First-pass line counts, when the input could be read twice.
    pub repeated: Option<Repeated>,
}

/// One line of the input.
struct Line<'a> {
    /// 1-based.
    number: usize,
    /// Byte range of the line's content (no line break), leading and trailing space trimmed.
    start: usize,
    end: usize,
    raw: &'a str,
    /// The line's markup (input offsets), and the line without it.
    markup: Vec<markup::MarkupEdit>,
    bare: std::borrow::Cow<'a, str>,
    /// Markup out, quotes straightened, spacing collapsed.
    plain: std::borrow::Cow<'a, str>,
    /// The line's words, counted up to `counted_to`: the structure rules only compare a
    /// line's count with [`SHORT_LINE_WORDS`] and the headline's, below that bound; a removed
    /// line, or one that matched a pattern, is counted in full ([`Line::exact_words`]).
    words: usize,
    counted_to: usize,
    removed: Option<(Signal, String, String)>,
}

impl Line<'_> {
    fn is_blank(&self) -> bool {
        self.plain.is_empty()
    }
    /// Ends like a sentence: `. ! ? …`, possibly followed by closing quotes or brackets.
    fn ends_sentence(&self) -> bool {
        let core = self
            .plain
            .trim_end_matches(['"', '\'', ')', ']', '\u{00BB}', '\u{203A}']);
        core.ends_with(['.', '!', '?', '\u{2026}'])
    }
    fn is_short_unpunctuated(&self) -> bool {
        self.words <= SHORT_LINE_WORDS && !self.ends_sentence()
    }
    /// The line's words, however many.
    fn exact_words(&self) -> usize {
        if self.words < self.counted_to {
            self.words
        } else {
            count_words(&self.plain)
        }
    }
    /// The line has exactly `n` words.
    fn has_words(&self, n: usize) -> bool {
        if n < self.counted_to {
            self.words == n
        } else {
            self.words == self.counted_to && self.exact_words() == n
        }
    }
}

/// The lines of `text`, their words counted up to `counted_to` (at least 1).
fn split_lines(text: &str, counted_to: usize) -> Vec<Line<'_>> {
    // Room for a line in every 64 bytes (news text has fewer: one in 166 on the benchmark
    // corpora), up to 256, instead of growing the vector (of structs of 184 bytes) step by
    // step.
    let mut lines = Vec::with_capacity((text.len() / 64 + 1).min(256));
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut number = 1;
    // each line end, found with a vector search
    let mut i = memchr::memchr2(b'\n', b'\r', bytes).unwrap_or(bytes.len());
    loop {
        let at_end = i >= bytes.len();
        let raw = &text[start..i];
        let lead = raw.len() - raw.trim_start().len();
        let trimmed = raw.trim();
        let mut edits = Vec::new();
        markup::line_edits(trimmed, start + lead, &mut edits);
        let bare = markup::apply(trimmed, start + lead, &edits);
        let plain = match &bare {
            std::borrow::Cow::Borrowed(b) => normalize_fragment_cow(b),
            std::borrow::Cow::Owned(o) => std::borrow::Cow::Owned(normalize_fragment(o)),
        };
        let words = if plain.is_empty() {
            0
        } else {
            count_words_capped(&plain, counted_to)
        };
        lines.push(Line {
            number,
            start: start + lead,
            end: start + lead + trimmed.len(),
            raw: trimmed,
            markup: edits,
            bare,
            plain,
            words,
            counted_to,
            removed: None,
        });
        if at_end {
            break;
        }
        // `\r\n` is one break.
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i += 1;
        }
        i += 1;
        start = i;
        number += 1;
        i = memchr::memchr2(b'\n', b'\r', &bytes[i..]).map_or(bytes.len(), |at| i + at);
    }
    lines
}

impl Cleaner {
    /// No cleaning at all (the library default: text is scored as given).
    pub fn disabled() -> Cleaner {
        Cleaner::default()
    }

    /// Decide what to leave out of `text`, an article of `source` titled `title`.
    pub fn clean(&self, text: &str, title: &str, source: &str) -> Cleaning {
        let mut out = Cleaning::default();
        if !self.markup && !self.chrome {
            return out;
        }
        // The headline's words (case folding does not move word breaks): the structure rules
        // compare line counts with it and with SHORT_LINE_WORDS, so lines are counted up to
        // one more than both.
        let headline = if self.chrome {
            title_key(title)
        } else {
            String::new()
        };
        let headline_words = headline.split(' ').count();
        let mut lines = split_lines(text, SHORT_LINE_WORDS.max(headline_words) + 1);
        if self.chrome {
            self.mark_chrome(&mut lines, text.len(), &headline, headline_words, source);
            out.title_key = Some(headline);
        }
        let mut markup_edits = Vec::new();
        let mut dateline_budget = DATELINE_LINES;
        for line in &lines {
            if let Some((signal, reason, detail)) = &line.removed {
                out.edits.push(Edit {
                    start: line.start,
                    end: line.end,
                    kind: EditKind::Delete,
                });
                out.removed_lines += 1;
                out.removed_words += line.exact_words() as u64;
                out.removals.push(Removal {
                    line: line.number,
                    start: line.start,
                    end: line.end,
                    signal: *signal,
                    reason: reason.clone(),
                    detail: detail.clone(),
                    text: String::new(),
                });
                continue;
            }
            if !self.markup || line.is_blank() {
                continue;
            }
            let mut dateline_end = None;
            if dateline_budget > 0 {
                dateline_budget -= 1;
                if let Some(len) = dateline(line.raw, source) {
                    dateline_end = Some(line.start + len);
                    markup_edits.push((
                        line.number,
                        markup::MarkupEdit {
                            start: line.start,
                            end: line.start + len,
                            reason: "dateline",
                        },
                    ));
                }
            }
            for &e in &line.markup {
                // The dateline edit comes first; drop markup inside it.
                if dateline_end.is_none_or(|end| e.start >= end) {
                    markup_edits.push((line.number, e));
                }
            }
        }
        for (number, e) in markup_edits {
            out.edits.push(Edit {
                start: e.start,
                end: e.end,
                kind: if e.reason == "dateline" {
                    EditKind::Break
                } else {
                    EditKind::Delete
                },
            });
            out.markup_edits += 1;
            out.removals.push(Removal {
                line: number,
                start: e.start,
                end: e.end,
                signal: Signal::Markup,
                reason: e.reason.to_string(),
                detail: String::new(),
                text: String::new(),
            });
        }
        out.edits.sort_by_key(|e| (e.start, e.end));
        out.removals.sort_by_key(|r| (r.start, r.end));
        out
    }

    /// `headline` is the title's [`title_key`], of `headline_words` words.
    fn mark_chrome(
        &self,
        lines: &mut [Line<'_>],
        text_len: usize,
        headline: &str,
        headline_words: usize,
        source: &str,
    ) {
        // 1. Patterns, and the first end-of-body heading in the second half of the text.
        let mut end_of_body: Option<usize> = None;
        for (i, line) in lines.iter_mut().enumerate() {
            if line.is_blank() {
                continue;
            }
            if let Some(p) = self.boilerplate.first_match(&line.plain) {
                let cat = &self.boilerplate.categories[p.category];
                let fits = line.exact_words() <= cat.max_words
                    && (cat.scope == Scope::Line || 2 * line.start >= text_len);
                if fits {
                    line.removed = Some((
                        Signal::Boilerplate,
                        cat.id.clone(),
                        format!("{}:{}: {}", cat.origin, p.line, p.written),
                    ));
                    if cat.scope == Scope::End && end_of_body.is_none() {
                        end_of_body = Some(i);
                    }
                    continue;
                }
            }
            // 2. Repetition.
            if let Some((count, total)) = self
                .repeated
                .as_ref()
                .and_then(|r| r.repeated_bare(source, &line.bare))
            {
                line.removed = Some((
                    Signal::Repetition,
                    "repeated_line".into(),
                    format!("in {count} of the outlet's {total} articles"),
                ));
            }
        }
        // An article whose every remaining line recurs is a duplicate of another, not an
        // article wrapped in furniture: repetition removes nothing from it.
        let all_repeated = lines
            .iter()
            .filter(|l| !l.is_blank())
            .filter(|l| !matches!(&l.removed, Some((Signal::Boilerplate, _, _))))
            .all(|l| matches!(&l.removed, Some((Signal::Repetition, _, _))));
        if all_repeated {
            for l in lines.iter_mut() {
                if matches!(&l.removed, Some((Signal::Repetition, _, _))) {
                    l.removed = None;
                }
            }
        }
        // 3. Everything after the end of the body.
        if let Some(k) = end_of_body {
            let marker = format!("after line {}: {}", lines[k].number, lines[k].plain);
            for line in lines[k + 1..].iter_mut() {
                if !line.is_blank() && line.removed.is_none() {
                    line.removed = Some((
                        Signal::Structure,
                        "after_end_of_body".into(),
                        marker.clone(),
                    ));
                }
            }
        }
        // 4. Short unpunctuated lines before the body and after it.
        // Only a line of as many words as the headline can be it, and only its key is
        // worked out.
        let is_headline = |l: &Line<'_>| {
            !headline.is_empty() && l.has_words(headline_words) && has_title_key(&l.plain, headline)
        };
        let open: Vec<usize> = (0..lines.len())
            .filter(|&i| !lines[i].is_blank() && lines[i].removed.is_none())
            .collect();
        let is_body = |l: &Line<'_>| !l.is_short_unpunctuated() && !is_headline(l);
        if !open.iter().any(|&i| is_body(&lines[i])) {
            return; // no body to find the edges of: leave the text as it is
        }
        // A line that the hard-wrap heuristic joins to the next or previous (adjacent) line
        // is part of a paragraph.
        let joined_to_next = |lines: &[Line<'_>], i: usize| {
            lines.get(i + 1).is_some_and(|n| {
                !n.is_blank()
                    && n.plain
                        .chars()
                        .next()
                        .is_some_and(|c| crate::text::joins_wrapped(&lines[i].plain, c))
            })
        };
        let joined_to_prev = |lines: &[Line<'_>], i: usize| {
            i > 0
                && !lines[i - 1].is_blank()
                && lines[i]
                    .plain
                    .chars()
                    .next()
                    .is_some_and(|c| crate::text::joins_wrapped(&lines[i - 1].plain, c))
        };
        // Without a title, or with one the text does not repeat (an `<h1>` worded otherwise
        // than `og:title`), the first short line of four words or more is taken as the
        // headline and kept.
        let keep_untitled_headline = !open.iter().any(|&i| is_headline(&lines[i]));
        let mut first = true;
        for &i in &open {
            let l = &lines[i];
            if is_headline(l) {
                first = false;
                continue;
            }
            if !l.is_short_unpunctuated() || joined_to_next(lines, i) {
                break;
            }
            if first && keep_untitled_headline && l.words >= 4 {
                first = false;
                continue;
            }
            first = false;
            lines[i].removed = Some((
                Signal::Structure,
                "leading_short_line".into(),
                format!(
                    "{} words, no sentence punctuation, before the body",
                    lines[i].words
                ),
            ));
        }
        for &i in open.iter().rev() {
            let l = &lines[i];
            if l.removed.is_some() {
                continue;
            }
            if !l.is_short_unpunctuated() || is_headline(l) || joined_to_prev(lines, i) {
                break;
            }
            lines[i].removed = Some((
                Signal::Structure,
                "trailing_short_line".into(),
                format!(
                    "{} words, no sentence punctuation, after the body",
                    lines[i].words
                ),
            ));
        }
    }
}

/// The length of a dateline run into the first word at the start of `line`
/// (`SputnikOn the first day`, `MOSCOWThe minister`): an all-capitals word of three letters or
/// more, or a word of the outlet's name, glued to a capitalised sentence opener followed by a
/// space.
fn dateline(line: &str, source: &str) -> Option<usize> {
    let word: &str = line
        .split(|c: char| !c.is_alphabetic())
        .next()
        .filter(|w| !w.is_empty())?;
    // Where the glued opener starts: the last capital after a lowercase letter, or, for an
    // all-capitals run, the capital before the first lowercase letter.
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let mut split = None;
    for k in 1..chars.len() {
        let (pos, c) = chars[k];
        let prev = chars[k - 1].1;
        if c.is_uppercase() && prev.is_lowercase() {
            split = Some(pos);
            break;
        }
        if c.is_lowercase() && prev.is_uppercase() && k >= 4 {
            let p = chars[k - 1].0;
            if chars[..k - 1].iter().all(|(_, c)| c.is_uppercase()) {
                split = Some(p);
            }
            break;
        }
    }
    let split = split?;
    let (head, opener) = word.split_at(split);
    let after = line[word.len()..].chars().next();
    if !OPENERS.contains(&opener) || after != Some(' ') {
        return None;
    }
    let all_caps = head.chars().count() >= 3 && head.chars().all(char::is_uppercase);
    let outlet = source
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w.chars().count() >= 3 && w.eq_ignore_ascii_case(head));
    (all_caps || outlet).then_some(head.len())
}

#[cfg(test)]
mod tests;
