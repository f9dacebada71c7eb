//! Command-line syntax: clap types and help text, nothing else. What the user typed is turned
//! into a validated [`crate::config::Config`] in `config.rs`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Measure framing and source bias in news: loaded language and neutral reporting language,
/// per article and per outlet, with every hit written out as evidence.
#[derive(Debug, Parser)]
#[command(name = "framescope", version, about, long_about = None, propagate_version = true)]
#[command(
    after_help = "Exit codes: 0 done; 1 done, but some inputs were skipped (see skipped.csv), or `lexicons check` or `validate` found problems; 2 fatal error (bad arguments, a lexicon that does not parse, an unreadable input, an output folder that cannot be written or holds files framescope did not write). Nothing is left half-written: reports are renamed into place at the end, manifest.json last."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Score a corpus and write the reports (articles.csv, sources.csv, hits.csv, quotes.csv,
    /// speakers.csv, frames.csv, keyness.csv, compare.csv, cleaning.csv, skipped.csv,
    /// manifest.json; with --report-html report.html, with --xlsx framescope.xlsx).
    Analyze(AnalyzeArgs),
    /// Measure how well the flags agree with annotated spans, beside a random baseline
    /// (writes validation.csv and prints a summary).
    Validate(ValidateArgs),
    /// Inspect the lexicons in use, check lexicon and dictionary files, convert dictionaries.
    #[command(subcommand)]
    Lexicons(LexiconsCommand),
    /// Print one article as the analyzer sees it: hits coloured by side with their category,
    /// quotations with their speaker and cue, page chrome struck through, then the scores.
    Explain(ExplainArgs),
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The article: a .txt/.md/.html file, or a .jsonl/.csv file or folder from which --id
    /// picks one (the first article without it).
    #[arg(value_name = "FILE")]
    pub input: PathBuf,

    /// Which article of FILE to show (its id, as in articles.csv).
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,

    /// Colours: `auto` when standard output is a terminal and NO_COLOR is not set.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,

    /// How to read FILE; `auto` decides from the path.
    #[arg(long, value_enum, default_value_t = FormatArg::Auto)]
    pub format: FormatArg,

    /// Read an article attribute from another JSONL key or CSV column, as for `analyze`.
    #[arg(long = "field", value_name = "ATTR=NAME")]
    pub fields: Vec<String>,

    #[command(flatten)]
    pub lexicons: LexiconArgs,

    #[command(flatten)]
    pub cleaning: CleaningArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Annotated articles: JSONL with `id`, `source`, `title`, `text` and `spans` (`start`,
    /// `end` in Unicode code points, end exclusive, plus label fields such as `bias_type`).
    #[arg(long, value_name = "FILE")]
    pub gold: PathBuf,

    /// Folder for validation.csv.
    #[arg(short, long, value_name = "DIR", default_value = "validation")]
    pub out: PathBuf,

    #[command(flatten)]
    pub lexicons: LexiconArgs,

    /// Which hits flag tokens: one side's, or every side's.
    #[arg(long, value_enum, default_value_t = SideArg::Advocacy)]
    pub side: SideArg,

    /// Which hits flag tokens: every voice's, or the outlet's own (outside quotations).
    #[arg(long, value_enum, default_value_t = VoiceArg::All)]
    pub voice: VoiceArg,

    /// Keep only spans with this label, e.g. `--only bias_type=lexical`. Values are compared
    /// as text, exactly (JSON booleans read as `true`/`false`). Repeatable.
    #[arg(long = "only", value_name = "FIELD=VALUE")]
    pub only: Vec<String>,

    /// Also report the figures split by this span label, e.g. `--by in_quote`. Repeatable.
    #[arg(long = "by", value_name = "FIELD")]
    pub by: Vec<String>,

    /// Article field grouping articles on one event (`event_id`): adds the check that the
    /// advocacy index orders each pair as the span density does, with a sign test.
    #[arg(long, value_name = "FIELD")]
    pub pair_by: Option<String>,

    /// Repeats of the random baseline (each costs about one more pass over the tokens).
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub repeats: u32,

    /// Seed of the random baseline.
    #[arg(long, value_name = "N", default_value_t = 7)]
    pub seed: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SideArg {
    Advocacy,
    Neutral,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VoiceArg {
    All,
    Author,
}

/// Options shared by every command that uses lexicons.
#[derive(Debug, Args, Clone)]
pub struct LexiconArgs {
    /// Add lexicon files: a `.txt` file, or a folder of `<family>/<category>.txt` files. A
    /// file whose id matches a shipped category replaces it. Repeatable.
    #[arg(long = "lexicons", value_name = "PATH")]
    pub lexicons: Vec<PathBuf>,
    /// Add a dictionary you own: LIWC .dic (2007 or 2015), a weighted list (term TAB weight,
    /// as VADER's), a quanteda-style YAML dictionary, a CSV of term,category,weight (weight optional), or a
    /// plain list (one term per line). Each category becomes FAMILY.CATEGORY (FAMILY from the file name), counted
    /// toward SIDE (advocacy, neutral or none; default none). Repeatable.
    #[arg(long = "dict", value_name = "FILE[:SIDE]")]
    pub dicts: Vec<String>,
    /// Do not use the shipped lexicons (use only those given with --lexicons and --dict).
    #[arg(long)]
    pub no_default_lexicons: bool,
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// The corpus: a folder of .txt/.md/.html files (outlets from manifest.csv or from
    /// sub-folder names), a .jsonl or .csv file with one article per line or row, a single
    /// .txt/.md/.html file, or `-` for JSONL on standard input. Past 458,752 articles (or
    /// manifest rows), the hashes of the ids (and paths) read are kept in unnamed files in
    /// the temporary folder (TMPDIR), 8 bytes each (16 for paths), and so is the listing of
    /// a folder of more than 65,536 entries, so memory stays flat.
    #[arg(value_name = "INPUT")]
    pub input: PathBuf,

    /// Folder for the reports (created if missing; existing reports are replaced at the end
    /// of a successful run, manifest.json last). A folder holding files framescope did not
    /// write is refused unless --force (hidden files and README/LICENSE files do not count).
    #[arg(short, long, value_name = "DIR", default_value = "reports")]
    pub out: PathBuf,

    /// Write into the --out folder even if it holds files framescope did not write. They are
    /// left alone, except files named like a report (articles.csv, manifest.json...), which are
    /// replaced.
    #[arg(long)]
    pub force: bool,

    /// Score at most this many bytes (UTF-8) of one article's text; a longer article is cut at
    /// the last paragraph or sentence end before the limit (else a word or character boundary),
    /// scored, and marked in articles.csv (`cut_bytes`). Bounds the time and memory one article
    /// can take: the default, 8 MiB, is some 100 times the longest news article and about a
    /// second of scoring; reading never holds more than about twice this for one article, even
    /// for a file or a JSONL line of gigabytes. Suffixes K, M, G (powers of 1024) are accepted.
    #[arg(long, value_name = "BYTES", default_value = "8M", value_parser = parse_bytes)]
    pub max_article_bytes: u64,

    /// How to read INPUT; `auto` decides from the path.
    #[arg(long, value_enum, default_value_t = FormatArg::Auto)]
    pub format: FormatArg,

    /// Which texts are web pages, read for their article (navigation, scripts, comments and
    /// other page chrome left out, title/date/url/author taken from the page when the input
    /// gives none): `auto` reads .html/.htm files and JSONL/CSV text fields that look like
    /// HTML, `always` every text, `never` none.
    #[arg(long, value_enum, default_value_t = HtmlArg::Auto)]
    pub html: HtmlArg,

    /// Read an article attribute from another JSONL key or CSV column, e.g. `--field
    /// text=body --field source=outlet`. Attributes: id, source, title, date, url, author, text.
    /// Repeatable.
    #[arg(long = "field", value_name = "ATTR=NAME")]
    pub fields: Vec<String>,

    #[command(flatten)]
    pub lexicons: LexiconArgs,

    /// Do not write hits.csv (the evidence file; usually the largest report, several times
    /// the size of the input).
    #[arg(long)]
    pub no_hits: bool,

    /// Also write framescope.xlsx beside the CSVs: every report as a sheet (an About sheet
    /// first explains each), with frozen headers, filters, numbers stored as numbers and a
    /// colour scale on the indices. It is built from the finished CSVs, which stay the primary
    /// output and hold the same cells; a report longer than a sheet's 1,048,575 data rows
    /// continues on further sheets, and a cell longer than 32,767 characters is cut (marked).
    /// A run without --xlsx removes an older framescope.xlsx.
    #[arg(long)]
    pub xlsx: bool,

    /// Worker threads for parsing, scoring and the comparisons (0 = one per CPU); reading and
    /// writing take a thread each besides. The reports are byte-identical whatever the number.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub threads: usize,

    /// Print nothing but errors. Otherwise, when standard error is a terminal, a progress line
    /// shows articles, MB of text, MB/s and (for a file or folder) the share done and time
    /// left.
    #[arg(short, long)]
    pub quiet: bool,

    // The groups with their own help headings come last: a heading carries over to the
    // options after it.
    #[command(flatten)]
    pub cleaning: CleaningArgs,

    #[command(flatten)]
    pub keyness: KeynessArgs,

    #[command(flatten)]
    pub page: PageArgs,
}

/// The report page (`report.html`).
#[derive(Debug, Args)]
#[command(next_help_heading = "Report page (report.html)")]
pub struct PageArgs {
    /// Also write report.html: one self-contained page (no scripts, nothing fetched) with the
    /// outlet scorecard, charts of the advocacy and neutral indices with 95 % intervals, the
    /// attribution profile, the distinguishing terms and the frame distribution per outlet,
    /// the significant differences between outlets, and the first articles with their hits,
    /// quotations and removed page chrome marked (hover a hit for its lexicon entry). Its
    /// numbers are the CSV reports' cells. (`--html` is something else: how web-page input
    /// is read.)
    #[arg(long)]
    pub report_html: bool,

    /// How many articles report.html shows with their text marked (the first ones of the
    /// input; at most 48 MiB of marked text whatever the number).
    #[arg(
        long,
        value_name = "N",
        default_value_t = 100,
        requires = "report_html"
    )]
    pub report_html_articles: usize,
}

/// What is left out of the text before scoring.
#[derive(Debug, Args)]
#[command(next_help_heading = "Cleaning (cleaning.csv)")]
pub struct CleaningArgs {
    /// Score page chrome too: do not remove boilerplate lines (share prompts, comment forms,
    /// newsletter pitches, copyright notices, teasers, widgets), lines repeated across an
    /// outlet's articles, or short lines before and after the body. Markdown remnants are
    /// still taken out.
    #[arg(long)]
    pub keep_boilerplate: bool,

    /// Add boilerplate line patterns: a file, or a folder of .txt files, in the format of
    /// lexicons/boilerplate/ (one regular expression per line). A file with the id of a
    /// shipped one replaces it. Repeatable.
    #[arg(long = "boilerplate", value_name = "PATH")]
    pub boilerplate: Vec<PathBuf>,
}

/// How `keyness.csv` compares outlets.
#[derive(Debug, Args)]
#[command(next_help_heading = "Comparing outlets (keyness.csv)")]
pub struct KeynessArgs {
    /// Whose words keyness.csv counts: the outlet's own (body outside quotations), the
    /// quoted sources', or all (headline, body and quotations).
    #[arg(long, value_enum, default_value_t = KeynessVoiceArg::Author)]
    pub voice: KeynessVoiceArg,

    /// Also compare every pair of outlets in keyness.csv (one row per pair and term), beside
    /// each outlet against all the others.
    #[arg(long)]
    pub pairs: bool,

    /// Also test every word in keyness.csv, not only lexicon entries. Keeps a count of every
    /// distinct word per outlet (memory grows with the vocabulary, not with the articles),
    /// and writes a row per outlet and word: raise --min-count on a large corpus.
    #[arg(long)]
    pub all_words: bool,

    /// Leave out of keyness.csv the terms with fewer occurrences than this in the two groups
    /// compared together.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_count: u64,

    /// Weight of the log-odds prior (alpha_0), in words of text at the two groups' pooled
    /// rate: larger values pull rare terms' z-scores harder toward 0.
    #[arg(long, value_name = "WORDS", default_value_t = 1000.0)]
    pub prior_words: f64,
}

/// A byte count: digits with an optional K, M or G suffix (powers of 1024, `KiB`/`MB`-style
/// spellings accepted), at least 1 KiB.
pub fn parse_bytes(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, suffix) = t.split_at(split);
    let unit: u64 = match suffix.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => {
            return Err(format!(
                "`{s}` is not a byte count: write a number with an optional K, M or G, e.g. 8M"
            ));
        }
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{s}` is not a byte count: write a number, e.g. 8M"))?;
    let bytes = n
        .checked_mul(unit)
        .ok_or_else(|| format!("`{s}` is too large"))?;
    if bytes < 1024 {
        return Err(format!(
            "`{s}` is less than 1K: an article needs room for at least a paragraph"
        ));
    }
    Ok(bytes)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KeynessVoiceArg {
    Author,
    Quoted,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HtmlArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Auto,
    Folder,
    Jsonl,
    Csv,
}

#[derive(Debug, Subcommand)]
pub enum LexiconsCommand {
    /// List the categories in use: id, side, weight, case, entries, exceptions, origin.
    List(LexiconListArgs),
    /// Check dictionary and lexicon files: read each as --dict (or, for a framescope lexicon
    /// file, as --lexicons) would, and print every problem as `path:line: message` with the
    /// line. Exits 1 if there is any problem, 2 if a file cannot be read at all.
    Check(LexiconCheckArgs),
    /// Convert a dictionary into framescope lexicon files, one per category, under
    /// DIR/FAMILY/ (FAMILY from the file name), to edit and use with --lexicons.
    Convert(LexiconConvertArgs),
}

#[derive(Debug, Args)]
pub struct LexiconCheckArgs {
    /// Dictionary or lexicon files.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct LexiconConvertArgs {
    /// The dictionary, optionally with the side its categories count toward
    /// (`FILE:advocacy`, `FILE:neutral`; default none).
    #[arg(value_name = "FILE[:SIDE]")]
    pub file: String,
    /// Folder to write FAMILY/CATEGORY.txt files into (created if missing; files of the same
    /// names are replaced).
    #[arg(long, value_name = "DIR")]
    pub to: PathBuf,
}

#[derive(Debug, Args)]
pub struct LexiconListArgs {
    #[command(flatten)]
    pub lexicons: LexiconArgs,
    /// Print CSV instead of an aligned table.
    #[arg(long)]
    pub csv: bool,
}

#[cfg(test)]
mod tests {
    use super::parse_bytes;

    #[test]
    fn byte_counts_parse_with_suffixes() {
        assert_eq!(parse_bytes("8M"), Ok(8 << 20));
        assert_eq!(parse_bytes("8mib"), Ok(8 << 20));
        assert_eq!(parse_bytes("1G"), Ok(1 << 30));
        assert_eq!(parse_bytes("64K"), Ok(64 << 10));
        assert_eq!(parse_bytes("2048"), Ok(2048));
        for bad in [
            "",
            "M",
            "12Q",
            "-1M",
            "1.5M",
            "100",
            "99999999999999999999G",
        ] {
            let e = parse_bytes(bad).unwrap_err();
            assert!(e.contains(&format!("`{bad}`")), "{e}");
        }
    }
}
