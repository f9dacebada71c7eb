//! Repetition: a line that recurs across many articles of the same outlet is the outlet's page
//! furniture, not its reporting. Lines are counted in a first pass over the corpus, at most
//! once per article, by a hash of the outlet and the line's words (lowercased, markup out).
//!
//! Memory is bounded: the counter keeps at most [`CAPACITY`] lines (Misra & Gries 1982, the
//! "frequent items" summary). Until that many distinct lines have been seen the counts are
//! exact; beyond, every line kept is undercounted by at most `N / (CAPACITY + 1)` (`N` the
//! lines counted), so a line is never flagged on an overcount.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use crate::corpus::Identity;

use super::markup;

/// Most distinct lines the counter keeps (about 8 MiB).
pub const CAPACITY: usize = 1 << 18;
/// A line is counted only if it has at least this many words: shorter lines (`Menu`,
/// `Share`) are left to the boilerplate patterns and the structure rules.
pub const MIN_WORDS: usize = 3;
/// A line is repeated when it is in at least this many of an outlet's articles...
pub const MIN_ARTICLES: u32 = 3;
/// ...and in at least this share of them.
pub const MIN_SHARE: f64 = 0.5;

/// The counting key of a line of an outlet, or `None` for a line too short to count: a 64-bit
/// hash of the outlet and the line's words, a word being a run of letters and digits,
/// lowercased (markup out; punctuation, quotes and spacing do not matter).
pub fn line_key(source: &str, line: &str) -> Option<u64> {
    bare_line_key(source, &markup::plain(line))
}

/// [`line_key`] of a line whose markup is already out ([`markup::plain`]).
pub fn bare_line_key(source: &str, line: &str) -> Option<u64> {
    key_with_seed(source_seed(source), line)
}

/// The part of every key of `source` that depends on the outlet.
fn source_seed(source: &str) -> u64 {
    let mut h = KeyHash { h: 0, len: 0 };
    for &b in source.as_bytes() {
        h.mix(u64::from(b));
    }
    h.finish()
}

/// [`bare_line_key`] with the outlet's [`source_seed`]. Runs of ASCII letters and digits (most
/// of a line) are taken eight bytes at a time; other letters one at a time.
fn key_with_seed(seed: u64, line: &str) -> Option<u64> {
    if crate::plain::plain() {
        key_with::<false>(seed, line)
    } else {
        key_with::<true>(seed, line)
    }
}

/// [`key_with_seed`]: with `IN_PLACE`, a run's end found and its chunks read eight bytes at a
/// time in place; without, as first written, the run walked byte by byte and each chunk
/// copied out (the plain path, [`crate::plain`]).
fn key_with<const IN_PLACE: bool>(seed: u64, line: &str) -> Option<u64> {
    let mut h = KeyHash { h: seed, len: 0 };
    let mut words = 0;
    let mut in_word = false;
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if crate::text::ASCII_ALNUM[usize::from(b)] {
            if !in_word {
                words += 1;
                in_word = true;
                h.mix(WORD_START); // separates words: `ab c` is not `a bc`
            }
            let start = i;
            if IN_PLACE {
                i = crate::text::swar::run_end(bytes, i, bytes.len(), crate::text::swar::not_alnum);
                h.ascii_run(bytes, start, i);
            } else {
                while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                    i += 1;
                }
                for chunk in bytes[start..i].chunks(8) {
                    let mut word = [0u8; 8];
                    word[..chunk.len()].copy_from_slice(chunk);
                    let mut x = u64::from_le_bytes(word);
                    x |= 0x2020_2020_2020_2020 & (u64::MAX >> (8 * (8 - chunk.len())));
                    h.mix(x);
                }
            }
            continue;
        }
        if b < 0x80 {
            in_word = false;
            i += 1;
            continue;
        }
        let c = line[i..].chars().next().unwrap_or(' ');
        i += c.len_utf8();
        if crate::text::is_alphanumeric(c) {
            if !in_word {
                words += 1;
                in_word = true;
                h.mix(WORD_START);
            }
            for l in c.to_lowercase() {
                h.mix(NON_ASCII | u64::from(l));
            }
        } else {
            in_word = false;
        }
    }
    (words >= MIN_WORDS).then(|| h.finish())
}

/// What [`KeyHash`] mixes in at a word start, and the mark of a non-ASCII letter: neither can
/// be a chunk of ASCII letters and digits (those have no byte at or above 0x80).
const WORD_START: u64 = u64::MAX;
const NON_ASCII: u64 = 1 << 63;

/// A 64-bit hash of a line's words: each item (a word start, eight lowercased ASCII letters
/// or digits, a non-ASCII letter) is mixed in with a multiply, and the end goes through the
/// SplitMix64 finaliser. The same on every machine and run. Keys only meet other keys of the
/// same run, so the function may change between versions.
struct KeyHash {
    h: u64,
    /// Items mixed in.
    len: u64,
}

impl KeyHash {
    #[inline]
    fn mix(&mut self, x: u64) {
        self.h = (self.h ^ x)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(31);
        self.len += 1;
    }

    /// The run `bytes[start..end]` of ASCII letters and digits, lowercased (`| 0x20`
    /// lowercases a letter and keeps a digit), eight bytes at a time: each chunk is read as
    /// a little-endian integer, a last short one zero-padded.
    #[inline]
    fn ascii_run(&mut self, bytes: &[u8], start: usize, end: usize) {
        let mut at = start;
        while at < end {
            let len = (end - at).min(8);
            // the bytes past the chunk, when the line has them, are masked off
            let mut x = match bytes.get(at..at + 8) {
                Some(eight) => u64::from_le_bytes(eight.try_into().unwrap_or([0; 8])),
                None => {
                    let mut word = [0u8; 8];
                    word[..len].copy_from_slice(&bytes[at..at + len]);
                    u64::from_le_bytes(word)
                }
            };
            let used = u64::MAX >> (8 * (8 - len));
            x = (x & used) | (0x2020_2020_2020_2020 & used);
            self.mix(x);
            at += len;
        }
    }

    fn finish(self) -> u64 {
        let mut z = self.h ^ self.len.wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// The distinct line keys of one article, sorted.
pub fn article_keys(source: &str, text: &str) -> Vec<u64> {
    let seed = source_seed(source);
    // The lines between line-end bytes, as `text.split(['\n', '\r'])` gives them, found with
    // memchr instead of decoding every char.
    let mut keys = Vec::new();
    let mut start = 0;
    for end in memchr::memchr2_iter(b'\n', b'\r', text.as_bytes()).chain([text.len()]) {
        if let Some(k) = key_with_seed(seed, &markup::plain(&text[start..end])) {
            keys.push(k);
        }
        start = end + 1;
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Counts lines over the corpus (the first pass).
#[derive(Debug, Default)]
pub struct LineCounter {
    /// Line keys are hashes already: the map passes them through (SipHash on each was most of
    /// the counting thread's time).
    counts: HashMap<u64, u32, BuildHasherDefault<Identity>>,
    articles: HashMap<String, u32>,
    /// Lines counted, and whether the capacity was ever reached.
    pub lines: u64,
    saturated: bool,
}

impl LineCounter {
    /// Counts the lines of one article (each distinct line once).
    pub fn add_article(&mut self, source: &str, text: &str) {
        let keys = article_keys(source, text);
        self.add_keys(source, &keys);
    }

    /// Counts one article's [`article_keys`] (computed on any thread; added in input order,
    /// so the result does not depend on the thread count).
    pub fn add_keys(&mut self, source: &str, keys: &[u64]) {
        match self.articles.get_mut(source) {
            Some(n) => *n += 1,
            None => {
                self.articles.insert(source.to_string(), 1);
            }
        }
        for &k in keys {
            self.lines += 1;
            if let Some(c) = self.counts.get_mut(&k) {
                *c += 1;
            } else if self.counts.len() < CAPACITY {
                self.counts.insert(k, 1);
            } else {
                // Misra-Gries: a new line when full takes one from every count.
                self.saturated = true;
                self.counts.retain(|_, c| {
                    *c -= 1;
                    *c > 0
                });
            }
        }
    }

    /// The final counts. A line counted in fewer than [`MIN_ARTICLES`] articles can never be
    /// flagged, so it is dropped here; the largest count left bounds every lookup (see
    /// [`Repeated::repeated_bare`]).
    pub fn finish(mut self) -> Repeated {
        self.counts.retain(|_, c| *c >= MIN_ARTICLES);
        self.counts.shrink_to_fit();
        Repeated {
            max_count: self.counts.values().copied().max().unwrap_or(0),
            counts: self.counts,
            articles: self.articles,
            saturated: self.saturated,
        }
    }
}

/// The result of the first pass.
#[derive(Debug, Clone, Default)]
pub struct Repeated {
    counts: HashMap<u64, u32, BuildHasherDefault<Identity>>,
    /// The largest of `counts` (0 when there are none).
    max_count: u32,
    articles: HashMap<String, u32>,
    /// The counter was full at some point, so counts may be low (never high).
    pub saturated: bool,
}

impl Repeated {
    /// `(articles with the line, articles of the outlet)` when the line is repeated.
    pub fn repeated(&self, source: &str, line: &str) -> Option<(u32, u32)> {
        self.repeated_bare(source, &markup::plain(line))
    }

    /// [`Repeated::repeated`] of a line whose markup is already out.
    pub fn repeated_bare(&self, source: &str, line: &str) -> Option<(u32, u32)> {
        let total = *self.articles.get(source)?;
        // No count reaches the outlet's threshold (often the case for every outlet): no line
        // of it is repeated, and its key need not be worked out.
        if !Self::flags(self.max_count, total) && !crate::plain::plain() {
            return None;
        }
        let key = bare_line_key(source, line)?;
        let count = *self.counts.get(&key)?;
        Self::flags(count, total).then_some((count, total))
    }

    /// A line in `count` of the outlet's `total` articles is repeated (monotone in `count`).
    fn flags(count: u32, total: u32) -> bool {
        count >= MIN_ARTICLES && f64::from(count) >= MIN_SHARE * f64::from(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        /// Reading chunks in place keys every line as copying them out did.
        #[test]
        fn keys_read_in_place_are_the_same(
            line in proptest::string::string_regex("[a-zA-Z0-9 .,'_\\-é日ÉΣ@\\[`{/:~\u{7f}]{0,60}").unwrap(),
            seed in proptest::prelude::any::<u64>(),
        ) {
            proptest::prop_assert_eq!(key_with::<true>(seed, &line), key_with::<false>(seed, &line));
        }
    }

    proptest::proptest! {
        /// Lines found with memchr are the lines `str::split` gives.
        #[test]
        fn article_keys_split_lines_as_str_split(
            text in proptest::string::string_regex("(Share this \\*now\\*|[a-z]{1,6}|é|日| |\n|\r|\r\n){0,40}").unwrap(),
        ) {
            let seed = source_seed("S");
            let mut plain: Vec<u64> = text
                .split(['\n', '\r'])
                .filter_map(|l| key_with_seed(seed, &markup::plain(l)))
                .collect();
            plain.sort_unstable();
            plain.dedup();
            proptest::prop_assert_eq!(article_keys("S", &text), plain);
        }
    }

    /// Keys see words, not spacing, punctuation, case or markup; and where each word starts.
    #[test]
    fn keys_are_of_the_words() {
        let key = |l: &str| line_key("S", l);
        assert_eq!(key("Share this, now!"), key("share  THIS now"));
        assert_eq!(key("Read **more** here"), key("read more here"));
        assert_eq!(key("Café au lait"), key("CAFÉ au  lait."));
        assert_eq!(key("a b"), None, "two words are too few");
        // Pairs of lines of the same items (runs of eight bytes, letters) but for where a
        // word starts, and of at least three words each.
        for (a, b) in [
            ("abcdefghij kl mn", "abcdefgh ij kl mn"),
            ("é ab cd ef", "éab cd ef"),
            ("ab é cd ef", "abé cd ef"),
            ("ab cd ef", "ab cd eg"),
        ] {
            assert!(key(a).is_some() && key(b).is_some(), "{a} / {b}");
            assert_ne!(key(a), key(b), "{a} / {b}");
        }
        assert_ne!(line_key("S", "ab cd ef"), line_key("T", "ab cd ef"));
    }

    #[test]
    fn flags_lines_in_half_of_an_outlets_articles() {
        let mut c = LineCounter::default();
        let chrome = "Subscribe to our daily newsletter for more.";
        for i in 0..6 {
            let extra = if i < 3 {
                "\nThe same stock sentence appears here."
            } else {
                ""
            };
            c.add_article(
                "A",
                &format!("Story number {i} is told here.\n{chrome}{extra}\n{chrome}"),
            );
        }
        c.add_article("B", chrome);
        let r = c.finish();
        assert_eq!(r.repeated("A", chrome), Some((6, 6)));
        assert_eq!(
            r.repeated("A", "SUBSCRIBE to our [daily](#) newsletter for more!"),
            Some((6, 6))
        );
        assert_eq!(
            r.repeated("A", "The same stock sentence appears here."),
            Some((3, 6))
        );
        assert_eq!(r.repeated("A", "Story number 1 is told here."), None);
        assert_eq!(
            r.repeated("B", chrome),
            None,
            "one article is no repetition"
        );
        assert_eq!(r.repeated("A", "Share post"), None, "too short to count");
        assert_ne!(line_key("A", "ab c d"), line_key("A", "a bc d"));
        assert_eq!(
            line_key("A", "\u{c9}t\u{e9} 2023, here"),
            line_key("A", "\u{e9}T\u{c9} 2023 HERE")
        );
        assert!(!r.saturated);
    }

    #[test]
    fn bounded_memory_keeps_frequent_lines() {
        let mut c = LineCounter::default();
        let chrome = "Follow us on every network you use.";
        for i in 0..(CAPACITY / 2 + 10) {
            c.add_article(
                "A",
                &format!("unique line number {i}\nanother unique line {i}\n{chrome}"),
            );
        }
        assert!(c.counts.len() <= CAPACITY);
        let r = c.finish();
        assert!(r.saturated);
        assert!(r.repeated("A", chrome).is_some());
        assert_eq!(r.repeated("A", "unique line number 5"), None);
    }
}
