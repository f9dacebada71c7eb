//! Quotations: finds the quoted passages of a [`Document`] — where each opens and closes, how
//! deeply it is nested, and how many paragraphs it runs over — in one pass over the quote
//! marks of [`Document::text`], without regexes and without allocating per character.
//!
//! This module owns only the marks: who said a quotation, and whether it is a scare quote, is
//! decided elsewhere from the [`Quote`]s found here.
//!
//! # Marks
//! The normalised text has lost the direction of curly marks (`“ ” „` are all `"`, `‘ ’ ‚` all
//! `'`), so the input char behind each `"` and `'` is read back through
//! [`Document::input_range`]: a left mark (`“ ‘ „ ‚`) is taken to open (even right after a
//! full stop: `China.“A clear...`), a right one (`” ’`) to close, unless the context contradicts
//! it: a `“` stuck to the end of a word and followed by a space closes an open quotation
//! (German `„Nein“`), a `”` before a word opens one when nothing is open (Swedish `”Nej”`).
//! Straight marks are judged on context alone: a mark *can open* when a non-space other than
//! closing punctuation follows (or an ellipsis: `"...and`) and it does not sit right after a
//! letter or digit, and *can close* when a non-space precedes and a space, punctuation or the
//! paragraph end follows; a straight `"` with punctuation, letters or spaces on both sides may
//! do either, and one after a space before closing punctuation (`"over ".`) closes. A mark that
//! can close closes the innermost open quotation of its kind if there is one; otherwise a mark
//! that can open opens one. A straight mark may close a curly opener and vice versa. Primes
//! (`′ ″`, folded to `'` `"` by normalisation) are never quote marks.
//!
//! # Rules
//! - **Double quotes** (`"` `“ ”` `„`): a double quote opened while a double quote is innermost
//!   means the earlier one was never closed: it is recovered (`closed = false`) just before the
//!   new mark. A double quote still open at a paragraph end continues into the next paragraph
//!   when that paragraph starts with an opening double quote (the newspaper convention for a
//!   quotation running over several paragraphs: only the last paragraph closes); one [`Quote`]
//!   then spans all those paragraphs. Otherwise it is recovered at the paragraph end. The rest of
//!   the document is always parsed normally.
//! - **Inch marks**: a straight `"` right after a digit (`a 12" record`, `5'11"`) never opens,
//!   and closes an open quotation only when the next double mark of the paragraph is not itself
//!   a pure closer (`"I bought a 12" record," she said` is one quotation).
//! - **Single quotes** (`'` `‘ ’` `‚`) are told apart from apostrophes: a mark between two
//!   letters or digits (`don't`, `Jaishankar’s`, `5'11`), a mark before digits and `s` or before
//!   a two-digit year (`the '90s`, `class of '23`), the elisions `'tis 'twas 'em 'cause 'til`...
//!   and `rock 'n' roll`, and `'s` after punctuation (`"Fake"'s`) are apostrophes. After a final
//!   `s` or `in` (`the workers' union`, `goin' home`) or a digit (`6' tall`) a mark closes only
//!   when the next single mark of the paragraph is not a pure closer. A single quotation must
//!   close within its paragraph; one that does not is dropped, never recovered (too often an
//!   apostrophe).
//! - **Guillemets**: `«...»` (French, Russian...) and `»...«` (German, Danish...) are accepted
//!   in either direction but only consistently: the opener fixes the closer. An unclosed `«` is
//!   recovered like a double quote (and continues over paragraphs that start with `«` or `»`);
//!   an unclosed `»`, and single guillemets `‹...›` / `›...‹`, are dropped like single quotes.
//!   All are reported as [`Mark::Guillemet`].
//! - Quotations with nothing inside (`""`) are dropped.
//! - **Nesting**: quotations are properly nested or disjoint; [`Quote::depth`] counts the
//!   quotations around one (a `'no'` inside `"He said 'no' loudly"` has depth 1).
//!
//! # Cost
//! Linear in the text: marks are found with `memchr`; each mark is looked at a bounded number of
//! times (the stack of open quotations is popped as it is searched); the only `log` factors are
//! the offset-map lookup of a mark's input char (skipped when the input has no curly marks) and
//! the final sort of the quotations by start.

use memchr::memchr;

use crate::span::Span;
use crate::text::Document;

/// The family of marks a quotation is written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// `"..."`, `“...”`, `„...“` (any mix of straight and curly).
    Double,
    /// `'...'`, `‘...’`, `‚...‘`.
    Single,
    /// `«...»`, `»...«`, `‹...›`, `›...‹`.
    Guillemet,
}

/// One quotation found in [`Document::text`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// In `doc.text`: from the opening mark to the closing mark inclusive; for an unclosed
    /// quotation, from the opening mark to the end of its trimmed [`Quote::inner`] (the recovery
    /// point).
    pub span: Span,
    /// The quoted words: marks excluded, leading and trailing whitespace trimmed, never empty.
    /// For a multi-paragraph quotation it includes the paragraph breaks and the opening marks of
    /// the continuing paragraphs.
    pub inner: Span,
    /// The family of marks used.
    pub mark: Mark,
    /// `false`: never closed, recovered at the end of its paragraph, or just before a new
    /// opening mark of the same kind, or where an enclosing quotation closed.
    pub closed: bool,
    /// 0 = top level, 1 = a quotation inside a quotation, ... (saturates at 255).
    pub depth: u8,
    /// Number of paragraphs it covers (more than 1 for the newspaper convention of a quotation
    /// running over several paragraphs, each reopened and only the last closed).
    pub paragraphs: u32,
}

/// Finds the quotations of `doc`, in order of [`Quote::span`] start. `input` is the text `doc`
/// was built from; it is used only to tell which way curly marks pointed (`“` from `”`): an
/// `input` that does not match `doc` loses that evidence but cannot cause a panic. Never
/// panics; linear time.
pub fn find_quotes(doc: &Document, input: &str) -> Vec<Quote> {
    let text = doc.text.as_str();
    let bytes = text.as_bytes();
    // Every curly quote and prime is U+2018..=U+2033: UTF-8 lead byte 0xE2. Without one in the
    // input every `"` and `'` of the text was straight, and no lookups are needed.
    let curly_input = memchr(0xE2, input.as_bytes()).is_some();
    // Single guillemets are the only marks with lead byte 0xE2 in the text; most texts have none.
    let single_guillemets = memchr::memmem::find(bytes, "\u{2039}".as_bytes()).is_some()
        || memchr::memmem::find(bytes, "\u{203A}".as_bytes()).is_some();
    let mut finder = Finder {
        doc,
        text,
        input,
        curly_input,
        single_guillemets,
        cands: Vec::new(),
        stack: Vec::new(),
        open_count: [0; KINDS],
        out: Vec::new(),
        map_hint: std::cell::Cell::new(0),
    };
    let mut skip_first = false;
    for (index, &para) in doc.paragraphs.iter().enumerate() {
        // Paragraph spans come from the document; clamp them anyway so a bad span cannot panic.
        let end = para.end.min(text.len());
        let start = para.start.min(end);
        if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            skip_first = false;
            continue;
        }
        finder.collect(start, end, skip_first);
        finder.pair();
        let next = doc.paragraphs.get(index + 1).copied();
        skip_first = finder.end_paragraph(end, next);
    }
    let mut quotes = finder.out;
    assign_depths(&mut quotes);
    quotes
}

/// Whether byte `byte` of `doc.text` lies inside the [`Quote::inner`] span of any of `quotes`.
/// `quotes` must be sorted by span start with correct depths, as [`find_quotes`] returns them
/// (any subsequence of that list works); the cost is a binary search plus a walk over the
/// quotations nested around `byte`.
pub fn quoted_mask_contains(quotes: &[Quote], byte: usize) -> bool {
    let upto = quotes.partition_point(|q| q.span.start <= byte);
    for q in quotes[..upto].iter().rev() {
        if q.inner.start <= byte && byte < q.inner.end {
            return true;
        }
        // Everything before a top-level quotation ends before it starts.
        if q.depth == 0 {
            return false;
        }
    }
    false
}

/// Sorts `quotes` by start and sets each depth from the nesting of the spans.
fn assign_depths(quotes: &mut [Quote]) {
    // Starts are distinct (each quotation has its own opening mark); ties would keep the
    // longer span first.
    quotes.sort_unstable_by(|a, b| {
        a.span
            .start
            .cmp(&b.span.start)
            .then(b.span.end.cmp(&a.span.end))
    });
    let mut ends: Vec<usize> = Vec::new();
    for q in quotes.iter_mut() {
        while ends.last().is_some_and(|&e| e <= q.span.start) {
            ends.pop();
        }
        q.depth = u8::try_from(ends.len()).unwrap_or(u8::MAX);
        ends.push(q.span.end);
    }
}

/// Kinds of open quotations; a kind fixes both marks (`GuilFr` is `«...»`, `GuilDe` `»...«`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Double = 0,
    Single = 1,
    GuilFr = 2,
    GuilDe = 3,
    SGuilFr = 4,
    SGuilDe = 5,
}

/// Number of [`Kind`]s.
const KINDS: usize = 6;

impl Kind {
    fn mark(self) -> Mark {
        match self {
            Kind::Double => Mark::Double,
            Kind::Single => Mark::Single,
            _ => Mark::Guillemet,
        }
    }

    /// Whether an unclosed quotation of this kind is recovered (rather than dropped).
    fn recoverable(self) -> bool {
        matches!(self, Kind::Double | Kind::GuilFr)
    }
}

/// How a `"` or `'` of the text was written in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// `"` or `'`, or anything unknown.
    Straight,
    /// `“ ‟ ‘ ‛`.
    Left,
    /// `” ’`.
    Right,
    /// `„ ‚`.
    Low,
    /// `″ ′`: not a quote mark.
    Prime,
}

/// A quote mark of the current paragraph and what it may do.
#[derive(Debug, Clone, Copy)]
struct Cand {
    pos: usize,
    len: u8,
    style: Style,
    open_kind: Kind,
    close_kind: Kind,
    can_open: bool,
    can_close: bool,
    /// Closes only when the next mark of its kind in the paragraph is not a pure closer.
    weak: bool,
}

impl Cand {
    fn pure_closer(&self) -> bool {
        self.can_close && !self.can_open
    }
}

/// An open quotation on the stack.
#[derive(Debug, Clone, Copy)]
struct Open {
    kind: Kind,
    pos: usize,
    len: u8,
    style: Style,
    paragraphs: u32,
}

struct Finder<'a> {
    doc: &'a Document,
    text: &'a str,
    input: &'a str,
    curly_input: bool,
    single_guillemets: bool,
    /// Marks of the current paragraph (reused buffer).
    cands: Vec<Cand>,
    /// Open quotations, innermost last.
    stack: Vec<Open>,
    /// Open quotations per kind, so a closer for a kind that is not open costs nothing.
    open_count: [u32; KINDS],
    out: Vec<Quote>,
    /// Where in the offset map the last mark's input was found: the marks are looked up in
    /// text order ([`Document::input_range_from`]).
    map_hint: std::cell::Cell<usize>,
}

impl Finder<'_> {
    /// Fills `cands` with the marks of paragraph `start..end`; `skip_first`: its first mark
    /// continues a quotation from the previous paragraph and is not a mark of its own.
    fn collect(&mut self, start: usize, end: usize, skip_first: bool) {
        self.cands.clear();
        let bytes = &self.text.as_bytes()[start..end];
        // Set by a `'n'` to skip its second mark.
        let mut skip_until = if skip_first { start + 1 } else { start };
        if self.single_guillemets {
            for (i, &b) in bytes.iter().enumerate() {
                if matches!(b, b'"' | b'\'' | 0xC2 | 0xE2) {
                    self.mark_at(start, end, start + i, &mut skip_until);
                }
            }
        } else {
            for i in memchr::memchr3_iter(b'"', b'\'', 0xC2, bytes) {
                self.mark_at(start, end, start + i, &mut skip_until);
            }
        }
    }

    /// Classifies the byte at `pos` (a `"`, `'` or a lead byte) and records it if it is a mark.
    fn mark_at(&mut self, start: usize, end: usize, pos: usize, skip_until: &mut usize) {
        if pos < *skip_until {
            return;
        }
        let text = self.text;
        let b = text.as_bytes();
        let (ch, len) = match b[pos] {
            b'"' => ('"', 1),
            b'\'' => ('\'', 1),
            0xC2 => match b.get(pos + 1) {
                Some(0xAB) => ('\u{AB}', 2),
                Some(0xBB) => ('\u{BB}', 2),
                _ => return,
            },
            0xE2 => match (b.get(pos + 1), b.get(pos + 2)) {
                (Some(0x80), Some(0xB9)) => ('\u{2039}', 3),
                (Some(0x80), Some(0xBA)) => ('\u{203A}', 3),
                _ => return,
            },
            _ => return,
        };
        let p = prev_char(text, start, pos);
        let n = next_char(text, pos + len, end);
        // An ellipsis may open a quotation (`"...and failed"`).
        let after = &text[pos + len..end];
        let ellipsis = after.starts_with("..") || after.starts_with('\u{2026}');
        let left = left_flanking(p, n) || (ellipsis && p.is_none_or(|c| !c.is_alphanumeric()));
        let right = right_flanking(p, n);
        let cand = match ch {
            '"' => {
                let style = self.style(pos);
                let (can_open, can_close, weak) = match style {
                    Style::Prime => return,
                    Style::Straight if p.is_some_and(|c| c.is_ascii_digit()) => {
                        (false, right, true)
                    }
                    // Punctuation on both sides, letters on both sides (`win"said`) or spaces on
                    // both sides: either way.
                    Style::Straight if left && right || both_alnum(p, n) || both_space(p, n) => {
                        (true, true, false)
                    }
                    // `"over ".`: a space slipped in before the closer.
                    Style::Straight
                        if !left
                            && p.is_some_and(char::is_whitespace)
                            && n.is_none_or(is_close_punct) =>
                    {
                        (false, true, false)
                    }
                    Style::Straight => (left, right, false),
                    Style::Left | Style::Low => (n.is_some(), right, false),
                    Style::Right => (left, true, false),
                };
                Cand {
                    pos,
                    len: 1,
                    style,
                    open_kind: Kind::Double,
                    close_kind: Kind::Double,
                    can_open,
                    can_close,
                    weak,
                }
            }
            '\'' => {
                let style = self.style(pos);
                if style == Style::Prime {
                    return;
                }
                if is_apostrophe(text, pos, end, p, n, skip_until) {
                    return;
                }
                let p_alnum = p.is_some_and(char::is_alphanumeric);
                let (can_open, can_close) = match style {
                    Style::Left => (n.is_some_and(|c| !c.is_whitespace()) && !p_alnum, right),
                    Style::Low => (left, false),
                    _ if left && right => (true, true),
                    _ => (left, right),
                };
                // `workers' union`, `goin' home`, `6' tall`: a closer only if nothing better follows.
                let weak = can_close
                    && !can_open
                    && n.is_some_and(char::is_whitespace)
                    && (p.is_some_and(|c| matches!(c, 's' | 'S') || c.is_ascii_digit())
                        || (p == Some('n') && prev_char(text, start, pos - 1) == Some('i')));
                Cand {
                    pos,
                    len: 1,
                    style,
                    open_kind: Kind::Single,
                    close_kind: Kind::Single,
                    can_open,
                    can_close,
                    weak,
                }
            }
            '\u{AB}' | '\u{2039}' => {
                let (open_kind, close_kind) = if ch == '\u{AB}' {
                    (Kind::GuilFr, Kind::GuilDe)
                } else {
                    (Kind::SGuilFr, Kind::SGuilDe)
                };
                // French spacing (`« oui »`) allows a space inside; only a mark stuck to the end
                // of a word and followed by a space cannot open.
                let after_word = p.is_some_and(|c| c.is_alphanumeric() || is_close_punct(c));
                let can_open = n.is_some() && !(after_word && n.is_some_and(char::is_whitespace));
                Cand {
                    pos,
                    len: len as u8,
                    style: Style::Straight,
                    open_kind,
                    close_kind,
                    can_open,
                    can_close: right,
                    weak: false,
                }
            }
            _ => {
                // `»` or `›`.
                let (open_kind, close_kind) = if ch == '\u{BB}' {
                    (Kind::GuilDe, Kind::GuilFr)
                } else {
                    (Kind::SGuilDe, Kind::SGuilFr)
                };
                Cand {
                    pos,
                    len: len as u8,
                    style: Style::Straight,
                    open_kind,
                    close_kind,
                    can_open: left,
                    can_close: p.is_some(),
                    weak: false,
                }
            }
        };
        if cand.can_open || cand.can_close {
            self.cands.push(cand);
        }
    }

    /// How the `"` or `'` at `pos` of the text was written in the input.
    fn style(&self, pos: usize) -> Style {
        if !self.curly_input {
            return Style::Straight;
        }
        let mut hint = self.map_hint.get();
        let range = self
            .doc
            .input_range_from(&mut hint, Span::new(pos, pos + 1));
        self.map_hint.set(hint);
        match self.input.get(range).and_then(|s| s.chars().next()) {
            Some('\u{201C}' | '\u{201F}' | '\u{2018}' | '\u{201B}') => Style::Left,
            Some('\u{201D}' | '\u{2019}') => Style::Right,
            Some('\u{201E}' | '\u{201A}') => Style::Low,
            Some('\u{2033}' | '\u{2032}') => Style::Prime,
            _ => Style::Straight,
        }
    }

    /// Pairs the marks of the current paragraph against the stack.
    fn pair(&mut self) {
        for ci in 0..self.cands.len() {
            let c = self.cands[ci];
            if c.can_close && self.open_count[c.close_kind as usize] > 0 {
                if c.weak && self.next_is_pure_closer(ci) {
                    continue;
                }
                self.close(c);
            } else if c.can_open {
                self.open(c);
            }
        }
    }

    /// Whether the next mark of the same kind as `cands[ci]` in this paragraph is a pure closer.
    fn next_is_pure_closer(&self, ci: usize) -> bool {
        let kind = self.cands[ci].close_kind;
        self.cands[ci + 1..]
            .iter()
            .find(|c| c.close_kind == kind)
            .is_some_and(Cand::pure_closer)
    }

    fn push(&mut self, open: Open) {
        self.open_count[open.kind as usize] += 1;
        self.stack.push(open);
    }

    fn pop(&mut self) -> Option<Open> {
        let open = self.stack.pop()?;
        self.open_count[open.kind as usize] -= 1;
        Some(open)
    }

    /// Opens a quotation at mark `c`.
    fn open(&mut self, c: Cand) {
        if c.open_kind == Kind::Double && self.stack.last().is_some_and(|o| o.kind == Kind::Double)
        {
            // A double quote opening inside a double quote: the earlier one was never closed.
            if let Some(prev) = self.pop() {
                self.recover(prev, c.pos);
            }
        }
        self.push(Open {
            kind: c.open_kind,
            pos: c.pos,
            len: c.len,
            style: c.style,
            paragraphs: 1,
        });
    }

    /// Closes the innermost open quotation of kind `c.close_kind` (which must exist) at mark `c`;
    /// quotations opened inside it and still open are recovered or dropped.
    fn close(&mut self, c: Cand) {
        while let Some(open) = self.pop() {
            if open.kind == c.close_kind {
                self.emit(open, c.pos, Some(c.pos + usize::from(c.len)));
                return;
            }
            self.recover(open, c.pos);
        }
    }

    /// Ends an unclosed quotation at `limit`: recovered if its kind allows, else dropped.
    fn recover(&mut self, open: Open, limit: usize) {
        if open.kind.recoverable() {
            self.emit(open, limit, None);
        }
    }

    /// Records the quotation opened by `open` whose inner text ends at `limit`; `close_end` is
    /// the end of its closing mark, `None` when unclosed. Empty quotations are dropped.
    fn emit(&mut self, open: Open, limit: usize, close_end: Option<usize>) {
        let inner = trim(self.text, open.pos + usize::from(open.len), limit);
        if inner.is_empty() {
            return;
        }
        self.out.push(Quote {
            span: Span::new(open.pos, close_end.unwrap_or(inner.end)),
            inner,
            mark: open.kind.mark(),
            closed: close_end.is_some(),
            depth: 0,
            paragraphs: open.paragraphs,
        });
    }

    /// Ends the paragraph ending at `end`: single quotes still open are dropped, double quotes
    /// recovered, except that the outermost one continues when the `next` paragraph opens with
    /// a matching mark. Returns whether it continues (the next paragraph's first mark is then
    /// consumed).
    fn end_paragraph(&mut self, end: usize, next: Option<Span>) -> bool {
        let continues = match (self.stack.first(), next) {
            (Some(&bottom), Some(next)) => self.continues(bottom, next),
            _ => false,
        };
        let keep = usize::from(continues);
        while self.stack.len() > keep {
            if let Some(open) = self.pop() {
                self.recover(open, end);
            }
        }
        if let Some(bottom) = self.stack.first_mut() {
            bottom.paragraphs = bottom.paragraphs.saturating_add(1);
        }
        continues
    }

    /// Whether paragraph `next` starts with a mark that continues the open quotation `open`.
    fn continues(&self, open: Open, next: Span) -> bool {
        let text = self.text;
        let Some(rest) = text.get(next.start..next.end.min(text.len())) else {
            return false;
        };
        let mut chars = rest.chars();
        let (Some(first), Some(second)) = (chars.next(), chars.next()) else {
            return false;
        };
        match open.kind {
            Kind::Double => {
                first == '"'
                    && !second.is_whitespace()
                    && !is_close_punct(second)
                    && match self.style(next.start) {
                        Style::Straight | Style::Left | Style::Low => true,
                        Style::Right => open.style == Style::Right,
                        Style::Prime => false,
                    }
            }
            Kind::GuilFr => matches!(first, '\u{AB}' | '\u{BB}'),
            _ => false,
        }
    }
}

/// Whether the single mark at `pos` is an apostrophe; for `'n'` also moves `skip_until` past
/// the second mark.
fn is_apostrophe(
    text: &str,
    pos: usize,
    end: usize,
    p: Option<char>,
    n: Option<char>,
    skip_until: &mut usize,
) -> bool {
    let (Some(nc), p_alnum) = (n, p.is_some_and(char::is_alphanumeric)) else {
        return false;
    };
    // `don't`, `Jaishankar’s`, `5'11"`.
    if p_alnum && nc.is_alphanumeric() {
        return true;
    }
    if p_alnum {
        return false;
    }
    let after = &text.as_bytes()[pos + 1..end];
    let at = |i: usize| after.get(i).copied();
    let not_word = |b: Option<u8>| b.is_none_or(|b| !(b.is_ascii_alphanumeric() || b >= 0x80));
    // `"Fake"'s`: a possessive after punctuation.
    if p.is_some_and(|c| !c.is_whitespace())
        && matches!(at(0), Some(b's' | b'S'))
        && not_word(at(1))
    {
        return true;
    }
    // `the '90s`, `class of '23`.
    if nc.is_ascii_digit() {
        let digits = after.iter().take_while(|b| b.is_ascii_digit()).count();
        let next = at(digits);
        return (next == Some(b's') && not_word(at(digits + 1))) || (digits == 2 && not_word(next));
    }
    // `rock 'n' roll`.
    if at(0) == Some(b'n') && at(1) == Some(b'\'') && not_word(at(2)) {
        *skip_until = pos + 3;
        return true;
    }
    // `'tis`, `'em`...
    let word_len = after.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if (2..=5).contains(&word_len) && not_word(at(word_len)) {
        let word = &after[..word_len];
        return ELISIONS
            .iter()
            .any(|e| word.eq_ignore_ascii_case(e.as_bytes()));
    }
    false
}

/// Words that start with an elided letter (`'tis`), so a `'` before them is an apostrophe.
const ELISIONS: &[&str] = &[
    "tis", "twas", "twere", "twill", "em", "cause", "cos", "til", "bout", "nuff",
];

/// Can open: a non-space (other than closing punctuation) follows, and the mark does not sit
/// right after a letter or digit.
fn left_flanking(p: Option<char>, n: Option<char>) -> bool {
    let Some(n) = n else {
        return false;
    };
    if n.is_whitespace() || is_close_punct(n) {
        return false;
    }
    p.is_none_or(|p| !p.is_alphanumeric())
}

/// Can close: a non-space (other than an opening bracket) precedes, and a space, punctuation or
/// the paragraph end follows.
fn right_flanking(p: Option<char>, n: Option<char>) -> bool {
    let Some(p) = p else {
        return false;
    };
    if p.is_whitespace() || matches!(p, '(' | '[' | '{') {
        return false;
    }
    n.is_none_or(|n| !n.is_alphanumeric())
}

/// A letter or digit on both sides.
fn both_alnum(p: Option<char>, n: Option<char>) -> bool {
    p.is_some_and(char::is_alphanumeric) && n.is_some_and(char::is_alphanumeric)
}

/// A space on both sides (not the paragraph start or end).
fn both_space(p: Option<char>, n: Option<char>) -> bool {
    p.is_some_and(char::is_whitespace) && n.is_some_and(char::is_whitespace)
}

/// Punctuation that follows a word and cannot start a quotation.
fn is_close_punct(c: char) -> bool {
    matches!(
        c,
        ',' | '.' | ';' | ':' | '!' | '?' | ')' | ']' | '}' | '\u{2026}'
    )
}

/// The char before byte `pos`, if it is at or after `start`.
#[inline]
fn prev_char(text: &str, start: usize, pos: usize) -> Option<char> {
    if pos <= start {
        return None;
    }
    let b = text.as_bytes()[pos - 1];
    if b < 0x80 {
        Some(char::from(b))
    } else {
        text.get(start..pos)?.chars().next_back()
    }
}

/// The char at byte `pos`, if `pos` is before `end`.
#[inline]
fn next_char(text: &str, pos: usize, end: usize) -> Option<char> {
    if pos >= end {
        return None;
    }
    let b = *text.as_bytes().get(pos)?;
    if b < 0x80 {
        Some(char::from(b))
    } else {
        text.get(pos..end)?.chars().next()
    }
}

/// `from..to` with ASCII whitespace trimmed from both ends (empty if nothing is left).
fn trim(text: &str, from: usize, to: usize) -> Span {
    let b = text.as_bytes();
    let mut s = from.min(b.len());
    let mut e = to.min(b.len()).max(s);
    while s < e && b[s].is_ascii_whitespace() {
        s += 1;
    }
    while e > s && b[e - 1].is_ascii_whitespace() {
        e -= 1;
    }
    Span::new(s, e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// (inner text, mark, closed, depth, paragraphs) of every quotation of `input`.
    fn found(input: &str) -> Vec<(String, Mark, bool, u8, u32)> {
        let doc = Document::new(input);
        let quotes = find_quotes(&doc, input);
        check_invariants(&doc, &quotes);
        quotes
            .iter()
            .map(|q| {
                (
                    q.inner.of(&doc.text).to_string(),
                    q.mark,
                    q.closed,
                    q.depth,
                    q.paragraphs,
                )
            })
            .collect()
    }

    /// The inner texts only.
    fn inners(input: &str) -> Vec<String> {
        found(input).into_iter().map(|q| q.0).collect()
    }

    fn q(
        inner: &str,
        mark: Mark,
        closed: bool,
        depth: u8,
        paragraphs: u32,
    ) -> (String, Mark, bool, u8, u32) {
        (inner.to_string(), mark, closed, depth, paragraphs)
    }

    fn check_invariants(doc: &Document, quotes: &[Quote]) {
        let text = doc.text.as_str();
        for q in quotes {
            assert!(q.span.contains(q.inner), "{q:?}");
            assert!(!q.inner.is_empty(), "{q:?}");
            assert!(q.span.end <= text.len(), "{q:?}");
            for b in [q.span.start, q.span.end, q.inner.start, q.inner.end] {
                assert!(text.is_char_boundary(b), "{q:?}");
            }
            assert!(q.paragraphs >= 1);
            let is_mark = |c: Option<char>| {
                matches!(
                    c,
                    Some('"' | '\'' | '\u{AB}' | '\u{BB}' | '\u{2039}' | '\u{203A}')
                )
            };
            assert!(is_mark(text[q.span.start..].chars().next()), "{q:?}");
            if q.closed {
                assert!(is_mark(text[..q.span.end].chars().next_back()), "{q:?}");
            } else {
                assert_eq!(q.span.end, q.inner.end, "{q:?}");
            }
            assert_eq!(q.paragraphs == 1, !q.span.of(text).contains('\n'), "{q:?}");
        }
        for w in quotes.windows(2) {
            assert!(w[0].span.start < w[1].span.start, "not sorted: {w:?}");
            // properly nested or disjoint
            assert!(
                w[1].span.start >= w[0].span.end || w[1].span.end <= w[0].span.end,
                "overlap: {w:?}"
            );
        }
        let top: Vec<&Quote> = quotes.iter().filter(|q| q.depth == 0).collect();
        for w in top.windows(2) {
            assert!(w[0].span.end <= w[1].span.start, "top-level overlap: {w:?}");
        }
    }

    #[test]
    fn straight_and_curly_double_quotes() {
        assert_eq!(
            found("The mayor said \"the bridge will open in May\" on Friday."),
            vec![q("the bridge will open in May", Mark::Double, true, 0, 1)]
        );
        assert_eq!(
            found("The mayor said \u{201C}the bridge will open in May\u{201D} on Friday."),
            vec![q("the bridge will open in May", Mark::Double, true, 0, 1)]
        );
        assert_eq!(
            inners("\"Yes,\" she said, \"we will.\" Then: \"No.\""),
            vec!["Yes,", "we will.", "No."]
        );
        // Spans include the marks, inner excludes them.
        let input = "He called it \u{201C}historic\u{201D}.";
        let doc = Document::new(input);
        let quotes = find_quotes(&doc, input);
        assert_eq!(quotes[0].span.of(&doc.text), "\"historic\"");
        assert_eq!(quotes[0].inner.of(&doc.text), "historic");
    }

    #[test]
    fn guillemets_either_direction_when_consistent() {
        assert_eq!(
            found("Il a dit \u{AB} nous reviendrons \u{BB} hier."),
            vec![q("nous reviendrons", Mark::Guillemet, true, 0, 1)]
        );
        assert_eq!(
            found("Er sagte \u{BB}Wir kommen wieder\u{AB} und ging."),
            vec![q("Wir kommen wieder", Mark::Guillemet, true, 0, 1)]
        );
        assert_eq!(
            inners("Single \u{2039}oui\u{203A} and \u{203A}ja\u{2039} marks."),
            vec!["oui", "ja"]
        );
        // `»...»` is not a quotation; an arrow in page chrome is not one either.
        assert!(found("Er sagte \u{BB}Nein\u{BB} und ging.").is_empty());
        assert!(found("Read more \u{BB}").is_empty());
        // An unclosed `«` is recovered at the paragraph end, not paired with another `«`.
        assert_eq!(
            found("Il a dit \u{AB}non\u{AB} hier."),
            vec![q("non\u{AB} hier.", Mark::Guillemet, false, 0, 1)]
        );
        // Nested double quotes inside guillemets (Russian style).
        assert_eq!(
            found("\u{AB}\u{201E}\u{41D}\u{435}\u{442}\u{201C}, \u{2014} ok\u{BB}"),
            vec![
                q(
                    "\"\u{41D}\u{435}\u{442}\", - ok",
                    Mark::Guillemet,
                    true,
                    0,
                    1
                ),
                q("\u{41D}\u{435}\u{442}", Mark::Double, true, 1, 1),
            ]
        );
    }

    #[test]
    fn single_quotes_and_apostrophes() {
        assert_eq!(
            found("Officials called it \u{2018}a setback\u{2019} on Monday."),
            vec![q("a setback", Mark::Single, true, 0, 1)]
        );
        assert_eq!(
            found("Officials called it 'a setback' on Monday."),
            vec![q("a setback", Mark::Single, true, 0, 1)]
        );
        for text in [
            "They don't know and won't say.",
            "Jaishankar\u{2019}s visit and Russia\u{2019}s reply.",
            "Music of the '90s and the \u{2018}80s came back.",
            "He loved rock 'n' roll and the blues.",
            "The workers' union met the bosses' club.",
            "\u{2019}Tis the season, and 'twas ever so.",
            "Let 'em talk about the class of '23 all day.",
            "The US' side said it was \"Fake\"'s fault.",
        ] {
            let got = found(text);
            assert!(got.iter().all(|q| q.1 != Mark::Single), "{text}: {got:?}");
        }
        // Apostrophes inside a single quotation do not end it.
        assert_eq!(
            inners("She said 'the workers' union won't back down' today."),
            vec!["the workers' union won't back down"]
        );
        assert_eq!(
            inners("'It is the workers' fault,' he said."),
            vec!["It is the workers' fault,"]
        );
        assert_eq!(
            inners("He said 'rock 'n' roll is back' again."),
            vec!["rock 'n' roll is back"]
        );
        assert_eq!(
            inners("They called it 'fake' news and the workers' union agreed."),
            vec!["fake"]
        );
    }

    #[test]
    fn single_quotes_must_close_in_their_paragraph() {
        // The opening mark never closes: dropped, not recovered.
        assert!(found("The 'plan was never published.\n\nNobody asked' again.").is_empty());
        assert!(found("Some call it 'progress and others do not.").is_empty());
        // A double quote in the same paragraph is unaffected.
        assert_eq!(inners("The 'plan was \"good\" enough."), vec!["good"]);
    }

    #[test]
    fn nested_quotes() {
        assert_eq!(
            found("\"He said 'no' loudly,\" the aide recalled."),
            vec![
                q("He said 'no' loudly,", Mark::Double, true, 0, 1),
                q("no", Mark::Single, true, 1, 1),
            ]
        );
        assert_eq!(
            found(
                "\u{201C}Passports of \u{2018}Fake\u{2019} farmers will be cancelled,\u{201D} police said."
            ),
            vec![
                q(
                    "Passports of 'Fake' farmers will be cancelled,",
                    Mark::Double,
                    true,
                    0,
                    1
                ),
                q("Fake", Mark::Single, true, 1, 1),
            ]
        );
        // British style: single outside, double inside.
        assert_eq!(
            found("'They shouted \"out\" at us,' he said."),
            vec![
                q("They shouted \"out\" at us,", Mark::Single, true, 0, 1),
                q("out", Mark::Double, true, 1, 1),
            ]
        );
        // Three levels.
        assert_eq!(
            found("\"A 'B \"C\" b' a\" end"),
            vec![
                q("A 'B \"C\" b' a", Mark::Double, true, 0, 1),
                q("B \"C\" b", Mark::Single, true, 1, 1),
                q("C", Mark::Double, true, 2, 1),
            ]
        );
    }

    #[test]
    fn multi_paragraph_quotation() {
        let input = "The minister spoke at length. \"We have made progress on trade.\n\n\
                     \"We will keep working on defence.\n\n\
                     \"And on energy,\" she said.\n\nAfter the talks, nothing changed.";
        assert_eq!(
            found(input),
            vec![q(
                "We have made progress on trade.\n\"We will keep working on defence.\n\"And on energy,",
                Mark::Double,
                true,
                0,
                3
            )]
        );
        // Curly marks, with a quotation nested in the second paragraph.
        let input = "\u{201C}First part.\n\n\u{201C}Second part with \u{2018}scare\u{2019} words,\u{201D} he said.";
        assert_eq!(
            found(input),
            vec![
                q(
                    "First part.\n\"Second part with 'scare' words,",
                    Mark::Double,
                    true,
                    0,
                    2
                ),
                q("scare", Mark::Single, true, 1, 1),
            ]
        );
        // French guillemets continue over paragraphs that reopen with `«`.
        assert_eq!(
            found("\u{AB} Premier.\n\n\u{AB} Second \u{BB}, dit-il."),
            vec![q("Premier.\n\u{AB} Second", Mark::Guillemet, true, 0, 2)]
        );
        // A paragraph that does not reopen ends the quotation there.
        assert_eq!(
            found("\"Not closed.\n\nPlain text \"here\"."),
            vec![
                q("Not closed.", Mark::Double, false, 0, 1),
                q("here", Mark::Double, true, 0, 1),
            ]
        );
        // A continued quotation that never closes is recovered at the end of its last paragraph.
        assert_eq!(
            found("\"One.\n\n\"Two.\n\nThree."),
            vec![q("One.\n\"Two.", Mark::Double, false, 0, 2)]
        );
    }

    #[test]
    fn unbalanced_marks_are_recovered() {
        let input = "He said \"we will never agree to this.\n\n\
                     The talks went on. Later he called it \"a \u{2018}good\u{2019} day\" for all.";
        assert_eq!(
            found(input),
            vec![
                q("we will never agree to this.", Mark::Double, false, 0, 1),
                q("a 'good' day", Mark::Double, true, 0, 1),
                q("good", Mark::Single, true, 1, 1),
            ]
        );
        // A new opening mark inside an open double quote: the first was never closed.
        assert_eq!(
            found("He called it \u{201C}a disaster, and \u{201C}a shame\u{201D} too."),
            vec![
                q("a disaster, and", Mark::Double, false, 0, 1),
                q("a shame", Mark::Double, true, 0, 1),
            ]
        );
        // A stray closer is ignored; the rest parses.
        assert_eq!(
            inners("It was over,\u{201D} he said. Then \u{201C}again\u{201D} it began."),
            vec!["again"]
        );
        // A space slipped in before a closer; a lone mark with a space after it at a
        // paragraph start opens nothing.
        assert_eq!(inners("It was \"over \". Then he left."), vec!["over"]);
        assert!(found("Text before.\n\n\" he said at the start.").is_empty());
        // Empty quotations are dropped.
        assert!(found("An empty \"\" pair and \u{201C} \u{201D} another.").is_empty());
    }

    #[test]
    fn inch_and_foot_marks() {
        assert!(found("He is 5'11\" tall and bought a 12\" record.").is_empty());
        assert!(found("The wall is 6' tall, the door 7' high.").is_empty());
        assert!(found("A 5\u{2032}11\u{2033} guard.").is_empty());
        assert_eq!(
            inners("\"I bought a 12\" record,\" she said."),
            vec!["I bought a 12\" record,"]
        );
        assert_eq!(
            inners("He called it \"Vision 2030\" and left."),
            vec!["Vision 2030"]
        );
        assert_eq!(inners("He is 6' tall and said 'fine' twice."), vec!["fine"]);
    }

    #[test]
    fn mismatched_curly_and_straight_marks() {
        assert_eq!(
            found("She said \u{201C}we agree\" and left."),
            vec![q("we agree", Mark::Double, true, 0, 1)]
        );
        assert_eq!(
            found(
                "\"The Americans have been trying... However, India is cautious,\u{201D} said Asthana."
            ),
            vec![q(
                "The Americans have been trying... However, India is cautious,",
                Mark::Double,
                true,
                0,
                1
            )]
        );
        // German low-high and Swedish right-right pairs.
        assert_eq!(
            inners("Er sagte \u{201E}Nein\u{201C} und ging."),
            vec!["Nein"]
        );
        assert_eq!(inners("Han sa \u{201D}Nej\u{201D} och gick."), vec!["Nej"]);
        // A curly opener right after a full stop (no space).
        assert_eq!(
            inners(
                "over the role of China.\u{201C}A clear understanding is required,\u{201D} he opined."
            ),
            vec!["A clear understanding is required,"]
        );
    }

    #[test]
    fn one_long_quotation_and_many_quotations() {
        let mut input = String::from("\u{201C}");
        for i in 0..200 {
            input.push_str(&format!("Sentence number {i} of the statement goes on. "));
        }
        input.push_str("The end.\u{201D}");
        let got = found(&input);
        assert_eq!(got.len(), 1);
        assert!(got[0].2);

        let mut input = String::new();
        for i in 0..1000 {
            input.push_str(&format!(
                "Speaker {i} said \u{201C}point {i} \u{2018}matters\u{2019}\u{201D} and 'so does' \"this\". "
            ));
            if i % 10 == 9 {
                input.push_str("\n\n");
            }
        }
        let start = std::time::Instant::now();
        let doc = Document::new(&input);
        let quotes = find_quotes(&doc, &input);
        assert!(start.elapsed().as_secs_f64() < 2.0);
        assert_eq!(quotes.len(), 4000);
        assert_eq!(quotes.iter().filter(|q| q.depth == 1).count(), 1000);
        check_invariants(&doc, &quotes);
    }

    #[test]
    fn pathological_input_is_linear() {
        let mut input = String::new();
        for _ in 0..20_000 {
            input.push_str("\"a '\u{AB} \u{2018}b \u{2039}c ");
        }
        let start = std::time::Instant::now();
        let doc = Document::new(&input);
        let quotes = find_quotes(&doc, &input);
        check_invariants(&doc, &quotes);
        assert!(start.elapsed().as_secs_f64() < 5.0);
    }

    #[test]
    fn hard_wrapped_quotation_is_one_quote() {
        let input = "\u{201C}The oil trade is booming,\nRussia's exports of coal have been also on the rise,\u{201D} remarked Zakharov.";
        assert_eq!(
            found(input),
            vec![q(
                "The oil trade is booming, Russia's exports of coal have been also on the rise,",
                Mark::Double,
                true,
                0,
                1
            )]
        );
    }

    #[test]
    fn headlines_and_ellipses() {
        assert_eq!(
            inners(
                "Police Crack Down: Visas of \u{2018}Fake\u{2019} Farmers Cancelled\n\nMinister Hails \u{2018}Ghazwa-E-Hind\u{2019}, Critics Fume"
            ),
            vec!["Fake", "Ghazwa-E-Hind"]
        );
        assert_eq!(
            inners("PM: 'We Will Win' ... Rivals Say \"Never...\""),
            vec!["We Will Win", "Never..."]
        );
        assert_eq!(
            inners("\"Well... we tried,\" he said, \"...and failed.\""),
            vec!["Well... we tried,", "...and failed."]
        );
    }

    #[test]
    fn mask() {
        let input = "A \"b 'c' d\" e \"f\" g";
        let doc = Document::new(input);
        let quotes = find_quotes(&doc, input);
        let inside: String = doc
            .text
            .char_indices()
            .filter(|&(i, _)| quoted_mask_contains(&quotes, i))
            .map(|(_, c)| c)
            .collect();
        assert_eq!(inside, "b 'c' df");
        assert!(!quoted_mask_contains(&quotes, doc.text.len() + 10));
        assert!(!quoted_mask_contains(&[], 0));
    }

    #[test]
    fn unrelated_or_empty_input() {
        let doc = Document::new("Say \u{201C}hi\u{201D}.");
        // A different input string only loses the curly directions; no panic.
        assert_eq!(find_quotes(&doc, "").len(), 1);
        assert_eq!(find_quotes(&doc, "\u{201D}\u{201D}\u{201D}").len(), 1);
        assert!(found("").is_empty());
        assert!(found("\"").is_empty());
        assert!(found("'").is_empty());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn never_panics_and_keeps_invariants(
            input in "([\"'\u{201C}\u{201D}\u{2018}\u{2019}\u{201E}\u{201A}\u{AB}\u{BB}\u{2039}\u{203A}\u{2032}\u{2033} \n.,a-c1-2\u{E9}-]|\n\n){0,80}"
        ) {
            let doc = Document::new(&input);
            let quotes = find_quotes(&doc, &input);
            check_invariants(&doc, &quotes);
            for q in &quotes {
                let _ = quoted_mask_contains(&quotes, q.inner.start);
                prop_assert!(quoted_mask_contains(&quotes, q.inner.start));
            }
        }

        #[test]
        fn never_panics_on_arbitrary_text(input in "\\PC{0,200}") {
            let doc = Document::new(&input);
            let quotes = find_quotes(&doc, &input);
            check_invariants(&doc, &quotes);
        }
    }
}
