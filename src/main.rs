//! The `framescope` binary: parse the command line, run, map the result to an exit code.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use framescope::cli::{Cli, Command, LexiconsCommand, SideArg, VoiceArg};
use framescope::config::{Config, LexiconConfig, label_filters};
use framescope::{lexicons_table, pipeline};

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
