//! `compare.csv`: every pair of outlets on every article measure. With at least two articles
//! on each side the articles are the unit: Welch's t (difference, 95 % CI, p), Hedges' g and
//! the Mann-Whitney U test. With fewer, a measure that is a ratio of counts (a rate per word, a
//! share of sentences, quotations or cues) is compared on the outlets' pooled counts with
//! Dunning's G2; any other measure gets no test. The `test` column says which was used, and no
//! cell holds a statistic its test cannot give.

use super::stats::{
    G2, MannWhitney, Sample, Welch, bh_adjust, g2, hedges_g, mann_whitney_bins, welch,
};
use rayon::prelude::*;

use crate::aggregate::{
    MeasureAcc, Median, OutletAcc, Outlets, RankSide, Sketch, rank_bins_with, value_runs,
};
use crate::lexicon::{LexiconSet, Side};
use crate::score::{MEASURES, measure_names};

/// Which test a `compare.csv` row carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareTest {
    /// Articles as the unit: Welch's t, Hedges' g, Mann-Whitney U.
    Articles,
    /// Pooled counts: Dunning's G2 on the 2x2 table of events and non-events.
    Counts,
    /// No test applies (the `note` says why).
    None,
}

impl CompareTest {
    pub fn as_str(self) -> &'static str {
        match self {
            CompareTest::Articles => "welch_mann_whitney",
            CompareTest::Counts => "g2_counts",
            CompareTest::None => "none",
        }
    }
}

/// One `compare.csv` row.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareRow {
    pub source_a: String,
    pub source_b: String,
    pub measure: String,
    pub test: CompareTest,
    /// Articles with a value of the measure.
    pub n_a: u64,
    pub n_b: u64,
    pub mean_a: Option<f64>,
    pub mean_b: Option<f64>,
    pub welch: Option<Welch>,
    pub hedges_g: Option<f64>,
    pub mann_whitney: Option<MannWhitney>,
    /// The Mann-Whitney test ran on sketch buckets (an outlet has more values than are kept
    /// exactly), so values within the sketch's accuracy count as ties.
    pub binned: bool,
    /// Pooled events and base (words, sentences, quotations or cues) of each outlet.
    pub counts: Option<[u64; 4]>,
    /// What `events / base` is multiplied by to be in the measure's units: 1000 for the
    /// per-1,000-words measures, 1 for shares.
    pub rate_scale: f64,
    pub g2: Option<G2>,
    /// Benjamini-Hochberg adjusted p-values over the file: Welch, Mann-Whitney, G2.
    pub adjusted: [Option<f64>; 3],
    /// Why a statistic is missing, when one is.
    pub note: String,
}

impl CompareRow {
    /// `mean_a - mean_b`.
    pub fn difference(&self) -> Option<f64> {
        Some(self.mean_a? - self.mean_b?)
    }

    /// The pooled rate of side `a` (`true`) or `b`, in the measure's units.
    pub fn rate(&self, a: bool) -> Option<f64> {
        let [ea, ba, eb, bb] = self.counts?;
        let (e, b) = if a { (ea, ba) } else { (eb, bb) };
        (b > 0).then(|| self.rate_scale * e as f64 / b as f64)
    }
}

/// The pooled counts behind a measure, `(events, base)`, when the measure is a ratio of
/// counts: `None` for word and sentence counts, the balance, and indices whose categories do
/// not all weigh 1.
fn pooled(set: &LexiconSet, index: usize, o: &OutletAcc) -> Option<(u64, u64)> {
    let at = &o.attributions;
    let author_words = o.words.saturating_sub(o.quoted_words);
    let side_counts = |side: Side| -> Option<u64> {
        let mut sum = 0;
        for (l, c) in set.lexicons.iter().zip(&o.author) {
            if l.side == side && l.role.is_scored() {
                if l.weight != 1.0 || l.entries.iter().any(|e| e.weight.is_some()) {
                    return None;
                }
                sum += c;
            }
        }
        Some(sum)
    };
    match MEASURES.get(index).copied() {
        Some("advocacy_index") => Some((side_counts(Side::Advocacy)?, author_words)),
        Some("neutral_index") => Some((side_counts(Side::Neutral)?, author_words)),
        Some("quoted_word_share") => Some((o.quoted_words, o.words)),
        Some("attribution_rate") => Some((at.attributed_sentences, o.sentences)),
        Some("quotes_per_1k") => Some((at.direct + at.partial, o.words)),
        Some("loaded_cue_share") => Some((at.loaded_cues, at.neutral_cues + at.loaded_cues)),
        Some("unattributed_advocacy_share") => {
            Some((at.unattributed_advocacy_sentences, o.sentences))
        }
        Some(_) => None,
        None => {
            let (i, _) = set
                .lexicons
                .iter()
                .enumerate()
                .filter(|(_, l)| l.role.is_scored())
                .nth(index - MEASURES.len())?;
            Some((o.author.get(i).copied().unwrap_or(0), author_words))
        }
    }
}

/// An outlet's side of a rank comparison, with what was made of it beforehand.
fn side<'a>(m: &'a MeasureAcc, (runs, sketch): &'a Made) -> RankSide<'a> {
    RankSide {
        median: &m.median,
        sketch: sketch.as_ref(),
        runs: runs.as_deref(),
    }
}

/// What the comparisons make once of an outlet's values of a measure: their runs of equal
/// values when they are held exactly, and their sketch when some other outlet's are sketched
/// ([`RankSide`]).
type Made = (Option<Vec<(f64, u64)>>, Option<Sketch>);

fn sample(m: &MeasureAcc) -> Sample {
    let n = m.moments.n;
    Sample {
        n,
        mean: m.moments.mean,
        var: if n >= 2 {
            m.moments.m2.max(0.0) / (n - 1) as f64
        } else {
            0.0
        },
    }
}

/// Every `compare.csv` row: pairs of outlets in name order, measures in `articles.csv` order.
pub fn compare_rows(set: &LexiconSet, outlets: &Outlets) -> Vec<CompareRow> {
    let names = measure_names(set);
    let list: Vec<(&String, &OutletAcc)> = outlets.iter().collect();
    let empty = MeasureAcc::default();
    // Every (pair, measure) is worked out on its own, in parallel on the current pool; the
    // rows come back in the order of the list, whatever the thread count.
    let mut jobs = Vec::new();
    for i in 0..list.len() {
        for j in i + 1..list.len() {
            for (k, measure) in names.iter().enumerate() {
                jobs.push((k, measure, i, j));
            }
        }
    }
    // What the pairs need of each outlet's values of each measure, made here once rather
    // than for each pair: the runs of equal values of an outlet that holds them exactly; and
    // where some outlet holds a measure as a sketch (it has more values than are kept
    // exactly), so that the pairs it is in are compared on sketch buckets, each exact
    // outlet's values binned into a sketch too.
    let sketched: Vec<bool> = (0..names.len())
        .map(|k| {
            list.iter()
                .any(|(_, o)| o.measures.get(k).is_some_and(|m| !m.median.is_exact()))
        })
        .collect();
    let made: Vec<Vec<Made>> = list
        .par_iter()
        .map(|(_, o)| {
            (0..names.len())
                .map(|k| match o.measures.get(k).map(|m| &m.median) {
                    Some(Median::Exact(v)) => (
                        Some(value_runs(v)),
                        sketched[k].then(|| Sketch::from_values(v)),
                    ),
                    _ => (None, None),
                })
                .collect()
        })
        .collect();
    let mut rows: Vec<CompareRow> = jobs
        .into_par_iter()
        .map(|(k, measure, i, j)| {
            let ((name_a, a), (name_b, b)) = (list[i], list[j]);
            let ma = a.measures.get(k).unwrap_or(&empty);
            let mb = b.measures.get(k).unwrap_or(&empty);
            compare_one(
                set,
                k,
                measure,
                (name_a.as_str(), a, ma, &made[i][k]),
                (name_b.as_str(), b, mb, &made[j][k]),
            )
        })
        .collect();
    let adjust = |f: &dyn Fn(&CompareRow) -> Option<f64>| -> Vec<Option<f64>> {
        bh_adjust(&rows.iter().map(f).collect::<Vec<_>>())
    };
    let welch_adj = adjust(&|r| r.welch.map(|w| w.p));
    let mw_adj = adjust(&|r| r.mann_whitney.map(|m| m.p));
    let g2_adj = adjust(&|r| r.g2.map(|g| g.p));
    for (i, row) in rows.iter_mut().enumerate() {
        row.adjusted = [welch_adj[i], mw_adj[i], g2_adj[i]];
    }
    rows
}

fn compare_one(
    set: &LexiconSet,
    k: usize,
    measure: &str,
    (name_a, a, ma, made_a): (&str, &OutletAcc, &MeasureAcc, &Made),
    (name_b, b, mb, made_b): (&str, &OutletAcc, &MeasureAcc, &Made),
) -> CompareRow {
    let (sa, sb) = (sample(ma), sample(mb));
    let mut row = CompareRow {
        source_a: name_a.to_string(),
        source_b: name_b.to_string(),
        measure: measure.to_string(),
        test: CompareTest::None,
        n_a: sa.n,
        n_b: sb.n,
        mean_a: (sa.n > 0).then_some(sa.mean),
        mean_b: (sb.n > 0).then_some(sb.mean),
        welch: None,
        hedges_g: None,
        mann_whitney: None,
        binned: false,
        counts: None,
        rate_scale: if measure.ends_with("per_1k") || measure.ends_with("_index") {
            1000.0
        } else {
            1.0
        },
        g2: None,
        adjusted: [None; 3],
        note: String::new(),
    };
    let mut notes: Vec<String> = Vec::new();
    if sa.n >= 2 && sb.n >= 2 {
        row.test = CompareTest::Articles;
        row.welch = welch(sa, sb);
        row.hedges_g = hedges_g(sa, sb);
        if row.welch.is_none() {
            notes.push("no variation within either outlet: Welch's t does not exist".into());
        } else if row.hedges_g.is_none() {
            notes.push("no pooled variation: Hedges' g does not exist".into());
        }
        let (bins, binned) = rank_bins_with(side(ma, made_a), side(mb, made_b));
        row.binned = binned;
        row.mann_whitney = mann_whitney_bins(&bins);
        if row.mann_whitney.is_none() {
            notes.push("every value is tied: Mann-Whitney U has no p-value".into());
        }
    } else {
        let few: Vec<&str> = [(name_a, sa.n), (name_b, sb.n)]
            .iter()
            .filter(|(_, n)| *n < 2)
            .map(|(name, _)| *name)
            .collect();
        let why = format!(
            "fewer than 2 articles with a value in {}",
            few.join(" and ")
        );
        match (pooled(set, k, a), pooled(set, k, b)) {
            (Some((ea, ba)), Some((eb, bb))) => {
                row.counts = Some([ea, ba, eb, bb]);
                row.g2 = g2(ea, ba, eb, bb);
                if row.g2.is_some() {
                    row.test = CompareTest::Counts;
                    notes.push(format!("{why}: pooled counts compared"));
                } else {
                    notes.push(format!(
                        "{why}, and the pooled counts allow no test (no events, or no base, in both outlets)"
                    ));
                }
            }
            _ => notes.push(format!("{why}, and {measure} is not a ratio of counts")),
        }
    }
    row.note = notes.join("; ");
    row
}
