//! CSV input (`.csv`, or standard input with an explicit CSV format): a header row, then one
//! article per record, read record by record. Also the CSV plumbing `manifest.csv` shares:
//! [`Table`] (header + records with per-row errors that do not stop reading), column lookup
//! and field decoding.

use std::collections::VecDeque;
use std::io::{self, BufRead, Read};
use std::path::{Path, PathBuf};

use csv::{ByteRecord, ErrorKind};

use super::decode::{decode_plain, worst};
use super::reasons::{list_names, meta, skip};
use super::stream::{self, Stream};
use super::types::{Article, CorpusError, DecodeError, Encoding, FieldMap, Item, Origin};

/// Passes a stream through to the CSV parser while noting where lines start, so a record's
/// line number can be told exactly. (`csv`'s own `Position::line` counts the start of a
/// record before the previous `\r\n` is fully consumed and before skipped blank lines, and
/// never counts lone `\r` line ends.) Only line starts not yet behind the parser are kept,
/// so memory stays bounded by one record plus the parser's read-ahead.
struct LineTracker {
    inner: Box<dyn BufRead + Send>,
    /// Bytes passed through so far.
    offset: u64,
    /// 1-based number of the line the next byte belongs to.
    line: u64,
    at_line_start: bool,
    prev_cr: bool,
    /// (offset, line) of each line whose first byte is not a line end, in order.
    starts: VecDeque<(u64, u64)>,
}

impl LineTracker {
    fn new(inner: Box<dyn BufRead + Send>) -> LineTracker {
        LineTracker {
            inner,
            offset: 0,
            line: 1,
            at_line_start: true,
            prev_cr: false,
            starts: VecDeque::new(),
        }
    }

    /// The line of a record the parser says starts at byte `start`: the first non-blank
    /// line starting at or after it (the parser skips line ends before a record). Lines
    /// before `start` are forgotten, so calls must come with non-decreasing `start`.
    fn line_at(&mut self, start: u64) -> u64 {
        while self.starts.front().is_some_and(|&(o, _)| o < start) {
            self.starts.pop_front();
        }
        self.starts.front().map_or(self.line, |&(_, line)| line)
    }
}

impl Read for LineTracker {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?.min(buf.len());
        for (i, &b) in buf[..n].iter().enumerate() {
            match b {
                b'\n' => {
                    if !self.prev_cr {
                        self.line += 1;
                    }
                    self.at_line_start = true;
                    self.prev_cr = false;
                }
                b'\r' => {
                    self.line += 1;
                    self.at_line_start = true;
                    self.prev_cr = true;
                }
                _ => {
                    if self.at_line_start {
                        self.starts.push_back((self.offset + i as u64, self.line));
                        self.at_line_start = false;
                    }
                    self.prev_cr = false;
                }
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

/// A CSV stream with its decoded header, yielding records one at a time.
pub(crate) struct Table {
    rdr: csv::Reader<LineTracker>,
    /// Header names, decoded (UTF-8, else Windows-1252), as written.
    pub headers: Vec<String>,
    rec: ByteRecord,
    done: bool,
    /// Byte position of the last non-fatal error, to stop if the reader makes no progress.
    last_error_byte: Option<u64>,
}

/// One step of reading a [`Table`].
pub(crate) enum Row<'a> {
    /// A well-formed record starting on `line` (1-based; the header is line 1; blank lines
    /// and lines inside quoted values count).
    Record { line: u64, rec: &'a ByteRecord },
    /// A record that could not be read; `reason` is a full sentence.
    Bad { line: Option<u64>, reason: String },
}

impl Table {
    /// Reads the header row. `path` is for messages. An input with no header row (empty, or
    /// only blank lines) is a fatal [`CorpusError::Invalid`].
    pub fn open(path: &Path, stream: Stream) -> Result<Table, CorpusError> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(LineTracker::new(stream.reader));
        let raw = match rdr.byte_headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                let message = e.to_string();
                return Err(match e.into_kind() {
                    ErrorKind::Io(source) => CorpusError::Io {
                        path: path.to_path_buf(),
                        source,
                    },
                    _ => CorpusError::Invalid(format!(
                        "{}: cannot read the CSV header row: {message}",
                        stream::display_name(path),
                    )),
                });
            }
        };
        let headers: Vec<String> = raw.iter().map(decode_lenient).collect();
        if headers.is_empty() || (headers.len() == 1 && headers[0].trim().is_empty()) {
            return Err(CorpusError::Invalid(format!(
                "{}: the CSV is empty; it needs a header row naming its columns, then one row per \
                 article",
                stream::display_name(path)
            )));
        }
        Ok(Table {
            rdr,
            headers,
            rec: ByteRecord::new(),
            done: false,
            last_error_byte: None,
        })
    }

    /// The next record or bad row; `None` at the end (or after an I/O error, which is
    /// reported once as a bad row).
    pub fn next_row(&mut self) -> Option<Row<'_>> {
        if self.done {
            return None;
        }
        match self.rdr.read_byte_record(&mut self.rec) {
            Ok(false) => {
                self.done = true;
                None
            }
            Ok(true) => {
                let start = self
                    .rec
                    .position()
                    .map_or_else(|| self.rdr.position().byte(), |p| p.byte());
                let line = self.rdr.get_mut().line_at(start);
                Some(Row::Record {
                    line,
                    rec: &self.rec,
                })
            }
            Err(e) => {
                let line = e.position().map(|p| self.rdr.get_mut().line_at(p.byte()));
                let reason = match e.kind() {
                    ErrorKind::Io(_) => {
                        self.done = true;
                        format!("cannot read this row or anything after it: {e}")
                    }
                    ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => format!(
                        "this row has {len} fields but the header has {expected_len}, so its \
                         values cannot be matched to columns; quote values that contain commas \
                         or quotes ({e})"
                    ),
                    _ => {
                        let byte = self.rdr.position().byte();
                        if self.last_error_byte == Some(byte) {
                            self.done = true;
                        }
                        self.last_error_byte = Some(byte);
                        format!("cannot read this row: {e}")
                    }
                };
                Some(Row::Bad { line, reason })
            }
        }
    }
}

/// Header names are never refused: a NUL in one is shown as U+FFFD.
fn decode_lenient(bytes: &[u8]) -> String {
    match decode_plain(bytes) {
        Ok(d) => d.text,
        Err(_) => String::from_utf8_lossy(bytes).replace('\0', "\u{FFFD}"),
    }
}

/// The column named `name`: an exact match (ignoring surrounding spaces) first, else a
/// case-insensitive one. A name that matches two columns is a fatal error.
pub(crate) fn find_column(
    headers: &[String],
    name: &str,
    path: &Path,
) -> Result<Option<usize>, CorpusError> {
    let exact: Vec<usize> = (0..headers.len())
        .filter(|&i| headers[i].trim() == name)
        .collect();
    let found = if exact.is_empty() {
        (0..headers.len())
            .filter(|&i| headers[i].trim().eq_ignore_ascii_case(name))
            .collect()
    } else {
        exact
    };
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(*one)),
        [first, second, ..] => Err(CorpusError::Invalid(format!(
            "{}: the header has two columns named `{name}` (columns {} and {}); rename one so \
             it is clear which to read",
            stream::display_name(path),
            first + 1,
            second + 1
        ))),
    }
}

/// Field `idx` of `rec`, decoded (UTF-8, else Windows-1252); a missing column is empty text.
pub(crate) fn field(rec: &ByteRecord, idx: Option<usize>) -> Result<(String, Encoding), usize> {
    match idx.and_then(|i| rec.get(i)) {
        None => Ok((String::new(), Encoding::Utf8)),
        Some(bytes) => match decode_plain(bytes) {
            Ok(d) => Ok((d.text, d.encoding)),
            Err(DecodeError::Binary { offset }) => Err(offset),
            Err(DecodeError::Empty) => Ok((String::new(), Encoding::Utf8)),
        },
    }
}

/// Column positions for the known fields.
struct Columns {
    id: Option<usize>,
    source: Option<usize>,
    title: Option<usize>,
    date: Option<usize>,
    url: Option<usize>,
    author: Option<usize>,
    text: usize,
    extra: Vec<usize>,
}

/// Streams articles from a CSV input.
pub(crate) struct CsvReader {
    table: Table,
    origin_path: PathBuf,
    id_prefix: String,
    fields: FieldMap,
    cols: Columns,
    extra_names: Vec<String>,
    bom: Option<Encoding>,
}

/// Opens a CSV file and checks its header.
pub(crate) fn open_file(path: &Path, fields: &FieldMap) -> Result<CsvReader, CorpusError> {
    let stream = stream::open_file(path)?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    new_reader(path, stream, path.to_path_buf(), stem, fields)
}

/// Reads CSV from standard input.
pub(crate) fn open_stdin(fields: &FieldMap) -> Result<CsvReader, CorpusError> {
    let path = Path::new("-");
    let stream = stream::open_reader(path, Box::new(std::io::stdin()))?;
    new_reader(
        path,
        stream,
        PathBuf::from("<stdin>"),
        "stdin".to_owned(),
        fields,
    )
}

pub(crate) fn new_reader(
    path: &Path,
    stream: Stream,
    origin_path: PathBuf,
    id_prefix: String,
    fields: &FieldMap,
) -> Result<CsvReader, CorpusError> {
    let bom = stream.bom;
    let table = Table::open(path, stream)?;
    let h = &table.headers;
    let Some(text) = find_column(h, &fields.text, path)? else {
        return Err(CorpusError::Invalid(format!(
            "{}: no text column `{}` in the CSV header (columns found: {}); name the column that \
             holds the article text with --field text=COLUMN",
            stream::display_name(path),
            fields.text,
            list_names(h)
        )));
    };
    let id = find_column(h, &fields.id, path)?;
    let source = find_column(h, &fields.source, path)?;
    let title = find_column(h, &fields.title, path)?;
    let date = find_column(h, &fields.date, path)?;
    let url = find_column(h, &fields.url, path)?;
    let author = find_column(h, &fields.author, path)?;
    let known = [Some(text), id, source, title, date, url, author];
    let extra: Vec<usize> = (0..h.len())
        .filter(|i| !known.contains(&Some(*i)) && !h[*i].trim().is_empty())
        .collect();
    let extra_names = extra.iter().map(|&i| h[i].clone()).collect();
    Ok(CsvReader {
        cols: Columns {
            id,
            source,
            title,
            date,
            url,
            author,
            text,
            extra,
        },
        extra_names,
        table,
        origin_path,
        id_prefix,
        fields: fields.clone(),
        bom,
    })
}

impl CsvReader {
    /// What the stream's byte-order mark said, if there was one.
    pub fn bom(&self) -> Option<Encoding> {
        self.bom
    }

    /// Names of the columns carried in [`Article::extra`].
    pub fn extra_columns(&self) -> &[String] {
        &self.extra_names
    }
}

impl Iterator for CsvReader {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        let row = self.table.next_row()?;
        let (line, rec) = match row {
            Row::Record { line, rec } => (line, rec),
            Row::Bad { line, reason } => {
                let origin = Origin {
                    path: self.origin_path.clone(),
                    line,
                };
                return Some(skip(origin, None, None, reason));
            }
        };
        let origin = Origin {
            path: self.origin_path.clone(),
            line: Some(line),
        };
        let cols = &self.cols;
        let f = &self.fields;
        let mut encoding = self.bom.unwrap_or(Encoding::Utf8);
        let mut get = |idx: Option<usize>, name: &str| -> Result<String, String> {
            match field(rec, idx) {
                Ok((text, enc)) => {
                    encoding = worst(encoding, enc);
                    Ok(text)
                }
                Err(offset) => Err(format!(
                    "column `{name}` holds binary data, not text (NUL byte at byte {} of the \
                     value)",
                    offset + 1
                )),
            }
        };
        let values = (|| -> Result<_, String> {
            let text = get(Some(cols.text), &f.text)?;
            let id = meta(&get(cols.id, &f.id)?);
            let source = meta(&get(cols.source, &f.source)?);
            let title = meta(&get(cols.title, &f.title)?);
            let date = meta(&get(cols.date, &f.date)?);
            let url = meta(&get(cols.url, &f.url)?);
            let author = meta(&get(cols.author, &f.author)?);
            let mut extra = Vec::with_capacity(cols.extra.len());
            for (&i, name) in cols.extra.iter().zip(&self.extra_names) {
                extra.push(meta(&get(Some(i), name)?));
            }
            Ok((text, id, source, title, date, url, author, extra))
        })();
        let (text, id, source, title, date, url, author, extra) = match values {
            Ok(v) => v,
            Err(reason) => return Some(skip(origin, None, None, reason)),
        };
        let known_id = (!id.is_empty()).then(|| id.clone());
        let known_source = (!source.is_empty()).then(|| source.clone());
        if text.trim().is_empty() {
            let reason = format!("empty text: column `{}` is empty on this row", f.text);
            return Some(skip(origin, known_id, known_source, reason));
        }
        if source.is_empty() {
            let reason = if cols.source.is_none() {
                format!(
                    "no source field `{}`: the CSV has no such column (columns found: {}); map \
                     the column that names the outlet with --field source=COLUMN",
                    f.source,
                    list_names(&self.table.headers)
                )
            } else {
                format!(
                    "no source field `{}`: the column is empty on this row, and every article \
                     needs the outlet that published it",
                    f.source
                )
            };
            return Some(skip(origin, known_id, None, reason));
        }
        let id = known_id.unwrap_or_else(|| format!("{}:{}", self.id_prefix, line));
        Some(Item::Article(Article {
            id,
            source,
            title,
            date,
            url,
            author,
            text,
            encoding,
            origin,
            extra,
            html_dropped: Vec::new(),
            cut_bytes: 0,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::testutil::*;

    #[test]
    fn missing_text_column_is_fatal_and_names_columns() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(&dir, "a.csv", b"source,body\nX,hello\n");
        let err = open_file(&p, &FieldMap::default()).err().unwrap();
        let msg = err.to_string();
        assert!(msg.contains("a.csv"), "{msg}");
        assert!(msg.contains("`text`"), "{msg}");
        assert!(msg.contains("`source`, `body`"), "{msg}");
        assert!(msg.contains("--field text=COLUMN"), "{msg}");
    }

    #[test]
    fn rows_extras_and_bad_rows() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            &dir,
            "news.csv",
            b"id,source,text,lang,title,\r\n\
              a1,Wire,First text.,en,T1,\r\n\
              a2,Wire,too,many,fields,here,!\r\n\
              ,Post,\"Multi\nline\",fr,,\r\n\
              a4,,No source.,en,,\r\n\
              a5,Wire,  ,en,,\r\n\
              a6,Wire,caf\xe9,de,,\r\n",
        );
        let mut corpus = open_file(&p, &FieldMap::default()).unwrap();
        assert_eq!(corpus.extra_columns(), ["lang".to_owned()]);
        let got: Vec<Item> = corpus.by_ref().collect();
        assert_eq!(got.len(), 6);
        let a = article(&got[0]);
        assert_eq!((a.id.as_str(), a.source.as_str()), ("a1", "Wire"));
        assert_eq!(a.title, "T1");
        assert_eq!(a.extra, vec!["en".to_owned()]);
        assert_eq!(a.origin.line, Some(2));

        let s = skipped(&got[1]);
        assert_eq!(s.origin.to_string(), format!("{}:3", p.display()));
        assert!(
            s.reason
                .contains("this row has 7 fields but the header has 6"),
            "{}",
            s.reason
        );

        let a = article(&got[2]);
        assert_eq!(a.id, "news:4");
        assert_eq!(a.text, "Multi\nline");
        assert_eq!(a.extra, vec!["fr".to_owned()]);

        let s = skipped(&got[3]);
        assert_eq!(s.origin.line, Some(6));
        assert!(
            s.reason.starts_with("no source field `source`"),
            "{}",
            s.reason
        );
        assert_eq!(s.id.as_deref(), Some("a4"));
        assert!(skipped(&got[4]).reason.starts_with("empty text"));

        let a = article(&got[5]);
        assert_eq!(a.text, "café");
        assert_eq!(a.encoding, Encoding::Windows1252);
    }

    #[test]
    fn line_numbers_count_every_kind_of_line_end() {
        let dir = tempfile::tempdir().unwrap();
        for (name, data) in [
            ("lf.csv", "text,source\na,S\n\n\"b\nb\",S\nc,S,x\nd,S\n"),
            (
                "crlf.csv",
                "text,source\r\na,S\r\n\r\n\"b\r\nb\",S\r\nc,S,x\r\nd,S\r\n",
            ),
            ("cr.csv", "text,source\ra,S\r\r\"b\rb\",S\rc,S,x\rd,S"),
        ] {
            let p = write(&dir, name, data.as_bytes());
            let lines: Vec<Option<u64>> = open_file(&p, &FieldMap::default())
                .unwrap()
                .map(|i| match i {
                    Item::Article(a) => a.origin.line,
                    Item::Skip(s) => s.origin.line,
                })
                .collect();
            assert_eq!(lines, [Some(2), Some(4), Some(6), Some(7)], "{name}");
        }
    }

    /// Endless rows: reading must not need the whole input.
    struct Endless(u64);

    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let row = if self.0 == 0 {
                "text,source\n".to_owned()
            } else {
                format!("row {},S\n", self.0)
            };
            self.0 += 1;
            let n = row.len().min(buf.len());
            buf[..n].copy_from_slice(&row.as_bytes()[..n]);
            Ok(n)
        }
    }

    #[test]
    fn rows_stream() {
        let path = Path::new("endless.csv");
        let stream = stream::open_reader(path, Box::new(Endless(0))).unwrap();
        let reader = new_reader(path, stream, path.into(), "e".into(), &FieldMap::default());
        let got: Vec<Item> = reader.unwrap().take(3).collect();
        assert_eq!(article(&got[2]).text, "row 3");
        assert_eq!(article(&got[2]).origin.line, Some(4));
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            let path = Path::new("fuzz.csv");
            let reader = stream::open_reader(path, Box::new(io::Cursor::new(bytes)))
                .and_then(|s| new_reader(path, s, path.into(), "f".into(), &FieldMap::default()));
            if let Ok(reader) = reader {
                for _ in reader {}
            }
        }
    }

    #[test]
    fn no_source_column_skips_rows() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(&dir, "n.csv", b"Text\nhello\n");
        let got: Vec<Item> = open_file(&p, &FieldMap::default()).unwrap().collect();
        let s = skipped(&got[0]);
        assert!(s.reason.contains("no such column"), "{}", s.reason);
        assert!(s.reason.contains("`Text`"), "{}", s.reason);
    }

    #[test]
    fn duplicate_known_column_is_fatal() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(&dir, "d.csv", b"text,source,text\na,b,c\n");
        let err = open_file(&p, &FieldMap::default()).err().unwrap();
        assert!(
            err.to_string().contains("two columns named `text`"),
            "{err}"
        );
    }

    #[test]
    fn encodings_and_empty() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(&dir, "e.csv", b"");
        let err = open_file(&p, &FieldMap::default()).err().unwrap();
        assert!(err.to_string().contains("the CSV is empty"), "{err}");

        let p = write(&dir, "b.csv", b"text,source\n\0\0\x01\x02");
        let err = open_file(&p, &FieldMap::default()).err().unwrap();
        assert!(err.to_string().contains("binary data"), "{err}");

        let p = write(&dir, "bom.csv", b"\xEF\xBB\xBFtext,source\nhi,S\n");
        let got: Vec<Item> = open_file(&p, &FieldMap::default()).unwrap().collect();
        assert_eq!(article(&got[0]).encoding, Encoding::Utf8Bom);

        let mut le = vec![0xFF, 0xFE];
        for u in "text,source\r\nhéllo,S\r\n".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        let p = write(&dir, "u.csv", &le);
        let got: Vec<Item> = open_file(&p, &FieldMap::default()).unwrap().collect();
        let a = article(&got[0]);
        assert_eq!(a.text, "héllo");
        assert_eq!(a.encoding, Encoding::Utf16Le);
        assert_eq!(a.id, "u:2");
    }
}
