//! The marked stretches of one article, shared by `framescope explain` (the terminal) and
//! `report.html`: which hits, quotations and removed lines are shown, and how overlapping
//! marks become properly nested ones. Each output only decides what a mark looks like (a
//! [`Painter`]); what is marked, and that no text is lost or repeated, is decided here once.

use crate::clean::{Removal, Signal};
use crate::lexicon::{LexiconSet, Role, SCARE_QUOTES, Side};
use crate::score::{Analysis, Field, Hit, QuoteRow};

/// What a marked stretch is.
#[derive(Debug, Clone, Copy)]
pub enum Kind<'a> {
    /// A lexicon hit; the index is the hit's place in `Analysis::hits` (an id within the
    /// article).
    Hit(usize, &'a Hit),
    /// A quotation (not a paraphrase, not a nested quotation).
    Quote(&'a QuoteRow),
    /// Page chrome that cleaning left out (boilerplate, a repeated line, a short line before or
    /// after the body).
    Removed(&'a Removal),
}

/// One marked stretch of a field: its byte range in the field as read, and what it is.
#[derive(Debug, Clone, Copy)]
pub struct Mark<'a> {
    pub start: usize,
    pub end: usize,
    pub kind: Kind<'a>,
}

impl Mark<'_> {
    /// Nesting order when two marks cover the same bytes: removed lines and quotations (0)
    /// hold hits (1).
    fn layer(&self) -> u8 {
        match self.kind {
            Kind::Hit(..) => 1,
            Kind::Quote(_) | Kind::Removed(_) => 0,
        }
    }
}

/// The marks of one field of an article: its hits except frames (they overlap other hits
/// and are counted in the scores) and scare quotes (the quotation itself is marked), and for
/// the text also its quotations and the page chrome cleaning removed.
pub fn field_marks<'a>(set: &LexiconSet, analysis: &'a Analysis, field: Field) -> Vec<Mark<'a>> {
    let mut marks: Vec<Mark<'a>> = analysis
        .hits
        .iter()
        .enumerate()
        .filter(|(_, h)| h.field == field && is_marked(set, h))
        .map(|(i, h)| Mark {
            start: h.bytes.start,
            end: h.bytes.end,
            kind: Kind::Hit(i, h),
        })
        .collect();
    if field == Field::Text {
        marks.extend(
            analysis
                .quotes
                .iter()
                .filter(|q| q.depth == 0 && q.kind != "paraphrase")
                .map(|q| Mark {
                    start: q.bytes.start,
                    end: q.bytes.end,
                    kind: Kind::Quote(q),
                }),
        );
        marks.extend(
            analysis
                .cleaning
                .removals
                .iter()
                .filter(|r| {
                    matches!(
                        r.signal,
                        Signal::Boilerplate | Signal::Repetition | Signal::Structure
                    )
                })
                .map(|r| Mark {
                    start: r.start,
                    end: r.end,
                    kind: Kind::Removed(r),
                }),
        );
    }
    marks
}

/// How a category's hits are coloured: by side, frames and categories of no side apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Advocacy,
    Neutral,
    Other,
}

/// The [`Tone`] of a category.
pub fn tone(side: Side, role: Role) -> Tone {
    match (side, role) {
        (_, Role::Frame) => Tone::Other,
        (Side::Advocacy, _) => Tone::Advocacy,
        (Side::Neutral, _) => Tone::Neutral,
        _ => Tone::Other,
    }
}

/// Whether a hit is drawn as a mark (frames and scare quotes are not; see [`field_marks`]).
pub fn is_marked(set: &LexiconSet, hit: &Hit) -> bool {
    let l = &set.lexicons[hit.lexicon];
    l.role != Role::Frame && l.id != SCARE_QUOTES
}

/// Who a quotation is given to and by which cue: `Jaishankar; said (neutral)`, `he =
/// Jaishankar`, `unattributed`, `scare quotes`.
pub fn quote_note(q: &QuoteRow) -> String {
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
    if q.cue.is_empty() {
        who
    } else {
        format!("{who}; {} ({})", q.cue, q.cue_class)
    }
}

/// How an output draws marked text.
pub trait Painter {
    /// Text of the field, as read (between mark boundaries).
    fn text(&mut self, s: &str);
    /// A mark starts; `continued` when it is reopened after a crossing mark closed inside it.
    fn open(&mut self, mark: &Mark<'_>, continued: bool);
    /// A mark stops; `last` when this is its end (not a break for a crossing mark).
    fn close(&mut self, mark: &Mark<'_>, last: bool);
}

/// Draw `text` with its marks through `painter`: every byte of `text` once, in order, and the
/// marks properly nested (outer ones first; at one start the longer first, then quotations
/// and removals before hits). A mark that crosses the end of an enclosing one is closed there
/// and reopened after it, so the output nests as HTML must. Marks outside `text` or not on
/// character boundaries are left out.
pub fn paint(text: &str, mut marks: Vec<Mark<'_>>, painter: &mut impl Painter) {
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
            .then(a.layer().cmp(&b.layer()))
    });
    let mut open: Vec<usize> = Vec::new(); // indices into marks, outermost first
    let mut pos = 0;
    let mut next = 0;
    loop {
        let close_at = open.iter().map(|&i| marks[i].end).min();
        let open_at = marks.get(next).map(|m| m.start);
        let at = match (close_at, open_at) {
            (Some(c), Some(o)) => c.min(o),
            (Some(c), None) => c,
            (None, Some(o)) => o,
            (None, None) => break,
        };
        if at > pos {
            painter.text(&text[pos..at]);
            pos = at;
        }
        // Close every mark ending here: pop down to the outermost of them, reopening the
        // marks above it that go on.
        if let Some(k) = open.iter().position(|&i| marks[i].end <= pos) {
            let popped: Vec<usize> = open.drain(k..).collect();
            for &i in popped.iter().rev() {
                painter.close(&marks[i], marks[i].end <= pos);
            }
            for &i in &popped {
                if marks[i].end > pos {
                    painter.open(&marks[i], true);
                    open.push(i);
                }
            }
        }
        while marks.get(next).is_some_and(|m| m.start <= pos) {
            if marks[next].end > pos {
                painter.open(&marks[next], false);
                open.push(next);
            }
            next += 1;
        }
    }
    if pos < text.len() {
        painter.text(&text[pos..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Brackets with the mark's number: `[1 ... ]1`, `(1` when reopened, `)1` when broken.
    struct Brackets(String, Vec<(usize, usize)>);

    impl Painter for Brackets {
        fn text(&mut self, s: &str) {
            self.0.push_str(s);
        }
        fn open(&mut self, m: &Mark<'_>, continued: bool) {
            let n = self
                .1
                .iter()
                .position(|&r| r == (m.start, m.end))
                .unwrap_or(9);
            self.0
                .push_str(&format!("{}{n}", if continued { '(' } else { '[' }));
        }
        fn close(&mut self, m: &Mark<'_>, last: bool) {
            let n = self
                .1
                .iter()
                .position(|&r| r == (m.start, m.end))
                .unwrap_or(9);
            self.0
                .push_str(&format!("{}{n}", if last { ']' } else { ')' }));
        }
    }

    fn removal(start: usize, end: usize) -> Removal {
        Removal {
            line: 1,
            start,
            end,
            signal: Signal::Boilerplate,
            reason: String::new(),
            detail: String::new(),
            text: String::new(),
        }
    }

    fn draw(text: &str, ranges: &[(usize, usize)]) -> String {
        let removals: Vec<Removal> = ranges.iter().map(|&(s, e)| removal(s, e)).collect();
        let marks = removals
            .iter()
            .map(|r| Mark {
                start: r.start,
                end: r.end,
                kind: Kind::Removed(r),
            })
            .collect();
        let mut p = Brackets(String::new(), ranges.to_vec());
        paint(text, marks, &mut p);
        p.0
    }

    #[test]
    fn marks_nest_cross_and_no_text_is_lost() {
        assert_eq!(draw("abcdef", &[(1, 5), (2, 3)]), "a[0b[1c]1de]0f");
        // crossing: the inner mark is broken at the outer one's end and reopened
        assert_eq!(draw("abcdef", &[(0, 3), (2, 5)]), "[0ab[1c)1]0(1de]1f");
        // same start: the longer one is outside
        assert_eq!(draw("abcdef", &[(0, 2), (0, 4)]), "[1[0ab]0cd]1ef");
        // empty, reversed, past the end or inside a character: left out
        assert_eq!(draw("aé", &[(1, 1), (2, 1), (0, 9), (2, 3)]), "aé");
        assert_eq!(draw("", &[]), "");
    }

    #[test]
    fn every_byte_once_whatever_the_marks() {
        let text = "one two «three» four, five";
        let n = text.len();
        let mut seed = 7u64;
        for _ in 0..500 {
            let mut ranges = Vec::new();
            for _ in 0..(seed % 6) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let s = (seed >> 33) as usize % n;
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let e = s + (seed >> 33) as usize % (n - s + 1);
                ranges.push((s, e));
            }
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
            let out = draw(text, &ranges);
            let stripped: String = {
                let mut s = String::new();
                let mut chars = out.chars();
                while let Some(c) = chars.next() {
                    if matches!(c, '[' | ']' | '(' | ')') {
                        chars.next(); // the mark's number
                    } else {
                        s.push(c);
                    }
                }
                s
            };
            assert_eq!(stripped, text, "{ranges:?} -> {out}");
            // opens and closes balance, and each mark ends exactly once
            assert_eq!(out.matches('[').count(), out.matches(']').count(), "{out}");
            assert_eq!(out.matches('(').count(), out.matches(')').count(), "{out}");
        }
    }
}
