//! Text: the article as read becomes a [`Document`]: normalised text with an offset map back
//! to the input, paragraph and sentence spans, and word counts. Pure: no I/O.
//!
//! INTERFACE (owned by the text helper; keep these signatures):
//! - `Document::new(input: &str) -> Document`
//! - `Document.text: String` normalised text; paragraphs separated by a single `'\n'`,
//!   whitespace inside a paragraph collapsed to one ASCII space, no leading/trailing space
//!   on a paragraph.
//! - `Document.paragraphs: Vec<Span>`, `Document.sentences: Vec<Span>` (byte spans into `text`,
//!   in order, never crossing a paragraph boundary, trimmed).
//! - `Document::input_range(&self, span: Span) -> std::ops::Range<usize>`: byte range in the
//!   input that produced `span` (start and end on char boundaries of the input).
//! - `Document::sentence_index(&self, byte: usize) -> Option<usize>`: sentence holding a byte.
//! - `count_words(text: &str) -> usize`: Unicode (UAX #29) words.
//! - `normalize_fragment(s: &str) -> String`: the same character mapping applied to a lexicon
//!   entry (quotes, dashes, spaces folded; whitespace runs to one space; trimmed).
//! - `fold_case(s: &str) -> String`: lowercase every char whose lowercase is one char of the
//!   same UTF-8 length; others unchanged, so byte offsets are preserved.

pub use crate::span::Span;

// ---- TEMPORARY minimal implementation, replaced by the text helper's module ----
use std::ops::Range;

pub struct Document {
    pub text: String,
    pub paragraphs: Vec<Span>,
    pub sentences: Vec<Span>,
}

impl Document {
    pub fn new(input: &str) -> Document {
        let text = input.to_string();
        let mut paragraphs = Vec::new();
        let mut pos = 0;
        for line in input.split_inclusive('\n') {
            let t = line.trim_end();
            if !t.trim().is_empty() {
                paragraphs.push(Span::new(pos, pos + t.len()));
            }
            pos += line.len();
        }
        let sentences = paragraphs.clone();
        Document { text, paragraphs, sentences }
    }
    pub fn input_range(&self, span: Span) -> Range<usize> {
        span.start..span.end
    }
    pub fn sentence_index(&self, byte: usize) -> Option<usize> {
        self.sentences.iter().position(|s| s.start <= byte && byte < s.end)
    }
    pub fn sentences_in(&self, paragraph: usize) -> Range<usize> {
        paragraph..paragraph + 1
    }
}

pub fn count_words(text: &str) -> usize {
    use unicode_segmentation::UnicodeSegmentation;
    text.unicode_words().count()
}

pub fn normalize_fragment(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").replace(['’', '‘'], "'")
}

pub fn fold_case(s: &str) -> String {
    s.chars()
        .map(|c| {
            let mut l = c.to_lowercase();
            match (l.next(), l.next()) {
                (Some(x), None) if x.len_utf8() == c.len_utf8() => x,
                _ => c,
            }
        })
        .collect()
}

pub fn char_offsets(text: &str, sorted_bytes: &[usize]) -> Vec<usize> {
    sorted_bytes.iter().map(|&b| text[..b].chars().count()).collect()
}
