//! Outlet comparisons, worked out from the per-outlet accumulators once every article is
//! scored: which terms set an outlet apart (`keyness.csv`, [`keyness`]) and how outlets differ
//! on every article measure (`compare.csv`, [`measures`]). The statistics themselves are pure
//! functions in [`stats`], each tested against independently computed values.

pub mod keyness;
pub mod measures;
pub mod stats;

pub use keyness::{KeynessConfig, KeynessRow, VoiceSel, keyness_rows};
pub use measures::{CompareRow, CompareTest, compare_rows};

use crate::aggregate::Outlets;
use crate::lexicon::LexiconSet;

/// Both comparison reports of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub voice: VoiceSel,
    pub keyness: Vec<KeynessRow>,
    pub measures: Vec<CompareRow>,
}

/// Compare every outlet with the others, in parallel on the current rayon pool (the global
/// one unless called inside `ThreadPool::install`); the rows do not depend on the thread
/// count.
pub fn compare(set: &LexiconSet, outlets: &Outlets, cfg: &KeynessConfig) -> Comparison {
    // Both on the current pool, at the same time.
    let (keyness, measures) =
        rayon::join(|| keyness_rows(outlets, cfg), || compare_rows(set, outlets));
    Comparison {
        voice: cfg.voice,
        keyness,
        measures,
    }
}
