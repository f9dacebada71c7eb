//! The values the corpus stage hands on: articles, skips and where each came from.

use std::fmt;
use std::path::PathBuf;

/// How the bytes of an article were decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Valid UTF-8, no byte-order mark.
    Utf8,
    /// UTF-8 after a byte-order mark (the mark is not part of the text).
    Utf8Bom,
    /// UTF-16 little-endian, announced by a byte-order mark.
    Utf16Le,
    /// UTF-16 big-endian, announced by a byte-order mark.
    Utf16Be,
    /// Not valid UTF-8 and no BOM: read as Windows-1252 (every byte maps to a char).
    Windows1252,
}

impl Encoding {
    /// The name shown in reports: `utf-8`, `utf-8-bom`, `utf-16le`, `utf-16be`,
    /// `windows-1252`.
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Windows1252 => "windows-1252",
        }
    }
}

/// Where an input came from: a file, and a 1-based line (record) within it when the file
/// holds many articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file (`<stdin>` for standard input).
    pub path: PathBuf,
    /// The 1-based line (JSONL) or the line a record starts on (CSV, manifest row).
    pub line: Option<u64>,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}", self.path.display(), line),
            None => write!(f, "{}", self.path.display()),
        }
    }
}

/// One article, decoded, with its metadata. `text` is the article text as read (decoded,
/// nothing removed): every offset in the reports points into it.
#[derive(Debug, Clone)]
pub struct Article {
    /// Identifier: given by the input, else derived from the path or `<file stem>:<line>`.
    pub id: String,
    /// The outlet that published the article (never empty).
    pub source: String,
    /// Headline, as given by the input ("" when absent).
    pub title: String,
    /// Date, as given by the input, not parsed ("" when absent).
    pub date: String,
    /// Address, as given by the input ("" when absent).
    pub url: String,
    /// Author (byline), as given by the input or found in an HTML page ("" when absent).
    pub author: String,
    /// The decoded text (never empty or only whitespace); for an HTML page, the article text
    /// extracted from it.
    pub text: String,
    /// How the text was decoded (for CSV and JSONL the "worst" of the stream and its fields).
    pub encoding: Encoding,
    /// Where the text was read.
    pub origin: Origin,
    /// Values of `Corpus::extra_columns`, in that order ("" where absent).
    pub extra: Vec<String>,
    /// For an HTML page: what the extractor left out of the page (navigation, comments...),
    /// reported in `cleaning.csv`. Empty for plain text.
    pub html_dropped: Vec<crate::html::Dropped>,
    /// Bytes of the input left unscored because the article was longer than
    /// [`InputSpec::max_article_bytes`]: 0 when it was read whole. For a file, its bytes as
    /// stored after the part read; for a JSONL or CSV field, the bytes (UTF-8) of its text
    /// after the cut. `text` is then the part before the cut.
    pub cut_bytes: u64,
}

/// An input that was not scored, and why. `reason` is a full sentence a user can act on.
#[derive(Debug, Clone)]
pub struct Skip {
    /// Where the problem is (for a manifest row: the manifest and the row's line).
    pub origin: Origin,
    /// The article's id, when it was known.
    pub id: Option<String>,
    /// The article's outlet, when it was known.
    pub source: Option<String>,
    /// A full sentence saying what was wrong, quoting the bad value.
    pub reason: String,
}

/// What the corpus iterator yields.
#[derive(Debug, Clone)]
pub enum Item {
    /// An article to score.
    Article(Article),
    /// An input that is not scored.
    Skip(Skip),
}

/// Result of decoding a byte buffer.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text, without any byte-order mark.
    pub text: String,
    /// How the bytes were read.
    pub encoding: Encoding,
}

/// Why bytes could not be made into article text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// There were no bytes at all.
    #[error("empty input (no bytes)")]
    Empty,
    /// A NUL byte: not text.
    #[error("binary data, not text (NUL byte at offset {offset})")]
    Binary {
        /// Byte offset of the first NUL in the input.
        offset: usize,
    },
}

/// Which reader to use for the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// Decide from the path: a directory is a folder, `.jsonl`/`.ndjson`/`.json` is JSONL,
    /// `.csv` is CSV, `.txt`/`.md` is a single article, `-` is JSONL on standard input.
    Auto,
    /// A folder of `.txt`/`.md` files (with `manifest.csv`, or one sub-folder per outlet).
    Folder,
    /// JSON Lines: one object per line (`-` reads standard input).
    Jsonl,
    /// CSV with a header row (`-` reads standard input).
    Csv,
}

/// Names of the fields (JSONL keys, CSV columns) that hold each article attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldMap {
    /// Field holding the article id (default `id`).
    pub id: String,
    /// Field holding the outlet (default `source`).
    pub source: String,
    /// Field holding the headline (default `title`).
    pub title: String,
    /// Field holding the date (default `date`).
    pub date: String,
    /// Field holding the address (default `url`).
    pub url: String,
    /// Field holding the author (default `author`).
    pub author: String,
    /// Field holding the article text (default `text`).
    pub text: String,
}

impl Default for FieldMap {
    fn default() -> Self {
        FieldMap {
            id: "id".into(),
            source: "source".into(),
            title: "title".into(),
            date: "date".into(),
            url: "url".into(),
            author: "author".into(),
            text: "text".into(),
        }
    }
}

/// Which texts are read as HTML pages (the article extracted, the page chrome left out).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HtmlMode {
    /// `.html`/`.htm` files, and JSONL/CSV text fields that look like HTML.
    #[default]
    Auto,
    /// Every text.
    Always,
    /// None: markup is scored as text.
    Never,
}

impl HtmlMode {
    pub fn as_str(self) -> &'static str {
        match self {
            HtmlMode::Auto => "auto",
            HtmlMode::Always => "always",
            HtmlMode::Never => "never",
        }
    }
}

/// Everything the corpus stage needs to open the input.
#[derive(Debug, Clone)]
pub struct InputSpec {
    /// A path, or `-` for standard input.
    pub path: PathBuf,
    /// Which reader to use.
    pub format: InputFormat,
    /// Which JSONL keys / CSV columns hold what.
    pub fields: FieldMap,
    /// Which texts are HTML pages.
    pub html: HtmlMode,
    /// The most bytes (UTF-8) of one article's text that are scored; a longer one is cut (see
    /// [`cut_point`](super::cut_point)) and its [`Article::cut_bytes`] says how much was left
    /// out. Readers keep at most about twice this in memory for one article.
    pub max_article_bytes: usize,
}

/// The default of [`InputSpec::max_article_bytes`] (and `--max-article-bytes`): 8 MiB.
pub const DEFAULT_MAX_ARTICLE_BYTES: usize = 8 << 20;

/// A problem that stops the run before any article is scored (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// The input (or a file it needs, like `manifest.csv`) cannot be opened or read.
    #[error("{path}: cannot read input: {source}; check the path, and that this user can read it")]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The input cannot be used as given; the message is a full sentence naming the file.
    #[error("{0}")]
    Invalid(String),
}
