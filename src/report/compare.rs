//! The schemas of `keyness.csv` and `compare.csv`, rendered from the rows worked out in
//! `crate::compare`.

use super::{fixed, pvalue};
use crate::compare::{CompareRow, KeynessRow, VoiceSel, keyness::Term};
use crate::lexicon::LexiconSet;

fn strings(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// `keyness.csv` columns.
pub fn keyness_header() -> Vec<String> {
    strings(&[
        "comparison",
        "source",
        "versus",
        "voice",
        "kind",
        "lexicon",
        "side",
        "term",
        "entry_line",
        "count",
        "words",
        "per_1k",
        "articles_with",
        "articles",
        "count_other",
        "words_other",
        "per_1k_other",
        "articles_with_other",
        "articles_other",
        "direction",
        "log_odds",
        "log_odds_se",
        "z",
        "g2",
        "p",
        "p_adj",
    ])
}

/// `keyness.csv` rows.
pub fn keyness_records(set: &LexiconSet, voice: VoiceSel, rows: &[KeynessRow]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| {
            let (kind, lexicon, side, term, line) = match &r.term {
                Term::Entry(l, e) => {
                    let lex = &set.lexicons[*l as usize];
                    let entry = &lex.entries[*e as usize];
                    (
                        "entry",
                        lex.id.clone(),
                        lex.side.as_str().to_string(),
                        entry.written.to_string(),
                        entry.line.to_string(),
                    )
                }
                Term::Word(w) => (
                    "word",
                    String::new(),
                    String::new(),
                    w.to_string(),
                    String::new(),
                ),
            };
            let (ra, rb) = (r.a.per_1k(), r.b.per_1k());
            let direction = match (ra, rb) {
                (Some(x), Some(y)) if x > y => "higher",
                (Some(x), Some(y)) if x < y => "lower",
                (Some(_), Some(_)) => "same",
                _ => "",
            };
            vec![
                if r.one_vs_rest { "one_vs_rest" } else { "pair" }.to_string(),
                r.source.to_string(),
                if r.one_vs_rest {
                    "(all others)".to_string()
                } else {
                    r.versus.to_string()
                },
                voice.as_str().to_string(),
                kind.to_string(),
                lexicon,
                side,
                term,
                line,
                r.a.count.to_string(),
                r.a.words.to_string(),
                fixed(ra),
                r.a.articles_with.to_string(),
                r.a.articles.to_string(),
                r.b.count.to_string(),
                r.b.words.to_string(),
                fixed(rb),
                r.b.articles_with.to_string(),
                r.b.articles.to_string(),
                direction.to_string(),
                fixed(r.log_odds.map(|l| l.delta)),
                fixed(r.log_odds.map(|l| l.se)),
                fixed(r.log_odds.map(|l| l.z)),
                fixed(r.g2.map(|g| g.g2)),
                pvalue(r.g2.map(|g| g.p)),
                pvalue(r.p_adj),
            ]
        })
        .collect()
}

/// `compare.csv` columns.
pub fn compare_header() -> Vec<String> {
    strings(&[
        "source_a",
        "source_b",
        "measure",
        "test",
        "n_a",
        "n_b",
        "mean_a",
        "mean_b",
        "difference",
        "ci_low",
        "ci_high",
        "hedges_g",
        "welch_t",
        "welch_df",
        "welch_p",
        "welch_p_adj",
        "mann_whitney_u",
        "mann_whitney_method",
        "mann_whitney_p",
        "mann_whitney_p_adj",
        "count_a",
        "base_a",
        "count_b",
        "base_b",
        "rate_a",
        "rate_b",
        "g2",
        "g2_p",
        "g2_p_adj",
        "note",
    ])
}

/// `compare.csv` rows.
pub fn compare_records(rows: &[CompareRow]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| {
            let w = r.welch;
            let mw = r.mann_whitney;
            let count = |i: usize| r.counts.map_or(String::new(), |c| c[i].to_string());
            let method = match mw {
                Some(m) if r.binned => format!("{}_binned", m.method.as_str()),
                Some(m) => m.method.as_str().to_string(),
                None => String::new(),
            };
            vec![
                r.source_a.to_string(),
                r.source_b.to_string(),
                r.measure.clone(),
                r.test.as_str().to_string(),
                r.n_a.to_string(),
                r.n_b.to_string(),
                fixed(r.mean_a),
                fixed(r.mean_b),
                fixed(r.difference()),
                fixed(w.map(|w| w.ci.0)),
                fixed(w.map(|w| w.ci.1)),
                fixed(r.hedges_g),
                fixed(w.map(|w| w.t)),
                fixed(w.map(|w| w.df)),
                pvalue(w.map(|w| w.p)),
                pvalue(r.adjusted[0]),
                fixed(mw.map(|m| m.u)),
                method,
                pvalue(mw.map(|m| m.p)),
                pvalue(r.adjusted[1]),
                count(0),
                count(1),
                count(2),
                count(3),
                fixed(r.rate(true)),
                fixed(r.rate(false)),
                fixed(r.g2.map(|g| g.g2)),
                pvalue(r.g2.map(|g| g.p)),
                pvalue(r.adjusted[2]),
                r.note.clone(),
            ]
        })
        .collect()
}
