//! Maps keyed by 64-bit hashes that stay in bounded memory however many keys they get: the
//! duplicate-id check (every article's id) and a manifest's listed paths (every row).
//!
//! The newest keys are held in a hash map of at most [`IN_MEMORY`] entries. When it is full,
//! its entries are sorted by key and written to a temporary file, a *run*. Runs are leveled:
//! a run of level i has at most [`IN_MEMORY`] x [`FANOUT`]^(i+1) entries, and two runs of one
//! level are merged into one (which may move up a level), so there is at most one run per
//! level: two runs up to 29 million ids, three up to 235 million. A key is written about
//! [`FANOUT`] / 2 times per level. A run is searched through its *fences*, the first key of
//! each block of [`BLOCK_BYTES`] kept in memory, with one read of one block; so a lookup
//! reads one block per run, and only for a key that a Bloom filter of fixed size (4 MB) in
//! front of the runs does not rule out. Memory is the map (5 MB for ids), the filter once
//! keys are written out, 8 bytes of fences per block (a 64th of a byte per id) and the
//! merge's buffers, whatever the number of keys.
//!
//! Runs are unnamed temporary files in the system's temporary folder (`TMPDIR` on Unix, as
//! for `sort`): nothing is left behind, however the run ends. If a run cannot be written (the
//! folder is full or read-only), the keys stay in memory, which then grows, and
//! [`SpillMap::spill_error`] says why. Whether a key is present, and its value, never depend
//! on where it is kept.

use std::collections::HashMap;
use std::fs::File;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;

/// Entries held in memory before they are written out: 7/8 of 2^19, the most a hash map of
/// 2^19 slots holds without growing (about 5 MB of ids, 9 MB of ids with values).
pub(crate) const IN_MEMORY: usize = 7 << 16;
/// How much larger each level's runs may be than the level's below.
const FANOUT: u64 = 8;
/// Bits of the filter in front of the runs (2^25: 4 MB), whatever the number of keys. With
/// three bits a key, it sends about 1 in 125 absent keys on to the runs at 2.5 million keys
/// written out, 1 in 20 at 5 million, 1 in 5 at 10 million; past that most lookups read the
/// runs, as without it.
const FILTER_BITS: u32 = 25;
/// Bits set and tested per key.
const FILTER_PROBES: [u64; 3] = [
    0x9e37_79b9_7f4a_7c15,
    0xc2b2_ae3d_27d4_eb4f,
    0x1656_67b1_9e37_79f9,
];
/// Bytes of a run read to look a key up.
const BLOCK_BYTES: usize = 4096;
/// The buffers of a run's writer and of each side of a merge.
const STREAM_BUFFER: usize = 1 << 16;

/// A value stored with each key, in a fixed number of bytes.
pub(crate) trait Value: Copy {
    const BYTES: usize;
    fn put(self, out: &mut [u8]);
    fn get(bytes: &[u8]) -> Self;
}

/// A set: no value.
impl Value for () {
    const BYTES: usize = 0;
    fn put(self, _: &mut [u8]) {}
    fn get(_: &[u8]) -> Self {}
}

impl Value for u64 {
    const BYTES: usize = 8;
    fn put(self, out: &mut [u8]) {
        out.copy_from_slice(&self.to_le_bytes());
    }
    fn get(bytes: &[u8]) -> Self {
        u64::from_le_bytes(bytes.try_into().unwrap_or([0; 8]))
    }
}

/// Keys are hashes already: the map's hasher passes them through.
#[derive(Default)]
pub(crate) struct Identity(u64);

impl Hasher for Identity {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map from 64-bit keys (hashes) to `V`, bounded in memory (see the module documentation).
pub(crate) struct SpillMap<V: Value> {
    recent: HashMap<u64, V, BuildHasherDefault<Identity>>,
    /// Entries held in `recent` before they are written out.
    limit: usize,
    /// Highest level (oldest, largest) first, one run per level.
    runs: Vec<Run>,
    /// Where runs are written.
    dir: PathBuf,
    spill_error: Option<String>,
    /// A Bloom filter of the keys written out ([`FILTER_BITS`] bits, made at the first
    /// spill): a key it does not have is not looked up in the runs.
    filter: Vec<u64>,
}

/// Sorted entries in a temporary file: each the key's 8 little-endian bytes, then the value's.
struct Run {
    file: File,
    /// Entries.
    len: u64,
    /// The first key of each block.
    fences: Vec<u64>,
    /// The largest key.
    last: u64,
}

impl<V: Value> Default for SpillMap<V> {
    fn default() -> Self {
        Self::with_limit(IN_MEMORY, std::env::temp_dir())
    }
}

impl<V: Value> std::fmt::Debug for SpillMap<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpillMap")
            .field("in_memory", &self.recent.len())
            .field("runs", &self.runs.iter().map(|r| r.len).collect::<Vec<_>>())
            .finish()
    }
}

impl<V: Value> SpillMap<V> {
    /// Bytes of one entry in a run.
    const ENTRY: usize = 8 + V::BYTES;
    /// Entries in a block.
    const BLOCK: usize = BLOCK_BYTES / Self::ENTRY;

    /// A map that holds `limit` entries in memory and writes runs to `dir`.
    pub(crate) fn with_limit(limit: usize, dir: PathBuf) -> Self {
        Self {
            recent: HashMap::default(),
            limit: limit.max(1),
            runs: Vec::new(),
            dir,
            spill_error: None,
            filter: Vec::new(),
        }
    }

    /// Whether no entries were written out.
    #[cfg(test)]
    pub(crate) fn runs_are_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// Why entries could not be written out (so the map grew in memory), if they could not.
    pub(crate) fn spill_error(&self) -> Option<&str> {
        self.spill_error.as_deref()
    }

    /// The value of `key`, if present. Fails only if a run cannot be read back.
    pub(crate) fn get(&self, key: u64) -> io::Result<Option<V>> {
        match self.recent.get(&key) {
            Some(v) => Ok(Some(*v)),
            None => self.get_written(key),
        }
    }

    /// The value of `key` if present; otherwise `key` is inserted with `value` and `None` is
    /// returned. Fails only if a run cannot be read back (then nothing is inserted).
    pub(crate) fn get_or_insert(&mut self, key: u64, value: V) -> io::Result<Option<V>> {
        let written = self.get_written(key)?;
        let got = self.get_or_insert_checked(key, value, written);
        self.settle();
        Ok(got)
    }

    /// The value of `key` among the entries written out, not those in memory: what
    /// [`get_or_insert_checked`](Self::get_or_insert_checked) needs, looked up on any thread
    /// (a batch's keys side by side) while the map is not changed. One block read per run.
    pub(crate) fn get_written(&self, key: u64) -> io::Result<Option<V>> {
        if !self.may_be_written(key) {
            return Ok(None);
        }
        let mut block = [0u8; BLOCK_BYTES];
        for run in &self.runs {
            if let Some(v) = Self::find_in(run, key, &mut block)? {
                return Ok(Some(v));
            }
        }
        Ok(None)
    }

    /// [`get_or_insert`](Self::get_or_insert), given what
    /// [`get_written`](Self::get_written) said of `key`; the entries written out must be
    /// the same as then, so call [`settle`](Self::settle) only after both.
    pub(crate) fn get_or_insert_checked(
        &mut self,
        key: u64,
        value: V,
        written: Option<V>,
    ) -> Option<V> {
        if written.is_some() {
            return written;
        }
        match self.recent.entry(key) {
            std::collections::hash_map::Entry::Occupied(e) => Some(*e.get()),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(value);
                None
            }
        }
    }

    /// Write the entries in memory out if there are as many as the limit: the only call
    /// that changes the entries written out.
    pub(crate) fn settle(&mut self) {
        if self.recent.len() >= self.limit {
            self.spill();
        }
    }

    /// Look `key` up in `run`: the block its fences point to, read into `block` and searched.
    fn find_in(run: &Run, key: u64, block: &mut [u8; BLOCK_BYTES]) -> io::Result<Option<V>> {
        if run.len == 0 || key < run.fences[0] || key > run.last {
            return Ok(None);
        }
        let b = run.fences.partition_point(|&f| f <= key) - 1;
        let first = (b * Self::BLOCK) as u64;
        let entries = (run.len - first).min(Self::BLOCK as u64) as usize;
        let block = &mut block[..entries * Self::ENTRY];
        read_at(&run.file, block, first * Self::ENTRY as u64)?;
        let (mut lo, mut hi) = (0, entries);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let at = mid * Self::ENTRY;
            let k = u64::from_le_bytes(block[at..at + 8].try_into().unwrap_or([0; 8]));
            match k.cmp(&key) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    return Ok(Some(V::get(&block[at + 8..at + Self::ENTRY])));
                }
            }
        }
        Ok(None)
    }

    /// The level of a run of `len` entries.
    fn level(&self, len: u64) -> u32 {
        let mut most = (self.limit as u64).saturating_mul(FANOUT);
        let mut level = 0;
        while len > most {
            most = most.saturating_mul(FANOUT);
            level += 1;
        }
        level
    }

    /// The filter's bits for `key` (keys are hashes: their multiples' top bits are spread).
    fn filter_bits(key: u64) -> impl Iterator<Item = (usize, u64)> {
        FILTER_PROBES.iter().map(move |m| {
            let bit = (key.wrapping_mul(*m) >> (64 - FILTER_BITS)) as usize;
            (bit / 64, 1u64 << (bit % 64))
        })
    }

    /// Whether `key` may be among the keys written out (false: it is not).
    fn may_be_written(&self, key: u64) -> bool {
        !self.filter.is_empty()
            && Self::filter_bits(key).all(|(word, bit)| self.filter[word] & bit != 0)
    }

    /// Write the entries in memory out as a run, then merge the two newest runs while they
    /// are of one level (two runs of level i make at most one of level i + 1, and the runs
    /// before are of higher levels, so levels stay strictly decreasing). On failure the
    /// entries stay in memory (or the runs unmerged) and no more are written out.
    fn spill(&mut self) {
        let mut entries: Vec<(u64, V)> = self.recent.iter().map(|(k, v)| (*k, *v)).collect();
        entries.sort_unstable_by_key(|e| e.0);
        let written = (|| {
            let mut w = RunWriter::<V>::create(&self.dir)?;
            for (k, v) in entries {
                w.push(k, v)?;
            }
            w.finish()
        })();
        let run = match written {
            Ok(run) => run,
            Err(e) => return self.give_up(&e),
        };
        if self.filter.is_empty() {
            self.filter = vec![0; (1 << FILTER_BITS) / 64];
        }
        for key in self.recent.keys() {
            for (word, bit) in Self::filter_bits(*key) {
                self.filter[word] |= bit;
            }
        }
        self.recent.clear();
        self.runs.push(run);
        while let [.., older, newer] = self.runs.as_slice()
            && self.level(older.len) == self.level(newer.len)
        {
            let merged = match merge::<V>(older, newer, &self.dir) {
                Ok(run) => run,
                // Both runs are still whole: keep them, write nothing more.
                Err(e) => return self.give_up(&e),
            };
            self.runs.truncate(self.runs.len() - 2);
            self.runs.push(merged);
        }
    }

    fn give_up(&mut self, e: &io::Error) {
        self.limit = usize::MAX;
        self.spill_error = Some(format!(
            "cannot write to the temporary folder {} ({e}), so the hashes are kept in memory, \
             which now grows with the corpus (set TMPDIR to a folder with free space)",
            self.dir.display()
        ));
    }
}

/// Writes a run: entries in increasing key order.
struct RunWriter<V: Value> {
    out: BufWriter<File>,
    len: u64,
    fences: Vec<u64>,
    last: u64,
    entry: Vec<u8>,
    _value: std::marker::PhantomData<V>,
}

impl<V: Value> RunWriter<V> {
    fn create(dir: &std::path::Path) -> io::Result<Self> {
        Ok(Self {
            out: BufWriter::with_capacity(STREAM_BUFFER, tempfile::tempfile_in(dir)?),
            len: 0,
            fences: Vec::new(),
            last: 0,
            entry: vec![0; SpillMap::<V>::ENTRY],
            _value: std::marker::PhantomData,
        })
    }

    fn push(&mut self, key: u64, value: V) -> io::Result<()> {
        if self.len.is_multiple_of(SpillMap::<V>::BLOCK as u64) {
            self.fences.push(key);
        }
        self.entry[..8].copy_from_slice(&key.to_le_bytes());
        value.put(&mut self.entry[8..]);
        self.out.write_all(&self.entry)?;
        self.len += 1;
        self.last = key;
        Ok(())
    }

    fn finish(self) -> io::Result<Run> {
        let file = self.out.into_inner().map_err(|e| e.into_error())?;
        Ok(Run {
            file,
            len: self.len,
            fences: self.fences,
            last: self.last,
        })
    }
}

/// Reads a run from its start, entry by entry.
struct RunReader<'a, V: Value> {
    input: BufReader<&'a File>,
    left: u64,
    entry: Vec<u8>,
    _value: std::marker::PhantomData<V>,
}

impl<'a, V: Value> RunReader<'a, V> {
    fn new(run: &'a Run) -> io::Result<Self> {
        let mut file = &run.file;
        io::Seek::seek(&mut file, io::SeekFrom::Start(0))?;
        Ok(Self {
            input: BufReader::with_capacity(STREAM_BUFFER, file),
            left: run.len,
            entry: vec![0; SpillMap::<V>::ENTRY],
            _value: std::marker::PhantomData,
        })
    }

    fn next(&mut self) -> io::Result<Option<(u64, V)>> {
        if self.left == 0 {
            return Ok(None);
        }
        self.input.read_exact(&mut self.entry)?;
        self.left -= 1;
        let key = u64::from_le_bytes(self.entry[..8].try_into().unwrap_or([0; 8]));
        Ok(Some((key, V::get(&self.entry[8..]))))
    }
}

/// The entries of two runs in one, in key order (a key in both keeps `older`'s value; the
/// map never writes one key twice).
fn merge<V: Value>(older: &Run, newer: &Run, dir: &std::path::Path) -> io::Result<Run> {
    let mut a = RunReader::<V>::new(older)?;
    let mut b = RunReader::<V>::new(newer)?;
    let mut out = RunWriter::<V>::create(dir)?;
    let (mut x, mut y) = (a.next()?, b.next()?);
    loop {
        match (x, y) {
            (Some((ka, va)), Some((kb, vb))) => {
                if ka <= kb {
                    out.push(ka, va)?;
                    if ka == kb {
                        y = b.next()?;
                    }
                    x = a.next()?;
                } else {
                    out.push(kb, vb)?;
                    y = b.next()?;
                }
            }
            (Some((k, v)), None) => {
                out.push(k, v)?;
                x = a.next()?;
            }
            (None, Some((k, v))) => {
                out.push(k, v)?;
                y = b.next()?;
            }
            (None, None) => break,
        }
    }
    out.finish()
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(not(unix))]
fn read_at(mut file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    io::Seek::seek(&mut file, io::SeekFrom::Start(offset))?;
    file.read_exact(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn small<V: Value>(limit: usize) -> SpillMap<V> {
        SpillMap::with_limit(limit, std::env::temp_dir())
    }

    /// Keys spread over the whole range, as hashes are, from a counter.
    fn spread(i: u64) -> u64 {
        i.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(17)
    }

    #[test]
    fn runs_are_leveled_and_every_key_is_found_with_its_value() {
        let mut m = small::<u64>(100);
        for i in 0..10_000u64 {
            assert_eq!(m.get_or_insert(spread(i), i).unwrap(), None, "key {i}");
        }
        // 100 spills of 100 entries, none left in memory: one run each of levels 2 (more
        // than 6,400 entries), 1 (more than 800) and 0.
        let lens: Vec<u64> = m.runs.iter().map(|r| r.len).collect();
        assert_eq!(lens, vec![7_200, 2_700, 100]);
        assert!(m.recent.is_empty());
        // The large run spans many blocks (256 entries of 16 bytes each).
        assert!(m.runs[0].fences.len() > 20);
        for i in 0..10_000u64 {
            assert_eq!(m.get(spread(i)).unwrap(), Some(i), "key {i}");
            assert_eq!(m.get_or_insert(spread(i), 0).unwrap(), Some(i), "key {i}");
        }
        for i in 10_000..12_000u64 {
            assert_eq!(m.get(spread(i)).unwrap(), None, "key {i}");
        }
        // The filter has every key written out and rules out (nearly) every other.
        assert!((0..10_000).all(|i| m.may_be_written(spread(i))));
        let through = (10_000..20_000)
            .filter(|&i| m.may_be_written(spread(i)))
            .count();
        assert!(through < 10, "{through} absent keys not ruled out");
        assert!(m.spill_error().is_none());
    }

    #[test]
    fn the_smallest_and_largest_keys_are_found() {
        let mut m = small::<()>(3);
        for k in [0, u64::MAX, 1, u64::MAX - 1, 5, 6, 7, 8] {
            assert_eq!(m.get_or_insert(k, ()).unwrap(), None);
        }
        for k in [0, u64::MAX, 1, u64::MAX - 1, 5, 6, 7, 8] {
            assert_eq!(m.get(k).unwrap(), Some(()), "key {k}");
        }
        for k in [2, 4, 9, u64::MAX - 2] {
            assert_eq!(m.get(k).unwrap(), None, "key {k}");
        }
    }

    #[test]
    fn an_unwritable_folder_keeps_the_keys_in_memory_and_says_why() {
        let dir = std::env::temp_dir().join("framescope-no-such-folder/below");
        let mut m = SpillMap::<u64>::with_limit(10, dir);
        for i in 0..100u64 {
            assert_eq!(m.get_or_insert(spread(i), i).unwrap(), None);
        }
        assert!(m.runs.is_empty());
        assert_eq!(m.recent.len(), 100);
        let why = m.spill_error().unwrap();
        assert!(why.contains("framescope-no-such-folder"), "{why}");
        assert!(why.contains("TMPDIR"), "{why}");
        for i in 0..100u64 {
            assert_eq!(m.get(spread(i)).unwrap(), Some(i));
        }
    }

    proptest! {
        /// The map answers as a `HashMap` that keeps the first value of each key, whatever
        /// the limit (so however its keys are split between memory and runs).
        #[test]
        fn answers_as_a_hash_map(
            limit in 1usize..40,
            ops in proptest::collection::vec((0u64..600, any::<bool>()), 0..1_500),
        ) {
            let mut m = small::<u64>(limit);
            let mut oracle = std::collections::HashMap::new();
            for (n, (k, insert)) in ops.into_iter().enumerate() {
                // One run per level, highest first.
                let levels: Vec<u32> = m.runs.iter().map(|r| m.level(r.len)).collect();
                prop_assert!(levels.windows(2).all(|w| w[0] > w[1]), "{:?}", levels);
                // Small numbers spread over the range, so that keys repeat.
                let key = spread(k);
                if insert {
                    let want = oracle.get(&key).copied();
                    oracle.entry(key).or_insert(n as u64);
                    prop_assert_eq!(m.get_or_insert(key, n as u64).unwrap(), want);
                } else {
                    prop_assert_eq!(m.get(key).unwrap(), oracle.get(&key).copied());
                }
            }
        }
    }
}
