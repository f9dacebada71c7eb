//! Bytes to text: byte-order marks, binary detection, UTF-8 with a Windows-1252 fallback.
//! [`decode`] is the pure twin of reading one file; the stream readers (JSONL, CSV) handle
//! the byte-order mark once per stream and then decode each line or field with
//! [`decode_plain`], combining encodings with [`worst`].

use super::types::{DecodeError, Decoded, Encoding};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const UTF16LE_BOM: &[u8] = b"\xFF\xFE";
const UTF16BE_BOM: &[u8] = b"\xFE\xFF";

/// Decodes one input's bytes into text.
///
/// - no bytes: [`DecodeError::Empty`];
/// - a UTF-8 byte-order mark is stripped ([`Encoding::Utf8Bom`]; bytes after it that are not
///   valid UTF-8 become U+FFFD, since the mark says the file is UTF-8);
/// - a UTF-16 byte-order mark (LE or BE) means the rest is transcoded from UTF-16 (an odd
///   trailing byte or an unpaired surrogate becomes U+FFFD);
/// - otherwise a NUL byte means binary data: [`DecodeError::Binary`] with the offset of the
///   first NUL in `bytes` (the whole input is checked, so decoded non-UTF-16 text never
///   contains NUL);
/// - valid UTF-8 is [`Encoding::Utf8`]; anything else is read as Windows-1252, where every
///   byte maps to a character.
///
/// Never panics. A buffer holding only a byte-order mark decodes to empty text.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if let Some(rest) = bytes.strip_prefix(UTF8_BOM) {
        if let Some(pos) = memchr::memchr(0, rest) {
            return Err(DecodeError::Binary {
                offset: pos + UTF8_BOM.len(),
            });
        }
        return Ok(Decoded {
            text: String::from_utf8_lossy(rest).into_owned(),
            encoding: Encoding::Utf8Bom,
        });
    }
    if let Some(rest) = bytes.strip_prefix(UTF16LE_BOM) {
        let (text, _) = encoding_rs::UTF_16LE.decode_without_bom_handling(rest);
        return Ok(Decoded {
            text: text.into_owned(),
            encoding: Encoding::Utf16Le,
        });
    }
    if let Some(rest) = bytes.strip_prefix(UTF16BE_BOM) {
        let (text, _) = encoding_rs::UTF_16BE.decode_without_bom_handling(rest);
        return Ok(Decoded {
            text: text.into_owned(),
            encoding: Encoding::Utf16Be,
        });
    }
    decode_plain(bytes)
}

/// [`decode`] of bytes the caller owns (a file just read): text without a byte-order mark
/// that is valid UTF-8 (nearly every file) becomes the text without a copy. On an error the
/// bytes are handed back, for the reason's hint ([`utf16_hint`]).
pub(crate) fn decode_owned(bytes: Vec<u8>) -> Result<Decoded, (DecodeError, Vec<u8>)> {
    if bytes.is_empty()
        || bytes.starts_with(UTF8_BOM)
        || bytes.starts_with(UTF16LE_BOM)
        || bytes.starts_with(UTF16BE_BOM)
    {
        return decode(&bytes).map_err(|e| (e, bytes));
    }
    if let Some(offset) = memchr::memchr(0, &bytes) {
        return Err((DecodeError::Binary { offset }, bytes));
    }
    Ok(utf8_or_1252(bytes))
}

/// Decodes bytes that carry no byte-order mark (a line or a field of a stream whose mark,
/// if any, was already handled): NUL anywhere is [`DecodeError::Binary`], valid UTF-8 is
/// [`Encoding::Utf8`], anything else Windows-1252. Empty input is empty text, not an error.
pub(crate) fn decode_plain(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    decode_plain_owned(bytes.to_vec())
}

/// [`decode_plain`] of bytes the caller owns: valid UTF-8 becomes the text without a copy.
pub(crate) fn decode_plain_owned(bytes: Vec<u8>) -> Result<Decoded, DecodeError> {
    if let Some(offset) = memchr::memchr(0, &bytes) {
        return Err(DecodeError::Binary { offset });
    }
    Ok(utf8_or_1252(bytes))
}

/// Bytes without NUL or a byte-order mark as text: valid UTF-8 as it is (no copy), anything
/// else read as Windows-1252.
fn utf8_or_1252(bytes: Vec<u8>) -> Decoded {
    match String::from_utf8(bytes) {
        Ok(text) => Decoded {
            text,
            encoding: Encoding::Utf8,
        },
        Err(e) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(e.as_bytes());
            Decoded {
                text: text.into_owned(),
                encoding: Encoding::Windows1252,
            }
        }
    }
}

/// How much an encoding says about the input having needed interpretation: plain UTF-8 is
/// best, a Windows-1252 guess is worst.
fn rank(encoding: Encoding) -> u8 {
    match encoding {
        Encoding::Utf8 => 0,
        Encoding::Utf8Bom => 1,
        Encoding::Utf16Le | Encoding::Utf16Be => 2,
        Encoding::Windows1252 => 3,
    }
}

/// The "worst" of two encodings (see [`rank`]): the one an article reports when its parts
/// (stream, line, fields) were decoded differently.
pub(crate) fn worst(a: Encoding, b: Encoding) -> Encoding {
    if rank(b) > rank(a) { b } else { a }
}

/// A hint for binary-looking bytes that are probably UTF-16 text saved without a byte-order
/// mark (NUL in most even or most odd positions of the first bytes): a clause to append to
/// a reason, or "" when the bytes do not look like that.
pub(crate) fn utf16_hint(bytes: &[u8]) -> &'static str {
    let head = &bytes[..bytes.len().min(1024)];
    let pairs = head.len() / 2;
    if pairs < 2 {
        return "";
    }
    let even = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let mostly = |n: usize| n * 10 >= pairs * 7;
    let rarely = |n: usize| n * 10 <= pairs;
    if (mostly(even) && rarely(odd)) || (mostly(odd) && rarely(even)) {
        "; it looks like UTF-16 text without a byte-order mark: save it as UTF-8"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn empty_is_an_error() {
        assert_eq!(decode(b"").unwrap_err(), DecodeError::Empty);
    }

    #[test]
    fn nul_is_binary_with_offset() {
        assert_eq!(
            decode(b"ab\0cd").unwrap_err(),
            DecodeError::Binary { offset: 2 }
        );
        // Offsets count the byte-order mark.
        assert_eq!(
            decode(b"\xEF\xBB\xBFx\0").unwrap_err(),
            DecodeError::Binary { offset: 4 }
        );
        // Far beyond the first 8 KiB too.
        let mut big = vec![b'a'; 20_000];
        big[15_000] = 0;
        assert_eq!(
            decode(&big).unwrap_err(),
            DecodeError::Binary { offset: 15_000 }
        );
    }

    #[test]
    fn plain_utf8() {
        let d = decode("café".as_bytes()).unwrap();
        assert_eq!(d.text, "café");
        assert_eq!(d.encoding, Encoding::Utf8);
    }

    #[test]
    fn invalid_utf8_is_windows_1252() {
        let d = decode(b"caf\xe9 \x93quoted\x94").unwrap();
        assert_eq!(d.text, "café \u{201c}quoted\u{201d}");
        assert_eq!(d.encoding, Encoding::Windows1252);
    }

    #[test]
    fn utf8_bom_is_stripped() {
        let d = decode(b"\xEF\xBB\xBFhello").unwrap();
        assert_eq!(d.text, "hello");
        assert_eq!(d.encoding, Encoding::Utf8Bom);
        let only = decode(b"\xEF\xBB\xBF").unwrap();
        assert_eq!(only.text, "");
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        for u in "héllo".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&le).unwrap();
        assert_eq!(d.text, "héllo");
        assert_eq!(d.encoding, Encoding::Utf16Le);

        let mut be = vec![0xFE, 0xFF];
        for u in "héllo".encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        let d = decode(&be).unwrap();
        assert_eq!(d.text, "héllo");
        assert_eq!(d.encoding, Encoding::Utf16Be);
    }

    #[test]
    fn utf16_odd_trailing_byte_is_replacement() {
        let d = decode(&[0xFF, 0xFE, b'a', 0, b'b']).unwrap();
        assert_eq!(d.text, "a\u{FFFD}");
        let d = decode(&[0xFF, 0xFE, 0x00]).unwrap();
        assert_eq!(d.text, "\u{FFFD}");
    }

    #[test]
    fn utf16_without_bom_is_hinted() {
        let le: Vec<u8> = "hello world"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert!(utf16_hint(&le).contains("UTF-16"));
        assert_eq!(utf16_hint(b"GIF89a\0\0\x01\x02"), "");
        assert_eq!(utf16_hint(b""), "");
    }

    #[test]
    fn worst_prefers_windows_1252() {
        assert_eq!(
            worst(Encoding::Utf8, Encoding::Windows1252),
            Encoding::Windows1252
        );
        assert_eq!(worst(Encoding::Utf16Le, Encoding::Utf8), Encoding::Utf16Le);
    }

    proptest! {
        #[test]
        fn decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            if let Ok(d) = decode(&bytes) {
                let utf16 = bytes.starts_with(UTF16LE_BOM) || bytes.starts_with(UTF16BE_BOM);
                if !utf16 {
                    prop_assert!(!d.text.contains('\0'));
                }
            }
        }

        /// The owned decoder gives what the borrowing one gives, the bytes back on an error;
        /// byte-order marks and NUL bytes are drawn often.
        #[test]
        fn owned_is_the_same_as_borrowed(
            head in proptest::sample::select(vec![&b""[..], UTF8_BOM, UTF16LE_BOM, UTF16BE_BOM, b"\0"]),
            body in proptest::collection::vec(proptest::sample::select(vec![0u8, b'a', b' ', 0x80, 0xC3, 0xA9, 0xEF, 0xFF]), 0..40),
        ) {
            let bytes = [head, &body[..]].concat();
            match (decode(&bytes), decode_owned(bytes.clone())) {
                (Ok(a), Ok(b)) => prop_assert_eq!((a.text, a.encoding), (b.text, b.encoding)),
                (Err(a), Err((b, back))) => {
                    prop_assert_eq!(a, b);
                    prop_assert_eq!(back, bytes);
                }
                (a, b) => prop_assert!(false, "{:?} against {:?}", a, b),
            }
        }

        #[test]
        fn text_without_nul_always_decodes(bytes in proptest::collection::vec(1u8..=255, 1..600)) {
            prop_assert!(decode(&bytes).is_ok());
        }
    }
}
