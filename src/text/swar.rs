//! Byte classes eight bytes at a time ("SIMD within a register"), for the loops that walk
//! runs of letters, letters and digits, or printable ASCII: most runs are words, which end
//! within eight bytes, so one test finds the end instead of a branch per byte.
//!
//! Each test takes eight bytes as a little-endian `u64` and returns the top bit of every byte
//! that is *not* in the class (the other bits 0). The sums stay within their byte (a
//! seven-bit value plus at most 0x5f), so no carry crosses into the next byte. The tests are
//! checked against the byte-by-byte definitions for every byte in every position.
//!
//! On x86-64 two longer walks take sixteen bytes at a time with SSE2 (part of every x86-64
//! processor): the word counts' masks of 64-byte blocks ([`alnum_and_space_masks`]; these
//! tests elsewhere) and normalisation's verbatim runs ([`graphic_or_spaced`]).

const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
const TOP: u64 = 0x8080_8080_8080_8080;

/// `b` in every byte.
const fn each(b: u8) -> u64 {
    0x0101_0101_0101_0101 * b as u64
}

/// Top bits on the bytes at least `lo` and at most `hi` (ASCII, `lo` > 0, `hi` < 0x7f);
/// the other bits are noise.
#[inline(always)]
fn within(seven: u64, lo: u8, hi: u8) -> u64 {
    (seven + each(0x80 - lo)) & !(seven + each(0x80 - hi - 1))
}

/// Top bits on the ASCII letters (other bits are noise).
#[inline(always)]
fn letters(x: u64) -> u64 {
    // `| 0x20` lowercases a letter
    within((x | each(0x20)) & LOW7, b'a', b'z') & !x
}

/// The bytes that are not ASCII letters.
#[inline]
pub(crate) fn not_letter(x: u64) -> u64 {
    !letters(x) & TOP
}

/// The bytes that are not ASCII letters or digits.
#[inline]
pub(crate) fn not_alnum(x: u64) -> u64 {
    !(letters(x) | (within(x & LOW7, b'0', b'9') & !x)) & TOP
}

/// The bytes that are not printable ASCII other than space (0x21 to 0x7e).
#[inline]
pub(crate) fn not_graphic(x: u64) -> u64 {
    !(within(x & LOW7, 0x21, 0x7e) & !x) & TOP
}

/// The bytes that are ASCII spaces (0x20), exactly: no carry, so no false ones.
#[inline]
pub(crate) fn spaces(x: u64) -> u64 {
    let y = x ^ each(b' ');
    // a byte of `y` is zero exactly when neither its low seven bits plus 0x7f nor its own
    // top bit reach the top bit
    !(((y & LOW7) + LOW7) | y) & TOP
}

/// The top bits of a test's eight bytes, gathered into the low eight bits (byte `k`'s in bit
/// `k`): each top bit is moved by the multiply to its own bit of the top byte, and no two
/// land on the same bit or carry into the top byte (checked for all 256 patterns).
#[inline(always)]
pub(crate) fn gather(top: u64) -> u64 {
    ((top & TOP) >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
}

/// The ASCII letters and digits, and the spaces (0x20), of 64 bytes: bit `k` of each mask for
/// byte `k`. On x86-64 sixteen bytes at a time with SSE2 (part of every x86-64 processor), a
/// compare and a gather of top bits each; elsewhere eight at a time with the tests above. A
/// test checks the two against each other and the byte definitions.
#[inline]
pub(crate) fn alnum_and_space_masks(block: &[u8; 64]) -> (u64, u64) {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: SSE2 is part of the x86-64 baseline: every x86-64 processor has it.
        unsafe { sse2::alnum_and_space_masks(block) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        alnum_and_space_masks_by_eight(block)
    }
}

/// [`alnum_and_space_masks`] eight bytes at a time.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn alnum_and_space_masks_by_eight(block: &[u8; 64]) -> (u64, u64) {
    let mut alnum = 0u64;
    let mut space = 0u64;
    for (k, eight) in block.chunks_exact(8).enumerate() {
        let x = u64::from_le_bytes(eight.try_into().unwrap_or([0; 8]));
        alnum |= gather(!not_alnum(x)) << (8 * k);
        space |= gather(spaces(x)) << (8 * k);
    }
    (alnum, space)
}

/// Of the sixteen bytes from `i`, those that are printable ASCII other than space, or a space
/// followed by one: bit `k` for byte `i + k`. Normalisation copies such runs as they are. Made
/// for `bytes.len() > i + 16` (the last byte's follower); otherwise, and on other targets than
/// x86-64, a byte at a time (bytes past the end are neither).
#[inline]
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
pub(crate) fn graphic_or_spaced(bytes: &[u8], i: usize) -> u16 {
    #[cfg(target_arch = "x86_64")]
    {
        let (Some(here), Some(next)) = (
            bytes
                .get(i..i + 16)
                .and_then(|b| <&[u8; 16]>::try_from(b).ok()),
            bytes
                .get(i + 1..i + 17)
                .and_then(|b| <&[u8; 16]>::try_from(b).ok()),
        ) else {
            return graphic_or_spaced_by_byte(bytes, i);
        };
        // SAFETY: SSE2 is part of the x86-64 baseline: every x86-64 processor has it.
        unsafe { sse2::graphic_or_spaced(here, next) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        graphic_or_spaced_by_byte(bytes, i)
    }
}

/// [`graphic_or_spaced`] a byte at a time (bytes past the end are neither).
fn graphic_or_spaced_by_byte(bytes: &[u8], i: usize) -> u16 {
    let graphic = |k: usize| bytes.get(k).is_some_and(|&b| (0x21..=0x7e).contains(&b));
    (0..16).fold(0u16, |m, k| {
        let at = i + k;
        let keep = graphic(at) || (bytes.get(at) == Some(&b' ') && graphic(at + 1));
        m | (u16::from(keep) << k)
    })
}

#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_cmplt_epi8, _mm_loadu_si128,
        _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };

    /// Sixteen bytes as a vector.
    #[inline(always)]
    fn load(sixteen: &[u8; 16]) -> __m128i {
        // SAFETY: `_mm_loadu_si128` reads 16 bytes from the pointer with no alignment
        // required, and `sixteen` is 16 readable bytes.
        unsafe { _mm_loadu_si128(sixteen.as_ptr().cast()) }
    }

    #[inline]
    #[target_feature(enable = "sse2")]
    pub(super) fn alnum_and_space_masks(block: &[u8; 64]) -> (u64, u64) {
        // Bytes compare as signed: those at 0x80 and above are negative, so neither digits
        // nor letters.
        let (slash, colon) = (_mm_set1_epi8(b'/' as i8), _mm_set1_epi8(b':' as i8));
        let (tick, brace) = (_mm_set1_epi8(b'`' as i8), _mm_set1_epi8(b'{' as i8));
        let space = _mm_set1_epi8(b' ' as i8);
        let (mut alnum_bits, mut space_bits) = (0u64, 0u64);
        for (k, sixteen) in block.as_chunks::<16>().0.iter().enumerate() {
            let b = load(sixteen);
            let digit = _mm_and_si128(_mm_cmpgt_epi8(b, slash), _mm_cmplt_epi8(b, colon));
            // `| 0x20` lowercases a letter, and makes no other byte one
            let lower = _mm_or_si128(b, space);
            let letter = _mm_and_si128(_mm_cmpgt_epi8(lower, tick), _mm_cmplt_epi8(lower, brace));
            let alnum = _mm_movemask_epi8(_mm_or_si128(digit, letter)) as u16;
            let spaces = _mm_movemask_epi8(_mm_cmpeq_epi8(b, space)) as u16;
            alnum_bits |= u64::from(alnum) << (16 * k);
            space_bits |= u64::from(spaces) << (16 * k);
        }
        (alnum_bits, space_bits)
    }

    /// [`super::graphic_or_spaced`] of `here`, whose bytes after the first are `next`.
    #[inline]
    #[target_feature(enable = "sse2")]
    pub(super) fn graphic_or_spaced(here: &[u8; 16], next: &[u8; 16]) -> u16 {
        // signed: bytes at 0x80 and above are negative, so not above the space
        let (space, del) = (_mm_set1_epi8(b' ' as i8), _mm_set1_epi8(0x7f));
        let graphic = |b: __m128i| _mm_and_si128(_mm_cmpgt_epi8(b, space), _mm_cmplt_epi8(b, del));
        let b = load(here);
        let spaced = _mm_and_si128(_mm_cmpeq_epi8(b, space), graphic(load(next)));
        _mm_movemask_epi8(_mm_or_si128(graphic(b), spaced)) as u16
    }
}

/// The end of the run from `i` of bytes in the class whose complement `not` gives, before
/// `limit`: eight bytes at a time, the last few one at a time.
#[inline]
pub(crate) fn run_end(bytes: &[u8], mut i: usize, limit: usize, not: fn(u64) -> u64) -> usize {
    let limit = limit.min(bytes.len());
    while i + 8 <= limit {
        let eight: [u8; 8] = bytes[i..i + 8].try_into().unwrap_or([0; 8]);
        let stop = not(u64::from_le_bytes(eight));
        if stop != 0 {
            return i + (stop.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < limit && not(u64::from(bytes[i])) & 0x80 == 0 {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every test says what its byte-by-byte definition says, for every byte in every
    /// position, beside letters, digits, spaces and non-ASCII bytes.
    #[test]
    fn eight_byte_tests_are_the_byte_definitions() {
        type Case = (fn(u64) -> u64, fn(u8) -> bool);
        let defs: [Case; 4] = [
            (not_letter, |b| b.is_ascii_alphabetic()),
            (not_alnum, |b| b.is_ascii_alphanumeric()),
            (not_graphic, |b| b.is_ascii_graphic()),
            (|x| !spaces(x) & TOP, |b| b == b' '),
        ];
        for (not, is) in defs {
            for b in 0..=255u8 {
                for pos in 0..8 {
                    for fill in [b'a', b'Z', b' ', 0xff, b'9', b'~'] {
                        let mut bytes = [fill; 8];
                        bytes[pos] = b;
                        let stop = not(u64::from_le_bytes(bytes)) & (0x80 << (8 * pos)) != 0;
                        assert_eq!(stop, !is(b), "byte {b:#x} at {pos} beside {fill:#x}");
                    }
                }
            }
        }
    }

    /// The 64-byte masks are the byte definitions, on every path, for every byte in every
    /// position beside every other kind of byte.
    #[test]
    fn alnum_and_space_masks_are_the_byte_definitions() {
        for b in 0..=255u8 {
            for pos in 0..64 {
                for fill in [
                    b'a', b'Z', b' ', 0xff, b'9', b'~', b'@', b'[', b'`', b'{', 0x80,
                ] {
                    let mut block = [fill; 64];
                    block[pos] = b;
                    let want = |is: fn(&u8) -> bool| {
                        block
                            .iter()
                            .enumerate()
                            .fold(0u64, |m, (k, c)| m | (u64::from(is(c)) << k))
                    };
                    let want = (want(u8::is_ascii_alphanumeric), want(|&c| c == b' '));
                    assert_eq!(alnum_and_space_masks(&block), want, "{b:#x} at {pos}");
                    assert_eq!(
                        alnum_and_space_masks_by_eight(&block),
                        want,
                        "{b:#x} at {pos}"
                    );
                }
            }
        }
    }

    /// The sixteen-byte test of printable bytes and single spaces is its byte definition, for
    /// every byte in every position beside every other kind of byte, a space after it or not.
    #[test]
    fn graphic_or_spaced_is_the_byte_definition() {
        for b in 0..=255u8 {
            for pos in 0..17 {
                for fill in [b'a', b' ', 0x7f, 0x1f, 0x20, 0x21, 0x7e, 0x80, 0xff, b'\n'] {
                    let mut bytes = [fill; 18];
                    bytes[pos] = b;
                    for i in [0, 1] {
                        assert_eq!(
                            graphic_or_spaced(&bytes, i),
                            graphic_or_spaced_by_byte(&bytes, i),
                            "{b:#x} at {pos} in {fill:#x}, from {i}"
                        );
                    }
                }
            }
        }
    }

    /// Gathering moves every top bit to its own low bit, for every pattern of top bits and
    /// whatever the other bits hold.
    #[test]
    fn gather_is_bit_by_bit() {
        for pattern in 0..=255u64 {
            let mut top = 0u64;
            for k in 0..8 {
                if pattern >> k & 1 == 1 {
                    top |= 0x80 << (8 * k);
                }
            }
            for noise in [0, LOW7, 0x0123_4567_0765_4321 & LOW7] {
                assert_eq!(gather(top | noise), pattern, "{pattern:#b} with {noise:#x}");
            }
        }
    }

    /// [`run_end`] ends where the byte-by-byte loop ends, whatever the limit.
    #[test]
    fn run_end_is_the_byte_loop() {
        let text = b"Abcdefghij klmnopqrstuvwxyz0123456789~!@ x\x7f\xc3\xa9 end";
        for i in 0..text.len() {
            for limit in i..=text.len() + 2 {
                let want = (i..limit.min(text.len()))
                    .find(|&j| !text[j].is_ascii_alphabetic())
                    .unwrap_or(limit.min(text.len()));
                assert_eq!(run_end(text, i, limit, not_letter), want, "{i} {limit}");
            }
        }
    }
}
