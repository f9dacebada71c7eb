//! Per-outlet accumulators. Each holds only sufficient statistics (counts, sums, Welford
//! moments, a bounded median summary), and merges with `+=`, so per-article, per-batch and
//! per-outlet totals run through one piece of code and the result does not depend on the
//! order of merging. Memory grows with outlets x measures, never with articles.

mod stats;

pub use stats::{Median, Moments, Summary, summarize};

use std::collections::BTreeMap;
use std::ops::AddAssign;

use crate::score::ArticleScore;

/// Everything kept about one outlet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OutletAcc {
    pub articles: u64,
    pub words: u64,
    pub sentences: u64,
    pub headline_words: u64,
    /// Body hits per category.
    pub body: Vec<u64>,
    /// Headline hits per category.
    pub headline: Vec<u64>,
    /// One accumulator per article measure (`score::measure_names`).
    pub measures: Vec<MeasureAcc>,
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
    pub fn from_article(score: &ArticleScore, measures: &[Option<f64>]) -> OutletAcc {
        OutletAcc {
            articles: 1,
            words: score.words,
            sentences: score.sentences,
            headline_words: score.headline_words,
            body: score.body.clone(),
            headline: score.headline.clone(),
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
        }
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
        self.sentences += o.sentences;
        self.headline_words += o.headline_words;
        add_vec(&mut self.body, &o.body, |x, y| *x += *y);
        add_vec(&mut self.headline, &o.headline, |x, y| *x += *y);
        add_vec(&mut self.measures, &o.measures, |x, y| *x += y);
    }
}

/// Accumulators of every outlet, keyed (and so sorted) by outlet name.
pub type Outlets = BTreeMap<String, OutletAcc>;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn acc(words: u64, hits: u64, m: &[Option<f64>]) -> OutletAcc {
        let score = ArticleScore {
            words,
            sentences: 1,
            headline_words: 2,
            headline_in_text: true,
            body: vec![hits],
            headline: vec![0],
        };
        OutletAcc::from_article(&score, m)
    }

    proptest! {
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
                prop_assert_eq!(&forward.body, &other.body);
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
