#!/usr/bin/env python3
"""Reference values for framescope's statistics, computed independently with scipy.

Every case states its inputs here; the expected values come from scipy (or, for the log-odds
ratio, which scipy does not implement, from the formula of Monroe, Colaresi & Quinn 2008 written
out in numpy). The Rust tests in src/compare/stats.rs read the JSON this writes and check each
statistic against it.

    python scripts/stats_reference.py > tests/data/stats_reference.json
    python scripts/stats_reference.py --check tests/data/stats_reference.json

`--check` recomputes everything and fails if the committed file differs beyond 1e-12 relative,
so the reference cannot drift from the script. Tested with scipy 1.17.1 and numpy 2.4.6.

A `null` expected value means the statistic does not exist for that input (scipy raises, or
returns NaN), and framescope must leave the cell empty.
"""

import json
import math
import sys
import warnings

import numpy as np
import scipy
from scipy import special, stats

# framescope uses the exact Mann-Whitney distribution when nothing is tied and there are at most
# this many values in all, the normal approximation (tie and continuity corrections) otherwise.
MW_EXACT_MAX = 100


def num(x):
    """A finite float, or None."""
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def g2_case(name, a, na, b, nb):
    table = [[a, na - a], [b, nb - b]]
    try:
        stat, p, _, _ = stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")
        g2, p = num(stat), num(p)
    except ValueError:  # a negative cell, or an expected frequency of zero
        g2 = p = None
    return {"name": name, "count_a": a, "total_a": na, "count_b": b, "total_b": nb, "g2": g2, "p": p}


G2_CASES = [
    g2_case("moderate difference", 30, 10000, 10, 12000),
    g2_case("equal rates", 10, 1000, 10, 1000),
    g2_case("zero count in a (an outlet with no hits)", 0, 5000, 12, 4000),
    g2_case("zero count in b", 7, 800, 0, 900),
    g2_case("one hit against one hit, unequal sizes", 1, 300, 1, 3000),
    g2_case("very strong difference (tiny p)", 500, 10000, 20, 10000),
    g2_case("extreme difference (p underflows towards 1e-300)", 3000, 10000, 10, 10000),
    g2_case("every trial an event on one side", 50, 50, 10, 100),
    g2_case("large corpora", 1234, 2_000_000, 2345, 3_000_000),
    g2_case("no events at all (no test)", 0, 1000, 0, 2000),
    g2_case("nothing but events (no test)", 10, 10, 20, 20),
    g2_case("an empty side (no test)", 0, 0, 5, 100),
]


def bh_case(name, ps):
    present = [p for p in ps if p is not None]
    adjusted = list(stats.false_discovery_control(present, method="bh")) if present else []
    it = iter(adjusted)
    return {"name": name, "p": ps, "adjusted": [num(next(it)) if p is not None else None for p in ps]}


BH_CASES = [
    bh_case("textbook", [0.01, 0.04, 0.03, 0.2]),
    bh_case("with gaps (tests that could not run)", [0.5, None, 0.001, 0.02, None, 0.9, 0.049]),
    bh_case("ties", [0.02, 0.02, 0.02, 0.5, 0.001]),
    bh_case("one p-value", [0.03]),
    bh_case("all ones", [1.0, 1.0, 1.0]),
    bh_case("tiny and large", [1e-30, 1e-12, 0.3, 0.7, 0.99, 0.0004]),
    bh_case("none present", [None, None]),
]


def welch_case(name, a, b):
    case = {"name": name, "a": a, "b": b}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = stats.ttest_ind(a, b, equal_var=False)
        t, p, df = num(res.statistic), num(res.pvalue), num(res.df)
        if t is None or p is None or df is None:
            case.update(diff=None, t=None, df=None, p=None, ci_low=None, ci_high=None)
        else:
            ci = res.confidence_interval(0.95)
            case.update(diff=float(np.mean(a) - np.mean(b)), t=t, df=df, p=p,
                        ci_low=num(ci.low), ci_high=num(ci.high))
    # Hedges' g with the exact small-sample correction J (Hedges 1981), from scipy.special.gamma.
    na, nb = len(a), len(b)
    g = None
    if na >= 2 and nb >= 2:
        m = na + nb - 2
        pooled = ((na - 1) * np.var(a, ddof=1) + (nb - 1) * np.var(b, ddof=1)) / m
        if pooled > 0:
            j = special.gamma(m / 2) / (math.sqrt(m / 2) * special.gamma((m - 1) / 2))
            g = num(j * (np.mean(a) - np.mean(b)) / math.sqrt(pooled))
    case["hedges_g"] = g
    return case


WELCH_CASES = [
    welch_case("small samples", [2.1, 3.4, 1.9, 5.6, 4.4], [1.0, 0.7, 2.2, 1.4]),
    welch_case("two articles each", [10.0, 14.0], [3.0, 4.0]),
    welch_case("unequal variances and sizes",
               [12.5, 13.1, 11.8, 30.2, 9.9, 14.4, 13.0, 12.2], [8.1, 8.3, 7.9]),
    welch_case("ties and zeros (rates of articles with no hits)",
               [0.0, 0.0, 1.5, 0.0, 2.5, 1.5], [0.0, 0.0, 0.0, 0.5]),
    welch_case("no variation on one side", [2.0, 2.0, 2.0], [1.0, 3.0, 5.0]),
    welch_case("no variation on either side (no test)", [2.0, 2.0], [3.0, 3.0, 3.0]),
    welch_case("one article on a side (no test)", [4.0], [1.0, 2.0, 3.0]),
    welch_case("identical groups", [1.0, 2.0, 3.0], [1.0, 2.0, 3.0]),
    welch_case("large separation (tiny p)",
               [100.0 + i * 0.1 for i in range(40)], [1.0 + i * 0.1 for i in range(40)]),
]


def mw_case(name, a, b):
    values = a + b
    tied = len(set(values)) < len(values)
    method = "exact" if not tied and len(values) <= MW_EXACT_MAX else "asymptotic"
    case = {"name": name, "a": a, "b": b, "method": method}
    if len(set(values)) == 1:
        # Every value tied: the statistic has zero variance. scipy returns p = 1 by clipping an
        # infinite z; framescope prints no p-value, as the test has nothing to test.
        case.update(u=None, p=None)
        return case
    res = stats.mannwhitneyu(a, b, alternative="two-sided", method=method, use_continuity=True)
    case.update(u=num(res.statistic), p=num(res.pvalue))
    return case


def spread(n, start, step):
    """Evenly spaced values in eighths, exact in binary so that no tie is an accident of
    rounding: an even start and step in eighths never meets an odd start with an even step."""
    return [start + i * step for i in range(n)]


MW_CASES = [
    mw_case("small, no ties", [1.1, 3.3, 5.5, 7.7], [2.2, 4.4, 0.5]),
    mw_case("complete separation", [5.0, 6.0, 7.0, 8.0], [1.0, 2.0, 3.0, 4.0]),
    mw_case("one article against three", [2.5], [1.0, 2.0, 3.0]),
    mw_case("one article each", [2.0], [1.0]),
    mw_case("ties", [1.0, 2.0, 2.0, 3.0, 5.0], [2.0, 3.0, 3.0, 4.0]),
    mw_case("many zeros (articles with no hits)", [0.0, 0.0, 0.0, 1.2, 3.4, 0.0], [0.0, 0.0, 0.0, 0.0, 0.7]),
    mw_case("every value tied (no test)", [1.0, 1.0], [1.0, 1.0, 1.0]),
    mw_case("larger, no ties, exact", spread(30, 4.25, 1.0), spread(40, 0.125, 0.75)),
    mw_case("largest exact size (50 and 50)", spread(50, 0.5, 1.0), spread(50, 5.125, 0.75)),
    mw_case("beyond the exact size (asymptotic)", spread(60, 6.25, 0.75), spread(45, 0.375, 1.0)),
    mw_case("large separation (tiny p)", spread(20, 100.5, 1.0), spread(20, 0.25, 1.0)),
]


def log_odds_case(name, ya, na, yb, nb, alpha_w, alpha_0):
    """Monroe, Colaresi & Quinn (2008), eqs. 16 and 20."""
    case = {"name": name, "y_a": ya, "n_a": na, "y_b": yb, "n_b": nb,
            "alpha_w": alpha_w, "alpha_0": alpha_0}
    if ya > na or yb > nb or not alpha_w > 0 or not alpha_0 > alpha_w:
        case.update(delta=None, se=None, z=None)
        return case
    la = np.log((ya + alpha_w) / (na + alpha_0 - ya - alpha_w))
    lb = np.log((yb + alpha_w) / (nb + alpha_0 - yb - alpha_w))
    delta = float(la - lb)
    se = float(np.sqrt(1.0 / (ya + alpha_w) + 1.0 / (yb + alpha_w)))
    case.update(delta=delta, se=se, z=delta / se)
    return case


def prior(ya, na, yb, nb, alpha_0):
    """framescope's prior: the term's pooled share of all words, times alpha_0."""
    return alpha_0 * (ya + yb) / (na + nb)


LOG_ODDS_CASES = [
    log_odds_case("typical", 12, 5000, 3, 7000, prior(12, 5000, 3, 7000, 1000), 1000.0),
    log_odds_case("zero in a (an outlet with no hits)", 0, 4000, 9, 6000, prior(0, 4000, 9, 6000, 1000), 1000.0),
    log_odds_case("zero in b", 5, 900, 0, 1200, prior(5, 900, 0, 1200, 1000), 1000.0),
    log_odds_case("single hit, small prior", 1, 600, 0, 600, prior(1, 600, 0, 600, 10), 10.0),
    log_odds_case("equal", 5, 100, 5, 100, 0.5, 10.0),
    log_odds_case("large", 900, 2_000_000, 400, 3_000_000, prior(900, 2_000_000, 400, 3_000_000, 1000), 1000.0),
    log_odds_case("no prior (no statistic)", 0, 100, 0, 100, 0.0, 1000.0),
]


def build():
    return {
        "generator": "scripts/stats_reference.py",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "mann_whitney_exact_max": MW_EXACT_MAX,
        "g2": G2_CASES,
        "bh": BH_CASES,
        "welch": WELCH_CASES,
        "mann_whitney": MW_CASES,
        "log_odds": LOG_ODDS_CASES,
    }


def same(x, y, path):
    if isinstance(x, float) or isinstance(y, float):
        if not isinstance(x, (int, float)) or not isinstance(y, (int, float)):
            raise SystemExit(f"{path}: {x!r} != {y!r}")
        if abs(x - y) > 1e-12 * max(abs(x), abs(y)) and abs(x - y) > 1e-300:
            raise SystemExit(f"{path}: {x!r} != {y!r}")
    elif isinstance(x, dict) and isinstance(y, dict):
        if x.keys() != y.keys():
            raise SystemExit(f"{path}: keys {sorted(x)} != {sorted(y)}")
        for k in x:
            same(x[k], y[k], f"{path}.{k}")
    elif isinstance(x, list) and isinstance(y, list):
        if len(x) != len(y):
            raise SystemExit(f"{path}: {len(x)} items != {len(y)}")
        for i, (a, b) in enumerate(zip(x, y)):
            same(a, b, f"{path}[{i}]")
    elif x != y:
        raise SystemExit(f"{path}: {x!r} != {y!r}")


def main():
    data = build()
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        with open(sys.argv[2], encoding="utf-8") as f:
            committed = json.load(f)
        committed.pop("scipy", None), committed.pop("numpy", None)
        data.pop("scipy"), data.pop("numpy")
        same(committed, data, "reference")
        print(f"{sys.argv[2]}: matches scipy {scipy.__version__}")
    elif len(sys.argv) == 1:
        json.dump(data, sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
