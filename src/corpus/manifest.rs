//! Folders with a `manifest.csv`: one row per article file (`file`, `source`; optional
//! `title`, `date`, `url`, `id`; any other column is carried as an extra column). Rows are
//! read in manifest order, one file at a time; afterwards, `.txt`/`.md` files the manifest
//! does not list are reported so nothing is silently left out.

use std::path::{Path, PathBuf};

use csv::ByteRecord;

use super::csvin::{Row, Table, field, find_column};
use super::folder::{self, EntryKind, FileMeta};
use super::reasons::{list_names, meta, quote, skip};
use super::spill::SpillMap;
use super::stream;
use super::types::{CorpusError, Item, Origin};

/// The manifest's file name, looked for directly in the corpus folder.
pub(crate) const MANIFEST: &str = "manifest.csv";

/// Column positions in the manifest.
struct Columns {
    file: usize,
    source: usize,
    id: Option<usize>,
    title: Option<usize>,
    date: Option<usize>,
    url: Option<usize>,
    author: Option<usize>,
    extra: Vec<usize>,
}

/// The key of a listed path: a 64-bit hash (SipHash with fixed keys) of its `/`-separated
/// form, so that `a/b.txt` listed as `a//b.txt` or `./a/b.txt` is the same file.
fn path_key(rel: &Path) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    folder::slash_path(rel).hash(&mut h);
    h.finish()
}

/// Streams a manifest folder: manifest rows first, then unlisted files.
pub(crate) struct ManifestReader {
    root: PathBuf,
    manifest_path: PathBuf,
    table: Table,
    cols: Columns,
    extra_names: Vec<String>,
    /// Files listed so far (hashes of their `/`-separated relative paths, [`path_key`]),
    /// with the manifest line listing them; bounded in memory ([`SpillMap`]).
    listed: SpillMap<u64>,
    /// After the manifest's rows: the folder's files, to report unlisted ones.
    unlisted: Option<folder::Walk>,
    finished: bool,
    /// `--max-article-bytes`.
    max: usize,
    /// The corpus folder with links resolved, to keep manifest paths inside it.
    canonical_root: Option<PathBuf>,
    /// The folder of the last file read and its canonical path: the files of a folder come
    /// together, so most files are resolved without walking their whole path again.
    last_folder: Option<(PathBuf, Option<PathBuf>)>,
}

/// Opens `root/manifest.csv` and checks its header (fatal if `file` or `source` is missing).
pub(crate) fn open(
    root: &Path,
    manifest_path: &Path,
    max: usize,
) -> Result<ManifestReader, CorpusError> {
    let stream = stream::open_file(manifest_path)?;
    let table = Table::open(manifest_path, stream)?;
    let h = &table.headers;
    let file = find_column(h, "file", manifest_path)?;
    let source = find_column(h, "source", manifest_path)?;
    let (file, source) = match (file, source) {
        (Some(f), Some(s)) => (f, s),
        (f, s) => {
            let missing: Vec<&str> = [("file", f), ("source", s)]
                .iter()
                .filter(|(_, c)| c.is_none())
                .map(|(n, _)| *n)
                .collect();
            return Err(CorpusError::Invalid(format!(
                "{}: a manifest needs the columns `file` (the article's path, relative to the \
                 folder) and `source` (its outlet), but {} missing (columns found: {})",
                manifest_path.display(),
                match missing.as_slice() {
                    [one] => format!("`{one}` is"),
                    _ => "both are".to_owned(),
                },
                list_names(h)
            )));
        }
    };
    let id = find_column(h, "id", manifest_path)?;
    let title = find_column(h, "title", manifest_path)?;
    let date = find_column(h, "date", manifest_path)?;
    let url = find_column(h, "url", manifest_path)?;
    let author = find_column(h, "author", manifest_path)?;
    let known = [Some(file), Some(source), id, title, date, url, author];
    let extra: Vec<usize> = (0..h.len())
        .filter(|i| !known.contains(&Some(*i)) && !h[*i].trim().is_empty())
        .collect();
    let extra_names = extra.iter().map(|&i| h[i].clone()).collect();
    Ok(ManifestReader {
        root: root.to_path_buf(),
        manifest_path: manifest_path.to_path_buf(),
        cols: Columns {
            file,
            source,
            id,
            title,
            date,
            url,
            author,
            extra,
        },
        extra_names,
        table,
        listed: SpillMap::default(),
        unlisted: None,
        finished: false,
        max,
        canonical_root: std::fs::canonicalize(root).ok(),
        last_folder: None,
    })
}

impl ManifestReader {
    /// The same reader with its listed paths written out after `n` (to test the runs).
    #[cfg(test)]
    fn spill_listed_after(mut self, n: usize) -> Self {
        self.listed = SpillMap::with_limit(n, std::env::temp_dir());
        self
    }

    /// Where `path` really is, as `fs::canonicalize` says: a file that is no link is its
    /// folder's canonical path (kept from the file before when the folder is the same) and its
    /// name; a link is resolved in full.
    fn real_path(&mut self, path: &Path, is_link: bool) -> std::io::Result<PathBuf> {
        let (Some(folder), Some(name), false) = (path.parent(), path.file_name(), is_link) else {
            return std::fs::canonicalize(path);
        };
        if self.last_folder.as_ref().map(|(f, _)| f.as_path()) != Some(folder) {
            self.last_folder = Some((folder.to_path_buf(), std::fs::canonicalize(folder).ok()));
        }
        match &self.last_folder {
            Some((_, Some(real))) => Ok(real.join(name)),
            _ => std::fs::canonicalize(path),
        }
    }

    /// Names of the manifest's extra columns, in header order.
    pub fn extra_columns(&self) -> &[String] {
        &self.extra_names
    }

    fn manifest_origin(&self, line: Option<u64>) -> Origin {
        Origin {
            path: self.manifest_path.clone(),
            line,
        }
    }

    /// One manifest row: an article, or a skip saying what is wrong with the row or file.
    fn row(&mut self, line: u64, rec: &ByteRecord) -> Item {
        let origin = self.manifest_origin(Some(line));
        let cols = &self.cols;
        let names = &self.table.headers;
        let get = |idx: Option<usize>| -> Result<String, String> {
            field(rec, idx).map(|(t, _)| meta(&t)).map_err(|offset| {
                let name = idx.and_then(|i| names.get(i)).cloned().unwrap_or_default();
                format!(
                    "manifest column `{name}` holds binary data, not text (NUL byte at byte {} \
                     of the value)",
                    offset + 1
                )
            })
        };
        let values = (|| -> Result<_, String> {
            let file = get(Some(cols.file))?;
            let source = get(Some(cols.source))?;
            let id = get(cols.id)?;
            let title = get(cols.title)?;
            let date = get(cols.date)?;
            let url = get(cols.url)?;
            let author = get(cols.author)?;
            let extra = cols
                .extra
                .iter()
                .map(|&i| get(Some(i)))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((file, source, id, title, date, url, author, extra))
        })();
        let (file, source, id, title, date, url, author, extra) = match values {
            Ok(v) => v,
            Err(reason) => return skip(origin, None, None, reason),
        };
        let known_source = (!source.is_empty()).then(|| source.clone());
        let known_id = (!id.is_empty()).then(|| id.clone());
        let fail = |reason: String| {
            skip(
                origin.clone(),
                known_id.clone(),
                known_source.clone(),
                reason,
            )
        };

        let rel = match relative_path(&file) {
            Ok(rel) => rel,
            Err(RelError::Empty) => {
                return fail(format!(
                    "manifest line {line} has an empty `file` value; give the article's path \
                     relative to the corpus folder"
                ));
            }
            Err(RelError::Leaves) => {
                return fail(format!(
                    "the path leaves the corpus folder: manifest line {line} has `file` {} \
                     (absolute paths and `..` are not allowed; give the path relative to the \
                     folder that holds manifest.csv)",
                    quote(&file)
                ));
            }
        };
        match self.listed.get_or_insert(path_key(&rel), line) {
            Ok(None) => {}
            Ok(Some(first)) => {
                return fail(format!(
                    "manifest line {line} lists {} again (first listed on line {first}); this \
                     row is ignored",
                    quote(&file)
                ));
            }
            Err(e) => {
                return fail(format!(
                    "cannot check whether manifest line {line} lists {} again: reading the \
                     listed paths back from the temporary folder failed ({e}); this row is \
                     ignored",
                    quote(&file)
                ));
            }
        }
        let id = known_id.clone().unwrap_or_else(|| folder::rel_id(&rel));
        let path = self.root.join(&rel);
        // `metadata` follows a link; a file that is no link needs only `symlink_metadata`.
        let link_meta = std::fs::symlink_metadata(&path);
        let is_link = matches!(&link_meta, Ok(m) if m.file_type().is_symlink());
        let meta = if is_link {
            std::fs::metadata(&path)
        } else {
            link_meta
        };
        let seen_regular = matches!(&meta, Ok(m) if m.is_file());
        match meta {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return skip(
                    origin,
                    Some(id),
                    known_source,
                    format!(
                        "manifest line {line} lists {}, but there is no such file in {}",
                        quote(&file),
                        self.root.display()
                    ),
                );
            }
            Ok(m) if m.is_dir() => {
                return skip(
                    origin,
                    Some(id),
                    known_source,
                    format!(
                        "manifest line {line} lists {}, which is a folder, not a file",
                        quote(&file)
                    ),
                );
            }
            _ => {}
        }
        // `..` and absolute paths are refused above; a symbolic link inside the folder must
        // not lead out of it either (a downloaded corpus can carry links as well as rows).
        let real = self.real_path(&path, is_link);
        if let (Some(root), Ok(real)) = (&self.canonical_root, real)
            && !real.starts_with(root)
        {
            return skip(
                origin,
                Some(id),
                known_source,
                format!(
                    "the path leaves the corpus folder: manifest line {line} lists {}, a \
                         link to {}, outside {} (copy the file into the corpus folder if it \
                         belongs to the corpus)",
                    quote(&file),
                    real.display(),
                    root.display()
                ),
            );
        }
        if source.is_empty() {
            return skip(
                origin,
                Some(id),
                None,
                format!(
                    "manifest line {line} gives no `source` for {}; every article needs the \
                     outlet that published it",
                    quote(&file)
                ),
            );
        }
        folder::read_article(
            &path,
            FileMeta {
                id,
                source,
                title,
                date,
                url,
                author,
                extra,
            },
            self.max,
            seen_regular,
        )
    }

    /// After the rows: the next `.txt`/`.md` file the manifest did not list, as a skip.
    fn next_unlisted(&mut self) -> Option<Item> {
        if self.unlisted.is_none() {
            match folder::walk(&self.root) {
                Ok(entries) => self.unlisted = Some(entries),
                Err(e) => {
                    self.finished = true;
                    return Some(skip(
                        Origin {
                            path: self.root.clone(),
                            line: None,
                        },
                        None,
                        None,
                        format!(
                            "cannot list the corpus folder to find files missing from manifest.csv: {e}"
                        ),
                    ));
                }
            }
        }
        let entries = self.unlisted.as_mut()?;
        for entry in entries.by_ref() {
            let origin = Origin {
                path: self.root.join(&entry.rel),
                line: None,
            };
            let listed = match &entry.kind {
                EntryKind::Special => continue,
                EntryKind::File
                    if entry.rel == Path::new(MANIFEST)
                        || !folder::is_text_file(&entry.rel)
                        || folder::is_documentation(&entry.rel) =>
                {
                    continue;
                }
                _ => match self.listed.get(path_key(&entry.rel)) {
                    Ok(listed) => listed.is_some(),
                    Err(e) => {
                        return Some(skip(
                            origin,
                            Some(folder::rel_id(&entry.rel)),
                            None,
                            format!(
                                "cannot check whether manifest.csv lists this file: reading \
                                 the listed paths back from the temporary folder failed ({e})"
                            ),
                        ));
                    }
                },
            };
            match entry.kind {
                // A listed path was already reported with its manifest row (a broken link
                // listed in the manifest must not count as two inputs).
                EntryKind::Unreadable(_) if listed => {}
                EntryKind::Unreadable(reason) => return Some(skip(origin, None, None, reason)),
                EntryKind::Special => {} // left out above
                EntryKind::File => {
                    if listed {
                        continue;
                    }
                    let key = folder::slash_path(&entry.rel);
                    return Some(skip(
                        origin,
                        Some(folder::rel_id(&entry.rel)),
                        None,
                        format!(
                            "not listed in manifest.csv: add a row for {} (with its `source`) \
                             or move the file out of the corpus folder",
                            quote(&key)
                        ),
                    ));
                }
            }
        }
        self.finished = true;
        None
    }
}

impl Iterator for ManifestReader {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        if self.finished {
            return None;
        }
        if self.unlisted.is_none() {
            // `Table::next_row` borrows the table; copy the row out before handling it.
            let row = match self.table.next_row() {
                Some(Row::Record { line, rec }) => Ok((line, rec.clone())),
                Some(Row::Bad { line, reason }) => Err((line, reason)),
                None => return self.next_unlisted(),
            };
            return Some(match row {
                Ok((line, rec)) => self.row(line, &rec),
                Err((line, reason)) => skip(self.manifest_origin(line), None, None, reason),
            });
        }
        self.next_unlisted()
    }
}

enum RelError {
    Empty,
    Leaves,
}

/// A manifest `file` value as a relative path inside the corpus folder. `/` and `\` both
/// separate components; `.` components are dropped; absolute paths (including `C:...`) and
/// `..` components are refused.
fn relative_path(value: &str) -> Result<PathBuf, RelError> {
    let v = value.trim();
    let b = v.as_bytes();
    let drive = b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':';
    if v.starts_with('/') || v.starts_with('\\') || drive || Path::new(v).is_absolute() {
        return Err(RelError::Leaves);
    }
    let mut rel = PathBuf::new();
    for part in v.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => return Err(RelError::Leaves),
            p => rel.push(p),
        }
    }
    if rel.as_os_str().is_empty() {
        return Err(RelError::Empty);
    }
    Ok(rel)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::testutil::*;

    #[test]
    fn relative_paths() {
        assert!(matches!(
            relative_path("/etc/passwd"),
            Err(RelError::Leaves)
        ));
        assert!(matches!(relative_path("C:\\x.txt"), Err(RelError::Leaves)));
        assert!(matches!(relative_path("a/../../x"), Err(RelError::Leaves)));
        assert!(matches!(relative_path("./"), Err(RelError::Empty)));
        assert_eq!(
            relative_path("./a\\b.txt").ok(),
            Some(PathBuf::from("a").join("b.txt"))
        );
    }

    #[test]
    fn manifest_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        put(
            root,
            MANIFEST,
            b"file,source,notes,title,id\n\
              b.txt,Wire,second listed first,Title B,\n\
              missing.txt,Post,,,\n\
              ../outside.txt,Post,,,\n\
              sub/a.md,Post,has note,,custom-id\n\
              bad,row\n\
              b.txt,Wire,again,,\n\
              empty-source.txt,,,,\n\
              /abs.txt,Post,,,\n",
        );
        put(root, "b.txt", b"Bee text.");
        put(root, "sub/a.md", b"Ay text.");
        put(root, "empty-source.txt", b"text");
        put(root, "unlisted.txt", b"not in manifest");
        put(root, "sub/zz.md", b"not in manifest either");
        put(root, "README.md", b"docs");
        put(root, "License", b"docs");
        put(root, "data.json", b"{}");
        put(root, ".hidden.txt", b"hidden");

        let mut corpus = open(root, &root.join(MANIFEST), 1 << 20).unwrap();
        assert_eq!(corpus.extra_columns(), ["notes".to_owned()]);
        let got: Vec<Item> = corpus.by_ref().collect();
        assert_eq!(got.len(), 10, "{got:#?}");
        // The same items when the listed paths are written out to runs after each one (the
        // repeated row names its first line, the unlisted files are found).
        let spilled: Vec<Item> = open(root, &root.join(MANIFEST), 1 << 20)
            .unwrap()
            .spill_listed_after(1)
            .collect();
        assert_eq!(format!("{spilled:?}"), format!("{got:?}"));

        let b = article(&got[0]);
        assert_eq!((b.id.as_str(), b.source.as_str()), ("b", "Wire"));
        assert_eq!(b.title, "Title B");
        assert_eq!(b.extra, vec!["second listed first".to_owned()]);
        assert_eq!(b.origin.path, root.join("b.txt"));

        let s = skipped(&got[1]);
        assert_eq!(s.origin.path, root.join(MANIFEST));
        assert_eq!(s.origin.line, Some(3));
        assert!(
            s.reason.contains("manifest line 3 lists \"missing.txt\""),
            "{}",
            s.reason
        );
        assert!(s.reason.contains("no such file"), "{}", s.reason);

        let s = skipped(&got[2]);
        assert!(
            s.reason.starts_with("the path leaves the corpus folder"),
            "{}",
            s.reason
        );
        assert!(s.reason.contains("\"../outside.txt\""), "{}", s.reason);

        let a = article(&got[3]);
        assert_eq!((a.id.as_str(), a.source.as_str()), ("custom-id", "Post"));
        assert_eq!(a.extra, vec!["has note".to_owned()]);

        let s = skipped(&got[4]);
        assert_eq!(s.origin.line, Some(6));
        assert!(
            s.reason.contains("2 fields but the header has 5"),
            "{}",
            s.reason
        );

        assert!(skipped(&got[5]).reason.contains("first listed on line 2"));
        assert!(skipped(&got[6]).reason.contains("gives no `source`"));
        assert!(
            skipped(&got[7])
                .reason
                .starts_with("the path leaves the corpus folder")
        );

        let s = skipped(&got[8]);
        assert_eq!(s.origin.path, root.join("sub/zz.md"));
        assert!(
            s.reason.starts_with("not listed in manifest.csv"),
            "{}",
            s.reason
        );
        let s = skipped(&got[9]);
        assert_eq!(s.origin.path, root.join("unlisted.txt"));
    }

    /// Regression (found by the bad-input corpus test): a broken link listed in the manifest
    /// was reported twice, as its row and again as an unreadable file of the folder, so the
    /// inputs no longer added up to articles plus skips.
    #[cfg(unix)]
    #[test]
    fn listed_broken_link_is_reported_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        put(root, MANIFEST, b"file,source\nok.txt,A\nbroken.txt,A\n");
        put(root, "ok.txt", b"Fine.");
        std::os::unix::fs::symlink("/no/such/file", root.join("broken.txt")).unwrap();
        std::os::unix::fs::symlink("/no/such/other", root.join("unlisted.txt")).unwrap();
        let got: Vec<Item> = open(root, &root.join(MANIFEST), 1 << 20).unwrap().collect();
        assert_eq!(got.len(), 3, "{got:#?}");
        assert!(skipped(&got[1]).reason.contains("\"broken.txt\""));
        assert_eq!(skipped(&got[2]).origin.path, root.join("unlisted.txt"));
    }

    /// A file's real path is its folder's (kept from one file to the next) and its name,
    /// unless the file is a link: a folder linked from outside, a file linked to outside and
    /// a file reached through a link that stays inside must all be told apart as
    /// `fs::canonicalize` tells them, in any order of the rows.
    #[cfg(unix)]
    #[test]
    fn links_out_of_the_folder_are_refused_file_by_file() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside");
        put(&outside, "x.txt", b"Outside words.");
        let root = dir.path().join("corpus");
        put(&root, "in/a.txt", b"Inside words.");
        put(&root, "in/b.txt", b"More inside words.");
        std::os::unix::fs::symlink(&outside, root.join("away")).unwrap();
        std::os::unix::fs::symlink(root.join("in"), root.join("near")).unwrap();
        std::os::unix::fs::symlink(outside.join("x.txt"), root.join("in/link.txt")).unwrap();
        put(
            &root,
            MANIFEST,
            b"file,source\nin/a.txt,A\naway/x.txt,A\nin/link.txt,A\nin/b.txt,A\nnear/a.txt,A\n\
              away/x.txt,B\n",
        );
        let got: Vec<Item> = open(&root, &root.join(MANIFEST), 1 << 20)
            .unwrap()
            .collect();
        let left = |i: usize| {
            skipped(&got[i])
                .reason
                .starts_with("the path leaves the corpus folder")
        };
        assert_eq!(article(&got[0]).text, "Inside words.");
        assert!(left(1), "{:?}", got[1]);
        assert!(left(2), "{:?}", got[2]);
        assert_eq!(article(&got[3]).text, "More inside words.");
        assert_eq!(article(&got[4]).text, "Inside words.");
        assert!(skipped(&got[5]).reason.contains("first listed on line 3"));
    }

    #[test]
    fn manifest_without_required_columns_is_fatal() {
        let dir = tempfile::tempdir().unwrap();
        put(dir.path(), MANIFEST, b"path,outlet\nx.txt,A\n");
        let err = open(dir.path(), &dir.path().join(MANIFEST), 1 << 20)
            .err()
            .unwrap();
        let msg = err.to_string();
        assert!(msg.contains("manifest.csv"), "{msg}");
        assert!(msg.contains("both are missing"), "{msg}");
        assert!(msg.contains("`path`, `outlet`"), "{msg}");

        put(dir.path(), MANIFEST, b"file,title\nx.txt,A\n");
        let err = open(dir.path(), &dir.path().join(MANIFEST), 1 << 20)
            .err()
            .unwrap();
        assert!(err.to_string().contains("`source` is missing"), "{err}");
    }
}
