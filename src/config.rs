//! Validated settings: built from what the user typed (`cli`), with every flag checked and
//! defaults resolved, and no I/O. Stages take `&Config`, never clap types.

use std::path::PathBuf;

use crate::cli::{AnalyzeArgs, FormatArg, HtmlArg, KeynessArgs, KeynessVoiceArg, LexiconArgs};
use crate::compare::{KeynessConfig, VoiceSel};
use crate::corpus::{FieldMap, HtmlMode, InputFormat, InputSpec};
use crate::lexicon::dict::DictSpec;

/// Where the lexicons come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconConfig {
    pub builtin: bool,
    pub paths: Vec<PathBuf>,
    /// Third-party dictionaries (`--dict`).
    pub dicts: Vec<DictSpec>,
}

/// What the cleaning step does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleaningConfig {
    /// Remove page chrome lines (boilerplate, repetition, structure).
    pub chrome: bool,
    /// Boilerplate pattern files added to the shipped ones.
    pub boilerplate: Vec<PathBuf>,
}

/// Settings of one `analyze` run.
#[derive(Debug, Clone)]
pub struct Config {
    pub input: InputSpec,
    pub out: PathBuf,
    pub lexicons: LexiconConfig,
    pub with_hits: bool,
    /// Also write `framescope.xlsx`, the CSV reports as one workbook (`--xlsx`).
    pub xlsx: bool,
    pub keyness: KeynessConfig,
    pub cleaning: CleaningConfig,
    /// Worker threads, at least 1.
    pub threads: usize,
    pub quiet: bool,
    /// Write into an output folder that holds files framescope did not write.
    pub force: bool,
    /// Write `report.html`, showing at most this many articles.
    pub report_html: Option<usize>,
}

/// A setting that cannot be used; the message says what was given and what would work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

impl LexiconConfig {
    pub fn from_args(args: &LexiconArgs) -> Result<LexiconConfig, ConfigError> {
        if args.no_default_lexicons && args.lexicons.is_empty() && args.dicts.is_empty() {
            return Err(ConfigError(
                "--no-default-lexicons leaves no lexicons: add --lexicons PATH or --dict FILE"
                    .into(),
            ));
        }
        let dicts = args
            .dicts
            .iter()
            .map(|d| DictSpec::parse(d).map_err(ConfigError))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(LexiconConfig {
            builtin: !args.no_default_lexicons,
            paths: args.lexicons.clone(),
            dicts,
        })
    }
}

/// The reader `--format` asks for.
pub fn input_format(f: FormatArg) -> InputFormat {
    match f {
        FormatArg::Auto => InputFormat::Auto,
        FormatArg::Folder => InputFormat::Folder,
        FormatArg::Jsonl => InputFormat::Jsonl,
        FormatArg::Csv => InputFormat::Csv,
    }
}

impl Config {
    /// Check and resolve `analyze` arguments. `cpus` is the default thread count.
    pub fn from_args(args: &AnalyzeArgs, cpus: usize) -> Result<Config, ConfigError> {
        let format = input_format(args.format);
        Ok(Config {
            input: InputSpec {
                path: args.input.clone(),
                format,
                fields: field_map(&args.fields)?,
                html: match args.html {
                    HtmlArg::Auto => HtmlMode::Auto,
                    HtmlArg::Always => HtmlMode::Always,
                    HtmlArg::Never => HtmlMode::Never,
                },
                max_article_bytes: usize::try_from(args.max_article_bytes).map_err(|_| {
                    ConfigError(format!(
                        "--max-article-bytes {} is more than this machine can address",
                        args.max_article_bytes
                    ))
                })?,
            },
            out: args.out.clone(),
            lexicons: LexiconConfig::from_args(&args.lexicons)?,
            with_hits: !args.no_hits,
            xlsx: args.xlsx,
            keyness: keyness_config(&args.keyness)?,
            cleaning: CleaningConfig {
                chrome: !args.cleaning.keep_boilerplate,
                boilerplate: args.cleaning.boilerplate.clone(),
            },
            threads: if args.threads == 0 {
                cpus.max(1)
            } else {
                args.threads
            },
            quiet: args.quiet,
            force: args.force,
            report_html: args
                .page
                .report_html
                .then_some(args.page.report_html_articles),
        })
    }
}

/// Check the keyness options.
pub fn keyness_config(args: &KeynessArgs) -> Result<KeynessConfig, ConfigError> {
    if !(args.prior_words.is_finite() && args.prior_words > 0.0) {
        return Err(ConfigError(format!(
            "--prior-words {} is not a positive number of words (the default is 1000)",
            args.prior_words
        )));
    }
    if args.min_count == 0 {
        return Err(ConfigError(
            "--min-count 0 would test terms that occur in neither group; use 1 or more".into(),
        ));
    }
    Ok(KeynessConfig {
        voice: match args.voice {
            KeynessVoiceArg::Author => VoiceSel::Author,
            KeynessVoiceArg::Quoted => VoiceSel::Quoted,
            KeynessVoiceArg::All => VoiceSel::All,
        },
        pairs: args.pairs,
        all_words: args.all_words,
        min_count: args.min_count,
        prior_words: args.prior_words,
    })
}

/// Parse `--field ATTR=NAME` pairs into a field map.
pub fn field_map(pairs: &[String]) -> Result<FieldMap, ConfigError> {
    let mut map = FieldMap::default();
    for pair in pairs {
        let Some((attr, name)) = pair.split_once('=') else {
            return Err(ConfigError(format!(
                "--field `{pair}`: write ATTR=NAME, e.g. --field text=body"
            )));
        };
        let (attr, name) = (attr.trim(), name.trim());
        if name.is_empty() {
            return Err(ConfigError(format!(
                "--field `{pair}`: the field name is empty"
            )));
        }
        let slot = match attr {
            "id" => &mut map.id,
            "source" => &mut map.source,
            "title" => &mut map.title,
            "date" => &mut map.date,
            "url" => &mut map.url,
            "author" => &mut map.author,
            "text" => &mut map.text,
            _ => {
                return Err(ConfigError(format!(
                    "--field `{pair}`: `{attr}` is not an article attribute (id, source, title, date, url, author, text)"
                )));
            }
        };
        *slot = name.to_string();
    }
    Ok(map)
}

/// Parse `--only FIELD=VALUE` filters.
pub fn label_filters(pairs: &[String]) -> Result<Vec<(String, String)>, ConfigError> {
    pairs
        .iter()
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => {
                Ok((k.trim().to_string(), v.trim().to_string()))
            }
            _ => Err(ConfigError(format!(
                "--only `{pair}`: write FIELD=VALUE, e.g. --only bias_type=lexical"
            ))),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_filters_parse_and_bad_ones_are_explained() {
        let f = label_filters(&["bias_type=lexical".into(), " in_quote = false ".into()]).unwrap();
        assert_eq!(
            f,
            [
                ("bias_type".into(), "lexical".into()),
                ("in_quote".into(), "false".into())
            ]
        );
        assert!(
            label_filters(&["lexical".into()])
                .unwrap_err()
                .0
                .contains("FIELD=VALUE")
        );
    }

    #[test]
    fn field_pairs_map_and_bad_ones_are_explained() {
        let m = field_map(&["text=body".into(), "source = outlet".into()]).unwrap();
        assert_eq!(
            (m.text.as_str(), m.source.as_str(), m.id.as_str()),
            ("body", "outlet", "id")
        );
        let e = field_map(&["body".into()]).unwrap_err();
        assert!(e.0.contains("ATTR=NAME"), "{e}");
        let e = field_map(&["words=x".into()]).unwrap_err();
        assert!(e.0.contains("`words` is not an article attribute"), "{e}");
    }
}
