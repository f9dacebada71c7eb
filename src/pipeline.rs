//! Runs the stages in order. A first pass counts each outlet's lines for the cleaning step's
//! repetition signal (when the input can be read twice). Then one streaming pass: the corpus
//! is read on the calling thread in batches (lines or files as read); a second thread has each
//! batch parsed on a worker pool, checks ids in input order, and has the articles cleaned and
//! scored on the pool; a third writes their rows in input order, folding each article into its
//! outlet's accumulator. The comparisons at the end run on the same pool. Only the
//! accumulators, the bounded line counts and the duplicate-id check (its newest ids in memory,
//! the rest in temporary files) outlive a batch, so memory stays bounded as the corpus grows,
//! and because rows and sums are taken in input order the reports are byte-identical whatever
//! the thread count.

use std::sync::mpsc;

use anyhow::Context as _;
use rayon::prelude::*;

use crate::aggregate::Outlets;
use crate::clean::{self, Cleaner, LineCounter, Repeated, article_keys};
use crate::compare;
use crate::config::Config;
use crate::corpus::{self, Item, Raw, Skip};
use crate::lexicon::LexiconSet;
use crate::progress::Progress;
use crate::report::{EntryCells, Rendered, Reports, RunInfo, cleaning_rows, render};
use crate::score::{Analyzer, ArticleScore, ByVoice, Detail};

/// Articles per batch handed to the worker pool. Up to about five batches are in flight (read,
/// queued, scored, written), each with its rows (`hits.csv` is about four times the text):
/// 256 put a 200 MB folder run with `hits.csv` at 66-68 MiB peak, 128 at 60-61 MiB, for 2-6 %
/// more CPU time.
const BATCH_ARTICLES: usize = 128;
/// Bytes of input per batch, whichever limit comes first.
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
pub fn load_lexicons(
    cfg: &crate::config::LexiconConfig,
    quiet: bool,
) -> anyhow::Result<LexiconSet> {
    let mut set = LexiconSet::load(cfg.builtin, &cfg.paths)?;
    set.add_dicts(&cfg.dicts)?;
    if !quiet {
        for w in &set.warnings {
            eprintln!("framescope: {w}");
        }
    }
    Ok(set)
}

/// Score the corpus and write every report. An `Err` is fatal (exit code 2).
pub fn run(config: &Config) -> anyhow::Result<Outcome> {
    // Compiling the lexicons' automaton and the boilerplate expressions is most of the
    // start-up: do both at once. A lexicon error is reported before a boilerplate one.
    let (analyzer, boilerplate) = std::thread::scope(|scope| {
        let analyzer = scope.spawn(|| -> anyhow::Result<Analyzer> {
            let set = load_lexicons(&config.lexicons, config.quiet)?;
            Analyzer::new(set).context("cannot compile the lexicons")
        });
        let boilerplate = clean::patterns::load(true, &config.cleaning.boilerplate);
        let analyzer = analyzer
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("internal error: a worker thread panicked")));
        (analyzer, boilerplate)
    });
    let analyzer = analyzer?;
    let boilerplate = boilerplate?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .build()
        .context("cannot start worker threads")?;
    // The first pass needs an input that can be read twice: a regular file or a folder, not
    // standard input, a pipe or a device (`/dev/stdin`, `<(...)`).
    let path = &config.input.path;
    let rereadable =
        path.as_os_str() != "-" && std::fs::metadata(path).is_ok_and(|m| m.is_file() || m.is_dir());
    let (repeated, first_spill_error) = if config.cleaning.chrome && rereadable {
        let (repeated, spill_error) = count_lines(config, &pool)?;
        (Some(repeated), spill_error)
    } else {
        (None, None)
    };
    let repetition = match &repeated {
        Some(r) if r.saturated => "counted (the line counter was full: counts are lower bounds)",
        Some(_) => "counted",
        None if !config.cleaning.chrome => "off (--keep-boilerplate)",
        None => "off (the input is a stream, read once)",
    };
    let boilerplate_ids: Vec<String> = boilerplate
        .categories
        .iter()
        .map(|c| c.id.clone())
        .collect();
    let cleaner = Cleaner {
        markup: true,
        chrome: config.cleaning.chrome,
        boilerplate,
        repeated,
    };
    let analyzer = analyzer.with_cleaner(cleaner);
    let corpus = corpus::open(&config.input)?;
    let input_kind = corpus.describe();
    let extra_columns = corpus.extra_columns().to_vec();
    let (inputs, mut admit) = corpus.into_raw();
    let mut reports = Reports::create(
        &config.out,
        &analyzer.set,
        &extra_columns,
        config.with_hits,
        config.xlsx,
        config.force,
        config.report_html,
    )?;

    // Three stages joined by bounded channels: this thread reads, `scorer` has a batch scored
    // and rendered on the pool while the next is parsed, `writer` writes rows and folds
    // accumulators in input order. Each stage works on a different batch at the same time.
    let (batch_tx, batch_rx) = mpsc::sync_channel::<Vec<Raw>>(1);
    let (done_tx, done_rx) = mpsc::sync_channel::<Vec<Scored>>(2);
    let detail = Detail {
        hits: config.with_hits,
        words: config.keyness.all_words,
    };
    // report.html shows the first articles of the input with their text marked.
    let page_limit = config.report_html.unwrap_or(0) as u64;
    let analyzer = &analyzer;
    let entries = &EntryCells::new(&analyzer.set);
    let pool = &pool;
    let outcome = std::thread::scope(|scope| {
        // The loop runs on the pool itself: when a batch is done, the worker that finished
        // it goes on with the next at once, where a thread of its own had to be woken and
        // given a core first (0.3 ms on average on this machine, a batch at a time).
        let scorer = scope.spawn(move || {
            pool.install(move || {
                let mut articles_seen = 0u64;
                let admit = &mut admit;
                // Each batch is scored while the next one, when it has been read already, is
                // prepared, side by side (`rayon::join`): the workers that finish their share
                // of one take up the other's, instead of waiting at the end of each for the
                // slowest article. (A batch not read yet is not waited for: a slow stream's
                // articles are scored as they come.)
                let mut current: Option<Vec<Item>> = None;
                loop {
                    let batch = match current.take() {
                        Some(batch) => batch,
                        None => match batch_rx.recv() {
                            Ok(b) => prepare(b, admit),
                            Err(_) => break, // the input is read
                        },
                    };
                    // Which items report.html shows: articles numbered in input order.
                    let on_page: Vec<Option<u64>> = batch
                        .iter()
                        .map(|item| {
                            let article = matches!(item, Item::Article(_));
                            let shown =
                                (article && articles_seen < page_limit).then_some(articles_seen);
                            articles_seen += u64::from(article);
                            shown
                        })
                        .collect();
                    let next = batch_rx.try_recv().ok();
                    let (results, prepared) = rayon::join(
                        || -> Vec<Scored> {
                            batch
                                .into_par_iter()
                                .zip(on_page)
                                .map(|(item, page)| {
                                    score_item(analyzer, entries, item, detail, page)
                                })
                                .collect()
                        },
                        || next.map(|b| prepare(b, admit)),
                    );
                    current = prepared;
                    if done_tx.send(results).is_err() {
                        break; // the writer stopped on an error
                    }
                }
                admit.spill_error().map(str::to_owned)
            })
        });
        let reports = &mut reports;
        let mut progress = Progress::new(!config.quiet, "scoring", &config.input.path);
        let writer = scope.spawn(move || -> anyhow::Result<(Outcome, Outlets)> {
            let mut outcome = Outcome::default();
            let mut outlets = Outlets::new();
            for results in done_rx {
                let (mut articles, mut bytes) = (0, 0);
                for result in results {
                    outcome.inputs += 1;
                    articles += 1;
                    match result {
                        Scored::Article {
                            source,
                            folded,
                            rows,
                            page,
                            text_bytes,
                        } => {
                            bytes += text_bytes;
                            reports.write(&rows)?;
                            reports.add_to_page(page);
                            let acc = outlets.entry(source).or_default();
                            acc.add_article(&folded.score, &folded.measures);
                            acc.add_words(&folded.words);
                            outcome.scored += 1;
                        }
                        Scored::Skip(skip, cleaning) => {
                            reports.write_cleaning(&cleaning)?;
                            reports.skip(&skip)?;
                            outcome.skipped += 1;
                        }
                    }
                }
                progress.add(articles, bytes);
            }
            progress.finish();
            Ok((outcome, outlets))
        });

        // A later stage that stopped on an error closes the channel; the writer reports it.
        send_batches(inputs, batch_tx);
        let scored = scorer.join();
        let written = writer.join();
        match (scored, written) {
            (Ok(spill_error), Ok(result)) => Ok((spill_error, result)),
            _ => Err(anyhow::anyhow!("internal error: a worker thread panicked")),
        }
    })?;
    let (spill_error, outcome) = outcome;
    // once, though both passes check the ids
    warn_spill(config, first_spill_error.or(spill_error).as_deref());

    let (mut outcome, mut outlets) = match outcome {
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
            "max_article_bytes": config.input.max_article_bytes,
            "html": config.input.html.as_str(),
            "fields": {
                "id": config.input.fields.id,
                "source": config.input.fields.source,
                "title": config.input.fields.title,
                "date": config.input.fields.date,
                "url": config.input.fields.url,
                "author": config.input.fields.author,
                "text": config.input.fields.text,
            },
            "default_lexicons": config.lexicons.builtin,
            "lexicon_paths": config.lexicons.paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
            "dicts": config.lexicons.dicts.iter().map(|d| format!("{}:{}", d.path.display(), d.side.as_str())).collect::<Vec<_>>(),
            "hits": config.with_hits,
            "report_html_articles": config.report_html,
            "xlsx": config.xlsx,
            "cleaning": {
                "remove_boilerplate": config.cleaning.chrome,
                "boilerplate_paths": config.cleaning.boilerplate.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
                "boilerplate_categories": boilerplate_ids,
                "repetition": repetition,
            },
            "keyness": {
                "voice": config.keyness.voice.as_str(),
                "pairs": config.keyness.pairs,
                "all_words": config.keyness.all_words,
                "min_count": config.keyness.min_count,
                "prior_words": config.keyness.prior_words,
            },
        }),
        inputs: outcome.inputs,
        scored: outcome.scored,
        skipped: outcome.skipped,
    };
    crate::aggregate::sort_values(&mut outlets);
    let comparison = pool.install(|| compare::compare(&analyzer.set, &outlets, &config.keyness));
    if config.xlsx && !config.quiet {
        // The workbook can take longer than the scoring (deflating every sheet): say so.
        eprintln!(
            "framescope: writing {} from the CSV reports",
            crate::report::XLSX
        );
    }
    reports.finish(&analyzer.set, &outlets, &comparison, &info)?;
    Ok(outcome)
}

/// The first pass: count every article's lines per outlet, for the repetition signal. This
/// thread reads; a second, running on the pool, has each batch prepared and its lines keyed, then
/// checks the ids in input order; a third counts the keys in input order. So reading the
/// next batch, keying this one and counting the one before overlap (and the counts do not
/// depend on the thread count). Returns the counts, and why the duplicate-id check could not
/// write its ids out, if it could not (the caller warns once for both passes).
fn count_lines(
    config: &Config,
    pool: &rayon::ThreadPool,
) -> anyhow::Result<(Repeated, Option<String>)> {
    let (inputs, mut admit) = corpus::open(&config.input)?.into_raw();
    let mut progress = Progress::new(!config.quiet, "counting lines", &config.input.path);
    let (batch_tx, batch_rx) = mpsc::sync_channel::<Vec<Raw>>(2);
    let (keyed_tx, keyed_rx) = mpsc::sync_channel::<Vec<(Item, Vec<u64>)>>(2);
    let counted = std::thread::scope(|scope| {
        // On the pool itself, as the scoring loop (see `run`).
        let keyer = scope.spawn(move || {
            pool.install(move || {
                for batch in batch_rx {
                    // Each input is prepared and its lines keyed in parallel, then admitted
                    // in input order.
                    let admitted = prepare_with(batch, &mut admit, |item| match item {
                        Item::Article(a) => article_keys(&a.source, &a.text),
                        Item::Skip(_) => Vec::new(),
                    });
                    if keyed_tx.send(admitted).is_err() {
                        break;
                    }
                }
                admit.spill_error().map(str::to_owned)
            })
        });
        let counter = scope.spawn(move || {
            let mut counter = LineCounter::default();
            for keyed in keyed_rx {
                let (mut articles, mut bytes) = (0, 0);
                for (item, keys) in keyed {
                    articles += 1;
                    if let Item::Article(a) = item {
                        bytes += a.text.len() as u64;
                        counter.add_keys(&a.source, &keys);
                    }
                }
                progress.add(articles, bytes);
            }
            counter
        });
        // The later stages close the channels only by panicking: reported below.
        send_batches(inputs, batch_tx);
        let keyed = keyer.join();
        let counted = counter.join();
        match (keyed, counted) {
            (Ok(spill_error), Ok(counter)) => Ok((counter, spill_error)),
            _ => Err(()),
        }
    });
    let (counter, spill_error) =
        counted.map_err(|()| anyhow::anyhow!("internal error: a worker thread panicked"))?;
    Ok((counter.finish(), spill_error))
}

/// Say (unless `--quiet`) that the duplicate-id check kept its ids in memory because the
/// temporary folder could not take them.
fn warn_spill(config: &Config, spill_error: Option<&str>) {
    if let Some(why) = spill_error
        && !config.quiet
    {
        eprintln!("framescope: warning: duplicate-id check: {why}");
    }
}

/// Prepare a batch of inputs in parallel (on the pool it is called on: parse, extract, cut:
/// [`Raw::prepare`]; and the part of the duplicate-id check that reads the ids written out),
/// then pass them through the rest of the check in input order.
fn prepare(batch: Vec<Raw>, admit: &mut corpus::Admit) -> Vec<Item> {
    prepare_with(batch, admit, |_| ())
        .into_iter()
        .map(|(item, ())| item)
        .collect()
}

/// [`prepare`], with `extra` worked out for each prepared input in the same parallel step
/// (before the in-order part of the duplicate-id check: a duplicate's is dropped unused).
fn prepare_with<T: Send>(
    batch: Vec<Raw>,
    admit: &mut corpus::Admit,
    extra: impl Fn(&Item) -> T + Sync + Send,
) -> Vec<(Item, T)> {
    let checker = &*admit;
    let items: Vec<(Item, corpus::Checked, T)> = batch
        .into_par_iter()
        .map(|raw| {
            let item = raw.prepare();
            let checked = checker.check(&item);
            let extra = extra(&item);
            (item, checked, extra)
        })
        .collect();
    let items = items
        .into_iter()
        .map(|(item, checked, extra)| (admit.admit_checked(item, checked), extra))
        .collect();
    admit.end_batch();
    items
}

/// Read `inputs` in batches of [`BATCH_ARTICLES`] inputs or [`BATCH_BYTES`] of input,
/// whichever comes first, and send each down `tx`; stop early when the receiving stage has
/// gone.
fn send_batches(inputs: impl Iterator<Item = Raw>, tx: mpsc::SyncSender<Vec<Raw>>) {
    let mut batch = Vec::with_capacity(BATCH_ARTICLES);
    let mut bytes = 0;
    for raw in inputs {
        bytes += raw.len();
        batch.push(raw);
        if batch.len() >= BATCH_ARTICLES || bytes >= BATCH_BYTES {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_ARTICLES));
            if tx.send(full).is_err() {
                return;
            }
            bytes = 0;
        }
    }
    if !batch.is_empty() {
        let _ = tx.send(batch);
    }
}

/// One input after the scoring stage: an article's outlet, its accumulator and its rendered
/// rows (the hits themselves are dropped here), or a skip with the `cleaning.csv` rows of
/// what was taken out of it (an article left with no body text by cleaning).
enum Scored {
    Article {
        source: String,
        /// What the writer folds into the outlet's accumulator.
        folded: Box<Folded>,
        rows: Rendered,
        /// The article marked for `report.html`, when the page shows it.
        page: Option<String>,
        /// Bytes of the article's text (for the progress line).
        text_bytes: u64,
    },
    Skip(Skip, Vec<u8>),
}

/// The parts of an analysis that go into the outlet's accumulator (`OutletAcc::add_article`,
/// `OutletAcc::add_words`), folded in by the writer in input order.
struct Folded {
    score: ArticleScore,
    measures: Vec<Option<f64>>,
    words: Vec<(String, ByVoice)>,
}

/// Score one input; with `page` (its number among the input's articles), also mark it up for
/// `report.html`, which needs its hits even when hits.csv is not written.
fn score_item(
    analyzer: &Analyzer,
    entries: &EntryCells,
    item: Item,
    detail: Detail,
    page: Option<u64>,
) -> Scored {
    let article = match item {
        Item::Skip(skip) => return Scored::Skip(skip, Vec::new()),
        Item::Article(article) => article,
    };
    let wanted = Detail {
        hits: detail.hits || page.is_some(),
        ..detail
    };
    match analyzer.analyze_with(&article, wanted) {
        Ok(analysis) => {
            let measures = analysis.score.measures(&analyzer.set);
            let rows = render(
                &analyzer.set,
                entries,
                &article,
                &analysis,
                &measures,
                detail.hits,
            );
            let page = page.map(|n| {
                crate::report::page::article_html(&analyzer.set, &article, &analysis, &measures, n)
            });
            Scored::Article {
                folded: Box::new(Folded {
                    score: analysis.score,
                    measures,
                    words: analysis.words,
                }),
                text_bytes: article.text.len() as u64,
                source: article.source,
                rows,
                page,
            }
        }
        Err(e) => {
            let removals = analyzer.cleaning(&article).removals;
            let cleaning = cleaning_rows(&article, &removals);
            Scored::Skip(
                Skip {
                    origin: article.origin,
                    id: Some(article.id),
                    source: Some(article.source),
                    reason: e.to_string(),
                },
                cleaning,
            )
        }
    }
}
