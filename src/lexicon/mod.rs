//! Lexicons: the shipped set (compiled into the binary from `lexicons/`), user folders that add
//! or override categories by id, the checks across files, and the compiled [`Matcher`].
//! Only this module and `corpus` read files; [`LexiconSet::from_sources`] is the pure twin.

pub mod dict;
mod format;
pub mod import;
mod matcher;

pub use format::{
    Entry, Lexicon, Problem, Role, Severity, Side, is_word_char, parse, sha256_hex, valid_id,
};
pub use matcher::{MAX_GROUPS, Match, Matcher};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_lexicons.rs"));
}

/// Id of the category whose hits come from the quotation detector (scare quotes).
pub const SCARE_QUOTES: &str = "advocacy.scare_quotes";

/// The shipped lexicon files: (path relative to `lexicons/`, content), sorted by path.
pub fn builtin_files() -> &'static [(&'static str, &'static str)] {
    builtin::BUILTIN
}

/// The shipped boilerplate pattern files (`lexicons/boilerplate/`), sorted by path: line
/// patterns for the cleaning step, not scoring lexicons.
pub fn builtin_boilerplate_files() -> &'static [(&'static str, &'static str)] {
    builtin::BOILERPLATE
}

/// One lexicon file to parse: where it came from, the id its path gives, and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub origin: String,
    pub default_id: Option<String>,
    pub text: String,
}

/// Loading failed: every error found, in file and line order (warnings included).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", render_problems(.0))]
pub struct LoadError(pub Vec<Problem>);

fn render_problems(problems: &[Problem]) -> String {
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let mut s = format!("{errors} error(s) in lexicon files:");
    for p in problems {
        s.push('\n');
        s.push_str(&p.to_string());
    }
    s
}

/// The categories in use, sorted by id, with the warnings found while loading them.
#[derive(Debug, Clone, Default)]
pub struct LexiconSet {
    pub lexicons: Vec<Lexicon>,
    pub warnings: Vec<Problem>,
}

impl LexiconSet {
    /// Read the shipped set (unless `builtin` is false) and then every path in `extra` (a
    /// lexicon file, or a folder of `<family>/<category>.txt` files); a later file with the
    /// same id replaces an earlier one.
    pub fn load(builtin: bool, extra: &[PathBuf]) -> Result<LexiconSet, LoadError> {
        let mut sources = Vec::new();
        if builtin {
            sources.extend(builtin_files().iter().map(|(rel, text)| SourceFile {
                origin: format!("builtin:lexicons/{rel}"),
                default_id: default_id(Path::new(rel)),
                text: (*text).to_string(),
            }));
        }
        let mut problems = Vec::new();
        for path in extra {
            read_path(path, &mut sources, &mut problems);
        }
        if !problems.is_empty() {
            return Err(LoadError(problems));
        }
        let mut set = LexiconSet::from_sources(sources)?;
        if builtin {
            set.add_detectors()?;
        }
        Ok(set)
    }

    /// Add the categories whose hits come from detectors in code rather than word lists
    /// (scare quotes), in id order. Their ids are reserved.
    pub fn add_detectors(&mut self) -> Result<(), LoadError> {
        if let Some(l) = self.lexicons.iter().find(|l| l.id == SCARE_QUOTES) {
            return Err(LoadError(vec![Problem {
                origin: l.origin.clone(),
                line: 0,
                severity: Severity::Error,
                message: format!(
                    "the id `{SCARE_QUOTES}` is reserved for the scare-quote detector; rename the file"
                ),
                text: String::new(),
            }]));
        }
        let description = "scare quotes: one to three quoted words with no speaker or speech cue, \
            set in the outlet's own sentence (found by the quotation detector, not a word list)";
        let lex = Lexicon {
            id: SCARE_QUOTES.to_string(),
            side: Side::Advocacy,
            weight: 1.0,
            case_sensitive: false,
            role: Role::Detector,
            description: description.to_string(),
            entries: vec![Entry {
                written: "(scare quote)".to_string(),
                pattern: String::new(),
                wildcard: false,
                line: 0,
                weight: None,
            }],
            exceptions: Vec::new(),
            group: None,
            origin: "builtin:detector:quotes".to_string(),
            sha256: sha256_hex(description.as_bytes()),
        };
        let at = self
            .lexicons
            .partition_point(|l| l.id.as_str() < SCARE_QUOTES);
        self.lexicons.insert(at, lex);
        Ok(())
    }

    /// Pure twin of [`LexiconSet::load`]: parse these files, later ids replacing earlier ones.
    pub fn from_sources(sources: Vec<SourceFile>) -> Result<LexiconSet, LoadError> {
        let mut problems = Vec::new();
        let mut by_id: BTreeMap<String, Lexicon> = BTreeMap::new();
        for src in &sources {
            let (lex, mut found) = parse(&src.origin, src.default_id.as_deref(), &src.text);
            problems.append(&mut found);
            if let Some(lex) = lex {
                by_id.insert(lex.id.clone(), lex);
            }
        }
        if problems.iter().any(|p| p.severity == Severity::Error) {
            return Err(LoadError(problems));
        }
        let lexicons: Vec<Lexicon> = by_id.into_values().collect();
        problems.extend(conflicts(&lexicons));
        Ok(LexiconSet {
            lexicons,
            warnings: problems,
        })
    }

    pub fn len(&self) -> usize {
        self.lexicons.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lexicons.is_empty()
    }

    /// Add third-party dictionaries (`--dict`), each as a family of its own, keeping the
    /// categories sorted by id. Their warnings join [`LexiconSet::warnings`]; any error (an
    /// unreadable file, a family id already in use) fails the load with every problem.
    pub fn add_dicts(&mut self, dicts: &[dict::DictSpec]) -> Result<(), LoadError> {
        let mut problems = Vec::new();
        for spec in dicts {
            let loaded = dict::load(spec);
            let clash = self
                .lexicons
                .iter()
                .find(|l| l.family() == loaded.family)
                .map(|l| l.origin.clone());
            if let Some(other) = clash {
                problems.push(Problem {
                    origin: spec.path.display().to_string(),
                    line: 0,
                    severity: Severity::Error,
                    message: format!(
                        "the dictionary's family id `{}` (from its file name) is already used by {other}; rename the file",
                        loaded.family
                    ),
                    text: String::new(),
                });
                continue;
            }
            if loaded.lexicons.is_empty()
                && !loaded
                    .problems
                    .iter()
                    .any(|p| p.severity == Severity::Error)
            {
                problems.push(Problem {
                    origin: spec.path.display().to_string(),
                    line: 0,
                    severity: Severity::Error,
                    message: "the dictionary has no categories".into(),
                    text: String::new(),
                });
            }
            for p in loaded.problems {
                if p.severity == Severity::Error {
                    problems.push(p);
                } else {
                    self.warnings.push(p);
                }
            }
            self.lexicons.extend(loaded.lexicons);
        }
        if !problems.is_empty() {
            return Err(LoadError(problems));
        }
        self.lexicons.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(())
    }

    /// What one hit of entry `entry` of lexicon `lexicon` weighs in the weighted indices: the
    /// entry's own weight, else its category's.
    pub fn hit_weight(&self, lexicon: usize, entry: usize) -> f64 {
        self.lexicons.get(lexicon).map_or(0.0, |l| {
            l.entries
                .get(entry)
                .and_then(|e| e.weight)
                .unwrap_or(l.weight)
        })
    }

    /// Position of a lexicon by id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.lexicons.iter().position(|l| l.id == id)
    }
}

/// `family.stem` from a path `…/family/stem.txt`.
fn default_id(path: &Path) -> Option<String> {
    let stem = path.file_stem()?.to_str()?;
    let family = path.parent()?.file_name()?.to_str()?;
    Some(format!("{family}.{stem}"))
}

fn read_path(path: &Path, sources: &mut Vec<SourceFile>, problems: &mut Vec<Problem>) {
    let problem = |message: String| Problem {
        origin: path.display().to_string(),
        line: 0,
        severity: Severity::Error,
        message,
        text: String::new(),
    };
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            problems.push(problem(format!("cannot read lexicon path: {e}")));
            return;
        }
    };
    if meta.is_file() {
        read_file(path, sources, problems);
        return;
    }
    let mut files = Vec::new();
    collect_txt(path, 0, &mut files, problems);
    if files.is_empty() {
        problems.push(problem(
            "no lexicon files (*.txt) in this folder or its family sub-folders".into(),
        ));
    }
    files.sort();
    for f in files {
        read_file(&f, sources, problems);
    }
}

fn collect_txt(dir: &Path, depth: usize, out: &mut Vec<PathBuf>, problems: &mut Vec<Problem>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            problems.push(Problem {
                origin: dir.display().to_string(),
                line: 0,
                severity: Severity::Error,
                message: format!("cannot list lexicon folder: {e}"),
                text: String::new(),
            });
            return;
        }
    };
    for entry in entries.flatten() {
        let p = entry.path();
        let hidden = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if p.is_dir() {
            // `boilerplate/` holds cleaning patterns (`--boilerplate`), not scoring lexicons.
            let boilerplate = p.file_name().is_some_and(|n| n == "boilerplate");
            if depth == 0 && !boilerplate {
                collect_txt(&p, depth + 1, out, problems);
            }
        } else if p.extension().is_some_and(|e| e == "txt") {
            out.push(p);
        }
    }
}

fn read_file(path: &Path, sources: &mut Vec<SourceFile>, problems: &mut Vec<Problem>) {
    match std::fs::read(path) {
        Ok(bytes) => {
            let text = match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(e) => {
                    let at = e.utf8_error().valid_up_to();
                    let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
                    problems.push(Problem {
                        origin: path.display().to_string(),
                        line,
                        severity: Severity::Error,
                        message: format!("not valid UTF-8 (byte {at}); save the lexicon as UTF-8"),
                        text: String::new(),
                    });
                    return;
                }
            };
            sources.push(SourceFile {
                origin: path.display().to_string(),
                default_id: default_id(path),
                text,
            });
        }
        Err(e) => problems.push(Problem {
            origin: path.display().to_string(),
            line: 0,
            severity: Severity::Error,
            message: format!("cannot read lexicon file: {e}"),
            text: String::new(),
        }),
    }
}

/// The same pattern in two categories matched by the same matcher (scored ones, or speaker
/// lists): reported as a warning with both places. At run time the category whose id sorts
/// first takes the hit.
fn conflicts(lexicons: &[Lexicon]) -> Vec<Problem> {
    let mut first: BTreeMap<(u8, bool, &str, bool), (&Lexicon, &Entry)> = BTreeMap::new();
    let mut out = Vec::new();
    // A dictionary group's categories are matched apart, and share entries on purpose.
    for lex in lexicons.iter().filter(|l| l.group.is_none()) {
        for e in &lex.entries {
            // lexicons matched by the same matcher: the main one, speaker lists, frames
            let group = match lex.role {
                Role::Speaker => 1,
                Role::Frame => 2,
                _ => 0,
            };
            let key = (group, lex.case_sensitive, e.pattern.as_str(), e.wildcard);
            match first.get(&key) {
                Some((other, oe)) => out.push(Problem {
                    origin: lex.origin.clone(),
                    line: e.line,
                    severity: Severity::Warning,
                    message: format!(
                        "entry also in {} ({}:{}); its hits go to {}",
                        other.id, other.origin, oe.line, other.id
                    ),
                    text: e.written.clone(),
                }),
                None => {
                    first.insert(key, (lex, e));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(origin: &str, id: &str, text: &str) -> SourceFile {
        SourceFile {
            origin: origin.into(),
            default_id: Some(id.into()),
            text: text.into(),
        }
    }

    #[test]
    fn shipped_set_loads_without_errors() {
        let set = LexiconSet::load(true, &[]).expect("shipped lexicons parse");
        for lex in &set.lexicons {
            if lex.role == Role::Detector {
                assert_eq!(lex.id, SCARE_QUOTES);
                assert_eq!(lex.origin, "builtin:detector:quotes");
            } else {
                assert!(
                    lex.origin.starts_with("builtin:lexicons/"),
                    "{}",
                    lex.origin
                );
            }
        }
        assert!(set.index_of(SCARE_QUOTES).is_some());
        // the detector's id is reserved
        let mut clash = LexiconSet::from_sources(vec![SourceFile {
            origin: "mine.txt".into(),
            default_id: Some(SCARE_QUOTES.into()),
            text: "#! side: advocacy\n#! description: d\nx\n".into(),
        }])
        .unwrap();
        let err = clash.add_detectors().unwrap_err().to_string();
        assert!(err.contains("reserved"), "{err}");
    }

    #[test]
    fn later_file_overrides_same_id() {
        let set = LexiconSet::from_sources(vec![
            src("a", "f.c", "#! side: neutral\n#! description: d\nsaid\n"),
            src(
                "b",
                "f.c",
                "#! side: advocacy\n#! description: d\nclaimed\n",
            ),
        ])
        .unwrap();
        assert_eq!(set.len(), 1);
        assert_eq!(set.lexicons[0].side, Side::Advocacy);
        assert_eq!(set.lexicons[0].origin, "b");
    }

    #[test]
    fn conflicts_between_files_are_warnings_with_both_places() {
        let set = LexiconSet::from_sources(vec![
            src(
                "a.txt",
                "f.a",
                "#! side: neutral\n#! description: d\nsaid\n",
            ),
            src(
                "b.txt",
                "f.b",
                "#! side: advocacy\n#! description: d\n\nSaid\n",
            ),
        ])
        .unwrap();
        assert_eq!(set.warnings.len(), 1);
        let w = set.warnings[0].to_string();
        assert!(
            w.starts_with("b.txt:4: warning: entry also in f.a (a.txt:3)"),
            "{w}"
        );
    }

    #[test]
    fn errors_from_all_files_are_collected() {
        let err = LexiconSet::from_sources(vec![
            src("a.txt", "f.a", "#! side: nope\n#! description: d\nx\n"),
            src("b.txt", "f.b", "#! side: none\n#! description: d\n*\n"),
        ])
        .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("a.txt:1: error"), "{text}");
        assert!(text.contains("b.txt:3: error"), "{text}");
    }
}
