//! Compiles the shipped lexicons into the binary: every `lexicons/<family>/<file>.txt`
//! becomes an entry of `BUILTIN` (path relative to `lexicons/`, content), sorted by path.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("lexicons");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    if let Ok(families) = std::fs::read_dir(&root) {
        for family in families.flatten() {
            let family_path = family.path();
            if !family_path.is_dir() {
                continue;
            }
            println!("cargo:rerun-if-changed={}", family_path.display());
            if let Ok(entries) = std::fs::read_dir(&family_path) {
                for entry in entries.flatten() {
                    let path = entry.path();
                    if path.extension().is_some_and(|e| e == "txt") {
                        let rel = path.strip_prefix(&root).expect("below root");
                        let rel = rel.to_string_lossy().replace('\\', "/");
                        files.push((rel, path.clone()));
                    }
                }
            }
        }
    }
    files.sort();
    let mut out = String::from(
        "/// Shipped lexicon files: (path relative to `lexicons/`, content).\npub static BUILTIN: &[(&str, &str)] = &[\n",
    );
    for (rel, path) in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(
            out,
            "    ({rel:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("builtin_lexicons.rs");
    std::fs::write(dest, out).unwrap();
}
