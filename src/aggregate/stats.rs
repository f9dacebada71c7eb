//! Streaming statistics: Welford moments that merge exactly (Chan et al. 1979), a median that
//! is exact up to [`EXACT_MEDIAN_CAP`] values and a bounded log-bucket sketch beyond (relative
//! error at most [`SKETCH_ALPHA`]), and the per-measure summary with a Student-t 95 % CI.

use std::collections::BTreeMap;
use std::ops::AddAssign;

use statrs::distribution::{ContinuousCDF, StudentsT};

use super::MeasureAcc;

/// Values kept exactly per outlet and measure before the median switches to the sketch.
pub const EXACT_MEDIAN_CAP: usize = 4096;
/// Relative accuracy of the median sketch.
pub const SKETCH_ALPHA: f64 = 0.005;

/// Count, mean and sum of squared deviations (Welford), mergeable.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Moments {
    pub n: u64,
    pub mean: f64,
    pub m2: f64,
}

impl Moments {
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }

    /// Sample standard deviation (n - 1), `None` below two values.
    pub fn sd(&self) -> Option<f64> {
        (self.n >= 2).then(|| (self.m2.max(0.0) / (self.n - 1) as f64).sqrt())
    }
}

impl AddAssign<&Moments> for Moments {
    fn add_assign(&mut self, o: &Moments) {
        if o.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *o;
            return;
        }
        let n = self.n + o.n;
        let d = o.mean - self.mean;
        let mean = self.mean + d * o.n as f64 / n as f64;
        self.m2 += o.m2 + d * d * (self.n as f64 * o.n as f64) / n as f64;
        self.mean = mean;
        self.n = n;
    }
}

/// The median of a stream: exact values while few, then a log-bucket sketch.
#[derive(Debug, Clone, PartialEq)]
pub enum Median {
    Exact(Vec<f64>),
    Sketch(Sketch),
}

impl Default for Median {
    fn default() -> Self {
        Median::Exact(Vec::new())
    }
}

impl Median {
    pub fn push(&mut self, x: f64) {
        match self {
            Median::Exact(v) => {
                v.push(x);
                if v.len() > EXACT_MEDIAN_CAP {
                    *self = Median::Sketch(Sketch::from_values(v));
                }
            }
            Median::Sketch(s) => s.push(x),
        }
    }

    /// Is the median exact (all values kept)?
    pub fn is_exact(&self) -> bool {
        matches!(self, Median::Exact(_))
    }

    /// Put exact values in ascending order (`f64::total_cmp`), which changes no statistic:
    /// done once per outlet and measure before the comparisons, so that [`value_bins`] merges
    /// two sorted samples instead of sorting their union for every pair of outlets.
    pub fn sort_values(&mut self) {
        if let Median::Exact(v) = self {
            v.sort_by(f64::total_cmp);
        }
    }

    pub fn value(&self) -> Option<f64> {
        match self {
            Median::Exact(v) => exact_median(v),
            Median::Sketch(s) => s.median(),
        }
    }
}

impl AddAssign<&Median> for Median {
    fn add_assign(&mut self, o: &Median) {
        match o {
            Median::Exact(v) => {
                for &x in v {
                    self.push(x);
                }
            }
            Median::Sketch(os) => {
                let mut mine = match std::mem::take(self) {
                    Median::Sketch(s) => s,
                    Median::Exact(v) => Sketch::from_values(&v),
                };
                mine.merge(os);
                *self = Median::Sketch(mine);
            }
        }
    }
}

fn exact_median(v: &[f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let mid = s.len() / 2;
    Some(if s.len() % 2 == 1 {
        s[mid]
    } else {
        (s[mid - 1] + s[mid]) / 2.0
    })
}

/// Log-bucketed counts (as in DDSketch, Masson et al. 2019): bucket `i` holds values in
/// `(g^(i-1), g^i]`, `g = (1+a)/(1-a)`; negatives mirror; zero apart. Order-independent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sketch {
    zero: u64,
    pos: BTreeMap<i32, u64>,
    neg: BTreeMap<i32, u64>,
    n: u64,
}

fn gamma() -> f64 {
    (1.0 + SKETCH_ALPHA) / (1.0 - SKETCH_ALPHA)
}

impl Sketch {
    pub fn push(&mut self, x: f64) {
        self.add(x, 1);
    }

    /// `count` copies of `x`.
    fn add(&mut self, x: f64, count: u64) {
        self.n += count;
        if x.abs() < 1e-12 || !x.is_finite() {
            self.zero += count;
            return;
        }
        let i = (x.abs().ln() / gamma().ln()).ceil() as i32;
        let map = if x > 0.0 {
            &mut self.pos
        } else {
            &mut self.neg
        };
        *map.entry(i).or_insert(0) += count;
    }

    /// The sketch of `values`, as pushing each in turn gives it; a run of equal values (the
    /// values are sorted before the comparisons, and measures repeat values: 0, 1, 0.5) is
    /// added at once. The comparisons make one for each exact outlet and measure that a
    /// sketched outlet is compared with ([`rank_bins_with`]).
    pub fn from_values(values: &[f64]) -> Sketch {
        let mut s = Sketch::default();
        let mut rest = values;
        while let Some(&x) = rest.first() {
            let run = rest
                .iter()
                .position(|y| y.to_bits() != x.to_bits())
                .unwrap_or(rest.len());
            s.add(x, run as u64);
            rest = &rest[run..];
        }
        s
    }

    fn merge(&mut self, o: &Sketch) {
        self.n += o.n;
        self.zero += o.zero;
        for (k, v) in &o.pos {
            *self.pos.entry(*k).or_insert(0) += v;
        }
        for (k, v) in &o.neg {
            *self.neg.entry(*k).or_insert(0) += v;
        }
    }

    /// Value of the lower-middle rank, within relative error `SKETCH_ALPHA`.
    pub fn median(&self) -> Option<f64> {
        if self.n == 0 {
            return None;
        }
        let rank = (self.n - 1) / 2;
        let g = gamma();
        let value = |i: i32| 2.0 * g.powi(i) / (g + 1.0);
        let mut seen = 0;
        for (&i, &c) in self.neg.iter().rev() {
            seen += c;
            if seen > rank {
                return Some(-value(i));
            }
        }
        seen += self.zero;
        if seen > rank {
            return Some(0.0);
        }
        for (&i, &c) in &self.pos {
            seen += c;
            if seen > rank {
                return Some(value(i));
            }
        }
        None
    }
}

/// Two samples as rank bins: one `(count in a, count in b)` per distinct value, ascending
/// (`-0.0` and `0.0` are one value; NaN is left out). Samples already in ascending order (see
/// [`Median::sort_values`]) are merged in one pass; others are sorted together first (the
/// plain path, kept as the merge's test oracle).
pub fn value_bins(a: &[f64], b: &[f64]) -> Vec<(u64, u64)> {
    let sorted = |v: &[f64]| v.is_sorted_by(|x, y| x.total_cmp(y).is_le());
    if sorted(a) && sorted(b) {
        merged_value_bins(a, b)
    } else {
        sorted_value_bins(a, b)
    }
}

/// [`value_bins`] of two ascending samples, merged: [`run_bins`] of runs of one value each.
fn merged_value_bins(a: &[f64], b: &[f64]) -> Vec<(u64, u64)> {
    let ones = |v: &[f64]| v.iter().map(|&x| (x, 1)).collect::<Vec<_>>();
    run_bins(&ones(a), &ones(b))
}

/// Count `n` of `x` (of sample a, or b) into the last bin when it holds the same value (`-0.0`
/// is `0.0`), else into a new one: the values come in ascending order.
fn add_to_bins(bins: &mut Vec<(f64, u64, u64)>, x: f64, in_a: bool, n: u64) {
    match bins.last_mut() {
        Some(bin) if bin.0 == x => {}
        _ => bins.push((x, 0, 0)),
    }
    if let Some(bin) = bins.last_mut() {
        if in_a {
            bin.1 += n;
        } else {
            bin.2 += n;
        }
    }
}

/// [`value_bins`] by sorting the union of the samples.
fn sorted_value_bins(a: &[f64], b: &[f64]) -> Vec<(u64, u64)> {
    let mut all: Vec<(f64, bool)> = a
        .iter()
        .map(|&x| (x, true))
        .chain(b.iter().map(|&x| (x, false)))
        .filter(|(x, _)| !x.is_nan())
        .collect();
    all.sort_by(|x, y| x.0.total_cmp(&y.0));
    let mut bins = Vec::new();
    for (x, in_a) in all {
        add_to_bins(&mut bins, x, in_a, 1);
    }
    bins.into_iter().map(|(_, a, b)| (a, b)).collect()
}

/// A sample's values as runs of equal values, ascending: `(value, count)`, values that are
/// `==` (`-0.0` and `0.0`) in one run, NaN left out. Measures repeat values (0 most of all:
/// about one value in five of an outlet is distinct on the 200 MB corpus), so the comparisons
/// merge each pair's runs (`run_bins`) rather than their values, made once per outlet and
/// measure.
pub fn value_runs(values: &[f64]) -> Vec<(f64, u64)> {
    let mut sorted = std::borrow::Cow::Borrowed(values);
    if !values.is_sorted_by(|x, y| x.total_cmp(y).is_le()) {
        sorted.to_mut().sort_by(f64::total_cmp);
    }
    let mut runs: Vec<(f64, u64)> = Vec::new();
    for &x in sorted.iter().filter(|x| !x.is_nan()) {
        match runs.last_mut() {
            Some((v, n)) if *v == x => *n += 1,
            _ => runs.push((x, 1)),
        }
    }
    runs
}

/// [`value_bins`] of two samples given as their [`value_runs`] (or as any ascending
/// `(value, count)` lists: NaN is left out here too), merged, `a`'s first on a tie.
pub fn run_bins(a: &[(f64, u64)], b: &[(f64, u64)]) -> Vec<(u64, u64)> {
    // at most a bin a run
    let mut bins: Vec<(f64, u64, u64)> = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    loop {
        let ((x, n), in_a) = match (a.get(i), b.get(j)) {
            (Some(&x), Some(&y)) if x.0.total_cmp(&y.0).is_le() => (x, true),
            (_, Some(&y)) => (y, false),
            (Some(&x), None) => (x, true),
            (None, None) => break,
        };
        if in_a {
            i += 1;
        } else {
            j += 1;
        }
        if !x.is_nan() {
            add_to_bins(&mut bins, x, in_a, n);
        }
    }
    bins.into_iter().map(|(_, a, b)| (a, b)).collect()
}

/// The values of two outlets as rank bins for the Mann-Whitney test: one `(count in a,
/// count in b)` per distinct value, ascending. When both outlets still hold their values
/// exactly the bins are the distinct values and the flag is `false`; otherwise both are
/// binned into the sketch's buckets (values within the sketch's relative accuracy of each
/// other become ties) and the flag is `true`.
pub fn rank_bins(a: &Median, b: &Median) -> (Vec<(u64, u64)>, bool) {
    rank_bins_with(RankSide::of(a), RankSide::of(b))
}

/// One side of [`rank_bins_with`]: an outlet's values of a measure, with what the
/// comparisons made of them once for all the pairs the outlet is in.
#[derive(Debug, Clone, Copy)]
pub struct RankSide<'a> {
    pub median: &'a Median,
    /// When the values are held exactly and some other outlet's are sketched: their
    /// [`Sketch::from_values`].
    pub sketch: Option<&'a Sketch>,
    /// When the values are held exactly: their [`value_runs`].
    pub runs: Option<&'a [(f64, u64)]>,
}

impl<'a> RankSide<'a> {
    /// A side with nothing made beforehand.
    pub fn of(median: &'a Median) -> RankSide<'a> {
        RankSide {
            median,
            sketch: None,
            runs: None,
        }
    }
}

/// [`rank_bins`], from what was made of each side beforehand ([`RankSide`]): the sketch of a
/// side held exactly is made once per outlet and measure rather than once for each sketched
/// outlet it meets, and two exact sides are binned from their runs of equal values. Whatever
/// is missing is made here.
pub fn rank_bins_with(a: RankSide<'_>, b: RankSide<'_>) -> (Vec<(u64, u64)>, bool) {
    let (runs_a, runs_b) = (a.runs, b.runs);
    let (a, a_sketch, b, b_sketch) = (a.median, a.sketch, b.median, b.sketch);
    if let (Median::Exact(va), Median::Exact(vb)) = (a, b) {
        return match (runs_a, runs_b) {
            (Some(ra), Some(rb)) if !crate::plain::plain() => (run_bins(ra, rb), false),
            _ => (value_bins(va, vb), false),
        };
    }
    fn sketch<'a>(m: &'a Median, made: Option<&'a Sketch>) -> std::borrow::Cow<'a, Sketch> {
        match (m, made) {
            (Median::Sketch(s), _) | (Median::Exact(_), Some(s)) => std::borrow::Cow::Borrowed(s),
            (Median::Exact(v), None) => std::borrow::Cow::Owned(Sketch::from_values(v)),
        }
    }
    let (sa, sb) = (sketch(a, a_sketch), sketch(b, b_sketch));
    // Keys in ascending value order: negative buckets by descending index, zero, positive.
    let mut keys: BTreeMap<(i8, i64), (u64, u64)> = BTreeMap::new();
    for (s, first) in [(&sa, true), (&sb, false)] {
        let mut add = |key: (i8, i64), c: u64| {
            let bin = keys.entry(key).or_insert((0, 0));
            if first {
                bin.0 += c;
            } else {
                bin.1 += c;
            }
        };
        for (&i, &c) in &s.neg {
            add((-1, -i64::from(i)), c);
        }
        if s.zero > 0 {
            add((0, 0), s.zero);
        }
        for (&i, &c) in &s.pos {
            add((1, i64::from(i)), c);
        }
    }
    (keys.into_values().collect(), true)
}

/// What `sources.csv` reports for one measure of one outlet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub n: u64,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub median: Option<f64>,
    pub median_exact: bool,
    /// 95 % confidence interval of the mean (Student t, n - 1 df); `None` below two values.
    pub ci: Option<(f64, f64)>,
}

/// Summarise one measure accumulator.
pub fn summarize(acc: &MeasureAcc) -> Summary {
    let m = &acc.moments;
    let sd = m.sd();
    let ci = match sd {
        Some(sd) => t_quantile_975(m.n - 1).map(|t| {
            let half = t * sd / (m.n as f64).sqrt();
            (m.mean - half, m.mean + half)
        }),
        None => None,
    };
    Summary {
        n: m.n,
        mean: (m.n > 0).then_some(m.mean),
        sd,
        median: acc.median.value(),
        median_exact: acc.median.is_exact(),
        ci,
    }
}

/// The 0.975 quantile of Student's t with `df` degrees of freedom.
pub fn t_quantile_975(df: u64) -> Option<f64> {
    if df == 0 {
        return None;
    }
    StudentsT::new(0.0, 1.0, df as f64)
        .ok()
        .map(|t| t.inverse_cdf(0.975))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acc(xs: &[f64]) -> MeasureAcc {
        let mut a = MeasureAcc::default();
        for &x in xs {
            a.push(x);
        }
        a
    }

    #[test]
    fn textbook_summary() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sample sd sqrt(32/7), median 4.5
        let s = summarize(&acc(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]));
        assert_eq!(s.n, 8);
        assert!((s.mean.unwrap() - 5.0).abs() < 1e-12);
        assert!((s.sd.unwrap() - (32.0f64 / 7.0).sqrt()).abs() < 1e-12);
        assert_eq!(s.median, Some(4.5));
        // t(0.975, 7) = 2.364624251592785 (scipy.stats.t.ppf(0.975, 7))
        let half = 2.364624251592785 * (32.0f64 / 7.0).sqrt() / 8f64.sqrt();
        let (lo, hi) = s.ci.unwrap();
        assert!((lo - (5.0 - half)).abs() < 1e-9, "{lo}");
        assert!((hi - (5.0 + half)).abs() < 1e-9, "{hi}");
    }

    #[test]
    fn one_value_has_no_spread() {
        let s = summarize(&acc(&[3.5]));
        assert_eq!(
            (s.n, s.mean, s.sd, s.median, s.ci),
            (1, Some(3.5), None, Some(3.5), None)
        );
        let e = summarize(&MeasureAcc::default());
        assert_eq!((e.n, e.mean, e.median), (0, None, None));
    }

    #[test]
    fn sketch_median_is_within_its_error_bound() {
        let xs: Vec<f64> = (0..20_001)
            .map(|i| ((i * 7919) % 20_001) as f64 / 10.0 - 500.0)
            .collect();
        let s = summarize(&acc(&xs));
        assert!(!s.median_exact);
        let truth = exact_median(&xs).unwrap();
        let got = s.median.unwrap();
        assert!(
            (got - truth).abs() <= SKETCH_ALPHA * truth.abs() + 0.1,
            "{got} vs {truth}"
        );
    }

    /// Measure values for property tests: many repeats, signed zeros, a value below the
    /// sketch's zero, NaN, infinities, anything.
    fn value() -> impl proptest::strategy::Strategy<Value = f64> + Clone {
        use proptest::prelude::*;
        prop_oneof![
            4 => (-20i32..20).prop_map(|i| f64::from(i) / 4.0),
            1 => Just(0.0),
            1 => Just(-0.0),
            1 => Just(1e-13),
            1 => Just(f64::NAN),
            1 => Just(f64::INFINITY),
            1 => Just(f64::NEG_INFINITY),
            1 => any::<f64>(),
        ]
    }

    #[test]
    fn merging_sorted_samples_gives_the_sorted_union_bins() {
        use proptest::prelude::*;
        let sample = proptest::collection::vec(value(), 0..60);
        proptest!(|(mut a in sample.clone(), mut b in sample)| {
            let plain = sorted_value_bins(&a, &b);
            // runs of unsorted samples are sorted first
            prop_assert_eq!(run_bins(&value_runs(&a), &value_runs(&b)), plain.clone());
            a.sort_by(f64::total_cmp);
            b.sort_by(f64::total_cmp);
            prop_assert_eq!(run_bins(&value_runs(&a), &value_runs(&b)), plain.clone());
            prop_assert_eq!(merged_value_bins(&a, &b), plain.clone());
            prop_assert_eq!(value_bins(&a, &b), plain);
        });
    }

    #[test]
    fn sketches_of_runs_are_sketches_of_values_pushed_one_by_one() {
        use proptest::prelude::*;
        proptest!(|(mut v in proptest::collection::vec(value(), 0..80), sorted in any::<bool>())| {
            if sorted {
                v.sort_by(f64::total_cmp);
            }
            let mut one_by_one = Sketch::default();
            for &x in &v {
                one_by_one.push(x);
            }
            prop_assert_eq!(Sketch::from_values(&v), one_by_one);
        });
    }

    #[test]
    fn rank_bins_group_equal_values_in_order() {
        let (bins, binned) = rank_bins(
            &acc(&[3.0, 1.0, 2.0, 2.0]).median,
            &acc(&[2.0, 5.0, -0.0]).median,
        );
        assert!(!binned);
        // -0, 1, 2, 3, 5
        assert_eq!(bins, vec![(0, 1), (1, 0), (2, 1), (1, 0), (0, 1)]);
        let many: Vec<f64> = (0..5000).map(|i| i as f64 - 100.0).collect();
        let (bins, binned) = rank_bins(&acc(&many).median, &acc(&[-50.0, 0.0, 4000.0]).median);
        assert!(binned);
        let (na, nb) = bins.iter().fold((0, 0), |s, b| (s.0 + b.0, s.1 + b.1));
        assert_eq!((na, nb), (5000, 3));
        // the zero bin holds one value of each
        assert!(bins.contains(&(1, 1)));
        // ascending: the first bin holds the most negative value, -100
        assert_eq!(bins[0], (1, 0));
        // the exact side's sketch made beforehand gives the same bins, on either side
        let (big, small) = (acc(&many).median, acc(&[-50.0, 0.0, 4000.0]).median);
        let Median::Exact(v) = &small else {
            panic!("three values are kept exactly")
        };
        let made = Sketch::from_values(v);
        let small_made = RankSide {
            sketch: Some(&made),
            ..RankSide::of(&small)
        };
        assert_eq!(
            rank_bins_with(RankSide::of(&big), small_made),
            (bins.clone(), true)
        );
        let (flipped, _) = rank_bins(&small, &big);
        assert_eq!(
            rank_bins_with(small_made, RankSide::of(&big)),
            (flipped, true)
        );
    }

    #[test]
    fn merged_moments_equal_streamed() {
        let xs = [1.0, 2.0, 10.0, -3.0, 7.5];
        let whole = acc(&xs);
        let mut a = acc(&xs[..2]);
        a += &acc(&xs[2..]);
        assert_eq!(whole.moments.n, a.moments.n);
        assert!((whole.moments.mean - a.moments.mean).abs() < 1e-12);
        assert!((whole.moments.m2 - a.moments.m2).abs() < 1e-9);
    }
}
