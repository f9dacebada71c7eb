//! Per-outlet accumulators. Each holds only sufficient statistics (counts, sums, Welford
//! moments, a bounded median summary), and merges with `+=`, so per-article, per-batch and
//! per-outlet totals run through one piece of code and the result does not depend on the
//! order of merging. Memory grows with outlets x measures, never with articles.

mod stats;

pub use stats::{
    Median, Moments, RankSide, Sketch, Summary, rank_bins, rank_bins_with, summarize, value_bins,
    value_runs,
};

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::AddAssign;

use crate::attribution::SpeakerKind;
use crate::score::{ArticleScore, Attributions, ByVoice};

/// Everything kept about one outlet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OutletAcc {
    pub articles: u64,
    /// Sums of the article counts of the same names (`score::ArticleScore`).
    pub words: u64,
    pub quoted_words: u64,
    pub sentences: u64,
    pub headline_words: u64,
    pub attributions: Attributions,
    /// Hits per category and voice.
    pub author: Vec<u64>,
    /// Weighted author-voice hits per category (`ArticleScore::author_weight`), summed.
    pub author_weight: Vec<f64>,
    pub quoted: Vec<u64>,
    pub headline: Vec<u64>,
    /// Per speaker (display name, kind): quotations, quoted words, paraphrases, articles.
    pub speakers: BTreeMap<(String, SpeakerKind), SpeakerAcc>,
    /// Articles per dominant frame (index into `LexiconSet::lexicons`).
    pub dominant_frames: BTreeMap<usize, u64>,
    /// One accumulator per article measure (`score::measure_names`).
    pub measures: Vec<MeasureAcc>,
    /// Per lexicon entry `(lexicon, entry)`: hits and articles, by voice (`keyness.csv`).
    pub entries: EntryTotals,
    /// Per case-folded word, with `--all-words` only: occurrences and articles, by voice.
    /// Memory grows with the outlet's vocabulary, not with its articles.
    pub vocabulary: HashMap<Box<str>, TermAcc>,
}

/// Totals per lexicon entry, keyed `(lexicon, entry)`. A hash map rather than a B-tree: each
/// article folds in dozens of entries, and the B-tree's look-ups were 1.3 % of a run,
/// on the thread that writes the rows. It is never read in its own order (the keyness report
/// sorts the keys).
pub type EntryTotals = HashMap<(u32, u32), TermAcc, BuildHasherDefault<PairHasher>>;

/// The hasher of [`EntryTotals`]: pairs of small integers, each mixed in with a rotate, an
/// exclusive or and a multiply (the `FxHash` step). The same on every run.
#[derive(Default)]
pub struct PairHasher(u64);

impl PairHasher {
    #[inline]
    fn mix(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for PairHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.mix(u64::from(b));
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.mix(u64::from(n));
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// How often one term (a lexicon entry or a word) occurs in an outlet, by voice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TermAcc {
    /// Occurrences by voice (`Voice::index`).
    pub hits: ByVoice,
    /// Articles with at least one occurrence, by voice.
    pub articles: ByVoice,
    /// Articles with at least one occurrence in any voice.
    pub articles_any: u64,
}

impl TermAcc {
    /// The counts of one article.
    pub fn of_article(hits: ByVoice) -> TermAcc {
        TermAcc {
            hits,
            articles: hits.map(|h| u64::from(h > 0)),
            articles_any: u64::from(hits.iter().any(|&h| h > 0)),
        }
    }
}

impl AddAssign<&TermAcc> for TermAcc {
    fn add_assign(&mut self, o: &TermAcc) {
        for v in 0..3 {
            self.hits[v] += o.hits[v];
            self.articles[v] += o.articles[v];
        }
        self.articles_any += o.articles_any;
    }
}

/// What one speaker got in one outlet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SpeakerAcc {
    pub quotes: u64,
    pub quoted_words: u64,
    pub paraphrases: u64,
    pub articles: u64,
}

impl AddAssign<&SpeakerAcc> for SpeakerAcc {
    fn add_assign(&mut self, o: &SpeakerAcc) {
        self.quotes += o.quotes;
        self.quoted_words += o.quoted_words;
        self.paraphrases += o.paraphrases;
        self.articles += o.articles;
    }
}

/// Distribution of one article measure over an outlet's articles.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MeasureAcc {
    pub moments: Moments,
    pub median: Median,
}

impl MeasureAcc {
    pub fn push(&mut self, x: f64) {
        self.moments.push(x);
        self.median.push(x);
    }
}

impl AddAssign<&MeasureAcc> for MeasureAcc {
    fn add_assign(&mut self, other: &MeasureAcc) {
        self.moments += &other.moments;
        self.median += &other.median;
    }
}

impl OutletAcc {
    /// The accumulator of a single article.
    pub fn from_article(s: &ArticleScore, measures: &[Option<f64>]) -> OutletAcc {
        OutletAcc {
            articles: 1,
            words: s.words,
            quoted_words: s.quoted_words,
            sentences: s.sentences,
            headline_words: s.headline_words,
            attributions: s.attributions,
            author: s.author.clone(),
            author_weight: s.author_weight.clone(),
            quoted: s.quoted.clone(),
            headline: s.headline.clone(),
            speakers: s
                .speakers
                .iter()
                .map(|(k, c)| {
                    let acc = SpeakerAcc {
                        quotes: c.quotes,
                        quoted_words: c.quoted_words,
                        paraphrases: c.paraphrases,
                        articles: 1,
                    };
                    (k.clone(), acc)
                })
                .collect(),
            dominant_frames: s.dominant_frame.map(|i| (i, 1)).into_iter().collect(),
            measures: measures
                .iter()
                .map(|m| {
                    let mut acc = MeasureAcc::default();
                    if let Some(x) = m {
                        acc.push(*x);
                    }
                    acc
                })
                .collect(),
            entries: s
                .entries
                .iter()
                .map(|(&k, &hits)| (k, TermAcc::of_article(hits)))
                .collect(),
            vocabulary: HashMap::new(),
        }
    }

    /// Fold one article in: exactly `*self += &OutletAcc::from_article(s, measures)`, without
    /// building the article's own accumulator (its vectors, maps and one-value medians).
    pub fn add_article(&mut self, s: &ArticleScore, measures: &[Option<f64>]) {
        self.articles += 1;
        self.words += s.words;
        self.quoted_words += s.quoted_words;
        self.sentences += s.sentences;
        self.headline_words += s.headline_words;
        self.attributions += s.attributions;
        add_vec(&mut self.author, &s.author, |x, y| *x += *y);
        add_vec(&mut self.author_weight, &s.author_weight, |x, y| *x += *y);
        add_vec(&mut self.quoted, &s.quoted, |x, y| *x += *y);
        add_vec(&mut self.headline, &s.headline, |x, y| *x += *y);
        for (k, c) in &s.speakers {
            let acc = SpeakerAcc {
                quotes: c.quotes,
                quoted_words: c.quoted_words,
                paraphrases: c.paraphrases,
                articles: 1,
            };
            match self.speakers.get_mut(k) {
                Some(v) => *v += &acc,
                None => {
                    self.speakers.insert(k.clone(), acc);
                }
            }
        }
        if let Some(i) = s.dominant_frame {
            *self.dominant_frames.entry(i).or_default() += 1;
        }
        if self.measures.len() < measures.len() {
            self.measures.resize(measures.len(), MeasureAcc::default());
        }
        for (acc, m) in self.measures.iter_mut().zip(measures) {
            if let Some(x) = *m {
                let mut one = stats::Moments::default();
                one.push(x);
                acc.moments += &one;
                acc.median.push(x);
            }
        }
        for (&k, &hits) in &s.entries {
            *self.entries.entry(k).or_default() += &TermAcc::of_article(hits);
        }
    }

    /// Add one article's word counts (`Analysis::words`) to `vocabulary`.
    pub fn add_words(&mut self, words: &[(String, ByVoice)]) {
        for (w, hits) in words {
            let acc = TermAcc::of_article(*hits);
            match self.vocabulary.get_mut(w.as_str()) {
                Some(t) => *t += &acc,
                None => {
                    self.vocabulary.insert(w.as_str().into(), acc);
                }
            }
        }
    }

    /// Words in each voice: author (body outside quotations), quoted, headline.
    pub fn words_by_voice(&self) -> ByVoice {
        [
            self.words.saturating_sub(self.quoted_words),
            self.quoted_words,
            self.headline_words,
        ]
    }

    /// Distinct speakers (attributed ones) quoted or paraphrased by the outlet.
    pub fn distinct_speakers(&self) -> u64 {
        self.speakers
            .keys()
            .filter(|(_, kind)| *kind != SpeakerKind::Unattributed)
            .count() as u64
    }
}

fn add_vec<T: Clone + Default, F: Fn(&mut T, &T)>(a: &mut Vec<T>, b: &[T], f: F) {
    if a.len() < b.len() {
        a.resize(b.len(), T::default());
    }
    for (x, y) in a.iter_mut().zip(b) {
        f(x, y);
    }
}

impl AddAssign<&OutletAcc> for OutletAcc {
    fn add_assign(&mut self, o: &OutletAcc) {
        self.articles += o.articles;
        self.words += o.words;
        self.quoted_words += o.quoted_words;
        self.sentences += o.sentences;
        self.headline_words += o.headline_words;
        self.attributions += o.attributions;
        add_vec(&mut self.author, &o.author, |x, y| *x += *y);
        add_vec(&mut self.author_weight, &o.author_weight, |x, y| *x += *y);
        add_vec(&mut self.quoted, &o.quoted, |x, y| *x += *y);
        add_vec(&mut self.headline, &o.headline, |x, y| *x += *y);
        for (k, v) in &o.speakers {
            *self.speakers.entry(k.clone()).or_default() += v;
        }
        for (k, v) in &o.dominant_frames {
            *self.dominant_frames.entry(*k).or_default() += v;
        }
        add_vec(&mut self.measures, &o.measures, |x, y| *x += y);
        for (k, v) in &o.entries {
            *self.entries.entry(*k).or_default() += v;
        }
        for (k, v) in &o.vocabulary {
            match self.vocabulary.get_mut(k) {
                Some(t) => *t += v,
                None => {
                    self.vocabulary.insert(k.clone(), *v);
                }
            }
        }
    }
}

/// Accumulators of every outlet, keyed (and so sorted) by outlet name.
pub type Outlets = BTreeMap<String, OutletAcc>;

/// Put every outlet's exact measure values in ascending order ([`Median::sort_values`]): once,
/// when the corpus has been read, before the pairwise comparisons bin them.
pub fn sort_values(outlets: &mut Outlets) {
    for acc in outlets.values_mut() {
        for m in &mut acc.measures {
            m.median.sort_values();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn acc(words: u64, hits: u64, m: &[Option<f64>]) -> OutletAcc {
        let mut score = ArticleScore {
            words,
            sentences: 1,
            headline_words: 2,
            headline_in_text: true,
            author: vec![hits],
            quoted: vec![1],
            headline: vec![0],
            attributions: Attributions {
                direct: hits % 3,
                ..Attributions::default()
            },
            ..ArticleScore::default()
        };
        score
            .entries
            .insert((0, (hits % 3) as u32), [hits, hits % 2, 0]);
        score.speakers.insert(
            (format!("S{}", hits % 4), SpeakerKind::Person),
            crate::score::SpeakerCount {
                quotes: 1,
                quoted_words: words % 7,
                paraphrases: 0,
            },
        );
        OutletAcc::from_article(&score, m)
    }

    proptest! {
        /// Folding an article in place gives exactly what merging its own accumulator gives.
        #[test]
        fn adding_an_article_is_merging_its_accumulator(xs in proptest::collection::vec((1u64..5000, 0u64..50, proptest::option::of(-1.0f64..1.0)), 1..60)) {
            let mut merged = OutletAcc::default();
            let mut added = OutletAcc::default();
            for &(w, h, b) in &xs {
                let m = [Some(h as f64 / 7.0), b];
                let one = acc(w, h, &m);
                merged += &one;
                let mut score = ArticleScore {
                    words: w,
                    sentences: 1,
                    headline_words: 2,
                    headline_in_text: true,
                    author: vec![h],
                    author_weight: vec![h as f64 * 0.1],
                    quoted: vec![1],
                    headline: vec![0],
                    attributions: Attributions { direct: h % 3, ..Attributions::default() },
                    dominant_frame: (h % 2 == 0).then_some(0),
                    ..ArticleScore::default()
                };
                score.entries.insert((0, (h % 3) as u32), [h, h % 2, 0]);
                score.speakers.insert(
                    (format!("S{}", h % 4), SpeakerKind::Person),
                    crate::score::SpeakerCount { quotes: 1, quoted_words: w % 7, paraphrases: 0 },
                );
                let mut reference = OutletAcc::default();
                reference += &OutletAcc::from_article(&score, &m);
                let mut folded = OutletAcc::default();
                folded.add_article(&score, &m);
                prop_assert_eq!(&reference, &folded);
                added.add_article(&score, &m);
            }
            prop_assert_eq!(merged.articles, added.articles);
            prop_assert_eq!(&merged.measures, &added.measures);
        }

        #[test]
        fn merging_is_order_independent(xs in proptest::collection::vec((1u64..5000, 0u64..50, proptest::option::of(-1.0f64..1.0)), 1..60), split in 0usize..60) {
            let parts: Vec<OutletAcc> = xs.iter().map(|&(w, h, b)| acc(w, h, &[Some(h as f64), b])).collect();
            let mut forward = OutletAcc::default();
            for p in &parts { forward += p; }
            let mut backward = OutletAcc::default();
            for p in parts.iter().rev() { backward += p; }
            // two halves merged, as threads would
            let split = split.min(parts.len());
            let (mut left, mut right) = (OutletAcc::default(), OutletAcc::default());
            for p in &parts[..split] { left += p; }
            for p in &parts[split..] { right += p; }
            left += &right;
            for other in [&backward, &left] {
                prop_assert_eq!(forward.articles, other.articles);
                prop_assert_eq!(forward.words, other.words);
                prop_assert_eq!(&forward.author, &other.author);
                prop_assert_eq!(&forward.quoted, &other.quoted);
                prop_assert_eq!(forward.attributions, other.attributions);
                prop_assert_eq!(&forward.speakers, &other.speakers);
                prop_assert_eq!(&forward.entries, &other.entries);
                for (a, b) in forward.measures.iter().zip(&other.measures) {
                    let (sa, sb) = (summarize(a), summarize(b));
                    prop_assert_eq!(sa.n, sb.n);
                    prop_assert_eq!(sa.median, sb.median);
                    let close = |x: Option<f64>, y: Option<f64>| match (x, y) {
                        (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * (1.0 + x.abs()),
                        (None, None) => true,
                        _ => false,
                    };
                    prop_assert!(close(sa.mean, sb.mean));
                    prop_assert!(close(sa.sd, sb.sd));
                }
            }
        }
    }
}
