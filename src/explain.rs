//! `framescope explain`: one article as the analyzer saw it, in the terminal. Every hit is
//! marked with its category and coloured by side (advocacy red, neutral green, other
//! categories cyan), every quotation is marked with its speaker and cue, page chrome that
//! cleaning left out is struck through, and the article's scores follow. Without colour (not a
//! terminal, `NO_COLOR`, `--color never`) the marks are plain text: `[hit]{category}`,
//! `«quotation»(speaker; cue)` and `~~removed~~{reason}`.

use std::fmt::Write as _;

use crate::clean::Signal;
use crate::corpus::Article;
use crate::lexicon::{Role, SCARE_QUOTES, Side};
use crate::score::{Analysis, Field, MEASURES, QuoteRow, measure_names};

const RESET: &str = "\x1b[0m";
const RED: &str = "\x1b[1;31m";
const GREEN: &str = "\x1b[1;32m";
const CYAN: &str = "\x1b[1;36m";
const DIM: &str = "\x1b[2m";
const QUOTE: &str = "\x1b[3;33m";
const SPEAKER: &str = "\x1b[1;35m";
const STRUCK: &str = "\x1b[2;9m";
const BOLD: &str = "\x1b[1m";

/// One marked stretch of a field: where it starts and ends (bytes of the field as read), the
/// style of its text, and the note written after it.
struct Mark {
    start: usize,
    end: usize,
    /// Nesting order at one start: quotations (0) hold hits (1).
    layer: u8,
    style: &'static str,
    open: &'static str,
    close: String,
}

/// The article, marked, then its scores, as text for the terminal; with `color`, marked with
/// ANSI colours, otherwise with plain brackets.
pub fn explain(
    set: &crate::lexicon::LexiconSet,
    article: &Article,
    analysis: &Analysis,
    color: bool,
) -> String {
    let paint = |style: &str, s: &str| {
        if color {
            format!("{style}{s}{RESET}")
        } else {
            s.to_string()
        }
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {}  {} {}  {} {}",
        paint(BOLD, "id"),
        article.id,
        paint(BOLD, "source"),
        article.source,
        paint(BOLD, "input"),
        article.origin
    );
    let title_marks = hit_marks(set, analysis, Field::Title, color);
    if !article.title.trim().is_empty() && !analysis.score.headline_in_text {
        let _ = writeln!(
            out,
            "{} {}",
            paint(BOLD, "title"),
            render(&article.title, title_marks, color)
        );
    }
    out.push('\n');

    let mut marks = hit_marks(set, analysis, Field::Text, color);
    for q in analysis
        .quotes
        .iter()
        .filter(|q| q.depth == 0 && q.kind != "paraphrase")
    {
        marks.push(quote_mark(q, color));
    }
    for r in &analysis.cleaning.removals {
        if matches!(
            r.signal,
            Signal::Boilerplate | Signal::Repetition | Signal::Structure
        ) {
            marks.push(Mark {
                start: r.start,
                end: r.end,
                layer: 0,
                style: STRUCK,
                open: if color { "" } else { "~~" },
                close: if color {
                    format!(" {DIM}{{removed: {}}}{RESET}", r.reason)
                } else {
                    format!("~~{{removed: {}}}", r.reason)
                },
            });
        }
    }
    out.push_str(&render(&article.text, marks, color));
    if !article.text.ends_with('\n') {
        out.push('\n');
    }

    // The scores.
    out.push('\n');
    let _ = writeln!(out, "{}", paint(BOLD, "scores"));
    let measures = analysis.score.measures(set);
    let names = measure_names(set);
    for (k, (name, value)) in names.iter().zip(&measures).take(MEASURES.len()).enumerate() {
        // words and sentences are counts
        let shown = match value {
            None => "-".to_string(),
            Some(v) if k < 2 => format!("{v:.0}"),
            Some(v) => format!("{v:.4}"),
        };
        let _ = writeln!(out, "  {name:<28} {shown}");
    }
    let a = &analysis.score.attributions;
    let _ = writeln!(
        out,
        "  {:<28} {} direct, {} partial, {} scare, {} paraphrases",
        "quotations", a.direct, a.partial, a.scare, a.paraphrases
    );
    let _ = writeln!(
        out,
        "  {:<28} {} named, {} pronoun, {} anonymous, {} unattributed; cues {} neutral, {} loaded",
        "attributions",
        a.named,
        a.pronoun,
        a.anonymous,
        a.unattributed,
        a.neutral_cues,
        a.loaded_cues
    );
    let s = &analysis.score;
    let mut counted: Vec<(usize, u64)> = (0..set.len())
        .map(|i| (i, s.author[i] + s.quoted[i] + s.headline[i]))
        .filter(|&(i, n)| n > 0 && set.lexicons[i].role.is_scored())
        .collect();
    counted.sort_by(|x, y| {
        y.1.cmp(&x.1)
            .then(set.lexicons[x.0].id.cmp(&set.lexicons[y.0].id))
    });
    if !counted.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            paint(BOLD, "hits by category (author / quoted / headline)")
        );
        for (i, _) in counted {
            let l = &set.lexicons[i];
            let _ = writeln!(
                out,
                "  {} {} / {} / {}",
                paint(side_style(l.side, l.role), &format!("{:<36}", l.id)),
                s.author[i],
                s.quoted[i],
                s.headline[i]
            );
        }
    }
    if s.removed_lines > 0 {
        let _ = writeln!(
            out,
            "  {:<28} {} lines, {} words",
            "left out as page chrome", s.removed_lines, s.removed_words
        );
    }
    out
}

fn side_style(side: Side, role: Role) -> &'static str {
    match (side, role) {
        (_, Role::Frame) => CYAN,
        (Side::Advocacy, _) => RED,
        (Side::Neutral, _) => GREEN,
        _ => CYAN,
    }
}

/// The hits of one field, except frames (they overlap other hits and are summed under the
/// text) and scare quotes (the quotation is marked itself).
fn hit_marks(
    set: &crate::lexicon::LexiconSet,
    analysis: &Analysis,
    field: Field,
    color: bool,
) -> Vec<Mark> {
    analysis
        .hits
        .iter()
        .filter(|h| h.field == field)
        .filter(|h| {
            let l = &set.lexicons[h.lexicon];
            l.role != Role::Frame && l.id != SCARE_QUOTES
        })
        .map(|h| {
            let l = &set.lexicons[h.lexicon];
            Mark {
                start: h.bytes.start,
                end: h.bytes.end,
                layer: 1,
                style: side_style(l.side, l.role),
                open: if color { "" } else { "[" },
                close: if color {
                    format!("{DIM}{{{}}}{RESET}", l.id)
                } else {
                    format!("]{{{}}}", l.id)
                },
            }
        })
        .collect()
}

fn quote_mark(q: &QuoteRow, color: bool) -> Mark {
    let who = if q.speaker.is_empty() {
        if q.kind == "scare" {
            "scare quotes".to_string()
        } else {
            "unattributed".to_string()
        }
    } else if q.speaker_resolved.is_empty() {
        q.speaker.clone()
    } else {
        format!("{} = {}", q.speaker, q.speaker_resolved)
    };
    let note = if q.cue.is_empty() {
        who
    } else {
        format!("{who}; {} ({})", q.cue, q.cue_class)
    };
    Mark {
        start: q.bytes.start,
        end: q.bytes.end,
        layer: 0,
        style: QUOTE,
        open: if color { "" } else { "«" },
        close: if color {
            format!(" {SPEAKER}({note}){RESET}")
        } else {
            format!("»({note})")
        },
    }
}

/// `text` with its marks: each mark's text in its style (inner marks over outer ones), its
/// note after it. Marks that cross are drawn as far as they nest; no text is dropped.
fn render(text: &str, mut marks: Vec<Mark>, color: bool) -> String {
    marks.retain(|m| {
        m.start < m.end
            && m.end <= text.len()
            && text.is_char_boundary(m.start)
            && text.is_char_boundary(m.end)
    });
    marks.sort_by(|a, b| {
        a.start
            .cmp(&b.start)
            .then(b.end.cmp(&a.end))
            .then(a.layer.cmp(&b.layer))
    });
    let mut out = String::with_capacity(text.len() * 2);
    let mut open: Vec<usize> = Vec::new(); // indices into marks, innermost last
    let mut pos = 0;
    let mut next = 0;
    let style_of = |open: &[usize], marks: &[Mark]| -> String {
        open.iter().map(|&i| marks[i].style).collect()
    };
    loop {
        // the next boundary: a mark closing or one opening
        let close_at = open.iter().map(|&i| marks[i].end).min();
        let open_at = marks.get(next).map(|m| m.start);
        let at = match (close_at, open_at) {
            (Some(c), Some(o)) => c.min(o),
            (Some(c), None) => c,
            (None, Some(o)) => o,
            (None, None) => text.len(),
        };
        let at = at.max(pos);
        out.push_str(&text[pos..at]);
        pos = at;
        if close_at.is_none() && open_at.is_none() {
            break;
        }
        // close every mark ending here, innermost first
        while let Some(&i) = open.iter().rev().find(|&&i| marks[i].end <= pos) {
            let k = open.iter().rposition(|&j| j == i).unwrap_or(0);
            // marks opened inside it are closed (drawn) with it
            for j in open.drain(k..).rev().collect::<Vec<_>>() {
                if color {
                    out.push_str(RESET);
                }
                out.push_str(&marks[j].close);
            }
            if color {
                out.push_str(&style_of(&open, &marks));
            }
        }
        while marks.get(next).is_some_and(|m| m.start <= pos) {
            if marks[next].end > pos {
                out.push_str(marks[next].open);
                open.push(next);
                if color {
                    out.push_str(&style_of(&open, &marks));
                }
            }
            next += 1;
        }
    }
    out.push_str(&text[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(start: usize, end: usize, layer: u8, close: &str) -> Mark {
        Mark {
            start,
            end,
            layer,
            style: RED,
            open: "[",
            close: close.to_string(),
        }
    }

    #[test]
    fn marks_nest_and_no_text_is_lost() {
        let text = "He said \"the regime fell\" today.";
        let quote = mark(8, 25, 0, "]q");
        let hit = mark(13, 19, 1, "]h");
        let got = render(text, vec![hit, quote], false);
        assert_eq!(got, "He said [\"the [regime]h fell\"]q today.");
        // crossing marks: the inner one is closed with the outer one, nothing is dropped
        let got = render(
            "abcdef",
            vec![mark(0, 3, 0, "]1"), mark(2, 5, 1, "]2")],
            false,
        );
        assert_eq!(got.replace(['[', ']', '1', '2'], ""), "abcdef");
    }
}
