//! Reports: the only module that writes files. One writer per report; the CSV schemas (column
//! names and order) live in `rows.rs` (per article) and `outlets.rs` (per outlet) and are
//! described in `reports/README.md`. Rows are rendered to bytes by [`render`] on any thread
//! and written in input order by [`Reports::write`]. Files are written under temporary names
//! in the output folder and renamed into place by [`Reports::finish`], `manifest.json` last,
//! so a failed run never leaves a half-written set that looks complete.

mod cells;
mod compare;
mod outlets;
mod rows;

pub use cells::{fixed, inert, pvalue};
pub use compare::{compare_header, compare_records, keyness_header, keyness_records};
pub use outlets::{
    frame_header, frame_rows, source_header, source_rows, speaker_header, speaker_rows,
};
pub use rows::{
    article_header, cleaning_header, cleaning_rows, hit_header, quote_header, render, skip_header,
};

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::aggregate::Outlets;
use crate::compare::Comparison;
use crate::corpus::Skip;
use crate::lexicon::LexiconSet;

/// Names of the files a run writes.
pub const ARTICLES: &str = "articles.csv";
pub const SOURCES: &str = "sources.csv";
pub const HITS: &str = "hits.csv";
pub const QUOTES: &str = "quotes.csv";
pub const SPEAKERS: &str = "speakers.csv";
pub const FRAMES: &str = "frames.csv";
pub const KEYNESS: &str = "keyness.csv";
pub const COMPARE: &str = "compare.csv";
pub const CLEANING: &str = "cleaning.csv";
pub const SKIPPED: &str = "skipped.csv";
pub const MANIFEST: &str = "manifest.json";

/// A report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{path}: cannot write report: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

type Out = BufWriter<File>;

/// The rows of one scored article, rendered to CSV bytes (in parallel, by any thread) and
/// written in input order by [`Reports::write`].
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub article: Vec<u8>,
    pub hits: Vec<u8>,
    pub quotes: Vec<u8>,
    pub cleaning: Vec<u8>,
}

/// A CSV writer into memory, quoting exactly as every report does.
pub(crate) fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new())
}

/// One CSV record as bytes.
pub(crate) fn record_bytes<I, T>(fields: I) -> Vec<u8>
where
    I: IntoIterator<Item = T>,
    T: AsRef<[u8]>,
{
    let mut w = csv_writer();
    // Writing to a Vec cannot fail.
    let _ = w.write_record(fields);
    w.into_inner().unwrap_or_default()
}

struct Target {
    tmp: PathBuf,
    dest: PathBuf,
}

/// Open report files for one run.
pub struct Reports {
    dir: PathBuf,
    articles: Out,
    hits: Option<Out>,
    quotes: Out,
    cleaning: Out,
    skipped: Out,
    targets: Vec<Target>,
}

/// What `manifest.json` records about the run, beside the lexicons.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RunInfo {
    pub input: String,
    pub input_kind: String,
    pub options: serde_json::Value,
    pub inputs: u64,
    pub scored: u64,
    pub skipped: u64,
}

fn tmp_name(name: &str) -> String {
    format!(".{name}.framescope-tmp")
}

fn io_err(path: &Path, source: std::io::Error) -> ReportError {
    ReportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl Reports {
    /// Create the output folder if needed and open every streamed report under a temporary
    /// name.
    pub fn create(
        dir: &Path,
        set: &LexiconSet,
        extra_columns: &[String],
        with_hits: bool,
    ) -> Result<Reports, ReportError> {
        std::fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
        let mut targets = Vec::new();
        let mut open = |name: &str, header: Vec<String>| -> Result<Out, ReportError> {
            let tmp = dir.join(tmp_name(name));
            let file = File::create(&tmp).map_err(|e| io_err(&tmp, e))?;
            let mut w = BufWriter::with_capacity(1 << 16, file);
            w.write_all(&record_bytes(&header))
                .map_err(|e| io_err(&tmp, e))?;
            targets.push(Target {
                tmp,
                dest: dir.join(name),
            });
            Ok(w)
        };
        let articles = open(ARTICLES, article_header(set, extra_columns))?;
        let hits = if with_hits {
            Some(open(HITS, hit_header())?)
        } else {
            None
        };
        let quotes = open(QUOTES, quote_header())?;
        let cleaning = open(CLEANING, cleaning_header())?;
        let skipped = open(SKIPPED, skip_header())?;
        Ok(Reports {
            dir: dir.to_path_buf(),
            articles,
            hits,
            quotes,
            cleaning,
            skipped,
            targets,
        })
    }

    /// Write the rows of one scored article, rendered by [`render`].
    pub fn write(&mut self, rendered: &Rendered) -> Result<(), ReportError> {
        let dir = &self.dir;
        self.articles
            .write_all(&rendered.article)
            .map_err(|e| io_err(&dir.join(ARTICLES), e))?;
        if let Some(w) = self.hits.as_mut() {
            w.write_all(&rendered.hits)
                .map_err(|e| io_err(&dir.join(HITS), e))?;
        }
        self.quotes
            .write_all(&rendered.quotes)
            .map_err(|e| io_err(&dir.join(QUOTES), e))?;
        self.cleaning
            .write_all(&rendered.cleaning)
            .map_err(|e| io_err(&dir.join(CLEANING), e))
    }

    /// Write `cleaning.csv` rows rendered by [`cleaning_rows`] (for an article that was not
    /// scored; a scored article's come with [`Reports::write`]).
    pub fn write_cleaning(&mut self, rows: &[u8]) -> Result<(), ReportError> {
        self.cleaning
            .write_all(rows)
            .map_err(|e| io_err(&self.dir.join(CLEANING), e))
    }

    /// Write one `skipped.csv` row.
    pub fn skip(&mut self, skip: &Skip) -> Result<(), ReportError> {
        let row = [
            inert(&skip.origin.path.display().to_string()),
            skip.origin.line.map_or(String::new(), |l| l.to_string()),
            inert(skip.id.as_deref().unwrap_or("")),
            inert(skip.source.as_deref().unwrap_or("")),
            inert(&skip.reason),
        ];
        self.skipped
            .write_all(&record_bytes(row))
            .map_err(|e| io_err(&self.dir.join(SKIPPED), e))
    }

    /// Write a whole report at the end of the run (under its temporary name).
    fn write_table(
        &mut self,
        name: &str,
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    ) -> Result<(), ReportError> {
        let tmp = self.dir.join(tmp_name(name));
        let file = File::create(&tmp).map_err(|e| io_err(&tmp, e))?;
        let mut w = BufWriter::new(file);
        w.write_all(&record_bytes(header))
            .map_err(|e| io_err(&tmp, e))?;
        for row in rows {
            w.write_all(&record_bytes(row))
                .map_err(|e| io_err(&tmp, e))?;
        }
        w.flush().map_err(|e| io_err(&tmp, e))?;
        self.targets.push(Target {
            tmp,
            dest: self.dir.join(name),
        });
        Ok(())
    }

    /// Write `sources.csv`, `speakers.csv`, `frames.csv`, `keyness.csv`, `compare.csv` and
    /// `manifest.json`, flush everything and rename each report into place; `manifest.json`
    /// goes last and says the set is complete.
    pub fn finish(
        mut self,
        set: &LexiconSet,
        outlets: &Outlets,
        comparison: &Comparison,
        info: &RunInfo,
    ) -> Result<(), ReportError> {
        self.write_table(SOURCES, source_header(set), source_rows(set, outlets))?;
        self.write_table(SPEAKERS, speaker_header(), speaker_rows(outlets))?;
        self.write_table(FRAMES, frame_header(), frame_rows(set, outlets))?;
        self.write_table(
            KEYNESS,
            keyness_header(),
            keyness_records(set, comparison.voice, &comparison.keyness),
        )?;
        self.write_table(
            COMPARE,
            compare_header(),
            compare_records(&comparison.measures),
        )?;
        let dir = self.dir.clone();
        for (name, w) in [
            (ARTICLES, &mut self.articles),
            (QUOTES, &mut self.quotes),
            (CLEANING, &mut self.cleaning),
            (SKIPPED, &mut self.skipped),
        ] {
            w.flush().map_err(|e| io_err(&dir.join(name), e))?;
        }
        if let Some(w) = self.hits.as_mut() {
            w.flush().map_err(|e| io_err(&dir.join(HITS), e))?;
        }
        // Close the files before renaming them.
        drop(self.articles);
        drop(self.hits);
        drop(self.quotes);
        drop(self.cleaning);
        drop(self.skipped);
        // A run without hits.csv must not leave an older hits.csv beside the new reports.
        let old_hits = dir.join(HITS);
        if !self.targets.iter().any(|t| t.dest == old_hits) && old_hits.exists() {
            std::fs::remove_file(&old_hits).map_err(|e| io_err(&old_hits, e))?;
        }
        for t in &self.targets {
            std::fs::rename(&t.tmp, &t.dest).map_err(|e| io_err(&t.dest, e))?;
        }
        // manifest.json last.
        let manifest = manifest_json(set, info, &self.targets);
        let tmp = dir.join(tmp_name(MANIFEST));
        let dest = dir.join(MANIFEST);
        {
            let mut f = BufWriter::new(File::create(&tmp).map_err(|e| io_err(&tmp, e))?);
            let text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
            f.write_all(text.as_bytes()).map_err(|e| io_err(&tmp, e))?;
            f.write_all(b"\n").map_err(|e| io_err(&tmp, e))?;
            f.flush().map_err(|e| io_err(&tmp, e))?;
        }
        std::fs::rename(&tmp, &dest).map_err(|e| io_err(&dest, e))?;
        Ok(())
    }

    /// Remove the temporary files of a run that failed.
    pub fn abandon(self) {
        let targets = self.targets;
        drop(self.articles);
        drop(self.hits);
        drop(self.quotes);
        drop(self.cleaning);
        drop(self.skipped);
        for t in targets {
            let _ = std::fs::remove_file(t.tmp);
        }
    }
}

fn manifest_json(set: &LexiconSet, info: &RunInfo, targets: &[Target]) -> serde_json::Value {
    let mut reports: Vec<String> = targets
        .iter()
        .filter_map(|t| t.dest.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    reports.push(MANIFEST.to_string());
    serde_json::json!({
        "tool": "framescope",
        "version": env!("CARGO_PKG_VERSION"),
        "complete": true,
        "input": info.input,
        "input_kind": info.input_kind,
        "options": info.options,
        "inputs": info.inputs,
        "scored": info.scored,
        "skipped": info.skipped,
        "reports": reports,
        "lexicons": set.lexicons.iter().map(|l| serde_json::json!({
            "id": l.id,
            "side": l.side.as_str(),
            "weight": l.weight,
            "case_sensitive": l.case_sensitive,
            "role": l.role.as_str(),
            "entries": l.entries.len(),
            "exceptions": l.exceptions.len(),
            "origin": l.origin,
            "sha256": l.sha256,
        })).collect::<Vec<_>>(),
    })
}

/// The `framescope lexicons list` listing: an aligned table, or CSV.
pub fn lexicon_listing(set: &LexiconSet, as_csv: bool) -> String {
    let header = [
        "id",
        "side",
        "weight",
        "case",
        "role",
        "entries",
        "exceptions",
        "origin",
    ];
    let rows: Vec<[String; 8]> = set
        .lexicons
        .iter()
        .map(|l| {
            [
                l.id.clone(),
                l.side.as_str().to_string(),
                format!("{}", l.weight),
                if l.case_sensitive {
                    "sensitive"
                } else {
                    "insensitive"
                }
                .to_string(),
                l.role.as_str().to_string(),
                l.entries.len().to_string(),
                l.exceptions.len().to_string(),
                l.origin.clone(),
            ]
        })
        .collect();
    if as_csv {
        let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
        let _ = w.write_record(header);
        for r in &rows {
            let _ = w.write_record(r.iter().map(|c| inert(c)));
        }
        return String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default();
    }
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: Vec<&str>| {
        let mut l = String::new();
        for (i, (c, w)) in cells.iter().zip(&widths).enumerate() {
            if i + 1 == cells.len() {
                l.push_str(c);
            } else {
                l.push_str(&format!("{c:<w$}  "));
            }
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(header.to_vec());
    for r in &rows {
        line(r.iter().map(String::as_str).collect());
    }
    // the detector's placeholder entry is not a word-list entry
    let entries: usize = set
        .lexicons
        .iter()
        .filter(|l| l.role != crate::lexicon::Role::Detector)
        .map(|l| l.entries.len())
        .sum();
    out.push_str(&format!("{} categories, {} entries\n", set.len(), entries));
    out
}

/// Name of the `framescope validate` report.
pub const VALIDATION: &str = "validation.csv";

/// Write `validation.csv` into `dir` (under a temporary name, then renamed into place).
pub fn write_validation(
    dir: &Path,
    figures: &[crate::validate::Figure],
) -> Result<PathBuf, ReportError> {
    std::fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
    let tmp = dir.join(tmp_name(VALIDATION));
    let dest = dir.join(VALIDATION);
    {
        let file = File::create(&tmp).map_err(|e| io_err(&tmp, e))?;
        let mut w = BufWriter::new(file);
        let header = [
            "metric",
            "split_field",
            "split_value",
            "value",
            "baseline",
            "n",
            "p",
        ];
        w.write_all(&record_bytes(header))
            .map_err(|e| io_err(&tmp, e))?;
        for f in figures {
            let row = [
                f.metric.to_string(),
                inert(&f.split_field),
                inert(&f.split_value),
                fixed(f.value),
                fixed(f.baseline),
                f.n.to_string(),
                fixed(f.p),
            ];
            w.write_all(&record_bytes(row))
                .map_err(|e| io_err(&tmp, e))?;
        }
        w.flush().map_err(|e| io_err(&tmp, e))?;
    }
    std::fs::rename(&tmp, &dest).map_err(|e| io_err(&dest, e))?;
    Ok(dest)
}

/// The terminal summary of `framescope validate`.
pub fn validation_summary(figures: &[crate::validate::Figure]) -> String {
    let mut out = format!(
        "{:<18} {:<22} {:>9} {:>9} {:>8} {:>8}\n",
        "metric", "split", "value", "random", "n", "p"
    );
    for f in figures {
        let split = if f.split_field.is_empty() {
            "all".to_string()
        } else if f.split_value.is_empty() {
            f.split_field.clone()
        } else {
            format!("{}={}", f.split_field, f.split_value)
        };
        out.push_str(&format!(
            "{:<18} {:<22} {:>9} {:>9} {:>8} {:>8}\n",
            f.metric,
            split.chars().take(22).collect::<String>(),
            fixed(f.value),
            fixed(f.baseline),
            f.n,
            fixed(f.p),
        ));
    }
    out
}
