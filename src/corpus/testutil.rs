//! Helpers shared by the corpus readers' unit tests.

use std::fs;
use std::path::{Path, PathBuf};

use super::{Article, Item, Skip};

/// The article an item holds; panics (failing the test) on a skip.
pub fn article(item: &Item) -> &Article {
    match item {
        Item::Article(a) => a,
        Item::Skip(s) => panic!("expected an article, got skip: {s:?}"),
    }
}

/// The skip an item holds; panics (failing the test) on an article.
pub fn skipped(item: &Item) -> &Skip {
    match item {
        Item::Skip(s) => s,
        Item::Article(a) => panic!("expected a skip, got article {a:?}"),
    }
}

/// Write `bytes` to `root/rel`, creating folders; returns the path.
pub fn put(root: &Path, rel: &str, bytes: &[u8]) -> PathBuf {
    let p = root.join(rel);
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&p, bytes).unwrap();
    p
}

/// [`put`] into a temporary folder.
pub fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    put(dir.path(), name, bytes)
}
