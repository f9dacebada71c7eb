//! Opening a multi-article input (JSONL, CSV, manifest) as a byte stream: the first 8 KiB
//! are read to handle a byte-order mark (UTF-8: stripped; UTF-16: the whole stream is
//! transcoded to UTF-8 as it is read) and to refuse binary data before any row is read.
//! The rest is never read up front, so standard input and huge files stream.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};

use encoding_rs_io::DecodeReaderBytesBuilder;

use super::types::{CorpusError, Encoding};

/// How many leading bytes are examined for a byte-order mark and NUL bytes.
pub(crate) const PEEK_BYTES: usize = 8 * 1024;

/// A stream ready for line or CSV reading, always UTF-8 or byte-for-byte as in the input.
pub(crate) struct Stream {
    /// The bytes after any byte-order mark (UTF-16 already transcoded to UTF-8).
    pub reader: Box<dyn BufRead + Send>,
    /// What the byte-order mark said, if there was one.
    pub bom: Option<Encoding>,
    /// The first bytes, decoded leniently, for format sniffing (e.g. "is this a JSON array?").
    pub peek: String,
}

/// Where a stream comes from, for messages.
pub(crate) fn display_name(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "standard input".to_owned()
    } else {
        path.display().to_string()
    }
}

/// Opens the file at `path` (a fatal [`CorpusError::Io`] when it cannot be opened).
pub(crate) fn open_file(path: &Path) -> Result<Stream, CorpusError> {
    let file = File::open(path).map_err(|source| CorpusError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    open_reader(path, Box::new(file))
}

/// Wraps an already open reader; `path` is only used in messages (`-` for standard input).
pub(crate) fn open_reader(
    path: &Path,
    mut raw: Box<dyn Read + Send>,
) -> Result<Stream, CorpusError> {
    let prefix = read_prefix(&mut raw).map_err(|source| CorpusError::Io {
        path: PathBuf::from(path),
        source,
    })?;
    let utf16 = if prefix.starts_with(b"\xFF\xFE") {
        Some((Encoding::Utf16Le, encoding_rs::UTF_16LE))
    } else if prefix.starts_with(b"\xFE\xFF") {
        Some((Encoding::Utf16Be, encoding_rs::UTF_16BE))
    } else {
        None
    };
    if let Some((encoding, enc)) = utf16 {
        let (peek, _) = enc.decode_without_bom_handling(&prefix[2..]);
        let peek = peek.into_owned();
        let chained = Cursor::new(prefix).chain(raw);
        let decoder = DecodeReaderBytesBuilder::new()
            .bom_sniffing(true)
            .strip_bom(true)
            .build(chained);
        return Ok(Stream {
            reader: Box::new(BufReader::with_capacity(BUFFER_BYTES, decoder)),
            bom: Some(encoding),
            peek,
        });
    }
    let (skip, bom) = if prefix.starts_with(b"\xEF\xBB\xBF") {
        (3, Some(Encoding::Utf8Bom))
    } else {
        (0, None)
    };
    if let Some(offset) = memchr::memchr(0, &prefix) {
        return Err(CorpusError::Invalid(format!(
            "{}: this is binary data, not text (NUL byte at offset {offset}); framescope reads \
             JSON Lines and CSV as UTF-8, UTF-16 with a byte-order mark, or Windows-1252 \
             text{}",
            display_name(path),
            super::decode::utf16_hint(&prefix)
        )));
    }
    let peek = String::from_utf8_lossy(&prefix[skip..]).into_owned();
    let mut cursor = Cursor::new(prefix);
    cursor.set_position(skip as u64);
    Ok(Stream {
        reader: Box::new(BufReader::with_capacity(BUFFER_BYTES, cursor.chain(raw))),
        bom,
        peek,
    })
}

/// The read buffer: a JSON line that lies whole in it is taken in one search for its end
/// (`longline::read_line`), so it holds many articles (about 4 kB each in news).
const BUFFER_BYTES: usize = 256 << 10;

/// Reads up to [`PEEK_BYTES`] bytes (fewer only at end of input).
fn read_prefix(raw: &mut dyn Read) -> io::Result<Vec<u8>> {
    let mut prefix = vec![0u8; PEEK_BYTES];
    let mut filled = 0;
    while filled < PEEK_BYTES {
        match raw.read(&mut prefix[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    prefix.truncate(filled);
    Ok(prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(stream: Stream) -> String {
        let mut s = String::new();
        let mut r = stream.reader;
        r.read_to_string(&mut s).unwrap();
        s
    }

    #[test]
    fn utf8_bom_stripped() {
        let s = open_reader(
            Path::new("x"),
            Box::new(Cursor::new(b"\xEF\xBB\xBFab".to_vec())),
        )
        .unwrap();
        assert_eq!(s.bom, Some(Encoding::Utf8Bom));
        assert_eq!(read_all(s), "ab");
    }

    #[test]
    fn utf16_transcoded_across_the_peek_boundary() {
        let text: String = "é".repeat(PEEK_BYTES) + "\nend";
        let mut be = vec![0xFE, 0xFF];
        for u in text.encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        let s = open_reader(Path::new("x"), Box::new(Cursor::new(be))).unwrap();
        assert_eq!(s.bom, Some(Encoding::Utf16Be));
        assert_eq!(read_all(s), text);
    }

    #[test]
    fn binary_is_fatal_and_long_input_streams() {
        let err = open_reader(Path::new("x"), Box::new(Cursor::new(b"a\0b".to_vec())))
            .err()
            .unwrap();
        assert!(err.to_string().contains("NUL byte at offset 1"), "{err}");
        let long = "a".repeat(3 * PEEK_BYTES);
        let s = open_reader(Path::new("x"), Box::new(Cursor::new(long.clone()))).unwrap();
        assert_eq!(s.bom, None);
        assert_eq!(read_all(s), long);
    }
}
