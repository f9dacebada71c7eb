//! `framescope explain`: one article as the analyzer saw it, in the terminal. Every hit is
//! marked with its category and coloured by side (advocacy red, neutral green, other
//! categories cyan), every quotation is marked with its speaker and cue, page chrome that
//! cleaning left out is struck through, and the article's scores follow. Without colour (not a
//! terminal, `NO_COLOR`, `--color never`) the marks are plain text: `[hit]{category}`,
//! `«quotation»(speaker; cue)` and `~~removed~~{reason}`.

use std::fmt::Write as _;

use crate::corpus::Article;
use crate::lexicon::{LexiconSet, Role, Side};
use crate::marks::{Kind, Mark, Painter, Tone, field_marks, quote_note, tone};
use crate::score::{Analysis, Field, MEASURES, measure_names};

const RESET: &str = "\x1b[0m";
const RED: &str = "\x1b[1;31m";
const GREEN: &str = "\x1b[1;32m";
const CYAN: &str = "\x1b[1;36m";
const DIM: &str = "\x1b[2m";
const QUOTE: &str = "\x1b[3;33m";
const SPEAKER: &str = "\x1b[1;35m";
const STRUCK: &str = "\x1b[2;9m";
const BOLD: &str = "\x1b[1m";

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
    if !article.title.trim().is_empty() && !analysis.score.headline_in_text {
        let marks = field_marks(set, analysis, Field::Title);
        let _ = writeln!(
            out,
            "{} {}",
            paint(BOLD, "title"),
            render(set, &article.title, marks, color)
        );
    }
    out.push('\n');

    let marks = field_marks(set, analysis, Field::Text);
    out.push_str(&render(set, &article.text, marks, color));
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
    let counted = s.categories_hit(set);
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
    match tone(side, role) {
        Tone::Advocacy => RED,
        Tone::Neutral => GREEN,
        Tone::Other => CYAN,
    }
}

/// `text` with its marks ([`crate::marks::paint`]), in colour or with plain brackets.
fn render(set: &LexiconSet, text: &str, marks: Vec<Mark<'_>>, color: bool) -> String {
    let mut t = Terminal {
        set,
        color,
        out: String::with_capacity(text.len() * 2),
        styles: Vec::new(),
    };
    crate::marks::paint(text, marks, &mut t);
    t.out
}

/// Draws marks for the terminal: a mark's text in its style (the innermost over the outer
/// ones), its note after its end; or, without colour, between brackets.
struct Terminal<'s> {
    set: &'s LexiconSet,
    color: bool,
    out: String,
    /// The styles of the open marks, outermost first.
    styles: Vec<&'static str>,
}

impl Terminal<'_> {
    fn style(&self, mark: &Mark<'_>) -> &'static str {
        match mark.kind {
            Kind::Hit(_, h) => {
                let l = &self.set.lexicons[h.lexicon];
                side_style(l.side, l.role)
            }
            Kind::Quote(_) => QUOTE,
            Kind::Removed(_) => STRUCK,
        }
    }
}

impl Painter for Terminal<'_> {
    fn text(&mut self, s: &str) {
        self.out.push_str(s);
    }

    fn open(&mut self, mark: &Mark<'_>, _continued: bool) {
        if self.color {
            let style = self.style(mark);
            self.styles.push(style);
            self.out.push_str(style);
        } else {
            self.out.push_str(match mark.kind {
                Kind::Hit(..) => "[",
                Kind::Quote(_) => "«",
                Kind::Removed(_) => "~~",
            });
        }
    }

    fn close(&mut self, mark: &Mark<'_>, last: bool) {
        let note = match (last, mark.kind) {
            (false, _) => String::new(),
            (true, Kind::Hit(_, h)) => format!("{{{}}}", self.set.lexicons[h.lexicon].id),
            (true, Kind::Quote(q)) => format!("({})", quote_note(q)),
            (true, Kind::Removed(r)) => format!("{{removed: {}}}", r.reason),
        };
        if self.color {
            self.styles.pop();
            self.out.push_str(RESET);
            if !note.is_empty() {
                match mark.kind {
                    Kind::Hit(..) => self.out.push_str(DIM),
                    Kind::Quote(_) => self.out.push_str(&format!(" {SPEAKER}")),
                    Kind::Removed(_) => self.out.push_str(&format!(" {DIM}")),
                }
                self.out.push_str(&note);
                self.out.push_str(RESET);
            }
            for s in &self.styles {
                self.out.push_str(s);
            }
        } else {
            self.out.push_str(match mark.kind {
                Kind::Hit(..) => "]",
                Kind::Quote(_) => "»",
                Kind::Removed(_) => "~~",
            });
            self.out.push_str(&note);
        }
    }
}
