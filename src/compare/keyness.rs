//! `keyness.csv`: for each outlet against all the others (and, on request, each pair of
//! outlets), every lexicon entry that matched (and, with `--all-words`, every word), counted in
//! one voice, with the log-odds ratio under an informative Dirichlet prior and its z-score
//! (Monroe, Colaresi & Quinn 2008), Dunning's G2 with its p-value, and the p-value adjusted
//! over the whole table (Benjamini-Hochberg).

use std::collections::{BTreeMap, HashMap};

use super::stats::{G2, LogOdds, bh_adjust, g2, log_odds};
use crate::aggregate::{OutletAcc, Outlets, TermAcc};

/// Whose words are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VoiceSel {
    /// The outlet's own voice: body words outside quotations (as the indices).
    #[default]
    Author,
    /// Words inside quotations: the sources' words as the outlet chose to quote them.
    Quoted,
    /// Every word: headline, body and quotations.
    All,
}

impl VoiceSel {
    pub fn as_str(self) -> &'static str {
        match self {
            VoiceSel::Author => "author",
            VoiceSel::Quoted => "quoted",
            VoiceSel::All => "all",
        }
    }

    /// Occurrences and articles of a term in this voice.
    fn of(self, t: &TermAcc) -> (u64, u64) {
        match self {
            VoiceSel::Author => (t.hits[0], t.articles[0]),
            VoiceSel::Quoted => (t.hits[1], t.articles[1]),
            VoiceSel::All => (t.hits.iter().sum(), t.articles_any),
        }
    }

    /// Words of an outlet in this voice.
    fn words(self, o: &OutletAcc) -> u64 {
        let w = o.words_by_voice();
        match self {
            VoiceSel::Author => w[0],
            VoiceSel::Quoted => w[1],
            VoiceSel::All => w.iter().sum(),
        }
    }
}

/// Settings of `keyness.csv`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeynessConfig {
    pub voice: VoiceSel,
    /// Also compare every pair of outlets.
    pub pairs: bool,
    /// Also test every word, not only lexicon entries.
    pub all_words: bool,
    /// Rows need at least this many occurrences in the two groups together.
    pub min_count: u64,
    /// `alpha_0`: the prior's weight in words of text.
    pub prior_words: f64,
}

impl Default for KeynessConfig {
    fn default() -> Self {
        KeynessConfig {
            voice: VoiceSel::Author,
            pairs: false,
            all_words: false,
            min_count: 1,
            prior_words: 1000.0,
        }
    }
}

/// A term: a lexicon entry `(lexicon, entry)` or a word.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Term {
    Entry(u32, u32),
    Word(Box<str>),
}

/// One side of a comparison, for one term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Group {
    /// Occurrences of the term.
    pub count: u64,
    /// Words in the voice compared.
    pub words: u64,
    /// Articles with the term.
    pub articles_with: u64,
    /// Articles of the group.
    pub articles: u64,
}

impl Group {
    /// Occurrences per 1,000 words.
    pub fn per_1k(&self) -> Option<f64> {
        (self.words > 0).then(|| 1000.0 * self.count as f64 / self.words as f64)
    }
}

/// One `keyness.csv` row.
#[derive(Debug, Clone, PartialEq)]
pub struct KeynessRow {
    /// `true` for an outlet against all the others, `false` for a pair.
    pub one_vs_rest: bool,
    pub source: String,
    /// The other outlet of a pair; empty against all the others.
    pub versus: String,
    pub term: Term,
    pub a: Group,
    pub b: Group,
    pub log_odds: Option<LogOdds>,
    pub g2: Option<G2>,
    /// G2's p-value adjusted over every row of the table.
    pub p_adj: Option<f64>,
}

/// Every term's counts for one outlet (or the total).
#[derive(Debug, Clone, Default)]
struct Terms {
    entries: BTreeMap<(u32, u32), TermAcc>,
    words: HashMap<Box<str>, TermAcc>,
}

impl Terms {
    fn of(o: &OutletAcc, all_words: bool) -> Terms {
        Terms {
            entries: o.entries.iter().map(|(k, v)| (*k, *v)).collect(),
            words: if all_words {
                o.vocabulary.clone()
            } else {
                HashMap::new()
            },
        }
    }

    fn add(&mut self, o: &OutletAcc, all_words: bool) {
        for (k, v) in &o.entries {
            *self.entries.entry(*k).or_default() += v;
        }
        if all_words {
            for (k, v) in &o.vocabulary {
                *self.words.entry(k.clone()).or_default() += v;
            }
        }
    }

    fn get(&self, t: &Term) -> TermAcc {
        match t {
            Term::Entry(l, e) => self.entries.get(&(*l, *e)).copied(),
            Term::Word(w) => self.words.get(w).copied(),
        }
        .unwrap_or_default()
    }

    /// Every term, in a fixed order.
    fn keys(&self) -> Vec<Term> {
        let mut keys: Vec<Term> = self
            .entries
            .keys()
            .map(|&(l, e)| Term::Entry(l, e))
            .collect();
        let mut words: Vec<&Box<str>> = self.words.keys().collect();
        words.sort_unstable();
        keys.extend(words.into_iter().map(|w| Term::Word(w.clone())));
        keys
    }
}

fn minus(a: TermAcc, b: TermAcc) -> TermAcc {
    let mut out = a;
    for v in 0..3 {
        out.hits[v] -= b.hits[v].min(out.hits[v]);
        out.articles[v] -= b.articles[v].min(out.articles[v]);
    }
    out.articles_any -= b.articles_any.min(out.articles_any);
    out
}

/// The statistics of one term between two groups. The prior is the two groups' pooled rate
/// of the term, worth `prior_words` words (`alpha_w = alpha_0 * (y_a + y_b) / (n_a + n_b)`),
/// so the log-odds ratio always has the sign of the difference in rates.
pub fn term_stats(a: &Group, b: &Group, prior_words: f64) -> (Option<LogOdds>, Option<G2>) {
    let pooled = a.count + b.count;
    let words = a.words + b.words;
    let lo = (pooled > 0 && words > 0)
        .then(|| {
            let alpha_w = prior_words * pooled as f64 / words as f64;
            log_odds(a.count, a.words, b.count, b.words, alpha_w, prior_words)
        })
        .flatten();
    (lo, g2(a.count, a.words, b.count, b.words))
}

/// Every `keyness.csv` row, sorted: outlets against the rest first, then pairs; within a
/// comparison by z-score, highest first (terms the outlet uses more at the top).
pub fn keyness_rows(outlets: &Outlets, cfg: &KeynessConfig) -> Vec<KeynessRow> {
    let voice = cfg.voice;
    let mut rows = Vec::new();
    let mut total = Terms::default();
    for o in outlets.values() {
        total.add(o, cfg.all_words);
    }
    let all_keys = total.keys();
    let total_words: u64 = outlets.values().map(|o| voice.words(o)).sum();
    let total_articles: u64 = outlets.values().map(|o| o.articles).sum();

    if outlets.len() >= 2 {
        for (name, o) in outlets {
            let wa = voice.words(o);
            let wb = total_words - wa;
            if wa == 0 || wb == 0 {
                continue;
            }
            let mine = Terms::of(o, cfg.all_words);
            let start = rows.len();
            for key in &all_keys {
                let ta = mine.get(key);
                let a = group(voice, ta, wa, o.articles);
                let b = group(
                    voice,
                    minus(total.get(key), ta),
                    wb,
                    total_articles - o.articles,
                );
                rows.extend(row(cfg, (name, None), key, a, b));
            }
            sort_by_z(&mut rows[start..]);
        }
    }
    if cfg.pairs {
        let names: Vec<(&String, &OutletAcc)> = outlets.iter().collect();
        for (i, &(na, oa)) in names.iter().enumerate() {
            for &(nb, ob) in &names[i + 1..] {
                let (wa, wb) = (voice.words(oa), voice.words(ob));
                if wa == 0 || wb == 0 {
                    continue;
                }
                let (ta, tb) = (Terms::of(oa, cfg.all_words), Terms::of(ob, cfg.all_words));
                let mut union = Terms::default();
                union.add(oa, cfg.all_words);
                union.add(ob, cfg.all_words);
                let start = rows.len();
                for key in union.keys() {
                    let a = group(voice, ta.get(&key), wa, oa.articles);
                    let b = group(voice, tb.get(&key), wb, ob.articles);
                    rows.extend(row(cfg, (na, Some(nb)), &key, a, b));
                }
                sort_by_z(&mut rows[start..]);
            }
        }
    }
    let ps: Vec<Option<f64>> = rows.iter().map(|r| r.g2.map(|g| g.p)).collect();
    for (row, adj) in rows.iter_mut().zip(bh_adjust(&ps)) {
        row.p_adj = adj;
    }
    rows
}

/// One group's figures for a term in the voice compared.
fn group(voice: VoiceSel, t: TermAcc, words: u64, articles: u64) -> Group {
    let (count, articles_with) = voice.of(&t);
    Group {
        count,
        words,
        articles_with,
        articles,
    }
}

/// The row of one term, unless it occurs fewer than `min_count` times in both groups
/// together. `versus` is `None` for an outlet against all the others.
fn row(
    cfg: &KeynessConfig,
    (source, versus): (&str, Option<&str>),
    term: &Term,
    a: Group,
    b: Group,
) -> Option<KeynessRow> {
    if a.count + b.count < cfg.min_count.max(1) {
        return None;
    }
    let (log_odds, g2) = term_stats(&a, &b, cfg.prior_words);
    Some(KeynessRow {
        one_vs_rest: versus.is_none(),
        source: source.to_string(),
        versus: versus.unwrap_or_default().to_string(),
        term: term.clone(),
        a,
        b,
        log_odds,
        g2,
        p_adj: None,
    })
}

/// Highest z first; rows without a z last; ties by term.
fn sort_by_z(rows: &mut [KeynessRow]) {
    rows.sort_by(|x, y| {
        let zx = x.log_odds.map(|l| l.z);
        let zy = y.log_odds.map(|l| l.z);
        match (zx, zy) {
            (Some(a), Some(b)) => b.total_cmp(&a),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then_with(|| x.term.cmp(&y.term))
    });
}
