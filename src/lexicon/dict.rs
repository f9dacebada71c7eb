//! Third-party dictionaries as lexicons (`--dict FILE[:side]`, `framescope lexicons check`
//! and `convert`). A dictionary file (LIWC `.dic`, a weighted list, YAML, CSV or a plain list:
//! [`super::import`]) becomes one family, `<file stem>`, with one category per dictionary
//! category, all in one group: matched apart from the shipped lexicons, and a word listed in
//! several categories counts in each, as LIWC counts it.
//!
//! Terms become entries as the native format reads them: a trailing `*` extends the last word,
//! a term of several words is a phrase matched word for word, case is ignored. A term with no
//! letter or digit (an emoticon such as `:-)` in a sentiment list) can never match a word and
//! is reported, not loaded.

use std::path::{Path, PathBuf};

use super::format::{Entry, Lexicon, Problem, Role, Severity, Side, compile_entry, sha256_hex};
use super::import::{self, DictFormat, Imported};

/// A `--dict` argument: a dictionary file and the side its categories count toward.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DictSpec {
    pub path: PathBuf,
    pub side: Side,
}

impl DictSpec {
    /// `FILE` or `FILE:side` (`advocacy`, `neutral` or `none`; `none` when not given).
    pub fn parse(arg: &str) -> Result<DictSpec, String> {
        if let Some((path, side)) = arg.rsplit_once(':')
            && let Some(side) = Side::parse(side)
        {
            if path.is_empty() {
                return Err(format!(
                    "--dict `{arg}`: no file before `:{}`",
                    side.as_str()
                ));
            }
            return Ok(DictSpec {
                path: PathBuf::from(path),
                side,
            });
        }
        if arg.is_empty() {
            return Err("--dict needs a file".into());
        }
        Ok(DictSpec {
            path: PathBuf::from(arg),
            side: Side::None,
        })
    }
}

/// A dictionary read and turned into lexicons.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The family id (from the file stem).
    pub family: String,
    pub format: Option<DictFormat>,
    pub encoding: String,
    pub lexicons: Vec<Lexicon>,
    /// Every problem of the file, in line order.
    pub problems: Vec<Problem>,
}

/// A family id from a file stem: lowercase ASCII letters, digits and `_` (`mfd2.0` gives
/// `mfd2_0`, `LIWC2015 Dictionary` gives `liwc2015_dictionary`).
pub fn family_of(stem: &str) -> String {
    id_part(stem, "dict")
}

fn id_part(s: &str, fallback: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_matches('_').to_string();
    if out.is_empty() {
        fallback.to_string()
    } else {
        out
    }
}

/// Read one dictionary file. Never fails: an unreadable file is an error problem.
pub fn load(spec: &DictSpec) -> Loaded {
    let origin = spec.path.display().to_string();
    let stem = spec
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let family = family_of(&stem);
    let bytes = match std::fs::read(&spec.path) {
        Ok(b) => b,
        Err(e) => {
            return Loaded {
                family,
                format: None,
                encoding: String::new(),
                lexicons: Vec::new(),
                problems: vec![Problem {
                    origin,
                    line: 0,
                    severity: Severity::Error,
                    message: format!("cannot read the dictionary: {e}"),
                    text: String::new(),
                }],
            };
        }
    };
    let imported = import::import(&origin, &stem, &bytes, None);
    let (lexicons, mut problems) =
        to_lexicons(&imported, &family, spec.side, &origin, &sha256_hex(&bytes));
    let mut all = imported.problems.clone();
    all.append(&mut problems);
    all.sort_by_key(|p| p.line);
    Loaded {
        family,
        format: Some(imported.format),
        encoding: imported.encoding.clone(),
        lexicons,
        problems: all,
    }
}

/// The lexicons of an imported dictionary: one per category, id `<family>.<category>`, all in
/// group `<family>`, on `side`. Terms that can never match are reported (warnings).
pub fn to_lexicons(
    imported: &Imported,
    family: &str,
    side: Side,
    origin: &str,
    sha256: &str,
) -> (Vec<Lexicon>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut lexicons: Vec<Lexicon> = Vec::new();
    let mut used = std::collections::HashSet::new();
    for cat in &imported.categories {
        // A name with no ASCII letter or digit (Cyrillic, CJK) falls back to the LIWC id.
        let fallback = cat
            .id
            .as_ref()
            .map_or_else(|| "category".to_string(), |n| format!("c{n}"));
        let mut id = format!("{family}.{}", id_part(&cat.name, &fallback));
        if used.contains(&id) {
            let base = id.clone();
            let mut n = 2;
            while used.contains(&id) {
                id = format!("{base}_{n}");
                n += 1;
            }
            problems.push(Problem {
                origin: origin.to_string(),
                line: 0,
                severity: Severity::Warning,
                message: format!(
                    "category `{}` gives the id `{base}` of an earlier category; named `{id}`",
                    cat.name
                ),
                text: String::new(),
            });
        }
        used.insert(id.clone());
        let mut entries = Vec::new();
        for e in &cat.entries {
            if side != Side::None && e.weight.is_some_and(|w| w < 0.0) {
                problems.push(Problem {
                    origin: origin.to_string(),
                    line: e.line,
                    severity: Severity::Error,
                    message: format!(
                        "negative weight {} on side {}: an index cannot subtract hits; load signed values (valences) on side none (`FILE:none`), where they are summed in `<category>.weighted`",
                        e.weight.unwrap_or(0.0),
                        side.as_str()
                    ),
                    text: e.term.clone(),
                });
                continue;
            }
            match compile_entry(&e.term, false) {
                Ok((pattern, wildcard)) => entries.push(Entry {
                    written: e.term.clone(),
                    pattern,
                    wildcard,
                    line: e.line,
                    weight: e.weight,
                }),
                Err(why) => problems.push(Problem {
                    origin: origin.to_string(),
                    line: e.line,
                    severity: Severity::Warning,
                    message: format!("`{}` ({}) can never match: {why}", e.term, cat.name),
                    text: e.term.clone(),
                }),
            }
        }
        let described = match &cat.id {
            Some(n) => format!("`{}` (id {n})", cat.name),
            None => format!("`{}`", cat.name),
        };
        lexicons.push(Lexicon {
            id,
            side,
            weight: 1.0,
            case_sensitive: false,
            role: Role::Score,
            description: one_line(&format!(
                "category {described} of the {} dictionary {}",
                imported.format.as_str(),
                Path::new(origin)
                    .file_name()
                    .map_or_else(|| origin.to_string(), |n| n.to_string_lossy().into_owned())
            )),
            entries,
            exceptions: Vec::new(),
            group: Some(family.to_string()),
            origin: origin.to_string(),
            sha256: sha256.to_string(),
        });
    }
    (lexicons, problems)
}

/// `framescope lexicons check` on one file: a one-line summary and every problem. A file that
/// starts with `#!` headers is read as a framescope lexicon file, anything else as a
/// dictionary.
pub fn check(path: &Path) -> (String, Vec<Problem>) {
    let origin = path.display().to_string();
    let bytes = std::fs::read(path);
    let native = bytes.as_ref().is_ok_and(|b| {
        let text = String::from_utf8_lossy(b);
        text.trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with("#!")
    });
    if let (true, Ok(b)) = (native, &bytes) {
        let text = String::from_utf8_lossy(b);
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
        let family = path
            .parent()
            .and_then(|p| p.file_name())
            .map(|s| s.to_string_lossy().into_owned());
        let default_id = stem.zip(family).map(|(s, f)| format!("{f}.{s}"));
        let (lex, problems) = super::parse(&origin, default_id.as_deref(), &text);
        let summary = match &lex {
            Some(l) => format!(
                "{origin}: framescope lexicon `{}`, {} entries, {} exceptions",
                l.id,
                l.entries.len(),
                l.exceptions.len()
            ),
            None => format!("{origin}: framescope lexicon with errors"),
        };
        return (summary, problems);
    }
    let loaded = load(&DictSpec {
        path: path.to_path_buf(),
        side: Side::None,
    });
    let entries: usize = loaded.lexicons.iter().map(|l| l.entries.len()).sum();
    let summary = match loaded.format {
        Some(f) => format!(
            "{origin}: {} dictionary ({}), family `{}`, {} categories, {entries} entries",
            f.as_str(),
            loaded.encoding,
            loaded.family,
            loaded.lexicons.len()
        ),
        None => format!("{origin}: not read"),
    };
    (summary, loaded.problems)
}

/// Control characters (a newline in a category name) become spaces: a header is one line.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Why a term cannot be written as an entry of the native format, if it cannot: it would read
/// as a comment, an exception, a trailing comment or an entry weight.
pub fn unwritable(term: &str) -> Option<&'static str> {
    if term.starts_with('#') {
        Some("it would read as a comment (`#` at the start)")
    } else if term.starts_with('!') {
        Some("it would read as an exception (`!` at the start)")
    } else if term.contains(" #") || term.contains("\t#") {
        Some("the part after ` #` would read as a comment")
    } else if term.contains(" = ") {
        Some("` = ` would read as an entry weight")
    } else {
        None
    }
}

/// A lexicon in the native file format (`framescope lexicons convert`): headers, then one
/// entry per line with its own weight as `entry = 1.5`. Entries the format cannot express
/// ([`unwritable`]) are left out; the caller reports them.
pub fn native_text(lex: &Lexicon) -> String {
    let mut out = format!(
        "#! id: {}\n#! side: {}\n#! weight: {}\n#! description: {}\n",
        lex.id,
        lex.side.as_str(),
        lex.weight,
        lex.description
    );
    if let Some(g) = &lex.group {
        out.push_str(&format!("#! group: {g}\n"));
    }
    out.push_str(&format!("#! source: {}\n", lex.origin));
    for e in lex
        .entries
        .iter()
        .filter(|e| unwritable(&e.written).is_none())
    {
        out.push_str(&e.written);
        if let Some(w) = e.weight {
            out.push_str(&format!(" = {w}"));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_and_family_ids() {
        assert_eq!(
            DictSpec::parse("a/mfd2.0.dic:advocacy"),
            Ok(DictSpec {
                path: "a/mfd2.0.dic".into(),
                side: Side::Advocacy
            })
        );
        assert_eq!(DictSpec::parse("C:/x.dic").map(|d| d.side), Ok(Side::None));
        assert_eq!(
            DictSpec::parse("C:/x.dic").map(|d| d.path),
            Ok(PathBuf::from("C:/x.dic"))
        );
        assert!(DictSpec::parse(":neutral").is_err());
        assert_eq!(family_of("mfd2.0"), "mfd2_0");
        assert_eq!(family_of("LIWC2015 Dictionary"), "liwc2015_dictionary");
        assert_eq!(family_of("..."), "dict");
    }
}
