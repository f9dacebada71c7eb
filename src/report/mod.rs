//! Reports: the only module that writes files. One writer per report; the CSV schemas (column
//! names and order) live here and in `reports/README.md`. Files are written under temporary
//! names in the output folder and renamed into place by [`Reports::finish`], `manifest.json`
//! last, so a failed run never leaves a half-written set that looks complete.

mod cells;

pub use cells::{fixed, inert};

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::aggregate::{OutletAcc, Outlets, summarize};
use crate::corpus::{Article, Skip};
use crate::lexicon::{LexiconSet, Side};
use crate::score::{Analysis, balance, measure_names, weighted};

/// Names of the files a run writes, in the order they are renamed into place.
pub const ARTICLES: &str = "articles.csv";
pub const SOURCES: &str = "sources.csv";
pub const HITS: &str = "hits.csv";
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
}

/// One CSV record as bytes, quoted exactly as every report is.
fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new())
}

fn record_bytes<I, T>(fields: I) -> Vec<u8>
where
    I: IntoIterator<Item = T>,
    T: AsRef<[u8]>,
{
    let mut w = csv_writer();
    // Writing to a Vec cannot fail.
    let _ = w.write_record(fields);
    w.into_inner().unwrap_or_default()
}

/// Render the `articles.csv` row and (with `with_hits`) the `hits.csv` rows of one article.
pub fn render(
    set: &LexiconSet,
    article: &Article,
    analysis: &Analysis,
    measures: &[Option<f64>],
    with_hits: bool,
) -> Rendered {
    let article_bytes = record_bytes(article_row(set, article, analysis, measures));
    let mut hits = csv_writer();
    if with_hits {
        for h in &analysis.hits {
            let lex = &set.lexicons[h.lexicon];
            let entry = &lex.entries[h.entry];
            let _ = hits.write_record([
                inert(&article.id),
                inert(&article.source),
                h.part.as_str().to_string(),
                h.field.as_str().to_string(),
                lex.id.clone(),
                lex.side.as_str().to_string(),
                fixed(Some(lex.weight)),
                inert(&entry.written),
                entry.line.to_string(),
                inert(&h.matched),
                h.bytes.start.to_string(),
                h.bytes.end.to_string(),
                h.chars.start.to_string(),
                h.chars.end.to_string(),
                h.sentence_index.map_or(String::new(), |i| i.to_string()),
                inert(&h.sentence),
            ]);
        }
    }
    Rendered {
        article: article_bytes,
        hits: hits.into_inner().unwrap_or_default(),
    }
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

impl Reports {
    /// Create the output folder if needed and open every report under a temporary name.
    pub fn create(
        dir: &Path,
        set: &LexiconSet,
        extra_columns: &[String],
        with_hits: bool,
    ) -> Result<Reports, ReportError> {
        std::fs::create_dir_all(dir).map_err(|source| ReportError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let mut targets = Vec::new();
        let mut open = |name: &str, header: Vec<String>| -> Result<Out, ReportError> {
            let tmp = dir.join(tmp_name(name));
            let file = File::create(&tmp).map_err(|source| ReportError::Io {
                path: tmp.clone(),
                source,
            })?;
            let mut w = BufWriter::with_capacity(1 << 16, file);
            w.write_all(&record_bytes(&header))
                .map_err(|source| ReportError::Io {
                    path: tmp.clone(),
                    source,
                })?;
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
        let skipped = open(SKIPPED, skip_header())?;
        Ok(Reports {
            dir: dir.to_path_buf(),
            articles,
            hits,
            skipped,
            targets,
        })
    }

    fn io(&self, name: &str, source: std::io::Error) -> ReportError {
        ReportError::Io {
            path: self.dir.join(name),
            source,
        }
    }

    /// Write the rows of one scored article, rendered by [`render`].
    pub fn write(&mut self, rendered: &Rendered) -> Result<(), ReportError> {
        self.articles
            .write_all(&rendered.article)
            .map_err(|e| self.io(ARTICLES, e))?;
        if let Some(w) = self.hits.as_mut() {
            if let Err(e) = w.write_all(&rendered.hits) {
                return Err(self.io(HITS, e));
            }
        }
        Ok(())
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
        let bytes = record_bytes(row);
        self.skipped
            .write_all(&bytes)
            .map_err(|e| self.io(SKIPPED, e))
    }

    /// Write `sources.csv` and `manifest.json`, flush everything and rename each report into
    /// place; `manifest.json` goes last and says the set is complete.
    pub fn finish(
        mut self,
        set: &LexiconSet,
        outlets: &Outlets,
        info: &RunInfo,
    ) -> Result<(), ReportError> {
        let dir = self.dir.clone();
        let io = |path: &Path, source| ReportError::Io {
            path: path.to_path_buf(),
            source,
        };
        // sources.csv
        let tmp = dir.join(tmp_name(SOURCES));
        {
            let file = File::create(&tmp).map_err(|e| io(&tmp, e))?;
            let mut w = BufWriter::new(file);
            w.write_all(&record_bytes(source_header(set)))
                .map_err(|e| io(&tmp, e))?;
            for row in source_rows(set, outlets) {
                w.write_all(&record_bytes(row)).map_err(|e| io(&tmp, e))?;
            }
            w.flush().map_err(|e| io(&tmp, e))?;
        }
        self.targets.push(Target {
            tmp,
            dest: dir.join(SOURCES),
        });
        for (name, w) in [(ARTICLES, &mut self.articles), (SKIPPED, &mut self.skipped)] {
            w.flush().map_err(|e| io(&dir.join(name), e))?;
        }
        if let Some(w) = self.hits.as_mut() {
            w.flush().map_err(|e| io(&dir.join(HITS), e))?;
        }
        // Close the files before renaming them.
        drop(self.articles);
        drop(self.hits);
        drop(self.skipped);
        // A run without hits.csv must not leave an older hits.csv beside the new reports.
        let old_hits = dir.join(HITS);
        if !self.targets.iter().any(|t| t.dest == old_hits) && old_hits.exists() {
            std::fs::remove_file(&old_hits).map_err(|e| io(&old_hits, e))?;
        }
        for t in &self.targets {
            std::fs::rename(&t.tmp, &t.dest).map_err(|e| io(&t.dest, e))?;
        }
        // manifest.json last.
        let manifest = manifest_json(set, info, &self.targets);
        let tmp = dir.join(tmp_name(MANIFEST));
        let dest = dir.join(MANIFEST);
        {
            let mut f = BufWriter::new(File::create(&tmp).map_err(|e| io(&tmp, e))?);
            let text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
            f.write_all(text.as_bytes()).map_err(|e| io(&tmp, e))?;
            f.write_all(b"\n").map_err(|e| io(&tmp, e))?;
            f.flush().map_err(|e| io(&tmp, e))?;
        }
        std::fs::rename(&tmp, &dest).map_err(|e| io(&dest, e))?;
        Ok(())
    }

    /// Remove the temporary files of a run that failed.
    pub fn abandon(self) {
        let targets = self.targets;
        drop(self.articles);
        drop(self.hits);
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
            "entries": l.entries.len(),
            "exceptions": l.exceptions.len(),
            "origin": l.origin,
            "sha256": l.sha256,
        })).collect::<Vec<_>>(),
    })
}

/// `articles.csv` columns.
pub fn article_header(set: &LexiconSet, extra_columns: &[String]) -> Vec<String> {
    let mut h: Vec<String> = [
        "id",
        "source",
        "title",
        "date",
        "url",
        "input",
        "encoding",
        "words",
        "sentences",
        "headline_words",
        "headline_in_text",
        "advocacy_index",
        "neutral_index",
        "balance",
        "advocacy_hits",
        "neutral_hits",
        "headline_advocacy_hits",
        "headline_neutral_hits",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for l in &set.lexicons {
        h.push(format!("{}.n", l.id));
        h.push(format!("{}.per_1k", l.id));
    }
    for l in &set.lexicons {
        h.push(format!("{}.headline_n", l.id));
    }
    h.extend(extra_columns.iter().map(|c| format!("meta.{c}")));
    h
}

fn article_row(
    set: &LexiconSet,
    a: &Article,
    analysis: &Analysis,
    measures: &[Option<f64>],
) -> Vec<String> {
    let s = &analysis.score;
    let mut row = vec![
        inert(&a.id),
        inert(&a.source),
        inert(&a.title),
        inert(&a.date),
        inert(&a.url),
        inert(&a.origin.to_string()),
        a.encoding.as_str().to_string(),
        s.words.to_string(),
        s.sentences.to_string(),
        s.headline_words.to_string(),
        s.headline_in_text.to_string(),
        fixed(measures[2]),
        fixed(measures[3]),
        fixed(measures[4]),
        s.side_hits(set, Side::Advocacy, false).to_string(),
        s.side_hits(set, Side::Neutral, false).to_string(),
        s.side_hits(set, Side::Advocacy, true).to_string(),
        s.side_hits(set, Side::Neutral, true).to_string(),
    ];
    for (i, n) in s.body.iter().enumerate() {
        row.push(n.to_string());
        row.push(fixed(measures[5 + i]));
    }
    row.extend(s.headline.iter().map(|n| n.to_string()));
    row.extend(a.extra.iter().map(|v| inert(v)));
    row
}

/// `hits.csv` columns.
pub fn hit_header() -> Vec<String> {
    [
        "article_id",
        "source",
        "part",
        "field",
        "lexicon",
        "side",
        "weight",
        "entry",
        "entry_line",
        "matched",
        "byte_start",
        "byte_end",
        "char_start",
        "char_end",
        "sentence_index",
        "sentence",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// `skipped.csv` columns.
pub fn skip_header() -> Vec<String> {
    ["input", "line", "id", "source", "reason"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

const STATS: [&str; 5] = ["mean", "sd", "median", "ci_low", "ci_high"];

/// `sources.csv` columns.
pub fn source_header(set: &LexiconSet) -> Vec<String> {
    let mut h: Vec<String> = [
        "rank",
        "source",
        "articles",
        "words",
        "sentences",
        "headline_words",
        "advocacy_hits",
        "neutral_hits",
        "headline_advocacy_hits",
        "headline_neutral_hits",
        "advocacy_index_pooled",
        "neutral_index_pooled",
        "balance_pooled",
        "balance_n",
        "medians_exact",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for m in measure_names(set) {
        for st in STATS {
            h.push(format!("{m}_{st}"));
        }
    }
    for l in &set.lexicons {
        h.push(format!("{}.n", l.id));
        h.push(format!("{}.per_1k_pooled", l.id));
    }
    h
}

/// `sources.csv` rows: outlets by mean advocacy index, highest first (ties by name).
pub fn source_rows(set: &LexiconSet, outlets: &Outlets) -> Vec<Vec<String>> {
    let mut order: Vec<(&String, &OutletAcc, f64)> = outlets
        .iter()
        .map(|(name, acc)| {
            let adv = acc
                .measures
                .get(2)
                .map_or(f64::NEG_INFINITY, |m| m.moments.mean);
            (name, acc, adv)
        })
        .collect();
    order.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| a.0.cmp(b.0)));
    order
        .iter()
        .enumerate()
        .map(|(rank, (name, acc, _))| source_row(set, rank + 1, name, acc))
        .collect()
}

fn source_row(set: &LexiconSet, rank: usize, name: &str, acc: &OutletAcc) -> Vec<String> {
    let words = acc.words as f64;
    let per_1k = |x: f64| (words > 0.0).then(|| 1000.0 * x / words);
    let a = weighted(&acc.body, set, Side::Advocacy);
    let n = weighted(&acc.body, set, Side::Neutral);
    let side_sum = |counts: &[u64], side: Side| -> u64 {
        set.lexicons
            .iter()
            .zip(counts)
            .filter(|(l, _)| l.side == side)
            .map(|(_, c)| *c)
            .sum()
    };
    let summaries: Vec<_> = acc.measures.iter().map(summarize).collect();
    let mut row = vec![
        rank.to_string(),
        inert(name),
        acc.articles.to_string(),
        acc.words.to_string(),
        acc.sentences.to_string(),
        acc.headline_words.to_string(),
        side_sum(&acc.body, Side::Advocacy).to_string(),
        side_sum(&acc.body, Side::Neutral).to_string(),
        side_sum(&acc.headline, Side::Advocacy).to_string(),
        side_sum(&acc.headline, Side::Neutral).to_string(),
        fixed(per_1k(a)),
        fixed(per_1k(n)),
        fixed(balance(a, n)),
        summaries.get(4).map_or(0, |s| s.n).to_string(),
        summaries.iter().all(|s| s.median_exact).to_string(),
    ];
    for s in &summaries {
        row.push(fixed(s.mean));
        row.push(fixed(s.sd));
        row.push(fixed(s.median));
        row.push(fixed(s.ci.map(|c| c.0)));
        row.push(fixed(s.ci.map(|c| c.1)));
    }
    for (i, _) in set.lexicons.iter().enumerate() {
        let c = acc.body.get(i).copied().unwrap_or(0);
        row.push(c.to_string());
        row.push(fixed(per_1k(c as f64)));
    }
    row
}

/// The `framescope lexicons list` listing: an aligned table, or CSV.
pub fn lexicon_listing(set: &LexiconSet, as_csv: bool) -> String {
    let header = [
        "id",
        "side",
        "weight",
        "case",
        "entries",
        "exceptions",
        "origin",
    ];
    let rows: Vec<[String; 7]> = set
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
    let entries: usize = set.lexicons.iter().map(|l| l.entries.len()).sum();
    out.push_str(&format!("{} categories, {} entries\n", set.len(), entries));
    out
}
