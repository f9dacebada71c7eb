//! One folder's listing in bounded memory. A folder's entries must be given in sorted order,
//! so the whole folder is listed before its first entry is given; a folder with a million
//! files would hold them all (about 70 bytes each). Past [`CHUNK`] entries the listing is
//! sorted in chunks written to an unnamed temporary file (in `TMPDIR`, gone when the process
//! ends), and the chunks are merged as the entries are taken, reading a few kB of each at a
//! time. On a system other than Unix, or when the temporary file cannot be written, the
//! entries stay in memory: nothing is lost, only memory grows.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use super::folder::EntryKind;

/// Entries of a folder held in memory before a chunk is written out.
pub(super) const CHUNK: usize = 65_536;
/// Bytes read from a chunk at a time.
const READ_BLOCK: usize = 8192;

/// One entry of a folder's listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Listed {
    pub rel: PathBuf,
    /// `None` for a folder, entered when the walk reaches it.
    pub kind: Option<EntryKind>,
}

/// Collects a folder's entries; [`Builder::finish`] gives them back sorted by path.
pub(super) struct Builder {
    rel_dir: PathBuf,
    chunk: usize,
    items: Vec<Listed>,
    /// The chunks written out: the file and each chunk's byte range in it.
    file: Option<File>,
    runs: Vec<(u64, u64)>,
    written: u64,
    /// Writing failed once: the rest stays in memory.
    failed: bool,
}

impl Builder {
    /// Entries of the folder `rel_dir`, written out every `chunk` entries.
    pub(super) fn new(rel_dir: &Path, chunk: usize) -> Builder {
        Builder {
            rel_dir: rel_dir.to_path_buf(),
            chunk: chunk.max(1),
            items: Vec::new(),
            file: None,
            runs: Vec::new(),
            written: 0,
            failed: false,
        }
    }

    pub(super) fn push(&mut self, listed: Listed) {
        self.items.push(listed);
        if self.items.len() >= self.chunk && !self.failed {
            self.write_chunk();
        }
    }

    /// Sort the entries held and write them out as one chunk; on failure keep them.
    fn write_chunk(&mut self) {
        sort(&mut self.items);
        let mut bytes = Vec::new();
        for l in &self.items {
            if encode(l, &self.rel_dir, &mut bytes).is_none() {
                self.failed = true;
                return;
            }
        }
        let file = match self.file.take() {
            Some(f) => Ok(f),
            None if cfg!(unix) => tempfile::tempfile(),
            None => Err(io::Error::from(io::ErrorKind::Unsupported)),
        };
        let written = file.and_then(|mut f| f.write_all(&bytes).map(|()| f));
        match written {
            Ok(f) => {
                self.file = Some(f);
                let len = bytes.len() as u64;
                self.runs.push((self.written, self.written + len));
                self.written += len;
                self.items.clear();
            }
            Err(_) => self.failed = true,
        }
    }

    /// The entries, sorted by path.
    pub(super) fn finish(mut self) -> Pending {
        let Some(file) = self.file else {
            sort(&mut self.items);
            self.items.reverse();
            return Pending::Memory(self.items);
        };
        sort(&mut self.items);
        let mut merge = Merge {
            file,
            rel_dir: self.rel_dir,
            runs: self
                .runs
                .iter()
                .map(|&(start, end)| Run {
                    off: start,
                    end,
                    buf: Vec::new(),
                    pos: 0,
                })
                .collect(),
            rest: self.items.into_iter(),
            heads: BinaryHeap::new(),
            failed: None,
            done: false,
        };
        for i in 0..=merge.runs.len() {
            merge.refill(i);
        }
        Pending::Merge(Box::new(merge))
    }
}

/// Sorted by path; a problem listing the folder (its own path) before its entries.
fn sort(items: &mut [Listed]) {
    items.sort_by(|a, b| a.rel.cmp(&b.rel));
}

/// A folder's entries not yet given.
pub(super) enum Pending {
    /// Sorted by path, the next one last.
    Memory(Vec<Listed>),
    /// Sorted chunks in a temporary file, merged as they are read (boxed: far larger).
    Merge(Box<Merge>),
}

impl Pending {
    /// The next entry in path order.
    pub(super) fn next(&mut self) -> Option<Listed> {
        match self {
            Pending::Memory(items) => items.pop(),
            Pending::Merge(m) => m.next(),
        }
    }

    /// Only a problem listing the folder: the listing of a folder that cannot be read.
    pub(super) fn problem(rel_dir: &Path, reason: String) -> Pending {
        Pending::Memory(vec![Listed {
            rel: rel_dir.to_path_buf(),
            kind: Some(EntryKind::Unreadable(reason)),
        }])
    }
}

/// A k-way merge of the chunks written out and the last one still in memory.
pub(super) struct Merge {
    file: File,
    rel_dir: PathBuf,
    runs: Vec<Run>,
    /// The last chunk, never written out.
    rest: std::vec::IntoIter<Listed>,
    /// The next entry of each source (a run's index, or `runs.len()` for `rest`), smallest
    /// path first, ties to the earlier source.
    heads: BinaryHeap<Reverse<Head>>,
    /// A chunk could not be read back: the problem, given after the entries already read,
    /// ends the folder.
    failed: Option<String>,
    done: bool,
}

/// A source's next entry, ordered by path, then source.
struct Head {
    rel: PathBuf,
    source: usize,
    kind: Option<EntryKind>,
}

impl PartialEq for Head {
    fn eq(&self, other: &Head) -> bool {
        self.cmp(other) == std::cmp::Ordering::Equal
    }
}

impl Eq for Head {}

impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Head) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Head {
    fn cmp(&self, other: &Head) -> std::cmp::Ordering {
        (&self.rel, self.source).cmp(&(&other.rel, other.source))
    }
}

/// One chunk of the file: the bytes `off..end` not yet read, and those read but not decoded.
struct Run {
    off: u64,
    end: u64,
    buf: Vec<u8>,
    pos: usize,
}

impl Merge {
    fn next(&mut self) -> Option<Listed> {
        if self.done {
            return None;
        }
        if let Some(reason) = self.failed.take() {
            self.done = true;
            return Some(Listed {
                rel: self.rel_dir.clone(),
                kind: Some(EntryKind::Unreadable(reason)),
            });
        }
        let Reverse(head) = self.heads.pop()?;
        self.refill(head.source);
        Some(Listed {
            rel: head.rel,
            kind: head.kind,
        })
    }

    /// Put the next entry of `source` among the heads.
    fn refill(&mut self, source: usize) {
        let next = match self.runs.get_mut(source) {
            Some(run) => match run.next(&self.file, &self.rel_dir) {
                Ok(next) => next,
                Err(e) => {
                    self.failed = Some(format!(
                        "cannot read back this folder's listing from the temporary folder: {e}"
                    ));
                    None
                }
            },
            None => self.rest.next(),
        };
        if let Some(l) = next {
            self.heads.push(Reverse(Head {
                rel: l.rel,
                source,
                kind: l.kind,
            }));
        }
    }
}

impl Run {
    /// The next `n` bytes of the chunk.
    fn take(&mut self, file: &File, n: usize) -> io::Result<&[u8]> {
        if self.buf.len() - self.pos < n {
            self.buf.drain(..self.pos);
            self.pos = 0;
            let left = usize::try_from(self.end - self.off).unwrap_or(usize::MAX);
            let want = (n - self.buf.len()).max(READ_BLOCK).min(left);
            if self.buf.len() + want < n {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the chunk ends inside an entry",
                ));
            }
            let old = self.buf.len();
            self.buf.resize(old + want, 0);
            read_at(file, &mut self.buf[old..], self.off)?;
            self.off += want as u64;
        }
        let bytes = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(bytes)
    }

    fn next(&mut self, file: &File, rel_dir: &Path) -> io::Result<Option<Listed>> {
        if self.pos == self.buf.len() && self.off == self.end {
            return Ok(None);
        }
        let tag = self.take(file, 1)?[0];
        let name = self.take_bytes(file)?.map(|b| name_from(&b));
        let kind = match tag {
            0 => Some(EntryKind::File),
            1 => Some(EntryKind::Special),
            2 => None,
            _ => {
                let reason = self.take_bytes(file)?.unwrap_or_default();
                Some(EntryKind::Unreadable(
                    String::from_utf8_lossy(&reason).into_owned(),
                ))
            }
        };
        let rel = match name {
            Some(n) => rel_dir.join(n),
            None => rel_dir.to_path_buf(),
        };
        Ok(Some(Listed { rel, kind }))
    }

    /// A length-prefixed byte string, `None` for the mark of no name.
    fn take_bytes(&mut self, file: &File) -> io::Result<Option<Vec<u8>>> {
        let len = u32::from_le_bytes(self.take(file, 4)?.try_into().unwrap_or([0; 4]));
        if len == u32::MAX {
            return Ok(None);
        }
        Ok(Some(self.take(file, len as usize)?.to_vec()))
    }
}

/// Append `l` to a chunk: a tag (0 file, 1 special, 2 folder, 3 unreadable), its name in
/// the folder (`u32::MAX` for the folder's own path) and an unreadable entry's reason, each
/// a little-endian `u32` length and the bytes. `None` if the name cannot be stored.
fn encode(l: &Listed, rel_dir: &Path, out: &mut Vec<u8>) -> Option<()> {
    let (tag, reason) = match &l.kind {
        Some(EntryKind::File) => (0u8, None),
        Some(EntryKind::Special) => (1, None),
        None => (2, None),
        Some(EntryKind::Unreadable(r)) => (3, Some(r.as_bytes())),
    };
    out.push(tag);
    if l.rel == rel_dir {
        out.extend(u32::MAX.to_le_bytes());
    } else {
        let name = l.rel.strip_prefix(rel_dir).ok()?.as_os_str();
        let bytes = name_bytes(name)?;
        out.extend(u32::try_from(bytes.len()).ok()?.to_le_bytes());
        out.extend(bytes);
    }
    if let Some(r) = reason {
        out.extend(u32::try_from(r.len()).ok()?.to_le_bytes());
        out.extend(r);
    }
    Some(())
}

#[cfg(unix)]
fn name_bytes(name: &OsStr) -> Option<&[u8]> {
    use std::os::unix::ffi::OsStrExt as _;
    Some(name.as_bytes())
}

#[cfg(unix)]
fn name_from(bytes: &[u8]) -> OsString {
    use std::os::unix::ffi::OsStrExt as _;
    OsStr::from_bytes(bytes).to_os_string()
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], off: u64) -> io::Result<()> {
    use std::os::unix::fs::FileExt as _;
    file.read_exact_at(buf, off)
}

// Elsewhere nothing is written out (`write_chunk` makes no file), so these are not reached.
#[cfg(not(unix))]
fn name_bytes(_: &OsStr) -> Option<&[u8]> {
    None
}

#[cfg(not(unix))]
fn name_from(bytes: &[u8]) -> OsString {
    OsString::from(String::from_utf8_lossy(bytes).into_owned())
}

#[cfg(not(unix))]
fn read_at(_: &File, _: &mut [u8], _: u64) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(rel: &str, kind: Option<EntryKind>) -> Listed {
        Listed {
            rel: PathBuf::from(rel),
            kind,
        }
    }

    fn drain(mut p: Pending) -> Vec<Listed> {
        std::iter::from_fn(|| p.next()).collect()
    }

    /// Whatever the chunk size, the entries come back sorted, as held in memory.
    #[test]
    fn chunks_merge_to_the_sorted_listing() {
        let mut items = vec![
            listed(
                "d",
                Some(EntryKind::Unreadable("cannot list everything".into())),
            ),
            listed("d/b.txt", Some(EntryKind::File)),
            listed("d/b", None),
            listed("d/a b.txt", Some(EntryKind::Special)),
            listed("d/z", Some(EntryKind::Unreadable("broken link: é".into()))),
            listed("d/B.md", Some(EntryKind::File)),
            listed("d/b0.txt", Some(EntryKind::File)),
        ];
        for i in 0..40 {
            items.push(listed(
                &format!("d/n{}.txt", (i * 17) % 40),
                Some(EntryKind::File),
            ));
        }
        let mut want = items.clone();
        sort(&mut want);
        for chunk in [1, 2, 3, 5, 8, 46, 47, 48, 1000] {
            let mut b = Builder::new(Path::new("d"), chunk);
            for l in &items {
                b.push(l.clone());
            }
            let spilled = b.file.is_some();
            assert_eq!(spilled, chunk <= items.len(), "chunk {chunk}");
            assert_eq!(drain(b.finish()), want, "chunk {chunk}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_survive_the_file() {
        use std::os::unix::ffi::OsStrExt as _;
        let odd = Path::new("d").join(OsStr::from_bytes(b"caf\xe9.txt"));
        let mut b = Builder::new(Path::new("d"), 1);
        b.push(Listed {
            rel: odd.clone(),
            kind: Some(EntryKind::File),
        });
        b.push(listed("d/a.txt", Some(EntryKind::File)));
        let got = drain(b.finish());
        assert_eq!(got[0].rel, PathBuf::from("d/a.txt"));
        assert_eq!(got[1].rel, odd);
    }

    /// A chunk that cannot be read back ends the folder with one problem naming it.
    #[test]
    fn a_chunk_cut_short_is_a_problem_not_a_panic() {
        let mut b = Builder::new(Path::new("d"), 2);
        for i in 0..5 {
            b.push(listed(&format!("d/{i}.txt"), Some(EntryKind::File)));
        }
        let Pending::Merge(mut m) = b.finish() else {
            panic!("written out")
        };
        // the second chunk claims more bytes than the file holds
        m.runs[1].end += 100;
        let got: Vec<Listed> = std::iter::from_fn(|| m.next()).collect();
        let last = got.last().expect("entries");
        assert_eq!(last.rel, PathBuf::from("d"));
        assert!(
            matches!(&last.kind, Some(EntryKind::Unreadable(r)) if r.contains("cannot read back")),
            "{last:?}"
        );
    }
}
