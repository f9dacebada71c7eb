//! Sentence splitting inside a paragraph, with the abbreviation rules that keep `Mr.`,
//! `Dec. 28`, `No. 1`, `S. Jaishankar` and `U.S.` from ending a sentence.

use memchr::{memchr3, memmem};

use crate::span::Span;

use super::wrap::{is_closer, is_opener};

/// Titles and honorifics: a following `.` never ends a sentence.
const TITLES: &[&str] = &[
    "Adm", "Atty", "Brig", "Capt", "Cdr", "Cmdr", "Col", "Cpl", "Det", "Dr", "Esq", "Fr", "Ft",
    "Gen", "Gov", "Hon", "Insp", "Jr", "Lt", "Maj", "Messrs", "Mlle", "Mme", "Mr", "Mrs", "Ms",
    "Mt", "Mx", "Pres", "Prof", "Pvt", "Rep", "Rev", "Sen", "Sgt", "Sr", "St", "Supt",
];

/// Abbreviations that never end a sentence when a digit follows (`Dec. 28`, `No. 1`).
const BEFORE_NUMBER: &[&str] = &[
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "No",
    "Nos", "no", "nos", "Vol", "vol", "Art", "art", "Fig", "fig", "Sec", "sec", "pp", "p",
];

/// Lowercase abbreviations that never end a sentence.
const NEVER_FINAL: &[&str] = &[
    "vs", "v", "cf", "viz", "approx", "ca", "e.g", "i.e", "E.g", "I.e",
];

/// The longest entry of [`TITLES`], [`BEFORE_NUMBER`] and [`NEVER_FINAL`] (worked out when
/// compiled, so it follows the lists).
const LONGEST_LISTED: usize = {
    let lists: [&[&str]; 3] = [TITLES, BEFORE_NUMBER, NEVER_FINAL];
    let mut longest = 0;
    let mut l = 0;
    while l < lists.len() {
        let mut i = 0;
        while i < lists[l].len() {
            if lists[l][i].len() > longest {
                longest = lists[l][i].len();
            }
            i += 1;
        }
        l += 1;
    }
    longest
};

/// Words that, after an initial or a dotted acronym, show that a new sentence has begun
/// (`... in the U.S. The minister ...`). `A` and `I` are left out: they are also initials.
const SENTENCE_STARTERS: &[&str] = &[
    "According",
    "After",
    "Also",
    "And",
    "As",
    "At",
    "Before",
    "But",
    "Earlier",
    "For",
    "He",
    "Her",
    "His",
    "However",
    "If",
    "In",
    "It",
    "Its",
    "Later",
    "Meanwhile",
    "On",
    "Our",
    "She",
    "So",
    "That",
    "The",
    "Their",
    "Then",
    "There",
    "These",
    "They",
    "This",
    "Those",
    "We",
    "What",
    "When",
    "While",
    "Why",
    "Yet",
    "You",
];

/// Whether `c` can start a sentence: an uppercase letter, a digit, an opening quote or
/// bracket, an inverted `¿ ¡`, or a currency sign (`$50 billion was ...`).
#[inline]
fn starts_sentence(c: char) -> bool {
    c.is_uppercase()
        || c.is_ascii_digit()
        || is_opener(c)
        || matches!(
            c,
            '\u{00BF}' | '\u{00A1}' | '$' | '\u{20AC}' | '\u{00A3}' | '\u{00A5}' | '\u{20B9}'
        )
}

/// A single uppercase letter (`S` in `S. Jaishankar`).
fn is_initial(token: &str) -> bool {
    let mut chars = token.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase())
}

/// Letters separated by dots, one or two letters per part, at least two parts: `U.S`, `a.m`,
/// `Ph.D` (the final dot is the one being judged).
fn is_dotted_acronym(token: &str) -> bool {
    // (two parts need a dot: most words before a dot have none, and are settled here)
    if !token.as_bytes().contains(&b'.') {
        return false;
    }
    let mut parts = 0;
    for part in token.split('.') {
        let n = part.chars().count();
        if n == 0 || n > 2 || !part.chars().all(char::is_alphabetic) {
            return false;
        }
        parts += 1;
    }
    parts >= 2
}

/// The leading run of letters of `rest`.
fn first_word(rest: &str) -> &str {
    let end = rest
        .char_indices()
        .find(|&(_, c)| !c.is_alphabetic())
        .map_or(rest.len(), |(i, _)| i);
    &rest[..end]
}

/// Whether the `.` that ends `before` (which excludes the dot) belongs to an abbreviation and
/// so does not end a sentence, given the text `rest` that follows after one space.
///
/// With `for_wrap` (the hard-wrap heuristic asks, knowing only the first char of `rest`),
/// single initials and dotted acronyms are not treated as abbreviations: at the end of a line
/// they usually end a paragraph (`... in the U.S.`).
pub(crate) fn dot_is_abbreviation(before: &str, rest: &str, for_wrap: bool) -> bool {
    // the text after the last space (found from the end with a vector search)
    let token = memchr::memrchr(b' ', before.as_bytes()).map_or(before, |i| &before[i + 1..]);
    let token = token.trim_start_matches(is_opener);
    if token.is_empty() {
        return false;
    }
    // (a word longer than every listed abbreviation, as most words before a dot are, is
    // none of them: the lists are not scanned for it)
    if token.len() <= LONGEST_LISTED {
        if TITLES.contains(&token) || NEVER_FINAL.contains(&token) {
            return true;
        }
        if BEFORE_NUMBER.contains(&token) && rest.starts_with(|c: char| c.is_ascii_digit()) {
            return true;
        }
    }
    if for_wrap {
        return false;
    }
    if is_initial(token) || is_dotted_acronym(token) {
        return !SENTENCE_STARTERS.contains(&first_word(rest));
    }
    false
}

/// Finds the next sentence terminal (`.`, `!`, `?`, `…`) at or after `from`, caching the next
/// ellipsis position so the scan stays linear.
struct Terminals<'a> {
    bytes: &'a [u8],
    /// `None`: not searched yet; `Some(None)`: no ellipsis at or after the last search.
    next_ellipsis: Option<Option<usize>>,
}

impl Terminals<'_> {
    fn next(&mut self, from: usize) -> Option<usize> {
        let ascii = memchr3(b'.', b'!', b'?', &self.bytes[from..]).map(|k| from + k);
        let ellipsis = match self.next_ellipsis {
            Some(Some(p)) if p >= from => Some(p),
            Some(None) => None,
            _ => {
                let found =
                    memmem::find(&self.bytes[from..], "\u{2026}".as_bytes()).map(|k| from + k);
                self.next_ellipsis = Some(found);
                found
            }
        };
        match (ascii, ellipsis) {
            (Some(a), Some(e)) => Some(a.min(e)),
            (a, e) => a.or(e),
        }
    }
}

/// Splits the paragraph `para` of `text` into sentences, appending their spans to `out`.
///
/// A sentence ends after `.`, `!`, `?`, `…` (or a run of them such as `...` or `?!`),
/// optionally followed by closing quotes and brackets, when a space follows and then a
/// character that can start a sentence (see `starts_sentence`). A single `.` is not a
/// boundary after an abbreviation (see [`dot_is_abbreviation`]) unless a closing quote or
/// bracket follows it. The spans cover the paragraph exactly, one space apart.
pub(crate) fn split_paragraph(text: &str, para: Span, out: &mut Vec<Span>) {
    let p = para.of(text);
    let bytes = p.as_bytes();
    let len = bytes.len();
    let mut terminals = Terminals {
        bytes,
        next_ellipsis: None,
    };
    let mut start = 0;
    let mut i = 0;
    while i < len {
        let Some(k) = terminals.next(i) else {
            break;
        };
        // The run of terminals.
        let mut j = k;
        while j < len {
            match bytes[j] {
                b'.' | b'!' | b'?' => j += 1,
                0xE2 if p[j..].starts_with('\u{2026}') => j += 3,
                _ => break,
            }
        }
        let single_dot = j == k + 1 && bytes[k] == b'.';
        let run_end = j;
        // Closing quotes and brackets.
        while let Some(c) = p[j..].chars().next().filter(|&c| is_closer(c)) {
            j += c.len_utf8();
        }
        i = j.max(k + 1);
        if j >= len || bytes[j] != b' ' {
            continue;
        }
        let rest = &p[j + 1..];
        if !rest.chars().next().is_some_and(starts_sentence) {
            continue;
        }
        if single_dot && j == run_end && dot_is_abbreviation(&p[start..k], rest, false) {
            continue;
        }
        out.push(Span::new(para.start + start, para.start + j));
        start = j + 1;
        i = start;
    }
    if start < len {
        out.push(Span::new(para.start + start, para.end));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(p: &str) -> Vec<&str> {
        let mut out = Vec::new();
        split_paragraph(p, Span::new(0, p.len()), &mut out);
        out.iter().map(|s| s.of(p)).collect()
    }

    #[test]
    fn plain_sentences() {
        assert_eq!(
            split("One. Two! Three? Four"),
            ["One.", "Two!", "Three?", "Four"]
        );
        assert_eq!(split("One."), ["One."]);
        assert_eq!(split("Wait... Then it came."), ["Wait...", "Then it came."]);
        assert_eq!(
            split("Wait\u{2026} Then it came."),
            ["Wait\u{2026}", "Then it came."]
        );
        assert_eq!(split("Really?! Yes."), ["Really?!", "Yes."]);
        assert_eq!(
            split("certain issues... however, no"),
            ["certain issues... however, no"]
        );
        assert_eq!(split("It ended. 2024 began."), ["It ended.", "2024 began."]);
        assert_eq!(
            split("It grew. $50 billion was traded."),
            ["It grew.", "$50 billion was traded."]
        );
        assert_eq!(
            split("It ended. (Then more.)"),
            ["It ended.", "(Then more.)"]
        );
        assert_eq!(split("one.two. three"), ["one.two. three"]);
    }

    #[test]
    fn dotted_acronyms() {
        assert_eq!(
            split("The U.S. President spoke."),
            ["The U.S. President spoke."]
        );
        assert_eq!(
            split("He met U.K. and U.N. envoys."),
            ["He met U.K. and U.N. envoys."]
        );
        assert_eq!(split("At 9 a.m. Moscow time."), ["At 9 a.m. Moscow time."]);
        assert_eq!(
            split("He left the U.S. The talks ended."),
            ["He left the U.S.", "The talks ended."]
        );
        assert_eq!(
            split("e.g. India and i.e. Russia"),
            ["e.g. India and i.e. Russia"]
        );
        assert_eq!(
            split("Examples, e.g. The Times."),
            ["Examples, e.g. The Times."]
        );
    }

    #[test]
    fn titles() {
        assert_eq!(split("Mr. Putin said so."), ["Mr. Putin said so."]);
        assert_eq!(
            split("Dr. Smith, Gen. Lee, Prof. X and Mrs. Y met St. Petersburg officials."),
            ["Dr. Smith, Gen. Lee, Prof. X and Mrs. Y met St. Petersburg officials."]
        );
        assert_eq!(
            split("Maj. Gen. Asthana spoke."),
            ["Maj. Gen. Asthana spoke."]
        );
    }

    #[test]
    fn months_and_numbers() {
        assert_eq!(
            split("New Delhi, Dec. 28 (IANS) The talks"),
            ["New Delhi, Dec. 28 (IANS) The talks"]
        );
        assert_eq!(
            split("It was signed on Sept. 5 in Moscow."),
            ["It was signed on Sept. 5 in Moscow."]
        );
        assert_eq!(split("It is No. 1 in trade."), ["It is No. 1 in trade."]);
        assert_eq!(
            split("He said No. Then he left."),
            ["He said No.", "Then he left."]
        );
        assert_eq!(
            split("It happened in Dec. The next year"),
            ["It happened in Dec.", "The next year"]
        );
        assert_eq!(
            split("It was 20.1 C in New Delhi."),
            ["It was 20.1 C in New Delhi."]
        );
        assert_eq!(
            split("Trade rose to $50.5 billion."),
            ["Trade rose to $50.5 billion."]
        );
        assert_eq!(
            split("Trade crossed $50 billion. The S-400 systems arrive."),
            ["Trade crossed $50 billion.", "The S-400 systems arrive."]
        );
    }

    #[test]
    fn initials() {
        assert_eq!(
            split("EAM S. Jaishankar spoke."),
            ["EAM S. Jaishankar spoke."]
        );
        assert_eq!(
            split("J. R. R. Tolkien wrote it."),
            ["J. R. R. Tolkien wrote it."]
        );
        assert_eq!(
            split("They took vitamin C. It helped."),
            ["They took vitamin C.", "It helped."]
        );
    }

    #[test]
    fn other_abbreviations() {
        assert_eq!(split("India vs. Russia"), ["India vs. Russia"]);
        assert_eq!(
            split("oil, gas, etc. are traded"),
            ["oil, gas, etc. are traded"]
        );
        assert_eq!(
            split("oil, gas, etc. The trade"),
            ["oil, gas, etc.", "The trade"]
        );
    }

    #[test]
    fn quotations() {
        assert_eq!(
            split("It was due to \"direct support.\" He also extended an invitation."),
            [
                "It was due to \"direct support.\"",
                "He also extended an invitation."
            ]
        );
        assert_eq!(split("\"Is it?\" he asked."), ["\"Is it?\" he asked."]);
        assert_eq!(split("\"Is it?\" \"Yes.\""), ["\"Is it?\"", "\"Yes.\""]);
        assert_eq!(
            split("He said. \"Then we go.\""),
            ["He said.", "\"Then we go.\""]
        );
        assert_eq!(split("the players'. Next"), ["the players'.", "Next"]);
        assert_eq!(split("(It ended.) Then"), ["(It ended.)", "Then"]);
        assert_eq!(
            split("\u{00AB}Fin.\u{00BB} Puis"),
            ["\u{00AB}Fin.\u{00BB}", "Puis"]
        );
        assert_eq!(
            split("He left the \"U.S.\" Then"),
            ["He left the \"U.S.\"", "Then"]
        );
    }
}
