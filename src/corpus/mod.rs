//! Corpus: inputs become [`Article`]s. Folders of `.txt`/`.md`/`.html` (with `manifest.csv` or
//! outlet sub-folders), JSONL, CSV and standard input; decoding; HTML pages become their
//! extracted article text ([`crate::html`]); every input that cannot be read becomes a
//! [`Skip`] with a reason, never a panic. Only this module and `lexicon` read files.
//!
//! INTERFACE (owned by the corpus helper; keep these signatures):
//! - `open(spec: &InputSpec) -> Result<Corpus, CorpusError>`: fatal problems only (input
//!   missing, CSV without a text column, unreadable manifest header...).
//! - `Corpus: Iterator<Item = Item>`: articles and skips in a deterministic order.
//! - `Corpus::into_raw(self) -> (RawInputs, Admit)`: the same items in stages, for the
//!   pipeline: `RawInputs` yields each input as read ([`Raw`]), `Raw::prepare` (any thread)
//!   parses, extracts and cuts it, `Admit::admit` (in input order) checks its id (or
//!   `Admit::check` on any thread, then `Admit::admit_checked` in input order and
//!   `Admit::end_batch` after each batch).
//! - `Corpus::extra_columns(&self) -> &[String]`: names of extra metadata columns (manifest or
//!   CSV columns beyond the known ones), fixed before the first item; `Article::extra` holds
//!   their values in that order.
//! - `decode(bytes: &[u8]) -> Result<Decoded, DecodeError>`: pure twin of file reading.
//!
//! This file owns format detection ([`open`]) and the [`Corpus`] iterator; the readers live
//! in `folder` (outlet sub-folders, single files), `manifest`, `jsonl` and `csvin`, decoding
//! in `decode`, byte-order-mark handling for streams in `stream`.

mod csvin;
mod decode;
mod flatjson;
mod folder;
pub mod gold;
mod jsonl;
mod limit;
mod listing;
mod longline;
mod manifest;
mod reasons;
mod spill;
mod stream;
#[cfg(test)]
mod testutil;
mod types;

use std::fmt;
use std::fs;
use std::path::Path;

pub use decode::decode;
pub use limit::cut_point;
pub(crate) use spill::Identity;
pub use types::*;

use std::hash::{Hash, Hasher};

/// The articles (and skips) of one input, produced one at a time: memory does not grow with
/// the number of articles. Obtained from [`open`].
pub struct Corpus {
    reader: Reader,
    extra_columns: Vec<String>,
    description: String,
    html: HtmlMode,
    max_article_bytes: usize,
    /// The duplicate-id check.
    ids: Admit,
}

enum Reader {
    Folder(folder::FolderReader),
    Manifest(Box<manifest::ManifestReader>),
    Jsonl(Box<jsonl::JsonlReader>),
    Csv(Box<csvin::CsvReader>),
    Single(folder::SingleReader),
}

impl Corpus {
    fn new(reader: Reader, description: impl Into<String>) -> Corpus {
        let extra_columns = match &reader {
            Reader::Manifest(r) => r.extra_columns().to_vec(),
            Reader::Csv(r) => r.extra_columns().to_vec(),
            _ => Vec::new(),
        };
        Corpus {
            reader,
            extra_columns,
            description: description.into(),
            html: HtmlMode::Auto,
            max_article_bytes: DEFAULT_MAX_ARTICLE_BYTES,
            ids: Admit::default(),
        }
    }

    /// Names of the extra metadata columns (manifest or CSV columns beyond the known ones),
    /// as written in the header; [`Article::extra`] holds their values in this order. Empty
    /// for folders without a manifest, JSONL and single files.
    pub fn extra_columns(&self) -> &[String] {
        &self.extra_columns
    }

    /// What kind of input this is, for the user: e.g. "folder with manifest.csv",
    /// "JSON Lines file (utf-16le)", "CSV file".
    pub fn describe(&self) -> String {
        self.description.clone()
    }
}

impl fmt::Debug for Corpus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Corpus")
            .field("description", &self.description)
            .field("extra_columns", &self.extra_columns)
            .finish_non_exhaustive()
    }
}

impl Iterator for Corpus {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        let raw = self.next_raw()?;
        Some(self.ids.admit(raw.prepare()))
    }
}

/// One input as read, before the work on it that does not depend on the inputs before it:
/// parsing a JSON line, extracting an HTML page, cutting to `--max-article-bytes`. That is
/// [`Raw::prepare`], which can run on any thread; what does depend on the inputs before (the
/// duplicate-id check) is [`Admit::admit`], to be called in input order.
pub struct Raw {
    kind: RawKind,
    html: HtmlMode,
    max_article_bytes: usize,
}

// An item read whole is as common as a line (folders, CSV), so neither is boxed: a batch
// holds a few hundred of these.
#[allow(clippy::large_enum_variant)]
enum RawKind {
    Item(Item),
    Line(jsonl::RawLine),
}

impl Raw {
    /// Bytes of the input as read (a JSON line, or an article's text), to size batches.
    pub fn len(&self) -> usize {
        match &self.kind {
            RawKind::Item(Item::Article(a)) => a.text.len(),
            RawKind::Item(Item::Skip(_)) => 0,
            RawKind::Line(line) => line.len(),
        }
    }

    /// Whether [`len`](Self::len) is 0.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The article (parsed, its HTML page extracted, cut to `--max-article-bytes`) or the
    /// skip it became. What [`Corpus`] yields is this, through [`Admit::admit`].
    pub fn prepare(self) -> Item {
        let item = match self.kind {
            RawKind::Item(item) => item,
            RawKind::Line(line) => line.parse(),
        };
        let item = match item {
            Item::Article(a) if is_html(self.html, &a) => from_html(a),
            other => other,
        };
        match item {
            Item::Article(a) => cut(a, self.max_article_bytes),
            skip => skip,
        }
    }
}

/// The inputs of a [`Corpus`] as read ([`Corpus::into_raw`]).
pub struct RawInputs(Corpus);

impl Iterator for RawInputs {
    type Item = Raw;

    fn next(&mut self) -> Option<Raw> {
        self.0.next_raw()
    }
}

/// The check that needs the inputs in order: an article whose id was already used is
/// skipped.
#[derive(Debug, Default)]
pub struct Admit {
    /// Ids seen so far, as 64-bit hashes (the chance that two of a million ids share a hash
    /// is about 3 in 100 million). The newest 458,752 are in memory, the rest in sorted
    /// temporary files ([`spill`]), so memory does not grow with the number of articles.
    ids: spill::SpillMap<()>,
}

/// What [`Admit::check`] found out about an input, for [`Admit::admit_checked`].
#[derive(Debug)]
pub struct Checked {
    /// The id's hash, and whether it is among the ids written out (`None` for a skip).
    id: Option<(u64, std::io::Result<bool>)>,
}

impl Admit {
    /// `item`, or a skip if it is an article with an id seen before; call in input order.
    pub fn admit(&mut self, item: Item) -> Item {
        let checked = self.check(&item);
        let item = self.admit_checked(item, checked);
        self.end_batch();
        item
    }

    /// The part of [`admit`](Self::admit) that can run on any thread, for the items of a
    /// batch side by side: the id's hash, looked up among the ids written out to temporary
    /// files (one read per file).
    pub fn check(&self, item: &Item) -> Checked {
        let Item::Article(a) = item else {
            return Checked { id: None };
        };
        // SipHash with fixed keys: the same on every run.
        let mut h = std::hash::DefaultHasher::new();
        a.id.hash(&mut h);
        let key = h.finish();
        let written = self.ids.get_written(key).map(|v| v.is_some());
        Checked {
            id: Some((key, written)),
        }
    }

    /// The rest of [`admit`](Self::admit), in input order, given `item`'s
    /// [`check`](Self::check); no [`end_batch`](Self::end_batch) may come between the two.
    pub fn admit_checked(&mut self, item: Item, checked: Checked) -> Item {
        // `check` gives an id exactly for an article.
        let Some((key, written)) = checked.id else {
            return item;
        };
        let Item::Article(a) = item else {
            return item;
        };
        let seen = written.map(|written| {
            self.ids
                .get_or_insert_checked(key, (), written.then_some(()))
                .is_some()
        });
        let reason = match seen {
            Ok(false) => return Item::Article(a),
            Ok(true) => format!(
                "duplicate id {}: an article read earlier has the same id (it is the row of \
                 articles.csv with this id), and ids must tell articles apart, so this one \
                 is not scored (give it an id of its own, or remove the copy)",
                reasons::quote(&a.id)
            ),
            Err(e) => format!(
                "cannot check id {} against the ids read earlier: reading them back from the \
                 temporary folder failed ({e}), so this article is not scored",
                reasons::quote(&a.id)
            ),
        };
        Item::Skip(Skip {
            reason,
            origin: a.origin,
            id: Some(a.id),
            source: Some(a.source),
        })
    }

    /// After a batch's [`admit_checked`](Self::admit_checked) calls: write the ids held in
    /// memory out to a temporary file if there are as many as it holds.
    pub fn end_batch(&mut self) {
        self.ids.settle();
    }

    /// A check that writes its ids out after `n` (to test the runs).
    #[cfg(test)]
    fn spill_after(n: usize) -> Self {
        Self {
            ids: spill::SpillMap::with_limit(n, std::env::temp_dir()),
        }
    }

    /// Why the ids could not be written to the temporary folder (so they were kept in
    /// memory), if they could not.
    pub fn spill_error(&self) -> Option<&str> {
        self.ids.spill_error()
    }
}

impl Corpus {
    /// The next input as read; [`Raw::prepare`] and [`Admit::admit`] make it the item the
    /// iterator gives.
    pub fn next_raw(&mut self) -> Option<Raw> {
        let kind = match &mut self.reader {
            Reader::Folder(r) => RawKind::Item(r.next()?),
            Reader::Manifest(r) => RawKind::Item(r.next()?),
            Reader::Jsonl(r) => match r.next_read()? {
                jsonl::Read::Line(line) => RawKind::Line(line),
                jsonl::Read::Skip(skip) => RawKind::Item(*skip),
            },
            Reader::Csv(r) => RawKind::Item(r.next()?),
            Reader::Single(r) => RawKind::Item(r.next()?),
        };
        Some(Raw {
            kind,
            html: self.html,
            max_article_bytes: self.max_article_bytes,
        })
    }

    /// The inputs as read, to be prepared on any thread, and the in-order check to pass
    /// them through afterwards: together what the iterator gives.
    pub fn into_raw(mut self) -> (RawInputs, Admit) {
        let admit = std::mem::take(&mut self.ids);
        (RawInputs(self), admit)
    }
}

/// An article cut to `max` bytes (at a sentence end where it can be), or a skip when what is
/// left holds no words.
fn cut(mut a: Article, max: usize) -> Item {
    let keep = cut_point(&a.text, max);
    if keep < a.text.len() {
        a.cut_bytes += (a.text.len() - keep) as u64;
        a.text.truncate(keep);
        if a.text.trim().is_empty() {
            return Item::Skip(Skip {
                reason: format!(
                    "the first {max} bytes of the text (--max-article-bytes) hold no words, so \
                     nothing is left to score; raise --max-article-bytes"
                ),
                origin: a.origin,
                id: Some(a.id),
                source: Some(a.source),
            });
        }
    }
    Item::Article(a)
}

/// Whether an article's text is an HTML page to extract.
fn is_html(mode: HtmlMode, a: &Article) -> bool {
    match mode {
        HtmlMode::Never => false,
        HtmlMode::Always => true,
        HtmlMode::Auto => {
            // A file's type is its extension; a JSONL/CSV field is sniffed.
            if a.origin.line.is_none() {
                folder::is_html_file(&a.origin.path)
            } else {
                crate::html::looks_like_html(&a.text)
            }
        }
    }
}

/// The article of a web page: its extracted text, and the page's title, date, url and author
/// where the input gave none. A page with no article text is a skip that says what was left
/// out.
fn from_html(mut a: Article) -> Item {
    let page = crate::html::extract(&a.text);
    for (slot, found) in [
        (&mut a.title, page.title),
        (&mut a.date, page.date),
        (&mut a.url, page.url),
        (&mut a.author, page.author),
    ] {
        if slot.trim().is_empty()
            && let Some(v) = found
        {
            *slot = v;
        }
    }
    a.html_dropped = page.dropped;
    if page.text.trim().is_empty() {
        let mut reasons: Vec<&str> = a.html_dropped.iter().map(|d| d.reason.as_str()).collect();
        reasons.sort_unstable();
        reasons.dedup();
        let reason = if reasons.is_empty() {
            "HTML page with no visible text".to_owned()
        } else {
            format!(
                "HTML page with no article text: everything visible was page chrome ({}); \
                 read it as text with --html never",
                reasons.join(", ")
            )
        };
        return Item::Skip(Skip {
            origin: a.origin,
            id: Some(a.id),
            source: Some(a.source),
            reason,
        });
    }
    a.text = page.text;
    Item::Article(a)
}

/// Opens the input described by `spec`. Only problems that leave nothing to read are errors:
/// the path does not exist or cannot be opened, its format cannot be told, a CSV has no text
/// column, a manifest lacks `file`/`source`, a stream is binary. Everything else (one bad
/// file, line or row) is a [`Skip`] from the iterator.
///
/// With [`InputFormat::Auto`]: `-` is JSON Lines on standard input; a folder is read as a
/// folder (with `manifest.csv` if it has one); `.jsonl`/`.ndjson`/`.json` are JSON Lines,
/// `.csv` is CSV, `.txt`/`.md` a single article. An explicit format overrides the extension
/// (and `-` with [`InputFormat::Csv`] reads CSV from standard input).
pub fn open(spec: &InputSpec) -> Result<Corpus, CorpusError> {
    let mut corpus = open_reader(spec)?;
    corpus.html = spec.html;
    corpus.max_article_bytes = spec.max_article_bytes;
    Ok(corpus)
}

/// The pure twin of [`open`] for the stream formats: reads JSON Lines or CSV (as
/// `spec.format` says; [`InputFormat::Auto`] means JSON Lines) from `bytes`, named `spec.path`
/// in origins and messages, and returns every item, as the pipeline would see them.
pub fn read_bytes(spec: &InputSpec, bytes: Vec<u8>) -> Result<Vec<Item>, CorpusError> {
    let path = spec.path.as_path();
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let s = stream::open_reader(path, Box::new(std::io::Cursor::new(bytes)))?;
    let reader = match spec.format {
        InputFormat::Csv => Reader::Csv(Box::new(csvin::new_reader(
            path,
            s,
            path.to_path_buf(),
            stem,
            &spec.fields,
        )?)),
        _ => Reader::Jsonl(Box::new(jsonl::new_reader(
            path,
            s,
            path.to_path_buf(),
            stem,
            &spec.fields,
            spec.max_article_bytes,
        )?)),
    };
    let mut corpus = Corpus::new(reader, "bytes");
    corpus.html = spec.html;
    corpus.max_article_bytes = spec.max_article_bytes;
    Ok(corpus.collect())
}

fn open_reader(spec: &InputSpec) -> Result<Corpus, CorpusError> {
    let path = spec.path.as_path();
    let stdin = path.as_os_str() == "-";
    let max = spec.max_article_bytes;
    match spec.format {
        InputFormat::Auto if stdin => open_jsonl(path, &spec.fields, max),
        InputFormat::Auto => {
            if metadata(path)?.is_dir() {
                return open_folder(path, max);
            }
            match folder::ext_lower(path).as_str() {
                "jsonl" | "ndjson" | "json" => open_jsonl(path, &spec.fields, max),
                "csv" => open_csv(path, &spec.fields),
                "txt" | "md" => Ok(Corpus::new(
                    Reader::Single(folder::open_single(path, max)),
                    "single text file",
                )),
                "html" | "htm" => Ok(Corpus::new(
                    Reader::Single(folder::open_single(path, max)),
                    "single HTML page",
                )),
                ext => Err(CorpusError::Invalid(format!(
                    "{}: cannot tell the input format from {}; framescope reads a folder of \
                     .txt/.md/.html files, .jsonl/.ndjson/.json (JSON Lines), .csv, a single \
                     .txt, .md or .html file, or `-` for JSON Lines on standard input (or choose a reader \
                     with --format folder|jsonl|csv)",
                    path.display(),
                    if ext.is_empty() {
                        "a name without an extension".to_owned()
                    } else {
                        format!("the extension .{ext}")
                    }
                ))),
            }
        }
        InputFormat::Folder => {
            if stdin || !metadata(path)?.is_dir() {
                return Err(CorpusError::Invalid(format!(
                    "{}: the folder format needs a folder, and this is not one",
                    stream::display_name(path)
                )));
            }
            open_folder(path, max)
        }
        InputFormat::Jsonl => {
            if !stdin {
                not_a_folder(path, "JSON Lines")?;
            }
            open_jsonl(path, &spec.fields, max)
        }
        InputFormat::Csv => {
            if !stdin {
                not_a_folder(path, "CSV")?;
            }
            open_csv(path, &spec.fields)
        }
    }
}

fn metadata(path: &Path) -> Result<fs::Metadata, CorpusError> {
    fs::metadata(path).map_err(|source| CorpusError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn not_a_folder(path: &Path, format: &str) -> Result<(), CorpusError> {
    if metadata(path)?.is_dir() {
        return Err(CorpusError::Invalid(format!(
            "{}: this is a folder, but the {format} format reads a file",
            path.display()
        )));
    }
    Ok(())
}

fn open_folder(path: &Path, max: usize) -> Result<Corpus, CorpusError> {
    let manifest_path = path.join(manifest::MANIFEST);
    if manifest_path.is_file() {
        let reader = manifest::open(path, &manifest_path, max)?;
        Ok(Corpus::new(
            Reader::Manifest(Box::new(reader)),
            "folder with manifest.csv",
        ))
    } else {
        Ok(Corpus::new(
            Reader::Folder(folder::open(path, max)?),
            "folder with one sub-folder per outlet",
        ))
    }
}

fn with_encoding(what: &str, bom: Option<Encoding>) -> String {
    match bom {
        Some(e) => format!("{what} ({})", e.as_str()),
        None => what.to_owned(),
    }
}

fn open_jsonl(path: &Path, fields: &FieldMap, max: usize) -> Result<Corpus, CorpusError> {
    let (reader, what) = if path.as_os_str() == "-" {
        (
            jsonl::open_stdin(fields, max)?,
            "JSON Lines on standard input",
        )
    } else {
        (jsonl::open_file(path, fields, max)?, "JSON Lines file")
    };
    let description = with_encoding(what, reader.bom());
    Ok(Corpus::new(Reader::Jsonl(Box::new(reader)), description))
}

fn open_csv(path: &Path, fields: &FieldMap) -> Result<Corpus, CorpusError> {
    let (reader, what) = if path.as_os_str() == "-" {
        (csvin::open_stdin(fields)?, "CSV on standard input")
    } else {
        (csvin::open_file(path, fields)?, "CSV file")
    };
    let description = with_encoding(what, reader.bom());
    Ok(Corpus::new(Reader::Csv(Box::new(reader)), description))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn spec(path: impl Into<PathBuf>) -> InputSpec {
        InputSpec {
            path: path.into(),
            format: InputFormat::Auto,
            fields: FieldMap::default(),
            html: HtmlMode::Auto,
            max_article_bytes: DEFAULT_MAX_ARTICLE_BYTES,
        }
    }

    /// The pipeline prepares a batch's inputs on the pool, in any order, and only then checks
    /// ids in input order: that must give what the plain iterator gives, for every kind of
    /// line (duplicates, HTML pages, bad JSON, blank lines, texts cut to the limit).
    #[test]
    fn raw_inputs_prepared_out_of_order_give_the_iterators_items() {
        let dir = tempfile::tempdir().unwrap();
        let long = "Word after word. ".repeat(400);
        let lines = [
            r#"{"id":"a","source":"S","text":"One said."}"#.to_owned(),
            r#"{"id":"a","source":"T","text":"The same id."}"#.to_owned(),
            "not json".to_owned(),
            String::new(),
            r#"{"id":"h","source":"S","text":"<html><body><nav>Home</nav><article><p>Page text here.</p></article></body></html>"}"#.to_owned(),
            format!(r#"{{"id":"l","source":"S","text":"{long}"}}"#),
            format!(r#"{{"id":"w","source":"S","text":"{}Tail."}}"#, " ".repeat(3000)),
            r#"{"source":"S","text":"No id: one from the line."}"#.to_owned(),
            r#"{"id":"b","source":"S","text":"   "}"#.to_owned(),
            r#"{"id":"h","source":"S","text":"Id of the page, again."}"#.to_owned(),
        ];
        let path = testutil::write(&dir, "mixed.jsonl", lines.join("\n").as_bytes());
        let mut s = spec(path);
        s.max_article_bytes = 2000;
        let plain: Vec<String> = open(&s).unwrap().map(|i| format!("{i:?}")).collect();

        let (inputs, mut admit) = open(&s).unwrap().into_raw();
        let raws: Vec<Raw> = inputs.collect();
        let prepared: Vec<Item> = std::thread::spawn(move || {
            let mut items: Vec<(usize, Item)> = raws
                .into_iter()
                .enumerate()
                .rev()
                .map(|(i, raw)| (i, raw.prepare()))
                .collect();
            items.sort_by_key(|(i, _)| *i);
            items.into_iter().map(|(_, item)| item).collect()
        })
        .join()
        .unwrap();
        let staged: Vec<String> = prepared
            .into_iter()
            .map(|item| format!("{:?}", admit.admit(item)))
            .collect();
        assert_eq!(plain.len(), 9, "{plain:#?}");
        assert_eq!(staged, plain);
        // The cases are there: two duplicate ids, a page, a cut text.
        assert_eq!(
            plain.iter().filter(|i| i.contains("duplicate id")).count(),
            2
        );
        assert!(plain.iter().any(|i| i.contains("Page text here.")));
        assert!(plain.iter().any(|i| i.contains("hold no words")));
        assert!(
            plain
                .iter()
                .any(|i| i.contains("cut_bytes: ") && !i.contains("cut_bytes: 0,"))
        );
    }

    #[test]
    fn duplicate_ids_are_skipped_naming_the_first() {
        let mut s = spec("feed.jsonl");
        s.format = InputFormat::Jsonl;
        let items = read_bytes(
            &s,
            b"{\"id\":\"a\",\"source\":\"S\",\"text\":\"One.\"}\n\
              {\"id\":\"b\",\"source\":\"S\",\"text\":\"Two.\"}\n\
              {\"id\":\"a\",\"source\":\"T\",\"text\":\"Three.\"}\n"
                .to_vec(),
        )
        .unwrap();
        assert_eq!(items.len(), 3);
        let Item::Skip(skip) = &items[2] else {
            panic!("{items:?}")
        };
        assert_eq!(skip.origin.to_string(), "feed.jsonl:3");
        assert!(
            skip.reason
                .starts_with("duplicate id \"a\": an article read earlier has the same id"),
            "{}",
            skip.reason
        );
    }

    /// Ids written out to runs are still found: with 3 in memory, the repeats of ids long
    /// written out are skipped and nothing else is.
    #[test]
    fn duplicate_ids_are_found_among_the_ids_written_out() {
        let mut s = spec("feed.jsonl");
        s.format = InputFormat::Jsonl;
        let lines: String = (0..41)
            .map(|i| format!("{{\"id\":\"id{i}\",\"source\":\"S\",\"text\":\"Text.\"}}\n"))
            .collect();
        let read = read_bytes(&s, lines.into_bytes()).unwrap();
        // 40 ids, then repeats of ids long written out, and a new one (id40) twice.
        let order = (0..40).chain([0, 17, 39, 40, 38, 40]);
        let (mut spilled, mut plain) = (Admit::spill_after(3), Admit::default());
        let mut skipped = Vec::new();
        for i in order {
            let (a, b) = (spilled.admit(read[i].clone()), plain.admit(read[i].clone()));
            assert_eq!(format!("{a:?}"), format!("{b:?}"), "id{i}");
            if let Item::Skip(s) = a {
                assert!(s.reason.starts_with("duplicate id"), "{}", s.reason);
                skipped.push(s.id.unwrap_or_default());
            }
        }
        assert_eq!(skipped, ["id0", "id17", "id39", "id38", "id40"]);
        assert!(spilled.spill_error().is_none());
        // The same in batches of 7, each checked whole before it is admitted (as on the
        // pool), with the ids written out between batches only.
        let order: Vec<usize> = (0..40).chain([0, 17, 39, 40, 38, 40]).collect();
        let mut batched = Admit::spill_after(3);
        let mut plain = Admit::default();
        for batch in order.chunks(7) {
            let checked: Vec<Checked> = batch.iter().map(|&i| batched.check(&read[i])).collect();
            for (&i, checked) in batch.iter().zip(checked) {
                let a = batched.admit_checked(read[i].clone(), checked);
                let b = plain.admit(read[i].clone());
                assert_eq!(format!("{a:?}"), format!("{b:?}"), "id{i}");
            }
            batched.end_batch();
        }
        assert!(!batched.ids.runs_are_empty());
    }

    #[test]
    fn long_articles_are_cut_at_a_sentence_and_marked() {
        let text = "A sentence of some words. ".repeat(200);
        let line = format!("{{\"source\":\"S\",\"text\":\"{text}\",\"title\":\"T\"}}\n");
        for format in [InputFormat::Jsonl, InputFormat::Csv] {
            let mut s = spec("x");
            s.format = format;
            s.max_article_bytes = 1024;
            let bytes = match format {
                InputFormat::Csv => format!("source,text,title\nS,{text},T\n").into_bytes(),
                _ => line.clone().into_bytes(),
            };
            let items = read_bytes(&s, bytes).unwrap();
            let Item::Article(a) = &items[0] else {
                panic!("{items:?}")
            };
            assert!(
                a.text.len() <= 1024 && a.text.len() > 900,
                "{}",
                a.text.len()
            );
            assert!(a.text.ends_with("words."), "{format:?}: {:?}", a.text);
            assert_eq!(a.title, "T");
            assert_eq!(
                a.cut_bytes as usize + a.text.len(),
                text.len(),
                "{format:?}"
            );
        }
    }

    #[test]
    fn corpus_is_send() {
        fn send<T: Send>() {}
        send::<Corpus>();
    }

    #[test]
    fn missing_path_is_fatal_io_naming_it() {
        let err = open(&spec("/no/such/corpus/here")).err().unwrap();
        assert!(matches!(err, CorpusError::Io { .. }));
        assert!(err.to_string().contains("/no/such/corpus/here"), "{err}");
    }

    #[test]
    fn auto_detection() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::create_dir(d.join("Wire")).unwrap();
        fs::write(d.join("Wire/a.txt"), "Text.").unwrap();
        fs::write(d.join("x.jsonl"), "{\"source\":\"S\",\"text\":\"t\"}\n").unwrap();
        fs::write(d.join("x.csv"), "text,source,lang\nt,S,en\n").unwrap();
        fs::write(d.join("x.pdf"), "%PDF").unwrap();

        let c = open(&spec(d.join("Wire/a.txt"))).unwrap();
        assert_eq!(c.describe(), "single text file");
        assert_eq!(c.count(), 1);
        let c = open(&spec(d.join("x.jsonl"))).unwrap();
        assert_eq!(c.describe(), "JSON Lines file");
        assert!(c.extra_columns().is_empty());
        let c = open(&spec(d.join("x.csv"))).unwrap();
        assert_eq!(c.describe(), "CSV file");
        assert_eq!(c.extra_columns(), ["lang".to_owned()]);
        let err = open(&spec(d.join("x.pdf"))).err().unwrap();
        assert!(err.to_string().contains("extension .pdf"), "{err}");

        // The folder itself: one article, plus the loose files at its root as skips.
        let c = open(&spec(d)).unwrap();
        assert_eq!(c.describe(), "folder with one sub-folder per outlet");
        let items: Vec<Item> = c.collect();
        let articles = items
            .iter()
            .filter(|i| matches!(i, Item::Article(_)))
            .count();
        assert_eq!((articles, items.len()), (1, 4));

        let mut s = spec(d.join("x.csv"));
        s.format = InputFormat::Folder;
        assert!(matches!(open(&s), Err(CorpusError::Invalid(_))));
        let mut s = spec(d);
        s.format = InputFormat::Jsonl;
        assert!(matches!(open(&s), Err(CorpusError::Invalid(_))));
    }

    #[test]
    fn shared_seed_corpus() {
        let seeds = Path::new("/work/shared/corpus/seeds");
        if !seeds.is_dir() {
            eprintln!("skipping: {} not present", seeds.display());
            return;
        }
        let corpus = open(&spec(seeds)).unwrap();
        assert_eq!(corpus.describe(), "folder with manifest.csv");
        assert_eq!(corpus.extra_columns(), ["notes".to_owned()]);
        let mut articles = Vec::new();
        let mut skips = Vec::new();
        for item in corpus {
            match item {
                Item::Article(a) => articles.push(a),
                Item::Skip(s) => skips.push(s),
            }
        }
        assert!(skips.is_empty(), "{skips:#?}");
        assert_eq!(articles.len(), 5);
        for a in &articles {
            assert!(!a.source.is_empty());
            assert_eq!(a.extra.len(), 1);
            assert!(!a.extra[0].is_empty());
            assert!(!a.text.trim().is_empty());
        }
        assert_eq!(articles[0].id, "000_3012c8f79507aae8");
        assert_eq!(articles[0].source, "Site A (India)");
        assert_eq!(articles[0].date, "2023-12-27");
        assert_eq!(articles[3].source, "Global Research");
        assert_eq!(articles[4].source, "Sputnik India");
    }
}
