//! The statistics behind `keyness.csv` and `compare.csv`, each a plain function of counts or
//! summary figures so that it can be checked against values computed independently:
//! `scripts/stats_reference.py` computes every case in `tests/data/stats_reference.json` with
//! scipy, and the tests at the bottom of this file compare. Formulas and references are in
//! `reports/README.md`.
//!
//! Every function returns `None` where its statistic does not exist (a zero variance, an empty
//! table, every value tied), so that no report cell ever holds a number its test cannot give.

use statrs::distribution::{ContinuousCDF, StudentsT};
use statrs::function::beta::beta_reg;
use statrs::function::erf::erfc;
use statrs::function::gamma::ln_gamma;

/// Summary of one group's values: size, mean and sample variance (denominator `n - 1`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub n: u64,
    pub mean: f64,
    pub var: f64,
}

/// Dunning's log-likelihood ratio on a 2x2 table, with its chi-square (1 df) p-value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct G2 {
    pub g2: f64,
    pub p: f64,
}

/// Upper tail of the chi-square distribution with 1 degree of freedom:
/// `P(X >= x) = erfc(sqrt(x / 2))`, exact and accurate far into the tail.
fn chi2_1_sf(x: f64) -> f64 {
    if x <= 0.0 {
        1.0
    } else {
        erfc((x / 2.0).sqrt())
    }
}

/// Upper tail of the standard normal distribution.
fn normal_sf(z: f64) -> f64 {
    0.5 * erfc(z / std::f64::consts::SQRT_2)
}

/// `o * ln(o / e)`, with the limit 0 at `o = 0`.
fn xlogx_over(o: f64, e: f64) -> f64 {
    if o > 0.0 { o * (o / e).ln() } else { 0.0 }
}

/// G2 for `count_a` events in `total_a` trials against `count_b` in `total_b`: the 2x2 table
/// `[[count_a, total_a - count_a], [count_b, total_b - count_b]]`,
/// `G2 = 2 * sum(O * ln(O / E))` with `E` from the margins. `None` when a count exceeds its
/// total or a margin is empty (no trials on a side, no events at all, or nothing but events).
pub fn g2(count_a: u64, total_a: u64, count_b: u64, total_b: u64) -> Option<G2> {
    if count_a > total_a || count_b > total_b {
        return None;
    }
    let events = count_a + count_b;
    let total = total_a + total_b;
    if total_a == 0 || total_b == 0 || events == 0 || events == total {
        return None;
    }
    let (a, b) = (count_a as f64, count_b as f64);
    let (na, nb) = (total_a as f64, total_b as f64);
    let (n, e) = (total as f64, events as f64);
    let cells = [
        (a, na * e / n),
        (na - a, na * (n - e) / n),
        (b, nb * e / n),
        (nb - b, nb * (n - e) / n),
    ];
    let g2 = (2.0 * cells.iter().map(|&(o, ex)| xlogx_over(o, ex)).sum::<f64>()).max(0.0);
    Some(G2 {
        g2,
        p: chi2_1_sf(g2),
    })
}

/// Benjamini-Hochberg adjusted p-values (the step-up false discovery rate procedure) over the
/// p-values present; `None` entries are neither counted nor adjusted.
pub fn bh_adjust(ps: &[Option<f64>]) -> Vec<Option<f64>> {
    let mut order: Vec<(usize, f64)> = ps
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.filter(|p| !p.is_nan()).map(|p| (i, p)))
        .collect();
    // Stable on ties, so the result does not depend on anything but the values.
    order.sort_by(|x, y| x.1.total_cmp(&y.1).then(x.0.cmp(&y.0)));
    let m = order.len() as f64;
    let mut out = vec![None; ps.len()];
    let mut running = 1.0_f64;
    for (rank, &(i, p)) in order.iter().enumerate().rev() {
        running = running.min(p * m / (rank + 1) as f64);
        out[i] = Some(running.clamp(0.0, 1.0));
    }
    out
}

/// Welch's unequal-variances t test of `a.mean - b.mean`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Welch {
    /// `a.mean - b.mean`.
    pub diff: f64,
    /// Standard error of the difference, `sqrt(var_a / n_a + var_b / n_b)`.
    pub se: f64,
    pub t: f64,
    /// Welch-Satterthwaite degrees of freedom.
    pub df: f64,
    /// Two-sided p-value.
    pub p: f64,
    /// 95 % confidence interval of the difference.
    pub ci: (f64, f64),
}

/// Welch's t test; `None` with fewer than two values on a side or no variation on either.
pub fn welch(a: Sample, b: Sample) -> Option<Welch> {
    if a.n < 2 || b.n < 2 || !a.var.is_finite() || !b.var.is_finite() {
        return None;
    }
    let (va, vb) = (a.var.max(0.0) / a.n as f64, b.var.max(0.0) / b.n as f64);
    let se2 = va + vb;
    if se2 <= 0.0 || !se2.is_finite() {
        return None;
    }
    let se = se2.sqrt();
    let diff = a.mean - b.mean;
    let t = diff / se;
    let df = se2 * se2 / (va * va / (a.n - 1) as f64 + vb * vb / (b.n - 1) as f64);
    if !t.is_finite() || !df.is_finite() || df <= 0.0 {
        return None;
    }
    // Two-sided tail straight from the incomplete beta function, so that small p-values keep
    // their precision instead of being `1 - cdf`.
    let p = beta_reg(df / 2.0, 0.5, df / (df + t * t)).clamp(0.0, 1.0);
    let q = StudentsT::new(0.0, 1.0, df).ok()?.inverse_cdf(0.975);
    Some(Welch {
        diff,
        se,
        t,
        df,
        p,
        ci: (diff - q * se, diff + q * se),
    })
}

/// Hedges' g: the difference in means over the pooled standard deviation, times the exact
/// small-sample correction `J(m) = Γ(m/2) / (sqrt(m/2) Γ((m-1)/2))`, `m = n_a + n_b - 2`.
/// `None` with fewer than two values on a side or no pooled variation.
pub fn hedges_g(a: Sample, b: Sample) -> Option<f64> {
    if a.n < 2 || b.n < 2 {
        return None;
    }
    let m = (a.n + b.n - 2) as f64;
    let pooled = ((a.n - 1) as f64 * a.var.max(0.0) + (b.n - 1) as f64 * b.var.max(0.0)) / m;
    if pooled <= 0.0 || !pooled.is_finite() {
        return None;
    }
    let j = (ln_gamma(m / 2.0) - ln_gamma((m - 1.0) / 2.0)).exp() / (m / 2.0).sqrt();
    let g = j * (a.mean - b.mean) / pooled.sqrt();
    g.is_finite().then_some(g)
}

/// How a Mann-Whitney p-value was computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MwMethod {
    /// The exact null distribution of U (no ties, at most [`MW_EXACT_MAX`] values in all).
    Exact,
    /// The normal approximation with tie and continuity corrections.
    Asymptotic,
}

impl MwMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            MwMethod::Exact => "exact",
            MwMethod::Asymptotic => "asymptotic",
        }
    }
}

/// The largest `n_a + n_b` for which the exact distribution of U is used (when nothing is
/// tied). The counts it sums stay below `C(100, 50) ≈ 1e29`, exact in `i128`.
pub const MW_EXACT_MAX: u64 = 100;

/// The two-sided Mann-Whitney U test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MannWhitney {
    /// U of the first group: pairs in which its value is the larger, ties counting one half.
    pub u: f64,
    pub p: f64,
    pub method: MwMethod,
}

/// Mann-Whitney U from values already grouped: `bins` lists every distinct value in ascending
/// order as `(count in a, count in b)`. `None` without values on both sides or when every value
/// is tied (the test has no variance).
pub fn mann_whitney_bins(bins: &[(u64, u64)]) -> Option<MannWhitney> {
    let n_a: u64 = bins.iter().map(|b| b.0).sum();
    let n_b: u64 = bins.iter().map(|b| b.1).sum();
    if n_a == 0 || n_b == 0 {
        return None;
    }
    // Rank sum of a, with tied values sharing their mean rank.
    let mut below = 0u64;
    let mut rank_sum_a = 0.0;
    let mut tie_term = 0.0; // sum of t^3 - t over tied groups
    let mut tied = false;
    for &(ca, cb) in bins {
        let t = ca + cb;
        if t == 0 {
            continue;
        }
        let mean_rank = below as f64 + (t as f64 + 1.0) / 2.0;
        rank_sum_a += ca as f64 * mean_rank;
        if t > 1 {
            tied = true;
            let t = t as f64;
            tie_term += t * t * t - t;
        }
        below += t;
    }
    let (na, nb) = (n_a as f64, n_b as f64);
    let u1 = rank_sum_a - na * (na + 1.0) / 2.0;
    let u2 = na * nb - u1;
    let u_max = u1.max(u2);
    if !tied && n_a + n_b <= MW_EXACT_MAX {
        let p = (2.0 * exact_u_sf(u_max.round() as u64, n_a, n_b)).min(1.0);
        return Some(MannWhitney {
            u: u1,
            p,
            method: MwMethod::Exact,
        });
    }
    let n = na + nb;
    let var = na * nb / 12.0 * ((n + 1.0) - tie_term / (n * (n - 1.0)));
    if var <= 0.0 || !var.is_finite() {
        return None;
    }
    let z = (u_max - na * nb / 2.0 - 0.5) / var.sqrt();
    Some(MannWhitney {
        u: u1,
        p: (2.0 * normal_sf(z)).clamp(0.0, 1.0),
        method: MwMethod::Asymptotic,
    })
}

/// Mann-Whitney U of two samples of values (NaN values are dropped).
pub fn mann_whitney(a: &[f64], b: &[f64]) -> Option<MannWhitney> {
    mann_whitney_bins(&crate::aggregate::value_bins(a, b))
}

/// `P(U >= u)` under the null for samples of `m` and `n` untied values: the share of the
/// orderings with `U >= u` ([`exact_u_tails`]).
fn exact_u_sf(u: u64, m: u64, n: u64) -> f64 {
    let (s, l) = (m.min(n) as usize, m.max(n) as usize);
    let u = u as usize;
    if u > s * l {
        return 0.0;
    }
    // compare.csv tests every measure of a pair of outlets in turn, nearly always with the
    // same two sample sizes: the last few distributions are kept (each at most 40 kB).
    const KEPT: usize = 8;
    /// `(s, l)` and its [`exact_u_tails`], most recently used last.
    type Kept = Vec<((usize, usize), std::rc::Rc<[i128]>)>;
    thread_local! {
        static TAILS: std::cell::RefCell<Kept> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let tails = TAILS.with_borrow_mut(|kept| {
        if let Some(at) = kept.iter().position(|(key, _)| *key == (s, l)) {
            let hit = kept.remove(at);
            kept.push(hit);
        } else {
            if kept.len() == KEPT {
                kept.remove(0);
            }
            kept.push(((s, l), exact_u_tails(s, l).into()));
        }
        kept.last().map(|(_, t)| t.clone())
    });
    let tails = tails.unwrap_or_else(|| exact_u_tails(s, l).into());
    tails[u] as f64 / tails[0] as f64
}

/// For samples of `s` and `l` untied values, the number of orderings with `U >= k` for every
/// `k` from 0 to `s * l` (the first is the number of all orderings). The number with `U = k`
/// is the coefficient of `q^k` in the Gaussian binomial
/// `[s+l choose s]_q = prod_{i=1..s} (1 - q^(l+i)) / (1 - q^i)`, built up exactly in integers.
fn exact_u_tails(s: usize, l: usize) -> Vec<i128> {
    let max_u = s * l;
    let mut c = vec![0i128; max_u + 1];
    c[0] = 1;
    for i in 1..=s {
        // multiply by (1 - q^(l+i)), from the top down so each term uses the old values
        let k = l + i;
        for d in (k..=max_u).rev() {
            c[d] -= c[d - k];
        }
        // divide by (1 - q^i): a running sum with stride i
        for d in i..=max_u {
            c[d] += c[d - i];
        }
    }
    // suffix sums: c[k] becomes the count of U >= k
    for d in (0..max_u).rev() {
        c[d] += c[d + 1];
    }
    c
}

/// The log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogOdds {
    /// `δ = ln((y_a+α_w)/(n_a+α_0-y_a-α_w)) - ln((y_b+α_w)/(n_b+α_0-y_b-α_w))`.
    pub delta: f64,
    /// `sqrt(1/(y_a+α_w) + 1/(y_b+α_w))`.
    pub se: f64,
    /// `δ / se`.
    pub z: f64,
}

/// Log-odds of a term used `y_a` times in `n_a` words against `y_b` in `n_b`, with the prior
/// pseudo-count `alpha_w` for the term out of `alpha_0` in all. `None` when the prior is not
/// positive, or smaller for all terms than for this one, or a count exceeds its total.
pub fn log_odds(
    y_a: u64,
    n_a: u64,
    y_b: u64,
    n_b: u64,
    alpha_w: f64,
    alpha_0: f64,
) -> Option<LogOdds> {
    let prior_ok = alpha_w > 0.0 && alpha_0 > alpha_w; // false for NaN too
    if y_a > n_a || y_b > n_b || !prior_ok {
        return None;
    }
    let (ya, yb) = (y_a as f64 + alpha_w, y_b as f64 + alpha_w);
    let rest_a = n_a as f64 + alpha_0 - ya;
    let rest_b = n_b as f64 + alpha_0 - yb;
    let delta = (ya / rest_a).ln() - (yb / rest_b).ln();
    let se = (1.0 / ya + 1.0 / yb).sqrt();
    let z = delta / se;
    (delta.is_finite() && se.is_finite()).then_some(LogOdds { delta, se, z })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// Reference values computed with scipy by `scripts/stats_reference.py`.
    const REFERENCE_JSON: &str = include_str!("../../tests/data/stats_reference.json");

    fn reference() -> Value {
        serde_json::from_str(REFERENCE_JSON).expect("stats_reference.json parses")
    }

    fn cases<'a>(r: &'a Value, key: &str) -> &'a Vec<Value> {
        let v = r[key].as_array().expect(key);
        assert!(!v.is_empty(), "{key} has cases");
        v
    }

    fn u(v: &Value, k: &str) -> u64 {
        v[k].as_u64().unwrap_or_else(|| panic!("{k} in {v}"))
    }

    fn f(v: &Value, k: &str) -> f64 {
        v[k].as_f64().unwrap_or_else(|| panic!("{k} in {v}"))
    }

    fn floats(v: &Value, k: &str) -> Vec<f64> {
        v[k].as_array()
            .unwrap_or_else(|| panic!("{k} in {v}"))
            .iter()
            .map(|x| x.as_f64().expect("number"))
            .collect()
    }

    /// Relative agreement (absolute near zero): the reference is computed in double precision
    /// by different algorithms, so the last few digits may differ.
    fn close(got: f64, want: f64, what: &str, case: &Value) {
        let tol = 1e-9 * want.abs().max(1e-300) + 1e-12;
        assert!(
            (got - want).abs() <= tol || (got - want).abs() <= 1e-9 * want.abs(),
            "{what}: got {got:e}, scipy {want:e} in {case}"
        );
    }

    /// p-values far in the tail are compared on a relative scale.
    fn close_p(got: f64, want: f64, what: &str, case: &Value) {
        if want == 0.0 {
            assert!(got < 1e-300, "{what}: got {got:e}, scipy 0 in {case}");
        } else {
            let rel = (got - want).abs() / want;
            assert!(rel < 1e-7, "{what}: got {got:e}, scipy {want:e} in {case}");
        }
    }

    fn sample(x: &[f64]) -> Sample {
        let n = x.len() as f64;
        let mean = x.iter().sum::<f64>() / n;
        let var = if x.len() > 1 {
            x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)
        } else {
            0.0
        };
        Sample {
            n: x.len() as u64,
            mean,
            var,
        }
    }

    #[test]
    fn g2_matches_scipy() {
        let r = reference();
        for c in cases(&r, "g2") {
            let got = g2(
                u(c, "count_a"),
                u(c, "total_a"),
                u(c, "count_b"),
                u(c, "total_b"),
            );
            if c["g2"].is_null() {
                assert_eq!(got, None, "{c}");
                continue;
            }
            let got = got.unwrap_or_else(|| panic!("G2 exists for {c}"));
            close(got.g2, f(c, "g2"), "g2", c);
            close_p(got.p, f(c, "p"), "p", c);
        }
    }

    #[test]
    fn bh_matches_scipy() {
        let r = reference();
        for c in cases(&r, "bh") {
            let ps: Vec<Option<f64>> = c["p"]
                .as_array()
                .expect("p")
                .iter()
                .map(Value::as_f64)
                .collect();
            let want: Vec<Option<f64>> = c["adjusted"]
                .as_array()
                .expect("adjusted")
                .iter()
                .map(Value::as_f64)
                .collect();
            let got = bh_adjust(&ps);
            assert_eq!(got.len(), want.len());
            for (g, w) in got.iter().zip(&want) {
                match (g, w) {
                    (Some(g), Some(w)) => close(*g, *w, "adjusted p", c),
                    (None, None) => {}
                    _ => panic!("got {got:?}, want {want:?} in {c}"),
                }
            }
        }
    }

    #[test]
    fn welch_and_hedges_match_scipy() {
        let r = reference();
        for c in cases(&r, "welch") {
            let (a, b) = (sample(&floats(c, "a")), sample(&floats(c, "b")));
            let got = welch(a, b);
            if c["t"].is_null() {
                assert_eq!(got, None, "{c}");
            } else {
                let w = got.unwrap_or_else(|| panic!("Welch exists for {c}"));
                close(w.diff, f(c, "diff"), "diff", c);
                close(w.t, f(c, "t"), "t", c);
                close(w.df, f(c, "df"), "df", c);
                close_p(w.p, f(c, "p"), "p", c);
                close(w.ci.0, f(c, "ci_low"), "ci_low", c);
                close(w.ci.1, f(c, "ci_high"), "ci_high", c);
            }
            match (hedges_g(a, b), c["hedges_g"].as_f64()) {
                (Some(g), Some(want)) => close(g, want, "hedges_g", c),
                (None, None) => {}
                (got, want) => panic!("hedges_g: got {got:?}, want {want:?} in {c}"),
            }
        }
    }

    #[test]
    fn exact_u_counts_every_ordering() {
        // U of a placement of `s` values among `s + l`: pairs (a of s above b of l).
        for s in 1..=6usize {
            for l in s..=8usize {
                let mut by_u = vec![0i128; s * l + 1];
                for mask in 0u32..(1 << (s + l)) {
                    if mask.count_ones() as usize != s {
                        continue;
                    }
                    let (mut below, mut u) = (0, 0);
                    for bit in 0..s + l {
                        if mask & (1 << bit) != 0 {
                            u += below;
                        } else {
                            below += 1;
                        }
                    }
                    by_u[u] += 1;
                }
                let tails = exact_u_tails(s, l);
                for k in 0..=s * l {
                    assert_eq!(
                        tails[k],
                        by_u[k..].iter().sum::<i128>(),
                        "s={s} l={l} k={k}"
                    );
                    // kept or not, and either way round, the same p
                    let p = tails[k] as f64 / tails[0] as f64;
                    assert_eq!(exact_u_sf(k as u64, s as u64, l as u64), p);
                    assert_eq!(exact_u_sf(k as u64, l as u64, s as u64), p);
                }
            }
        }
    }

    #[test]
    fn mann_whitney_matches_scipy() {
        let r = reference();
        for c in cases(&r, "mann_whitney") {
            let got = mann_whitney(&floats(c, "a"), &floats(c, "b"));
            if c["p"].is_null() {
                assert_eq!(got, None, "{c}");
                continue;
            }
            let m = got.unwrap_or_else(|| panic!("Mann-Whitney exists for {c}"));
            close(m.u, f(c, "u"), "u", c);
            close_p(m.p, f(c, "p"), "p", c);
            assert_eq!(
                m.method.as_str(),
                c["method"].as_str().expect("method"),
                "{c}"
            );
        }
    }

    #[test]
    fn log_odds_match_the_formula() {
        let r = reference();
        for c in cases(&r, "log_odds") {
            let got = log_odds(
                u(c, "y_a"),
                u(c, "n_a"),
                u(c, "y_b"),
                u(c, "n_b"),
                f(c, "alpha_w"),
                f(c, "alpha_0"),
            );
            if c["z"].is_null() {
                assert_eq!(got, None, "{c}");
                continue;
            }
            let lo = got.unwrap_or_else(|| panic!("log-odds exist for {c}"));
            close(lo.delta, f(c, "delta"), "delta", c);
            close(lo.se, f(c, "se"), "se", c);
            close(lo.z, f(c, "z"), "z", c);
        }
    }

    /// Textbook values that need no script. Dunning (1993)-style table: 10 of 1000 against 10
    /// of 1000 is no difference at all.
    #[test]
    fn hand_computed_values() {
        let same = g2(10, 1000, 10, 1000).expect("G2 exists");
        assert!(
            same.g2.abs() < 1e-12 && (same.p - 1.0).abs() < 1e-12,
            "{same:?}"
        );
        // 3 of 4 against 0 of 4 untied values, all of a above all of b: U = 16 and the exact
        // two-sided p is 2 / C(8, 4) = 2 / 70.
        let m = mann_whitney(&[5.0, 6.0, 7.0, 8.0], &[1.0, 2.0, 3.0, 4.0]).expect("MWU");
        assert_eq!(m.u, 16.0);
        assert!((m.p - 2.0 / 70.0).abs() < 1e-15, "{m:?}");
        assert_eq!(m.method, MwMethod::Exact);
        // One value each: U is 0 or 1 with probability one half, so p = 1.
        let one = mann_whitney(&[2.0], &[1.0]).expect("MWU");
        assert_eq!((one.u, one.p), (1.0, 1.0));
        // Every value tied: no test.
        assert_eq!(mann_whitney(&[1.0, 1.0], &[1.0, 1.0]), None);
        // Equal counts and totals give a log-odds of exactly zero.
        let lo = log_odds(5, 100, 5, 100, 0.5, 10.0).expect("log-odds");
        assert_eq!(lo.delta, 0.0);
        // BH on [0.01, 0.04, 0.03, 0.2]: sorted 0.01*4/1, 0.03*4/2, 0.04*4/3, 0.2*4/4, then
        // the running minimum from the top.
        let adj = bh_adjust(&[Some(0.01), Some(0.04), None, Some(0.03), Some(0.2)]);
        let want = [
            Some(0.04),
            Some(0.04 * 4.0 / 3.0),
            None,
            Some(0.04 * 4.0 / 3.0),
            Some(0.2),
        ];
        for (g, w) in adj.iter().zip(want) {
            assert_eq!(g.is_some(), w.is_some());
            if let (Some(g), Some(w)) = (g, w) {
                assert!((g - w).abs() < 1e-15, "{adj:?}");
            }
        }
    }

    /// The exact distribution sums to one and is symmetric for every size it is used at.
    #[test]
    fn exact_u_distribution_is_a_distribution() {
        for (m, n) in [(1, 1), (3, 5), (8, 8), (50, 50), (1, 99)] {
            assert_eq!(exact_u_sf(0, m, n), 1.0);
            let mid = m * n / 2;
            // P(U >= k) = P(U <= mn - k)
            let upper = exact_u_sf(mid + 1, m, n);
            let lower = 1.0 - exact_u_sf(m * n - mid, m, n);
            assert!((upper - lower).abs() < 1e-12, "{m} {n}: {upper} {lower}");
        }
    }
}
