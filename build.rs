//! Compiles the shipped lexicons into the binary: every `lexicons/<family>/<file>.txt`
//! becomes an entry of `BUILTIN` (path relative to `lexicons/`, content), sorted by path,
//! except the `boilerplate` family (cleaning patterns), which becomes `BOILERPLATE`.

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
    // The `boilerplate` family holds line patterns for the cleaning step, not scoring lexicons.
    let mut out = String::new();
    for (name, what, boilerplate) in [
        ("BUILTIN", "Shipped scoring lexicon files", false),
        ("BOILERPLATE", "Shipped boilerplate pattern files", true),
    ] {
        writeln!(
            out,
            "/// {what}: (path relative to `lexicons/`, content).\npub static {name}: &[(&str, &str)] = &["
        )
        .unwrap();
        for (rel, path) in &files {
            if rel.starts_with("boilerplate/") != boilerplate {
                continue;
            }
            println!("cargo:rerun-if-changed={}", path.display());
            writeln!(
                out,
                "    ({rel:?}, include_str!({:?})),",
                path.display().to_string()
            )
            .unwrap();
        }
        out.push_str("];\n");
    }
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("builtin_lexicons.rs");
    std::fs::write(dest, out).unwrap();
}
