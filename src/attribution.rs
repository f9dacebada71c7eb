//! Attribution: who a quotation or paraphrase is attributed to, with which cue, and what kind
//! of speaker it is. Pure: a [`Document`], its quotations, the speech cues and anonymous-source
//! spans found by the lexicon matchers in, an [`Attribution`] out. No parser, no tagger: the
//! rules below read capitalisation, punctuation and word order, and each is tested.
//!
//! Linking a top-level quotation to a cue, first rule that applies:
//! 1. a cue right after the quotation in its paragraph, with at most a short speaker phrase
//!    between (`"...," X said`, `"...," said X`, `"...," the veteran stated`);
//! 2. the last cue before the quotation in the quotation's sentence (`X said: "..."`,
//!    `X said that the talks were "a success"`, `"...," Mr. Putin said, "and ..."`);
//! 3. otherwise the speaker of the previous attributed quotation in the same paragraph (a
//!    quotation continued after `he said.`), without a cue;
//! 4. a quotation that opens its paragraph: the speaker of the last attribution of the
//!    previous paragraph, without a cue (`Smith said ...` then a paragraph of quotation);
//! 5. otherwise unattributed.
//!
//! A cue that no quotation takes, inside no quotation, with a speaker, is a paraphrase
//! (`X said (that) ...`, `according to X, ...`, `..., X reported.`).
//!
//! The speaker of a cue: after `according to`, the name that follows; before other cues, the
//! phrase just left of the cue (a run of capitalised words with name particles, `Mr.`-style
//! titles and `(retired)`; an anonymous-source phrase; a pronoun; a `the <noun>` description;
//! for `X, who ..., said` and `X, a fellow at ..., told` the name before the first comma);
//! after the cue when nothing stands before it (`said Zakharov`); and `X was quoted by Y as
//! saying` gives X. Kinds: anonymous when the phrase overlaps an anonymous-source span;
//! organisation for institution words (`Ministry`, `Kremlin`, `Times`, `Tass`, ...), `the` +
//! capitalised name, or a country or capital standing for its government; pronoun for `he`,
//! `she`, `they`, ... and for descriptions (`the expert`), which are resolved to the one named
//! person speaker of the previous three sentences when there is exactly one; person for other
//! capitalised names.
//!
//! Quotation kinds: **scare** (one to three words, no cue and no speaker, not a sentence of
//! its own, not a name or title: two or more words all capitalised), **direct** (starts its sentence or follows a cue, a colon or a comma, and holds at
//! least four words or ends with sentence punctuation), **partial** (the rest: a quoted fragment
//! in the outlet's sentence). Nested quotations are partial and unattributed: they are words
//! the speaker of the enclosing quotation cites.

use crate::quotes::Quote;
use crate::span::Span;
use crate::text::Document;

/// The class of a speech cue: from a neutral or from a loaded cue list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CueClass {
    Neutral,
    Loaded,
}

impl CueClass {
    pub fn as_str(self) -> &'static str {
        match self {
            CueClass::Neutral => "neutral",
            CueClass::Loaded => "loaded",
        }
    }
}

/// A speech-cue match found in `doc.text` by the caller's lexicon matcher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cue {
    pub span: Span,
    pub class: CueClass,
    pub lexicon: usize,
    pub entry: usize,
}

/// What a quotation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum QuoteKind {
    Direct,
    Partial,
    Scare,
}

impl QuoteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteKind::Direct => "direct",
            QuoteKind::Partial => "partial",
            QuoteKind::Scare => "scare",
        }
    }
}

/// Who a speaker is, as far as the text tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SpeakerKind {
    Person,
    Organisation,
    Anonymous,
    Pronoun,
    Unattributed,
}

impl SpeakerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SpeakerKind::Person => "person",
            SpeakerKind::Organisation => "organisation",
            SpeakerKind::Anonymous => "anonymous",
            SpeakerKind::Pronoun => "pronoun",
            SpeakerKind::Unattributed => "unattributed",
        }
    }
}

/// A speaker as found in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Speaker {
    /// Where the speaker phrase stands in `doc.text`.
    pub span: Option<Span>,
    /// The phrase as written ("" when unattributed).
    pub name: String,
    /// For a pronoun or a description, the named person it refers to, when unambiguous.
    pub resolved: Option<String>,
    pub kind: SpeakerKind,
}

impl Speaker {
    fn none() -> Speaker {
        Speaker {
            span: None,
            name: String::new(),
            resolved: None,
            kind: SpeakerKind::Unattributed,
        }
    }
}

/// The attribution of one quotation.
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteAttribution {
    /// Index into the quotations given to [`attribute`].
    pub quote: usize,
    pub kind: QuoteKind,
    pub speaker: Speaker,
    /// Index into the cues given to [`attribute`].
    pub cue: Option<usize>,
}

/// Reported speech without quotation marks.
#[derive(Debug, Clone, PartialEq)]
pub struct Paraphrase {
    /// The reported content.
    pub span: Span,
    pub speaker: Speaker,
    /// Index into the cues.
    pub cue: usize,
    /// Sentence of the cue.
    pub sentence: usize,
}

/// Everything attribution found in one document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Attribution {
    /// One per input quotation, in the same order.
    pub quotes: Vec<QuoteAttribution>,
    pub paraphrases: Vec<Paraphrase>,
    /// Per sentence of the document: does it carry an attribution (an attributed quotation,
    /// or a cue with a speaker)?
    pub attributed_sentences: Vec<bool>,
}

const PRONOUNS: &[&str] = &["he", "she", "they", "it", "we", "i", "you"];
/// Lower-case words that may stand inside a name (`Bank of England`, `bin Salman`).
const PARTICLES: &[&str] = &[
    "of", "de", "da", "del", "della", "di", "van", "von", "der", "bin", "ibn", "al", "la", "le",
    "du", "and", "to",
];
/// Words that make a capitalised phrase an institution.
/// Sorted, for [`WordSet`].
const ORG_WORDS: &[&str] = &[
    "administration",
    "agency",
    "army",
    "authority",
    "bank",
    "bbc",
    "board",
    "cabinet",
    "center",
    "centre",
    "channel",
    "chronicle",
    "cnn",
    "command",
    "commission",
    "committee",
    "company",
    "congress",
    "corporation",
    "council",
    "courier",
    "court",
    "daily",
    "department",
    "dispatch",
    "embassy",
    "eu",
    "federation",
    "force",
    "forces",
    "foundation",
    "fund",
    "gazette",
    "government",
    "group",
    "guardian",
    "herald",
    "house",
    "imf",
    "inc",
    "insider",
    "institute",
    "journal",
    "kremlin",
    "ltd",
    "magazine",
    "ministry",
    "nations",
    "nato",
    "navy",
    "network",
    "news",
    "office",
    "opec",
    "organisation",
    "organization",
    "outlet",
    "parliament",
    "party",
    "pentagon",
    "police",
    "post",
    "press",
    "radio",
    "research",
    "reuters",
    "review",
    "ria",
    "secretariat",
    "senate",
    "service",
    "services",
    "sipri",
    "sputnik",
    "tass",
    "television",
    "times",
    "today",
    "tribune",
    "un",
    "union",
    "university",
    "who",
    "wire",
    "xinhua",
];
/// Countries and capitals that often stand for their government (`Moscow said`). Sorted, for
/// [`WordSet`].
const PLACES: &[&str] = &[
    "america",
    "ankara",
    "beijing",
    "berlin",
    "britain",
    "brussels",
    "china",
    "delhi",
    "france",
    "germany",
    "india",
    "iran",
    "islamabad",
    "israel",
    "japan",
    "jerusalem",
    "kiev",
    "kyiv",
    "london",
    "moscow",
    "new delhi",
    "pakistan",
    "paris",
    "russia",
    "tehran",
    "the u.s.",
    "the uk",
    "the united states",
    "the us",
    "the west",
    "tokyo",
    "turkey",
    "ukraine",
    "washington",
];
static PLACES_SET: WordSet = WordSet::new(PLACES);
/// Lower-case nouns that, after `the`, describe an organisation rather than a person.
/// Sorted, for [`WordSet`].
const ORG_NOUNS: &[&str] = &[
    "account",
    "ad",
    "administration",
    "advert",
    "agency",
    "army",
    "article",
    "bank",
    "bill",
    "book",
    "broadcaster",
    "campaign",
    "channel",
    "committee",
    "company",
    "complaint",
    "council",
    "court",
    "decree",
    "department",
    "document",
    "editorial",
    "embassy",
    "filing",
    "firm",
    "government",
    "group",
    "kremlin",
    "lawsuit",
    "letter",
    "memo",
    "ministry",
    "network",
    "newspaper",
    "office",
    "order",
    "outlet",
    "page",
    "paper",
    "party",
    "police",
    "poll",
    "post",
    "report",
    "resolution",
    "ruling",
    "site",
    "statement",
    "study",
    "survey",
    "tweet",
    "video",
    "website",
];
/// Capitalised words that are never a speaker's name (weekdays, months, `Today`, sentence
/// connectives). Sorted, for [`WordSet`].
const NOT_NAMES: &[&str] = &[
    "after",
    "also",
    "and",
    "april",
    "as",
    "at",
    "august",
    "before",
    "but",
    "december",
    "february",
    "for",
    "friday",
    "here",
    "however",
    "if",
    "in",
    "instead",
    "january",
    "july",
    "june",
    "march",
    "may",
    "meanwhile",
    "monday",
    "november",
    "now",
    "october",
    "on",
    "saturday",
    "september",
    "so",
    "still",
    "sunday",
    "that",
    "then",
    "there",
    "this",
    "thursday",
    "today",
    "tomorrow",
    "tuesday",
    "wednesday",
    "when",
    "while",
    "yesterday",
    "yet",
];
/// Words between a speaker and its cue that are not part of the speaker (`X has told`,
/// `X also said`).
const AUX: &[&str] = &[
    "has",
    "have",
    "had",
    "is",
    "are",
    "was",
    "were",
    "will",
    "would",
    "also",
    "further",
    "then",
    "later",
    "again",
    "earlier",
    "previously",
    "repeatedly",
    "recently",
    "had",
    "has",
    "once",
    "reportedly",
    "publicly",
    "privately",
    "separately",
    "too",
    "already",
];
/// Function words that cannot end a speaker description (`the role and say`).
const FUNCTION: &[&str] = &[
    "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by", "from", "as", "that",
    "which", "who", "a", "an", "the", "not", "no",
];
/// Words that make a `the ...` phrase a person (`the Russian Ambassador to India Denis Alipov`).
/// Sorted, for [`WordSet`].
const PERSON_TITLES: &[&str] = &[
    "admiral",
    "ambassador",
    "captain",
    "chairman",
    "chairwoman",
    "chancellor",
    "chief",
    "colonel",
    "commander",
    "director",
    "envoy",
    "founder",
    "general",
    "governor",
    "judge",
    "king",
    "leader",
    "mayor",
    "minister",
    "pope",
    "premier",
    "president",
    "prime",
    "prince",
    "professor",
    "queen",
    "secretary",
    "senator",
    "sheikh",
    "spokesman",
    "spokesperson",
    "spokeswoman",
];
/// Title abbreviations written with a full stop inside a speaker phrase.
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "capt", "sen", "rep", "gov", "pres",
    "sgt", "adm", "maj", "rev", "hon", "st", "jr", "sr",
];

/// How far from a cue or quotation the rules look for a speaker phrase, in bytes. Speaker
/// phrases are short; the bound keeps the work linear on a sentence of any length.
const WINDOW: usize = 1000;
/// Longest paraphrase content kept, in bytes (cut at a word boundary).
const MAX_CONTENT: usize = 600;

/// `pos - n`, moved forward to a char boundary, never below `floor`.
fn back(text: &str, pos: usize, n: usize, floor: usize) -> usize {
    let mut p = pos.saturating_sub(n).max(floor);
    while p < pos && !text.is_char_boundary(p) {
        p += 1;
    }
    p
}

/// `pos + n`, moved back to a char boundary, never above `ceil`.
fn ahead(text: &str, pos: usize, n: usize, ceil: usize) -> usize {
    let mut p = pos.saturating_add(n).min(ceil);
    while p > pos && !text.is_char_boundary(p) {
        p -= 1;
    }
    p
}

#[derive(Debug, Clone, Copy)]
struct Token {
    span: Span,
    word: bool,
}

/// Word and punctuation tokens of `text[span]`: a word is a run of letters and digits with
/// inner `'`, `-` or `.` (`Jaishankar's`, `S-400`, `U.S.`), a title abbreviation keeps its
/// full stop; every other non-space character is a punctuation token.
fn tokens(text: &str, span: Span) -> Vec<Token> {
    // About one token in five bytes of news text: room for most spans at once.
    let mut out = Vec::with_capacity(span.len() / 4 + 4);
    tokens_into(text, span, &mut out);
    out
}

/// [`tokens`] into `out` (cleared first), so that a caller tokenising many spans reuses one
/// buffer. ASCII is read as bytes, a run of ASCII letters and digits eight bytes at a time;
/// other characters are decoded (a property test checks this against a char iterator).
fn tokens_into(text: &str, span: Span, out: &mut Vec<Token>) {
    out.clear();
    let s = &text[span.start..span.end];
    let bytes = s.as_bytes();
    // Is the char at byte `i` (a char boundary) a letter or digit? With its length.
    let alnum_at = |i: usize| -> Option<(bool, usize)> {
        match bytes.get(i) {
            None => None,
            Some(&b) if b < 0x80 => Some((crate::text::ASCII_ALNUM[usize::from(b)], 1)),
            Some(_) => s[i..]
                .chars()
                .next()
                .map(|c| (crate::text::is_alphanumeric(c), c.len_utf8())),
        }
    };
    let mut i = 0;
    while let Some((alnum, len)) = alnum_at(i) {
        if !alnum {
            let space = match bytes[i] {
                b if b < 0x80 => char::from(b).is_whitespace(),
                _ => s[i..].chars().next().is_some_and(char::is_whitespace),
            };
            if !space {
                out.push(Token {
                    span: Span::new(span.start + i, span.start + i + len),
                    word: false,
                });
            }
            i += len;
            continue;
        }
        let mut end = i + len;
        loop {
            // the ASCII letters and digits, eight bytes at a time
            end = crate::text::swar::run_end(bytes, end, bytes.len(), crate::text::swar::not_alnum);
            match bytes.get(end) {
                // inner joiner only when a letter or digit follows
                Some(b'\'' | b'-' | b'.') if alnum_at(end + 1).is_some_and(|(a, _)| a) => {
                    end += 1;
                }
                Some(&b) if b >= 0x80 => match alnum_at(end) {
                    Some((true, dlen)) => end += dlen,
                    _ => break,
                },
                _ => break,
            }
        }
        // `Mr.` and the initial `L.`: keep the full stop
        if bytes.get(end) == Some(&b'.') && (is_initial(&s[i..end]) || is_title(&s[i..end])) {
            end += 1;
        }
        out.push(Token {
            span: Span::new(span.start + i, span.start + end),
            word: true,
        });
        i = end;
    }
}

/// One upper-case letter (`L` of `L. Ron`).
fn is_initial(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.next().is_none()
}

/// Is `word`, lowercased, one of [`TITLES`]? (Without a `String` for an ASCII word.)
fn is_title(word: &str) -> bool {
    if word.is_ascii() {
        word.len() <= 4 && TITLES.iter().any(|t| t.eq_ignore_ascii_case(word))
    } else {
        TITLES.contains(&lower(word).as_str())
    }
}

/// Is `w`, lowercased, one of [`NOT_NAMES`]?
fn is_not_name(w: &str) -> bool {
    NOT_NAME_SET.contains_lower(w)
}

static NOT_NAME_SET: WordSet = WordSet::new(NOT_NAMES);
static ORG_WORD_SET: WordSet = WordSet::new(ORG_WORDS);
static ORG_NOUN_SET: WordSet = WordSet::new(ORG_NOUNS);
static PERSON_TITLE_SET: WordSet = WordSet::new(PERSON_TITLES);

/// A list of lower-case words, sorted, indexed by first byte: [`WordSet::contains_lower`]
/// compares an ASCII word only with the few words of its first letter, without case and
/// without a `String` (a property test checks it against a scan of the list).
struct WordSet {
    words: &'static [&'static str],
    /// The words starting with byte `b` are `words[at[b]..at[b + 1]]`.
    at: [u8; 257],
}

impl WordSet {
    /// Fails to compile unless `words` are sorted by first byte, none empty, fewer than 256.
    const fn new(words: &'static [&'static str]) -> WordSet {
        assert!(words.len() < 256);
        let mut i = 1;
        while i < words.len() {
            assert!(words[i - 1].as_bytes()[0] <= words[i].as_bytes()[0]);
            i += 1;
        }
        let mut at = [0u8; 257];
        let mut b = 0;
        while b < at.len() {
            // the words whose first byte is below `b`
            let mut n = 0;
            let mut i = 0;
            while i < words.len() {
                if (words[i].as_bytes()[0] as usize) < b {
                    n += 1;
                }
                i += 1;
            }
            at[b] = n as u8;
            b += 1;
        }
        WordSet { words, at }
    }

    /// `self.words.contains(&lower(w).as_str())`.
    fn contains_lower(&self, w: &str) -> bool {
        if !w.is_ascii() {
            return self.words.contains(&lower(w).as_str());
        }
        let Some(first) = w.as_bytes().first() else {
            return false; // no word is empty
        };
        let b = usize::from(first.to_ascii_lowercase());
        self.words[usize::from(self.at[b])..usize::from(self.at[b + 1])]
            .iter()
            .any(|n| n.eq_ignore_ascii_case(w))
    }
}

fn capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

fn lower(w: &str) -> String {
    w.to_lowercase()
}

/// `list.contains(&lower(w).as_str())` for a list of lower-case words, without a `String`
/// for an ASCII word.
fn lower_in(list: &[&str], w: &str) -> bool {
    if w.is_ascii() {
        list.iter().any(|n| n.eq_ignore_ascii_case(w))
    } else {
        list.contains(&lower(w).as_str())
    }
}

/// `lower(w) == low` for a lower-case `low`, without a `String` for an ASCII word.
fn lower_is(w: &str, low: &str) -> bool {
    lower_in(&[low], w)
}

/// Is `w` (any case) one of [`AUX`], or an adverb in `-ly` of more than four letters, i.e.
/// not part of the speaker before a cue?
fn is_aux(w: &str) -> bool {
    if w.is_ascii() {
        lower_in(AUX, w) || (w.len() > 4 && w[w.len() - 2..].eq_ignore_ascii_case("ly"))
    } else {
        let w = lower(w);
        AUX.contains(&w.as_str()) || (w.len() > 4 && w.ends_with("ly"))
    }
}

/// An institution noun, singular or plural (`government`, `governments`); `w` lowercase.
fn is_org_noun(w: &str) -> bool {
    ORG_NOUN_SET.contains_lower(w)
        || w.strip_suffix('s')
            .is_some_and(|s| ORG_NOUN_SET.contains_lower(s))
}

/// Classify a speaker phrase (not a pronoun, not anonymous). An ASCII phrase is read in
/// place, its words compared without case; any other goes through [`kind_of_lowercased`]
/// (a property test checks that the two agree).
fn kind_of(phrase: &str) -> SpeakerKind {
    if !phrase.is_ascii() {
        return kind_of_lowercased(phrase);
    }
    let the = |s: &str| s.get(..4).is_some_and(|h| h.eq_ignore_ascii_case("the "));
    let mut bare = phrase;
    while the(bare) {
        bare = &bare[4..];
    }
    if PLACES_SET.contains_lower(phrase) || PLACES_SET.contains_lower(bare) {
        return SpeakerKind::Organisation;
    }
    // The words (runs of letters, digits and dots), split on bytes: the phrase is ASCII. A
    // title makes a person whatever else is there; else an organisation word an organisation.
    let mut org = false;
    let mut last = "";
    let mut start = 0;
    for end in phrase
        .bytes()
        .enumerate()
        .filter(|&(_, b)| !b.is_ascii_alphanumeric() && b != b'.')
        .map(|(i, _)| i)
        .chain([phrase.len()])
    {
        if end > start {
            let w = &phrase[start..end];
            if PERSON_TITLE_SET.contains_lower(w) {
                return SpeakerKind::Person;
            }
            org = org || ORG_WORD_SET.contains_lower(w);
            last = w;
        }
        start = end + 1;
    }
    if org {
        return SpeakerKind::Organisation;
    }
    if the(phrase) {
        // `is_org_noun` of the lowercased word: its plural `s` may be an `S`
        let org_noun = ORG_NOUN_SET.contains_lower(last)
            || last
                .strip_suffix(['s', 'S'])
                .is_some_and(|s| ORG_NOUN_SET.contains_lower(s));
        if org_noun || capitalised(phrase.get(4..).unwrap_or("")) {
            return SpeakerKind::Organisation;
        }
        return SpeakerKind::Pronoun; // a description: `the expert`, to be resolved
    }
    SpeakerKind::Person
}

/// [`kind_of`] as first written, on the lowercased phrase: for a phrase that is not ASCII.
fn kind_of_lowercased(phrase: &str) -> SpeakerKind {
    let low = lower(phrase);
    let words: Vec<&str> = low
        .split(|c: char| !c.is_alphanumeric() && c != '.')
        .filter(|w| !w.is_empty())
        .collect();
    let bare = low.trim_start_matches("the ");
    if PLACES.contains(&low.as_str()) || PLACES.contains(&bare) {
        return SpeakerKind::Organisation;
    }
    if words.iter().any(|w| PERSON_TITLES.contains(w)) {
        return SpeakerKind::Person;
    }
    if words.iter().any(|w| ORG_WORDS.contains(w)) {
        return SpeakerKind::Organisation;
    }
    if low.starts_with("the ") {
        let last = words.last().copied().unwrap_or("");
        if is_org_noun(last) || capitalised(phrase.get(4..).unwrap_or("")) {
            return SpeakerKind::Organisation;
        }
        return SpeakerKind::Pronoun; // a description: `the expert`, to be resolved
    }
    SpeakerKind::Person
}

struct Ctx<'a> {
    doc: &'a Document,
    cues: &'a [Cue],
    anonymous: &'a [Span],
}

impl Ctx<'_> {
    fn text(&self) -> &str {
        &self.doc.text
    }

    fn sentence_of(&self, byte: usize) -> Option<usize> {
        self.doc.sentence_index(byte).or_else(|| {
            // a byte between sentences belongs to the next one
            let k = self.doc.sentences.partition_point(|s| s.end <= byte);
            (k < self.doc.sentences.len()).then_some(k)
        })
    }

    fn sentence_span(&self, byte: usize) -> Span {
        self.sentence_of(byte)
            .map(|i| self.doc.sentences[i])
            .unwrap_or(Span::new(byte, byte))
    }

    fn paragraph_span(&self, byte: usize) -> Span {
        let k = self.doc.paragraphs.partition_point(|p| p.end < byte);
        self.doc
            .paragraphs
            .get(k)
            .copied()
            .unwrap_or(Span::new(byte, byte))
    }

    fn speaker(&self, span: Span, kind: SpeakerKind) -> Speaker {
        Speaker {
            span: Some(span),
            name: span.of(self.text()).to_string(),
            resolved: None,
            kind,
        }
    }

    /// An anonymous-source span ending within `seg` near its end, extended left over
    /// capitalised and lower-case modifiers (`senior Pentagon officials`).
    fn anonymous_in(&self, seg: Span) -> Option<Span> {
        let k = self.anonymous.partition_point(|a| a.end <= seg.start);
        self.anonymous[k..]
            .iter()
            .take_while(|a| a.start < seg.end)
            .filter(|a| seg.contains(**a))
            .last()
            .copied()
            .filter(|a| {
                let after = &self.text()[a.end..seg.end];
                after.split_whitespace().take(7).count() <= 6
            })
    }

    /// The speaker phrase just left of `end`, within `seg`.
    fn speaker_before(&self, seg: Span, end: usize) -> Option<Speaker> {
        let seg = Span::new(seg.start, end.max(seg.start));
        if seg.is_empty() {
            return None;
        }
        let text = self.text();
        // `X, who ..., said` / `X, a senior official at ..., said`: the name before the first
        // comma, when there is one
        if text[seg.start..seg.end].trim_end().ends_with(',') {
            let toks = tokens(text, seg);
            if let Some(first_comma) = toks.iter().position(|t| !t.word && t.span.of(text) == ",") {
                if let Some(sp) = self.name_run(&toks[..first_comma])
                    && (sp.kind != SpeakerKind::Pronoun || first_comma > 0)
                {
                    return Some(sp);
                }
                // `senior officials, who declined to be named, said`
                let head = Span::new(seg.start, toks[first_comma].span.start);
                if let Some(a) = self.anonymous_in(head) {
                    // with up to three modifiers before the anonymous head
                    let before = tokens(text, Span::new(head.start, a.start));
                    let start = before
                        .iter()
                        .rev()
                        .take(3)
                        .take_while(|t| t.word)
                        .last()
                        .map_or(a.start, |t| t.span.start);
                    return Some(self.speaker(Span::new(start, a.end), SpeakerKind::Anonymous));
                }
            }
        }
        if let Some(a) = self.anonymous_in(seg) {
            // extend over `a`, `the`, `some` and modifiers before the anonymous head
            let toks = tokens(text, Span::new(seg.start, a.start));
            let mut start = a.start;
            for t in toks.iter().rev() {
                let w = t.span.of(text);
                if !t.word || lower_in(PRONOUNS, w) {
                    break;
                }
                start = t.span.start;
                if lower_in(&["a", "an", "the", "some", "two", "three"], w) {
                    break;
                }
                if start + 40 < a.start {
                    break;
                }
            }
            return Some(self.speaker(Span::new(start, a.end), SpeakerKind::Anonymous));
        }
        let mut toks = tokens(text, seg);
        // `Progress was noted`, `the source is acknowledged`: a passive has no speaker here
        // (its agent, if any, follows `by`)
        if toks.last().is_some_and(|t| {
            t.word
                && lower_in(
                    &["was", "were", "is", "are", "be", "been", "being"],
                    t.span.of(text),
                )
        }) {
            return None;
        }
        // `X has told`, `X also said`: the words between are not the speaker
        while toks
            .last()
            .is_some_and(|t| t.word && is_aux(t.span.of(text)))
        {
            toks.pop();
        }
        let last = *toks.last()?;
        // `X, who ..., said` / `X, a fellow at ..., told`: the name before the first comma
        if !last.word && last.span.of(text) == "," {
            let first_comma = toks
                .iter()
                .position(|t| !t.word && t.span.of(text) == ",")?;
            let head = &toks[..first_comma];
            return self.name_run(head);
        }
        if !last.word {
            return None;
        }
        if lower_in(PRONOUNS, last.span.of(text)) {
            return Some(self.speaker(last.span, SpeakerKind::Pronoun));
        }
        self.name_run(&toks)
    }

    /// The run of name tokens at the end of `toks` (with a leading `the`, and a `the <noun>`
    /// description when there is no capitalised name).
    fn name_run(&self, toks: &[Token]) -> Option<Speaker> {
        let text = self.text();
        let mut i = toks.len();
        let mut start = None;
        while i > 0 {
            let t = toks[i - 1];
            let w = t.span.of(text);
            let include = if t.word {
                (capitalised(w) && !is_not_name(w))
                    || (lower_in(PARTICLES, w)
                        && start.is_some()
                        && i >= 2
                        && toks[i - 2].word
                        && capitalised(toks[i - 2].span.of(text)))
                    || (w == "retired" && i >= 2 && toks[i - 2].span.of(text) == "(")
            } else {
                (w == "(" || w == ")") && start.is_some()
            };
            if !include {
                break;
            }
            start = Some(i - 1);
            i -= 1;
        }
        let text_of = |a: usize, b: usize| Span::new(toks[a].span.start, toks[b].span.end);
        let Some(mut s) = start else {
            // a description: `the expert`, `the Indian veteran`
            let n = toks.len();
            if n >= 2 && toks[n - 1].word {
                let noun = lower(toks[n - 1].span.of(text));
                if FUNCTION.contains(&noun.as_str()) || PRONOUNS.contains(&noun.as_str()) {
                    return None;
                }
                for back in 2..=n.min(4) {
                    let t = toks[n - back];
                    if !t.word {
                        break;
                    }
                    if lower_is(t.span.of(text), "the") {
                        let span = text_of(n - back, n - 1);
                        let kind = if is_org_noun(&noun) {
                            SpeakerKind::Organisation
                        } else {
                            SpeakerKind::Pronoun
                        };
                        return Some(self.speaker(span, kind));
                    }
                }
            }
            return None;
        };
        // trim leading particles and brackets
        while s < toks.len() && (!toks[s].word || lower_in(PARTICLES, toks[s].span.of(text))) {
            s += 1;
        }
        if s >= toks.len() {
            return None;
        }
        let end = toks.len() - 1;
        // a sentence-initial word of one letter or a lone function word is no name
        let span = if s > 0 && lower_is(toks[s - 1].span.of(text), "the") {
            text_of(s - 1, end)
        } else {
            text_of(s, end)
        };
        let name = span.of(text);
        if lower_in(&["the", "a", "an", "i"], name) {
            return None;
        }
        Some(self.speaker(span, kind_of(name)))
    }

    /// The speaker right after a cue (`said Zakharov`, `said he`, `according to X`).
    fn speaker_after(&self, cue_end: usize, limit: usize) -> Option<Speaker> {
        let text = self.text();
        let limit = ahead(text, cue_end, WINDOW, limit.max(cue_end));
        let toks = tokens(text, Span::new(cue_end, limit));
        let mut k = 0;
        if let Some(t) = toks.first()
            && t.word
            && lower_is(t.span.of(text), "the")
        {
            k = 1;
        }
        let first = *toks.get(k)?;
        if !first.word {
            return None;
        }
        let w = first.span.of(text);
        if k == 0 && lower_in(PRONOUNS, w) {
            return Some(self.speaker(first.span, SpeakerKind::Pronoun));
        }
        let seg_start = first.span.start;
        if let Some(a) = self.anonymous_in(Span::new(seg_start, limit))
            && a.start < seg_start + 40
        {
            return Some(
                self.speaker(Span::new(toks[0].span.start, a.end), SpeakerKind::Anonymous),
            );
        }
        if !capitalised(w) {
            return None;
        }
        let mut end = k;
        while end + 1 < toks.len() {
            let t = toks[end + 1];
            let w = t.span.of(text);
            let ok = t.word
                && (capitalised(w)
                    || (lower_in(PARTICLES, w)
                        && toks
                            .get(end + 2)
                            .is_some_and(|n| n.word && capitalised(n.span.of(text)))));
            if !ok {
                break;
            }
            end += 1;
        }
        // `according to New Delhi's aims`, `according to Western rules`: the name is not the
        // whole phrase, so it is no source
        let last = toks[end].span.of(text);
        let continues = toks.get(end + 1).is_some_and(|t| {
            let w = t.span.of(text);
            t.word && !capitalised(w) && !lower_in(&["and", "that", "who", "which"], w)
        });
        if last.ends_with("'s") || continues {
            return None;
        }
        let span = Span::new(toks[0].span.start, toks[end].span.end);
        Some(self.speaker(span, kind_of(span.of(text))))
    }

    /// The speaker of cue `j`. A cue that continues the previous one in its sentence
    /// (`X stated, adding that ...`) has that cue's speaker.
    fn cue_speaker(&self, j: usize, seg_start: usize) -> Option<Speaker> {
        let text = self.text();
        let cue = &self.cues[j];
        if j > 0 {
            let prev = &self.cues[j - 1];
            let between = text.get(prev.span.end..cue.span.start).unwrap_or("x");
            let joined = between
                .split_whitespace()
                .all(|w| w == "and" || w.trim_matches(',').is_empty());
            if prev.span.end <= cue.span.start
                && joined
                && self.sentence_of(prev.span.start) == self.sentence_of(cue.span.start)
                && let Some(sp) = self.cue_speaker_here(prev, seg_start)
            {
                return Some(sp);
            }
        }
        self.cue_speaker_here(cue, seg_start)
    }

    /// The speaker of one cue, from the words around it.
    fn cue_speaker_here(&self, cue: &Cue, seg_start: usize) -> Option<Speaker> {
        let text = self.text();
        let sent = self.sentence_span(cue.span.start);
        if lower_is(cue.span.of(text), "according to") {
            return self.speaker_after(cue.span.end, sent.end);
        }
        let floor = back(text, cue.span.start, WINDOW, seg_start.max(sent.start));
        let seg = Span::new(floor, cue.span.start);
        // `X was quoted by Y as saying` (the cheap test first)
        let before = &text[seg.start..seg.end];
        if before.trim_end().ends_with(" as")
            && let Some(at) = before
                .find(" was quoted by ")
                .or_else(|| before.find(" were quoted by "))
        {
            return self.speaker_before(seg, seg.start + at);
        }
        self.speaker_before(seg, cue.span.end.min(cue.span.start))
            .or_else(|| {
                // nothing before the cue in its clause: `"...," said X`
                let gap = text[seg.start..seg.end].trim();
                let gap_ok = gap.is_empty() || gap.chars().all(|c| !c.is_alphanumeric());
                if gap_ok {
                    self.speaker_after(cue.span.end, sent.end)
                } else {
                    None
                }
            })
    }
}

/// Find the attribution of every quotation, and the paraphrases. `cues` and `anonymous` must
/// be in text order (as the matcher returns them); `quotes` sorted by start.
pub fn attribute(
    doc: &Document,
    quotes: &[Quote],
    cues: &[Cue],
    anonymous: &[Span],
) -> Attribution {
    let ctx = Ctx {
        doc,
        cues,
        anonymous,
    };
    let text = &doc.text;
    let mut out = Attribution {
        quotes: Vec::with_capacity(quotes.len()),
        paraphrases: Vec::new(),
        attributed_sentences: vec![false; doc.sentences.len()],
    };
    let top: Vec<usize> = (0..quotes.len())
        .filter(|&i| quotes[i].depth == 0)
        .collect();
    // Is a byte inside a top-level quotation?
    let inside_quote = |byte: usize| {
        let k = top.partition_point(|&i| quotes[i].span.end <= byte);
        top.get(k)
            .is_some_and(|&i| quotes[i].span.start <= byte && byte < quotes[i].span.end)
    };
    let mut cue_used = vec![false; cues.len()];
    let mut last_in_paragraph: Option<(Span, Speaker)> = None;

    for (qi, q) in quotes.iter().enumerate() {
        if q.depth > 0 {
            out.quotes.push(QuoteAttribution {
                quote: qi,
                kind: QuoteKind::Partial,
                speaker: Speaker::none(),
                cue: None,
            });
            continue;
        }
        let para = ctx.paragraph_span(q.span.end.saturating_sub(1));
        let sent = ctx.sentence_span(q.span.start);
        let mut found: Option<(usize, Speaker)> = None;

        // 1. a cue right after the quotation
        let k = cues.partition_point(|c| c.span.start < q.span.end);
        if let Some(c) = cues.get(k) {
            // (the gap may run to the end of the text: its words are counted up to the limit,
            // and only when the cue is in the paragraph)
            let gap = &text[q.span.end..c.span.start];
            let same_sentence =
                || ctx.sentence_of(c.span.start) == ctx.sentence_of(q.span.end.saturating_sub(1));
            if c.span.end <= para.end
                && gap.split_whitespace().take(13).count() <= 12
                && same_sentence()
                && !gap.contains(['"', '\u{ab}', '\u{bb}', '?', '!', ';'])
                && !inside_quote(c.span.start)
                && let Some(sp) = ctx.cue_speaker(k, q.span.end)
            {
                found = Some((k, sp));
            }
        }
        // 2. the last cue before the quotation in its sentence
        if found.is_none() {
            let k = cues.partition_point(|c| c.span.end <= q.span.start);
            for j in (0..k).rev() {
                let c = &cues[j];
                if c.span.start < sent.start {
                    break;
                }
                if inside_quote(c.span.start) {
                    continue;
                }
                // the clause starts after the last quotation that ends before the cue
                let before_cue = top.partition_point(|&i| quotes[i].span.end <= c.span.start);
                let seg_start = before_cue
                    .checked_sub(1)
                    .map(|k| quotes[top[k]].span.end)
                    .filter(|&e| e > sent.start)
                    .unwrap_or(sent.start);
                if let Some(sp) = ctx.cue_speaker(j, seg_start) {
                    found = Some((j, sp));
                }
                break;
            }
        }
        let (speaker, cue) = match found {
            Some((j, sp)) => {
                cue_used[j] = true;
                (sp, Some(j))
            }
            None => match &last_in_paragraph {
                // 3. a quotation continued after its attribution
                Some((p, sp)) if *p == para => (sp.clone(), None),
                _ => (Speaker::none(), None),
            },
        };
        // the words of the quotation, counted up to four (all the rules below tell apart)
        let inner_words = q.inner.of(text).split_whitespace().take(4).count();
        // what stands before the quotation in its sentence, within the window: whitespace is
        // collapsed, so an empty window means the quotation starts the sentence
        let window = back(text, q.span.start, WINDOW, sent.start.min(q.span.start));
        let before = text[window..q.span.start].trim_end();
        let starts_sentence = before.is_empty()
            || before.ends_with([':', ','])
            || cue.is_some_and(|j| {
                cues[j].span.end <= q.span.start
                    && text[cues[j].span.end..q.span.start].trim().is_empty()
            });
        let inner = q.inner.of(text).trim_end_matches(['"', '\'']);
        let ends_statement = inner.ends_with(['.', '!', '?', ',']);
        // a quoted name or title (`"Vision 2030"`, `"Operation Sindoor"`) names, it does
        // not distance: two or more words, each capitalised or a number (one capitalised word
        // is ambiguous in headline-case text: `'Fake' Farmers`); asked of short quotations only
        let is_name = || {
            inner_words >= 2
                && q.inner.of(text).split_whitespace().all(|w| {
                    w.chars()
                        .next()
                        .is_some_and(|c| c.is_uppercase() || c.is_numeric())
                })
        };
        let kind = if speaker.kind == SpeakerKind::Unattributed
            && cue.is_none()
            && inner_words <= 3
            && !is_name()
            && !(before.is_empty() && ends_statement)
        {
            QuoteKind::Scare
        } else if starts_sentence && (inner_words >= 4 || ends_statement) {
            QuoteKind::Direct
        } else {
            QuoteKind::Partial
        };
        if speaker.kind != SpeakerKind::Unattributed {
            last_in_paragraph = Some((para, speaker.clone()));
            if let Some(si) = ctx.sentence_of(q.span.start) {
                out.attributed_sentences[si] = true;
            }
        }
        out.quotes.push(QuoteAttribution {
            quote: qi,
            kind,
            speaker,
            cue,
        });
    }

    // Paraphrases: cues no quotation took, outside quotations, with a speaker.
    for (j, c) in cues.iter().enumerate() {
        if cue_used[j] || inside_quote(c.span.start) {
            continue;
        }
        let Some(si) = ctx.sentence_of(c.span.start) else {
            continue;
        };
        let sent = doc.sentences[si];
        let Some(sp) = ctx.cue_speaker(j, sent.start) else {
            continue;
        };
        // the content: after the cue (and its `that`), or before the speaker when the cue
        // ends the sentence (`..., X reported.`)
        let sp_span = sp.span.unwrap_or(c.span);
        let after_start = c.span.end.max(sp_span.end);
        let mut rest = Span::new(after_start, sent.end);
        let rest_text = &text[rest.start..ahead(text, rest.start, WINDOW, rest.end)];
        if let Some(at) = rest_text.find(" that ")
            && rest_text[..at].split_whitespace().take(7).count() <= 6
        {
            rest.start += at + " that ".len();
        }
        let rest_words = rest.of(text).split_whitespace().take(2).count();
        // `..., X said, setting a record`: the cue closes the reporting clause
        let closes = text[c.span.end..sent.end.max(c.span.end)]
            .trim_start()
            .starts_with([',', '.', ';']);
        let span = if rest_words >= 2 && !closes {
            trim(text, rest)
        } else {
            trim(text, Span::new(sent.start, sp_span.start.min(c.span.start)))
        };
        if span.is_empty() {
            continue;
        }
        // a paraphrase in a sentence without end is cut at a word boundary
        let span = if span.len() > MAX_CONTENT {
            let cut = ahead(text, span.start, MAX_CONTENT, span.end);
            let cut = text[span.start..cut]
                .rfind(' ')
                .map_or(cut, |i| span.start + i);
            Span::new(span.start, cut)
        } else {
            span
        };
        out.attributed_sentences[si] = true;
        out.paraphrases.push(Paraphrase {
            span,
            speaker: sp,
            cue: j,
            sentence: si,
        });
    }

    inherit_from_previous_paragraph(&ctx, quotes, &mut out);
    resolve_pronouns(&ctx, &mut out);
    out
}

/// A quotation that opens its paragraph with no cue continues the speaker of the last
/// attribution in the previous paragraph (the newspaper convention: `Smith said ...` then a
/// paragraph of quotation). Such quotations have no cue of their own.
fn inherit_from_previous_paragraph(ctx: &Ctx, quotes: &[Quote], out: &mut Attribution) {
    let para_of = |byte: usize| ctx.doc.paragraphs.partition_point(|p| p.end < byte);
    // the last attributed speaker of each paragraph, by position
    let mut last: Vec<(usize, usize, Speaker)> = Vec::new(); // (paragraph, position, speaker)
    for qa in &out.quotes {
        if qa.speaker.kind != SpeakerKind::Unattributed
            && let Some(sp) = qa.speaker.span
        {
            last.push((para_of(sp.start), sp.start, qa.speaker.clone()));
        }
    }
    for p in &out.paraphrases {
        if let Some(sp) = p.speaker.span {
            last.push((para_of(sp.start), sp.start, p.speaker.clone()));
        }
    }
    last.sort_by_key(|(p, pos, _)| (*p, *pos));
    for qa in out.quotes.iter_mut() {
        let q = &quotes[qa.quote];
        if q.depth > 0
            || qa.speaker.kind != SpeakerKind::Unattributed
            || qa.kind == QuoteKind::Scare
        {
            continue;
        }
        let pi = para_of(q.span.start);
        let Some(para) = ctx.doc.paragraphs.get(pi) else {
            continue;
        };
        // paragraphs are trimmed: the quotation opens it when it starts where it starts
        if q.span.start != para.start || pi == 0 {
            continue;
        }
        let k = last.partition_point(|(p, _, _)| *p < pi);
        if let Some((p, _, sp)) = k.checked_sub(1).and_then(|k| last.get(k))
            && *p + 1 == pi
        {
            qa.speaker = sp.clone();
            if let Some(si) = ctx.sentence_of(q.span.start) {
                out.attributed_sentences[si] = true;
            }
        }
    }
}

/// `span` without surrounding spaces and punctuation.
fn trim(text: &str, span: Span) -> Span {
    let s = &text[span.start..span.end];
    let lead = s.len()
        - s.trim_start_matches(|c: char| c.is_whitespace() || c == ',')
            .len();
    let tail = s.len()
        - s.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | ';'))
            .len();
    if lead + tail >= s.len() {
        return Span::new(span.start, span.start);
    }
    Span::new(span.start + lead, span.end - tail)
}

/// Resolve pronouns and descriptions to the one named person speaker of the previous three
/// sentences (including the current one), when there is exactly one.
fn resolve_pronouns(ctx: &Ctx, out: &mut Attribution) {
    // every attribution in text order: (position, sentence, is quote, index)
    let mut order: Vec<(usize, usize, bool, usize)> = Vec::new();
    for (i, qa) in out.quotes.iter().enumerate() {
        if let Some(sp) = qa.speaker.span {
            let si = ctx.sentence_of(sp.start).unwrap_or(0);
            order.push((sp.start, si, true, i));
        }
    }
    for (i, p) in out.paraphrases.iter().enumerate() {
        if let Some(sp) = p.speaker.span {
            order.push((sp.start, p.sentence, false, i));
        }
    }
    order.sort();
    // person names mentioned in each sentence: found only for the sentences a pronoun looks
    // back on (an article's pronouns look at a few of its sentences, not all of them)
    let mut mentions: Vec<Option<Vec<String>>> = Vec::new();
    let mut toks = Vec::new();
    let mut named: Vec<(usize, String)> = Vec::new(); // (sentence, name)
    for (_, si, is_quote, i) in order {
        let sp = if is_quote {
            &mut out.quotes[i].speaker
        } else {
            &mut out.paraphrases[i].speaker
        };
        match sp.kind {
            SpeakerKind::Person => named.push((si, sp.name.clone())),
            SpeakerKind::Pronoun => {
                let near = |s: usize| s <= si && si - s <= 3;
                let mut recent: Vec<&String> = named
                    .iter()
                    .filter(|(s, _)| near(*s))
                    .map(|(_, n)| n)
                    .collect();
                if recent.is_empty() {
                    // no named speaker nearby: a person named in this or the two previous
                    // sentences
                    if mentions.is_empty() {
                        mentions.resize(ctx.doc.sentences.len(), None);
                    }
                    let from = si.saturating_sub(2);
                    let upto = (si + 1).min(mentions.len());
                    for (s, m) in mentions.iter_mut().enumerate().take(upto).skip(from) {
                        if m.is_none() {
                            *m = Some(person_mentions(ctx, s, &mut toks));
                        }
                    }
                    recent = mentions[from.min(upto)..upto]
                        .iter()
                        .flatten()
                        .flatten()
                        .collect();
                }
                let mut distinct: Vec<&String> = Vec::new();
                for n in recent {
                    if !distinct.iter().any(|d| same_person(d, n)) {
                        distinct.push(n);
                    }
                }
                let plural = lower_in(&["they", "we"], &sp.name);
                if distinct.len() == 1 && !plural {
                    sp.resolved = Some(distinct[0].clone());
                }
            }
            _ => {}
        }
    }
}

/// Person names mentioned in sentence `si` (two or more capitalised words, or a title and a
/// name, outside any institution), in text order; `toks` is scratch space.
fn person_mentions(ctx: &Ctx, si: usize, toks: &mut Vec<Token>) -> Vec<String> {
    let text = ctx.text();
    let mut out = Vec::new();
    let Some(&sent) = ctx.doc.sentences.get(si) else {
        return out;
    };
    tokens_into(text, sent, toks);
    let is_name = |t: &Token| {
        let w = t.span.of(text);
        t.word && capitalised(w) && !is_not_name(w)
    };
    let mut i = 0;
    while i < toks.len() {
        if !is_name(&toks[i]) || i == 0 {
            // a sentence's first word is capitalised anyway
            i += 1;
            continue;
        }
        let start = i;
        while i < toks.len() && is_name(&toks[i]) {
            i += 1;
        }
        if i - start >= 2 {
            let span = Span::new(toks[start].span.start, toks[i - 1].span.end);
            let name = span.of(text);
            if kind_of(name) == SpeakerKind::Person {
                out.push(name.to_string());
            }
        }
    }
    out
}

/// Do two names plausibly name one person (`Mr. Putin`, `President Vladimir Putin`)?
fn same_person(a: &str, b: &str) -> bool {
    let last = |s: &str| {
        s.split_whitespace()
            .last()
            .map(|w| lower(w.trim_matches(|c: char| !c.is_alphanumeric())))
            .unwrap_or_default()
    };
    last(a) == last(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quotes::find_quotes;

    /// Attribute with cues found by a plain word search: said/told/... neutral, claimed/... loaded.
    fn run(text: &str) -> (Document, Vec<Quote>, Vec<Cue>, Attribution) {
        let doc = Document::new(text);
        let quotes = find_quotes(&doc, text);
        let neutral = [
            "said",
            "says",
            "say",
            "told",
            "stated",
            "added",
            "adding",
            "remarked",
            "saying",
            "reported",
            "according to",
        ];
        let loaded = [
            "claimed",
            "insisted",
            "asserted",
            "admitted",
            "acknowledged",
        ];
        let mut cues = Vec::new();
        let t = &doc.text.to_lowercase();
        for (list, class) in [
            (&neutral[..], CueClass::Neutral),
            (&loaded[..], CueClass::Loaded),
        ] {
            for w in list {
                let mut from = 0;
                while let Some(at) = t[from..].find(w) {
                    let s = from + at;
                    let e = s + w.len();
                    let ok_before = !t[..s]
                        .chars()
                        .next_back()
                        .is_some_and(char::is_alphanumeric);
                    let ok_after = !t[e..].chars().next().is_some_and(char::is_alphanumeric);
                    if ok_before && ok_after {
                        cues.push(Cue {
                            span: Span::new(s, e),
                            class,
                            lexicon: 0,
                            entry: 0,
                        });
                    }
                    from = e;
                }
            }
        }
        cues.sort_by_key(|c| c.span.start);
        let mut anonymous = Vec::new();
        for w in [
            "officials",
            "a source familiar with the matter",
            "analysts",
            "experts",
        ] {
            // (the test text is ASCII: lower-casing keeps offsets)
            if let Some(at) = t.find(w) {
                anonymous.push(Span::new(at, at + w.len()));
            }
        }
        anonymous.sort();
        let a = attribute(&doc, &quotes, &cues, &anonymous);
        (doc, quotes, cues, a)
    }

    fn speakers(text: &str) -> Vec<(String, SpeakerKind, QuoteKind, Option<String>)> {
        let (doc, _, cues, a) = run(text);
        a.quotes
            .iter()
            .map(|q| {
                (
                    q.speaker.name.clone(),
                    q.speaker.kind,
                    q.kind,
                    q.cue.map(|c| cues[c].span.of(&doc.text).to_string()),
                )
            })
            .collect()
    }

    fn one(
        name: &str,
        kind: SpeakerKind,
        qk: QuoteKind,
        cue: Option<&str>,
    ) -> (String, SpeakerKind, QuoteKind, Option<String>) {
        (name.to_string(), kind, qk, cue.map(String::from))
    }

    /// Rule 1 allows at most twelve words between a quotation and its cue (counted up to the
    /// limit only), and a quotation's kind depends on its first four words.
    #[test]
    fn word_count_limits() {
        let filler = |n: usize| vec!["then"; n].join(" ");
        let at = |n: usize| format!("\"We will win,\" {} Smith said.", filler(n));
        assert_eq!(speakers(&at(11))[0].0, "Smith");
        assert_eq!(speakers(&at(12))[0].1, SpeakerKind::Unattributed);
        let kind = |inner: &str| speakers(&format!("He went on and \"{inner}\" went on."))[0].2;
        assert_eq!(kind("bad"), QuoteKind::Scare);
        assert_eq!(kind("a bad deal"), QuoteKind::Scare);
        assert_eq!(kind("Bad Deal Two"), QuoteKind::Partial);
        assert_eq!(kind("a very bad deal"), QuoteKind::Partial);
        assert_eq!(kind("a very bad deal for all of us"), QuoteKind::Partial);
    }

    #[test]
    fn quote_then_speaker_and_cue() {
        assert_eq!(
            speakers(
                "\"We will not back down from this fight,\" Foreign Minister Sergey Lavrov said."
            ),
            [one(
                "Foreign Minister Sergey Lavrov",
                SpeakerKind::Person,
                QuoteKind::Direct,
                Some("said")
            )]
        );
        assert_eq!(
            speakers("\"The oil trade is booming and will grow,\" remarked Zakharov."),
            [one(
                "Zakharov",
                SpeakerKind::Person,
                QuoteKind::Direct,
                Some("remarked")
            )]
        );
        assert_eq!(
            speakers("\"It is over,\" insisted the Kremlin."),
            [one(
                "the Kremlin",
                SpeakerKind::Organisation,
                QuoteKind::Direct,
                Some("insisted")
            )]
        );
    }

    #[test]
    fn speaker_and_cue_then_quote() {
        assert_eq!(
            speakers("Mr. Putin said: \"Everything is in your hands and we are grateful.\""),
            [one(
                "Mr. Putin",
                SpeakerKind::Person,
                QuoteKind::Direct,
                Some("said")
            )]
        );
        // a partial quotation inside the outlet's sentence
        assert_eq!(
            speakers(
                "President Putin said Russia was \"successful\" due to India's \"direct support.\""
            ),
            [
                one(
                    "President Putin",
                    SpeakerKind::Person,
                    QuoteKind::Partial,
                    Some("said")
                ),
                one(
                    "President Putin",
                    SpeakerKind::Person,
                    QuoteKind::Partial,
                    Some("said")
                ),
            ]
        );
    }

    #[test]
    fn split_quotation_has_one_speaker() {
        let s = speakers(
            "\"Everything is in your hands,\" Mr. Putin said, \"and I can say that we are successful.\"",
        );
        assert_eq!(s.len(), 2);
        assert!(
            s.iter()
                .all(|(n, k, _, _)| n == "Mr. Putin" && *k == SpeakerKind::Person),
            "{s:?}"
        );
    }

    #[test]
    fn pronouns_resolve_to_the_one_named_speaker() {
        let (_, _, _, a) = run(
            "Jaishankar said the ties were strong. \"We believe this is only beginning to be visible,\" he said.",
        );
        let q = &a.quotes[0];
        assert_eq!(q.speaker.kind, SpeakerKind::Pronoun);
        assert_eq!(q.speaker.name, "he");
        assert_eq!(q.speaker.resolved.as_deref(), Some("Jaishankar"));
        // two candidates: left unresolved
        let (_, _, _, a) = run(
            "Lavrov said the talks failed. Jaishankar said the talks went well. \"It works,\" he said.",
        );
        assert_eq!(a.quotes[0].speaker.resolved, None);
    }

    #[test]
    fn anonymous_sources() {
        assert_eq!(
            speakers("\"The deal is off,\" senior officials said on Monday."),
            [one(
                "senior officials",
                SpeakerKind::Anonymous,
                QuoteKind::Direct,
                Some("said")
            )]
        );
        let (doc, _, _, a) =
            run("According to a source familiar with the matter, the deal is off.");
        assert_eq!(a.paraphrases.len(), 1);
        assert_eq!(a.paraphrases[0].speaker.kind, SpeakerKind::Anonymous);
        assert!(
            a.paraphrases[0]
                .span
                .of(&doc.text)
                .contains("the deal is off")
        );
    }

    #[test]
    fn indirect_speech_is_a_paraphrase() {
        let (doc, _, cues, a) = run(
            "Foreign Minister Lavrov told reporters on Wednesday that the relationship extends beyond bilateral ties.",
        );
        assert_eq!(a.paraphrases.len(), 1);
        let p = &a.paraphrases[0];
        assert_eq!(p.speaker.name, "Foreign Minister Lavrov");
        assert_eq!(cues[p.cue].span.of(&doc.text), "told");
        assert_eq!(
            p.span.of(&doc.text),
            "the relationship extends beyond bilateral ties"
        );
        assert_eq!(a.attributed_sentences, [true]);
    }

    #[test]
    fn appositive_and_relative_clauses() {
        let (_, _, _, a) = run(
            "Aleksei Zakharov, a visiting fellow at the Observer Research Foundation (ORF), told Sputnik India that New Delhi will not turn away.",
        );
        assert_eq!(a.paraphrases[0].speaker.name, "Aleksei Zakharov");
        assert_eq!(a.paraphrases[0].speaker.kind, SpeakerKind::Person);
    }

    #[test]
    fn outlet_reported_at_sentence_end() {
        let (doc, _, _, a) = run(
            "Putin met India's foreign minister as Russia pivots to Asia, the New York Times reported.",
        );
        let p = &a.paraphrases[0];
        assert_eq!(p.speaker.name, "the New York Times");
        assert_eq!(p.speaker.kind, SpeakerKind::Organisation);
        assert!(p.span.of(&doc.text).starts_with("Putin met"));
    }

    #[test]
    fn quoted_by_as_saying() {
        let (_, _, _, a) = run("Putin was quoted by Tass as saying that trade is growing.");
        assert_eq!(a.paraphrases[0].speaker.name, "Putin");
    }

    #[test]
    fn scare_quotes_and_unattributed() {
        assert_eq!(
            speakers("Passports of 'Fake' farmers will be cancelled."),
            [one("", SpeakerKind::Unattributed, QuoteKind::Scare, None)]
        );
        assert_eq!(
            speakers("The plan calls for a \"review\" of ties."),
            [one("", SpeakerKind::Unattributed, QuoteKind::Scare, None)]
        );
        // a quoted name or title is no scare quote
        assert_eq!(
            speakers("The talks covered the \"Vision 2030\" plan."),
            [one("", SpeakerKind::Unattributed, QuoteKind::Partial, None)]
        );
        let s = speakers("\"This is a long statement nobody claims as their own words.\"");
        assert_eq!(s[0].1, SpeakerKind::Unattributed);
        assert_eq!(s[0].2, QuoteKind::Direct);
    }

    #[test]
    fn cues_inside_quotations_are_the_speakers_not_attributions() {
        let (_, _, _, a) = run("\"They said it would fail, and it did,\" Lavrov said.");
        assert_eq!(a.quotes[0].speaker.name, "Lavrov");
        assert!(a.paraphrases.is_empty());
    }

    #[test]
    fn auxiliaries_titles_and_chained_cues() {
        let (_, _, _, a) = run(
            "The Biden administration has told governments that it is not time for \"business as usual\" with Russia.",
        );
        assert_eq!(a.quotes[0].speaker.name, "The Biden administration");
        assert_eq!(a.quotes[0].speaker.kind, SpeakerKind::Organisation);
        let (_, _, _, a) = run("Both the governments have acknowledged that payments were stuck.");
        assert_eq!(a.paraphrases[0].speaker.name, "the governments");
        assert_eq!(a.paraphrases[0].speaker.kind, SpeakerKind::Organisation);
        let (_, _, _, a) = run(
            "The Russian Ambassador to India Denis Alipov said the missiles will be delivered.",
        );
        assert_eq!(
            a.paraphrases[0].speaker.name,
            "The Russian Ambassador to India Denis Alipov"
        );
        assert_eq!(a.paraphrases[0].speaker.kind, SpeakerKind::Person);
        let (_, _, _, a) = run(
            "\"India will do what is in its interest,\" Asthana stated, adding that Russia will be a \"tried and tested partner\".",
        );
        assert_eq!(a.quotes[1].speaker.name, "Asthana");
        // `say` as a noun after a conjunction gives no speaker
        let (_, _, _, a) =
            run("Both were in favour of increasing the role and say of developing nations.");
        assert!(a.paraphrases.is_empty(), "{:?}", a.paraphrases);
    }

    #[test]
    fn documents_initials_weekdays_and_mentions() {
        let (_, _, _, a) =
            run("The letter says the plan is \"a disgrace to the nation and its people.\"");
        assert_eq!(a.quotes[0].speaker.kind, SpeakerKind::Organisation);
        let (_, _, _, a) = run("\"We stand by it,\" said Anita L. Estell, the group's president.");
        assert_eq!(a.quotes[0].speaker.name, "Anita L. Estell");
        let (_, _, _, a) = run("On Tuesday, saying the vote was rigged, he left.");
        assert!(a.paraphrases.iter().all(|p| p.speaker.name != "Tuesday"));
        let (_, _, _, a) =
            run("Senator Todd Akin refused to quit the race. \"I am staying,\" he said.");
        assert_eq!(a.quotes[0].speaker.resolved.as_deref(), Some("Todd Akin"));
    }

    #[test]
    fn mentions_are_looked_up_in_the_two_sentences_before() {
        let resolved = |text: &str| -> Vec<Option<String>> {
            let (_, _, _, a) = run(text);
            a.quotes
                .iter()
                .map(|q| q.speaker.resolved.clone())
                .collect()
        };
        let akin = || Some("Todd Akin".to_string());
        // two sentences back: found; three back: not
        assert_eq!(
            resolved(
                "Senator Todd Akin refused to quit. The party was unhappy. \"I am staying,\" he said."
            ),
            [akin()]
        );
        assert_eq!(
            resolved(
                "Senator Todd Akin refused to quit. The party was unhappy. It met twice. \"I am staying,\" he said."
            ),
            [None]
        );
        // a second pronoun reads the mentions already found, in its own window
        assert_eq!(
            resolved(
                "Senator Todd Akin refused to quit. \"I am staying,\" he said. \"I will win,\" he added."
            ),
            [akin(), akin()]
        );
        assert_eq!(
            resolved(
                "Senator Todd Akin refused to quit. \"I am staying,\" he said. Governor Jay Nixon called. \"I will win,\" he added."
            ),
            [akin(), Some("Jay Nixon".to_string())]
        );
        // two people in the window: left unresolved
        assert_eq!(
            resolved(
                "Senator Todd Akin refused to quit. Governor Jay Nixon called. \"I will win,\" he added."
            ),
            [None]
        );
    }

    #[test]
    fn a_quotation_paragraph_continues_the_previous_speaker() {
        let (_, _, _, a) = run(
            "Smith said the plan would fail.\n\n\"It is a disaster for everyone involved.\"\n\nThe vote is Monday.",
        );
        assert_eq!(a.quotes[0].speaker.name, "Smith");
        assert_eq!(a.quotes[0].cue, None);
        // not across an unrelated paragraph
        let (_, _, _, a) = run(
            "Smith said the plan would fail.\n\nThe vote is Monday.\n\n\"It is a disaster for everyone involved.\"",
        );
        assert_eq!(a.quotes[0].speaker.kind, SpeakerKind::Unattributed);
    }

    #[test]
    fn a_named_person_described_as_an_official_is_named() {
        let (_, _, _, a) =
            run("Jane Doe, a senior official at the ministry, said the deal was off.");
        assert_eq!(a.paraphrases[0].speaker.name, "Jane Doe");
        assert_eq!(a.paraphrases[0].speaker.kind, SpeakerKind::Person);
        let (_, _, _, a) = run(
            "\"The deal is off,\" senior officials, who declined to be named because talks continue, said.",
        );
        assert_eq!(a.quotes[0].speaker.kind, SpeakerKind::Anonymous);
        assert!(a.paraphrases.is_empty());
    }

    #[test]
    fn passives_possessives_and_closing_cues() {
        let (_, _, _, a) = run("Progress was noted in the nuclear power project.");
        assert!(a.paraphrases.is_empty(), "{:?}", a.paraphrases);
        let (_, _, _, a) =
            run("According to New Delhi's aims of self-reliance, Russia assists India.");
        assert!(a.paraphrases.is_empty(), "{:?}", a.paraphrases);
        let (doc, _, _, a) = run(
            "Trade exceeded $50 billion this year, Foreign Minister Jaishankar said, setting a new record.",
        );
        assert_eq!(
            a.paraphrases[0].span.of(&doc.text),
            "Trade exceeded $50 billion this year"
        );
    }

    #[test]
    fn countries_stand_for_governments() {
        let (_, _, _, a) = run("India says that its ties with Russia have remained stable.");
        assert_eq!(a.paraphrases[0].speaker.kind, SpeakerKind::Organisation);
    }

    #[test]
    fn a_thousand_quotes_stay_linear() {
        let text: String = (0..1000)
            .map(|i| format!("Officials said \"we will vote on item {i}.\" "))
            .collect();
        let started = std::time::Instant::now();
        let (_, quotes, _, a) = run(&text);
        assert_eq!(quotes.len(), 1000);
        assert_eq!(a.quotes.len(), 1000);
        assert!(
            a.quotes
                .iter()
                .all(|q| q.speaker.kind == SpeakerKind::Anonymous
                    || q.speaker.kind == SpeakerKind::Person)
        );
        assert!(started.elapsed().as_secs() < 5);
    }

    #[test]
    fn one_endless_sentence_with_many_quotations_stays_linear() {
        let text: String = (0..5000)
            .map(|i| format!("officials said \"we will vote on item {i} today\" and "))
            .collect();
        let started = std::time::Instant::now();
        let (doc, quotes, _, a) = run(&text);
        assert_eq!(doc.sentences.len(), 1);
        assert_eq!(a.quotes.len(), quotes.len());
        assert!(a.paraphrases.iter().all(|p| p.span.len() <= MAX_CONTENT));
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    }

    /// [`tokens`] as first written, over a char iterator.
    fn tokens_by_chars(text: &str, span: Span) -> Vec<Token> {
        let mut out = Vec::new();
        let s = &text[span.start..span.end];
        let mut it = s.char_indices().peekable();
        while let Some((i, c)) = it.next() {
            if c.is_alphanumeric() {
                let mut end = i + c.len_utf8();
                while let Some(&(j, d)) = it.peek() {
                    if d.is_alphanumeric() {
                        end = j + d.len_utf8();
                        it.next();
                    } else if matches!(d, '\'' | '-' | '.') {
                        // inner joiner only when a letter or digit follows
                        let next = s[j + 1..].chars().next();
                        if next.is_some_and(char::is_alphanumeric) {
                            end = j + 1;
                            it.next();
                        } else {
                            break;
                        }
                    } else {
                        break;
                    }
                }
                // `Mr.` and the initial `L.`: keep the full stop
                let word = &s[i..end];
                let initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
                if s[end..].starts_with('.')
                    && (initial || TITLES.contains(&word.to_lowercase().as_str()))
                {
                    end += 1;
                    it.next();
                }
                out.push(Token {
                    span: Span::new(span.start + i, span.start + end),
                    word: true,
                });
            } else if !c.is_whitespace() {
                out.push(Token {
                    span: Span::new(span.start + i, span.start + i + c.len_utf8()),
                    word: false,
                });
            }
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        /// Reading ASCII as bytes gives the tokens of the char iterator.
        #[test]
        fn tokens_are_the_char_iterators(
            text in "([a-zA-Z0-9 .,'\\-:\"\t\n\u{b}\u{e9}\u{c9}\u{2019}\u{301}\u{a0}\u{3000}\u{65e5}\u{1f600}\u{212a}]|(?i:mr|st|prof|capt|mrs|x|\u{c9}l)\\.|[a-z0-9]{6,20}){0,40}",
            from in 0usize..8,
        ) {
            let mut start = from.min(text.len());
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let span = Span::new(start, text.len());
            let fast: Vec<(Span, bool)> = tokens(&text, span).iter().map(|t| (t.span, t.word)).collect();
            let plain: Vec<(Span, bool)> =
                tokens_by_chars(&text, span).iter().map(|t| (t.span, t.word)).collect();
            proptest::prop_assert_eq!(fast, plain);
        }
    }

    /// Every word list is lower case: [`lower_in`] compares ASCII words without case.
    #[test]
    fn word_lists_are_lowercase() {
        for list in [
            PRONOUNS,
            PARTICLES,
            ORG_WORDS,
            PLACES,
            ORG_NOUNS,
            NOT_NAMES,
            AUX,
            FUNCTION,
            PERSON_TITLES,
            TITLES,
        ] {
            assert!(list.iter().all(|w| w.to_lowercase() == *w), "{list:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        /// [`lower_in`] and [`is_aux`] find what the lowercased `String` finds.
        #[test]
        fn lookups_without_a_string_are_the_lowercased_ones(
            word in "(?i)(he|the|of|has|al|later|already|publicly|lly|ly|according to)?[a-zA-Z\u{130}\u{212a}\u{e9}\u{c9}]{0,3}(ly)?",
        ) {
            for list in [PRONOUNS, PARTICLES, AUX, &["the"][..], &["according to"][..]] {
                proptest::prop_assert_eq!(lower_in(list, &word), list.contains(&word.to_lowercase().as_str()));
            }
            let low = word.to_lowercase();
            let plain = AUX.contains(&low.as_str()) || (low.len() > 4 && low.ends_with("ly"));
            proptest::prop_assert_eq!(is_aux(&word), plain);
        }
    }

    /// [`is_title`] skips a word longer than every one of [`TITLES`].
    #[test]
    fn titles_are_short_and_lowercase() {
        assert!(
            TITLES
                .iter()
                .all(|t| t.len() <= 4 && t.to_lowercase() == *t)
        );
    }

    /// The lists of the [`WordSet`]s are sorted, without repeats.
    #[test]
    fn sorted_word_lists() {
        for list in [NOT_NAMES, ORG_WORDS, PERSON_TITLES, ORG_NOUNS] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        /// [`WordSet::contains_lower`] finds what a scan for the lowercased word finds.
        #[test]
        fn word_sets_are_the_list_scans(
            word in "(?i)(may|march|monday|wednesday|yesterday|but|if|in|a|mayday|mar|ifs|x|the|ministry|bbc|un|who|zz|president|prime|ambassador|agency|page|moscow|kyiv|the us|the u\\.s\\.|new delhi|the west)?[a-zA-Z\\u{130}\\u{212a}\\u{e9}]{0,3}",
        ) {
            for set in [&NOT_NAME_SET, &ORG_WORD_SET, &PERSON_TITLE_SET, &ORG_NOUN_SET, &PLACES_SET] {
                let plain = set.words.contains(&word.to_lowercase().as_str());
                proptest::prop_assert_eq!(set.contains_lower(&word), plain);
            }
        }

        /// [`kind_of`] of a phrase is what [`kind_of_lowercased`] makes of it.
        #[test]
        fn kind_of_is_the_lowercased_rules(
            phrase in "((?i)the |The |THE |[A-Z][a-z]{0,6}|[a-z]{1,6}|(?i)ministry|ministries|bbc|the us|the u\\.s\\.|moscow|new delhi|agency|agencies|page|pages|statement|president|prime|chief|[.,'\\- ()]|\\u{c9}|\\u{130}|\\u{212a}){0,6}",
        ) {
            proptest::prop_assert_eq!(kind_of(&phrase), kind_of_lowercased(&phrase));
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics(text in "(?s)((\"|'|\u{201c}|\u{201d}|,|\\.|:| |\n|said|he|Mr\\.|Lavrov|officials|according to|the|[a-zA-Z]{1,5})){0,60}") {
            let (doc, quotes, _, a) = run(&text);
            proptest::prop_assert_eq!(a.quotes.len(), quotes.len());
            proptest::prop_assert_eq!(a.attributed_sentences.len(), doc.sentences.len());
            for p in &a.paraphrases {
                proptest::prop_assert!(p.span.end <= doc.text.len());
                proptest::prop_assert!(doc.text.is_char_boundary(p.span.start));
            }
        }
    }
}
