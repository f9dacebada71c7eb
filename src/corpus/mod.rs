//! Corpus: inputs become [`Article`]s. Folders of `.txt`/`.md` (with `manifest.csv` or outlet
//! sub-folders), JSONL, CSV and standard input; decoding; every input that cannot be read
//! becomes a [`Skip`] with a reason, never a panic. Only this module and `lexicon` read files.
//!
//! INTERFACE (owned by the corpus helper; keep these signatures):
//! - `open(spec: &InputSpec) -> Result<Corpus, CorpusError>`: fatal problems only (input
//!   missing, CSV without a text column, unreadable manifest header...).
//! - `Corpus: Iterator<Item = Item>`: articles and skips in a deterministic order.
//! - `Corpus::extra_columns(&self) -> &[String]`: names of extra metadata columns (manifest or
//!   CSV columns beyond the known ones), fixed before the first item; `Article::extra` holds
//!   their values in that order.
//! - `decode(bytes: &[u8]) -> Result<Decoded, DecodeError>`: pure twin of file reading.

mod types;
pub use types::*;
mod stub_tmp; pub use stub_tmp::*;
