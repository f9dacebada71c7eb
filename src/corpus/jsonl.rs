//! JSON Lines input (`.jsonl`, `.ndjson`, `.json`, or standard input): one JSON object per
//! line, read line by line so memory does not grow with the number of articles. Keys come
//! from the [`FieldMap`]; a line that cannot be used becomes a [`Skip`](super::Skip) with its
//! line number and the following lines are still read.

use std::io::{self, BufRead};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Map, Value};

use super::decode::{decode_plain_owned, worst};
use super::flatjson;
use super::longline::{self, Cut};
use super::reasons::{list_names, meta, non_empty, quote, skip};
use super::stream::{self, Stream};
use super::types::{Article, CorpusError, DecodeError, Encoding, FieldMap, Item, Origin};

/// Streams articles from a JSON Lines input.
pub(crate) struct JsonlReader {
    reader: Box<dyn BufRead + Send>,
    /// What parsing a line needs besides its bytes, shared with the lines read.
    parser: Arc<LineParser>,
    /// 1-based number of the last line read.
    line: u64,
    buf: Vec<u8>,
    done: bool,
    /// String values longer than this (`--max-article-bytes` and 4 KiB) are cut while reading.
    max_string: usize,
    /// Longest line kept, with long strings cut: room for two cut values and 1 MiB more.
    max_line: usize,
}

/// What parsing a line needs besides its bytes: the same for every line of one input.
pub(crate) struct LineParser {
    /// Path reported in origins (`<stdin>` for standard input).
    origin_path: PathBuf,
    /// Default ids are `<id_prefix>:<line>`.
    id_prefix: String,
    fields: FieldMap,
    /// What the stream's byte-order mark said, if any.
    bom: Option<Encoding>,
}

/// A line as read, not yet parsed: [`RawLine::parse`] can run on any thread, so that the
/// lines of a batch are parsed in parallel while the reader reads on.
pub(crate) struct RawLine {
    parser: Arc<LineParser>,
    /// 1-based line number.
    line: u64,
    /// The line's bytes, without its line end (long strings already cut).
    bytes: Vec<u8>,
    /// The strings cut on this line.
    cuts: Vec<Cut>,
}

/// What the reader gives: a line to parse, or a skip it could tell without parsing.
pub(crate) enum Read {
    Line(RawLine),
    /// Boxed: rare, and far larger than a line.
    Skip(Box<Item>),
}

/// Opens a JSON Lines file; string values longer than `max` bytes are cut while reading.
pub(crate) fn open_file(
    path: &Path,
    fields: &FieldMap,
    max: usize,
) -> Result<JsonlReader, CorpusError> {
    let stream = stream::open_file(path)?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    new_reader(path, stream, path.to_path_buf(), stem, fields, max)
}

/// Reads JSON Lines from standard input.
pub(crate) fn open_stdin(fields: &FieldMap, max: usize) -> Result<JsonlReader, CorpusError> {
    let stream = stream::open_reader(Path::new("-"), Box::new(io::stdin()))?;
    new_reader(
        Path::new("-"),
        stream,
        PathBuf::from("<stdin>"),
        "stdin".to_owned(),
        fields,
        max,
    )
}

pub(crate) fn new_reader(
    path: &Path,
    stream: Stream,
    origin_path: PathBuf,
    id_prefix: String,
    fields: &FieldMap,
    max: usize,
) -> Result<JsonlReader, CorpusError> {
    check_not_plain_json(path, &stream.peek)?;
    Ok(JsonlReader {
        reader: stream.reader,
        parser: Arc::new(LineParser {
            origin_path,
            id_prefix,
            fields: fields.clone(),
            bom: stream.bom,
        }),
        line: 0,
        buf: Vec::new(),
        done: false,
        // A little over the limit, so that the article is cut at a sentence end later.
        max_string: max.saturating_add(4096),
        max_line: max.saturating_mul(2).saturating_add(1 << 20),
    })
}

/// A whole-file JSON document (an array, or one object spread over lines) would make every
/// line a skip; say what is wrong once instead.
fn check_not_plain_json(path: &Path, peek: &str) -> Result<(), CorpusError> {
    let first_line = peek.lines().map(str::trim).find(|l| !l.is_empty());
    let what = match first_line {
        Some(l) if l.starts_with('[') => "a JSON array",
        Some("{") => "one JSON object spread over several lines",
        _ => return Ok(()),
    };
    Err(CorpusError::Invalid(format!(
        "{}: this looks like {what}, but framescope reads JSON Lines: one complete JSON object \
         per line (convert with e.g. `jq -c '.[]' in.json > out.jsonl`)",
        stream::display_name(path)
    )))
}

/// The lines parsed in turn, as [`Corpus`](super::Corpus) does in stages; for the tests.
#[cfg(test)]
impl Iterator for JsonlReader {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        Some(match self.next_read()? {
            Read::Line(line) => line.parse(),
            Read::Skip(skip) => *skip,
        })
    }
}

impl JsonlReader {
    /// The next line as read, or a skip for a line that cannot be read (too long, or the
    /// stream failed); `None` at the end.
    pub(crate) fn next_read(&mut self) -> Option<Read> {
        while !self.done {
            let read = longline::read_line(
                &mut self.reader,
                &mut self.buf,
                self.max_string,
                self.max_line,
            );
            match read {
                Ok(line) if line.consumed == 0 => self.done = true,
                Ok(line) => {
                    self.line += 1;
                    if line.overflow > 0 {
                        let start = String::from_utf8_lossy(&self.buf[..self.buf.len().min(240)])
                            .into_owned();
                        return Some(Read::Skip(Box::new(skip(
                            self.parser.origin(self.line),
                            None,
                            None,
                            format!(
                                "this line is longer than {} bytes even with every value cut to \
                                 --max-article-bytes ({} bytes), so it cannot be read as one \
                                 article (split it, or raise --max-article-bytes); line starts: {}",
                                self.max_line,
                                self.max_string.saturating_sub(4096),
                                quote(&start)
                            ),
                        ))));
                    }
                    if self.buf.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    // The line's buffer goes with it (no copy); the next line gets a new one.
                    let mut bytes = std::mem::take(&mut self.buf);
                    if bytes.last() == Some(&b'\r') {
                        bytes.pop();
                    }
                    // Grown a byte at a time by the scanner (a line across buffer ends, or a
                    // long one cut): hold no more than the line.
                    if bytes.capacity() > bytes.len() + bytes.len() / 8 + 64 {
                        bytes.shrink_to_fit();
                    }
                    return Some(Read::Line(RawLine {
                        parser: Arc::clone(&self.parser),
                        line: self.line,
                        bytes,
                        cuts: line.cuts,
                    }));
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.done = true;
                    return Some(Read::Skip(Box::new(skip(
                        self.parser.origin(self.line + 1),
                        None,
                        None,
                        format!(
                            "cannot read line {} or anything after it: {e}",
                            self.line + 1
                        ),
                    ))));
                }
            }
        }
        None
    }

    /// What the stream's byte-order mark said, if there was one.
    pub fn bom(&self) -> Option<Encoding> {
        self.parser.bom
    }
}

impl RawLine {
    /// Bytes of the line.
    pub(crate) fn len(&self) -> usize {
        self.bytes.len()
    }

    /// The line's article, or a skip saying why it is none.
    pub(crate) fn parse(self) -> Item {
        self.parser.parse_line(self.line, self.bytes, &self.cuts)
    }
}

impl LineParser {
    fn origin(&self, line: u64) -> Origin {
        Origin {
            path: self.origin_path.clone(),
            line: Some(line),
        }
    }

    fn parse_line(&self, line: u64, bytes: Vec<u8>, cuts: &[Cut]) -> Item {
        let origin = self.origin(line);
        let decoded = match decode_plain_owned(bytes) {
            Ok(d) => d,
            Err(DecodeError::Binary { offset }) => {
                return skip(
                    origin,
                    None,
                    None,
                    format!(
                        "this line is binary data, not text (NUL byte at byte {} of the line)",
                        offset + 1
                    ),
                );
            }
            Err(e) => return skip(origin, None, None, format!("cannot decode this line: {e}")),
        };
        let encoding = worst(self.bom.unwrap_or(Encoding::Utf8), decoded.encoding);
        let text = decoded.text;
        // Most lines are flat objects of strings, read in one scan; anything else, and any
        // line whose article is not usable (so that the reason lists all its keys), is read
        // again by `serde_json`.
        let f = &self.fields;
        let names = [
            &*f.id, &*f.source, &*f.text, &*f.title, &*f.date, &*f.url, &*f.author,
        ];
        if !crate::plain::plain()
            && let Some(mut map) = flatjson::pick(&text, &names)
            && let Ok(article) = self.article(&mut map, origin.clone(), encoding, line, cuts)
        {
            return Item::Article(article);
        }
        let mut map = match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(map)) => map,
            Ok(other) => {
                return skip(
                    origin,
                    None,
                    None,
                    format!(
                        "not a JSON object: the line holds {}; line starts: {}",
                        kind(&other),
                        quote(&text)
                    ),
                );
            }
            Err(e) => {
                return skip(
                    origin,
                    None,
                    None,
                    format!("not a JSON object: {e}; line starts: {}", quote(&text)),
                );
            }
        };
        match self.article(&mut map, origin.clone(), encoding, line, cuts) {
            Ok(article) => Item::Article(article),
            Err((id, source, reason)) => skip(origin, id, source, reason),
        }
    }

    /// The article on one line, or (id, source, reason) for a skip.
    fn article(
        &self,
        map: &mut Map<String, Value>,
        origin: Origin,
        encoding: Encoding,
        line: u64,
        cuts: &[Cut],
    ) -> Result<Article, (Option<String>, Option<String>, String)> {
        let f = &self.fields;
        let get = |key: &str| value_text(map, key);
        let id = non_empty(get(&f.id).ok().flatten().map(|s| meta(&s)));
        let source = non_empty(get(&f.source).ok().flatten().map(|s| meta(&s)));
        let fail = |reason: String| (id.clone(), source.clone(), reason);

        // The text is moved out of the map unless another field reads the same key.
        let shared = [&f.id, &f.source, &f.title, &f.date, &f.url, &f.author].contains(&&f.text);
        let text = if shared {
            get(&f.text)
        } else {
            take_text(map, &f.text)
        };
        let get = |key: &str| value_text(map, key);
        let text = match text.map_err(&fail)? {
            Some(t) if !t.is_empty() => t,
            Some(_) => {
                return Err(fail(format!(
                    "no text field `{}`: it is present but empty",
                    f.text
                )));
            }
            None => {
                return Err(fail(format!(
                    "no text field `{}` on this line (keys found: {}); name the key that holds \
                     the article text with --field text=KEY",
                    f.text,
                    list_names(&map.keys().collect::<Vec<_>>())
                )));
            }
        };
        if text.trim().is_empty() {
            return Err(fail(format!(
                "empty text: field `{}` holds only whitespace",
                f.text
            )));
        }
        get(&f.source).map_err(&fail)?;
        let Some(source) = source.clone() else {
            return Err(fail(format!(
                "no source field `{}` on this line (keys found: {}); every article needs the \
                 outlet that published it (map the key with --field source=KEY)",
                f.source,
                list_names(&map.keys().collect::<Vec<_>>())
            )));
        };
        let id = match get(&f.id).map_err(&fail)? {
            Some(v) if !v.trim().is_empty() => meta(&v),
            _ => format!("{}:{}", self.id_prefix, line),
        };
        let title = meta(&get(&f.title).map_err(&fail)?.unwrap_or_default());
        let date = meta(&get(&f.date).map_err(&fail)?.unwrap_or_default());
        let url = meta(&get(&f.url).map_err(&fail)?.unwrap_or_default());
        let author = meta(&get(&f.author).map_err(&fail)?.unwrap_or_default());
        // A key given twice: JSON keeps the last value, and so does the count.
        let cut_bytes = cuts
            .iter()
            .rev()
            .find(|c| c.key.as_deref() == Some(f.text.as_str()))
            .map_or(0, |c| c.dropped);
        Ok(Article {
            id,
            source,
            title,
            date,
            url,
            author,
            text,
            encoding,
            origin,
            extra: Vec::new(),
            html_dropped: Vec::new(),
            cut_bytes,
        })
    }
}

/// The text of `map[key]`: strings as they are, numbers and booleans written out, null or a
/// missing key as `None`; arrays and objects are an error naming the key.
fn value_text(map: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(Value::Bool(b)) => Ok(Some(b.to_string())),
        Some(other) => Err(format!(
            "field `{key}` holds {}, not text: {}; framescope reads strings, numbers and \
             booleans",
            kind(other),
            quote(&other.to_string())
        )),
    }
}

/// [`value_text`] of `map[key]`, a string moved out of the map rather than copied.
fn take_text(map: &mut Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match map.get_mut(key) {
        Some(Value::String(s)) => Ok(Some(std::mem::take(s))),
        _ => value_text(map, key),
    }
}

/// "an array", "a number"... for messages.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::testutil::*;

    fn items(path: &Path, fields: &FieldMap) -> Vec<Item> {
        open_file(path, fields, 1 << 20).unwrap().collect()
    }

    #[test]
    fn lines_become_articles_and_bad_lines_skips() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            &dir,
            "feed.jsonl",
            b"{\"id\":\"a\",\"source\":\"Daily\",\"text\":\"First.\",\"title\":\"T\",\"date\":20240101}\r\n\
              \n\
              this is not json\n\
              [1,2]\n\
              {\"source\":\"Daily\",\"text\":\"Third.\",\"url\":null,\"title\":true}\n\
              {\"source\":\"Daily\"}\n\
              {\"text\":\"no source\"}\n\
              {\"source\":\"Daily\",\"text\":\"   \"}\n\
              {\"source\":\"Daily\",\"text\":[\"x\"]}\n\
              {\"source\":\"Daily\",\"text\":\"last\"}",
        );
        let got = items(&p, &FieldMap::default());
        assert_eq!(got.len(), 9);
        let a = article(&got[0]);
        assert_eq!((a.id.as_str(), a.source.as_str()), ("a", "Daily"));
        assert_eq!((a.title.as_str(), a.date.as_str()), ("T", "20240101"));
        assert_eq!(a.text, "First.");
        assert_eq!(a.origin.line, Some(1));
        assert_eq!(a.encoding, Encoding::Utf8);

        let s = skipped(&got[1]);
        assert_eq!(s.origin.to_string(), format!("{}:3", p.display()));
        assert!(s.reason.starts_with("not a JSON object: "), "{}", s.reason);
        assert!(
            s.reason.ends_with("; line starts: \"this is not json\""),
            "{}",
            s.reason
        );
        assert!(skipped(&got[2]).reason.contains("holds an array"));

        let a = article(&got[3]);
        assert_eq!(a.id, "feed:5");
        assert_eq!((a.title.as_str(), a.url.as_str()), ("true", ""));

        let s = skipped(&got[4]);
        assert!(s.reason.starts_with("no text field `text`"), "{}", s.reason);
        assert!(s.reason.contains("`source`"), "{}", s.reason);
        assert_eq!(s.source.as_deref(), Some("Daily"));
        assert!(
            skipped(&got[5])
                .reason
                .starts_with("no source field `source`")
        );
        assert!(skipped(&got[6]).reason.starts_with("empty text"));
        assert!(
            skipped(&got[7])
                .reason
                .contains("field `text` holds an array")
        );
        assert_eq!(article(&got[8]).origin.line, Some(10));
    }

    /// Endless lines: reading must not need the whole input.
    struct Endless(u64);

    impl io::Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.0 += 1;
            let line = format!("{{\"source\":\"S\",\"text\":\"line {}\"}}\n", self.0);
            let n = line.len().min(buf.len());
            buf[..n].copy_from_slice(&line.as_bytes()[..n]);
            Ok(n)
        }
    }

    #[test]
    fn lines_stream() {
        let path = Path::new("-");
        let stream = stream::open_reader(path, Box::new(Endless(0))).unwrap();
        let reader = new_reader(
            path,
            stream,
            "<stdin>".into(),
            "stdin".into(),
            &FieldMap::default(),
            1 << 20,
        );
        let got: Vec<Item> = reader.unwrap().take(3).collect();
        let a = article(&got[2]);
        assert_eq!((a.id.as_str(), a.text.as_str()), ("stdin:3", "line 3"));
        assert_eq!(a.origin.to_string(), "<stdin>:3");
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            let path = Path::new("fuzz.jsonl");
            let reader = stream::open_reader(path, Box::new(io::Cursor::new(bytes)))
                .and_then(|s| new_reader(path, s, path.into(), "f".into(), &FieldMap::default(), 64));
            if let Ok(reader) = reader {
                for _ in reader {}
            }
        }
    }

    #[test]
    fn field_mapping() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            &dir,
            "m.ndjson",
            br#"{"key":7,"outlet":"Wire","body":"Hello there.","text":"not this"}"#,
        );
        let fields = FieldMap {
            id: "key".into(),
            source: "outlet".into(),
            text: "body".into(),
            ..FieldMap::default()
        };
        let got = items(&p, &fields);
        let a = article(&got[0]);
        assert_eq!(
            (a.id.as_str(), a.source.as_str(), a.text.as_str()),
            ("7", "Wire", "Hello there.")
        );

        let p = write(&dir, "n.jsonl", br#"{"outlet":"Wire","text":"x"}"#);
        let got = items(&p, &fields);
        let s = skipped(&got[0]);
        assert!(s.reason.starts_with("no text field `body`"), "{}", s.reason);
    }

    #[test]
    fn line_encodings() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            &dir,
            "e.jsonl",
            b"{\"source\":\"S\",\"text\":\"caf\xe9\"}\n{\"source\":\"S\",\"text\":\"ok\"}\n",
        );
        let got = items(&p, &FieldMap::default());
        let a = article(&got[0]);
        assert_eq!(a.text, "café");
        assert_eq!(a.encoding, Encoding::Windows1252);
        assert_eq!(article(&got[1]).encoding, Encoding::Utf8);

        // A NUL after the first 8 KiB: that line is skipped, the next one is read.
        let mut bytes = format!(
            "{{\"source\":\"S\",\"text\":\"{}\"}}\n",
            "a".repeat(stream::PEEK_BYTES)
        )
        .into_bytes();
        bytes.extend_from_slice(b"{\"text\":\"x\0\"}\n{\"source\":\"S\",\"text\":\"ok\"}\n");
        let p = write(&dir, "nul.jsonl", &bytes);
        let got = items(&p, &FieldMap::default());
        assert_eq!(got.len(), 3);
        let s = skipped(&got[1]);
        assert_eq!(s.origin.line, Some(2));
        assert!(
            s.reason.contains("NUL byte at byte 11 of the line"),
            "{}",
            s.reason
        );
        assert_eq!(article(&got[2]).text, "ok");

        let p = write(
            &dir,
            "bom.jsonl",
            b"\xEF\xBB\xBF{\"source\":\"S\",\"text\":\"one\"}\n{\"source\":\"S\",\"text\":\"two\"}\n",
        );
        let got = items(&p, &FieldMap::default());
        assert_eq!(article(&got[0]).text, "one");
        assert_eq!(article(&got[0]).encoding, Encoding::Utf8Bom);
        assert_eq!(article(&got[1]).encoding, Encoding::Utf8Bom);
    }

    #[test]
    fn utf16_file() {
        let dir = tempfile::tempdir().unwrap();
        let text =
            "{\"source\":\"S\",\"text\":\"héllo\"}\r\n{\"source\":\"S\",\"text\":\"two\"}\r\n";
        let mut le = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        let p = write(&dir, "u.jsonl", &le);
        let got = items(&p, &FieldMap::default());
        assert_eq!(got.len(), 2);
        let a = article(&got[0]);
        assert_eq!(a.text, "héllo");
        assert_eq!(a.encoding, Encoding::Utf16Le);
        assert_eq!(article(&got[1]).origin.line, Some(2));
    }

    #[test]
    fn empty_and_binary_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(&dir, "empty.jsonl", b"");
        assert!(items(&p, &FieldMap::default()).is_empty());
        let p = write(&dir, "bin.jsonl", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
        let err = open_file(&p, &FieldMap::default(), 1 << 20).err().unwrap();
        assert!(err.to_string().contains("binary data"), "{err}");
    }

    #[test]
    fn whole_json_documents_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(&dir, "a.json", b"[\n {\"text\": \"x\"}\n]\n");
        let err = open_file(&p, &FieldMap::default(), 1 << 20).err().unwrap();
        assert!(err.to_string().contains("JSON array"), "{err}");
        let p = write(&dir, "o.json", b"{\n \"text\": \"x\"\n}\n");
        let err = open_file(&p, &FieldMap::default(), 1 << 20).err().unwrap();
        assert!(
            err.to_string().contains("spread over several lines"),
            "{err}"
        );
    }
}
