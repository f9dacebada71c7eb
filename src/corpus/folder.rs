//! Folders of `.txt`/`.md` files without a manifest (one sub-folder per outlet), a single
//! `.txt`/`.md` file, and what both share with the manifest reader: listing a folder
//! (recursive, sorted, hidden entries ignored) and reading one file into an article.

use std::collections::HashSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

use super::decode::{decode_owned, utf16_hint};
use super::limit::{read_bounded, stored_len};
use super::listing::{self, Builder, Listed, Pending};
use super::reasons::{quote, skip};
use super::types::{Article, CorpusError, DecodeError, Item, Origin};

/// What the listing found at one relative path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EntryKind {
    /// A regular file (or a link to one).
    File,
    /// Something that is neither a file nor a folder (socket, pipe, device).
    Special,
    /// A file or folder that could not be examined; the reason is a full sentence.
    Unreadable(String),
}

/// One listed path, relative to the corpus folder.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub rel: PathBuf,
    pub kind: EntryKind,
}

/// Lists every file under `root`, recursively, sorted by path, one folder at a time: a
/// folder is listed when the walk reaches it, so memory holds the listings of the folders on
/// the current path (their entries not yet given), not the whole tree. Entries whose name
/// starts with `.` are ignored (and hidden folders not entered). Links are followed, each
/// real folder entered once (under the first of its paths in sorted order). Only failing to
/// list `root` itself is an error; problems below it become [`EntryKind::Unreadable`]
/// entries.
pub(crate) fn walk(root: &Path) -> Result<Walk, CorpusError> {
    walk_chunked(root, listing::CHUNK)
}

/// [`walk`], writing a folder's listing out every `chunk` entries.
fn walk_chunked(root: &Path, chunk: usize) -> Result<Walk, CorpusError> {
    let first = fs::read_dir(root).map_err(|source| CorpusError::Io {
        path: root.to_path_buf(),
        source,
    })?;
    let mut seen = HashSet::new();
    if let Ok(canon) = fs::canonicalize(root) {
        seen.insert(canon);
    }
    Ok(Walk {
        root: root.to_path_buf(),
        stack: vec![list(root, Path::new(""), Ok(first), chunk)],
        seen,
        chunk,
    })
}

/// The files under a folder in sorted path order ([`walk`]).
pub(crate) struct Walk {
    root: PathBuf,
    /// The listing of each folder on the current path, outermost first: the entries not yet
    /// given, in path order (a folder of more than [`listing::CHUNK`] entries partly in a
    /// temporary file).
    stack: Vec<Pending>,
    /// The real (canonical) paths of the folders entered.
    seen: HashSet<PathBuf>,
    chunk: usize,
}

/// The entries of the folder `rel_dir` (`path` on disk) in path order, from its listing
/// (`Err` if it could not be listed). Paths sort by component, so the files of
/// a folder `b` (`b/x.txt`) come before `b.txt`: giving a folder's files when the walk
/// reaches the folder keeps the whole walk in path order.
fn list(
    path: &Path,
    rel_dir: &Path,
    listing: std::io::Result<fs::ReadDir>,
    chunk: usize,
) -> Pending {
    let listing = match listing {
        Ok(l) => l,
        Err(e) => return Pending::problem(rel_dir, format!("cannot list this folder: {e}")),
    };
    let mut out = Builder::new(rel_dir, chunk);
    for entry in listing {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                out.push(Listed {
                    rel: rel_dir.to_path_buf(),
                    kind: Some(EntryKind::Unreadable(format!(
                        "cannot list everything in this folder: {e}"
                    ))),
                });
                break;
            }
        };
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let rel = rel_dir.join(&name);
        // `fs::metadata` follows links, so a link to a file counts as a file; anything
        // else is what the listing says it is, without asking the file system again.
        let meta = match entry.file_type() {
            Ok(t) if !t.is_symlink() => Ok(t),
            _ => fs::metadata(path.join(&name)).map(|m| m.file_type()),
        };
        let kind = match meta {
            Err(e) => Some(EntryKind::Unreadable(format!(
                "cannot examine this path (a broken link?): {e}"
            ))),
            Ok(m) if m.is_dir() => None,
            Ok(m) if m.is_file() => Some(EntryKind::File),
            Ok(_) => Some(EntryKind::Special),
        };
        out.push(Listed { rel, kind });
    }
    // A problem listing the folder itself (its own path) sorts before its entries.
    out.finish()
}

impl Iterator for Walk {
    type Item = Entry;

    fn next(&mut self) -> Option<Entry> {
        loop {
            let listing = self.stack.last_mut()?;
            let Some(next) = listing.next() else {
                self.stack.pop();
                continue;
            };
            if let Some(kind) = next.kind {
                return Some(Entry {
                    rel: next.rel,
                    kind,
                });
            }
            let path = self.root.join(&next.rel);
            let first_visit = match fs::canonicalize(&path) {
                Ok(canon) => self.seen.insert(canon),
                Err(_) => true,
            };
            if first_visit {
                let listing = list(&path, &next.rel, fs::read_dir(&path), self.chunk);
                self.stack.push(listing);
            }
        }
    }
}

/// `rel` with `/` separators (the form ids and manifest keys use).
pub(crate) fn slash_path(rel: &Path) -> String {
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    parts.join("/")
}

/// The default article id for a file: its relative path, `/`-separated, without extension.
pub(crate) fn rel_id(rel: &Path) -> String {
    slash_path(&rel.with_extension(""))
}

/// The file's extension, lower-cased ("" when it has none).
pub(crate) fn ext_lower(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

/// `.txt`, `.md`, `.html` or `.htm` (any case): the files a folder's articles are read from.
pub(crate) fn is_text_file(path: &Path) -> bool {
    matches!(ext_lower(path).as_str(), "txt" | "md" | "html" | "htm")
}

/// `.html` or `.htm` (any case): a saved web page, whose article text is extracted.
pub(crate) fn is_html_file(path: &Path) -> bool {
    matches!(ext_lower(path).as_str(), "html" | "htm")
}

/// README or LICENSE files (any case, any extension): documentation, never articles.
pub(crate) fn is_documentation(path: &Path) -> bool {
    path.file_stem()
        .map(|s| {
            let s = s.to_string_lossy();
            s.eq_ignore_ascii_case("readme") || s.eq_ignore_ascii_case("license")
        })
        .unwrap_or(false)
}

/// Metadata for an article read from a file.
pub(crate) struct FileMeta {
    pub id: String,
    pub source: String,
    pub title: String,
    pub date: String,
    pub url: String,
    pub author: String,
    pub extra: Vec<String>,
}

/// Reads and decodes one file into an article; any problem is a skip naming the file. At
/// most `2 * max + 4` bytes are read (enough for `max` bytes of text in any encoding); a
/// longer file is cut there (whole characters) and its [`Article::cut_bytes`] counts the
/// stored bytes after the part kept. The text is cut to `max` bytes later, with the others.
/// With `seen_regular` the caller has just seen (listing the folder, or checking a manifest
/// row) that `path` is a regular file or a link to one, so it is not looked up once more
/// before it is opened; whatever stands there by then is checked again once opened.
pub(crate) fn read_article(path: &Path, meta: FileMeta, max: usize, seen_regular: bool) -> Item {
    let origin = Origin {
        path: path.to_path_buf(),
        line: None,
    };
    let fail = |meta: FileMeta, reason: String| {
        skip(origin.clone(), Some(meta.id), Some(meta.source), reason)
    };
    // Opening a pipe would wait for a writer forever, and a device may never end (or do
    // something when opened): read only regular files (and links to them).
    let not_regular = |meta: FileMeta| {
        fail(
            meta,
            "not a regular file (a pipe, socket, device or folder); framescope reads .txt, \
                 .md and .html files"
                .to_owned(),
        )
    };
    if !seen_regular
        && let Ok(m) = fs::metadata(path)
        && !m.is_file()
    {
        return not_regular(meta);
    }
    let limit = max.saturating_mul(2).saturating_add(4);
    let prefix = match read_bounded(path, limit) {
        Ok(Some(p)) => p,
        Ok(None) => return not_regular(meta),
        Err(e) => {
            return fail(
                meta,
                format!(
                    "cannot read this file: {e}; it was listed, but could not be opened or read \
                     (removed or changed while the run was going, or not readable by this user)"
                ),
            );
        }
    };
    let decoded = match decode_owned(prefix.bytes) {
        Ok(d) => d,
        Err((DecodeError::Empty, _)) => {
            return fail(meta, "empty text: the file is empty (0 bytes)".to_owned());
        }
        Err((e @ DecodeError::Binary { .. }, bytes)) => {
            return fail(
                meta,
                format!(
                    "this file is {e}; framescope reads plain-text .txt, .md and .html files{}",
                    utf16_hint(&bytes)
                ),
            );
        }
    };
    if decoded.text.trim().is_empty() {
        return fail(
            meta,
            "empty text: the file holds only whitespace".to_owned(),
        );
    }
    let cut_bytes = if prefix.complete {
        0
    } else {
        prefix
            .size
            .saturating_sub(stored_len(&decoded.text, decoded.encoding))
    };
    Item::Article(Article {
        id: meta.id,
        source: meta.source,
        title: meta.title,
        date: meta.date,
        url: meta.url,
        author: meta.author,
        text: decoded.text,
        encoding: decoded.encoding,
        origin,
        extra: meta.extra,
        html_dropped: Vec::new(),
        cut_bytes,
    })
}

/// The reason for a file of a type framescope does not read.
pub(crate) fn unsupported_reason(rel: &Path) -> String {
    match ext_lower(rel).as_str() {
        "" => "unsupported file type (the name has no extension; framescope reads .txt, .md \
               and .html)"
            .to_owned(),
        _ => format!(
            "unsupported file type .{} (framescope reads .txt, .md and .html)",
            rel.extension()
                .map(|e| e.to_string_lossy().into_owned())
                .unwrap_or_default()
        ),
    }
}

/// Streams a folder laid out as `<folder>/<outlet>/.../<file>.txt`.
pub(crate) struct FolderReader {
    root: PathBuf,
    entries: Walk,
    max: usize,
}

/// Lists `root` (fatal only if `root` itself cannot be listed); `max` is
/// `--max-article-bytes`.
pub(crate) fn open(root: &Path, max: usize) -> Result<FolderReader, CorpusError> {
    Ok(FolderReader {
        root: root.to_path_buf(),
        entries: walk(root)?,
        max,
    })
}

impl Iterator for FolderReader {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        for entry in self.entries.by_ref() {
            let path = self.root.join(&entry.rel);
            let origin = Origin {
                path: path.clone(),
                line: None,
            };
            match entry.kind {
                EntryKind::Unreadable(reason) => return Some(skip(origin, None, None, reason)),
                _ if is_documentation(&entry.rel) => {}
                EntryKind::Special => {
                    return Some(skip(
                        origin,
                        None,
                        None,
                        "not a regular file (a pipe, socket or device); framescope reads .txt \
                         and .md files"
                            .to_owned(),
                    ));
                }
                EntryKind::File if !is_text_file(&entry.rel) => {
                    return Some(skip(origin, None, None, unsupported_reason(&entry.rel)));
                }
                EntryKind::File => {
                    let mut parts = entry.rel.components();
                    let outlet = parts.next();
                    if parts.next().is_none() {
                        let name = entry.rel.display().to_string();
                        return Some(skip(
                            origin,
                            Some(rel_id(&entry.rel)),
                            None,
                            format!(
                                "{} is directly in the corpus folder, so its outlet is unknown: \
                                 put it in a sub-folder named after its outlet (e.g. \
                                 <outlet>/{name}) or add a manifest.csv with `file` and \
                                 `source` columns",
                                quote(&name)
                            ),
                        ));
                    }
                    let source = outlet
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .unwrap_or_default();
                    return Some(read_article(
                        &path,
                        FileMeta {
                            id: rel_id(&entry.rel),
                            source,
                            title: String::new(),
                            date: String::new(),
                            url: String::new(),
                            author: String::new(),
                            extra: Vec::new(),
                        },
                        self.max,
                        // the listing saw a regular file (or a link to one)
                        true,
                    ));
                }
            }
        }
        None
    }
}

/// One `.txt`/`.md` file given directly: read when first asked for.
pub(crate) struct SingleReader {
    path: Option<PathBuf>,
    max: usize,
}

/// A single-article input; the file is read on the first `next()`.
pub(crate) fn open_single(path: &Path, max: usize) -> SingleReader {
    SingleReader {
        path: Some(path.to_path_buf()),
        max,
    }
}

impl Iterator for SingleReader {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        let path = self.path.take()?;
        let id = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let parent_name = |p: &Path| {
            p.parent()
                .and_then(Path::file_name)
                .map(|n| n.to_string_lossy().into_owned())
        };
        let source = parent_name(&path)
            .or_else(|| fs::canonicalize(&path).ok().and_then(|c| parent_name(&c)));
        let Some(source) = source else {
            return Some(skip(
                Origin { path, line: None },
                Some(id),
                None,
                "cannot tell the outlet: the file is not in a named folder; put it in a folder \
                 named after its outlet"
                    .to_owned(),
            ));
        };
        Some(read_article(
            &path,
            FileMeta {
                id,
                source,
                title: String::new(),
                date: String::new(),
                url: String::new(),
                author: String::new(),
                extra: Vec::new(),
            },
            self.max,
            false,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Encoding;
    use crate::corpus::testutil::*;

    fn utf16le(s: &str) -> Vec<u8> {
        let mut v = vec![0xFF, 0xFE];
        for u in s.encode_utf16() {
            v.extend_from_slice(&u.to_le_bytes());
        }
        v
    }

    #[test]
    fn sub_folder_layout() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        put(root, "Wire/b.txt", b"Second.");
        put(root, "Wire/a.md", b"First.");
        put(root, "Post/2024/jan/deep.txt", b"Deep.");
        put(root, "Post/empty.txt", b"");
        put(root, "Post/blank.txt", b" \n\t ");
        put(root, "Post/bin.txt", b"GIF89a\0\0\x01");
        put(root, "Post/latin.txt", b"caf\xe9");
        put(root, "Post/bom.txt", b"\xEF\xBB\xBFbom text");
        put(root, "Post/wide.txt", &utf16le("wide text"));
        put(root, "Post/photo.JPG", b"\xFF\xD8");
        put(root, "Post/.hidden.txt", b"hidden");
        put(root, ".git/config.txt", b"hidden dir");
        put(root, "README.md", b"# docs");
        put(root, "Wire/license.txt", b"docs");
        put(root, "loose.txt", b"no outlet");

        let got: Vec<Item> = open(root, 1 << 20).unwrap().collect();
        let origins: Vec<String> = got
            .iter()
            .map(|i| match i {
                Item::Article(a) => a
                    .origin
                    .path
                    .strip_prefix(root)
                    .unwrap()
                    .display()
                    .to_string(),
                Item::Skip(s) => s
                    .origin
                    .path
                    .strip_prefix(root)
                    .unwrap()
                    .display()
                    .to_string(),
            })
            .collect();
        assert_eq!(
            origins,
            [
                "Post/2024/jan/deep.txt",
                "Post/bin.txt",
                "Post/blank.txt",
                "Post/bom.txt",
                "Post/empty.txt",
                "Post/latin.txt",
                "Post/photo.JPG",
                "Post/wide.txt",
                "Wire/a.md",
                "Wire/b.txt",
                "loose.txt",
            ]
        );
        let deep = article(&got[0]);
        assert_eq!(
            (deep.id.as_str(), deep.source.as_str()),
            ("Post/2024/jan/deep", "Post")
        );
        assert_eq!(deep.title, "");
        let s = skipped(&got[1]);
        assert!(
            s.reason
                .contains("binary data, not text (NUL byte at offset 6)"),
            "{}",
            s.reason
        );
        assert_eq!(s.source.as_deref(), Some("Post"));
        assert!(skipped(&got[2]).reason.starts_with("empty text"));
        assert_eq!(article(&got[3]).encoding, Encoding::Utf8Bom);
        assert_eq!(article(&got[3]).text, "bom text");
        assert!(skipped(&got[4]).reason.contains("the file is empty"));
        let latin = article(&got[5]);
        assert_eq!(
            (latin.text.as_str(), latin.encoding),
            ("café", Encoding::Windows1252)
        );
        assert_eq!(
            skipped(&got[6]).reason,
            "unsupported file type .JPG (framescope reads .txt, .md and .html)"
        );
        let wide = article(&got[7]);
        assert_eq!(
            (wide.text.as_str(), wide.encoding),
            ("wide text", Encoding::Utf16Le)
        );
        assert_eq!(article(&got[8]).id, "Wire/a");
        assert_eq!(article(&got[8]).source, "Wire");
        let loose = skipped(&got[10]);
        assert!(
            loose.reason.contains("directly in the corpus folder"),
            "{}",
            loose.reason
        );
        assert!(loose.reason.contains("sub-folder named after its outlet"));
        assert!(loose.reason.contains("manifest.csv"));

        // Deterministic: a second pass gives the same sequence.
        let again: Vec<String> = open(root, 1 << 20)
            .unwrap()
            .map(|i| format!("{i:?}"))
            .collect();
        let first: Vec<String> = got.iter().map(|i| format!("{i:?}")).collect();
        assert_eq!(again, first);
    }

    #[test]
    fn single_file() {
        let dir = tempfile::tempdir().unwrap();
        put(dir.path(), "Outlet/story.txt", b"Text.");
        let got: Vec<Item> = open_single(&dir.path().join("Outlet/story.txt"), 1 << 20).collect();
        assert_eq!(got.len(), 1);
        let a = article(&got[0]);
        assert_eq!((a.id.as_str(), a.source.as_str()), ("story", "Outlet"));
    }

    /// A file listed when the run started and gone (or unreadable) when its turn comes is a
    /// skip naming it, and the files after it are still read.
    #[test]
    fn file_removed_while_the_run_is_going_is_a_skip() {
        let dir = tempfile::tempdir().unwrap();
        put(dir.path(), "A/a.txt", b"First.");
        put(dir.path(), "A/b.txt", b"Gone soon.");
        put(dir.path(), "A/c.txt", b"Third.");
        let mut reader = open(dir.path(), 1 << 20).unwrap();
        assert_eq!(article(&reader.next().unwrap()).id, "A/a");
        std::fs::remove_file(dir.path().join("A/b.txt")).unwrap();
        let s = reader.next().unwrap();
        let s = skipped(&s);
        assert_eq!(s.origin.path, dir.path().join("A/b.txt"));
        assert!(
            s.reason.starts_with("cannot read this file"),
            "{}",
            s.reason
        );
        assert!(s.reason.contains("removed or changed"), "{}", s.reason);
        assert_eq!(article(&reader.next().unwrap()).id, "A/c");
        assert!(reader.next().is_none());
    }

    /// A file longer than the limit is read only up to about twice the limit, whole
    /// characters, and says how many of its bytes were not read.
    #[test]
    fn long_file_is_read_up_to_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let text = "Ünïcödé words. ".repeat(1000);
        put(dir.path(), "A/long.txt", text.as_bytes());
        let got: Vec<Item> = open(dir.path(), 1000).unwrap().collect();
        let a = article(&got[0]);
        assert!(
            a.text.len() <= 2004 && a.text.len() > 1990,
            "{}",
            a.text.len()
        );
        assert!(text.starts_with(&a.text));
        assert_eq!(a.cut_bytes, (text.len() - a.text.len()) as u64);

        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        put(dir.path(), "A/long.txt", &utf16);
        let got: Vec<Item> = open(dir.path(), 1000).unwrap().collect();
        let a = article(&got[0]);
        assert!(text.starts_with(&a.text));
        assert_eq!(
            a.cut_bytes,
            (utf16.len() - 2 - 2 * a.text.encode_utf16().count()) as u64
        );
    }

    #[test]
    fn missing_root_is_fatal() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            open(&dir.path().join("nope"), 1 << 20),
            Err(CorpusError::Io { .. })
        ));
    }

    /// Regression (found by the bad-input corpus test): a named pipe listed in a manifest, or
    /// given as the input, was opened for reading and the run waited for a writer forever.
    #[cfg(unix)]
    #[test]
    fn fifo_is_skipped_not_waited_on() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("A/pipe.txt");
        std::fs::create_dir_all(fifo.parent().unwrap()).unwrap();
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("skipping: mkfifo not available");
            return;
        }
        let got: Vec<Item> = open_single(&fifo, 1 << 20).collect();
        assert!(skipped(&got[0]).reason.starts_with("not a regular file"));
    }

    /// A named pipe where a regular file was listed (put there after the listing, or between
    /// two passes) is opened without waiting and skipped, not waited on; a device too.
    #[cfg(unix)]
    #[test]
    fn fifo_in_place_of_a_listed_file_is_skipped_not_waited_on() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.txt");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("skipping: mkfifo not available");
            return;
        }
        let meta = || FileMeta {
            id: "pipe".into(),
            source: "A".into(),
            title: String::new(),
            date: String::new(),
            url: String::new(),
            author: String::new(),
            extra: Vec::new(),
        };
        for path in [fifo.as_path(), Path::new("/dev/null")] {
            let got = read_article(path, meta(), 1 << 20, true);
            assert!(
                skipped(&got).reason.starts_with("not a regular file"),
                "{path:?}: {:?}",
                skipped(&got).reason
            );
        }
    }

    /// The walk gives what sorting every path of the tree gives: names that sort around
    /// a folder's name (`b`, `b.txt`, `b-c`, `b0`, `B`), nested folders, an empty one.
    #[test]
    fn walk_is_the_sorted_listing_of_the_tree() {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            "b.txt",
            "b/x.txt",
            "b/a/z.md",
            "b/a.txt",
            "b-c/y.txt",
            "b0.txt",
            "B/q.txt",
            "a b.txt",
            "ab/c/d/e.txt",
            "ab/c.txt",
            "z.txt",
            "b/a/z/deep.txt",
            ".hidden/x.txt",
            "b/.h.txt",
        ];
        for f in files {
            put(dir.path(), f, b"x");
        }
        fs::create_dir_all(dir.path().join("empty/inner")).unwrap();
        // The oracle: every file not under a hidden name, sorted by path.
        fn all(root: &Path, rel: &Path, out: &mut Vec<PathBuf>) {
            for e in fs::read_dir(root.join(rel)).unwrap() {
                let e = e.unwrap();
                if e.file_name().to_string_lossy().starts_with('.') {
                    continue;
                }
                let rel = rel.join(e.file_name());
                if e.file_type().unwrap().is_dir() {
                    all(root, &rel, out);
                } else {
                    out.push(rel);
                }
            }
        }
        let mut want = Vec::new();
        all(dir.path(), Path::new(""), &mut want);
        want.sort();
        assert_eq!(want.len(), files.len() - 2);
        let got: Vec<PathBuf> = walk(dir.path()).unwrap().map(|e| e.rel).collect();
        assert_eq!(got, want);
        // the same with every folder's listing written out in chunks of a few entries
        for chunk in [1, 2, 3] {
            let got: Vec<PathBuf> = walk_chunked(dir.path(), chunk)
                .unwrap()
                .map(|e| e.rel)
                .collect();
            assert_eq!(got, want, "chunk {chunk}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn link_loops_do_not_hang() {
        let dir = tempfile::tempdir().unwrap();
        put(dir.path(), "A/x.txt", b"x");
        std::os::unix::fs::symlink(dir.path(), dir.path().join("A/loop")).unwrap();
        let got: Vec<Item> = open(dir.path(), 1 << 20).unwrap().collect();
        assert_eq!(got.len(), 1);
        assert_eq!(article(&got[0]).id, "A/x");
    }
}
