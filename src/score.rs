//! Scoring one article: find the hits in its headline and body, give each a voice (the
//! outlet's own words, a quotation, or the headline), find quotations and who they are
//! attributed to, and derive the per-article measures. Pure: an [`Article`] and an
//! [`Analyzer`] in, an [`Analysis`] out.
//!
//! Formulas (also in `reports/README.md`):
//! - `rate(c) = 1000 * n_author(c) / author_words`: author-voice hits per 1,000 of the
//!   outlet's own words (body words outside quotations);
//! - `advocacy_index = 1000 * sum(weight(c) * n_author(c) for advocacy c) / author_words`,
//!   likewise `neutral_index`;
//! - `balance = (A - N) / (A + N)` with `A`, `N` the weighted author-voice hit sums: -1 only
//!   neutral hits, +1 only advocacy hits, empty when the article has neither.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::sync::Arc;

use unicode_segmentation::UnicodeSegmentation;

use crate::attribution::{self, Attribution, Cue, CueClass, QuoteKind, SpeakerKind};
use crate::clean::{Cleaner, Cleaning, Removal, Signal};
use crate::corpus::Article;
use crate::lexicon::{LexiconSet, MAX_GROUPS, Match, Matcher, Role, SCARE_QUOTES, Side};
use crate::quotes::{self, Quote};
use crate::span::Span;
use crate::text::{CharCursor, Document, count_words, fold_case, normalize_fragment_cow};

/// How many leading paragraphs of the text are searched for the headline.
const HEADLINE_SEARCH_PARAGRAPHS: usize = 5;

/// Whose words a hit stands in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Voice {
    /// The headline (scored apart).
    Headline,
    /// The outlet's own words: the body outside quotations (scare quotes included: they are
    /// the outlet's device).
    Author,
    /// Inside a quotation: a source's words.
    Quoted,
}

/// Counts by voice, indexed by [`Voice::index`]: author, quoted, headline.
pub type ByVoice = [u64; 3];

impl Voice {
    /// Every voice, in [`Voice::index`] order.
    pub const ALL: [Voice; 3] = [Voice::Author, Voice::Quoted, Voice::Headline];

    /// Position in a [`ByVoice`] array.
    pub fn index(self) -> usize {
        match self {
            Voice::Author => 0,
            Voice::Quoted => 1,
            Voice::Headline => 2,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Voice::Headline => "headline",
            Voice::Author => "author",
            Voice::Quoted => "quoted",
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
    pub voice: Voice,
    pub field: Field,
    /// Byte range into the field as read (`Article::text` or `Article::title`).
    pub bytes: Range<usize>,
    /// Character (Unicode scalar) range into the same field.
    pub chars: Range<usize>,
    /// Sentence index in the article text (0-based, headline paragraph included); `None`
    /// for hits in a title that does not appear in the text.
    pub sentence_index: Option<usize>,
    /// The sentence, normalised (hard line breaks joined, spacing collapsed). Shared by the
    /// hits of one sentence (most sentences have several), so it is copied once.
    pub sentence: Arc<str>,
    /// For quoted hits, who the quotation is attributed to ("" if no one).
    pub speaker: String,
}

impl Hit {
    /// The matched text as read: `bytes` of the field the hit is in. (Taken from the article
    /// when needed rather than copied for every hit: a hit list is often longer than the
    /// text.)
    pub fn matched<'a>(&self, article: &'a Article) -> &'a str {
        let field = match self.field {
            Field::Text => &article.text,
            Field::Title => &article.title,
        };
        field.get(self.bytes.clone()).unwrap_or("")
    }
}

/// One row of `quotes.csv`: a quotation or a paraphrase, located in the text as read.
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteRow {
    /// `direct`, `partial`, `scare` or `paraphrase`.
    pub kind: &'static str,
    /// The quoted words (normalised), or the reported content of a paraphrase.
    pub text: String,
    pub words: u64,
    pub bytes: Range<usize>,
    pub chars: Range<usize>,
    pub closed: bool,
    pub depth: u8,
    pub paragraphs: u32,
    pub in_headline: bool,
    /// The speaker as written ("" if none), its kind, and a pronoun's resolution.
    pub speaker: String,
    pub speaker_kind: SpeakerKind,
    pub speaker_resolved: String,
    /// The cue as written, and its class ("" when there is no cue).
    pub cue: String,
    pub cue_class: &'static str,
    pub sentence_index: Option<usize>,
}

/// Quotations and paraphrases of one speaker in one article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SpeakerCount {
    pub quotes: u64,
    pub quoted_words: u64,
    pub paraphrases: u64,
}

/// Per-article counts: everything the reports and aggregates need, nothing per hit.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ArticleScore {
    /// Body words (UAX #29), headline excluded.
    pub words: u64,
    /// Body words inside quotations (top level; scare quotes excluded).
    pub quoted_words: u64,
    /// Body sentences, headline excluded.
    pub sentences: u64,
    pub headline_words: u64,
    /// The headline was found as a paragraph of the text (else the title field was scored).
    pub headline_in_text: bool,
    /// Hits per category and voice, indexed like `LexiconSet::lexicons`.
    pub author: Vec<u64>,
    pub quoted: Vec<u64>,
    pub headline: Vec<u64>,
    /// Quotations, paraphrases and their speakers and cues, counted.
    pub attributions: Attributions,
    /// Different speakers quoted or paraphrased (as in `speakers.csv`).
    pub distinct_speakers: u64,
    /// The frame (a `role: frame` category) with most body hits, if any; ties go to the
    /// frame whose id sorts first.
    pub dominant_frame: Option<usize>,
    /// Per speaker (display name, kind).
    pub speakers: BTreeMap<(String, SpeakerKind), SpeakerCount>,
    /// Hits per lexicon entry `(lexicon, entry)` by voice; they add up to `author`, `quoted`
    /// and `headline`, one for each `hits.csv` row.
    pub entries: BTreeMap<(u32, u32), ByVoice>,
    /// Author-voice hits per category weighted: each hit weighs its entry's own weight, or
    /// the category's (what the weighted indices sum).
    pub author_weight: Vec<f64>,
    /// Lines of page chrome left out before scoring, their words, and markup edits (the
    /// `cleaning.csv` rows of the article).
    pub removed_lines: u64,
    pub removed_words: u64,
    pub markup_edits: u64,
}

/// Counts of the body's quotations and attributions; per outlet they add up with `+=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Attributions {
    /// Body quotations by kind (top level), and paraphrases (indirect speech, `according to`).
    pub direct: u64,
    pub partial: u64,
    pub scare: u64,
    pub paraphrases: u64,
    /// Attributions (body quotations other than scare quotes, and paraphrases) by speaker:
    /// named (a person or organisation, or a pronoun resolved to one), an unresolved pronoun,
    /// anonymous, or none.
    pub named: u64,
    pub pronoun: u64,
    pub anonymous: u64,
    pub unattributed: u64,
    /// Cues of those attributions, by class.
    pub neutral_cues: u64,
    pub loaded_cues: u64,
    /// Body sentences carrying an attribution.
    pub attributed_sentences: u64,
    /// Body sentences with an author-voice advocacy hit and no attribution.
    pub unattributed_advocacy_sentences: u64,
}

impl Attributions {
    /// Report column names of [`Attributions::values`], in order.
    pub const COLUMNS: [&'static str; 12] = [
        "direct_quotes",
        "partial_quotes",
        "scare_quotes",
        "paraphrases",
        "named",
        "pronoun",
        "anonymous",
        "unattributed",
        "neutral_cues",
        "loaded_cues",
        "attributed_sentences",
        "unattributed_advocacy_sentences",
    ];

    /// The counts, in the order of [`Attributions::COLUMNS`].
    pub fn values(&self) -> [u64; 12] {
        [
            self.direct,
            self.partial,
            self.scare,
            self.paraphrases,
            self.named,
            self.pronoun,
            self.anonymous,
            self.unattributed,
            self.neutral_cues,
            self.loaded_cues,
            self.attributed_sentences,
            self.unattributed_advocacy_sentences,
        ]
    }
}

impl std::ops::AddAssign for Attributions {
    fn add_assign(&mut self, o: Attributions) {
        self.direct += o.direct;
        self.partial += o.partial;
        self.scare += o.scare;
        self.paraphrases += o.paraphrases;
        self.named += o.named;
        self.pronoun += o.pronoun;
        self.anonymous += o.anonymous;
        self.unattributed += o.unattributed;
        self.neutral_cues += o.neutral_cues;
        self.loaded_cues += o.loaded_cues;
        self.attributed_sentences += o.attributed_sentences;
        self.unattributed_advocacy_sentences += o.unattributed_advocacy_sentences;
    }
}

/// Names of the scalar article measures, before the per-category rates.
pub const MEASURES: [&str; 10] = [
    "words",
    "sentences",
    "advocacy_index",
    "neutral_index",
    "balance",
    "quoted_word_share",
    "attribution_rate",
    "quotes_per_1k",
    "loaded_cue_share",
    "unattributed_advocacy_share",
];

impl ArticleScore {
    /// The scored categories with hits in any voice, as (lexicon index, hits), most hits
    /// first, then by id.
    pub fn categories_hit(&self, set: &LexiconSet) -> Vec<(usize, u64)> {
        let mut counted: Vec<(usize, u64)> = (0..set.len())
            .map(|i| (i, self.author[i] + self.quoted[i] + self.headline[i]))
            .filter(|&(i, n)| n > 0 && set.lexicons[i].role.is_scored())
            .collect();
        counted.sort_by(|x, y| {
            y.1.cmp(&x.1)
                .then(set.lexicons[x.0].id.cmp(&set.lexicons[y.0].id))
        });
        counted
    }

    /// Words in the outlet's own voice: body words outside quotations.
    pub fn author_words(&self) -> u64 {
        self.words.saturating_sub(self.quoted_words)
    }

    /// Weighted author-voice hits of one side.
    pub fn weighted(&self, set: &LexiconSet, side: Side) -> f64 {
        weighted_hits(&self.author, &self.author_weight, set, side)
    }

    /// The article measures, in the order of [`measure_names`].
    pub fn measures(&self, set: &LexiconSet) -> Vec<Option<f64>> {
        let author_words = self.author_words() as f64;
        let per_1k = |x: f64| (author_words > 0.0).then(|| 1000.0 * x / author_words);
        let ratio = |a: u64, b: u64| (b > 0).then(|| a as f64 / b as f64);
        let a = self.weighted(set, Side::Advocacy);
        let n = self.weighted(set, Side::Neutral);
        let mut out = vec![
            Some(self.words as f64),
            Some(self.sentences as f64),
            per_1k(a),
            per_1k(n),
            balance(a, n),
            ratio(self.quoted_words, self.words),
            ratio(self.attributions.attributed_sentences, self.sentences),
            (self.words > 0).then(|| {
                1000.0 * (self.attributions.direct + self.attributions.partial) as f64
                    / self.words as f64
            }),
            ratio(
                self.attributions.loaded_cues,
                self.attributions.neutral_cues + self.attributions.loaded_cues,
            ),
            ratio(
                self.attributions.unattributed_advocacy_sentences,
                self.sentences,
            ),
        ];
        out.extend(
            set.lexicons
                .iter()
                .zip(&self.author)
                .filter(|(l, _)| l.role.is_scored())
                .map(|(_, &c)| per_1k(c as f64)),
        );
        out
    }
}

/// Sum of the counts of one side's categories.
pub fn side_sum(counts: &[u64], set: &LexiconSet, side: Side) -> u64 {
    set.lexicons
        .iter()
        .zip(counts)
        .filter(|(l, _)| l.side == side && l.role.is_scored())
        .map(|(_, &c)| c)
        .sum()
}

/// Weighted author-voice hits of one side: the sums of the hits' weights (`weights`, per
/// category) when they were kept, else each category's count times its weight.
pub fn weighted_hits(counts: &[u64], weights: &[f64], set: &LexiconSet, side: Side) -> f64 {
    if weights.len() != counts.len() {
        return weighted(counts, set, side);
    }
    set.lexicons
        .iter()
        .zip(weights)
        .filter(|(l, _)| l.side == side && l.role.is_scored())
        .map(|(_, &w)| w)
        .sum()
}

/// Weighted sum of the counts of one side's categories.
pub fn weighted(counts: &[u64], set: &LexiconSet, side: Side) -> f64 {
    set.lexicons
        .iter()
        .zip(counts)
        .filter(|(l, _)| l.side == side && l.role.is_scored())
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
    let mut names: Vec<String> = MEASURES.iter().map(|s| s.to_string()).collect();
    names.extend(
        set.lexicons
            .iter()
            .filter(|l| l.role.is_scored())
            .map(|l| format!("{}.per_1k", l.id)),
    );
    names
}

/// The result of scoring one article.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub score: ArticleScore,
    /// Every hit, headline first, in text order (empty unless details were asked for).
    pub hits: Vec<Hit>,
    /// Every quotation and paraphrase, in text order (empty unless details were asked for).
    pub quotes: Vec<QuoteRow>,
    /// Every word (case-folded) with its count by voice, sorted by word (empty unless
    /// [`Detail::words`] was asked for).
    pub words: Vec<(String, ByVoice)>,
    /// What cleaning left out of the text (the `cleaning.csv` rows).
    pub cleaning: Cleaning,
}

/// What [`Analyzer::analyze_with`] works out beyond the counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Detail {
    /// Locate every hit (the `hits.csv` rows).
    pub hits: bool,
    /// Count every word by voice (`keyness.csv` with `--all-words`).
    pub words: bool,
}

/// Why an article could not be scored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    #[error("no body text: the text has no words outside the headline")]
    NoWords,
    #[error(
        "no body text left after removing {lines} line(s) of page chrome (run with --keep-boilerplate to score them)"
    )]
    NoWordsAfterCleaning { lines: u64 },
}

/// Lexicons and their compiled matchers: built once, shared by every thread.
#[derive(Debug, Clone)]
pub struct Analyzer {
    pub set: LexiconSet,
    /// What to leave out of each text before scoring (none unless set with
    /// [`Analyzer::with_cleaner`]).
    pub cleaner: Cleaner,
    /// The shipped and `--lexicons` categories in four groups: the scored lexicons (and
    /// cues), the frames, the attribution cues, the anonymous-speaker words.
    matcher: Matcher,
    /// The dictionary groups (`#! group:`), up to [`MAX_GROUPS`] per matcher, with each
    /// group's twins: for an entry, the entries of the group's other categories that are the
    /// same word, which count a hit too.
    dicts: Vec<(Matcher, Vec<Twins>)>,
    scare: Option<usize>,
}

/// Which categories a matcher group holds.
type LexiconFilter<'a> = dyn Fn(&crate::lexicon::Lexicon) -> bool + 'a;

/// `(lexicon, entry)` to the other `(lexicon, entry)` pairs of its dictionary group that are the
/// same word.
type Twins = HashMap<(usize, usize), Vec<(usize, usize)>>;

/// Everything found in one document before it is split by voice.
struct Found {
    matches: Vec<Match>,
    quotes: Vec<Quote>,
    cues: Vec<Cue>,
    attribution: Attribution,
}

impl Analyzer {
    pub fn new(set: LexiconSet) -> anyhow::Result<Analyzer> {
        let ungrouped = |l: &crate::lexicon::Lexicon| l.group.is_none();
        // One scan for the scored lexicons, the frames, the cues and the speaker words, each
        // resolved apart, in this order.
        let matcher = Matcher::with_groups(
            &set,
            &[
                &|l| l.role.is_matched() && ungrouped(l),
                &|l| l.role == Role::Frame && ungrouped(l),
                &|l| l.role == Role::Cue && ungrouped(l),
                &|l| l.role == Role::Speaker && ungrouped(l),
            ],
        )?;
        let dicts = Self::dictionary_matchers(&set)?;
        let scare = set.index_of(SCARE_QUOTES);
        Ok(Analyzer {
            set,
            cleaner: Cleaner::disabled(),
            matcher,
            dicts,
            scare,
        })
    }

    /// The dictionary groups' matchers, up to [`MAX_GROUPS`] groups each, and their twins.
    fn dictionary_matchers(set: &LexiconSet) -> anyhow::Result<Vec<(Matcher, Vec<Twins>)>> {
        let names: Vec<&str> = set
            .lexicons
            .iter()
            .filter_map(|l| l.group.as_deref())
            .collect::<BTreeSet<&str>>()
            .into_iter()
            .collect();
        let mut dicts = Vec::new();
        for chunk in names.chunks(MAX_GROUPS) {
            let members: Vec<Box<LexiconFilter<'_>>> = chunk
                .iter()
                .map(|&name| {
                    Box::new(move |l: &crate::lexicon::Lexicon| {
                        l.group.as_deref() == Some(name) && l.role.is_scored()
                    }) as Box<LexiconFilter<'_>>
                })
                .collect();
            let filters: Vec<&LexiconFilter<'_>> = members.iter().map(|f| f.as_ref()).collect();
            let matcher = Matcher::with_groups(set, &filters)?;
            let mut twins_of = Vec::new();
            for member in &members {
                // (case-sensitive, pattern, wildcard) of each entry of the group
                type Key<'a> = (bool, &'a str, bool);
                let mut same: HashMap<Key, Vec<(usize, usize)>> = HashMap::new();
                for (li, l) in set.lexicons.iter().enumerate().filter(|(_, l)| member(l)) {
                    for (ei, e) in l.entries.iter().enumerate() {
                        same.entry((l.case_sensitive, e.pattern.as_str(), e.wildcard))
                            .or_default()
                            .push((li, ei));
                    }
                }
                let mut twins = Twins::new();
                for list in same.values().filter(|v| v.len() > 1) {
                    for &at in list {
                        twins.insert(at, list.iter().copied().filter(|&o| o != at).collect());
                    }
                }
                twins_of.push(twins);
            }
            dicts.push((matcher, twins_of));
        }
        Ok(dicts)
    }

    /// What cleaning leaves out of an article (the `cleaning.csv` rows): what the HTML
    /// extractor dropped first, then the cleaner's removals in text order.
    pub fn cleaning(&self, article: &Article) -> Cleaning {
        let mut cleaning = self
            .cleaner
            .clean(&article.text, &article.title, &article.source);
        if !article.html_dropped.is_empty() {
            let html = article.html_dropped.iter().map(|d| Removal {
                line: 0,
                start: 0,
                end: 0,
                signal: Signal::Html,
                reason: d.reason.clone(),
                detail: String::new(),
                text: d.text.clone(),
            });
            cleaning.removals.splice(0..0, html);
        }
        cleaning
    }

    /// The same analyzer, cleaning each text with `cleaner` before it is scored.
    pub fn with_cleaner(mut self, cleaner: Cleaner) -> Analyzer {
        self.cleaner = cleaner;
        self
    }

    fn find(&self, doc: &Document, input: &str) -> Found {
        let folded = fold_case(&doc.text);
        let mut outs: [Vec<Match>; 4] = Default::default();
        self.matcher.find_groups(&doc.text, &folded, &mut outs);
        let [mut matches, frames, cue_matches, anonymous] = outs;
        // frames are matched apart and may overlap the other families' hits
        let before = matches.len();
        matches.extend(frames);
        let frames_end = matches.len();
        // so are dictionary groups, where a word counts in every category that lists it
        for (matcher, twins_of) in &self.dicts {
            let mut outs = vec![Vec::new(); twins_of.len()];
            matcher.find_groups(&doc.text, &folded, &mut outs);
            for (found, twins) in outs.into_iter().zip(twins_of) {
                for m in found {
                    matches.push(m);
                    if let Some(list) = twins.get(&(m.lexicon, m.entry)) {
                        for &(lexicon, entry) in list {
                            matches.push(Match {
                                lexicon,
                                entry,
                                ..m
                            });
                        }
                    }
                }
            }
        }
        if matches.len() > frames_end {
            matches.sort_by_key(|m| (m.span.start, m.lexicon));
        } else if frames_end > before {
            sort_two_runs(&mut matches, before, |m| (m.span.start, m.lexicon));
        }
        let cues: Vec<Cue> = cue_matches
            .iter()
            .map(|m| Cue {
                span: m.span,
                class: if self.set.lexicons[m.lexicon].side == Side::Advocacy {
                    CueClass::Loaded
                } else {
                    CueClass::Neutral
                },
                lexicon: m.lexicon,
                entry: m.entry,
            })
            .collect();
        let anonymous: Vec<Span> = anonymous.iter().map(|m| m.span).collect();
        let quotes = quotes::find_quotes(doc, input);
        let attribution = attribution::attribute(doc, &quotes, &cues, &anonymous);
        Found {
            matches,
            quotes,
            cues,
            attribution,
        }
    }

    /// Score one article, with its quotations and paraphrases located (the `quotes.csv`
    /// rows); with `with_hits` also every hit with its location (the `hits.csv` rows).
    pub fn analyze(&self, article: &Article, with_hits: bool) -> Result<Analysis, ScoreError> {
        let detail = Detail {
            hits: with_hits,
            words: false,
        };
        self.analyze_with(article, detail)
    }

    /// Score one article, working out what `detail` asks for.
    pub fn analyze_with(&self, article: &Article, detail: Detail) -> Result<Analysis, ScoreError> {
        let with_hits = detail.hits;
        let n = self.set.len();
        let cleaning = self.cleaning(article);
        let doc = Document::with_edits(&article.text, &cleaning.edits);
        let headline_par = match &cleaning.title_key {
            Some(key) => find_headline(&doc, key, article.title.len()),
            None => find_headline(&doc, &title_key(&article.title), article.title.len()),
        };
        let headline_span = headline_par.map(|p| doc.paragraphs[p]);
        let total_words = count_words(&doc.text) as u64;
        let headline_words_in_text =
            headline_span.map_or(0, |s| count_words(s.of(&doc.text)) as u64);
        let words = total_words.saturating_sub(headline_words_in_text);
        if words == 0 {
            return Err(if cleaning.removed_lines > 0 {
                ScoreError::NoWordsAfterCleaning {
                    lines: cleaning.removed_lines,
                }
            } else {
                ScoreError::NoWords
            });
        }
        let found = self.find(&doc, &article.text);
        let in_headline = |span: Span| headline_span.is_some_and(|h| h.contains(span));

        // Top-level quotations that are a source's words (not scare quotes), by position.
        let kinds: Vec<QuoteKind> = found.attribution.quotes.iter().map(|a| a.kind).collect();
        let sourced: Vec<usize> = (0..found.quotes.len())
            .filter(|&i| found.quotes[i].depth == 0 && kinds.get(i) != Some(&QuoteKind::Scare))
            .collect();
        let quote_at = |byte: usize| -> Option<usize> {
            let k = sourced.partition_point(|&i| found.quotes[i].inner.end <= byte);
            sourced
                .get(k)
                .copied()
                .filter(|&i| found.quotes[i].inner.start <= byte)
        };
        let voice_of = |span: Span| {
            if in_headline(span) {
                Voice::Headline
            } else if quote_at(span.start).is_some() {
                Voice::Quoted
            } else {
                Voice::Author
            }
        };

        let headline_sentences = headline_par.map_or(0..0, |p| doc.sentences_in(p));
        let mut score = ArticleScore {
            words,
            sentences: doc.sentences.len().saturating_sub(headline_sentences.len()) as u64,
            headline_words: headline_words_in_text,
            headline_in_text: headline_par.is_some(),
            author: vec![0; n],
            quoted: vec![0; n],
            headline: vec![0; n],
            author_weight: vec![0.0; n],
            removed_lines: cleaning.removed_lines,
            removed_words: cleaning.removed_words,
            markup_edits: cleaning.markup_edits,
            ..ArticleScore::default()
        };
        let mut advocacy_sentences = BTreeSet::new();
        // each hit's entry and voice, tallied into `score.entries` once all are in
        let mut entry_hits = EntryHits::with_capacity(found.matches.len());
        for m in &found.matches {
            let voice = voice_of(m.span);
            entry_hits.push(m.lexicon, m.entry, voice);
            match voice {
                Voice::Headline => score.headline[m.lexicon] += 1,
                Voice::Quoted => score.quoted[m.lexicon] += 1,
                Voice::Author => {
                    score.author[m.lexicon] += 1;
                    score.author_weight[m.lexicon] += self.set.hit_weight(m.lexicon, m.entry);
                    if self.set.lexicons[m.lexicon].side == Side::Advocacy
                        && let Some(si) = doc.sentence_index(m.span.start)
                    {
                        advocacy_sentences.insert(si);
                    }
                }
            }
        }

        // Quotations, speakers and cues of the body. Each quotation's words are counted once,
        // here or for its `quotes.csv` row, whichever needs them first.
        let mut quote_words: Vec<Option<u64>> = vec![None; found.quotes.len()];
        let mut distinct = BTreeSet::new();
        let mut count_speaker = |score: &mut ArticleScore,
                                 sp: &attribution::Speaker,
                                 cue: Option<usize>| {
            match sp.kind {
                SpeakerKind::Person | SpeakerKind::Organisation => score.attributions.named += 1,
                SpeakerKind::Pronoun if sp.resolved.is_some() => score.attributions.named += 1,
                SpeakerKind::Pronoun => score.attributions.pronoun += 1,
                SpeakerKind::Anonymous => score.attributions.anonymous += 1,
                SpeakerKind::Unattributed => score.attributions.unattributed += 1,
            }
            if sp.kind != SpeakerKind::Unattributed {
                distinct.insert(display(sp));
            }
            match cue.map(|c| found.cues[c].class) {
                Some(CueClass::Neutral) => score.attributions.neutral_cues += 1,
                Some(CueClass::Loaded) => score.attributions.loaded_cues += 1,
                None => {}
            }
        };
        for qa in &found.attribution.quotes {
            let Some(q) = found.quotes.get(qa.quote) else {
                continue;
            };
            if q.depth > 0 || in_headline(q.span) {
                continue;
            }
            match qa.kind {
                QuoteKind::Scare => {
                    score.attributions.scare += 1;
                    if let Some(i) = self.scare {
                        score.author[i] += 1;
                        score.author_weight[i] += self.set.hit_weight(i, 0);
                        entry_hits.push(i, 0, Voice::Author);
                        if let Some(si) = doc.sentence_index(q.span.start) {
                            advocacy_sentences.insert(si);
                        }
                    }
                    continue;
                }
                QuoteKind::Direct => score.attributions.direct += 1,
                QuoteKind::Partial => score.attributions.partial += 1,
            }
            let qwords = *quote_words[qa.quote]
                .get_or_insert_with(|| count_words(q.inner.of(&doc.text)) as u64);
            score.quoted_words += qwords;
            count_speaker(&mut score, &qa.speaker, qa.cue);
            let e = score.speakers.entry(speaker_key(&qa.speaker)).or_default();
            e.quotes += 1;
            e.quoted_words += qwords;
        }
        for p in &found.attribution.paraphrases {
            if in_headline(p.span) {
                continue;
            }
            score.attributions.paraphrases += 1;
            count_speaker(&mut score, &p.speaker, Some(p.cue));
            score
                .speakers
                .entry(speaker_key(&p.speaker))
                .or_default()
                .paraphrases += 1;
        }
        score.distinct_speakers = distinct.len() as u64;
        score.dominant_frame = dominant_frame(&self.set, &score);
        score.quoted_words = score.quoted_words.min(words);
        let attributed = |si: usize| {
            found
                .attribution
                .attributed_sentences
                .get(si)
                .copied()
                .unwrap_or(false)
        };
        score.attributions.attributed_sentences = (0..doc.sentences.len())
            .filter(|si| !headline_sentences.contains(si) && attributed(*si))
            .count() as u64;
        score.attributions.unattributed_advocacy_sentences = advocacy_sentences
            .iter()
            .filter(|&&si| !headline_sentences.contains(&si) && !attributed(si))
            .count() as u64;

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
                entry_hits.push(m.lexicon, m.entry, Voice::Headline);
            }
            title_doc = Some(tdoc);
        }
        score.entries = entry_hits.tally();

        let mut hits = Vec::new();
        if with_hits {
            let speaker_of = |span: Span| {
                quote_at(span.start)
                    .and_then(|i| found.attribution.quotes.get(i))
                    .map(|qa| display(&qa.speaker))
                    .unwrap_or_default()
            };
            if let Some(tdoc) = &title_doc {
                let title_matches: Vec<(Match, Voice)> = title_matches
                    .iter()
                    .map(|m| (*m, Voice::Headline))
                    .collect();
                locate(
                    tdoc,
                    &article.title,
                    &title_matches,
                    Field::Title,
                    &|_| String::new(),
                    &mut hits,
                );
            }
            let mut located: Vec<(Match, Voice)> = found
                .matches
                .iter()
                .map(|m| (*m, voice_of(m.span)))
                .collect();
            if let Some(i) = self.scare {
                for qa in &found.attribution.quotes {
                    let q = &found.quotes[qa.quote];
                    if qa.kind == QuoteKind::Scare && q.depth == 0 && !in_headline(q.span) {
                        located.push((
                            Match {
                                span: q.span,
                                lexicon: i,
                                entry: 0,
                            },
                            Voice::Author,
                        ));
                    }
                }
            }
            locate(
                &doc,
                &article.text,
                &located,
                Field::Text,
                &speaker_of,
                &mut hits,
            );
        }
        let quote_rows = quote_rows_of(&doc, &article.text, &found, &quote_words, &in_headline);
        let mut words = Vec::new();
        if detail.words {
            let mut counts: HashMap<String, ByVoice> = HashMap::new();
            let mut count = |w: &str, voice: Voice| {
                let folded = fold_case(w);
                match counts.get_mut(&folded) {
                    Some(c) => c[voice.index()] += 1,
                    None => {
                        let mut c = ByVoice::default();
                        c[voice.index()] = 1;
                        counts.insert(folded, c);
                    }
                }
            };
            for (start, w) in doc.text.unicode_word_indices() {
                count(w, voice_of(Span::new(start, start + w.len())));
            }
            if let Some(tdoc) = &title_doc {
                for w in tdoc.text.unicode_words() {
                    count(w, Voice::Headline);
                }
            }
            words = counts.into_iter().collect();
            words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        }
        Ok(Analysis {
            score,
            hits,
            quotes: quote_rows,
            words,
            cleaning,
        })
    }
}

/// `v` sorted stably by `key`, as `sort_by_key` sorts it. When `v[..mid]` and `v[mid..]` are
/// each in order already (one group's hits and the frames' hits: each in text order), they
/// are merged in one pass, the first run's element first on a tie; the sort of the two was 1.9
/// % of a run's instructions. Otherwise `v` is sorted.
fn sort_two_runs<T: Copy, K: Ord>(v: &mut Vec<T>, mid: usize, key: impl Fn(&T) -> K) {
    let (a, b) = v.split_at(mid.min(v.len()));
    if crate::plain::plain() || !a.is_sorted_by_key(&key) || !b.is_sorted_by_key(&key) {
        v.sort_by_key(key);
        return;
    }
    let mut merged = Vec::with_capacity(v.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if key(&b[j]) < key(&a[i]) {
            merged.push(b[j]);
            j += 1;
        } else {
            merged.push(a[i]);
            i += 1;
        }
    }
    merged.extend_from_slice(&a[i..]);
    merged.extend_from_slice(&b[j..]);
    *v = merged;
}

/// An article's hits as lexicon entry and voice, for [`ArticleScore::entries`]: collected in a
/// vector and sorted once, instead of each looked up and most inserted into the map (whose
/// node shifts were 0.7 % of the run's time). Each hit is one integer, lexicon, entry and
/// voice from the high bits down, so that the sort compares integers (sorting the
/// `((lexicon, entry), voice)` tuples was 1.4 % of the samples).
struct EntryHits(Vec<u64>);

impl EntryHits {
    fn with_capacity(n: usize) -> EntryHits {
        EntryHits(Vec::with_capacity(n))
    }

    /// Lexicons and entries are indices into lists held in memory: fewer than 2^30 and
    /// 2^32.
    fn push(&mut self, lexicon: usize, entry: usize, voice: Voice) {
        debug_assert!(lexicon < 1 << 30 && entry < 1 << 32);
        self.0.push(
            ((lexicon as u64) << 34) | ((entry as u64 & 0xffff_ffff) << 2) | voice.index() as u64,
        );
    }

    /// The hits per entry by voice.
    fn tally(mut self) -> BTreeMap<(u32, u32), ByVoice> {
        self.0.sort_unstable();
        let mut tallied: Vec<((u32, u32), ByVoice)> = Vec::with_capacity(self.0.len());
        for hit in self.0 {
            let key = ((hit >> 34) as u32, (hit >> 2) as u32);
            let voice = (hit & 3) as usize;
            match tallied.last_mut() {
                Some((last, by_voice)) if *last == key => by_voice[voice] += 1,
                _ => {
                    let mut by_voice = ByVoice::default();
                    by_voice[voice] = 1;
                    tallied.push((key, by_voice));
                }
            }
        }
        // from sorted distinct keys, the map is built in one pass
        tallied.into_iter().collect()
    }
}

/// The frame with most body hits (author and quoted voice), ties to the first id.
fn dominant_frame(set: &LexiconSet, score: &ArticleScore) -> Option<usize> {
    let mut best: Option<(usize, u64)> = None;
    for (i, l) in set.lexicons.iter().enumerate() {
        if l.role != Role::Frame {
            continue;
        }
        let n = score.author[i] + score.quoted[i];
        if n > 0 && best.is_none_or(|(_, b)| n > b) {
            best = Some((i, n));
        }
    }
    best.map(|(i, _)| i)
}

/// Body hits of every frame, summed.
pub fn frame_hits(set: &LexiconSet, author: &[u64], quoted: &[u64]) -> u64 {
    set.lexicons
        .iter()
        .enumerate()
        .filter(|(_, l)| l.role == Role::Frame)
        .map(|(i, _)| author.get(i).copied().unwrap_or(0) + quoted.get(i).copied().unwrap_or(0))
        .sum()
}

/// How a speaker is shown: a pronoun's resolution when there is one, else as written.
fn display(sp: &attribution::Speaker) -> String {
    sp.resolved.clone().unwrap_or_else(|| sp.name.clone())
}

/// The key of a speaker in `speakers.csv`: a resolved pronoun counts for the person it
/// names.
fn speaker_key(sp: &attribution::Speaker) -> (String, SpeakerKind) {
    match (sp.kind, &sp.resolved) {
        (SpeakerKind::Unattributed, _) => ("(unattributed)".to_string(), sp.kind),
        (SpeakerKind::Pronoun, Some(name)) => (name.clone(), SpeakerKind::Person),
        _ => (display(sp), sp.kind),
    }
}

/// The `quotes.csv` rows of an article: quotations and paraphrases in text order.
fn quote_rows_of(
    doc: &Document,
    input: &str,
    found: &Found,
    quote_words: &[Option<u64>],
    in_headline: &dyn Fn(Span) -> bool,
) -> Vec<QuoteRow> {
    struct Pending<'a> {
        span: Span,
        content: Span,
        kind: &'static str,
        closed: bool,
        depth: u8,
        paragraphs: u32,
        speaker: &'a attribution::Speaker,
        cue: Option<usize>,
        /// The content's words, when counted already.
        words: Option<u64>,
    }
    let mut pending: Vec<Pending> = Vec::new();
    for qa in &found.attribution.quotes {
        let Some(q) = found.quotes.get(qa.quote) else {
            continue;
        };
        pending.push(Pending {
            span: q.span,
            content: q.inner,
            kind: qa.kind.as_str(),
            closed: q.closed,
            depth: q.depth,
            paragraphs: q.paragraphs,
            speaker: &qa.speaker,
            cue: qa.cue,
            words: quote_words.get(qa.quote).copied().flatten(),
        });
    }
    for p in &found.attribution.paraphrases {
        pending.push(Pending {
            span: p.span,
            content: p.span,
            kind: "paraphrase",
            closed: true,
            depth: 0,
            paragraphs: 1,
            speaker: &p.speaker,
            cue: Some(p.cue),
            words: None,
        });
    }
    pending.sort_by_key(|p| (p.span.start, p.span.end));
    let ranges: Vec<Range<usize>> = doc.input_ranges(pending.iter().map(|p| p.span));
    // the rows come in text order: each offset's chars counted from the one before
    let mut cursor = CharCursor::default();
    let mut char_at = |b: usize| cursor.chars_at(input, b);
    pending
        .iter()
        .zip(ranges)
        .map(|(p, r)| {
            let cue = p.cue.and_then(|c| found.cues.get(c));
            QuoteRow {
                kind: p.kind,
                text: p.content.of(&doc.text).to_string(),
                words: p
                    .words
                    .unwrap_or_else(|| count_words(p.content.of(&doc.text)) as u64),
                chars: char_at(r.start)..char_at(r.end),
                bytes: r,
                closed: p.closed,
                depth: p.depth,
                paragraphs: p.paragraphs,
                in_headline: in_headline(p.span),
                speaker: p.speaker.name.clone(),
                speaker_kind: p.speaker.kind,
                speaker_resolved: p.speaker.resolved.clone().unwrap_or_default(),
                cue: cue
                    .map(|c| c.span.of(&doc.text).to_string())
                    .unwrap_or_default(),
                cue_class: cue.map_or("", |c| c.class.as_str()),
                sentence_index: doc.sentence_index(p.span.start),
            }
        })
        .collect()
}

/// Longest sentence `hits.csv` repeats whole, in bytes; a longer one (scraped text without
/// punctuation can run to megabytes) is cut to `CONTEXT_BYTES / 2` either side of the match.
pub const CONTEXT_BYTES: usize = 600;

/// The sentence of a match, or a window of it around the match with `…` at the cuts. A whole
/// sentence is taken from (or put into) `whole`, its shared copy.
fn context(text: &str, sentence: Span, at: Span, whole: &mut Option<Arc<str>>) -> Arc<str> {
    if sentence.len() <= CONTEXT_BYTES {
        return whole
            .get_or_insert_with(|| sentence.of(text).into())
            .clone();
    }
    let half = CONTEXT_BYTES / 2;
    let mut start = at.start.saturating_sub(half).max(sentence.start);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    let mut end = (at.end + half).min(sentence.end);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut out = String::with_capacity(end - start + 6);
    if start > sentence.start {
        out.push('…');
    }
    out.push_str(&text[start..end]);
    if end < sentence.end {
        out.push('…');
    }
    out.into()
}

/// Turn matches in `doc` (made from `input`) into hits located in `input`.
fn locate(
    doc: &Document,
    input: &str,
    matches: &[(Match, Voice)],
    field: Field,
    speaker_of: &dyn Fn(Span) -> String,
    out: &mut Vec<Hit>,
) {
    let ranges: Vec<Range<usize>> = doc.input_ranges(matches.iter().map(|(m, _)| m.span));
    // The hits are made in text order (but for the headline's, first): each offset's chars
    // counted from the one before.
    let mut cursor = CharCursor::default();
    let mut char_at = |b: usize| cursor.chars_at(input, b);
    // Headline hits first (the title's are located before the text's), then the body's, each
    // in text order: the matches' indices are sorted (stably: matches that tie stay in the
    // order given) and the hits made in that order, rather than the hits sorted afterwards
    // (each a large struct, moved at every step of the sort).
    let mut order: Vec<usize> = (0..matches.len()).collect();
    order.sort_by_key(|&i| (matches[i].1 != Voice::Headline, ranges[i].start));
    out.reserve(matches.len());
    // Each sentence's shared copy, made at its first hit.
    let mut whole: Vec<Option<Arc<str>>> = vec![None; doc.sentences.len()];
    for i in order {
        let ((m, voice), r) = (&matches[i], ranges[i].clone());
        let sentence_index = doc.sentence_index(m.span.start);
        let sentence = sentence_index
            .map(|i| context(&doc.text, doc.sentences[i], m.span, &mut whole[i]))
            .unwrap_or_else(|| Arc::from(""));
        out.push(Hit {
            lexicon: m.lexicon,
            entry: m.entry,
            voice: *voice,
            field,
            chars: char_at(r.start)..char_at(r.end),
            bytes: r,
            sentence_index: if field == Field::Title {
                None
            } else {
                sentence_index
            },
            sentence,
            speaker: if *voice == Voice::Quoted {
                speaker_of(m.span)
            } else {
                String::new()
            },
        });
    }
}

/// The paragraph among the first few that says the same words as the title (of `title_len`
/// bytes, and of [`title_key`] `key`), if any.
fn find_headline(doc: &Document, key: &str, title_len: usize) -> Option<usize> {
    if key.is_empty() {
        return None;
    }
    // A paragraph far longer than the title cannot say the same words; skip the work.
    let max_len = 2 * title_len + 16;
    doc.paragraphs
        .iter()
        .take(HEADLINE_SEARCH_PARAGRAPHS)
        .position(|p| {
            (p.len() <= max_len || crate::plain::plain()) && has_title_key(p.of(&doc.text), key)
        })
}

/// Whether `s`'s [`title_key`] is `key`, found without making it when `s` is ASCII: its words
/// are compared with the key's as they come, and the first that differs settles it (most
/// paragraphs and lines compared with a headline differ in the first word).
pub(crate) fn has_title_key(s: &str, key: &str) -> bool {
    let normal = normalize_fragment_cow(s);
    if !normal.is_ascii() || crate::plain::plain() {
        return title_key(s) == key;
    }
    let (b, k) = (normal.as_bytes(), key.as_bytes());
    // the key's bytes matched so far, and whether every word so far matched
    let mut at = 0;
    let mut same = true;
    crate::text::ascii_words(b, |r| {
        if !same {
            return;
        }
        let word = &b[r];
        let gap = usize::from(at > 0);
        same = k.len() >= at + gap + word.len()
            && (gap == 0 || k[at] == b' ')
            && k[at + gap..at + gap + word.len()]
                .iter()
                .zip(word)
                .all(|(x, y)| *x == y.to_ascii_lowercase());
        at += gap + word.len();
    });
    same && at == k.len()
}

/// The words of a headline, case-folded, so `\$50` in the text equals `$50` in a manifest.
pub(crate) fn title_key(s: &str) -> String {
    let normal = normalize_fragment_cow(s);
    if normal.is_ascii() && !crate::plain::plain() {
        // the same words by the ASCII rules, lowercased as they are copied
        let b = normal.as_bytes();
        let mut key = Vec::with_capacity(b.len());
        crate::text::ascii_words(b, |r| {
            if !key.is_empty() {
                key.push(b' ');
            }
            key.extend(b[r].iter().map(u8::to_ascii_lowercase));
        });
        return String::from_utf8(key).unwrap_or_default();
    }
    let folded = fold_case(&normal);
    folded.unicode_words().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{Encoding, Origin};
    use crate::lexicon::SourceFile;
    use crate::text::normalize_fragment;
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

    /// [`analyzer`] with the scare-quote detector's category too.
    fn analyzer_with_detectors() -> Analyzer {
        let mut set = analyzer().set;
        set.add_detectors().unwrap();
        Analyzer::new(set).unwrap()
    }

    fn article(title: &str, text: &str) -> Article {
        Article {
            id: "x".into(),
            source: "S".into(),
            title: title.into(),
            date: String::new(),
            url: String::new(),
            author: String::new(),
            text: text.into(),
            encoding: Encoding::Utf8,
            origin: Origin {
                path: "x.txt".into(),
                line: None,
            },
            extra: vec![],
            html_dropped: vec![],
            cut_bytes: 0,
        }
    }

    proptest! {
        /// Merging two runs gives what the stable sort gives, whether or not they are in
        /// order (then it sorts): ties between the runs keep the first run's element first.
        #[test]
        fn two_runs_merge_as_the_stable_sort(
            a in proptest::collection::vec((0u8..20, 0u8..3), 0..30),
            b in proptest::collection::vec((0u8..20, 0u8..3), 0..30),
            sort_a in any::<bool>(),
            sort_b in any::<bool>(),
        ) {
            // the second field tells elements with the same key apart
            let tag = |v: Vec<(u8, u8)>, run: u8, sort: bool| {
                let mut v: Vec<(u8, u8, u8, usize)> =
                    v.into_iter().enumerate().map(|(i, (k, l))| (k, l, run, i)).collect();
                if sort {
                    v.sort_by_key(|x| (x.0, x.1));
                }
                v
            };
            let (a, b) = (tag(a, 0, sort_a), tag(b, 1, sort_b));
            let mut want: Vec<_> = a.iter().chain(&b).copied().collect();
            want.sort_by_key(|x| (x.0, x.1));
            let mut got: Vec<_> = a.iter().chain(&b).copied().collect();
            sort_two_runs(&mut got, a.len(), |x| (x.0, x.1));
            prop_assert_eq!(got, want);
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
        assert_eq!(r.score.author, vec![2, 1]);
        assert_eq!(r.score.headline_words, 3);
        assert_eq!(r.score.words, 10);
        assert_eq!(r.hits.len(), 4);
        assert_eq!(r.hits[0].voice, Voice::Headline);
        assert_eq!(r.hits[0].matched(&art), "Regime");
        // measures: words, sentences, advocacy, neutral, balance, per-category rates
        let m = r.score.measures(&a.set);
        assert_eq!(m[0], Some(10.0));
        assert_eq!(m[2], Some(1000.0 * 4.0 / 10.0)); // weight 2 x 2 hits
        assert_eq!(m[3], Some(100.0));
        assert_eq!(m[4], Some((4.0 - 1.0) / 5.0));
    }

    #[test]
    fn words_inside_a_quotation_are_the_sources_not_the_outlets() {
        let a = analyzer();
        let art = article(
            "",
            "The minister said: \"The regime must go, and the so-called talks failed.\" The regime denied it.",
        );
        let r = a.analyze(&art, true).unwrap();
        let voices: Vec<(&str, Voice)> =
            r.hits.iter().map(|h| (h.matched(&art), h.voice)).collect();
        assert_eq!(
            voices,
            [
                ("said", Voice::Author),
                ("regime", Voice::Quoted),
                ("so-called", Voice::Quoted),
                ("regime", Voice::Author)
            ]
        );
        assert_eq!(r.score.author, vec![1, 1]);
        assert_eq!(r.score.quoted, vec![2, 0]);
        // the index counts the outlet's own words only: 1 advocacy hit (weight 2), 1 neutral
        let m = r.score.measures(&a.set);
        let author_words = r.score.author_words() as f64;
        assert_eq!(r.score.quoted_words, 10);
        assert_eq!(m[2], Some(2000.0 / author_words));
        assert_eq!(m[3], Some(1000.0 / author_words));
    }

    #[test]
    fn title_not_in_text_is_scored_from_the_title_field() {
        let a = analyzer();
        let art = article("So-called peace", "He said nothing.");
        let r = a.analyze(&art, true).unwrap();
        assert!(!r.score.headline_in_text);
        assert_eq!(r.score.headline, vec![1, 0]);
        let h = &r.hits[0];
        assert_eq!((h.field, h.voice), (Field::Title, Voice::Headline));
        assert_eq!(&art.title[h.bytes.clone()], "So-called");
        assert_eq!(h.sentence_index, None);
    }

    #[test]
    fn offsets_point_into_the_text_as_read() {
        let a = analyzer();
        let text = "“Ünïcode” — the régime said.\r\nIt was a\nregime.";
        let r = a.analyze(&article("", text), true).unwrap();
        for h in &r.hits {
            let by_chars: String = text
                .chars()
                .skip(h.chars.start)
                .take(h.chars.len())
                .collect();
            assert_eq!(by_chars, &text[h.bytes.clone()]);
        }
        assert_eq!(r.hits.len(), 2);
    }

    /// A dictionary group counts a word in every category that lists it (as LIWC does),
    /// apart from the other lexicons; entry weights feed the weighted index.
    #[test]
    fn dictionary_groups_count_every_category_and_weigh_entries() {
        let dict = |id: &str, side: &str, entries: &str| SourceFile {
            origin: format!("{id}.txt"),
            default_id: Some(id.into()),
            text: format!("#! side: {side}\n#! group: mini\n#! description: d\n{entries}"),
        };
        let set = LexiconSet::from_sources(vec![
            dict("mini.posemo", "advocacy", "happy = 2.5\ngood\n"),
            dict("mini.affect", "none", "happ*\nhappy\nsad\n"),
            SourceFile {
                origin: "a.txt".into(),
                default_id: Some("advocacy.labels".into()),
                text: "#! side: advocacy\n#! description: d\nhappy\n".into(),
            },
        ])
        .unwrap();
        assert!(set.warnings.is_empty(), "{:?}", set.warnings);
        let analyzer = Analyzer::new(set).unwrap();
        let art = article("", "They were happy, happier and good.");
        let a = analyzer.analyze(&art, true).unwrap();
        let count = |id: &str| a.score.author[analyzer.set.index_of(id).unwrap()];
        // `happy` is in posemo and (literal) affect; `happier` only in affect (wildcard);
        // the ungrouped labels list counts `happy` too, matched apart.
        assert_eq!(count("mini.posemo"), 2);
        assert_eq!(count("mini.affect"), 2);
        assert_eq!(count("advocacy.labels"), 1);
        let hits: Vec<(&str, &str)> = a
            .hits
            .iter()
            .map(|h| {
                (
                    analyzer.set.lexicons[h.lexicon].id.as_str(),
                    h.matched(&art),
                )
            })
            .collect();
        assert!(
            hits.contains(&("mini.affect", "happy")) && hits.contains(&("mini.posemo", "happy"))
        );
        // advocacy weighted hits: happy 2.5 + good 1 (posemo) + happy 1 (labels)
        let w = a.score.weighted(&analyzer.set, Side::Advocacy);
        assert!((w - 4.5).abs() < 1e-12, "{w}");
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
        /// A headline's key by the ASCII rules is its key by the segmenter.
        #[test]
        fn title_key_is_the_segmenters(
            title in "[ -~]{0,60}|([A-Za-z]{1,8}[ .,'_:;\\\\$*#-]{1,3}){0,8}|[\u{2019}\u{201c}\u{a0}\u{2014} a-z.'-]{0,20}",
        ) {
            let by_segmenter = fold_case(&normalize_fragment(&title))
                .unicode_words()
                .collect::<Vec<_>>()
                .join(" ");
            prop_assert_eq!(title_key(&title), by_segmenter, "{:?}", title);
        }

        /// Comparing with a key word by word is comparing keys: lines of a few words, often
        /// the same but for case, spacing, punctuation or a word.
        #[test]
        fn has_title_key_is_comparing_keys(
            a in "(([Tt]he|dog|DOG|cat|can't|\u{e9}t\u{e9}|\\$5|3\\.5)[ ,.:'\u{2019}-]{1,2}){0,4}",
            b in "(([Tt]he|dog|DOG|cat|can't|\u{e9}t\u{e9}|\\$5|3\\.5)[ ,.:'\u{2019}-]{1,2}){0,4}",
        ) {
            let key = title_key(&b);
            prop_assert_eq!(has_title_key(&a, &key), title_key(&a) == key, "{:?} / {:?}", a, b);
            prop_assert!(has_title_key(&b, &key));
        }

        /// Whatever the text, scoring does not panic, every hit's offsets lie on character
        /// boundaries of the field as read and slice out exactly the matched text, and the
        /// counts equal the hits.
        #[test]
        fn hits_always_point_at_their_text(
            title in "(?s)[ -~\u{a0}\u{ad}\u{2019}\u{201c}\u{2014}\n\r\t]{0,40}|(.{0,40})",
            text in "(?s)((regime|so-called|said|Said|SO-CALLED|\u{2019}|\u{201c}|\u{2014}|\u{ad}|\u{200b}|\"|\"[a-z]{1,6}\"|\r\n|\n\n|\n| |[.]|[a-zé]{1,6})){0,80}|(.{0,200})",
        ) {
            // with the scare-quote detector: its hits are added after the word lists'
            let a = analyzer_with_detectors();
            let art = article(&title, &text);
            if let Ok(r) = a.analyze(&art, true) {
                let total: u64 = r.score.author.iter().chain(&r.score.quoted).chain(&r.score.headline).sum();
                prop_assert_eq!(total as usize, r.hits.len());
                // the entries' tallies are the hit rows counted by entry and voice
                let mut by_entry: BTreeMap<(u32, u32), ByVoice> = BTreeMap::new();
                for h in &r.hits {
                    by_entry.entry((h.lexicon as u32, h.entry as u32)).or_default()[h.voice.index()] += 1;
                }
                prop_assert_eq!(&r.score.entries, &by_entry);
                for h in &r.hits {
                    let field = if h.field == Field::Title { &art.title } else { &art.text };
                    prop_assert!(field.is_char_boundary(h.bytes.start));
                    prop_assert!(field.is_char_boundary(h.bytes.end));
                    prop_assert_eq!(&field[h.bytes.clone()], h.matched(&art));
                    let by_chars: String = field.chars().skip(h.chars.start).take(h.chars.len()).collect();
                    prop_assert_eq!(by_chars.as_str(), h.matched(&art));
                }
                // headline hits first (the title's, then the text's), then the body's, each
                // in text order
                let order: Vec<(bool, bool, usize)> = r
                    .hits
                    .iter()
                    .map(|h| (h.voice != Voice::Headline, h.field == Field::Text, h.bytes.start))
                    .collect();
                prop_assert!(order.is_sorted(), "{:?}", order);
            }
        }
    }

    #[test]
    fn a_huge_sentence_is_cut_around_the_match() {
        let a = analyzer();
        let text = format!(
            "{} the regime fell {}",
            "word ".repeat(2000),
            "word ".repeat(2000)
        );
        let r = a.analyze(&article("", &text), true).unwrap();
        let h = &r.hits[0];
        assert!(
            h.sentence.len() <= CONTEXT_BYTES + h.bytes.len() + 6,
            "{}",
            h.sentence.len()
        );
        assert!(h.sentence.starts_with('…') && h.sentence.ends_with('…'));
        assert!(h.sentence.contains("the regime fell"));
        // a normal sentence is kept whole
        let r = a
            .analyze(&article("", "The regime fell, he said."), true)
            .unwrap();
        assert_eq!(&*r.hits[0].sentence, "The regime fell, he said.");
    }

    #[test]
    fn frames_are_matched_apart_and_name_the_dominant_one() {
        let set = LexiconSet::from_sources(vec![
            SourceFile {
                origin: "a.txt".into(),
                default_id: Some("advocacy.labels".into()),
                text: "#! side: advocacy\n#! description: d\nregime\n".into(),
            },
            SourceFile {
                origin: "e.txt".into(),
                default_id: Some("frames.economic".into()),
                text: "#! side: none\n#! role: frame\n#! description: d\ntrade\nsanctions\n".into(),
            },
            SourceFile {
                origin: "s.txt".into(),
                default_id: Some("frames.security".into()),
                text: "#! side: none\n#! role: frame\n#! description: d\nregime\nmissiles\n".into(),
            },
        ])
        .unwrap();
        let a = Analyzer::new(set).unwrap();
        let r = a
            .analyze(
                &article(
                    "",
                    "The regime traded missiles; trade and sanctions grew, and trade fell.",
                ),
                true,
            )
            .unwrap();
        // `regime` counts for the labels and for the security frame: frames never take a hit
        assert_eq!(r.score.author, vec![1, 3, 2]);
        assert_eq!(r.score.dominant_frame, Some(1));
        assert_eq!(frame_hits(&a.set, &r.score.author, &r.score.quoted), 5);
        // every count has its hit row
        assert_eq!(r.hits.len(), 6);
    }

    #[test]
    fn balance_is_empty_without_hits() {
        assert_eq!(balance(0.0, 0.0), None);
        assert_eq!(balance(1.0, 0.0), Some(1.0));
        assert_eq!(balance(0.0, 3.0), Some(-1.0));
    }
}
