//! Runs the stages in order over one streaming pass: the corpus is read on the calling
//! thread in batches; a second thread scores each batch on a worker pool and writes its rows
//! in input order, folding each article into its outlet's accumulator. Only the accumulators
//! outlive a batch, so memory stays flat as the corpus grows, and because rows and sums are
//! taken in input order the reports are byte-identical whatever the thread count.

use std::sync::mpsc;

use anyhow::Context as _;
use rayon::prelude::*;

use crate::aggregate::{OutletAcc, Outlets};
use crate::config::Config;
use crate::corpus::{self, Item, Skip};
use crate::lexicon::LexiconSet;
use crate::report::{Reports, RunInfo};
use crate::score::{Analysis, Analyzer};

/// Articles per batch handed to the worker pool.
const BATCH_ARTICLES: usize = 256;
/// Bytes of text per batch, whichever limit comes first.
const BATCH_BYTES: usize = 8 << 20;

/// What a finished run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Outcome {
    pub inputs: u64,
    pub scored: u64,
    pub skipped: u64,
    pub outlets: u64,
}

/// Load the lexicons a config asks for, printing their warnings to stderr.
pub fn load_lexicons(cfg: &crate::config::LexiconConfig, quiet: bool) -> anyhow::Result<LexiconSet> {
    let set = LexiconSet::load(cfg.builtin, &cfg.paths)?;
    if !quiet {
        for w in &set.warnings {
            eprintln!("framescope: {w}");
        }
    }
    Ok(set)
}

/// Score the corpus and write every report. An `Err` is fatal (exit code 2).
pub fn run(config: &Config) -> anyhow::Result<Outcome> {
    let set = load_lexicons(&config.lexicons, config.quiet)?;
    let analyzer = Analyzer::new(set).context("cannot compile the lexicons")?;
    let corpus = corpus::open(&config.input)?;
    let input_kind = corpus.describe();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .build()
        .context("cannot start worker threads")?;
    let mut reports = Reports::create(
        &config.out,
        &analyzer.set,
        corpus.extra_columns(),
        config.with_hits,
    )?;

    let (tx, rx) = mpsc::sync_channel::<Vec<Item>>(2);
    let with_hits = config.with_hits;
    let outcome = std::thread::scope(|scope| {
        let worker = scope.spawn(|| -> anyhow::Result<(Outcome, Outlets)> {
            let mut outcome = Outcome::default();
            let mut outlets = Outlets::new();
            for batch in rx {
                let results: Vec<Result<(corpus::Article, Analysis), Skip>> = pool.install(|| {
                    batch
                        .into_par_iter()
                        .map(|item| score_item(&analyzer, item, with_hits))
                        .collect()
                });
                for result in results {
                    outcome.inputs += 1;
                    match result {
                        Ok((article, analysis)) => {
                            let measures = analysis.score.measures(&analyzer.set);
                            reports.article(&analyzer.set, &article, &analysis, &measures)?;
                            let acc = OutletAcc::from_article(&analysis.score, &measures);
                            *outlets.entry(article.source).or_default() += &acc;
                            outcome.scored += 1;
                        }
                        Err(skip) => {
                            reports.skip(&skip)?;
                            outcome.skipped += 1;
                        }
                    }
                }
            }
            Ok((outcome, outlets))
        });

        let mut batch = Vec::with_capacity(BATCH_ARTICLES);
        let mut bytes = 0;
        for item in corpus {
            if let Item::Article(a) = &item {
                bytes += a.text.len();
            }
            batch.push(item);
            if batch.len() >= BATCH_ARTICLES || bytes >= BATCH_BYTES {
                if tx.send(std::mem::take(&mut batch)).is_err() {
                    break; // the worker stopped on an error; it reports it below
                }
                bytes = 0;
            }
        }
        if !batch.is_empty() {
            let _ = tx.send(batch);
        }
        drop(tx);
        worker
            .join()
            .map_err(|_| anyhow::anyhow!("internal error: the scoring thread panicked"))
    })?;

    let (mut outcome, outlets) = match outcome {
        Ok(x) => x,
        Err(e) => {
            reports.abandon();
            return Err(e);
        }
    };
    outcome.outlets = outlets.len() as u64;
    let info = RunInfo {
        input: config.input.path.display().to_string(),
        input_kind,
        options: serde_json::json!({
            "format": format!("{:?}", config.input.format).to_lowercase(),
            "fields": {
                "id": config.input.fields.id,
                "source": config.input.fields.source,
                "title": config.input.fields.title,
                "date": config.input.fields.date,
                "url": config.input.fields.url,
                "text": config.input.fields.text,
            },
            "default_lexicons": config.lexicons.builtin,
            "lexicon_paths": config.lexicons.paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
            "hits": config.with_hits,
        }),
        inputs: outcome.inputs,
        scored: outcome.scored,
        skipped: outcome.skipped,
    };
    reports.finish(&analyzer.set, &outlets, &info)?;
    Ok(outcome)
}

fn score_item(
    analyzer: &Analyzer,
    item: Item,
    with_hits: bool,
) -> Result<(corpus::Article, Analysis), Skip> {
    match item {
        Item::Skip(skip) => Err(skip),
        Item::Article(article) => match analyzer.analyze(&article, with_hits) {
            Ok(analysis) => Ok((article, analysis)),
            Err(e) => Err(Skip {
                origin: article.origin.clone(),
                id: Some(article.id.clone()),
                source: Some(article.source.clone()),
                reason: e.to_string(),
            }),
        },
    }
}
