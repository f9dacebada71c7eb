//! Text: the article as read becomes a [`Document`]: normalised text with an offset map back
//! to the input, paragraph and sentence spans, and word counts. Pure: no I/O.
//!
//! # Normalisation
//! One pass over the input ([`Document::new`]):
//! - `‘ ’ ‚ ‛ ′` become `'`; `“ ” „ ‟ ″` become `"`; guillemets `« » ‹ ›` are kept.
//! - Dashes U+2010..=U+2015 and the minus sign U+2212 become `-` (`so‑called` matches
//!   `so-called`).
//! - Every other Unicode whitespace character (NBSP, U+2000..=U+200A, U+202F, U+205F,
//!   U+3000, tab, ...) is a space; LF, CR, CRLF, VT, FF, NEL and U+2028 are line breaks;
//!   U+2029 is a blank line.
//! - Soft hyphen, U+200B, U+200C, U+200D, U+2060 and U+FEFF are deleted (they do not end a
//!   word: `so\u{AD}called` is `socalled`).
//! - Whitespace runs inside a paragraph collapse to one ASCII space; paragraphs are trimmed,
//!   empty ones dropped, and separated by exactly one `'\n'`.
//!
//! # Paragraphs
//! A blank (whitespace-only) line ends a paragraph. A single line break is resolved by a
//! hard-wrap heuristic (see `wrap::joins`): the lines join with a space when the line does
//! not end a sentence and the next line starts lowercase, or the line ends with `,` `;` `-`
//! `&` or an opening quote, or ends in a lowercase word or a capitalised function word
//! (`The`); otherwise the line is a paragraph of its own (headings, datelines). A blank line
//! inside a sentence (a scrape remnant: the paragraph ends in a lowercase word or a comma and
//! the next starts lowercase) does not end the paragraph either.
//!
//! # Sentences
//! Split inside each paragraph after `. ! ? …` (and runs like `...`), optionally followed by
//! closing quotes or brackets, when a space and then an uppercase letter, digit, opening
//! quote or bracket, or currency sign follow. Titles (`Mr.`, `Gen.`), `vs.`, `e.g.`, `i.e.`,
//! and month abbreviations or `No.` before a digit never end a sentence; single initials
//! (`S. Jaishankar`) and dotted acronyms (`U.S.`, `a.m.`) end one only when a common
//! sentence-opening word (`The`, `He`, `But`, ...) follows.
//!
//! # Offsets
//! Spans are byte spans into [`Document::text`]; [`Document::input_range`] maps them back to
//! the input through a run-length offset map, and [`char_offsets`] turns byte offsets into
//! char offsets for output formats that count chars.

mod normalize;
mod offsets;
mod sentences;
pub(crate) mod swar;
mod words;
mod wrap;

#[cfg(test)]
mod tests;

use std::ops::Range;

pub use crate::span::Span;
pub use normalize::{Edit, EditKind, normalize_fragment, normalize_fragment_cow};
pub(crate) use words::{ASCII_ALNUM, ascii_words, is_alphanumeric};
pub use words::{CharCursor, char_offsets, count_words, count_words_capped, fold_case};
pub(crate) use wrap::joins as joins_wrapped;

use offsets::OffsetMap;

/// A normalised article: text, paragraph and sentence spans, and the map back to the input.
#[derive(Debug, Clone)]
pub struct Document {
    /// The normalised text: paragraphs separated by a single `'\n'`, whitespace inside a
    /// paragraph collapsed to one ASCII space, never starting or ending with whitespace.
    pub text: String,
    /// Byte spans of the paragraphs in `text`, in order, non-empty, trimmed.
    pub paragraphs: Vec<Span>,
    /// Byte spans of the sentences in `text`, in order, non-empty, trimmed, never crossing a
    /// paragraph; the sentences of a paragraph joined with single spaces are the paragraph.
    pub sentences: Vec<Span>,
    /// Offset map from `text` back to the input.
    map: OffsetMap,
    /// `paragraph_sentences[p]..paragraph_sentences[p + 1]` are the sentences of paragraph `p`.
    paragraph_sentences: Vec<usize>,
}

impl Document {
    /// Normalises `input` and splits it into paragraphs and sentences. Never panics; empty or
    /// whitespace-only input gives an empty text with no paragraphs or sentences.
    pub fn new(input: &str) -> Document {
        Document::with_edits(input, &[])
    }

    /// [`Document::new`] with the cleaning step's edits applied (markup and removed lines left
    /// out); offsets still point into `input`. Edits must be in input order and disjoint;
    /// any that are not are ignored.
    pub fn with_edits(input: &str, edits: &[Edit]) -> Document {
        let normalize::Normalized {
            text,
            paragraphs,
            map,
        } = normalize::normalize_document(input, edits);
        let mut sentences = Vec::with_capacity(text.len() / 96 + paragraphs.len());
        let mut paragraph_sentences = Vec::with_capacity(paragraphs.len() + 1);
        for &para in &paragraphs {
            paragraph_sentences.push(sentences.len());
            sentences::split_paragraph(&text, para, &mut sentences);
        }
        paragraph_sentences.push(sentences.len());
        Document {
            text,
            paragraphs,
            sentences,
            map,
            paragraph_sentences,
        }
    }

    /// The bytes of the input that produced `span` of [`Document::text`]: from the input
    /// start of the char at `span.start` to the input end of the char before `span.end` (a
    /// span ending in a `'` that came from `’` ends after its 3 input bytes; a `' '` that came
    /// from a whitespace run covers the whole run). For spans on char boundaries of `text`
    /// both ends are char boundaries of the input. Spans past the end are clamped; an empty
    /// span gives an empty range.
    pub fn input_range(&self, span: Span) -> Range<usize> {
        self.map.input_range(span)
    }

    /// [`input_range`](Self::input_range) of each of `spans`, each looked for in the offset
    /// map from where the one before was found: a list in text order (an article's hits,
    /// its quotations) takes a step or two a span instead of a binary search each. The same
    /// ranges in any order.
    pub fn input_ranges(&self, spans: impl Iterator<Item = Span>) -> Vec<Range<usize>> {
        let mut hint = 0;
        spans
            .map(|s| self.map.input_range_from(&mut hint, s))
            .collect()
    }

    /// [`input_range`](Self::input_range) of one of many spans looked up in text order, from
    /// `hint`, where the look-up before left it (0 before the first); as
    /// [`input_ranges`](Self::input_ranges) does.
    pub(crate) fn input_range_from(&self, hint: &mut usize, span: Span) -> Range<usize> {
        self.map.input_range_from(hint, span)
    }

    /// Index of the sentence containing byte `byte` of the text (binary search), or `None`
    /// for a byte outside every sentence (a paragraph break, a space between sentences, past
    /// the end).
    pub fn sentence_index(&self, byte: usize) -> Option<usize> {
        span_index(&self.sentences, byte)
    }

    /// Index of the paragraph containing byte `byte` of the text (binary search), or `None`
    /// for a paragraph break or a byte past the end.
    pub fn paragraph_index(&self, byte: usize) -> Option<usize> {
        span_index(&self.paragraphs, byte)
    }

    /// Indices (into [`Document::sentences`]) of the sentences of paragraph `paragraph`; an
    /// empty range for a paragraph index out of range.
    pub fn sentences_in(&self, paragraph: usize) -> Range<usize> {
        let end = self.sentences.len();
        match (
            self.paragraph_sentences.get(paragraph),
            paragraph
                .checked_add(1)
                .and_then(|next| self.paragraph_sentences.get(next)),
        ) {
            (Some(&from), Some(&to)) => from..to,
            _ => end..end,
        }
    }
}

/// Index of the span of `spans` (ordered, disjoint) containing `byte`.
fn span_index(spans: &[Span], byte: usize) -> Option<usize> {
    let idx = spans.partition_point(|s| s.start <= byte).checked_sub(1)?;
    (byte < spans[idx].end).then_some(idx)
}
