//! Scoring one article: find the hits in its headline and body, count them per category, and
//! derive the per-article measures (rates per 1,000 words, the advocacy and neutral indices,
//! the balance). Pure: an [`Article`] and an [`Analyzer`] in, an [`Analysis`] out.
//!
//! Formulas (also in `reports/README.md`):
//! - `rate(c) = 1000 * n(c) / words` for body hits of category `c`;
//! - `advocacy_index = 1000 * sum(weight(c) * n(c) for advocacy c) / words`, likewise
//!   `neutral_index` for neutral categories;
//! - `balance = (A - N) / (A + N)` with `A`, `N` the weighted hit sums: -1 only neutral hits,
//!   +1 only advocacy hits, empty when the article has neither.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use crate::corpus::Article;
use crate::lexicon::{LexiconSet, Match, Matcher, Side};
use crate::text::{Document, char_offsets, count_words, fold_case, normalize_fragment};

/// How many leading paragraphs of the text are searched for the headline.
const HEADLINE_SEARCH_PARAGRAPHS: usize = 5;

/// Where in the article a hit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    Headline,
    Body,
}

impl Part {
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Headline => "headline",
            Part::Body => "body",
        }
    }
}

/// Which input field a hit's offsets point into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Text,
    Title,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Text => "text",
            Field::Title => "title",
        }
    }
}

/// One match, located in the input as read.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Index into `LexiconSet::lexicons`.
    pub lexicon: usize,
    /// Index into that lexicon's entries.
    pub entry: usize,
    pub part: Part,
    pub field: Field,
    /// Byte range into the field as read (`Article::text` or `Article::title`).
    pub bytes: Range<usize>,
    /// Character (Unicode scalar) range into the same field.
    pub chars: Range<usize>,
    /// The matched text as read.
    pub matched: String,
    /// Sentence index in the article text (0-based, headline paragraph included); `None`
    /// for hits in a title that does not appear in the text.
    pub sentence_index: Option<usize>,
    /// The sentence, normalised (hard line breaks joined, spacing collapsed).
    pub sentence: String,
}

/// Per-article counts: everything the reports and aggregates need, nothing per hit.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ArticleScore {
    /// Body words (UAX #29), headline excluded.
    pub words: u64,
    /// Body sentences, headline excluded.
    pub sentences: u64,
    pub headline_words: u64,
    /// The headline was found as a paragraph of the text (else the title field was scored).
    pub headline_in_text: bool,
    /// Body hits per category, indexed like `LexiconSet::lexicons`.
    pub body: Vec<u64>,
    /// Headline hits per category.
    pub headline: Vec<u64>,
}

impl ArticleScore {
    /// Weighted body hits of one side.
    pub fn weighted(&self, set: &LexiconSet, side: Side) -> f64 {
        weighted(&self.body, set, side)
    }

    /// Body hits of one side, unweighted.
    pub fn side_hits(&self, set: &LexiconSet, side: Side, headline: bool) -> u64 {
        let counts = if headline { &self.headline } else { &self.body };
        set.lexicons
            .iter()
            .zip(counts)
            .filter(|(l, _)| l.side == side)
            .map(|(_, &n)| n)
            .sum()
    }

    /// The article measures, in the order of [`measure_names`].
    pub fn measures(&self, set: &LexiconSet) -> Vec<Option<f64>> {
        let words = self.words as f64;
        let per_1k = |x: f64| {
            if words > 0.0 {
                Some(1000.0 * x / words)
            } else {
                None
            }
        };
        let a = self.weighted(set, Side::Advocacy);
        let n = self.weighted(set, Side::Neutral);
        let mut out = vec![
            Some(words),
            Some(self.sentences as f64),
            per_1k(a),
            per_1k(n),
            balance(a, n),
        ];
        out.extend(self.body.iter().map(|&c| per_1k(c as f64)));
        out
    }
}

/// Weighted sum of the counts of one side's categories.
pub fn weighted(counts: &[u64], set: &LexiconSet, side: Side) -> f64 {
    set.lexicons
        .iter()
        .zip(counts)
        .filter(|(l, _)| l.side == side)
        .map(|(l, &c)| l.weight * c as f64)
        .sum()
}

/// `(a - n) / (a + n)`, or `None` when both are zero.
pub fn balance(advocacy: f64, neutral: f64) -> Option<f64> {
    let total = advocacy + neutral;
    (total > 0.0).then(|| (advocacy - neutral) / total)
}

/// Names of the article measures, the order of [`ArticleScore::measures`].
pub fn measure_names(set: &LexiconSet) -> Vec<String> {
    let mut names: Vec<String> = [
        "words",
        "sentences",
        "advocacy_index",
        "neutral_index",
        "balance",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    names.extend(set.lexicons.iter().map(|l| format!("{}.per_1k", l.id)));
    names
}

/// The result of scoring one article.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub score: ArticleScore,
    /// Every hit, headline first, in text order (empty when hits were not asked for).
    pub hits: Vec<Hit>,
}

/// Why an article could not be scored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    #[error("no body text: the text has no words outside the headline")]
    NoWords,
}

/// Lexicons and their compiled matcher: built once, shared by every thread.
#[derive(Debug, Clone)]
pub struct Analyzer {
    pub set: LexiconSet,
    matcher: Matcher,
}

impl Analyzer {
    pub fn new(set: LexiconSet) -> Result<Analyzer, aho_corasick::BuildError> {
        let matcher = Matcher::new(&set)?;
        Ok(Analyzer { set, matcher })
    }

    /// Score one article; with `with_hits` also return every hit with its location.
    pub fn analyze(&self, article: &Article, with_hits: bool) -> Result<Analysis, ScoreError> {
        let n = self.set.len();
        let doc = Document::new(&article.text);
        let mut matches = Vec::new();
        self.matcher
            .find(&doc.text, &fold_case(&doc.text), &mut matches);

        let headline_par = find_headline(&doc, &article.title);
        let headline_span = headline_par.map(|p| doc.paragraphs[p]);
        let total_words = count_words(&doc.text) as u64;
        let headline_words_in_text =
            headline_span.map_or(0, |s| count_words(s.of(&doc.text)) as u64);
        let words = total_words.saturating_sub(headline_words_in_text);
        if words == 0 {
            return Err(ScoreError::NoWords);
        }
        let headline_sentences = headline_par.map_or(0, |p| doc.sentences_in(p).len());

        let mut score = ArticleScore {
            words,
            sentences: doc.sentences.len().saturating_sub(headline_sentences) as u64,
            headline_words: headline_words_in_text,
            headline_in_text: headline_par.is_some(),
            body: vec![0; n],
            headline: vec![0; n],
        };
        let in_headline = |m: &Match| headline_span.is_some_and(|h| h.contains(m.span));
        for m in &matches {
            if in_headline(m) {
                score.headline[m.lexicon] += 1;
            } else {
                score.body[m.lexicon] += 1;
            }
        }

        // A title that is not a paragraph of the text is scored on its own.
        let mut title_doc = None;
        let mut title_matches = Vec::new();
        if headline_par.is_none() && !article.title.trim().is_empty() {
            let tdoc = Document::new(&article.title);
            self.matcher
                .find(&tdoc.text, &fold_case(&tdoc.text), &mut title_matches);
            score.headline_words = count_words(&tdoc.text) as u64;
            for m in &title_matches {
                score.headline[m.lexicon] += 1;
            }
            title_doc = Some(tdoc);
        }

        let mut hits = Vec::new();
        if with_hits {
            if let Some(tdoc) = &title_doc {
                locate(
                    tdoc,
                    &article.title,
                    &title_matches,
                    Field::Title,
                    &|_| true,
                    &mut hits,
                );
            }
            locate(
                &doc,
                &article.text,
                &matches,
                Field::Text,
                &in_headline,
                &mut hits,
            );
            // Headline hits first, then body hits; each in text order.
            hits.sort_by_key(|h| (h.part, h.field == Field::Text, h.bytes.start));
        }
        Ok(Analysis { score, hits })
    }
}

/// Turn matches in `doc` (made from `input`) into hits located in `input`.
fn locate(
    doc: &Document,
    input: &str,
    matches: &[Match],
    field: Field,
    is_headline: &dyn Fn(&Match) -> bool,
    out: &mut Vec<Hit>,
) {
    let ranges: Vec<Range<usize>> = matches.iter().map(|m| doc.input_range(m.span)).collect();
    let mut bytes: Vec<usize> = ranges.iter().flat_map(|r| [r.start, r.end]).collect();
    bytes.sort_unstable();
    bytes.dedup();
    let chars = char_offsets(input, &bytes);
    let char_at = |b: usize| chars[bytes.binary_search(&b).unwrap_or(0)];
    for (m, r) in matches.iter().zip(ranges) {
        let sentence_index = doc.sentence_index(m.span.start);
        let sentence = sentence_index
            .map(|i| doc.sentences[i].of(&doc.text).to_string())
            .unwrap_or_default();
        let part = if is_headline(m) {
            Part::Headline
        } else {
            Part::Body
        };
        out.push(Hit {
            lexicon: m.lexicon,
            entry: m.entry,
            part,
            field,
            chars: char_at(r.start)..char_at(r.end),
            matched: input[r.clone()].to_string(),
            bytes: r,
            sentence_index: if field == Field::Title {
                None
            } else {
                sentence_index
            },
            sentence,
        });
    }
}

/// The paragraph among the first few that says the same words as `title`, if any.
fn find_headline(doc: &Document, title: &str) -> Option<usize> {
    let key = title_key(title);
    if key.is_empty() {
        return None;
    }
    // A paragraph far longer than the title cannot say the same words; skip the work.
    let max_len = 2 * title.len() + 16;
    doc.paragraphs
        .iter()
        .take(HEADLINE_SEARCH_PARAGRAPHS)
        .position(|p| p.len() <= max_len && title_key(p.of(&doc.text)) == key)
}

/// The words of a headline, case-folded, so `\$50` in the text equals `$50` in a manifest.
fn title_key(s: &str) -> String {
    let folded = fold_case(&normalize_fragment(s));
    folded.unicode_words().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{Encoding, Origin};
    use crate::lexicon::SourceFile;
    use proptest::prelude::*;

    fn analyzer() -> Analyzer {
        let set = LexiconSet::from_sources(vec![
            SourceFile {
                origin: "a.txt".into(),
                default_id: Some("advocacy.labels".into()),
                text: "#! side: advocacy\n#! weight: 2\n#! description: d\nregime\nso-called\n"
                    .into(),
            },
            SourceFile {
                origin: "n.txt".into(),
                default_id: Some("neutral.verbs".into()),
                text: "#! side: neutral\n#! description: d\nsaid\n".into(),
            },
        ])
        .unwrap();
        Analyzer::new(set).unwrap()
    }

    fn article(title: &str, text: &str) -> Article {
        Article {
            id: "x".into(),
            source: "S".into(),
            title: title.into(),
            date: String::new(),
            url: String::new(),
            text: text.into(),
            encoding: Encoding::Utf8,
            origin: Origin {
                path: "x.txt".into(),
                line: None,
            },
            extra: vec![],
        }
    }

    #[test]
    fn headline_in_text_is_scored_apart() {
        let a = analyzer();
        let art = article(
            "The Regime Falls",
            "The Regime Falls\n\nThe regime fell, officials said. The so-called leader left.",
        );
        let r = a.analyze(&art, true).unwrap();
        assert!(r.score.headline_in_text);
        assert_eq!(r.score.headline, vec![1, 0]);
        assert_eq!(r.score.body, vec![2, 1]);
        assert_eq!(r.score.headline_words, 3);
        assert_eq!(r.score.words, 10);
        assert_eq!(r.hits.len(), 4);
        assert_eq!(r.hits[0].part, Part::Headline);
        assert_eq!(r.hits[0].matched, "Regime");
        // measures: words, sentences, advocacy, neutral, balance, per-category rates
        let m = r.score.measures(&a.set);
        assert_eq!(m[0], Some(10.0));
        assert_eq!(m[2], Some(1000.0 * 4.0 / 10.0)); // weight 2 x 2 hits
        assert_eq!(m[3], Some(100.0));
        assert_eq!(m[4], Some((4.0 - 1.0) / 5.0));
    }

    #[test]
    fn title_not_in_text_is_scored_from_the_title_field() {
        let a = analyzer();
        let art = article("So-called peace", "He said nothing.");
        let r = a.analyze(&art, true).unwrap();
        assert!(!r.score.headline_in_text);
        assert_eq!(r.score.headline, vec![1, 0]);
        let h = &r.hits[0];
        assert_eq!((h.field, h.part), (Field::Title, Part::Headline));
        assert_eq!(&art.title[h.bytes.clone()], "So-called");
        assert_eq!(h.sentence_index, None);
    }

    #[test]
    fn offsets_point_into_the_text_as_read() {
        let a = analyzer();
        let text = "“Ünïcode” — the régime said.\r\nIt was a\nregime.";
        let r = a.analyze(&article("", text), true).unwrap();
        for h in &r.hits {
            assert_eq!(&text[h.bytes.clone()], h.matched);
            let by_chars: String = text
                .chars()
                .skip(h.chars.start)
                .take(h.chars.len())
                .collect();
            assert_eq!(by_chars, h.matched);
        }
        assert_eq!(r.hits.len(), 2);
    }

    #[test]
    fn no_words_is_an_error() {
        let a = analyzer();
        assert_eq!(
            a.analyze(&article("Only this", "Only this"), false)
                .unwrap_err(),
            ScoreError::NoWords
        );
        assert_eq!(
            a.analyze(&article("", "  ... !"), false).unwrap_err(),
            ScoreError::NoWords
        );
    }

    proptest! {
        /// Whatever the text, scoring does not panic, every hit's offsets lie on character
        /// boundaries of the field as read and slice out exactly the matched text, and the
        /// counts equal the hits.
        #[test]
        fn hits_always_point_at_their_text(
            title in "(?s)[ -~\u{a0}\u{ad}\u{2019}\u{201c}\u{2014}\n\r\t]{0,40}|(.{0,40})",
            text in "(?s)((regime|so-called|said|Said|SO-CALLED|\u{2019}|\u{201c}|\u{2014}|\u{ad}|\u{200b}|\r\n|\n\n|\n| |[.]|[a-zé]{1,6})){0,80}|(.{0,200})",
        ) {
            let a = analyzer();
            let art = article(&title, &text);
            if let Ok(r) = a.analyze(&art, true) {
                let total: u64 = r.score.body.iter().chain(&r.score.headline).sum();
                prop_assert_eq!(total as usize, r.hits.len());
                for h in &r.hits {
                    let field = if h.field == Field::Title { &art.title } else { &art.text };
                    prop_assert!(field.is_char_boundary(h.bytes.start));
                    prop_assert!(field.is_char_boundary(h.bytes.end));
                    prop_assert_eq!(&field[h.bytes.clone()], h.matched.as_str());
                    let by_chars: String = field.chars().skip(h.chars.start).take(h.chars.len()).collect();
                    prop_assert_eq!(by_chars, h.matched.clone());
                }
            }
        }
    }

    #[test]
    fn balance_is_empty_without_hits() {
        assert_eq!(balance(0.0, 0.0), None);
        assert_eq!(balance(1.0, 0.0), Some(1.0));
        assert_eq!(balance(0.0, 3.0), Some(-1.0));
    }
}
