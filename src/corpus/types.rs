//! The values the corpus stage hands on: articles, skips and where each came from.

use std::fmt;
use std::path::PathBuf;

/// How the bytes of an article were decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    /// Not valid UTF-8 and no BOM: read as Windows-1252 (every byte maps to a char).
    Windows1252,
}

impl Encoding {
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
    pub path: PathBuf,
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
    pub id: String,
    pub source: String,
    pub title: String,
    pub date: String,
    pub url: String,
    pub text: String,
    pub encoding: Encoding,
    pub origin: Origin,
    /// Values of `Corpus::extra_columns`, in that order ("" where absent).
    pub extra: Vec<String>,
}

/// An input that was not scored, and why. `reason` is a full sentence a user can act on.
#[derive(Debug, Clone)]
pub struct Skip {
    pub origin: Origin,
    pub id: Option<String>,
    pub source: Option<String>,
    pub reason: String,
}

/// What the corpus iterator yields.
#[derive(Debug, Clone)]
pub enum Item {
    Article(Article),
    Skip(Skip),
}

/// Result of decoding a byte buffer.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub encoding: Encoding,
}

/// Why bytes could not be made into article text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("empty input (no bytes)")]
    Empty,
    #[error("binary data, not text (NUL byte at offset {offset})")]
    Binary { offset: usize },
}

/// Which reader to use for the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// Decide from the path: a directory is a folder, `.jsonl`/`.ndjson`/`.json` is JSONL,
    /// `.csv` is CSV, `.txt`/`.md` is a single article, `-` is JSONL on standard input.
    Auto,
    Folder,
    Jsonl,
    Csv,
}

/// Names of the fields (JSONL keys, CSV columns) that hold each article attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldMap {
    pub id: String,
    pub source: String,
    pub title: String,
    pub date: String,
    pub url: String,
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
            text: "text".into(),
        }
    }
}

/// Everything the corpus stage needs to open the input.
#[derive(Debug, Clone)]
pub struct InputSpec {
    /// A path, or `-` for standard input.
    pub path: PathBuf,
    pub format: InputFormat,
    pub fields: FieldMap,
}

/// A problem that stops the run before any article is scored (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("{path}: cannot read input: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(String),
}
