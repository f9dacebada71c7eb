//! Word counting, length-preserving case folding and byte-to-char offset conversion.

use unicode_segmentation::UnicodeSegmentation;

/// Number of Unicode (UAX #29) words in `text`: `text.unicode_words().count()`, so
/// punctuation and whitespace are not words, `India-Russia` is two and `it's` is one.
pub fn count_words(text: &str) -> usize {
    count_words_upto(text, usize::MAX)
}

/// `count_words(text).min(cap)`, stopping once `cap` words are counted: for a caller that
/// only compares a count with small numbers (a property test checks it against
/// [`count_words`]).
pub fn count_words_capped(text: &str, cap: usize) -> usize {
    if cap == 0 {
        return 0;
    }
    count_words_upto(text, cap)
}

/// [`count_words_capped`] with `cap` at least 1.
fn count_words_upto(text: &str, cap: usize) -> usize {
    if crate::plain::plain() {
        return text.unicode_words().take(cap).count();
    }
    // A word never spans ASCII whitespace (UAX #29 breaks on both sides of it, and a run of
    // whitespace holds no letter or digit), so the text is counted in pieces that end at
    // ASCII whitespace: each stretch of ASCII up to the chunk (between two ASCII
    // whitespace bytes) that holds the next non-ASCII char by the word rules restricted to
    // ASCII, that chunk by the full segmenter, and so on.
    let bytes = text.as_bytes();
    if text.is_ascii() {
        return count_ascii_words_capped(bytes, cap);
    }
    let mut count = 0;
    let mut i = 0;
    while i < bytes.len() && count < cap {
        let Some(k) = first_non_ascii(&bytes[i..]) else {
            count += count_ascii_words_capped(&bytes[i..], cap - count);
            break;
        };
        let other = i + k;
        let chunk_start = bytes[i..other]
            .iter()
            .rposition(u8::is_ascii_whitespace)
            .map_or(i, |p| i + p + 1);
        let chunk_end = bytes[other..]
            .iter()
            .position(u8::is_ascii_whitespace)
            .map_or(bytes.len(), |p| other + p);
        if chunk_start > i {
            count += count_ascii_words_capped(&bytes[i..chunk_start], cap - count);
        }
        if count < cap {
            // a chunk of a `str` cut at ASCII bytes is itself valid UTF-8
            count += std::str::from_utf8(&bytes[chunk_start..chunk_end])
                .map_or(0, |c| c.unicode_words().take(cap - count).count());
        }
        i = chunk_end;
    }
    count.min(cap)
}

/// Word classes of ASCII bytes under UAX #29.
#[derive(Clone, Copy, PartialEq, Eq)]
enum WordClass {
    Letter,
    Digit,
    /// `_` (ExtendNumLet): joins letters and digits, not a word on its own.
    Underscore,
    /// `:` (MidLetter): joins two letters.
    MidLetter,
    /// `.` and `'` (MidNumLet, Single_Quote): join two letters or two digits.
    MidNumLet,
    /// `,` and `;` (MidNum): join two digits.
    MidNum,
    Other,
}

/// The [`WordClass`] of every byte (non-ASCII bytes are `Other`; callers give ASCII only).
static WORD_CLASS: [WordClass; 256] = {
    let mut t = [WordClass::Other; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = match b as u8 {
            b'a'..=b'z' | b'A'..=b'Z' => WordClass::Letter,
            b'0'..=b'9' => WordClass::Digit,
            b'_' => WordClass::Underscore,
            b':' => WordClass::MidLetter,
            b'.' | b'\'' => WordClass::MidNumLet,
            b',' | b';' => WordClass::MidNum,
            _ => WordClass::Other,
        };
        b += 1;
    }
    t
};

/// [`count_ascii_words_capped`] of ASCII text without `_`. Without `_` (the only byte that joins
/// letters and digits and is not one), a word is a run of letters and digits, or several
/// runs joined by single bytes: `:` `.` `'` between two letters, `,` `;` `.` `'` between two
/// digits. So the words are the runs less the joins. The runs are counted from a mask of
/// the letters and digits, a bit a byte, sixty-four bytes at a time; a join is a single byte
/// that is not a space after a letter or digit, found from the same mask (few in prose:
/// `it's`, `U.S.`, `1,000`, `S-400`) and checked byte by byte. Stops at `cap` words: a run
/// is never taken back once counted (a join takes back the run after it, counted with it or
/// later), so the count so far never exceeds the final one. (A property test checks this
/// against the word rules' state machine and the segmenter.)
fn count_ascii_words_by_runs(chunk: &[u8], cap: usize) -> usize {
    use super::swar;
    let joins = |i: usize| -> bool {
        let (Some(&p), Some(&c), Some(&n)) = (
            i.checked_sub(1).and_then(|p| chunk.get(p)),
            chunk.get(i),
            chunk.get(i + 1),
        ) else {
            return false;
        };
        (p.is_ascii_alphabetic() && n.is_ascii_alphabetic() && matches!(c, b':' | b'.' | b'\''))
            || (p.is_ascii_digit() && n.is_ascii_digit() && matches!(c, b',' | b';' | b'.' | b'\''))
    };
    let mut runs = 0usize;
    let mut joined = 0usize;
    // is the byte before the block a letter or digit (in bit 0)?
    let mut carry = 0u64;
    for (b, block) in chunk.chunks(64).enumerate() {
        let at = 64 * b;
        // the last block is zero-padded: zero bytes are neither letters, digits nor spaces
        let mut padded = [0u8; 64];
        let block: &[u8; 64] = match block.try_into() {
            Ok(full) => full,
            Err(_) => {
                padded[..block.len()].copy_from_slice(block);
                &padded
            }
        };
        // letters and digits, and spaces, of the block
        let (alnum, space) = swar::alnum_and_space_masks(block);
        let after_alnum = (alnum << 1) | carry;
        runs += (alnum & !after_alnum).count_ones() as usize;
        let mut single = !alnum & after_alnum & !space;
        while single != 0 {
            joined += usize::from(joins(at + single.trailing_zeros() as usize));
            single &= single - 1;
        }
        carry = alnum >> 63;
        // every join found so far follows a run counted so far
        if runs - joined >= cap {
            return cap;
        }
    }
    (runs - joined).min(cap)
}

/// `unicode_words().count()` of ASCII text, stopping at `cap` words (`cap` at least 1):
/// rules WB5 to WB13b (whitespace breaks, like any other byte of class `Other`), and a
/// segment is a word when it holds a letter or a digit.
#[inline]
fn count_ascii_words_capped(chunk: &[u8], cap: usize) -> usize {
    // Longer text without `_` (nearly all of it) by runs, sixty-four bytes at a time; the
    // rest by the word rules' state machine.
    if chunk.len() >= 32 && memchr::memchr(b'_', chunk).is_none() {
        return count_ascii_words_by_runs(chunk, cap);
    }
    ascii_words_with(chunk, cap, |_| {})
}

/// The words of ASCII text as `unicode_word_indices` finds them, by byte range (a property
/// test checks them against it).
pub(crate) fn ascii_words(chunk: &[u8], word: impl FnMut(std::ops::Range<usize>)) {
    ascii_words_with(chunk, usize::MAX, word);
}

/// The ASCII word rules: `word` is given each word's byte range, up to `cap` words (at least
/// 1), and the number of words is returned.
#[inline(always)]
fn ascii_words_with(
    chunk: &[u8],
    cap: usize,
    mut word: impl FnMut(std::ops::Range<usize>),
) -> usize {
    use WordClass::*;
    let class = |i: usize| chunk.get(i).map_or(Other, |&b| WORD_CLASS[usize::from(b)]);
    let mut count = 0;
    let mut i = 0;
    while i < chunk.len() {
        let first = class(i);
        if !matches!(first, Letter | Digit | Underscore) {
            i += 1;
            continue;
        }
        let mut alnum = first != Underscore;
        let mut prev = first;
        let start = i;
        i += 1;
        while i < chunk.len() {
            let c = class(i);
            match c {
                Letter | Digit => {
                    alnum = true;
                    prev = c;
                    i += 1;
                    // the rest of a run of letters (the common case), eight bytes at a time
                    if c == Letter {
                        i = super::swar::run_end(chunk, i, chunk.len(), super::swar::not_letter);
                    }
                }
                Underscore => {
                    prev = c;
                    i += 1;
                }
                MidLetter | MidNumLet | MidNum => {
                    let next = class(i + 1);
                    let letters = prev == Letter && next == Letter && c != MidNum;
                    let digits = prev == Digit && next == Digit && c != MidLetter;
                    if !(letters || digits) {
                        break;
                    }
                    prev = next;
                    i += 2;
                }
                Other => break,
            }
        }
        if alnum {
            word(start..i);
            count += 1;
            if count >= cap {
                break;
            }
        }
    }
    count
}

/// ASCII letters and digits, by byte (no byte of a non-ASCII char is one): the table that the
/// attribution tokens and the lexicon automaton's byte classes read words by.
pub(crate) static ASCII_ALNUM: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    t
};

/// `c.is_alphanumeric()`, with two common cases answered first: ASCII, and the General
/// Punctuation block (U+2000 to U+206F: dashes, curly quotes, ellipses, spaces), which holds
/// no letter or digit (a test checks every char of it). News text is full of curly quotes
/// and dashes, and the standard library looks each up in its letter and number tables.
#[inline]
pub(crate) fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    if ('\u{2000}'..='\u{206F}').contains(&c) {
        return false;
    }
    c.is_alphanumeric()
}

/// Lowercases every char whose lowercase is exactly one char of the same UTF-8 length and
/// keeps every other char (`İ`, the Kelvin sign, ...), so the output has the same byte length
/// and the same char boundaries as `s`: byte offsets found in the folded text are valid in `s`.
///
/// The text is copied with its ASCII lowercased in one sweep; then only the non-ASCII chars,
/// found eight bytes at a time, are looked at, and the few whose lowercase differs replaced
/// in place (a property test checks this against `fold_case_by_char`, the char-by-char fold).
pub fn fold_case(s: &str) -> String {
    if crate::plain::plain() {
        return fold_case_by_char(s);
    }
    let mut out = s.to_ascii_lowercase();
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(k) = first_non_ascii(&bytes[i..]) {
        i += k;
        let c = s[i..].chars().next().unwrap_or('\u{FFFD}');
        let mut lower = c.to_lowercase();
        if let (Some(l), None) = (lower.next(), lower.next())
            && l != c
            && l.len_utf8() == c.len_utf8()
        {
            out.replace_range(i..i + c.len_utf8(), l.encode_utf8(&mut [0; 4]));
        }
        i += c.len_utf8();
    }
    out
}

/// The index of the first byte of `bytes` at or above 0x80, reading eight bytes at a time.
#[inline]
fn first_non_ascii(bytes: &[u8]) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let high = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8])) & 0x8080_8080_8080_8080;
        if high != 0 {
            return Some(at + high.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| b >= 0x80)
        .map(|k| at + k)
}

/// [`fold_case`] as first written: ASCII runs lowercased, other chars one at a time (the
/// plain path, [`crate::plain`]).
fn fold_case_by_char(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    // Start of the pending ASCII run.
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] < 0x80 {
            i += 1;
            continue;
        }
        push_ascii_lower(&mut out, &s[run..i]);
        let c = s[i..].chars().next().unwrap_or('\u{FFFD}');
        let mut lower = c.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(l), None) if l.len_utf8() == c.len_utf8() => out.push(l),
            _ => out.push(c),
        }
        i += c.len_utf8();
        run = i;
    }
    push_ascii_lower(&mut out, &s[run..]);
    out
}

/// Appends `ascii` lowercased.
fn push_ascii_lower(out: &mut String, ascii: &str) {
    let from = out.len();
    out.push_str(ascii);
    out[from..].make_ascii_lowercase();
}

/// Converts byte offsets into `text` to char offsets, walking the text once.
///
/// `sorted_bytes` should be ascending and on char boundaries; offsets past the end count as
/// the end, and an offset inside a char counts the chars that start before it. Unsorted input
/// still gives correct answers, at the cost of walking back.
pub fn char_offsets(text: &str, sorted_bytes: &[usize]) -> Vec<usize> {
    let mut cursor = CharCursor::default();
    sorted_bytes
        .iter()
        .map(|&b| cursor.chars_at(text, b))
        .collect()
}

/// Char offsets of byte offsets asked one at a time, counted from the one asked before: the
/// spans of hits and quotations, asked for in text order (each start, then its end), cost a
/// walk of the text, with no list of offsets to sort and search. A cursor is for one text:
/// every call gives it the same one.
#[derive(Debug, Default, Clone, Copy)]
pub struct CharCursor {
    byte: usize,
    chars: usize,
}

impl CharCursor {
    /// The chars of `text` that start before byte `target` (the end for an offset past it;
    /// inside a char, the chars that start before it). Walks back from an offset further on.
    #[inline]
    pub fn chars_at(&mut self, text: &str, target: usize) -> usize {
        let bytes = text.as_bytes();
        let target = target.min(bytes.len());
        if target >= self.byte {
            self.chars += count_char_starts(&bytes[self.byte..target]);
        } else {
            self.chars -= count_char_starts(&bytes[target..self.byte]);
        }
        self.byte = target;
        self.chars
    }
}

/// Number of bytes in `bytes` that start a UTF-8 char (are not continuation bytes): eight
/// bytes at a time, a continuation byte being one whose top two bits are `10` (a property
/// test checks this against the byte-by-byte count). Each byte of a counter counts the
/// continuation bytes at its place in the eight, up to [`LANE_CHUNKS`] chunks, and the eight
/// counts are then added up: a population count a chunk took a dozen instructions on the
/// processors this is built for (the instruction is not in the x86-64 baseline).
#[inline]
fn count_char_starts(bytes: &[u8]) -> usize {
    if crate::plain::plain() {
        return count_char_starts_by_byte(bytes);
    }
    let mut continuations = 0;
    let mut whole = 0;
    for stretch in bytes.chunks(8 * LANE_CHUNKS) {
        let mut chunks = stretch.chunks_exact(8);
        let mut lanes = 0u64;
        for chunk in &mut chunks {
            let w = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
            // bit 7 of each byte set and bit 6 (shifted up into bit 7) clear, moved to bit 0
            lanes += (w & !(w << 1) & 0x8080_8080_8080_8080) >> 7;
        }
        continuations += sum_lanes(lanes);
        whole += stretch.len() - chunks.remainder().len();
        if !chunks.remainder().is_empty() {
            // only the last stretch is short
            return whole - continuations + count_char_starts_by_byte(chunks.remainder());
        }
    }
    whole - continuations
}

/// Chunks of eight bytes [`count_char_starts`] counts in the bytes of one `u64` before adding
/// them up: a byte holds 255.
const LANE_CHUNKS: usize = 255;

/// The sum of the eight bytes of `x`: added in pairs into four 16-bit lanes (each at most
/// 510), which a multiply adds up into the top 16 bits (at most 2,040, no carry out).
#[inline]
fn sum_lanes(x: u64) -> usize {
    let pairs = (x & 0x00ff_00ff_00ff_00ff) + ((x >> 8) & 0x00ff_00ff_00ff_00ff);
    (pairs.wrapping_mul(0x0001_0001_0001_0001) >> 48) as usize
}

/// [`count_char_starts`] one byte at a time.
fn count_char_starts_by_byte(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

#[cfg(test)]
mod tests {
    #[test]
    fn alphanumeric_is_the_standard_librarys_for_every_char() {
        let differ: Vec<char> = (0..=char::MAX as u32)
            .filter_map(char::from_u32)
            .filter(|&c| super::is_alphanumeric(c) != c.is_alphanumeric())
            .collect();
        assert!(differ.is_empty(), "{differ:?}");
    }

    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        /// The chunked ASCII counter agrees with the full segmenter on text made of the
        /// characters that matter to the word rules, ASCII and not.
        #[test]
        fn fast_word_count_is_the_segmenters(
            text in proptest::string::string_regex(
                "[a-zA-Z0-9_:.',; \t\n\"!?()$%&/-]{0,40}|[aZ9_:.',; é’“\u{301}\u{200d}\u{93e}日😀\u{a0}\u{2019}·]{0,24}|[ab1.,' _\u{301}é]{0,16}|([a-zA-Z]{1,20}[ .,'_:9@\\[`{]{1,2}){0,6}"
            ).unwrap()
        ) {
            proptest::prop_assert_eq!(count_words(&text), text.unicode_words().count(), "{:?}", text);
        }

        /// Counting char starts eight bytes at a time is counting them one at a time, from
        /// any byte (inside a char too).
        #[test]
        fn char_starts_by_word_are_by_byte(
            text in "[a\u{e9}\u{20ac}\u{1f600}\u{7f}\u{80}\u{7ff}\u{800}\u{ffff}\u{10000} ]{0,40}",
            from in 0usize..12,
            repeat in proptest::sample::select(vec![1usize, 60, 300]),
        ) {
            // (repeated: texts past a counter's 255 chunks, of one char over and over too)
            let text = text.repeat(repeat);
            let bytes = &text.as_bytes()[from.min(text.len())..];
            proptest::prop_assert_eq!(count_char_starts(bytes), count_char_starts_by_byte(bytes));
        }

        /// Folding in place is folding char by char.
        #[test]
        fn fold_case_is_the_char_by_char_fold(
            text in "[aZ \u{c9}\u{e9}\u{130}\u{212a}\u{3a3}\u{1e9e}\u{2c65}\u{23a}\u{10400}\u{1f600}\u{2019}]{0,40}|\\PC{0,20}",
        ) {
            proptest::prop_assert_eq!(fold_case(&text), fold_case_by_char(&text));
        }

        /// Long stretches of ASCII (counted by runs) between non-ASCII chunks are counted as
        /// the segmenter counts them, capped or not.
        #[test]
        fn mixed_text_is_counted_as_the_segmenter_counts(
            text in proptest::string::string_regex(
                "([a-zA-Z0-9 .,':_\n-]{0,70}[é日’\u{301}\u{200d}😀 ]{0,3}){0,5}"
            ).unwrap(),
            cap in 1usize..60,
        ) {
            let want = text.unicode_words().count();
            proptest::prop_assert_eq!(count_words(&text), want, "{:?}", text);
            proptest::prop_assert_eq!(count_words_capped(&text, cap), want.min(cap), "{:?} {}", text, cap);
        }

        /// The capped count is the full count, capped.
        #[test]
        fn capped_word_count_is_the_count_capped(
            text in proptest::string::string_regex(
                "[a-zA-Z0-9_:.',; \t\n\"!?()$%&/-]{0,40}|[aZ9_:.',; é’“\u{301}\u{200d}\u{93e}日😀\u{a0}\u{2019}·]{0,24}|[ab1.,' _\u{301}é]{0,16}|([a-zA-Z]{1,20}[ .,'_:9@\\[`{]{1,2}){0,6}"
            ).unwrap(),
            cap in 0usize..12,
        ) {
            proptest::prop_assert_eq!(count_words_capped(&text, cap), count_words(&text).min(cap), "{:?}", text);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        /// The ASCII words are the segmenter's, by position.
        #[test]
        fn ascii_words_are_the_segmenters(
            text in proptest::string::string_regex(
                "[a-zA-Z0-9_:.',; \t\n\"!?()$%&/-]{0,40}|[ab1.,' _:;]{0,16}|([a-zA-Z]{1,20}[ .,'_:9@\\[`{]{1,2}){0,6}"
            ).unwrap()
        ) {
            let mut got = Vec::new();
            ascii_words(text.as_bytes(), |r| got.push(r));
            let want: Vec<std::ops::Range<usize>> = text
                .unicode_word_indices()
                .map(|(i, w)| i..i + w.len())
                .collect();
            proptest::prop_assert_eq!(got, want, "{:?}", text);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        /// Counting runs less joins is counting by the word rules' state machine, for ASCII
        /// text without `_` of any length (blocks of 64 bytes and what is left), and the
        /// segmenter's count.
        #[test]
        fn word_count_by_runs_is_the_state_machines(
            text in proptest::string::string_regex(
                "[a-zA-Z0-9:.',; \t\n\"!?()$%&/-]{0,200}|([a-zA-Z0-9]{1,9}[ .,';:9a\n-]{1,2}){0,40}|[a1.,';: ]{0,150}"
            ).unwrap(),
            cap in 1usize..40,
        ) {
            let bytes = text.as_bytes();
            let want = ascii_words_with(bytes, usize::MAX, |_| {});
            proptest::prop_assert_eq!(count_ascii_words_by_runs(bytes, usize::MAX), want, "{:?}", text);
            proptest::prop_assert_eq!(count_ascii_words_by_runs(bytes, cap), want.min(cap), "{:?} {}", text, cap);
            proptest::prop_assert_eq!(count_words(&text), text.unicode_words().count(), "{:?}", text);
        }
    }

    #[test]
    fn words_by_runs_across_blocks() {
        // joins and runs that straddle the 64-byte blocks
        for pad in 0..70 {
            for tail in [
                "it's U.S. 1,000 3.5 a:b S-400 x..y 1;2 a,b",
                "ab.",
                "a1'2b",
                "9,",
            ] {
                let text = format!("{}{tail} end", "w ".repeat(pad / 2) + &"z".repeat(pad % 2));
                assert_eq!(
                    count_ascii_words_by_runs(text.as_bytes(), usize::MAX),
                    text.unicode_words().count(),
                    "{text:?}"
                );
            }
        }
    }

    #[test]
    fn words() {
        assert_eq!(count_words(""), 0);
        assert_eq!(count_words("India-Russia ties, it's $50 billion!"), 6);
        assert_eq!(count_words(" ... "), 0);
    }

    #[test]
    fn folding() {
        assert_eq!(fold_case("Hello WORLD"), "hello world");
        assert_eq!(fold_case("ÉCOLE Ünïcode ΣΑΣ"), "école ünïcode σασ");
        // İ lowercases to two chars; the Kelvin sign to a 1-byte `k`: both kept.
        assert_eq!(fold_case("İ\u{212A}"), "İ\u{212A}");
        assert_eq!(fold_case("ÀB€c"), "àb€c");
    }

    #[test]
    fn offsets() {
        let t = "a€b😀c";
        assert_eq!(char_offsets(t, &[0, 1, 4, 5, 9, 10]), [0, 1, 2, 3, 4, 5]);
        assert_eq!(char_offsets(t, &[]), Vec::<usize>::new());
        assert_eq!(char_offsets(t, &[100]), [5]);
        assert_eq!(char_offsets(t, &[5, 1]), [3, 1]);
    }
}
