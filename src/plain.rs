//! The plain paths. With `FRAMESCOPE_PLAIN=1` in the environment, every fast path of the
//! analysis takes instead the plain code its property tests compare it with: `serde_json` for
//! JSON lines, the Unicode segmenter for word counts and headline keys, case folding as first
//! written, fragment normalisation char by char, the document normalisation a byte at a
//! time, line keys from each line's canonical form made with chars and strings (not the
//! branch-free and SSSE3 kernels), `aho_corasick`'s own overlapping search for the
//! lexicon scan, a stable sort of the matches where two ordered runs are merged, char offsets
//! and quoting checks byte by byte, and no early exits (the headline length check, the
//! repetition threshold check). The reports must not change: `scripts/bench.sh` runs the
//! JSONL of every corpus size both ways and fails if any report differs, and an integration
//! test does the same on the sample corpus and on awkward input. It is for checking, not for
//! use: it is slower.

use std::sync::OnceLock;

/// Is `FRAMESCOPE_PLAIN` set to `1`? Read once per process.
#[inline]
pub fn plain() -> bool {
    static PLAIN: OnceLock<bool> = OnceLock::new();
    *PLAIN.get_or_init(|| std::env::var_os("FRAMESCOPE_PLAIN").is_some_and(|v| v == "1"))
}
