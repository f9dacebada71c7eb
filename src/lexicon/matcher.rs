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

use aho_corasick::MatchKind;

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
    table: Table,
    /// With the plain paths ([`crate::plain`]), `aho_corasick`'s own automaton, whose
    /// overlapping search replaces the table's scan.
    plain: Option<aho_corasick::AhoCorasick>,
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
    pub fn new(set: &LexiconSet) -> anyhow::Result<Matcher> {
        Matcher::with_filter(set, |l| l.role.is_matched())
    }

    /// Compile the categories for which `keep` is true; match indices still refer to
    /// `set.lexicons`.
    pub fn with_filter(
        set: &LexiconSet,
        keep: impl Fn(&crate::lexicon::Lexicon) -> bool,
    ) -> anyhow::Result<Matcher> {
        Matcher::with_groups(set, &[&keep])
    }

    /// Compile one matcher for several groups of categories: group `g` holds the categories
    /// for which `groups[g]` is true (a category may be in several). [`Matcher::find_groups`]
    /// then scans a text once for all of them. At most [`MAX_GROUPS`] groups.
    pub fn with_groups(
        set: &LexiconSet,
        groups: &[&dyn Fn(&crate::lexicon::Lexicon) -> bool],
    ) -> anyhow::Result<Matcher> {
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
            // The shipped lexicons' 2,024 patterns make 11,281 states of 34 byte classes: 0.8 MB.
            let table = Table::new(&patterns)?;
            let plain = if crate::plain::plain() {
                Some(
                    aho_corasick::AhoCorasick::builder()
                        .match_kind(MatchKind::Standard)
                        .build(&patterns)?,
                )
            } else {
                None
            };
            Some(Automaton {
                table,
                plain,
                info,
                exact,
            })
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
    sort_nearly_sorted(cands, |a, b| {
        a.span
            .start
            .cmp(&b.span.start)
            .then(b.span.end.cmp(&a.span.end))
            .then(a.info.wildcard.cmp(&b.info.wildcard))
            .then(a.info.lexicon.cmp(&b.info.lexicon))
            .then(a.info.entry.cmp(&b.info.entry))
    });
    let mut last_end = 0;
    out.reserve(cands.len());
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

/// `v` sorted by `cmp`, for a `v` that is nearly in order already: the candidates come in the
/// order their ends were found, which is their order in three calls of four and off by a step
/// or two in the rest. Insertion sort does that in a pass; if it has moved elements more than
/// eight times their number plus 64 (it would take quadratic time on a list out of order), the
/// rest goes to `sort_unstable_by`, as does all of it on the plain path. Elements that compare
/// equal may end in either order, as with `sort_unstable_by` (candidates that compare equal
/// give the same hit).
fn sort_nearly_sorted<T: Copy>(v: &mut [T], cmp: impl Fn(&T, &T) -> std::cmp::Ordering) {
    if crate::plain::plain() {
        v.sort_unstable_by(cmp);
        return;
    }
    let budget = 8 * v.len() + 64;
    let mut moves = 0;
    for i in 1..v.len() {
        let x = v[i];
        let mut j = i;
        while j > 0 && cmp(&v[j - 1], &x) == std::cmp::Ordering::Greater {
            v[j] = v[j - 1];
            j -= 1;
        }
        v[j] = x;
        moves += i - j;
        if moves > budget {
            v.sort_unstable_by(cmp);
            return;
        }
    }
}

/// The candidates in `folded`: every pattern match at word boundaries (a wildcard extended to
/// the end of its word), case-sensitive ones only where `text` has them as written. Folding
/// keeps lengths and char boundaries, and word characters stay word characters, so the
/// boundaries are the same in both.
fn collect(a: &Automaton, text: &str, folded: &str, out: &mut Vec<Candidate>) {
    let hay = folded;
    // The automaton's matches before the checks below: about one in 41 bytes of news text
    // with the shipped lexicons (`regime` in `regimes`, ...), where one in 66 is a candidate.
    let mut found = Vec::with_capacity(hay.len() / 32);
    match &a.plain {
        Some(ac) => found.extend(
            ac.find_overlapping_iter(hay)
                .map(|m| (m.end(), m.pattern().as_u32())),
        ),
        None => a.table.scan(hay.as_bytes(), &mut found),
    }
    for (end, pattern) in found {
        let info = a.info[pattern as usize];
        let (start, mut end) = (end - a.table.lens[pattern as usize] as usize, end);
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

/// Below this many bytes a text is walked in one stream.
const SPLIT_BELOW: usize = 512;
/// Pieces of a text [`Table::scan`] walks side by side.
const STREAMS: usize = 4;
/// Steps of [`Table::scan`]'s walks between reporting their matches.
const CHUNK: usize = 128;

/// The lexicons' Aho-Corasick automaton as a plain table of transitions, for
/// [`Table::scan`]'s walk.
///
/// **Word starts.** A pattern that begins with a letter or digit counts only where no letter
/// or digit comes before it, so the automaton does not report it after an ASCII one: the root
/// is two states, "after an ASCII letter or digit" and "anywhere else", and only the second
/// begins such patterns. (Every other state knows what came before it: the last byte of its
/// path.) `he` is then not found in `the`, nor `rat` in `separate`: news text had three
/// automaton matches for each candidate that passed the boundary checks. After a non-ASCII
/// byte a pattern still begins, and [`collect`] checks the char before it, as for every
/// match.
///
/// **Pieces.** Each byte's step is a load from the transition table that depends on the step
/// before, so one walk waits on memory most of the time (a table of a few hundred KB misses
/// the nearest cache). The scan therefore cuts a text into [`STREAMS`] pieces walked side by
/// side, whose loads overlap, with what a step needs in registers.
#[derive(Debug, Clone)]
struct Table {
    /// Where each byte's column of transitions starts in `trans`. A byte's class is its
    /// column: every byte some pattern holds has its own; the others share one if they are
    /// ASCII letters or digits and another if not.
    column: [usize; 256],
    /// The next state's number from state `s` on byte `b`: `trans[column[b] + s]`. A column
    /// a class, so that a step adds to the state instead of multiplying it (the step is the
    /// scan's chain of dependent loads), and the states breadth first, so that the shallow
    /// states, where a walk spends most of its steps, lie together at the top of each
    /// column. The match states come first, so a state below `matching` is a match state.
    trans: Trans,
    matching: usize,
    /// The root where a text starts (the one not after a letter or digit).
    start: usize,
    /// The patterns of match state `i`: `pids[first[i]..first[i + 1]]`, the state's own
    /// (the path to it) first, then those its failure state reports.
    first: Vec<u32>,
    pids: Vec<u32>,
    /// Each pattern's length in bytes, and the longest.
    lens: Vec<u32>,
    max_len: usize,
}

impl Table {
    /// Build the automaton of `patterns` (each one non-empty): a trie of the patterns' bytes
    /// (in classes) with the two roots, then, breadth first, each state's failure state (the
    /// longest proper end of its path that is also a trie path) and its full row of
    /// transitions, a missing one being the failure state's.
    fn new(patterns: &[String]) -> anyhow::Result<Table> {
        const NONE: u32 = u32::MAX;
        let word = |b: u8| crate::text::ASCII_ALNUM[usize::from(b)];
        let mut used = [false; 256];
        for p in patterns {
            if p.is_empty() {
                anyhow::bail!("an empty pattern cannot be matched");
            }
            for &b in p.as_bytes() {
                used[usize::from(b)] = true;
            }
        }
        // a class for the unused bytes that are not ASCII letters or digits, one for those
        // that are (when there are any), then one per used byte
        let mut class = [0u8; 256];
        let mut class_word: Vec<bool> = Vec::new();
        for unused_word in [false, true] {
            let members: Vec<u8> = (0..=255u8)
                .filter(|&b| !used[usize::from(b)] && word(b) == unused_word)
                .collect();
            if !members.is_empty() {
                for &b in &members {
                    class[usize::from(b)] = class_word.len() as u8;
                }
                class_word.push(unused_word);
            }
        }
        for b in 0..=255u8 {
            if used[usize::from(b)] {
                class[usize::from(b)] = class_word.len() as u8;
                class_word.push(word(b));
            }
        }
        let classes = class_word.len();
        let too_big = || anyhow::anyhow!("the lexicons' automaton is too large");
        // state 0: the root elsewhere; 1: the root after an ASCII letter or digit; then the
        // trie's nodes, each one's last byte telling which root its failures end at
        const ROOT: u32 = 0;
        const ROOT_IN_WORD: u32 = 1;
        let root_after = |c: usize| if class_word[c] { ROOT_IN_WORD } else { ROOT };
        let mut trans: Vec<u32> = vec![NONE; 2 * classes];
        let mut own: Vec<Vec<u32>> = vec![Vec::new(); 2];
        for (pid, p) in patterns.iter().enumerate() {
            let mut s = ROOT as usize;
            for &b in p.as_bytes() {
                let at = s * classes + usize::from(class[usize::from(b)]);
                if trans[at] == NONE {
                    trans[at] = u32::try_from(own.len()).map_err(|_| too_big())?;
                    trans.extend(std::iter::repeat_n(NONE, classes));
                    own.push(Vec::new());
                }
                s = trans[at] as usize;
            }
            own[s].push(u32::try_from(pid).map_err(|_| too_big())?);
        }
        let states = own.len();
        // the roots' rows: a pattern beginning with a letter or digit begins only at the
        // root elsewhere; any other begins at both
        let mut fail = vec![ROOT; states];
        let mut queue: Vec<u32> = Vec::new();
        for c in 0..classes {
            let t = trans[c];
            if t == NONE {
                trans[c] = root_after(c);
            } else {
                fail[t as usize] = root_after(c);
                queue.push(t);
            }
            trans[classes + c] = if class_word[c] {
                ROOT_IN_WORD
            } else {
                trans[c]
            };
        }
        // the other states, breadth first: a state's failure state is shallower, so its row
        // is complete by then
        let mut at = 0;
        while let Some(&s) = queue.get(at) {
            at += 1;
            let (s, f) = (s as usize, fail[s as usize] as usize);
            for c in 0..classes {
                let t = trans[s * classes + c];
                let through_fail = trans[f * classes + c];
                if t == NONE {
                    trans[s * classes + c] = through_fail;
                } else {
                    fail[t as usize] = through_fail;
                    queue.push(t);
                }
            }
        }
        // each state's matches: its own, then its failure state's (complete by then, as it
        // is shallower)
        let mut out: Vec<Vec<u32>> = vec![Vec::new(); states];
        for &s in &queue {
            let s = s as usize;
            let mut m = std::mem::take(&mut own[s]);
            m.extend_from_slice(&out[fail[s] as usize]);
            out[s] = m;
        }
        // number the states breadth first, the match states before the others
        let mut rank: Vec<usize> = [ROOT, ROOT_IN_WORD]
            .into_iter()
            .chain(queue.iter().copied())
            .map(|s| s as usize)
            .collect();
        rank.sort_by_key(|&s| out[s].is_empty());
        let mut number = vec![0u32; states];
        for (new, &old) in rank.iter().enumerate() {
            number[old] = new as u32;
        }
        states.checked_mul(classes).ok_or_else(too_big)?;
        let mut table = vec![0u32; states * classes];
        for (old, row) in trans.chunks(classes).enumerate() {
            for (c, &t) in row.iter().enumerate() {
                table[c * states + number[old] as usize] = number[t as usize];
            }
        }
        // Two bytes a transition when the states allow (the shipped lexicons' table is then
        // 0.8 MB and stays in a core's own cache), four beyond.
        let trans = match table.iter().map(|&t| u16::try_from(t)).collect() {
            Ok(narrow) => Trans::Narrow(narrow),
            Err(_) => Trans::Wide(table),
        };
        let matching = out.iter().filter(|m| !m.is_empty()).count();
        let (mut first, mut pids) = (vec![0u32], Vec::new());
        for &old in &rank[..matching] {
            pids.extend_from_slice(&out[old]);
            first.push(u32::try_from(pids.len()).map_err(|_| too_big())?);
        }
        Ok(Table {
            column: class.map(|c| usize::from(c) * states),
            trans,
            matching,
            start: number[ROOT as usize] as usize,
            first,
            pids,
            lens: patterns.iter().map(|p| p.len() as u32).collect(),
            max_len: patterns.iter().map(String::len).max().unwrap_or(0),
        })
    }

    /// Every match in `hay` as its end and pattern, appended to `out` by end (at one end, in
    /// the match state's pattern order), less those of a pattern beginning with an ASCII
    /// letter or digit right after one (see [`Table`]).
    ///
    /// A text of [`SPLIT_BELOW`] bytes or more (and of more than twice the longest pattern
    /// a piece) is cut into [`STREAMS`] pieces walked side by side. A piece's walk starts
    /// `max_len` bytes before the piece, from the start state. The state of an Aho-Corasick
    /// automaton stands for the longest end of what was read that begins a pattern, never
    /// longer than the longest pattern, so from the piece's first byte on the walk is in the
    /// state one walk over the whole text would be in, and the matches ending in the piece
    /// are exactly that walk's (those ending before it are the piece before's). The start
    /// state takes the walk's first byte as not after a letter or digit, whatever is before
    /// it; that matters only to ends beginning at that byte, which are longer than the
    /// longest pattern by the piece's first byte.
    fn scan(&self, hay: &[u8], out: &mut Vec<(usize, u32)>) {
        match &self.trans {
            Trans::Narrow(trans) => self.scan_with(trans, hay, out),
            Trans::Wide(trans) => self.scan_with(trans, hay, out),
        }
    }

    /// [`scan`](Self::scan) with the transitions stored as `T`.
    fn scan_with<T: State>(&self, trans: &[T], hay: &[u8], out: &mut Vec<(usize, u32)>) {
        // a short text, or a long pattern next to the pieces (their walks would overlap
        // more than they save): one walk
        if hay.len() < SPLIT_BELOW.max(self.max_len * STREAMS * 2) {
            self.walk(trans, hay, 0, 0, hay.len(), self.start, out);
            return;
        }
        let bound = |k: usize| hay.len() * k / STREAMS;
        // piece k: bytes from[k]..to[k], walked from begin[k]
        let from: [usize; STREAMS] = std::array::from_fn(bound);
        let to: [usize; STREAMS] = std::array::from_fn(|k| bound(k + 1));
        let begin: [usize; STREAMS] = std::array::from_fn(|k| from[k].saturating_sub(self.max_len));
        // room for a piece's share of what the caller made room for, so that the pieces do
        // not grow their vectors step by step
        let mut found: [Vec<(usize, u32)>; STREAMS] =
            std::array::from_fn(|_| Vec::with_capacity(out.capacity() / STREAMS));
        // side by side as far as the shortest walk goes, then each to its end
        let steps = (0..STREAMS).map(|k| to[k] - begin[k]).min().unwrap_or(0);
        let (column, matching) = (&self.column, self.matching);
        // (four pieces: STREAMS)
        let [p0, p1, p2, p3] = std::array::from_fn(|k| &hay[begin[k]..begin[k] + steps]);
        let [mut s0, mut s1, mut s2, mut s3] = [self.start; STREAMS];
        // The match states met in a chunk of steps, as (step in the chunk * STREAMS + piece,
        // state), are reported after it: a call in the loop would have the four states and
        // the pieces saved around it.
        let mut met = [(0u32, 0u32); STREAMS * CHUNK];
        let mut i = 0;
        while i < steps {
            let end = steps.min(i + CHUNK);
            let mut n = 0;
            for j in i..end {
                s0 = trans[column[usize::from(p0[j])] + s0].number();
                s1 = trans[column[usize::from(p1[j])] + s1].number();
                s2 = trans[column[usize::from(p2[j])] + s2].number();
                s3 = trans[column[usize::from(p3[j])] + s3].number();
                // (the step in the chunk and the piece: below STREAMS * CHUNK; a state
                // number: below 2^32, as the table's are)
                let at = ((j - i) * STREAMS) as u32;
                if s0 < matching {
                    met[n] = (at, s0 as u32);
                    n += 1;
                }
                if s1 < matching {
                    met[n] = (at + 1, s1 as u32);
                    n += 1;
                }
                if s2 < matching {
                    met[n] = (at + 2, s2 as u32);
                    n += 1;
                }
                if s3 < matching {
                    met[n] = (at + 3, s3 as u32);
                    n += 1;
                }
            }
            for &(at, s) in &met[..n] {
                let (j, k) = (i + at as usize / STREAMS, at as usize % STREAMS);
                if begin[k] + j >= from[k] {
                    self.push_matches(s as usize, begin[k] + j + 1, &mut found[k]);
                }
            }
            i = end;
        }
        let state = [s0, s1, s2, s3];
        for k in 0..STREAMS {
            let at = begin[k] + steps;
            self.walk(trans, hay, at, from[k], to[k], state[k], &mut found[k]);
        }
        for f in found {
            out.extend(f);
        }
    }

    /// Walk `hay[at..to]` from `state`, reporting the matches that end after `from`.
    #[allow(clippy::too_many_arguments)]
    fn walk<T: State>(
        &self,
        trans: &[T],
        hay: &[u8],
        mut at: usize,
        from: usize,
        to: usize,
        mut state: usize,
        out: &mut Vec<(usize, u32)>,
    ) {
        while at < to {
            state = trans[self.column[usize::from(hay[at])] + state].number();
            at += 1;
            if state < self.matching && at > from {
                self.push_matches(state, at, out);
            }
        }
    }

    /// The matches of match state `state`, ending at `end`.
    #[cold]
    #[inline(never)]
    fn push_matches(&self, state: usize, end: usize, out: &mut Vec<(usize, u32)>) {
        let pids = &self.pids[self.first[state] as usize..self.first[state + 1] as usize];
        out.extend(pids.iter().map(|&p| (end, p)));
    }
}

/// A [`Table`]'s transitions: next-state numbers of two bytes when there are few enough
/// states, else of four.
#[derive(Debug, Clone)]
enum Trans {
    Narrow(Vec<u16>),
    Wide(Vec<u32>),
}

/// A stored next-state number.
trait State: Copy {
    fn number(self) -> usize;
}

impl State for u16 {
    #[inline(always)]
    fn number(self) -> usize {
        usize::from(self)
    }
}

impl State for u32 {
    #[inline(always)]
    fn number(self) -> usize {
        self as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::{LexiconSet, SourceFile};

    proptest::proptest! {
        /// Sorting a nearly sorted list gives what `sort_unstable_by` gives (equal elements
        /// are identical here, so any order of them is the same list): lists in order, a few
        /// steps out of order, and shuffled (past the move budget).
        #[test]
        fn nearly_sorted_lists_sort_as_sort_unstable(
            v in proptest::collection::vec((0u16..300, 0u8..4), 0..200),
            swaps in proptest::collection::vec((0usize..200, 1usize..4), 0..20),
            presort in proptest::prelude::any::<bool>(),
        ) {
            let mut v = v;
            if presort {
                v.sort_unstable();
                for (at, by) in swaps {
                    if at + by < v.len() {
                        v.swap(at, at + by);
                    }
                }
            }
            let mut want = v.clone();
            want.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
            sort_nearly_sorted(&mut v, |a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
            proptest::prop_assert_eq!(v, want);
        }
    }

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

    /// What `aho_corasick`'s overlapping search finds in `text`, less a pattern that begins
    /// with an ASCII letter or digit right after one (the matches the table's automaton
    /// leaves out by design), sorted.
    fn overlapping_at_word_starts(patterns: &[String], text: &str) -> Vec<(usize, u32)> {
        let ac = aho_corasick::AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(patterns)
            .unwrap();
        let alnum = |b: u8| b.is_ascii_alphanumeric();
        let mut want: Vec<(usize, u32)> = ac
            .find_overlapping_iter(text)
            .filter(|m| {
                !alnum(patterns[m.pattern().as_usize()].as_bytes()[0])
                    || m.start() == 0
                    || !alnum(text.as_bytes()[m.start() - 1])
            })
            .map(|m| (m.end(), m.pattern().as_u32()))
            .collect();
        want.sort_unstable();
        want
    }

    /// The table's scan finds what `aho_corasick`'s overlapping search finds on the same
    /// patterns, less the matches inside ASCII words, for texts walked whole and texts cut
    /// into pieces (long ones), with bytes in no pattern, patterns of several bytes a char,
    /// punctuation, and a non-ASCII letter before a pattern (which the scan reports and
    /// [`collect`] judges).
    #[test]
    fn table_scan_is_the_overlapping_search_at_word_starts() {
        use proptest::prelude::*;
        let piece = proptest::sample::select(vec!["a", "b", "ab", "é", " ", "a b", "ba", "-", "1"]);
        let pattern = proptest::collection::vec(piece, 1..5).prop_map(|p| p.concat());
        let patterns = proptest::collection::vec(pattern, 1..10);
        let char = proptest::sample::select(vec!['a', 'b', 'é', ' ', 'z', '\n', '-', '1', '9']);
        // up to four times the length below which a text is walked whole
        let text = proptest::collection::vec(char, 0..SPLIT_BELOW * 4)
            .prop_map(|cs| cs.into_iter().collect::<String>());
        proptest!(ProptestConfig::with_cases(300), |(patterns in patterns, text in text)| {
            let table = Table::new(&patterns).unwrap();
            let mut got = Vec::new();
            table.scan(text.as_bytes(), &mut got);
            // found in text order
            prop_assert!(got.windows(2).all(|w| w[0].0 <= w[1].0));
            // the same table with transitions of four bytes (a large lexicon's)
            let Trans::Narrow(narrow) = &table.trans else {
                panic!("a few patterns make a narrow table");
            };
            let wide = Table {
                trans: Trans::Wide(narrow.iter().map(|&t| u32::from(t)).collect()),
                ..table.clone()
            };
            let mut got_wide = Vec::new();
            wide.scan(text.as_bytes(), &mut got_wide);
            prop_assert_eq!(&got_wide, &got);
            got.sort_unstable();
            prop_assert_eq!(got, overlapping_at_word_starts(&patterns, &text));
        });
    }

    /// Inside a word, a pattern that begins with a letter is not reported, whether the walk
    /// falls back to the root there or to a shorter pattern's state; after punctuation, a
    /// space, a non-ASCII letter or the text's start, it is.
    #[test]
    fn word_start_patterns_begin_only_outside_ascii_words() {
        let patterns: Vec<String> = ["he", "rat", "t-he", "x"].map(String::from).to_vec();
        let table = Table::new(&patterns).unwrap();
        let text = "he the separate t-he éhe rat-he x";
        let mut got = Vec::new();
        table.scan(text.as_bytes(), &mut got);
        let found: Vec<(usize, &str)> = got
            .iter()
            .map(|&(end, p)| (end, &text[end - table.lens[p as usize] as usize..end]))
            .collect();
        assert_eq!(
            found,
            [
                (2, "he"),
                (20, "t-he"),
                (20, "he"),
                (25, "he"),
                (29, "rat"),
                (32, "he"),
                (34, "x")
            ]
        );
        got.sort_unstable();
        assert_eq!(got, overlapping_at_word_starts(&patterns, text));
    }

    /// Texts of every length from the shortest cut into pieces to well past two chunks a
    /// piece: the side-by-side walks end at every offset in a chunk, and the matches they
    /// meet are those of the overlapping search.
    #[test]
    fn pieces_of_every_length_find_the_same_matches() {
        let patterns: Vec<String> = ["a", "ab a", "b-a", "ba"].map(String::from).to_vec();
        let table = Table::new(&patterns).unwrap();
        let unit = "ab a b-a ba. xa ";
        let long = unit.repeat((SPLIT_BELOW + STREAMS * CHUNK * 2) / unit.len() + 2);
        for len in SPLIT_BELOW..SPLIT_BELOW + STREAMS * CHUNK * 2 {
            let text = &long[..len];
            let mut got = Vec::new();
            table.scan(text.as_bytes(), &mut got);
            got.sort_unstable();
            assert_eq!(
                got,
                overlapping_at_word_starts(&patterns, text),
                "{len} bytes"
            );
        }
    }

    #[test]
    fn an_empty_pattern_is_an_error_not_a_match_everywhere() {
        assert!(Table::new(&["a".to_string(), String::new()]).is_err());
    }

    /// A pattern long next to a text's pieces (here one of 300 bytes in a text of 2,000, so
    /// the text is walked whole) is found across where the pieces would be cut.
    #[test]
    fn long_pattern_is_found_across_the_pieces() {
        let long = "ab ".repeat(100);
        let patterns = vec![long.clone(), "ab".to_string()];
        let text = format!("{} {long}{}", "x".repeat(849), "y".repeat(850));
        let mut got = Vec::new();
        Table::new(&patterns)
            .unwrap()
            .scan(text.as_bytes(), &mut got);
        let want = overlapping_at_word_starts(&patterns, &text);
        assert!(got.contains(&(850 + long.len(), 0)));
        got.sort_unstable();
        assert_eq!(got, want);
    }
}
