//! The `framescope` binary: parse the command line, run, map the result to an exit code.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use framescope::cli::{Cli, ColorArg, Command, ExplainArgs, LexiconsCommand, SideArg, VoiceArg};
use framescope::config::{Config, LexiconConfig, label_filters};
use framescope::{lexicons_table, pipeline};

/// jemalloc instead of the system allocator: articles are allocated on one thread and freed on
/// another, and glibc's allocator made that contend, so two worker threads used 15-30 % more
/// CPU time than one for the same work (docs/PERFORMANCE.md). Not on MSVC, where it does not
/// build.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read when it starts: freed pages go back to the system after about a
/// second unused instead of ten (`dirty_decay_ms`). Batches of articles and rows are freed
/// on other threads than the ones that allocated them, and each thread's arena kept what it
/// had freed: a 200 MB folder run with `hits.csv` peaked at 58-63 MiB, 54-58 MiB with this,
/// in the same time (docs/PERFORMANCE.md). The environment variable `_RJEM_MALLOC_CONF`
/// still overrides it.
#[cfg(not(target_env = "msvc"))]
#[allow(non_upper_case_globals)]
#[unsafe(export_name = "_rjem_malloc_conf")]
static malloc_conf: JemallocConf = JemallocConf(c"dirty_decay_ms:1000".as_ptr());

/// A C string pointer that may be shared between threads (it points at a constant).
#[cfg(not(target_env = "msvc"))]
#[repr(transparent)]
struct JemallocConf(*const std::ffi::c_char);

// SAFETY: the pointer is to a `'static` constant C string that is never written.
#[cfg(not(target_env = "msvc"))]
unsafe impl Sync for JemallocConf {}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            // A closed pipe (`framescope lexicons list | head`) is not an error.
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("framescope: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Analyze(args) => {
            let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
            let config = Config::from_args(&args, cpus)?;
            let outcome = pipeline::run(&config)?;
            if !config.quiet {
                eprintln!(
                    "framescope: scored {} of {} inputs from {} outlets; {} skipped; reports in {}",
                    outcome.scored,
                    outcome.inputs,
                    outcome.outlets,
                    outcome.skipped,
                    config.out.display()
                );
                if outcome.skipped > 0 {
                    eprintln!(
                        "framescope: see {} for why each skipped input was not scored",
                        config.out.join(framescope::report::SKIPPED).display()
                    );
                }
            }
            Ok(if outcome.skipped > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Validate(args) => {
            let cfg = LexiconConfig::from_args(&args.lexicons)?;
            let opts = framescope::validate::Options {
                side: match args.side {
                    SideArg::Advocacy => Some(framescope::lexicon::Side::Advocacy),
                    SideArg::Neutral => Some(framescope::lexicon::Side::Neutral),
                    SideArg::All => None,
                },
                author_only: args.voice == VoiceArg::Author,
                only: label_filters(&args.only)?,
                by: args.by.clone(),
                pair_by: args.pair_by.clone(),
                repeats: args.repeats,
                seed: args.seed,
            };
            let set = pipeline::load_lexicons(&cfg, false)?;
            let analyzer = framescope::score::Analyzer::new(set)?;
            let (gold, problems) = framescope::corpus::gold::read_gold(&args.gold)?;
            for p in &problems {
                eprintln!("framescope: skipped {p}");
            }
            let figures = framescope::validate::validate(&analyzer, &gold, &opts);
            let path = framescope::report::write_validation(&args.out, &figures)?;
            let mut out = std::io::stdout().lock();
            out.write_all(framescope::report::validation_summary(&figures).as_bytes())?;
            writeln!(
                out,
                "{} articles read, {} lines skipped; figures in {}",
                gold.len(),
                problems.len(),
                path.display()
            )?;
            out.flush()?;
            Ok(if problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Explain(args) => explain(&args),
        Command::Lexicons(LexiconsCommand::Check(args)) => {
            let mut out = std::io::stdout().lock();
            let (mut any, mut fatal) = (false, false);
            for path in &args.files {
                let (summary, problems) = framescope::lexicon::dict::check(path);
                writeln!(out, "{summary}")?;
                for p in &problems {
                    writeln!(out, "{p}")?;
                }
                any |= !problems.is_empty();
                fatal |= problems
                    .iter()
                    .any(|p| p.severity == framescope::lexicon::Severity::Error && p.line == 0);
            }
            out.flush()?;
            Ok(if fatal {
                ExitCode::from(2)
            } else if any {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Lexicons(LexiconsCommand::Convert(args)) => {
            use framescope::lexicon::dict;
            let spec = dict::DictSpec::parse(&args.file).map_err(anyhow::Error::msg)?;
            let loaded = dict::load(&spec);
            for p in &loaded.problems {
                eprintln!("framescope: {p}");
            }
            if loaded
                .problems
                .iter()
                .any(|p| p.severity == framescope::lexicon::Severity::Error)
            {
                anyhow::bail!("{}: not converted (errors above)", spec.path.display());
            }
            if loaded.family == "boilerplate" {
                anyhow::bail!(
                    "{}: the family `boilerplate` is reserved for cleaning patterns (--lexicons skips that folder); rename the file",
                    spec.path.display()
                );
            }
            let dir = args.to.join(&loaded.family);
            std::fs::create_dir_all(&dir)
                .map_err(|e| anyhow::anyhow!("{}: cannot create the folder: {e}", dir.display()))?;
            let mut written = std::collections::BTreeSet::new();
            for lex in &loaded.lexicons {
                for e in &lex.entries {
                    if let Some(why) = dict::unwritable(&e.written) {
                        eprintln!(
                            "framescope: {}:{}: warning: `{}` left out of the converted file: {why}",
                            spec.path.display(),
                            e.line,
                            e.written
                        );
                    }
                }
                let name = format!("{}.txt", lex.category());
                let path = dir.join(&name);
                let text = dict::native_text(lex);
                // What was written must read back as the same category.
                let (back, problems) =
                    framescope::lexicon::parse(&path.display().to_string(), Some(&lex.id), &text);
                if back.is_none()
                    || problems
                        .iter()
                        .any(|p| p.severity == framescope::lexicon::Severity::Error)
                {
                    for p in &problems {
                        eprintln!("framescope: {p}");
                    }
                    anyhow::bail!(
                        "{}: the converted file would not load; not written",
                        path.display()
                    );
                }
                std::fs::write(&path, text)
                    .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", path.display()))?;
                written.insert(name);
            }
            // Files of an earlier conversion that this one did not write would still load.
            if let Ok(entries) = std::fs::read_dir(&dir) {
                let mut stale: Vec<String> = entries
                    .flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.ends_with(".txt") && !written.contains(n))
                    .collect();
                stale.sort();
                for n in stale {
                    eprintln!(
                        "framescope: warning: {} was not written by this conversion and will load with --lexicons {}; remove it if it is stale",
                        dir.join(n).display(),
                        args.to.display()
                    );
                }
            }
            println!(
                "framescope: wrote {} categories of {} to {}",
                loaded.lexicons.len(),
                spec.path.display(),
                dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Lexicons(LexiconsCommand::List(args)) => {
            let cfg = LexiconConfig::from_args(&args.lexicons)?;
            let set = pipeline::load_lexicons(&cfg, false)?;
            let mut out = std::io::stdout().lock();
            out.write_all(lexicons_table(&set, args.csv).as_bytes())?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `framescope explain`: find the article, score it with its hits, print it marked.
fn explain(args: &ExplainArgs) -> anyhow::Result<ExitCode> {
    use framescope::corpus::{self, Item};
    use std::io::IsTerminal;

    let cfg = LexiconConfig::from_args(&args.lexicons)?;
    let set = pipeline::load_lexicons(&cfg, false)?;
    let boilerplate = framescope::clean::patterns::load(true, &args.cleaning.boilerplate)?;
    let analyzer =
        framescope::score::Analyzer::new(set)?.with_cleaner(framescope::clean::Cleaner {
            markup: true,
            chrome: !args.cleaning.keep_boilerplate,
            boilerplate,
            repeated: None,
        });
    let spec = corpus::InputSpec {
        path: args.input.clone(),
        format: framescope::config::input_format(args.format),
        fields: framescope::config::field_map(&args.fields)?,
        html: corpus::HtmlMode::Auto,
        max_article_bytes: corpus::DEFAULT_MAX_ARTICLE_BYTES,
    };
    let wanted = |id: Option<&str>| args.id.as_deref().is_none_or(|w| id == Some(w));
    let mut article = None;
    for item in corpus::open(&spec)? {
        match item {
            Item::Article(a) if wanted(Some(&a.id)) => {
                article = Some(a);
                break;
            }
            Item::Skip(skip) if args.id.is_some() && wanted(skip.id.as_deref()) => {
                anyhow::bail!("{}: not scored: {}", skip.origin, skip.reason);
            }
            _ => {}
        }
    }
    let Some(article) = article else {
        anyhow::bail!(
            "{}: {}; the ids are the `id` column of articles.csv",
            args.input.display(),
            match &args.id {
                Some(id) => format!("no article with the id {id:?}"),
                None => "no article to show".to_string(),
            }
        );
    };
    let detail = framescope::score::Detail {
        hits: true,
        words: false,
    };
    let analysis = match analyzer.analyze_with(&article, detail) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("framescope: {}: not scored: {e}", article.origin);
            return Ok(ExitCode::from(1));
        }
    };
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let text = framescope::explain::explain(&analyzer.set, &article, &analysis, color);
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
