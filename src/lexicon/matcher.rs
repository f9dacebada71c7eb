//! The compiled matcher: every entry of every category in one Aho-Corasick automaton over the
//! case-folded text (a case-sensitive entry is looked for folded, and a match is kept only
//! where the text as written equals the entry), compiled once and shared by all threads. Semantics, chosen on purpose:
//! - whole words: a match starts and ends at a word boundary (letters and digits continue a
//!   word; hyphens, apostrophes and punctuation do not);
//! - a trailing `*` extends the last word to its end;
//! - a match inside an exception (`!phrase`) of its own category is dropped;
//! - across all categories, the leftmost match wins, and among those the longest, so a phrase
//!   beats its prefix and no stretch of text is counted twice; on a tie the literal beats the
//!   wildcard, then the category whose id sorts first.
//!
//! One matcher can serve several independent *groups* of categories (the scored lexicons,
//! the frames, the attribution cues, ...): the text is scanned once, and each group's
//! candidates are then resolved as if that group had been matched alone.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use super::{LexiconSet, format::is_word_char};
use crate::span::Span;
use crate::text::fold_case;

/// A hit of the matcher: a span of the matched text and the entry that produced it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    pub span: Span,
    /// Index into `LexiconSet::lexicons`.
    pub lexicon: usize,
    /// Index into that lexicon's `entries`.
    pub entry: usize,
}

#[derive(Debug, Clone, Copy)]
struct PatternInfo {
    lexicon: usize,
    entry: usize,
    exception: bool,
    wildcard: bool,
    /// Does the pattern start / end with a word character (then the boundary is checked)?
    word_start: bool,
    word_end: bool,
    /// The groups the pattern's category belongs to (bit `g` for group `g`).
    groups: u64,
    /// For a case-sensitive entry, its index in `Automaton::exact`: the text as written must
    /// equal it where the folded pattern matched.
    exact: Option<u32>,
}

#[derive(Debug, Clone)]
struct Automaton {
    ac: AhoCorasick,
    info: Vec<PatternInfo>,
    /// The case-sensitive patterns as written.
    exact: Vec<String>,
}

/// Compiled form of a [`LexiconSet`].
#[derive(Debug, Clone)]
pub struct Matcher {
    automaton: Option<Automaton>,
    groups: usize,
}

/// The most groups one [`Matcher`] serves.
pub const MAX_GROUPS: usize = 64;

#[derive(Debug, Clone, Copy)]
struct Candidate {
    span: Span,
    info: PatternInfo,
}

impl Matcher {
    /// Compile every entry and exception of the categories the text matcher looks for
    /// (roles `score` and `cue`).
    pub fn new(set: &LexiconSet) -> Result<Matcher, aho_corasick::BuildError> {
        Matcher::with_filter(set, |l| l.role.is_matched())
    }

    /// Compile the categories for which `keep` is true; match indices still refer to
    /// `set.lexicons`.
    pub fn with_filter(
        set: &LexiconSet,
        keep: impl Fn(&crate::lexicon::Lexicon) -> bool,
    ) -> Result<Matcher, aho_corasick::BuildError> {
        Matcher::with_groups(set, &[&keep])
    }

    /// Compile one matcher for several groups of categories: group `g` holds the categories
    /// for which `groups[g]` is true (a category may be in several). [`Matcher::find_groups`]
    /// then scans a text once for all of them. At most [`MAX_GROUPS`] groups.
    pub fn with_groups(
        set: &LexiconSet,
        groups: &[&dyn Fn(&crate::lexicon::Lexicon) -> bool],
    ) -> Result<Matcher, aho_corasick::BuildError> {
        assert!(groups.len() <= MAX_GROUPS, "at most {MAX_GROUPS} groups");
        let mut patterns = Vec::new();
        let mut info = Vec::new();
        let mut exact = Vec::new();
        for (li, lex) in set.lexicons.iter().enumerate() {
            let mask = groups
                .iter()
                .enumerate()
                .filter(|(_, keep)| keep(lex))
                .fold(0u64, |m, (g, _)| m | (1 << g));
            if mask == 0 {
                continue;
            }
            let all = lex
                .entries
                .iter()
                .enumerate()
                .map(|(i, e)| (i, e, false))
                .chain(lex.exceptions.iter().enumerate().map(|(i, e)| (i, e, true)));
            for (ei, e, exception) in all {
                let exact_at = if lex.case_sensitive {
                    exact.push(e.pattern.clone());
                    patterns.push(fold_case(&e.pattern));
                    Some(exact.len() as u32 - 1)
                } else {
                    patterns.push(e.pattern.clone());
                    None
                };
                info.push(PatternInfo {
                    lexicon: li,
                    entry: ei,
                    exception,
                    wildcard: e.wildcard,
                    word_start: e.pattern.chars().next().is_some_and(is_word_char),
                    word_end: e.pattern.chars().next_back().is_some_and(is_word_char),
                    groups: mask,
                    exact: exact_at,
                });
            }
        }
        let automaton = if patterns.is_empty() {
            None
        } else {
            // A full DFA: a few MB for a thousand entries, and the fastest overlapping scan.
            let ac = AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&patterns)?;
            Some(Automaton { ac, info, exact })
        };
        Ok(Matcher {
            automaton,
            groups: groups.len(),
        })
    }

    /// Find the hits in `text`; `folded` must be `crate::text::fold_case(text)` (same length).
    /// Hits are appended to `out` in text order, non-overlapping. For a matcher of several
    /// groups, these are the first group's hits.
    pub fn find(&self, text: &str, folded: &str, out: &mut Vec<Match>) {
        let mut outs = vec![Vec::new(); self.groups.max(1)];
        self.find_groups(text, folded, &mut outs);
        out.append(&mut outs[0]);
    }

    /// Find every group's hits in one scan: `outs[g]` gets group `g`'s hits, appended in text
    /// order and non-overlapping, exactly what a matcher of that group alone would find.
    pub fn find_groups(&self, text: &str, folded: &str, outs: &mut [Vec<Match>]) {
        debug_assert_eq!(text.len(), folded.len());
        // News text holds about one candidate in 50-70 bytes with the shipped lexicons: room
        // for most articles' at once, instead of growing the vector step by step.
        let mut all: Vec<Candidate> = Vec::with_capacity(text.len() / 48);
        if let Some(a) = &self.automaton {
            collect(a, text, folded, &mut all);
        }
        if all.is_empty() {
            return;
        }
        let mut cands: Vec<Candidate> = Vec::with_capacity(all.len());
        for (g, out) in outs.iter_mut().enumerate().take(self.groups) {
            cands.clear();
            cands.extend(all.iter().filter(|c| c.info.groups & (1 << g) != 0));
            select(&mut cands, out);
        }
    }
}

/// Resolve one group's candidates into hits: drop matches inside an exception of their own
/// category, then take the leftmost, then longest, then literal before wildcard, then
/// category order, skipping whatever overlaps a hit already taken.
fn select(cands: &mut Vec<Candidate>, out: &mut Vec<Match>) {
    if cands.is_empty() {
        return;
    }
    if cands.iter().any(|c| c.info.exception) {
        let exceptions: Vec<Candidate> =
            cands.iter().filter(|c| c.info.exception).copied().collect();
        cands.retain(|c| {
            !c.info.exception
                && !exceptions
                    .iter()
                    .any(|x| x.info.lexicon == c.info.lexicon && x.span.contains(c.span))
        });
    }
    cands.sort_unstable_by(|a, b| {
        a.span
            .start
            .cmp(&b.span.start)
            .then(b.span.end.cmp(&a.span.end))
            .then(a.info.wildcard.cmp(&b.info.wildcard))
            .then(a.info.lexicon.cmp(&b.info.lexicon))
            .then(a.info.entry.cmp(&b.info.entry))
    });
    let mut last_end = 0;
    for c in cands.iter() {
        if c.span.start >= last_end {
            out.push(Match {
                span: c.span,
                lexicon: c.info.lexicon,
                entry: c.info.entry,
            });
            last_end = c.span.end;
        }
    }
}

/// The candidates in `folded`: every pattern match at word boundaries (a wildcard extended to
/// the end of its word), case-sensitive ones only where `text` has them as written. Folding
/// keeps lengths and char boundaries, and word characters stay word characters, so the
/// boundaries are the same in both.
fn collect(a: &Automaton, text: &str, folded: &str, out: &mut Vec<Candidate>) {
    let hay = folded;
    for m in a.ac.find_overlapping_iter(hay) {
        let info = a.info[m.pattern().as_usize()];
        let (start, mut end) = (m.start(), m.end());
        if let Some(i) = info.exact
            && text.as_bytes().get(start..end) != Some(a.exact[i as usize].as_bytes())
        {
            continue;
        }
        if info.word_start && hay[..start].chars().next_back().is_some_and(is_word_char) {
            continue;
        }
        if info.wildcard {
            end += hay[end..]
                .char_indices()
                .find(|&(_, c)| !is_word_char(c))
                .map_or(hay.len() - end, |(i, _)| i);
        } else if info.word_end && hay[end..].chars().next().is_some_and(is_word_char) {
            continue;
        }
        out.push(Candidate {
            span: Span::new(start, end),
            info,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::{LexiconSet, SourceFile};

    fn set(files: &[(&str, &str)]) -> LexiconSet {
        LexiconSet::from_sources(
            files
                .iter()
                .map(|(id, body)| SourceFile {
                    origin: format!("{id}.txt"),
                    default_id: Some((*id).into()),
                    text: (*body).into(),
                })
                .collect(),
        )
        .unwrap()
    }

    fn hits(set: &LexiconSet, text: &str) -> Vec<(String, String)> {
        let m = Matcher::new(set).unwrap();
        let mut out = Vec::new();
        m.find(text, &fold_case(text), &mut out);
        out.iter()
            .map(|h| {
                (
                    set.lexicons[h.lexicon].id.clone(),
                    h.span.of(text).to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn whole_words_only_and_case_insensitive() {
        let s = set(&[("a.x", "#! side: advocacy\n#! description: d\nregime\n")]);
        assert_eq!(
            hits(&s, "The Regime, regimes, a regime's rule; anti-regime."),
            [
                ("a.x".into(), "Regime".into()),
                ("a.x".into(), "regime".into()),
                ("a.x".into(), "regime".into())
            ]
        );
    }

    #[test]
    fn wildcard_extends_to_the_end_of_the_word() {
        let s = set(&[("a.x", "#! side: advocacy\n#! description: d\npropagand*\n")]);
        let h = hits(
            &s,
            "Propagandists spread propaganda-style propaganda's lies.",
        );
        let words: Vec<_> = h.iter().map(|(_, w)| w.as_str()).collect();
        assert_eq!(words, ["Propagandists", "propaganda", "propaganda"]);
    }

    #[test]
    fn longest_match_wins_across_categories() {
        let s = set(&[
            ("n.verbs", "#! side: neutral\n#! description: d\nsaid\n"),
            (
                "n.sourcing",
                "#! side: neutral\n#! description: d\nofficials said\n",
            ),
        ]);
        assert_eq!(
            hits(&s, "Officials said it. He said no."),
            [
                ("n.sourcing".into(), "Officials said".into()),
                ("n.verbs".into(), "said".into())
            ]
        );
    }

    #[test]
    fn exception_suppresses_only_its_own_category() {
        let s = set(&[
            (
                "a.labels",
                "#! side: advocacy\n#! description: d\nregime\n!regime change\n",
            ),
            ("b.other", "#! side: none\n#! description: d\nchange\n"),
        ]);
        assert_eq!(
            hits(&s, "They want regime change; the regime fell."),
            [
                ("b.other".into(), "change".into()),
                ("a.labels".into(), "regime".into())
            ]
        );
    }

    #[test]
    fn case_sensitive_category_tells_us_from_us() {
        let s = set(&[(
            "a.us",
            "#! side: advocacy\n#! case: sensitive\n#! description: d\nus\nUs\nWe\n",
        )]);
        let h = hits(&s, "The US told us. We know. US troops. Us too.");
        let words: Vec<_> = h.iter().map(|(_, w)| w.as_str()).collect();
        assert_eq!(words, ["us", "We", "Us"]);
    }

    #[test]
    fn hyphenated_entry_and_non_ascii_text() {
        let s = set(&[(
            "a.x",
            "#! side: advocacy\n#! description: d\nso-called\nÉlite\n",
        )]);
        let h = hits(&s, "Die so-called ÉLITE, élites, élite.");
        let words: Vec<_> = h.iter().map(|(_, w)| w.as_str()).collect();
        assert_eq!(words, ["so-called", "ÉLITE", "élite"]);
    }
}
