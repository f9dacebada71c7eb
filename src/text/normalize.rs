//! Normalisation: the character mapping, whitespace collapsing and paragraph building, done in
//! one pass over the input while recording the offset map.

use crate::span::Span;

use super::offsets::OffsetMap;
use super::wrap;

/// What normalisation does with one input character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// Copied verbatim.
    Keep,
    /// Replaced by this ASCII byte (quotes, dashes).
    Replace(u8),
    /// Horizontal whitespace: part of a whitespace run.
    Space,
    /// A line break (LF, CR, VT, FF, NEL, U+2028). `\r\n` counts once.
    Break,
    /// U+2029 PARAGRAPH SEPARATOR: counts as a blank line.
    ParaBreak,
    /// Removed without trace (soft hyphen, zero-width characters, BOM).
    Delete,
}

/// Classifies a character for normalisation. This is the single source of the character
/// mapping, shared by [`normalize_document`] and [`normalize_fragment`].
#[inline]
pub(crate) fn classify(c: char) -> Class {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => Class::Replace(b'\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => Class::Replace(b'"'),
        '\u{2010}'..='\u{2015}' | '\u{2212}' => Class::Replace(b'-'),
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => {
            Class::Delete
        }
        '\n' | '\r' | '\u{000B}' | '\u{000C}' | '\u{0085}' | '\u{2028}' => Class::Break,
        '\u{2029}' => Class::ParaBreak,
        c if c.is_whitespace() => Class::Space,
        _ => Class::Keep,
    }
}

/// Printable ASCII other than space: always copied verbatim.
#[inline(always)]
fn is_graphic(b: u8) -> bool {
    (0x21..=0x7E).contains(&b)
}

/// The end, before `limit`, of the run from `i` of printable ASCII and single spaces between
/// printable bytes: what normalisation copies as it is.
#[inline]
fn verbatim_run_end(bytes: &[u8], i: usize, limit: usize) -> usize {
    // sixteen bytes at a time (SSE2) while the byte after them is before `limit`; elsewhere
    // the word loop, faster than the sixteen-byte test made a byte at a time
    #[cfg(target_arch = "x86_64")]
    let i = {
        let mut i = i;
        while i + 16 < limit {
            let keep = super::swar::graphic_or_spaced(bytes, i);
            if keep != u16::MAX {
                return i + keep.trailing_ones() as usize;
            }
            i += 16;
        }
        i
    };
    verbatim_run_end_by_words(bytes, i, limit)
}

/// [`verbatim_run_end`] a word at a time: the run of printable bytes, then a single space
/// and the printable byte after it, and so on.
#[inline]
fn verbatim_run_end_by_words(bytes: &[u8], mut i: usize, limit: usize) -> usize {
    loop {
        i = super::swar::run_end(bytes, i, limit, super::swar::not_graphic);
        if i + 1 < limit && bytes[i] == b' ' && is_graphic(bytes[i + 1]) {
            i += 2;
        } else {
            return i;
        }
    }
}

/// [`normalize_fragment`] without a copy when the fragment is already normal.
pub fn normalize_fragment_cow(s: &str) -> std::borrow::Cow<'_, str> {
    if crate::plain::plain() {
        return std::borrow::Cow::Owned(fragment_by_chars(s));
    }
    if is_normal_fragment(s) {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(map_fragment(s))
    }
}

/// Printable ASCII with single inner spaces is already normal: one verbatim run (which
/// cannot start with a space, nor end with one, as it needs a printable byte after it).
fn is_normal_fragment(s: &str) -> bool {
    let b = s.as_bytes();
    b.is_empty() || (is_graphic(b[0]) && verbatim_run_end(b, 0, b.len()) == b.len())
}

/// Applies the document character mapping to a short fragment (for example a lexicon entry):
/// quotes, dashes and spaces folded, invisible characters deleted, every whitespace run
/// (line breaks included) collapsed to one ASCII space, and the result trimmed.
pub fn normalize_fragment(s: &str) -> String {
    if crate::plain::plain() {
        return fragment_by_chars(s);
    }
    if is_normal_fragment(s) {
        return s.to_string();
    }
    map_fragment(s)
}

/// The mapping of [`normalize_fragment`], character by character, except that a run of
/// printable ASCII (which [`classify`] always keeps) is copied at once: the same output as
/// mapping each of its characters (a property test checks it against that plain loop).
fn map_fragment(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    let mut i = 0;
    while i < bytes.len() {
        if is_graphic(bytes[i]) {
            // a run of printable ASCII, single spaces between its bytes included (a space
            // between two printable bytes is one space in the output, as below)
            let start = i;
            i = verbatim_run_end(bytes, i, bytes.len());
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push_str(&s[start..i]);
            continue;
        }
        let c = s[i..].chars().next().unwrap_or(' ');
        i += c.len_utf8();
        push_mapped(c, &mut out, &mut pending_space);
    }
    out
}

/// One character of a fragment, mapped by [`classify`] onto `out`: spacing is held in
/// `pending_space` and written as one space before the next character kept.
#[inline]
fn push_mapped(c: char, out: &mut String, pending_space: &mut bool) {
    let mapped = match classify(c) {
        Class::Keep => c,
        Class::Replace(r) => r as char,
        Class::Delete => return,
        Class::Space | Class::Break | Class::ParaBreak => {
            *pending_space = true;
            return;
        }
    };
    if *pending_space && !out.is_empty() {
        out.push(' ');
    }
    *pending_space = false;
    out.push(mapped);
}

/// A change the cleaning step asks of normalisation, on input bytes: the input keeps every
/// byte, so offsets into it (the evidence in `hits.csv`) stay true.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// Input byte range, on char boundaries; empty for [`EditKind::Break`] at a point.
    pub start: usize,
    pub end: usize,
    pub kind: EditKind,
}

/// What an [`Edit`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditKind {
    /// The bytes are left out of the text (markup, a removed line).
    Delete,
    /// The bytes are left out and a paragraph break stands in their place (a dateline run
    /// into the first word).
    Break,
}

/// The result of normalising a whole document.
pub(crate) struct Normalized {
    pub text: String,
    pub paragraphs: Vec<Span>,
    pub map: OffsetMap,
}

/// Builder state for [`normalize_document`].
struct Builder<'a> {
    input: &'a str,
    text: String,
    map: OffsetMap,
    paragraphs: Vec<Span>,
    /// Start (in `text`) of the paragraph being built.
    para_start: usize,
    /// A whitespace run is pending (seen but not yet emitted).
    ws_pending: bool,
    /// Input byte where the pending whitespace run began.
    ws_start: usize,
    /// Line breaks in the pending run (2 or more means a blank line).
    breaks: u32,
    /// The pending run must end the paragraph (a [`EditKind::Break`] edit).
    forced: bool,
}

impl Builder<'_> {
    /// Copies the verbatim input run `from..to` into the text.
    #[inline]
    fn flush(&mut self, from: usize, to: usize) {
        if from < to {
            let norm = self.text.len();
            self.text.push_str(&self.input[from..to]);
            self.map.push(norm, from, to - from, to - from);
        }
    }

    /// Notes whitespace at input byte `pos`, adding `breaks` line breaks to the pending run.
    #[inline]
    fn whitespace(&mut self, pos: usize, breaks: u32) {
        if !self.ws_pending {
            self.ws_pending = true;
            self.ws_start = pos;
            self.breaks = 0;
            self.forced = false;
        }
        self.breaks = self.breaks.saturating_add(breaks);
    }

    /// Resolves the pending whitespace run before content char `next` at input byte `pos`:
    /// nothing at the start of the text, otherwise one space or a paragraph break.
    fn separate(&mut self, next: char, pos: usize) {
        self.ws_pending = false;
        if self.text.is_empty() {
            return;
        }
        let para = &self.text[self.para_start..];
        let new_paragraph = match self.breaks {
            _ if self.forced => true,
            0 => false,
            1 => !wrap::joins(para, next),
            _ => !wrap::joins_across_blank(para, next),
        };
        let norm = self.text.len();
        self.text.push(if new_paragraph { '\n' } else { ' ' });
        self.map.push(norm, self.ws_start, 1, pos - self.ws_start);
        if new_paragraph {
            self.paragraphs.push(Span::new(self.para_start, norm));
            self.para_start = norm + 1;
        }
    }

    fn finish(mut self) -> Normalized {
        if self.text.len() > self.para_start {
            self.paragraphs
                .push(Span::new(self.para_start, self.text.len()));
        }
        Normalized {
            text: self.text,
            paragraphs: self.paragraphs,
            map: self.map,
        }
    }
}

/// Normalises a whole document in one pass: character mapping, whitespace collapsing,
/// paragraph detection (blank lines, plus the hard-wrap heuristic for single line breaks),
/// recording the offset map as it goes. Runs of graphic ASCII bytes are skipped in a tight
/// loop (a property test checks this against the byte-at-a-time loop).
pub(crate) fn normalize_document(input: &str, edits: &[Edit]) -> Normalized {
    if crate::plain::plain() {
        normalize_document_with::<false>(input, edits)
    } else {
        normalize_document_with::<true>(input, edits)
    }
}

/// [`normalize_document`], with the tight loop over verbatim runs (`TIGHT`) or, as first
/// written, one byte of a run at a time (the plain path, [`crate::plain`]).
fn normalize_document_with<const TIGHT: bool>(input: &str, edits: &[Edit]) -> Normalized {
    let bytes = input.as_bytes();
    let n = bytes.len();
    let mut b = Builder {
        input,
        text: String::with_capacity(n),
        map: OffsetMap::with_capacity(n / 64 + 4),
        paragraphs: Vec::with_capacity(n / 512 + 1),
        para_start: 0,
        ws_pending: false,
        ws_start: 0,
        breaks: 0,
        forced: false,
    };
    // Start of the verbatim run not yet copied into the text.
    let mut run = 0;
    let mut i = 0;
    // Edits in order; those that overlap an earlier one or are not on char boundaries are
    // ignored (the cleaner never makes them).
    let mut edits = edits
        .iter()
        .filter(|e| {
            e.start <= e.end && input.is_char_boundary(e.start) && input.is_char_boundary(e.end)
        })
        .peekable();
    let mut next_edit = edits.peek().map_or(usize::MAX, |e| e.start);
    while i < n || next_edit == n {
        if i >= next_edit {
            if let Some(e) = edits.next()
                && e.start >= i
            {
                b.flush(run, i);
                i = e.end;
                run = i;
                if e.kind == EditKind::Break {
                    b.whitespace(e.start, 2);
                    b.forced = true;
                }
            }
            next_edit = edits.peek().map_or(usize::MAX, |e| e.start);
            continue;
        }
        let byte = bytes[i];
        if is_graphic(byte) {
            if b.ws_pending {
                b.separate(byte as char, i);
            }
            i += 1;
            // the rest of the verbatim run, in a tight loop: graphic bytes and single spaces
            // between them (the rule below), up to the next edit
            if TIGHT {
                i = verbatim_run_end(bytes, i, next_edit.min(n));
            }
            continue;
        }
        // A single ASCII space between two verbatim bytes stays in the verbatim run.
        if byte == b' '
            && !b.ws_pending
            && run < i
            && i + 1 < n
            && next_edit > i + 1
            && is_graphic(bytes[i + 1])
        {
            i += 2;
            continue;
        }
        let (c, len) = if byte < 0x80 {
            (byte as char, 1)
        } else {
            // `i` is always on a char boundary, so this never fails.
            let c = input[i..].chars().next().unwrap_or('\u{FFFD}');
            (c, c.len_utf8())
        };
        match classify(c) {
            Class::Keep => {
                if b.ws_pending {
                    b.separate(c, i);
                }
                i += len;
            }
            Class::Replace(r) => {
                b.flush(run, i);
                if b.ws_pending {
                    b.separate(r as char, i);
                }
                let norm = b.text.len();
                b.text.push(r as char);
                b.map.push(norm, i, 1, len);
                i += len;
                run = i;
            }
            Class::Delete => {
                b.flush(run, i);
                i += len;
                run = i;
            }
            Class::Space => {
                b.flush(run, i);
                b.whitespace(i, 0);
                i += len;
                run = i;
            }
            Class::Break => {
                b.flush(run, i);
                let crlf = byte == b'\n' && i > 0 && bytes[i - 1] == b'\r';
                b.whitespace(i, u32::from(!crlf));
                i += len;
                run = i;
            }
            Class::ParaBreak => {
                b.flush(run, i);
                b.whitespace(i, 2);
                i += len;
                run = i;
            }
        }
    }
    b.flush(run, n);
    b.finish()
}

/// [`normalize_fragment`] as first written: one character at a time (the plain path,
/// [`crate::plain`]).
fn fragment_by_chars(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        push_mapped(c, &mut out, &mut pending_space);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5_000))]
        /// The tight loop over verbatim runs gives the text, paragraphs and offset map of the
        /// byte-at-a-time loop, with edits anywhere.
        #[test]
        fn document_is_the_byte_by_byte_document(
            input in "([a-z.,] ?|[a-z!~]{6,12} ?|  |\n|\n\n|\r\n|\t|\u{7f}|\u{a0}|\u{201c}|\u{2019}|\u{200b}|\u{e9}|-){0,60}",
            cuts in proptest::collection::vec((0usize..80, 0usize..4, proptest::bool::ANY), 0..5),
        ) {
            let mut edits: Vec<Edit> = Vec::new();
            let mut from = 0;
            for (at, len, brk) in cuts {
                let start = from.max(at.min(input.len()));
                let end = (start + len).min(input.len());
                edits.push(Edit { start, end, kind: if brk { EditKind::Break } else { EditKind::Delete } });
                from = end;
            }
            let fast = normalize_document_with::<true>(&input, &edits);
            let plain = normalize_document_with::<false>(&input, &edits);
            proptest::prop_assert_eq!(&fast.text, &plain.text);
            proptest::prop_assert_eq!(&fast.paragraphs, &plain.paragraphs);
            proptest::prop_assert_eq!(format!("{:?}", fast.map), format!("{:?}", plain.map));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        /// Copying runs of printable ASCII at once changes nothing.
        #[test]
        fn fragments_map_as_char_by_char(
            s in proptest::string::string_regex(
                "[a-zA-Z0-9 .,\"'\t\n\r\x00-\x1f\x7f\u{a0}\u{ad}\u{85}\u{200b}\u{2013}\u{2019}\u{201c}\u{2028}\u{2029}\u{3000}\u{feff}é日😀]{0,40}|([a-z!~]{1,12}[ \x7f\t]{0,2}){0,6}"
            ).unwrap()
        ) {
            proptest::prop_assert_eq!(normalize_fragment(&s), fragment_by_chars(&s));
            proptest::prop_assert_eq!(normalize_fragment_cow(&s), fragment_by_chars(&s));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        /// Sixteen bytes at a time, a verbatim run ends where a word at a time it does, for
        /// any start and limit.
        #[test]
        fn verbatim_runs_end_as_word_by_word(
            bytes in proptest::collection::vec(proptest::sample::select(
                vec![b'a', b'a', b'a', b'~', b'!', b' ', b' ', b'\n', 0x1f, 0x7f, 0x80, 0xe9]), 0..80),
            from in 0usize..80,
            to in 0usize..90,
        ) {
            let limit = to.min(bytes.len());
            let i = from.min(limit);
            proptest::prop_assert_eq!(
                verbatim_run_end(&bytes, i, limit),
                verbatim_run_end_by_words(&bytes, i, limit)
            );
        }
    }

    fn norm(s: &str) -> String {
        normalize_document(s, &[]).text
    }

    fn edit(start: usize, end: usize, kind: EditKind) -> Edit {
        Edit { start, end, kind }
    }

    #[test]
    fn edits_delete_and_break_and_keep_offsets() {
        // "\$50" loses the backslash; the deleted line leaves a paragraph break.
        let input = "Cost \\$50 now.\nShare post:\nNext one.";
        let share = input.find("Share").unwrap_or(0);
        let edits = [
            edit(5, 6, EditKind::Delete),
            edit(share, share + "Share post:".len(), EditKind::Delete),
        ];
        let d = normalize_document(input, &edits);
        assert_eq!(d.text, "Cost $50 now.\nNext one.");
        let dollar = d.text.find('$').unwrap_or(0);
        assert_eq!(d.map.input_range(Span::new(dollar, dollar + 3)), 6..9);
        // A break edit splits a run-in dateline; overlapping and bad edits are ignored.
        let d = normalize_document(
            "SputnikOn Monday",
            &[edit(0, 7, EditKind::Break), edit(3, 9, EditKind::Delete)],
        );
        assert_eq!(d.text, "On Monday");
        let d = normalize_document("ab", &[edit(1, 1, EditKind::Break)]);
        assert_eq!(d.text, "a\nb");
        let d = normalize_document("\u{e9}x", &[edit(1, 2, EditKind::Delete)]);
        assert_eq!(d.text, "\u{e9}x", "not a char boundary: ignored");
        let d = normalize_document("ab", &[edit(2, 2, EditKind::Break)]);
        assert_eq!(d.text, "ab", "a break at the end adds nothing");
        let d = normalize_document("a b c", &[edit(2, 3, EditKind::Delete)]);
        assert_eq!(d.text, "a c");
    }

    #[test]
    fn character_mapping() {
        assert_eq!(norm("\u{2018}a\u{2019} \u{201C}b\u{201D}"), "'a' \"b\"");
        assert_eq!(
            norm("\u{201A}x\u{201B} \u{201E}y\u{201F} 5\u{2032}6\u{2033}"),
            "'x' \"y\" 5'6\""
        );
        assert_eq!(norm("so\u{2011}called"), "so-called");
        assert_eq!(
            norm("a\u{2010}b\u{2012}c\u{2013}d\u{2014}e\u{2015}f\u{2212}g"),
            "a-b-c-d-e-f-g"
        );
        assert_eq!(
            norm("\u{00AB}x\u{00BB} \u{2039}y\u{203A}"),
            "\u{00AB}x\u{00BB} \u{2039}y\u{203A}"
        );
        assert_eq!(
            norm("a\u{00A0}b\u{2002}c\u{202F}d\u{205F}e\u{3000}f\tg"),
            "a b c d e f g"
        );
        assert_eq!(
            norm("so\u{00AD}ft ze\u{200B}ro\u{200C}\u{200D}\u{2060}\u{FEFF}"),
            "soft zero"
        );
    }

    #[test]
    fn whitespace_collapses_and_trims() {
        assert_eq!(norm("  a \t\u{00A0} b  "), "a b");
        assert_eq!(norm("\u{FEFF}\n\n  A\n\n\n\n B \n\n"), "A\nB");
        // A blank line inside a sentence (lowercase on both sides) is a scrape remnant.
        assert_eq!(
            norm("with its relationship\n\nwith Russia."),
            "with its relationship with Russia."
        );
        assert_eq!(norm(""), "");
        assert_eq!(norm(" \n\t\r\n \u{200B} "), "");
    }

    #[test]
    fn line_endings() {
        assert_eq!(norm("One.\r\n\r\nTwo."), "One.\nTwo.");
        assert_eq!(norm("One.\r\rTwo."), "One.\nTwo.");
        assert_eq!(norm("one\rtwo"), "one two");
        assert_eq!(norm("one\r\ntwo"), "one two");
        assert_eq!(norm("One.\r\nTwo."), "One.\nTwo.");
        assert_eq!(norm("One.\u{2029}two"), "One.\ntwo");
    }

    #[test]
    fn fragment() {
        assert_eq!(
            normalize_fragment("  so\u{2011}called\n \u{201C}x\u{201D} "),
            "so-called \"x\""
        );
        assert_eq!(normalize_fragment("it\u{2019}s"), "it's");
        assert_eq!(normalize_fragment("\u{200B}"), "");
    }

    #[test]
    fn offset_map_is_compact() {
        let d = normalize_document(
            "Plain ASCII text with single spaces.\nAnother paragraph.",
            &[],
        );
        assert_eq!(d.map.len(), 1);
        let d = normalize_document(
            "Plain ASCII text with single spaces.\n\nAnother paragraph.",
            &[],
        );
        assert_eq!(d.map.len(), 3);
        let d = normalize_document("It\u{2019}s fine.  Really.", &[]);
        // "It", "’", "s fine.", "  ", "Really."
        assert_eq!(d.map.len(), 5);
    }
}
