//! The hard-wrap heuristic: whether a single line break continues the paragraph (a wrapped
//! sentence) or starts a new one (one-paragraph-per-line layouts, headings).

use super::sentences;

/// Capitalised words that cannot end a heading or a sentence, so a line ending in one of them
/// is a wrapped line (`The` / `critical year-end visit ...`). Particles that end phrasal
/// headings (`Sign In`, `Log Out`, `Read On`) are deliberately absent.
const OPEN_CAPITALISED: &[&str] = &[
    "A", "After", "Against", "Although", "Amid", "Among", "An", "And", "Because", "Before",
    "Between", "Both", "But", "Despite", "During", "Each", "Either", "Every", "For", "From", "If",
    "Into", "Its", "My", "Neither", "Nor", "Of", "Or", "Our", "Than", "That", "The", "Their",
    "These", "This", "Those", "Though", "To", "Towards", "Toward", "Unless", "Until", "Via",
    "When", "Whereas", "Whether", "While", "With", "Your",
];

/// Closing quotes and brackets that may follow sentence-final punctuation.
#[inline]
pub(crate) fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | ')' | ']' | '\u{00BB}' | '\u{203A}')
}

/// Opening quotes and brackets.
#[inline]
pub(crate) fn is_opener(c: char) -> bool {
    matches!(c, '"' | '\'' | '(' | '[' | '\u{00AB}' | '\u{2039}')
}

/// Whether the line `line` (normalised: trimmed, non-empty; only its end is read) and the next
/// line, whose first normalised character is `next`, belong to one paragraph.
///
/// A line that ends in sentence-final punctuation (`. ! ? : …`, optionally followed by closing
/// quotes or brackets) never joins, unless the final `.` belongs to an abbreviation that
/// cannot end a sentence before `next` (`Mr.`, `Dec.` before a digit, `e.g.`): then it always
/// joins. Otherwise the lines join when the next line starts with a lowercase letter; or the
/// next line starts with an opening quote and the line ends with a lowercase word; or the line
/// ends with `,` `;` `-` `&` or an opening quote or bracket; or the line's last word is all
/// lowercase or a capitalised function word (`The`, `An`, `Of`...). Everything else is a break.
pub(crate) fn joins(line: &str, next: char) -> bool {
    let core = line.trim_end_matches(is_closer);
    if let Some(last) = core
        .chars()
        .next_back()
        .filter(|c| matches!(c, '.' | '!' | '?' | ':' | '\u{2026}'))
    {
        let abbreviation = last == '.'
            && core.len() == line.len()
            && sentences::dot_is_abbreviation(
                &core[..core.len() - 1],
                next_as_str(next, &mut [0; 4]),
                true,
            );
        // An abbreviation that cannot end a sentence here continues it.
        return abbreviation;
    }
    if next.is_lowercase() {
        return true;
    }
    let Some(last) = line.chars().next_back() else {
        return false;
    };
    if matches!(
        last,
        ',' | ';' | '-' | '&' | '(' | '[' | '\u{00AB}' | '\u{2039}'
    ) {
        return true;
    }
    if matches!(last, '"' | '\'') {
        // A straight quote is opening when it starts a token.
        let before = line[..line.len() - 1].chars().next_back();
        if before.is_none_or(|c| c == ' ' || is_opener(c)) {
            return true;
        }
    }
    let token = line.rsplit(' ').next().unwrap_or(line);
    let word = token.trim_matches(|c: char| !c.is_alphanumeric());
    let Some(first) = word.chars().next() else {
        return false;
    };
    if is_opener(next) && first.is_lowercase() {
        return true;
    }
    let all_lowercase =
        word.chars().any(char::is_alphabetic) && !word.chars().any(char::is_uppercase);
    all_lowercase || OPEN_CAPITALISED.contains(&word)
}

/// Whether a blank line between paragraph `para` and a paragraph starting with `next` falls
/// inside a sentence (a scrape remnant): `next` is lowercase and the paragraph ends in a comma
/// or an all-lowercase word, with no sentence punctuation.
pub(crate) fn joins_across_blank(para: &str, next: char) -> bool {
    if !next.is_lowercase() {
        return false;
    }
    if para.ends_with(',') {
        return true;
    }
    let token = para.rsplit(' ').next().unwrap_or(para);
    !token.is_empty()
        && token
            .chars()
            .all(|c| c.is_lowercase() || c == '-' || c == '\'')
}

/// `next` as a string slice in `buf`.
fn next_as_str(next: char, buf: &mut [u8; 4]) -> &str {
    next.encode_utf8(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_wrapped_lines() {
        assert!(joins("The", 'c'));
        assert!(joins("The", 'C'));
        assert!(joins("to pressure India into draw down its", 'r'));
        assert!(joins("In fact,", 'R'));
        assert!(joins("\"The oil trade is booming,", 'R'));
        assert!(joins("developing an", '"'));
        assert!(joins("concerns about", 'W'));
        assert!(joins("Major General (retired)", 'S'));
        assert!(joins("he said \"", 'W'));
        assert!(joins("the so-", 'c'));
        assert!(joins("Trade &", 'D'));
        assert!(joins("met Mr.", 'P'));
        assert!(joins("e.g.", 'I'));
        assert!(joins("on Dec.", '2'));
    }

    #[test]
    fn blank_line_inside_a_sentence() {
        assert!(joins_across_blank("places with its relationship", 'w'));
        assert!(joins_across_blank("among others,", 'w'));
        assert!(!joins_across_blank("relations with Russia.", 'w'));
        assert!(!joins_across_blank("with its relationship", 'W'));
        assert!(!joins_across_blank("Related articles:", 't'));
        assert!(!joins_across_blank("in the U.S", 'a'));
    }

    #[test]
    fn breaks_between_paragraphs() {
        assert!(!joins("US Attempts to Disrupt India-Russia Relations", 'T'));
        assert!(!joins("20.1 C", 'N'));
        assert!(!joins("relations with Russia.", 'U'));
        assert!(!joins("relations with Russia.", 'u'));
        assert!(!joins("What is Driving India and Russia Ties?", 'B'));
        assert!(!joins("Share post:", 'I'));
        assert!(!joins("\"It is done,\" he said.\"", 'T'));
        assert!(!joins("December 28, 2023", 'T'));
        assert!(!joins("Region: Asia (ORF)", 'T'));
        assert!(!joins("in the U.S.", 'T'));
        assert!(!joins("Sign In", 'T'));
        assert!(!joins("...", 'T'));
    }
}
