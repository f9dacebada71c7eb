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
    let mut h = KeyHash::new(0);
    h.chunks(source.as_bytes());
    h.finish(source.len() as u64)
}

/// [`bare_line_key`] with the outlet's [`source_seed`]: the hash of the line's canonical form
/// (see [`canonical`]), which [`key_canonical`] makes and hashes in one pass over the line.
fn key_with_seed(seed: u64, line: &str) -> Option<u64> {
    if crate::plain::plain() {
        key_plain(seed, line)
    } else {
        key_canonical(seed, line)
    }
}

/// [`key_with_seed`] as first written: the [`canonical`] form made, then hashed.
fn key_plain(seed: u64, line: &str) -> Option<u64> {
    let (form, words) = canonical(line);
    let mut h = KeyHash::new(seed);
    h.chunks(form.as_bytes());
    (words >= MIN_WORDS).then(|| h.finish(form.len() as u64))
}

/// A line's canonical form, and its number of words: its words (runs of letters and digits)
/// lowercased, one space between two. Two lines have the same form exactly when they have
/// the same words in the same order, whatever their case, spacing and punctuation. Written
/// plainly, as the test oracle of [`key_canonical`] and the plain path ([`crate::plain`]).
fn canonical(line: &str) -> (String, usize) {
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in line.chars() {
        if crate::text::is_alphanumeric(c) {
            word.extend(c.to_lowercase());
        } else if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    (words.join(" "), words.len())
}

/// Each byte's part in a line's [`canonical`] form: an ASCII letter lowercased, a digit as it
/// is, a space for any other ASCII byte (a word break), and [`NON_ASCII`] for a byte of a
/// non-ASCII char, which is decoded.
static CANON: [u8; 256] = {
    let mut t = [b' '; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c >= 0x80 {
            NON_ASCII
        } else if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            b' '
        };
        b += 1;
    }
    t
};
const NON_ASCII: u8 = 0x80;

/// Bytes of [`key_canonical`]'s buffer of canonical bytes, flushed into the hash when fewer
/// than [`ROOM`] are left; past its end, room for a non-ASCII letter's lowercase (at most
/// three chars of four bytes).
const FORM: usize = 256; // a power of two (see the mask in `key_canonical`)
const ROOM: usize = 32;

/// The hash [`key_with_seed`] gives, of the [`canonical`] form made on the fly: each ASCII byte
/// is written to a buffer as [`CANON`] has it, with no branch on what it is (a space is
/// written at the next free place each time but kept only after a word char, so that a run of
/// spaces and punctuation leaves one space), and the buffer goes into the hash as it fills. A
/// non-ASCII char is decoded and its lowercase written when it is a letter or digit. Where the
/// processor has SSSE3, blocks of sixteen ASCII bytes are made canonical at once
/// ([`ssse3`]). A key of words hashed one at a time cost about a hundred instructions a
/// word, most of them finding each word's ends, with a mispredicted branch at each; this
/// keys the lines twice as fast.
fn key_canonical(seed: u64, line: &str) -> Option<u64> {
    #[cfg(target_arch = "x86_64")]
    let sixteen = ssse3::Ssse3::detect();
    #[cfg(not(target_arch = "x86_64"))]
    let sixteen = None;
    key_canonical_with(seed, line, sixteen)
}

/// The processor's SSSE3, where there is such a thing.
#[cfg(target_arch = "x86_64")]
type Sixteen = ssse3::Ssse3;
#[cfg(not(target_arch = "x86_64"))]
type Sixteen = std::convert::Infallible;

/// [`key_canonical`], sixteen bytes at a time with `sixteen`, else a byte at a time.
fn key_canonical_with(seed: u64, line: &str, sixteen: Option<Sixteen>) -> Option<u64> {
    #[cfg(not(target_arch = "x86_64"))]
    let _ = sixteen; // (never given: no block kernel here)
    let bytes = line.as_bytes();
    let mut h = KeyHash::new(seed);
    let mut form = [0u8; FORM + 16];
    // canonical bytes in `form`, and hashed before
    let (mut n, mut hashed) = (0usize, 0u64);
    // 1 after a word char, else 0
    let mut prev = 0usize;
    // spaces hashed (each between two words)
    let mut spaces = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        #[cfg(target_arch = "x86_64")]
        if let Some(ssse3) = &sixteen {
            (i, n, prev) = ssse3.ascii_blocks(bytes, i, &mut form, n, prev);
        }
        // each ASCII byte writes at most one byte: the buffer has room for these
        let ascii = &bytes[i..bytes.len().min(i + (FORM - n))];
        let mut taken = 0;
        for &b in ascii {
            let t = CANON[usize::from(b)];
            if t == NON_ASCII {
                break;
            }
            let alnum = usize::from(t != b' ');
            // (`n < FORM` here: the mask only spares the bounds check)
            form[n & (FORM - 1)] = t;
            n += alnum | prev;
            prev = alnum;
            taken += 1;
        }
        i += taken;
        if taken < ascii.len() {
            // a non-ASCII char (`n < FORM`, so its lowercase fits)
            let c = line[i..].chars().next().unwrap_or(' ');
            i += c.len_utf8();
            if crate::text::is_alphanumeric(c) {
                prev = 1;
                for l in c.to_lowercase() {
                    n += l.encode_utf8(&mut form[n..]).len();
                }
            } else {
                form[n] = b' ';
                n += prev;
                prev = 0;
            }
        }
        if n > FORM - ROOM {
            // Hash the full rounds of chunks but the last byte, which may be a space the
            // line ends with (dropped then), and move the rest to the front.
            let full = (n - 1) / LANES_BYTES * LANES_BYTES;
            h.chunks(&form[..full]);
            spaces += spaces_upto(&form[..full], 2 - spaces.min(2));
            form.copy_within(full..n, 0);
            hashed += full as u64;
            n -= full;
        }
    }
    // a space after the last word is none between two
    n -= usize::from(prev == 0 && n > 0);
    h.chunks(&form[..n]);
    spaces += spaces_upto(&form[..n], 2 - spaces.min(2));
    let words = if hashed + n as u64 == 0 {
        0
    } else {
        spaces + 1
    };
    (words >= MIN_WORDS).then(|| h.finish(hashed + n as u64))
}

/// The spaces in `form`, counted up to `most`: a key needs to know only whether its line has
/// [`MIN_WORDS`] words, two spaces in its canonical form.
fn spaces_upto(form: &[u8], most: usize) -> usize {
    memchr::memchr_iter(b' ', form).take(most).count()
}

/// [`key_canonical`]'s loop sixteen bytes at a time, for processors with SSSE3 (nearly every
/// x86-64 one since 2006): a block of ASCII is made canonical with compares (letters
/// lowercased, anything else a space), and the bytes it keeps (its letters and digits, and each
/// byte right after one) are packed together with a byte shuffle, eight at a time from a table
/// of the 256 patterns of eight bytes. Its test is [`key_canonical`]'s against [`key_plain`].
#[cfg(target_arch = "x86_64")]
mod ssse3 {
    use std::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_cmpgt_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8,
        _mm_or_si128, _mm_set_epi64x, _mm_set1_epi8, _mm_shuffle_epi8, _mm_storeu_si128,
    };

    use super::FORM;

    /// Proof that the processor has SSSE3: made only by [`Ssse3::detect`].
    pub(super) struct Ssse3(());

    impl Ssse3 {
        pub(super) fn detect() -> Option<Ssse3> {
            std::arch::is_x86_feature_detected!("ssse3").then_some(Ssse3(()))
        }

        /// [`ascii_blocks`].
        #[inline]
        pub(super) fn ascii_blocks(
            &self,
            bytes: &[u8],
            i: usize,
            form: &mut [u8; FORM + 16],
            n: usize,
            prev: usize,
        ) -> (usize, usize, usize) {
            // SAFETY: the processor has SSSE3 (`self` was made by `detect`).
            unsafe { ascii_blocks(bytes, i, form, n, prev) }
        }
    }

    /// For each pattern of eight bits, the positions of its set bits in order, then 0x80s (a
    /// shuffle writes zero for those): `PACK[m]` for the low half of a block, `PACK[m] + 8`
    /// for the high half (`PACK_HIGH`).
    static PACK: [[u8; 8]; 256] = pack(0);
    static PACK_HIGH: [[u8; 8]; 256] = pack(8);
    /// The set bits of each pattern (`count_ones` has no instruction of its own on the x86-64
    /// baseline).
    static KEPT: [u8; 256] = {
        let mut t = [0u8; 256];
        let mut m = 0;
        while m < 256 {
            t[m] = (m as u8).count_ones() as u8;
            m += 1;
        }
        t
    };

    const fn pack(offset: u8) -> [[u8; 8]; 256] {
        let mut t = [[0x80u8; 8]; 256];
        let mut m = 0;
        while m < 256 {
            let (mut bit, mut k) = (0, 0);
            while bit < 8 {
                if m & (1 << bit) != 0 {
                    t[m][k] = bit as u8 + offset;
                    k += 1;
                }
                bit += 1;
            }
            m += 1;
        }
        t
    }

    /// The canonical bytes of `bytes[i..]`, sixteen at a time (the last block padded with
    /// spaces), appended to `form` at `n`, for as long as each block is all ASCII and `form`
    /// has room for it before [`FORM`]; `prev` is 1 when the byte before `i` was a letter or
    /// digit. Returns the three where it stopped.
    #[target_feature(enable = "ssse3")]
    fn ascii_blocks(
        bytes: &[u8],
        mut i: usize,
        form: &mut [u8; FORM + 16],
        mut n: usize,
        mut prev: usize,
    ) -> (usize, usize, usize) {
        // Bytes compare as signed: those at 0x80 and above are negative, so neither digits
        // nor letters.
        let (slash, colon) = (_mm_set1_epi8(b'/' as i8), _mm_set1_epi8(b':' as i8));
        let (tick, brace) = (_mm_set1_epi8(b'`' as i8), _mm_set1_epi8(b'{' as i8));
        let space = _mm_set1_epi8(b' ' as i8);
        // the line's last bytes, fewer than a block, with spaces after them
        let mut tail = [b' '; 16];
        while n + 16 <= FORM && i < bytes.len() {
            let block = match bytes.get(i..i + 16) {
                Some(block) => block,
                None => {
                    // Spaces after the line's end change nothing: one right after a word
                    // char is kept, as a space the line ends with, and dropped with it.
                    tail[..bytes.len() - i].copy_from_slice(&bytes[i..]);
                    &tail
                }
            };
            // SAFETY: `_mm_loadu_si128` reads 16 bytes from the pointer with no alignment
            // required, and `block` is 16 readable bytes.
            let v: __m128i = unsafe { _mm_loadu_si128(block.as_ptr().cast()) };
            if _mm_movemask_epi8(v) != 0 {
                break; // a non-ASCII byte: the caller decodes its char
            }
            let digit = _mm_and_si128(_mm_cmpgt_epi8(v, slash), _mm_cmplt_epi8(v, colon));
            // `| 0x20` lowercases a letter and keeps a digit
            let lower = _mm_or_si128(v, space);
            let letter = _mm_and_si128(_mm_cmpgt_epi8(lower, tick), _mm_cmplt_epi8(lower, brace));
            let alnum = _mm_or_si128(digit, letter);
            // a letter lowercased, a digit, or a space
            let canon = _mm_or_si128(_mm_and_si128(lower, alnum), space);
            let word = _mm_movemask_epi8(alnum) as u32;
            let keep = word | (((word << 1) | prev as u32) & 0xffff);
            let (low, high) = ((keep & 0xff) as usize, (keep >> 8) as usize);
            let order = _mm_set_epi64x(
                i64::from_le_bytes(PACK_HIGH[high]),
                i64::from_le_bytes(PACK[low]),
            );
            let mut packed = [0u8; 16];
            // SAFETY: `_mm_storeu_si128` writes 16 bytes to the pointer with no alignment
            // required, and `packed` is 16 writable bytes.
            unsafe { _mm_storeu_si128(packed.as_mut_ptr().cast(), _mm_shuffle_epi8(canon, order)) };
            // the low half's kept bytes, then the high half's after them (each copy writes
            // eight bytes, past what it keeps: the next copy or block writes over them)
            form[n..n + 8].copy_from_slice(&packed[..8]);
            n += usize::from(KEPT[low]);
            form[n..n + 8].copy_from_slice(&packed[8..]);
            n += usize::from(KEPT[high]);
            prev = (word >> 15) as usize;
            i = bytes.len().min(i + 16);
        }
        (i, n, prev)
    }
}

/// A 64-bit hash of bytes: the eight-byte chunks (read little-endian, a last short one
/// zero-padded) are mixed in turn into four lanes, each with a multiply and a rotation, and
/// the end, the lanes one after the other and the byte length, goes through the SplitMix64
/// finaliser. The four lanes are four chains of multiplies that run side by side, where one
/// chain waited on each multiply. The same on every machine and run. Keys only meet other
/// keys of the same run, so the function may change between versions.
struct KeyHash {
    lanes: [u64; 4],
}

/// Bytes of four chunks, one to each lane: [`KeyHash::chunks`] takes a multiple of them in
/// every call but the last.
const LANES_BYTES: usize = 32;

impl KeyHash {
    fn new(seed: u64) -> KeyHash {
        KeyHash {
            lanes: [
                seed,
                seed ^ 0x243f_6a88_85a3_08d3,
                seed ^ 0x1319_8a2e_0370_7344,
                seed ^ 0xa409_3822_299f_31d0,
            ],
        }
    }

    #[inline(always)]
    fn mix(h: u64, x: u64) -> u64 {
        (h ^ x).wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(31)
    }

    #[inline(always)]
    fn word(eight: &[u8]) -> u64 {
        let mut w = [0u8; 8];
        w[..eight.len()].copy_from_slice(eight);
        u64::from_le_bytes(w)
    }

    /// `bytes` in chunks of eight, chunk `k` into lane `k % 4`; only the last call of a hash
    /// may take other than a multiple of [`LANES_BYTES`].
    #[inline]
    fn chunks(&mut self, bytes: &[u8]) {
        let mut fours = bytes.chunks_exact(LANES_BYTES);
        for four in &mut fours {
            for (lane, eight) in self.lanes.iter_mut().zip(four.chunks_exact(8)) {
                *lane = Self::mix(*lane, Self::word(eight));
            }
        }
        for (lane, eight) in self.lanes.iter_mut().zip(fours.remainder().chunks(8)) {
            *lane = Self::mix(*lane, Self::word(eight));
        }
    }

    /// The hash of what was mixed in, `len` bytes.
    fn finish(self, len: u64) -> u64 {
        let [a, b, c, d] = self.lanes;
        let mut z =
            Self::mix(Self::mix(Self::mix(a, b), c), d) ^ len.wrapping_mul(0xbf58_476d_1ce4_e5b9);
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
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3_000))]
        /// The canonical form made on the fly hashes as the form made plainly: lines of
        /// every length around the buffer's (runs of letters, of punctuation, of spaces;
        /// non-ASCII letters, one whose lowercase is two chars, non-ASCII punctuation).
        #[test]
        fn keys_made_on_the_fly_are_the_plain_keys(
            line in proptest::string::string_regex("([a-zA-Z0-9]{1,12}|[ .,'_\\-@\\[`{/:~\u{7f}\t]{1,4}|é|日|É|Σ|İ|\u{2019}|\u{a0}){0,120}").unwrap(),
            seed in proptest::prelude::any::<u64>(),
        ) {
            let plain = key_plain(seed, &line);
            proptest::prop_assert_eq!(key_canonical(seed, &line), plain, "{:?}", line);
            proptest::prop_assert_eq!(key_canonical_with(seed, &line, None), plain, "{:?}", line);
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

    /// Lines whose canonical form fills the buffer to each length around its size, ending in
    /// a word, a space, punctuation or a non-ASCII char: the key made on the fly is the plain
    /// one (the buffer is flushed but for its last byte, which may be a space to drop).
    #[test]
    fn keys_at_the_buffers_edge() {
        for word in 1..=20 {
            for len in FORM - 40..FORM + 40 {
                let mut line = String::new();
                while line.len() < len {
                    line.push_str(&"abcdefghijklmnopqrst"[..word]);
                    line.push(' ');
                }
                line.truncate(len);
                for end in ["", " ", "  .", ".", "\u{e9}", "\u{2019}", " x"] {
                    let line = format!("{line}{end}");
                    let plain = key_plain(7, &line);
                    assert_eq!(key_canonical(7, &line), plain, "{line:?}");
                    assert_eq!(key_canonical_with(7, &line, None), plain, "{line:?}");
                }
            }
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
