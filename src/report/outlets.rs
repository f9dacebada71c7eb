//! Per-outlet rows: the schemas of `sources.csv` and `speakers.csv`.

use super::fixed;
use super::rows::{count_columns, side_counts};
use crate::aggregate::{OutletAcc, Outlets, summarize};
use crate::lexicon::{LexiconSet, Role, Side};
use crate::score::{balance, measure_names, weighted_hits};

const STATS: [&str; 5] = ["mean", "sd", "median", "ci_low", "ci_high"];

/// `sources.csv` columns.
pub fn source_header(set: &LexiconSet) -> Vec<String> {
    let mut h: Vec<String> = [
        "rank",
        "source",
        "articles",
        "words",
        "sentences",
        "headline_words",
        "advocacy_index_pooled",
        "neutral_index_pooled",
        "balance_pooled",
        "quoted_word_share_pooled",
        "attribution_rate_pooled",
        "loaded_cue_share_pooled",
        "balance_n",
        "medians_exact",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    h.extend(count_columns());
    for m in measure_names(set) {
        for st in STATS {
            h.push(format!("{m}_{st}"));
        }
    }
    for l in set.lexicons.iter().filter(|l| l.role.is_scored()) {
        for suffix in ["n", "per_1k_pooled", "quoted_n", "headline_n"] {
            h.push(format!("{}.{suffix}", l.id));
        }
    }
    h
}

/// `sources.csv` rows: outlets by mean advocacy index, highest first (ties by name).
pub fn source_rows(set: &LexiconSet, outlets: &Outlets) -> Vec<Vec<String>> {
    let mut order: Vec<(&String, &OutletAcc, f64)> = outlets
        .iter()
        .map(|(name, acc)| {
            let adv = acc
                .measures
                .get(2)
                .filter(|m| m.moments.n > 0)
                .map_or(f64::NEG_INFINITY, |m| m.moments.mean);
            (name, acc, adv)
        })
        .collect();
    order.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| a.0.cmp(b.0)));
    order
        .iter()
        .enumerate()
        .map(|(rank, (name, acc, _))| source_row(set, rank + 1, name, acc))
        .collect()
}

fn source_row(set: &LexiconSet, rank: usize, name: &str, acc: &OutletAcc) -> Vec<String> {
    let author_words = acc.words.saturating_sub(acc.quoted_words) as f64;
    let per_1k = |x: f64| (author_words > 0.0).then(|| 1000.0 * x / author_words);
    let ratio = |a: u64, b: u64| (b > 0).then(|| a as f64 / b as f64);
    let a = weighted_hits(&acc.author, &acc.author_weight, set, Side::Advocacy);
    let n = weighted_hits(&acc.author, &acc.author_weight, set, Side::Neutral);
    let summaries: Vec<_> = acc.measures.iter().map(summarize).collect();
    let mut row = vec![
        rank.to_string(),
        name.to_string(),
        acc.articles.to_string(),
        acc.words.to_string(),
        acc.sentences.to_string(),
        acc.headline_words.to_string(),
        fixed(per_1k(a)),
        fixed(per_1k(n)),
        fixed(balance(a, n)),
        fixed(ratio(acc.quoted_words, acc.words)),
        fixed(ratio(acc.attributions.attributed_sentences, acc.sentences)),
        fixed(ratio(
            acc.attributions.loaded_cues,
            acc.attributions.neutral_cues + acc.attributions.loaded_cues,
        )),
        summaries.get(4).map_or(0, |s| s.n).to_string(),
        summaries.iter().all(|s| s.median_exact).to_string(),
    ];
    let counts = side_counts(set, &acc.author, &acc.quoted, &acc.headline)
        .into_iter()
        .chain(acc.attributions.values())
        .chain([acc.distinct_speakers(), acc.quoted_words]);
    row.extend(counts.map(|c| c.to_string()));
    for s in &summaries {
        row.push(fixed(s.mean));
        row.push(fixed(s.sd));
        row.push(fixed(s.median));
        row.push(fixed(s.ci.map(|c| c.0)));
        row.push(fixed(s.ci.map(|c| c.1)));
    }
    let get = |v: &[u64], i: usize| v.get(i).copied().unwrap_or(0);
    for (i, _) in set
        .lexicons
        .iter()
        .enumerate()
        .filter(|(_, l)| l.role.is_scored())
    {
        row.push(get(&acc.author, i).to_string());
        row.push(fixed(per_1k(get(&acc.author, i) as f64)));
        row.push(get(&acc.quoted, i).to_string());
        row.push(get(&acc.headline, i).to_string());
    }
    row
}

/// `speakers.csv` columns.
pub fn speaker_header() -> Vec<String> {
    [
        "source",
        "speaker",
        "speaker_kind",
        "quotes",
        "quoted_words",
        "paraphrases",
        "articles",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// `speakers.csv` rows: by outlet, then most quotations and paraphrases first, then name.
pub fn speaker_rows(outlets: &Outlets) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for (outlet, acc) in outlets {
        let mut speakers: Vec<_> = acc.speakers.iter().collect();
        speakers.sort_by(|(ka, a), (kb, b)| {
            (b.quotes + b.paraphrases)
                .cmp(&(a.quotes + a.paraphrases))
                .then_with(|| ka.cmp(kb))
        });
        for ((name, kind), s) in speakers {
            rows.push(vec![
                outlet.to_string(),
                name.to_string(),
                kind.as_str().to_string(),
                s.quotes.to_string(),
                s.quoted_words.to_string(),
                s.paraphrases.to_string(),
                s.articles.to_string(),
            ]);
        }
    }
    rows
}

/// `frames.csv` columns.
pub fn frame_header() -> Vec<String> {
    [
        "source",
        "frame",
        "hits",
        "share",
        "articles_dominant",
        "articles",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// `frames.csv` rows: every outlet x every frame category, by outlet then frame id.
pub fn frame_rows(set: &LexiconSet, outlets: &Outlets) -> Vec<Vec<String>> {
    let frames: Vec<usize> = (0..set.len())
        .filter(|&i| set.lexicons[i].role == Role::Frame)
        .collect();
    let mut rows = Vec::new();
    for (outlet, acc) in outlets {
        let get = |v: &[u64], i: usize| v.get(i).copied().unwrap_or(0);
        let total: u64 = frames
            .iter()
            .map(|&i| get(&acc.author, i) + get(&acc.quoted, i))
            .sum();
        for &i in &frames {
            let hits = get(&acc.author, i) + get(&acc.quoted, i);
            rows.push(vec![
                outlet.to_string(),
                set.lexicons[i].id.clone(),
                hits.to_string(),
                fixed((total > 0).then(|| hits as f64 / total as f64)),
                acc.dominant_frames
                    .get(&i)
                    .copied()
                    .unwrap_or(0)
                    .to_string(),
                acc.articles.to_string(),
            ]);
        }
    }
    rows
}
