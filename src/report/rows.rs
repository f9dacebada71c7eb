//! Per-article rows: the schemas of `articles.csv`, `hits.csv`, `quotes.csv` and
//! `skipped.csv`, and [`render`], which turns one scored article into CSV bytes.

use super::{Rendered, csv_writer, fixed, record_bytes};
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
    set: &LexiconSet,
    a: &Article,
    analysis: &Analysis,
    measures: &[Option<f64>],
) -> Vec<String> {
    let s = &analysis.score;
    let mut row = vec![
        a.id.to_string(),
        a.source.to_string(),
        a.title.to_string(),
        a.date.to_string(),
        a.url.to_string(),
        a.author.to_string(),
        a.origin.to_string(),
        a.encoding.as_str().to_string(),
        a.cut_bytes.to_string(),
        s.headline_words.to_string(),
        s.headline_in_text.to_string(),
        s.removed_lines.to_string(),
        s.removed_words.to_string(),
        s.markup_edits.to_string(),
        a.html_dropped.len().to_string(),
    ];
    // words and sentences are counts: no decimals
    row.push(s.words.to_string());
    row.push(s.sentences.to_string());
    row.extend(measures[2..MEASURES.len()].iter().map(|m| fixed(*m)));
    let counts = side_counts(set, &s.author, &s.quoted, &s.headline)
        .into_iter()
        .chain(s.attributions.values())
        .chain([s.distinct_speakers, s.quoted_words]);
    row.extend(counts.map(|c| c.to_string()));
    let frames = frame_hits(set, &s.author, &s.quoted);
    row.push(frames.to_string());
    match s.dominant_frame {
        Some(i) => {
            row.push(set.lexicons[i].id.clone());
            let n = s.author[i] + s.quoted[i];
            row.push(fixed(Some(n as f64 / frames as f64)));
        }
        None => row.extend([String::new(), String::new()]),
    }
    let rates = &measures[MEASURES.len()..];
    let scored = set
        .lexicons
        .iter()
        .enumerate()
        .filter(|(_, l)| l.role.is_scored());
    for ((i, l), rate) in scored.zip(rates) {
        row.push(s.author[i].to_string());
        row.push(fixed(*rate));
        row.push(s.quoted[i].to_string());
        row.push(s.headline[i].to_string());
        if l.has_entry_weights() {
            row.push(fixed(s.author_weight.get(i).copied()));
        }
        if l.role == Role::Frame {
            let n = s.author[i] + s.quoted[i];
            row.push(fixed((frames > 0).then(|| n as f64 / frames as f64)));
        }
    }
    row.extend(a.extra.iter().map(|v| v.to_string()));
    row
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
    let mut cleaning = csv_writer();
    let mut offsets: Vec<usize> = removals.iter().flat_map(|r| [r.start, r.end]).collect();
    offsets.sort_unstable();
    let chars = char_offsets(&article.text, &offsets);
    let char_at = |b: usize| {
        let i = offsets.partition_point(|&o| o < b);
        chars.get(i).copied().unwrap_or(0)
    };
    for r in removals {
        let text = if r.signal == Signal::Html {
            r.text.as_str()
        } else {
            article.text.get(r.start..r.end).unwrap_or("")
        };
        let (line, bytes, chars) = if r.signal == Signal::Html {
            (
                String::new(),
                [String::new(), String::new()],
                [String::new(), String::new()],
            )
        } else {
            (
                r.line.to_string(),
                [r.start.to_string(), r.end.to_string()],
                [char_at(r.start).to_string(), char_at(r.end).to_string()],
            )
        };
        let [byte_start, byte_end] = bytes;
        let [char_start, char_end] = chars;
        cleaning.write_record([
            article.id.to_string(),
            article.source.to_string(),
            line,
            byte_start,
            byte_end,
            char_start,
            char_end,
            r.signal.as_str().to_string(),
            r.reason.to_string(),
            r.detail.to_string(),
            text.to_string(),
        ]);
    }
    cleaning.into_inner()
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

/// Render the `articles.csv` row, the `hits.csv` rows (with `with_hits`) and the
/// `quotes.csv` rows of one article.
pub fn render(
    set: &LexiconSet,
    article: &Article,
    analysis: &Analysis,
    measures: &[Option<f64>],
    with_hits: bool,
) -> Rendered {
    let opt = |x: Option<usize>| x.map_or(String::new(), |i| i.to_string());
    let mut hits = csv_writer();
    if with_hits {
        for h in &analysis.hits {
            let lex = &set.lexicons[h.lexicon];
            let entry = &lex.entries[h.entry];
            hits.write_record([
                article.id.to_string(),
                article.source.to_string(),
                h.voice.as_str().to_string(),
                h.field.as_str().to_string(),
                lex.id.clone(),
                lex.side.as_str().to_string(),
                fixed(Some(set.hit_weight(h.lexicon, h.entry))),
                entry.written.to_string(),
                entry.line.to_string(),
                h.matched.to_string(),
                h.bytes.start.to_string(),
                h.bytes.end.to_string(),
                h.chars.start.to_string(),
                h.chars.end.to_string(),
                opt(h.sentence_index),
                h.speaker.to_string(),
                h.sentence.to_string(),
            ]);
        }
    }
    let mut quotes = csv_writer();
    for q in &analysis.quotes {
        quotes.write_record([
            article.id.to_string(),
            article.source.to_string(),
            q.kind.to_string(),
            q.words.to_string(),
            q.speaker.to_string(),
            q.speaker_kind.as_str().to_string(),
            q.speaker_resolved.to_string(),
            q.cue.to_string(),
            q.cue_class.to_string(),
            q.bytes.start.to_string(),
            q.bytes.end.to_string(),
            q.chars.start.to_string(),
            q.chars.end.to_string(),
            q.closed.to_string(),
            q.depth.to_string(),
            q.paragraphs.to_string(),
            q.in_headline.to_string(),
            opt(q.sentence_index),
            q.text.to_string(),
        ]);
    }
    Rendered {
        article: record_bytes(article_row(set, article, analysis, measures)),
        cleaning: cleaning_rows(article, &analysis.cleaning.removals),
        hits: hits.into_inner(),
        quotes: quotes.into_inner(),
    }
}
