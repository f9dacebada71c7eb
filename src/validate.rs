//! Validation: how well the analyzer's flags agree with annotated spans. Pure: gold articles
//! and an [`Analyzer`] in, metric rows out; `framescope validate` reads and writes around it.
//!
//! Tokens are Unicode words (UAX #29) of the article text; a token is **flagged** when a hit of
//! the chosen side (and voice) overlaps it, and **positive** when an annotated span (after the
//! `--only` filters) overlaps it. Figures:
//! - `token_precision` = flagged positive tokens / flagged tokens; `token_recall` = flagged
//!   positive tokens / positive tokens; `token_f1` their harmonic mean;
//! - `span_coverage` = share of spans with at least one flagged token;
//! - `sentence_auc` = ROC-AUC of a sentence's weighted hit score for "overlaps a span"
//!   (Mann-Whitney form, ties counted half);
//! - `pair_agreement` (with a grouping field): for each pair of articles in a group, does the
//!   advocacy index order them as the span density (spans per 1,000 words) does; ties are left
//!   out; `p` is the two-sided sign test.
//!
//! Beside each figure, a **baseline**: the same figure when, in each article, as many random
//! content words (three letters or more, not a stop word) are flagged as the analyzer flagged
//! there; seeded, averaged over the repeats. Split rows (`--by FIELD`) restrict the spans to one
//! label value.

use std::collections::BTreeMap;

use unicode_segmentation::UnicodeSegmentation;

use crate::corpus::gold::GoldArticle;
use crate::corpus::{Article, Encoding, Origin};
use crate::lexicon::Side;
use crate::score::{Analyzer, Voice};
use crate::text::Document;

/// Which hits flag tokens.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Hits of this side flag tokens (`None`: every side).
    pub side: Option<Side>,
    /// Only author-voice hits flag tokens.
    pub author_only: bool,
    /// Keep only spans whose label `field` equals `value`.
    pub only: Vec<(String, String)>,
    /// Label fields to split the figures by.
    pub by: Vec<String>,
    /// Article field grouping the pair check (`event_id`).
    pub pair_by: Option<String>,
    pub repeats: u32,
    pub seed: u64,
}

/// One figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub metric: &'static str,
    /// `""` for the whole set, else the label field and value of the split.
    pub split_field: String,
    pub split_value: String,
    pub value: Option<f64>,
    pub baseline: Option<f64>,
    /// What the figure is over (tokens, spans, sentences or pairs).
    pub n: u64,
    /// For the pair check: the sign test's p-value.
    pub p: Option<f64>,
}

const STOP: &[&str] = &[
    "the", "and", "for", "are", "was", "were", "has", "have", "had", "that", "this", "with",
    "from", "but", "not", "his", "her", "its", "their", "they", "she", "him", "them", "who",
    "which", "what", "when", "where", "will", "would", "can", "could", "should", "may", "might",
    "been", "being", "than", "then", "there", "also", "into", "over", "about", "after", "said",
    "says", "our", "you", "all", "any", "one", "two", "out", "more", "most", "other", "some",
];

struct Prepared {
    /// Token char ranges.
    tokens: Vec<(usize, usize)>,
    content: Vec<usize>,
    flagged: Vec<bool>,
    /// Per span kept: its labels and the tokens it covers.
    spans: Vec<(BTreeMap<String, String>, Vec<usize>)>,
    /// Sentence char ranges with the analyzer's score.
    sentences: Vec<((usize, usize), f64)>,
    words: u64,
    advocacy_index: Option<f64>,
    group: Option<String>,
}

/// SplitMix64: a small deterministic generator for the baseline.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// `k` distinct picks from `pool` (partial Fisher-Yates on a copy).
    fn sample(&mut self, pool: &[usize], k: usize) -> Vec<usize> {
        let mut v = pool.to_vec();
        let k = k.min(v.len());
        for i in 0..k {
            let j = i + (self.next() % (v.len() - i) as u64) as usize;
            v.swap(i, j);
        }
        v.truncate(k);
        v
    }
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

fn prepare(analyzer: &Analyzer, g: &GoldArticle, opts: &Options) -> Option<Prepared> {
    let article = Article {
        id: g.id.clone(),
        source: g.source.clone(),
        title: g.title.clone(),
        date: String::new(),
        url: String::new(),
        author: String::new(),
        text: g.text.clone(),
        encoding: Encoding::Utf8,
        origin: Origin {
            path: "gold".into(),
            line: None,
        },
        extra: Vec::new(),
        html_dropped: Vec::new(),
        cut_bytes: 0,
    };
    let analysis = analyzer.analyze(&article, true).ok()?;
    let text = &g.text;
    // byte -> char offsets, one pass
    let mut char_at = vec![0usize; text.len() + 1];
    let mut c = 0;
    for (b, ch) in text.char_indices() {
        for slot in &mut char_at[b..b + ch.len_utf8()] {
            *slot = c;
        }
        c += 1;
    }
    char_at[text.len()] = c;
    let mut tokens = Vec::new();
    let mut content = Vec::new();
    for (b, w) in text.unicode_word_indices() {
        let lower = w.to_lowercase();
        if w.chars().filter(|c| c.is_alphabetic()).count() >= 3 && !STOP.contains(&lower.as_str()) {
            content.push(tokens.len());
        }
        tokens.push((char_at[b], char_at[b + w.len()]));
    }
    let mut flagged = vec![false; tokens.len()];
    let doc = Document::new(text);
    let mut sentences: Vec<((usize, usize), f64)> = doc
        .sentences
        .iter()
        .map(|s| {
            let r = doc.input_range(*s);
            ((char_at[r.start], char_at[r.end]), 0.0)
        })
        .collect();
    for h in &analysis.hits {
        let lex = &analyzer.set.lexicons[h.lexicon];
        let side_ok = opts.side.is_none_or(|s| s == lex.side) && lex.side != Side::None;
        let voice_ok = !opts.author_only || h.voice == Voice::Author;
        if h.field != crate::score::Field::Text || !side_ok || !voice_ok {
            continue;
        }
        let r = (h.chars.start, h.chars.end);
        let k = tokens.partition_point(|t| t.1 <= r.0);
        for (t, f) in tokens[k..].iter().zip(&mut flagged[k..]) {
            if t.0 >= r.1 {
                break;
            }
            *f = true;
        }
        // sentences are in order: the first one ending after the hit's start
        let si = sentences.partition_point(|(span, _)| span.1 <= r.0);
        if let Some(s) = sentences.get_mut(si).filter(|(span, _)| overlaps(*span, r)) {
            s.1 += analyzer.set.hit_weight(h.lexicon, h.entry);
        }
    }
    let spans = g
        .spans
        .iter()
        .filter(|sp| {
            opts.only
                .iter()
                .all(|(k, v)| sp.labels.get(k).is_some_and(|x| x == v))
        })
        .map(|sp| {
            let first = tokens.partition_point(|t| t.1 <= sp.start);
            let covered = (first..tokens.len())
                .take_while(|&i| tokens[i].0 < sp.end)
                .collect();
            (sp.labels.clone(), covered)
        })
        .collect();
    let measures = analysis.score.measures(&analyzer.set);
    Some(Prepared {
        tokens,
        content,
        flagged,
        spans,
        sentences,
        words: analysis.score.words,
        advocacy_index: measures[2],
        group: opts.pair_by.as_ref().and_then(|f| g.fields.get(f).cloned()),
    })
}

#[derive(Default, Clone, Copy)]
struct Tally {
    flagged: u64,
    flagged_pos: u64,
    pos: u64,
    spans: u64,
    spans_hit: u64,
}

/// Token and span tallies for spans passing `keep`, with `flags` as the flagged tokens.
fn tally(p: &Prepared, flags: &[bool], keep: &dyn Fn(&BTreeMap<String, String>) -> bool) -> Tally {
    let mut positive = vec![false; p.tokens.len()];
    let mut t = Tally::default();
    for (labels, covered) in &p.spans {
        if !keep(labels) {
            continue;
        }
        t.spans += 1;
        if covered.iter().any(|&i| flags[i]) {
            t.spans_hit += 1;
        }
        for &i in covered {
            positive[i] = true;
        }
    }
    for (f, pos) in flags.iter().zip(&positive) {
        t.flagged += *f as u64;
        t.pos += *pos as u64;
        t.flagged_pos += (*f && *pos) as u64;
    }
    t
}

fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// ROC-AUC of `scores` for `labels` (Mann-Whitney, ties half); `None` without both classes.
pub fn auc(scores: &[f64], labels: &[bool]) -> Option<f64> {
    let mut idx: Vec<usize> = (0..scores.len()).collect();
    idx.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let mut ranks = vec![0.0; scores.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && scores[idx[j + 1]] == scores[idx[i]] {
            j += 1;
        }
        let r = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            ranks[k] = r;
        }
        i = j + 1;
    }
    let n1 = labels.iter().filter(|&&l| l).count() as f64;
    let n0 = labels.len() as f64 - n1;
    if n1 == 0.0 || n0 == 0.0 {
        return None;
    }
    let sum: f64 = ranks
        .iter()
        .zip(labels)
        .filter(|(_, l)| **l)
        .map(|(r, _)| r)
        .sum();
    Some((sum - n1 * (n1 + 1.0) / 2.0) / (n1 * n0))
}

/// Two-sided sign test p-value for `k` successes in `n` fair trials.
pub fn sign_test(k: u64, n: u64) -> Option<f64> {
    use statrs::distribution::{Binomial, DiscreteCDF};
    if n == 0 {
        return None;
    }
    let b = Binomial::new(0.5, n).ok()?;
    let lo = b.cdf(k);
    let hi = if k == 0 { 1.0 } else { 1.0 - b.cdf(k - 1) };
    Some((2.0 * lo.min(hi)).min(1.0))
}

struct Metrics {
    precision: Option<f64>,
    recall: Option<f64>,
    f1: Option<f64>,
    coverage: Option<f64>,
    auc: Option<f64>,
}

/// `own`: the flags are the analyzer's, so a sentence scores its weighted hits; random flags
/// score by the number of flagged tokens.
fn metrics(
    prepared: &[Prepared],
    flags: &[Vec<bool>],
    keep: &dyn Fn(&BTreeMap<String, String>) -> bool,
    with_auc: bool,
    own: bool,
) -> (Metrics, Tally, u64) {
    let mut t = Tally::default();
    let mut scores = Vec::new();
    let mut labels = Vec::new();
    for (p, f) in prepared.iter().zip(flags) {
        let x = tally(p, f, keep);
        t.flagged += x.flagged;
        t.flagged_pos += x.flagged_pos;
        t.pos += x.pos;
        t.spans += x.spans;
        t.spans_hit += x.spans_hit;
        if with_auc {
            for (span, score) in &p.sentences {
                let s = if own {
                    *score
                } else {
                    let first = p.tokens.partition_point(|t| t.1 <= span.0);
                    (first..p.tokens.len())
                        .take_while(|&i| p.tokens[i].0 < span.1)
                        .filter(|&i| f[i])
                        .count() as f64
                };
                scores.push(s);
                labels.push(
                    p.spans
                        .iter()
                        .filter(|(l, _)| keep(l))
                        .any(|(_, covered)| covered.iter().any(|&i| overlaps(p.tokens[i], *span))),
                );
            }
        }
    }
    let precision = ratio(t.flagged_pos, t.flagged);
    let recall = ratio(t.flagged_pos, t.pos);
    let f1 = match (precision, recall) {
        (Some(p), Some(r)) if p + r > 0.0 => Some(2.0 * p * r / (p + r)),
        (Some(_), Some(_)) => Some(0.0),
        _ => None,
    };
    let m = Metrics {
        precision,
        recall,
        f1,
        coverage: ratio(t.spans_hit, t.spans),
        auc: if with_auc {
            auc(&scores, &labels)
        } else {
            None
        },
    };
    (m, t, scores.len() as u64)
}

/// Run the analyzer on the gold articles and compute every figure.
pub fn validate(analyzer: &Analyzer, gold: &[GoldArticle], opts: &Options) -> Vec<Figure> {
    let prepared: Vec<Prepared> = gold
        .iter()
        .filter_map(|g| prepare(analyzer, g, opts))
        .collect();
    let own: Vec<Vec<bool>> = prepared.iter().map(|p| p.flagged.clone()).collect();
    // random flags: as many content words per article as the analyzer flagged there
    let random: Vec<Vec<Vec<bool>>> = (0..opts.repeats.max(1))
        .map(|r| {
            prepared
                .iter()
                .enumerate()
                .map(|(ai, p)| {
                    let k = p.flagged.iter().filter(|&&f| f).count();
                    let mut rng =
                        Rng(opts.seed ^ ((ai as u64) << 20) ^ (r as u64).wrapping_mul(0x51ED));
                    let mut f = vec![false; p.tokens.len()];
                    for i in rng.sample(&p.content, k) {
                        f[i] = true;
                    }
                    f
                })
                .collect()
        })
        .collect();

    let mut out = Vec::new();
    let mut splits: Vec<(String, String)> = vec![(String::new(), String::new())];
    for field in &opts.by {
        let mut values: Vec<String> = prepared
            .iter()
            .flat_map(|p| p.spans.iter().filter_map(|(l, _)| l.get(field).cloned()))
            .collect();
        values.sort();
        values.dedup();
        splits.extend(values.into_iter().map(|v| (field.clone(), v)));
    }
    for (field, value) in &splits {
        let keep = |l: &BTreeMap<String, String>| field.is_empty() || l.get(field) == Some(value);
        let whole = field.is_empty();
        let (m, t, sentences) = metrics(&prepared, &own, &keep, whole, true);
        let base: Vec<Metrics> = random
            .iter()
            .map(|flags| metrics(&prepared, flags, &keep, whole, false).0)
            .collect();
        let mean = |get: &dyn Fn(&Metrics) -> Option<f64>| {
            let v: Vec<f64> = base.iter().filter_map(get).collect();
            (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
        };
        let sv = value.clone();
        let mut add = |metric: &'static str, v: Option<f64>, b: Option<f64>, n: u64| {
            out.push(Figure {
                metric,
                split_field: field.clone(),
                split_value: sv.clone(),
                value: v,
                baseline: b,
                n,
                p: None,
            })
        };
        add(
            "token_precision",
            m.precision,
            mean(&|x| x.precision),
            t.flagged,
        );
        add("token_recall", m.recall, mean(&|x| x.recall), t.pos);
        add("token_f1", m.f1, mean(&|x| x.f1), t.pos);
        add("span_coverage", m.coverage, mean(&|x| x.coverage), t.spans);
        if whole {
            add("sentence_auc", m.auc, mean(&|x| x.auc), sentences);
        }
    }
    if opts.pair_by.is_some() {
        let (agree, n) = pair_agreement(&prepared);
        out.push(Figure {
            metric: "pair_agreement",
            split_field: opts.pair_by.clone().unwrap_or_default(),
            split_value: String::new(),
            value: ratio(agree, n),
            baseline: (n > 0).then_some(0.5),
            n,
            p: sign_test(agree, n),
        });
    }
    out
}

/// Pairs of articles in one group ordered alike by the advocacy index and by span density.
fn pair_agreement(prepared: &[Prepared]) -> (u64, u64) {
    let mut groups: BTreeMap<&str, Vec<&Prepared>> = BTreeMap::new();
    for p in prepared {
        if let Some(g) = &p.group {
            groups.entry(g.as_str()).or_default().push(p);
        }
    }
    let (mut agree, mut n) = (0, 0);
    for members in groups.values() {
        for i in 0..members.len() {
            for j in i + 1..members.len() {
                let (a, b) = (members[i], members[j]);
                let (Some(xa), Some(xb)) = (a.advocacy_index, b.advocacy_index) else {
                    continue;
                };
                let density = |p: &Prepared| 1000.0 * p.spans.len() as f64 / p.words.max(1) as f64;
                let (ya, yb) = (density(a), density(b));
                if xa == xb || ya == yb {
                    continue;
                }
                n += 1;
                if (xa > xb) == (ya > yb) {
                    agree += 1;
                }
            }
        }
    }
    (agree, n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_matches_hand_computed_values() {
        // perfect, inverse, and the textbook case with a tie: scores 1,2,2,3 labels F,T,F,T
        assert_eq!(
            auc(&[1.0, 2.0, 3.0, 4.0], &[false, false, true, true]),
            Some(1.0)
        );
        assert_eq!(
            auc(&[4.0, 3.0, 2.0, 1.0], &[false, false, true, true]),
            Some(0.0)
        );
        // pairs (pos, neg): (2,1) win, (2,2) tie, (3,1) win, (3,2) win -> 3.5 / 4
        assert_eq!(
            auc(&[1.0, 2.0, 2.0, 3.0], &[false, true, false, true]),
            Some(0.875)
        );
        assert_eq!(auc(&[1.0, 2.0], &[true, true]), None);
    }

    #[test]
    fn sign_test_matches_the_binomial() {
        // scipy.stats.binomtest(8, 10, 0.5).pvalue = 0.109375
        assert!((sign_test(8, 10).unwrap() - 0.109375).abs() < 1e-12);
        assert!((sign_test(5, 10).unwrap() - 1.0).abs() < 1e-12);
        // binomtest(0, 5) = 0.0625
        assert!((sign_test(0, 5).unwrap() - 0.0625).abs() < 1e-12);
        assert_eq!(sign_test(0, 0), None);
    }

    #[test]
    fn rng_sample_is_deterministic_and_distinct() {
        let pool: Vec<usize> = (0..50).collect();
        let a = Rng(7).sample(&pool, 10);
        let b = Rng(7).sample(&pool, 10);
        assert_eq!(a, b);
        let mut c = a.clone();
        c.sort();
        c.dedup();
        assert_eq!(c.len(), 10);
        assert_eq!(Rng(1).sample(&pool, 100).len(), 50);
    }
}
