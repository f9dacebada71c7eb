//! Reports: the only module that writes files. One writer per report; the CSV schemas (column
//! names and order) live in `rows.rs` (per article) and `outlets.rs` (per outlet) and are
//! described in `reports/README.md`. Rows are rendered to bytes by [`render`] on any thread
//! and written in input order by [`Reports::write`]. Files are written under temporary names
//! in the output folder and renamed into place by [`Reports::finish`], `manifest.json` last,
//! so a failed run never leaves a half-written set that looks complete. With `--xlsx`,
//! `framescope.xlsx` is built from the finished CSVs (`xlsx.rs`) before the renaming.

mod cells;
mod compare;
mod outlets;
pub mod page;
mod rows;
mod synced;
mod xlsx;

pub use cells::{fixed, inert, pvalue};
pub use compare::{compare_header, compare_records, keyness_header, keyness_records};
pub use outlets::{
    frame_header, frame_rows, source_header, source_rows, speaker_header, speaker_rows,
};
pub use rows::{
    EntryCells, article_header, cleaning_header, cleaning_rows, hit_header, quote_header, render,
    skip_header,
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
pub use page::REPORT_HTML;
/// The workbook of every CSV report (`--xlsx`).
pub const XLSX: &str = "framescope.xlsx";

/// A report could not be written, or the output folder is not one to write into.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(
        "{path}: cannot write report: {source}; check that the folder is writable and the disk \
         has room (the previous reports, if any, are left as they were)"
    )]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The output folder holds files framescope did not write.
    #[error(
        "{dir}: the output folder holds files framescope did not write: {found}; choose a new or \
         empty folder with --out, or add --force to write the reports beside them (files named \
         like a report are then replaced)"
    )]
    Foreign { dir: PathBuf, found: String },
    /// The workbook (`--xlsx`) could not be made for another reason than I/O.
    #[error(
        "{path}: cannot write the workbook: {reason} (the previous reports, if any, are left as \
         they were)"
    )]
    Workbook { path: PathBuf, reason: String },
}

type Out = synced::SyncedWriter;

/// The rows of one scored article, rendered to CSV bytes (in parallel, by any thread) and
/// written in input order by [`Reports::write`].
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub article: Vec<u8>,
    pub hits: Vec<u8>,
    pub quotes: Vec<u8>,
    pub cleaning: Vec<u8>,
}

/// One CSV record as bytes, every cell made [`inert`], quoted as every report is (by the one
/// [`RowWriter`](cells::RowWriter) that writes report rows).
pub(crate) fn record_bytes<I, T>(fields: I) -> Vec<u8>
where
    I: IntoIterator<Item = T>,
    T: AsRef<str>,
{
    let mut w = cells::RowWriter::new();
    for f in fields {
        w.text(f.as_ref());
    }
    w.end();
    w.take_bytes()
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
    /// Write `framescope.xlsx` too.
    xlsx: bool,
    targets: Vec<Target>,
    /// The articles `report.html` shows, when it is written.
    page: Option<page::PageArticles>,
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
    /// Create the output folder if needed, refuse a folder holding files framescope did not
    /// write (see [`foreign_entries`]) unless `force`, remove the temporary files an
    /// interrupted run left, and open every streamed report under a temporary name. With
    /// `xlsx`, [`Reports::finish`] also writes `framescope.xlsx`.
    pub fn create(
        dir: &Path,
        set: &LexiconSet,
        extra_columns: &[String],
        with_hits: bool,
        xlsx: bool,
        force: bool,
        page_articles: Option<usize>,
    ) -> Result<Reports, ReportError> {
        std::fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
        if !force {
            let found = foreign_entries(dir, set).map_err(|e| io_err(dir, e))?;
            if !found.is_empty() {
                return Err(ReportError::Foreign {
                    dir: dir.to_path_buf(),
                    found: describe_foreign(&found),
                });
            }
        }
        remove_stale_temporaries(dir);
        let mut targets = Vec::new();
        let mut open = |name: &str, header: Vec<String>| -> Result<Out, ReportError> {
            let tmp = dir.join(tmp_name(name));
            let file = File::create(&tmp).map_err(|e| io_err(&tmp, e))?;
            let mut w = synced::SyncedWriter::new(file);
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
            xlsx,
            targets,
            page: page_articles.map(|limit| page::PageArticles {
                limit,
                ..Default::default()
            }),
        })
    }

    /// Add the next scored article to `report.html` (when it is written): its rendering by
    /// [`page::article_html`], or `None` when it was not rendered.
    pub fn add_to_page(&mut self, html: Option<String>) {
        if let Some(p) = self.page.as_mut() {
            p.add(html);
        }
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
            skip.origin.path.display().to_string(),
            skip.origin.line.map_or(String::new(), |l| l.to_string()),
            skip.id.clone().unwrap_or_default(),
            skip.source.clone().unwrap_or_default(),
            skip.reason.clone(),
        ];
        self.skipped
            .write_all(&record_bytes(row))
            .map_err(|e| io_err(&self.dir.join(SKIPPED), e))
    }

    /// Write a whole report at the end of the run (under its temporary name).
    fn write_table(
        &mut self,
        name: &str,
        header: &[String],
        rows: &[Vec<String>],
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
        let file = w.into_inner().map_err(|e| io_err(&tmp, e.into_error()))?;
        file.sync_all().map_err(|e| io_err(&tmp, e))?;
        self.targets.push(Target {
            tmp,
            dest: self.dir.join(name),
        });
        Ok(())
    }

    /// Write `sources.csv`, `speakers.csv`, `frames.csv`, `keyness.csv`, `compare.csv`,
    /// `framescope.xlsx` (when asked for; built from the finished CSVs) and `manifest.json`,
    /// flush everything to disk and rename each report into place.
    ///
    /// The order is what makes a report set trustworthy: every new file is complete on disk
    /// under its temporary name before anything visible changes; then the previous
    /// `manifest.json` is removed (from here the folder claims no complete set), the reports
    /// are renamed over the previous ones, and the new `manifest.json`, which records
    /// `"complete": true` and the list of reports, is renamed into place last. A run that stops
    /// before that (an error, Ctrl-C, a kill, a full disk) leaves the previous set as it was
    /// (its temporary files are removed on error, or by the next run).
    pub fn finish(
        self,
        set: &LexiconSet,
        outlets: &Outlets,
        comparison: &Comparison,
        info: &RunInfo,
    ) -> Result<(), ReportError> {
        let dir = self.dir.clone();
        let result = self.finish_inner(set, outlets, comparison, info);
        if result.is_err() {
            remove_stale_temporaries(&dir);
        }
        result
    }

    fn finish_inner(
        mut self,
        set: &LexiconSet,
        outlets: &Outlets,
        comparison: &Comparison,
        info: &RunInfo,
    ) -> Result<(), ReportError> {
        let sources = (source_header(set), source_rows(set, outlets));
        let frames = (frame_header(), frame_rows(set, outlets));
        let keyness = (
            keyness_header(),
            keyness_records(set, comparison.voice, &comparison.keyness),
        );
        let compare = (compare_header(), compare_records(&comparison.measures));
        self.write_table(SOURCES, &sources.0, &sources.1)?;
        self.write_table(SPEAKERS, &speaker_header(), &speaker_rows(outlets))?;
        self.write_table(FRAMES, &frames.0, &frames.1)?;
        self.write_table(KEYNESS, &keyness.0, &keyness.1)?;
        self.write_table(COMPARE, &compare.0, &compare.1)?;
        if let Some(articles) = self.page.take() {
            fn table(t: &(Vec<String>, Vec<Vec<String>>)) -> page::Table<'_> {
                page::Table {
                    header: &t.0,
                    rows: &t.1,
                }
            }
            let tables = page::Tables {
                sources: table(&sources),
                frames: table(&frames),
                keyness: table(&keyness),
                compare: table(&compare),
            };
            let html = page::page(info, &tables, &articles);
            let tmp = self.dir.join(tmp_name(REPORT_HTML));
            write_synced(&tmp, html.as_bytes())?;
            self.targets.push(Target {
                tmp,
                dest: self.dir.join(REPORT_HTML),
            });
        }
        // The tables are on disk now (keyness.csv can be large with --all-words).
        drop((sources, frames, keyness, compare));
        let dir = self.dir.clone();
        let mut streamed = vec![
            (ARTICLES, self.articles),
            (QUOTES, self.quotes),
            (CLEANING, self.cleaning),
            (SKIPPED, self.skipped),
        ];
        if let Some(w) = self.hits {
            streamed.push((HITS, w));
        }
        for (name, w) in streamed {
            w.finish()
                .map_err(|e| io_err(&dir.join(tmp_name(name)), e))?;
        }
        if self.xlsx {
            // From the CSVs as they are on disk: the workbook holds their cells.
            let csvs: Vec<(String, PathBuf)> = self
                .targets
                .iter()
                .filter_map(|t| {
                    let name = t.dest.file_name()?.to_string_lossy().into_owned();
                    Some((name, t.tmp.clone()))
                })
                .collect();
            let sources: Vec<xlsx::Source<'_>> = SHEET_ORDER
                .iter()
                .filter_map(|name| {
                    let (_, path) = csvs.iter().find(|(n, _)| n == name)?;
                    Some(xlsx::Source { name, path })
                })
                .collect();
            let tmp = dir.join(tmp_name(XLSX));
            xlsx::write_workbook(&tmp, &dir.join(XLSX), &dir, &sources, info)?;
            self.targets.push(Target {
                tmp,
                dest: dir.join(XLSX),
            });
        }
        let manifest = manifest_json(set, info, &self.targets);
        let text = serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n";
        let tmp = dir.join(tmp_name(MANIFEST));
        write_synced(&tmp, text.as_bytes())?;
        self.targets.push(Target {
            tmp,
            dest: dir.join(MANIFEST),
        });

        // Nothing visible has changed yet. From here the folder holds no manifest until the
        // new set is complete.
        let old_manifest = dir.join(MANIFEST);
        remove_if_present(&old_manifest)?;
        // A run without hits.csv, report.html or the workbook must not leave an older one
        // beside the new reports (its numbers would be stale).
        for optional in [HITS, REPORT_HTML, XLSX] {
            let old = dir.join(optional);
            if !self.targets.iter().any(|t| t.dest == old) {
                remove_if_present(&old)?;
            }
        }
        // manifest.json is the last target.
        for t in &self.targets {
            std::fs::rename(&t.tmp, &t.dest).map_err(|e| io_err(&t.dest, e))?;
        }
        // Make the renames durable too (best effort: not every platform can sync a folder).
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }

    /// Remove the temporary files of a run that failed; the previous reports stay as they
    /// were.
    pub fn abandon(self) {
        let dir = self.dir;
        drop(self.articles);
        drop(self.hits);
        drop(self.quotes);
        drop(self.cleaning);
        drop(self.skipped);
        remove_stale_temporaries(&dir);
    }
}

/// Write `bytes` to `path` and flush them to disk.
fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    let mut f = File::create(path).map_err(|e| io_err(path, e))?;
    f.write_all(bytes).map_err(|e| io_err(path, e))?;
    f.sync_all().map_err(|e| io_err(path, e))
}

fn remove_if_present(path: &Path) -> Result<(), ReportError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io_err(path, e)),
        _ => Ok(()),
    }
}

/// Every name a run of framescope writes into its output folder (`analyze` and `validate`).
pub const ALL_REPORTS: [&str; 14] = [
    ARTICLES,
    SOURCES,
    HITS,
    QUOTES,
    SPEAKERS,
    FRAMES,
    KEYNESS,
    COMPARE,
    CLEANING,
    SKIPPED,
    MANIFEST,
    VALIDATION,
    REPORT_HTML,
    XLSX,
];

/// The CSV reports in the order of their sheets in `framescope.xlsx` (after `About`): the
/// per-outlet scorecard first, the evidence and the housekeeping last.
const SHEET_ORDER: [&str; 10] = [
    SOURCES, COMPARE, KEYNESS, FRAMES, SPEAKERS, ARTICLES, QUOTES, HITS, CLEANING, SKIPPED,
];

/// Remove the temporary files of a run that did not finish (killed, interrupted, or failed);
/// anything that cannot be removed is left for the run to trip over with a clear error.
fn remove_stale_temporaries(dir: &Path) {
    for name in ALL_REPORTS {
        let _ = std::fs::remove_file(dir.join(tmp_name(name)));
    }
}

/// The first cells of a report's header row, which its first line starts with: how a file
/// named like a report is recognised as one framescope wrote.
fn header_prefix(name: &str, set: &LexiconSet) -> Option<String> {
    let header = match name {
        ARTICLES => article_header(set, &[]),
        SOURCES => source_header(set),
        HITS => hit_header(),
        QUOTES => quote_header(),
        SPEAKERS => speaker_header(),
        FRAMES => frame_header(),
        KEYNESS => keyness_header(),
        COMPARE => compare_header(),
        CLEANING => cleaning_header(),
        SKIPPED => skip_header(),
        VALIDATION => VALIDATION_HEADER.iter().map(|s| s.to_string()).collect(),
        _ => return None,
    };
    Some(header.iter().take(3).cloned().collect::<Vec<_>>().join(","))
}

/// Whether the file at `path`, named `name`, is a report framescope wrote: a CSV report whose
/// first line starts with that report's header, a `manifest.json` that says
/// `"tool": "framescope"`, or a workbook with framescope's marker property.
fn is_our_report(path: &Path, name: &str, set: &LexiconSet) -> bool {
    use std::io::Read as _;
    if name == XLSX {
        return xlsx::is_our_workbook(path);
    }
    let Ok(file) = File::open(path) else {
        return false;
    };
    let mut head = Vec::new();
    if name == MANIFEST {
        // Our manifests are small; a large file by that name is not one of them.
        if file.take(1 << 22).read_to_end(&mut head).is_err() {
            return false;
        }
        return serde_json::from_slice::<serde_json::Value>(&head)
            .is_ok_and(|v| v.get("tool").and_then(|t| t.as_str()) == Some("framescope"));
    }
    if file.take(4096).read_to_end(&mut head).is_err() {
        return false;
    }
    if name == REPORT_HTML {
        return head
            .windows(page::GENERATOR.len())
            .any(|w| w == page::GENERATOR.as_bytes());
    }
    header_prefix(name, set).is_some_and(|p| head.starts_with(p.as_bytes()))
}

/// The entries of `dir` framescope did not write, sorted by name: anything but its reports
/// (recognised by name and content: a CSV report's header, a manifest's `"tool"`, the
/// workbook's marker property), its temporary files, hidden
/// entries (`.gitignore`, `.DS_Store`) and README or LICENSE files (a note describing the
/// reports, as in the repository's `reports/`). Such entries are never written or removed by a
/// run; they are reported so that reports do not land by mistake in a folder of other files
/// (the corpus folder, a home folder), or replace a file that only has a report's name.
pub fn foreign_entries(dir: &Path, set: &LexiconSet) -> std::io::Result<Vec<String>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let stem = Path::new(&name)
            .file_stem()
            .map(|s| s.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && (stem == "readme" || stem == "license") {
            continue;
        }
        if is_file
            && ALL_REPORTS.contains(&name.as_str())
            && is_our_report(&entry.path(), &name, set)
        {
            continue;
        }
        found.push(if is_file { name } else { format!("{name}/") });
    }
    found.sort();
    Ok(found)
}

/// `a`, `b`, `c` and N more, saying which carry a report's name without being one.
fn describe_foreign(found: &[String]) -> String {
    const SHOWN: usize = 8;
    let mut parts: Vec<String> = found
        .iter()
        .take(SHOWN)
        .map(|n| {
            if ALL_REPORTS.contains(&n.as_str()) {
                format!("`{n}` (named like a report, but not one framescope wrote)")
            } else {
                format!("`{n}`")
            }
        })
        .collect();
    if found.len() > SHOWN {
        parts.push(format!("and {} more", found.len() - SHOWN));
    }
    parts.join(", ")
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

const VALIDATION_HEADER: [&str; 7] = [
    "metric",
    "split_field",
    "split_value",
    "value",
    "baseline",
    "n",
    "p",
];

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
        w.write_all(&record_bytes(VALIDATION_HEADER))
            .map_err(|e| io_err(&tmp, e))?;
        for f in figures {
            let row = [
                f.metric.to_string(),
                f.split_field.clone(),
                f.split_value.clone(),
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
