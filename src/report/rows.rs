//! Per-article rows: the schemas of `articles.csv`, `hits.csv`, `quotes.csv` and
//! `skipped.csv`, and [`render`], which turns one scored article into CSV bytes.

use super::Rendered;
use super::cells::RowWriter;
use crate::clean::{Removal, Signal};
use crate::corpus::Article;
use crate::lexicon::{LexiconSet, Role, Side};
use crate::score::{Analysis, Attributions, MEASURES, frame_hits, side_sum};
use crate::text::char_offsets;

fn strings(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// Count columns of `articles.csv` and `sources.csv`, after the measures: hits by side and
/// voice, then [`Attributions::COLUMNS`], then these.
pub(crate) const SIDE_COUNTS: [&str; 6] = [
    "advocacy_hits",
    "neutral_hits",
    "quoted_advocacy_hits",
    "quoted_neutral_hits",
    "headline_advocacy_hits",
    "headline_neutral_hits",
];
pub(crate) const OTHER_COUNTS: [&str; 2] = ["distinct_speakers", "quoted_words"];

/// All count column names, in order.
pub(crate) fn count_columns() -> impl Iterator<Item = String> {
    SIDE_COUNTS
        .iter()
        .chain(Attributions::COLUMNS.iter())
        .chain(OTHER_COUNTS.iter())
        .map(|s| s.to_string())
}

/// Hits of each side in each voice, in the order of [`SIDE_COUNTS`].
pub(crate) fn side_counts(
    set: &LexiconSet,
    author: &[u64],
    quoted: &[u64],
    headline: &[u64],
) -> [u64; 6] {
    [
        side_sum(author, set, Side::Advocacy),
        side_sum(author, set, Side::Neutral),
        side_sum(quoted, set, Side::Advocacy),
        side_sum(quoted, set, Side::Neutral),
        side_sum(headline, set, Side::Advocacy),
        side_sum(headline, set, Side::Neutral),
    ]
}

/// `articles.csv` columns.
pub fn article_header(set: &LexiconSet, extra_columns: &[String]) -> Vec<String> {
    let mut h = strings(&[
        "id",
        "source",
        "title",
        "date",
        "url",
        "author",
        "input",
        "encoding",
        "cut_bytes",
        "headline_words",
        "headline_in_text",
        "removed_lines",
        "removed_words",
        "markup_edits",
        "html_dropped",
    ]);
    h.extend(MEASURES.iter().map(|s| s.to_string()));
    h.extend(count_columns());
    h.extend(strings(&[
        "frame_hits",
        "dominant_frame",
        "dominant_frame_share",
    ]));
    for l in set.lexicons.iter().filter(|l| l.role.is_scored()) {
        for suffix in ["n", "per_1k", "quoted_n", "headline_n"] {
            h.push(format!("{}.{suffix}", l.id));
        }
        if l.has_entry_weights() {
            h.push(format!("{}.weighted", l.id));
        }
        if l.role == Role::Frame {
            h.push(format!("{}.share", l.id));
        }
    }
    h.extend(extra_columns.iter().map(|c| format!("meta.{c}")));
    h
}

fn article_row(
    r: &mut RowWriter,
    set: &LexiconSet,
    entries: &EntryCells,
    a: &Article,
    analysis: &Analysis,
    measures: &[Option<f64>],
) {
    let s = &analysis.score;
    for t in [&a.id, &a.source, &a.title, &a.date, &a.url, &a.author] {
        r.text(t);
    }
    r.text(&a.origin.to_string());
    r.text(a.encoding.as_str());
    r.int(a.cut_bytes);
    r.int(s.headline_words);
    r.bool(s.headline_in_text);
    r.int(s.removed_lines);
    r.int(s.removed_words);
    r.int(s.markup_edits);
    r.int(a.html_dropped.len());
    // words and sentences are counts: no decimals
    r.int(s.words);
    r.int(s.sentences);
    for m in &measures[2..MEASURES.len()] {
        r.fixed(*m);
    }
    let counts = side_counts(set, &s.author, &s.quoted, &s.headline)
        .into_iter()
        .chain(s.attributions.values())
        .chain([s.distinct_speakers, s.quoted_words]);
    for c in counts {
        r.int(c);
    }
    let frames = frame_hits(set, &s.author, &s.quoted);
    r.int(frames);
    match s.dominant_frame {
        Some(i) => {
            r.text(&set.lexicons[i].id);
            let n = s.author[i] + s.quoted[i];
            r.fixed(Some(n as f64 / frames as f64));
        }
        None => {
            r.text("");
            r.text("");
        }
    }
    let rates = &measures[MEASURES.len()..];
    let scored = set
        .lexicons
        .iter()
        .enumerate()
        .filter(|(_, l)| l.role.is_scored());
    for ((i, l), rate) in scored.zip(rates) {
        r.int(s.author[i]);
        r.fixed(*rate);
        r.int(s.quoted[i]);
        r.int(s.headline[i]);
        if entries.weighted[i] {
            r.fixed(s.author_weight.get(i).copied());
        }
        if l.role == Role::Frame {
            let n = s.author[i] + s.quoted[i];
            r.fixed((frames > 0).then(|| n as f64 / frames as f64));
        }
    }
    for v in &a.extra {
        r.text(v);
    }
    r.end();
}

/// `hits.csv` columns.
pub fn hit_header() -> Vec<String> {
    strings(&[
        "article_id",
        "source",
        "voice",
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
        "speaker",
        "sentence",
    ])
}

/// `quotes.csv` columns.
pub fn quote_header() -> Vec<String> {
    strings(&[
        "article_id",
        "source",
        "kind",
        "words",
        "speaker",
        "speaker_kind",
        "speaker_resolved",
        "cue",
        "cue_class",
        "byte_start",
        "byte_end",
        "char_start",
        "char_end",
        "closed",
        "depth",
        "paragraphs",
        "in_headline",
        "sentence_index",
        "text",
    ])
}

/// `skipped.csv` columns.
/// The `cleaning.csv` rows of one article (scored or not: an article left with no body text
/// after cleaning still shows what was taken out).
pub fn cleaning_rows(article: &Article, removals: &[Removal]) -> Vec<u8> {
    if removals.is_empty() {
        return Vec::new();
    }
    cleaning_rows_with(&mut RowWriter::new(), article, removals)
}

/// [`cleaning_rows`] with a writer of the caller's (left empty).
fn cleaning_rows_with(r: &mut RowWriter, article: &Article, removals: &[Removal]) -> Vec<u8> {
    if removals.is_empty() {
        return Vec::new();
    }
    let mut offsets: Vec<usize> = removals.iter().flat_map(|r| [r.start, r.end]).collect();
    offsets.sort_unstable();
    let chars = char_offsets(&article.text, &offsets);
    let char_at = |b: usize| {
        let i = offsets.partition_point(|&o| o < b);
        chars.get(i).copied().unwrap_or(0)
    };
    // The rows' size at once (their text cells and 64 bytes for the rest), as for the other
    // reports' rows (`render`).
    let per_row = article.id.len() + article.source.len() + 64;
    r.reserve(
        removals
            .iter()
            .map(|rm| {
                per_row
                    + rm.reason.len()
                    + rm.detail.len()
                    + rm.text.len()
                    + rm.end.saturating_sub(rm.start)
            })
            .sum(),
    );
    for rm in removals {
        r.text(&article.id);
        r.text(&article.source);
        if rm.signal == Signal::Html {
            for _ in 0..5 {
                r.text("");
            }
        } else {
            r.int(rm.line);
            r.int(rm.start);
            r.int(rm.end);
            r.int(char_at(rm.start));
            r.int(char_at(rm.end));
        }
        r.text(rm.signal.as_str());
        r.text(&rm.reason);
        r.text(&rm.detail);
        let text = if rm.signal == Signal::Html {
            rm.text.as_str()
        } else {
            article.text.get(rm.start..rm.end).unwrap_or("")
        };
        r.text(text);
        r.end();
    }
    r.take_bytes()
}

/// `cleaning.csv` columns.
pub fn cleaning_header() -> Vec<String> {
    strings(&[
        "article_id",
        "source",
        "line",
        "byte_start",
        "byte_end",
        "char_start",
        "char_end",
        "signal",
        "reason",
        "detail",
        "text",
    ])
}

pub fn skip_header() -> Vec<String> {
    strings(&["input", "line", "id", "source", "reason"])
}

/// The `hits.csv` cells that depend only on the lexicon entry hit (`lexicon` to
/// `entry_line`), rendered once for the run instead of once for every hit, and which
/// categories have a `weighted` column in `articles.csv` (found once for the run instead of
/// by reading every entry of every category for each article: 1.4 % of a run's time).
pub struct EntryCells {
    /// Each lexicon's [`Lexicon::has_entry_weights`](crate::lexicon::Lexicon::has_entry_weights).
    weighted: Vec<bool>,
    bytes: Vec<u8>,
    /// Index in `ends` of each lexicon's first entry.
    first: Vec<usize>,
    /// End of each entry's cells in `bytes`; they start where the entry before ends.
    ends: Vec<usize>,
}

impl EntryCells {
    pub fn new(set: &LexiconSet) -> EntryCells {
        let mut r = RowWriter::new();
        let mut cells = EntryCells {
            weighted: set.lexicons.iter().map(|l| l.has_entry_weights()).collect(),
            bytes: Vec::new(),
            first: Vec::with_capacity(set.lexicons.len()),
            ends: Vec::new(),
        };
        for (l, lex) in set.lexicons.iter().enumerate() {
            cells.first.push(cells.ends.len());
            for (e, entry) in lex.entries.iter().enumerate() {
                r.text(&lex.id);
                r.text(lex.side.as_str());
                r.fixed(Some(set.hit_weight(l, e)));
                r.text(&entry.written);
                r.int(entry.line);
                cells.bytes.extend_from_slice(&r.take_cells());
                cells.ends.push(cells.bytes.len());
            }
        }
        cells
    }

    /// The rendered cells of entry `entry` of lexicon `lexicon`.
    fn get(&self, lexicon: usize, entry: usize) -> &[u8] {
        let i = self.first[lexicon] + entry;
        debug_assert!(i < self.first.get(lexicon + 1).map_or(self.ends.len(), |&f| f));
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.bytes[start..self.ends[i]]
    }
}

/// Render the `articles.csv` row, the `hits.csv` rows (with `with_hits`) and the
/// `quotes.csv` rows of one article; `entries` holds the hit rows' entry cells, rendered
/// once for `set`.
pub fn render(
    set: &LexiconSet,
    entries: &EntryCells,
    article: &Article,
    analysis: &Analysis,
    measures: &[Option<f64>],
    with_hits: bool,
) -> Rendered {
    // One writer for the article's rows of every report.
    let mut r = RowWriter::new();
    let mut hits = Vec::new();
    if with_hits && !analysis.hits.is_empty() {
        // At least the rows' size, most of the time: their text cells and 200 bytes for the
        // rest (a category's id, its entry and the numbers); what is left over is given back.
        let per_row = article.id.len() + article.source.len() + 200;
        r.reserve(
            analysis
                .hits
                .iter()
                .map(|h| per_row + h.sentence.len() + h.bytes.len() + h.speaker.len())
                .sum(),
        );
        // The article's cells, the same on each of its rows.
        r.text(&article.id);
        r.text(&article.source);
        let article_cells = r.take_cells();
        // The last sentence cell written, and where: the hits of a sentence follow each other
        // and share its text (`Hit::sentence`), so it is rendered once.
        let mut last: Option<(&std::sync::Arc<str>, std::ops::Range<usize>)> = None;
        for h in &analysis.hits {
            r.rendered(&article_cells);
            r.word(h.voice.as_str());
            r.word(h.field.as_str());
            r.rendered(entries.get(h.lexicon, h.entry));
            r.text(h.matched(article));
            r.int(h.bytes.start);
            r.int(h.bytes.end);
            r.int(h.chars.start);
            r.int(h.chars.end);
            r.opt_int(h.sentence_index);
            r.text(&h.speaker);
            match &last {
                Some((s, at)) if std::sync::Arc::ptr_eq(s, &h.sentence) => r.repeat(at.clone()),
                _ => last = Some((&h.sentence, r.text_at(&h.sentence))),
            }
            r.end();
        }
        hits = r.take_bytes();
    }
    let mut quotes = Vec::new();
    if !analysis.quotes.is_empty() {
        // As for the hits: the text cells and 150 bytes for the rest, at once.
        let per_row = article.id.len() + article.source.len() + 150;
        r.reserve(
            analysis
                .quotes
                .iter()
                .map(|q| per_row + q.text.len() + q.speaker.len() + q.speaker_resolved.len())
                .sum(),
        );
        for q in &analysis.quotes {
            r.text(&article.id);
            r.text(&article.source);
            r.word(q.kind);
            r.int(q.words);
            r.text(&q.speaker);
            r.word(q.speaker_kind.as_str());
            r.text(&q.speaker_resolved);
            r.text(&q.cue);
            r.word(q.cue_class);
            r.int(q.bytes.start);
            r.int(q.bytes.end);
            r.int(q.chars.start);
            r.int(q.chars.end);
            r.bool(q.closed);
            r.int(q.depth);
            r.int(q.paragraphs);
            r.bool(q.in_headline);
            r.opt_int(q.sentence_index);
            r.text(&q.text);
            r.end();
        }
        quotes = r.take_bytes();
    }
    // The article's row at once: its text cells and about 8 bytes for each other cell (780
    // bytes a row on news text), instead of growing the buffer a cell at a time.
    r.reserve(
        [
            &article.id,
            &article.source,
            &article.title,
            &article.date,
            &article.url,
            &article.author,
        ]
        .iter()
        .map(|t| t.len())
        .sum::<usize>()
            + 8 * (MEASURES.len() + 2 * set.len() + 16),
    );
    article_row(&mut r, set, entries, article, analysis, measures);
    let article_bytes = r.take_bytes();
    Rendered {
        article: article_bytes,
        cleaning: cleaning_rows_with(&mut r, article, &analysis.cleaning.removals),
        hits,
        quotes,
    }
}
