//! `--max-article-bytes`: where a too-long article is cut ([`cut_point`]), how a file is read
//! without holding more than a bounded prefix ([`read_bounded`]), and how many bytes of the
//! input a cut left out.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use super::types::Encoding;

/// How far back from the limit [`cut_point`] looks for a paragraph end, then a sentence end,
/// then a space: at most this many bytes, and at most a quarter of the limit.
const LOOKBACK: usize = 64 * 1024;

/// Where to cut `text` so that at most `max` bytes are kept: `text.len()` when it fits;
/// otherwise the end of the last paragraph (a blank line) in the last stretch before the limit
/// (a quarter of it, at most 64 KiB), else the end of the last sentence there (`.`, `!`, `?`,
/// optionally with closing quotes or brackets, before whitespace), else the last whitespace,
/// else the last character boundary. Always a char boundary of `text`, at most `max` (and
/// more than 0 whenever `max` holds the first character).
pub fn cut_point(text: &str, max: usize) -> usize {
    if text.len() <= max {
        return text.len();
    }
    let end = floor_char_boundary(text, max);
    let from = floor_char_boundary(text, end.saturating_sub(LOOKBACK.min(max / 4)));
    let window = &text.as_bytes()[from..end];
    // A paragraph end: a line break, optional spaces, a line break; cut after the first break.
    let mut i = window.len();
    while i > 0 {
        i -= 1;
        if window[i] == b'\n' {
            let mut j = i;
            while j > 0 && matches!(window[j - 1], b' ' | b'\t' | b'\r') {
                j -= 1;
            }
            if j > 0 && window[j - 1] == b'\n' && from + j > 1 {
                return from + i + 1;
            }
        }
    }
    // A sentence end followed by whitespace (inside the window).
    let mut i = window.len();
    while i > 1 {
        i -= 1;
        if window[i].is_ascii_whitespace() {
            let mut j = i;
            while j > 0 && matches!(window[j - 1], b'"' | b'\'' | b')' | b']') {
                j -= 1;
            }
            if j > 0 && matches!(window[j - 1], b'.' | b'!' | b'?') {
                return from + i;
            }
        }
    }
    // Any whitespace.
    if let Some(i) = window.iter().rposition(|b| b.is_ascii_whitespace())
        && from + i > 0
    {
        return from + i;
    }
    end
}

/// The largest char boundary of `text` at or below `i` (`str::floor_char_boundary`, which
/// needs a newer Rust than this crate's minimum).
pub(crate) fn floor_char_boundary(text: &str, i: usize) -> usize {
    if i >= text.len() {
        return text.len();
    }
    let mut i = i;
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A file's first bytes: all of it when it has at most `limit` bytes (`complete` true),
/// otherwise the first `limit` bytes, trimmed so that no character is split (a partial UTF-8
/// sequence or UTF-16 code unit, or a lone leading surrogate, at the end is dropped), with the
/// file's size as stored.
pub(crate) struct Prefix {
    pub bytes: Vec<u8>,
    pub complete: bool,
    pub size: u64,
}

/// Reads at most `limit` bytes of `path` (see [`Prefix`]); `None` when `path` is not a
/// regular file (nor a link to one) once opened. On Unix the file is opened without waiting
/// (`O_NONBLOCK`, which reading a regular file ignores): a named pipe put where a listed file
/// was is found out at once instead of waiting for a writer forever.
pub(crate) fn read_bounded(path: &Path, limit: usize) -> io::Result<Option<Prefix>> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file: File = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Ok(None);
    }
    let size = meta.len();
    let mut bytes = Vec::with_capacity((size as usize).min(limit) + 1);
    file.take(limit as u64 + 1).read_to_end(&mut bytes)?;
    if bytes.len() <= limit {
        let size = size.max(bytes.len() as u64);
        return Ok(Some(Prefix {
            bytes,
            complete: true,
            size,
        }));
    }
    bytes.truncate(limit);
    let keep = whole_chars(&bytes);
    bytes.truncate(keep);
    Ok(Some(Prefix {
        bytes,
        complete: false,
        size: size.max(limit as u64 + 1),
    }))
}

/// How many leading bytes of a cut-off buffer hold whole characters: a UTF-16 buffer (by its
/// byte-order mark) is cut to whole code units and never after a leading surrogate; anything
/// else is cut before a trailing partial UTF-8 sequence (if the bytes are not UTF-8 at all,
/// dropping up to 3 bytes is harmless).
pub(crate) fn whole_chars(bytes: &[u8]) -> usize {
    let le = bytes.starts_with(b"\xFF\xFE");
    if le || bytes.starts_with(b"\xFE\xFF") {
        let mut n = bytes.len() & !1;
        if n >= 4 {
            let unit = if le {
                u16::from_le_bytes([bytes[n - 2], bytes[n - 1]])
            } else {
                u16::from_be_bytes([bytes[n - 2], bytes[n - 1]])
            };
            if (0xD800..0xDC00).contains(&unit) {
                n -= 2;
            }
        }
        return n;
    }
    // Find the start of the last character (at most 3 bytes back) and whether it is whole.
    let n = bytes.len();
    for back in 1..=4.min(n) {
        let b = bytes[n - back];
        if b & 0xC0 == 0x80 {
            continue; // a continuation byte
        }
        let need = match b {
            0x00..=0x7F => 1,
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => return n, // not UTF-8: keep everything
        };
        return if back >= need { n } else { n - back };
    }
    n
}

/// How many bytes of the stored input `text` took, decoded as `encoding` (what a file's
/// [`Article::cut_bytes`](super::Article::cut_bytes) is measured against).
pub(crate) fn stored_len(text: &str, encoding: Encoding) -> u64 {
    match encoding {
        Encoding::Utf8 => text.len() as u64,
        Encoding::Utf8Bom => text.len() as u64 + 3,
        Encoding::Utf16Le | Encoding::Utf16Be => 2 + 2 * text.encode_utf16().count() as u64,
        Encoding::Windows1252 => text.chars().count() as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_not_cut() {
        assert_eq!(cut_point("abc", 3), 3);
        assert_eq!(cut_point("", 0), 0);
    }

    #[test]
    fn cuts_prefer_paragraphs_then_sentences_then_spaces() {
        let lead = "Lead words. ".repeat(20);
        // The limit falls inside the last sentence: the paragraph end in reach wins,
        let t = format!("{lead}First para.\n \nSecond one. Third sentence goes on");
        let cut = cut_point(&t, t.len() - 3);
        assert_eq!(&t[lead.len()..cut], "First para.\n \n");
        // else a sentence end,
        let t = format!("{lead}One sentence. Another sentence that runs");
        let cut = cut_point(&t, t.len() - 2);
        assert_eq!(&t[lead.len()..cut], "One sentence.");
        let t = format!("{lead}He said: \"Stop!\" Then went on");
        let cut = cut_point(&t, t.len() - 2);
        assert_eq!(&t[lead.len()..cut], "He said: \"Stop!\"");
        // else a space.
        let t = format!("{}words without any stop at all here", "a ".repeat(40));
        let cut = cut_point(&t, t.len() - 2);
        assert!(t[..cut].ends_with(" at all"), "{:?}", &t[..cut]);
        let t = "ééééé";
        assert_eq!(cut_point(t, 5), 4);
        assert_eq!(cut_point(t, 1), 0);
    }

    #[test]
    fn the_lookback_is_bounded() {
        // A paragraph break far before the limit is not used: too much would be lost.
        let t = format!("a\n\n{}", "x ".repeat(200_000));
        let cut = cut_point(&t, 300_000);
        assert!(cut > 300_000 - LOOKBACK - 1 && cut <= 300_000, "{cut}");
    }

    #[test]
    fn partial_characters_are_dropped() {
        assert_eq!(whole_chars("aé".as_bytes()), 3);
        assert_eq!(whole_chars(&"aé".as_bytes()[..2]), 1);
        assert_eq!(whole_chars(&"a😀".as_bytes()[..4]), 1);
        assert_eq!(whole_chars("a😀".as_bytes()), 5);
        assert_eq!(whole_chars(b"\xFF\xFEa\0b"), 4);
        // a lone leading surrogate at the end (😀 is D83D DE00)
        assert_eq!(whole_chars(b"\xFF\xFEa\0\x3D\xD8"), 4);
        assert_eq!(whole_chars(b"\xFE\xFF\0a\xD8\x3D"), 4);
        // Windows-1252 text may lose a last byte that looks like the start of a UTF-8 sequence.
        assert_eq!(whole_chars(b"caf\xe9"), 3);
        assert_eq!(whole_chars(b"caf\x93"), 4);
    }

    #[test]
    fn stored_lengths() {
        assert_eq!(stored_len("é", Encoding::Utf8), 2);
        assert_eq!(stored_len("é", Encoding::Utf8Bom), 5);
        assert_eq!(stored_len("é😀", Encoding::Utf16Le), 2 + 2 + 4);
        assert_eq!(stored_len("é€", Encoding::Windows1252), 2);
    }
}
